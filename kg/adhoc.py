"""Ad-hoc questions, not only stored ones: ``kg sparql`` and ``kg cypher``.

``kg sparql "SELECT ..."`` (or a ``.rq`` file) runs on the workspace as stored queries do: the default graph
is the union of every graph, the prefixes ci:, rdfs:, skos:, schema:, prov:, xsd: and rdf: are declared, and
``--param NAME=VALUE`` binds ``?NAME`` as an RDF term (a ``VALUES`` row and a substitution, never text spliced
into the query). SELECT gives its rows; ASK one row ``result``; CONSTRUCT and DESCRIBE rows of subject, predicate,
object. ``kg cypher "MATCH ..."`` runs on the NetworkX projection (grand-cypher) or on Neo4j, ``$NAME`` bound the
same way (grand-cypher has no parameters: values are written in as escaped literals).

Parameter values are plain strings, except ``<...>`` (an IRI) and a whole number (an integer); quote a
number to keep it a string (``-p code='"9988"'``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ingest.model import InputError
from kg import queries as catalogue
from kg.store import PREFIXES, Workspace

MAX_TEXT = 1_000_000  # characters of a query (text or file)


def query_text(text_or_file: str, suffixes: tuple[str, ...]) -> str:
    """The query: ``text_or_file`` itself, or the content of the file it names (ending in one of ``suffixes``)."""
    candidate = text_or_file.strip()
    if candidate.endswith(suffixes) and "\n" not in candidate:
        path = Path(candidate)
        if not path.is_file():
            raise InputError(f"QUERY {candidate!r}: no such file")
        if path.stat().st_size > MAX_TEXT:
            raise InputError(f"QUERY {candidate!r}: the file is over {MAX_TEXT:,} bytes")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(f"QUERY {candidate!r}: the file is not UTF-8 text") from None
    if not candidate:
        raise InputError("QUERY is empty")
    if len(text_or_file) > MAX_TEXT:
        raise InputError(f"QUERY is over {MAX_TEXT:,} characters")
    return text_or_file


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def param_value(name: str, raw: str) -> object:
    """A ``--param`` value as a Python value: ``<iri>`` an IRI, a whole number an int, ``"..."`` a string."""
    if not _NAME.fullmatch(name):
        raise InputError(f"--param {name!r}: a parameter name is letters, digits and _")
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        try:
            return ox.NamedNode(text[1:-1])
        except ValueError:
            raise InputError(f"--param {name}: {text!r} is not an IRI") from None
    if re.fullmatch(r"[+-]?\d{1,18}", text):
        return int(text)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return raw


def parse_params(items: dict[str, str]) -> dict[str, object]:
    return {k: param_value(k, v) for k, v in items.items()}


def sparql(ws: Workspace, text: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Rows of an ad-hoc SPARQL query on the open workspace ``ws`` (see the module docstring); string values
    of ``params`` are read by ``param_value``."""
    params = {k: param_value(k, v) if isinstance(v, str) else v for k, v in (params or {}).items()}
    try:
        kind, columns = _kind(text)
    except SyntaxError as exc:
        raise InputError(f"QUERY is not SPARQL 1.1 (updates are refused): {_first(exc)}") from None
    if kind == "graph":
        if params:
            raise InputError("--param binds variables of SELECT and ASK queries only")
        result = ws.store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        return [{"subject": _value(t.subject), "predicate": _value(t.predicate), "object": _value(t.object)}
                for t in result]  # type: ignore[union-attr]
    missing = [k for k in params if not re.search(rf"[?$]{re.escape(k)}\b", text)]
    if missing:
        raise InputError(f"--param {missing[0]}: the query has no variable ?{missing[0]}")
    unlisted = [k for k in params if columns is not None and k not in columns]
    if unlisted:  # Oxigraph binds a parameter only where the answer has its column
        raise InputError(f"--param {unlisted[0]}: ?{unlisted[0]} must be one of the SELECT's columns (add it, or "
                         "SELECT *)")
    try:
        rows = ws.query(text, params)
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        raise InputError(f"the query failed: {_first(exc)}") from None
    return [{k: (v.value if isinstance(v, ox.NamedNode) else v) for k, v in r.items()} for r in rows]


def _kind(text: str) -> tuple[str, list[str] | None]:
    """"graph" for CONSTRUCT/DESCRIBE, else "rows", and a SELECT's columns: parsed by Oxigraph on an empty store
    (nothing is run)."""
    result = ox.Store().query(text, prefixes=PREFIXES)
    if isinstance(result, ox.QuerySolutions):
        return "rows", [v.value for v in result.variables]
    return ("graph" if isinstance(result, ox.QueryTriples) else "rows"), None


def _value(term: object) -> object:
    from kg.store import from_term

    return from_term(term)


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def cypher(ws: Workspace | None, text: str, params: dict[str, object] | None = None, backend: str = "networkx",
           **neo4j_settings: object) -> list[dict[str, object]]:
    """Rows of an ad-hoc Cypher query on ``backend``: the NetworkX projection of ``ws``, or Neo4j."""
    params = {k: param_value(k, v) if isinstance(v, str) else v for k, v in (params or {}).items()}
    params = {k: (v.value if isinstance(v, ox.NamedNode) else v) for k, v in params.items()}
    if backend == "networkx":
        from kg.project import project, to_networkx
        from kg.querying import run_cypher_networkx

        assert ws is not None, "the networkx backend reads a workspace"
        return run_cypher_networkx(to_networkx(project(ws)), catalogue.inline_params(text, params))
    if backend == "neo4j":
        from kg.backends import neo4j as neo4j_backend

        settings = {k: v for k, v in neo4j_settings.items() if v}
        return neo4j_backend.run_cypher(text, params, **settings)  # type: ignore[arg-type]
    raise InputError(f"--backend must be networkx or neo4j, got {backend!r}")
