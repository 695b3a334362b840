"""``kg bench --sparql URL``: the load rate into a SPARQL store and the stored queries' latency there.

The store's data are replaced (``load(..., wipe=True)``): point it at a store kept for benchmarks, such as
the local Fuseki of ``make fuseki-start``. Figures: the whole load (triples/s), a second load (nothing to
send: the cost of finding that out), and p50/p95 of every stored query with its example parameters, the
text bound as ``kg query run --backend sparql`` binds it, timed per HTTP round trip; the store is asked to stop
a query after the time limit (Fuseki's ``timeout`` parameter), so that a slow one does not slow the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kg import queries as catalogue
from kg.backends import sparql, sparql_text


def _pct(samples: list[float], q: float) -> float | None:
    s = sorted(samples)
    if not s:
        return None
    k = min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))
    return round(s[k] * 1000, 2)


def figures(workspace: Path, url: str, *, reps: int, timeout: float,
            log: Callable[[str], None] = lambda s: None) -> dict[str, object]:
    """Load and query figures for ``workspace`` on the store at ``url`` (its query endpoint)."""
    base = sparql.Endpoint.from_options(url)
    endpoint = sparql.Endpoint(base.query, base.graph_store, base.user, base.password, base.dataset, timeout=600)
    out: dict[str, object] = {"sparql_endpoint": url}
    log(f"  sparql: load into {endpoint.graph_store} (the store's graphs are replaced)")
    t0 = time.perf_counter()
    out["sparql_wiped_graphs"] = sparql.wipe(endpoint)
    out["sparql_wipe_s"] = round(time.perf_counter() - t0, 3)
    report = sparql.load(workspace, endpoint, wipe=True)  # from empty: the load rate
    out["sparql_protocol"] = report.protocol
    out["sparql_load_s"] = round(report.seconds, 3)
    out["sparql_triples"] = report.triples_sent
    out["sparql_graphs"] = report.graphs
    out["sparql_triples_per_s"] = round(report.triples_sent / report.seconds, 1) if report.seconds else None
    again = sparql.load(workspace, endpoint)
    out["sparql_reload_unchanged_s"] = round(again.seconds, 3)
    log("  sparql: stored queries")
    quick = sparql.Endpoint(base.query, base.graph_store, base.user, base.password, base.dataset, timeout=timeout)
    latency: dict[str, dict[str, object]] = {}
    with sparql.Client(quick) as client:
        for name, q in sorted(catalogue.catalogue().items()):
            if "rdf" not in q.backends:
                continue
            text = sparql_text.bind(q.sparql, q.bind({p.name: p.example for p in q.params}))
            samples: list[float] = []
            start = time.perf_counter()
            try:
                client.select(text, server_timeout=timeout)  # warm-up
                for _ in range(reps):
                    if samples and time.perf_counter() - start > timeout:
                        break
                    t0 = time.perf_counter()
                    client.select(text, server_timeout=timeout)
                    samples.append(time.perf_counter() - t0)
            except sparql.SparqlError as exc:
                latency[name] = {"p50": None, "p95": None, "timeout": timeout, "error": str(exc)[:200]}
                continue
            res: dict[str, object] = {"p50": _pct(samples, 0.5), "p95": _pct(samples, 0.95)}
            if len(samples) < reps:
                res["reps"] = len(samples)
            latency[name] = res
    out["_sparql_latency"] = latency
    return out
