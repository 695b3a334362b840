"""Provenance of answers: the articles and sentences behind a fact, and behind each row of a stored query.

Evidence is read from the RDF store, where each fact has reified ``ci:Evidence`` records in the named graph
of every article that states it. Values are always bound as RDF terms (never spliced into the text).

A stored query says which of its columns form which facts in its yaml ``explain`` list, e.g.
``explain: [{subject: company, predicate: competesWith, object: competitor}]``; a predicate written
``$column`` is read from that column of the row; ``metric``/``value``/``unit``/``period`` name the columns of
a reported metric (predicate ``reportsMetric``); ``article`` restricts the evidence to that row's article.
Queries without ``explain`` get the facts between the entity names found in the row.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
import yaml

from ingest.kb import vocabulary
from ingest.model import InputError
from kg import queries as catalogue
from kg import reliability
from kg.articles import story_id
from kg.project import rel_type
from kg.store import Workspace
from ontology import NS


class ProvenanceError(InputError):
    """A fact or predicate that cannot be explained as asked."""


_SYMMETRIC = "(" + ", ".join(f"ci:{p}" for p in sorted(vocabulary().symmetric)) + ")"

_EVIDENCE = f"""
SELECT ?subject ?p ?object ?article ?date ?title ?sentence ?rule ?confidence ?start ?end
       ?g ?story ?source ?url WHERE {{
  ?s rdfs:label|skos:altLabel ?subject . ?o rdfs:label|skos:altLabel ?object .
  GRAPH ?g {{
    {{ ?ev rdf:subject ?s ; rdf:object ?o }}
    UNION {{ ?ev rdf:subject ?o ; rdf:object ?s . FILTER(?p IN {_SYMMETRIC}) }}
    ?ev rdf:predicate ?p ; ci:sentence ?sentence .
    OPTIONAL {{ ?ev ci:rule ?rule }} OPTIONAL {{ ?ev ci:confidence ?confidence }}
    OPTIONAL {{ ?ev ci:start ?start }} OPTIONAL {{ ?ev ci:end ?end }}
  }}
  ?g ci:articleId ?article ; schema:headline ?title .
  OPTIONAL {{ ?g schema:datePublished ?d }}
  OPTIONAL {{ ?g ci:story ?story }} OPTIONAL {{ ?g ci:source ?source }} OPTIONAL {{ ?g schema:url ?url }}
  BIND(STR(?d) AS ?date)
}}"""

_METRIC_EVIDENCE = """
SELECT ?subject ?metric ?value ?article ?date ?title ?sentence ?rule ?confidence ?start ?end ?unit ?period ?m
       ?g ?story ?source ?url WHERE {
  ?s rdfs:label|skos:altLabel ?subject .
  ?m ci:metricName ?metric ; ci:value ?value ; ci:unit ?unit . OPTIONAL { ?m ci:period ?period }
  GRAPH ?g {
    ?s ci:reportsMetric ?m .
    ?ev rdf:subject ?s ; rdf:predicate ci:reportsMetric ; rdf:object ?m ; ci:sentence ?sentence .
    OPTIONAL { ?ev ci:rule ?rule } OPTIONAL { ?ev ci:confidence ?confidence }
    OPTIONAL { ?ev ci:start ?start } OPTIONAL { ?ev ci:end ?end }
  }
  ?g ci:articleId ?article ; schema:headline ?title .
  OPTIONAL { ?g schema:datePublished ?d }
  OPTIONAL { ?g ci:story ?story } OPTIONAL { ?g ci:source ?source } OPTIONAL { ?g schema:url ?url }
  BIND(STR(?d) AS ?date)
}"""

_ENTITY = "SELECT DISTINCT ?label ?e WHERE { ?e rdfs:label ?label ; a ?t . FILTER(STRSTARTS(STR(?t), STR(ci:))) }"


def predicate_iri(name: str) -> str:
    """``competesWith``, ``COMPETES_WITH`` or the full IRI -> the predicate's IRI; unknown names are errors."""
    known = set(vocabulary().relations)
    local = name[len(NS):] if name.startswith(NS) else name
    for k in known:
        if local == k or local.lower() == k.lower() or local.upper() == rel_type(k):
            return NS + k
    raise ProvenanceError(f"unknown predicate {name!r} (one of: {', '.join(sorted(known))})")


def _evidence_row(r: dict[str, object], fact: str, ratings: reliability.Ratings) -> dict[str, object]:
    """One piece of evidence: the fact, its article (and the article's story), the sentence, the rule, the
    extractor's confidence, and the outlet's reliability with the confidence it weighs (``kg.reliability``)."""
    url, source = r.get("url"), r.get("source")
    outlet, grade = ratings.rate(str(url) if url else None, str(source) if source else None)
    return {"fact": fact, "article": r["article"], "date": r["date"], "title": r["title"],
            "sentence": r["sentence"], "rule": r["rule"], "confidence": r["confidence"],
            "start": r["start"], "end": r["end"], "story": story_id(str(r.get("story") or r.get("g") or "")),
            "outlet": source or outlet, "reliability": grade.letter,
            "weighted_confidence": reliability.weighted(r["confidence"], grade)}


def _dedupe(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    seen, out = set(), []
    for r in rows:
        key = (r["fact"], r["article"], r["sentence"], r["start"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    out.sort(key=lambda r: (r["date"] or "9999", str(r["article"]), r["start"] if r["start"] is not None else -1))
    return out


def evidence(ws: Workspace, subject: str, predicate: str, obj: str) -> list[dict[str, object]]:
    """The evidence for one fact (names or aliases; symmetric relations either way), oldest article first."""
    p = predicate_iri(predicate)
    local = p[len(NS):]
    if local == "reportsMetric":
        raise ProvenanceError("reportsMetric facts are explained by metric (see `kg query run metric_timeline "
                              "--explain`)")
    rows = ws.query(_EVIDENCE, {"subject": ox.Literal(subject), "p": ox.NamedNode(p),
                                "object": ox.Literal(obj)})
    ratings = reliability.for_workspace(ws.path)
    return _dedupe([_evidence_row(r, f"{subject} {local} {obj}", ratings) for r in rows])


def metric_evidence(ws: Workspace, company: str, metric: str, value: object, unit: object = None,
                    period: object = None) -> list[dict[str, object]]:
    rows = ws.query(_METRIC_EVIDENCE, {"subject": ox.Literal(company), "metric": ox.Literal(str(metric))})
    ratings = reliability.for_workspace(ws.path)
    out = []
    for r in rows:
        if _num(r["value"]) != _num(value) or (unit is not None and r["unit"] != unit) or r["period"] != period:
            continue
        fact = f"{company} reportsMetric {metric} = {_fmt(r['value'])} {r['unit']}"
        out.append(_evidence_row(r, fact + (f" ({r['period']})" if r["period"] else ""), ratings))
    return _dedupe(out)


def _num(v: object) -> object:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return v


def _fmt(v: object) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def why(ws: Workspace, subject: str, predicate: str, obj: str) -> list[dict[str, object]]:
    """``kg why``: the evidence for one fact; an error if no article states it.

    The two names may be aliases, tickers or Chinese names (the knowledge base's too); a name that names no
    entity of the workspace is an error naming the closest ones, not "no article states it".
    """
    found = evidence(ws, subject, predicate, obj)
    if not found:
        from kg.names import name_index

        index = name_index(ws)
        s, o = (index.resolve(name, fuzzy=False) for name in (subject, obj))
        if (s.label, o.label) != (subject, obj):
            found = evidence(ws, s.label, predicate, o.label)
    if not found:
        raise ProvenanceError(f"no article states {subject!r} {predicate_iri(predicate)[len(NS):]} {obj!r}")
    return found


@lru_cache(maxsize=64)
def explain_spec(name: str) -> tuple[dict[str, str], ...]:
    """The ``explain`` list of a stored query's yaml (empty when it has none)."""
    path = catalogue.QUERIES_DIR / f"{name}.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(dict(x) for x in meta.get("explain", []) or [])


def row_evidence(ws: Workspace, name: str, row: dict[str, object], entities: set[str] | None = None
                 ) -> list[dict[str, object]]:
    """The evidence for every fact a row of stored query ``name`` rests on."""
    spec = explain_spec(name)
    found: list[dict[str, object]] = []
    if spec:
        for fact in spec:
            s = row.get(fact["subject"])
            if s is None:
                continue
            pred = str(fact["predicate"])
            pred = str(row.get(pred[1:])) if pred.startswith("$") else pred
            if predicate_iri(pred) == NS + "reportsMetric":
                got = metric_evidence(ws, str(s), str(row.get(fact["metric"])), row.get(fact["value"]),
                                      row.get(fact.get("unit", "")), row.get(fact.get("period", "")))
            else:
                o = row.get(fact["object"])
                if o is None:
                    continue
                got = evidence(ws, str(s), pred, str(o))
            if fact.get("article"):
                got = [e for e in got if e["article"] == row.get(fact["article"])]
            found.extend(got)
        return _dedupe(found)
    # generic: facts between any two entity names of the row, else the facts about the one entity named
    if entities is None:
        entities = {str(r["label"]) for r in ws.query(_ENTITY)}
    names = [str(v) for v in row.values() if isinstance(v, str) and v in entities]
    names = list(dict.fromkeys(names))
    if len(names) >= 2:
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                found.extend(_between(ws, a, b))
    elif names:
        found.extend(_about(ws, names[0]))
    if "article" in row:
        found = [e for e in found if e["article"] == row["article"]] or found
    return _dedupe(found)


_BETWEEN = """
SELECT ?subject ?object ?p ?article ?date ?title ?sentence ?rule ?confidence ?start ?end ?sl ?ol
       ?g ?story ?source ?url WHERE {
  ?a rdfs:label ?subject . ?b rdfs:label ?object .
  GRAPH ?g { ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ci:sentence ?sentence .
             OPTIONAL { ?ev ci:rule ?rule } OPTIONAL { ?ev ci:confidence ?confidence }
             OPTIONAL { ?ev ci:start ?start } OPTIONAL { ?ev ci:end ?end } }
  FILTER((?s = ?a && ?o = ?b) || (?s = ?b && ?o = ?a))
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
  ?g ci:articleId ?article ; schema:headline ?title .
  OPTIONAL { ?g schema:datePublished ?d }
  OPTIONAL { ?g ci:story ?story } OPTIONAL { ?g ci:source ?source } OPTIONAL { ?g schema:url ?url }
  BIND(STR(?d) AS ?date)
}"""

_ABOUT = """
SELECT ?subject ?p ?article ?date ?title ?sentence ?rule ?confidence ?start ?end ?sl ?ol
       ?g ?story ?source ?url WHERE {
  ?a rdfs:label ?subject .
  GRAPH ?g { ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ci:sentence ?sentence .
             FILTER(?p != ci:reportsMetric)
             OPTIONAL { ?ev ci:rule ?rule } OPTIONAL { ?ev ci:confidence ?confidence }
             OPTIONAL { ?ev ci:start ?start } OPTIONAL { ?ev ci:end ?end } }
  FILTER(?s = ?a || ?o = ?a)
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
  ?g ci:articleId ?article ; schema:headline ?title .
  OPTIONAL { ?g schema:datePublished ?d }
  OPTIONAL { ?g ci:story ?story } OPTIONAL { ?g ci:source ?source } OPTIONAL { ?g schema:url ?url }
  BIND(STR(?d) AS ?date)
}"""


def _fact_text(r: dict[str, object]) -> str:
    return f"{r['sl']} {str(r['p'])[len(NS):]} {r['ol']}"


def _between(ws: Workspace, a: str, b: str) -> list[dict[str, object]]:
    rows = ws.query(_BETWEEN, {"subject": ox.Literal(a), "object": ox.Literal(b)})
    ratings = reliability.for_workspace(ws.path)
    return [_evidence_row(r, _fact_text(r), ratings) for r in rows]


def _about(ws: Workspace, a: str) -> list[dict[str, object]]:
    rows = ws.query(_ABOUT, {"subject": ox.Literal(a)})
    ratings = reliability.for_workspace(ws.path)
    return [_evidence_row(r, _fact_text(r), ratings) for r in rows]


def explain_rows(ws: Workspace, name: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each row of stored query ``name`` with an ``evidence`` list: fact, article, date, title, sentence..."""
    catalogue.get(name)
    entities = None if explain_spec(name) else {str(r["label"]) for r in ws.query(_ENTITY)}
    return [{**row, "evidence": row_evidence(ws, name, row, entities)} for row in rows]
