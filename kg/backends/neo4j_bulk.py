"""Neo4j bulk load: the property graph as CSV files for ``neo4j-admin database import full``.

The server's own importer writes the store files directly, in parallel, with no transactions: the fastest way
into a fresh database, several times the Bolt loader's rate. The price is that it needs the server's files (a
server on this machine), the database stopped while it writes (Community has no ``STOP DATABASE``, so the
whole server is stopped and started again), and it replaces the database whole. So it is for a first load
into a local server; :func:`kg.backends.neo4j.load` stays for remote servers (Aura, a cluster) and for
incremental loads. The files carry exactly the Bolt loader's labels, types and properties.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kg.backends.neo4j import Connection, LoadReport, Neo4jError, Settings, _ident, _key, ensure_schema
from kg.project import PropertyGraph

ARRAY_DELIMITER = "\x1f"  # the projection splits lists on it, so no value holds it (a ';' may well occur)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_REPO_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j.sh"


@dataclass(frozen=True)
class LocalServer:
    """How to reach a local server's files and tools: its home, neo4j-admin, and a stop/start command."""

    home: Path
    admin: list[str]  # command prefix: neo4j-admin
    control: list[str]  # command prefix taking ``stop`` and ``start``
    env: dict[str, str]  # environment both run with (the ports it listens on now, for a restart)


def _type_of(value: object) -> str | None:
    """The importer's type for a property value (``string``, ``long[]``...), or None for a value its CSV cannot
    carry: an empty cell is no property and an empty array cell no element, so ``""``, ``[]`` and ``[""]`` are
    set over Bolt after the import (:func:`_apply_fixups`). bool before int: a bool is an int."""
    def scalar(v: object) -> str:
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, int):
            return "long"
        if isinstance(v, float):
            return "double"
        if isinstance(v, str):
            return "string"
        raise Neo4jError(f"--bulk cannot write a property value of type {type(v).__name__}: {v!r}")

    if isinstance(value, list | tuple):
        if not value or value == [""] or value == ("",):
            return None
        kinds = {scalar(v) for v in value}
        if len(kinds) != 1:  # Neo4j stores no mixed list, from the Bolt loader either
            raise Neo4jError(f"--bulk cannot write the list property value {value!r} (of mixed types)")
        return kinds.pop() + "[]"
    return None if value == "" else scalar(value)


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)  # type: ignore[misc]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    return value


def _header_key(name: str) -> str:
    if any(c in name for c in ':,"\n'):
        raise Neo4jError(f"--bulk cannot write the property name {name!r} (it holds ':', ',', a quote or a newline)")
    return name


@dataclass
class _Files:
    nodes: list[Path]
    relationships: list[Path]
    multiline: list[Path]  # files with a value over several lines: the importer must be told
    # values the CSV cannot carry (see _type_of), set after the import: (label, key) -> [[iri, value]...] and
    # (start label, type, end label, key) -> [[start iri, end iri, value]...]
    node_fixups: dict[tuple[str, str], list[list[object]]] = field(default_factory=lambda: defaultdict(list))
    rel_fixups: dict[tuple[str, str, str, str], list[list[object]]] = field(default_factory=lambda: defaultdict(list))


def write_csv(pg: PropertyGraph, out: Path) -> _Files:
    """One node file per label set and property signature (key and type), one relationship file per type and
    signature; each with its importer header. A node's ``iri`` is its import id (``iri:ID`` also stores it as
    the ``iri`` property); a missing property is an empty cell, which the importer leaves unset, as the Bolt
    loader does with None."""
    files = _Files([], [], [])
    node_groups: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], list[list[object]]] = defaultdict(list)
    for node in pg.nodes.values():
        sig = tuple((k, t) for k, t in _typed(node.props, files.node_fixups, node.labels[0], [node.id])
                    if k != "iri")
        row: list[object] = [node.id, ";".join(node.labels)]
        row.extend(_cell(node.props[k]) for k, _ in sig)
        node_groups[(node.labels, sig)].append(row)
    for i, ((_labels, sig), rows) in enumerate(sorted(node_groups.items())):
        header = ["iri:ID", ":LABEL", *(f"{_header_key(k)}:{t}" for k, t in sig)]
        files.nodes.append(_write(out / f"nodes-{i:04d}.csv", header, rows, files.multiline))
    rel_groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[list[object]]] = defaultdict(list)
    for rel in pg.rels:
        ends = (pg.nodes[rel.src].labels[0], rel.type, pg.nodes[rel.dst].labels[0])
        sig = tuple(_typed(rel.props, files.rel_fixups, ends, [rel.src, rel.dst]))
        rel_groups[(rel.type, sig)].append([rel.src, rel.dst, rel.type, *(_cell(rel.props[k]) for k, _ in sig)])
    for i, ((_rtype, sig), rows) in enumerate(sorted(rel_groups.items())):
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{_header_key(k)}:{t}" for k, t in sig)]
        files.relationships.append(_write(out / f"rels-{i:04d}.csv", header, rows, files.multiline))
    return files


def _typed(props: dict[str, Any], fixups: dict[Any, list[list[object]]], where: Any, ids: list[object]
           ) -> list[tuple[str, str]]:
    """(key, importer type) of the properties a CSV cell carries; the others go to ``fixups``."""
    out = []
    for k, v in props.items():
        if v is None:
            continue
        t = _type_of(v)
        if t is None:
            key = (where, k) if isinstance(where, str) else (*where, k)
            fixups[key].append([*ids, v])
        else:
            out.append((k, t))
    return out


def _apply_fixups(conn: Connection, files: _Files) -> None:
    """Set the values the CSV could not carry, by ``iri`` (the constraints are there by then)."""
    for (label, key), rows in sorted(files.node_fixups.items()):
        conn.write(f"UNWIND $rows AS row MATCH (n:{_ident(label)} {{iri: row[0]}}) SET n.{_key(key)} = row[1]",
                   {"rows": rows})
    for (start, rtype, end, key), rows in sorted(files.rel_fixups.items()):
        conn.write(f"UNWIND $rows AS row MATCH (a:{_ident(start)} {{iri: row[0]}})-[r:{_ident(rtype)}]->"
                   f"(b:{_ident(end)} {{iri: row[1]}}) SET r.{_key(key)} = row[2]", {"rows": rows})


def _write(path: Path, header: list[str], rows: list[list[object]], multiline: list[Path]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    if any(isinstance(v, str) and ("\n" in v or "\r" in v) for row in rows for v in row):
        multiline.append(path)
    return path


def _setting(conn: Connection, name: str) -> str:
    rows = conn.read("SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value", {"name": name})
    return str(rows[0]["value"]) if rows else ""


def _port(address: str, default: int) -> str:
    tail = address.rsplit(":", 1)[-1] if ":" in address else ""
    return tail if tail.isdigit() else str(default)


def check_local(uri: str) -> None:
    """Refuse a server on another machine before connecting: the importer writes the server's files."""
    if (urlparse(uri).hostname or "") not in LOCAL_HOSTS:
        raise Neo4jError(f"--bulk needs a server on this machine (neo4j-admin writes its store files): {uri} is "
                         "remote; load without --bulk (batched Bolt transactions)")


def local_server(conn: Connection) -> LocalServer:
    """The server behind ``conn`` if it runs on this machine and can be stopped, imported into and started
    again here; otherwise a :class:`Neo4jError` saying why --bulk cannot be used."""
    uri = conn.settings.uri
    check_local(uri)
    home = Path(_setting(conn, "server.directories.neo4j_home"))
    if not str(home) or not home.is_dir():
        raise Neo4jError(f"--bulk: the server at {uri} reports its home as {str(home)!r}, which is no directory "
                         "here: is it in a container? Load without --bulk")
    env = {"NEO4J_BOLT_PORT": _port(_setting(conn, "server.bolt.listen_address"), 7687),
           "NEO4J_HTTP_PORT": _port(_setting(conn, "server.http.listen_address"), 7474)}
    if (home / "bin" / "neo4j-admin").is_file() and (home / "bin" / "neo4j").is_file():  # a Neo4j tarball
        return LocalServer(home, [str(home / "bin" / "neo4j-admin")], [str(home / "bin" / "neo4j")], env)
    if _REPO_SCRIPT.is_file() and (home / "lib" / ".cikg-installed").is_file():  # scripts/neo4j.sh's server
        env["NEO4J_HOME_DIR"] = str(home)
        env.setdefault("NEO4J_START_TIMEOUT", os.environ.get("NEO4J_START_TIMEOUT", "300"))
        script = ["bash", str(_REPO_SCRIPT)]
        return LocalServer(home, [*script, "admin"], script, env)
    raise Neo4jError(f"--bulk: no bin/neo4j-admin in the server's home {home} and it is not scripts/neo4j.sh's "
                     "server, so it cannot be stopped and imported into from here; load without --bulk")


def _run(cmd: list[str], server: LocalServer, what: str) -> None:
    proc = subprocess.run(cmd, env={**os.environ, **server.env}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        detail = next((ln for ln in lines if "ERROR" in ln or "Exception" in ln or "rror:" in ln),
                      lines[-1] if lines else f"exit status {proc.returncode}")
        raise Neo4jError(f"--bulk: {what} failed: {detail.strip()[:300]}")


def import_command(server: LocalServer, database: str, files: _Files, report_file: Path) -> list[str]:
    """``neo4j-admin database import full`` over the files: strict (one bad row fails it), lists split on
    ``ARRAY_DELIMITER``, and multi-line parsing only for the files that need it (it is slower)."""
    cmd = [*server.admin, "database", "import", "full", database, "--overwrite-destination=true",
           f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--bad-tolerance=0", f"--report-file={report_file}",
           *(f"--nodes={p}" for p in files.nodes), *(f"--relationships={p}" for p in files.relationships)]
    if files.multiline:
        cmd += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(str(p) for p in files.multiline)]
    return cmd


def bulk_load(pg: PropertyGraph, settings: Settings | None = None, *, overwrite: bool = False,
              workdir: Path | None = None, on_phase: Callable[[str], None] | None = None) -> LoadReport:
    """Replace the database of a local server by ``pg`` with neo4j-admin's importer; returns the counts after.

    Refuses (one line) a remote server and a database that holds anything unless ``overwrite``. Steps: write
    the CSV files (in ``workdir`` or a temporary directory), stop the server, import, start it, create the
    constraints and indexes the Bolt loader creates and wait for them. ``report.phases`` has each step's seconds.
    """
    t0 = time.perf_counter()
    settings = settings or Settings.from_env()
    check_local(settings.uri)
    report = LoadReport(nodes=len(pg.nodes), relationships=len(pg.rels))
    phases: dict[str, float] = {}

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        phases[name] = round(now - started, 3)
        if on_phase:
            on_phase(name)
        return now

    with Connection(settings) as conn:
        server = local_server(conn)
        held = conn.counts()
        if held["nodes"] and not overwrite:
            raise Neo4jError(f"--bulk replaces the whole database, and {settings.database!r} at {settings.uri} "
                             f"holds {held['nodes']:,} nodes: add --wipe to overwrite it, or load without --bulk")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bulk-", dir=workdir))
    try:
        t = time.perf_counter()
        files = write_csv(pg, tmp)
        t = step("write_csv", t)
        _run([*server.control, "stop"], server, "stopping the server")
        t = step("stop", t)
        _run(import_command(server, settings.database, files, tmp / "import.report"), server,
             "neo4j-admin database import")
        t = step("import", t)
        _run([*server.control, "start"], server, "starting the server")
        t = step("start", t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with Connection(settings) as conn:
        ensure_schema(conn, pg)
        conn.write("CALL db.awaitIndexes(300)")
        _apply_fixups(conn, files)
        t = step("schema", t)
        report.counts = conn.counts()
    report.created_nodes = report.counts["nodes"]
    report.created_relationships = report.counts["relationships"]
    report.phases = phases
    report.seconds = time.perf_counter() - t0
    return report
