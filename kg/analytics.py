"""Graph analytics on the NetworkX projection (``kg.project.to_networkx``) that plain Cypher expresses badly.

* :func:`pagerank`: PageRank of companies in the network of competition and partnership facts;
* :func:`shortest_path`: the shortest chain of facts between two entities, each step with its provenance;
* :func:`exposure`: every company's exposure to every sanction through chains
  company -> (model ->) chip -> sanction, plus direct listings.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ingest.kb import vocabulary
from ingest.model import InputError
from kg.project import rel_type

NETWORK_TYPES = ("COMPETES_WITH", "PARTNERS_WITH")
_SKIP_LABELS = {"Article", "MetricObservation"}


class AnalyticsError(InputError):
    """An analytics command cannot run as asked (unknown entity, no path)."""


def _label(g: nx.MultiDiGraph[str], n: str) -> str:
    return str(g.nodes[n].get("name", n))


def _kind(g: nx.MultiDiGraph[str], n: str) -> str:
    return str(g.nodes[n].get("kind", ""))


def pagerank(g: nx.MultiDiGraph[str], types: tuple[str, ...] = NETWORK_TYPES, damping: float = 0.85,
             top: int | None = None) -> list[dict[str, object]]:
    """PageRank of the companies linked by ``types`` facts, edges weighted by their number of sources.

    Power iteration in plain Python (networkx's own pagerank needs SciPy); dangling mass is spread evenly.
    Rows: rank, company, pagerank (4 decimals), and how many competitors / partners it has.
    """
    nodes = sorted({n for u, v, d in g.edges(data=True) if d.get("__labels__", set()) & set(types)
                    for n in (u, v) if _kind(g, n) == "Company"}, key=lambda n: _label(g, n))
    if not nodes:
        return []
    index = set(nodes)
    symmetric = _symmetric_types()
    out_w: dict[str, dict[str, float]] = {n: {} for n in nodes}
    for u, v, d in g.edges(data=True):
        labels = d.get("__labels__", set())
        if u in index and v in index and labels & set(types) and u != v:
            w = float(d.get("sources", 1) or 1)
            for a, b in ((u, v), (v, u)) if labels & symmetric else ((u, v),):  # one edge per symmetric pair
                out_w[a][b] = out_w[a].get(b, 0.0) + w
    size = len(nodes)
    rank = {n: 1.0 / size for n in nodes}
    for _ in range(200):
        dangling = sum(rank[n] for n in nodes if not out_w[n])
        new = {n: (1 - damping) / size + damping * dangling / size for n in nodes}
        for u in nodes:
            total = sum(out_w[u].values())
            for v, w in out_w[u].items():
                new[v] += damping * rank[u] * w / total
        delta = sum(abs(new[n] - rank[n]) for n in nodes)
        rank = new
        if delta < 1e-12:
            break

    def degree(n: str, t: str) -> int:
        out = {v for _, v, d in g.out_edges(n, data=True) if t in d.get("__labels__", set())}
        if t in symmetric:  # stored once per pair: the other end may hold it
            out |= {u for u, _, d in g.in_edges(n, data=True) if t in d.get("__labels__", set())}
        return len(out)

    rows: list[dict[str, Any]] = [
        {"company": _label(g, n), "pagerank": round(rank[n], 4), "competitors": degree(n, "COMPETES_WITH"),
         "partners": degree(n, "PARTNERS_WITH")} for n in nodes]
    rows.sort(key=lambda r: (-r["pagerank"], r["company"]))
    rows = [{"rank": i + 1, **r} for i, r in enumerate(rows)]
    return rows[:top] if top else rows


def _symmetric_types() -> set[str]:
    """Relationship types of the symmetric relations (``COMPETES_WITH``...), from the ontology."""
    return {rel_type(p) for p in vocabulary().symmetric}


def find_node(g: nx.MultiDiGraph[str], name: str) -> str:
    """The node named ``name`` (exact name, then alias, case-insensitive); an error if none or ambiguous."""
    want = name.casefold()
    exact = [n for n, d in g.nodes(data=True) if d.get("kind") not in _SKIP_LABELS
             and str(d.get("name", "")).casefold() == want]
    if not exact:
        exact = [n for n, d in g.nodes(data=True) if d.get("kind") not in _SKIP_LABELS
                 and want in {str(a).casefold() for a in d.get("aliases", []) or []}]
    if not exact:
        raise AnalyticsError(f"no entity named {name!r} in the graph (see `kg lookup`)")
    return str(sorted(exact)[0])


def _entity_graph(g: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """Undirected simple graph of entities linked by facts (no articles, mentions or metrics)."""
    h: nx.Graph[str] = nx.Graph()
    for n, d in g.nodes(data=True):
        if d.get("kind") not in _SKIP_LABELS:
            h.add_node(n)
    for u, v, d in g.edges(data=True):
        if u in h and v in h and u != v and "MENTIONS" not in d.get("__labels__", set()):
            h.add_edge(u, v)
    return h


def shortest_path(g: nx.MultiDiGraph[str], source: str, target: str) -> list[dict[str, object]]:
    """The facts along a shortest chain between two entities, one row per step (facts in their direction)."""
    a, b = find_node(g, source), find_node(g, target)
    h = _entity_graph(g)
    try:
        path = nx.shortest_path(h, a, b)
    except nx.NetworkXNoPath:
        raise AnalyticsError(f"no chain of facts links {source!r} and {target!r}") from None
    rows = []
    for i, (u, v) in enumerate(zip(path, path[1:], strict=False), start=1):
        facts = [(u, v, d) for d in (g.get_edge_data(u, v) or {}).values()]
        facts += [(v, u, d) for d in (g.get_edge_data(v, u) or {}).values()]
        s, o, d = sorted(facts, key=lambda f: (f[0] != u, -int(f[2].get("sources", 0)), f[2].get("predicate", "")))[0]
        rows.append({"step": i, "subject": _label(g, s), "predicate": d.get("predicate"), "object": _label(g, o),
                     "sources": d.get("sources"), "first_reported": d.get("first_reported"),
                     "articles": list(d.get("articles", []))})
    return rows


def _out(g: nx.MultiDiGraph[str], n: str, t: str) -> list[str]:
    return sorted({v for _, v, d in g.out_edges(n, data=True) if t in d.get("__labels__", set())})


def exposure(g: nx.MultiDiGraph[str], company: str | None = None) -> list[dict[str, object]]:
    """Each company's exposure to each sanction: how many chains reach it, and the chains.

    Chains: company -SUBJECT_TO-> sanction (listed); company -USES_CHIP-> chip -SUBJECT_TO-> sanction (uses);
    company -DEVELOPS-> chip -SUBJECT_TO-> (designs); company -DEVELOPS-> model -USES_CHIP-> chip -SUBJECT_TO->
    (model). Rows are sorted by company, then sanction.
    """
    only = find_node(g, company) if company else None
    found: dict[tuple[str, str], set[str]] = {}

    def add(c: str, s: str, chain: list[str]) -> None:
        found.setdefault((c, s), set()).add(" -> ".join(chain))

    for c, d in g.nodes(data=True):
        if d.get("kind") != "Company" or (only and c != only):
            continue
        name = _label(g, c)
        for s in _out(g, c, "SUBJECT_TO"):
            add(c, s, [name, "subjectTo", _label(g, s)])
        for k in _out(g, c, "USES_CHIP"):
            for s in _out(g, k, "SUBJECT_TO"):
                add(c, s, [name, "usesChip", _label(g, k), "subjectTo", _label(g, s)])
        for x in _out(g, c, "DEVELOPS"):
            if _kind(g, x) == "Chip":
                for s in _out(g, x, "SUBJECT_TO"):
                    add(c, s, [name, "develops", _label(g, x), "subjectTo", _label(g, s)])
            elif _kind(g, x) == "AIModel":
                for k in _out(g, x, "USES_CHIP"):
                    for s in _out(g, k, "SUBJECT_TO"):
                        add(c, s, [name, "develops", _label(g, x), "usesChip", _label(g, k), "subjectTo",
                                   _label(g, s)])
    rows = []
    for (c, s), chains in found.items():
        rows.append({"company": _label(g, c), "sanction": _label(g, s),
                     "imposed_by": "; ".join(_label(g, b) for b in _out(g, s, "IMPOSED_BY")),
                     "chains": len(chains), "paths": sorted(chains)})
    rows.sort(key=lambda r: (r["company"], r["sanction"]))
    return rows
