"""Facts about entities, read from the workspace with their provenance: what the entity page, the neighbourhood
picture (``kg viz``, the graph page) and the brief (``kg brief``) show.

A fact is (subject, predicate, object) between two entities, with the number of articles that state it
(``sources``) and the earliest day one of them was published (``first_reported``; an undated article counts
from the day it was first ingested, as in ``facts_since``). A symmetric fact (competesWith, partnersWith) is one
fact per pair, whichever way the articles state it. Evidence (article, date, headline, sentence) is read for
many facts in one query, by IRI, so a name shared by two entities never mixes their sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ingest.kb import vocabulary
from ingest.model import InputError
from kg.store import Workspace
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


def facts_touching(ws: Workspace, iris: Iterable[str], predicates: Iterable[str] | None = None) -> list[Fact]:
    """Every fact with one end among ``iris`` (predicates: local names; default every relation)."""
    nodes = sorted(set(iris))
    if not nodes:
        return []
    preds = " ".join(f"ci:{p}" for p in (predicates or relation_predicates()))
    sym = ", ".join(f"ci:{p}" for p in sorted(symmetric()))
    rows = ws.query(f"""
SELECT ?a ?p ?b (COUNT(DISTINCT ?g) AS ?sources) (MIN(?day) AS ?first) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o ?g WHERE {{
    VALUES ?x {{ {_values(nodes)} }} VALUES ?p {{ {preds} }}
    {{ GRAPH ?g {{ ?x ?p ?o }} BIND(?x AS ?s) }} UNION {{ GRAPH ?g {{ ?s ?p ?x }} BIND(?x AS ?o) }}
  }} }}
  BIND(?p IN ({sym}) && STR(?o) < STR(?s) AS ?swap)
  BIND(IF(?swap, ?o, ?s) AS ?a) BIND(IF(?swap, ?s, ?o) AS ?b)
  {_day()}
}} GROUP BY ?a ?p ?b""")
    facts = [Fact(str(r["a"]), local(str(r["p"])), str(r["b"]), int(r["sources"]),
                  _opt(r["first"])) for r in rows]
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


def evidence_for(ws: Workspace, facts: Iterable[tuple[str, str, str]], per_fact: int | None = None
                 ) -> dict[tuple[str, str, str], list[Evidence]]:
    """The evidence of each fact (subject IRI, predicate local name or IRI, object IRI), oldest article first.

    A symmetric fact's evidence is read both ways. ``per_fact`` keeps only that many articles' worth per fact.
    """
    wanted = {(s, p if p.startswith("http") else NS + p, o) for s, p, o in facts}
    if not wanted:
        return {}
    sym = {NS + p for p in symmetric()}
    both = wanted | {(o, p, s) for s, p, o in wanted if p in sym}
    out: dict[tuple[str, str, str], list[Evidence]] = {}
    items = sorted(both)
    for i in range(0, len(items), 300):
        rows_text = " ".join(f"({term(s)} {term(p)} {term(o)})" for s, p, o in items[i:i + 300])
        rows = ws.query(f"""
SELECT ?s ?p ?o ?g ?aid ?title ?date ?sentence ?start WHERE {{
  VALUES (?s ?p ?o) {{ {rows_text} }}
  GRAPH ?g {{ ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ci:sentence ?sentence .
             OPTIONAL {{ ?ev ci:start ?start }} ?g ci:articleId ?aid . OPTIONAL {{ ?g schema:headline ?title }}
             OPTIONAL {{ ?g schema:datePublished ?d }} OPTIONAL {{ ?g schema:sdDatePublished ?i }} }}
  BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?date)
}}""")
        for r in rows:
            s, p, o = str(r["s"]), str(r["p"]), str(r["o"])
            key = (s, p, o) if (s, p, o) in wanted else (o, p, s)
            start = r["start"]
            out.setdefault((key[0], local(key[1]), key[2]), []).append(Evidence(
                str(r["aid"]), str(r["g"]), str(r["title"] or ""), _opt(r["date"]), str(r["sentence"]),
                int(start) if isinstance(start, int | float) else None))
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
