"""``kg``: the command line over :mod:`kg.api` (every command has a library function behind it)."""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import os
import re
import sys
import typing
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.models import OptionInfo, ParameterInfo

from ingest.model import InputError
from kg import api
from kg import queries as catalogue
from kg.store import Workspace

# Help texts are plain text: in typer's rich markup mode "[default: ./.kg]" or "[env NEO4J_URI]" would vanish.
app = typer.Typer(help="cikg: turn news articles about AI, chips and sanctions into an answerable knowledge graph.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
query_app = typer.Typer(help="List, show and run the stored analytical queries.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(query_app, name="query")
analytics_app = typer.Typer(help="Graph analytics on the NetworkX graph: PageRank, paths, sanction exposure.",
                            no_args_is_help=True, rich_markup_mode=None)
app.add_typer(analytics_app, name="analytics")

# Nothing printed is ever parsed as rich markup or emoji codes: titles, URLs, names, file names and parameters come
# from input, and "[/x]" would end in a MarkupError, "[link=...]" in a live hyperlink. Lines are built by `say`
# from plain text (and styles given apart from it), table cells are Text; `shown` escapes control characters.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200, markup=False, emoji=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)

# C0 and C1 controls (a newline would forge a line, ESC drives the terminal), line and paragraph separators, bidi
# controls (they reorder what is shown), and lone surrogates: undecodable bytes of file names and arguments.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(m: re.Match[str]) -> str:
    c = m.group()
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python decodes file names and arguments
        return f"\\x{code - 0xDC00:02x}"
    return _ESCAPES.get(c) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shown(value: object) -> str:
    """``value`` as text safe to print on one line: control characters and undecodable bytes escaped, repr-style."""
    return _UNPRINTABLE.sub(_escaped, str(value))


def say(console: Console, *parts: object) -> None:
    """Print one line made of ``parts``: each plain text (``shown``), or a ``(text, style)`` pair to style it."""
    line = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        line.append(shown(text), style=style)
    console.print(line)


# The Neo4j driver logs each transaction retry ("Transaction failed and will be retried ...", several lines)
# as a warning; without logging configured Python prints those on stderr ahead of our one-line error.
# A NullHandler keeps them off stderr (and still lets a user who configures logging see them).
logging.getLogger("neo4j").addHandler(logging.NullHandler())

WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", envvar="KG_WORKSPACE", help="Workspace directory holding the graph [default: ./.kg].",
    show_default=False)]


class Backend(StrEnum):
    rdf = "rdf"
    networkx = "networkx"
    neo4j = "neo4j"


class Target(StrEnum):
    neo4j = "neo4j"


UriOpt = Annotated[str | None, typer.Option("--uri", help="Bolt URI [env NEO4J_URI, default bolt://127.0.0.1:7687].",
                                            show_default=False)]
UserOpt = Annotated[str | None, typer.Option("--user", help="User [env NEO4J_USERNAME, default neo4j].",
                                             show_default=False)]
PasswordOpt = Annotated[str | None, typer.Option("--password", help="Password [env NEO4J_PASSWORD].",
                                                 show_default=False)]
DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Database [env NEO4J_DATABASE, default neo4j].",
                                                 show_default=False)]


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
    graphml = "graphml"


def fail(message: str, code: int = 1) -> typer.Exit:
    say(err, ("error:", "bold red"), " ", message)
    return typer.Exit(code)


def _text_parameters(fn: Callable[..., object]) -> dict[str, str]:
    """The command's text parameters (``str`` or ``list[str]``, no parser of their own), each with the name the
    user wrote it by: ``--param``, ``NAME``. Paths are not among them: any bytes name a file."""
    labels: dict[str, str] = {}
    for key, hint in typing.get_type_hints(fn, include_extras=True).items():
        if typing.get_origin(hint) is not Annotated:
            continue
        base, *extras = typing.get_args(hint)
        info = next((x for x in extras if isinstance(x, ParameterInfo)), None)
        if info is None or info.parser is not None or not ({str, list[str]} & set(typing.get_args(base) or (base,))):
            continue
        if isinstance(info, OptionInfo):
            labels[key] = next((d for d in info.param_decls or () if d.startswith("--")), "--" + key.replace("_", "-"))
        else:
            labels[key] = key.upper()
    return labels


def _check_text_arguments(labels: dict[str, str], values: dict[str, object]) -> None:
    """Text arguments must be text: an invalid UTF-8 byte (Python hands it over as a lone surrogate) is an error
    naming the parameter, not a traceback from wherever the value would have gone."""
    for key, label in labels.items():
        value = values.get(key)
        for v in value if isinstance(value, list | tuple) else (value,):
            if isinstance(v, str) and _SURROGATE.search(v):
                value = "" if "password" in key else f" '{shown(v)}'"  # a secret is not shown
                raise InputError(f"{label}{value} is not valid UTF-8 text")


def friendly(fn):
    """Bad input becomes one clear line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            _check_text_arguments(_text_parameters(fn), kwargs)
            return fn(*args, **kwargs)
        except InputError as exc:
            raise fail(str(exc)) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise fail(f"{where}{exc.strerror or exc}") from None

    return wrapper


def _print_rows(rows: list[dict[str, object]], fmt: str, title: str | None = None) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        if rows:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=Text(shown(title)) if title else None, show_lines=False, title_justify="left")
        for col in rows[0] if rows else ["(no rows)"]:
            table.add_column(Text(shown(col)), overflow="fold")
        for row in rows:
            table.add_row(*(Text(shown(_cell(v))) for v in row.values()))  # Text: a cell is never markup
        out.print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- ingest and extract -------------------------------------------------------------------------------


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt .md .html .jsonl, feeds).")],
    workspace: WorkspaceOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, summary only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes for reading and extraction (0: one per core).")] = 1,
) -> None:
    """Read articles, extract their facts and store them (with provenance) in the workspace.

    Ingesting an article again changes nothing; a changed article replaces its earlier version.
    Bad files are reported one line each and the rest are kept; the exit status is 1 if any file failed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    summary = api.IngestSummary()
    files = api.list_files(paths, summary)
    show = not quiet and err.is_terminal and len(files) > 1
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not show) as progress:
        task = progress.add_task("ingest", total=len(files))
        result = api.ingest([], workspace, files=files, on_file=lambda _: progress.advance(task),
                            jobs=jobs or os.cpu_count() or 1)
    result.skipped = summary.skipped + result.skipped
    result.errors = summary.errors + result.errors
    for path, why in result.skipped:
        say(err, f"skipped: {path}: {why}")
    for line in result.warnings:
        say(err, f"warning: {line}")
    for line in result.errors:
        say(err, (f"error: {line}", "red"))
    s = result.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(s) + "\n")
    else:
        say(out, f"ingested {s['articles']} articles ({s['unchanged']} unchanged) from {s['files']} files: "
                 f"{s['facts']} facts, {s['metrics']} metrics, {s['entities']} entities; "
                 f"{s['skipped']} skipped, {s['errors']} errors")
    if result.errors:
        raise typer.Exit(1)


@app.command()
@friendly
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="jsonl: one fact a line; table.")] = (
        ExtractFormat.jsonl),
) -> None:
    """Print the relations and metrics found in articles, without storing them (CONTRACT.md fields)."""
    errors: list[str] = []
    rows = []
    for extraction in api.extract_paths(paths, errors=errors):
        for rec in api.records(extraction):
            if format == ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                rows.append({"article": rec["article"][:40], "subject": rec["subject_label"],
                             "predicate": str(rec["predicate"]).rsplit("#", 1)[-1], "object": rec["object_label"],
                             "period": rec.get("period") or "", "rule": rec["rule"]})
    if format == ExtractFormat.table:
        _print_rows(rows, "table")
    for line in errors:
        say(err, (f"error: {line}", "red"))
    if errors:
        raise typer.Exit(1)


# --- queries ------------------------------------------------------------------------------------------


@query_app.command("list")
@friendly
def query_list(format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table) -> None:
    """List the stored queries with their parameters and backends."""
    items = [q.to_dict() for q in catalogue.catalogue().values()]
    if format == ListFormat.json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"name": q["name"], "description": q["description"],
             "params": ", ".join(f"{p['name']}={p['example']}" for p in q["params"]),
             "backends": ", ".join(q["backends"])} for q in items]
    _print_rows(rows, "table")


@query_app.command("show")
@friendly
def query_show(name: Annotated[str, typer.Argument(help="Query name (see `kg query list`).")]) -> None:
    """Show a stored query: description, parameters, and its SPARQL and Cypher text."""
    q = catalogue.get(name)
    say(out, (q.name, "bold"), f": {q.description}")
    for p in q.params:
        say(out, "  param ", (p.name, "cyan"), f" ({p.type}): {p.description} (example: {p.example})")
    say(out, f"  backends: {', '.join(q.backends)}")
    for label, text in (("SPARQL", q.sparql), ("Cypher", q.cypher)):
        out.print()
        say(out, (label, "bold"))
        out.file.flush()
        sys.stdout.write(text if text.endswith("\n") else text + "\n")  # as stored: "[r:COMPETES_WITH]" is Cypher
        sys.stdout.flush()


@query_app.command("export")
@friendly
def query_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into.")] = Path("cikg-browser"),
    browser: Annotated[bool, typer.Option("--browser/--no-browser",
                                          help="Neo4j Browser favourites (.cypher files and a zip).")] = True,
) -> None:
    """Export the stored Cypher queries as Neo4j Browser favourites, with the GraSS style sheet."""
    import shutil

    from ontology import NEO4J_DIR

    written = catalogue.browser_favorites(output)
    shutil.copyfile(NEO4J_DIR / "style.grass", output / "style.grass")
    say(out, f"wrote {len(written)} files and style.grass to {output}/: drag cikg-favorites.zip onto Browser's "
             "Favorites panel and style.grass onto its window")


def _parse_params(items: list[str] | None) -> dict[str, object]:
    params: dict[str, object] = {}
    for item in items or []:
        if "=" not in item:
            raise catalogue.QueryError(f"--param {item!r} must be NAME=VALUE")
        k, v = item.split("=", 1)
        params[k.strip()] = v
    return params


@query_app.command("run")
@friendly
def query_run(
    name: Annotated[str, typer.Argument(help="Query name (see `kg query list`).")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE.")] = None,
    backend: Annotated[Backend, typer.Option("--backend", "-b", help="Where to run it.")] = Backend.rdf,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    workspace: WorkspaceOpt = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Add each row's evidence: articles and sentences.")] = (
        False),
) -> None:
    """Run a stored query with bound parameters and print its rows (Neo4j: settings from NEO4J_* or flags)."""
    rows = api.run_query(name, _parse_params(param), backend.value, workspace, uri=uri, user=user, password=password,
                         database=database)
    if not explain:
        _print_rows(rows, format.value, title=name if format == TableFormat.table else None)
        return
    from kg.provenance import explain_rows

    explained = explain_rows(name, rows, workspace)
    if format == TableFormat.json:
        _print_rows(explained, "json")
    elif format == TableFormat.csv:
        _print_rows([{**r, "evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in explained], "csv")
    else:
        _print_rows(rows, "table", title=name)
        for i, r in enumerate(explained, start=1):
            values = ", ".join(_cell(v) for k, v in r.items() if k != "evidence")
            say(out, (f"row {i}", "bold"), f": {values}")
            _print_evidence(r["evidence"])


def _print_evidence(evidence: list[dict[str, object]]) -> None:
    if not evidence:
        say(out, "  (no evidence found)")
    for e in evidence:
        say(out, f"  {e['fact']}  ", (f"{e['date'] or '????-??-??'} {e['article']}", "dim"))
        say(out, f"    \"{e['sentence']}\"")


@app.command()
@friendly
def why(
    subject: Annotated[str, typer.Argument(help="Subject name or alias, e.g. \"Alibaba Group\".")],
    predicate: Annotated[str, typer.Argument(help="Predicate, e.g. investsIn (or INVESTS_IN).")],
    object: Annotated[str, typer.Argument(help="Object name or alias, e.g. \"Zhipu AI\".")],
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Print the evidence for one fact: each article (date, id, headline) and sentence that states it."""
    from kg.provenance import why as do_why

    evidence = do_why(subject, predicate, object, workspace)
    if format == ListFormat.json:
        sys.stdout.write(json.dumps(evidence, ensure_ascii=False, indent=2) + "\n")
        return
    n = len({e["article"] for e in evidence})
    say(out, (f"{subject} {predicate} {object}", "bold"), f": {n} article{'s' if n != 1 else ''}")
    for e in evidence:
        say(out, f"  {e['date'] or '????-??-??'}  {e['title']}  ", (e["article"], "dim"))
        say(out, f"    \"{e['sentence']}\"  ", (f"({e['rule']}, {e['confidence']})", "dim"))


# --- analytics ----------------------------------------------------------------------------------------


def _nx_graph(workspace: Path | None):
    from kg.project import to_networkx

    return to_networkx(api.property_graph(workspace))


@analytics_app.command("pagerank")
@friendly
def analytics_pagerank(
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="Only the first N (0: all).")] = 0,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """PageRank of companies in the network of competition and partnership facts."""
    from kg.analytics import pagerank

    _print_rows(pagerank(_nx_graph(workspace), top=top or None), format.value, title="pagerank")


@analytics_app.command("path")
@friendly
def analytics_path(
    source: Annotated[str, typer.Argument(help="An entity name or alias.")],
    target: Annotated[str, typer.Argument(help="Another entity name or alias.")],
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """A shortest chain of facts between two entities, each step with its sources and first report date."""
    from kg.analytics import shortest_path

    _print_rows(shortest_path(_nx_graph(workspace), source, target), format.value, title=f"{source} .. {target}")


@analytics_app.command("exposure")
@friendly
def analytics_exposure(
    company: Annotated[str | None, typer.Option("--company", "-c", help="Only this company.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Each company's exposure to each sanction through company -> (model ->) chip -> sanction chains."""
    from kg.analytics import exposure

    _print_rows(exposure(_nx_graph(workspace), company), format.value, title="sanction exposure")


# --- Neo4j -------------------------------------------------------------------------------------------


@app.command()
@friendly
def load(
    target: Annotated[Target, typer.Argument(help="Where to load the graph (neo4j).")],
    wipe: Annotated[bool, typer.Option("--wipe", help="Delete everything in the database first.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per UNWIND transaction.")] = 2000,
    workspace: WorkspaceOpt = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Load the workspace's graph into Neo4j (same projection as NetworkX), idempotently.

    Creates the constraints it relies on, then writes nodes and relationships in batched transactions
    (CREATE into an empty database, MERGE otherwise).
    Loading twice changes nothing; loading after new articles adds only what is new.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg import neo4j_backend as nb

    settings = nb.Settings.from_env(uri, user, password, database)
    pg = api.property_graph(workspace)
    total = len(pg.nodes) + len(pg.rels)
    with Progress(TextColumn("load"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("load", total=total)
        report = nb.load(pg, settings, batch_size=batch_size, wipe=wipe,
                         on_batch=lambda n: progress.advance(task, n))
    rate = report.relationships / report.seconds if report.seconds else 0.0
    say(out, f"loaded {report.nodes} nodes and {report.relationships} relationships into {settings.uri} "
             f"({settings.database}) in {report.batches} batches, {report.seconds:.2f}s ({rate:,.0f} rel/s); "
             f"database now holds {report.counts['nodes']} nodes, {report.counts['relationships']} relationships")


# --- lookup, export, validate, stats ------------------------------------------------------------------


@app.command()
@friendly
def lookup(
    name: Annotated[str, typer.Argument(help="An entity's name or alias, e.g. Baidu, BIDU, 文心一言.")],
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Show an entity card: type, aliases, relations, metrics and the articles that mention it."""
    from kg.lookup import card, find

    with Workspace.open(workspace, read_only=True) as ws:
        hits = find(ws, name)
        if not hits:
            raise InputError(f"no entity named {name!r} in the workspace")
        cards = [card(ws, h["e"], h["label"], h["type"]) for h in hits]
    if as_json:
        sys.stdout.write(json.dumps([c.to_dict() for c in cards], ensure_ascii=False, indent=2) + "\n")
        return
    for c in cards:
        say(out, (c.label, "bold"), f" ({c.type})  {c.iri}")
        if c.aliases:
            say(out, f"  aliases: {', '.join(c.aliases)}")
        if c.wikidata:
            say(out, f"  wikidata: {c.wikidata}")
        for r in c.relations:
            p, o = r["predicate"], r["other"]
            arrow = f"{p} -> {o}" if r["direction"] == "out" else f"<- {o} {p}"
            say(out, f"  {arrow}  ", (f"({r['sources']} source{'s' if r['sources'] != 1 else ''})", "dim"))
        for m in c.metrics:
            say(out, f"  metric: {m['name']} = {_cell(m['value'])} {m['unit']}"
                     f"{' (' + str(m['period']) + ')' if m['period'] else ''}  ", (m["articles"], "dim"))
        for s in c.sources:
            say(out, f"  source: {s['date'] or '????-??-??'}  {s['title']}  ", (s["id"], "dim"))


@app.command()
@friendly
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.ttl,
    output: Annotated[str | None, typer.Option(  # a str as given: "" is not "." (as a Path it would be)
        "--output", "-o", parser=str, metavar="FILE",
        help="A regular file to replace or a new file [default: stdout].")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export the graph: Turtle/N-Triples/JSON-LD (union graph), N-Quads/TriG (per article), GraphML."""
    from kg.export import export as do_export
    from kg.export import output_path, replacing

    target = None if output is None else output_path(output)  # refused before the export, not after it
    with Workspace.open(workspace, read_only=True) as ws:
        if target is None:
            buf = io.BytesIO()
            do_export(ws, format.value, buf)
            sys.stdout.buffer.write(buf.getvalue())
        else:
            with replacing(target) as fh:  # never a half-written file under the real name, nor a temporary one
                do_export(ws, format.value, fh)
            say(err, f"wrote {output}")


@app.command()
@friendly
def validate(workspace: WorkspaceOpt = None,
             verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print the full report.")] = False) -> None:
    """Validate the graph against the SHACL shapes; exit 1 if it does not conform."""
    from kg.validate import validate as do_validate

    with Workspace.open(workspace, read_only=True) as ws:
        report = do_validate(ws)
    if report.conforms:
        say(out, "conforms: the graph satisfies every SHACL shape")
        return
    for line in report.text.splitlines() if verbose else report.text.splitlines()[:60]:
        say(out, line)
    raise fail(f"the graph does not conform: {report.violations} violations")


@app.command()
@friendly
def stats(workspace: WorkspaceOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Counts: articles, triples, nodes by label and relationships by type."""
    with Workspace.open(workspace, read_only=True) as ws:
        triples = ws.triple_count()
        articles = len(ws.article_graphs())
        from kg.project import project

        pg = project(ws)
    data = {"articles": articles, "triples": triples, "nodes": len(pg.nodes), "relationships": len(pg.rels),
            "labels": pg.label_counts(), "types": pg.type_counts()}
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    say(out, f"{articles} articles, {triples} triples, {len(pg.nodes)} nodes, {len(pg.rels)} relationships")
    _print_rows([{"label": k, "nodes": v} for k, v in data["labels"].items()], "table")
    _print_rows([{"type": k, "relationships": v} for k, v in data["types"].items()], "table")


# --- evaluation ---------------------------------------------------------------------------------------


@app.command("eval")
@friendly
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files (CONTRACT.md format).")],
    articles: Annotated[Path, typer.Option("--articles", "-a", help="Folder of the articles the gold describes.")],
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    details: Annotated[bool, typer.Option("--details/--no-details", help="List misses and spurious facts.")] = True,
) -> None:
    """Precision, recall and F1 of extracted relations per predicate, and metric recall, against gold files."""
    from kg.evaluate import evaluate

    if not gold_dir.is_dir():
        raise InputError("not a directory", str(gold_dir))
    report = evaluate(gold_dir, articles)
    data = report.as_dict()
    if format == ListFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"predicate": p, **s} for p, s in data["per_predicate"].items()]
    rows.append({"predicate": "ALL (micro)", **data["overall"]})
    _print_rows(rows, "table", title=f"relations over {data['articles']} articles")
    m = data["metrics"]
    say(out, f"metrics: {m['found']}/{m['gold']} recalled ({m['recall']:.2%})")
    if details:
        for x in data["misses"]:
            say(out, ("miss", "yellow"), f" {x['article']}: {x['s']} {x['p']} {x['o']}")
            say(out, f"    {x['sentence']}")
        for x in data["spurious"]:
            say(out, ("spurious", "red"), f" {x['article']}: {x['s']} {x['p']} {x['o']}")
            say(out, f"    {x['sentence']}")
        for x in data["metric_misses"]:
            say(out, ("metric miss", "yellow"), f" {x['article']}: {x['entity']} {x['metric_name']} = {x['value']} "
                                                f"{x['unit']} ({x['period']})")


@app.command()
@friendly
def bench(
    articles: Annotated[list[int] | None, typer.Option("--articles", "-n", help="Corpus size; repeat for several "
                                                       "[default: 1000 and 10000].")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Also measure Neo4j loading and queries (NEO4J_URI...).")]
    = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for the all-cores ingest run.")]
    = os.cpu_count() or 1,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the figures here (and a .png chart).")]
    = None,
    reps: Annotated[int, typer.Option("--reps", help="Repetitions per query latency.")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Corpus seed.")] = 0,
    workdir: Annotated[Path | None, typer.Option("--workdir", help="Keep corpora and workspaces here "
                                                 "[default: a temporary directory, removed after].")] = None,
) -> None:
    """Benchmark every stage on a synthetic corpus and print a table (figures vary with the machine's load)."""
    from kg import bench as b

    records = b.run(list(articles or b.DEFAULT_SIZES), jobs=jobs, neo4j=neo4j, seed=seed, workdir=workdir,
                    json_path=json_file, reps=reps, log=lambda s: err.print(s, highlight=False, markup=False))
    out.print(b.table(records), highlight=False, markup=False)


if __name__ == "__main__":  # pragma: no cover
    app()
