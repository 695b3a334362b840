"""Entity cards: everything the graph knows about one entity, with the sources behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.store import Workspace
from ontology import NS

_FIND = """
SELECT DISTINCT ?e ?label ?type ?name WHERE {
  ?e rdfs:label ?label ; a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:)) && ?type != ci:Article
                                       && ?type != ci:MetricObservation && ?type != ci:Evidence)
  OPTIONAL { ?e skos:altLabel ?alias }
  FILTER(LCASE(STR(?label)) = LCASE(STR(?name)) || LCASE(STR(?alias)) = LCASE(STR(?name)))
} ORDER BY ?label"""
_ALIASES = "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias } ORDER BY ?alias"
_WIKIDATA = "SELECT DISTINCT ?e ?w WHERE { ?e skos:exactMatch ?w }"
_OUT = """
SELECT ?e ?p ?o ?olabel (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  GRAPH ?g { ?e ?p ?o . FILTER(STRSTARTS(STR(?p), STR(ci:)) && ?p != ci:reportsMetric) }
  ?o rdfs:label ?olabel .
} GROUP BY ?e ?p ?o ?olabel ORDER BY ?p ?olabel"""
_IN = """
SELECT ?e ?p ?s ?slabel (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  GRAPH ?g { ?s ?p ?e . FILTER(STRSTARTS(STR(?p), STR(ci:)) && ?p != ci:mentions) }
  ?s rdfs:label ?slabel .
} GROUP BY ?e ?p ?s ?slabel ORDER BY ?p ?slabel"""
_METRICS = """
SELECT ?e ?name ?value ?unit ?period (GROUP_CONCAT(DISTINCT ?aid; separator=", ") AS ?articles) WHERE {
  GRAPH ?g { ?e ci:reportsMetric ?m . ?g ci:articleId ?aid }
  ?m ci:metricName ?name ; ci:value ?value ; ci:unit ?unit . OPTIONAL { ?m ci:period ?period }
} GROUP BY ?e ?name ?value ?unit ?period ORDER BY ?period ?name"""
_SOURCES = """
SELECT DISTINCT ?e ?id ?title ?date WHERE {
  ?a ci:mentions ?e ; ci:articleId ?id ; schema:headline ?title . OPTIONAL { ?a schema:datePublished ?date }
} ORDER BY ?date ?id"""


@dataclass
class EntityCard:
    iri: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    relations: list[dict[str, object]] = field(default_factory=list)  # direction, predicate, other, sources
    metrics: list[dict[str, object]] = field(default_factory=list)
    sources: list[dict[str, object]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def find(ws: Workspace, name: str) -> list[dict[str, object]]:
    """Entities whose label or alias is ``name`` (case-insensitive)."""
    return ws.query(_FIND, {"name": name})


def card(ws: Workspace, iri: str, label: str, type_: str) -> EntityCard:
    e = {"e": _iri(iri)}
    c = EntityCard(iri, label, type_[len(NS):] if type_.startswith(NS) else type_)
    c.aliases = [r["alias"] for r in ws.query(_ALIASES, e)]
    wd = ws.query(_WIKIDATA, e)
    c.wikidata = str(wd[0]["w"]) if wd else None
    for r in ws.query(_OUT, e):
        c.relations.append({"direction": "out", "predicate": str(r["p"])[len(NS):], "other": r["olabel"],
                            "sources": r["sources"]})
    for r in ws.query(_IN, e):
        c.relations.append({"direction": "in", "predicate": str(r["p"])[len(NS):], "other": r["slabel"],
                            "sources": r["sources"]})
    c.metrics = [{k: v for k, v in r.items() if k != "e"} for r in ws.query(_METRICS, e)]
    c.sources = [{k: v for k, v in r.items() if k != "e"} for r in ws.query(_SOURCES, e)]
    return c


def _iri(value: str):
    import pyoxigraph as ox

    return ox.NamedNode(value)
