"""Neo4j: load the property graph over Bolt and run stored Cypher with bound parameters.

The same :class:`~kg.project.PropertyGraph` that feeds NetworkX is written here, so both sinks hold the
same nodes, labels, relationship types and properties. Loading is batched ``UNWIND $rows ... MERGE`` in
managed write transactions (the driver retries transient failures), after the uniqueness constraints it
relies on exist. MERGE makes a reload idempotent and a load after new articles add only what is new.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ingest.model import InputError
from kg.project import PropertyGraph

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
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


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

    def read(self, cypher: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
        try:
            records, _, keys = self.driver.execute_query(cypher, params or {}, database_=self.settings.database,
                                                         routing_="r")
        except Exception as exc:
            raise _explain(exc, self.settings) from None
        return [{k: _plain(r[k]) for k in keys} for r in records]

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
    a name index (``names=False`` leaves it for after a bulk load: filling it as nodes arrive slows the load)."""
    for label in sorted({lab for n in pg.nodes.values() for lab in n.labels}):
        conn.write(f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{_ident(label)}) "
                   "REQUIRE n.iri IS UNIQUE")
        if names:
            conn.write(f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{_ident(label)}) ON (n.name)")


def _chunks(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i: i + size]


def load(pg: PropertyGraph, settings: Settings | None = None, *, batch_size: int = 10000, wipe: bool = False,
         on_batch: Callable[[int], None] | None = None) -> LoadReport:
    """Write ``pg`` into Neo4j in batches; returns the counts now in the database.

    Into an empty database every node and relationship is known to be new, so it is written with CREATE (no
    per-row existence check, which for MERGE on a relationship scans the relationships of a dense node such
    as a much-mentioned company); otherwise MERGE keeps a reload idempotent and adds only what is new.
    """
    t0 = time.perf_counter()
    report = LoadReport()
    with Connection(settings) as conn:
        if wipe:
            wipe_database(conn)
        fresh = not conn.read("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"]
        ensure_schema(conn, pg, names=False)
        verb = "CREATE" if fresh else "MERGE"
        by_label: dict[str, list[dict]] = defaultdict(list)
        label_of: dict[str, str] = {}
        for node in pg.nodes.values():
            primary = node.labels[0]
            label_of[node.id] = primary
            by_label[primary].append({"iri": node.id, "props": node.props})
        for label, rows in sorted(by_label.items()):
            cypher = f"UNWIND $rows AS row {verb} (n:{_ident(label)} {{iri: row.iri}}) SET n += row.props"
            for chunk in _chunks(rows, batch_size):
                _write_batch(conn, cypher, chunk, report, on_batch)
        by_type: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for r in pg.rels:
            by_type[(r.type, label_of[r.src], label_of[r.dst])].append({"src": r.src, "dst": r.dst, "props": r.props})
        for (rtype, sl, dl), rows in sorted(by_type.items()):
            cypher = (f"UNWIND $rows AS row MATCH (a:{_ident(sl)} {{iri: row.src}}) "
                      f"MATCH (b:{_ident(dl)} {{iri: row.dst}}) {verb} (a)-[r:{_ident(rtype)}]->(b) SET r += row.props")
            for chunk in _chunks(rows, batch_size):
                _write_batch(conn, cypher, chunk, report, on_batch)
        ensure_schema(conn, pg)
        conn.write("CALL db.awaitIndexes(300)")  # queries right after a load find the name indexes online
        report.counts = conn.counts()
    report.nodes = len(pg.nodes)
    report.relationships = len(pg.rels)
    report.seconds = time.perf_counter() - t0
    return report


def _write_batch(conn: Connection, cypher: str, rows: list[dict], report: LoadReport,
                 on_batch: Callable[[int], None] | None) -> None:
    """One batch, one transaction: it commits whole or is rolled back whole (and the error says which)."""
    try:
        conn.write(cypher, {"rows": rows})
    except Neo4jError as exc:
        raise Neo4jError(f"batch {report.batches + 1} ({len(rows)} rows) was rolled back: {exc}") from None
    report.batches += 1
    if on_batch:
        on_batch(len(rows))


def wipe_database(conn: Connection) -> None:
    """Delete every node and relationship, in batches so large graphs do not exhaust the heap."""
    while conn.read("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"]:
        conn.write("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n")


def run_cypher(cypher: str, params: dict[str, object], settings: Settings | None = None,
               **overrides: object) -> list[dict[str, object]]:
    """A stored query on Neo4j: parameters go to the driver, never into the query text."""
    settings = settings or Settings.from_env(**overrides)
    with Connection(settings) as conn:
        return conn.read(cypher, params)
