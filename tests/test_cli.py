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
    from ingest.kb import ENTITY_TYPES
    from ingest.read import read_file
    from ontology import ID, NS

    lines = [json.loads(x) for x in run("extract", str(corpus / "qwen.md")).splitlines()]
    article = next(read_file(corpus / "qwen.md"))
    for rec in lines:  # each record points at its own evidence: the sentence at start:end (or the headline)
        assert rec["article"] == article.id and rec["predicate"].startswith(NS) and rec["subject"].startswith(ID)
        assert rec["subject_type" if "subject_type" in rec else "metric_name"] and 0 < rec["confidence"] <= 1
        if rec["end"] > rec["start"]:
            assert article.text[rec["start"]:rec["end"]] == rec["sentence"], rec
        else:
            assert rec["sentence"] == article.title, rec
        if "object" in rec:  # a relation: both ends typed entities, labels as the KB spells them
            assert rec["object"].startswith(ID) and {rec["subject_type"], rec["object_type"]} <= set(ENTITY_TYPES)
    assert {(r["subject_label"], r["predicate"][len(NS):], r["object_label"]) for r in lines} >= {
        ("Alibaba Group", "competesWith", "Baidu"), ("Alibaba Group", "competesWith", "Tencent"),
        ("Eddie Wu", "ceoOf", "Alibaba Group"), ("Nvidia", "develops", "H20")}
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
    if fmt == "graphml":  # the property graph: every node and relationship kg stats counts
        import networkx as nx

        g = nx.read_graphml(out)
        stats = json.loads(run("stats", "-w", str(ws), "--format", "json"))
        assert (g.number_of_nodes(), g.number_of_edges()) == (stats["nodes"], stats["relationships"])
        return
    import pyoxigraph as ox

    nt = tmp_path / "reference.nt"
    run("export", "--format", "nt", "-o", str(nt), "-w", str(ws))
    if fmt == "jsonld":  # JSON-LD through rdflib (which writes dates its own way): the triples of N-Triples
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(out, format="json-ld")
        triples = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
        reference = set(rdflib.Graph().parse(nt, format="nt"))
    else:
        parsed = ox.parse(path=str(out), format=ox.RdfFormat.from_extension(fmt))
        triples = {(q.subject.value, q.predicate.value, q.object.value) for q in parsed}
        reference = {(t.subject.value, t.predicate.value, t.object.value)
                     for t in ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)}
    assert triples == reference and len(reference) > 100
    if fmt in ("nq", "trig"):  # the quad formats keep a graph per article
        graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.from_extension(fmt))
                  if isinstance(q.graph_name, ox.NamedNode)}
        assert {"https://cikg.dev/article/" in g for g in graphs} == {True, False}  # articles, and the entity graph


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


def _command_paths(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    commands = getattr(group, "commands", {})
    return [p for name, cmd in sorted(commands.items())
            for p in ([(*prefix, name)] + _command_paths(cmd, (*prefix, name)))]


def test_help_for_every_command() -> None:
    """Every command and group, found from the app itself (none can be left out), has help naming it."""
    import typer

    paths = _command_paths(typer.main.get_command(app))
    assert {("why",), ("load",), ("analytics", "pagerank"), ("bench",), ("query", "export")} <= set(paths)
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert result.stdout.startswith(f"Usage: kg {' '.join(path)} ") or f"Usage: root {' '.join(path)} " in \
            result.stdout, (path, result.stdout[:80])
