"""Graph analytics on the NetworkX projection: PageRank, shortest path with facts, sanction exposure."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg import analytics, api
from kg.cli import app
from kg.project import to_networkx

runner = CliRunner()


@pytest.fixture(scope="module")
def graph(examples_workspace: Path) -> nx.MultiDiGraph:
    return to_networkx(api.property_graph(examples_workspace))


def test_pagerank_on_a_small_graph() -> None:
    g = nx.MultiDiGraph()
    for n in "ABCD":
        g.add_node(n, name=n, kind="Company", __labels__={"Company"})
    for u, v in [("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("A", "D"), ("D", "A")]:
        g.add_edge(u, v, key="COMPETES_WITH", __labels__={"COMPETES_WITH"}, sources=1)
    rows = analytics.pagerank(g)
    assert rows[0]["company"] == "A" and rows[0]["competitors"] == 3
    assert abs(sum(r["pagerank"] for r in rows) - 1) < 1e-3
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert rows[1]["pagerank"] == rows[2]["pagerank"] == rows[3]["pagerank"]


def test_pagerank_on_examples(graph: nx.MultiDiGraph) -> None:
    rows = analytics.pagerank(graph, top=3)
    assert len(rows) == 3
    assert rows[0]["company"] == "Alibaba Cloud" and rows[0]["competitors"] == 4
    assert rows[0]["pagerank"] >= rows[1]["pagerank"] >= rows[2]["pagerank"]


def test_shortest_path_with_facts(graph: nx.MultiDiGraph) -> None:
    steps = analytics.shortest_path(graph, "DeepSeek", "Nvidia")
    assert [(s["subject"], s["predicate"], s["object"]) for s in steps] == [
        ("DeepSeek", "usesChip", "H800"), ("Nvidia", "develops", "H800")]
    assert steps[1]["sources"] == 3 and len(steps[1]["articles"]) == 3
    assert steps[0]["first_reported"] == "2025-01-24"
    with pytest.raises(analytics.AnalyticsError, match="no entity"):
        analytics.shortest_path(graph, "DeepSeek", "Nobody Inc")


def test_exposure_chains(graph: nx.MultiDiGraph) -> None:
    rows = {(r["company"], r["sanction"]): r for r in analytics.exposure(graph)}
    tencent = rows[("Tencent", "US export controls on advanced chips")]
    # examples/README.md: "US export controls" are the United States' and, in huawei-ascend-smic.txt, the BIS's
    assert set(tencent["imposed_by"].split("; ")) == {"United States", "Bureau of Industry and Security"}
    assert tencent["chains"] == 2
    assert tencent["paths"] == [
        "Tencent -> develops -> Hunyuan T1 -> usesChip -> H800 -> subjectTo -> US export controls on advanced chips",
        "Tencent -> usesChip -> H800 -> subjectTo -> US export controls on advanced chips"]
    assert rows[("Huawei", "Entity List")]["paths"] == ["Huawei -> subjectTo -> Entity List"]
    assert rows[("ByteDance", "US export controls on advanced chips")]["chains"] == 1
    assert [r["company"] for r in analytics.exposure(graph, "tencent")] == ["Tencent"]


def test_analytics_cli(examples_workspace: Path) -> None:
    w = ["-w", str(examples_workspace)]
    pr = runner.invoke(app, ["analytics", "pagerank", "-n", "2", "-f", "json", *w])
    assert pr.exit_code == 0, pr.output
    assert [r["rank"] for r in json.loads(pr.output)] == [1, 2]
    path = runner.invoke(app, ["analytics", "path", "DeepSeek", "Nvidia", "-f", "json", *w])
    assert path.exit_code == 0 and json.loads(path.output)[0]["predicate"] == "usesChip"
    exp = runner.invoke(app, ["analytics", "exposure", "--company", "DeepSeek", *w])
    assert exp.exit_code == 0 and "H800" in exp.output
    bad = runner.invoke(app, ["analytics", "path", "Nobody", "Nvidia", *w])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "no entity named 'Nobody'" in bad.output
