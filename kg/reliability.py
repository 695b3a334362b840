"""Source reliability: a rating per outlet on the Admiralty scale (A-F, as OpenCTI rates report authors).

The ratings are data (``ontology/reliability.yaml``, and a workspace's own ``reliability.yaml`` merged over it),
read when evidence is shown rather than stored at ingest. Why: a rating is an analyst's judgement that changes
(an outlet is caught out, or proves itself), and it should change every answer at once; each article keeps what
finds its outlet (``schema:url``, ``ci:source``), so nothing needs ingesting again.

An outlet is found by the host of the article's URL (its domain or any subdomain of it), else by the name in the
article's metadata (case and spacing folded); one found by neither gets the file's ``default`` (F, "cannot be
judged"). Each letter has a ``weight``: the *weighted confidence* of a piece of evidence is the extractor's
confidence times its outlet's weight, so evidence can be ranked by both at once (``kg why``, ``--explain``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ingest.model import InputError
from ontology import ONTOLOGY_FILE

RELIABILITY_FILE = ONTOLOGY_FILE.parent / "reliability.yaml"
WORKSPACE_FILE = "reliability.yaml"  # in a workspace's directory: the analysts' ratings
LETTERS = "ABCDEF"


@dataclass(frozen=True)
class Grade:
    """One letter of the scale: ``B``, "Usually reliable", the weight confidence is multiplied by."""

    letter: str
    label: str
    weight: float


@dataclass
class Ratings:
    """The scale and the rated outlets (by domain and by folded name)."""

    scale: dict[str, Grade] = field(default_factory=dict)
    default: str = "F"
    domains: dict[str, tuple[str, str]] = field(default_factory=dict)  # domain -> (outlet, letter)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded name -> (outlet, letter)

    def rate(self, url: str | None = None, source: str | None = None) -> tuple[str | None, Grade]:
        """The outlet an article comes from (None when unrated) and its grade, from its URL or source name."""
        host = (urlsplit(url).hostname or "") if url else ""
        parts = host.lower().removeprefix("www.").split(".") if host else []
        for i in range(len(parts) - 1):  # news.reuters.com, then reuters.com
            found = self.domains.get(".".join(parts[i:]))
            if found:
                return found[0], self.scale[found[1]]
        found = self.names.get(_fold(source)) if source else None
        if found:
            return found[0], self.scale[found[1]]
        return None, self.scale[self.default]


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def weighted(confidence: object, grade: Grade) -> float | None:
    """The extractor's confidence times the grade's weight (None when there is no confidence)."""
    try:
        return round(float(confidence) * grade.weight, 4)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _error(path: Path, where: str, what: str) -> InputError:
    return InputError(f"{path}: {where}: {what}")


def _merge(ratings: Ratings, path: Path) -> None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise _error(path, "top level", "must be a mapping with scale, default and outlets")
    scale = data.get("scale") or {}
    if not isinstance(scale, dict):
        raise _error(path, "scale", "must map letters A-F to {label, weight}")
    for letter, entry in scale.items():
        if str(letter) not in LETTERS:
            raise _error(path, f"scale.{letter}", "must be one of the letters A-F")
        if not isinstance(entry, dict) or not isinstance(entry.get("weight"), int | float) \
                or not 0 <= float(entry["weight"]) <= 1:
            raise _error(path, f"scale.{letter}", "must be {label: TEXT, weight: a number from 0 to 1}")
        ratings.scale[str(letter)] = Grade(str(letter), str(entry.get("label") or letter), float(entry["weight"]))
    if "default" in data:
        ratings.default = str(data["default"])
    outlets = data.get("outlets") or []
    if not isinstance(outlets, list):
        raise _error(path, "outlets", "must be a list of {name, domains, reliability}")
    for i, entry in enumerate(outlets):
        where = f"outlets[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise _error(path, where, "must have a name")
        letter = str(entry.get("reliability", ""))
        if letter not in LETTERS:
            raise _error(path, f"{where} ({entry['name']})",
                         f"reliability must be one of the letters A-F, not {entry.get('reliability')!r}")
        domains, aliases = entry.get("domains") or [], entry.get("aliases") or []
        if not isinstance(domains, list) or not isinstance(aliases, list):
            raise _error(path, f"{where} ({entry['name']})", "domains and aliases must be lists")
        outlet = entry["name"].strip()
        for name in [outlet, *map(str, aliases)]:
            ratings.names[_fold(name)] = (outlet, letter)
        for domain in map(str, domains):
            ratings.domains[domain.lower().removeprefix("www.")] = (outlet, letter)


@lru_cache(maxsize=16)
def _load(files: tuple[tuple[str, float], ...]) -> Ratings:
    ratings = Ratings()
    for name, _ in files:
        _merge(ratings, Path(name))
    missing = [c for c in LETTERS if c not in ratings.scale]
    if missing:
        raise InputError(f"{files[-1][0]}: scale: no entry for {', '.join(missing)} (every letter A-F needs one)")
    if ratings.default not in LETTERS:
        raise InputError(f"{files[-1][0]}: default: must be one of the letters A-F, not {ratings.default!r}")
    return ratings


def load(extra: list[str | os.PathLike[str]] | None = None) -> Ratings:
    """The shipped ratings with ``extra`` files merged over them, in order (cached while the files are unchanged)."""
    paths = [RELIABILITY_FILE, *map(Path, extra or [])]
    stamped = []
    for p in paths:
        try:
            stamped.append((str(p), p.stat().st_mtime))
        except OSError:
            raise InputError(f"{p}: no such reliability file") from None
    return _load(tuple(stamped))


def for_workspace(root: str | os.PathLike[str] | None) -> Ratings:
    """The ratings a workspace reads: the shipped ones with its own ``reliability.yaml`` (if any) merged over."""
    own = Path(root) / WORKSPACE_FILE if root is not None else None
    return load([own] if own is not None and own.is_file() else [])
