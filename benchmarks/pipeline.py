"""``kg bench``: how fast each stage is, on a synthetic corpus (``benchmarks.corpus``) of a few sizes.

For each size it measures, in this order:

* ingest (``kg.api.ingest``) in a fresh child process, once with one process and once with ``jobs``
  worker processes: articles/s, MB/s, triples/s into the workspace, peak RSS of the writing process
  and of the busiest worker, workspace size on disk;
* the property-graph projection (``kg.project.project``) and the NetworkX build;
* p50/p95 latency of every stored query on the embedded store (``rdf``), on NetworkX (its plain function over
  the graph built once, ``kg.nxqueries``, rows ordered as ``kg query run`` orders them) and on Neo4j;
* with ``neo4j=True`` and a reachable server: ``kg.backends.neo4j.load`` (batched UNWIND/MERGE) against one
  auto-committed statement per node or relationship (on a sample, same graph, same run), against
  ``kg.backends.neo4j_bulk.bulk_load`` (``kg load neo4j --bulk``: neo4j-admin's importer, where the server is
  local; the whole call, server stop and start included) and against rdflib-neo4j's ``Neo4jStore`` (on a
  sample of the workspace's triples).

"Triples" for the property-graph loaders count what is written: one per node label, one per node property,
one per relationship (its properties ride along). Figures are plain dicts (``run`` returns one per size),
so they can be written as JSON and compared across runs; nothing here asserts a timing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.neo4j import Connection, Settings
    from kg.project import PropertyGraph
    from kg.queries import StoredQuery

DEFAULT_SIZES = (1000, 10000)
BENCH_EXTRA = "pip install 'cikg[bench]'"  # the chart (matplotlib) and the rdflib-neo4j comparison need it


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))
    return round(s[k] * 1000, 2)


# --- ingest, in a child process so that peak memory is its own ----------------------------------------


PROGRESS_EVERY_S = 30.0  # the ingest child's progress lines, at most this often


def _ingest_child() -> None:  # pragma: no cover - runs in a subprocess
    corpus, workspace, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    from kg import api

    t0 = time.perf_counter()
    said = [t0]

    def progress(done: int, total: int) -> None:  # to stderr, at most every PROGRESS_EVERY_S: a long run moves
        now = time.perf_counter()
        if done in (0, total) or now - said[0] >= PROGRESS_EVERY_S:
            said[0] = now
            print(f"progress {done} {total} {now - t0:.0f}", file=sys.stderr, flush=True)

    summary = api.ingest([corpus], workspace, jobs=jobs, progress=progress)
    seconds = time.perf_counter() - t0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # a shared machine: CPU time beside wall
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "summary": summary.as_dict(), "peak_kib": me.ru_maxrss,
                      "workers_peak_kib": kids.ru_maxrss}))


def measure_ingest(corpus: Path, workspace: Path, jobs: int, *, log: Callable[[str], None] = lambda s: None,
                   timeout: float | None = None) -> dict[str, Any]:
    """``kg.api.ingest`` of ``corpus`` into a fresh ``workspace`` in a child process: its seconds, summary and peak
    memory. The child's progress goes to ``log`` as it comes (files done, seconds), so that a long run is seen to
    move; past ``timeout`` seconds the child prints where each of its threads is, is killed, and this raises."""
    shutil.rmtree(workspace, ignore_errors=True)
    code = ("import faulthandler, signal; faulthandler.register(signal.SIGUSR1, all_threads=True); "  # first thing
            "from benchmarks.pipeline import _ingest_child; _ingest_child()")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(workspace), str(jobs)],
                                stdout=out, stderr=subprocess.PIPE, text=True)
        stopped = threading.Event()
        timer = threading.Timer(timeout, _stop_child, args=(proc, stopped)) if timeout else None
        if timer:
            timer.start()
        other: list[str] = []
        assert proc.stderr is not None
        for line in proc.stderr:  # until the child (and every worker, which shares the pipe) has ended
            words = line.split()
            if len(words) == 4 and words[0] == "progress":
                log(f"  ingest --jobs {jobs}: {words[1]}/{words[2]} files, {words[3]} s")
            else:
                other.append(line.rstrip())
        proc.wait()
        if timer:
            timer.cancel()
        if stopped.is_set():
            where = "\n".join(other[-80:])
            raise RuntimeError(f"ingest --jobs {jobs} of {corpus} did not end within {timeout:g} s; where it was:\n"
                               f"{where}")
        if proc.returncode != 0:
            raise RuntimeError(f"ingest child failed: {other[-1:]}")
        out.seek(0)
        record: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    return record


def _stop_child(proc: subprocess.Popen[str], stopped: threading.Event) -> None:
    """A time-out: the child's stacks to its stderr (faulthandler, SIGUSR1), then SIGKILL (its workers follow)."""
    stopped.set()
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGUSR1)
        time.sleep(2)
        proc.kill()


# --- queries ------------------------------------------------------------------------------------------


def _example_params(q: StoredQuery) -> dict[str, object]:
    return {p.name: p.example if p.example is not None else p.default for p in q.params}


def _time(fn: Callable[[], object], reps: int, warm: bool = True, budget: float | None = None) -> list[float]:
    """``reps`` timings of ``fn`` (after a warm-up run); fewer, but at least one, once ``budget`` s are spent."""
    start = time.perf_counter()
    if warm:
        fn()  # warm-up: caches, query plans
    out: list[float] = []
    for _ in range(reps):
        if out and budget is not None and time.perf_counter() - start > budget:
            break
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def query_latencies(workspace: Path, reps: int, graph: nx.MultiDiGraph[str] | None = None,
                    conn: Connection | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """{query: {backend: {"p50": ms, "p95": ms}}} for every stored query, with its example parameters."""
    from kg import queries as catalogue
    from kg.store import Workspace

    out: dict[str, dict[str, dict[str, Any]]] = {}
    with Workspace.open(workspace, read_only=True):  # fails early if the workspace cannot be read
        for name, q in sorted(catalogue.catalogue().items()):
            bound = q.bind(_example_params(q))
            res: dict[str, dict[str, Any]] = {}
            if "rdf" in q.backends:
                res["rdf"] = _rdf_latency(workspace, name, reps)
            if graph is not None and "networkx" in q.backends:
                res["networkx"] = _networkx_latency(partial(_nx_answer, q, graph, bound), reps)
            if conn is not None and "neo4j" in q.backends:
                import neo4j

                cq = neo4j.Query(q.cypher, timeout=QUERY_TIMEOUT_S / 2)  # the server stops a runaway query
                try:
                    s = _time(partial(conn.read, cq, bound), reps)
                    res["neo4j"] = {"p50": _pct(s, 0.5), "p95": _pct(s, 0.95)}
                except Exception as exc:
                    res["neo4j"] = {"p50": None, "p95": None, "timeout": QUERY_TIMEOUT_S / 2, "error": str(exc)[:200]}
            out[name] = res
    return out


QUERY_TIMEOUT_S = 10.0  # per stored query and backend, for all its repetitions


def _nx_answer(q: StoredQuery, graph: nx.MultiDiGraph[str], bound: dict[str, object]) -> list[dict[str, object]]:
    """A stored query's rows on NetworkX as ``kg query run`` gives them: its function, then the declared order."""
    from kg import nxqueries
    from kg import queries as catalogue

    return catalogue.normalise_rows(q, nxqueries.run(q.name, graph, bound))


class _Timeout(Exception):
    pass


def _networkx_latency(run: Callable[[], object], reps: int) -> dict[str, Any]:
    """Runs in this process (pure Python, no timeout of its own), stopped by an alarm after QUERY_TIMEOUT_S."""
    import signal

    def stop(*_: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, QUERY_TIMEOUT_S)
    try:
        s = _time(run, reps)
    except _Timeout:
        return {"p50": None, "p95": None, "timeout": QUERY_TIMEOUT_S}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return {"p50": _pct(s, 0.5), "p95": _pct(s, 0.95)}


def _rdf_child() -> None:  # pragma: no cover - runs in a subprocess
    workspace, name, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    from kg import queries as catalogue
    from kg.store import Workspace

    q = catalogue.get(name)
    bound = q.bind(_example_params(q))
    with Workspace.open(workspace, read_only=True) as ws:
        # a slow query gets fewer repetitions rather than none: the budget leaves room for one more run
        print(json.dumps(_time(lambda: ws.query(q.sparql, bound), reps, budget=QUERY_TIMEOUT_S / 3)))


def _rdf_latency(workspace: Path, name: str, reps: int) -> dict[str, Any]:
    """A query on the embedded store in a child process, killed after QUERY_TIMEOUT_S (Oxigraph has no timeout)."""
    code = "import sys; from benchmarks.pipeline import _rdf_child; _rdf_child()"
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(workspace), name, str(reps)], capture_output=True,
                              text=True, timeout=QUERY_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return {"p50": None, "p95": None, "timeout": QUERY_TIMEOUT_S}
    if proc.returncode != 0:
        return {"p50": None, "p95": None, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    s = json.loads(proc.stdout.strip().splitlines()[-1])
    out: dict[str, Any] = {"p50": _pct(s, 0.5), "p95": _pct(s, 0.95)}
    if len(s) < reps:
        out["reps"] = len(s)
    return out


# --- Neo4j loaders ------------------------------------------------------------------------------------


def pg_triples(pg: PropertyGraph) -> int:
    """What a property-graph load writes, counted as triples: labels, node properties, relationships."""
    return sum(len(n.labels) + len(n.props) for n in pg.nodes.values()) + len(pg.rels)


def sample_graph(pg: PropertyGraph, max_rels: int) -> PropertyGraph:
    """The first ``max_rels`` relationships and the nodes at their ends: a sub-graph for slow loaders."""
    from kg.project import PropertyGraph

    rels = pg.rels[:max_rels]
    ids = {r.src for r in rels} | {r.dst for r in rels}
    return PropertyGraph({i: pg.nodes[i] for i in sorted(ids)}, rels)


def load_naive(pg: PropertyGraph, conn: Connection) -> float:
    """One auto-committed statement per node and per relationship (the loader batching replaces)."""
    from kg.backends.neo4j import _ident, ensure_schema

    ensure_schema(conn, pg)
    label_of = {n.id: n.labels[0] for n in pg.nodes.values()}
    t0 = time.perf_counter()
    with conn.driver.session(database=conn.settings.database) as s:
        for n in pg.nodes.values():
            s.run(f"MERGE (n:{_ident(n.labels[0])} {{iri: $iri}}) SET n += $props", iri=n.id, props=n.props).consume()
        for r in pg.rels:
            s.run(f"MATCH (a:{_ident(label_of[r.src])} {{iri: $src}}) MATCH (b:{_ident(label_of[r.dst])} "
                  f"{{iri: $dst}}) MERGE (a)-[x:{_ident(r.type)}]->(b) SET x += $props",
                  src=r.src, dst=r.dst, props=r.props).consume()
    return time.perf_counter() - t0


def load_rdflib_neo4j(triples: list[Any], settings: Settings) -> float | str:
    """rdflib-neo4j's ``Neo4jStore`` (batched) loading ``triples``: seconds, or why it could not run."""
    try:
        from rdflib import Graph
        from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig
    except ModuleNotFoundError:
        return f"not installed (the bench extra: {BENCH_EXTRA})"
    except Exception as exc:  # incompatible with the installed driver
        return f"not available: {type(exc).__name__}: {exc}"
    try:
        config = Neo4jStoreConfig(auth_data={"uri": settings.uri, "database": settings.database,
                                             "user": settings.user, "pwd": settings.password},
                                  handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE, batching=True)
        with contextlib.redirect_stdout(io.StringIO()):  # it prints about its constraint
            t0 = time.perf_counter()
            g = Graph(store=Neo4jStore(config=config))
            for t in triples:
                g.add(t)
            g.close(True)
            return time.perf_counter() - t0
    except Exception as exc:
        return f"not available: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _rdflib_triples(workspace: Path, limit: int) -> list[Any]:
    """The first ``limit`` distinct triples of the union graph, as rdflib terms."""
    import rdflib

    from kg.store import Workspace

    def term(t: Any) -> Any:
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        dtype = rdflib.URIRef(t.datatype.value) if t.datatype and not t.language else None
        return rdflib.Literal(t.value, lang=t.language, datatype=dtype)

    seen: set[Any] = set()
    out: list[Any] = []
    with Workspace.open(workspace, read_only=True) as ws:
        for q in ws.quads():
            key = (q.subject, q.predicate, q.object)
            if key in seen:
                continue
            seen.add(key)
            out.append((term(q.subject), term(q.predicate), term(q.object)))
            if len(out) >= limit:
                break
    return out


def neo4j_figures(pg: PropertyGraph, workspace: Path, settings: Settings, *, reps: int, naive_rels: int,
                  rdflib_triples: int, log: Callable[[str], None]) -> dict[str, Any]:
    import logging

    from kg.backends import neo4j as nb

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "relationship type does not exist"...
    out: dict[str, Any] = {}
    with nb.Connection(settings) as conn:
        sample = sample_graph(pg, naive_rels)
        nb.wipe_database(conn)
        log(f"  neo4j: one statement per triple on a sample ({len(sample.nodes)} nodes, {len(sample.rels)} rels)")
        naive_s = load_naive(sample, conn)
        out["neo4j_naive_triples"] = pg_triples(sample)
        out["neo4j_naive_triples_per_s"] = round(pg_triples(sample) / naive_s, 1)
        nb.wipe_database(conn)
        log(f"  neo4j: batched load ({len(pg.nodes)} nodes, {len(pg.rels)} rels)")
        t0 = time.perf_counter()
        report = nb.load(pg, settings)
        secs = time.perf_counter() - t0
        out["neo4j_load_s"] = round(secs, 3)
        out["neo4j_nodes"] = report.nodes
        out["neo4j_relationships"] = report.relationships
        out["neo4j_triples"] = pg_triples(pg)
        out["neo4j_triples_per_s"] = round(pg_triples(pg) / secs, 1)
        out["neo4j_relationships_per_s"] = round(report.relationships / secs, 1)
        out["neo4j_speedup_vs_naive"] = round(out["neo4j_triples_per_s"] / out["neo4j_naive_triples_per_s"], 1)
        log("  neo4j: stored queries")
        out["_neo4j_latency"] = query_latencies(workspace, reps, conn=conn)
    out.update(bulk_figures(pg, settings, log))
    if "neo4j_bulk_triples_per_s" in out:
        out["neo4j_bulk_speedup_vs_batched"] = round(out["neo4j_bulk_triples_per_s"] / out["neo4j_triples_per_s"], 1)
    with nb.Connection(settings) as conn:  # the bulk load restarted the server: a new connection
        nb.wipe_database(conn)
        triples = _rdflib_triples(workspace, rdflib_triples)
        log(f"  neo4j: rdflib-neo4j Neo4jStore on {len(triples)} triples")
        r = load_rdflib_neo4j(triples, settings)
        if isinstance(r, str):
            out["rdflib_neo4j_triples_per_s"] = r
        else:
            out["rdflib_neo4j_triples"] = len(triples)
            out["rdflib_neo4j_triples_per_s"] = round(len(triples) / r, 1)
        nb.wipe_database(conn)
    return out


def bulk_figures(pg: PropertyGraph, settings: Settings, log: Callable[[str], None]) -> dict[str, Any]:
    """``kg load neo4j --bulk`` (neo4j-admin's importer) over the same graph, the whole call timed: the CSV
    files, the server's stop and start, the import, the constraints and indexes. Skipped, with the reason,
    where the server is not on this machine."""
    from kg.backends import neo4j_bulk

    log(f"  neo4j: bulk load with neo4j-admin ({len(pg.nodes)} nodes, {len(pg.rels)} rels)")
    try:
        t0 = time.perf_counter()
        report = neo4j_bulk.bulk_load(pg, settings, overwrite=True)
        secs = time.perf_counter() - t0
    except Exception as exc:
        return {"neo4j_bulk": f"skipped: {exc}"}
    return {"neo4j_bulk_load_s": round(secs, 3), "neo4j_bulk_phases_s": report.phases,
            "neo4j_bulk_triples_per_s": round(pg_triples(pg) / secs, 1)}


# --- the whole run ------------------------------------------------------------------------------------


def run_size(n: int, *, workdir: Path, jobs: int, seed: int = 0, neo4j_settings: Settings | None = None,
             sparql: str | None = None,
             reps: int = 20, web: bool = False,
             naive_rels: int = 3000, rdflib_triples: int = 20000, one_process: bool = True,
             log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Every figure for one corpus size (see the module docstring)."""
    from benchmarks.corpus import generate
    from kg import nxqueries
    from kg.project import project, to_networkx
    from kg.store import Workspace

    rec: dict[str, Any] = {"articles": n, "seed": seed, "jobs": jobs, "cpus": os.cpu_count()}
    corpus = workdir / f"corpus-{n}"
    log(f"[{n}] generating corpus")
    files = generate(n, seed, corpus, formats="news")
    size = sum(f.stat().st_size for f in files)
    rec["corpus_mb"] = round(size / 1e6, 2)
    ws = workdir / f"ws-{n}"
    runs = [1, jobs] if one_process and jobs > 1 else [jobs]
    for j in runs:
        log(f"[{n}] ingest --jobs {j}")
        r = measure_ingest(corpus, ws, j, log=log)
        key = "" if j == 1 else "_all_cores"
        rec[f"ingest_s{key}"] = round(r["seconds"], 2)
        rec[f"ingest_articles_per_s{key}"] = round(n / r["seconds"], 1)
        rec[f"ingest_mb_per_s{key}"] = round(size / 1e6 / r["seconds"], 3)
        rec[f"ingest_peak_mib{key}"] = _mib(r["peak_kib"])
        if j > 1:
            rec["ingest_workers_peak_mib"] = _mib(r["workers_peak_kib"])
        rec["facts"] = r["summary"]["facts"]
        rec["entities"] = r["summary"]["entities"]
    if "ingest_articles_per_s" not in rec:  # jobs == 1 only
        rec["ingest_articles_per_s"] = rec["ingest_articles_per_s_all_cores"]
    with Workspace.open(ws, read_only=True) as w:
        triples = w.triple_count()
        rec["workspace_triples"] = triples
        t0 = time.perf_counter()
        pg = project(w)
        rec["projection_s"] = round(time.perf_counter() - t0, 3)
    rec["workspace_mib"] = round(_dir_bytes(ws) / 2**20, 1)
    rec["triples_per_s"] = round(triples / rec["ingest_s" if "ingest_s" in rec else "ingest_s_all_cores"], 1)
    t0 = time.perf_counter()
    graph = nxqueries.prepare(to_networkx(pg))  # built and indexed once: every stored query's function runs on it
    rec["networkx_build_s"] = round(time.perf_counter() - t0, 3)
    rec["nodes"], rec["relationships"] = len(pg.nodes), len(pg.rels)
    log(f"[{n}] stored queries (rdf, networkx)")
    lat = query_latencies(ws, reps, graph=graph)
    del graph
    if neo4j_settings is not None:
        try:
            nf = neo4j_figures(pg, ws, neo4j_settings, reps=reps, naive_rels=naive_rels,
                               rdflib_triples=rdflib_triples, log=log)
            for q, per in nf.pop("_neo4j_latency").items():
                lat.setdefault(q, {}).update(per)
            rec.update(nf)
        except Exception as exc:  # no server, or it failed: the other figures still stand
            rec["neo4j"] = f"skipped: {exc}"
    else:
        rec["neo4j"] = "skipped: run with --neo4j and a reachable server"
    if web:  # benchmarks.web: kg serve's pages and /sparql on this workspace, and 8 concurrent clients
        from benchmarks import web as web_bench

        log(f"[{n}] kg serve")
        rec.update(web_bench.figures(ws, reps=reps, log=log))
    if sparql:  # kg.backends.sparql_bench: load rate into the store and the stored queries there
        from kg.backends import sparql_bench

        try:
            sf: dict[str, Any] = sparql_bench.figures(ws, sparql, reps=reps, timeout=QUERY_TIMEOUT_S, log=log)
            for q, per in sf.pop("_sparql_latency").items():
                lat.setdefault(q, {})["sparql"] = per
            rec.update(sf)
        except Exception as exc:  # no store, or it failed: the other figures still stand
            rec["sparql"] = f"skipped: {exc}"
    for key in ("neo4j_triples_per_s", "neo4j_speedup_vs_naive"):
        rec.setdefault(key, None)  # null when Neo4j was skipped: the record keeps the same keys
    rec["query_latency_ms"] = lat
    rec["query_p95_ms"] = {q: {b: v["p95"] for b, v in per.items()} for q, per in lat.items()}
    return rec


def neo4j_settings_if_reachable(log: Callable[[str], None]) -> Settings | None:
    from kg.backends import neo4j as nb

    settings = nb.Settings.from_env()
    try:
        with nb.Connection(settings):
            return settings
    except Exception as exc:
        log(f"Neo4j figures skipped: {exc}")
        return None


def run(sizes: list[int], *, jobs: int, neo4j: bool = False, sparql: str | None = None, seed: int = 0,
        workdir: Path | None = None, web: bool = False,
        json_path: Path | None = None, reps: int = 20, naive_rels: int = 3000, rdflib_triples: int = 20000,
        log: Callable[[str], None] = lambda s: None) -> list[dict[str, Any]]:
    """One record per size; with ``json_path`` also writes them there and a chart next to it (``.png``)."""
    settings = neo4j_settings_if_reachable(log) if neo4j else None
    if not neo4j:
        log("Neo4j figures skipped: run with --neo4j (and a reachable server) to measure them")
    keep = workdir is not None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    records = []
    try:
        for n in sizes:
            rec = run_size(n, workdir=workdir, jobs=jobs, seed=seed, neo4j_settings=settings, sparql=sparql, reps=reps,
                           web=web, naive_rels=naive_rels, rdflib_triples=rdflib_triples, log=log)
            if neo4j and settings is None:
                rec["neo4j"] = "skipped: no Neo4j server reachable"
            records.append(rec)
            if json_path:  # written after every size: a long run leaves its figures so far
                write_json(records, json_path)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if json_path:
        chart = chart_png(records, json_path.with_suffix(".png"))
        log(f"wrote {json_path}" + (f" and {chart}" if isinstance(chart, Path) else f" (no chart: {chart})"))
    return records


def write_json(records: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


def chart_png(records: list[dict[str, Any]], path: Path) -> Path | str:
    """Scaling curves (articles on the x axis, log scale); the reason instead when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        return f"matplotlib is not installed (the bench extra: {BENCH_EXTRA})"
    except Exception as exc:
        return f"matplotlib not available ({exc})"
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    ax = axes[0]
    for key, label in (("ingest_articles_per_s", "one process"), ("ingest_articles_per_s_all_cores", "all cores")):
        _series(ax, records, partial(_field, key=key), label)
    ax.axhline(300, color="grey", ls=":", label="target per core")
    ax.set(xscale="log", xlabel="articles", ylabel="articles/s", title="ingest")
    ax.legend()
    ax = axes[1]
    for key, label in (("neo4j_bulk_triples_per_s", "--bulk (neo4j-admin)"), ("neo4j_triples_per_s", "batched"),
                       ("neo4j_naive_triples_per_s", "one statement each"),
                       ("rdflib_neo4j_triples_per_s", "rdflib-neo4j")):
        _series(ax, records, partial(_field, key=key), label)
    ax.set(xscale="log", yscale="log", xlabel="articles", ylabel="triples/s", title="Neo4j load")
    ax.legend()
    ax = axes[2]
    for backend in ("rdf", "networkx", "neo4j"):
        _series(ax, records, partial(_slowest_p95, backend=backend), f"{backend}: slowest query p95 (timeout = limit)")
    ax.axhline(100, color="grey", ls=":", label="target")
    ax.set(xscale="log", yscale="log", xlabel="articles", ylabel="ms", title="stored queries")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _field(rec: dict[str, Any], key: str) -> object:
    return rec.get(key)


def _series(ax: Any, records: list[dict[str, Any]], value: Callable[[dict[str, Any]], object], label: str) -> None:
    """One curve through the sizes that have a figure (a size where the stage was skipped is left out)."""
    pts = [(r["articles"], value(r)) for r in records]
    pts = [(x, y) for x, y in pts if isinstance(y, int | float) and not isinstance(y, bool)]
    if pts:
        ax.plot(*zip(*pts, strict=True), marker="o", label=label)


def _slowest_p95(rec: dict[str, Any], backend: str) -> float | None:
    """The slowest stored query's p95 on ``backend`` in ms; a timed-out query counts as its time limit."""
    worst = None
    for per in rec.get("query_latency_ms", {}).values():
        lat = per.get(backend)
        if not lat:
            continue
        ms = lat["p95"] if lat.get("p95") is not None else (lat.get("timeout") or 0) * 1000
        worst = ms if worst is None else max(worst, ms)
    return worst


# --- the table ----------------------------------------------------------------------------------------

_ROWS = [
    ("corpus_mb", "corpus size (MB)"),
    ("ingest_articles_per_s", "ingest articles/s, one process"),
    ("ingest_articles_per_s_all_cores", "ingest articles/s, --jobs J"),
    ("ingest_mb_per_s", "ingest MB/s, one process"),
    ("ingest_mb_per_s_all_cores", "ingest MB/s, --jobs J"),
    ("triples_per_s", "triples/s into the workspace (one process)"),
    ("workspace_triples", "workspace triples"),
    ("workspace_mib", "workspace size on disk (MiB)"),
    ("ingest_peak_mib", "peak RSS, ingest one process (MiB)"),
    ("ingest_peak_mib_all_cores", "peak RSS, ingest writer with --jobs (MiB)"),
    ("ingest_workers_peak_mib", "peak RSS, busiest ingest worker (MiB)"),
    ("nodes", "property graph nodes"),
    ("relationships", "property graph relationships"),
    ("projection_s", "projection RDF -> property graph (s)"),
    ("networkx_build_s", "NetworkX build (s)"),
    ("neo4j_bulk_triples_per_s", "Neo4j --bulk load (neo4j-admin import) triples/s"),
    ("neo4j_bulk_load_s", "Neo4j --bulk load, whole (s)"),
    ("neo4j_bulk_speedup_vs_batched", "Neo4j --bulk speed-up vs batched"),
    ("neo4j_triples_per_s", "Neo4j batched load triples/s"),
    ("neo4j_relationships_per_s", "Neo4j batched load relationships/s"),
    ("neo4j_naive_triples_per_s", "Neo4j one statement per triple, triples/s"),
    ("neo4j_speedup_vs_naive", "Neo4j batched speed-up vs one per triple"),
    ("rdflib_neo4j_triples_per_s", "rdflib-neo4j Neo4jStore triples/s"),
    ("sparql_triples_per_s", "SPARQL store load triples/s (--sparql)"),
    ("sparql_load_s", "SPARQL store load (s)"),
    ("sparql_reload_unchanged_s", "SPARQL store second load, nothing changed (s)"),
]


def _fmt(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.3g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _lat(c: dict | None) -> str:
    if not c:
        return "-"
    if c.get("timeout"):
        return f"timeout > {c['timeout']:.0f} s"
    if c.get("error"):
        return "error"
    runs = f" ({c['reps']} runs)" if c.get("reps") else ""
    return f"{c['p50']:.1f} / {c['p95']:.1f}{runs}"


def table(records: list[dict[str, Any]]) -> str:
    """The figures as a plain-text table: one column per corpus size."""
    head = ["figure"] + [f"{r['articles']:,} articles" for r in records]
    rows = [[label] + [_fmt(r.get(key)) for r in records] for key, label in _ROWS]
    names = sorted({q for r in records for q in r.get("query_latency_ms", {})})
    backends = ("rdf", "networkx", "neo4j", "sparql")
    for q in names:
        for b in backends:
            cells = [r.get("query_latency_ms", {}).get(q, {}).get(b) for r in records]
            if any(cells):
                rows.append([f"query {q} on {b}: p50 / p95 ms"] + [_lat(c) for c in cells])
    for key, what in (("web_page_cold_latency_ms", "kg serve page, first views"), ("web_page_latency_ms",
                      "kg serve page, again"), ("web_sparql_latency_ms", "kg serve /sparql")):
        for name in sorted({q for r in records for q in r.get(key) or {}}):
            rows.append([f"{what} {name}: p50 / p95 ms"] + [_lat((r.get(key) or {}).get(name)) for r in records])
    for key, what in (("pages", "pages"), ("all", "pages and /sparql")):
        if any(f"web_requests_per_s_{key}" in r for r in records):
            rows.append([f"kg serve requests/s, 8 concurrent clients, {what}"]
                        + [_fmt(r.get(f"web_requests_per_s_{key}")) for r in records])
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row))
             for row in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = sorted({f"{k}: {r[k]}" for r in records for k in ("neo4j", "networkx_queries", "sparql") if k in r})
    notes += sorted({f"rdflib-neo4j: {r['rdflib_neo4j_triples_per_s']}" for r in records
                     if isinstance(r.get("rdflib_neo4j_triples_per_s"), str)})
    notes += sorted({f"neo4j --bulk: {r['neo4j_bulk']}" for r in records if "neo4j_bulk" in r})
    notes += missing_extras()
    return "\n".join(lines + [f"note: {n}" for n in notes])


def missing_extras() -> list[str]:
    """What this installation cannot measure or draw, and how to get it: the optional ``bench`` extra."""
    from importlib.util import find_spec

    missing = [what for module, what in (("matplotlib", "the chart (--output FILE.png)"),
                                         ("rdflib_neo4j", "the rdflib-neo4j comparison (--neo4j)"))
               if find_spec(module) is None]
    return [f"{' and '.join(missing)} need{'s' if len(missing) == 1 else ''} the bench extra: {BENCH_EXTRA}"] \
        if missing else []
