"""The workspace: a persistent embedded RDF store (Oxigraph) that is the single source of truth.

Each article lives in its own named graph (see ``ingest.rdf``). Articles are written in batches, each one
atomic load, so a crash leaves whole articles only; writing an unchanged article again is a no-op.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import itertools
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ingest.model import InputError, env_number
from ingest.rdf import CONTENT_URL, INGESTED, described_by, prune_descriptions
from kg import summary
from ontology import NS

Row = dict[str, Any]
"""A result row: column -> plain value (str, int, float, bool or None, see ``from_term``). Any, because the
columns of a query are known to its text, not to the type checker; code reading a row knows what it asked for."""

DEFAULT_WORKSPACE = ".kg"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {
    "ci": NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": XSD,
}


@dataclass(frozen=True)
class StoredArticle:
    """What the store keeps about an article's version: ``Workspace.stored_articles``."""

    version: str  # ci:contentHash
    file: str | None  # file: IRI it was read from ("#N" for an item of a multi-article file)
    ingested: str | None  # xsd:dateTime of its first ingest


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


class WorkspaceError(InputError):
    """The workspace cannot be opened or written (locked by another process, corrupt, not a workspace)."""


LOCK_WAIT_ENV = "KG_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 5.0
# Held exclusively (flock) by a writer for each batch it writes, shared by a reader copying a consistent view
# (``kg serve``'s snapshots, ``kg.web.snapshot``): a reader sees the workspace before or after a batch, never the
# moment between an article's old version going and its new one arriving. The kernel drops it with its process.
BATCH_LOCK = "batch.lock"


@contextlib.contextmanager
def batch_lock(root: Path, shared: bool = False, blocking: bool = True) -> Iterator[bool]:
    """Hold ``root/BATCH_LOCK`` (exclusive for a writer's batch, ``shared`` for a reader's copy) while inside;
    yields False, holding nothing, when not ``blocking`` and another process holds it the other way."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / BATCH_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        flags = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def lock_wait_seconds() -> float:
    """How long opening a workspace waits for another process's write lock: $KG_LOCK_WAIT, else 5 s."""
    try:
        return env_number(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT, lambda n: n >= 0, "a number of seconds (0 or more)")
    except InputError as exc:
        raise WorkspaceError(str(exc)) from None


def workspace_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path``, else ``$KG_WORKSPACE``, else ``./.kg``."""
    return Path(path or os.environ.get("KG_WORKSPACE") or DEFAULT_WORKSPACE)


class Workspace:
    """An Oxigraph store under ``DIR/oxigraph``; open it with ``Workspace.open`` or as a context manager."""

    def __init__(self, store: ox.Store, path: Path | None, read_only: bool = False) -> None:
        self.store = store
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, read_only: bool = False,
             must_exist: bool = False) -> Workspace:
        """Open the workspace at ``path``; a missing one reads as empty, or with ``must_exist`` is an error
        (a command that reads a workspace says there is none rather than answering from nothing)."""
        root = workspace_path(path)
        db = root / "oxigraph"
        if must_exist and not db.exists():
            raise WorkspaceError(f"no workspace here (`kg ingest PATH -w {root}` creates one; -w DIR or KG_WORKSPACE "
                                 "names another)", str(root))
        if read_only and not db.exists():
            return cls(ox.Store(), root)  # an empty workspace reads as an empty graph
        wait = lock_wait_seconds()
        deadline = time.monotonic() + wait
        while True:
            try:
                root.mkdir(parents=True, exist_ok=True)
                store = ox.Store.read_only(str(db)) if read_only else ox.Store(str(db))
                break
            except (OSError, RuntimeError) as exc:  # RocksDB reports a vanished file as "Corruption" (RuntimeError)
                reason = str(exc).splitlines()[0]
                # a read-only view opened while a writer's load or compaction swaps files: open it again
                swapped = read_only and (isinstance(exc, FileNotFoundError) or "no such file" in reason.lower())
                if swapped and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if "lock" not in reason.lower():
                    raise WorkspaceError(f"cannot open workspace: {reason}", str(root)) from None
                if time.monotonic() >= deadline:  # one writer at a time: RocksDB holds a file lock
                    raise WorkspaceError(
                        f"workspace is in use by another kg process (still locked after waiting {wait:g} s); "
                        f"run this again when it has finished, or raise {LOCK_WAIT_ENV}", str(root)) from None
                time.sleep(0.2)
        if not read_only:
            _remove_unfinished_loads(db)
            if summary.needs_rebuild(store):  # made before the summary, or a write was interrupted
                with batch_lock(root):
                    summary.rebuild(store)
        return cls(store, root, read_only)

    @classmethod
    def in_memory(cls) -> Workspace:
        return cls(ox.Store(), None)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self.store.flush()
        del self.store

    # --- writing -------------------------------------------------------------------------------------

    def content_hashes(self) -> dict[str, str]:
        """Article graph -> hash of the version stored, to skip unchanged articles before extracting them."""
        rows = self.query("SELECT ?g ?h WHERE { GRAPH ?g { ?g ci:contentHash ?h } }")
        return {str(r["g"]): str(r["h"]) for r in rows}

    def stored_articles(self) -> dict[str, StoredArticle]:
        """Article graph -> its version hash, the file it was read from and when it was first ingested."""
        rows = self.query(f"""SELECT ?g ?h ?file ?ingested WHERE {{ GRAPH ?g {{ ?g ci:contentHash ?h
            OPTIONAL {{ ?g <{CONTENT_URL}> ?file }} OPTIONAL {{ ?g <{INGESTED}> ?ingested }} }} }}""")
        return {str(r["g"]): StoredArticle(str(r["h"]), _opt(r["file"]), _opt(r["ingested"])) for r in rows}

    def put_article(self, graph: str, quads: list[ox.Quad]) -> None:
        """Replace the article's graph with ``quads``."""
        self.put_articles({graph: quads})

    def put_articles(self, articles: Mapping[str, list[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Replace each article's graph with its quads; all the new quads go in as one atomic write.

        Why a bulk load: it writes sorted files straight into RocksDB, several times cheaper than a
        transaction and without growing the memtables (a workspace's memory stayed in proportion to what
        one run wrote). Oxigraph ingests the files of one load together, so a crash leaves all of these
        articles or none of them. An older version is removed first: a crash in between loses that article
        until it is ingested again, never leaves a mix of two versions. The graphs in ``remove`` (articles a
        re-read file no longer holds) are removed with the older versions.
        """
        with self._writing():
            summary.mark_updating(self.store)
            stale: set[ox.NamedNode] = set()
            old = summary.graph_statements(self.store, (ox.NamedNode(g) for g in itertools.chain(articles, remove)))
            for graph in itertools.chain(articles, remove):
                g = ox.NamedNode(graph)
                if self.store.contains_named_graph(g):
                    stale |= described_by(self.store, graph)
                    self.store.remove_graph(g)
            if articles:
                self.store.bulk_extend(itertools.chain.from_iterable(articles.values()))
            if stale:  # shared entity descriptions the new versions no longer refer to
                prune_descriptions(self.store, stale)
            summary.update(self.store, summary.statements(itertools.chain.from_iterable(articles.values())), old)
            summary.mark_done(self.store)

    def optimize(self) -> None:
        """Compact the store: merge the sorted files that batch writes leave side by side.

        Every batch write adds its own files, and a read looks into each of them: at 10k articles,
        50 batches made every stored query 2-3x slower than after this (about 2 s of work at 10k).
        """
        self.store.optimize()

    def remove_article(self, graph: str) -> bool:
        return bool(self.remove_articles([graph]))

    def remove_articles(self, graphs: Iterable[str]) -> int:
        """Remove these article graphs and the shared descriptions only they referred to; how many were there."""
        graphs = list(graphs)
        with self._writing():
            summary.mark_updating(self.store)
            old = summary.graph_statements(self.store, (ox.NamedNode(g) for g in graphs))
            stale: set[ox.NamedNode] = set()
            removed = 0
            for graph in graphs:
                g = ox.NamedNode(graph)
                if self.store.contains_named_graph(g):
                    stale |= described_by(self.store, graph)
                    self.store.remove_graph(g)
                    removed += 1
            if stale:
                prune_descriptions(self.store, stale)
            summary.update(self.store, {}, old)
            summary.mark_done(self.store)
        return removed

    def _writing(self) -> contextlib.AbstractContextManager[bool]:
        """The batch lock for one write (none for an in-memory store): see ``BATCH_LOCK``."""
        return batch_lock(self.path) if self.path is not None else contextlib.nullcontext(True)

    # --- reading -------------------------------------------------------------------------------------

    def query(self, sparql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        """Run a SELECT over the union of all article graphs; values bound as RDF terms, never as text.

        Parameters become a ``VALUES`` row at the head of the query's outer WHERE: Oxigraph joins it
        first, so a query about one company reads that company's facts only (its ``substitutions`` are
        applied after the whole pattern is evaluated: 10x slower at 10k articles). Each value is an RDF
        term serialised by Oxigraph (N-Triples escaping), so no value can change the query's text. Queries
        list their parameters in SELECT, as the columns are returned (callers drop the ones they do not want).
        """
        terms = {k: _bound_term(k, v) for k, v in (params or {}).items()}
        # the substitutions too: a parameter inside a nested group (a FILTER in a UNION branch) is bound there only
        # by them, while the VALUES row lets Oxigraph start from the parameters
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): t for k, t in terms.items()}
        result = self.store.query(_bind_values(sparql, terms), use_default_graph_as_union=True, prefixes=PREFIXES,
                                  substitutions=subs or None)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            convert = _TermConverter()
            return [{n: convert(sol[n]) for n in names} for sol in result]
        if isinstance(result, ox.QueryBoolean):
            return [{"result": bool(result)}]
        raise ValueError("only SELECT and ASK queries return rows")

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    def triple_count(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def article_graphs(self) -> list[str]:
        return [g.value for g in summary.article_graph_nodes(self.store)]

    def dump(self, fmt: ox.RdfFormat, output: IO[bytes]) -> None:
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self.store.dump(output, format=fmt)
        else:  # triple formats: the union graph (provenance stays in the quad formats)
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store}
            ox.serialize(sorted(triples, key=str), output, format=fmt, prefixes=PREFIXES)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _bind_values(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with ``VALUES (?a ?b) { (term term) }`` opening its first WHERE group (see ``query``)."""
    match = _WHERE.search(sparql) if terms else None
    if match is None:
        return sparql  # nothing to bind, or no WHERE keyword: the substitutions alone bind the values
    names = " ".join(f"?{k}" for k in terms)
    values = " ".join(str(t) for t in terms.values())
    return f"{sparql[:match.end()]} VALUES ({names}) {{ ({values}) }} {sparql[match.end():]}"


def _remove_unfinished_loads(db: Path) -> None:
    """Delete files a killed bulk load left behind (never ingested, so no part of the store).

    Only called while this process holds the store's write lock: no other load can be under way.
    """
    for f in db.glob("bulk-*.sst"):
        f.unlink(missing_ok=True)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _bound_term(name: str, value: object) -> ox.NamedNode | ox.Literal:
    """``to_term(value)``; a string holding an undecodable byte (a lone surrogate) is an error naming ``name``."""
    if isinstance(value, str) and _SURROGATE.search(value):
        raise InputError(f"{name} {value!r} is not valid UTF-8 text")
    return to_term(value)


def to_term(value: object) -> ox.NamedNode | ox.Literal:
    """A Python value as an RDF term for SPARQL substitution (strings starting with http become IRIs)."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


_INTEGERS = frozenset(ox.NamedNode(XSD + t) for t in ("integer", "long", "int"))
_DECIMAL = ox.NamedNode(XSD + "decimal")
_FLOATS = frozenset((ox.NamedNode(XSD + "double"), ox.NamedNode(XSD + "float")))
_BOOLEAN = ox.NamedNode(XSD + "boolean")


def from_term(term: object) -> object:
    """An RDF term as a plain Python value (numbers as int/float, dates as ISO strings)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dtype = term.datatype
        v = term.value
        if dtype in _INTEGERS:
            return int(v)
        if dtype == _DECIMAL or dtype in _FLOATS:
            f = float(Decimal(v))
            return int(f) if f.is_integer() and dtype == _DECIMAL and "." not in v else f
        if dtype == _BOOLEAN:
            return v == "true"
        return v
    return str(term)


class _TermConverter:
    """``from_term`` with a memo: result rows repeat the same labels and IRIs many times over."""

    def __init__(self) -> None:
        self.memo: dict[object, object] = {}

    def __call__(self, term: object) -> object:
        if term is None:
            return None
        try:
            return self.memo[term]
        except KeyError:
            value = self.memo[term] = from_term(term)
            return value
