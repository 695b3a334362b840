"""The fact summary (kg.summary) equals what the per-article graphs say, after adds, replacements and removals.

The expected figures are computed here from the article graphs alone, by SPARQL aggregation over their facts,
evidence and mentions (the way the stored queries counted before the summary existed), and compared with every
record of the summary.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import api
from kg.store import Workspace
from kg.summary import SUMMARY_GRAPH, fact_key

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"

_TRUE_FACTS = """
SELECT ?s ?p ?o (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) (MIN(?day) AS ?first) (MAX(?day) AS ?last)
       (MAX(?conf) AS ?best) WHERE {
  GRAPH ?g { ?ev a ci:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ci:confidence ?conf .
             ?g ci:articleId ?id . OPTIONAL { ?g schema:datePublished ?d } OPTIONAL { ?g schema:sdDatePublished ?i }
             FILTER NOT EXISTS { ?ev ci:ended true } }  # a fact its article says has ended is history
  BIND(COALESCE(STR(?d), SUBSTR(STR(?i), 1, 10)) AS ?day)
} GROUP BY ?s ?p ?o"""
_SUMMARY_FACTS = f"""
SELECT ?s ?p ?o ?n ?first ?last ?best (GROUP_CONCAT(STR(?g); separator=" ") AS ?graphs) WHERE {{
  GRAPH <{SUMMARY_GRAPH}> {{ ?f ci:factSubject ?s ; ci:factPredicate ?p ; ci:factObject ?o ; ci:sources ?n ;
      ci:firstReported ?first ; ci:lastReported ?last ; ci:bestConfidence ?best ; ci:statedIn ?g }}
}} GROUP BY ?s ?p ?o ?n ?first ?last ?best"""
_TRUE_MENTIONS = """SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a ci:Article ; ci:mentions ?e } }
GROUP BY ?e"""
_SUMMARY_ENTITIES = f"""SELECT ?e ?degree ?facts ?articles WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{
  ?e ci:degree ?degree ; ci:factCount ?facts ; ci:articleCount ?articles }} }}"""


def expected(ws: Workspace) -> tuple[dict[tuple[str, str, str], tuple[object, ...]], dict[str, tuple[int, int, int]]]:
    """(fact key -> (sources, first, last, best confidence, graphs), entity -> (degree, fact count, articles)),
    from the article graphs."""
    facts: dict[tuple[str, str, str], dict[str, object]] = {}
    for r in ws.query(_TRUE_FACTS):
        key = fact_key(r["s"], r["p"], r["o"])
        graphs = set(str(r["graphs"]).split())
        if key in facts:  # a symmetric fact stated both ways round
            m = facts[key]
            graphs |= m["graphs"]  # type: ignore[operator]
            r = {"first": min(m["first"], r["first"]), "last": max(m["last"], r["last"]),  # type: ignore[type-var]
                 "best": max(m["best"], r["best"])}  # type: ignore[type-var]
        facts[key] = {"graphs": graphs, "first": r["first"], "last": r["last"], "best": r["best"]}
    between = {k for k in facts if not k[1].endswith("#reportsMetric")}
    neighbours: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for s, p, o in facts:
        counts[s] = counts.get(s, 0) + 1
        if o != s:
            counts[o] = counts.get(o, 0) + 1
        if (s, p, o) in between and s != o:
            neighbours.setdefault(s, set()).add(o)
            neighbours.setdefault(o, set()).add(s)
    mentions = {r["e"]: int(r["n"]) for r in ws.query(_TRUE_MENTIONS)}
    entities = {e: (len(neighbours.get(e, ())), counts.get(e, 0), mentions.get(e, 0))
                for e in set(counts) | set(mentions)}
    return ({k: (len(v["graphs"]), v["first"], v["last"], v["best"], frozenset(v["graphs"]))  # type: ignore[arg-type]
             for k, v in facts.items()}, entities)


def stored(ws: Workspace) -> tuple[dict[tuple[str, str, str], tuple[object, ...]], dict[str, tuple[int, int, int]]]:
    facts = {(r["s"], r["p"], r["o"]): (r["n"], r["first"], r["last"], r["best"], frozenset(str(r["graphs"]).split()))
             for r in ws.query(_SUMMARY_FACTS)}
    entities = {r["e"]: (r["degree"], r["facts"], r["articles"]) for r in ws.query(_SUMMARY_ENTITIES)}
    return facts, entities


def check(path: Path) -> int:
    with Workspace.open(path, read_only=True) as ws:
        want_facts, want_entities = expected(ws)
        got_facts, got_entities = stored(ws)
    assert got_facts == want_facts
    assert got_entities == want_entities
    return len(want_facts)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    out = tmp_path / "articles"
    shutil.copytree(EXAMPLES, out)
    return out


def test_summary_after_adds_replacements_and_removals(tmp_path: Path, corpus: Path) -> None:
    ws = tmp_path / "ws"
    files = sorted(p for p in corpus.iterdir() if p.suffix != ".md" or p.name != "README.md")
    # added in two runs, so that the second run updates records the first made
    api.ingest([str(p) for p in files[: len(files) // 2]], ws)
    assert check(ws) > 0
    api.ingest([str(corpus)], ws)
    full = check(ws)
    # replaced: an article loses its second half (facts gone, others' counts drop) and gets a new date
    md = next(p for p in files if p.suffix == ".md" and "date:" in p.read_text(encoding="utf-8"))
    text = md.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines = [("date: 2027-03-01" if line.startswith("date:") else line) for line in lines[: len(lines) * 2 // 3]]
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = api.ingest([str(corpus)], ws)
    assert summary.updated >= 1
    assert check(ws) <= full
    # removed: one article by id, then a whole file's
    listed = api.list_articles(ws)
    api.remove_articles([listed[0].id], ws)
    check(ws)
    api.remove_articles([a.id for a in api.list_articles(ws)[:3]], ws)
    check(ws)
    # all gone: nothing left in the summary but its own bookkeeping
    api.remove_articles([a.id for a in api.list_articles(ws)], ws)
    with Workspace.open(ws, read_only=True) as w:
        assert stored(w) == ({}, {})


def test_summary_rebuilt_for_a_workspace_without_one(tmp_path: Path, corpus: Path) -> None:
    """A workspace written before the summary existed (or whose write stopped half-way) gets it on opening."""
    import pyoxigraph as ox

    ws = tmp_path / "ws"
    api.ingest([str(corpus)], ws)
    before = check(ws)
    store = ox.Store(str(ws / "oxigraph"))
    store.remove_graph(ox.NamedNode(SUMMARY_GRAPH))
    store.flush()
    del store
    with Workspace.open(ws):
        pass
    assert check(ws) == before


def test_a_pair_linked_both_ways_in_one_batch_is_one_neighbour(tmp_path: Path) -> None:
    """Two relations between one pair, stated from opposite ends and made in one write, are one link in
    ``ci:degree`` (they were counted twice: most_connected read a degree one too high); removing them drops it."""
    from ingest.kb import default_kb
    from ingest.model import Article, Evidence, Extraction, Fact, Mention

    kb = default_kb()
    alibaba, zhipu, baidu = (kb.by_label(n) for n in ("Alibaba Group", "Zhipu AI", "Baidu"))
    assert alibaba and zhipu and baidu
    facts = [(zhipu, "investsIn", alibaba), (alibaba, "partnersWith", zhipu), (alibaba, "competesWith", baidu)]
    text = " ".join(f"{s.label} {p} {o.label}." for s, p, o in facts)
    aid = "https://news.example.org/summary/pair"
    ev = Evidence(aid, text, 0, len(text), "by-hand", 0.9)
    extraction = Extraction(Article(aid, "One pair, two links", text, date="2026-01-05", url=aid),
                            mentions=[Mention(e, e.label, 0, 1, 0.9) for e in (alibaba, zhipu, baidu)],
                            facts=[Fact(s, p, o, ev) for s, p, o in facts])
    ws = tmp_path / "ws"
    api.store_extractions([extraction], ws)
    check(ws)
    with Workspace.open(ws, read_only=True) as w:
        assert stored(w)[1][alibaba.iri][0] == 2  # Zhipu AI and Baidu
    api.remove_articles([a.id for a in api.list_articles(ws)], ws)
    with Workspace.open(ws, read_only=True) as w:
        assert stored(w) == ({}, {})
