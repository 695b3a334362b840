"""cikg: news articles about the AI industry in, a knowledge graph of facts with their provenance out.

The public API, for notebooks and programs (the ``kg`` command is a thin layer over it)::

    import kg

    kg.ingest(["examples/articles"], ".kg")                   # read, extract, store
    kg.run_query("competitors", {"company": "Baidu"}, workspace=".kg")
    kg.why("Alibaba Group", "investsIn", "Zhipu AI", ".kg")  # the sentences behind a fact
    with kg.open_workspace(".kg", read_only=True) as ws:       # open once, ask many questions
        card = kg.lookup("DeepSeek", ws).cards[0]

Everything in ``__all__`` is public and documented (``help(kg.ingest)``); the modules behind it (``kg.store``,
``kg.project``, ``kg.ingestion``...) are not, and may change. Names are loaded on first use, so that
``import kg`` and ``kg --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> the module that defines it
_SOURCES = {
    # workspaces
    "open_workspace": "kg.api",
    "Workspace": "kg.store",
    # ingest and extract
    "ingest": "kg.api",
    "IngestSummary": "kg.ingestion",
    "store_extractions": "kg.api",
    "extract": "kg.api",
    "records": "kg.api",
    "list_articles": "kg.api",
    "remove_articles": "kg.api",
    "evaluate": "kg.api",
    # stored queries and provenance
    "list_queries": "kg.api",
    "get_query": "kg.api",
    "run_query": "kg.api",
    "explain": "kg.api",
    "why": "kg.api",
    "changes": "kg.api",
    "StoredQuery": "kg.queries",
    # entities
    "lookup": "kg.api",
    "search": "kg.api",
    "entity_merges": "kg.api",
    "entity_suspects": "kg.api",
    "merge_entities": "kg.api",
    "split_entities": "kg.api",
    # the graph
    "stats": "kg.api",
    "export_graph": "kg.api",
    "validate_graph": "kg.api",
    "property_graph": "kg.api",
    "networkx_graph": "kg.api",
    "load_neo4j": "kg.api",
    # analytics
    "pagerank": "kg.api",
    "shortest_path": "kg.api",
    "exposure": "kg.api",
    # ad-hoc questions, briefs, pictures, the workbench
    "run_sparql": "kg.api",
    "run_cypher": "kg.api",
    "company_brief": "kg.api",
    "draw_neighbourhood": "kg.api",
    "serve": "kg.api",
    # errors: InputError is what every bad input raises (the others are kinds of it)
    "InputError": "ingest.model",
    "WorkspaceError": "kg.store",
    "QueryError": "kg.queries",
    "UnknownName": "kg.names",
}

__all__ = [
    "open_workspace", "Workspace", "ingest", "IngestSummary", "store_extractions", "extract", "records",
    "list_articles", "remove_articles", "evaluate", "list_queries", "get_query", "run_query", "explain", "why",
    "changes",
    "StoredQuery", "lookup", "search", "entity_merges", "entity_suspects", "merge_entities", "split_entities",
    "stats", "export_graph", "validate_graph", "property_graph", "networkx_graph",
    "load_neo4j", "pagerank", "shortest_path", "exposure", "run_sparql", "run_cypher", "company_brief",
    "draw_neighbourhood", "serve", "InputError", "WorkspaceError", "QueryError", "UnknownName",
]

if TYPE_CHECKING:
    from ingest.model import InputError
    from kg.api import (
        changes,
        company_brief,
        draw_neighbourhood,
        entity_merges,
        entity_suspects,
        evaluate,
        explain,
        export_graph,
        exposure,
        extract,
        get_query,
        ingest,
        list_articles,
        list_queries,
        load_neo4j,
        lookup,
        merge_entities,
        networkx_graph,
        open_workspace,
        pagerank,
        property_graph,
        records,
        remove_articles,
        run_cypher,
        run_query,
        run_sparql,
        search,
        serve,
        shortest_path,
        split_entities,
        stats,
        store_extractions,
        validate_graph,
        why,
    )
    from kg.ingestion import IngestSummary
    from kg.names import UnknownName
    from kg.queries import QueryError, StoredQuery
    from kg.store import Workspace, WorkspaceError


def __getattr__(name: str) -> object:
    """Load a public name on first use (PEP 562)."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
