"""Stored SPARQL files are self-contained: a header that says what the yaml says, their own PREFIX lines, and
parameters bound by the same VALUES row as `kg query run` binds them (no server needed here; Jena runs the
files in tests/test_jena.py, Fuseki in tests/test_sparql_store.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from kg import api
from kg import queries as catalogue
from kg.backends import sparql_text

QUERIES = sorted(catalogue.catalogue())


def test_every_file_is_what_its_yaml_makes_of_it() -> None:
    assert sparql_text.check() == [], "run: python -m kg.backends.sparql_text"


def test_check_reports_a_stale_header(tmp_path: Path) -> None:
    for suffix in ("yaml", "rq", "cypher"):
        (tmp_path / f"competitors.{suffix}").write_text(
            (catalogue.QUERIES_DIR / f"competitors.{suffix}").read_text(encoding="utf-8"), encoding="utf-8")
    assert sparql_text.check(tmp_path) == []
    yaml = tmp_path / "competitors.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("example: Baidu", "example: Tencent"), encoding="utf-8")
    catalogue.catalogue.cache_clear()
    try:
        assert sparql_text.check(tmp_path) == [str(tmp_path / "competitors.rq")]
        assert sparql_text.main(["--dir", str(tmp_path)]) == 0
        assert '"Tencent"' in (tmp_path / "competitors.rq").read_text(encoding="utf-8")
        assert sparql_text.check(tmp_path) == []
    finally:
        catalogue.catalogue.cache_clear()


@pytest.mark.parametrize("name", QUERIES)
def test_header_names_description_parameters_columns_and_dataset(name: str) -> None:
    q = catalogue.get(name)
    text = q.sparql
    head = text[: text.index("\nPREFIX ")]
    assert head.startswith(f"# cikg stored query: {name}\n")
    assert all(line.startswith("#") for line in head.splitlines())
    assert " ".join(q.description.split()[:6]) in " ".join(head.replace("#", " ").split())
    for p in q.params:
        assert f"?{p.name} ({p.type}" in head
        assert f"example: {sparql_text.term_text(p.name, p.convert(p.example))}" in head
    assert f"# Columns: {', '.join(q.columns)}" in head
    assert "union of all named graphs" in head and "tdb2:unionDefaultGraph true" in head
    # the VALUES row goes into the query, never into the header: the first "WHERE {" is the query's
    assert not re.search(r"\bWHERE\s*\{", head, re.IGNORECASE)


@pytest.mark.parametrize("name", QUERIES)
def test_file_parses_with_no_prefixes_given(name: str) -> None:
    """rdflib and Oxigraph, given no prefixes at all, parse every file: it declares what it uses."""
    text = sparql_text.example(catalogue.get(name))
    prepareQuery(text)  # raises on an unknown prefix
    ox.Store().query(text)


def test_example_binding_is_the_values_row_the_header_shows() -> None:
    q = catalogue.get("competitors")
    bound = sparql_text.example(q)
    assert 'VALUES (?company) { ("Baidu") }' in q.sparql  # shown in the header
    assert bound.count('VALUES (?company) { ("Baidu") }') == 2  # and put after the first WHERE {
    where = re.search(r"\bWHERE\s*\{", bound)
    assert where is not None and bound[where.end():].lstrip().startswith('VALUES (?company) { ("Baidu") }')


def test_a_value_cannot_leave_its_literal() -> None:
    q = catalogue.get("competitors")
    text = sparql_text.bind(q.sparql, q.bind({"company": 'Baidu" } } DROP ALL #'}))
    assert '"Baidu\\" } } DROP ALL #"' in text
    ox.Store().query(text)  # still one query: the value stayed a literal


def test_from_graphs_adds_from_and_from_named_before_where() -> None:
    q = catalogue.get("competitors")
    text = sparql_text.with_graphs(sparql_text.example(q), ["https://e.org/b", "https://e.org/a"])
    where = re.search(r"\bWHERE\s*\{", text)
    assert where is not None
    assert text[: where.start()].endswith("FROM <https://e.org/a>\nFROM NAMED <https://e.org/a>\n"
                                          "FROM <https://e.org/b>\nFROM NAMED <https://e.org/b>\n")
    prepareQuery(text)


def test_bound_files_give_the_rows_of_kg_query_run(examples_workspace: Path, tmp_path: Path) -> None:
    """The exported files, run on the exported N-Quads by Oxigraph with no project code (the Jena version of
    this is in tests/test_jena.py)."""
    from kg.export import export
    from kg.store import Workspace

    data = tmp_path / "all.nq"
    with Workspace.open(examples_workspace, read_only=True) as ws, data.open("wb") as fh:
        export(ws, "nq", fh)
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.N_QUADS)
    written = sparql_text.write_examples(tmp_path / "sparql")
    assert sorted(p.stem for p in written) == QUERIES
    for path in written:
        q = catalogue.get(path.stem)
        expected = api.run_query(q.name, {p.name: p.example for p in q.params}, "rdf", examples_workspace)
        result = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        from kg.store import from_term

        rows = [{n: from_term(s[n]) for n in names} for s in result]
        assert catalogue.normalise_rows(q, rows) == expected, q.name
