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
from functools import cache, lru_cache

import pyoxigraph as ox

from ingest.kb import KnowledgeBase, default_kb
from ingest.model import Article, Entity, Evidence, Extraction, Period
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
_RDF_SUBJECT = ox.NamedNode(RDF + "subject")
_RDF_PREDICATE = ox.NamedNode(RDF + "predicate")
_RDF_OBJECT = ox.NamedNode(RDF + "object")
_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
_HEADLINE = ox.NamedNode(SCHEMA + "headline")
_PUBLISHED = ox.NamedNode(SCHEMA + "datePublished")
_URL = ox.NamedNode(SCHEMA + "url")
# Where and when this workspace read the article (what the store knows, not what the article says): the file as
# a file: IRI (with "#N" for the Nth article of a JSON Lines file or feed), and the time of the first ingest.
CONTENT_URL = SCHEMA + "contentUrl"
INGESTED = SCHEMA + "sdDatePublished"
_CONTENT_URL = ox.NamedNode(CONTENT_URL)
_INGESTED = ox.NamedNode(INGESTED)


ENTITIES_GRAPH = "https://cikg.dev/graph/entities"
_ENTITIES = ox.NamedNode(ENTITIES_GRAPH)


@cache
def _ci(name: str) -> ox.NamedNode:
    """The ontology term ``name``; cached because the same few dozen terms label every quad of every article."""
    return ox.NamedNode(NS + name)


@cache
def _xsd(datatype: str) -> ox.NamedNode:
    """An XSD datatype node, built once per process rather than once per literal."""
    return ox.NamedNode(XSD + datatype)


_TRUE = ox.Literal("true", datatype=_xsd("boolean"))
_FALSE = ox.Literal("false", datatype=_xsd("boolean"))
_INTEGER = _xsd("integer")
# Terms every article uses, built once.
_ARTICLE, _ARTICLE_ID, _CONTENT_HASH, _SOURCE = (_ci(n) for n in ("Article", "articleId", "contentHash", "source"))
_KNOWN, _MENTIONS, _REPORTS_METRIC = _ci("known"), _ci("mentions"), _ci("reportsMetric")
_METRIC_OBSERVATION, _METRIC_NAME, _VALUE, _UNIT, _PERIOD = (
    _ci(n) for n in ("MetricObservation", "metricName", "value", "unit", "period"))
_EVIDENCE, _SENTENCE, _START, _END, _RULE, _CONFIDENCE = (
    _ci(n) for n in ("Evidence", "sentence", "start", "end", "rule", "confidence"))
_VALID_FROM, _VALID_UNTIL, _ENDED = _ci("validFrom"), _ci("validUntil"), _ci("ended")
_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}  # by the length of YYYY, YYYY-MM, YYYY-MM-DD


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def content_hash(article: Article) -> str:
    """A fingerprint of an article's version: storing the same version twice is skipped.

    The date, URL and source are part of it: a corrected date in the front matter is a new version.
    """
    return _hash(article.title, article.text, article.date or "", article.url or "", article.source or "")


def storage_quads(graph: str, file_iri: str | None, ingested: str) -> list[ox.Quad]:
    """The quads saying where (``file_iri``) and when (``ingested``, an xsd:dateTime) an article was read.

    Why: re-reading a file replaces what it held before (matched by ``file_iri``), and an undated article's
    facts are dated by the day it was first ingested.
    """
    g = ox.NamedNode(graph)
    quads = [ox.Quad(g, _INGESTED, _lit(ingested, "dateTime"), g)]
    if file_iri:
        quads.append(ox.Quad(g, _CONTENT_URL, _lit(file_iri, "anyURI"), g))
    return quads


def article_iri(article_id: str) -> str:
    """The IRI of an article, which is also the name of its graph."""
    return ARTICLE + _hash(article_id)


def metric_iri(company: str, name: str, value: float, unit: str, period: str | None) -> str:
    """Same company, metric, value, unit and period: the same observation, whichever article reports it."""
    return f"{ID}metric/{_hash(company, name.lower(), repr(float(value)), unit, period or '')}"


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=_xsd(datatype))
    return ox.Literal(str(value))


@lru_cache(maxsize=4096)
def _decimal(value: float) -> ox.Literal:
    """An xsd:decimal literal; cached as confidences and metric values repeat across facts and articles."""
    text = f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return _lit(text, "decimal")


def to_quads(extraction: Extraction, kb: KnowledgeBase | None = None) -> list[ox.Quad]:
    """All quads one article contributes: its own named graph, and descriptions in ``ENTITIES_GRAPH``."""
    kb = kb or default_kb()
    article = extraction.article
    a = ox.NamedNode(article_iri(article.id))
    g = a
    quads: list[ox.Quad] = []
    append, quad = quads.append, ox.Quad

    _article_quads(article, a, quads)
    entities: dict[str, Entity] = {}
    surfaces: dict[str, set[str]] = {}
    for m in extraction.mentions:
        entities[m.entity.iri] = m.entity
        if m.rule not in ("coref", "demonym", "short-name", "description"):
            surfaces.setdefault(m.entity.iri, set()).add(m.text)
    for f in (*extraction.facts, *extraction.ended):
        entities.setdefault(f.subject.iri, f.subject)
        entities.setdefault(f.object.iri, f.object)
    for mt in extraction.metrics:
        entities.setdefault(mt.company.iri, mt.company)
    nodes: dict[str, ox.NamedNode] = {}  # one node per entity, shared by its description, facts and evidence
    for iri, e in entities.items():
        node = nodes[iri] = ox.NamedNode(iri)
        append(quad(node, _TYPE, _ci(e.type), _ENTITIES))
        append(quad(node, _LABEL, ox.Literal(e.label), _ENTITIES))
        append(quad(node, _KNOWN, _TRUE if e.known else _FALSE, _ENTITIES))
        for alias in sorted(surfaces.get(iri, ())):
            if alias != e.label:
                append(quad(node, _ALT, ox.Literal(alias), g))
        if iri in kb.wikidata:
            append(quad(node, _MATCH, ox.NamedNode(kb.wikidata[iri]), _ENTITIES))
        append(quad(a, _MENTIONS, node, g))
    sentences: dict[str, ox.Literal] = {}  # facts of one sentence share its literal
    for f in extraction.facts:
        s, p, o = nodes[f.subject.iri], _ci(f.predicate), nodes[f.object.iri]
        append(quad(s, p, o, g))
        _evidence(s, p, o, f.evidence, a, quads, (f.subject.iri, NS + f.predicate, f.object.iri), sentences,
                  f.period)
    for f in extraction.ended:  # history: the evidence record only, so that no current relation is stated
        s, p, o = nodes[f.subject.iri], _ci(f.predicate), nodes[f.object.iri]
        _evidence(s, p, o, f.evidence, a, quads, (f.subject.iri, NS + f.predicate, f.object.iri), sentences,
                  f.period or Period(ended=True))
    for mt in extraction.metrics:
        obs = ox.NamedNode(metric_iri(mt.company.iri, mt.name, mt.value, mt.unit, mt.period))
        c = nodes[mt.company.iri]
        append(quad(obs, _TYPE, _METRIC_OBSERVATION, _ENTITIES))
        period = f" ({mt.period})" if mt.period else ""
        append(quad(obs, _LABEL, ox.Literal(f"{mt.company.label} {mt.name}{period}"), _ENTITIES))
        append(quad(obs, _METRIC_NAME, ox.Literal(mt.name), _ENTITIES))
        append(quad(obs, _VALUE, _decimal(mt.value), _ENTITIES))
        append(quad(obs, _UNIT, ox.Literal(mt.unit), _ENTITIES))
        if mt.period:
            append(quad(obs, _PERIOD, ox.Literal(mt.period), _ENTITIES))
        append(quad(c, _REPORTS_METRIC, obs, g))
        _evidence(c, _REPORTS_METRIC, obs, mt.evidence, a, quads, (mt.company.iri, _REPORTS_METRIC.value, obs.value),
                  sentences)
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


def _article_quads(article: Article, a: ox.NamedNode, quads: list[ox.Quad]) -> None:
    quads.append(ox.Quad(a, _TYPE, _ARTICLE, a))
    quads.append(ox.Quad(a, _ARTICLE_ID, _lit(article.id), a))
    quads.append(ox.Quad(a, _HEADLINE, _lit(article.title), a))
    quads.append(ox.Quad(a, _CONTENT_HASH, _lit(content_hash(article)), a))
    if article.date:
        quads.append(ox.Quad(a, _PUBLISHED, _lit(article.date, "date"), a))
    if article.url:
        quads.append(ox.Quad(a, _URL, _lit(article.url, "anyURI"), a))
    if article.source:
        quads.append(ox.Quad(a, _SOURCE, _lit(article.source), a))


def _evidence(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode, ev: Evidence, a: ox.NamedNode,
              quads: list[ox.Quad], iris: tuple[str, str, str], sentences: dict[str, ox.Literal],
              period: Period | None = None) -> None:
    """The reified record of one fact; ``iris`` are the values of s, p, o (strings, not read back from nodes);
    ``period`` adds when it held (``ci:validFrom``, ``ci:validUntil``) and whether it has ended (``ci:ended``)."""
    # the span's end too: a fact in the headline (span 0-0) and again in the first sentence (0-n) are two records
    e = ox.NamedNode(f"https://cikg.dev/evidence/{_hash(ev.article, *iris, ev.start, ev.end)}")
    sentence = sentences.get(ev.sentence)
    if sentence is None:
        sentence = sentences[ev.sentence] = ox.Literal(ev.sentence)
    quad = ox.Quad
    quads += (
        quad(e, _TYPE, _EVIDENCE, a),
        quad(e, _RDF_SUBJECT, s, a),
        quad(e, _RDF_PREDICATE, p, a),
        quad(e, _RDF_OBJECT, o, a),
        quad(e, _DERIVED, a, a),
        quad(e, _SENTENCE, sentence, a),
        quad(e, _START, ox.Literal(str(ev.start), datatype=_INTEGER), a),
        quad(e, _END, ox.Literal(str(ev.end), datatype=_INTEGER), a),
        quad(e, _RULE, ox.Literal(ev.rule), a),
        quad(e, _CONFIDENCE, _decimal(ev.confidence), a),
    )
    if period is not None:
        for term, value in ((_VALID_FROM, period.start), (_VALID_UNTIL, period.end)):
            if value and len(value) in _DATE_TYPES:
                quads.append(quad(e, term, _lit(value, _DATE_TYPES[len(value)]), a))
        if period.ended:
            quads.append(quad(e, _ENDED, _TRUE, a))
