"""Helpers of the tests marked ``fuseki``: the local Jena Fuseki server and Jena commands of scripts/fuseki.sh.

`make test` starts the server (`bash scripts/fuseki.sh start`) and sets KG_REQUIRE_FUSEKI=1, under which a
server or a Jena tool that is missing fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "fuseki.sh"
PORT = int(os.environ.get("FUSEKI_PORT", "3030"))
UNION = f"http://127.0.0.1:{PORT}/cikg-test/sparql"  # like /cikg, in a database of its own: the tests wipe it
PLAIN = f"http://127.0.0.1:{PORT}/cikg-plain/sparql"


def required() -> bool:
    return os.environ.get("KG_REQUIRE_FUSEKI") == "1"


def missing(reason: str) -> None:
    if required():
        pytest.fail(f"Fuseki is required (KG_REQUIRE_FUSEKI=1) but {reason}")
    pytest.skip(reason)


def answers(url: str) -> bool:
    try:
        r = httpx.post(url, data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"},
                       timeout=5)
    except httpx.HTTPError:
        return False
    return r.status_code == 200 and "boolean" in r.text


_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def _canon(t: ox.Triple) -> ox.Triple:
    """TDB2 keeps a decimal as its value ("4500000000" comes back as "4500000000.0"): compare decimals by value."""
    o = t.object
    if isinstance(o, ox.Literal) and o.datatype == _DECIMAL:
        o = ox.Literal(format(Decimal(o.value).normalize(), "f"), datatype=_DECIMAL)
    return ox.Triple(t.subject, t.predicate, o)


def server_graph(graph_store: str, graph: str) -> set[ox.Triple]:
    """A graph as the store holds it (Graph Store Protocol GET), parsed by Oxigraph."""
    r = httpx.get(graph_store, params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=60)
    if r.status_code == 404:
        return set()
    r.raise_for_status()
    return {_canon(ox.Triple(q.subject, q.predicate, q.object))
            for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)}


def local_graph(workspace: Path, graph: str) -> set[ox.Triple]:
    from kg.store import Workspace

    with Workspace.open(workspace, read_only=True) as ws:
        return {_canon(ox.Triple(q.subject, q.predicate, q.object))
                for q in ws.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def jena(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A Jena command (riot, tdb2.tdbloader, tdb2.tdbquery...) from the jars scripts/fuseki.sh installs."""
    return subprocess.run(["bash", str(SCRIPT), "jena", *args], capture_output=True, text=True, timeout=timeout,
                          check=False)


def script(action: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), action], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, check=False)
