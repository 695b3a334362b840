"""Stored SPARQL that runs anywhere: every ``queries/NAME.rq`` is a self-contained file.

A file opens with a comment header (name, description, parameters with their types and examples, columns,
the dataset it expects) written from ``NAME.yaml`` by :func:`render`, then its own ``PREFIX`` lines, then
the query. Nothing else is needed to run it in Jena, YASGUI or any SPARQL 1.1 store: parameters are plain
variables, bound exactly as ``kg query run`` binds them, by a ``VALUES`` row opening the outer ``WHERE``
group (:func:`bind`). ``python -m kg.backends.sparql_text`` rewrites the headers after a yaml changed;
``tests/test_sparql_text.py`` fails while a file and its yaml disagree.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from ingest.rdf import ENTITIES_GRAPH
from kg import queries as catalogue
from kg.store import PREFIXES, _bind_values, _bound_term

HEADER_MARK = "# cikg stored query: "
UNION_DATASET = (
    "# Dataset: the default graph is the union of all named graphs: one graph per article (named by the",
    "#   article's IRI) and the shared entity graph <" + ENTITIES_GRAPH + ">, as `kg export -f nq`",
    "#   writes them. Jena TDB2 and Fuseki: tdb2:unionDefaultGraph true; Oxigraph: union default graph;",
    "#   GraphDB, Virtuoso, Neptune, QLever: their default; other stores: FROM and FROM NAMED for every graph",
    "#   (`kg query run --backend sparql --dataset from-graphs` adds them; README, Shared triple stores).",
)
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+(\w*):\s*<([^>]*)>\s*$", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def term_text(name: str, value: object) -> str:
    """A bound value as SPARQL writes it (an N-Triples term: escaped, so no value can end the literal)."""
    return str(_bound_term(name, value))


def body(text: str) -> str:
    """The query itself: ``text`` without its header comment and ``PREFIX`` lines."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")
                              or _PREFIX_LINE.match(lines[i])):
        i += 1
    return "\n".join(lines[i:]).strip() + "\n"


def used_prefixes(query: str) -> list[str]:
    """The prefixes of ``PREFIXES`` that the query's text uses (``ci:Company``, ``STR(ci:)``), in a stable order."""
    text = re.sub(r"<[^>\s]*>", " ", re.sub(r"\"(?:[^\"\\]|\\.)*\"", " ", query))  # not inside IRIs or strings
    text = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # nor in comments
    return [p for p in PREFIXES if re.search(rf"(?<![\w:/.#-]){re.escape(p)}:", text)]


def _example_row(q: catalogue.StoredQuery) -> str:
    names = " ".join(f"?{p.name}" for p in q.params)
    values = " ".join(term_text(p.name, p.convert(p.example)) for p in q.params)
    return f"VALUES ({names}) {{ ({values}) }}"


def _param_lines(q: catalogue.StoredQuery) -> list[str]:
    if not q.params:
        return ["# Parameters: none."]
    lines = ["# Parameters: SPARQL variables, bound by a VALUES row opening the outer WHERE group (that is how",
             "#   `kg query run` binds them, and nothing else in the query needs to change):"]
    for p in q.params:
        kind = {"integer": "xsd:integer literal", "number": "xsd:double literal",
                "date": "plain literal YYYY-MM-DD"}.get(p.type, "plain literal")
        lines.append(f"#   ?{p.name} ({p.type}, {kind}): {' '.join(p.description.split())}")
        if p.entity:
            what = "an entity of any type" if p.entity == "any" else f"a ci:{p.entity}"
            lines.append(f"#     the rdfs:label of {what}, as written (kg also reads aliases and tickers)")
        lines.append(f"#     example: {term_text(p.name, p.convert(p.example))}")
    lines.append(f"#   With the examples: {_example_row(q)}")
    return lines


def header(q: catalogue.StoredQuery) -> str:
    """The comment header of ``q``'s file (see the module docstring)."""
    desc = _wrap(" ".join(q.description.split()), 104)
    lines = [f"{HEADER_MARK}{q.name}", "#", *(f"# {line}" for line in desc), "#", *_param_lines(q),
             f"# Columns: {', '.join(q.columns)}" + (f" (rows in the order of {', '.join(q.order_by)})"
                                                      if q.order_by else ""),
             *UNION_DATASET,
             f"# With the example parameters bound: `kg query export` writes sparql/{q.name}.rq."]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*out, line] if line else out


def render(q: catalogue.StoredQuery, query_body: str | None = None) -> str:
    """The self-contained text of ``q``'s ``.rq`` file: header, ``PREFIX`` lines, query."""
    text = body(query_body if query_body is not None else q.sparql)
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used_prefixes(text))
    return header(q) + prefixes + text


def bind(text: str, params: Mapping[str, object]) -> str:
    """``text`` with ``params`` (already checked by ``StoredQuery.bind``) bound as ``kg query run`` binds them."""
    return _bind_values(text, {k: _bound_term(k, v) for k, v in params.items()})


def example(q: catalogue.StoredQuery) -> str:
    """``q``'s file with its example parameters bound: paste it into YASGUI, or run it with Jena's ``arq``."""
    return bind(q.sparql, q.bind({p.name: p.example for p in q.params}))


def with_graphs(text: str, graphs: Iterable[str]) -> str:
    """``text`` with ``FROM <g>`` and ``FROM NAMED <g>`` for every graph, for a store whose default graph is
    not the union of its named graphs (with FROM alone, ``GRAPH ?g`` would match nothing)."""
    match = _WHERE.search(text)
    if match is None:
        raise catalogue.QueryError("the query has no WHERE group to give a dataset to")
    clauses = "".join(f"FROM <{g}>\nFROM NAMED <{g}>\n" for g in sorted(graphs))
    return f"{text[:match.start()]}{clauses}{text[match.start():]}"


def write_examples(directory: Path) -> list[Path]:
    """Every stored query with its example parameters bound, as ``directory/NAME.rq``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for q in catalogue.catalogue().values():
        path = directory / f"{q.name}.rq"
        path.write_text(example(q), encoding="utf-8")
        written.append(path)
    return written


def check(directory: Path = catalogue.QUERIES_DIR) -> list[str]:
    """The ``.rq`` files under ``directory`` whose text is not what :func:`render` makes of their yaml."""
    stale = []
    for q in catalogue.catalogue(directory).values():
        if q.sparql != render(q):
            stale.append(str(directory / f"{q.name}.rq"))
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.backends.sparql_text",
                                     description="Write (or --check) the header and PREFIX lines of every queries/*.rq")
    parser.add_argument("--check", action="store_true", help="only report the files that are out of date")
    parser.add_argument("--dir", type=Path, default=catalogue.QUERIES_DIR, help="the stored queries' folder")
    args = parser.parse_args(argv)
    if args.check:
        stale = check(args.dir)
        for path in stale:
            print(f"{path}: header or PREFIX lines out of date (python -m kg.backends.sparql_text)")
        return 1 if stale else 0
    for q in catalogue.catalogue(args.dir).values():
        path = args.dir / f"{q.name}.rq"
        text = render(q)
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    catalogue.catalogue.cache_clear()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
