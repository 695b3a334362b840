"""Neo4j faults on a real server of its own: stopped mid-load, then restarted and loaded again.

This module starts a second local server (scripts/neo4j.sh with its own home and ports) so that stopping
it never disturbs the main one that `make test` runs for the other Neo4j tests.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from kg import neo4j_backend as nb
from kg.project import Node, PropertyGraph, Rel

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".neo4j-faults"
ENV = {**os.environ, "NEO4J_HOME_DIR": str(HOME), "NEO4J_BOLT_PORT": "27687", "NEO4J_HTTP_PORT": "27474",
       "NEO4J_PASSWORD": "cikg-password"}
SETTINGS = nb.Settings("bolt://127.0.0.1:27687", "neo4j", "cikg-password", "neo4j")


def server(action: str) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "neo4j.sh"), action], env=ENV, check=True,
                   capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def fault_server(neo4j_settings: nb.Settings):
    """A second server; its jars are shared with the main one (a symlink) so it starts in seconds."""
    main_lib = ROOT / ".neo4j" / "lib"
    HOME.mkdir(exist_ok=True)
    if main_lib.is_dir() and not (HOME / "lib").exists():
        (HOME / "lib").symlink_to(main_lib)
    server("start")
    yield SETTINGS
    server("stop")


def synthetic_graph(n: int) -> PropertyGraph:
    pg = PropertyGraph()
    for i in range(n):
        iri = f"https://cikg.dev/id/company/test-{i}"
        pg.nodes[iri] = Node(iri, ("Company",), {"iri": iri, "name": f"Test {i}", "kind": "Company"})
    ids = list(pg.nodes)
    pg.rels = [Rel(ids[i], "COMPETES_WITH", ids[(i * 7 + 1) % n], {"sources": 1, "articles": ["a"]})
               for i in range(n)]
    return pg


def test_server_stopped_mid_load_then_a_rerun_completes_exactly(fault_server: nb.Settings) -> None:
    pg = synthetic_graph(20000)
    failure: list[Exception] = []
    batches: list[int] = []

    def run() -> None:
        try:
            nb.load(pg, fault_server, wipe=True, batch_size=100, on_batch=batches.append)
        except nb.Neo4jError as exc:
            failure.append(exc)

    loader = threading.Thread(target=run)
    loader.start()
    deadline = time.monotonic() + 120
    while len(batches) < 5 and loader.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    server("stop")  # the real server goes away while batches are being written
    loader.join(timeout=180)
    assert failure, "the load should have failed when the server stopped"
    message = str(failure[0])
    assert "\n" not in message and ("rolled back" in message or "cannot reach Neo4j" in message)

    server("start")
    with nb.Connection(fault_server) as conn:
        partial = conn.counts()
    assert partial["nodes"] < len(pg.nodes)  # committed batches only: whole batches of 100
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
