"""``kg bench --web``: how fast ``kg serve`` answers, on a real server over a workspace.

* p50/p95 of each page's first view (``cold``): the pages of the ``COLD`` most connected companies and of the
  ``COLD`` articles with the most facts, each requested once, so that none comes from the memo a snapshot keeps
  of an entity's pages (the name index and the home page are built first, by one request each);
* p50/p95 of each page (and of the JSON the graph page loads), one client, requested again and again
  (``warm``: after its first view, a page of the snapshot comes from its memo);
* p50/p95 of ``/sparql`` for each stored query (its example parameters bound by a VALUES row in the text, as a
  SPARQL client sends it), answered in SPARQL JSON; a query the server stops at its time limit (503) is
  recorded as a time-out and not repeated;
* requests per second with ``clients`` concurrent clients, each going round the pages (then the pages and the
  stored queries over ``/sparql``, but those that timed out) for ``seconds``, and how many answers were not 200.

The warm entity pages are those of the workspace's most connected company (the heaviest page a user can open),
the article page that of the article with the most facts (the summary's ``ci:degree`` ranks the companies).
Nothing here asserts a timing. Also runnable on its own: ``python -m benchmarks.web --workspace DIR``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    import httpx

ROOT = Path(__file__).resolve().parent.parent
_SERVE = ("import sys; from kg.web.server import serve; from kg.web.workers import Limits; "
          "serve(sys.argv[1], port=0, limits=Limits(timeout=10.0), workers=2, "
          "on_ready=lambda url: print('listening', url, flush=True))")


@contextlib.contextmanager
def served(workspace: Path) -> Iterator[str]:
    """A real ``kg serve`` over ``workspace`` on an ephemeral loopback port; its base URL."""
    import httpx

    proc = subprocess.Popen([sys.executable, "-c", _SERVE, str(workspace)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("listening "):
            raise RuntimeError(f"kg serve did not start: {line!r}")
        url = line.split()[1].rstrip("/")
        for _ in range(300):
            try:
                if httpx.get(url + "/sparql", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _pct(samples: list[float], q: float) -> float | None:
    s = sorted(samples)
    if not s:
        return None
    return round(s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))] * 1000, 1)


COLD = 10  # companies (and articles) whose pages are each viewed once, uncached
SPARQL_TIMEOUT_S = 10.0  # the server's --timeout here (``_SERVE``): a 503 after it is a time-out
_HUBS = """SELECT ?c ?label WHERE {{ GRAPH <{summary}> {{ ?c ci:degree ?d }} ?c a ci:Company ; rdfs:label ?label }}
ORDER BY DESC(?d) ?c LIMIT {k}"""
_ARTICLES = """SELECT ?g (COUNT(?ev) AS ?n) WHERE {{ GRAPH ?g {{ ?ev a ci:Evidence }} }}
GROUP BY ?g ORDER BY DESC(?n) ?g LIMIT {k}"""


def _targets(workspace: Path, k: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``k`` most connected companies (IRI, label) by the fact summary's degree, and the ``k`` articles with
    the most facts (graph IRIs)."""
    from kg.store import Workspace
    from kg.summary import SUMMARY_GRAPH

    with Workspace.open(workspace, read_only=True, must_exist=True) as ws:
        hubs = [(str(r["c"]), str(r["label"])) for r in ws.query(_HUBS.format(summary=SUMMARY_GRAPH, k=k))]
        articles = [str(r["g"]) for r in ws.query(_ARTICLES.format(k=k))]
    if not hubs or not articles:
        raise ValueError(f"{workspace}: no company with relations, or no article with facts, to measure pages on")
    return hubs, articles


def _company_pages(iri: str, label: str) -> list[tuple[str, str]]:
    """(page, path) of every page about one company."""
    i, name = quote(iri, safe=""), quote(label, safe="")
    return [("search", f"/search?q={quote(label[:4], safe='')}"),
            ("suggest (JSON)", f"/api/suggest?q={quote(label[:3], safe='')}"), ("entity", f"/entity?iri={i}"),
            ("graph page", f"/graph?iri={i}&hops=2"), ("graph data, 2 hops (JSON)", f"/api/graph?iri={i}&hops=2"),
            ("stored query competitors", f"/queries/competitors?company={name}"), ("brief", f"/brief?company={name}")]


def _article_page(graph: str) -> tuple[str, str]:
    return "article", f"/article?g={quote(graph, safe='')}"


def pages(workspace: Path) -> list[tuple[str, str]]:
    """(name, path) of every page measured warm, on the workspace's most connected company."""
    hubs, articles = _targets(workspace, 1)
    company = _company_pages(*hubs[0])
    return [("home", "/"), *company[:5], ("catalogue", "/queries"), *company[5:], _article_page(articles[0]),
            ("articles", "/articles")]


def cold_pages(workspace: Path, k: int = COLD) -> list[tuple[str, list[str]]]:
    """(page, paths) of the pages viewed once each: every company page of the ``k`` most connected companies,
    and the article page of the ``k`` articles with the most facts."""
    hubs, articles = _targets(workspace, k)
    out: dict[str, list[str]] = {}
    for iri, label in hubs:
        for name, path in _company_pages(iri, label):
            out.setdefault(name, []).append(path)
    out["article"] = [_article_page(g)[1] for g in articles]
    return list(out.items())


def sparql_requests() -> list[tuple[str, str]]:
    """(stored query, its text with the example parameters bound) for every query the rdf backend runs."""
    from kg import queries as catalogue
    from kg.store import PREFIXES, _bind_values, to_term

    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    out = []
    for name, q in sorted(catalogue.catalogue().items()):
        if "rdf" not in q.backends:
            continue
        bound = q.bind({p.name: p.example for p in q.params if p.example is not None})
        out.append((name, head + _bind_values(q.sparql, {k: to_term(v) for k, v in bound.items()})))
    return out


def _status(fn: Callable[[], int]) -> int:
    """``fn()``'s HTTP status; 599 when the request itself failed (a time-out of the client: 120 s)."""
    import httpx

    try:
        return fn()
    except httpx.HTTPError:
        return 599


def _request(client: httpx.Client, method: str, path: str, text: str | None) -> int:
    if method == "GET":
        return client.get(path, follow_redirects=True).status_code
    return client.post(path, content=urlencode({"query": text or ""}),
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code


def _concurrent(url: str, mix: list[tuple[str, str, str | None]], clients: int, seconds: float) -> tuple[float, int]:
    """Requests per second of ``clients`` threads going round ``mix`` for ``seconds``, and the answers not 200."""
    import httpx

    counts = [0] * clients
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as own:
            k = i
            while time.monotonic() < stop:
                method, path, text = mix[k % len(mix)]
                k += 1
                status = _status(functools.partial(_request, own, method, path, text))
                counts[i] += 1
                failures[i] += status != 200

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(sum(counts) / (time.monotonic() - t0), 1), sum(failures)


def _timed(fn: Callable[[], int], reps: int) -> tuple[list[float], int, float]:
    """``reps`` timings after a first request (itself timed: the snapshot's memo is empty then), the number of
    answers that were not 200, and the first request's seconds."""
    t0 = time.perf_counter()
    bad = int(_status(fn) != 200)
    first = time.perf_counter() - t0
    samples: list[float] = []
    for _ in range(reps):
        t0 = time.perf_counter()
        status = _status(fn)
        samples.append(time.perf_counter() - t0)
        bad += status != 200
    return samples, bad, first


def figures(workspace: Path, *, reps: int = 20, clients: int = 8, seconds: float = 10.0,
            log: Callable[[str], None] = lambda s: None) -> dict[str, object]:
    """Every figure of the module docstring, as a plain dict (``web_*`` keys)."""
    import httpx

    page_list = pages(workspace)
    cold = cold_pages(workspace)
    queries = sparql_requests()
    out: dict[str, object] = {}
    with served(workspace) as url, httpx.Client(base_url=url, timeout=120) as c:
        built: dict[str, float | None] = {}
        for name, path in (("home", "/"), ("name index (first suggest)", "/api/suggest?q=a")):
            t0 = time.perf_counter()
            ok = _status(lambda path=path: c.get(path).status_code) == 200  # type: ignore[misc]
            built[name] = round((time.perf_counter() - t0) * 1000, 1) if ok else None
        out["web_first_request_ms"] = built  # what a new snapshot builds once: its home page, its name index
        log(f"  web: first views, {sum(len(p) for _, p in cold)} pages of {COLD} companies and {COLD} articles")
        cold_lat: dict[str, dict[str, float | None]] = {}
        errors = 0
        for name, paths in cold:
            samples = []
            for path in paths:
                t0 = time.perf_counter()
                errors += _status(lambda path=path: c.get(path, follow_redirects=True).status_code) != 200  # type: ignore[misc]
                samples.append(time.perf_counter() - t0)
            cold_lat[name] = {"p50": _pct(samples, 0.5), "p95": _pct(samples, 0.95), "max": _pct(samples, 1.0),
                              "n": len(samples)}
        out["web_page_cold_latency_ms"] = cold_lat
        log(f"  web: {len(page_list)} pages x {reps}")
        lat: dict[str, dict[str, float | None]] = {}
        for name, path in page_list:
            samples, bad, first = _timed(
                lambda path=path: c.get(path, follow_redirects=True).status_code, reps)  # type: ignore[misc]
            lat[name] = {"p50": _pct(samples, 0.5), "p95": _pct(samples, 0.95), "first": round(first * 1000, 1)}
            errors += bad
        out["web_page_latency_ms"] = lat
        log(f"  web: /sparql, {len(queries)} stored queries x {reps}")
        sq: dict[str, dict[str, float | None]] = {}
        timed_out: set[str] = set()
        for name, text in queries:
            post = functools.partial(c.post, "/sparql", content=urlencode({"query": text}),
                                     headers={"content-type": "application/x-www-form-urlencoded",
                                              "accept": "application/sparql-results+json"})
            t0 = time.perf_counter()
            status = _status(lambda post=post: post().status_code)  # type: ignore[misc]
            first = time.perf_counter() - t0
            if status == 503 and first >= SPARQL_TIMEOUT_S:  # stopped at the time limit: again would be the same
                sq[name] = {"p50": None, "p95": None, "timeout": SPARQL_TIMEOUT_S, "first": round(first * 1000, 1)}
                timed_out.add(name)
                continue
            samples, bad, _ = _timed(lambda post=post: post().status_code, max(5, reps // 2))  # type: ignore[misc]
            sq[name] = {"p50": _pct(samples, 0.5), "p95": _pct(samples, 0.95), "first": round(first * 1000, 1)}
            errors += bad + (status != 200)
        out["web_sparql_latency_ms"] = sq
        out["web_errors_sequential"] = errors
        pages_only: list[tuple[str, str, str | None]] = [("GET", p, None) for _, p in page_list]
        everything: list[tuple[str, str, str | None]] = pages_only + [("POST", "/sparql", t) for n, t in queries
                                                                      if n not in timed_out]
        out["web_concurrent_sparql_left_out"] = sorted(timed_out)  # each would hold a client for the time limit
        for key, mix in (("pages", pages_only), ("all", everything)):
            log(f"  web: {clients} concurrent clients for {seconds:g} s ({key})")
            rps, failed = _concurrent(url, mix, clients, seconds)
            out[f"web_requests_per_s_{key}"] = rps
            out[f"web_errors_concurrent_{key}"] = failed
        out["web_clients"] = clients
    page_p95 = [v["p95"] for v in lat.values() if v["p95"] is not None]
    cold_p95 = [v["p95"] for v in cold_lat.values() if v["p95"] is not None]
    out["web_page_cold_p95_max_ms"] = max(cold_p95) if cold_p95 else None
    sparql_p95 = [v["p95"] for v in sq.values() if v["p95"] is not None]
    out["web_load_average"] = round(os.getloadavg()[0], 1)  # the machine's load when it ended: figures vary with it
    out["web_page_p95_max_ms"] = max(page_p95) if page_p95 else None
    out["web_sparql_p95_max_ms"] = max(sparql_p95) if sparql_p95 else None
    return out


@contextlib.contextmanager
def oxigraph_served(workspace: Path, exe: str) -> Iterator[str]:
    """Oxigraph's own server (``oxigraph serve-read-only``, from the ``oxigraph`` package on PyPI) over the
    workspace's store, union default graph, a 10 s time-out; its query endpoint. Nothing may write the workspace
    meanwhile (Oxigraph: undefined behaviour)."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(workspace / "oxigraph"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "10"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(300):
            try:
                httpx.post(url, data={"query": "ASK {}"}, timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def compare_oxigraph(workspace: Path, exe: str, *, reps: int = 10, clients: int = 8, seconds: float = 10.0,
                     log: Callable[[str], None] = lambda s: None) -> dict[str, object]:
    """The stored queries over HTTP on ``kg serve``'s ``/sparql`` and on Oxigraph's own server, the same requests
    (form-encoded POST, SPARQL JSON): p50/p95 of each, and requests/s of ``clients`` clients going round them."""
    import httpx

    queries = sparql_requests()
    out: dict[str, object] = {}
    for key, serving, path in (("kg_serve", functools.partial(served, workspace), "/sparql"),
                               ("oxigraph_server", functools.partial(oxigraph_served, workspace, exe), "")):
        with serving() as base:
            url = base.rstrip("/") + path if path else base
            log(f"  {key}: {len(queries)} stored queries x {reps}")
            lat: dict[str, dict[str, float | None]] = {}
            with httpx.Client(timeout=120) as c:
                for name, text in queries:
                    samples, bad, first = _timed(lambda text=text, url=url: c.post(  # type: ignore[misc]
                        url, content=urlencode({"query": text}),
                        headers={"content-type": "application/x-www-form-urlencoded",
                                 "accept": "application/sparql-results+json"}).status_code, reps)
                    lat[name] = {"p50": _pct(samples, 0.5), "p95": _pct(samples, 0.95),
                                 "first": round(first * 1000, 1), "not_200": bad}
            out[f"{key}_latency_ms"] = lat
            split = url.split("/", 3)
            rps, failed = _concurrent("/".join(split[:3]), [("POST", "/" + split[3], t) for _, t in queries],
                                      clients, seconds)
            out[f"{key}_requests_per_s"], out[f"{key}_not_200_concurrent"] = rps, failed
    out["clients"] = clients
    out["load_average"] = round(os.getloadavg()[0], 1)
    return out


def table(rec: dict[str, Any]) -> str:
    built = rec.get("web_first_request_ms") or {}
    lines = [f"first request of a snapshot, {name}: {ms} ms" for name, ms in built.items()]
    for name, v in (rec.get("web_page_cold_latency_ms") or {}).items():
        lines.append(f"page {name}, first views of {v['n']}: p50 / p95 / max ms  {v['p50']} / {v['p95']} / {v['max']}")
    for key, title in (("web_page_latency_ms", "page"), ("web_sparql_latency_ms", "/sparql")):
        for name, v in (rec.get(key) or {}).items():
            tail = f"time-out ({v['timeout']:g} s)" if v.get("timeout") else f"{v['p50']} / {v['p95']}"
            lines.append(f"{title} {name}: first / p50 / p95 ms  {v.get('first')} / {tail}")
    for key in ("pages", "all"):
        lines.append(f"requests/s with {rec.get('web_clients')} concurrent clients, {key}: "
                     f"{rec.get(f'web_requests_per_s_{key}')} ({rec.get(f'web_errors_concurrent_{key}')} not 200)")
    lines.append(f"load average at the end: {rec.get('web_load_average')}")
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - a command line
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", "-w", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--output", "-o", type=Path)
    parser.add_argument("--oxigraph", metavar="EXE", help="instead: the stored queries on kg serve and on "
                        "Oxigraph's own server (oxigraph serve-read-only; pip install oxigraph), side by side")
    args = parser.parse_args()
    if args.oxigraph:
        cmp = compare_oxigraph(args.workspace, args.oxigraph, reps=max(5, args.reps // 2), clients=args.clients,
                               seconds=args.seconds, log=lambda s: print(s, file=sys.stderr))
        if args.output:
            args.output.write_text(json.dumps(cmp, indent=2) + "\n", encoding="utf-8")
        for name in cmp["kg_serve_latency_ms"]:  # type: ignore[attr-defined]
            a, b = cmp["kg_serve_latency_ms"][name], cmp["oxigraph_server_latency_ms"][name]  # type: ignore[index]
            print(f"{name}: p50/p95 ms kg serve {a['p50']}/{a['p95']}, oxigraph {b['p50']}/{b['p95']}")
        print(f"requests/s, {args.clients} clients: kg serve {cmp['kg_serve_requests_per_s']}, "
              f"oxigraph {cmp['oxigraph_server_requests_per_s']}")
        return
    rec = figures(args.workspace, reps=args.reps, clients=args.clients, seconds=args.seconds,
                  log=lambda s: print(s, file=sys.stderr))
    if args.output:
        args.output.write_text(json.dumps(rec, indent=2) + "\n", encoding="utf-8")
    print(table(rec))


if __name__ == "__main__":  # pragma: no cover
    main()
