"""The fact summary: one record per fact and per entity, kept up to date as articles are written and removed.

Why: a stored query that counts the articles behind each fact, or dates it, would otherwise aggregate the
per-article graphs on every call, so its cost grew with the number of articles and not with its answer. The
workspace (``kg.store.Workspace``) updates this summary in the same write as the articles, for the facts and
entities those articles touch only, so a query reads one record per fact.

What is kept, all in the named graph ``SUMMARY_GRAPH``:

* a **fact record** per distinct fact ``(s, p, o)`` (a symmetric relation once per pair, from the end with the
  smaller IRI, as the property graph has it): ``ci:factSubject``, ``ci:factPredicate``, ``ci:factObject``, the
  articles that state it (``ci:statedIn``, each article's graph), ``ci:sources`` (see :func:`count_sources`),
  ``ci:firstReported`` and ``ci:lastReported`` (plain ``YYYY-MM-DD``: an article's date, else, undated, the day
  it was first ingested, :func:`article_day`) and ``ci:bestConfidence``;
* an **entity record** per entity or metric observation that an article mentions or a fact links:
  ``ci:degree`` (distinct other entities linked by a relation between entities, either direction; metrics and
  mentions left out), ``ci:factCount`` (fact records it is an end of, metrics included: 0 is an orphan) and
  ``ci:articleCount`` (articles that mention it);
* directories on the graph's own node, so that a query can start from a range of values rather than scan every
  record: ``ci:hasFirstReport`` (each first-report day in use) and ``ci:hasDegree`` (each degree in use).
  They may list a value no record has any more (harmless: it matches nothing).

The per-article graphs stay the source of truth (``--explain``, ``kg why`` and ``fact_sources`` read them):
:func:`rebuild` recomputes the whole summary from them, and a write that was interrupted (the store marks the
summary ``ci:summaryState "updating"`` first) is repaired that way when the workspace is next opened for writing.
The property graph (``kg.project``) reads its relationships' ``sources``, ``first_reported``, ``last_reported``,
``confidence`` and ``articles`` from these records: one definition of those numbers on every backend.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import cast

import pyoxigraph as ox

from ingest.kb import vocabulary
from ingest.rdf import ENTITIES_GRAPH, INGESTED
from ontology import NS

SUMMARY_GRAPH = "https://cikg.dev/graph/summary"
FACT = "https://cikg.dev/fact/"
SUMMARY_VERSION = "2"  # 2: a pair linked two ways in one batch counted once in ci:degree

_G = ox.NamedNode(SUMMARY_GRAPH)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = ox.NamedNode(_XSD + "integer")
_DECIMAL = ox.NamedNode(_XSD + "decimal")


def _ci(name: str) -> ox.NamedNode:
    return ox.NamedNode(NS + name)


SUBJECT, PREDICATE, OBJECT, STATED_IN = (_ci(n) for n in ("factSubject", "factPredicate", "factObject", "statedIn"))
SOURCES, FIRST, LAST, BEST = (_ci(n) for n in ("sources", "firstReported", "lastReported", "bestConfidence"))
DEGREE, FACT_COUNT, ARTICLE_COUNT = _ci("degree"), _ci("factCount"), _ci("articleCount")
HAS_FIRST, HAS_DEGREE, STATE, VERSION = (_ci(n) for n in ("hasFirstReport", "hasDegree", "summaryState",
                                                          "summaryVersion"))
GROUP, GROUP_FACT, HAS_CONFLICT = _ci("metricGroup"), _ci("groupFact"), _ci("hasConflict")
_REPORTS_METRIC = _ci("reportsMetric")
_METRIC_NAME, _PERIOD, _UNIT, _VALUE = (_ci(n) for n in ("metricName", "period", "unit", "value"))
_ENTITIES = ox.NamedNode(ENTITIES_GRAPH)
_MENTIONS = _ci("mentions")
_EVIDENCE = _ci("Evidence")
_CONFIDENCE = _ci("confidence")
_ENDED = _ci("ended")  # an evidence record of a fact its article says has ended: history, no current fact
_TYPE = ox.NamedNode(_RDF + "type")
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_PUBLISHED = ox.NamedNode("https://schema.org/datePublished")
_INGESTED = ox.NamedNode(INGESTED)
_UPDATING = ox.Literal("updating")

Key = tuple[str, str, str]  # (subject IRI, predicate IRI, object IRI), symmetric ones ordered
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _str(term: Term) -> str:
    """A term's lexical value (an IRI, a blank node's id, a literal's text)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def _node(term: Term) -> ox.NamedNode:
    """A summary object known to be an IRI (a fact record, an article graph)."""
    return cast(ox.NamedNode, term)


@cache
def _relations() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(every relation's IRI, the symmetric ones', those between entities: all but metrics)."""
    vocab = vocabulary()
    rels = frozenset(NS + r for r in vocab.relations)
    return rels, frozenset(NS + r for r in vocab.symmetric), rels - {NS + "reportsMetric"}


def fact_key(s: str, p: str, o: str) -> Key:
    """The fact as the summary keys it: a symmetric relation from the end with the smaller IRI."""
    if p in _relations()[1] and o < s:
        return o, p, s
    return s, p, o


def fact_iri(key: Key) -> str:
    """The fact record's IRI: a hash of the key, so that it can be found from the fact."""
    return FACT + hashlib.sha1(" ".join(key).encode("utf-8")).hexdigest()[:24]


def count_sources(store: ox.Store, graphs: Collection[ox.NamedNode]) -> int:
    """How many sources stand behind a fact stated in these article graphs: the one place this is counted.

    A source is a story (``kg.stories``): near-duplicate articles (a wire story in five outlets) count once, an
    article stored without a story counts as its own. Every query, the property graph and the figures read
    ``ci:sources`` as this writes it.
    """
    from kg.stories import count_stories

    return count_stories(store, graphs)


def article_day(store: ox.Store, graph: ox.NamedNode) -> str | None:
    """The day an article reports on: its date, else (undated) the day it was first ingested (``YYYY-MM-DD``)."""
    for q in store.quads_for_pattern(graph, _PUBLISHED, None, graph):
        return _str(q.object)[:10]
    for q in store.quads_for_pattern(graph, _INGESTED, None, graph):
        return _str(q.object)[:10]
    return None


@dataclass
class _Statements:
    """What one new article states: fact key -> best confidence in it, its day, what it mentions."""

    day: str | None = None
    facts: dict[Key, float] = field(default_factory=dict)
    mentions: set[str] = field(default_factory=set)


def statements(quads: Iterable[ox.Quad]) -> dict[str, _Statements]:
    """Article graph -> what it states, read from its quads (the evidence records name each fact)."""
    rels = _relations()[0]
    by_graph: dict[str, _Statements] = defaultdict(_Statements)
    evidence: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    published: dict[str, str] = {}
    ingested: dict[str, str] = {}
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or g.value in (ENTITIES_GRAPH, SUMMARY_GRAPH):
            continue
        p = q.predicate
        if p == _RDF_SUBJECT or p == _RDF_PREDICATE or p == _RDF_OBJECT or p == _CONFIDENCE or p == _ENDED:
            evidence[(g.value, _str(q.subject))][p.value] = _str(q.object)
        elif p == _MENTIONS:
            by_graph[g.value].mentions.add(_str(q.object))
        elif p == _PUBLISHED and q.subject == g:
            published[g.value] = _str(q.object)[:10]
        elif p == _INGESTED and q.subject == g:
            ingested[g.value] = _str(q.object)[:10]
        elif p == _TYPE and q.subject == g:
            by_graph[g.value]  # an article without facts or mentions still counts
    for (graph, _), ev in evidence.items():
        s, pred, o = ev.get(_RDF_SUBJECT.value), ev.get(_RDF_PREDICATE.value), ev.get(_RDF_OBJECT.value)
        if s is None or pred is None or o is None or pred not in rels or ev.get(_ENDED.value) == "true":
            continue
        key = fact_key(s, pred, o)
        conf = float(Decimal(ev.get(_CONFIDENCE.value, "0")))
        facts = by_graph[graph].facts
        facts[key] = max(conf, facts.get(key, 0.0))
    for graph, st in by_graph.items():
        st.day = published.get(graph) or ingested.get(graph)
    return dict(by_graph)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def _dec(value: float) -> ox.Literal:
    text = f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return ox.Literal(text, datatype=_DECIMAL)


def _value(store: ox.Store, node: ox.NamedNode, p: ox.NamedNode) -> Term | None:
    for q in store.quads_for_pattern(node, p, None, _G):
        return q.object
    return None


def _set(store: ox.Store, node: ox.NamedNode, p: ox.NamedNode, value: ox.Literal | None,
         add: list[ox.Quad], drop: list[ox.Quad]) -> None:
    """Queue ``node p value`` to replace what the summary has (``value`` None: remove it)."""
    old = list(store.quads_for_pattern(node, p, None, _G))
    if value is not None and len(old) == 1 and old[0].object == value:
        return
    drop.extend(old)
    if value is not None:
        add.append(ox.Quad(node, p, value, _G))


def _fact_confidence(store: ox.Store, graph: ox.NamedNode, key: Key) -> float:
    """The best confidence an article's evidence gives the fact (either way round for a symmetric one)."""
    s, p, o = key
    best = 0.0
    ends = [(s, o), (o, s)] if p in _relations()[1] else [(s, o)]
    pn = ox.NamedNode(p)
    for a, b in ends:
        an, bn = ox.NamedNode(a), ox.NamedNode(b)
        for q in store.quads_for_pattern(None, _RDF_SUBJECT, an, graph):
            ev = q.subject
            if (ox.Quad(ev, _RDF_PREDICATE, pn, graph) in store
                    and ox.Quad(ev, _RDF_OBJECT, bn, graph) in store):
                for c in store.quads_for_pattern(ev, _CONFIDENCE, None, graph):
                    best = max(best, float(Decimal(_str(c.object))))
    return best


def _pair_records(s: str, o: str) -> list[ox.NamedNode]:
    """Every fact record that could link ``s`` and ``o`` by a relation between entities (either way)."""
    between = _relations()[2]
    return [ox.NamedNode(fact_iri(fact_key(a, p, b))) for p in sorted(between) for a, b in ((s, o), (o, s))]


def _exists(store: ox.Store, record: ox.NamedNode) -> bool:
    return next(iter(store.quads_for_pattern(record, PREDICATE, None, _G)), None) is not None


def update(store: ox.Store, added: Mapping[str, _Statements], removed: Mapping[str, _Statements]) -> None:
    """Bring the summary up to date after the ``removed`` article graphs went (what each stated, read before they
    went) and the ``added`` ones were written: the facts and entities they touch are recomputed, nothing else."""
    between = _relations()[2]
    touched: dict[Key, None] = {}
    lost: dict[Key, set[str]] = defaultdict(set)
    for name, st in removed.items():
        for key in st.facts:
            touched[key] = None
            lost[key].add(name)
    stating: dict[Key, list[ox.NamedNode]] = defaultdict(list)
    for name, st in added.items():
        node = ox.NamedNode(name)
        for key in st.facts:
            touched[key] = None
            stating[key].append(node)
    add: list[ox.Quad] = []
    drop: list[ox.Quad] = []
    days: dict[str, str | None] = {g: st.day for g, st in added.items()}
    created: list[Key] = []
    deleted: list[Key] = []
    group_of: dict[Key, ox.NamedNode] = {}  # metric facts: their group (company, metric, period, unit)
    existing = {key: _exists(store, ox.NamedNode(fact_iri(key))) for key in touched}
    # a pair's link can only appear or go with a record made or emptied: check those pairs only
    # (each pair once, whichever end comes first: two relations of one pair made in one batch are one new link)
    pairs = {(min(k[0], k[2]), max(k[0], k[2])) for k in touched
             if k[1] in between and k[0] != k[2] and (not existing[k] or k in lost)}
    linked_before = {pair: any(_exists(store, r) for r in _pair_records(*pair)) for pair in pairs}
    for key in touched:
        f = ox.NamedNode(fact_iri(key))
        existed = existing[key]
        graphs = {_node(q.object) for q in store.quads_for_pattern(f, STATED_IN, None, _G)}
        gone = {ox.NamedNode(g) for g in lost.get(key, ())} & graphs
        new = stating.get(key, [])
        drop.extend(ox.Quad(f, STATED_IN, g, _G) for g in gone)
        add.extend(ox.Quad(f, STATED_IN, g, _G) for g in new if g not in graphs or g in gone)
        graphs = (graphs - gone) | set(new)
        if not graphs:
            if existed:
                drop.extend(q for q in store.quads_for_pattern(f, None, None, _G) if q.predicate != STATED_IN)
                deleted.append(key)
                grp = _value(store, f, GROUP)
                if isinstance(grp, ox.NamedNode):
                    group_of[key] = grp
                    drop.append(ox.Quad(grp, GROUP_FACT, f, _G))
                    drop.append(ox.Quad(_G, HAS_CONFLICT, f, _G))
            continue
        if existed and not gone:  # only new statements: combine with what the record says
            first, last, best = (_value(store, f, p) for p in (FIRST, LAST, BEST))
            dated = [d for g in new if (d := days.get(g.value))]
            firsts = [d for d in [_str(first) if first is not None else None, *dated] if d]
            lasts = [d for d in [_str(last) if last is not None else None, *dated] if d]
            confs = [float(Decimal(_str(best))) if best is not None else 0.0,
                     *(added[g.value].facts[key] for g in new)]
        else:  # a first statement, or some went: from every article that still states it
            for node in graphs:
                if node.value not in days:
                    days[node.value] = article_day(store, node)
            dated = [d for node in graphs if (d := days[node.value])]
            firsts = lasts = dated
            confs = [added[g.value].facts[key] if g.value in added else _fact_confidence(store, g, key)
                     for g in graphs]
        if not existed:
            s, p, o = key
            add += [ox.Quad(f, SUBJECT, ox.NamedNode(s), _G), ox.Quad(f, PREDICATE, ox.NamedNode(p), _G),
                    ox.Quad(f, OBJECT, ox.NamedNode(o), _G)]
            created.append(key)
            if p == _REPORTS_METRIC.value:
                grp = _metric_group(store, key)
                if grp is not None:
                    group_of[key] = grp
                    add += [ox.Quad(f, GROUP, grp, _G), ox.Quad(grp, GROUP_FACT, f, _G)]
        first_day = min(firsts) if firsts else None
        _set(store, f, SOURCES, _int(count_sources(store, graphs)), add, drop)
        _set(store, f, FIRST, ox.Literal(first_day) if first_day else None, add, drop)
        _set(store, f, LAST, ox.Literal(max(lasts)) if lasts else None, add, drop)
        _set(store, f, BEST, _dec(max(confs)), add, drop)
        if first_day:
            add.append(ox.Quad(_G, HAS_FIRST, ox.Literal(first_day), _G))
    _apply(store, add, drop)
    _conflicts(store, [k for k in touched if k[1] == _REPORTS_METRIC.value], set(created), group_of)
    # entities: the ends of records made or gone, and what the articles mention
    fact_delta: dict[str, int] = defaultdict(int)
    for keys, sign in ((created, 1), (deleted, -1)):
        for s, _, o in keys:
            fact_delta[s] += sign
            if o != s:
                fact_delta[o] += sign
    degree_delta: dict[str, int] = defaultdict(int)
    for pair, before in linked_before.items():
        after = any(_exists(store, r) for r in _pair_records(*pair))
        if after != before:
            for e in pair:
                degree_delta[e] += 1 if after else -1
    mention_delta: dict[str, int] = defaultdict(int)
    for st, sign in itertools.chain(((st, -1) for st in removed.values()), ((st, 1) for st in added.values())):
        for e in st.mentions:
            mention_delta[e] += sign
    add, drop = [], []
    for e in sorted(set(fact_delta) | set(degree_delta) | set(mention_delta)):
        node = ox.NamedNode(e)
        counts: dict[ox.NamedNode, int] = {}
        for prop, delta in ((FACT_COUNT, fact_delta), (DEGREE, degree_delta), (ARTICLE_COUNT, mention_delta)):
            old = _value(store, node, prop)
            counts[prop] = max(0, (int(_str(old)) if old is not None else 0) + delta.get(e, 0))
        keep = counts[FACT_COUNT] > 0 or counts[ARTICLE_COUNT] > 0
        for prop, n in counts.items():
            _set(store, node, prop, _int(n) if keep else None, add, drop)
        if keep:
            add.append(ox.Quad(_G, HAS_DEGREE, _int(counts[DEGREE]), _G))
    _apply(store, add, drop)


def _metric_group(store: ox.Store, key: Key) -> ox.NamedNode | None:
    """The group of a metric fact: the same company, metric name, period and unit (a value per observation)."""
    obs = ox.NamedNode(key[2])
    parts = [key[0]]
    for p in (_METRIC_NAME, _PERIOD, _UNIT):
        found = next(iter(store.quads_for_pattern(obs, p, None, _ENTITIES)), None)
        if found is None:
            return None  # no period: never compared (conflicting_metrics compares reports of one period)
        parts.append(_str(found.object))
    return ox.NamedNode(FACT + "metrics/" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24])


def _conflicts(store: ox.Store, keys: list[Key], created: set[Key], group_of: dict[Key, ox.NamedNode]) -> None:
    """Mark (``ci:hasConflict`` on the summary's node) each metric fact of the touched groups that another
    article contradicts: another value for the same company, metric, period and unit, the two not stated by one
    and the same single article."""
    groups: set[ox.NamedNode] = set(group_of.values())
    for key in keys:
        if key not in group_of:
            grp = _value(store, ox.NamedNode(fact_iri(key)), GROUP)
            if isinstance(grp, ox.NamedNode):
                groups.add(grp)
    add: list[ox.Quad] = []
    drop: list[ox.Quad] = []
    for grp in groups:
        members = []
        for q in store.quads_for_pattern(grp, GROUP_FACT, None, _G):
            f = _node(q.object)
            obs = _value(store, f, OBJECT)
            found = (next(iter(store.quads_for_pattern(obs, _VALUE, None, _ENTITIES)), None)
                     if isinstance(obs, ox.NamedNode) else None)
            stated = frozenset(q.object for q in itertools.islice(store.quads_for_pattern(f, STATED_IN, None, _G), 2))
            members.append((f, found.object if found is not None else None, stated))
        for f, value, stated in members:
            hit = any(v != value and not (len(stated) == 1 and stated == st)
                      for other, v, st in members if other != f)
            mark = ox.Quad(_G, HAS_CONFLICT, f, _G)
            if hit and mark not in store:
                add.append(mark)
            elif not hit and mark in store:
                drop.append(mark)
    _apply(store, add, drop)


def _apply(store: ox.Store, add: list[ox.Quad], drop: list[ox.Quad]) -> None:
    for q in drop:
        store.remove(q)
    if add:
        store.extend(add)


def graph_statements(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> dict[str, _Statements]:
    """What stored article graphs state (read before they are removed or replaced)."""
    out: dict[str, _Statements] = {}
    for g in graphs:
        st = statements(store.quads_for_pattern(None, None, None, g)).get(g.value)
        if st is not None:
            out[g.value] = st
    return out


def mark_updating(store: ox.Store) -> None:
    store.add(ox.Quad(_G, STATE, _UPDATING, _G))


def mark_done(store: ox.Store) -> None:
    """The update is complete; a workspace left without articles keeps no summary either."""
    if not any(g.value not in (ENTITIES_GRAPH, SUMMARY_GRAPH) for g in store.named_graphs()
               if isinstance(g, ox.NamedNode)):
        store.remove_graph(_G)
        return
    store.remove(ox.Quad(_G, STATE, _UPDATING, _G))
    version = ox.Literal(SUMMARY_VERSION)
    if ox.Quad(_G, VERSION, version, _G) not in store:
        for q in list(store.quads_for_pattern(_G, VERSION, None, _G)):
            store.remove(q)
        store.add(ox.Quad(_G, VERSION, version, _G))


def is_current(store: ox.Store) -> bool:
    """Whether the summary is complete and of this version (else :func:`rebuild` makes it so)."""
    return (ox.Quad(_G, VERSION, ox.Literal(SUMMARY_VERSION), _G) in store
            and ox.Quad(_G, STATE, _UPDATING, _G) not in store)


def article_graph_nodes(store: ox.Store) -> list[ox.NamedNode]:
    return [g for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value not in (ENTITIES_GRAPH, SUMMARY_GRAPH)]


def rebuild(store: ox.Store, batch: int = 2000) -> None:
    """The whole summary recomputed from the article graphs (a workspace made before it, or an interrupted write)."""
    mark_updating(store)
    store.remove_graph(_G)
    mark_updating(store)
    graphs = article_graph_nodes(store)
    for i in range(0, len(graphs), batch):
        update(store, graph_statements(store, graphs[i:i + batch]), {})
    mark_done(store)


def needs_rebuild(store: ox.Store) -> bool:
    """True when the summary is missing, of another version or was left half-written, and there are articles."""
    if is_current(store):
        return False
    return bool(article_graph_nodes(store)) or store.contains_named_graph(_G)
