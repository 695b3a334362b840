"""What the pages show, read from a workspace (a snapshot's): the home page, an entity, an article, query rows.

Everything here is plain data; the templates (autoescaped) turn it into HTML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

from ingest.model import InputError
from kg import charts
from kg.brief import verb
from kg.facts import article_meta, describe, facts_touching, local, mentioned_in, term
from kg.store import Workspace

ARTICLES_SHOWN = 100
# a fact read from its object's side: "Eddie Wu ceoOf Alibaba" on Alibaba's page is its chief executive
INVERSE = {"ceoOf": "chief executive", "subsidiaryOf": "parent of", "develops": "developed by",
           "usesChip": "used by", "manufactures": "manufactured by", "subjectTo": "applies to",
           "imposedBy": "imposes", "investsIn": "investment from", "headquarteredIn": "location of"}


class NotFound(InputError):
    """What a page was asked about is not in the workspace (404)."""


_STATS = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH <https://cikg.dev/graph/entities> { ?e a ?type } }
GROUP BY ?type ORDER BY DESC(?n)"""
_COUNT_ARTICLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a ci:Article } }"
_TOP = """
SELECT ?e (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?e ?p ?x WHERE { VALUES ?p { $preds }
  { GRAPH ?g { ?e ?p ?x } } UNION { GRAPH ?g { ?x ?p ?e } } } } } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 12"""


def home(ws: Workspace) -> dict[str, object]:
    """Counts, the most connected entities and the latest articles."""
    from kg.facts import relation_predicates

    types = [{"type": local(str(r["type"])), "n": r["n"]} for r in ws.query(_STATS)]
    entities = sum(int(t["n"]) for t in types if t["type"] not in ("MetricObservation",))
    facts = ws.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?ev a ci:Evidence } }")[0]["n"]
    top_rows = ws.query(_TOP.replace("$preds", " ".join(f"ci:{p}" for p in relation_predicates())))
    nodes = describe(ws, [str(r["e"]) for r in top_rows])
    top = [{"iri": str(r["e"]), "label": nodes[str(r["e"])].label, "type": nodes[str(r["e"])].type, "facts": r["n"]}
           for r in top_rows if str(r["e"]) in nodes]
    return {"articles": ws.query(_COUNT_ARTICLES)[0]["n"], "entities": entities, "facts": facts,
            "types": [t for t in types if t["type"] not in ("MetricObservation",)], "top": top,
            "latest": latest_articles(ws, 10)}


def latest_articles(ws: Workspace, limit: int) -> list[dict[str, object]]:
    """The ``limit`` newest articles (by their day, newest first, then id; undated last), read from the articles'
    metadata a snapshot keeps (``article_meta``): an ORDER BY over every article cost a query per snapshot."""
    meta = sorted(article_meta(ws).items(), key=lambda gm: gm[1].id)
    meta.sort(key=lambda gm: gm[1].day or "", reverse=True)  # stable: ties stay in id order; undated last
    return [{"graph": g, "id": m.id, "title": m.title or None, "date": m.day} for g, m in meta[:limit]]


# --- entity ----------------------------------------------------------------------------------------------

_ALIASES = "SELECT DISTINCT ?alias WHERE { $E skos:altLabel ?alias } ORDER BY ?alias"
_WIKIDATA = "SELECT ?w WHERE { $E skos:exactMatch ?w } LIMIT 1"
_METRICS = """
SELECT ?metric ?value ?unit ?period (COUNT(DISTINCT ?story) AS ?sources) WHERE {
  GRAPH ?g { $E ci:reportsMetric ?m }
  ?m ci:metricName ?metric ; ci:value ?value ; ci:unit ?unit . OPTIONAL { ?m ci:period ?period }
  OPTIONAL { ?g ci:story ?told } BIND(COALESCE(?told, ?g) AS ?story)
} GROUP BY ?metric ?value ?unit ?period"""
RELATIONS_SHOWN = 200  # rows of the relations table of one entity (the best-sourced ones)


@dataclass
class EntityView:
    iri: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    relations: list[dict[str, object]] = field(default_factory=list)
    relation_count: int = 0
    metrics: list[dict[str, object]] = field(default_factory=list)
    series: list[dict[str, object]] = field(default_factory=list)  # for the charts: name, unit, points
    articles: list[dict[str, object]] = field(default_factory=list)
    article_count: int = 0

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def entity(ws: Workspace, iri: str) -> EntityView:
    """Everything the entity page shows; ``NotFound`` when the workspace does not describe ``iri``."""
    node = describe(ws, [iri]).get(iri)
    if node is None or node.type in ("Article", "Evidence"):
        raise NotFound(f"no entity {iri!r} in the workspace")
    e = term(iri)
    view = EntityView(iri, node.label, node.type)
    view.aliases = [str(r["alias"]) for r in ws.query(_ALIASES.replace("$E", e)) if str(r["alias"]) != node.label]
    wd = ws.query(_WIKIDATA.replace("$E", e))
    view.wikidata = str(wd[0]["w"]) if wd else None
    facts = facts_touching(ws, [iri])
    view.relation_count = len(facts)
    if len(facts) > RELATIONS_SHOWN:  # a hub entity: its best-sourced facts (the sort is stable, as below)
        facts = sorted(facts, key=lambda f: -f.sources)[:RELATIONS_SHOWN]
    others = describe(ws, {f.subject for f in facts} | {f.object for f in facts})  # those shown only
    for f in facts:
        other = f.object if f.subject == iri else f.subject
        o = others.get(other)
        phrase = verb(f.predicate) if f.subject == iri else INVERSE.get(f.predicate, verb(f.predicate))
        view.relations.append({"predicate": f.predicate, "phrase": phrase, "subject": f.subject, "object": f.object,
                               "other": other, "other_label": o.label if o else local(other),
                               "other_type": o.type if o else "", "sources": f.sources,
                               "first_reported": f.first_reported, "direction": "out" if f.subject == iri else "in"})
    view.relations.sort(key=lambda r: (str(r["direction"]), str(r["predicate"]), -int(r["sources"]),  # type: ignore[call-overload]
                                       str(r["other_label"])))
    rows = ws.query(_METRICS.replace("$E", e))
    rows.sort(key=lambda r: (charts.period_key(_opt(r["period"])), str(r["metric"]), float(r["value"])))
    view.metrics = rows
    view.series = [{"name": s.name, "unit": s.unit,  # type: ignore[assignment]
                    "points": [{"x": x, "y": y, "period": p} for x, y, p in s.dated()]}
                   for s in charts.series_of(rows) if s.dated()][:8]
    meta = article_meta(ws)
    graphs = mentioned_in(ws, iri)
    view.article_count = len(graphs)
    graphs.sort(key=lambda g: (meta[g].day or "" if g in meta else "", g), reverse=True)  # newest first
    view.articles = [{"graph": g, "id": meta[g].id, "title": meta[g].title, "date": meta[g].day}
                     for g in graphs[:ARTICLES_SHOWN] if g in meta]
    return view


def _opt(v: object) -> str | None:
    return None if v is None else str(v)


# --- article ---------------------------------------------------------------------------------------------

_ARTICLE = """
SELECT ?id ?title ?date ?url ?source ?file ?hash WHERE { GRAPH $G { $G a ci:Article ; ci:articleId ?id
  OPTIONAL { $G schema:headline ?title } OPTIONAL { $G schema:datePublished ?d } OPTIONAL { $G schema:url ?url }
  OPTIONAL { $G ci:source ?source } OPTIONAL { $G schema:contentUrl ?file } OPTIONAL { $G ci:contentHash ?hash } }
  BIND(STR(?d) AS ?date) } LIMIT 1"""
_ARTICLE_EVIDENCE = """
SELECT ?s ?p ?o ?sentence ?start ?end ?rule ?confidence WHERE { GRAPH $G {
  ?ev a ci:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ci:sentence ?sentence .
  OPTIONAL { ?ev ci:start ?start } OPTIONAL { ?ev ci:end ?end } OPTIONAL { ?ev ci:rule ?rule }
  OPTIONAL { ?ev ci:confidence ?confidence } } } ORDER BY ?start ?p"""


def article(ws: Workspace, graph: str) -> dict[str, object]:
    """The article page: its metadata, its facts, and its text with the sentences of its facts marked.

    The text is not in the workspace: it is read again from the file the article was ingested from, and shown
    only if that file still holds this very version of it (same content hash); else the facts' sentences are
    shown alone, and a note says why.
    """
    g = term(graph)
    rows = ws.query(_ARTICLE.replace("$G", g))
    if not rows:
        raise NotFound(f"no article {graph!r} in the workspace")
    meta = rows[0]
    evidence = ws.query(_ARTICLE_EVIDENCE.replace("$G", g))
    ends = describe(ws, {str(r["s"]) for r in evidence} | {str(r["o"]) for r in evidence})
    facts = []
    for r in evidence:
        s, o, p = str(r["s"]), str(r["o"]), local(str(r["p"]))
        on = ends.get(o)
        facts.append({"subject": s, "subject_label": ends[s].label if s in ends else local(s), "predicate": p,
                      "phrase": verb(p), "object": o, "object_label": on.label if on else local(o),
                      "object_is_entity": bool(on and on.type != "MetricObservation"),
                      "sentence": r["sentence"], "start": r["start"], "end": r["end"], "rule": r["rule"],
                      "confidence": r["confidence"]})
    from kg.articles import file_path

    out: dict[str, object] = {"graph": graph, "id": meta["id"], "title": meta["title"], "date": meta["date"],
                              "url": meta["url"], "source": meta["source"], "path": file_path(_opt(meta["file"])),
                              "facts": facts, "segments": [], "note": None}
    text, why_not = _article_text(graph, _opt(meta["file"]), _opt(meta["hash"]))
    if text is None:
        out["note"] = f"The text is not shown: {why_not}. The sentences of its facts are listed below."
    else:
        out["segments"] = marked_segments(text, facts)
    return out


def _article_text(graph: str, file_iri: str | None, version: str | None) -> tuple[str | None, str]:
    """The article's text from its file, if the file still holds this version; else (None, why)."""
    if not file_iri or not file_iri.startswith("file://"):
        return None, "the article was not read from a file"
    body = file_iri[len("file://"):].split("#", 1)[0]
    path = Path(os.fsdecode(unquote_to_bytes(body)))
    if not path.is_file():
        return None, "its file is no longer there"
    from ingest.rdf import article_iri, content_hash
    from ingest.read import read_file

    try:
        for art in read_file(path, on_error=lambda e: None):
            if article_iri(art.id) == graph:
                if version is not None and content_hash(art) != version:
                    return None, "its file has changed since it was ingested"
                return art.text, ""
    except Exception as exc:  # the file is unreadable now: the page still shows the facts
        return None, f"its file cannot be read ({type(exc).__name__})"
    return None, "its file no longer holds it"


def marked_segments(text: str, facts: list[dict[str, object]]) -> list[dict[str, object]]:
    """``text`` cut into pieces, each with the facts whose sentence covers it (none: not marked)."""
    spans: list[tuple[int, int, str]] = []
    for f in facts:
        start, end, sentence = f["start"], f["end"], str(f["sentence"])
        fact = f"{f['subject_label']} {f['phrase']} {f['object_label']}"
        if isinstance(start, int) and isinstance(end, int) and text[start:end] == sentence:
            spans.append((start, end, fact))
            continue
        at = text.find(sentence)  # the offsets of another version of the text: find the sentence itself
        if at >= 0:
            spans.append((at, at + len(sentence), fact))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[dict[str, object]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        covering = sorted({fact for s, e, fact in spans if s <= a and b <= e})
        out.append({"text": text[a:b], "facts": covering})
    return out


# --- evidence of one fact --------------------------------------------------------------------------------


_OUTLET = """SELECT ?source ?url ?story WHERE { GRAPH $G { OPTIONAL { $G ci:source ?source }
  OPTIONAL { $G schema:url ?url } OPTIONAL { $G ci:story ?story } } }"""


def fact_evidence(ws: Workspace, s: str, p: str, o: str) -> list[dict[str, object]]:
    """The evidence of one fact, each with its article's story, outlet and the outlet's reliability (A-F)."""
    from kg import reliability
    from kg.articles import story_id
    from kg.facts import evidence_for, term

    found = evidence_for(ws, [(s, p, o)])
    ratings = reliability.for_workspace(ws.path)
    out: list[dict[str, object]] = []
    for e in (e for evs in found.values() for e in evs):
        rows = ws.query(_OUTLET.replace("$G", term(e.graph)))
        r = rows[0] if rows else {}
        source, url = r.get("source"), r.get("url")
        outlet, grade = ratings.rate(str(url) if url else None, str(source) if source else None)
        out.append({"article": e.article, "graph": e.graph, "title": e.title, "date": e.date, "sentence": e.sentence,
                    "story": story_id(str(r.get("story") or e.graph)), "outlet": source or outlet,
                    "reliability": grade.letter})
    return out
