"""Screenshots of `kg serve`'s pages for the README (docs/web-*.png), taken by the real headless Chromium.

    .venv/bin/python scripts/web_screenshots.py [--out docs]

Ingests examples/articles into a temporary workspace (as of the day the tests and scripts/docs.py use), starts
a real `kg serve --port 0` on it, and drives Debian's ``chromium`` (or $CHROMIUM) with Playwright through the
pages an analyst uses: search with suggestions, an entity, a stored query with a parameter and a row's evidence,
the neighbourhood graph with a node's card, a brief, an article with its fact sentences marked, and the
catalogue. Not run by CI (the browser test, tests/test_web_browser.py, checks the same pages); rerun it when a
page changes and commit the pictures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "examples" / "articles"
INGESTED = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)  # as tests/conftest.py and scripts/docs.py
ALIBABA = "https://cikg.dev/id/company/alibaba-group"


def start_server(workspace: Path) -> tuple[subprocess.Popen[str], str]:
    """`kg serve` on a free loopback port; the process and its base URL (from the line it prints)."""
    proc = subprocess.Popen([str(Path(sys.executable).parent / "kg"), "serve", "--port", "0", "-w", str(workspace)],
                            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = proc.stderr.readline() if proc.stderr else ""
    if " at http://" not in line:
        proc.kill()
        raise SystemExit(f"kg serve did not start: {line.strip()!r}")
    url = line.split(" at ", 1)[1].split()[0].rstrip("/")
    return proc, url


def shoot(base: str, out: Path, chromium: str) -> list[Path]:
    """Every page's screenshot in ``out``; the paths written."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                    "--no-first-run", "--disable-sync",
                                                                    "--disable-background-networking"])
        page = browser.new_context(viewport={"width": 1360, "height": 1000}).new_page()

        def go(path: str) -> None:
            r = page.goto(base + path)
            if r is None or r.status != 200:
                raise SystemExit(f"{path}: {r.status if r else 'no answer'}")

        def shot(name: str, full: bool = False) -> None:
            path = out / f"web-{name}.png"
            page.screenshot(path=str(path), full_page=full)
            written.append(path)

        go("/")
        page.locator("#search").press_sequentially("tenc", delay=40)
        page.wait_for_selector("#suggestions li")
        shot("search")

        go(f"/entity?iri={quote(ALIBABA, safe='')}")
        page.wait_for_selector("#charts canvas")
        page.locator("#relations details.evidence summary").first.click()
        page.wait_for_selector("#relations .ev-body li")
        page.wait_for_timeout(800)  # the chart's animation
        shot("entity", full=True)  # the relations, the metrics chart and the articles

        go("/queries")
        shot("catalogue")
        form = page.locator("#q-competitors form")
        form.locator("input[name=company]").fill("Baidu")
        form.locator("button").click()
        page.wait_for_url("**/queries/competitors?company=Baidu")
        page.locator("#results details.evidence summary").first.click()
        page.wait_for_selector("#results .ev-body li")
        shot("query")

        go(f"/graph?iri={quote(ALIBABA, safe='')}&hops=2")
        page.wait_for_selector("#graph[data-ready='1']")
        page.wait_for_timeout(1500)  # the layout settles
        page.evaluate("window.cikgGraph.$id('https://cikg.dev/id/company/baidu').emit('tap')")
        page.wait_for_selector("#card-title")
        shot("graph")

        go(f"/brief?company={quote('Alibaba Group')}")
        page.wait_for_selector("#brief")
        page.wait_for_timeout(500)
        shot("brief")

        go("/articles")
        page.locator("#article-list a", has_text="Alibaba").first.click()
        page.wait_for_selector("#article-text mark")
        shot("article")
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    from kg import api
    from kg.viz import chromium

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for web-*.png [docs]")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="kg-shots-") as tmp:
        ws = Path(tmp) / "ws"
        summary = api.ingest([EXAMPLES], ws, now=INGESTED)
        if not summary.ok:
            raise SystemExit(f"ingest failed: {summary.errors}")
        proc, url = start_server(ws)
        try:
            for path in shoot(url, args.out, exe):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
