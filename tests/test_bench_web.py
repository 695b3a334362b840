"""``kg bench --web`` (``benchmarks.web``) on a real ``kg serve`` over the example workspace: every figure is there
and is a measurement of this run (no timing is asserted: positive, p50 never above p95, every answer 200)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import pipeline, web
from kg import queries as catalogue


def test_web_figures_on_the_examples(examples_workspace: Path) -> None:
    rec = web.figures(examples_workspace, reps=2, clients=2, seconds=1.0)
    cold = rec["web_page_cold_latency_ms"]
    assert isinstance(cold, dict)
    # every company page of the 10 most connected companies (the examples have that many), each viewed once
    assert set(cold) == {"search", "suggest (JSON)", "entity", "graph page", "graph data, 2 hops (JSON)",
                         "stored query competitors", "brief", "article"}
    assert all(v["n"] == web.COLD and 0 < v["p50"] <= v["p95"] <= v["max"] for v in cold.values()), cold
    warm = rec["web_page_latency_ms"]
    assert isinstance(warm, dict) and set(cold) | {"home", "catalogue", "articles"} == set(warm)
    assert all(0 < v["p50"] <= v["p95"] and v["first"] > 0 for v in warm.values()), warm
    sq = rec["web_sparql_latency_ms"]
    assert isinstance(sq, dict)
    assert set(sq) == {n for n, q in catalogue.catalogue().items() if "rdf" in q.backends}
    assert all(v.get("timeout") or 0 < v["p50"] <= v["p95"] for v in sq.values()), sq
    assert rec["web_errors_sequential"] == 0
    assert rec["web_concurrent_sparql_left_out"] == sorted(n for n, v in sq.items() if v.get("timeout"))
    for key in ("pages", "all"):
        assert rec[f"web_requests_per_s_{key}"] > 0 and rec[f"web_errors_concurrent_{key}"] == 0  # type: ignore[operator]
    # the bench table shows them, one row per page and per query
    table = pipeline.table([{"articles": 11, **rec}])
    assert "kg serve page, first views brief: p50 / p95 ms" in table
    assert "kg serve page, again entity: p50 / p95 ms" in table
    assert "kg serve requests/s, 8 concurrent clients, pages" in table
