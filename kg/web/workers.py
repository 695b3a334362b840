"""Worker processes for ad-hoc SPARQL: a query past its time limit is stopped by ending its process.

Oxigraph has no way to interrupt a query from Python, and a thread cannot be stopped, so a query that would run
for an hour (a cartesian product, a regex over every literal) would keep a core busy after its client gave up.
Each worker is a process of its own with the current snapshot open read-only (``kg.web.snapshot``): it runs one
query at a time and sends the serialised answer back. When the answer is not there within the time limit,
the worker is killed, a new one started, and the client told so (503). A request waits for a free worker for
at most the same limit (503 too: the server is busy).

Workers are new interpreters (``python -m kg.web.workers FD``) talking over a socket pair: nothing of the
server's state (threads, open stores, sockets) is copied into them, and unlike multiprocessing's ``spawn`` they
never import the server's main module again.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.web.sparql import Answer, error


@dataclass(frozen=True)
class Limits:
    """What one ``/sparql`` query may take."""

    timeout: float = 10.0  # seconds of evaluation and serialisation
    max_rows: int = 10_000  # solutions or triples in one answer (cut there, said in X-KG-Truncated)
    max_query: int = 100_000  # characters of query text (413 past it)


def _worker(conn: Connection, parent: int) -> None:  # pragma: no cover - runs in a child process
    """Answer tasks from ``conn`` until it closes: (snapshot path, query, options) -> ``Answer``."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal: the server ends us
    import pyoxigraph as ox

    from kg.web.sparql import execute

    stores: dict[str, ox.Store] = {}
    graphs: dict[str, object] = {}  # the NetworkX projection of a snapshot, for Cypher
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        path = task["path"]
        try:
            store = stores.get(path)
            if store is None:
                stores.clear()  # the snapshot before: its folder may already be gone
                graphs.clear()
                store = stores[path] = ox.Store.read_only(path)
            if task.get("language") == "cypher":
                answer = _cypher(store, graphs, path, task["query"], task["max_rows"])
            else:
                answer = execute(store, task["query"], accept=task["accept"], default_graphs=task["default_graphs"],
                             named_graphs=task["named_graphs"], max_rows=task["max_rows"],
                             prefixes=task["prefixes"])
        except Exception as exc:  # an open that failed, a bug: the client gets one line, the worker goes on
            stores.clear()
            answer = error(500, f"the query could not be run: {type(exc).__name__}: {str(exc).splitlines()[:1]}")
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


def _cypher(store: object, graphs: dict[str, object], path: str, text: str,
            max_rows: int) -> Answer:  # pragma: no cover - runs in a worker
    """Cypher on the snapshot's NetworkX projection (grand-cypher), answered as SPARQL JSON results."""
    import json

    from kg.api import run_cypher_networkx
    from kg.project import cypher_view, project, to_networkx
    from kg.store import Workspace
    from kg.web.sparql import SPARQL_JSON

    graph = graphs.get(path)
    if graph is None:
        graph = graphs[path] = cypher_view(to_networkx(project(Workspace(store, None, read_only=True))))  # type: ignore[arg-type]
    try:
        rows = run_cypher_networkx(graph, text)  # type: ignore[arg-type]
    except Exception as exc:
        return error(400, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    columns = list(rows[0]) if rows else []
    headers = {"X-KG-Row-Limit": str(max_rows)}
    if len(rows) > max_rows:
        rows = rows[:max_rows]
        headers["X-KG-Truncated"] = "true"
    bindings = [{c: {"type": "literal", "value": v if isinstance(v, str) else json.dumps(v, default=str)}
                 for c, v in r.items() if v is not None} for r in rows]
    body = json.dumps({"head": {"vars": columns}, "results": {"bindings": bindings}}, ensure_ascii=False)
    return Answer(200, SPARQL_JSON, body.encode("utf-8"), headers)


def _die_with(parent: int) -> None:  # pragma: no cover - runs in a child process
    """End this worker when the server ends, however it ends (Linux: a signal on the parent's death)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError, ValueError):
        pass
    if os.getppid() != parent:
        os._exit(1)


class _Worker:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        cmd = [sys.executable, "-m", "kg.web.workers", str(theirs.fileno()), str(os.getpid())]
        self.process = subprocess.Popen(cmd, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self.conn = Connection(ours.detach())

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


class QueryPool:
    """``size`` worker processes answering ad-hoc queries under ``limits``."""

    def __init__(self, size: int = 2, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.timeouts = 0  # queries stopped at the time limit
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        w = _Worker()
        with self._lock:
            self._all.add(w)
        self._idle.put(w)

    def run(self, path: str, query: str, *, accept: str | None, default_graphs: list[str], named_graphs: list[str],
            prefixes: dict[str, str], language: str = "sparql") -> Answer:
        """The answer to ``query`` on the snapshot at ``path`` (blocking: call it from a thread)."""
        limit = self.limits.timeout
        started = time.monotonic()
        try:
            w = self._idle.get(timeout=limit)
        except queue.Empty:
            return error(503, f"the server is busy: no query worker was free within {limit:g} s; try again")
        task = {"path": path, "query": query, "accept": accept, "default_graphs": default_graphs,
                "named_graphs": named_graphs, "max_rows": self.limits.max_rows, "prefixes": prefixes,
                "language": language}
        try:
            w.conn.send(task)
            left = max(0.01, limit - (time.monotonic() - started) / 2)  # waiting for a worker counts half
            if w.conn.poll(left):
                answer: Answer = w.conn.recv()
                self._idle.put(w)
                return answer
        except (EOFError, OSError, BrokenPipeError):  # the worker died (out of memory?): replace it
            self._replace(w)
            return error(500, "the query worker stopped while running this query")
        self.timeouts += 1
        self._replace(w)
        return error(503, f"the query was stopped at its time limit of {limit:g} s (kg serve --timeout)")

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()
        self._add()

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            w.stop()


if __name__ == "__main__":  # pragma: no cover - a worker process
    _worker(Connection(int(sys.argv[1])), int(sys.argv[2]))
