"""`kg load neo4j --bulk`: neo4j-admin's importer on the real local server (scripts/neo4j.sh), never a mock.

The same workspace is loaded through Bolt and then in bulk, and the two databases must be the same graph:
nodes by label, relationships by type, every property, the constraints, and the rows of every stored query.
The refusals (a remote server, a database that holds something) are one line each and touch nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import api
from kg import queries as catalogue
from kg.backends import neo4j as nb
from kg.backends import neo4j_bulk as bulk
from kg.cli import app
from kg.project import Node, PropertyGraph, Rel

pytestmark = pytest.mark.neo4j


def _graph(conn: nb.Connection) -> dict[str, object]:
    nodes = {r["iri"]: (sorted(r["labels"]), r["props"]) for r in conn.read(
        "MATCH (n) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props")}
    rels = sorted((r["src"], r["type"], r["dst"], sorted(r["props"].items())) for r in conn.read(
        "MATCH (a)-[r]->(b) RETURN a.iri AS src, type(r) AS type, b.iri AS dst, properties(r) AS props"))
    labels = Counter(lab for labs, _ in nodes.values() for lab in labs)
    types = Counter(t for _, t, _, _ in rels)
    schema = sorted((r["type"], r["labelsOrTypes"], r["properties"]) for r in conn.read(
        "SHOW INDEXES YIELD type, labelsOrTypes, properties WHERE type <> 'LOOKUP' "
        "RETURN type, labelsOrTypes, properties"))
    return {"labels": labels, "types": types, "nodes": nodes, "rels": rels, "schema": schema}


def _rows(settings: nb.Settings, workspace: Path) -> dict[str, list[dict[str, object]]]:
    out = {}
    for name in sorted(catalogue.catalogue()):
        q = catalogue.get(name)
        out[name] = api.run_query(name, {p.name: p.example for p in q.params}, "neo4j", workspace, uri=settings.uri,
                                  user=settings.user, password=settings.password, database=settings.database)
    return out


@pytest.fixture(scope="module")
def both_ways(neo4j_settings: nb.Settings, examples_workspace: Path) -> dict[str, object]:
    pg = api.property_graph(examples_workspace)
    nb.load(pg, neo4j_settings, wipe=True)
    with nb.Connection(neo4j_settings) as conn:
        by_bolt = _graph(conn)
    bolt_rows = _rows(neo4j_settings, examples_workspace)
    report = bulk.bulk_load(pg, neo4j_settings, overwrite=True)
    with nb.Connection(neo4j_settings) as conn:
        by_bulk = _graph(conn)
    return {"bolt": by_bolt, "bulk": by_bulk, "bolt_rows": bolt_rows, "report": report, "pg": pg,
            "bulk_rows": _rows(neo4j_settings, examples_workspace)}


def test_bulk_and_bolt_load_the_same_graph(both_ways: dict) -> None:
    bolt, bulked, pg = both_ways["bolt"], both_ways["bulk"], both_ways["pg"]
    assert bulked["labels"] == bolt["labels"] and sum(bolt["labels"].values()) >= len(pg.nodes) > 50
    assert bulked["types"] == bolt["types"] and sum(bolt["types"].values()) == len(pg.rels)
    assert bulked["nodes"] == bolt["nodes"]  # every property, with its type (a float stays a float)
    assert bulked["rels"] == bolt["rels"]
    assert bulked["schema"] == bolt["schema"]  # the constraints and indexes the queries rely on
    report = both_ways["report"]
    assert report.counts == {"nodes": len(pg.nodes), "relationships": len(pg.rels)}
    assert set(report.phases) == {"write_csv", "stop", "import", "start", "schema"}


def test_stored_queries_give_the_same_rows_after_a_bulk_load(both_ways: dict) -> None:
    assert both_ways["bulk_rows"] == both_ways["bolt_rows"]
    assert sum(1 for rows in both_ways["bolt_rows"].values() if rows) >= len(both_ways["bolt_rows"]) - 1


def test_bulk_refuses_a_database_that_holds_something(both_ways: dict, neo4j_settings: nb.Settings,
                                                      examples_workspace: Path) -> None:
    auth = ["--uri", neo4j_settings.uri, "--user", neo4j_settings.user, "--password", neo4j_settings.password,
            "--database", neo4j_settings.database]
    result = CliRunner().invoke(app, ["load", "neo4j", "--bulk", "-w", str(examples_workspace), *auth])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "add --wipe to overwrite it" in result.stderr
    with nb.Connection(neo4j_settings) as conn:
        assert _graph(conn) == both_ways["bulk"]  # nothing was stopped or touched


def test_bulk_refuses_a_remote_server_before_connecting(examples_workspace: Path) -> None:
    result = CliRunner().invoke(app, ["load", "neo4j", "--bulk", "-w", str(examples_workspace),
                                      "--uri", "neo4j+s://graphs.example.com:7687"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "is remote" in result.stderr
    with pytest.raises(nb.Neo4jError, match="load without --bulk"):
        bulk.check_local("bolt://10.1.2.3:7687")
    bulk.check_local("bolt://localhost:7687")


def test_csv_cells_keep_types_quotes_lists_and_newlines(tmp_path: Path) -> None:
    """The files themselves: one per label and property signature, typed headers, a value with a comma, a
    quote, a ';' and a newline read back whole by the csv module (the importer reads RFC 4180 too)."""
    import csv

    pg = PropertyGraph({
        "urn:a": Node("urn:a", ("Company",), {"iri": "urn:a", "name": 'Hua, "Ltd"; x', "known": True,
                                              "aliases": ["A;1", "B"]}),
        "urn:b": Node("urn:b", ("Company",), {"iri": "urn:b", "name": "two\nlines", "known": False,
                                              "aliases": ["C"]}),
        "urn:c": Node("urn:c", ("Metric",), {"iri": "urn:c", "value": 1.5e9, "name": "m"})},
        [Rel("urn:a", "SUPPLIES", "urn:b", {"sources": 2, "confidence": 0.9, "articles": ["x", "y"]})])
    files = bulk.write_csv(pg, tmp_path)
    assert len(files.nodes) == 2 and len(files.relationships) == 1 and len(files.multiline) == 1
    company = list(csv.reader(open(files.nodes[0], encoding="utf-8", newline="")))
    assert company[0] == ["iri:ID", ":LABEL", "name:string", "known:boolean", "aliases:string[]"]
    assert company[1] == ["urn:a", "Company", 'Hua, "Ltd"; x', "true", "A;1\x1fB"]
    assert company[2][2] == "two\nlines" and files.multiline == [files.nodes[0]]
    rel = list(csv.reader(open(files.relationships[0], encoding="utf-8", newline="")))
    assert rel == [[":START_ID", ":END_ID", ":TYPE", "sources:long", "confidence:double", "articles:string[]"],
                   ["urn:a", "urn:b", "SUPPLIES", "2", "0.9", "x\x1fy"]]
    # what a cell cannot carry (an empty cell is no value, an empty array cell no element) is set afterwards
    odd = bulk.write_csv(PropertyGraph({"urn:d": Node("urn:d", ("Company",), {"aliases": [], "name": ""}),
                                        "urn:e": Node("urn:e", ("Person",), {"name": "e"})},
                                       [Rel("urn:e", "CEO_OF", "urn:d", {"starts": [""], "ends": ["", "2021"]})]),
                         tmp_path)
    assert odd.node_fixups == {("Company", "aliases"): [["urn:d", []]], ("Company", "name"): [["urn:d", ""]]}
    assert odd.rel_fixups == {("Person", "CEO_OF", "Company", "starts"): [["urn:e", "urn:d", [""]]]}
    assert list(csv.reader(open(odd.relationships[0], encoding="utf-8")))[0][-1] == "ends:string[]"
    with pytest.raises(nb.Neo4jError, match="of mixed types"):
        bulk.write_csv(PropertyGraph({"urn:f": Node("urn:f", ("Company",), {"x": [1, "a"]})}, []), tmp_path)
