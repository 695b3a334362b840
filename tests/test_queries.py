"""Stored queries: the catalogue is complete, and every query gives the same rows on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import api
from kg import queries as catalogue

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
QUERIES = sorted(catalogue.catalogue())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("examples") / "ws"
    summary = api.ingest([EXAMPLES], ws)
    assert summary.ok, summary.errors
    assert summary.articles >= 8
    return ws


def example_params(name: str) -> dict[str, object]:
    return {p.name: p.example for p in catalogue.get(name).params}


def test_catalogue_is_complete() -> None:
    assert len(QUERIES) >= 8
    for name in QUERIES:
        q = catalogue.get(name)
        assert q.description and q.columns and q.backends
        assert "rdf" in q.backends and "networkx" in q.backends
        for p in q.params:
            assert p.description and p.example is not None
            assert f"${p.name}" in q.cypher, f"{name}: Cypher does not use ${p.name}"
            assert f"?{p.name}" in q.sparql, f"{name}: SPARQL does not use ?{p.name}"


@pytest.mark.parametrize("name", QUERIES)
def test_same_rows_on_rdf_and_networkx(workspace: Path, name: str) -> None:
    params = example_params(name)
    rdf = api.run_query(name, params, "rdf", workspace)
    nx = api.run_query(name, params, "networkx", workspace)
    assert rdf, f"{name} returns no rows on the examples"
    assert rdf == nx


@pytest.mark.parametrize("value", ['"}) DETACH DELETE n //', '" . } DROP ALL #', "\\\"; MATCH (n) DETACH DELETE n"])
def test_injection_strings_are_only_values(workspace: Path, value: str) -> None:
    before = api.property_graph(workspace)
    for backend in ("rdf", "networkx"):
        assert api.run_query("competitors", {"company": value}, backend, workspace) == []
    after = api.property_graph(workspace)
    assert len(after.nodes) == len(before.nodes) and len(after.rels) == len(before.rels)


def test_parameter_types_are_checked() -> None:
    q = catalogue.StoredQuery("t", "d", (catalogue.Param("n", "a number", 3, "integer"),), ("rdf",), "", "",
                              ("n",))
    with pytest.raises(catalogue.QueryError, match="must be an integer"):
        q.bind({"n": "three"})
    assert q.bind({"n": "3"}) == {"n": 3}
