"""Ingestion: files -> articles -> extractions -> quads -> workspace, in batches, optionally in worker processes.

The machinery behind :func:`kg.ingest`, :func:`kg.extract` and :func:`kg.store_extractions`: reading and
extraction (here or in ``jobs`` worker processes, a bounded number of tasks in flight), one writer, batches of
about ``BATCH_QUADS`` quads each written atomically, a re-read file replacing what it held before.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.extract import extract
from ingest.kb import KnowledgeBase, default_kb, kb_for, workspace_lexicons
from ingest.model import Article, Extraction, InputError, exception_reason
from ingest.rdf import article_iri, content_hash, storage_quads, to_quads
from ingest.read import ALREADY_VISITED, iter_files, read_file
from kg import stories
from kg.entities import curation_of, load_resolver
from kg.merges import resolve_article
from kg.resolve import Resolver
from kg.store import Workspace
from ontology import NS

if TYPE_CHECKING:
    import pyoxigraph as ox


@dataclass
class IngestSummary:
    """What one ``ingest`` run did."""

    files: int = 0
    articles: int = 0  # articles written (new or changed)
    unchanged: int = 0  # articles already in the workspace as they are
    updated: int = 0  # of the articles written, those that replace an earlier version
    removed: int = 0  # articles a re-read file no longer holds, taken out
    duplicates: int = 0  # of the articles written, those that joined a stored article's story (near duplicates)
    facts: int = 0
    metrics: int = 0
    entities: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): not an article format
    errors: list[str] = field(default_factory=list)  # one line each: bad input that was not ingested
    warnings: list[str] = field(default_factory=list)  # ingested, with a caveat

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {"files": self.files, "articles": self.articles, "unchanged": self.unchanged,
                "updated": self.updated, "removed": self.removed, "facts": self.facts,
                "metrics": self.metrics, "entities": len(self.entities), "skipped": len(self.skipped),
                "errors": len(self.errors), "warnings": len(self.warnings), "duplicates": self.duplicates}


# Quads per workspace write: one write has a fixed cost (files synced, then ingested), so larger batches are
# cheaper per article, while memory holds one batch: ~30k quads is ~200 articles, a few tens of MB.
BATCH_QUADS = 30_000
# Bytes of input files per task sent to a worker, and tasks in flight per worker: enough to keep workers busy,
# few enough that results waiting for the writer stay a bounded amount of memory however large the corpus.
TASK_BYTES = 512 * 1024
TASKS_IN_FLIGHT = 2
# A run that wrote at least this share of the workspace's articles compacts the store afterwards (see
# ``Workspace.optimize``): the cost is in proportion to the store, so it is paid once per 10% of growth.
COMPACT_SHARE = 0.1


def ingest(ws: Workspace, paths: Iterable[str | os.PathLike[str]], *, kb: KnowledgeBase | None = None,
           jobs: int = 1, now: dt.datetime | None = None,
           progress: Callable[[int, int], None] | None = None,
           duplicate_threshold: float | None = None) -> IngestSummary:
    """Read, extract and store every article under ``paths``; bad files are reported, the rest kept.

    With ``jobs`` > 1, files are read and extracted in that many worker processes while this process alone
    writes to the workspace. Articles are written in batches of about ``BATCH_QUADS`` quads, each batch one
    atomic write (a crash keeps whole articles only).

    A file read again replaces what it held before: an article of the same id is replaced, and an article
    this file gave earlier but gives no more (its title was changed, a line was deleted) is removed, once
    the whole file was read without an error. ``now`` (default: the current time) is the ingest time kept
    on new articles: undated articles are dated by it. ``progress(done, total)`` is called once the files
    are listed and after each file.

    Each article written joins the story of the most similar stored one (``kg.stories``: near duplicates at or
    above ``duplicate_threshold``, default ``$KG_DUPLICATE_THRESHOLD`` or 0.27) or starts its own, here in the
    writing process and in input order, so the stories do not depend on ``jobs``.
    """
    threshold = stories.threshold(duplicate_threshold)  # a bad setting is an error before anything is read
    lexicons = workspace_lexicons(ws.path) if ws.path is not None else []
    kb = kb or kb_for(lexicons)
    summary = IngestSummary()
    files = list_files(paths, summary)
    if progress:
        progress(0, len(files))
    ingested = _timestamp(now)
    stored = ws.stored_articles()
    known = {g: a.version for g, a in stored.items()}
    by_version = {v: g for g, v in known.items()}  # the same text under another file name is stored once
    by_file: dict[str, set[str]] = {}
    for g, a in stored.items():
        if a.file:
            by_file.setdefault(a.file.split("#", 1)[0], set()).add(g)
    batch = _Batch(ws)
    curation_of(ws)  # a malformed curation file is an error before anything is read
    resolver: Resolver | None = None  # read when the first article is written
    index: stories.StoryIndex | None = None  # read when the first article is written (a re-run may write none)
    written_by: dict[str, str] = {}  # graph -> the file that wrote it in this run
    produced_all: set[str] = set()
    rewritten: set[str] = set()  # single-article files written in this run
    stale_all: set[str] = set()
    for result in _process_files(files, known, kb, jobs, lexicons):
        summary.files += 1
        file_iri = file_uri(result.path)
        before = by_file.get(file_iri, set())
        produced: set[str] = set()
        for graph, version, extraction in result.items:
            produced.add(graph)
            if extraction is None or known.get(graph) == version:
                summary.unchanged += 1
                continue
            article = extraction.article
            where = article.path or str(result.path)
            twin = by_version.get(version)
            if twin is not None and twin != graph and graph not in known:
                summary.unchanged += 1
                from kg.articles import file_path

                other = written_by.get(twin) or file_path(stored[twin].file if twin in stored else None) or twin
                summary.warnings.append(f"{where}: the same text as {other}: stored once")
                produced.add(twin)
                continue
            try:
                resolver = resolver or load_resolver(ws, kb)  # one node per new entity (kg.resolve)
                quads = resolve_article(resolver, extraction, graph, to_quads(extraction, kb))[0]
            except Exception as exc:  # a bug met on hostile input costs this article, not the batch
                summary.errors.append(f"{where}: cannot store the article: {exception_reason(exc)}")
                continue
            fragment = where[len(str(result.path)):] if where.startswith(str(result.path)) else ""
            # the first ingest time survives new versions: of this id, or of this single-article file
            earlier = [when for g in ({graph} | (before if not fragment else set()))
                       if g in stored and (when := stored[g].ingested)]
            quads += storage_quads(graph, file_iri + fragment, min(earlier, default=ingested))
            if index is None:
                index = stories.load_index(ws.store, threshold)
            sig = stories.signature(article.text)
            story = index.assign(graph, version, sig)
            summary.duplicates += story.duplicate_of is not None
            quads += stories.quads(graph, story, sig)
            if graph in written_by and written_by[graph] != where:
                summary.warnings.append(f"{where}: the same article as {written_by[graph]} (same URL, or same "
                                        "title and date without one): this version replaces that one")
            written_by[graph] = where
            if graph in stored or (before and not fragment):
                summary.updated += 1
            if not fragment:
                rewritten.add(file_iri)
            known[graph] = version  # a second copy later in this run is unchanged, as if read back
            by_version[version] = graph
            batch.add(graph, quads)
            summary.articles += 1
            summary.facts += len(extraction.facts)
            summary.metrics += len(extraction.metrics)
            summary.entities.update(m.entity.iri for m in extraction.mentions)
            if not article.date:
                summary.warnings.append(f"{where}: no date found (metadata, dateline or first sentence): its "
                                        f"facts are dated by the day it was first ingested, {ingested[:10]}")
        produced_all |= produced
        if not result.errors and produced:  # the whole file was read: what it no longer holds goes
            stale_all |= before - produced
        summary.errors.extend(result.errors)
        summary.warnings.extend(result.warnings)
        if progress:
            progress(summary.files, len(files))
    stale_all -= produced_all  # an article moved to another file of this run stays
    for graph in sorted(stale_all):
        batch.remove(graph)
        if index is not None:
            index.remove(graph)
    # a stale article of a single-article file written again in this run was replaced, not removed
    summary.removed = sum(1 for g in stale_all if stored[g].file not in rewritten)
    batch.write()
    if summary.articles and summary.articles >= COMPACT_SHARE * len(known):
        ws.optimize()
    return summary


def file_uri(path: Path) -> str:
    """``path`` as an absolute ``file:`` IRI, whatever bytes its name holds (percent-encoded)."""
    from urllib.parse import quote

    absolute = os.path.abspath(os.fsdecode(path))
    return "file://" + quote(os.fsencode(absolute))


def _timestamp(now: dt.datetime | None = None) -> str:
    """``now`` (default: the current time) as an xsd:dateTime in UTC, to the second."""
    moment = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class _Batch:
    """Articles waiting to be written together; a newer version of an article replaces the pending one."""

    ws: Workspace
    articles: dict[str, list[ox.Quad]] = field(default_factory=dict)
    removals: set[str] = field(default_factory=set)
    size: int = 0

    def add(self, graph: str, quads: list[ox.Quad]) -> None:
        self.size += len(quads) - len(self.articles.pop(graph, ()))
        self.articles[graph] = quads
        if self.size >= BATCH_QUADS:
            self.write()

    def remove(self, graph: str) -> None:
        self.removals.add(graph)

    def write(self) -> None:
        if self.articles or self.removals:
            self.ws.put_articles(self.articles, remove=self.removals)
        self.articles, self.removals, self.size = {}, set(), 0


@dataclass
class _FileResult:
    """One file read and extracted: (graph, content hash, extraction or None when unchanged) per article.

    ``items`` is consumed once; ``errors`` and ``warnings`` are complete only after that.
    """

    path: Path
    items: Iterable[tuple[str, str, Extraction | None]] = ()
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _process_file(path: Path, known: dict[str, str], kb: KnowledgeBase) -> _FileResult:
    """The file's articles, read and extracted one at a time as ``items`` is consumed (memory: one article)."""
    result = _FileResult(path)
    result.items = _file_items(result, known, kb)
    return result


def _file_items(result: _FileResult, known: dict[str, str], kb: KnowledgeBase
                ) -> Iterator[tuple[str, str, Extraction | None]]:
    path = result.path
    for article in _read(path, result.errors, result.warnings):
        try:
            graph, version = article_iri(article.id), content_hash(article)
            unchanged = known.get(graph) == version
            extraction = None if unchanged else extract(article, kb)
        except Exception as exc:  # a bug met on hostile input costs this article, not the batch
            result.errors.append(f"{article.path or path}: cannot extract facts: {exception_reason(exc)}")
            continue
        if extraction is not None:
            result.warnings.extend(f"{article.path or path}: {w}" for w in extraction.warnings)
        yield graph, version, extraction


_WORKER_KNOWN: dict[str, str] = {}
_WORKER_LEXICONS: tuple[str, ...] = ()  # the analysts' lexicon files the parent ingests with
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _init_worker(known: dict[str, str], parent: int, lexicons: tuple[str, ...] = ()) -> None:
    global _WORKER_KNOWN, _WORKER_LEXICONS
    _WORKER_KNOWN = known
    _WORKER_LEXICONS = lexicons
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """End this worker when the ingest process that started it ends, however it ends.

    A SIGKILLed parent runs no cleanup, and its workers would go on with their tasks (and then wait forever for
    more). Linux sends a signal to a child whose parent dies (PR_SET_PDEATHSIG); elsewhere a thread watches
    the parent's pid. The parent may already be gone before either is set up: then end at once.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError, TypeError, ValueError):  # not Linux: no prctl
        armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _work(paths: list[Path]) -> list[_FileResult]:
    results = []
    for path in paths:
        result = _process_file(path, _WORKER_KNOWN, kb_for(_WORKER_LEXICONS))
        result.items = list(result.items)  # the whole file, to send back
        results.append(result)
    return results


def _tasks(files: list[Path], jobs: int) -> Iterator[list[Path]]:
    """Consecutive files grouped into tasks of up to ``TASK_BYTES`` (many small files share one task).

    A small corpus is cut finer, into about 8 tasks per worker, so that no worker is left with the tail alone.
    """
    sizes = [_size(p) for p in files]
    limit = min(TASK_BYTES, sum(sizes) // (jobs * 8))
    task: list[Path] = []
    size = 0
    for path, n in zip(files, sizes, strict=True):
        task.append(path)
        size += n
        if size >= limit:
            yield task
            task, size = [], 0
    if task:
        yield task


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker reports it


def _process_files(files: list[Path], known: dict[str, str], kb: KnowledgeBase, jobs: int,
                   lexicons: Sequence[Path] = ()) -> Iterator[_FileResult]:
    """Results in file order, computed here or in ``jobs`` worker processes.

    Workers get new tasks only as results are taken, so a writer slower than the workers does not make
    finished results pile up in memory.
    """
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield _process_file(path, known, kb)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    tasks = _tasks(files, jobs)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(known, os.getpid(), tuple(map(str, lexicons)))) as pool:
        pending: deque[Future[list[_FileResult]]] = deque(
            pool.submit(_work, t) for t in itertools.islice(tasks, jobs * TASKS_IN_FLIGHT))
        while pending:
            done = pending.popleft().result()
            for t in itertools.islice(tasks, 1):
                pending.append(pool.submit(_work, t))
            yield from done


def list_files(paths: Iterable[str | os.PathLike[str]], summary: IngestSummary) -> list[Path]:
    """The article files under ``paths``; anything else is recorded as skipped, with the reason.

    What a folder holds besides articles is skipped; a path named in ``paths`` itself that cannot be read
    (missing, a FIFO, an unsupported type) is an error: it was asked for. A folder named twice is not.
    """
    existing = []
    for p in map(Path, paths):
        if p.exists() or p.is_symlink():
            existing.append(p)
        else:
            summary.errors.append(f"{p}: no such file or directory")
    named = set(existing)

    def skip(path: Path, why: str) -> None:
        if path in named and why != ALREADY_VISITED:
            summary.errors.append(f"{path}: {why}")
        else:
            summary.skipped.append((str(path), why))

    return list(iter_files(existing, on_skip=skip))


def _read(path: Path, errors: list[str], warnings: list[str]) -> Iterator[Article]:
    """The articles of one file; what is wrong with it goes to ``errors``, one line each."""
    try:
        for article in read_file(path, on_error=lambda e: errors.append(str(e))):
            warnings.extend(f"{article.path or path}: {w}" for w in article.warnings)
            yield article
    except InputError as exc:
        errors.append(str(exc))


def extract_files(paths: Iterable[str | os.PathLike[str]], kb: KnowledgeBase | None = None,
                  errors: list[str] | None = None, *, lexicons: Sequence[str | os.PathLike[str]] = (),
                  traces: list[tuple[Article, list[dict[str, object]]]] | None = None) -> Iterator[Extraction]:
    """Extractions of every article under ``paths`` without storing anything (``kg extract``).

    ``lexicons``: analysts' lexicon files merged over the shipped one. ``traces``, when given, receives each
    article with its trace (per sentence: mentions, frames fired, blocked or nearly fired, facts)."""
    kb = kb or kb_for(lexicons)
    summary = IngestSummary()
    for path in list_files(paths, summary):
        for article in _read(path, summary.errors, summary.warnings):
            try:
                trace: list[dict[str, object]] | None = [] if traces is not None else None
                extraction = extract(article, kb, trace=trace)
                if traces is not None and trace is not None:
                    traces.append((article, trace))
            except Exception as exc:  # as in ingest: this article is reported, the others go on
                summary.errors.append(f"{article.path or path}: cannot extract facts: {exception_reason(exc)}")
                continue
            yield extraction
    if errors is not None:
        errors.extend(summary.errors)


def records(extraction: Extraction) -> Iterator[dict[str, object]]:
    """One CONTRACT.md record per relation or metric found."""
    aid = extraction.article.id
    for f in extraction.facts:
        yield {"article": aid, "subject_label": f.subject.label, "predicate": NS + f.predicate,
               "object_label": f.object.label, "sentence": f.evidence.sentence, "subject": f.subject.iri,
               "object": f.object.iri, "subject_type": f.subject.type, "object_type": f.object.type,
               "start": f.evidence.start, "end": f.evidence.end, "rule": f.evidence.rule,
               "confidence": f.evidence.confidence,
               **({"valid_from": f.period.start} if f.period and f.period.start else {}),
               **({"valid_until": f.period.end} if f.period and f.period.end else {})}
    for m in extraction.metrics:
        value = int(m.value) if float(m.value).is_integer() else m.value
        yield {"article": aid, "subject_label": m.company.label, "predicate": NS + "reportsMetric",
               "object_label": f"{value} {m.unit}", "sentence": m.evidence.sentence, "subject": m.company.iri,
               "metric_name": m.name, "value": value, "unit": m.unit, "period": m.period,
               "start": m.evidence.start, "end": m.evidence.end, "rule": m.evidence.rule,
               "confidence": m.evidence.confidence}


def store_extractions(ws: Workspace, extractions: Iterable[Extraction], *, kb: KnowledgeBase | None = None,
                      now: dt.datetime | None = None) -> IngestSummary:
    """Write extractions made elsewhere (by hand, by another extractor) into the workspace, as ingest would.

    An article of the same id is replaced; there is no file, so nothing else is. Why: a notebook, or a test
    that must not depend on what extraction finds, states the facts it wants and queries them.
    """
    kb = kb or default_kb()
    summary = IngestSummary()
    ingested = _timestamp(now)
    stored = ws.stored_articles()
    batch = _Batch(ws)
    index = stories.load_index(ws.store)
    resolver = load_resolver(ws, kb)
    for extraction in extractions:
        graph = article_iri(extraction.article.id)
        earlier = stored[graph].ingested if graph in stored else None
        sig = stories.signature(extraction.article.text)
        story = stories.quads(graph, index.assign(graph, content_hash(extraction.article), sig), sig)
        quads = resolve_article(resolver, extraction, graph, to_quads(extraction, kb))[0]
        batch.add(graph, quads + storage_quads(graph, None, earlier or ingested) + story)
        summary.articles += 1
        summary.updated += graph in stored
        summary.facts += len(extraction.facts)
        summary.metrics += len(extraction.metrics)
        summary.entities.update(m.entity.iri for m in extraction.mentions)
    batch.write()
    return summary
