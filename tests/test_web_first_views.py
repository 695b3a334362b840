"""First views of `kg serve` cost what the page shows: the shortcuts give what the full reads gave.

Each shortcut (a brief's footnotes read in the articles they quote, facts read from the quad index, the latest
articles from the snapshot's article metadata) is checked against the straightforward read it replaced, on the
example workspace; and a new snapshot is warmed in the background, each shared view made once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kg.facts import (
    article_meta,
    evidence_for,
    facts_touching,
    first_evidence,
    mentioned_in,
    relation_predicates,
    symmetric,
)
from kg.store import PREFIXES, Workspace
from kg.web import data
from ontology import NS

_ALL_FACTS = """SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?p), STR(ci:))
  && ?p IN ($preds) && isIRI(?o)) }"""
_LATEST = """SELECT ?g ?id ?title ?date WHERE { GRAPH ?g { ?g a ci:Article ; ci:articleId ?id
  OPTIONAL { ?g schema:headline ?title } OPTIONAL { ?g schema:datePublished ?d }
  OPTIONAL { ?g schema:sdDatePublished ?i } }
  BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?date) } ORDER BY DESC(?date) ?id LIMIT $limit"""
# the one query facts_touching ran before it read the quad index
_TOUCHING = """SELECT DISTINCT ?s ?p ?o ?g WHERE { VALUES ?x { $nodes } VALUES ?p { $preds }
  { GRAPH ?g { ?x ?p ?o } BIND(?x AS ?s) } UNION { GRAPH ?g { ?s ?p ?x } BIND(?x AS ?o) } }"""


@pytest.fixture(scope="module")
def ws(examples_workspace: Path):
    with Workspace.open(examples_workspace, read_only=True, must_exist=True) as w:
        yield w


def _every_fact(ws: Workspace) -> list[tuple[str, str, str]]:
    preds = ", ".join(f"ci:{p}" for p in [*relation_predicates(), "reportsMetric"])
    return [(str(r["s"]), str(r["p"]), str(r["o"])) for r in ws.query(_ALL_FACTS.replace("$preds", preds))]


def test_first_evidence_is_the_full_evidence_cut_to_its_oldest_articles(ws: Workspace) -> None:
    facts = _every_fact(ws)
    assert len(facts) > 100
    full = evidence_for(ws, facts)
    for per_fact in (1, 3):
        quick = first_evidence(ws, facts, per_fact)
        assert set(quick) == set(full)
        for key, evs in full.items():
            graphs = list(dict.fromkeys(e.graph for e in evs))
            kept = set(graphs[:per_fact])
            assert quick[key] == ([e for e in evs if e.graph in kept], len(graphs)), key
    several = [k for k, evs in full.items() if len({e.graph for e in evs}) > 1]
    assert several, "no fact stated by two articles: the cut was not tried"
    assert any(k[1] in symmetric() for k in several)  # a symmetric one too: read both ways


def test_facts_touching_reads_the_same_facts_as_one_query(ws: Workspace) -> None:
    entities = sorted({end for s, _, o in _every_fact(ws) for end in (s, o)})
    nodes = " ".join(f"<{e}>" for e in entities)
    preds = " ".join(f"ci:{p}" for p in relation_predicates())
    graphs: dict[tuple[str, str, str], set[str]] = {}
    for r in ws.store.query(_TOUCHING.replace("$nodes", nodes).replace("$preds", preds),
                            use_default_graph_as_union=True, prefixes=PREFIXES):  # type: ignore[union-attr]
        s, p, o = r["s"].value, r["p"].value, r["o"].value
        if p[len(NS):] in symmetric() and o < s:
            s, o = o, s
        graphs.setdefault((s, p[len(NS):], o), set()).add(r["g"].value)
    meta = article_meta(ws)
    got = {f.key: (f.sources, f.first_reported) for f in facts_touching(ws, entities)}
    assert set(got) == set(graphs)
    for key, gs in graphs.items():
        days = [meta[g].day for g in gs if meta[g].day]
        assert got[key] == (len({meta[g].story for g in gs}), min(days) if days else None), key


def test_the_articles_mentioning_an_entity_are_those_a_query_gives(ws: Workspace) -> None:
    for e in sorted({end for s, _, o in _every_fact(ws) for end in (s, o)}):
        rows = ws.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g ci:mentions <{e}> }} }}")
        assert sorted(mentioned_in(ws, e)) == sorted(str(r["g"]) for r in rows), e


def test_latest_articles_are_those_the_ordered_query_gives(ws: Workspace) -> None:
    for limit in (1, 10, 1000):
        rows = ws.query(_LATEST.replace("$limit", str(limit)))
        expected = [{"graph": str(r["g"]), "id": r["id"], "title": r["title"], "date": r["date"]} for r in rows]
        assert data.latest_articles(ws, limit) == expected


def test_a_new_snapshot_is_warmed_in_the_background(examples_workspace: Path) -> None:
    from kg.web.app import IDLE, Settings, State, _cached
    from kg.web.workers import Limits

    state = State(Settings(workspace=examples_workspace, limits=Limits(timeout=3), workers=1))
    try:
        assert state.warmer is not None
        deadline = time.monotonic() + 60
        while state.warmer.warmed < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        first = state.snapshots.current
        assert first is not None and state.warmer.warmed >= 1
        assert {"names", "typed", "home", "articles"} <= set(first.cache)
        assert "_kg_article_meta" in first.workspace.__dict__
        assert state.snapshots.refresh(force=True)  # a new snapshot: warmed in its turn
        second = state.snapshots.current
        assert second is not None and second is not first
        while "articles" not in second.cache and time.monotonic() < deadline:
            time.sleep(0.05)
        assert {"home", "articles"} <= set(second.cache)
        made: list[int] = []

        def slow() -> int:  # several requests at once for one entry: made once, all get it
            made.append(1)
            time.sleep(0.2)
            return len(made)

        answers: list[int] = []
        threads = [threading.Thread(target=lambda: answers.append(_cached(second, "slow", slow))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert made == [1] and answers == [1, 1, 1, 1]
        state.last_page -= IDLE + 1  # nobody has asked for a page for a while: new snapshots are left cold
        assert state.snapshots.refresh(force=True)
        third = state.snapshots.current
        time.sleep(1.0)
        assert third is not None and third is not second and "home" not in third.cache
    finally:
        state.close()


def test_an_article_saying_a_fact_ended_is_still_among_its_sources(tmp_path: Path) -> None:
    from ingest.extract import extract
    from ingest.model import Article
    from tests.web_support import store

    texts = [("a1", "2021-03-01", "Wen Haolin is the chief executive of Pellucid Robotics, the company said."),
             ("a2", "2022-05-01", "Wen Haolin, who stepped down as chief executive of Pellucid Robotics in 2021, "
                                  "now teaches in Xi'an."),
             ("a3", "2023-01-09", "Pellucid Robotics chief executive Wen Haolin opened the Suzhou plant.")]
    exs = [extract(Article(f"test:first-views:{i}", "", text, date=day)) for i, day, text in texts]
    assert exs[1].ended, "the second article states no ended fact: the test tries nothing"
    store(exs, tmp_path / "ws")
    with Workspace.open(tmp_path / "ws", read_only=True, must_exist=True) as w:
        facts = _every_fact(w) + [(f.subject.iri, NS + f.predicate, f.object.iri) for f in exs[1].ended]
        full = evidence_for(w, facts)
        quick = first_evidence(w, facts, 3)
        assert {k: (evs, len({e.graph for e in evs})) for k, evs in full.items()} == quick
        assert any(n == 3 for _, n in quick.values())
