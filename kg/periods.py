"""Facts in time: which facts have ended, what held at a date, and what changed since a date.

Why here and not in each query: the per-article graphs say, per evidence record, when a fact held
(``ci:validFrom``, ``ci:validUntil``) and whether its article says it is over (``ci:ended``, ``ingest.periods``).
This module reads those records once per question. Two rules, the same in the stored queries ``facts_at`` and
``chief_executives`` and in the property graph (:func:`add_history`):

* **current**: a fact is current unless an article that says it has ended is as recent as (or more recent than)
  every article that states it as holding: the latest report wins.
* **held at a date D**: some statement starts on or before D (its ``validFrom``; else, stated as holding, its
  article's day; else, stated as ended with an end date and no start, before any date) and no statement's end
  (its ``validUntil``, through the whole year or month it names; else, stated as ended, its article's day) lies
  between that start and D.

Dates compare as text (``2021`` < ``2021-03`` < ``2021-03-04``): a year stands for its first day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ingest.kb import vocabulary
from ingest.model import InputError
from kg.store import Workspace
from ontology import NS

if TYPE_CHECKING:
    from kg.project import PropertyGraph

# every statement of a fact between entities: its article's day and first ingest, its period and whether it ended
_STATEMENTS = """
SELECT ?s ?p ?o ?sl ?ol ?g ?id ?day ?ingested ?from ?until ?ended WHERE {
  GRAPH ?g { ?e a ci:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL { ?e ci:validFrom ?vf } OPTIONAL { ?e ci:validUntil ?vu } OPTIONAL { ?e ci:ended ?ended }
             ?g ci:articleId ?id . OPTIONAL { ?g schema:datePublished ?d } OPTIONAL { ?g schema:sdDatePublished ?i } }
  FILTER(?p != ci:reportsMetric)
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
  BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?day)
  BIND(STR(?i) AS ?ingested) BIND(STR(?vf) AS ?from) BIND(STR(?vu) AS ?until)
}"""
# the same value reported differently: a company's metric, unit and period with two values
_METRIC_VALUES = """
SELECT ?c ?cl ?name ?unit ?period ?value ?g ?id ?day ?ingested WHERE {
  GRAPH ?g { ?c ci:reportsMetric ?m . ?g ci:articleId ?id .
             OPTIONAL { ?g schema:datePublished ?d } OPTIONAL { ?g schema:sdDatePublished ?i } }
  ?m ci:metricName ?name ; ci:value ?value ; ci:unit ?unit . OPTIONAL { ?m ci:period ?p }
  ?c rdfs:label ?cl .
  BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?day) BIND(STR(?i) AS ?ingested) BIND(COALESCE(?p, "") AS ?period)
}"""
_LAST_INGEST = "SELECT (MAX(STR(?i)) AS ?last) WHERE { GRAPH ?g { ?g a ci:Article ; schema:sdDatePublished ?i } }"


@dataclass(frozen=True)
class Statement:
    """One article's statement of a fact."""

    article: str  # article id
    day: str  # the article's date, else the day it was first ingested
    ingested: str  # when it was first ingested (xsd:dateTime as text)
    start: str | None  # ``validFrom``
    until: str | None  # ``validUntil``
    ended: bool

    @property
    def begins(self) -> str | None:
        """When this statement has the fact hold from ("" for before any date); None: it says nothing of that."""
        if self.start:
            return self.start
        if not self.ended:
            return self.day
        return "" if self.until else None

    @property
    def ends(self) -> str | None:
        """When this statement has the fact over: its end date, else (stated as ended) its article's day. An end
        date has "~" after it, which sorts after every day it covers: "until 2024" held through 2024."""
        return self.until + "~" if self.until else (self.day if self.ended else None)


@dataclass
class FactTimeline:
    """Every statement of one fact (a symmetric one once per pair, from the end with the smaller IRI)."""

    subject: str
    predicate: str  # local name
    object: str
    subject_label: str
    object_label: str
    statements: list[Statement] = field(default_factory=list)

    @property
    def current(self) -> bool:
        """Stated as holding, and no article saying it has ended is as recent as the latest that says it holds."""
        holding = [s.day for s in self.statements if not s.ended]
        ended = [s.day for s in self.statements if s.ended]
        return bool(holding) and (not ended or max(ended) < max(holding))

    @property
    def dated(self) -> bool:
        """Whether any statement gives it a period or an end (the others only say it holds on their day)."""
        return any(s.start or s.until or s.ended for s in self.statements)

    def held_from(self, date: str) -> str | None:
        """The earliest known start from which the fact held without a break until ``date`` ("": it held, from a
        time the text does not give); None: it did not hold then."""
        ends = [e for s in self.statements if (e := s.ends) is not None]
        starts = sorted({b for s in self.statements if (b := s.begins) is not None and b <= date})
        held = [b for b in starts if not any(b <= e <= date for e in ends)]
        return None if not held else next((b for b in held if b), "")


def timelines(ws: Workspace, about: str | None = None) -> list[FactTimeline]:
    """Every fact between entities with all its statements, current and ended (``about``: an entity's IRI,
    only the facts it is an end of)."""
    import pyoxigraph as ox

    symmetric = vocabulary().symmetric
    relations = vocabulary().relations
    out: dict[tuple[str, str, str], FactTimeline] = {}
    rows = ws.query(_STATEMENTS) if about is None else [
        r for end in ("s", "o") for r in ws.query(_STATEMENTS, {end: ox.NamedNode(about)})]
    for r in rows:
        p = str(r["p"])[len(NS):]
        if p not in relations:
            continue
        s, o, sl, ol = str(r["s"]), str(r["o"]), str(r["sl"]), str(r["ol"])
        if p in symmetric and o < s:
            s, o, sl, ol = o, s, ol, sl
        t = out.get((s, p, o))
        if t is None:
            t = out[(s, p, o)] = FactTimeline(s, p, o, sl, ol)
        st = Statement(str(r["id"]), str(r["day"] or ""), str(r["ingested"] or ""),
                       _text(r["from"]), _text(r["until"]), bool(r["ended"]))
        if st not in t.statements:  # an entity at both ends is read twice
            t.statements.append(st)
    for t in out.values():
        t.statements.sort(key=lambda s: (s.day, s.article))
    return sorted(out.values(), key=lambda t: (t.subject_label, t.predicate, t.object_label))


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def history_type(rel_type: str) -> str:
    """``CEO_OF`` -> ``CEO_OF_HISTORY``: the property graph's relationship for the dated statements of a fact."""
    return rel_type + "_HISTORY"


def add_history(ws: Workspace, pg: PropertyGraph) -> None:
    """Add the facts that have a period or an end to the property graph, so that Cypher asks what held when.

    Each becomes a ``<TYPE>_HISTORY`` relationship (``CEO_OF_HISTORY``) with ``predicate``, ``starts`` and
    ``ends`` (see the module's rule; "" starts before any date), ``articles`` and ``current``; a current
    relationship that a later article says has ended gets ``ended: true``. Only dated facts get one: a fact with
    no period held from its ``first_reported`` on.
    """
    from kg.project import Rel, rel_type

    by_key = {(r.src, r.type, r.dst): r for r in pg.rels}
    symmetric = vocabulary().symmetric
    for t in timelines(ws):
        if not t.dated or t.subject not in pg.nodes or t.object not in pg.nodes:
            continue
        kind = rel_type(t.predicate)
        props: dict[str, object] = {
            "predicate": t.predicate,
            "starts": sorted({b for s in t.statements if (b := s.begins) is not None}),
            "ends": sorted({e for s in t.statements if (e := s.ends) is not None}),
            "articles": sorted({s.article for s in t.statements}),
            "current": t.current,
        }
        if t.predicate in symmetric:
            props["symmetric"] = True
        pg.rels.append(Rel(t.subject, history_type(kind), t.object, props))
        held = by_key.get((t.subject, kind, t.object))
        if held is not None and not t.current:
            held.props["ended"] = True
    pg.rels.sort(key=lambda r: (r.src, r.type, r.dst))


# --- what changed ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change: a new fact, an ended one, or a new conflict (two articles disagreeing)."""

    change: str  # "new", "ended" or "conflict"
    subject: str
    predicate: str
    object: str
    reported: str  # the day of the article that made the change (first report; for a conflict, the latest side)
    ingested: str  # when that article was first ingested
    until: str | None  # an ended fact's end date, where the text gives one
    articles: tuple[str, ...]  # the articles behind the change
    detail: str = ""  # a conflict: what disagrees

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "subject": self.subject, "predicate": self.predicate, "object": self.object,
                "reported": self.reported, "ingested": self.ingested, "until": self.until,
                "articles": list(self.articles), "detail": self.detail}


def last_ingest(ws: Workspace) -> str | None:
    """The time of the latest ingest run that added an article (xsd:dateTime as text)."""
    rows = ws.query(_LAST_INGEST)
    return str(rows[0]["last"]) if rows and rows[0].get("last") else None


def changes(ws: Workspace, since: str | None = None, *, since_last_ingest: bool = False, by: str = "article",
            watch: Sequence[str] = ()) -> list[Change]:
    """What changed since ``since`` (a date, YYYY-MM-DD, or an ingest time) or since the last ingest: new facts,
    facts that ended, new conflicts. ``by="article"`` dates a change by its article's date (an undated article by
    its ingest day), ``by="ingest"`` by when its article was first ingested (``since_last_ingest`` does that);
    every change carries both.

    ``watch``: entity IRIs; only changes about one of them are kept. New facts are those first reported since
    then; an ended fact is one an article since then says is over; a conflict is a fact one article states as
    holding and another as ended, or two values of one company's metric, one side reported since then.
    """
    if since_last_ingest:
        since = last_ingest(ws)
        if since is None:
            return []
    if not since:
        raise InputError("give a date (since) or since_last_ingest")
    if by not in ("article", "ingest"):
        raise InputError(f"by must be article or ingest, not {by!r}")
    watched = set(watch)
    mark = since
    by_ingest = since_last_ingest or by == "ingest"

    def recent_either(day: str, ingested: str) -> bool:
        """On or after ``since``: by the article's date, or by its ingest time (a date: from that day's start)."""
        return ingested >= mark if by_ingest else day >= mark[:10]

    out: list[Change] = []
    for t in timelines(ws):
        if watched and t.subject not in watched and t.object not in watched:
            continue
        holding = [s for s in t.statements if not s.ended]
        ended = [s for s in t.statements if s.ended]
        if holding:
            first = min(holding, key=lambda s: s.day)
            first_in = min(s.ingested for s in holding)
            if recent_either(first.day, first_in):
                out.append(Change("new", t.subject_label, t.predicate, t.object_label, first.day, first_in,
                                  None, tuple(sorted({s.article for s in holding}))))
        news = [s for s in ended if recent_either(s.day, s.ingested)]
        if news:
            last = max(news, key=lambda s: (s.day, s.ingested))
            out.append(Change("ended", t.subject_label, t.predicate, t.object_label, last.day, last.ingested,
                              max((s.until for s in ended if s.until), default=None),
                              tuple(sorted({s.article for s in news}))))
        if holding and ended and any(recent_either(s.day, s.ingested) for s in t.statements):
            side = max(t.statements, key=lambda s: (s.day, s.ingested))
            out.append(Change("conflict", t.subject_label, t.predicate, t.object_label, side.day, side.ingested,
                              None, tuple(sorted({s.article for s in t.statements})),
                              f"stated as holding by {_articles(holding)}, as ended by {_articles(ended)}"))
    out += _metric_conflicts(ws, recent_either, watched)
    order = {"new": 0, "ended": 1, "conflict": 2}
    return sorted(out, key=lambda c: (order[c.change], c.reported, c.subject, c.predicate, c.object))


def _metric_conflicts(ws: Workspace, recent: Callable[[str, str], bool], watched: set[str]) -> list[Change]:
    groups: dict[tuple[str, str, str, str], dict[str, list[tuple[str, str, str]]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for r in ws.query(_METRIC_VALUES):
        c = str(r["c"])
        if watched and c not in watched:
            continue
        labels[c] = str(r["cl"])
        key = (c, str(r["name"]), str(r["unit"]), str(r["period"]))
        groups[key].setdefault(str(r["value"]), []).append((str(r["day"] or ""), str(r["ingested"] or ""),
                                                            str(r["id"])))
    out = []
    for (c, name, unit, period), values in groups.items():
        if len(values) < 2:
            continue
        every = [x for v in values.values() for x in v]
        if not any(recent(day, ingested) for day, ingested, _ in every):
            continue
        day, ingested, _ = max(every)
        shown = " vs ".join(_number(v) for v in sorted(values, key=float))
        out.append(Change("conflict", labels[c], "reportsMetric", f"{name}{f' ({period})' if period else ''}", day,
                          ingested, None, tuple(sorted({a for _, _, a in every})), f"{shown} {unit}"))
    return out


def _articles(statements: list[Statement]) -> str:
    n = len({s.article for s in statements})
    return f"{n} article{'s' if n != 1 else ''}"


def _number(value: str) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else str(f)


def parse_since(text: str, today: dt.date | None = None) -> str:
    """A ``--since`` value: YYYY-MM-DD, an xsd:dateTime (an ingest time), or today, yesterday, 7d, 2w, 3m, 1y."""
    from kg.queries import relative_date

    value = text.strip()
    rel = relative_date(value, today)
    if rel is not None:
        return rel
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since must be a date YYYY-MM-DD (or a time, today, yesterday, 7d, 2w, 3m, 1y), "
                         f"not {value!r}") from None
    return value


def ended_facts(ws: Workspace, iris: Iterable[str] = ()) -> list[FactTimeline]:
    """The facts that are not current (an article says they ended), about ``iris`` if given."""
    wanted = set(iris)
    return [t for t in timelines(ws) if not t.current and (not wanted or t.subject in wanted or t.object in wanted)]


# --- the entity card ---------------------------------------------------------------------------------------------


def card_history(ws: Workspace, iri: str) -> tuple[set[tuple[str, str]], list[dict[str, object]]]:
    """For ``kg lookup``: the (predicate, other entity's label) of the card's relations that are no longer current,
    and the history lines of the facts that ended (predicate, direction, other, until, reported, articles)."""
    symmetric = vocabulary().symmetric
    gone: set[tuple[str, str]] = set()
    lines: list[dict[str, object]] = []
    for t in timelines(ws, iri):
        if t.current:
            continue
        out = t.subject == iri
        other = t.object_label if out else t.subject_label
        gone.add((t.predicate, other))
        ended = [s for s in t.statements if s.ended]
        lines.append({"direction": "both" if t.predicate in symmetric else "out" if out else "in",
                      "predicate": t.predicate, "other": other,
                      "until": max((s.until for s in ended if s.until), default=None),
                      "reported": max(s.day for s in ended), "articles": sorted({s.article for s in ended})})
    return gone, sorted(lines, key=lambda r: (str(r["predicate"]), str(r["other"])))
