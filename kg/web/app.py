"""The ASGI application of ``kg serve`` (Starlette): pages, a JSON API, ``/sparql`` and the static files.

Why Starlette + uvicorn over pyoxigraph rather than Oxigraph's own server (``oxigraph serve-read-only``):
that server opens the store read-only, which Oxigraph documents as undefined behaviour while another process
writes it (``kg ingest``), never sees what is written after it started, has no per-query time or row limit, and
serves only SPARQL, while the analysts' pages need this package's code (names, provenance, briefs). Here every
request reads a consistent snapshot (``kg.web.snapshot``) and ad-hoc queries run in worker processes that can be
stopped (``kg.web.workers``). README, "kg serve", has the measurements.

Security: article text is untrusted. Every page is rendered by autoescaped templates, the page's script builds
DOM nodes with ``textContent`` only (never ``innerHTML`` of data), and every answer carries a strict Content
Security Policy (scripts and styles from this server's ``/static`` only: an injected ``<script>``, ``onerror=``
or ``javascript:`` link cannot run even if it reached the page). Requests with a ``Host`` other than the loopback
names are refused (DNS rebinding) unless the server was bound to another address on purpose.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.model import InputError
from kg import queries as catalogue
from kg.names import NameIndex, UnknownName, name_index
from kg.store import PREFIXES, Workspace
from kg.web import data, sparql
from kg.web.render import STATIC, render
from kg.web.snapshot import Snapshot, Snapshots
from kg.web.workers import Limits, QueryPool

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
log = logging.getLogger("kg.serve")
ROWS_SHOWN = 500  # rows of a result table on a page (the downloads have all of them)


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every answer (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass
class Settings:
    workspace: str | os.PathLike[str] | None = None
    limits: Limits = Limits()
    workers: int = 2
    poll: float = 0.5  # seconds between looks for a changed workspace
    warm: bool = True  # make each new snapshot's shared views in the background (``Warmer``)


class State:
    """What the running application holds: the snapshots, the query workers and the warmer of new snapshots."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.last_page = time.monotonic()  # when a page was last asked for (``_offer``)
        self.snapshots = Snapshots(settings.workspace, interval=settings.poll)
        self.warmer: Warmer | None = None
        try:
            self.pool = QueryPool(settings.workers, settings.limits)
            if settings.warm:
                self.warmer = Warmer(warm_steps)
                self.snapshots.listeners.append(self._offer)
                if self.snapshots.current is not None:
                    self.warmer.offer(self.snapshots.current)
            self.snapshots.start()
        except BaseException:
            if self.warmer is not None:
                self.warmer.close()
            self.snapshots.close()
            raise

    def _offer(self, snap: Snapshot) -> None:
        """A new snapshot is warmed while someone uses the pages: a server nobody has asked for a page for
        ``IDLE`` seconds leaves the snapshots an ingest makes, batch after batch, to the first request."""
        if self.warmer is not None and time.monotonic() - self.last_page < IDLE:
            self.warmer.offer(snap)

    def close(self) -> None:
        if self.warmer is not None:
            self.warmer.close()
        self.pool.close()
        self.snapshots.close()


IDLE = 600.0  # seconds without a page request after which new snapshots are no longer warmed
MEMO = 128  # answers kept per snapshot (entity views, graphs, briefs): the data under them cannot change


def _cached(snap: Snapshot, key: object, make: Callable[[], Any]) -> Any:
    """``make()``, computed once per snapshot (a snapshot never changes; a new one starts with an empty memo).
    Least recently used entries beyond ``MEMO`` are dropped. Requests for an entry being made (by another
    request, or by the warmer) wait for it rather than make it again."""
    cache = snap.cache
    with snap.memo_lock:
        if key in cache:
            value = cache[key] = cache.pop(key)
            return value
        building = snap.building.setdefault(key, threading.Lock())
    with building:
        with snap.memo_lock:
            if key in cache:
                return cache[key]
        try:
            value = make()
        finally:
            with snap.memo_lock:
                snap.building.pop(key, None)
        with snap.memo_lock:
            while len(cache) >= MEMO:
                cache.pop(next(iter(cache)))
            cache[key] = value
    return value


def warm_steps(snap: Snapshot) -> list[Callable[[], object]]:
    """What every first view of a snapshot needs or a user opens first, in that order: the articles' metadata
    (entity pages, briefs, graphs), the name index (search, suggestions), the home page, the article list."""
    from kg.articles import list_articles
    from kg.facts import article_meta

    ws = snap.workspace
    return [lambda: article_meta(ws), lambda: names_of(snap), lambda: _typed_forms(snap),
            lambda: _cached(snap, "home", lambda: data.home(ws)),
            lambda: _cached(snap, "articles", lambda: list_articles(ws))]


class Warmer:
    """Makes a new snapshot's shared views (``warm_steps``) in one background thread as soon as it is swapped
    in, so that the first requests after a change find them made (or wait for the one being made) instead of
    paying for them: at 10,000 articles the home page and the article list cost seconds once per snapshot.
    Only the newest snapshot is warmed: one a newer replaced meanwhile is left (its leases end soon)."""

    def __init__(self, steps: Callable[[Snapshot], list[Callable[[], object]]]) -> None:
        self.steps = steps
        self._next: Snapshot | None = None
        self._cond = threading.Condition()
        self._stop = False
        self.warmed = 0  # snapshots warmed to the end (tests, benchmarks)
        self._thread = threading.Thread(target=self._run, name="kg-warm", daemon=True)
        self._thread.start()

    def offer(self, snap: Snapshot) -> None:
        with self._cond:
            self._next = snap
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and self._next is None:
                    self._cond.wait()
                if self._stop:
                    return
                snap, self._next = self._next, None
            if snap is None or not snap.try_acquire():
                continue
            try:
                for step in self.steps(snap):
                    if self._stop or snap.retired or self._next is not None:
                        break
                    try:
                        step()
                    except Exception as exc:  # the request that needs it meets the error itself
                        log.warning("warming a snapshot: %s", exc)
                else:
                    self.warmed += 1
            finally:
                snap.release()

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=60)


def names_of(snap: Snapshot) -> NameIndex:
    return _cached(snap, "names", lambda: name_index(snap.workspace))  # type: ignore[no-any-return]


# --- helpers ------------------------------------------------------------------------------------------------


def _state(request: Request) -> State:
    return request.app.state.kg  # type: ignore[no-any-return]


@contextlib.contextmanager
def _lease(request: Request):  # type: ignore[no-untyped-def]
    state = _state(request)
    state.last_page = time.monotonic()
    with state.snapshots.lease() as snap:
        yield snap


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    snap = _state(request).snapshots.current
    taken = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(snap.taken)) if snap else ""
    return HTMLResponse(render(template, snapshot_time=taken, **context), status_code=status)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "That cannot be answered", 404: "Not found", 413: "Too long", 503: "Busy"}
    return _page(request, "error.html", status=status,
                 title=titles.get(status, "Error"), message=message)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _fail(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return _error_page(request, status, message)


def _param(request: Request, name: str, default: str | None = None, required: bool = True) -> str:
    value = request.query_params.get(name, default)
    if value is None or (required and not value.strip()):
        raise InputError(f"parameter {name!r} is missing")
    if len(value) > 10_000:
        raise InputError(f"parameter {name!r} is longer than 10,000 characters")
    return value


def _guard(fn: Callable[[Request], Response]) -> Callable[[Request], Any]:
    """A page or API function, run in a thread, its bad input answered with one clear line (400, 404)."""

    async def endpoint(request: Request) -> Response:
        try:
            return await run_in_threadpool(fn, request)
        except data.NotFound as exc:
            return _fail(request, 404, str(exc))
        except UnknownName as exc:
            return _fail(request, 404, str(exc))
        except InputError as exc:
            return _fail(request, 400, str(exc))

    endpoint.__name__ = fn.__name__
    return endpoint


# --- pages --------------------------------------------------------------------------------------------------


def home(request: Request) -> Response:
    with _lease(request) as snap:
        stats = _cached(snap, "home", lambda: data.home(snap.workspace))
        return _page(request, "home.html", stats=stats)


def search_page(request: Request) -> Response:
    q = _param(request, "q", "", required=False)
    with _lease(request) as snap:
        hits = [h for h in names_of(snap).search(q, limit=40) if h.in_workspace][:25] if q.strip() else []
        if len(hits) == 1 or (hits and hits[0].score >= 100 and (len(hits) == 1 or hits[1].score < 100)):
            return RedirectResponse(f"/entity?{urlencode({'iri': hits[0].iri})}", status_code=303)
        return _page(request, "search.html", q=q, hits=hits)


SUGGESTIONS = 8


def _typed_forms(snap: Snapshot) -> list[tuple[str, Any]]:
    """(casefolded name, Name) of every name of an entity of the workspace, for matching what is typed."""
    def make() -> list[tuple[str, Any]]:
        index = names_of(snap)
        return sorted(((" ".join(n.form.casefold().split()), n) for n in index.names if n.iri in index.present),
                      key=lambda x: (len(x[0]), x[0]))
    return _cached(snap, "typed", make)  # type: ignore[no-any-return]


def suggestions(snap: Snapshot, text: str, type_: str | None = None, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """What to offer for ``text`` as it is typed: names that start with it, then names with a word starting
    with it, then the closest fuzzy matches (a misspelling); one entry per entity, in the workspace only."""
    key = " ".join(text.casefold().split())[:200]
    out: dict[str, dict[str, str]] = {}

    def add(label: str, type_name: str, iri: str, matched: str, kind: str) -> None:
        if iri not in out and (type_ is None or type_name == type_):
            out[iri] = {"label": label, "type": type_name, "iri": iri, "matched": matched, "as": kind}

    forms = _typed_forms(snap)
    for starts in (True, False):
        for form, n in forms:
            if len(out) >= limit:
                break
            if form.startswith(key) if starts else (" " + key in " " + form or key in form.replace(" ", "")):
                add(n.label, n.type, n.iri, n.form, n.kind)
    if len(out) < limit:
        for h in names_of(snap).search(key, limit=30, type_=type_, cutoff=40):
            if h.in_workspace and len(out) < limit:
                add(h.label, h.type, h.iri, h.matched, h.kind)
    return list(out.values())


def suggest(request: Request) -> Response:
    q = _param(request, "q", "", required=False)
    type_ = request.query_params.get("type") or None
    if not q.strip():
        return JSONResponse([])
    with _lease(request) as snap:
        return JSONResponse(suggestions(snap, q, type_))


def entity_page(request: Request) -> Response:
    with _lease(request) as snap:
        if "iri" not in request.query_params:
            found = names_of(snap).resolve(_param(request, "name"))
            return RedirectResponse(f"/entity?{urlencode({'iri': found.iri})}", status_code=303)
        iri = _param(request, "iri")
        view = _cached(snap, ("entity", iri), lambda: data.entity(snap.workspace, iri))
        return _page(request, "entity.html", e=view)


def entity_api(request: Request) -> Response:
    iri = _param(request, "iri")
    with _lease(request) as snap:
        view = _cached(snap, ("entity", iri), lambda: data.entity(snap.workspace, iri))
    d = view.to_dict()
    d["relations"] = view.relations[:40]
    d["articles"] = view.articles[:5]
    return JSONResponse(d)


def evidence_api(request: Request) -> Response:
    s, p, o = (_param(request, k) for k in ("s", "p", "o"))
    _iri(s, "s"), _iri(o, "o")
    with _lease(request) as snap:
        return JSONResponse(data.fact_evidence(snap.workspace, s, p, o))


def _iri(value: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise InputError(f"parameter {name!r} is not an IRI") from None


def article_page(request: Request) -> Response:
    graph = _param(request, "g")
    _iri(graph, "g")
    with _lease(request) as snap:
        return _page(request, "article.html", a=_cached(snap, ("article", graph),
                                                          lambda: data.article(snap.workspace, graph)))


def articles_page(request: Request) -> Response:
    from kg.articles import list_articles

    with _lease(request) as snap:
        arts = _cached(snap, "articles", lambda: list_articles(snap.workspace))
    newest = list(reversed(arts))[:500]
    return _page(request, "articles.html", articles=newest, total=len(arts))


def graph_page(request: Request) -> Response:
    from kg.facts import relation_predicates

    iri = _param(request, "iri")
    hops = _hops(request)
    types = request.query_params.getlist("type") or relation_predicates()
    with _lease(request) as snap:
        node = data.describe(snap.workspace, [iri]).get(iri)
        if node is None:
            raise data.NotFound(f"no entity {iri!r} in the workspace")
    api = urlencode([("iri", iri), ("hops", str(hops))] + [("type", t) for t in types])
    return _page(request, "graph.html", iri=iri, label=node.label, hops=hops, types=types,
                 all_types=relation_predicates(), api_query=api)


def _hops(request: Request) -> int:
    raw = request.query_params.get("hops", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 3:
        raise InputError(f"parameter 'hops' must be 1, 2 or 3, got {raw[:20]!r}")
    return int(raw)


def graph_api(request: Request) -> Response:
    from kg.viz import graph_json

    iri = _param(request, "iri")
    hops = _hops(request)
    types = request.query_params.getlist("type") or None
    with _lease(request) as snap:
        key = ("graph", iri, hops, tuple(types or ()))
        return JSONResponse(_cached(snap, key, lambda: graph_json(snap.workspace, iri, hops, types)))


def brief_page(request: Request) -> Response:
    from kg.brief import build, to_html, to_markdown

    name = _param(request, "company")
    fmt = request.query_params.get("format", "page")
    if fmt not in ("page", "md", "html"):
        raise InputError(f"parameter 'format' must be page, md or html, got {fmt[:20]!r}")
    with _lease(request) as snap:
        found = names_of(snap).resolve(name, "Company", what="company")
        brief = _cached(snap, ("brief", found.iri), lambda: build(snap.workspace, found.iri, found.label))
    filename = "brief-" + "".join(c if c.isalnum() else "-" for c in brief.company)[:60]
    if fmt == "md":
        return PlainTextResponse(to_markdown(brief), media_type="text/markdown; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{filename}.md"'})
    if fmt == "html":
        return HTMLResponse(to_html(brief), headers={"Content-Disposition": f'attachment; filename="{filename}.html"'})
    return _page(request, "brief_page.html", brief=brief)


# --- stored queries -----------------------------------------------------------------------------------------

def run_stored(snap: Snapshot, name: str, given: dict[str, object], notes: list[str]) -> list[dict[str, object]]:
    """Rows of stored query ``name`` on the snapshot, exactly as ``kg query run`` gives them (``kg.api.run_query``:
    parameters checked, an alias or ticker read as the entity's label and said in ``notes``)."""
    from kg import api

    return api.run_query(name, given, "rdf", snap.workspace, notes=notes)


def _given(request: Request, q: catalogue.StoredQuery) -> dict[str, object]:
    return {p.name: request.query_params[p.name] for p in q.params if request.query_params.get(p.name, "") != ""}


def queries_page(request: Request) -> Response:
    return _page(request, "queries.html", queries=[q.to_dict() for q in catalogue.catalogue().values()],
                 lang="sparql", text=_EXAMPLE, limits=_state(request).settings.limits)


_EXAMPLE = """SELECT ?company ?model WHERE {
  ?c a ci:Company ; rdfs:label ?company ; ci:develops ?m .
  ?m a ci:AIModel ; rdfs:label ?model .
} ORDER BY ?company ?model LIMIT 50"""


def _cell_text(value: object) -> str:
    from kg.render import cell

    return cell(value)


def query_page(request: Request) -> Response:
    name = request.path_params["name"]
    q = catalogue.get(name)
    given = _given(request, q)
    form = {"action": f"/queries/{name}", "params": [
        {"name": p.name, "type": p.type, "description": p.description,
         "value": given.get(p.name, p.example if p.example is not None else "")} for p in q.params]}
    notes: list[str] = []
    context: dict[str, Any] = {"title": name, "description": q.description, "form": form, "notes": notes,
                                  "query_text": q.sparql, "columns": list(q.columns), "evidence": True,
                                  "rows": [], "shown": [], "truncated": False, "downloads": None, "error": None}
    try:
        with _lease(request) as snap:
            rows = run_stored(snap, name, given, notes)
    except InputError as exc:
        context["error"] = str(exc)
        return _page(request, "results.html", status=400, **context)
    params = [(k, str(v)) for k, v in given.items()]
    shown = []
    for row in rows[:ROWS_SHOWN]:
        row_json = json.dumps(row, default=str)
        shown.append({"cells": {c: _cell_text(row.get(c)) for c in q.columns},
                      "evidence_url": f"/api/row-evidence?{urlencode([('query', name), ('row', row_json)])}"})
    context.update(rows=rows, shown=shown, truncated=len(rows) > ROWS_SHOWN, downloads={
        "csv": f"/api/queries/{name}?{urlencode(params + [('format', 'csv')])}",
        "json": f"/api/queries/{name}?{urlencode(params + [('format', 'json')])}"})
    return _page(request, "results.html", **context)


def query_api(request: Request) -> Response:
    name = request.path_params["name"]
    q = catalogue.get(name)
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise InputError(f"parameter 'format' must be json or csv, got {fmt[:20]!r}")
    notes: list[str] = []
    with _lease(request) as snap:
        rows = run_stored(snap, name, _given(request, q), notes)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if notes:
        headers["X-KG-Notes"] = "; ".join(notes).encode("ascii", "backslashreplace").decode()
    if fmt == "json":
        return JSONResponse(rows, headers=headers)
    return Response(rows_csv(rows, list(q.columns)), media_type="text/csv; charset=utf-8", headers=headers)


def rows_csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else "; ".join(map(str, v)) if isinstance(v, list) else v
                         for k, v in row.items()})
    return buf.getvalue()


def row_evidence_api(request: Request) -> Response:
    from kg.provenance import row_evidence

    name = _param(request, "query")
    catalogue.get(name)
    try:
        row = json.loads(_param(request, "row"))
    except ValueError:
        raise InputError("parameter 'row' is not JSON") from None
    if not isinstance(row, dict):
        raise InputError("parameter 'row' must be a JSON object")
    with _lease(request) as snap:
        return JSONResponse(row_evidence(snap.workspace, name, row))


# --- ad-hoc questions ---------------------------------------------------------------------------------------


def adhoc_page(request: Request) -> Response:
    lang = request.query_params.get("lang", "sparql")
    if lang not in ("sparql", "cypher"):
        raise InputError(f"parameter 'lang' must be sparql or cypher, got {lang[:20]!r}")
    text = _param(request, "text", "", required=False)
    state = _state(request)
    context: dict[str, Any] = {"title": f"Ad-hoc {'SPARQL' if lang == 'sparql' else 'Cypher'}", "description": None,
                                  "form": None, "notes": [], "query_text": text, "columns": [], "evidence": False,
                                  "rows": [], "shown": [], "truncated": False, "downloads": None, "error": None}
    if len(text) > state.settings.limits.max_query:
        context["error"] = f"the query is longer than {state.settings.limits.max_query:,} characters"
        return _page(request, "results.html", status=413, **context)
    if not text.strip():
        return RedirectResponse("/queries#adhoc", status_code=303)
    with _lease(request) as snap:
        answer = state.pool.run(str(snap.path), text, accept="application/sparql-results+json, "
                                "application/n-triples;q=0.9", default_graphs=[], named_graphs=[],
                                prefixes=PREFIXES, language=lang)
    if answer.status != 200:
        context["error"] = answer.body.decode("utf-8", "replace").strip()
        return _page(request, "results.html", status=answer.status, **context)
    columns, rows = answer_rows(answer)
    context.update(columns=columns, rows=rows,
                   shown=[{"cells": {c: r.get(c, "") for c in columns}} for r in rows[:ROWS_SHOWN]],
                   truncated=len(rows) > ROWS_SHOWN or answer.headers.get("X-KG-Truncated") == "true")
    if lang == "sparql":
        context["downloads"] = {"csv": "/sparql?" + urlencode({"query": text, "format": "csv"}),
                                "json": "/sparql?" + urlencode({"query": text, "format": "json"})}
    return _page(request, "results.html", **context)


def answer_rows(answer: sparql.Answer) -> tuple[list[str], list[dict[str, str]]]:
    """The rows of an answer for a table: SPARQL JSON results, or N-Triples as subject/predicate/object."""
    if answer.media_type.startswith(sparql.SPARQL_JSON):
        doc = json.loads(answer.body)
        if "boolean" in doc:
            return ["result"], [{"result": "true" if doc["boolean"] else "false"}]
        columns = list(doc["head"]["vars"])
        return columns, [{c: str(b[c]["value"]) for c in columns if c in b} for b in doc["results"]["bindings"]]
    triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
    return ["subject", "predicate", "object"], [
        {"subject": _plain(t.subject), "predicate": _plain(t.predicate), "object": _plain(t.object)} for t in triples]


def _plain(term: object) -> str:
    return str(getattr(term, "value", term))


# --- SPARQL 1.1 Protocol ------------------------------------------------------------------------------------

_FORMATS = {"json": sparql.SPARQL_JSON, "xml": sparql.SPARQL_XML, "csv": sparql.CSV, "tsv": sparql.TSV,
            "ttl": sparql.TURTLE, "turtle": sparql.TURTLE, "nt": sparql.NTRIPLES, "ntriples": sparql.NTRIPLES,
            "jsonld": sparql.JSONLD, "rdfxml": sparql.RDFXML}
_UPDATE_REFUSED = "this endpoint is read-only: SPARQL updates are refused (kg ingest and kg remove change a workspace)"


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is longer than ``limit`` bytes (it is not read further)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(a: sparql.Answer) -> Response:
    return Response(a.body, status_code=a.status, media_type=a.media_type, headers=a.headers)


async def sparql_endpoint(request: Request) -> Response:
    state = _state(request)
    limits = state.settings.limits
    params: dict[str, list[str]] = {k: request.query_params.getlist(k) for k in request.query_params}
    query: str | None = None
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return _answer(sparql.error(403, _UPDATE_REFUSED))
        body = await _read_body(request, limits.max_query * 4 + 4096)
        if body is None:
            return _answer(sparql.error(413, f"the request is longer than the query limit of {limits.max_query:,} "
                                             "characters"))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _answer(sparql.error(400, "the request body is not UTF-8"))
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            query = text
        else:
            return _answer(sparql.error(415, "send the query as application/sparql-query or as form-encoded "
                                             f"query=... (got Content-Type {ctype or 'none'!r})"))
    elif request.method != "GET":
        return _answer(sparql.error(405, "use GET or POST"))
    if "update" in params:
        return _answer(sparql.error(403, _UPDATE_REFUSED))
    if query is None:
        queries = params.get("query", [])
        if len(queries) > 1:
            return _answer(sparql.error(400, "give one query parameter, not several"))
        if not queries:
            if request.method == "GET":
                return _service_description(request)
            return _answer(sparql.error(400, "no query: send query=... (form) or an application/sparql-query body"))
        query = queries[0]
    if len(query) > limits.max_query:
        return _answer(sparql.error(413, f"the query is {len(query):,} characters, longer than the limit of "
                                         f"{limits.max_query:,} (kg serve --max-query)"))
    accept = request.headers.get("accept")
    fmt = (params.get("format") or params.get("output") or [""])[0]
    if fmt:
        if fmt not in _FORMATS:
            return _answer(sparql.error(400, f"format must be one of {', '.join(_FORMATS)}, got {fmt[:20]!r}"))
        accept = _FORMATS[fmt]
    default_graphs = params.get("default-graph-uri", [])
    named_graphs = params.get("named-graph-uri", [])
    for g in default_graphs + named_graphs:
        try:
            ox.NamedNode(g)
        except ValueError:
            return _answer(sparql.error(400, f"default-graph-uri / named-graph-uri {g[:80]!r} is not an IRI"))
    for attempt in (1, 2):
        with state.snapshots.lease() as snap:
            answer = await run_in_threadpool(state.pool.run, str(snap.path), query, accept=accept,
                                             default_graphs=default_graphs, named_graphs=named_graphs,
                                             prefixes=PREFIXES)
        if answer.status != 500 or attempt == 2:
            break
        await run_in_threadpool(state.snapshots.refresh, True)  # a snapshot that could not be read: a fresh one
    return _answer(answer)


def _service_description(request: Request) -> Response:
    base = str(request.url.replace(query=""))
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{base}> a sd:Service ;
  sd:endpoint <{base}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
    <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
    <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
    <http://www.w3.org/ns/formats/JSON-LD> .
"""
    return Response(ttl, media_type="text/turtle; charset=utf-8")


# --- the application ----------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None, *, allowed_hosts: list[str] | None = None) -> Starlette:
    """The application over ``settings.workspace``; snapshots and workers start with it (its lifespan)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.kg = await run_in_threadpool(State, settings)
        try:
            yield
        finally:
            await run_in_threadpool(app.state.kg.close)

    routes = [
        Route("/", _guard(home)),
        Route("/search", _guard(search_page)),
        Route("/entity", _guard(entity_page)),
        Route("/graph", _guard(graph_page)),
        Route("/article", _guard(article_page)),
        Route("/articles", _guard(articles_page)),
        Route("/brief", _guard(brief_page)),
        Route("/queries", _guard(queries_page)),
        Route("/queries/{name}", _guard(query_page)),
        Route("/adhoc", _guard(adhoc_page)),
        Route("/api/suggest", _guard(suggest)),
        Route("/api/entity", _guard(entity_api)),
        Route("/api/evidence", _guard(evidence_api)),
        Route("/api/row-evidence", _guard(row_evidence_api)),
        Route("/api/graph", _guard(graph_api)),
        Route("/api/queries/{name}", _guard(query_api)),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Mount("/static", StaticFiles(directory=str(STATIC), follow_symlink=False), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders),
                  Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)]

    async def not_found(request: Request, exc: Exception) -> Response:
        return _fail(request, 404, f"nothing at {request.url.path[:200]}")

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={404: not_found})


def workspace_of(app: Starlette) -> Workspace:
    """The current snapshot's workspace of a running ``app`` (for tests and benchmarks)."""
    snap = app.state.kg.snapshots.current
    return snap.workspace  # type: ignore[no-any-return]
