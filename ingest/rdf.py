"""Facts to RDF: one named graph per article, holding what it states and the provenance of each fact.

Why a named graph per article: the questions provenance must answer stay cheap and plain SPARQL.
"Which articles state this fact" is ``GRAPH ?g { s p o }``; "what does this article add" is its graph;
removing or re-ingesting an article is dropping or replacing one graph, and whatever other articles also
state survives in their graphs. The per-fact detail (sentence, character span, rule, confidence) is a
reified ``ci:Evidence`` record (rdf:Statement + PROV-O ``prov:wasDerivedFrom``) inside the same graph, so it
needs neither RDF-star nor anything outside RDF 1.1.

What an entity or metric observation *is* (type, label, ``ci:known``, Wikidata match; a metric's name, value,
unit, period) does not depend on the article and is written once into the shared graph ``ENTITIES_GRAPH``.
Queries run over the union of all graphs, and Oxigraph's union repeats a triple once per graph that holds it:
with the description in every mentioning article, a join over type + label + fact grew as
(articles per entity) ** k. What an article says about an entity (its mention, surface forms as
``skos:altLabel``, facts, evidence) stays in the article's graph; ``prune_descriptions`` drops descriptions no
article refers to any more after an article is replaced or removed.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from ingest.kb import KnowledgeBase, default_kb
from ingest.model import Article, Entity, Evidence, Extraction
from ontology import ARTICLE, ID, NS

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"

_TYPE = ox.NamedNode(RDF + "type")
_LABEL = ox.NamedNode(RDFS + "label")
_ALT = ox.NamedNode(SKOS + "altLabel")
_MATCH = ox.NamedNode(SKOS + "exactMatch")


ENTITIES_GRAPH = "https://cikg.dev/graph/entities"
_ENTITIES = ox.NamedNode(ENTITIES_GRAPH)


def _ci(name: str) -> ox.NamedNode:
    return ox.NamedNode(NS + name)


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def content_hash(article: Article) -> str:
    """A fingerprint of an article's version: storing the same version twice is skipped."""
    return _hash(article.title, article.text)


def article_iri(article_id: str) -> str:
    """The IRI of an article, which is also the name of its graph."""
    return ARTICLE + _hash(article_id)


def metric_iri(company: str, name: str, value: float, unit: str, period: str | None) -> str:
    """Same company, metric, value, unit and period: the same observation, whichever article reports it."""
    return f"{ID}metric/{_hash(company, name.lower(), repr(float(value)), unit, period or '')}"


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


def _decimal(value: float) -> ox.Literal:
    text = f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return _lit(text, "decimal")


def to_quads(extraction: Extraction, kb: KnowledgeBase | None = None) -> list[ox.Quad]:
    """All quads one article contributes: its own named graph, and descriptions in ``ENTITIES_GRAPH``."""
    kb = kb or default_kb()
    article = extraction.article
    a = ox.NamedNode(article_iri(article.id))
    g = a
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, p, o, g))

    def describe(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, p, o, _ENTITIES))

    _article_quads(article, a, add)
    entities: dict[str, Entity] = {}
    surfaces: dict[str, set[str]] = {}
    for m in extraction.mentions:
        entities[m.entity.iri] = m.entity
        if m.rule not in ("coref", "demonym", "short-name"):
            surfaces.setdefault(m.entity.iri, set()).add(m.text)
    for f in extraction.facts:
        entities.setdefault(f.subject.iri, f.subject)
        entities.setdefault(f.object.iri, f.object)
    for mt in extraction.metrics:
        entities.setdefault(mt.company.iri, mt.company)
    for iri, e in entities.items():
        node = ox.NamedNode(iri)
        describe(node, _TYPE, _ci(e.type))
        describe(node, _LABEL, _lit(e.label))
        describe(node, _ci("known"), _lit("true" if e.known else "false", "boolean"))
        for alias in sorted(surfaces.get(iri, ())):
            if alias != e.label:
                add(node, _ALT, _lit(alias))
        if iri in kb.wikidata:
            describe(node, _MATCH, ox.NamedNode(kb.wikidata[iri]))
        add(a, _ci("mentions"), node)
    for f in extraction.facts:
        s, p, o = ox.NamedNode(f.subject.iri), _ci(f.predicate), ox.NamedNode(f.object.iri)
        add(s, p, o)
        _evidence(s, p, o, f.evidence, a, add)
    for mt in extraction.metrics:
        m = ox.NamedNode(metric_iri(mt.company.iri, mt.name, mt.value, mt.unit, mt.period))
        c = ox.NamedNode(mt.company.iri)
        describe(m, _TYPE, _ci("MetricObservation"))
        period = f" ({mt.period})" if mt.period else ""
        describe(m, _LABEL, _lit(f"{mt.company.label} {mt.name}{period}"))
        describe(m, _ci("metricName"), _lit(mt.name))
        describe(m, _ci("value"), _decimal(mt.value))
        describe(m, _ci("unit"), _lit(mt.unit))
        if mt.period:
            describe(m, _ci("period"), _lit(mt.period))
        add(c, _ci("reportsMetric"), m)
        _evidence(c, _ci("reportsMetric"), m, mt.evidence, a, add)
    return quads


def described_by(store: ox.Store, graph: str) -> set[ox.NamedNode]:
    """The entities and metric observations an article graph refers to (prune candidates once it is gone)."""
    g = ox.NamedNode(graph)
    out: set[ox.NamedNode] = set()
    for p in (_ci("mentions"), _ci("reportsMetric")):
        out.update(q.object for q in store.quads_for_pattern(None, p, None, g) if isinstance(q.object, ox.NamedNode))
    return out


def prune_descriptions(store: ox.Store, candidates: set[ox.NamedNode]) -> int:
    """Drop the shared descriptions of ``candidates`` that no article mentions or reports any more."""
    refs = (_ci("mentions"), _ci("reportsMetric"))
    dropped = 0
    for node in candidates:
        if any(next(iter(store.quads_for_pattern(None, p, node, None)), None) is not None for p in refs):
            continue
        for q in list(store.quads_for_pattern(node, None, None, _ENTITIES)):
            store.remove(q)
            dropped += 1
    return dropped


def _article_quads(article: Article, a: ox.NamedNode, add) -> None:
    add(a, _TYPE, _ci("Article"))
    add(a, _ci("articleId"), _lit(article.id))
    add(a, ox.NamedNode(SCHEMA + "headline"), _lit(article.title))
    add(a, _ci("contentHash"), _lit(content_hash(article)))
    if article.date:
        add(a, ox.NamedNode(SCHEMA + "datePublished"), _lit(article.date, "date"))
    if article.url:
        add(a, ox.NamedNode(SCHEMA + "url"), _lit(article.url, "anyURI"))
    if article.source:
        add(a, _ci("source"), _lit(article.source))


def _evidence(s, p, o, ev: Evidence, a: ox.NamedNode, add) -> None:
    e = ox.NamedNode(f"https://cikg.dev/evidence/{_hash(ev.article, s.value, p.value, o.value, ev.start)}")
    add(e, _TYPE, _ci("Evidence"))
    add(e, ox.NamedNode(RDF + "subject"), s)
    add(e, ox.NamedNode(RDF + "predicate"), p)
    add(e, ox.NamedNode(RDF + "object"), o)
    add(e, ox.NamedNode(PROV + "wasDerivedFrom"), a)
    add(e, _ci("sentence"), _lit(ev.sentence))
    add(e, _ci("start"), _lit(ev.start, "integer"))
    add(e, _ci("end"), _lit(ev.end, "integer"))
    add(e, _ci("rule"), _lit(ev.rule))
    add(e, _ci("confidence"), _decimal(ev.confidence))
