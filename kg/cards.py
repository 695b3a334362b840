"""Entity cards: everything the graph knows about one entity, with the sources behind it.

A symmetric fact (competesWith, partnersWith) is on the card of either end, once, whichever way the articles
state it; a name is found by label, alias, ticker or Chinese name (the knowledge base's too), else by the one
fuzzy match clearly ahead of the others (``kg.names``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.kb import KnowledgeBase, default_kb, vocabulary
from kg.names import name_index
from kg.periods import card_history
from kg.store import Workspace
from ontology import NS

if TYPE_CHECKING:
    import pyoxigraph as ox

_FIND = """
SELECT DISTINCT ?e ?label ?type ?name WHERE {
  ?e rdfs:label ?label ; a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:)) && ?type != ci:Article
                                       && ?type != ci:MetricObservation && ?type != ci:Evidence)
  OPTIONAL { ?e skos:altLabel ?alias }
  FILTER(LCASE(STR(?label)) = LCASE(STR(?name)) || LCASE(STR(?alias)) = LCASE(STR(?name)))
} ORDER BY ?label"""
_ALIASES = "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias } ORDER BY ?alias"
_WIKIDATA = "SELECT DISTINCT ?e ?w WHERE { ?e skos:exactMatch ?w }"


def _symmetric() -> str:
    return "(" + ", ".join(f"ci:{p}" for p in sorted(vocabulary().symmetric)) + ")"


# a source is a story: near-duplicate copies of one (kg.stories) count once, an article without one as itself
_STORY = "OPTIONAL { ?g ci:story ?told } BIND(COALESCE(?told, ?g) AS ?story)"
# outgoing facts, and symmetric ones stated either way (one line, the articles of both ways counted once)
_OUT = f"""
SELECT ?e ?p ?o ?olabel (COUNT(DISTINCT ?story) AS ?sources) WHERE {{
  {{ GRAPH ?g {{ ?e ?p ?o }} }} UNION {{ GRAPH ?g {{ ?o ?p ?e }} FILTER(?p IN {_symmetric()}) }}
  FILTER(STRSTARTS(STR(?p), STR(ci:)) && ?p NOT IN (ci:reportsMetric, ci:mentions))
  ?o rdfs:label ?olabel .
  {_STORY}
}} GROUP BY ?e ?p ?o ?olabel ORDER BY ?p ?olabel"""
_IN = f"""
SELECT ?e ?p ?s ?slabel (COUNT(DISTINCT ?story) AS ?sources) WHERE {{
  GRAPH ?g {{ ?s ?p ?e . FILTER(STRSTARTS(STR(?p), STR(ci:)) && ?p != ci:mentions && ?p NOT IN {_symmetric()}) }}
  ?s rdfs:label ?slabel .
  {_STORY}
}} GROUP BY ?e ?p ?s ?slabel ORDER BY ?p ?slabel"""
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
    # facts an article says have ended (kg.periods): history, not among the relations, which are current
    history: list[dict[str, object]] = field(default_factory=list)
    changes: list[dict[str, object]] = field(default_factory=list)  # with lookup(since=...): what changed since
    in_workspace: bool = True  # False: known to the knowledge base only, no ingested article mentions it

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def find(ws: Workspace, name: str) -> list[dict[str, object]]:
    """Entities whose label or alias is ``name`` (case-insensitive)."""
    return ws.query(_FIND, {"name": name})


def card(ws: Workspace, iri: str, label: str, type_: str) -> EntityCard:
    """The card of one entity of the workspace."""
    e = {"e": _iri(iri)}
    c = EntityCard(iri, label, type_[len(NS):] if type_.startswith(NS) else type_)
    symmetric = vocabulary().symmetric
    c.aliases = [r["alias"] for r in ws.query(_ALIASES, e)]
    wd = ws.query(_WIKIDATA, e)
    c.wikidata = str(wd[0]["w"]) if wd else None
    for r in ws.query(_OUT, e):
        p = str(r["p"])[len(NS):]
        c.relations.append({"direction": "both" if p in symmetric else "out", "predicate": p,
                            "other": r["olabel"], "sources": r["sources"]})
    for r in ws.query(_IN, e):
        c.relations.append({"direction": "in", "predicate": str(r["p"])[len(NS):], "other": r["slabel"],
                            "sources": r["sources"]})
    gone, c.history = card_history(ws, iri)
    c.relations = [r for r in c.relations if (r["predicate"], r["other"]) not in gone]
    c.metrics = [{k: v for k, v in r.items() if k != "e"} for r in ws.query(_METRICS, e)]
    c.sources = [{k: v for k, v in r.items() if k != "e"} for r in ws.query(_SOURCES, e)]
    return c


def _iri(value: str) -> ox.NamedNode:
    import pyoxigraph as ox

    return ox.NamedNode(value)


@dataclass
class Lookup:
    """The cards a name gives, and a note when the name was not exact (the closest match, a KB-only entity)."""

    cards: list[EntityCard]
    note: str | None = None


def lookup(ws: Workspace, name: str, kb: KnowledgeBase | None = None, since: str | None = None) -> Lookup:
    """The entity cards ``name`` names: a label or alias of the workspace, else a label, alias, ticker or
    Chinese name of the knowledge base, else the one close match (an error naming the closest ones if none);
    ``since`` (a date) adds to each card what changed about it since then (``kg.periods.changes``)."""
    found = _lookup(ws, name, kb)
    if since is not None:
        from kg.periods import changes

        for c in found.cards:
            if c.in_workspace:
                c.changes = [ch.to_dict() for ch in changes(ws, since, watch=[c.iri])]
    return found


def _lookup(ws: Workspace, name: str, kb: KnowledgeBase | None = None) -> Lookup:
    hits = find(ws, name)
    if hits:
        return Lookup([card(ws, str(h["e"]), str(h["label"]), str(h["type"])) for h in hits])
    kb = kb or default_kb()
    index = name_index(ws, kb)
    exact = index.exact(name)
    present = [n for n in exact if n.iri in index.present]
    if present:
        return Lookup([card(ws, n.iri, n.label, n.type) for n in present])
    if exact:
        cards = [EntityCard(n.iri, n.label, n.type, aliases=list(kb.entities[n.iri].aliases)
                            if n.iri in kb.entities else [], wikidata=kb.wikidata.get(n.iri), in_workspace=False)
                 for n in exact]
        return Lookup(cards, f"{name!r} is known to the knowledge base, but no ingested article mentions it")
    n = index.resolve(name)
    return Lookup([card(ws, n.iri, n.label, n.type)], f"no entity is named {name!r}: showing the closest, "
                                                     f"{n.label!r}")
