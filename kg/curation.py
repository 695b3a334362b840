"""A curator's decisions about entities, kept in the workspace's own data file, ``WORKSPACE/curation.yaml``.

Why a file and not only the store: a decision must survive re-ingesting (a new version of an article is written
from its extraction again) and rebuilding a workspace from its articles, and a person should be able to read,
review and version it. ``kg entities merge A B`` and ``kg entities split A B`` write it; every ingest applies it
(a merged entity resolves to the kept one, a split pair is never merged) and so does the projection.

The layout (names for people, IRIs for the machine; the IRIs decide)::

    merge:      # the second entity is the first one
      - {keep: Tavrin Robotics, keep_iri: "https://cikg.dev/id/company/tavrin-robotics",
         merge: Tavrin, merge_iri: "https://cikg.dev/id/company/tavrin", type: Company}
    split:      # two entities, whatever their names say
      - {a: Moore Capital, a_iri: "...", b: Moore, b_iri: "...", type: Company}
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.model import InputError

FILE = "curation.yaml"


@dataclass(frozen=True)
class Merge:
    keep: str
    keep_iri: str
    merge: str
    merge_iri: str
    type: str


@dataclass(frozen=True)
class Split:
    a: str
    a_iri: str
    b: str
    b_iri: str
    type: str

    def pair(self) -> frozenset[str]:
        return frozenset((self.a_iri, self.b_iri))


@dataclass
class Curation:
    merges: list[Merge] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)

    def merged(self) -> dict[str, str]:
        """Merged IRI -> the IRI it is, chains followed (A kept over B, B kept over C: C is A)."""
        out = {m.merge_iri: m.keep_iri for m in self.merges}
        for iri in list(out):
            seen = {iri}
            while out[iri] in out and out[iri] not in seen:
                seen.add(out[iri])
                out[iri] = out[out[iri]]
        return out

    def apart(self) -> set[frozenset[str]]:
        return {s.pair() for s in self.splits}


def path(workspace: str | os.PathLike[str] | None) -> Path | None:
    return Path(workspace) / FILE if workspace is not None else None


def load(file: Path | None) -> Curation:
    """The decisions in ``file`` (none when there is no file); a malformed one is an error naming it and the line."""
    if file is None or not file.is_file():
        return Curation()
    import yaml

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the curation file: {exc.strerror or exc}", str(file)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", str(file),
                         mark.line + 1 if mark is not None else None) from None
    if data is None:
        return Curation()
    if not isinstance(data, dict) or set(data) - {"merge", "split"}:
        raise InputError("a curation file is a mapping with the lists merge and split", str(file))
    out = Curation()
    for kind, cls, target in (("merge", Merge, out.merges), ("split", Split, out.splits)):
        items = data.get(kind) or []
        if not isinstance(items, list):
            raise InputError(f"{kind} must be a list", str(file))
        names = list(cls.__dataclass_fields__)
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or any(not isinstance(item.get(n), str) or not item[n] for n in names):
                raise InputError(f"{kind} entry {i} needs {', '.join(names)} (text each), not {item!r}", str(file))
            target.append(cls(**{n: item[n] for n in names}))  # type: ignore[arg-type]
    return out


def save(file: Path, curation: Curation) -> None:
    """Write the file whole (to a temporary name, then renamed: a crash never leaves half a file)."""
    import yaml

    data = {"merge": [asdict(m) for m in curation.merges], "split": [asdict(s) for s in curation.splits]}
    text = ("# Entity decisions of this workspace's curators (kg entities merge / split), applied at every ingest\n"
            "# and projection. Edit with care: the IRIs decide, the names are for people.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200))
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(file)
