"""Consistent read-only views of a workspace that another process may be writing: what ``kg serve`` reads.

Why not open the workspace itself read-only: Oxigraph says that opening a store read-only while another
process writes it is undefined behaviour (RocksDB's read-only mode reads the files as they were at open, and a
writer's compaction deletes them), and a view opened between an article's old version going and its new one
arriving would show neither. So the server reads a *snapshot*: a private folder with a hard link to each of
the store's immutable table files and a copy of its small mutable ones (manifest, write-ahead log, options),
taken while holding the workspace's batch lock shared (``kg.store.BATCH_LOCK``, which a writer holds
exclusively for each batch), then opened read-only. Nobody writes a snapshot, so it stays valid however the
workspace changes, and what it shows is the workspace before or after a batch. Taking one costs milliseconds
(links, not copies), on the same file system as the workspace.

A background thread looks for changes (file names, sizes and times of the store's folder) every
``interval`` seconds and swaps a new snapshot in; requests lease the current one, and an old snapshot is closed
and deleted once its last lease ends. A snapshot that cannot be taken or opened (a writer's background flush
renamed a file in between) is simply tried again on the next poll; the old one keeps answering meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.store import Workspace, WorkspaceError, batch_lock, workspace_path

log = logging.getLogger("kg.serve")

SNAPSHOTS_DIR = ".serve"  # inside the workspace: hard links need the same file system
_SKIP = ("LOCK", "LOG")  # RocksDB's lock and its info logs are no part of the data
_LINKED = (".sst", ".blob")  # immutable once written: linked, never copied


class Snapshot:
    """One opened snapshot: a read-only ``Workspace`` over a private folder, closed when no lease holds it."""

    def __init__(self, path: Path, generation: int, signature: tuple[object, ...]) -> None:
        self.path = path
        self.generation = generation
        self.signature = signature
        self.workspace = Workspace(ox.Store.read_only(str(path)), path, read_only=True)
        self.leases = 0
        self.retired = False
        self.taken = time.time()
        self.cache: dict[object, object] = {}  # per-snapshot memo (the name index, the projection...)
        self.memo_lock = threading.Lock()  # guards ``cache`` and ``building``
        self.building: dict[object, threading.Lock] = {}  # a lock per memo entry being made (one maker at once)
        self._lock = threading.Lock()

    @property
    def store(self) -> ox.Store:
        return self.workspace.store

    def acquire(self) -> None:
        with self._lock:
            self.leases += 1

    def try_acquire(self) -> bool:
        """A lease unless the snapshot was retired (a newer one answers): for work done for it in the background."""
        with self._lock:
            if self.retired:
                return False
            self.leases += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.leases -= 1
            done = self.retired and self.leases == 0
        if done:
            self._drop()

    def retire(self) -> None:
        with self._lock:
            self.retired = True
            done = self.leases == 0
        if done:
            self._drop()

    def _drop(self) -> None:
        self.cache.clear()
        with contextlib.suppress(Exception):
            del self.workspace.store
        shutil.rmtree(self.path, ignore_errors=True)


def _signature(db: Path) -> tuple[object, ...]:
    """What changes when the store's content can have changed: each file's name, size and modification time."""
    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(db)
                         if not e.name.startswith(_SKIP))
    except FileNotFoundError:
        return ()
    return tuple(entries)


def _copy_store(db: Path, target: Path) -> None:
    """``target``: links to ``db``'s table files, copies of the rest (see the module docstring)."""
    target.mkdir(parents=True)
    for e in os.scandir(db):
        if e.name.startswith(_SKIP) or not e.is_file():
            continue
        dest = target / e.name
        if e.name.endswith(_LINKED):
            try:
                os.link(e.path, dest)
            except OSError as exc:
                if exc.errno != 18:  # EXDEV: another file system; copy instead
                    raise
                shutil.copy2(e.path, dest)
        else:
            shutil.copyfile(e.path, dest)


class Snapshots:
    """The workspace ``root`` served read-only, through snapshots refreshed by a background thread."""

    def __init__(self, root: str | os.PathLike[str] | None = None, interval: float = 0.5) -> None:
        self.root = workspace_path(root)
        self.db = self.root / "oxigraph"
        if not self.db.is_dir():
            raise WorkspaceError(f"no workspace here (`kg ingest PATH -w {self.root}` creates one; -w DIR or "
                                 "KG_WORKSPACE names another)", str(self.root))
        self.interval = interval
        self.dir = self.root / SNAPSHOTS_DIR / f"{os.getpid()}-{id(self):x}"
        self._current: Snapshot | None = None
        self._generation = 0
        self._swap = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0  # snapshots that could not be taken (tried again on the next poll)
        self.listeners: list[Callable[[Snapshot], None]] = []  # told of each new snapshot once it answers
        _remove_abandoned(self.root / SNAPSHOTS_DIR)
        deadline = time.monotonic() + 30
        while not self.refresh():
            if time.monotonic() > deadline:
                raise WorkspaceError("cannot take a consistent snapshot of the workspace (a writer held every "
                                     "batch for 30 s)", str(self.root))
            time.sleep(0.05)

    # --- taking snapshots ---------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Take a new snapshot if the store changed since the current one; False if one could not be taken now."""
        signature = _signature(self.db)
        current = self._current
        if current is not None and not force and signature == current.signature:
            return True
        with batch_lock(self.root, shared=True, blocking=False) as held:
            if not held:  # a writer is inside a batch: keep the current view, try again on the next poll
                return False
            signature = _signature(self.db)
            self._generation += 1
            path = self.dir / f"g{self._generation}"
            try:
                _copy_store(self.db, path)
            except OSError as exc:  # a file went between listing and linking (a writer's flush or compaction)
                self.failures += 1
                log.debug("snapshot not taken: %s", exc)
                shutil.rmtree(path, ignore_errors=True)
                return False
        try:
            snap = Snapshot(path, self._generation, signature)
            snap.store.query("ASK { ?s ?p ?o }")
        except (OSError, RuntimeError, ValueError) as exc:  # RocksDB reports a missing file as corruption
            self.failures += 1
            log.debug("snapshot not opened: %s", exc)
            shutil.rmtree(path, ignore_errors=True)
            return False
        with self._swap:
            old, self._current = self._current, snap
        if old is not None:
            old.retire()
        for listener in self.listeners:
            listener(snap)
        return True

    def start(self) -> Snapshots:
        """Poll for changes in a background thread (until ``close``)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._poll, name="kg-snapshots", daemon=True)
            self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception as exc:  # never let the poller die: the current snapshot keeps answering
                self.failures += 1
                log.warning("snapshot refresh failed: %s", exc)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._swap:
            old, self._current = self._current, None
        if old is not None:
            old.retire()
        shutil.rmtree(self.dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.dir.parent.rmdir()  # only when no other server's snapshots are there

    # --- reading ------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lease(self) -> Iterator[Snapshot]:
        """The current snapshot, kept open (and on disk) until the block ends."""
        with self._swap:
            snap = self._current
            if snap is None:
                raise WorkspaceError("the server is shutting down", str(self.root))
            snap.acquire()
        try:
            yield snap
        finally:
            snap.release()

    @property
    def current(self) -> Snapshot | None:
        return self._current


def _remove_abandoned(folder: Path) -> None:
    """Delete snapshot folders of servers that are no longer running (killed without cleaning up)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
