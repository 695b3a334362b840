"""Robustness end to end: bad files through `kg ingest`, SIGKILL mid-run, two writers, bad query input.

The readers' own handling of each bad file is tested in test_read.py; here every case goes through the CLI and
must give one clear line on stderr (file, line where it applies, reason), keep the rest of the batch, and end
with the summary and the right exit status.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ingest.rdf import ENTITIES_GRAPH, INGESTED
from kg import api, ingestion
from kg import queries as catalogue
from kg.cli import app
from kg.names import UnknownName
from kg.store import Workspace
from kg.summary import SUMMARY_GRAPH, rebuild

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
READ_DATA = ROOT / "tests" / "data" / "read"
DATA = ROOT / "tests" / "data" / "robustness"
KG = [sys.executable, "-m", "kg.cli"]

GOOD = "Baidu and its chips\n\nBaidu competes with Alibaba in China. The H20 is subject to US export controls.\n"


UNDATED = re.compile(r"^warning: .*: no date found \(metadata, dateline or first sentence\).*\n", re.M)


def ingest(*args: str | Path) -> tuple[int, str, str]:
    """`kg ingest ARGS`: exit code, stdout, and stderr less the warnings about undated articles (these tests'
    articles have no date, and what they check is the rest)."""
    result = runner.invoke(app, ["ingest", *map(str, args)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, UNDATED.sub("", result.stderr)


def lines(stderr: str, prefix: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(prefix)]


def articles_in(ws: Path) -> int:
    with Workspace.open(ws, read_only=True) as w:
        return len(w.article_graphs())


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    """A folder with one good article; each test adds its bad file."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return d


# --- one bad file each, next to a good one -------------------------------------------------------------------

ERROR_CASES = {
    # name: (file name, content, expected stderr line after "error: <path>")
    "empty file": ("empty.txt", b"", ": empty file"),
    "whitespace only": ("blank.md", b" \n\t\n", ": empty file"),
    "binary file": ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                    ": binary file, not text"),
    "html with no article body": (READ_DATA / "no_article.html", None, ": no article text found"),
    "bad yaml front matter": (READ_DATA / "bad_front_matter.md", None, ":4: front matter is not valid YAML: "),
    "unclosed front matter": ("open.md", b"---\ntitle: x\n\nBody text.\n", ":1: front matter has no closing"),
    "xml that is not a feed": (READ_DATA / "not_a_feed.xml", None, ": not an RSS or Atom feed"),
    "truncated feed": ("broken.rss", b"<rss version='2.0'>\n<channel><title>x</titl", ":2: not a readable feed"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_bad_file_one_line_rest_ingested_exit_1(tmp_path: Path, batch: Path, case: str) -> None:
    name, content, expected = ERROR_CASES[case]
    if isinstance(name, Path):
        bad = batch / name.name
        shutil.copy(name, bad)
    else:
        bad = batch / name
        bad.write_bytes(content)
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 1
    errors = lines(err, "error:")
    assert len(errors) == 1, err
    assert errors[0].startswith(f"error: {bad}{expected}"), errors[0]
    assert "Traceback" not in err
    assert out.startswith("ingested 1 articles (0 unchanged) from 2 files") and out.rstrip().endswith("1 errors")
    assert articles_in(tmp_path / "ws") == 1


def test_jsonl_bad_lines_each_reported_with_line_number(tmp_path: Path, batch: Path) -> None:
    shutil.copy(READ_DATA / "articles.jsonl", batch / "wire.jsonl")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 1
    errors = lines(err, "error:")
    where = batch / "wire.jsonl"
    assert [e.split(": ", 2)[1] for e in errors] == [f"{where}:3", f"{where}:5", f"{where}:6"]
    assert "not valid JSON" in errors[0] and "JSON object" in errors[1] and "no text" in errors[2]
    assert "ingested 4 articles" in out and "3 errors" in out  # three good lines and good.txt
    assert articles_in(tmp_path / "ws") == 4


def test_feed_with_a_broken_entry(tmp_path: Path, batch: Path) -> None:
    shutil.copy(READ_DATA / "feed.rss", batch / "feed.rss")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 1
    assert lines(err, "error:") == [f"error: {batch / 'feed.rss'}#3: feed entry 3 (Empty item) has no text"]
    assert "ingested 4 articles" in out
    assert articles_in(tmp_path / "ws") == 4


def test_invalid_utf8_is_decoded_and_said(tmp_path: Path, batch: Path) -> None:
    (batch / "bytes.txt").write_bytes(b"Bad byte\n\nTencent\xff\xfe builds Hunyuan models.\n")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 0  # ingested, with a caveat: a warning, not an error
    assert lines(err, "warning:") == [f"warning: {batch / 'bytes.txt'}: invalid UTF-8 at byte 17: "
                                      "replaced undecodable bytes"]
    assert "ingested 2 articles" in out and articles_in(tmp_path / "ws") == 2


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom_is_read(tmp_path: Path, batch: Path, bom: bytes, encoding: str) -> None:
    (batch / "u16.md").write_bytes(bom + "# Tencent\n\nTencent develops Hunyuan.\n".encode(encoding))
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert (code, err) == (0, "")
    assert "ingested 2 articles" in out
    with Workspace.open(tmp_path / "ws", read_only=True) as w:
        titles = {r["t"] for r in w.query("SELECT ?t WHERE { ?a a ci:Article ; schema:headline ?t }")} or \
            {r["t"] for r in w.query("SELECT ?t WHERE { ?a a ci:Article ; ?p ?t FILTER(?t = 'Tencent') }")}
    assert "Tencent" in titles


def test_malformed_html_is_still_read(tmp_path: Path, batch: Path) -> None:
    shutil.copy(READ_DATA / "malformed.html", batch / "malformed.html")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert (code, err) == (0, "")
    assert "ingested 2 articles" in out


def test_unknown_extension_is_skipped_and_said(tmp_path: Path, batch: Path) -> None:
    (batch / "report.pdf").write_bytes(b"%PDF-1.7")
    (batch / "README").write_text("notes")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 0
    assert lines(err, "skipped:") == [f"skipped: {batch / 'README'}: no file extension",
                                      f"skipped: {batch / 'report.pdf'}: unsupported file type '.pdf'"]
    assert "2 skipped, 0 errors" in out and articles_in(tmp_path / "ws") == 1


def test_directory_symlink_loop_ends(tmp_path: Path, batch: Path) -> None:
    (batch / "a" / "b").mkdir(parents=True)
    (batch / "a" / "b" / "deep.txt").write_text("Deep\n\nAlibaba develops Qwen.\n")
    os.symlink(batch / "a", batch / "a" / "b" / "loop")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 0
    assert lines(err, "skipped:") == [f"skipped: {batch / 'a' / 'b' / 'loop'}: directory already visited "
                                      "(a symbolic link loop or a duplicate)"]
    assert "ingested 2 articles" in out


def test_missing_path_is_an_error_rest_ingested(tmp_path: Path, batch: Path) -> None:
    code, out, err = ingest(batch, tmp_path / "nowhere", "-w", tmp_path / "ws")
    assert code == 1
    assert lines(err, "error:") == [f"error: {tmp_path / 'nowhere'}: no such file or directory"]
    assert "ingested 1 articles" in out


def test_file_that_disappears_mid_run(tmp_path: Path, batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (batch / "later.txt").write_text("Later\n\nTencent develops Hunyuan.\n")
    real_extract = ingestion.extract

    def extract_then_delete(article, kb):  # while good.txt is processed, later.txt (already listed) vanishes
        (batch / "later.txt").unlink(missing_ok=True)
        return real_extract(article, kb)

    monkeypatch.setattr(ingestion, "extract", extract_then_delete)
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 1
    assert lines(err, "error:") == [f"error: {batch / 'later.txt'}: file disappeared before it could be read"]
    assert "ingested 1 articles (0 unchanged) from 2 files" in out


def test_200_mb_file_is_refused_without_reading_it(tmp_path: Path, batch: Path) -> None:
    big = batch / "huge.txt"
    line = b"Huawei designs Ascend chips and SMIC makes them on its 7 nm process line.\n"
    with big.open("wb") as f:
        block = line * (1024 * 1024 // len(line) + 1)
        for _ in range(200):
            f.write(block)
    assert big.stat().st_size > 200 * 1024 * 1024
    probe = ("import resource, sys\nfrom kg.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n"
             "    code = e.code\nprint('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
             "sys.exit(code)\n")
    proc = subprocess.run([sys.executable, "-c", probe, "ingest", str(batch), "-w", str(tmp_path / "ws")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    errors = lines(proc.stderr, "error:")
    assert errors == [f"error: {big}: file is 200.1 MB, over the 50 MB limit"]
    maxrss_mb = int(lines(proc.stderr, "MAXRSS")[0].split()[1]) / 1024
    # the same run without the big file: reading 200 MB would add at least that much on top
    big.unlink()
    base = subprocess.run([sys.executable, "-c", probe, "ingest", str(batch), "-w", str(tmp_path / "ws2")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    base_mb = int(lines(base.stderr, "MAXRSS")[0].split()[1]) / 1024
    assert maxrss_mb - base_mb < 100, f"ingest used {maxrss_mb - base_mb:.0f} MB more: the big file was read"
    assert "ingested 1 articles" in proc.stdout


def test_every_bad_file_at_once(tmp_path: Path, batch: Path) -> None:
    """The whole zoo in one batch: one line per problem, every good article kept, exit 1, summary last."""
    for name, content, _ in ERROR_CASES.values():
        if isinstance(name, Path):
            shutil.copy(name, batch / name.name)
        else:
            (batch / name).write_bytes(content)
    shutil.copy(READ_DATA / "articles.jsonl", batch / "wire.jsonl")
    shutil.copy(READ_DATA / "feed.rss", batch / "feed.rss")
    shutil.copy(READ_DATA / "malformed.html", batch / "malformed.html")
    (batch / "bytes.txt").write_bytes(b"Bad byte\n\nTencent\xff\xfe builds Hunyuan models.\n")
    (batch / "u16.txt").write_bytes(codecs.BOM_UTF16_LE + "UTF-16\n\nAlibaba develops Qwen.\n".encode("utf-16-le"))
    (batch / "x.pdf").write_bytes(b"%PDF")
    os.symlink(batch, batch / "loop")
    code, out, err = ingest(batch, "-w", tmp_path / "ws")
    assert code == 1
    errors = lines(err, "error:")
    assert len(errors) == len(ERROR_CASES) + 3 + 1  # each bad file, 3 bad JSON lines, 1 bad feed entry
    assert all("\n" not in e for e in errors)
    assert len(lines(err, "warning:")) == 1 and len(lines(err, "skipped:")) == 2
    good = 1 + 3 + 3 + 1 + 1 + 1  # good.txt, jsonl lines, feed entries, malformed.html, bytes.txt, u16.txt
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"ingested {good} articles (0 unchanged)")
    assert summary.endswith(f"2 skipped, {len(errors)} errors")
    assert articles_in(tmp_path / "ws") == good
    code, out, _ = ingest(batch, "-w", tmp_path / "ws")  # again: nothing new, the same errors
    assert code == 1 and out.startswith(f"ingested 0 articles ({good} unchanged)")


# --- atomicity: SIGKILL mid-run ----------------------------------------------------------------------------


def _corpus(d: Path, n: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "examples" / "articles" / "huawei-ascend-smic.txt").read_text(encoding="utf-8")
    for i in range(n):
        (d / f"a{i:04d}.txt").write_text(text + f"\n\nThis is report number {i} in the series.\n", encoding="utf-8")
    return d


SHARED = f"<{ENTITIES_GRAPH}>"  # entity descriptions shared by all articles, not an article graph


def _graphs(ws: Path) -> dict[str, set[str]]:
    """Every article graph with its quads (as N-Quads strings): equal dicts mean equal workspaces. The time each
    article was first ingested is left out: two ingests of one corpus differ in it and in nothing else."""
    out: dict[str, set[str]] = {}
    with Workspace.open(ws, read_only=True) as w:
        for q in w.quads():
            if q.predicate.value != INGESTED and str(q.graph_name) != f"<{SUMMARY_GRAPH}>":
                out.setdefault(str(q.graph_name), set()).add(str(q))
    return out


def _summary_is_rebuilt_state(ws: Path) -> bool:
    """The fact summary (derived from the article graphs, left out of ``_graphs``) equals a rebuild from them."""
    with Workspace.open(ws) as w:
        def now() -> set[str]:
            return {str(q) for q in w.store.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH))}
        before = now()
        rebuild(w.store)
        return before == now()


def _stored_bytes(ws: Path) -> int:
    """Bytes of table files in the store: batches are bulk-loaded as .sst files, so this grows per batch."""
    total = 0
    for f in (ws / "oxigraph").glob("*.sst"):
        try:
            total += f.stat().st_size
        except OSError:  # compacted away meanwhile
            pass
    return total


# `kg` with batches of ~10 articles instead of ~100, so that a kill lands between two of many batches.
KG_SMALL_BATCHES = [sys.executable, "-c", "import kg.ingestion, kg.cli; kg.ingestion.BATCH_QUADS = 3000; kg.cli.app()"]


def _start_ingest(corpus: Path, ws: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([*KG_SMALL_BATCHES, "ingest", str(corpus), "-w", str(ws), "-q"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env})


def _wait_for_writes(proc: subprocess.Popen, ws: Path, nbytes: int, timeout: float = 60) -> None:
    t0 = time.monotonic()
    while _stored_bytes(ws) < nbytes:
        assert proc.poll() is None, "ingest ended before it was interrupted"
        assert time.monotonic() - t0 < timeout, "ingest wrote nothing"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[str]]]:
    """200 articles and the workspace a clean, uninterrupted ingest makes of them."""
    base = tmp_path_factory.mktemp("kill")
    corpus = _corpus(base / "corpus", 200)
    summary = api.ingest([corpus], base / "ref")
    assert summary.ok and summary.articles == 200
    return corpus, _graphs(base / "ref")


def test_sigkill_mid_ingest_leaves_whole_articles_and_rerun_completes(
        tmp_path: Path, reference: tuple[Path, dict[str, set[str]]]) -> None:
    corpus, ref = reference
    ws = tmp_path / "ws"
    proc = _start_ingest(corpus, ws)
    _wait_for_writes(proc, ws, 1_500_000)  # some batches are in (200 articles make ~8.5 MB)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = _graphs(ws)  # the workspace opens
    shared = after.pop(SHARED, set())
    assert 0 < len(after) < len(ref) - 1, f"{len(after)} articles: the kill was not mid-run"
    for graph, quads in after.items():
        assert quads == ref[graph], f"article graph {graph} is not whole"
    assert shared <= ref[SHARED]  # entity descriptions of the articles that are in, nothing else
    rerun = subprocess.run([*KG, "ingest", str(corpus), "-w", str(ws), "--json"], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f'"articles": {len(ref) - 1 - len(after)}, "unchanged": {len(after)}' in rerun.stdout
    assert _graphs(ws) == ref  # everything, once
    assert _summary_is_rebuilt_state(ws)  # and the summary of exactly that


# --- two kg processes on one workspace ---------------------------------------------------------------------


def test_second_writer_is_told_the_workspace_is_in_use(
        tmp_path: Path, reference: tuple[Path, dict[str, set[str]]]) -> None:
    corpus, ref = reference
    ws = tmp_path / "ws"
    first = _start_ingest(corpus, ws)
    _wait_for_writes(first, ws, 300_000)
    other = tmp_path / "other"
    other.mkdir()
    (other / "good.txt").write_text(GOOD, encoding="utf-8")
    t0 = time.monotonic()
    second = subprocess.run([*KG, "ingest", str(other), "-w", str(ws)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "KG_LOCK_WAIT": "1"}, timeout=60)
    waited = time.monotonic() - t0
    assert first.poll() is None, "the first ingest ended too soon for this test"
    assert second.returncode == 1
    assert second.stderr.strip() == (f"error: {ws}: workspace is in use by another kg process (still locked after "
                                     "waiting 1 s); run this again when it has finished, or raise KG_LOCK_WAIT")
    assert waited >= 1
    # reading while the writer works is fine: a read-only view, holding whole articles only
    view = _graphs(ws)
    view.pop(SHARED, None)
    assert all(quads == ref[graph] for graph, quads in view.items()), "a reader saw half an article"
    assert first.wait(timeout=300) == 0, first.stderr
    assert _graphs(ws) == ref


def test_second_writer_waits_for_the_lock_and_both_complete(
        tmp_path: Path, reference: tuple[Path, dict[str, set[str]]]) -> None:
    corpus, ref = reference
    ws = tmp_path / "ws"
    first = _start_ingest(corpus, ws)
    _wait_for_writes(first, ws, 300_000)
    other = tmp_path / "other"
    other.mkdir()
    (other / "good.txt").write_text(GOOD, encoding="utf-8")
    second = _start_ingest(other, ws, KG_LOCK_WAIT="120")
    assert first.wait(timeout=300) == 0, first.stderr
    assert second.wait(timeout=300) == 0, second.stderr
    graphs = _graphs(ws)
    assert len(graphs) == len(ref) + 1
    assert {g: q for g, q in graphs.items() if g in ref and g != SHARED} == {g: q for g, q in ref.items()
                                                                           if g != SHARED}
    assert graphs[SHARED] >= ref[SHARED]  # the shared entity graph also describes the second batch's entities


def test_lock_wait_must_be_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_LOCK_WAIT", "soon")
    code, _, err = ingest(tmp_path, "-w", tmp_path / "ws")
    assert code == 1 and err.strip() == "error: KG_LOCK_WAIT must be a number of seconds (0 or more), not 'soon'"


# --- query input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["query", "run", "no_such_query"], "error: unknown query 'no_such_query'; `kg query list` shows them"),
    (["query", "run", "competitors"], "error: query 'competitors' needs parameter 'company'"),
    (["query", "run", "competitors", "-p", "company=Baidu", "-p", "colour=red"],
     "error: query 'competitors' has no parameter 'colour' (parameters: company)"),
    (["query", "run", "competitors", "-p", "Baidu"], "error: --param 'Baidu' must be NAME=VALUE"),
    (["query", "run", "competitors", "-p", "company=Baidu", "--backend", "neo5j"], "Invalid value"),
])
def test_query_input_errors_are_one_line(examples_workspace: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "-w", str(examples_workspace)])
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


DATE_SHAPE = "a date YYYY-MM-DD (or today, yesterday, 7d, 2w, 3m, 1y: days, weeks, months, years ago)"


@pytest.mark.parametrize("type_, raw, message", [
    ("integer", "ten", "parameter 'limit' must be an integer, got 'ten'"),
    ("integer", 2.7, "parameter 'limit' must be an integer, got 2.7"),  # not quietly 2
    ("integer", True, "parameter 'limit' must be an integer, got True"),  # not quietly 1
    ("integer", "1_0", "parameter 'limit' must be an integer, got '1_0'"),  # int() would say 10
    ("integer", None, "parameter 'limit' must be an integer, got None"),
    ("number", "1e", "parameter 'limit' must be a number, got '1e'"),
    ("number", "nan", "parameter 'limit' must be a number, got 'nan'"),
    ("date", "last week", f"parameter 'limit' must be {DATE_SHAPE}, got 'last week'"),
    ("date", "2025-02-30", f"parameter 'limit' must be {DATE_SHAPE}, got '2025-02-30'"),  # the right shape
])
def test_parameter_of_the_wrong_type(type_: str, raw: object, message: str) -> None:
    q = catalogue.get("competitors")
    typed = catalogue.StoredQuery(q.name, q.description, (catalogue.Param("limit", "rows", 10, type_),),
                                  q.backends, q.sparql, q.cypher, q.columns)
    with pytest.raises(catalogue.QueryError) as excinfo:
        typed.bind({"limit": raw})
    assert str(excinfo.value) == message


@pytest.mark.parametrize("type_, raw, value", [
    ("integer", " 6 ", 6), ("integer", "-3", -3), ("integer", 3.0, 3), ("integer", "1e2", 100),
    ("number", "1.5", 1.5), ("number", 2, 2.0), ("date", "2025-02-28", "2025-02-28"),
])
def test_parameter_of_the_right_type_is_converted(type_: str, raw: object, value: object) -> None:
    assert catalogue.Param("p", "d", None, type_).convert(raw) == value


TYPED = [(name, p) for name, q in catalogue.catalogue().items() for p in q.params if p.type != "string"]
WRONG = {"integer": "abc", "number": "abc", "date": "2025-13-45"}
SHAPE = {"integer": "an integer", "number": "a number", "date": DATE_SHAPE}


def test_the_catalogue_has_typed_parameters() -> None:
    assert {p.type for _, p in TYPED} >= {"integer", "date"}  # else the next test checks nothing


@pytest.mark.parametrize("backend", ["rdf", "networkx", "neo4j"])
def test_wrong_type_on_every_backend_cli_and_api(examples_workspace: Path, backend: str) -> None:
    """Real stored queries, through `kg query run` and the API; Neo4j is given a dead address on purpose:
    parameters are checked before any backend is touched, so the error is the parameter, not the server."""
    cases = [(name, p) for name, p in TYPED if backend in catalogue.get(name).backends]
    assert cases
    for name, p in cases:
        message = f"parameter {p.name!r} must be {SHAPE[p.type]}, got {WRONG[p.type]!r}"
        result = runner.invoke(app, ["query", "run", name, "-p", f"{p.name}={WRONG[p.type]}", "-b", backend,
                                     "-w", str(examples_workspace), "--uri", "bolt://127.0.0.1:1"])
        assert (result.exit_code, result.stdout) == (1, ""), result.output
        assert result.stderr == f"error: {message}\n"
        with pytest.raises(catalogue.QueryError, match=f"^{re.escape(message)}$"):
            api.run_query(name, {p.name: WRONG[p.type]}, backend, examples_workspace, uri="bolt://127.0.0.1:1")
        if p.type == "integer":
            with pytest.raises(catalogue.QueryError, match="must be an integer, got 2.5"):
                api.run_query(name, {p.name: 2.5}, backend, examples_workspace, uri="bolt://127.0.0.1:1")


def _run_unchecked(q: catalogue.StoredQuery, params: dict[str, object], backend: str, ws: Path,
                   server: dict[str, object]) -> list[dict[str, object]]:
    """The stored query itself with ``params`` bound, without the entity check of ``api.run_query``."""
    bound = q.bind(params)
    if backend == "rdf":
        with Workspace.open(ws, read_only=True) as w:
            return w.query(q.sparql, bound)
    if backend == "networkx":
        from kg import nxqueries
        from kg.project import to_networkx

        return nxqueries.run(q.name, to_networkx(api.property_graph(ws)), bound)
    from kg.backends import neo4j as nb

    return nb.run_cypher(q.cypher, bound, **server)


INJECTIONS = ['"}) DETACH DELETE n //', '" . } DROP ALL #', "'}) DETACH DELETE n //", "Baidu\" } ; CLEAR ALL",
              "\\\" }) MATCH (n) DETACH DELETE n //", "Baidu' OR 1=1 --"]


@pytest.mark.parametrize("backend", ["rdf", "networkx", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_injection_strings_are_bound_as_values(tmp_path: Path, examples_workspace: Path, backend: str,
                                               request: pytest.FixtureRequest) -> None:
    """Every stored query with a string parameter, every injection string, on every backend: no rows, and
    the workspace (and on Neo4j the database, loaded from it) is unchanged. A parameter naming an entity is
    looked up first (itself a bound query) and names none: the query is then run as it would have been."""
    ws = tmp_path / "ws"
    shutil.copytree(examples_workspace, ws)
    before = _graphs(ws)
    server: dict[str, object] = {}
    if backend == "neo4j":
        from kg.backends import neo4j as nb

        settings = request.getfixturevalue("neo4j_settings")
        server = {"uri": settings.uri, "user": settings.user, "password": settings.password,
                  "database": settings.database}
        loaded = nb.load(api.property_graph(ws), settings, wipe=True).counts
    runs = 0
    for text in INJECTIONS:
        for name, q in catalogue.catalogue().items():
            if backend not in q.backends or not any(p.type == "string" for p in q.params):
                continue
            params = {p.name: text if p.type == "string" else p.example for p in q.params}
            try:
                rows = api.run_query(name, params, backend, ws, **server)
            except UnknownName:
                rows = _run_unchecked(q, params, backend, ws, server)
            assert rows == [], (name, text)
            runs += 1
    assert runs >= 5 * len(INJECTIONS)
    assert _graphs(ws) == before
    if backend == "neo4j":
        with nb.Connection(settings) as conn:
            assert conn.counts() == loaded
    assert api.run_query("competitors", {"company": "Baidu"}, backend, ws, **server)  # and the graph still answers


# ---- long texts: bounded work per sentence and per article (issue 12, item 4) ------------------------------

def test_one_endless_sentence_is_read_to_its_end(tmp_path: Path) -> None:
    """A 200 KB "sentence" with no full stop is read in bounded pieces, so a fact stated at its very end is
    found (the cost per piece is fixed; benchmarks/extract_scaling.py reports the time per KB)."""
    filler = "Lenovo ships laptops to schools in Brazil and " * 4400
    (tmp_path / "long.txt").write_text("A long one\n\n" + filler + "Tencent has invested in Zhipu AI", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "long.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert any(f["subject_label"] == "Tencent" and f["predicate"].endswith("investsIn")
               and f["object_label"] == "Zhipu AI" for f in found)


def test_article_over_the_limit_is_cut_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past KG_MAX_ARTICLE_KB the rest of an article is not read for facts, and ingest says so once; what came
    before the cut is stored."""
    monkeypatch.setenv("KG_MAX_ARTICLE_KB", "8")
    body = "Huawei develops the Ascend 910C. " + "Quiet markets drifted all week. " * 400 + \
        "Tencent has invested in Zhipu AI."
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text("Big one\n\n" + body, encoding="utf-8")
    ws = tmp_path / "ws"
    code, _, err = ingest(tmp_path / "in", "--workspace", ws)
    assert code == 0, err
    cut = [line for line in lines(err, "warning:") if "cut to" in line]
    assert len(cut) == 1 and "big.txt" in cut[0] and "cut to its first 8 KB" in cut[0], err
    with Workspace.open(ws, read_only=True) as w:
        rows = w.query("SELECT ?s ?o WHERE { ?s <https://cikg.dev/ns#develops> ?o }")
        assert rows, "the fact before the cut is stored"
        assert not w.query("SELECT ?s WHERE { ?s <https://cikg.dev/ns#investsIn> ?o }"), "the text after it is not read"


def test_article_limit_must_be_a_positive_number(tmp_path: Path, batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_ARTICLE_KB", "lots")
    code, _, err = ingest(batch, "--workspace", tmp_path / "ws")
    assert code != 0
    assert "KG_MAX_ARTICLE_KB must be a positive number of KB" in err
    assert "Traceback" not in err
