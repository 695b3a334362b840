"""The analysts' page in a real headless Chromium (Debian's ``chromium``, driven by Playwright) on a real
`kg serve`: search with suggestions, an entity, a stored query with a parameter and its evidence, the graph,
a brief, an article; and a workspace of hostile articles in which nothing runs and no markup renders.

``KG_WEB_SCREENSHOTS=docs`` writes the screenshots of the README (docs/web-*.png) while the test runs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web_support import (
    HOSTILE_CHIP,
    HOSTILE_NAME,
    PWNED,
    articles,
    chromium_or_skip,
    hostile_extraction,
    hostile_file,
    served,
    store,
)

pytestmark = pytest.mark.web
playwright = pytest.importorskip("playwright.sync_api")

ALIBABA = "https://cikg.dev/id/company/alibaba-group"
# every CSP violation and script error a page meets, gathered before any script of the page runs
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


@pytest.fixture(scope="module")
def browser():
    exe = chromium_or_skip()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                         "--disable-background-networking", "--disable-sync"])
        yield b
        b.close()


class Page:
    """A page with its errors and dialogs recorded (a dialog would be a script of the attacker's running)."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1360, "height": 900}, service_workers="block")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.external: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.external.append(r.url))

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response.status if response else None)

    def clean(self) -> None:
        """Nothing ran that should not have, nothing was blocked, nothing came from elsewhere."""
        assert self.page.evaluate(f"typeof {PWNED}") == "undefined"
        assert self.page.evaluate("window.__violations") == []
        assert self.errors == [] and self.dialogs == [] and self.external == []

    def shot(self, name: str, full: bool = False) -> None:
        folder = os.environ.get("KG_WEB_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(folder) / f"web-{name}.png"), full_page=full)


# the elements of the body whose own text holds a bidi embedding, override or isolate control, and those of them
# that do not isolate it from what surrounds them
BIDI_LEAKS = """(() => {
  const controls = /[\\u202a-\\u202e\\u2066-\\u2069]/;
  const holders = [...document.body.querySelectorAll('*')].filter(e => e.tagName !== 'SCRIPT' &&
    [...e.childNodes].some(n => n.nodeType === 3 && controls.test(n.nodeValue)));
  const leaks = holders.filter(e => !['isolate', 'isolate-override', 'plaintext'].includes(
    getComputedStyle(e).unicodeBidi)).map(e => e.tagName + ': ' + e.textContent.slice(0, 60));
  return {holders: holders.length, leaks};
})()"""


@pytest.fixture(scope="module")
def site(examples_workspace: Path):
    with served(examples_workspace) as url:
        yield url


def test_an_analysts_session(browser, site: str) -> None:
    p = Page(browser, site)
    page = p.page
    # search: suggestions as one types, by alias
    p.go("/")
    page.locator("#search").press_sequentially("tenc", delay=40)
    page.wait_for_selector("#suggestions li")
    labels = page.locator("#suggestions li .label").all_text_contents()
    assert "Tencent" in labels
    p.shot("search")
    page.locator("#suggestions li", has_text="Tencent").first.click()
    page.wait_for_url("**/entity?iri=*")
    assert page.locator("#entity-name").inner_text().startswith("Tencent")
    p.clean()

    # an entity: relations with sources and dates, metrics as a chart, articles
    p.go(f"/entity?iri={quote(ALIBABA, safe='')}")
    page.wait_for_selector("#charts canvas")
    assert page.locator("#relations tbody tr").count() >= 5
    assert page.locator("#charts canvas").count() >= 1
    ev = page.locator("#relations details.evidence").first
    ev.locator("summary").click()
    page.wait_for_selector("#relations .ev-body li")
    assert page.locator("#relations .ev-body q").first.inner_text()
    # each article's outlet with its reliability letter (the examples' outlets are not rated: F)
    assert re.search(r"\(.+, [A-F]\)", page.locator("#relations .ev-body li").first.inner_text())
    p.shot("entity")
    p.clean()

    # a stored query with a parameter, from the catalogue's form; a row's evidence; the downloads
    p.go("/queries")
    form = page.locator("#q-competitors form")
    form.locator("input[name=company]").fill("Baidu")
    form.locator("button").click()
    page.wait_for_url("**/queries/competitors?company=Baidu")
    assert page.locator("#results tbody tr").count() >= 1
    page.locator("#results details.evidence summary").first.click()
    page.wait_for_selector("#results .ev-body li")
    assert re.search(r"\(.+, [A-F]\)", page.locator("#results .ev-body li").first.inner_text())
    assert "download-csv" in page.content()
    p.shot("query")
    p.clean()

    # the neighbourhood graph: two hops, a node's card on click
    p.go(f"/graph?iri={quote(ALIBABA, safe='')}&hops=2")
    page.wait_for_selector("#graph[data-ready='1']")
    assert page.evaluate("window.cikgGraph.nodes().length") > 10
    page.evaluate("window.cikgGraph.$id('https://cikg.dev/id/company/baidu').emit('tap')")
    page.wait_for_selector("#card-title")
    assert page.locator("#card-title").inner_text() == "Baidu"
    p.shot("graph")
    p.clean()

    # a brief: footnoted claims
    p.go(f"/entity?iri={quote(ALIBABA, safe='')}")
    page.locator("#brief-link").click()
    page.wait_for_selector("#brief")
    assert page.locator("#brief h1").inner_text() == "Brief: Alibaba Group"
    assert page.locator("#brief sup a").count() >= 5 and page.locator("#brief .notes li").count() >= 5
    p.shot("brief", full=True)
    p.clean()

    # an article with the sentences of its facts marked
    p.go("/articles")
    page.locator("#article-list a", has_text="Alibaba").first.click()
    page.wait_for_selector("#article-title")
    assert page.locator("#article-text mark").count() >= 1
    p.shot("article")
    p.clean()

    # the catalogue, for the README
    p.go("/queries")
    p.shot("catalogue")
    p.context.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import EXAMPLES
    from tests.web_support import ingest

    folder = tmp_path_factory.mktemp("hostile")
    ws = folder / "ws"
    ingest([EXAMPLES, hostile_file(folder)], ws)
    store([hostile_extraction()], ws)
    with served(ws) as url:
        yield url, ws


def test_hostile_articles_run_and_render_nothing(browser, hostile_site) -> None:
    site, ws = hostile_site
    p = Page(browser, site)
    page = p.page
    evil = "https://cikg.dev/id/company/evil-corp"
    hostile = [a for a in articles(ws) if "Hostile" in a.title or "Alibaba Group invests" in (a.title or "")]
    assert len(hostile) == 2
    paths = ["/", "/articles", f"/entity?iri={quote(evil, safe='')}", f"/graph?iri={quote(evil, safe='')}&hops=2",
             f"/brief?company={quote(HOSTILE_NAME, safe='')}", "/queries/sanction_exposure",
             f"/queries/company_metrics?company={quote(HOSTILE_NAME, safe='')}",
             f"/search?q={quote('Evil', safe='')}"] + [f"/article?g={quote(a.graph, safe='')}" for a in hostile]
    with_controls = 0
    for path in paths:
        p.go(path)
        page.wait_for_timeout(300)
        if "/graph" in path:
            page.wait_for_selector("#graph[data-ready='1']")
            page.evaluate(f"window.cikgGraph.$id({evil!r}).emit('tap')")
            page.wait_for_selector("#card-title")
            assert page.locator("#card-title").inner_text() == HOSTILE_NAME  # shown as text, exactly
        # the only scripts are the page's own; no element carries an event handler; no javascript: link
        assert page.evaluate("[...document.scripts].filter(s => s.src ? !s.src.endsWith('/static/app.js') : "
                             "s.type !== 'application/json').length") == 0, path
        assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes].some("
                             "a => a.name.startsWith('on'))).length") == 0, path
        assert page.evaluate("[...document.querySelectorAll('[href],[src]')].filter(e => /^\\s*javascript:/i.test("
                             "e.getAttribute('href') || e.getAttribute('src'))).length") == 0, path
        assert page.locator("img, iframe, svg[onload], b[onmouseover]").count() == 0 or "/brief" in path, path
        # a bidi override in a name reorders nothing outside the element that shows it ('\u202egnp.exe' can turn
        # its own text round, never the links and cells after it): each such element is a bidi isolate
        bidi = page.evaluate(BIDI_LEAKS)
        assert bidi["leaks"] == [], (path, bidi["leaks"])
        with_controls += bidi["holders"]
        p.clean()
    assert with_controls >= 5  # the check above saw the hostile names (it cannot pass on pages without them)
    # the names are there, as text
    p.go(f"/entity?iri={quote(evil, safe='')}")
    assert page.locator("#entity-name").inner_text().startswith(HOSTILE_NAME)
    assert HOSTILE_CHIP.strip("\u200b\ufeff") in page.locator("#relations").inner_text()
    # suggestions as one types the hostile name
    page.locator("#search").press_sequentially("evil<", delay=30)
    page.locator("#suggestions li", has_text="window.__pwned=1").wait_for()
    assert HOSTILE_NAME in page.locator("#suggestions").inner_text()
    p.clean()
    p.shot("hostile")
    p.context.close()


def test_kg_viz_page_works_offline_from_a_file(browser, examples_workspace: Path, tmp_path: Path) -> None:
    """`kg viz -o FILE.html`: opened from disk, no server, no network; its own hashes let its script run."""
    from kg import api

    path = api.draw_neighbourhood("DeepSeek", tmp_path / "deepseek.html", hops=2, workspace=examples_workspace)
    p = Page(browser, path.parent.as_uri())
    p.page.goto(path.as_uri())
    p.page.wait_for_selector("#graph[data-ready='1']")
    assert p.page.evaluate("window.cikgGraph.nodes().length") > 10
    p.page.evaluate("window.cikgGraph.$id('https://cikg.dev/id/company/deepseek').emit('tap')")
    assert p.page.locator("#card h3").inner_text() == "DeepSeek"
    p.clean()
    p.context.close()
