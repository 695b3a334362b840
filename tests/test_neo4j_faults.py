"""Neo4j faults on a real server of its own: stopped mid-load, down, wrong password, read-only.

This module starts a second local server (scripts/neo4j.sh with its own home and ports) so that stopping
or reconfiguring it never disturbs the main one that `make test` runs for the other Neo4j tests.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import api
from kg import queries as catalogue
from kg.backends import neo4j as nb
from kg.cli import app
from kg.project import Node, PropertyGraph, Rel

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".neo4j-faults"
ENV = {**os.environ, "NEO4J_HOME_DIR": str(HOME), "NEO4J_BOLT_PORT": "27687", "NEO4J_HTTP_PORT": "27474",
       "NEO4J_PASSWORD": "cikg-password"}
SETTINGS = nb.Settings("bolt://127.0.0.1:27687", "neo4j", "cikg-password", "neo4j")


READ_ONLY = "server.databases.default_to_read_only=true"
_mode: dict[str, str] = {}  # the mode the fault server was last started in: "writable" or "read-only"


def server(action: str, extra_conf: str = "") -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "neo4j.sh"), action], env={**ENV, "NEO4J_EXTRA_CONF": extra_conf},
                   check=True, capture_output=True, timeout=300)


def use(mode: str) -> None:
    """(Re)start the fault server in ``mode`` unless it already runs so: each start costs 10-30 s."""
    if _mode.get("now") != mode:
        if mode == "read-only" and not (HOME / "data" / "databases" / "neo4j").is_dir():
            server("restart")  # Neo4j cannot create a database read-only: a fresh home starts writable once
        server("restart", READ_ONLY if mode == "read-only" else "")
        _mode["now"] = mode


@pytest.fixture(scope="module")
def fault_home():
    """The second server's home; its jars are shared with the main one (a symlink) so it starts in seconds.

    It does not need the main server; where it cannot start, the module is skipped, except under
    KG_REQUIRE_NEO4J=1 (make test, CI), where that is a failure. Stopped after the module.
    """
    main_lib = ROOT / ".neo4j" / "lib"
    HOME.mkdir(exist_ok=True)
    if main_lib.is_dir() and not (HOME / "lib").exists():
        (HOME / "lib").symlink_to(main_lib)
    with (HOME / ".module-lock").open("w") as lock:
        _wait_for_lock(lock.fileno())  # a second pytest session running this module waits instead of colliding
        _mode.clear()
        try:
            yield SETTINGS
        finally:
            server("stop")


def _wait_for_lock(fd: int, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                pytest.fail(f"{HOME} is still used by another test session after {timeout:.0f} s")
            time.sleep(1)


def _started(mode: str) -> nb.Settings:
    try:
        use(mode)
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        reason = f"the fault-test Neo4j server did not start: {detail.decode(errors='replace')[-300:] or exc}"
        if os.environ.get("KG_REQUIRE_NEO4J") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return SETTINGS


@pytest.fixture()
def fault_server(fault_home: nb.Settings) -> nb.Settings:
    """The fault server, writable."""
    return _started("writable")


@pytest.fixture()
def read_only_server(fault_home: nb.Settings) -> nb.Settings:
    """The fault server restarted as an operator makes one read-only: a neo4j.conf setting and a restart."""
    return _started("read-only")


def synthetic_graph(n: int) -> PropertyGraph:
    pg = PropertyGraph()
    for i in range(n):
        iri = f"https://cikg.dev/id/company/test-{i}"
        pg.nodes[iri] = Node(iri, ("Company",), {"iri": iri, "name": f"Test {i}", "kind": "Company"})
    ids = list(pg.nodes)
    pg.rels = [Rel(ids[i], "COMPETES_WITH", ids[(i * 7 + 1) % n], {"sources": 1, "articles": ["a"]})
               for i in range(n)]
    return pg


def kg(*args: str) -> tuple[int, str, str]:
    """`kg ARGS` against the fault server, as a user runs it (one process, exit code and both streams)."""
    result = CliRunner().invoke(app, [*args, "--uri", SETTINGS.uri, "--password", SETTINGS.password])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_read_only_database_refuses_the_load_and_a_rerun_completes(read_only_server: nb.Settings,
                                                                   examples_workspace: Path) -> None:
    """First in the module, so the read-only start is also the module's first start (one restart less)."""
    ws = str(examples_workspace)
    with nb.Connection(read_only_server) as conn:
        assert conn.read("SHOW DATABASES YIELD name, access WHERE name = 'neo4j' RETURN access") == \
            [{"access": "read-only"}]
        before = conn.counts()  # whatever an earlier run left: it must stay exactly so
        sanctioned = catalogue.get("sanctioned_entities")  # a query without a name to look up first
        expected_rows = catalogue.normalise_rows(sanctioned, conn.read(sanctioned.cypher))
    code, out, err = kg("load", "neo4j", "--wipe", "-w", ws)  # not even the wipe may happen
    assert (code, out) == (1, "")
    assert err == (f"error: Neo4j database 'neo4j' at {read_only_server.uri} is read-only "
                   "(server.databases.read_only / default_to_read_only) and refused the write\n")
    with pytest.raises(nb.Neo4jError, match="is read-only"):
        nb.load(synthetic_graph(30), read_only_server)
    with nb.Connection(read_only_server) as conn:
        assert conn.counts() == before
    code, out, err = kg("query", "run", "sanctioned_entities", "--backend", "neo4j",
                        "-w", ws, "--format", "json")  # reading still works
    assert (code, err) == (0, "")
    assert json.loads(out) == expected_rows

    writable = _started("writable")
    pg = api.property_graph(examples_workspace)
    full = {"nodes": len(pg.nodes), "relationships": len(pg.rels)}
    code, out, err = kg("load", "neo4j", "--wipe", "-w", ws)  # the same command, on a writable server
    assert (code, err) == (0, "")
    assert f"the database holds {full['nodes']:,} nodes and {full['relationships']:,} relationships" in out
    with nb.Connection(writable) as conn:
        assert conn.counts() == full


# `kg load neo4j` in its own process, on a synthetic graph of 20000 nodes and 20000 relationships.
LOAD_PROBE = ("import sys\nsys.path.insert(0, sys.argv[1])\nfrom test_neo4j_faults import synthetic_graph\n"
              "from kg import api\nfrom kg.cli import app\n"
              "api.property_graph = lambda workspace=None: synthetic_graph(20000)\napp(sys.argv[2:])\n")


def test_server_stopped_mid_load_then_a_rerun_completes_exactly(fault_server: nb.Settings) -> None:
    """Through the CLI as a user runs it: stderr must hold one line (the driver's retry warnings stay off it)."""
    pg = synthetic_graph(20000)
    with nb.Connection(fault_server) as conn:
        nb.wipe_database(conn)
    proc = subprocess.Popen([sys.executable, "-c", LOAD_PROBE, str(ROOT / "tests"), "load", "neo4j", "--batch-size",
                             "100", "--uri", fault_server.uri, "--password", fault_server.password],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    with nb.Connection(fault_server) as conn:
        while conn.counts()["nodes"] < 500 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert proc.poll() is None, "the load ended before the server was stopped"
    _mode.clear()  # from here on the server's state is unknown to use()
    server("stop")  # the real server goes away while batches are being written
    out, err = proc.communicate(timeout=180)
    assert (proc.returncode, out) == (1, ""), err
    assert err.count("\n") == 1 and err.startswith("error: batch "), err
    assert "was rolled back: " in err and f"cannot reach Neo4j at {fault_server.uri}" in err, err

    use("writable")
    with nb.Connection(fault_server) as conn:
        partial = conn.counts()
    assert 500 <= partial["nodes"] < len(pg.nodes)  # committed batches only: whole batches of 100
    assert partial["nodes"] % 100 == 0
    report = nb.load(pg, fault_server, batch_size=2000)  # the re-run resumes without duplicates
    assert report.counts == {"nodes": len(pg.nodes), "relationships": len(pg.rels)}


def test_server_down_at_start(fault_server: nb.Settings) -> None:
    down = nb.Settings("bolt://127.0.0.1:27999", "neo4j", "cikg-password", "neo4j")
    with pytest.raises(nb.Neo4jError, match="cannot reach Neo4j"):
        nb.load(synthetic_graph(3), down)


def test_wrong_password_on_load(fault_server: nb.Settings) -> None:
    bad = nb.Settings(fault_server.uri, "neo4j", "not-the-password", "neo4j")
    with pytest.raises(nb.Neo4jError, match="refused the credentials"):
        nb.load(synthetic_graph(3), bad)
