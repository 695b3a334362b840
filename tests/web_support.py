"""A real `kg serve` (uvicorn on 127.0.0.1, an ephemeral port) for the tests marked ``web``, and the hostile
workspace: articles whose every field tries to run or render markup in a page."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent

# One line of the server's stdout says where it listens (kg.web.server.serve's on_ready)
_SERVE = ("import sys; from kg.web.server import serve; from kg.web.workers import Limits; "
          "serve(sys.argv[1], port=0, limits=Limits(timeout=float(sys.argv[2])), workers=2, "
          "on_ready=lambda url: print('listening', url, flush=True))")


@contextlib.contextmanager
def served(workspace: Path, timeout: float = 10.0) -> Iterator[str]:
    """A `kg serve` process over ``workspace``; yields its base URL (no trailing slash) and stops it after."""
    proc = subprocess.Popen([sys.executable, "-c", _SERVE, str(workspace), str(timeout)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("listening "):
            proc.kill()
            raise AssertionError(f"kg serve did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
        url = line.split()[1].rstrip("/")
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/sparql", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("kg serve did not answer within 30 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def chromium_or_skip() -> str:
    """Debian's chromium (or $CHROMIUM); without one the test is skipped, except under KG_REQUIRE_BROWSER=1
    (CI), where it fails: a CI run must not pass by skipping the browser."""
    from ingest.model import InputError
    from kg.viz import chromium

    try:
        return chromium()
    except InputError as exc:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"headless Chromium is required: {exc}")
        pytest.skip(str(exc))


PWNED = "window.__pwned"
# What an attacker writes into an article: script elements, event handlers, javascript: links, markup that
# closes attributes and elements, and Unicode that reorders or hides text.
HOSTILE_NAME = 'Evil<script>window.__pwned=1</script> "><img src=x onerror="window.__pwned=2"> Corp'
HOSTILE_CHIP = "X1</title></textarea><svg onload=window.__pwned=3>\u202egnp.exe\u200b\ufeff"
HOSTILE_TEXT = (
    "<script>window.__pwned=4</script> Click <a href=\"javascript:window.__pwned=5\">here</a> "
    "<iframe src=\"javascript:window.__pwned=6\"></iframe> {{ 7*7 }} ${7*7} </script><script>window.__pwned=7</script> "
    "\u202eRTL override\u202c, zero\u200bwidth, a NUL-free control \u0007 and an emoji \U0001F600.")


def hostile_extraction():
    """An article with hostile title, URL, entity names, aliases and sentences, as ``kg.api.store`` takes it."""
    from ingest.model import Article, Entity, Evidence, Extraction, Fact, Mention, Metric

    sentence = f"{HOSTILE_NAME} uses the {HOSTILE_CHIP} chip. {HOSTILE_TEXT}"
    text = sentence + "\n\nNothing else."
    article = Article(id="javascript:window.__pwned=8//hostile", title="<script>window.__pwned=9</script>Hostile "
                      "headline <b onmouseover=window.__pwned=10>bold</b>", text=text, date="2025-06-01",
                      url="javascript:window.__pwned=11", source="<img src=x onerror=window.__pwned=12>")
    company = Entity("https://cikg.dev/id/company/evil-corp", HOSTILE_NAME, "Company",
                     aliases=("<svg/onload=window.__pwned=13>",), known=False)
    chip = Entity("https://cikg.dev/id/chip/x1", HOSTILE_CHIP, "Chip", known=False)
    rival = Entity("https://cikg.dev/id/company/baidu", "Baidu", "Company")
    ev = Evidence(article.id, sentence, 0, len(sentence), "hostile<rule onclick=x>", 0.9)
    return Extraction(article, mentions=[Mention(company, HOSTILE_NAME, 0, len(HOSTILE_NAME), 0.9, "alias"),
                                         Mention(company, "<svg/onload=window.__pwned=13>", 0, 5, 0.9, "alias"),
                                         Mention(chip, HOSTILE_CHIP, 0, 5, 0.9, "alias"),
                                         Mention(rival, "Baidu", 0, 5, 0.9, "alias")],
                      facts=[Fact(company, "usesChip", chip, ev), Fact(company, "competesWith", rival, ev)],
                      metrics=[Metric(company, "revenue<script>window.__pwned=14</script>", 1.5e9, "USD",
                                      "2025-Q1", ev),
                               Metric(company, "revenue<script>window.__pwned=14</script>", 2.5e9, "USD",
                                      "2025-Q2", ev)])


def hostile_file(folder: Path) -> Path:
    """The same attacks in an article file, read and extracted as any other."""
    path = folder / "hostile.html"
    path.write_text(
        "<html><head><title>&lt;script&gt;window.__pwned=20&lt;/script&gt; Alibaba Group invests in Zhipu AI"
        "</title><meta name=\"date\" content=\"2025-06-02\"></head><body>"
        f"<p>Alibaba Group invests in Zhipu AI, the company said. {HOSTILE_TEXT.replace(chr(7), '')}</p>"
        "<p>&lt;img src=x onerror=window.__pwned=21&gt; Tencent competes with Baidu.</p></body></html>",
        encoding="utf-8")
    return path


def articles(workspace: Path) -> list:
    """The workspace's articles (``kg.api.list_articles``; ``articles`` before the API was renamed)."""
    from kg import api

    fn = getattr(api, "list_articles", None) or api.articles
    return fn(workspace)


def store(extractions: list, workspace: Path) -> None:
    from kg import api

    fn = getattr(api, "store_extractions", None) or api.store
    fn(extractions, workspace)


def ingest(paths: list, workspace: Path) -> None:
    from kg import api

    summary = api.ingest(paths, workspace)
    assert summary.ok, summary.errors
