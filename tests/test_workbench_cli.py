"""`kg sparql`, `kg cypher`, `kg brief`, `kg viz` and `kg serve` from the command line: rows as `kg query run`
prints them, briefs with footnotes, pictures, and one-line errors naming the parameter."""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kg import api
from kg.brief import md_escape
from kg.cli import app
from tests.web_support import HOSTILE_NAME, ROOT, chromium_or_skip, hostile_extraction, store

runner = CliRunner()
MODELS = ("SELECT DISTINCT ?company ?model WHERE { ?c a ci:Company ; rdfs:label ?company ; ci:develops ?m . "
          "?m a ci:AIModel ; rdfs:label ?model } ORDER BY ?model")


def kg(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sparql_text_file_params_and_formats(examples_workspace: Path, tmp_path: Path) -> None:
    code, out, _ = kg("sparql", MODELS, "-p", "company=Alibaba Group", "-f", "json", "-w", str(examples_workspace))
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["company"] for r in rows} == {"Alibaba Group"}
    expected = api.run_query("models_by_company", {"company": "Alibaba Group"}, workspace=examples_workspace)
    assert sorted(r["model"] for r in rows) == sorted(r["model"] for r in expected)
    rq = tmp_path / "models.rq"
    rq.write_text(MODELS, encoding="utf-8")
    code, out, _ = kg("sparql", str(rq), "-p", "company=Baidu", "-f", "csv", "-w", str(examples_workspace))
    assert code == 0 and out.splitlines()[0] == "company,model" and "Ernie" in out
    code, out, _ = kg("sparql", "ASK { ?c a ci:Company }", "-f", "json", "-w", str(examples_workspace))
    assert json.loads(out) == [{"result": True}]
    code, out, _ = kg("sparql", "CONSTRUCT { ?c ci:develops ?m } WHERE { ?c ci:develops ?m } LIMIT 3", "-f", "json",
                      "-w", str(examples_workspace))
    assert code == 0 and set(json.loads(out)[0]) == {"subject", "predicate", "object"}


def test_sparql_errors_are_one_line(examples_workspace: Path, tmp_path: Path) -> None:
    for args, says in ((["SELEC nonsense"], "QUERY is not SPARQL"),
                       (["INSERT DATA { <http://a> <http://b> <http://c> }"], "updates are refused"),
                       ([MODELS, "-p", "nope=1"], "--param nope"),
                       ([MODELS, "-p", "company"], "NAME=VALUE"),
                       (["SELECT ?model WHERE { ?c rdfs:label ?company ; ci:develops ?m . ?m rdfs:label ?model }",
                         "-p", "company=Baidu"], "?company must be one of the SELECT's columns"),
                       ([str(tmp_path / "missing.rq")], "no such file")):
        code, _, err = kg("sparql", *args, "-w", str(examples_workspace))
        assert code == 1 and says in err and len(err.strip().splitlines()) == 1, (args, err)
    code, _, err = kg("sparql", MODELS, "-w", str(tmp_path / "none"))
    assert code == 1 and "no workspace here" in err


def test_cypher_on_networkx(examples_workspace: Path) -> None:
    code, out, _ = kg("cypher", 'MATCH (c:Company)-[:COMPETES_WITH]-(o) WHERE c.name = $company '
                      "RETURN o.name AS competitor", "-p", "company=Baidu", "-f", "json", "-w", str(examples_workspace))
    assert code == 0
    expected = api.run_query("competitors", {"company": "Baidu"}, workspace=examples_workspace)
    assert sorted({r["competitor"] for r in json.loads(out)}) == sorted(r["competitor"] for r in expected)
    code, _, err = kg("cypher", "MATCH (", "-w", str(examples_workspace))
    assert code == 1 and "grand-cypher cannot run" in err


def test_brief_markdown_and_html(examples_workspace: Path, tmp_path: Path) -> None:
    code, out, _ = kg("brief", "Alibaba", "-w", str(examples_workspace))
    assert code == 0 and out.startswith("# Brief: Alibaba Group")
    for section in ("## Profile", "## AI models", "## Chips and who makes them", "## Sanction exposure",
                    "## Competitors", "## Partners", "## Investors", "## Metrics over time", "## Conflicting figures",
                    "## Recent facts", "## Sources"):
        assert section in out, section
    refs = {int(n) for n in __import__("re").findall(r"\[\^(\d+)\](?!:)", out)}
    notes = {int(n) for n in __import__("re").findall(r"^\[\^(\d+)\]:", out, flags=__import__("re").M)}
    assert refs and refs == notes  # every claim's footnote exists, and every footnote is cited
    code, _, err = kg("brief", "Alibaba", "-f", "html", "-o", str(tmp_path / "b.html"), "-w", str(examples_workspace))
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert code == 0 and "<script" not in page and 'id="note-1"' in page and "<svg" in page
    code, _, _ = kg("brief", "Alibaba", "-o", str(tmp_path / "b.md"), "-w", str(examples_workspace))
    assert code == 0 and list(tmp_path.glob("b-chart-*.svg"))
    assert "![chart](b-chart-1.svg)" in (tmp_path / "b.md").read_text(encoding="utf-8")
    code, _, err = kg("brief", "Qwen", "-w", str(examples_workspace))
    assert code == 1 and "is an AI model" in err


def test_brief_of_a_hostile_company_is_inert(examples_workspace: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    store([hostile_extraction()], ws)
    text = api.company_brief(HOSTILE_NAME, ws)
    assert "<script" not in text and "<img" not in text and "](javascript" not in text
    assert md_escape(HOSTILE_NAME) in text
    page = api.company_brief(HOSTILE_NAME, ws, format="html")
    assert "<script>window" not in page and "&lt;script&gt;" in page and "onerror=\"" not in page


def test_viz_svg_html_and_errors(examples_workspace: Path, tmp_path: Path) -> None:
    code, _, _ = kg("viz", "DeepSeek", "--hops", "2", "-o", str(tmp_path / "g.svg"), "-w", str(examples_workspace))
    assert code == 0
    svg = ET.parse(tmp_path / "g.svg").getroot()
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "DeepSeek" in texts and "DeepSeek-R1" in texts
    code, _, _ = kg("viz", "DeepSeek", "-o", str(tmp_path / "g.html"), "-w", str(examples_workspace))
    page = html.unescape((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert code == 0 and "script-src 'sha256-" in page and 'id="graph-data"' in page and "cdn" not in page.lower()
    code, _, err = kg("viz", "DeepSeek", "-o", str(tmp_path / "g.gif"), "-w", str(examples_workspace))
    assert code == 1 and "-o" in err and ".png" in err
    code, _, err = kg("viz", "DeepSeek", "--hops", "4", "-o", str(tmp_path / "g.svg"), "-w", str(examples_workspace))
    assert code == 2 and "--hops" in err
    code, _, err = kg("viz", "DeepSeek", "-t", "owns", "-o", str(tmp_path / "g.svg"), "-w", str(examples_workspace))
    assert code == 1 and "unknown relation type 'owns'" in err


@pytest.mark.web
def test_viz_png_by_headless_chromium(examples_workspace: Path, tmp_path: Path) -> None:
    chromium_or_skip()
    code, _, err = kg("viz", "Alibaba Group", "-o", str(tmp_path / "g.png"), "-w", str(examples_workspace))
    assert code == 0, err
    data = (tmp_path / "g.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.web
def test_kg_serve_binds_loopback_by_default(examples_workspace: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "-w", str(examples_workspace)],
                            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        assert "serving" in line and "http://127.0.0.1:" in line, line
        url = line.split(" at ")[1].split()[0]
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.json()["boolean"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    code, _, err = kg("serve", "-w", str(examples_workspace.parent / "none"))
    assert code == 1 and "no workspace here" in err
