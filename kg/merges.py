"""Merges of entities in the store: made at ingest (``kg.resolve``) or by a curator, recorded, and undone exactly.

A merge rewrites one article's graph: the merged entity's IRI becomes the kept one's in its mentions, facts,
evidence and surface forms, and a ``ci:Resolution`` record in the same graph says what happened::

    <B> owl:sameAs <A> .
    <resolution/…> a ci:Resolution ; ci:mergedEntity <B> ; ci:mergedInto <A> ; ci:mergedName "Tavrin" ;
        ci:mergedType ci:Company ; ci:reason "same name without company words" ; ci:score 0.9 ;
        ci:decidedBy "resolver" ; prov:wasDerivedFrom <article> ; ci:replaced "…" ; ci:added "…" .

Why in the article's graph: the merge is what this article's name was taken for, so it goes when the article
goes, and every count (``sources``, the summary) sees one node at once. ``ci:replaced`` and ``ci:added`` hold
the statements the rewrite took out and put in (N-Triples text), so that an un-merge restores the article's
graph as it was, even where the article named both entities.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ingest.model import Entity, Extraction
from ingest.rdf import ENTITIES_GRAPH
from kg.resolve import Decision, Names, Resolver
from ontology import NS

RESOLUTION = "https://cikg.dev/resolution/"
_OWL_SAME = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_ENTITIES = ox.NamedNode(ENTITIES_GRAPH)
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _ci(name: str) -> ox.NamedNode:
    return ox.NamedNode(NS + name)


_RES, _FROM, _INTO, _NAME, _MTYPE, _REASON, _SCORE, _BY, _REPLACED, _ADDED, _KNOWN, _SHORT = (
    _ci(n) for n in ("Resolution", "mergedEntity", "mergedInto", "mergedName", "mergedType", "reason", "score",
                     "decidedBy", "replaced", "added", "known", "shortForm"))
_TRUE = ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean"))
_FALSE = ox.Literal("false", datatype=ox.NamedNode(_XSD + "boolean"))
# what stands between a name and the short form it introduces: "Hexavolt Semiconductor (Hexavolt)", ", known as"
_INTRODUCES = re.compile(r"\s*(?:\(|,?\s+(?:also\s+|commonly\s+|better\s+)?(?:known|referred\s+to|abbreviated)\s+as)"
                         r"\s*(?:the\s+)?[\"“]?")
_SKIP_SURFACE = ("coref", "demonym", "short-name", "description")  # as ingest.rdf: not names of the entity


def _description(n: Names) -> list[ox.Quad]:
    node = ox.NamedNode(n.iri)
    return [ox.Quad(node, _TYPE, _ci(n.type), _ENTITIES), ox.Quad(node, _LABEL, ox.Literal(n.label), _ENTITIES),
            ox.Quad(node, _KNOWN, _TRUE if n.known else _FALSE, _ENTITIES)]


def _text(triples: Iterable[ox.Quad]) -> ox.Literal:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in triples],
                        format=ox.RdfFormat.N_TRIPLES)
    return ox.Literal((data or b"").decode("utf-8"))


def _quads(text: str, graph: ox.NamedNode) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def record_iri(graph: str, merged: str, kept: str) -> str:
    return RESOLUTION + hashlib.sha1(f"{graph}\x1f{merged}\x1f{kept}".encode()).hexdigest()[:20]


def merge_quads(quads: list[ox.Quad], graph: str, d: Decision) -> list[ox.Quad]:
    """An article's quads with ``d.source`` rewritten to ``d.target``, and the record that undoes it."""
    g, b, a = ox.NamedNode(graph), ox.NamedNode(d.source.iri), ox.NamedNode(d.target.iri)
    mine = [q for q in quads if q.graph_name == g]
    others = [q for q in quads if q.graph_name != g and not (q.graph_name == _ENTITIES and q.subject == b)]
    before = set(mine)
    original = [q for q in mine if q.subject == b or q.object == b]
    kept = [q for q in mine if not (q.subject == b or q.object == b)]
    rewritten = [ox.Quad(a if q.subject == b else q.subject, q.predicate, a if q.object == b else q.object, g)
                 for q in original]
    if d.source.label != d.target.label:
        rewritten.append(ox.Quad(a, _ALT, ox.Literal(d.source.label), g))
    added = list(dict.fromkeys(q for q in rewritten if q not in before))
    r = ox.NamedNode(record_iri(graph, d.source.iri, d.target.iri))
    record = [ox.Quad(b, _OWL_SAME, a, g), ox.Quad(r, _TYPE, _RES, g), ox.Quad(r, _FROM, b, g),
              ox.Quad(r, _INTO, a, g), ox.Quad(r, _NAME, ox.Literal(d.source.label), g),
              ox.Quad(r, _MTYPE, _ci(d.source.type), g),
              ox.Quad(r, _KNOWN, _TRUE if d.source.known else _FALSE, g),
              ox.Quad(r, _REASON, ox.Literal(d.reason), g),
              ox.Quad(r, _SCORE, ox.Literal(f"{d.score:g}", datatype=ox.NamedNode(_XSD + "decimal")), g),
              ox.Quad(r, _BY, ox.Literal(d.decided_by), g), ox.Quad(r, _DERIVED, g, g),
              ox.Quad(r, _REPLACED, _text(original), g), ox.Quad(r, _ADDED, _text(added), g)]
    return others + kept + added + record + _description(d.target)


def unmerge_quads(quads: list[ox.Quad], graph: str, record: str) -> list[ox.Quad]:
    """An article graph's quads as they were before the merge ``record`` (an IRI of a ``ci:Resolution``)."""
    g, r = ox.NamedNode(graph), ox.NamedNode(record)
    props: dict[ox.NamedNode, Any] = {q.predicate: q.object for q in quads if q.subject == r}
    merged, name, type_ = props[_FROM], props[_NAME], props[_MTYPE]
    drop = set(_quads(str(props[_ADDED].value), g)) | {q for q in quads if q.subject == r}
    drop.add(ox.Quad(merged, _OWL_SAME, props[_INTO], g))
    out = [q for q in quads if q not in drop] + _quads(str(props[_REPLACED].value), g)
    source = Names(merged.value, name.value, type_.value[len(NS):], known=props.get(_KNOWN) == _TRUE)
    return list(dict.fromkeys(out)) + _description(source)


@dataclass(frozen=True)
class ArticleNames:
    """The entities one extraction names, as resolution sees them, and the short forms it introduced."""

    names: dict[str, Names]
    short_forms: list[tuple[str, str]]  # (entity iri, the short form)


def article_names(extraction: Extraction) -> ArticleNames:
    entities: dict[str, Entity] = {}
    surfaces: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    text, previous = extraction.article.text, None
    for m in sorted(extraction.mentions, key=lambda m: m.start):
        entities[m.entity.iri] = m.entity
        introduced = previous is not None and previous.entity == m.entity and previous.text != m.text and \
            _INTRODUCES.fullmatch(text, previous.end, m.start) is not None
        previous = m
        if m.rule == "alias-intro" or introduced:
            short.setdefault(m.entity.iri, set()).add(m.text)
        elif m.rule not in _SKIP_SURFACE:
            surfaces.setdefault(m.entity.iri, set()).add(m.text)
    for f in extraction.facts:
        entities.setdefault(f.subject.iri, f.subject)
        entities.setdefault(f.object.iri, f.object)
    for mt in extraction.metrics:
        entities.setdefault(mt.company.iri, mt.company)
    names = {iri: Names(iri, e.label, e.type, frozenset(surfaces.get(iri, set()) - {e.label}),
                        frozenset(short.get(iri, set())), e.known) for iri, e in entities.items()}
    return ArticleNames(names, sorted((iri, s) for iri, forms in short.items() for s in forms))


def resolve_article(resolver: Resolver, extraction: Extraction, graph: str, quads: list[ox.Quad]
                    ) -> tuple[list[ox.Quad], list[Decision]]:
    """The article's quads with its new entities resolved to stored nodes where the evidence says so; the
    resolver then knows this article's names too (the next article meets them)."""
    seen = article_names(extraction)
    g = ox.NamedNode(graph)
    quads = quads + [ox.Quad(ox.NamedNode(iri), _SHORT, ox.Literal(s), g) for iri, s in seen.short_forms]
    decisions = []
    # the fuller names first, each known to the resolver at once: "Scale" meets the "Scale AI" of the same article
    for names in sorted(seen.names.values(), key=lambda n: (-len(n.label), n.label)):
        d = resolver.resolve(names)
        if d is not None and d.target.iri != names.iri:
            decisions.append(d)
            quads = merge_quads(quads, graph, d)
            names = Names(d.target.iri, d.target.label, d.target.type, names.aliases | {names.label},
                          names.short_forms, d.target.known)
        resolver.add(names)
    return quads, decisions


_ENTITY_NAMES = f"""
SELECT ?e ?type ?label ?known WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?type ; rdfs:label ?label ; ci:known ?known }}
  FILTER(?type NOT IN (ci:Article, ci:MetricObservation, ci:Evidence)) }}"""
_ALIASES = "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias }"
_SHORT_FORMS = "SELECT DISTINCT ?e ?form WHERE { ?e ci:shortForm ?form }"


def workspace_names(ws: object) -> dict[str, Names]:
    """Every entity of the workspace with its label, aliases and introduced short forms."""
    from kg.store import Workspace

    assert isinstance(ws, Workspace)
    aliases: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for row in ws.query(_ALIASES):
        aliases.setdefault(str(row["e"]), set()).add(str(row["alias"]))
    for row in ws.query(_SHORT_FORMS):
        short.setdefault(str(row["e"]), set()).add(str(row["form"]))
    out: dict[str, Names] = {}
    for row in ws.query(_ENTITY_NAMES):
        iri, label = str(row["e"]), str(row["label"])
        if iri in out:
            continue
        out[iri] = Names(iri, label, str(row["type"])[len(NS):], frozenset(aliases.get(iri, set()) - {label}),
                         frozenset(short.get(iri, set())), str(row["known"]) in ("true", "1", "True"))
    return out
