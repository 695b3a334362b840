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
from kg import api, render
from kg import queries as catalogue
from kg.store import Workspace

# Help texts are plain text: in typer's rich markup mode "[default: ./.kg]" or "[env NEO4J_URI]" would vanish.
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"max_content_width": 120})
# typer labels each argument with its Python type ("NAME <str>", "PATH <list[Path]>"): the metavar says enough
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

query_app = typer.Typer(help="List, show and run the stored analytical queries.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(query_app, name="query")
analytics_app = typer.Typer(help="Graph analytics on the NetworkX graph: PageRank, paths, sanction exposure.",
                            no_args_is_help=True, rich_markup_mode=None)
app.add_typer(analytics_app, name="analytics")

# Nothing printed is ever parsed as rich markup or emoji codes: titles, URLs, names, file names and parameters come
# from input, and "[/x]" would end in a MarkupError, "[link=...]" in a live hyperlink. Lines are built by `say`
# from plain text (and styles given apart from it), table cells are Text; `shown` escapes control characters.
out = Console(soft_wrap=True, width=200, markup=False, emoji=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)
PIPED_WIDTH = 200  # columns of a table written to a pipe or file when $COLUMNS does not say


def output_width() -> int:
    """Columns tables are fitted to: ``$COLUMNS`` when set (a pipe has no width of its own), else the terminal's,
    else ``PIPED_WIDTH``. Read at each command, not at import: the variable may change (a test, a notebook)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size((80, 24)).columns
    return PIPED_WIDTH

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
    "--workspace", "-w", envvar="KG_WORKSPACE", metavar="DIR", show_default=False,
    help="Workspace directory holding the graph [default: ./.kg].")]


class Backend(StrEnum):
    rdf = "rdf"
    networkx = "networkx"
    neo4j = "neo4j"
    sparql = "sparql"


class Target(StrEnum):
    neo4j = "neo4j"
    sparql = "sparql"


class SparqlDataset(StrEnum):
    union = "union"
    from_graphs = "from-graphs"


class SparqlProtocol(StrEnum):
    auto = "auto"
    gsp_put = "gsp-put"
    fuseki_quads = "fuseki-quads"


UriOpt = Annotated[str | None, typer.Option("--uri", metavar="URI", show_default=False,
                                            help="Bolt URI [env NEO4J_URI, default bolt://127.0.0.1:7687].")]
UserOpt = Annotated[str | None, typer.Option("--user", metavar="NAME", show_default=False,
                                             help="User [env NEO4J_USERNAME, default neo4j].")]
PasswordOpt = Annotated[str | None, typer.Option("--password", metavar="TEXT", show_default=False,
                                                 help="Password [env NEO4J_PASSWORD].")]
DatabaseOpt = Annotated[str | None, typer.Option("--database", metavar="NAME", show_default=False,
                                                 help="Database [env NEO4J_DATABASE, default neo4j].")]


EndpointOpt = Annotated[str | None, typer.Option(
    "--endpoint", metavar="URL", show_default=False,
    help="SPARQL query endpoint, e.g. http://127.0.0.1:3030/cikg/sparql [env KG_SPARQL_ENDPOINT].")]
DatasetOpt = Annotated[SparqlDataset, typer.Option(
    "--dataset", metavar="union|from-graphs",
    help="SPARQL store: union: its default graph is the union of its named graphs (Fuseki/TDB2 so configured, "
         "GraphDB, Virtuoso, Neptune, QLever); from-graphs: add FROM and FROM NAMED for every graph.")]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
    graphml = "graphml"


FORMAT_HELP = "table for people; json or csv for programs."
FormatOpt = Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv", help=FORMAT_HELP)]
SummaryFormatOpt = Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv",
                                                  help="The summary: a line for people; json or csv for programs.")]
# `--json` was the flag of ingest, lookup and stats before every command took --format: kept, hidden, for scripts
JsonFlag = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json (deprecated).")]


def _format(fmt: StrEnum, as_json: bool = False) -> str:
    return "json" if as_json else fmt.value


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
        out.width = output_width()
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


def _print_rows(rows: list[dict[str, object]], fmt: str, title: str | None = None,
                empty: str = "(no rows)", columns: list[str] | None = None) -> None:
    """Rows as a table (fitted to ``output_width``, numbers and URLs as people read them), JSON or CSV;
    ``columns`` give an empty CSV its header."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        if rows or columns:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        sys.stdout.write(buf.getvalue())
    else:
        from rich import box

        shown_rows = render.table_rows(rows, render.id_width(out.width))
        columns = list(shown_rows[0]) if shown_rows else (columns or [empty])
        # the narrowest a column can be and still read well: its longest value, up to 12 characters
        least = sum(min(max([len(c), *(len(r[c]) for r in shown_rows)]), 12) for c in columns) + 3 * (len(columns) - 1)
        if shown_rows and least > out.width:  # too many columns for the width: one block of "column  value" a row
            keys = max(len(c) for c in columns) + 2
            _print_records(render.table_rows(rows, max(16, out.width - keys)), title)
            return
        table = Table(title=Text(shown(title)) if title else None, show_lines=False, title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col in columns if shown_rows else [empty]:
            values = [r[col] for r in shown_rows]
            numeric = bool(rows) and all(isinstance(r.get(col), int | float) and not isinstance(r.get(col), bool)
                                         for r in rows if r.get(col) is not None)
            # numbers, dates and ids (already shortened) stay on one line; names and prose wrap between words
            keep = numeric or all(_DATE_CELL.fullmatch(v) for v in values if v) or all(
                render.looks_like_id(str(rows[i].get(col))) for i in range(len(rows)) if rows[i].get(col))
            table.add_column(Text(shown(col)), overflow="fold", no_wrap=keep, justify="right" if numeric else "left")
        for row in shown_rows:
            table.add_row(*(Text(shown(v)) for v in row.values()))  # Text: a cell is never markup
        out.print(table)


def _print_records(rows: list[dict[str, str]], title: str | None) -> None:
    """Rows too wide for the terminal, one block each: a "column  value" line per column, values wrapped."""
    if title:
        say(out, (title, "bold"))
    for i, row in enumerate(rows, start=1):
        say(out, (f"-- row {i} ", "dim"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for key, value in row.items():
            grid.add_row(Text(shown(key)), Text(shown(value)))
        out.print(grid)


_DATE_CELL = re.compile(r"\(?\d{4}-\d{2}-\d{2}(T[\d:]+Z?)?\)?|\d{4}-Q\d|\d{4}-H\d|FY\d{4}|Q\d FY\d{4}")


def _cell(value: object) -> str:
    """A value as CSV holds it: exact (no separators, no units), lists joined by "; "."""
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
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", show_default=False,
                                                help="Article files or folders (.txt .md .html .jsonl, feeds).")],
    workspace: WorkspaceOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, summary only.")] = False,
    format: SummaryFormatOpt = Format.table,
    as_json: JsonFlag = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, metavar="N",
                                      help="Worker processes for reading and extraction (0: one per core).")] = 1,
) -> None:
    """Read articles, extract their facts and store them (with provenance) in the workspace.

    An article keeps its identity across edits (its URL, else its title and date), so ingesting a changed
    file replaces the article it held; an unchanged one is skipped. Bad files are reported one line each and
    the rest are kept; the exit status is 1 if any file failed.
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
    fmt = _format(format, as_json)
    if fmt == "json":
        sys.stdout.write(json.dumps(s) + "\n")
    elif fmt == "csv":
        _print_rows([s], "csv")
    else:
        changes = [f"{s['updated']} updated"] if s["updated"] else []
        changes.append(f"{s['unchanged']} unchanged")
        if s["removed"]:
            changes.append(f"{s['removed']} removed: no longer in their files")
        # the shape scripts and tests read: "ingested N articles (M unchanged) from F files: ..., E errors"
        say(out, f"ingested {s['articles']} articles ({', '.join(changes)}) from {s['files']} files: "
                 f"{s['facts']} facts, {s['metrics']} metrics, {s['entities']} entities; "
                 f"{s['skipped']} skipped, {s['errors']} errors")
    if result.errors:
        raise typer.Exit(1)


def _count(n: object, one: str, many: str | None = None) -> str:
    """``3 articles``, ``1 article``, with thousands separators."""
    number = int(n)  # type: ignore[call-overload]
    return f"{number:,} {one if number == 1 else many or one + 's'}"


@app.command()
@friendly
def extract(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", show_default=False,
                                                help="Article files or folders.")],
    format: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", metavar="jsonl|table|json|csv",
        help="jsonl: one fact a line, as it is found; table for people; json or csv.")] = ExtractFormat.jsonl,
    trace: Annotated[bool, typer.Option(
        "--trace", help="Instead of the facts, show per sentence the mentions found, the frames that fired, were "
                        "blocked (and by which word) or nearly fired (a role left empty), and the facts taken.")]
    = False,
    lexicon: Annotated[list[Path] | None, typer.Option(
        "--lexicon", "-l", metavar="FILE", help="An analyst's lexicon file (YAML, the layout of "
        "ontology/lexicon.yaml) merged over the shipped one; repeat for several. $KG_LEXICON also names some.")]
    = None,
) -> None:
    """Print the relations and metrics found in articles, without storing them (CONTRACT.md fields)."""
    errors: list[str] = []
    rows = []
    traces: list[tuple[object, list[dict[str, object]]]] | None = [] if trace else None
    extractions = api.extract_paths(paths, errors=errors, lexicons=lexicon or (), traces=traces)  # type: ignore[arg-type]
    if trace:
        for _ in extractions:
            while traces:
                article, steps = traces.pop(0)
                _print_trace(article, steps)
        for line in errors:
            say(err, (f"error: {line}", "red"))
        if errors:
            raise typer.Exit(1)
        return
    for extraction in extractions:
        for rec in api.records(extraction):
            if format == ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            elif format == ExtractFormat.table:
                rows.append({"article": rec["article"], "subject": rec["subject_label"],
                             "predicate": str(rec["predicate"]).rsplit("#", 1)[-1], "object": rec["object_label"],
                             "period": rec.get("period") or "", "rule": rec["rule"]})
            else:
                rows.append(rec)
    if format != ExtractFormat.jsonl:
        _print_rows(rows, format.value, empty="(no facts)")
    for line in errors:
        say(err, (f"error: {line}", "red"))
    if errors:
        raise typer.Exit(1)


def _print_trace(article: object, steps: list[dict[str, object]]) -> None:
    """One article's trace, a block per sentence that names anything (``kg extract --trace``)."""
    say(out, (f"== {shown(str(getattr(article, 'id', '')))}", "bold"), f"  {shown(str(getattr(article, 'title', '')))}")
    for step in steps:
        mentions = step.get("mentions") or []
        if not mentions:
            continue
        say(out, f"[{step['start']}] {shown(str(step['sentence']))}")
        names = "; ".join(f"{shown(str(m['text']))} -> {shown(str(m['entity']))} ({m['type']}, {m['rule']})"
                          for m in mentions)  # type: ignore[union-attr]
        say(out, ("  mentions: ", "dim"), names)
        for f in step.get("frames") or []:  # type: ignore[union-attr]
            if f.get("nearly"):
                say(out, ("  nearly:   ", "yellow"), f"{f['frame']} on {shown(str(f['trigger']))!r}: no {f['missing']} "
                                                      f"of the kind {f['predicate']} takes (found "
                                                      f"{', '.join(map(shown, f['found'])) or 'nothing'})")
            elif f.get("blocked"):
                say(out, ("  blocked:  ", "red"), f"{f['frame']}  {shown(str(f['subject']))} {f['predicate']} "
                                                  f"{shown(str(f['object']))}  (by {shown(str(f['blocked']))!r})")
            else:
                say(out, ("  fired:    ", "green"), f"{f['frame']}  {shown(str(f['subject']))} {f['predicate']} "
                                                    f"{shown(str(f['object']))}")
        for f in step.get("facts") or []:  # type: ignore[union-attr]
            say(out, ("  fact:     ", "bold"), f"{shown(str(f['subject']))} {f['predicate']} {shown(str(f['object']))}"
                                              f"  [{f['rule']}]")


# --- the workspace's articles ----------------------------------------------------------------------------


@app.command("articles")
@friendly
def articles_(workspace: WorkspaceOpt = None, format: FormatOpt = Format.table) -> None:
    """List the articles in the workspace: id, date, title, the file it came from, facts and metrics.

    The table shows the file an article came from (else its id), and for an undated article the day it was
    first ingested, in brackets: its facts count from then. json and csv have every field.
    """
    items = api.articles(workspace)
    rows = [a.row() for a in items]
    if format == Format.table:  # to fit 80 columns: the file (else the id), the ingest day for a missing date
        rows = [{"article": r["path"] or r["id"], "date": r["date"] or f"({str(r['ingested'] or '')[:10]})",
                 "facts": r["facts"], "metrics": r["metrics"], "title": r["title"]} for r in rows]
    _print_rows(rows, format.value, title=f"{_count(len(rows), 'article')}" if format == Format.table else None,
                empty="(no articles)")


@app.command()
@friendly
def remove(
    articles: Annotated[list[str], typer.Argument(
        metavar="ARTICLE", show_default=False,
        help="Article ids, or files (every article read from one), as `kg articles` lists them.")],
    workspace: WorkspaceOpt = None,
    format: SummaryFormatOpt = Format.table,
) -> None:
    """Take articles out of the workspace, with everything only they supported.

    Their facts, mentions and evidence go; so do entities and metrics no other article refers to. What other
    articles also state stays. If one ARTICLE names nothing, nothing is removed.
    """
    report = api.remove(articles, workspace)
    data = report.as_dict()
    if format != Format.table:
        _print_rows([{**data, "removed": data["removed"]}], format.value)
        return
    say(out, f"removed {_count(data['articles'], 'article')} ({_count(data['facts'], 'fact')}; "
             f"{_count(data['descriptions'], 'entity or metric', 'entities and metrics')} no other article refers to)")
    for a in report.articles:
        say(out, f"  {a.id}  ", (a.title, "dim"))


# --- queries ------------------------------------------------------------------------------------------


@query_app.command("list")
@friendly
def query_list(format: FormatOpt = Format.table) -> None:
    """List the stored queries with their parameters and backends."""
    items = [q.to_dict() for q in catalogue.catalogue().values()]
    if format == Format.json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"name": q["name"], "description": q["description"],
             "params": ", ".join(f"{p['name']}={p['example']}" for p in q["params"]),
             "backends": ", ".join(q["backends"])} for q in items]
    _print_rows(rows, format.value)


@query_app.command("show")
@friendly
def query_show(name: Annotated[str, typer.Argument(metavar="NAME", show_default=False,
                                                   help="Query name (see `kg query list`).")]) -> None:
    """Show a stored query: description, parameters, and its SPARQL and Cypher text, exactly as stored."""
    q = catalogue.get(name)
    say(out, (q.name, "bold"), f": {q.description}")
    for p in q.params:
        say(out, "  param ", (p.name, "cyan"), f" ({p.type}): {p.description} (example: {p.example})")
    say(out, f"  backends: {', '.join(q.backends)}")
    texts = [("SPARQL", q.sparql), ("Cypher", q.cypher)]
    if q.cypher_networkx:
        texts.append(("Cypher for networkx (grand-cypher)", q.cypher_networkx))
    for label, text in texts:
        out.print()
        say(out, (label, "bold"))
        out.file.flush()
        sys.stdout.write(text if text.endswith("\n") else text + "\n")  # as stored: "[r:COMPETES_WITH]" is Cypher
        sys.stdout.flush()


@query_app.command("export")
@friendly
def query_export(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                         help="Folder to write into (git-ignored in a checkout).")] = Path(
        "cikg-browser"),
) -> None:
    """Export the stored Cypher queries as Neo4j Browser favourites, with the GraSS style sheet, and the stored
    SPARQL with the example parameters bound (DIR/sparql/NAME.rq)."""
    import shutil

    from kg.backends import sparql_text
    from ontology import NEO4J_DIR

    written = catalogue.browser_favorites(output)
    shutil.copyfile(NEO4J_DIR / "style.grass", output / "style.grass")
    sparql = sparql_text.write_examples(output / "sparql")
    say(out, f"wrote {len(written)} files and style.grass to {output}/: drag cikg-favorites.zip onto Browser's "
             "Favorites panel and style.grass onto its window")
    say(out, f"wrote {len(sparql)} SPARQL queries with their example parameters bound to {output}/sparql/: paste "
             "one into YASGUI or run it with Jena (arq --query FILE)")


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
    name: Annotated[str, typer.Argument(metavar="NAME", show_default=False,
                                        help="Query name (see `kg query list`).")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", metavar="NAME=VALUE", show_default=False,
        help="A parameter; repeat for several. Names may be aliases or tickers; dates may be 7d, yesterday.")]
    = None,
    backend: Annotated[Backend, typer.Option("--backend", "-b", metavar="rdf|networkx|neo4j|sparql",
                                             help="Where to run it.")] = Backend.rdf,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    endpoint: EndpointOpt = None,
    dataset: DatasetOpt = SparqlDataset.union,
    explain: Annotated[bool, typer.Option("--explain", help="Add each row's evidence: articles and sentences.")] = (
        False),
) -> None:
    """Run a stored query with bound parameters and print its rows (Neo4j: settings from NEO4J_* or flags;
    sparql: any SPARQL 1.1 store at --endpoint, --user/--password for HTTP Basic authentication).

    A parameter that names an entity must name one in the graph: an alias or ticker is read as the entity's
    name, and a name that names nothing is an error saying which names come close.
    """
    notes: list[str] = []
    if backend == Backend.sparql:
        from kg.backends import sparql

        rows = sparql.run_query(name, _parse_params(param), sparql.Endpoint.from_options(
            endpoint, user=user, password=password, dataset=dataset.value), notes=notes)
    else:
        rows = api.run_query(name, _parse_params(param), backend.value, workspace, notes=notes, uri=uri, user=user,
                             password=password, database=database)
    for note in notes:
        say(err, f"note: {note}")
    if not explain:
        _print_rows(rows, format.value, title=name if format == Format.table else None,
                    columns=list(catalogue.get(name).columns))
        return
    from kg.provenance import explain_rows

    explained = explain_rows(name, rows, workspace)
    if format == Format.json:
        _print_rows(explained, "json")
    elif format == Format.csv:
        _print_rows([{**r, "evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in explained], "csv")
    else:
        _print_rows(rows, "table", title=name)
        for i, r in enumerate(explained, start=1):
            values = ", ".join(render.cell(v) for k, v in r.items() if k != "evidence")
            say(out, (f"row {i}", "bold"), f": {values}")
            _print_evidence(r["evidence"])


def _print_evidence(evidence: list[dict[str, object]]) -> None:
    if not evidence:
        say(out, "  (no evidence found)")
    for e in evidence:
        say(out, f"  {e['fact']}  ", (f"{e['date'] or 'undated'} {e['article']}", "dim"))
        say(out, f"    \"{e['sentence']}\"")


@app.command()
@friendly
def why(
    subject: Annotated[str, typer.Argument(metavar="SUBJECT", show_default=False,
                                           help="Subject name, alias or ticker, e.g. \"Alibaba Group\".")],
    predicate: Annotated[str, typer.Argument(metavar="PREDICATE", show_default=False,
                                             help="Predicate, e.g. investsIn (or INVESTS_IN).")],
    object: Annotated[str, typer.Argument(metavar="OBJECT", show_default=False,
                                          help="Object name, alias or ticker, e.g. \"Zhipu AI\".")],
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Print the evidence for one fact: each article (date, id, headline) and sentence that states it."""
    from kg.provenance import why as do_why

    evidence = do_why(subject, predicate, object, workspace)
    if format != Format.table:
        _print_rows(evidence, format.value)
        return
    n = len({e["article"] for e in evidence})
    say(out, (f"{subject} {predicate} {object}", "bold"), f": {_count(n, 'article')}")
    for e in evidence:
        say(out, f"  {e['date'] or 'undated'}  {e['title']}  ", (e["article"], "dim"))
        say(out, f"    \"{e['sentence']}\"  ", (f"({e['rule']}, {e['confidence']})", "dim"))


# --- analytics ----------------------------------------------------------------------------------------


def _nx_graph(workspace: Path | None):
    from kg.project import to_networkx

    return to_networkx(api.property_graph(workspace))


@analytics_app.command("pagerank")
@friendly
def analytics_pagerank(
    top: Annotated[int, typer.Option("--top", "-n", min=0, metavar="N", help="Only the first N rows (0: all).")]
    = 0,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """PageRank of companies in the network of competition and partnership facts."""
    from kg.analytics import pagerank

    _print_rows(pagerank(_nx_graph(workspace), top=top or None), format.value,
                title="pagerank" if format == Format.table else None)


@analytics_app.command("path")
@friendly
def analytics_path(
    source: Annotated[str, typer.Argument(metavar="A", show_default=False, help="An entity name or alias.")],
    target: Annotated[str, typer.Argument(metavar="B", show_default=False, help="Another entity name or alias.")],
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """A shortest chain of facts between two entities, each step with its sources and first report date."""
    from kg.analytics import shortest_path

    _print_rows(shortest_path(_nx_graph(workspace), source, target), format.value,
                title=f"{source} .. {target}" if format == Format.table else None)


@analytics_app.command("exposure")
@friendly
def analytics_exposure(
    company: Annotated[str | None, typer.Option("--company", "-c", metavar="NAME", show_default=False,
                                                help="Only this company.")] = None,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Each company's exposure to each sanction through company -> (model ->) chip -> sanction chains."""
    from kg.analytics import exposure

    _print_rows(exposure(_nx_graph(workspace), company), format.value,
                title="sanction exposure" if format == Format.table else None)


# --- Neo4j -------------------------------------------------------------------------------------------


@app.command()
@friendly
def load(
    target: Annotated[Target, typer.Argument(metavar="neo4j|sparql", show_default=False,
                                             help="Where to load the graph (neo4j, or a SPARQL 1.1 store).")],
    wipe: Annotated[bool, typer.Option("--wipe", help="Delete everything in the database first.")] = False,
    batch_size: Annotated[int | None, typer.Option(
        "--batch-size", min=1, metavar="N", show_default=False,
        help="Neo4j: most rows per UNWIND transaction [10000]; SPARQL: most graphs per batch [200].")] = None,
    workspace: WorkspaceOpt = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    endpoint: EndpointOpt = None,
    graph_store: Annotated[str | None, typer.Option(
        "--graph-store", metavar="URL", show_default=False,
        help="SPARQL: Graph Store Protocol endpoint [env KG_SPARQL_GRAPH_STORE; default: --endpoint with "
             "/sparql or /query replaced by /data, Fuseki's layout].")] = None,
    protocol: Annotated[SparqlProtocol, typer.Option(
        "--protocol", metavar="auto|gsp-put|fuseki-quads",
        help="SPARQL: gsp-put: a PUT per graph (any store); fuseki-quads: a batch of graphs per N-Quads POST; "
             "auto: fuseki-quads where the store is Fuseki.")] = SparqlProtocol.auto,
    format: SummaryFormatOpt = Format.table,
) -> None:
    """Load the workspace's graph into Neo4j (same projection as NetworkX) or a SPARQL store, idempotently.

    Neo4j: creates the constraints it relies on, then writes nodes and relationships in batched transactions
    (CREATE into an empty database, MERGE otherwise), and deletes what an earlier load wrote that the
    workspace no longer has. SPARQL (--endpoint URL): a named graph per article plus the entity graph through
    the Graph Store Protocol, only those added, changed or removed since the last load (recorded in the
    workspace); a failed load is completed by running it again. Loading twice changes nothing; the summary
    says what changed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if target == Target.sparql:
        _load_sparql(workspace, endpoint, graph_store, user, password, wipe, batch_size, protocol.value, format)
        return

    from kg import neo4j_backend as nb

    settings = nb.Settings.from_env(uri, user, password, database)
    pg = api.property_graph(workspace)
    total = len(pg.nodes) + len(pg.rels)
    with Progress(TextColumn("load"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("load", total=total)
        report = nb.load(pg, settings, batch_size=batch_size or 10000, wipe=wipe,
                         on_batch=lambda n: progress.advance(task, n))
    if format != Format.table:
        data = report.as_dict()
        _print_rows([{**data, "database": None, "database_nodes": report.counts["nodes"],
                      "database_relationships": report.counts["relationships"], "uri": settings.uri}
                     if format == Format.csv else {**data, "uri": settings.uri}], format.value)
        return
    changes = (f"{report.created_nodes:,} new nodes, {report.created_relationships:,} new relationships"
               + (f", {report.deleted_nodes:,} nodes and {report.deleted_relationships:,} relationships deleted "
                  "(no longer in the workspace)" if report.deleted_nodes or report.deleted_relationships else ""))
    if not report.changed:
        changes = "nothing changed: 0 new nodes, 0 new relationships"
    say(out, f"loaded {settings.uri} ({settings.database}): {changes}; the database holds "
             f"{report.counts['nodes']:,} nodes and {report.counts['relationships']:,} relationships "
             f"({report.seconds:.2f} s, {report.batches} batches)")


def _load_sparql(workspace: Path | None, endpoint: str | None, graph_store: str | None, user: str | None,
                 password: str | None, wipe: bool, batch_size: int | None, protocol: str, format: Format) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.backends import sparql

    target = sparql.Endpoint.from_options(endpoint, graph_store, user, password)
    with Progress(TextColumn("load"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("load", total=None)
        report = sparql.load(workspace, target, batch_graphs=batch_size or sparql.BATCH_GRAPHS, protocol=protocol,
                             wipe=wipe, on_batch=lambda n: progress.advance(task, n))
    if format != Format.table:
        _print_rows([report.as_dict()], format.value)
        return
    if report.changed:
        changes = (f"{report.added:,} graphs added, {report.replaced:,} replaced, {report.deleted:,} deleted, "
                   f"{report.unchanged:,} unchanged ({report.triples_sent:,} triples sent)")
    else:
        changes = f"nothing changed: {report.unchanged:,} graphs as they were"
    say(out, f"loaded {report.target} ({report.protocol}): {changes}; the workspace has {report.graphs:,} graphs, "
             f"{report.triples:,} triples ({report.seconds:.2f} s, {report.batches} batches, "
             f"{report.requests} requests)".replace(" 1 batches", " 1 batch"))


# --- lookup, search, export, validate, stats ----------------------------------------------------------


@app.command()
@friendly
def lookup(
    name: Annotated[str, typer.Argument(metavar="NAME", show_default=False,
                                        help="An entity's name, alias, ticker or Chinese name, e.g. Baidu, BIDU, "
                                             "文心一言.")],
    workspace: WorkspaceOpt = None,
    format: FormatOpt = Format.table,
    as_json: JsonFlag = False,
) -> None:
    """Show an entity card: type, aliases, relations, metrics and the articles that mention it.

    A name that is not exact finds the one entity clearly closest to it (said on stderr), else the error
    names the closest ones.
    """
    found = api.lookup(name, workspace)
    if found.note:
        say(err, f"note: {found.note}")
    fmt = _format(format, as_json)
    if fmt == "json":
        sys.stdout.write(json.dumps([c.to_dict() for c in found.cards], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        _print_rows(_card_rows(found.cards), "csv")
        return
    for c in found.cards:
        say(out, (c.label, "bold"), f" ({c.type})  {c.iri}")
        if not c.in_workspace:
            say(out, "  (in the knowledge base only: no ingested article mentions it)")
        if c.aliases:
            say(out, f"  aliases: {', '.join(c.aliases)}")
        if c.wikidata:
            say(out, f"  wikidata: {c.wikidata}")
        for r in c.relations:
            p, o = r["predicate"], r["other"]
            arrow = {"out": f"{p} -> {o}", "both": f"{p} <-> {o}"}.get(str(r["direction"]), f"<- {o} {p}")
            say(out, f"  {arrow}  ", (f"({_count(r['sources'], 'source')})", "dim"))
        for m in c.metrics:
            value = render.quantity(m["value"], str(m["unit"])) if isinstance(m["value"], int | float) \
                else f"{m['value']} {m['unit']}"
            say(out, f"  metric: {m['name']} = {value}{' (' + str(m['period']) + ')' if m['period'] else ''}  ",
                (m["articles"], "dim"))
        for src in c.sources:
            say(out, f"  source: {src['date'] or 'undated'}  {src['title']}  ", (src["id"], "dim"))


def _card_rows(cards: list) -> list[dict[str, object]]:
    """Entity cards as rows (CSV): one per alias, relation, metric and source of each card."""
    rows: list[dict[str, object]] = []
    for c in cards:
        base = {"entity": c.label, "type": c.type}
        rows += [{**base, "section": "alias", "key": "", "value": a, "detail": ""} for a in c.aliases]
        if c.wikidata:
            rows.append({**base, "section": "wikidata", "key": "", "value": c.wikidata, "detail": ""})
        rows += [{**base, "section": "relation", "key": r["predicate"], "value": r["other"],
                  "detail": f"{r['direction']}; {r['sources']} sources"} for r in c.relations]
        rows += [{**base, "section": "metric", "key": m["name"], "value": f"{_cell(m['value'])} {m['unit']}",
                  "detail": f"{m['period'] or ''}; {m['articles']}"} for m in c.metrics]
        rows += [{**base, "section": "source", "key": s["date"] or "", "value": s["title"], "detail": s["id"]}
                 for s in c.sources]
    return rows


@app.command()
@friendly
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", show_default=False,
                                        help="Part of a name, or a name as you would spell it.")],
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N", help="At most N rows.")] = 10,
    type_: Annotated[str | None, typer.Option("--type", "-t", metavar="CLASS", show_default=False,
                                              help="Only entities of this class (Company, AIModel, Chip...).")]
    = None,
    format: FormatOpt = Format.table,
) -> None:
    """Find entities by a name you cannot spell: labels, aliases, tickers and Chinese names, fuzzily.

    Searches the workspace and the knowledge base; in_workspace says whether an ingested article mentions it.
    """
    from ingest.kb import vocabulary

    if type_ is not None and type_ not in vocabulary().classes:
        raise InputError(f"--type {type_!r} is not a class (one of: {', '.join(sorted(vocabulary().classes))})")
    hits = api.search(text, workspace, limit=limit, type_=type_)
    if not hits:
        raise InputError(f"no name comes close to {text!r}")
    _print_rows([h.row() for h in hits], format.value, title=f"names like {text!r}" if format == Format.table
                else None)


@app.command()
@friendly
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", metavar="ttl|nt|nq|trig|jsonld|graphml",
                                                 help="Graph format.")] = ExportFormat.ttl,
    output: Annotated[str | None, typer.Option(  # a str as given: "" is not "." (as a Path it would be)
        "--output", "-o", parser=str, metavar="FILE",
        help="A regular file to replace or a new file [default: stdout].")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export the graph: Turtle/N-Triples/JSON-LD (union graph), N-Quads/TriG (per article), GraphML."""
    from kg.export import export as do_export
    from kg.export import output_path, replacing

    target = None if output is None else output_path(output)  # refused before the export, not after it
    with Workspace.open(workspace, read_only=True, must_exist=True) as ws:
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

    with Workspace.open(workspace, read_only=True, must_exist=True) as ws:
        report = do_validate(ws)
    if report.conforms:
        say(out, "conforms: the graph satisfies every SHACL shape")
        return
    for line in report.text.splitlines() if verbose else report.text.splitlines()[:60]:
        say(out, line)
    raise fail(f"the graph does not conform: {report.violations} violations")


@app.command()
@friendly
def stats(workspace: WorkspaceOpt = None, format: FormatOpt = Format.table, as_json: JsonFlag = False) -> None:
    """Counts: articles, triples, nodes by label and relationships by type."""
    data = api.stats(workspace)
    fmt = _format(format, as_json)
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    rows: list[dict[str, object]] = [{"kind": "total", "name": k, "count": data[k]}
                                     for k in ("articles", "triples", "nodes", "relationships")]
    rows += [{"kind": "label", "name": k, "count": v} for k, v in data["labels"].items()]  # type: ignore[union-attr]
    rows += [{"kind": "type", "name": k, "count": v} for k, v in data["types"].items()]  # type: ignore[union-attr]
    if fmt == "csv":
        _print_rows(rows, "csv")
        return
    say(out, f"{_count(data['articles'], 'article')}, {_count(data['triples'], 'triple')}, "
             f"{_count(data['nodes'], 'node')}, {_count(data['relationships'], 'relationship')}")
    _print_rows([{"label": r["name"], "nodes": r["count"]} for r in rows if r["kind"] == "label"], "table")
    _print_rows([{"type": r["name"], "relationships": r["count"]} for r in rows if r["kind"] == "type"], "table")


# --- evaluation ---------------------------------------------------------------------------------------


@app.command("eval")
@friendly
def eval_(
    gold_dir: Annotated[Path, typer.Argument(metavar="GOLD_DIR", show_default=False,
                                             help="Folder of gold JSON files (CONTRACT.md format).")],
    articles: Annotated[Path, typer.Option("--articles", "-a", metavar="DIR", show_default=False,
                                           help="Folder of the articles the gold describes.")],
    format: FormatOpt = Format.table,
    details: Annotated[bool, typer.Option("--details/--no-details", help="List misses and spurious facts.")] = True,
    lexicon: Annotated[list[Path] | None, typer.Option(
        "--lexicon", "-l", metavar="FILE", help="An analyst's lexicon file merged over the shipped one (repeat for "
        "several), to measure a new phrasing.")] = None,
) -> None:
    """Precision, recall and F1 of extracted relations per predicate, and metric recall and precision, against gold
    files."""
    from ingest.kb import kb_for
    from kg.evaluate import evaluate

    if not gold_dir.is_dir():
        raise InputError("not a directory", str(gold_dir))
    report = evaluate(gold_dir, articles, kb_for(lexicon or ()))
    data = report.as_dict()
    if format == Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"predicate": p, **s} for p, s in data["per_predicate"].items()]
    rows.append({"predicate": "ALL (micro)", **data["overall"]})
    if format == Format.csv:
        _print_rows(rows, "csv")
        return
    _print_rows(rows, "table", title=f"relations over {data['articles']} articles")
    m = data["metrics"]
    say(out, f"metrics: {m['found']}/{m['gold']} recalled ({m['recall']:.2%}); {m['correct']}/{m['extracted']} "
             f"extracted rows match a gold metric (precision {m['precision']:.2%})")
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
        for x in data["metric_spurious"]:
            say(out, ("spurious metric", "red"), f" {x['article']}: {x['entity']} {x['metric_name']} = {x['value']} "
                                                 f"{x['unit']} ({x['period']})")
            say(out, f"    {x['sentence']}")


@app.command()
@friendly
def bench(
    articles: Annotated[list[int] | None, typer.Option(
        "--articles", metavar="N", show_default=False,
        help="Corpus size in articles; repeat for several [default: 1000 and 10000].")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Also measure Neo4j loading and queries (NEO4J_URI...).")]
    = False,
    sparql: Annotated[str | None, typer.Option(
        "--sparql", metavar="URL", show_default=False,
        help="Also measure loading into this SPARQL store (query endpoint; its data are replaced) and the stored "
             "queries there, e.g. http://127.0.0.1:3030/cikg/sparql (make fuseki-start).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N",
                                      help="Worker processes for the all-cores ingest run.")] = os.cpu_count() or 1,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                help="Write the figures here as JSON (and FILE.png, a chart).")]
    = None,
    json_file: Annotated[Path | None, typer.Option("--json", hidden=True, metavar="FILE",
                                                   help="Same as --output (deprecated).")] = None,
    reps: Annotated[int, typer.Option("--reps", metavar="N", help="Repetitions per query latency.")] = 20,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Corpus seed.")] = 0,
    workdir: Annotated[Path | None, typer.Option("--workdir", metavar="DIR", show_default=False,
                                                 help="Keep corpora and workspaces here "
                                                      "[default: a temporary directory, removed after].")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", metavar="table|json",
                                               help="table for people; json: the figures, one record per size.")]
    = ListFormat.table,
) -> None:
    """Benchmark every stage on a synthetic corpus and print a table (figures vary with the machine's load)."""
    from kg import bench as b

    records = b.run(list(articles or b.DEFAULT_SIZES), jobs=jobs, neo4j=neo4j, sparql=sparql, seed=seed,
                    workdir=workdir,
                    json_path=output or json_file, reps=reps,
                    log=lambda s: err.print(s, highlight=False, markup=False))
    if format == ListFormat.json:
        sys.stdout.write(json.dumps(records, indent=2, default=str) + "\n")
        return
    out.print(b.table(records), highlight=False, markup=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("cikg")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown (not installed)"
        sys.stdout.write(f"kg (cikg) {number}\n")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """cikg: turn news articles about AI, chips and sanctions into an answerable knowledge graph.

    Every command that reads or writes a workspace takes -w DIR (or KG_WORKSPACE; default ./.kg); every
    command that prints rows takes -f table|json|csv.
    """


if __name__ == "__main__":  # pragma: no cover
    app()
