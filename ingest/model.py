"""Plain data types that flow through ingest: files become Articles, Articles become facts."""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field


class InputError(Exception):
    """Bad input the user can fix: a file, line or parameter and the reason, in one line.

    The CLI prints ``str(error)`` and exits non-zero without a traceback.
    """

    def __init__(self, reason: str, path: str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + reason)


def exception_reason(exc: BaseException) -> str:
    """One line saying what an unexpected exception (a library's or our own surprise on hostile input) was."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = str(exc).strip().split("\n", 1)[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def env_number(name: str, default: float, accept: Callable[[float], bool], expected: str) -> float:
    """``$name`` as a number (``default`` when unset or blank), read on each call so that it can change at run
    time; a value that is not a number, or that ``accept`` refuses, is an InputError naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not accept(number):
        raise InputError(f"{name} must be {expected}, not {value!r}")
    return number


@dataclass(frozen=True)
class Article:
    """One news article: metadata and plain body text (the text that spans refer to)."""

    id: str
    title: str
    text: str
    date: str | None = None  # ISO date YYYY-MM-DD when known
    url: str | None = None
    source: str | None = None
    path: str | None = None  # file it came from (with "#N" for the Nth item of a multi-article file)
    warnings: tuple[str, ...] = ()  # non-fatal problems met while reading (e.g. undecodable bytes)


def article_id(url: str | None, text: str, title: str | None = None, date: str | None = None,
               name: str | None = None) -> str:
    """A stable article id: the URL when there is one; else, read from a file named ``name``, that name with a
    hash of the title and date (``doc:story.txt:3f2a9c1e``); else a hash of the text.

    Stable ids make ingest idempotent, and they are what "the same article" means when a file is read again:
    fixing a phrase in the body keeps the id, so re-ingesting replaces the earlier version. The file name is
    part of it so that two files of one series (same title, no date) stay two articles; a new title or date
    is a new id, and ``kg.api.ingest`` then replaces what the same file held before.
    """
    if url and url.strip():
        return url.strip()
    if name and title and title.strip():
        key = "\x1f".join((" ".join(title.casefold().split()), date or ""))
        return f"doc:{name}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
    return "sha256:" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Entity:
    """An entity of the knowledge base or one discovered in text."""

    iri: str
    label: str
    type: str  # contract class local name, e.g. "Company"
    aliases: tuple[str, ...] = ()
    known: bool = True  # False for entities discovered in text, unknown to the knowledge base


@dataclass(frozen=True)
class Mention:
    """A span of article text that names an entity."""

    entity: Entity
    text: str  # the surface form as written
    start: int  # character offsets into Article.text
    end: int
    confidence: float
    rule: str = "alias"


@dataclass(frozen=True)
class Evidence:
    """Where and how a fact was found: provenance shared by Fact and Metric."""

    article: str  # article id
    sentence: str
    start: int  # sentence span in Article.text
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Period:
    """When a fact holds, as far as the text says (``ingest.periods``): dates are ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` (a year is as precise as "in 2021" is), so that comparing them as text orders them."""

    start: str | None = None  # "since 2019", "from 2015"
    end: str | None = None  # "until 2024", "stepped down in 2021"
    ended: bool = False  # the text says it no longer holds ("former", "stepped down", "lifted", "sold its stake")


@dataclass(frozen=True)
class Fact:
    """A relation between two entities, stated by an article."""

    subject: Entity
    predicate: str  # contract local name, e.g. "develops"
    object: Entity
    evidence: Evidence
    period: Period | None = None  # None: the text gives no time; the fact holds as of the article


@dataclass(frozen=True)
class Metric:
    """One reported number about a company (a MetricObservation)."""

    company: Entity
    name: str
    value: float
    unit: str  # ISO 4217 code, "percent" or another unit word
    period: str | None
    evidence: Evidence


@dataclass
class Extraction:
    """All that extraction found in one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # caveats met while extracting (e.g. text cut at the limit)
    # facts the text says have ended (a former chief executive, a lifted rule, a sold stake): history, kept
    # apart so that whatever reads ``facts`` (scoring, the graph's current relations) never takes them as current
    ended: list[Fact] = field(default_factory=list)
