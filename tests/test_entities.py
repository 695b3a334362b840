"""Entity resolution across articles (kg.resolve, kg.merges) and a curator's merge and split (kg.entities).

The articles are written for these tests: invented start-ups named two ways in two articles.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg
from ingest.kb import default_kb
from kg.resolve import COMPANY_WORDS, MERGE_AT, SAME_NAME, SHORT_FORM, Names, Words, match

FIRST = """---
title: Tavrin Robotics opens a plant
date: 2025-03-02
url: https://news.example.org/test/tavrin-plant
---
Tavrin Robotics, a Shenzhen start-up, competes with Unitree. Hexavolt Semiconductor (Hexavolt) supplies chips to
Tavrin Robotics.
"""
SECOND = """---
title: Tavrin wins an order
date: 2025-04-10
url: https://news.example.org/test/tavrin-order
---
Tavrin, a robotics start-up based in Shenzhen, competes with Unitree. Tavrin has partnered with Lenovo.
Hexavolt competes with Cambricon.
"""
NEAR_MISS = """---
title: Tavrin Capital closes a fund
date: 2025-05-01
url: https://news.example.org/test/tavrin-capital
---
Tavrin Capital, a Hong Kong investment firm, competes with Hillhouse Investment.
"""


def _articles(tmp_path: Path, *texts: str) -> list[Path]:
    paths = []
    for i, text in enumerate(texts):
        p = tmp_path / "in" / f"a{i}.md"
        p.parent.mkdir(exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def _competitors(ws: Path, company: str) -> dict[str, int]:
    rows = kg.run_query("competitors", {"company": company}, workspace=ws)
    return {str(r["competitor"]): int(r["sources"]) for r in rows}  # type: ignore[call-overload]


def _companies(ws: Path, word: str) -> set[str]:
    rows = kg.run_sparql(f'SELECT ?l WHERE {{ ?e a ci:Company ; rdfs:label ?l . FILTER(CONTAINS(?l, "{word}")) }}',
                         workspace=ws)
    return {str(r["l"]) for r in rows}


@pytest.fixture
def words() -> Words:
    return Words.of(default_kb())


def test_a_start_up_named_two_ways_in_two_articles_is_one_node(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first, second = _articles(tmp_path, FIRST, SECOND)
    kg.ingest([first], ws)
    kg.ingest([second], ws)
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics"}
    assert _companies(ws, "Hexavolt") == {"Hexavolt Semiconductor"}
    assert _competitors(ws, "Unitree Robotics") == {"Tavrin Robotics": 2}  # one fact, both articles behind it
    card = kg.lookup("Tavrin", ws).cards[0]
    assert card.label == "Tavrin Robotics"
    merged = {(m.merged, m.into, m.reason) for m in kg.entity_merges(ws)}
    assert merged == {("Tavrin", "Tavrin Robotics", COMPANY_WORDS), ("Hexavolt", "Hexavolt Semiconductor", SHORT_FORM)}
    assert all(m.article == "https://news.example.org/test/tavrin-order" for m in kg.entity_merges(ws))
    facts = kg.run_query("partners_and_investments", {"company": "Tavrin Robotics"}, workspace=ws)
    assert [(r["other"], r["sources"]) for r in facts] == [("Lenovo", 1)]  # the second article's fact, on the node


def test_the_second_article_of_one_run_meets_the_first_one_node(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    kg.ingest(_articles(tmp_path, FIRST, SECOND), ws)
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics"}
    assert _competitors(ws, "Unitree Robotics") == {"Tavrin Robotics": 2}


def test_a_near_miss_name_is_not_merged_but_is_a_suspect(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    kg.ingest(_articles(tmp_path, FIRST, NEAR_MISS), ws)
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics", "Tavrin Capital"}
    assert kg.entity_merges(ws) == []
    pairs = {frozenset((s.a, s.b)): s for s in kg.entity_suspects(ws)}
    suspect = pairs[frozenset(("Tavrin Robotics", "Tavrin Capital"))]
    assert suspect.score < MERGE_AT


def test_a_curator_merge_survives_re_ingest_and_a_split_undoes_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first, near = _articles(tmp_path, FIRST, NEAR_MISS)
    kg.ingest([first, near], ws)
    report = kg.merge_entities("Tavrin Robotics", "Tavrin Capital", ws)
    assert report.articles == 1 and Path(str(report.file)) == ws / "curation.yaml"
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics"}
    assert "Hillhouse Investment" in _competitors(ws, "Tavrin Robotics")
    # a new version of the article is written again from its extraction: the decision is applied again
    near.write_text(NEAR_MISS.replace("investment firm", "investment house"), encoding="utf-8")
    summary = kg.ingest([near], ws)
    assert summary.updated == 1
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics"}
    assert [(m.merged, m.decided_by) for m in kg.entity_merges(ws)] == [("Tavrin Capital", "curator")]
    assert kg.property_graph(ws).nodes.get("https://cikg.dev/id/company/tavrin-capital") is None
    # the un-merge restores two nodes, each with its own facts, and keeps them apart on the next ingest
    kg.split_entities("Tavrin Robotics", "Tavrin Capital", ws)
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics", "Tavrin Capital"}
    assert _competitors(ws, "Tavrin Capital") == {"Hillhouse Investment": 1}
    assert "Hillhouse Investment" not in _competitors(ws, "Tavrin Robotics")
    near.write_text(NEAR_MISS, encoding="utf-8")
    kg.ingest([near], ws)
    assert _companies(ws, "Tavrin") == {"Tavrin Robotics", "Tavrin Capital"}
    assert "Tavrin Capital" in (ws / "curation.yaml").read_text(encoding="utf-8")


def test_an_un_merge_restores_the_article_graph_exactly(tmp_path: Path) -> None:
    ws, alone = tmp_path / "ws", tmp_path / "alone"
    first, second = _articles(tmp_path, FIRST, SECOND.replace("Hexavolt competes with Cambricon.", ""))
    kg.ingest([first], ws)
    kg.ingest([second], ws)
    assert [m.merged for m in kg.entity_merges(ws)] == ["Tavrin"]
    kg.split_entities("Tavrin Robotics", "Tavrin", ws)
    kg.ingest([second], alone)  # the second article in a workspace of its own: nothing to resolve it to
    query = ('SELECT ?s ?p ?o WHERE { GRAPH ?g { ?g ci:articleId "https://news.example.org/test/tavrin-order" . '
             '?s ?p ?o FILTER(?p NOT IN (ci:story, ci:nearDuplicateOf, ci:similarity, ci:minhash, '
             'schema:sdDatePublished, schema:contentUrl)) } }')
    split_rows = {tuple(map(str, r.values())) for r in kg.run_sparql(query, workspace=ws)}
    alone_rows = {tuple(map(str, r.values())) for r in kg.run_sparql(query, workspace=alone)}
    assert split_rows == alone_rows
    assert any("company/tavrin" in str(r) and "tavrin-robotics" not in str(r) for r in split_rows)
    assert kg.entity_merges(ws) == []


def test_names_that_mean_one_entity(words: Words) -> None:
    def company(label: str, short: tuple[str, ...] = ()) -> Names:
        return Names("x:" + label, label, "Company", short_forms=frozenset(short))

    assert match(company("Orvane Robotics Co., Ltd."), company("Orvane Robotics"), words).score == 1.0  # type: ignore[union-attr]
    kimi = Names("x:1", "Kimi K2", "AIModel"), Names("x:2", "KimiK2", "AIModel")
    assert match(*kimi, words) == match(Names("x:1", "kimi-k2", "AIModel"), kimi[1], words)
    assert match(*kimi, words).reason == SAME_NAME  # type: ignore[union-attr]
    assert match(company("Beijing Orvane Robotics"), company("Orvane"), words).reason == COMPANY_WORDS  # type: ignore[union-attr]
    assert match(company("Zhiyuan Robotics", ("Quorvix",)), company("Quorvix"), words).reason == SHORT_FORM  # type: ignore[union-attr]
    different = match(company("Moore Threads"), company("Moore Capital"), words)
    assert different is None or different.score < MERGE_AT
    assert match(company("Tavrin"), Names("x:t", "Tavrin", "Person"), words) is None  # types differ


def test_a_malformed_curation_file_is_one_line_naming_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = _articles(tmp_path, FIRST)[0]
    kg.ingest([first], ws)
    (ws / "curation.yaml").write_text("merge:\n  - {keep: Tavrin Robotics}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", str(first), "-w", str(ws)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {ws / 'curation.yaml'}: merge entry 1 needs keep, keep_iri, merge, merge_iri, type (text each), "
        "not {'keep': 'Tavrin Robotics'}"]
    (ws / "curation.yaml").write_text("merge: [\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "entities", "-w", str(ws)], capture_output=True, text=True)
    assert result.returncode == 0  # listing merges does not read the curation file
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", str(first), "-w", str(ws)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {ws / 'curation.yaml'}:2: not valid YAML")


def test_curator_commands_refuse_what_cannot_be_one_entity(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    kg.ingest(_articles(tmp_path, FIRST, SECOND), ws)
    with pytest.raises(kg.InputError, match="both in the knowledge base"):
        kg.merge_entities("Unitree Robotics", "Lenovo", ws)
    with pytest.raises(kg.InputError, match="one entity already"):
        kg.merge_entities("Tavrin Robotics", "Tavrin", ws)
    with pytest.raises(kg.UnknownName):
        kg.merge_entities("Tavrin Robotics", "Nobody Such", ws)
    with pytest.raises(kg.InputError, match="min_score"):
        kg.entity_suspects(ws, min_score=2)


def test_a_merge_written_into_the_curation_file_by_hand_applies_at_projection(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    kg.ingest(_articles(tmp_path, FIRST, NEAR_MISS), ws)
    robotics, capital = "https://cikg.dev/id/company/tavrin-robotics", "https://cikg.dev/id/company/tavrin-capital"
    (ws / "curation.yaml").write_text(
        f"merge:\n  - {{keep: Tavrin Robotics, keep_iri: '{robotics}', merge: Tavrin Capital, merge_iri: '{capital}', "
        "type: Company}\n", encoding="utf-8")
    pg = kg.property_graph(ws)
    assert capital not in pg.nodes and "Tavrin Capital" in pg.nodes[robotics].props["aliases"]
    rels = {(frozenset((r.src, r.dst)), r.type) for r in pg.rels}
    assert (frozenset((robotics, "https://cikg.dev/id/company/hillhouse-investment")), "COMPETES_WITH") in rels
    rows = kg.run_query("competitors", {"company": "Hillhouse Investment"}, backend="networkx", workspace=ws)
    assert [r["competitor"] for r in rows] == ["Tavrin Robotics"]


def test_the_resolver_on_the_labelled_name_pairs() -> None:
    """benchmarks/sets/entity_pairs.jsonl, both orders: the figures in the README are floors."""
    from benchmarks.entities import figures, load, trials

    f = figures(trials(load()))
    assert f["precision"] >= 0.97 and f["recall"] >= 0.95, f
    assert f["suspect_recall"] == 1.0, f["missed"]
    assert f["by_kind"]["similar name, another entity"]["merged"] <= 2, f["false_merges"]
