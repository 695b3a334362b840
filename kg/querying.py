"""Running a stored query on one backend: parameters checked and bound, entity names resolved, rows made alike.

Behind :func:`kg.run_query`. ``rdf``: the SPARQL on the workspace's store; ``networkx``: the query's plain
function over the NetworkX projection (``kg.nxqueries``: grand-cypher took seconds at 10,000 articles and could
not express several queries; it stays for ad-hoc Cypher, :func:`run_cypher_networkx`); ``neo4j``: the Cypher on
a server, parameters bound by the driver. Rows are then reduced to the declared
columns in the declared order (``kg.queries.normalise_rows``), so every backend gives the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg import queries as catalogue
from kg.store import Workspace
from ontology import NS

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.neo4j import Settings
    from kg.names import NameIndex

_HAS_LABEL = "ASK { ?e rdfs:label ?value ; a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:))) }"
_HAS_TYPED_LABEL = "ASK { ?e rdfs:label ?value ; a ?type }"


def run_query(name: str, params: dict[str, object] | None, backend: str, ws: Workspace | None, *,
              notes: list[str] | None = None, settings: Settings | None = None) -> list[dict[str, object]]:
    """Rows of stored query ``name`` on ``backend``, read from ``ws`` (rdf, networkx) or the Neo4j server of
    ``settings`` (default: the NEO4J_* environment variables)."""
    q = catalogue.get(name)
    if backend not in catalogue.BACKENDS:
        raise catalogue.QueryError(f"unknown backend {backend!r} (choose from {', '.join(catalogue.BACKENDS)})")
    if backend not in q.backends:
        raise catalogue.QueryError(f"query {name!r} does not run on {backend} (it runs on {', '.join(q.backends)})")
    bound = q.bind(params)
    bound = _resolve_entity_params(q, bound, backend, ws, settings, notes if notes is not None else [])
    if backend == "neo4j":
        from kg.backends import neo4j

        rows = neo4j.run_cypher(q.cypher, bound, settings)
    else:
        assert ws is not None, "the rdf and networkx backends read a workspace"
        if backend == "rdf":
            rows = ws.query(q.sparql, bound)
        else:
            from kg import nxqueries
            from kg.project import project, to_networkx

            rows = nxqueries.run(name, to_networkx(project(ws)), bound)
    return catalogue.normalise_rows(q, rows)


def _resolve_entity_params(q: catalogue.StoredQuery, bound: dict[str, object], backend: str, ws: Workspace | None,
                           settings: Settings | None, notes: list[str]) -> dict[str, object]:
    """``bound`` with each entity parameter checked against the graph ``backend`` reads (see ``run_query``)."""
    wanted = [p for p in q.params if p.entity and isinstance(bound.get(p.name), str)]
    if not wanted:
        return bound
    from kg.names import NameIndex, index_from_rows, kb_names, name_index

    index: NameIndex | None = None
    out = dict(bound)
    for p in wanted:
        value = str(bound[p.name])
        type_ = None if p.entity == "any" else p.entity
        if backend == "neo4j":
            from ingest.kb import default_kb
            from kg.backends import neo4j

            label = f":`{type_}`" if type_ else ""
            if neo4j.run_cypher(f"MATCH (n{label}) WHERE n.name = $v RETURN n.iri LIMIT 1", {"v": value},
                                settings):
                continue
            if index is None:
                rows = neo4j.run_cypher(
                    "MATCH (n) WHERE n.name IS NOT NULL AND NOT n:Article AND NOT n:MetricObservation "
                    "RETURN n.iri AS iri, n.name AS name, n.kind AS kind, n.aliases AS aliases", {}, settings)
                graph = index_from_rows(rows)
                index = NameIndex(graph.names + kb_names(default_kb()), graph.present)
        else:
            assert ws is not None
            terms: dict[str, object] = {"value": value}
            if type_:
                import pyoxigraph as ox

                terms["type"] = ox.NamedNode(NS + type_)
            if ws.query(_HAS_TYPED_LABEL if type_ else _HAS_LABEL, terms)[0]["result"]:
                continue
            if index is None:
                index = name_index(ws)
        found = index.resolve(value, type_, what=p.name if p.entity != "any" else None, fuzzy=False)
        notes.append(f"--param {p.name}={value!r} is {found.label!r}")
        out[p.name] = found.label
    return out


def run_cypher_networkx(graph: nx.MultiDiGraph[str], cypher: str) -> list[dict[str, object]]:
    """Cypher on a NetworkX graph with grand-cypher (a fresh engine per query: reuse returns stale rows), on its
    ``cypher_view`` (symmetric relationships also reversed; pass the view itself to build it once)."""
    from grandcypher import GrandCypher

    from kg.project import cypher_view

    try:
        table = GrandCypher(cypher_view(graph)).run(cypher)
    except Exception as exc:  # grand-cypher raises lark and KeyErrors for what it cannot run
        raise catalogue.QueryError(f"grand-cypher cannot run this query: {str(exc).splitlines()[0]}") from None
    columns = list(table)
    n = len(table[columns[0]]) if columns else 0
    return [{c: _plain(table[c][i]) for c in columns} for i in range(n)]


def _plain(value: object) -> object:
    if isinstance(value, set):
        return sorted(value)
    return value
