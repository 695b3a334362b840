"""The analyst's catalogue: 20+ stored queries, provenance for every answer (`--explain`, `kg why`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import api
from kg import queries as catalogue
from kg.cli import app

runner = CliRunner()
QUERIES = sorted(catalogue.catalogue())
NEW = ["chips_by_company", "conflicting_metrics", "corporate_tree", "domestic_alternatives", "fact_sources",
       "facts_since", "metric_timeline", "most_connected", "orphans", "rivals_sharing_supplier"]
ZHIPU_ARTICLES = ["https://news.example.org/wire/2025/01/16/zhipu-entity-list",
                  "https://news.example.org/2025/11/25/alibaba-cloud-qwen-quarter"]


@pytest.fixture(scope="module")
def ws(examples_workspace: Path) -> Path:
    return examples_workspace


def params(name: str) -> dict[str, object]:
    return {p.name: p.example for p in catalogue.get(name).params}


def test_query_list_json_has_twenty_queries_with_examples() -> None:
    result = runner.invoke(app, ["query", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) >= 20
    for q in items:
        assert q["description"] and q["columns"]
        assert "rdf" in q["backends"] and "neo4j" in q["backends"]
        assert all(p["example"] is not None and p["description"] for p in q["params"])
    assert all("networkx" in q["backends"] for q in items)  # each a function of kg.nxqueries


def test_queries_refuse_backends_they_do_not_declare(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query whose yaml names fewer backends (every stored query today runs on all three) is refused on others."""
    import dataclasses

    narrow = dataclasses.replace(catalogue.get("most_connected"), backends=("rdf", "neo4j"))
    monkeypatch.setattr(catalogue, "get", lambda name: narrow)
    with pytest.raises(catalogue.QueryError, match="does not run on networkx"):
        api.run_query("most_connected", {"min_degree": 6}, "networkx", ws)


def test_date_filter(ws: Path) -> None:
    late = api.run_query("facts_since", {"since": "2025-11-01"}, "rdf", ws)
    assert late and all(r["first_reported"] >= "2025-11-01" for r in late)
    assert len(api.run_query("facts_since", {"since": "2025-01-01"}, "rdf", ws)) > len(late)
    with pytest.raises(catalogue.QueryError, match="YYYY-MM-DD"):
        api.run_query("facts_since", {"since": "last week"}, "rdf", ws)


def test_why_fact_stated_in_two_articles(ws: Path) -> None:
    evidence = api.why("Alibaba Group", "investsIn", "Zhipu AI", ws)
    assert sorted({e["article"] for e in evidence}) == sorted(ZHIPU_ARTICLES)
    sentences = {e["sentence"] for e in evidence}
    assert "Alibaba Group and Tencent have both invested in Zhipu AI." in sentences
    assert any(s.startswith("Alibaba Group has also invested in Moonshot AI and Zhipu AI") for s in sentences)
    assert [e["date"] for e in evidence] == ["2025-01-16", "2025-11-25"]  # oldest first
    # relation type spelling and symmetric facts read either way
    assert api.why("Alibaba Group", "INVESTS_IN", "Zhipu AI", ws) == evidence
    assert api.why("Alibaba Group", "competesWith", "Baidu", ws)


def test_why_cli(ws: Path) -> None:
    result = runner.invoke(app, ["why", "Alibaba Group", "investsIn", "Zhipu AI", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output
    assert "Alibaba Group and Tencent have both invested in Zhipu AI." in result.output
    as_json = json.loads(runner.invoke(app, ["why", "Alibaba Group", "investsIn", "Zhipu AI", "-f", "json", "-w",
                                             str(ws)]).output)
    assert {e["article"] for e in as_json} == set(ZHIPU_ARTICLES)
    for args in (["Alibaba Group", "investsIn", "Baidu"], ["Alibaba Group", "likes", "Baidu"]):
        bad = runner.invoke(app, ["why", *args, "-w", str(ws)])
        assert bad.exit_code == 1 and "Traceback" not in bad.output
        assert len(bad.output.strip().splitlines()) == 1


def test_explain_rows_fact_in_two_articles(ws: Path) -> None:
    rows = api.run_query("partners_and_investments", {"company": "Alibaba Group"}, "rdf", ws)
    explained = api.explain("partners_and_investments", rows, ws)
    zhipu = next(r for r in explained if r["other"] == "Zhipu AI")
    assert zhipu["sources"] == 2
    assert {e["article"] for e in zhipu["evidence"]} == set(ZHIPU_ARTICLES)
    assert all(e["fact"] == "Alibaba Group investsIn Zhipu AI" for e in zhipu["evidence"])


def test_explain_cli_json(ws: Path) -> None:
    result = runner.invoke(app, ["query", "run", "models_by_company", "-p", "company=Alibaba Group", "--explain",
                                 "-f", "json", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["model"] == "Qwen" and row["sources"] == 2
    assert len({e["article"] for e in row["evidence"]}) == 2
    assert all(e["sentence"] and e["title"] for e in row["evidence"])
    table = runner.invoke(app, ["query", "run", "models_by_company", "-p", "company=Alibaba Group", "--explain",
                                "-w", str(ws)])
    assert table.exit_code == 0 and "Alibaba Group develops Qwen" in table.output


def test_explain_metric_rows(ws: Path) -> None:
    rows = api.run_query("conflicting_metrics", {}, "rdf", ws)
    explained = api.explain("conflicting_metrics", rows, ws)
    articles = [{e["article"] for e in r["evidence"]} for r in explained]
    assert all(len(a) == 1 for a in articles) and articles[0] != articles[1]  # each value from its own article


@pytest.mark.parametrize("name", [q for q in QUERIES if q != "orphans"])
def test_every_row_has_evidence(ws: Path, name: str) -> None:
    rows = api.run_query(name, params(name), "rdf", ws)
    for row in api.explain(name, rows, ws):
        assert row["evidence"], f"{name}: no evidence for {row}"
        assert all(e["sentence"] and e["article"] for e in row["evidence"])


@pytest.mark.neo4j
def test_new_queries_same_rows_on_neo4j(ws: Path, neo4j_settings) -> None:
    from kg.backends import neo4j as nb

    nb.load(api.property_graph(ws), neo4j_settings, wipe=True)
    s = neo4j_settings
    for name in NEW:
        rdf = api.run_query(name, params(name), "rdf", ws)
        neo = api.run_query(name, params(name), "neo4j", ws, uri=s.uri, user=s.user, password=s.password,
                            database=s.database)
        assert rdf and rdf == neo, name
