"""Apache Jena as an outside judge (its command-line tools, from the jars scripts/fuseki.sh installs):

* ``riot --validate`` accepts every RDF format ``kg export`` writes;
* every stored ``.rq`` file, as written, with its example parameters bound by the VALUES row its own header
  shows (done here by plain text, no project code), run by Jena ARQ (``tdb2.tdbquery``) on the exported
  N-Quads loaded into TDB2 with the union default graph, gives the rows of ``kg query run --backend rdf``.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fuseki_support import ROOT, jena, missing
from typer.testing import CliRunner

from kg import api
from kg import queries as catalogue
from kg.cli import app

pytestmark = pytest.mark.fuseki

QUERIES = sorted(catalogue.catalogue())
RDF_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]  # graphml is no RDF: Jena has nothing to say of it
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def exported(examples_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".fuseki" / "lib").is_dir() and jena("riot", "--version").returncode != 0:
        missing("the Jena commands are not installed (bash scripts/fuseki.sh install)")
    out = tmp_path_factory.mktemp("export")
    for fmt in RDF_FORMATS:
        result = CliRunner().invoke(app, ["export", "-f", fmt, "-o", str(out / f"graph.{fmt}"),
                                          "-w", str(examples_workspace)])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_riot_validates_every_export_format(exported: Path, fmt: str) -> None:
    path = exported / f"graph.{fmt}"
    result = jena("riot", "--validate", "--count", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ERROR" not in result.stderr and "WARN" not in result.stderr, result.stderr[-2000:]
    counted = re.search(r"(?:Triples|Quads) = ([\d,]+)", result.stdout + result.stderr)
    assert counted and int(counted.group(1).replace(",", "")) > 1000, result.stdout + result.stderr


def test_riot_rejects_a_broken_file(tmp_path: Path) -> None:
    """The validator can fail: a truncated N-Quads line is an error."""
    bad = tmp_path / "bad.nq"
    bad.write_text('<https://e.org/s> <https://e.org/p> "unterminated <https://e.org/g> .\n', encoding="utf-8")
    assert jena("riot", "--validate", str(bad)).returncode != 0


@pytest.fixture(scope="module")
def tdb(exported: Path) -> Path:
    location = exported / "tdb2"
    result = jena("tdb2.tdbloader", "--loc", str(location), str(exported / "graph.nq"))
    assert result.returncode == 0, result.stderr[-2000:]
    return location


def _bind_as_the_header_says(text: str, q: catalogue.StoredQuery) -> str:
    """The header's 'With the examples: VALUES ...' line, put right after the first 'WHERE {'."""
    if not q.params:
        return text
    row = re.search(r"^#   With the examples: (VALUES .*)$", text, re.MULTILINE)
    assert row, f"{q.name}: the header shows no VALUES row"
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    assert where
    return f"{text[:where.end()]} {row.group(1)} {text[where.end():]}"


def _value(term: dict[str, str] | None) -> object:
    """A SPARQL JSON results term as a plain value, compared by value (numbers as numbers)."""
    if term is None:
        return None
    dtype = term.get("datatype", "")
    if dtype in (XSD + "integer", XSD + "long", XSD + "int"):
        return int(term["value"])
    if dtype in (XSD + "decimal", XSD + "double", XSD + "float"):
        number = Decimal(term["value"])
        return int(number) if number == number.to_integral_value() else float(number)
    return term["value"]


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@pytest.mark.parametrize("name", QUERIES)
def test_arq_runs_every_stored_file_as_written(tdb: Path, examples_workspace: Path, tmp_path: Path,
                                               name: str) -> None:
    q = catalogue.get(name)
    text = (catalogue.QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    query = tmp_path / f"{name}.rq"
    query.write_text(_bind_as_the_header_says(text, q), encoding="utf-8")
    result = jena("tdb2.tdbquery", "--loc", str(tdb), "--set", "tdb:unionDefaultGraph=true", "--results=JSON",
                  "--query", str(query))
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    jena_rows = sorted(tuple(repr(_value(b.get(c))) for c in q.columns) for b in data["results"]["bindings"])
    expected = api.run_query(name, {p.name: p.example for p in q.params}, "rdf", examples_workspace)
    assert expected, f"{name}: no rows on the examples"
    assert jena_rows == sorted(tuple(repr(_plain(r[c])) for c in q.columns) for r in expected)
