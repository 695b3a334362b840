"""Fuzzing: random text and bytes into every reader and the extractor raise nothing but InputError."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ingest.extract import extract
from ingest.kb import default_kb
from ingest.model import Article, InputError, article_id
from ingest.read import SUFFIXES, read_file

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=500)


def _read_all(path: Path) -> None:
    try:
        for a in read_file(path, on_error=lambda e: None):
            assert a.text and a.title
    except InputError as exc:
        assert "\n" not in str(exc)


@FUZZ
@given(data=st.binary(max_size=800), suffix=st.sampled_from(sorted(SUFFIXES)))
def test_random_bytes_every_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / ("fuzz" + suffix)
    path.write_bytes(data)
    _read_all(path)


@FUZZ
@given(text=TEXT, suffix=st.sampled_from(sorted(SUFFIXES)))
def test_random_text_every_reader(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / ("fuzz" + suffix)
    path.write_text(text, encoding="utf-8")
    _read_all(path)


WORDS = st.sampled_from(["Baidu", "Alibaba", "Qwen", "Nvidia", "H20", "develops", "uses", "chips", "it", "the company",
                         "sanctions", "competes with", "$", "5 billion", "revenue", "rose", "%", ".", ",", "\n\n",
                         "CEO", "Huawei", "Ascend", "SMIC", "(", ")", "\"", "—"])


@FUZZ
@given(parts=st.lists(st.one_of(WORDS, TEXT), max_size=40))
def test_extractor_never_crashes(parts: list[str]) -> None:
    text = " ".join(parts).strip() or "x"
    article = Article(article_id(None, text), "Fuzz", text)
    try:
        result = extract(article, default_kb())
    except InputError:
        return
    for f in result.facts:
        assert 0 <= f.evidence.start <= f.evidence.end <= len(text)


# --- the value kinds of hostile input (issue 12) ------------------------------------------------------------
#
# Invalid and oddly tagged front matter dates, lone surrogate escapes, nesting far deeper than any parser's
# recursion, rich markup brackets, terminal escape sequences and control characters in file names and titles.

CONTROL = st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + ["\u2028", "\u202e", "\u2066"])
MARKUP = st.sampled_from(["[/x]", "[bold red]", "[/]", "[link=https://evil.example]", "[/link]", ":warning:",
                          "[r:COMPETES_WITH]", "\\[", "[", "]", "[/b", "[#ff0000 on blue]"])
TERMINAL = st.sampled_from(["\x1b[31m", "\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\", "\x9b6n",
                            "\r", "\b\b\b"])
WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
HOSTILE = st.lists(st.one_of(MARKUP, TERMINAL, CONTROL, WORD), min_size=1, max_size=10).map("".join)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
WITH_SURROGATES = st.lists(st.one_of(SURROGATE, WORD), max_size=6).map("".join)
TAGS = ["!!int", "!!float", "!!bool", "!!timestamp", "!!binary", "!!str", "!!null", "!!set", "!!omap", "!!seq", "!!map"]
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"2001-02-03 {t[0]:02d}:{t[1]:02d}:{t[2]:02d}"),
    st.tuples(st.sampled_from(TAGS), WORD).map(lambda t: f"{t[0]} {json.dumps(t[1])}"),
    st.tuples(st.sampled_from(TAGS), st.sampled_from(["[1]", "{a: 1}", "2001-13-45", "", "~", "0x_", "1_0"])).map(
        " ".join),
)
DEEP = st.tuples(st.sampled_from(["[", '{"a":', '{"a":[']), st.integers(0, 4000))


def _nested(opener: str, depth: int) -> str:
    closer = "".join({"[": "]", "{": "}"}[c] for c in reversed(opener) if c in "[{")
    return opener * depth + ("1" if opener.endswith(":") else "") + closer * depth


@FUZZ
@given(value=DATES)
def test_front_matter_date_of_any_kind(tmp_path: Path, value: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Baidu news\ndate: {value}\n---\n\nBaidu develops Ernie.\n", encoding="utf-8")
    try:
        (article,) = read_file(path)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}:")
        return
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            real = date.fromisoformat(value).isoformat()
        except ValueError:
            real = None
        assert article.date == real
    assert article.text == "Baidu develops Ernie."


@FUZZ
@given(records=st.lists(st.tuples(WITH_SURROGATES, WITH_SURROGATES, DEEP), min_size=1, max_size=4))
def test_jsonl_surrogates_and_deep_nesting(tmp_path: Path, records: list[tuple[str, str, tuple[str, int]]]) -> None:
    """Each line is an article or that line's one-line error; no line costs another, nothing unstorable passes."""
    lines = []
    for title, text, (opener, depth) in records:
        extra = _nested(opener, depth)
        lines.append(f'{{"title": {json.dumps(title)}, "text": {json.dumps("Baidu " + text)}, "extra": {extra}}}')
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    articles = list(read_file(path, on_error=errors.append))
    assert len(articles) + len(errors) == len(lines)
    for e in errors:
        assert "\n" not in str(e) and e.line is not None and 1 <= e.line <= len(lines)
    for a in articles:
        for value in (a.id, a.title, a.text):
            value.encode("utf-8")  # storable: no lone surrogate


HTML_TAGS = st.sampled_from(["div", "span", "section", "blockquote", "td", "li", "b", "font", "table", "article"])
PROSE = "Huawei designs Ascend chips and SMIC makes them on its 7 nm line, the companies said on Monday."


@FUZZ
@given(tags=st.lists(HTML_TAGS, min_size=1, max_size=3), depth=st.integers(0, 5000))
@example(tags=["div"], depth=100_000)
def test_html_nesting_of_any_depth_keeps_the_text(tmp_path: Path, tags: list[str], depth: int) -> None:
    opening = "".join(f"<{t}>" for t in tags) * depth
    closing = "".join(f"</{t}>" for t in reversed(tags)) * depth
    path = tmp_path / "a.html"
    path.write_text(f"<html><body>{opening}<p>{PROSE}</p>{closing}</body></html>", encoding="utf-8")
    (article,) = read_file(path)
    assert PROSE in article.text


_SHOWN_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
CLI = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@CLI
@given(name=HOSTILE.filter(lambda n: "/" not in n and "\0" not in n and len(n.encode("utf-8")) < 200))
def test_hostile_file_name_is_one_escaped_error_line(tmp_path: Path, name: str) -> None:
    from kg.cli import app, shown

    path = tmp_path / ("n" + name + ".txt")
    path.write_bytes(b"")
    result = CliRunner().invoke(app, ["ingest", str(path), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {shown(path)}: empty file\n"
    assert not _SHOWN_UNSAFE.search(result.stderr.rstrip("\n"))


@CLI
@given(title=HOSTILE, url=HOSTILE)
def test_hostile_titles_and_urls_print_literally(tmp_path: Path, title: str, url: str) -> None:
    from kg.cli import app, shown

    source = tmp_path / f"in{len(list(tmp_path.iterdir()))}.jsonl"
    source.write_text(json.dumps({"title": title, "url": "https://news.example.org/" + url,
                                  "text": "Baidu competes with Alibaba in China."}) + "\n", encoding="utf-8")
    ws = tmp_path / f"ws{len(list(tmp_path.iterdir()))}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(source), "-w", str(ws)]).exit_code == 0
    (card,) = json.loads(runner.invoke(app, ["lookup", "Baidu", "-w", str(ws), "--json"]).stdout)
    ((stored,),) = [[s] for s in card["sources"]]
    result = runner.invoke(app, ["lookup", "Baidu", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert f"  source: {stored['date'] or 'undated'}  {shown(stored['title'])}  {shown(stored['id'])}\n" \
        in result.stdout
    assert not _SHOWN_UNSAFE.search(result.stdout.replace("\n", ""))
