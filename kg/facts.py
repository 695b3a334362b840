"""Facts about entities, read from the workspace with their provenance: what the entity page, the neighbourhood
picture (``kg viz``, the graph page) and the brief (``kg brief``) show.

A fact is (subject, predicate, object) between two entities, with the number of stories that state it
(``sources``: near-duplicate copies of one story count once, ``kg.stories``) and the earliest day one of the
articles was published (``first_reported``; an undated article counts from the day it was first ingested, as in
``facts_since``). A symmetric fact (competesWith, partnersWith) is one
fact per pair, whichever way the articles state it. Evidence (article, date, headline, sentence) is read for
many facts in one query, by IRI, so a name shared by two entities never mixes their sources.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ingest.kb import vocabulary
from ingest.model import InputError
from kg.store import PREFIXES, Workspace
from ontology import NS

SKIP_TYPES = ("Article", "MetricObservation", "Evidence")


def relation_predicates() -> list[str]:
    """The ontology's relations between entities (local names), metrics left out."""
    return sorted(p for p in vocabulary().relations if p != "reportsMetric")


def symmetric() -> frozenset[str]:
    return frozenset(vocabulary().symmetric)


def term(iri: str) -> str:
    """An IRI as SPARQL text (Oxigraph checks it and escapes it: no IRI can become query text)."""
    return str(ox.NamedNode(iri))


def _values(iris: Iterable[str]) -> str:
    return " ".join(term(i) for i in iris)


def local(iri: str) -> str:
    return iri[len(NS):] if iri.startswith(NS) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Fact:
    subject: str  # IRI
    predicate: str  # local name: develops, usesChip...
    object: str  # IRI
    sources: int
    first_reported: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


@dataclass(frozen=True)
class Evidence:
    article: str  # article id (its URL, or a hash)
    graph: str  # the article's IRI (its graph)
    title: str
    date: str | None
    sentence: str
    start: int | None


def _day() -> str:
    """Binds ?day: the article's date, else the day it was first ingested."""
    return ("OPTIONAL { GRAPH ?g { ?g schema:datePublished ?d } } "
            "OPTIONAL { GRAPH ?g { ?g schema:sdDatePublished ?i } } "
            "BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?day)")


_ARTICLES = """SELECT ?g ?id ?title ?d ?i ?story WHERE { GRAPH ?g { ?g ci:articleId ?id
  OPTIONAL { ?g schema:headline ?title } OPTIONAL { ?g schema:datePublished ?d }
  OPTIONAL { ?g schema:sdDatePublished ?i } OPTIONAL { ?g ci:story ?story } } }"""


@dataclass(frozen=True)
class ArticleMeta:
    id: str
    title: str
    day: str | None  # published, else (undated) the day it was first ingested
    story: str = ""  # its story (kg.stories: near-duplicate copies share one), else its own graph


_META_LOCK = threading.Lock()  # one reader per workspace builds it; a server's other threads wait for it


def article_meta(ws: Workspace) -> dict[str, ArticleMeta]:
    """Article graph -> id, headline and day, read once per open workspace (one query; 10,000 articles: ~0.2 s)."""
    cached = ws.__dict__.get("_kg_article_meta")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    with _META_LOCK:
        cached = ws.__dict__.get("_kg_article_meta")
        if cached is None:
            cached = {}
            for r in ws.query(_ARTICLES):
                day = str(r["d"]) if r["d"] is not None else (str(r["i"])[:10] if r["i"] is not None else None)
                cached[str(r["g"])] = ArticleMeta(str(r["id"]), str(r["title"] or ""), day,
                                                  str(r["story"] or r["g"]))
            ws.__dict__["_kg_article_meta"] = cached
    return cached


def mentioned_in(ws: Workspace, iri: str) -> list[str]:
    """The article graphs whose article mentions ``iri`` (``?g ci:mentions iri`` in its own graph), read from the
    quad index: a hub is mentioned by thousands, and a SPARQL query over them cost several times as much."""
    mentions = ox.NamedNode(NS + "mentions")
    return list(dict.fromkeys(g.value for q in ws.store.quads_for_pattern(None, mentions, ox.NamedNode(iri), None)
                              if isinstance(g := q.graph_name, ox.NamedNode) and q.subject == g))


def facts_touching(ws: Workspace, iris: Iterable[str], predicates: Iterable[str] | None = None) -> list[Fact]:
    """Every fact with one end among ``iris`` (predicates: local names; default every relation).

    The statements are read from Oxigraph's quad index (one end and the predicate constant, each graph a quad)
    and counted here, with the articles' days from ``article_meta``: a join on each article's date inside the
    query was twice as slow for a hub entity, and the same reads as one SPARQL query (VALUES, UNION, DISTINCT)
    took twice as long as the index itself.
    """
    nodes = sorted(set(iris))
    if not nodes:
        return []
    preds = [ox.NamedNode(NS + p) for p in (predicates or relation_predicates())]
    sym = {NS + p for p in symmetric()}
    meta = article_meta(ws)
    store = ws.store
    graphs: dict[tuple[str, str, str], set[str]] = {}
    for x in nodes:
        node = ox.NamedNode(x)
        for pred in preds:
            p = pred.value
            for outward in (True, False):
                found = (store.quads_for_pattern(node, pred, None, None) if outward
                         else store.quads_for_pattern(None, pred, node, None))
                for q in found:
                    g = q.graph_name
                    if not isinstance(g, ox.NamedNode):  # the default graph: no article's statement
                        continue
                    s, o = (x, _text(q.object)) if outward else (_text(q.subject), x)
                    if p in sym and o < s:  # a symmetric fact once per pair, from the end with the smaller IRI
                        s, o = o, s
                    graphs.setdefault((s, p, o), set()).add(g.value)
    facts = []
    for (s, p, o), gs in graphs.items():
        days = [d for g in gs if (d := meta[g].day if g in meta else None)]
        stories = {meta[g].story if g in meta else g for g in gs}  # copies of one story are one source
        facts.append(Fact(s, local(p), o, len(stories), min(days) if days else None))
    facts.sort(key=lambda f: (f.predicate, f.subject, f.object))
    return facts


def _opt(v: object) -> str | None:
    return None if v is None else str(v)


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    type: str  # class local name


def describe(ws: Workspace, iris: Iterable[str]) -> dict[str, Node]:
    """Label and class of each of ``iris`` that the workspace describes."""
    nodes = sorted(set(iris))
    out: dict[str, Node] = {}
    for i in range(0, len(nodes), 500):
        rows = ws.query(f"""SELECT ?e ?label ?type WHERE {{ VALUES ?e {{ {_values(nodes[i:i + 500])} }}
            ?e rdfs:label ?label ; a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:))) }}""")
        for r in rows:
            e = str(r["e"])
            if e not in out or out[e].type in SKIP_TYPES:
                out[e] = Node(e, str(r["label"]), local(str(r["type"])))
    return out


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


def _fewer(a: Iterator[ox.Quad], b: Iterator[ox.Quad]) -> tuple[list[ox.Quad], bool]:
    """The records of whichever iterator ends first (read in step: the cost is twice the shorter), and whether
    that was ``a``."""
    seen_a: list[ox.Quad] = []
    seen_b: list[ox.Quad] = []
    while True:
        x = next(a, None)
        if x is None:
            return seen_a, True
        seen_a.append(x)
        y = next(b, None)
        if y is None:
            return seen_b, False
        seen_b.append(y)


def evidence_for(ws: Workspace, facts: Iterable[tuple[str, str, str]], per_fact: int | None = None,
                 avoid: str | None = None) -> dict[tuple[str, str, str], list[Evidence]]:
    """The evidence of each fact (subject IRI, predicate local name or IRI, object IRI), oldest article first.

    A symmetric fact's evidence is read both ways. ``per_fact`` keeps only that many articles' worth per fact.
    The evidence records are found through Oxigraph's quad index from the end of each fact that has fewer of
    them (a hub such as the company of a brief has thousands), and checked against the other two terms by index
    too (both ends are read in step). The records of ``avoid`` (the company of a brief) are read in two queries
    instead. A SPARQL query per fact took 30 ms at 10,000 articles, a ``VALUES`` list of them scanned every record.
    """
    wanted = {(s, p if p.startswith("http") else NS + p, o) for s, p, o in facts}
    if not wanted:
        return {}
    sym = {NS + p for p in symmetric()}
    both = wanted | {(o, p, s) for s, p, o in wanted if p in sym}
    meta = article_meta(ws)
    store = ws.store
    r_subject, r_predicate, r_object = (ox.NamedNode(_RDF + t) for t in ("subject", "predicate", "object"))
    sentence_p, start_p = ox.NamedNode(NS + "sentence"), ox.NamedNode(NS + "start")
    out: dict[tuple[str, str, str], list[Evidence]] = {}

    def add(st: tuple[str, str, str], g: str, sentence: str, start: int | None) -> None:
        key = st if st in wanted else (st[2], st[1], st[0])
        m = meta.get(g)
        out.setdefault((key[0], local(key[1]), key[2]), []).append(Evidence(
            m.id if m else g, g, m.title if m else "", m.day if m else None, sentence, start))

    rest = set(both)
    if avoid is not None:  # the hub's own records in two queries (by index: it is a constant), kept where wanted
        hub = [st for st in both if avoid in (st[0], st[2])]
        preds = " ".join(term(p) for p in sorted({p for _, p, _ in hub}))
        for side in ("subject", "object") if hub else ():
            other = "object" if side == "subject" else "subject"
            rows = store.query(f"""SELECT ?p ?x ?g ?sentence ?start WHERE {{ VALUES ?p {{ {preds} }} GRAPH ?g {{
                ?ev rdf:{side} {term(avoid)} ; rdf:predicate ?p ; rdf:{other} ?x ; ci:sentence ?sentence
                OPTIONAL {{ ?ev ci:start ?start }} }} }}""", prefixes=PREFIXES)
            for r in rows:  # type: ignore[union-attr]
                x = r["x"].value
                st = (avoid, r["p"].value, x) if side == "subject" else (x, r["p"].value, avoid)
                if st in both:
                    start = r["start"]
                    add(st, r["g"].value, r["sentence"].value, int(start.value) if start is not None else None)
        rest -= set(hub)
    for st in sorted(rest):
        s, p, o = st
        subject, obj, pred = ox.NamedNode(s), ox.NamedNode(o), ox.NamedNode(p)
        records, by_object = _fewer(store.quads_for_pattern(None, r_object, obj, None),
                                    store.quads_for_pattern(None, r_subject, subject, None))
        other_end, other_p = (subject, r_subject) if by_object else (obj, r_object)
        for q in records:
            ev, g = q.subject, q.graph_name
            if next(store.quads_for_pattern(ev, other_p, other_end, g), None) is None:
                continue
            if next(store.quads_for_pattern(ev, r_predicate, pred, g), None) is None:
                continue
            sentence = next(store.quads_for_pattern(ev, sentence_p, None, g), None)
            if sentence is None:
                continue
            start = next(store.quads_for_pattern(ev, start_p, None, g), None)
            add(st, g.value if isinstance(g, ox.NamedNode) else str(g), _text(sentence.object),
                int(_text(start.object)) if start is not None else None)
    for key, evs in out.items():
        seen: set[tuple[str, str]] = set()
        unique = []
        for e in sorted(evs, key=lambda e: (e.date or "9999", e.article, e.start or 0)):
            if (e.graph, e.sentence) not in seen:
                seen.add((e.graph, e.sentence))
                unique.append(e)
        if per_fact is not None:
            graphs: list[str] = []
            kept = []
            for e in unique:
                if e.graph not in graphs:
                    if len(graphs) >= per_fact:
                        continue
                    graphs.append(e.graph)
                kept.append(e)
            unique = kept
        out[key] = unique
    return out


_ENDED_KEY = "_kg_ended_records"


def _ended_graphs(ws: Workspace) -> dict[tuple[str, str, str], set[str]]:
    """(s, predicate IRI, o) -> the graphs whose evidence record of it says it has ended (no triple states those
    facts, so the triple's own graphs miss them). Read once per open workspace: such records are few."""
    cached = ws.__dict__.get(_ENDED_KEY)
    if cached is None:
        cached = {}
        store = ws.store
        r_subject, r_predicate, r_object = (ox.NamedNode(_RDF + t) for t in ("subject", "predicate", "object"))
        for q in store.quads_for_pattern(None, ox.NamedNode(NS + "ended"), None, None):
            ev, g = q.subject, q.graph_name
            ends = [next(store.quads_for_pattern(ev, p, None, g), None) for p in (r_subject, r_predicate, r_object)]
            if all(e is not None for e in ends) and isinstance(g, ox.NamedNode):
                key = tuple(_text(e.object) for e in ends if e is not None)
                cached.setdefault(key, set()).add(g.value)
        ws.__dict__[_ENDED_KEY] = cached
    return cached


def first_evidence(ws: Workspace, facts: Iterable[tuple[str, str, str]], per_fact: int
                   ) -> dict[tuple[str, str, str], tuple[list[Evidence], int]]:
    """Per fact: its evidence in its ``per_fact`` oldest articles, and how many articles hold evidence of it.

    What ``evidence_for(ws, facts)`` gives, cut to the first ``per_fact`` articles, with the count of all of
    them, but at a cost in proportion to ``per_fact`` rather than to the fact's sources (a brief cites hundreds
    of facts, a hub's with thousands of articles each): the articles stating a fact are found by the triple
    itself (all three terms known: one index lookup), each with its day from ``article_meta``, plus those whose
    record says the fact ended; only the oldest are read for their sentences. Every article graph that states
    a triple holds its evidence record (``ingest.rdf`` writes both, ``kg.merges`` rewrites both), so the count
    needs no read of the others.
    """
    wanted = {(s, p if p.startswith("http") else NS + p, o) for s, p, o in facts}
    if not wanted:
        return {}
    sym = {NS + p for p in symmetric()}
    meta = article_meta(ws)
    ended = _ended_graphs(ws)
    store = ws.store
    r_subject, r_predicate, r_object = (ox.NamedNode(_RDF + t) for t in ("subject", "predicate", "object"))
    sentence_p, start_p = ox.NamedNode(NS + "sentence"), ox.NamedNode(NS + "start")
    out: dict[tuple[str, str, str], tuple[list[Evidence], int]] = {}
    for s, p, o in sorted(wanted):
        ways = [(s, p, o)] + ([(o, p, s)] if p in sym and o != s else [])
        graphs: set[str] = set()
        for a, b, c in ways:
            graphs.update(q.graph_name.value for q in store.quads_for_pattern(
                ox.NamedNode(a), ox.NamedNode(b), ox.NamedNode(c), None) if isinstance(q.graph_name, ox.NamedNode))
            graphs.update(ended.get((a, b, c), ()))
        ordered = sorted((g for g in graphs if g in meta), key=lambda g: (meta[g].day or "9999", meta[g].id))
        found: list[Evidence] = []
        read = 0
        total = len(ordered)
        for g in ordered:
            if read >= per_fact:
                break
            gn = ox.NamedNode(g)
            m = meta[g]
            here: list[Evidence] = []
            for a, b, c in ways:
                subject, obj, pred = ox.NamedNode(a), ox.NamedNode(c), ox.NamedNode(b)
                records, by_object = _fewer(store.quads_for_pattern(None, r_object, obj, gn),
                                            store.quads_for_pattern(None, r_subject, subject, gn))
                other_end, other_p = (subject, r_subject) if by_object else (obj, r_object)
                for q in records:
                    ev = q.subject
                    if next(store.quads_for_pattern(ev, other_p, other_end, gn), None) is None:
                        continue
                    if next(store.quads_for_pattern(ev, r_predicate, pred, gn), None) is None:
                        continue
                    sentence = next(store.quads_for_pattern(ev, sentence_p, None, gn), None)
                    if sentence is None:
                        continue
                    start = next(store.quads_for_pattern(ev, start_p, None, gn), None)
                    here.append(Evidence(m.id, g, m.title, m.day, _text(sentence.object),
                                         int(_text(start.object)) if start is not None else None))
            if not here:  # no record after all (not written by ingest): not a source
                total -= 1
                continue
            read += 1
            found += here
        seen: set[tuple[str, str]] = set()
        unique = []
        for e in sorted(found, key=lambda e: (e.date or "9999", e.article, e.start or 0)):
            if (e.graph, e.sentence) not in seen:
                seen.add((e.graph, e.sentence))
                unique.append(e)
        if total:
            out[(s, local(p), o)] = (unique, total)
    return out


# --- the neighbourhood of an entity -------------------------------------------------------------------------


@dataclass
class Neighbourhood:
    center: str
    hops: int
    nodes: dict[str, Node] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)  # hops from the centre
    truncated: bool = False  # more entities were in reach than ``max_nodes``
    reachable: int = 0  # entities within ``hops`` before the cut

    def to_dict(self) -> dict[str, object]:
        return {"center": self.center, "hops": self.hops, "truncated": self.truncated, "reachable": self.reachable,
                "nodes": [{"id": n.iri, "label": n.label, "type": n.type, "depth": self.depth.get(n.iri, 0)}
                          for n in self.nodes.values()],
                "edges": [{"id": f"{f.subject} {f.predicate} {f.object}", "source": f.subject, "target": f.object,
                           "type": f.predicate, "sources": f.sources, "first_reported": f.first_reported}
                          for f in self.facts]}


MAX_HOPS = 3
MAX_NODES = 120


def neighbourhood(ws: Workspace, center: str, hops: int = 1, predicates: Iterable[str] | None = None,
                  max_nodes: int = MAX_NODES) -> Neighbourhood:
    """The entities within ``hops`` facts of ``center`` (1 to 3) and the facts between them.

    Past ``max_nodes`` entities the farthest ring keeps the best-sourced ones (``truncated`` says so).
    """
    if not 1 <= hops <= MAX_HOPS:
        raise InputError(f"hops must be from 1 to {MAX_HOPS}, got {hops}")
    preds = list(predicates) if predicates else relation_predicates()
    unknown = sorted(set(preds) - set(relation_predicates()))
    if unknown:
        raise InputError(f"unknown relation type {unknown[0]!r} (one of: {', '.join(relation_predicates())})")
    described = describe(ws, [center])
    if center not in described:
        raise InputError(f"no entity {center!r} in the workspace")
    nb = Neighbourhood(center, hops)
    nb.depth = {center: 0}
    frontier = [center]
    facts: dict[tuple[str, str, str], Fact] = {}
    for depth in range(1, hops + 1):
        found = facts_touching(ws, frontier, preds)
        weight: dict[str, int] = {}
        for f in found:
            facts[f.key] = f
            for end in (f.subject, f.object):
                if end not in nb.depth:
                    weight[end] = weight.get(end, 0) + f.sources
        nb.reachable = len(nb.depth) + len(weight)
        room = max_nodes - len(nb.depth)
        ranked = sorted(weight, key=lambda n: (-weight[n], n))
        if len(ranked) > room:
            nb.truncated = True
            ranked = ranked[:max(room, 0)]
        for n in ranked:
            nb.depth[n] = depth
        frontier = ranked
        if not frontier or nb.truncated:
            break
    nb.nodes = {i: n for i, n in describe(ws, nb.depth).items() if n.type not in SKIP_TYPES}
    nb.facts = sorted((f for f in facts.values() if f.subject in nb.nodes and f.object in nb.nodes),
                      key=lambda f: (f.predicate, f.subject, f.object))
    return nb


# --- GraSS: the Neo4j Browser style sheet (ontology/neo4j/style.grass) -----------------------------------------


@dataclass(frozen=True)
class Style:
    color: str
    border: str
    text: str
    diameter: int


def grass_styles() -> dict[str, Style]:
    """Colours and sizes per node label from the shipped GraSS file (``node`` is the default for any other)."""
    from ontology import NEO4J_DIR

    text = (NEO4J_DIR / "style.grass").read_text(encoding="utf-8")
    styles: dict[str, Style] = {}
    for m in re.finditer(r"node(?:\.(\w+))?\s*\{([^}]*)\}", text):
        props = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", m.group(2)))

        def colour(key: str, default: str, props: dict[str, str] = props) -> str:
            value = props.get(key, default).strip().strip('"')
            return value if re.fullmatch(r"#[0-9A-Fa-f]{3,8}", value) else default

        diameter = re.match(r"\d+", props.get("diameter", "50"))
        styles[m.group(1) or "node"] = Style(colour("color", "#A5ABB6"), colour("border-color", "#9AA1AC"),
                                             colour("text-color-internal", "#FFFFFF"),
                                             int(diameter.group(0)) if diameter else 50)
    styles.setdefault("node", Style("#A5ABB6", "#9AA1AC", "#FFFFFF", 50))
    return styles


def style_for(styles: dict[str, Style], type_: str) -> Style:
    return styles.get(type_, styles["node"])
