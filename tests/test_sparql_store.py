"""A real Apache Jena Fuseki (scripts/fuseki.sh, started by `make test`), never a mock.

The stored queries give the same rows there as on the embedded store, on the dataset whose default graph is
the union of the named graphs and, with FROM / FROM NAMED, on one whose default graph is its own; a load
pushes only what changed, deletes what was removed locally, and a server killed mid-load holds whole
articles only, after which a re-run completes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from fuseki_support import PLAIN, ROOT, UNION, answers, local_graph, missing, script, server_graph

from kg import api
from kg import queries as catalogue
from kg.backends import sparql as sp

pytestmark = pytest.mark.fuseki

EXAMPLES = ROOT / "examples" / "articles"
QUERIES = sorted(catalogue.catalogue())


@pytest.fixture(scope="module")
def union() -> sp.Endpoint:
    if not answers(UNION):
        missing(f"no Fuseki answers at {UNION} (bash scripts/fuseki.sh start)")
    return sp.Endpoint.from_options(UNION)


@pytest.fixture(scope="module")
def workspace(examples_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the examples workspace (a load writes its record beside the store)."""
    ws = tmp_path_factory.mktemp("sparql") / "ws"
    shutil.copytree(examples_workspace, ws)
    return ws


@pytest.fixture(scope="module")
def loaded(union: sp.Endpoint, workspace: Path) -> sp.Endpoint:
    report = sp.load(workspace, union, wipe=True)
    assert report.added == report.graphs > 10 and report.protocol == "fuseki-quads"
    return union


def example(name: str) -> dict[str, object]:
    return {p.name: p.example for p in catalogue.get(name).params}


@pytest.mark.parametrize("name", QUERIES)
def test_stored_queries_same_rows_as_rdf(loaded: sp.Endpoint, workspace: Path, name: str) -> None:
    rdf = api.run_query(name, example(name), "rdf", workspace)
    assert rdf, f"{name}: no rows on the examples"
    assert sp.run_query(name, example(name), loaded) == rdf


def test_store_holds_exactly_the_workspace_graphs(loaded: sp.Endpoint, workspace: Path) -> None:
    from kg.store import Workspace

    with Workspace.open(workspace, read_only=True) as ws:
        graphs = {g.value for g in ws.store.named_graphs()}
    assert set(sp.store_graphs(loaded)) == graphs
    for g in graphs:
        assert server_graph(loaded.graph_store, g) == local_graph(workspace, g), g


def test_aliases_resolve_and_unknown_names_are_errors_there(loaded: sp.Endpoint) -> None:
    notes: list[str] = []
    rows = sp.run_query("competitors", {"company": "baidu"}, loaded, notes=notes)
    assert rows and rows[0]["company"] == "Baidu" and notes == ["--param company='baidu' is 'Baidu'"]
    with pytest.raises(Exception, match="Nosuch"):
        sp.run_query("competitors", {"company": "Nosuch Corp"}, loaded)


def test_from_graphs_on_a_store_whose_default_graph_is_its_own(workspace: Path) -> None:
    """/cikg-plain keeps a default graph of its own: the queries answer nothing there without FROM clauses."""
    if not answers(PLAIN):
        missing(f"no Fuseki dataset at {PLAIN}")
    plain = sp.Endpoint.from_options(PLAIN, dataset="from-graphs")
    sp.load(workspace, plain, wipe=True)
    as_is = sp.Endpoint.from_options(PLAIN)
    assert sp.run_query("chief_executives", {}, as_is) == []
    for name in QUERIES:
        assert sp.run_query(name, example(name), plain) == api.run_query(name, example(name), "rdf", workspace), name


def test_load_twice_changes_nothing_and_removed_articles_disappear(union: sp.Endpoint, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(EXAMPLES, articles)
    ws = tmp_path / "ws"
    assert api.ingest([articles], ws).ok
    first = sp.load(ws, union, wipe=True, batch_graphs=4)
    assert first.added == first.graphs and first.batches >= 3
    again = sp.load(ws, union)
    assert (again.changed, again.unchanged, again.requests, again.triples_sent) == (False, first.graphs, 0, 0)

    gone = next(p for p in sorted(articles.iterdir()) if p.name.startswith("tencent"))
    report = api.remove_articles([str(gone)], ws)
    removed = [a.graph for a in report.articles]
    assert len(removed) == 1
    after = sp.load(ws, union)
    # the article; the entity graph and the fact summary (kg.summary) both lose what only it stated
    assert after.deleted == 1 and after.replaced == 2 and after.added == 0
    on_server = sp.store_graphs(union)
    for iri in removed:
        assert iri not in on_server
    assert len(on_server) == first.graphs - 1
    for name in QUERIES:
        assert sp.run_query(name, example(name), union) == api.run_query(name, example(name), "rdf", ws), name
    assert not sp.load(ws, union).changed

    # a graph someone deleted on the server (or a restored older backup) is found by its count and pushed again
    victim = sorted(g for g in on_server if "/graph/" not in g)[0]
    subprocess.run(["curl", "-fsS", "-X", "DELETE", f"{union.graph_store}?graph={victim}"], check=True)
    healed = sp.load(ws, union)
    assert (healed.added, healed.replaced, healed.deleted) == (1, 0, 0)
    assert server_graph(union.graph_store, victim) == local_graph(ws, victim)


def test_per_graph_put_gives_the_same_store(union: sp.Endpoint, workspace: Path) -> None:
    """The standard Graph Store Protocol (a PUT per graph), as for a store that is not Fuseki."""
    report = sp.load(workspace, union, wipe=True, protocol="gsp-put")
    assert report.requests >= report.graphs
    for g in sp.store_graphs(union):
        assert server_graph(union.graph_store, g) == local_graph(workspace, g)
    assert sp.run_query("sanction_exposure", {}, union) == api.run_query("sanction_exposure", {}, "rdf", workspace)


def test_unreachable_store_and_bad_urls_are_one_line_errors(workspace: Path) -> None:
    with pytest.raises(sp.SparqlError, match=r"cannot reach http://127\.0\.0\.1:9/") as exc:
        sp.load(workspace, sp.Endpoint.from_options("http://127.0.0.1:9/ds/sparql"))
    assert "\n" not in str(exc.value)
    with pytest.raises(sp.SparqlError, match="--endpoint 'ftp://x' is not an http"):
        sp.Endpoint.from_options("ftp://x")
    with pytest.raises(sp.SparqlError, match="HTTP 404"):
        sp.run_query("chief_executives", {}, sp.Endpoint.from_options(UNION.replace("/cikg-test/", "/nosuch/")))


# --- a server of its own, killed mid-load ------------------------------------------------------------------

FAULT_PORT = "23030"
FAULT_HOME = ROOT / ".fuseki-faults"
FAULT_ENV = {"FUSEKI_HOME_DIR": str(FAULT_HOME), "FUSEKI_PORT": FAULT_PORT,
             "FUSEKI_LIB_DIR": str(ROOT / ".fuseki" / "lib"), "FUSEKI_START_TIMEOUT": "240"}


@pytest.fixture(scope="module")
def fault_server():
    """A second Fuseki (own home and port, the main one's jars) that this module may kill; stopped after."""
    if not (ROOT / ".fuseki" / "lib").is_dir():
        missing("no Jena jars in .fuseki/lib (bash scripts/fuseki.sh install)")
    script("wipe", FAULT_ENV)
    started = script("start", FAULT_ENV)
    if started.returncode != 0:
        missing(f"the fault-test Fuseki did not start: {started.stderr[-300:]}")
    try:
        yield sp.Endpoint.from_options(f"http://127.0.0.1:{FAULT_PORT}/cikg/sparql")
    finally:
        script("stop", FAULT_ENV)


@pytest.fixture(scope="module")
def corpus_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.corpus import generate

    base = tmp_path_factory.mktemp("corpus")
    generate(300, 7, base / "articles")
    ws = base / "ws"
    assert api.ingest([base / "articles"], ws).ok
    return ws


def test_server_killed_mid_load_leaves_whole_articles_and_a_rerun_completes(fault_server: sp.Endpoint,
                                                                           corpus_workspace: Path) -> None:
    from kg.store import Workspace

    with Workspace.open(corpus_workspace, read_only=True) as ws:
        graphs = sorted(g.value for g in ws.store.named_graphs())
    killer: list[threading.Thread] = []
    batches: list[int] = []

    def on_batch(n: int) -> None:
        """After the first batch, SIGKILL the server while the next ones are on their way (a slow machine
        waits for the kill at the 20th batch of 60, so that it lands mid-load)."""
        batches.append(n)
        if not killer:
            kill = threading.Thread(target=script, args=("kill", FAULT_ENV))
            killer.append(kill)
            kill.start()
        elif len(batches) == 20:
            killer[0].join()

    with pytest.raises(sp.SparqlError, match="cannot reach|HTTP|no answer") as exc:
        for _ in range(3):  # the kill lands within the load (300 graphs in batches of 5)
            sp.load(corpus_workspace, fault_server, batch_graphs=5, on_batch=on_batch)
    killer[0].join()
    assert "\n" not in str(exc.value)
    assert script("start", FAULT_ENV).returncode == 0  # TDB2 recovers its journal: committed batches only
    present = sp.store_graphs(fault_server)
    assert 0 < len(present) < len(graphs), "the kill should land mid-load"
    for g in present:
        assert server_graph(fault_server.graph_store, g) == local_graph(corpus_workspace, g), f"{g} is partial"
    rerun = sp.load(corpus_workspace, fault_server)
    assert rerun.added + rerun.replaced == len(graphs) - rerun.unchanged and rerun.unchanged > 0
    assert set(sp.store_graphs(fault_server)) == set(graphs)
    for g in graphs[:: max(1, len(graphs) // 40)] + [g for g in graphs if "/graph/" in g]:
        assert server_graph(fault_server.graph_store, g) == local_graph(corpus_workspace, g)
    assert not sp.load(corpus_workspace, fault_server).changed
    for name in ("competitors", "sanction_exposure", "chief_executives"):
        assert (sp.run_query(name, example(name), fault_server)
                == api.run_query(name, example(name), "rdf", corpus_workspace)), name


# --- the command line -------------------------------------------------------------------------------------


def kg(*args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_load_and_query_run_on_the_store(union: sp.Endpoint, workspace: Path) -> None:
    code, out, err = kg("load", "sparql", "--endpoint", UNION, "-w", str(workspace), "--wipe")
    assert code == 0, err
    assert out.startswith(f"loaded {union.graph_store} (fuseki-quads): ") and "graphs added" in out
    code, out, err = kg("load", "sparql", "--endpoint", UNION, "-w", str(workspace), "-f", "json")
    assert code == 0 and '"added": 0' in out and '"requests": 0' in out, err
    code, out, err = kg("query", "run", "competitors", "-p", "company=baidu", "-b", "sparql", "--endpoint", UNION,
                        "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["company,competitor,sources", *(
        f"{r['company']},{r['competitor']},{r['sources']}"
        for r in api.run_query("competitors", {"company": "Baidu"}, "rdf", workspace))]
    assert "note: --param company='baidu' is 'Baidu'" in err


@pytest.mark.parametrize(("args", "message"), [
    (["load", "sparql"], "error: --endpoint is needed"),
    (["load", "sparql", "--endpoint", "ftp://x"], "error: --endpoint 'ftp://x' is not an http:// or https:// URL"),
    (["load", "sparql", "--endpoint", "http://127.0.0.1:9/ds/sparql"], "error: probing the Graph Store: cannot reach"),
    (["query", "run", "chief_executives", "-b", "sparql", "--endpoint", UNION.replace("/cikg-test/", "/nosuch/")],
     "answered HTTP 404"),
    (["query", "run", "competitors", "-p", "company=Nosuch Corp", "-b", "sparql", "--endpoint", UNION], "Nosuch"),
])
def test_cli_errors_are_one_line(union: sp.Endpoint, workspace: Path, args: list[str], message: str) -> None:
    code, out, err = kg(*args, *(["-w", str(workspace)] if args[0] == "load" else []))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err + out


def test_protected_store_needs_the_right_credentials(union: sp.Endpoint, workspace: Path) -> None:
    """/cikg-auth lets user cikg in only (HTTP Basic, the password scripts/fuseki.sh was started with)."""
    url = UNION.replace("/cikg-test/", "/cikg-auth/")
    password = os.environ.get("FUSEKI_PASSWORD", "cikg-password")
    code, _, err = kg("load", "sparql", "--endpoint", url, "-w", str(workspace))
    assert code == 1 and "refused anonymous access (give --user/--password) (HTTP 401)" in err, err
    code, _, err = kg("load", "sparql", "--endpoint", url, "-w", str(workspace), "--user", "cikg", "--password", "nope")
    assert code == 1 and "refused user 'cikg' (HTTP 401)" in err and "nope" not in err, err
    code, out, err = kg("load", "sparql", "--endpoint", url, "-w", str(workspace), "--wipe", "--user", "cikg",
                        "--password", password)
    assert code == 0 and "graphs added" in out, err
    ok = sp.Endpoint.from_options(url, user="cikg", password=password, dataset="from-graphs")  # a plain dataset
    assert sp.run_query("chief_executives", {}, ok) == api.run_query("chief_executives", {}, "rdf", workspace)
