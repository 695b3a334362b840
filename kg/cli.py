"""``kg``: the command line over :mod:`kg.api`. Each command parses its options, calls one library function and
prints what it returns (tables here, lines built by :mod:`kg.render`).

Start-up time matters (``kg --help`` under 0.3 s, a stored query under 0.5 s: ``benchmarks/startup.py``): this
module imports typer and the light :mod:`kg.api` only; rich, the stores and the extractor are imported by the
command that needs them.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import sys
import typing
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.models import OptionInfo, ParameterInfo

from ingest.model import InputError
from kg import api, render

if TYPE_CHECKING:
    from rich.console import Console

    from ingest.model import Article

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
class _LazyConsole:
    """A rich ``Console`` made on first use (importing rich costs tens of milliseconds `kg --help` does not need);
    attributes are the console's, ``real`` is the console itself."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


out = _LazyConsole(soft_wrap=True, width=200, markup=False, emoji=False, highlight=False)
err = _LazyConsole(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)
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


def say(console: _LazyConsole, *parts: object) -> None:
    """Print one line made of ``parts``: each plain text (``shown``), or a ``(text, style)`` pair to style it."""
    from rich.text import Text

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


F = TypeVar("F", bound=Callable[..., None])


def friendly(fn: F) -> F:
    """Bad input becomes one clear line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        out.real.width = output_width()
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

    return wrapper  # type: ignore[return-value]


def say_lines(console: _LazyConsole, lines: list[render.Line]) -> None:
    """Print lines built by :mod:`kg.render` (parts of text and styles)."""
    for line in lines:
        say(console, *line)


def _print_rows(rows: list[dict[str, object]], fmt: str, title: str | None = None,
                empty: str = "(no rows)", columns: list[str] | None = None) -> None:
    """Rows as a table (fitted to ``output_width``, numbers and URLs as people read them), JSON or CSV;
    ``columns`` give an empty CSV its header."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        if rows or columns:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else columns or [], lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: render.exact(v) for k, v in row.items()})
        sys.stdout.write(buf.getvalue())
    else:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        shown_rows = render.table_rows(rows, render.id_width(out.width))
        header = list(shown_rows[0]) if shown_rows else (columns or [empty])
        # the narrowest a column can be and still read well: its longest value, up to 12 characters
        least = sum(min(max([len(c), *(len(r[c]) for r in shown_rows)]), 12) for c in header) + 3 * (len(header) - 1)
        if shown_rows and least > out.width:  # too many columns for the width: one block of "column  value" a row
            keys = max(len(c) for c in header) + 2
            _print_records(render.table_rows(rows, max(16, out.width - keys)), title)
            return
        table = Table(title=Text(shown(title)) if title else None, show_lines=False, title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for col in header if shown_rows else [empty]:
            values = [r[col] for r in shown_rows]
            numeric = bool(rows) and all(isinstance(r.get(col), int | float) and not isinstance(r.get(col), bool)
                                         for r in rows if r.get(col) is not None)
            # numbers, dates and ids (already shortened) stay on one line; names and prose wrap between words
            keep = numeric or all(_DATE_CELL.fullmatch(v) for v in values if v) or all(
                render.looks_like_id(str(rows[i].get(col))) for i in range(len(rows)) if rows[i].get(col))
            table.add_column(Text(shown(col)), overflow="fold", no_wrap=keep, justify="right" if numeric else "left")
        for cells in shown_rows:
            table.add_row(*(Text(shown(v)) for v in cells.values()))  # Text: a cell is never markup
        out.print(table)


def _print_records(rows: list[dict[str, str]], title: str | None) -> None:
    """Rows too wide for the terminal, one block each: a "column  value" line per column, values wrapped."""
    from rich.table import Table
    from rich.text import Text

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
    duplicate_threshold: Annotated[float | None, typer.Option(
        "--duplicate-threshold", metavar="X", show_default=False,
        help="Similarity (0-1] at which an article is a near duplicate of a stored one and joins its story "
             "[default: $KG_DUPLICATE_THRESHOLD, else 0.27].")] = None,
) -> None:
    """Read articles, extract their facts and store them (with provenance) in the workspace.

    An article keeps its identity across edits (its URL, else its title and date), so ingesting a changed
    file replaces the article it held; an unchanged one is skipped. Bad files are reported one line each and
    the rest are kept; the exit status is 1 if any file failed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    show = not quiet and err.is_terminal
    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err.real, transient=True, disable=not show) as bar:
        task = bar.add_task("ingest", total=None, visible=False)
        result = api.ingest(paths, workspace, jobs=jobs or os.cpu_count() or 1,  # a bar for more than one file
                            progress=lambda done, total: bar.update(task, completed=done, total=total,
                                                                    visible=total > 1),
                            duplicate_threshold=duplicate_threshold)
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
        say(out, render.ingest_summary(s))
    if result.errors:
        raise typer.Exit(1)


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
    rows: list[dict[str, object]] = []
    traces: list[tuple[Article, list[dict[str, object]]]] | None = [] if trace else None
    extractions = api.extract(paths, errors=errors, lexicons=lexicon or (), traces=traces)
    if trace:
        for _ in extractions:
            while traces:
                article, steps = traces.pop(0)
                say_lines(out, render.trace_lines(article, steps))
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


# --- the workspace's articles ----------------------------------------------------------------------------


@app.command("articles")
@friendly
def articles_(workspace: WorkspaceOpt = None, format: FormatOpt = Format.table) -> None:
    """List the articles in the workspace: id, date, story, title, the file it came from, facts and metrics.

    The table shows the file an article came from (else its id), and for an undated article the day it was
    first ingested, in brackets: its facts count from then. Near-duplicate copies of one story share its story
    id and count as one source. json and csv have every field.
    """
    items = api.list_articles(workspace)
    rows = [a.row() for a in items]
    if format == Format.table:  # to fit 80 columns: the file (else the id), the ingest day for a missing date
        rows = [{"article": r["path"] or r["id"], "date": r["date"] or f"({str(r['ingested'] or '')[:10]})",
                 "story": r["story"], "facts": r["facts"], "metrics": r["metrics"], "title": r["title"]}
                for r in rows]
    stories = render.count(len({a.story for a in items}), "story", "stories")
    title = f"{render.count(len(rows), 'article')}, {stories}"
    _print_rows(rows, format.value, title=title if format == Format.table else None, empty="(no articles)")


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
    report = api.remove_articles(articles, workspace)
    if format != Format.table:
        _print_rows([report.as_dict()], format.value)
        return
    say_lines(out, render.remove_lines(report))


# --- queries ------------------------------------------------------------------------------------------


@query_app.command("list")
@friendly
def query_list(format: FormatOpt = Format.table) -> None:
    """List the stored queries with their parameters and backends."""
    items = [q.to_dict() for q in api.list_queries()]
    if format == Format.json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"name": q["name"], "description": q["description"],
             "params": ", ".join(f"{p['name']}={p['example']}" for p in q["params"]),  # type: ignore[attr-defined]
             "backends": ", ".join(q["backends"])} for q in items]  # type: ignore[arg-type]
    _print_rows(rows, format.value)


@query_app.command("show")
@friendly
def query_show(name: Annotated[str, typer.Argument(metavar="NAME", show_default=False,
                                                   help="Query name (see `kg query list`).")]) -> None:
    """Show a stored query: description, parameters, and its SPARQL and Cypher text, exactly as stored."""
    q = api.get_query(name)
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

    from kg import queries as catalogue
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
            raise InputError(f"--param {item!r} must be NAME=VALUE")
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
                    columns=list(api.get_query(name).columns))
        return
    explained = api.explain(name, rows, workspace)
    if format == Format.json:
        _print_rows(explained, "json")
    elif format == Format.csv:
        _print_rows([{**r, "evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in explained], "csv")
    else:
        _print_rows(rows, "table", title=name)
        say_lines(out, render.explained_lines(explained))


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
    evidence = api.why(subject, predicate, object, workspace)
    if format != Format.table:
        _print_rows(evidence, format.value)
        return
    say_lines(out, render.why_lines(f"{subject} {predicate} {object}", evidence))


@app.command()
@friendly
def changes(
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE", show_default=False,
        help="Changes on or after this date: YYYY-MM-DD, or today, yesterday, 7d, 2w, 3m, 1y.")] = None,
    since_last_ingest: Annotated[bool, typer.Option(
        "--since-last-ingest", help="Changes the last ingest brought (by ingest time).")] = False,
    by: Annotated[str, typer.Option("--by", metavar="article|ingest",
                                    help="Date a change by its article's date or by when it was ingested.")]
    = "article",
    watch: Annotated[list[str] | None, typer.Option(
        "--watch", metavar="COMPANY", show_default=False,
        help="Only changes about this entity (name, alias or ticker); repeat for several.")] = None,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """What changed since a date: new facts, facts that ended, new conflicts.

    A new fact is first reported since then; an ended one is a fact an article since then says is over (a
    former chief executive, a lifted rule, a sold stake), with its end date where the text gives one; a conflict
    is a fact stated as holding by one article and as ended by another, or two values of one metric. Each row
    has its article's date and its ingest time; --by ingest dates changes by the second.
    """
    rows = [c.to_dict() for c in api.changes(workspace, since=since, since_last_ingest=since_last_ingest, by=by,
                                             watch=watch or [])]
    if format == Format.table:
        rows = [{"change": r["change"], "subject": r["subject"], "predicate": r["predicate"], "object": r["object"],
                 "reported": r["reported"], "ingested": str(r["ingested"])[:16].replace("T", " "),
                 "until": r["until"], "detail": r["detail"]} for r in rows]
        rows = [{k: v for k, v in r.items() if k not in ("until", "detail") or any(x[k] for x in rows)}
                for r in rows]  # to fit the terminal: no column that is empty in every row
    elif format == Format.csv:
        rows = [{**r, "articles": " ".join(r["articles"])} for r in rows]
    _print_rows(rows, format.value, empty="(no changes)")


# --- analytics ----------------------------------------------------------------------------------------


@analytics_app.command("pagerank")
@friendly
def analytics_pagerank(
    top: Annotated[int, typer.Option("--top", "-n", min=0, metavar="N", help="Only the first N rows (0: all).")]
    = 0,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """PageRank of companies in the network of competition and partnership facts."""
    _print_rows(api.pagerank(workspace, top=top or None), format.value,
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
    _print_rows(api.shortest_path(source, target, workspace), format.value,
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
    _print_rows(api.exposure(workspace, company=company), format.value,
                title="sanction exposure" if format == Format.table else None)


# --- Neo4j -------------------------------------------------------------------------------------------


@app.command()
@friendly
def load(
    target: Annotated[Target, typer.Argument(metavar="neo4j|sparql", show_default=False,
                                             help="Where to load the graph (neo4j, or a SPARQL 1.1 store).")],
    wipe: Annotated[bool, typer.Option("--wipe", help="Delete everything in the database first.")] = False,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="Neo4j on this machine, into an empty database (or --wipe): stop the server, write the "
                       "graph with neo4j-admin's parallel importer, start it again. Several times faster.")] = False,
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
    workspace no longer has; --bulk instead fills a local server's empty database with neo4j-admin's importer.
    SPARQL (--endpoint URL): a named graph per article plus the entity graph through
    the Graph Store Protocol, only those added, changed or removed since the last load (recorded in the
    workspace); a failed load is completed by running it again. Loading twice changes nothing; the summary
    says what changed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if target == Target.sparql:
        if bulk:
            raise InputError("--bulk is for neo4j (neo4j-admin's importer); a SPARQL load is batched already")
        _load_sparql(workspace, endpoint, graph_store, user, password, wipe, batch_size, protocol.value, format)
        return

    with Progress(TextColumn("load"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err.real,
                  transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("load", total=None)
        report, settings = api.load_neo4j(workspace, uri=uri, user=user, password=password, database=database,
                                          batch_size=batch_size or 10000, wipe=wipe, bulk=bulk,
                                          progress=lambda done, total: bar.update(task, completed=done, total=total))
    if format != Format.table:
        data = report.as_dict()
        _print_rows([{**data, "database": None, "database_nodes": report.counts["nodes"],
                      "database_relationships": report.counts["relationships"], "uri": settings.uri}
                     if format == Format.csv else {**data, "uri": settings.uri}], format.value)
        return
    say(out, render.neo4j_load_summary(report, settings.uri, settings.database))


def _load_sparql(workspace: Path | None, endpoint: str | None, graph_store: str | None, user: str | None,
                 password: str | None, wipe: bool, batch_size: int | None, protocol: str, format: Format) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.backends import sparql

    target = sparql.Endpoint.from_options(endpoint, graph_store, user, password)
    with Progress(TextColumn("load"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err.real,
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
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE", show_default=False,
        help="Also what changed about it since this date (new, ended, conflicting facts): YYYY-MM-DD, 7d...")]
    = None,
) -> None:
    """Show an entity card: type, aliases, relations, metrics and the articles that mention it.

    Relations are the current ones; facts an article says have ended (a former chief executive, a lifted
    rule, a sold stake) are listed as ended. A name that is not exact finds the one entity clearly closest to
    it (said on stderr), else the error names the closest ones.
    """
    found = api.lookup(name, workspace, since=since)
    if found.note:
        say(err, f"note: {found.note}")
    fmt = _format(format, as_json)
    if fmt == "json":
        sys.stdout.write(json.dumps([c.to_dict() for c in found.cards], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        _print_rows(render.card_rows(found.cards), "csv")
        return
    for card in found.cards:
        say_lines(out, render.card_lines(card))


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
    hits = api.search(text, workspace, limit=limit, type_=type_)
    if not hits:
        raise InputError(f"no name comes close to {text!r}")
    _print_rows([h.row() for h in hits], format.value, title=f"names like {text!r}" if format == Format.table
                else None)


entities_app = typer.Typer(help="The merges of entities, likely duplicates, and a curator's merge and split.",
                            invoke_without_command=True, rich_markup_mode=None)
app.add_typer(entities_app, name="entities")
EntityArg = Annotated[str, typer.Argument(show_default=False, help="An entity's name, alias or ticker.")]


@entities_app.callback()
@friendly
def entities(
    ctx: typer.Context,
    suspects: Annotated[bool, typer.Option("--suspects", help="List likely duplicates (pairs of entities whose "
                                           "names look alike, kept apart) with the reason and a score.")] = False,
    min_score: Annotated[float | None, typer.Option("--min-score", metavar="SCORE", show_default=False,
                                                    help="With --suspects: the least score listed (default 0.6).")
                         ] = None,
    workspace: WorkspaceOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """List the merges of entities: the name each article used, the node it was taken for, why and by whom.

    `--suspects` lists the pairs left apart that look alike; `kg entities merge A B` and `kg entities split A B`
    record a curator's decision in WORKSPACE/curation.yaml, which every ingest applies.
    """
    if ctx.invoked_subcommand is not None:
        return
    if suspects:
        rows = [s.row() for s in api.entity_suspects(workspace, min_score=min_score)]
        _print_rows(rows, format.value, title=render.count(len(rows), "suspect") if format == Format.table
                    else None, empty="(no suspects)")
        return
    rows = [m.row() for m in api.entity_merges(workspace)]
    _print_rows(rows, format.value, title=render.count(len(rows), "merge") if format == Format.table else None,
                empty="(no merges)")


@entities_app.command("merge")
@friendly
def entities_merge(a: EntityArg, b: EntityArg, workspace: WorkspaceOpt = None) -> None:
    """Record that B is A: the articles naming B name A, and WORKSPACE/curation.yaml keeps the decision."""
    report = api.merge_entities(a, b, workspace)
    say(out, f"merged {report.other!r} into {report.keep!r} in {render.count(report.articles, 'article')}; "
             f"recorded in {report.file or 'the workspace'}")


@entities_app.command("split")
@friendly
def entities_split(a: EntityArg, b: EntityArg, workspace: WorkspaceOpt = None) -> None:
    """Undo a merge of B into A: the articles name B again, and the two are kept apart from now on."""
    report = api.split_entities(a, b, workspace)
    say(out, f"split {report.other!r} from {report.keep!r} in {render.count(report.articles, 'article')}; "
             f"recorded in {report.file or 'the workspace'}")


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
    data = api.export_graph(format.value, output, workspace)  # a file is replaced only once complete
    if data is not None:
        sys.stdout.buffer.write(data)
    else:
        say(err, f"wrote {output}")


@app.command()
@friendly
def validate(workspace: WorkspaceOpt = None,
             verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print the full report.")] = False) -> None:
    """Validate the graph against the SHACL shapes; exit 1 if it does not conform."""
    report = api.validate_graph(workspace)
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
    rows = render.stats_rows(data)
    if fmt == "csv":
        _print_rows(rows, "csv")
        return
    say(out, render.stats_summary(data))
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
    data = api.evaluate(gold_dir, articles, lexicons=lexicon or ()).as_dict()
    if format == Format.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"predicate": p, **s} for p, s in data["per_predicate"].items()]  # type: ignore[attr-defined]
    rows.append({"predicate": "ALL (micro)", **data["overall"]})  # type: ignore[dict-item]
    if format == Format.csv:
        _print_rows(rows, "csv")
        return
    _print_rows(rows, "table", title=f"relations over {data['articles']} articles")
    say_lines(out, render.eval_lines(data, details))


# --- ad-hoc questions, briefs, pictures, the workbench -------------------------------------------------------

ParamOpt = Annotated[list[str] | None, typer.Option(
    "--param", "-p", metavar="NAME=VALUE", show_default=False,
    help="Bind ?NAME ($NAME in Cypher); repeat for several. <...> is an IRI, a whole number an integer.")]


@app.command()
@friendly
def sparql(
    query: Annotated[str, typer.Argument(metavar="QUERY", show_default=False,
                                         help="The SPARQL text, or a .rq file holding it.")],
    param: ParamOpt = None,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Run an ad-hoc SPARQL query on the workspace (the union of all graphs; ci:, rdfs:, skos:, schema:... declared)."""
    _print_rows(api.run_sparql(query, _parse_params(param), workspace), format.value)


class CypherBackend(StrEnum):
    networkx = "networkx"
    neo4j = "neo4j"


@app.command()
@friendly
def cypher(
    query: Annotated[str, typer.Argument(metavar="QUERY", show_default=False,
                                         help="The Cypher text, or a .cypher file holding it.")],
    param: ParamOpt = None,
    backend: Annotated[CypherBackend, typer.Option("--backend", "-b", metavar="networkx|neo4j",
                                                   help="Where to run it.")] = CypherBackend.networkx,
    format: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Run an ad-hoc Cypher query on the NetworkX projection (grand-cypher) or on Neo4j (NEO4J_* or flags)."""
    rows = api.run_cypher(query, _parse_params(param), backend.value, workspace, uri=uri, user=user,
                          password=password, database=database)
    _print_rows(rows, format.value)


class BriefFormat(StrEnum):
    md = "md"
    html = "html"


@app.command()
@friendly
def brief(
    company: Annotated[str, typer.Argument(metavar="COMPANY", show_default=False,
                                           help="Company name, alias or ticker.")],
    format: Annotated[BriefFormat, typer.Option("--format", "-f", metavar="md|html",
                                                help="Markdown, or a standalone HTML page.")] = BriefFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                help="Write it here (Markdown: charts as FILE-chart-N.svg beside "
                                                     "it) [default: print it].")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """A one-page brief on a company, every claim footnoted with its article, date and sentence."""
    text = api.company_brief(company, workspace, format=format.value, output=output)
    if output is None:
        sys.stdout.write(text)
    else:
        say(err, f"wrote {output}")


@app.command()
@friendly
def viz(
    entity: Annotated[str, typer.Argument(metavar="ENTITY", show_default=False,
                                          help="Entity name, alias or ticker.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE.html|FILE.svg|FILE.png",
                                         show_default=False, help="The picture: an interactive page, an SVG, or "
                                         "a PNG (taken by headless Chromium).")],
    hops: Annotated[int, typer.Option("--hops", metavar="N", min=1, max=3, help="Facts away from ENTITY.")] = 1,
    type: Annotated[list[str] | None, typer.Option("--type", "-t", metavar="RELATION", show_default=False,
                                                   help="Keep this relation (develops, usesChip...); repeat.")]
    = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Draw an entity's neighbourhood: colours and captions as in the GraSS style of Neo4j Browser."""
    path = api.draw_neighbourhood(entity, output, hops=hops, types=type, workspace=workspace)
    say(err, f"wrote {path}")


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on: this machine only "
                                      "unless told (another address lets anyone who reaches it read the "
                                      "workspace).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", help="Port to listen on (0: any free one).")] = 8000,
    workspace: WorkspaceOpt = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS",
                                           help="Time limit of one /sparql query.")] = 10.0,
    max_rows: Annotated[int, typer.Option("--max-rows", metavar="N",
                                          help="Rows (or triples) of one /sparql answer; more are cut.")] = 10_000,
    max_query: Annotated[int, typer.Option("--max-query", metavar="N",
                                           help="Characters of one query; a longer one is refused.")] = 100_000,
    workers: Annotated[int, typer.Option("--workers", metavar="N",
                                         help="Processes answering /sparql queries.")] = 2,
) -> None:
    """Serve the workspace read-only: the analysts' pages and a SPARQL 1.1 endpoint at /sparql (Ctrl-C stops).

    It keeps answering while `kg ingest` writes the same workspace: each answer shows it before or after a batch.
    """
    api.serve(workspace, host=host, port=port, timeout=timeout, max_rows=max_rows, max_query=max_query,
              workers=workers, on_ready=lambda url: say(err, f"serving {workspace or '.kg'} at {url} (SPARQL: "
                                                             f"{url}sparql); Ctrl-C stops"))


@app.command()
@friendly
def bench(
    articles: Annotated[list[int] | None, typer.Option(
        "--articles", metavar="N", show_default=False,
        help="Corpus size in articles; repeat for several [default: 1000 and 10000].")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Also measure Neo4j loading and queries (NEO4J_URI...).")]
    = False,
    web: Annotated[bool, typer.Option("--web", help="Also measure kg serve: p95 of each page and of /sparql per "
                                                    "stored query, requests/s with 8 clients.")] = False,
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
    from benchmarks import pipeline as b

    records = b.run(list(articles or b.DEFAULT_SIZES), jobs=jobs, neo4j=neo4j, sparql=sparql, web=web, seed=seed,
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
