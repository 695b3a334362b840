"""The one mapping from the RDF graph to a property graph; NetworkX and Neo4j are two sinks of it.

Nodes: every typed entity, metric observation and article; labels are rdf:type local names (``Company``,
``AIModel``, ``Article``...). Relationships: every ontology object property between them, typed by its
name in UPPER_SNAKE_CASE (``develops`` -> ``DEVELOPS``, ``usesChip`` -> ``USES_CHIP``), carrying its
provenance: how many articles state it, their ids, the earliest and latest date, the best confidence (the fact
records of ``kg.summary``, the numbers the stored queries read). A symmetric
property (read from the ontology) gives one relationship per pair, whichever way the articles state it: from
the end with the smaller IRI to the other, with ``symmetric: true``. Stored Cypher matches it undirected
(``-[:COMPETES_WITH]-``), so it is found from either end and a pair is never listed, or drawn, twice.
Articles link to what they mention (``MENTIONS``), so provenance is reachable by traversal too.

A relationship's ``first_reported`` is the earliest date of the articles that state it: the date an article
gives (metadata, dateline, first sentence), else for an undated article the day it was first ingested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ingest.kb import vocabulary
from kg.periods import add_history
from kg.store import Workspace
from kg.summary import SUMMARY_GRAPH
from ontology import NS

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class Node:
    id: str  # the IRI
    labels: tuple[str, ...]
    props: dict[str, Any] = field(default_factory=dict)  # name -> str, int, float, bool or a list of them


@dataclass
class Rel:
    src: str
    type: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class PropertyGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    rels: list[Rel] = field(default_factory=list)

    def label_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for n in self.nodes.values():
            for label in n.labels:
                counts[label] = counts.get(label, 0) + 1
        return dict(sorted(counts.items()))

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rels:
            counts[r.type] = counts.get(r.type, 0) + 1
        return dict(sorted(counts.items()))


def rel_type(local_name: str) -> str:
    """``usesChip`` -> ``USES_CHIP``: the Neo4j convention for relationship types."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local_name).upper()


# Each pattern is made DISTINCT in its own sub-select before the join: the union graph repeats a triple once
# per graph that holds it (entity descriptions are stored once, in ingest.rdf.ENTITIES_GRAPH, but facts,
# aliases and article triples are per article), and a direct join of repeated patterns multiplies them.
_NODES = """
SELECT ?n ?type ?label WHERE {
  { SELECT DISTINCT ?n ?type WHERE { ?n a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:))) } }
  { SELECT DISTINCT ?n ?label WHERE { ?n rdfs:label|schema:headline ?label } }
}"""
_ENTITY_PROPS = """
SELECT ?n ?known ?wikidata (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases) WHERE {
  { SELECT DISTINCT ?n ?known WHERE { ?n ci:known ?known } }
  OPTIONAL { SELECT DISTINCT ?n ?alias WHERE { ?n skos:altLabel ?alias } }
  OPTIONAL { SELECT DISTINCT ?n ?wikidata WHERE { ?n skos:exactMatch ?wikidata } }
} GROUP BY ?n ?known ?wikidata"""
_METRICS = """
SELECT ?n ?name ?value ?unit ?period WHERE {
  { SELECT DISTINCT ?n WHERE { ?n a ci:MetricObservation } }
  { SELECT DISTINCT ?n ?name WHERE { ?n ci:metricName ?name } }
  { SELECT DISTINCT ?n ?value WHERE { ?n ci:value ?value } }
  { SELECT DISTINCT ?n ?unit WHERE { ?n ci:unit ?unit } }
  OPTIONAL { SELECT DISTINCT ?n ?period WHERE { ?n ci:period ?period } }
}"""
_ARTICLES = """
SELECT ?n ?id ?title ?date ?url ?source ?story WHERE {
  ?n a ci:Article ; ci:articleId ?id ; schema:headline ?title .
  OPTIONAL { ?n schema:datePublished ?date } OPTIONAL { ?n schema:url ?url } OPTIONAL { ?n ci:source ?source }
  OPTIONAL { ?n ci:story ?story }
}"""
def _text(term: object) -> str:
    """An IRI's or a literal's lexical value."""
    return str(getattr(term, "value", term))


_ARTICLE_IDS = "SELECT ?g ?aid WHERE { GRAPH ?g { ?g ci:articleId ?aid } }"


def fact_records(ws: Workspace) -> list[dict[str, Any]]:
    """The summary's fact records (``kg.summary``), one dict each: ``s``, ``p``, ``o``, ``sources``, ``first``,
    ``last``, ``confidence`` and ``articles`` (the ids of the articles that state it).

    Relationships are these records: their sources, dates and confidence are the numbers the stored queries read
    on the workspace, one definition for every backend. Read a property at a time from the summary graph's quads
    and joined here: as one SPARQL join with the article graphs and GROUP_CONCAT it took minutes at 10,000
    articles (Oxigraph), this takes seconds.
    """
    g = ox.NamedNode(SUMMARY_GRAPH)
    ids = {str(row["g"]): str(row["aid"]) for row in ws.query(_ARTICLE_IDS)}

    def values(name: str) -> dict[str, str]:
        return {_text(q.subject): _text(q.object) for q in ws.store.quads_for_pattern(None, ox.NamedNode(NS + name),
                                                                                       None, g)}

    subject, predicate, object_ = values("factSubject"), values("factPredicate"), values("factObject")
    sources, confidence = values("sources"), values("bestConfidence")
    first, last = values("firstReported"), values("lastReported")
    articles: dict[str, list[str]] = {}
    for q in ws.store.quads_for_pattern(None, ox.NamedNode(NS + "statedIn"), None, g):
        if _text(q.object) in ids:
            articles.setdefault(_text(q.subject), []).append(ids[_text(q.object)])
    return [{"s": s, "p": predicate[f], "o": object_[f], "sources": sources[f], "confidence": confidence[f],
             "first": first.get(f), "last": last.get(f), "articles": articles[f]}
            for f, s in subject.items()
            if f in predicate and f in object_ and f in sources and f in confidence and f in articles]
_MENTIONS = "SELECT DISTINCT ?a ?e WHERE { ?a ci:mentions ?e }"


def project(ws: Workspace) -> PropertyGraph:
    """Map the workspace's RDF graph to a :class:`PropertyGraph` (deterministic order)."""
    vocab = vocabulary()
    pg = PropertyGraph()
    for row in ws.query(_NODES):
        local = str(row["type"])[len(NS):]
        if local not in vocab.classes:
            continue
        node = pg.nodes.get(row["n"])
        if node is None:
            pg.nodes[row["n"]] = Node(row["n"], (local,), {"iri": row["n"], "name": row["label"], "kind": local})
        elif local not in node.labels:
            node.labels = tuple(sorted((*node.labels, local)))
    for row in ws.query(_ENTITY_PROPS):
        node = pg.nodes.get(row["n"])
        if node is None:
            continue
        node.props["known"] = bool(row["known"])
        aliases = sorted(a for a in str(row["aliases"] or "").split("\x1f") if a)
        if aliases:
            node.props["aliases"] = aliases
        if row["wikidata"]:
            node.props["wikidata"] = str(row["wikidata"]).rsplit("/", 1)[-1]
    for row in ws.query(_METRICS):
        node = pg.nodes.get(row["n"])
        if node is not None:
            node.props.update({"metric": row["name"], "value": row["value"], "unit": row["unit"]})
            if row["period"] is not None:
                node.props["period"] = row["period"]
    for row in ws.query(_ARTICLES):
        node = pg.nodes.get(row["n"])
        if node is None:
            continue
        node.props.update({"id": row["id"], "name": row["title"], "title": row["title"]})
        for key in ("date", "url", "source"):
            if row[key] is not None:
                node.props[key] = row[key]
        if row["story"] is not None:  # near-duplicate copies share it (kg.stories): match them by it in Cypher
            node.props["story"] = row["story"]
    for row in fact_records(ws):
        local = str(row["p"])[len(NS):]
        if local not in vocab.relations or row["s"] not in pg.nodes or row["o"] not in pg.nodes:
            continue
        props = {
            "predicate": local,
            "sources": int(row["sources"]),
            "articles": sorted(row["articles"]),
            "confidence": float(row["confidence"]),
        }
        if row["first"]:
            props["first_reported"] = row["first"]
        if row["last"]:
            props["last_reported"] = row["last"]
        src, dst = row["s"], row["o"]
        if local in vocab.symmetric:
            props["symmetric"] = True
            src, dst = min(src, dst), max(src, dst)  # one orientation per pair, the same on every backend
        pg.rels.append(Rel(src, rel_type(local), dst, props))
    for row in ws.query(_MENTIONS):
        if row["a"] in pg.nodes and row["e"] in pg.nodes:
            pg.rels.append(Rel(row["a"], "MENTIONS", row["e"], {}))
    pg.rels = _merge_rels(pg.rels)
    add_history(ws, pg)  # facts with a period or an end (kg.periods): what held when, and what has ended
    if ws.path is not None:  # a curator's merges (WORKSPACE/curation.yaml), also those written by hand since
        from kg.entities import curation_of, fold

        fold(pg, curation_of(ws).merged())
    return pg


def _merge_rels(rels: list[Rel]) -> list[Rel]:
    """One relationship per (src, type, dst): a symmetric fact stated both ways merges its provenance."""
    merged: dict[tuple[str, str, str], Rel] = {}
    for r in rels:
        key = (r.src, r.type, r.dst)
        if key not in merged:
            merged[key] = r
            continue
        m = merged[key].props
        if r.props:
            arts = sorted(set(m.get("articles", [])) | set(r.props.get("articles", [])))
            m["articles"] = arts
            m["sources"] = len(arts)
            m["confidence"] = max(m.get("confidence", 0.0), r.props.get("confidence", 0.0))
            firsts = [d for d in (m.get("first_reported"), r.props.get("first_reported")) if d]
            if firsts:
                m["first_reported"] = min(firsts)
            lasts = [d for d in (m.get("last_reported"), r.props.get("last_reported")) if d]
            if lasts:
                m["last_reported"] = max(lasts)
    return sorted(merged.values(), key=lambda r: (r.src, r.type, r.dst))


def to_networkx(pg: PropertyGraph) -> nx.MultiDiGraph[str]:
    """The property graph as a NetworkX MultiDiGraph in grand-cypher's convention (``__labels__`` sets)."""
    import networkx as nx  # here: networkx takes a tenth of a second to import, and most commands never need it

    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in pg.nodes.values():
        g.add_node(node.id, __labels__=set(node.labels), **node.props)
    for r in pg.rels:
        g.add_edge(r.src, r.dst, key=r.type, __labels__={r.type}, **r.props)
    return g


def cypher_view(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """``g`` with each symmetric relationship also there reversed: the graph grand-cypher queries run on.

    Why: grand-cypher matches directed edges only (its ``-[r]-`` means "an edge each way"), while the stored
    Cypher matches a symmetric type undirected, as Neo4j does; on this view both find the pair from either end.
    """
    if g.graph.get("cypher_view"):
        return g
    view = g.copy()
    for u, v, key, data in g.edges(keys=True, data=True):
        if data.get("symmetric") and u != v:
            view.add_edge(v, u, key=key, **data)
    view.graph["cypher_view"] = True
    return view
