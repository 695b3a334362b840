"""A real `kg serve` (uvicorn, loopback) under real SPARQL clients and under a writer.

* rdflib's ``SPARQLStore`` and Apache Jena's ``arq.rsparql --service`` query ``/sparql`` and get the rows
  ``kg query run`` gives;
* while ``kg ingest`` replaces every article of the workspace batch by batch, the server keeps answering, and
  every answer shows the workspace before or after a batch: never an article missing, never one half there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg import api
from kg import queries as catalogue
from kg.store import _bind_values, from_term, to_term
from tests.web_support import ROOT, articles, served

pytestmark = pytest.mark.web


@pytest.fixture(scope="module")
def server(examples_workspace: Path):
    with served(examples_workspace) as url:
        yield url


def _from_rdflib(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.Literal):
        if term.datatype is not None:
            return from_term(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(term)
    return str(term)


def _stored(name: str) -> tuple[catalogue.StoredQuery, dict[str, object], str]:
    q = catalogue.get(name)
    params = {p.name: p.example for p in q.params if p.example is not None}
    text = _bind_values(q.sparql, {k: to_term(v) for k, v in q.bind(params).items()})
    return q, params, text


def test_rdflib_sparqlstore_reads_every_stored_query(server: str, examples_workspace: Path) -> None:
    store = SPARQLStore(query_endpoint=server + "/sparql", returnFormat="json", method="POST_FORM")
    graph = rdflib.Graph(store=store)
    checked = 0
    for name, q in sorted(catalogue.catalogue().items()):
        if "rdf" not in q.backends:
            continue
        q, params, text = _stored(name)
        result = graph.query(text)
        rows = [{str(v): _from_rdflib(row[i]) for i, v in enumerate(result.vars)} for row in result]
        assert catalogue.normalise_rows(q, rows) == api.run_query(name, params, workspace=examples_workspace), name
        checked += 1
    assert checked >= 15
    # and rdflib's own parameter binding (a VALUES clause it appends)
    result = graph.query(catalogue.get("competitors").sparql, initBindings={"company": rdflib.Literal("Baidu")})
    assert {str(r.competitor) for r in result} == {
        r["competitor"] for r in api.run_query("competitors", {"company": "Baidu"}, workspace=examples_workspace)}
    assert bool(graph.query("ASK { ?c a <https://cikg.dev/ns#Company> }").askAnswer) is True


def _jena_lib() -> Path:
    """The Jena jars of scripts/fuseki.sh (issue 18's local Jena), installed by it if need be."""
    home = Path(os.environ.get("FUSEKI_HOME", ROOT / ".fuseki"))
    lib = Path(os.environ.get("FUSEKI_LIB_DIR", home / "lib"))
    if not any(lib.glob("jena-arq-*.jar")):
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "fuseki.sh"), "install"], capture_output=True, text=True,
                              timeout=900, check=False)
        if proc.returncode != 0 or not any(lib.glob("jena-arq-*.jar")):
            if os.environ.get("KG_REQUIRE_FUSEKI") == "1":
                pytest.fail(f"Jena is required but could not be installed: {proc.stderr.strip()[-300:]}")
            pytest.skip("Jena jars not installed (bash scripts/fuseki.sh install)")
    return lib


def test_jena_rsparql_queries_the_endpoint(server: str, examples_workspace: Path, tmp_path: Path) -> None:
    lib = _jena_lib()
    for name in ("competitors", "sanction_exposure", "company_metrics", "facts_since"):
        q, params, text = _stored(name)
        rq = tmp_path / f"{name}.rq"
        rq.write_text(text, encoding="utf-8")
        proc = subprocess.run(["java", "-Xmx512m", "-cp", f"{lib}/*", "arq.rsparql", "--service", server + "/sparql",
                               "--query", str(rq), "--results", "JSON"], capture_output=True, text=True, timeout=180,
                              check=False)
        assert proc.returncode == 0, proc.stderr[-500:]
        doc = json.loads(proc.stdout)
        rows = []
        for b in doc["results"]["bindings"]:
            row: dict[str, object] = {}
            for v in doc["head"]["vars"]:
                t = b.get(v)
                if t is None or t["type"] == "uri" or "datatype" not in t:
                    row[v] = None if t is None else t["value"]
                else:
                    row[v] = from_term(ox.Literal(t["value"], datatype=ox.NamedNode(t["datatype"])))
            rows.append(row)
        assert catalogue.normalise_rows(q, rows) == api.run_query(name, params, workspace=examples_workspace), name


def test_server_binds_loopback_and_refuses_other_hosts(server: str) -> None:
    assert server.startswith("http://127.0.0.1:")
    r = httpx.get(server + "/", headers={"host": "attacker.example"})
    assert r.status_code == 400


def _raw(server: str, request: bytes) -> tuple[int, bytes]:
    """Status and body of ``request`` sent byte for byte on a socket (an HTTP client would tidy its path first)."""
    import socket

    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_no_path_outside_the_static_folder_can_be_read(server: str) -> None:
    """Traversals sent as raw request lines to the real server: dot segments, encoded and doubly encoded ones,
    backslashes, absolute paths; only the static folder's own files are served."""
    secrets = (b"import ", b"root:", b"def ", b"[project]", b"CONTRACT")
    status, body = _raw(server, b"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status == 200 and body
    for target in (b"/static/../app.py", b"/static/../../store.py", b"/static/..%2fapp.py", b"/static/%2e%2e/app.py",
                   b"/static/%2e%2e%2f%2e%2e%2fstore.py", b"/static/%252e%252e/app.py", b"/static/..\\app.py",
                   b"/static/..%5capp.py", b"/static//etc/passwd", b"/static/%2fetc%2fpasswd",
                   b"/static/../../../../../../etc/passwd", b"/static/../templates/base.html",
                   b"/static/../../../pyproject.toml", b"/../../pyproject.toml", b"/static/%00../app.py",
                   b"http://127.0.0.1/static/../app.py", b"/static/....//....//app.py"):
        status, body = _raw(server, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert status in (400, 404), (target, status)
        assert not any(s in body for s in secrets), (target, body[:200])


def test_updates_and_overlong_queries_are_refused_over_http(server: str) -> None:
    """On the real server: every way of sending an update is 403, a query past --max-query is 413 (and its body
    is not read to the end), each with one line saying why; the endpoint still answers after."""
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> <http://x/c> } }"
    with httpx.Client(base_url=server, timeout=30) as c:
        for r in (c.post("/sparql", content=update.encode(), headers={"content-type": "application/sparql-update"}),
                  c.post("/sparql", data={"update": update}), c.get("/sparql", params={"update": update}),
                  c.put("/sparql", content=b"<http://x/a> <http://x/b> <http://x/c> .",
                        headers={"content-type": "application/n-triples"})):
            assert r.status_code in (403, 405), (r.request.method, r.status_code, r.text)
            assert r.text.count("\n") == 1
        assert c.post("/sparql", content=update.encode(), headers={
            "content-type": "application/sparql-update"}).status_code == 403
        r = c.get("/sparql", params={"query": "ASK { GRAPH <http://x/g> { ?s ?p ?o } }"})
        assert r.json()["boolean"] is False  # nothing was written
        long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001  # the default --max-query is 100,000 characters
        r = c.post("/sparql", content=long.encode(), headers={"content-type": "application/sparql-query"})
        assert r.status_code == 413 and "limit" in r.text and r.text.count("\n") == 1
        r = c.post("/sparql", data={"query": long})
        assert r.status_code == 413
        r = c.get("/adhoc", params={"lang": "sparql", "text": long[:20_000]})  # a page's parameter: 10,000 at most
        assert r.status_code == 400 and "longer than 10,000 characters" in r.text
    status, body = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query"
                        b"\r\nContent-Length: 500000000\r\nConnection: close\r\n\r\nSELECT")
    assert status == 413 and b"limit" in body  # refused from the declared length, without waiting for 500 MB
    assert httpx.get(server + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


# --- answering while kg ingest writes ------------------------------------------------------------------------

_INGEST = """
import sys
from kg import api
for module in ("kg.api", "kg.ingestion"):
    try:
        mod = __import__(module, fromlist=["x"])
    except ImportError:
        continue
    if hasattr(mod, "BATCH_QUADS"):
        mod.BATCH_QUADS = 1500   # many small batches: many moments between them
summary = api.ingest([sys.argv[1]], sys.argv[2])
print(summary.articles, summary.updated, flush=True)
"""

_STATE = """SELECT (COUNT(DISTINCT ?g) AS ?articles) (COUNT(?h) AS ?hashes) (GROUP_CONCAT(?h; separator=" ") AS ?all)
WHERE { GRAPH ?g { ?g a ci:Article ; ci:contentHash ?h } }"""
_HALF = """SELECT ?g WHERE { GRAPH ?g { ?g a ci:Article } FILTER NOT EXISTS { GRAPH ?g { ?g schema:headline ?t } } }
LIMIT 1"""


def test_serving_while_ingest_replaces_every_article(tmp_path: Path) -> None:
    from benchmarks.corpus import generate
    from ingest.rdf import content_hash
    from ingest.read import read_file

    first = tmp_path / "v1"
    files = generate(150, 3, first)
    ws = tmp_path / "ws"
    assert api.ingest([first], ws).ok
    n = len(articles(ws))
    second = tmp_path / "v2"
    second.mkdir()
    for f in files:  # every article again, its text changed: a new version of each, same id (its URL)
        lines = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        for d in lines:
            d["text"] += " The figures were revised later."
        (second / f.name).write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    new_hashes = {content_hash(a) for f in sorted(second.iterdir()) for a in read_file(f)}
    with served(ws) as url:
        seen: list[int] = []
        errors: list[str] = []
        done = threading.Event()

        def poll() -> None:
            with httpx.Client(timeout=30) as c:
                while not done.is_set():
                    r = c.post(url + "/sparql", data={"query": _STATE},
                               headers={"accept": "application/sparql-results+json"})
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:200]}")
                        continue
                    b = r.json()["results"]["bindings"][0]
                    articles, hashes = int(b["articles"]["value"]), int(b["hashes"]["value"])
                    if articles != n or hashes != n:
                        errors.append(f"saw {articles} articles with {hashes} versions, not {n}")
                    seen.append(len(set(b["all"]["value"].split()) & new_hashes))
                    half = c.post(url + "/sparql", data={"query": _HALF}).json()["results"]["bindings"]
                    if half:
                        errors.append(f"an article without its headline: {half}")
                    page = c.get(url + "/")
                    if page.status_code != 200:
                        errors.append(f"home page {page.status_code}")

        thread = threading.Thread(target=poll)
        thread.start()
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", _INGEST, str(second), str(ws)], capture_output=True, text=True,
                              cwd=ROOT, timeout=600, check=False)
        ingest_s = time.monotonic() - t0
        time.sleep(2.0)  # the poller sees the last batch too
        done.set()
        thread.join(timeout=60)
    assert proc.returncode == 0, proc.stderr[-800:]
    assert proc.stdout.split()[:2] == [str(n), str(n)]  # every article written again, as an update
    assert not errors, errors[:5]
    assert len(seen) > 5, f"only {len(seen)} answers in {ingest_s:.1f} s of ingest"
    assert 0 < len(set(seen) - {0, n}), "no answer between two batches: the test saw no batch boundary"
    assert seen == sorted(seen), "the answers went back in time"
    assert seen[-1] == n  # after the last batch: every article in its new version
