"""The library API: everything the ``kg`` command line does, callable from a notebook or a program.

Re-exported by :mod:`kg` (``import kg; kg.ingest(["examples/articles"], ".kg")``); the CLI is a thin layer over
these functions. Data flows one way: files -> articles (``ingest.read``) -> facts (``ingest.extract``) -> RDF
(``ingest.rdf``) -> workspace (``kg.store``) -> property graph (``kg.project``) -> answers (``kg.queries``).

Every function that reads or writes a workspace takes ``workspace``: a directory (``str`` or path; ``None``
is ``$KG_WORKSPACE``, else ``./.kg``) or a :class:`~kg.store.Workspace` already open (see
:func:`open_workspace`), which is used as it is and left open: a program that asks many questions opens
it once. A function that reads a workspace where there is none raises :class:`~kg.store.WorkspaceError`.
Bad input raises :class:`~ingest.model.InputError` (or a subclass) with a one-line message.

This module imports what a function needs when it is called, so that ``import kg`` and ``kg --help`` stay fast.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Union

if TYPE_CHECKING:
    import networkx as nx

    from ingest.evaluate import EvalReport
    from ingest.kb import KnowledgeBase
    from ingest.model import Article, Extraction
    from kg.articles import ArticleInfo, RemoveReport
    from kg.backends.neo4j import LoadReport, Settings
    from kg.cards import Lookup
    from kg.entities import CurationReport, MergeRecord, Suspect
    from kg.ingestion import IngestSummary
    from kg.names import Hit
    from kg.periods import Change
    from kg.project import PropertyGraph
    from kg.queries import StoredQuery
    from kg.store import Workspace
    from kg.validate import Report as ValidationReport

WorkspaceRef = Union[str, os.PathLike[str], "Workspace", None]
"""A workspace directory (None: ``$KG_WORKSPACE``, else ``./.kg``) or an open :class:`~kg.store.Workspace`."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)``: once when the total is known, then as work is done."""


# --- workspaces ---------------------------------------------------------------------------------------------


def open_workspace(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                   must_exist: bool = False) -> Workspace:
    """Open the workspace at ``path`` (None: ``$KG_WORKSPACE``, else ``./.kg``); close it with ``.close()``
    or use it as a context manager.

    One process at a time may hold a workspace open for writing (another waits ``$KG_LOCK_WAIT`` seconds,
    then gets a :class:`~kg.store.WorkspaceError`); any number may read it with ``read_only=True``. A missing
    workspace reads as empty, or with ``must_exist`` is an error.
    """
    from kg.store import Workspace

    return Workspace.open(path, read_only=read_only, must_exist=must_exist)


@contextmanager
def _reading(workspace: WorkspaceRef) -> Iterator[Workspace]:
    """``workspace`` open for reading: as given when already open, else opened read-only (it must exist)."""
    from kg.store import Workspace

    if isinstance(workspace, Workspace):
        yield workspace
        return
    with Workspace.open(workspace, read_only=True, must_exist=True) as ws:
        yield ws


@contextmanager
def _writing(workspace: WorkspaceRef, *, must_exist: bool = False) -> Iterator[Workspace]:
    """``workspace`` open for writing: as given when already open (and writable), else opened here."""
    from kg.store import Workspace, WorkspaceError

    if isinstance(workspace, Workspace):
        if workspace.read_only:
            raise WorkspaceError("the workspace is open read-only: open it with read_only=False to write",
                                 str(workspace.path))
        yield workspace
        return
    if must_exist:
        Workspace.open(workspace, read_only=True, must_exist=True).close()
    with Workspace.open(workspace) as ws:
        yield ws


# --- ingest and extract -------------------------------------------------------------------------------------


def ingest(paths: Iterable[str | os.PathLike[str]], workspace: WorkspaceRef = None, *, jobs: int = 1,
           now: dt.datetime | None = None, kb: KnowledgeBase | None = None,
           progress: Progress | None = None, duplicate_threshold: float | None = None) -> IngestSummary:
    """Read, extract and store every article under ``paths`` (files or folders); bad files are reported in
    the summary's ``errors``, the rest are kept.

    An article keeps its identity across edits (its URL, else its file name, title and date): ingesting a
    changed file replaces what it held, an unchanged article is skipped. ``jobs`` > 1 reads and extracts in
    that many worker processes. ``now`` (default: the current time) is the ingest time recorded on new
    articles; an undated article's facts count from it. ``kb``: another knowledge base (default: the shipped
    one with the workspace's ``lexicon.yaml`` and ``$KG_LEXICON`` merged in). Near-duplicate articles (a wire
    story in several outlets) form one story and count as one source; ``duplicate_threshold`` (default
    ``$KG_DUPLICATE_THRESHOLD``, else 0.27) is the estimated word-shingle similarity at which they do.
    """
    from kg.ingestion import ingest as run
    from kg.stories import threshold

    threshold(duplicate_threshold)  # a bad setting is refused before the workspace is made
    with _writing(workspace) as ws:
        return run(ws, paths, kb=kb, jobs=jobs, now=now, progress=progress, duplicate_threshold=duplicate_threshold)


def store_extractions(extractions: Iterable[Extraction], workspace: WorkspaceRef = None, *,
                      kb: KnowledgeBase | None = None, now: dt.datetime | None = None) -> IngestSummary:
    """Write extractions made elsewhere (by hand, by another extractor) into the workspace, as ingest would:
    an article of the same id is replaced. Why: a notebook, or a test that must not depend on what
    extraction finds, states the facts it wants and queries them."""
    from kg.ingestion import store_extractions as run

    with _writing(workspace) as ws:
        return run(ws, extractions, kb=kb, now=now)


def extract(paths: Iterable[str | os.PathLike[str]], *, lexicons: Sequence[str | os.PathLike[str]] = (),
            kb: KnowledgeBase | None = None, errors: list[str] | None = None,
            traces: list[tuple[Article, list[dict[str, object]]]] | None = None) -> Iterator[Extraction]:
    """The extraction (facts, metrics, mentions) of every article under ``paths``, storing nothing.

    ``lexicons``: analysts' lexicon files merged over the shipped one. What cannot be read or extracted is
    appended to ``errors`` (one line each) and the other articles go on. ``traces``, when given, receives each
    article with its trace: per sentence, the mentions, the frames fired, blocked or nearly fired, the facts.
    """
    from kg.ingestion import extract_files

    return extract_files(paths, kb, errors, lexicons=lexicons, traces=traces)


def records(extraction: Extraction) -> Iterator[dict[str, object]]:
    """One record per relation or metric of ``extraction``, with the fields of CONTRACT.md (``kg extract``)."""
    from kg.ingestion import records as run

    return run(extraction)


def list_articles(workspace: WorkspaceRef = None) -> list[ArticleInfo]:
    """The workspace's articles (id, date, title, file, facts, metrics, ingest time), oldest first."""
    from kg.articles import list_articles as run

    with _reading(workspace) as ws:
        return run(ws)


def remove_articles(refs: Sequence[str], workspace: WorkspaceRef = None) -> RemoveReport:
    """Take articles (ids, IRIs or files, as :func:`list_articles` gives them) out of the workspace, with what
    only they supported; nothing is removed when one of ``refs`` names no article."""
    from kg.articles import remove_articles as run

    with _writing(workspace, must_exist=True) as ws:
        return run(ws, list(refs))


def evaluate(gold_dir: str | os.PathLike[str], articles_dir: str | os.PathLike[str], *,
             lexicons: Sequence[str | os.PathLike[str]] = ()) -> EvalReport:
    """Extraction scored against gold files (CONTRACT.md's format): precision, recall and F1 per predicate,
    metric recall and precision, and every miss and spurious fact (``report.as_dict()``)."""
    from ingest.evaluate import evaluate as run
    from ingest.kb import kb_for
    from ingest.model import InputError

    if not Path(gold_dir).is_dir():
        raise InputError("not a directory", os.fspath(gold_dir))
    return run(Path(gold_dir), Path(articles_dir), kb_for(lexicons))


# --- stored queries and provenance --------------------------------------------------------------------------


def list_queries() -> list[StoredQuery]:
    """The stored queries (``queries/NAME.yaml``, ``.rq``, ``.cypher``), by name."""
    from kg import queries as catalogue

    return list(catalogue.catalogue().values())


def get_query(name: str) -> StoredQuery:
    """The stored query ``name`` (description, parameters, columns, SPARQL, Cypher); an error saying what comes
    close when there is none."""
    from kg import queries as catalogue

    return catalogue.get(name)


def run_query(name: str, params: dict[str, object] | None = None, backend: str = "rdf",
              workspace: WorkspaceRef = None, *, notes: list[str] | None = None, uri: str | None = None,
              user: str | None = None, password: str | None = None,
              database: str | None = None) -> list[dict[str, object]]:
    """Rows of stored query ``name`` on ``backend`` (``rdf``, ``networkx`` or ``neo4j``), parameters bound as
    values (never spliced into the query text), the same rows on every backend.

    A parameter that names an entity (its yaml says ``entity: Company``) must name one in the graph queried:
    an alias, ticker or different case is replaced by the entity's label (said in ``notes``), and a name that
    names nothing is an error saying which names come close. A date parameter also takes ``today``,
    ``yesterday``, ``7d``, ``2w``, ``3m``, ``1y``. On neo4j, ``uri``, ``user``, ``password`` and ``database``
    override the NEO4J_* environment variables.
    """
    from kg.querying import run_query as run

    if backend == "neo4j":
        from kg.backends.neo4j import Settings

        settings = Settings.from_env(uri, user, password, database)
        return run(name, params, backend, None, notes=notes, settings=settings)
    with _reading(workspace) as ws:
        return run(name, params, backend, ws, notes=notes)


def explain(name: str, rows: list[dict[str, object]], workspace: WorkspaceRef = None) -> list[dict[str, object]]:
    """Each row of stored query ``name`` with an ``evidence`` list: the facts it rests on, each with its
    article (id, date, title) and sentence."""
    from kg.provenance import explain_rows

    with _reading(workspace) as ws:
        return explain_rows(ws, name, rows)


def why(subject: str, predicate: str, object: str, workspace: WorkspaceRef = None) -> list[dict[str, object]]:
    """The evidence for one fact: every article (date, title, id) and sentence that states it, oldest first.

    Names may be aliases, tickers or Chinese names; ``predicate`` an ontology name (``investsIn``) or a
    relationship type (``INVESTS_IN``). An error when no article states it, or a name names nothing.
    """
    from kg.provenance import why as run

    with _reading(workspace) as ws:
        return run(ws, subject, predicate, object)


def changes(workspace: WorkspaceRef = None, *, since: str | None = None, since_last_ingest: bool = False,
            by: str = "article", watch: Sequence[str] = ()) -> list[Change]:
    """What changed since a date (``since``: YYYY-MM-DD, an ingest time, or today, yesterday, 7d, 2w, 3m, 1y) or
    since the last ingest: new facts, facts an article says have ended, new conflicts (a fact stated as holding
    and as ended; two values of one metric), dated by article (``by="article"``) or by ingest time
    (``by="ingest"``), each with both. ``watch`` names entities (labels, aliases, tickers): only changes about
    them are kept."""
    from ingest.model import InputError
    from kg.names import name_index
    from kg.periods import changes as run
    from kg.periods import parse_since

    if (since is None) == (not since_last_ingest):
        raise InputError("give one of --since DATE and --since-last-ingest")
    with _reading(workspace) as ws:
        index = name_index(ws)
        iris = [index.resolve(name).iri for name in watch]
        return run(ws, parse_since(since) if since is not None else None, since_last_ingest=since_last_ingest,
                   by=by, watch=iris)


# --- entities -----------------------------------------------------------------------------------------------


def lookup(name: str, workspace: WorkspaceRef = None, *, since: str | None = None) -> Lookup:
    """The entity cards ``name`` gives (type, aliases, current relations with source counts, the facts that
    ended, metrics, articles): by label, alias, ticker or Chinese name, else the one close match (said in
    ``note``); an error naming the closest names if none. ``since`` (YYYY-MM-DD, today, 7d...) adds what changed
    about each entity since then: new, ended and conflicting facts (see :func:`changes`)."""
    from kg.cards import lookup as run
    from kg.periods import parse_since

    when = parse_since(since) if since is not None else None
    with _reading(workspace) as ws:
        return run(ws, name, since=when)


def search(text: str, workspace: WorkspaceRef = None, *, limit: int = 10, type_: str | None = None) -> list[Hit]:
    """Entities whose labels, aliases, tickers or Chinese names come closest to ``text`` (fuzzily), in the
    workspace and the knowledge base, best first; ``type_`` keeps one class (Company, AIModel, Chip...)."""
    from ingest.kb import vocabulary
    from ingest.model import InputError
    from kg.names import name_index
    from kg.store import Workspace

    if type_ is not None and type_ not in vocabulary().classes:
        raise InputError(f"--type {type_!r} is not a class (one of: {', '.join(sorted(vocabulary().classes))})")
    if isinstance(workspace, Workspace):
        return name_index(workspace).search(text, limit=limit, type_=type_)
    with Workspace.open(workspace, read_only=True) as ws:  # no workspace: the knowledge base alone
        return name_index(ws).search(text, limit=limit, type_=type_)


def entity_merges(workspace: WorkspaceRef = None) -> list[MergeRecord]:
    """Every merge of entities in the workspace, one per article: the name the article used, the node it was
    taken for, the reason and score, and whether the resolver (at ingest) or a curator decided it."""
    from kg.entities import merges as run

    with _reading(workspace) as ws:
        return run(ws)


def entity_suspects(workspace: WorkspaceRef = None, *, min_score: float | None = None) -> list[Suspect]:
    """Pairs of entities of one type whose names look alike but were kept apart (a close spelling, an acronym, one
    name inside the other...), best first, with the reason and a score: candidates for :func:`merge_entities`."""
    from ingest.model import InputError
    from kg.entities import suspects as run
    from kg.resolve import SUSPECT_AT

    if min_score is not None and not 0 < min_score <= 1:
        raise InputError(f"min_score must be above 0 and at most 1, not {min_score!r}")
    with _reading(workspace) as ws:
        return run(ws, min_score=SUSPECT_AT if min_score is None else min_score)


def merge_entities(a: str, b: str, workspace: WorkspaceRef = None) -> CurationReport:
    """A curator's decision that entity ``b`` is ``a``: the stored articles naming ``b`` name ``a`` (recorded, as
    the resolver's merges are), and ``WORKSPACE/curation.yaml`` keeps the decision for every later ingest."""
    from kg.entities import merge as run

    with _writing(workspace, must_exist=True) as ws:
        return run(ws, a, b)


def split_entities(a: str, b: str, workspace: WorkspaceRef = None) -> CurationReport:
    """Undo a merge of ``b`` into ``a`` (the resolver's or a curator's): the articles name ``b`` again as they
    were written, and ``curation.yaml`` keeps the two apart from then on."""
    from kg.entities import split as run

    with _writing(workspace, must_exist=True) as ws:
        return run(ws, a, b)


# --- the graph ----------------------------------------------------------------------------------------------


def stats(workspace: WorkspaceRef = None) -> dict[str, object]:
    """Counts: ``articles``, ``triples``, ``nodes`` and ``relationships`` of the property graph, and nodes by
    label (``labels``) and relationships by type (``types``)."""
    from kg.project import project

    with _reading(workspace) as ws:
        triples = ws.triple_count()
        n_articles = len(ws.article_graphs())
        pg = project(ws)
    return {"articles": n_articles, "triples": triples, "nodes": len(pg.nodes), "relationships": len(pg.rels),
            "labels": pg.label_counts(), "types": pg.type_counts()}


EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml")


def export_graph(format: str = "ttl", output: str | os.PathLike[str] | BinaryIO | None = None,
                 workspace: WorkspaceRef = None) -> bytes | None:
    """The graph in ``format``: Turtle, N-Triples or JSON-LD (the union of the article graphs), N-Quads or TriG
    (a graph per article), GraphML (the property graph).

    ``output``: a binary file object to write to, or a file name, replaced only once the export is complete
    (a regular file or a new name: a directory, device or FIFO is refused before anything is exported); None
    returns the bytes.
    """
    import io

    from ingest.model import InputError
    from kg.export import export, output_path, replacing

    if format not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {format!r} (one of: {', '.join(EXPORT_FORMATS)})")
    if output is None:
        buf = io.BytesIO()
        with _reading(workspace) as ws:
            export(ws, format, buf)
        return buf.getvalue()
    if not isinstance(output, str | os.PathLike):  # a file object
        with _reading(workspace) as ws:
            export(ws, format, output)
        return None
    target = output_path(output)
    with _reading(workspace) as ws, replacing(target) as fh:
        export(ws, format, fh)
    return None


def validate_graph(workspace: WorkspaceRef = None) -> ValidationReport:
    """SHACL validation of the graph against the shipped shapes (``ontology/shapes.ttl``): ``conforms``, the
    number of ``violations`` and the report ``text``."""
    from kg.validate import validate

    with _reading(workspace) as ws:
        return validate(ws)


def property_graph(workspace: WorkspaceRef = None) -> PropertyGraph:
    """The workspace's graph through the one mapping to a property graph (``kg.project``), as NetworkX,
    Neo4j and GraphML see it."""
    from kg.project import project

    with _reading(workspace) as ws:
        return project(ws)


def networkx_graph(workspace: WorkspaceRef = None) -> nx.MultiDiGraph[str]:
    """The property graph as a NetworkX ``MultiDiGraph`` (node ``__labels__``, edge ``__labels__``)."""
    from kg.project import to_networkx

    return to_networkx(property_graph(workspace))


def run_cypher_networkx(graph: nx.MultiDiGraph[str], cypher: str) -> list[dict[str, object]]:
    """Cypher on a NetworkX graph with grand-cypher, on its ``kg.project.cypher_view`` (symmetric relationships
    also reversed; pass the view itself to build it once)."""
    from kg.querying import run_cypher_networkx as run

    return run(graph, cypher)


def load_neo4j(workspace: WorkspaceRef = None, *, uri: str | None = None, user: str | None = None,
               password: str | None = None, database: str | None = None, batch_size: int = 10000,
               wipe: bool = False, progress: Progress | None = None, bulk: bool = False
               ) -> tuple[LoadReport, Settings]:
    """Load the workspace's property graph into Neo4j, idempotently; returns what changed and the settings
    used (arguments over NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).

    Creates the constraints it relies on, writes nodes and relationships in batched transactions of at most
    ``batch_size`` rows, and deletes what an earlier load wrote that the workspace no longer has; ``wipe``
    empties the database first. Loading twice changes nothing. ``bulk``: a local server's database is replaced
    by neo4j-admin's importer instead (:mod:`kg.backends.neo4j_bulk`; it must be empty unless ``wipe``).
    """
    from kg.backends import neo4j as backend

    settings = backend.Settings.from_env(uri, user, password, database)
    if bulk:
        from kg.backends import neo4j_bulk

        neo4j_bulk.check_local(settings.uri)  # before the projection, which takes a while on a large workspace
        return neo4j_bulk.bulk_load(property_graph(workspace), settings, overwrite=wipe), settings
    pg = property_graph(workspace)
    total = len(pg.nodes) + len(pg.rels)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if progress:
        progress(0, total)
    return backend.load(pg, settings, batch_size=batch_size, wipe=wipe, on_batch=advance), settings


# --- analytics ----------------------------------------------------------------------------------------------


def pagerank(workspace: WorkspaceRef = None, *, top: int | None = None) -> list[dict[str, object]]:
    """PageRank of the companies in the network of competition and partnership facts (edges weighted by their
    sources): rank, company, pagerank, competitors, partners; ``top`` keeps the first rows."""
    from kg.analytics import pagerank as run

    return run(networkx_graph(workspace), top=top)


def shortest_path(source: str, target: str, workspace: WorkspaceRef = None) -> list[dict[str, object]]:
    """A shortest chain of facts between two entities (names or aliases), a row per step with its sources,
    first report date and articles; an error when no chain links them."""
    from kg.analytics import shortest_path as run

    return run(networkx_graph(workspace), source, target)


def exposure(workspace: WorkspaceRef = None, *, company: str | None = None) -> list[dict[str, object]]:
    """Each company's exposure to each sanction through company -> (model ->) chip -> sanction chains and direct
    listings, with the chains; ``company`` keeps one."""
    from kg.analytics import exposure as run

    return run(networkx_graph(workspace), company)


# --- ad-hoc questions, briefs, pictures, the workbench ---------------------------------------------------------


def run_sparql(query: str, params: dict[str, object] | None = None, workspace: WorkspaceRef = None
               ) -> list[dict[str, object]]:
    """Rows of an ad-hoc SPARQL query (its text, or a ``.rq`` file), on the union of all graphs with the prefixes
    of the stored queries declared. ``params`` bind ``?NAME`` as RDF terms (a text value ``<...>`` is an IRI, a
    whole number an integer). SELECT gives its rows, ASK a row ``result``, CONSTRUCT/DESCRIBE subject, predicate,
    object rows."""
    from kg import adhoc

    text = adhoc.query_text(query, (".rq", ".sparql"))
    with _reading(workspace) as ws:
        return adhoc.sparql(ws, text, params)


def run_cypher(query: str, params: dict[str, object] | None = None, backend: str = "networkx",
               workspace: WorkspaceRef = None, **neo4j_settings: object) -> list[dict[str, object]]:
    """Rows of an ad-hoc Cypher query (its text, or a ``.cypher`` file) on the NetworkX projection (grand-cypher)
    or on Neo4j (``neo4j_settings``: uri, user, password, database); ``params`` bind ``$NAME``."""
    from kg import adhoc

    text = adhoc.query_text(query, (".cypher", ".cql"))
    if backend == "neo4j":
        return adhoc.cypher(None, text, params, backend, **neo4j_settings)
    with _reading(workspace) as ws:
        return adhoc.cypher(ws, text, params, backend)


def company_brief(company: str, workspace: WorkspaceRef = None, *, format: str = "md",
                  output: str | os.PathLike[str] | None = None) -> str:
    """A one-page brief on a company (name, alias or ticker): profile, models, chips and their makers, sanction
    exposure with its chains, competitors, partners, investors, metrics over time (charts), conflicting figures,
    recent facts; every claim footnoted with its articles, dates and sentences. ``format``: ``md`` or ``html``
    (a standalone page). With ``output`` it is also written there (Markdown: with its charts as SVG files)."""
    from ingest.model import InputError
    from kg.brief import brief_in, to_html, to_markdown, write

    if format not in ("md", "html"):
        raise InputError(f"--format must be md or html, got {format!r}")
    with _reading(workspace) as ws:
        brief = brief_in(ws, company)
    if output is not None:
        write(brief, format, output)
    return to_markdown(brief) if format == "md" else to_html(brief)


def draw_neighbourhood(entity: str, output: str | os.PathLike[str], *, hops: int = 1,
                       types: Sequence[str] | None = None, workspace: WorkspaceRef = None) -> Path:
    """The entities within ``hops`` (1-3) facts of ``entity`` drawn to ``output``: ``.html`` (a standalone
    interactive page), ``.svg`` (a static picture, GraSS colours) or ``.png`` (the SVG by headless Chromium);
    ``types`` keeps those relations only. Returns the file written."""
    from kg.viz import draw

    with _reading(workspace) as ws:
        return draw(ws, entity, output, hops, list(types) if types else None)


def serve(workspace: str | os.PathLike[str] | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          timeout: float = 10.0, max_rows: int = 10_000, max_query: int = 100_000, workers: int = 2,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the workspace read-only until interrupted: the analysts' pages and a SPARQL 1.1 Protocol endpoint at
    ``/sparql`` (each ad-hoc query stopped after ``timeout`` s, cut at ``max_rows``, refused past ``max_query``
    characters); it keeps answering while ``kg ingest`` writes the workspace. ``on_ready`` gets the URL."""
    from ingest.model import InputError
    from kg.web.server import serve as run
    from kg.web.workers import Limits

    if timeout <= 0 or max_rows < 1 or max_query < 1:
        raise InputError("--timeout, --max-rows and --max-query must be positive")
    run(workspace, host, port, limits=Limits(timeout=timeout, max_rows=max_rows, max_query=max_query),
        workers=workers, on_ready=on_ready)
