"""The SPARQL 1.1 Protocol's query operation over a read-only store: parsing, content negotiation, results.

What ``/sparql`` does with a request (``kg.web.app`` reads the HTTP request, ``kg.web.workers`` runs this in
a process it can stop):

* the query comes from ``?query=`` (GET), a form-encoded body (POST ``application/x-www-form-urlencoded``) or
  the whole body (POST ``application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` (repeatable)
  set the dataset. Without them the default graph is the union of every graph (each article's graph and the
  shared entity graph), and every named graph is there for ``GRAPH``;
* the prefixes of ``kg.store.PREFIXES`` (ci:, rdfs:, skos:, prov:, schema:, xsd:, rdf:) are predeclared, as in
  ``kg query run``; a query's own ``PREFIX`` lines come first;
* SELECT and ASK answer in ``application/sparql-results+json`` (the default), ``+xml``, ``text/csv`` or
  ``text/tab-separated-values``; CONSTRUCT and DESCRIBE in Turtle (the default), N-Triples, JSON-LD or
  RDF/XML, chosen by the ``Accept`` header (q-values honoured; 406 when none fits);
* at most ``max_rows`` solutions (or triples) are returned; a longer answer is cut there and says so in the
  ``X-KG-Truncated`` header (``X-KG-Row-Limit`` gives the limit). The time limit is the worker pool's.

Results are serialised here rather than by Oxigraph's serialisers so that an answer can stop at the row limit
while the query is still producing: Oxigraph evaluates lazily, so stopping early also stops its work.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"

RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
# what else clients send for the same formats
_ALIASES = {"application/json": SPARQL_JSON, "application/xml": SPARQL_XML, "text/xml": SPARQL_XML,
            "text/plain": NTRIPLES, "application/x-turtle": TURTLE, "application/turtle": TURTLE,
            "application/x-ntriples": NTRIPLES}
_RDF_FORMATS = {TURTLE: ox.RdfFormat.TURTLE, NTRIPLES: ox.RdfFormat.N_TRIPLES, JSONLD: ox.RdfFormat.JSON_LD,
                RDFXML: ox.RdfFormat.RDF_XML}


@dataclass
class Answer:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str) -> Answer:
    """A plain-text error answer of one line (what the client did wrong, or which limit it reached)."""
    return Answer(status, "text/plain; charset=utf-8", (message.strip() + "\n").encode("utf-8"))


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values, best first (order kept among equals)."""
    ranges: list[tuple[str, float, int]] = []
    for i, part in enumerate((header or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(p[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The first of ``offered`` (the first is the default) that ``accept`` takes; None when it takes none."""
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        media = _ALIASES.get(media, media)
        if media in offered:
            return media
        if media in ("*/*", "*"):
            return offered[0]
        if media.endswith("/*"):
            for o in offered:
                if o.startswith(media[:-1]):
                    return o
    return None


# --- terms ----------------------------------------------------------------------------------------------


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    return {"type": "literal", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    return f"<literal>{_xml_text(str(term))}</literal>"


def _xml_text(text: str) -> str:
    """Text as XML 1.0 character data: characters XML cannot hold at all are written as U+FFFD."""
    clean = "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                    or c >= "\U00010000" else "\ufffd" for c in text)
    return escape(clean)


def _csv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    return str(term)  # N-Triples syntax: tabs and newlines inside literals are escaped


# --- results --------------------------------------------------------------------------------------------


def solutions_body(variables: list[str], rows: list[list[object]], media: str) -> bytes:
    """SELECT results in ``media`` (one of ``RESULT_TYPES``)."""
    if media == SPARQL_JSON:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == SPARQL_XML:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if media == CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if media == TSV:
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(media)


def boolean_body(value: bool, media: str) -> bytes:
    """ASK results in ``media``; CSV and TSV (which the specification leaves open) as ``true`` or ``false``."""
    if media == SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media == SPARQL_XML:
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (("true" if value else "false") + "\n").encode("utf-8")


def graph_body(triples: list[ox.Triple], media: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``media`` (one of ``GRAPH_TYPES``)."""
    fmt = _RDF_FORMATS[media]
    used = prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=used) or b""


def _media_type(media: str) -> str:
    return media if media.startswith("application/") and media != JSONLD else f"{media}; charset=utf-8"


def execute(store: ox.Store, query: str, *, accept: str | None, default_graphs: list[str], named_graphs: list[str],
            max_rows: int, prefixes: dict[str, str]) -> Answer:
    """Run one query on ``store`` and answer it (see the module docstring)."""
    options: dict[str, object] = {"prefixes": prefixes}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(query, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        return error(400, f"the query is not SPARQL 1.1 (updates are refused): {_first_line(exc)}")
    except ValueError as exc:  # a bad IRI in default-graph-uri / named-graph-uri
        return error(400, f"bad dataset: {_first_line(exc)}")
    headers = {"X-KG-Row-Limit": str(max_rows), "Vary": "Accept"}
    try:
        if isinstance(result, ox.QueryBoolean):
            media = negotiate(accept, RESULT_TYPES)
            if media is None:
                return _not_acceptable(accept, RESULT_TYPES)
            return Answer(200, _media_type(media), boolean_body(bool(result), media), headers)
        if isinstance(result, ox.QuerySolutions):
            media = negotiate(accept, RESULT_TYPES)
            if media is None:
                return _not_acceptable(accept, RESULT_TYPES)
            variables = [v.value for v in result.variables]
            rows: list[list[object]] = []
            for solution in result:
                if len(rows) >= max_rows:
                    headers["X-KG-Truncated"] = "true"
                    break
                rows.append([solution[v] for v in variables])
            return Answer(200, _media_type(media), solutions_body(variables, rows, media), headers)
        media = negotiate(accept, GRAPH_TYPES)
        if media is None:
            return _not_acceptable(accept, GRAPH_TYPES)
        triples: list[ox.Triple] = []
        for t in result:
            if len(triples) >= max_rows:
                headers["X-KG-Truncated"] = "true"
                break
            triples.append(t)
        return Answer(200, _media_type(media), graph_body(triples, media, prefixes), headers)
    except OSError as exc:  # the store could not be read (the worker's snapshot went): the caller retries
        return error(500, f"the workspace could not be read: {_first_line(exc)}")
    except (ValueError, RuntimeError) as exc:  # an evaluation error Oxigraph reports while producing rows
        return error(400, f"the query failed: {_first_line(exc)}")


def _not_acceptable(accept: str | None, offered: tuple[str, ...]) -> Answer:
    return error(406, f"no format of this answer matches Accept: {accept!r} (offered: {', '.join(offered)})")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
