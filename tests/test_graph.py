"""RDF with provenance, the workspace store, and the projection to a property graph."""

from __future__ import annotations

import pytest

from ingest.extract import extract
from ingest.model import Article
from ingest.rdf import ENTITIES_GRAPH, article_iri, to_quads
from kg.project import project, rel_type, to_networkx, vocabulary
from kg.store import Workspace

A1 = Article("https://news.example.org/a1", "Qwen on H20", date="2025-02-01", source="Example Wire",
             text="Alibaba's Qwen models were trained on Nvidia H20 chips. Alibaba competes with Baidu and Tencent.")
A2 = Article("https://news.example.org/a2", "Rivals", date="2025-03-05",
             text="Baidu competes with Alibaba for cloud customers. Alibaba said revenue rose 7% to RMB 280 billion "
                  "in fiscal 2025.")


def store(*articles: Article) -> Workspace:
    ws = Workspace.in_memory()
    for a in articles:
        ws.put_article(article_iri(a.id), to_quads(extract(a)))
    return ws


def test_each_article_is_its_own_named_graph_with_evidence() -> None:
    ws = store(A1)
    rows = ws.query("""SELECT ?g ?sentence ?rule ?start ?end ?conf WHERE { GRAPH ?g {
        ?ev rdf:subject ?s ; rdf:predicate ci:usesChip ; rdf:object ?o ; ci:sentence ?sentence ; ci:rule ?rule ;
            ci:start ?start ; ci:end ?end ; ci:confidence ?conf ; prov:wasDerivedFrom ?g } }""")
    assert len(rows) == 1
    row = rows[0]
    assert row["g"] == article_iri(A1.id)
    assert A1.text[row["start"]: row["end"]] == row["sentence"]
    assert 0 < row["conf"] <= 1


def test_facts_stated_twice_are_counted_by_source() -> None:
    pg = project(store(A1, A2))
    byname = {n.props["name"]: n.id for n in pg.nodes.values()}
    comp = [r for r in pg.rels if r.type == "COMPETES_WITH" and r.src == byname["Alibaba Group"]
            and r.dst == byname["Baidu"]]
    assert len(comp) == 1
    assert comp[0].props["sources"] == 2
    assert comp[0].props["first_reported"] == "2025-02-01"
    assert sorted(comp[0].props["articles"]) == [A1.id, A2.id]


def test_symmetric_relations_are_one_relationship_per_pair() -> None:
    pg = project(store(A1))
    names = {n.id: n.props["name"] for n in pg.nodes.values()}
    rels = [r for r in pg.rels if r.type == "COMPETES_WITH"]
    pairs = [frozenset((names[r.src], names[r.dst])) for r in rels]
    assert frozenset(("Alibaba Group", "Baidu")) in pairs
    assert len(pairs) == len(set(pairs))  # never both ways
    assert all(r.src < r.dst and r.props["symmetric"] is True for r in rels)  # from the smaller IRI


def test_reingesting_an_article_changes_nothing() -> None:
    ws = store(A1)
    before = sorted(str(q) for q in ws.quads())
    quads = to_quads(extract(A1))
    ws.put_article(article_iri(A1.id), quads)
    assert sorted(str(q) for q in ws.quads()) == before


def test_removing_an_article_keeps_what_others_state() -> None:
    ws = store(A1, A2)
    ws.remove_article(article_iri(A2.id))
    pg = project(ws)
    assert any(r.type == "COMPETES_WITH" for r in pg.rels)  # A1 still says it
    assert not any(n.labels == ("MetricObservation",) for n in pg.nodes.values())  # only A2 had the metric


def test_entity_descriptions_are_stored_once_and_pruned_with_their_last_article() -> None:
    ws = store(A1, A2)
    labels = ws.query("SELECT ?g WHERE { GRAPH ?g { ?e rdfs:label \"Baidu\" } }")
    assert [r["g"] for r in labels] == [ENTITIES_GRAPH]  # one copy, however many articles mention it
    assert ENTITIES_GRAPH not in ws.article_graphs()
    metric = "SELECT ?m WHERE { ?m a ci:MetricObservation }"
    assert ws.query(metric)
    ws.put_article(article_iri(A2.id), to_quads(extract(Article(A2.id, A2.title, date=A2.date,
                                                                text="Baidu competes with Alibaba."))))
    assert ws.query(metric) == []  # the new version no longer reports it
    assert ws.query("SELECT ?e WHERE { ?e rdfs:label \"Baidu\" }")  # A1 and the new A2 still mention Baidu
    ws.remove_article(article_iri(A1.id))
    ws.remove_article(article_iri(A2.id))
    assert ws.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }") == []


def test_projection_labels_types_and_properties() -> None:
    pg = project(store(A1, A2))
    labels = pg.label_counts()
    assert {"Company", "AIModel", "Chip", "Article", "MetricObservation"} <= set(labels)
    types = pg.type_counts()
    assert {"DEVELOPS", "USES_CHIP", "COMPETES_WITH", "REPORTS_METRIC", "MENTIONS"} <= set(types)
    metric = next(n for n in pg.nodes.values() if "MetricObservation" in n.labels and n.props["unit"] == "CNY")
    assert metric.props["value"] == 280_000_000_000
    assert metric.props["period"] == "FY2025"
    g = to_networkx(pg)
    assert g.number_of_nodes() == len(pg.nodes) and g.number_of_edges() == len(pg.rels)
    for node, data in g.nodes(data=True):  # grand-cypher's convention: labels as a set, properties beside them
        assert data["__labels__"] == set(pg.nodes[node].labels)
        assert {k: v for k, v in data.items() if k != "__labels__"} == pg.nodes[node].props
    for _, _, key, data in g.edges(keys=True, data=True):
        assert data["__labels__"] == {key}


def test_vocabulary_comes_from_the_ontology() -> None:
    vocab = vocabulary()
    assert {"develops", "usesChip", "competesWith", "reportsMetric"} <= vocab.relations
    assert vocab.symmetric == {"competesWith", "partnersWith"}
    assert rel_type("usesChip") == "USES_CHIP" and rel_type("headquarteredIn") == "HEADQUARTERED_IN"


def test_workspace_persists_and_reopens(tmp_path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.put_article(article_iri(A1.id), to_quads(extract(A1)))
        n = ws.triple_count()
    with Workspace.open(tmp_path / "ws", read_only=True) as ws:
        assert ws.triple_count() == n > 0


@pytest.mark.parametrize("value", ['"}) DETACH DELETE n //', '" . } DROP ALL #', "Baidu' OR '1'='1"])
def test_sparql_parameters_are_bound_not_pasted(value: str) -> None:
    ws = store(A1)
    before = ws.triple_count()
    rows = ws.query("SELECT ?e ?name WHERE { ?e rdfs:label ?name }", {"name": value})
    assert rows == []
    assert ws.triple_count() == before
