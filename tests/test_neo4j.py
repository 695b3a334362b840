"""Neo4j: the real local server that `make test` starts (scripts/neo4j.sh), never a mock.

Loads the examples and checks that every stored query gives the same rows on Neo4j as on SPARQL (and on
NetworkX where it runs there), that loading is idempotent and incremental, and that the graph in Neo4j is
the NetworkX projection: same nodes by label and id, same relationships by type, same properties.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from kg import api
from kg import queries as catalogue
from kg.backends import neo4j as nb
from kg.names import UnknownName
from kg.project import PropertyGraph

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
HELD_BACK = "tencent-hunyuan.md"


@pytest.fixture(scope="module")
def loaded(neo4j_settings: nb.Settings, examples_workspace: Path) -> nb.Settings:
    nb.load(api.property_graph(examples_workspace), neo4j_settings, wipe=True)
    return neo4j_settings


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_stored_queries_same_rows_on_every_backend(loaded: nb.Settings, examples_workspace: Path, name: str) -> None:
    q = catalogue.get(name)
    params = {p.name: p.example for p in q.params}
    rdf = api.run_query(name, params, "rdf", examples_workspace)
    neo = api.run_query(name, params, "neo4j", examples_workspace, uri=loaded.uri, user=loaded.user,
                        password=loaded.password, database=loaded.database)
    assert rdf, f"{name}: no rows on the examples"
    assert neo == rdf
    if "networkx" in q.backends:
        assert api.run_query(name, params, "networkx", examples_workspace) == rdf


def _neo4j_graph(conn: nb.Connection) -> tuple[dict, dict]:
    nodes = {r["iri"]: (tuple(sorted(r["labels"])), r["props"]) for r in conn.read(
        "MATCH (n) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props")}
    rels = {(r["src"], r["type"], r["dst"]): r["props"] for r in conn.read(
        "MATCH (a)-[r]->(b) RETURN a.iri AS src, type(r) AS type, b.iri AS dst, properties(r) AS props")}
    return nodes, rels


def _projection(pg: PropertyGraph) -> tuple[dict, dict]:
    nodes = {n.id: (tuple(sorted(n.labels)), n.props) for n in pg.nodes.values()}
    rels = {(r.src, r.type, r.dst): r.props for r in pg.rels}
    return nodes, rels


def test_neo4j_holds_exactly_the_networkx_projection(loaded: nb.Settings, examples_workspace: Path) -> None:
    pg = api.property_graph(examples_workspace)
    with nb.Connection(loaded) as conn:
        neo_nodes, neo_rels = _neo4j_graph(conn)
    pg_nodes, pg_rels = _projection(pg)
    assert neo_nodes.keys() == pg_nodes.keys()
    assert neo_rels.keys() == pg_rels.keys()
    for iri, (labels, props) in pg_nodes.items():
        assert neo_nodes[iri] == (labels, props), iri
    for key, props in pg_rels.items():
        assert neo_rels[key] == props, key
    g = __import__("kg.project", fromlist=["to_networkx"]).to_networkx(pg)
    assert g.number_of_nodes() == len(neo_nodes) and g.number_of_edges() == len(neo_rels)


def test_load_is_idempotent_and_incremental(neo4j_settings: nb.Settings, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(EXAMPLES, articles)
    held = articles / HELD_BACK
    held.rename(tmp_path / HELD_BACK)
    ws = tmp_path / "ws"
    api.ingest([articles], ws)
    first_pg = api.property_graph(ws)
    report = nb.load(first_pg, neo4j_settings, wipe=True, batch_size=25)
    assert report.counts == {"nodes": len(first_pg.nodes), "relationships": len(first_pg.rels)}
    again = nb.load(api.property_graph(ws), neo4j_settings, batch_size=25)
    assert again.counts == report.counts  # loading twice changes nothing

    (tmp_path / HELD_BACK).rename(held)
    summary = api.ingest([articles], ws)
    assert summary.articles == 1 and summary.unchanged == 10
    second_pg = api.property_graph(ws)
    new_nodes = second_pg.nodes.keys() - first_pg.nodes.keys()
    new_rels = {(r.src, r.type, r.dst) for r in second_pg.rels} - {(r.src, r.type, r.dst) for r in first_pg.rels}
    assert new_nodes and new_rels
    third = nb.load(second_pg, neo4j_settings, batch_size=25)
    assert third.counts == {"nodes": len(first_pg.nodes) + len(new_nodes),
                            "relationships": len(first_pg.rels) + len(new_rels)}
    with nb.Connection(neo4j_settings) as conn:
        _, rels = _neo4j_graph(conn)
    assert new_rels <= rels.keys()


def test_constraints_exist_for_every_label(loaded: nb.Settings, examples_workspace: Path) -> None:
    labels = set(api.property_graph(examples_workspace).label_counts())
    with nb.Connection(loaded) as conn:
        rows = conn.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                         "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props")
    constrained = {r["label"] for r in rows if r["props"] == ["iri"]}
    assert labels <= constrained


def test_parameters_are_bound_on_neo4j(loaded: nb.Settings, examples_workspace: Path) -> None:
    with nb.Connection(loaded) as conn:
        before = conn.counts()
    for value in ['"}) DETACH DELETE n //', "' OR 1=1 //", '" . } DROP ALL #']:
        with pytest.raises(UnknownName):  # looked up first (a bound query itself): it names no company
            api.run_query("competitors", {"company": value}, "neo4j", examples_workspace, uri=loaded.uri,
                          user=loaded.user, password=loaded.password, database=loaded.database)
        q = catalogue.get("competitors")  # and the stored Cypher itself, with the value bound
        assert nb.run_cypher(q.cypher, q.bind({"company": value}), loaded) == []
    with nb.Connection(loaded) as conn:
        assert conn.counts() == before


def test_clear_errors_for_wrong_password_and_unknown_database(neo4j_settings: nb.Settings) -> None:
    bad = nb.Settings(neo4j_settings.uri, neo4j_settings.user, "wrong-password-123", neo4j_settings.database)
    with pytest.raises(nb.Neo4jError, match="refused the credentials"):
        nb.Connection(bad)
    nodb = nb.Settings(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password, "nosuchdb")
    with pytest.raises(nb.Neo4jError, match="no database 'nosuchdb'"):
        nb.Connection(nodb)


def test_server_down_is_one_clear_line() -> None:
    with pytest.raises(nb.Neo4jError, match="cannot reach Neo4j at bolt://127.0.0.1:1"):
        nb.Connection(nb.Settings("bolt://127.0.0.1:1", "neo4j", "x", "neo4j"))


def test_batches_are_bounded_by_rows_and_by_bytes() -> None:
    rows = [["a", "b", ["x" * 50] * n] for n in (0, 1, 500, 2, 3, 1000, 4)]
    sized = list(nb._batches(rows, 3, 50_000))
    assert [r for b in sized for r in b] == rows  # every row once, in order
    assert all(len(b) <= 3 for b in sized)
    assert [len(b) for b in sized] == [2, 1, 2, 1, 1]  # the 500- and 1000-item rows each go alone
    plain = [["a", "b"]] * 10
    assert [len(b) for b in nb._batches(plain, 4, 10**9)] == [4, 4, 2]
    assert list(nb._batches([], 4, 100)) == []


def test_a_batch_the_server_has_no_memory_for_is_halved(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[list] = []

    def fake_run(conn: object, cypher: str, rows: list[list]) -> tuple[list, object]:
        if len(rows) > 3:
            raise nb._TooBig("Neo.TransientError.General.MemoryPoolOutOfMemoryError")
        written.append(rows)
        counters = SimpleNamespace(nodes_created=0, relationships_created=0, nodes_deleted=0, relationships_deleted=0)
        return [len(rows)], counters

    monkeypatch.setattr(nb, "_run_batch", fake_run)
    report = nb.LoadReport()
    rows = [[i] for i in range(10)]
    assert sum(nb._write_rows(None, "", rows, report, None)) == 10
    assert [r for b in written for r in b] == rows and report.batches == len(written) == 4

    monkeypatch.setattr(nb, "_run_batch", lambda *a: (_ for _ in ()).throw(nb._TooBig("no memory")))
    with pytest.raises(nb.Neo4jError, match="one row alone exceeds"):
        nb._write_rows(None, "", [[1], [2]], nb.LoadReport(), None)


def test_small_byte_budget_loads_the_same_graph(neo4j_settings: nb.Settings, examples_workspace: Path) -> None:
    pg = api.property_graph(examples_workspace)
    report = nb.load(pg, neo4j_settings, wipe=True, max_batch_bytes=20_000)
    assert report.batches > len(pg.label_counts())
    with nb.Connection(neo4j_settings) as conn:
        assert _neo4j_graph(conn) == _projection(pg)


def test_kg_cypher_on_neo4j_gives_the_rows_of_networkx(loaded: nb.Settings, examples_workspace: Path) -> None:
    """`kg cypher --backend neo4j`: the ad-hoc query on the server, $company bound by the driver, the same rows as
    on the NetworkX projection; a value that tries to break out of the query is only a value."""
    import json

    from typer.testing import CliRunner

    from kg.cli import app

    query = ("MATCH (c:Company {name: $company})-[:DEVELOPS]->(m:AIModel) RETURN c.name AS company, m.name AS model "
             "ORDER BY model")
    auth = ["--uri", loaded.uri, "--user", loaded.user, "--password", loaded.password, "--database", loaded.database]
    result = CliRunner().invoke(app, ["cypher", query, "-p", "company=Alibaba Group", "--backend", "neo4j", "-f",
                                      "json", *auth])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and rows == api.run_cypher(query, {"company": "Alibaba Group"}, workspace=examples_workspace)
    assert api.run_cypher(query, {"company": '"}) DETACH DELETE c //'}, "neo4j", uri=loaded.uri, user=loaded.user,
                          password=loaded.password, database=loaded.database) == []
    result = CliRunner().invoke(app, ["cypher", "MATCH (n RETURN n", "--backend", "neo4j", *auth])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
