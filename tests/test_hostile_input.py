"""Hostile input, round two (issue 12), end to end through `kg`: no file loses a batch, no text reaches the terminal
as markup, file names and bytes are shown escaped, `export -o` replaces only a regular file, and the smaller
ones (orphaned workers, integers beyond int64, a named FIFO, 100k nested <div>s).

Every case runs the real CLI, in process through typer's runner or, where the process itself matters (worker
processes, argv bytes, a terminal's escape codes), as a subprocess.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import api, ingestion
from kg import queries as catalogue
from kg.cli import app, shown
from kg.store import Workspace

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]

GOOD = "Baidu and its chips\n\nBaidu competes with Alibaba in China. The H20 is subject to US export controls.\n"


UNDATED = re.compile(r"^warning: .*: no date found \(metadata, dateline or first sentence\).*\n", re.M)


def without_undated(stderr: str) -> str:
    """``stderr`` less the warnings about articles without a date (these tests' articles have none, on purpose)."""
    return UNDATED.sub("", stderr)


def kg(*args: str | Path) -> tuple[int, str, str]:
    """`kg ARGS` in process: exit code, stdout, stderr (an exception other than the exit fails the test)."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, without_undated(result.stderr)


def kg_process(*args: str | bytes | Path, env: dict[str, str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """`kg ARGS` as its own process; output as bytes, to be decoded (strictly) by the test."""
    proc = subprocess.run([*KG, *args], cwd=ROOT, capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    proc.stderr = re.sub(rb"(?m)^warning: .*: no date found \(metadata, dateline or first sentence\).*\n", b"",
                         proc.stderr)
    return proc


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def articles_in(ws: Path) -> int:
    with Workspace.open(ws, read_only=True) as w:
        return len(w.article_graphs())


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return d


# --- 1. a reader's failure is that file's one-line error; the rest of the batch is stored -------------------

FRONT_MATTER = {  # date value: the reason after "front matter is not valid YAML: "
    "date.month13.md": ("2001-13-45", "'2001-13-45' is not a valid timestamp (month must be in 1..12)"),
    "date.feb30.md": ("2001-02-30", "'2001-02-30' is not a valid timestamp (day is out of range for month)"),
    "date.int-tag.md": ('!!int "abc"', "'abc' is not a valid int (invalid literal for int() with base 10: 'abc')"),
    "date.timestamp-tag.md": ('!!timestamp "x"', "'x' is not a valid timestamp"),
}


def _hostile_batch(batch: Path) -> tuple[list[str], int]:
    """Every bad file of item 1 next to good articles: (the error lines expected, the articles to be stored)."""
    expected = []
    for name, (value, reason) in FRONT_MATTER.items():
        (batch / name).write_text(f"---\ntitle: Tencent news\ndate: {value}\n---\n\nTencent develops Hunyuan.\n",
                                  encoding="utf-8")
        expected.append(f"error: {batch / name}:3: front matter is not valid YAML: {reason}")
    (batch / "surrogate.jsonl").write_text(
        '{"title": "One", "text": "Alibaba develops Qwen."}\n'
        '{"title": "Two", "text": "Baidu \\udfff develops Ernie."}\n'
        '{"title": "Three \\ud83d\\ude00", "text": "Moonshot AI develops Kimi."}\n', encoding="utf-8")
    expected.append(f"error: {batch / 'surrogate.jsonl'}:2: the line holds a lone surrogate \\udfff "
                    "(an invalid \\u escape)")
    (batch / "deep.jsonl").write_text("[" * 3000 + "]" * 3000 + '\n{"text": "Zhipu AI develops GLM."}\n',
                                      encoding="utf-8")
    expected.append(f"error: {batch / 'deep.jsonl'}:1: not valid JSON: nested too deeply")
    return sorted(expected), 1 + 2 + 1  # good.txt, two good surrogate.jsonl lines, one deep.jsonl line


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reader_failures_are_one_line_each_and_the_batch_is_stored(tmp_path: Path, batch: Path, jobs: str) -> None:
    """Front matter dates PyYAML cannot build, a lone surrogate escape and 3,000 nested arrays used to end in a
    traceback (in the parent, or from a worker with --jobs 2), and the batch written at the end was lost."""
    expected, good = _hostile_batch(batch)
    proc = kg_process("ingest", batch, "-w", tmp_path / "ws", "--jobs", jobs)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert sorted(error_lines(err)) == expected
    assert err.count("\n") == len(expected)  # nothing else on stderr
    assert out.startswith(f"ingested {good} articles (0 unchanged) from {2 + len(FRONT_MATTER) + 1} files")
    assert out.rstrip().endswith(f"{len(expected)} errors")
    assert articles_in(tmp_path / "ws") == good


def test_a_readers_unexpected_exception_costs_its_file_only(tmp_path: Path, batch: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever kind of exception a reader raises (here the HTML parser is made to fail) is that file's error."""
    import ingest.read

    def broken(text: str) -> None:
        raise MemoryError("lxml gave up")

    monkeypatch.setattr(ingest.read, "parse_page", broken)
    (batch / "page.html").write_text("<p>Huawei designs Ascend chips.</p>", encoding="utf-8")
    code, out, err = kg("ingest", batch, "-w", tmp_path / "ws")
    assert code == 1
    assert error_lines(err) == [f"error: {batch / 'page.html'}: cannot read file: MemoryError: lxml gave up"]
    assert articles_in(tmp_path / "ws") == 1


def test_an_extraction_failure_costs_its_article_only(tmp_path: Path, batch: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real_extract = ingestion.extract

    def extract(article, kb):  # the extractor meets text it cannot handle in one article of three
        if "Tencent" in article.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real_extract(article, kb)

    monkeypatch.setattr(ingestion, "extract", extract)
    (batch / "wire.jsonl").write_text('{"text": "Tencent develops Hunyuan."}\n{"text": "Alibaba develops Qwen."}\n',
                                      encoding="utf-8")
    code, out, err = kg("ingest", batch, "-w", tmp_path / "ws")
    assert code == 1
    assert error_lines(err) == [f"error: {batch / 'wire.jsonl'}#1: cannot extract facts: nested too deeply"]
    assert "ingested 2 articles" in out and articles_in(tmp_path / "ws") == 2


# --- 2. nothing from input is rich markup ---------------------------------------------------------------------

TITLE = "[bold red]Baidu wins[/] [link=https://evil.example]click[/link] [/x] :warning: \x1b]0;pwned\x07 end"
URL = "https://news.example.org/[/x]/[bold]item"


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with one article whose title and URL are markup, an OSC sequence and a bell."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "in").mkdir()
    (d / "in" / "evil.md").write_text(
        f"---\ntitle: {json.dumps(TITLE)}\nurl: {json.dumps(URL)}\ndate: 2025-03-04\n---\n\n"
        "Baidu competes with Alibaba in China. Baidu develops Ernie.\n", encoding="utf-8")
    code, _, err = kg("ingest", d / "in", "-w", d / "ws")
    assert code == 0, err
    return d / "ws"


SHOWN_TITLE = TITLE.replace("\x1b", "\\x1b").replace("\x07", "\\x07")


def test_lookup_why_and_explain_print_titles_and_urls_literally(hostile_ws: Path) -> None:
    code, out, err = kg("lookup", "Baidu", "-w", hostile_ws)
    assert (code, err) == (0, "")
    assert f"  source: 2025-03-04  {SHOWN_TITLE}  {URL}\n" in out
    code, out, err = kg("why", "Baidu", "competesWith", "Alibaba", "-w", hostile_ws)
    assert (code, err) == (0, "")
    assert f"  2025-03-04  {SHOWN_TITLE}  {URL}  (unrated outlet, F)\n" in out
    code, out, err = kg("query", "run", "competitors", "-p", "company=Baidu", "--explain", "-w", hostile_ws)
    assert (code, err) == (0, "")
    assert f"  Baidu competesWith Alibaba Group  2025-03-04 {URL} (unrated outlet, F)\n" in out
    code, out, err = kg("query", "run", "entity_sources", "-p", "entity=Baidu", "-w", hostile_ws)
    assert (code, err) == (0, "")
    for piece in ("[bold red]Baidu wins[/]", "[link=https://evil.example]click[/link]", "[/x]", ":warning:",
                  "\\x1b]0;pwned\\x07", "[bold]item"):
        assert piece in out
    assert "\x1b" not in out and "\x07" not in out


def test_on_a_terminal_no_input_styles_or_links(hostile_ws: Path) -> None:
    """With colours on (FORCE_COLOR), our own styles are escape codes, but the title's markup is text: no red,
    no OSC 8 hyperlink, no window title."""
    proc = kg_process("lookup", "Baidu", "-w", hostile_ws, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[1m" in out  # the label is bold: the terminal really is styled
    assert "\x1b]" not in out  # no OSC sequence at all: hyperlinks (8) and titles (0) are OSC
    assert "\x1b[31m" not in out and "\x1b[1;31m" not in out  # nothing red
    assert "[link=https://evil.example]click[/link]" in out and ":warning:" in out


@pytest.mark.parametrize("args, message", [
    (["query", "run", "[/x]"], "error: unknown query '[/x]'; `kg query list` shows them"),
    (["lookup", "foo[/b]"], "error: no entity named 'foo[/b]' in the workspace"),
    (["why", "[/x]", "competesWith", "[bold]Baidu"], "error: no entity named '[/x]' in the workspace"),
    (["analytics", "path", "[/x]", "Baidu"], "error: no entity named '[/x]' in the graph (see `kg lookup`)"),
    (["query", "run", "competitors", "-p", "company=[/x]"], "error: no company named '[/x]' in the workspace"),
])
def test_markup_in_arguments_is_plain_text(hostile_ws: Path, args: list[str], message: str) -> None:
    """The message as written, on one line; what follows it ("; did you mean ...") depends on the names known."""
    code, out, err = kg(*args, "-w", hostile_ws)
    assert (code, out) == (1, ""), err
    assert err.startswith(message) and err.count("\n") == 1 and err.endswith("\n"), err


def test_query_show_prints_sparql_and_cypher_exactly() -> None:
    """Cypher relationship patterns look like markup tags: `[r:COMPETES_WITH]` vanished from `kg query show`."""
    assert "[r:COMPETES_WITH]" in catalogue.get("competitors").cypher
    for name, q in catalogue.catalogue().items():
        code, out, err = kg("query", "show", name)
        assert (code, err) == (0, ""), name
        assert f"\nSPARQL\n{q.sparql}" in out and f"\nCypher\n{q.cypher}" in out, name


def _commands(group, path: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*path, name))
        else:
            yield (*path, name), cmd


def test_help_texts_keep_their_bracketed_parts() -> None:
    """Typer's rich markup mode ate "[default: ./.kg]" and "[env NEO4J_URI, default bolt://127.0.0.1:7687]"."""
    import typer.main

    checked = 0
    for path, cmd in _commands(typer.main.get_command(app)):
        code, out, _ = kg(*path, "--help")
        assert code == 0, path
        flat = " ".join(out.split())
        for param in cmd.params:
            help_text = getattr(param, "help", None)
            if help_text and "[" in help_text:
                assert " ".join(help_text.split()) in flat, (path, help_text)
                checked += 1
    assert checked >= 10  # the workspace option of most commands, the Neo4j options, --articles of bench


# --- 3. file names and argument bytes are shown escaped ------------------------------------------------------


def test_file_names_cannot_forge_lines_or_drive_the_terminal(tmp_path: Path, batch: Path) -> None:
    names = ["a\nerror: fake.txt: forged line\nb.txt", "\x1b]0;TITLE\x07\x1b[31mred.txt", "right\u202etxt.md",
             "tab\there\r.html"]
    for name in names:
        (batch / name).write_bytes(b"")
    code, out, err = kg("ingest", batch, "-w", tmp_path / "ws")
    assert code == 1
    escaped = {"a\nerror: fake.txt: forged line\nb.txt": "a\\nerror: fake.txt: forged line\\nb.txt",
               "\x1b]0;TITLE\x07\x1b[31mred.txt": "\\x1b]0;TITLE\\x07\\x1b[31mred.txt",
               "right\u202etxt.md": "right\\u202etxt.md", "tab\there\r.html": "tab\\there\\r.html"}
    assert sorted(err.splitlines()) == sorted(f"error: {batch}/{escaped[n]}: empty file" for n in names)
    assert not any(c in err for c in "\x1b\x07\r\t\u202e")
    assert out.startswith("ingested 1 articles")


def test_undecodable_file_names_are_read_and_shown_escaped(tmp_path: Path, batch: Path) -> None:
    """A name that is not UTF-8 is a fine file name: it is read, and shown with its bytes escaped."""
    raw = os.fsencode(batch)
    with open(raw + b"/Bai\xffdu.txt", "wb") as f:
        f.write(b"Baidu news\n\nBaidu develops Ernie.\n")
    with open(raw + b"/\xfe.md", "wb"):
        pass
    proc = kg_process("ingest", raw, raw + b"/Bai\xffdu.txt", "-w", tmp_path / "ws")
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # strict: nothing undecodable printed
    assert proc.returncode == 1, err
    assert err == f"error: {batch}/\\xfe.md: empty file\n"
    assert out.startswith("ingested 2 articles (0 unchanged) from 3 files")


@pytest.mark.parametrize("args, message", [
    (["query", "run", "competitors", "-p", b"company=Bai\xffdu"], "--param 'company=Bai\\xffdu'"),
    (["lookup", b"\xff"], "NAME '\\xff'"),
    (["why", b"\xff", "competesWith", "Baidu"], "SUBJECT '\\xff'"),
    (["why", "Baidu", "competesWith", b"Ali\xe9baba"], "OBJECT 'Ali\\xe9baba'"),
    (["analytics", "exposure", "--company", b"\xc3"], "--company '\\xc3'"),
    (["query", "run", "competitors", "-p", "company=Baidu", "-b", "neo4j", "--password", b"s\xffcret"],
     "--password"),  # named, not shown
])
def test_invalid_utf8_argument_is_one_line_naming_the_parameter(hostile_ws: Path, args: list[str | bytes],
                                                                message: str) -> None:
    proc = kg_process(*args, "-w", hostile_ws)
    assert (proc.returncode, proc.stdout) == (1, b"")
    assert proc.stderr.decode("utf-8") == f"error: {message} is not valid UTF-8 text\n"


# --- 5. export -o writes a regular file or a new path, and leaves no temporary file ---------------------------


def _listing(d: Path) -> dict[str, int]:
    return {p.name: p.lstat().st_mode for p in d.iterdir()}


@pytest.mark.parametrize("target, message", [
    ("", "error: the output file name is empty"),
    (".", "error: .: names a directory, not a file"),
    ("..", "error: ..: names a directory, not a file"),
    ("sub", "error: sub: is a directory: an export writes only to a regular file or a new path"),
    ("sub/", "error: sub/: names a directory, not a file"),
    ("fifo", "error: fifo: is a FIFO (named pipe): an export writes only to a regular file or a new path"),
    ("link-to-fifo", "error: link-to-fifo: is a FIFO (named pipe): an export writes only to a regular file or a "
                     "new path"),
    ("null", "error: null: is a character device: an export writes only to a regular file or a new path"),
    ("nowhere/graph.ttl", "error: nowhere/graph.ttl: no such directory '{d}/nowhere'"),
])
def test_export_refuses_what_is_not_a_regular_file(examples_workspace: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, target: str, message: str) -> None:
    d = tmp_path / "out"
    d.mkdir()
    (d / "sub").mkdir()
    os.mkfifo(d / "fifo")
    os.symlink("fifo", d / "link-to-fifo")
    if target == "null":
        try:  # a character device of our own (the same as /dev/null): a failing test cannot replace the real one
            os.mknod(d / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs root")
    monkeypatch.chdir(d)
    before = _listing(d)
    code, out, err = kg("export", "-o", target, "-w", examples_workspace)
    assert (code, out, err) == (1, "", message.format(d=d) + "\n")
    assert _listing(d) == before  # the FIFO is still a FIFO, no file was added (no .part)
    assert _listing(d / "sub") == {}


def test_export_replaces_a_regular_file_through_a_link_keeping_its_mode(examples_workspace: Path,
                                                                        tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    target.write_text("old\n")
    target.chmod(0o640)
    os.symlink("graph.nt", tmp_path / "link.nt")
    code, _, err = kg("export", "-f", "nt", "-o", tmp_path / "link.nt", "-w", examples_workspace)
    assert (code, err) == (0, f"wrote {tmp_path / 'link.nt'}\n")
    assert (tmp_path / "link.nt").is_symlink()  # the link stays a link; the file it points to is new
    assert "cikg.dev" in target.read_text() and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "link.nt"]
    code, _, err = kg("export", "-f", "ttl", "-o", tmp_path / "new.ttl", "-w", examples_workspace)
    assert code == 0 and (tmp_path / "new.ttl").read_text().startswith("@prefix")


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(examples_workspace: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import export as export_module

    def disk_full(ws, fmt, fh) -> None:  # the device fills up halfway through
        fh.write(b"<https://cikg.dev/a> <https://cikg.dev/b> ")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "export", disk_full)
    target = tmp_path / "graph.nt"
    target.write_text("the previous export\n")
    code, out, err = kg("export", "-f", "nt", "-o", target, "-w", examples_workspace)
    assert (code, out, err) == (1, "", "error: No space left on device\n")
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


# --- 6. the smaller ones --------------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.add(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    """Running, not a zombie (an orphan that died is a zombie until whoever adopted it reaps it)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkilled_parallel_ingest_leaves_no_workers_running(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (ROOT / "examples" / "articles" / "huawei-ascend-smic.txt").read_text(encoding="utf-8")
    for i in range(400):
        (corpus / f"a{i:04d}.txt").write_text(f"{text}\n\nThis is report number {i}.\n", encoding="utf-8")
    proc = subprocess.Popen([*KG, "ingest", str(corpus), "-w", str(tmp_path / "ws"), "--jobs", "2", "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            assert proc.poll() is None, "ingest ended before its workers were seen"
            assert time.monotonic() < deadline, "no worker processes started"
            workers = _children(proc.pid)
            time.sleep(0.02)
        time.sleep(0.5)  # the workers are at work
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "worker processes outlived the killed ingest"
    finally:
        proc.kill()
        for w in workers:  # only the workers of this test's ingest, should they have outlived it
            if _alive(w):
                os.kill(w, signal.SIGKILL)


@pytest.mark.parametrize("value, accepted", [
    ("9223372036854775807", True), ("-9223372036854775808", True), ("9223372036854775808", False),
    ("-9223372036854775809", False), ("1e19", False), ("99999999999999999999999999999999", False),
])
def test_integer_parameters_beyond_int64_are_refused(examples_workspace: Path, value: str, accepted: bool) -> None:
    code, out, err = kg("query", "run", "most_connected", "-p", f"min_degree={value}", "-f", "json",
                        "-w", examples_workspace)
    if accepted:
        assert (code, err) == (0, "") and isinstance(json.loads(out), list)
    else:
        assert (code, out) == (1, "")
        assert err == ("error: parameter 'min_degree' must be an integer from -9223372036854775808 to "
                       f"9223372036854775807, got {value!r}\n")
    if not accepted:  # the library API too, given a Python int or float
        number = int(value) if value.lstrip("-").isdigit() else float(value)
        with pytest.raises(catalogue.QueryError, match="must be an integer from"):
            api.run_query("most_connected", {"min_degree": number}, "rdf", examples_workspace)


def test_naming_only_a_file_that_cannot_be_read_exits_non_zero(tmp_path: Path, batch: Path) -> None:
    """`kg ingest pipe.txt` said "skipped" and exited 0: a file named on the command line was asked for."""
    os.mkfifo(batch / "pipe.txt")
    (batch / "notes.pdf").write_bytes(b"%PDF-1.7")
    code, out, err = kg("ingest", batch / "pipe.txt", "-w", tmp_path / "ws")
    assert code == 1
    assert err == f"error: {batch / 'pipe.txt'}: not a regular file\n"
    assert out.rstrip().endswith("0 skipped, 1 errors")
    code, _, err = kg("ingest", batch / "notes.pdf", "-w", tmp_path / "ws")
    assert (code, err) == (1, f"error: {batch / 'notes.pdf'}: unsupported file type '.pdf'\n")
    # inside a folder they are what a folder holds besides articles: skipped and said, not errors
    code, out, err = kg("ingest", batch, "-w", tmp_path / "ws")
    assert code == 0, err
    assert err.splitlines() == [f"skipped: {batch / 'notes.pdf'}: unsupported file type '.pdf'",
                                f"skipped: {batch / 'pipe.txt'}: not a regular file"]
    assert out.startswith("ingested 1 articles")


def test_article_inside_100k_nested_divs_is_ingested(tmp_path: Path, batch: Path) -> None:
    sentence = "Tencent develops Hunyuan models, the company said on Tuesday."
    (batch / "deep.html").write_text("<html><head><title>Deep page</title></head><body>" + "<div>" * 100_000
                                     + f"<p>{sentence}</p>" + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    code, out, err = kg("ingest", batch, "-w", tmp_path / "ws")
    assert (code, err) == (0, "")
    assert out.startswith("ingested 2 articles (0 unchanged) from 2 files")
    code, out, err = kg("extract", batch / "deep.html")
    assert (code, err) == (0, "")
    assert {json.loads(line)["sentence"] for line in out.splitlines()} == {sentence}


def test_shown_escapes_every_control_character_and_nothing_else() -> None:
    for code in range(0x110000):
        c = chr(code)
        s = shown(c)
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or c in "\u061c\u200e\u200f" \
                or 0x2028 <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            assert s.startswith("\\") and s.isascii() and s.isprintable(), hex(code)
        else:
            assert s == c, hex(code)
