"""Every `kg` command through the CLI runner, on articles written for these tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

ARTICLE_MD = """---
title: Alibaba trains Qwen on H20 chips
date: 2025-04-02
source: Test Wire
url: https://news.example.org/cli/qwen-h20
---

Alibaba's Qwen models were trained on Nvidia H20 chips, the company said. Alibaba competes with Baidu and
Tencent for cloud customers. Eddie Wu, chief executive of Alibaba Group, said revenue rose 7% to RMB 280
billion in fiscal 2025.
"""

ARTICLE_TXT = """Baidu and its chips

Baidu competes with Alibaba in China. The H20 is subject to US export controls on advanced chips.
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "qwen.md").write_text(ARTICLE_MD, encoding="utf-8")
    (d / "baidu.txt").write_text(ARTICLE_TXT, encoding="utf-8")
    (d / "notes.docx").write_bytes(b"PK\x03\x04")
    return d


@pytest.fixture()
def ws(tmp_path: Path, corpus: Path) -> Path:
    w = tmp_path / "ws"
    result = runner.invoke(app, ["ingest", str(corpus), "--workspace", str(w)])
    assert result.exit_code == 0, result.output
    return w


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ingest_summary_and_idempotency(tmp_path: Path, corpus: Path) -> None:
    w = str(tmp_path / "w2")
    first = runner.invoke(app, ["ingest", str(corpus), "-w", w, "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["articles"] == 2 and summary["facts"] > 3 and summary["skipped"] == 1
    assert "notes.docx" in first.stderr
    again = json.loads(run("ingest", str(corpus), "-w", w, "--json").strip().splitlines()[-1])
    assert again["articles"] == 0 and again["unchanged"] == 2
    assert json.loads(run("stats", "-w", w, "--json"))["articles"] == 2


def test_workspace_from_environment(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_WORKSPACE", str(tmp_path / "envws"))
    run("ingest", str(corpus))
    assert (tmp_path / "envws").is_dir()


def test_extract_jsonl_has_contract_fields(corpus: Path) -> None:
    lines = [json.loads(x) for x in run("extract", str(corpus / "qwen.md")).splitlines()]
    assert lines
    for rec in lines:
        assert {"article", "subject_label", "predicate", "object_label", "sentence"} <= set(rec)
    rel = next(r for r in lines if r["predicate"].endswith("#usesChip"))
    assert rel["article"] == "https://news.example.org/cli/qwen-h20"
    metric = next(r for r in lines if "metric_name" in r and r["unit"] == "CNY")
    assert metric["value"] == 280_000_000_000 and metric["period"] == "FY2025"
    assert "H20" in run("extract", str(corpus / "qwen.md"), "--format", "table")


def test_query_list_show_and_run(ws: Path) -> None:
    items = json.loads(run("query", "list", "--format", "json"))
    assert len(items) >= 8
    for q in items:
        assert q["description"] and {"name", "params", "backends"} <= set(q)
        assert all({"name", "description", "example"} <= set(p) for p in q["params"])
    assert "SELECT" in run("query", "show", "competitors")
    rows = json.loads(run("query", "run", "competitors", "-p", "company=Alibaba Group", "-w", str(ws),
                          "--format", "json"))
    assert {r["competitor"] for r in rows} >= {"Baidu", "Tencent"}
    baidu = next(r for r in rows if r["competitor"] == "Baidu")
    assert baidu["sources"] == 2
    nx_rows = json.loads(run("query", "run", "competitors", "-p", "company=Alibaba Group", "-w", str(ws),
                             "--backend", "networkx", "--format", "json"))
    assert nx_rows == rows
    text = run("query", "run", "competitors", "-p", "company=Alibaba Group", "-w", str(ws), "-f", "csv")
    assert list(csv.DictReader(io.StringIO(text)))[0].keys() == {"company", "competitor", "sources"}
    assert "Baidu" in run("query", "run", "competitors", "-p", "company=Alibaba Group", "-w", str(ws))


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "run", "no_such_query"], "unknown query"),
        (["query", "run", "competitors"], "needs parameter 'company'"),
        (["query", "run", "competitors", "-p", "company=Baidu", "-p", "colour=red"], "no parameter 'colour'"),
        (["query", "run", "competitors", "-p", "company"], "NAME=VALUE"),
        (["lookup", "Nonexistent Corp"], "no entity named"),
    ],
)
def test_errors_are_one_line(ws: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "-w", str(ws)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_lookup_card(ws: Path) -> None:
    text = run("lookup", "Alibaba", "-w", str(ws))
    assert "Alibaba Group (Company)" in text and "competesWith <-> Baidu" in text
    card = json.loads(run("lookup", "H20", "-w", str(ws), "--json"))[0]
    assert card["type"] == "Chip"
    assert any(r["predicate"] == "subjectTo" for r in card["relations"])
    assert len(card["sources"]) == 2


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "graphml"])
def test_export_formats(ws: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    run("export", "--format", fmt, "-o", str(out), "-w", str(ws))
    data = out.read_text(encoding="utf-8")
    assert "cikg.dev" in data
    if fmt == "jsonld":
        assert isinstance(json.loads(data), list | dict)
    if fmt == "graphml":
        assert "<graphml" in data


def test_validate_and_stats(ws: Path) -> None:
    assert "conforms" in run("validate", "-w", str(ws))
    stats = json.loads(run("stats", "-w", str(ws), "--json"))
    assert stats["labels"]["Company"] >= 3 and stats["types"]["COMPETES_WITH"] >= 2


def test_eval_on_a_small_gold_set(tmp_path: Path, corpus: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "baidu.json").write_text(json.dumps({
        "article": "baidu.txt",
        "entities": [{"label": "Baidu", "type": "Company", "aliases": []},
                     {"label": "Alibaba", "type": "Company", "aliases": []},
                     {"label": "China", "type": "Country", "aliases": []},
                     {"label": "H20", "type": "Chip", "aliases": []},
                     {"label": "US export controls", "type": "Sanction", "aliases": []},
                     {"label": "United States", "type": "Country", "aliases": ["US"]}],
        "relations": [{"s": "Baidu", "p": "competesWith", "o": "Alibaba"},
                      {"s": "H20", "p": "subjectTo", "o": "US export controls"},
                      {"s": "US export controls", "p": "imposedBy", "o": "United States"},
                      {"s": "Baidu", "p": "headquarteredIn", "o": "China"}],
        "metrics": [], "notes": ""}), encoding="utf-8")
    data = json.loads(run("eval", str(gold), "--articles", str(corpus), "--format", "json"))
    assert data["articles"] == 1
    assert data["per_predicate"]["competesWith"]["tp"] == 1
    assert data["overall"]["fn"] == len(data["misses"])
    text = run("eval", str(gold), "--articles", str(corpus))
    assert "ALL (micro)" in text


def test_help_for_every_command() -> None:
    for cmd in (["ingest"], ["extract"], ["query", "list"], ["query", "show"], ["query", "run"], ["lookup"],
                ["export"], ["validate"], ["stats"], ["eval"]):
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout
