"""Neo4j: load the property graph over Bolt and run stored Cypher with bound parameters.

The same :class:`~kg.project.PropertyGraph` that feeds NetworkX is written here, so both sinks hold the
same nodes, labels, relationship types and properties. Loading is batched ``UNWIND $rows ... MERGE`` in
managed write transactions (the driver retries transient failures), after the uniqueness constraints it
relies on exist. MERGE makes a reload idempotent and a load after new articles add only what is new.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ingest.model import InputError
from kg.project import Node, PropertyGraph, Rel

if TYPE_CHECKING:
    import neo4j

DEFAULT_URI = "bolt://127.0.0.1:7687"
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class Neo4jError(InputError):
    """Neo4j could not be reached or refused the request; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str = "cikg-password"
    database: str = "neo4j"

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> Settings:
        """The standard NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE, overridden by arguments."""
        env = os.environ
        return cls(uri or env.get("NEO4J_URI") or DEFAULT_URI,
                   user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or "neo4j",
                   password or env.get("NEO4J_PASSWORD") or "cikg-password",
                   database or env.get("NEO4J_DATABASE") or "neo4j")


@dataclass
class LoadReport:
    """What one load did: the graph's size, what changed in the database, and what it holds now."""

    nodes: int = 0  # in the graph loaded
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)  # in the database after the load
    created_nodes: int = 0
    created_relationships: int = 0
    deleted_nodes: int = 0  # no longer in the workspace (articles removed, a pair stored once now)
    deleted_relationships: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # seconds of each step of a bulk load (not in as_dict)

    @property
    def changed(self) -> bool:
        return any((self.created_nodes, self.created_relationships, self.deleted_nodes, self.deleted_relationships))

    def as_dict(self) -> dict[str, object]:
        return {"nodes": self.nodes, "relationships": self.relationships, "created_nodes": self.created_nodes,
                "created_relationships": self.created_relationships, "deleted_nodes": self.deleted_nodes,
                "deleted_relationships": self.deleted_relationships, "batches": self.batches,
                "seconds": round(self.seconds, 3), "database": self.counts}


def _explain(exc: Exception, settings: Settings) -> Neo4jError:
    """One line saying what went wrong with Neo4j, for the error types a user can act on."""
    from neo4j import exceptions as ne

    if isinstance(exc, ne.AuthError):
        return Neo4jError(f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r} "
                          "(check NEO4J_USERNAME / NEO4J_PASSWORD)")
    if isinstance(exc, ne.ServiceUnavailable | OSError) or "Couldn't connect" in str(exc):
        return Neo4jError(f"cannot reach Neo4j at {settings.uri}: is the server running? "
                          "(`make neo4j-start`, or set NEO4J_URI)")
    code = getattr(exc, "code", "") or ""
    if "DatabaseNotFound" in code:
        return Neo4jError(f"Neo4j at {settings.uri} has no database {settings.database!r} (check NEO4J_DATABASE)")
    if "ReadOnly" in code:
        return Neo4jError(f"Neo4j database {settings.database!r} at {settings.uri} is read-only "
                          "(server.databases.read_only / default_to_read_only) and refused the write")
    if "Forbidden" in code or "AccessMode" in code:
        return Neo4jError(f"Neo4j user {settings.user!r} may not write to {settings.database!r}: "
                          f"{getattr(exc, 'message', '') or exc}")
    message = (getattr(exc, "message", None) or str(exc)).splitlines()[0]
    return Neo4jError(f"Neo4j error{' ' + code if code else ''}: {message}")


def _read_all(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, object]
              ) -> tuple[tuple[str, ...], list[list[Any]]]:
    result = tx.run(cypher, params)
    return result.keys(), result.values()


class Connection:
    """An open driver for one database; use as a context manager."""

    def __init__(self, settings: Settings | None = None) -> None:
        import neo4j

        self.settings = settings or Settings.from_env()
        try:
            self.driver = neo4j.GraphDatabase.driver(self.settings.uri,
                                                     auth=(self.settings.user, self.settings.password),
                                                     connection_timeout=10, max_transaction_retry_time=15)
            self.driver.verify_connectivity()
            with self.driver.session(database=self.settings.database) as s:
                s.run("RETURN 1").consume()
        except Exception as exc:  # the driver raises many types: say plainly which case it is
            raise _explain(exc, self.settings) from None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.driver.close()

    def read(self, cypher: str | neo4j.Query, params: dict[str, object] | None = None) -> list[dict[str, Any]]:
        """All rows of ``cypher``, in a managed read transaction (retried by the driver on transient errors).

        The rows come in one piece (``fetch_size=-1``) as plain value lists: for a result of thousands of rows
        that is 15-30% less time than records fetched 1,000 at a time. A ``neo4j.Query`` keeps its timeout.
        """
        import neo4j

        text: str = cypher.text if isinstance(cypher, neo4j.Query) else cypher
        work = _read_all
        if isinstance(cypher, neo4j.Query):
            work = neo4j.unit_of_work(timeout=cypher.timeout, metadata=cypher.metadata)(_read_all)
        try:
            with self.driver.session(database=self.settings.database, default_access_mode=neo4j.READ_ACCESS,
                                     fetch_size=-1) as s:
                keys, values = s.execute_read(work, text, params or {})
        except Exception as exc:
            raise _explain(exc, self.settings) from None
        return [{k: _plain(v) for k, v in zip(keys, row, strict=True)} for row in values]

    def write(self, cypher: str, params: dict[str, object] | None = None) -> None:
        """Run ``cypher`` in one managed write transaction (retried by the driver on transient errors)."""
        try:
            with self.driver.session(database=self.settings.database) as s:
                s.execute_write(lambda tx: tx.run(cypher, params or {}).consume())
        except Exception as exc:
            raise _explain(exc, self.settings) from None

    def counts(self) -> dict[str, int]:
        n = self.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
        r = self.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        return {"nodes": int(n), "relationships": int(r)}


def _plain(value: object) -> object:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise Neo4jError(f"not a valid label or relationship type: {name!r}")
    return f"`{name}`"


def ensure_schema(conn: Connection, pg: PropertyGraph, *, names: bool = True) -> None:
    """Uniqueness constraints on ``iri`` for every label (MERGE and the relationship MATCHes rely on them), and
    a name index and an article id index (``names=False`` leaves them for after a bulk load: filling an index as
    nodes arrive slows the load). Only what is missing is created: each schema change is a transaction of its
    own, and on a small graph they were most of the load's time."""
    have = {str(r["name"]) for r in conn.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    have |= {str(r["name"]) for r in conn.read("SHOW INDEXES YIELD name RETURN name")}
    wanted: list[tuple[str, str]] = []
    for label in sorted({lab for n in pg.nodes.values() for lab in n.labels}):
        wanted.append((f"{label.lower()}_iri", f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS "
                       f"FOR (n:{_ident(label)}) REQUIRE n.iri IS UNIQUE"))
        if names:
            wanted.append((f"{label.lower()}_name", f"CREATE INDEX {label.lower()}_name IF NOT EXISTS "
                           f"FOR (n:{_ident(label)}) ON (n.name)"))
    if names:  # facts_since seeks facts by date, one type at a time (a seek takes one relationship type)
        for rtype in sorted({r.type for r in pg.rels if "first_reported" in r.props}):
            wanted.append((f"{rtype.lower()}_first_reported", f"CREATE INDEX {rtype.lower()}_first_reported "
                           f"IF NOT EXISTS FOR ()-[r:{_ident(rtype)}]-() ON (r.first_reported)"))
    if names and any("Article" in n.labels for n in pg.nodes.values()):
        # relationships list their sources by article id (``r.articles``): provenance queries look articles up by it
        wanted.append(("article_id", "CREATE INDEX article_id IF NOT EXISTS FOR (n:Article) ON (n.id)"))
    for name, statement in wanted:
        if name not in have:
            conn.write(statement)


def _key(name: str) -> str:
    """A property key quoted for Cypher (any text is a valid key once backquoted)."""
    return "`" + name.replace("`", "``") + "`"


def _node_groups(pg: PropertyGraph) -> dict[tuple[str, tuple[str, ...]], list[list[Any]]]:
    """Nodes as plain value lists, one group per primary label with the union of its nodes' property keys.

    A row is ``[iri, value, ...]`` in the group's key order, None where a node has no such property (CREATE
    stores no null, SET of null removes the property: either way the node has exactly its own properties).
    Lists of plain values pack several times faster than one dict per row, and packing is most of the
    client's time; one group per label (not per key set) keeps the number of distinct queries, each planned
    by the server once, small.
    """
    by_label: dict[str, list[Node]] = defaultdict(list)
    for node in pg.nodes.values():
        by_label[node.labels[0]].append(node)
    groups: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    for label, nodes in by_label.items():
        keys = tuple(dict.fromkeys(k for n in nodes for k in n.props if k != "iri"))
        rows = []
        for node in nodes:
            props = node.props
            row: list[Any] = [node.id]
            row.extend(props.get(k) for k in keys)
            rows.append(row)
        groups[(label, keys)] = rows
    return groups


def _node_cypher(label: str, keys: tuple[str, ...], verb: str) -> str:
    """CREATE writes all properties in the pattern; MERGE matches on ``iri`` and then sets them. Either way the
    result is that of ``MERGE (n {iri}) SET n += props``; each node's element id comes back for the
    relationships, which then find their ends without an index lookup."""
    values = [f"{_key(k)}: row[{i + 1}]" for i, k in enumerate(keys)]
    if verb == "CREATE":
        if "iri" not in keys:
            values.insert(0, "iri: row[0]")
        write = f"CREATE (n:{_ident(label)} {{{', '.join(values)}}})"
    else:
        sets = "".join(f" SET n.{_key(k)} = row[{i + 1}]" for i, k in enumerate(keys))
        write = f"MERGE (n:{_ident(label)} {{iri: row[0]}}){sets}"
    return f"UNWIND $rows AS row {write} RETURN collect([row[0], elementId(n)]) AS ids"


def _rel_groups(pg: PropertyGraph, element_id: dict[str, str]) -> dict[tuple[str, ...], list[list[Any]]]:
    """Relationships as ``[start element id, end element id, value, ...]`` rows, one group per type with the
    union of its relationships' keys (None where one has no such property, as for nodes)."""
    by_type: dict[str, list[Rel]] = defaultdict(list)
    for r in pg.rels:
        by_type[r.type].append(r)
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for rtype, rels in by_type.items():
        keys = tuple(dict.fromkeys(k for r in rels for k in r.props))
        groups[(rtype, *keys)] = [[element_id[r.src], element_id[r.dst], *(r.props.get(k) for k in keys)]
                                  for r in rels]
    return groups


def _rel_cypher(rtype: str, keys: tuple[str, ...], verb: str) -> str:
    """Find both ends by element id (a direct record lookup: about 40% less server time than two ``iri``
    index seeks), then CREATE or MERGE the relationship and set its properties."""
    match = "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
    values = [f"{_key(k)}: row[{i + 2}]" for i, k in enumerate(keys)]
    if verb == "CREATE":
        props = f" {{{', '.join(values)}}}" if values else ""
        return f"{match}CREATE (a)-[r:{_ident(rtype)}{props}]->(b)"
    sets = "".join(f" SET r.{_key(k)} = row[{i + 2}]" for i, k in enumerate(keys))
    return f"{match}MERGE (a)-[r:{_ident(rtype)}]->(b){sets}"


def _batches(rows: list[list[Any]], max_rows: int, max_bytes: int) -> Iterator[list[list[Any]]]:
    """Consecutive slices of ``rows`` of at most ``max_rows`` rows and (but for a lone huge row) about
    ``max_bytes``: a few relationships with thousands of source articles each must not share one transaction
    with ten thousand others. A value is reckoned at ``_VALUE_BYTES``, a list at that per item; only the
    columns that hold a list in some row are measured per row (the rows of a group share their keys), which keeps
    this cheap, and a batch that still does not fit is halved by :func:`_write_rows`."""
    if not rows:
        return
    base = _VALUE_BYTES * (len(rows[0]) + 2)
    lists = [j for j in range(len(rows[0])) if any(isinstance(row[j], list | tuple) for row in rows)]
    if not lists:
        step = max(1, min(max_rows, max_bytes // base))
        for i in range(0, len(rows), step):
            yield rows[i: i + step]
        return
    start, used = 0, 0
    for i, row in enumerate(rows):
        cost = base + _VALUE_BYTES * sum(len(row[j]) for j in lists if isinstance(row[j], list | tuple))
        if i > start and (i - start >= max_rows or used + cost > max_bytes):
            yield rows[start:i]
            start, used = i, 0
        used += cost
    yield rows[start:]


class _TooBig(Exception):
    """The server ran out of transaction memory for one batch: smaller batches will fit."""


def _is_out_of_memory(exc: Exception) -> bool:
    code = getattr(exc, "code", "") or ""
    return "MemoryPoolOutOfMemoryError" in code or "OutOfMemory" in code


def _run_batch(conn: Connection, cypher: str, rows: list[list[Any]], attempts: int = 5
               ) -> tuple[list[Any], neo4j.SummaryCounters]:
    """One write transaction; the first column of each record comes back, with the server's counters (what it
    created and deleted). Transient failures are retried, but
    running out of transaction memory raises :class:`_TooBig` at once: the same batch would fail again (a
    managed transaction would retry it for ``max_transaction_retry_time`` first, commit included)."""
    for attempt in range(attempts):
        try:
            with conn.driver.session(database=conn.settings.database) as s, s.begin_transaction() as tx:
                result = tx.run(cypher, {"rows": rows})
                out = [record[0] for record in result]
                counters = result.consume().counters
                tx.commit()
                return out, counters
        except Exception as exc:
            if _is_out_of_memory(exc):
                raise _TooBig(str(exc)) from None
            retryable = getattr(exc, "is_retryable", None)
            if not (retryable and retryable()) or attempt == attempts - 1:
                raise _explain(exc, conn.settings) from None
            time.sleep(0.2 * 2 ** attempt)
    raise AssertionError("unreachable")


def _write_rows(conn: Connection, cypher: str, rows: list[list[Any]], report: LoadReport,
                on_batch: Callable[[int], None] | None) -> list[Any]:
    """Write one batch in one transaction (it commits whole or is rolled back whole); when the server has not
    the memory for it, write its halves instead, down to single rows."""
    try:
        out, counters = _run_batch(conn, cypher, rows)
    except _TooBig as exc:
        if len(rows) == 1:
            raise Neo4jError(f"one row alone exceeds the server's transaction memory "
                             f"(raise dbms.memory.transaction.total.max): {exc}") from None
        half = len(rows) // 2
        return (_write_rows(conn, cypher, rows[:half], report, on_batch)
                + _write_rows(conn, cypher, rows[half:], report, on_batch))
    except Neo4jError as exc:
        raise Neo4jError(f"batch {report.batches + 1} ({len(rows)} rows) was rolled back: {exc}") from None
    with _REPORT_LOCK:  # writer threads share the report
        report.batches += 1
        report.created_nodes += counters.nodes_created
        report.created_relationships += counters.relationships_created
        report.deleted_nodes += counters.nodes_deleted
        report.deleted_relationships += counters.relationships_deleted
        if on_batch:
            on_batch(len(rows))
    return out


_REPORT_LOCK = threading.Lock()


def _write_all(conn: Connection, jobs: Iterator[tuple[str, list[list[Any]]]], report: LoadReport,
               on_batch: Callable[[int], None] | None, writers: int) -> list[Any]:
    """Write every (cypher, batch) job, ``writers`` transactions at a time; the first columns of all, in order.

    Why two writers on a two-core machine: one batch's rows are packed and sent by the client while the server
    executes the other's, so neither side waits for the other (one writer leaves each idle half the time). The
    batches are disjoint (every node and relationship is in exactly one); two that lock the same dense node
    wait for each other or, rarely, deadlock, which the server reports as transient and :func:`_run_batch`
    retries.
    """
    if writers <= 1:
        return [x for cypher, batch in jobs for x in _write_rows(conn, cypher, batch, report, on_batch)]
    out: list[Any] = []
    with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="kg-neo4j-writer") as pool:
        pending: deque[Future[list[Any]]] = deque()
        for cypher, batch in jobs:
            pending.append(pool.submit(_write_rows, conn, cypher, batch, report, on_batch))
            while len(pending) > writers:  # bounded: at most one batch waits, packed, for a free writer
                out.extend(pending.popleft().result())
        while pending:
            out.extend(pending.popleft().result())
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector: building a million row values would otherwise set off full collections
    that walk the whole property graph again and again (seconds at 10k articles), and rows hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


MAX_BATCH_BYTES = 16_000_000  # about 1% of what a default 1 GB heap lets all transactions hold together
_VALUE_BYTES = 100


def load(pg: PropertyGraph, settings: Settings | None = None, *, batch_size: int = 10000, wipe: bool = False,
         on_batch: Callable[[int], None] | None = None, max_batch_bytes: int = MAX_BATCH_BYTES,
         writers: int = 2) -> LoadReport:
    """Write ``pg`` into Neo4j in batches; returns the counts now in the database.

    Into an empty database every node and relationship is known to be new, so it is written with CREATE (no
    per-row existence check, which for MERGE on a relationship scans the relationships of a dense node such
    as a much-mentioned company); otherwise MERGE keeps a reload idempotent and adds only what is new.
    Batches hold at most ``batch_size`` rows and about ``max_batch_bytes``, and are halved when the server
    still runs out of transaction memory, so a default server takes a graph of any size; ``writers`` sessions
    write disjoint batches at the same time (see :func:`_write_all`).
    """
    t0 = time.perf_counter()
    report = LoadReport()
    with Connection(settings) as conn, _gc_paused():
        if wipe:
            wipe_database(conn)
        fresh = not conn.read("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"]
        ensure_schema(conn, pg, names=False)
        verb = "CREATE" if fresh else "MERGE"
        element_id: dict[str, str] = {}
        node_jobs = ((_node_cypher(label, keys, verb), batch)
                     for (label, keys), rows in sorted(_node_groups(pg).items())
                     for batch in _batches(rows, batch_size, max_batch_bytes))
        for ids in _write_all(conn, node_jobs, report, on_batch, writers):
            element_id.update(ids)
        rel_jobs = ((_rel_cypher(rtype, tuple(rel_keys), verb), batch)
                    for (rtype, *rel_keys), rows in sorted(_rel_groups(pg, element_id).items())
                    for batch in _batches(rows, batch_size, max_batch_bytes))
        _write_all(conn, rel_jobs, report, on_batch, writers)
        if not fresh:
            _delete_stale(conn, pg, element_id, report, batch_size)
        ensure_schema(conn, pg)
        conn.write("CALL db.awaitIndexes(300)")  # queries right after a load find the name indexes online
        report.counts = conn.counts()
    report.nodes = len(pg.nodes)
    report.relationships = len(pg.rels)
    report.seconds = time.perf_counter() - t0
    return report


def _delete_stale(conn: Connection, pg: PropertyGraph, element_id: dict[str, str], report: LoadReport,
                  batch_size: int) -> None:
    """Delete what an earlier load wrote that the graph no longer has: nodes and relationships of removed
    articles, the second edge of a symmetric pair that older versions stored each way. Nodes without an
    ``iri`` are not this project's and are left alone.

    Why a load and not only ``--wipe``: the database should show the workspace as it is. The check is one
    count when nothing is stale (this load has just written every node and relationship of the graph).
    """
    counts = conn.counts()
    if counts["nodes"] == len(pg.nodes) and counts["relationships"] == len(pg.rels):
        return
    keep = set(element_id.values())
    nodes = [[r["id"]] for r in conn.read("MATCH (n) WHERE n.iri IS NOT NULL RETURN elementId(n) AS id")
             if r["id"] not in keep]
    wanted = {(element_id[r.src], r.type, element_id[r.dst]) for r in pg.rels}
    rels = [[r["id"]] for r in conn.read("MATCH (a)-[r]->(b) WHERE a.iri IS NOT NULL AND b.iri IS NOT NULL "
                                         "RETURN elementId(r) AS id, elementId(a) AS a, type(r) AS t, "
                                         "elementId(b) AS b")
            if (r["a"], r["t"], r["b"]) not in wanted]
    for rows, cypher in ((rels, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row[0] DELETE r"),
                         (nodes, "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row[0] DETACH DELETE n")):
        for batch in _batches(rows, batch_size, MAX_BATCH_BYTES):
            _write_rows(conn, cypher, batch, report, None)


def wipe_database(conn: Connection, rows_per_transaction: int = 10000) -> None:
    """Delete every relationship, then every node, committing every ``rows_per_transaction`` rows.

    Relationships go first so that no transaction holds a dense node's whole neighbourhood (a DETACH DELETE of
    a company mentioned by every article would); ``CALL {...} IN TRANSACTIONS`` needs an auto-commit query.
    """
    n = int(rows_per_transaction)
    try:
        with conn.driver.session(database=conn.settings.database) as s:
            for _ in range(3):  # a concurrent writer may have added something meanwhile
                _in_transactions(s, "MATCH ()-[r]->()", "r", "DELETE r", n)
                _in_transactions(s, "MATCH (n)", "n", "DETACH DELETE n", n)
                record = s.run("MATCH (n) RETURN count(n) > 0 AS any").single()
                if record is None or not record["any"]:
                    return
    except Exception as exc:
        raise _explain(exc, conn.settings) from None
    raise Neo4jError("the database is still not empty after wiping it three times: is something writing to it?")


def _in_transactions(session: neo4j.Session, match: str, var: str, body: str, rows: int) -> None:
    """``match CALL (var) { body } IN TRANSACTIONS``; servers before 5.23 know only the older ``CALL { WITH var
    ...}``, which later ones accept with a deprecation warning, so that is the fallback, not the default."""
    try:
        session.run(f"{match} CALL ({var}) {{ {body} }} IN TRANSACTIONS OF {rows} ROWS").consume()
    except Exception as exc:
        if "SyntaxError" not in (getattr(exc, "code", "") or ""):
            raise
        session.run(f"{match} CALL {{ WITH {var} {body} }} IN TRANSACTIONS OF {rows} ROWS").consume()


def run_cypher(cypher: str, params: dict[str, object], settings: Settings | None = None,
               **overrides: str | None) -> list[dict[str, Any]]:
    """A stored query on Neo4j: parameters go to the driver, never into the query text."""
    settings = settings or Settings.from_env(**overrides)
    with Connection(settings) as conn:
        return conn.read(cypher, params)
