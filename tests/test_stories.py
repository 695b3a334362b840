"""Near-duplicate detection (kg.stories): signatures, the story index, and the measured threshold on the rewrite set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from benchmarks import duplicates
from ingest.model import InputError
from kg import stories
from kg.cli import app

WIRE = """Zhipu AI, the Chinese artificial intelligence start-up, was added to the Entity List on Wednesday, restricting
the company's access to American technology and components. The listing, published by the Bureau of Industry and
Security, said Zhipu was helping to advance the modernisation of China's military through its work on large
language models. Companies on the list cannot receive goods subject to US export rules without a licence, which is
rarely granted. Zhipu, which was spun out of Tsinghua University in 2019, develops the GLM family of models and the
ChatGLM chatbot. Its backers include Alibaba, Tencent and Meituan."""

EDITED = """SHANGHAI (Asia Tech Wire) - Zhipu AI, the Chinese artificial intelligence startup, was added to the Entity
List on Wednesday, restricting the firm's access to American technology and components. Companies on the list
cannot receive goods subject to US export rules without a licence, which is rarely granted. The listing, published
by the Bureau of Industry and Security, stated Zhipu was helping to advance the modernisation of China's military
through its work on large language models. Zhipu, which was spun out of Tsinghua University in 2019, develops the
GLM family of models and the ChatGLM chatbot. (Reporting by Mei Lin; Editing by Tom Hale)"""

OTHER = """Zhipu AI has raised more than 1 billion yuan from state-backed investors in Hangzhou and Zhuhai, the
company said on Tuesday, in its first funding since Washington put it on a trade blacklist in January. The start-up
did not disclose its valuation, but people familiar with the round said it was priced above the previous round.
The new money will go into training its next generation of GLM models and building data centres that run on
domestic accelerators. Its backers include Alibaba, Tencent and Meituan."""


def test_signature_round_trip() -> None:
    sig = stories.signature(WIRE)
    assert sig is not None
    back = stories.decode(stories.encode(sig))
    assert back is not None and back.jaccard(sig) == 1.0
    assert stories.decode("not base64!") is None
    assert stories.decode(stories.encode(sig)[:40]) is None  # another length: not ours


def test_short_text_is_its_own_story() -> None:
    assert stories.signature("Baidu released Ernie 4.5.") is None
    index = stories.StoryIndex()
    a = index.assign("a", "1", None)
    b = index.assign("b", "1", None)
    assert a.story != b.story and a.duplicate_of is None


def test_edited_copy_joins_the_story_and_another_story_does_not() -> None:
    index = stories.StoryIndex()
    first = index.assign("wire", "v1", stories.signature(WIRE))
    copy = index.assign("copy", "v1", stories.signature(EDITED))
    other = index.assign("other", "v1", stories.signature(OTHER))
    assert copy.story == first.story and copy.duplicate_of == "wire"
    assert copy.similarity is not None and copy.similarity >= stories.DEFAULT_THRESHOLD
    assert other.story != first.story
    assert index.stories()[first.story] == ["copy", "wire"]


def test_a_new_version_is_compared_with_the_others_only() -> None:
    index = stories.StoryIndex()
    first = index.assign("wire", "v1", stories.signature(WIRE))
    again = index.assign("wire", "v2", stories.signature(WIRE + " It declined to comment."))
    assert again.story == first.story and again.duplicate_of is None  # not a duplicate of itself
    index.assign("copy", "v1", stories.signature(EDITED))
    moved = index.assign("wire", "v3", stories.signature(OTHER))  # rewritten into another story
    assert moved.story != first.story  # the copy keeps the story it joined
    assert index.story["copy"] == first.story


def test_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stories.threshold() == stories.DEFAULT_THRESHOLD
    monkeypatch.setenv(stories.THRESHOLD_ENV, "0.9")
    assert stories.StoryIndex().threshold == 0.9
    assert stories.threshold(0.5) == 0.5
    monkeypatch.setenv(stories.THRESHOLD_ENV, "2")
    with pytest.raises(InputError, match=stories.THRESHOLD_ENV):
        stories.threshold()
    with pytest.raises(InputError, match="duplicate_threshold"):
        stories.threshold(0)


def test_default_threshold_on_the_rewrite_set() -> None:
    """The measured default keeps every rewrite with its story and no two stories together (README figures)."""
    rows = duplicates.load()
    assert len({r["story"] for r in rows}) == 77 and len(rows) == 380
    score = duplicates.measure(rows, stories.DEFAULT_THRESHOLD)
    assert score.precision == 1.0 and score.recall == 1.0, score
    assert score.same_topic_pairs > 1000 and score.same_topic_merged == 0
    # and the set is not trivial: a threshold too low merges follow-ups, one too high splits edited copies
    assert duplicates.measure(rows, 0.15).precision < 1.0
    assert duplicates.measure(rows, 0.5).recall < 0.9


# --- stories at ingest: a fresh hand-written story (no article of the project's sets) and four syndicated copies

ORIGINAL = " ".join("""Tessaline Labs, a start-up based in Shenzhen, on Thursday released Orbis-3, a large
language model it says matches the best open models on coding and mathematics benchmarks. Tessaline Labs develops
Orbis-3, and the company said the model was trained on Huawei Ascend 910B chips at a data centre in
Guizhou, without any Nvidia hardware. The start-up was founded in 2023 by former researchers of
Tsinghua University and has raised about 80 million dollars from local government funds. Its chief
executive, Lin Weiran, told reporters that the next version would be released early next year and
that the company planned to open its weights to developers. Analysts said the launch showed how
quickly Chinese developers had adapted to export controls that cut them off from the most advanced
American accelerators.""".split())

# light edits, as outlets make them: a dateline, a credit line, a word or a sentence changed, one cut, one moved
COPIES = [
    ("Asia Tech Wire", "Tessaline Labs unveils Orbis-3 model trained on Ascend chips", ORIGINAL),
    ("Shenzhen Daily Review", "Shenzhen start-up Tessaline releases Orbis-3",
     "SHENZHEN (Asia Tech Wire) - " + ORIGINAL.replace("on Thursday released", "released on Thursday")
     + " (Reporting by Mei Lin; Editing by Tom Hale)"),
    ("Pacific Markets Post", "Orbis-3: Tessaline's model runs on Huawei silicon",
     ORIGINAL.replace("told reporters", "said").replace("Analysts said", "Industry analysts said")),
    ("The Compute Letter", "Tessaline Labs launches Orbis-3",
     ORIGINAL.replace(" The start-up was founded in 2023 by former researchers of Tsinghua University and has raised "
                      "about 80 million dollars from local government funds.", "")),
    ("Bay Chips Weekly", "China's Tessaline Labs shows Orbis-3",
     ORIGINAL.replace("a start-up based in Shenzhen", "a Shenzhen-based start-up")
     .replace("large language model", "large-language model") + " Tessaline did not comment on its valuation."),
]

# another story on the same topic: the same fact, told by another report
FOLLOW_UP = """Orbis-3, the model Tessaline Labs released last month, has climbed to the top of a public leaderboard of
Chinese-language chatbots, the ranking's maintainers said on Monday. Tessaline Labs develops Orbis-3 with a team of
about 120 engineers, most of them in Shenzhen, and has begun charging businesses for access through a cloud service.
Early customers include a provincial bank and two online retailers, which use the model to answer customer queries.
The company said usage had tripled in the three weeks since the service opened and that it was adding servers to
keep up with demand; it gave no figures for revenue."""


def _write(folder: Path, name: str, outlet: str, title: str, body: str, date: str = "2026-11-20") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {json.dumps(title)}\ndate: {date}\nsource: {outlet}\n"
                    f"url: https://{name}.example/tessaline\n---\n{body}\n", encoding="utf-8")
    return path


def test_the_copies_are_edited() -> None:
    assert len({body for _, _, body in COPIES}) == len(COPIES)


def _copies(folder: Path) -> list[Path]:
    return [_write(folder, f"outlet{i}", *copy) for i, copy in enumerate(COPIES)]


def _develops(ws: Path) -> dict[str, object]:
    """The property graph's DEVELOPS relationship of Tessaline Labs to Orbis-3 (its sources and articles)."""
    graph = kg.property_graph(ws)
    names = {n.id: n.props.get("name") for n in graph.nodes.values()}
    found = [r.props for r in graph.rels
             if r.type == "DEVELOPS" and names[r.src] == "Tessaline Labs" and names[r.dst] == "Orbis-3"]
    assert len(found) == 1, found
    return found[0]


def _summary_sources(ws: Path) -> int:
    rows = kg.run_sparql("""SELECT ?n WHERE { GRAPH <https://cikg.dev/graph/summary> {
        ?f ci:factSubject ?s ; ci:factPredicate ci:develops ; ci:factObject ?o ; ci:sources ?n }
        ?s rdfs:label "Tessaline Labs" . ?o rdfs:label "Orbis-3" }""", workspace=ws)
    assert len(rows) == 1, rows
    return int(rows[0]["n"])


def test_syndicated_copies_count_once(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _copies(tmp_path / "copies")
    summary = kg.ingest([tmp_path / "copies"], ws)
    assert summary.ok and summary.articles == 5 and summary.duplicates == 4
    fact = _develops(ws)
    assert fact["sources"] == 1 and len(fact["articles"]) == 5  # five copies listed, one source
    assert _summary_sources(ws) == 1
    articles = kg.list_articles(ws)
    assert len(articles) == 5 and len({a.story for a in articles}) == 1  # kg articles lists every copy
    assert {a.row()["story"] for a in articles} == {articles[0].story_id}
    nodes = [n for n in kg.property_graph(ws).nodes.values() if "Article" in n.labels]
    assert len(nodes) == 5 and {n.props["story"] for n in nodes} == {articles[0].story}  # Neo4j, NetworkX


def test_two_stories_on_one_topic_count_twice(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _copies(tmp_path / "copies")
    kg.ingest([tmp_path / "copies"], ws)
    _write(tmp_path / "later", "leaderboard", "Asia Tech Wire", "Orbis-3 tops a chatbot leaderboard", FOLLOW_UP,
           date="2026-12-01")
    summary = kg.ingest([tmp_path / "later"], ws)
    assert summary.articles == 1 and summary.duplicates == 0
    fact = _develops(ws)
    assert fact["sources"] == 2 and len(fact["articles"]) == 6
    assert _summary_sources(ws) == 2


def test_removing_the_first_copy_keeps_the_others_one_story(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    paths = _copies(tmp_path / "copies")
    kg.ingest([tmp_path / "copies"], ws)
    report = kg.remove_articles([str(paths[0])], ws)
    assert len(report.articles) == 1
    fact = _develops(ws)
    assert fact["sources"] == 1 and len(fact["articles"]) == 4
    assert len({a.story for a in kg.list_articles(ws)}) == 1
    # a new copy still finds the story through the copies that remain
    kg.ingest([paths[0]], ws)
    assert _develops(ws)["sources"] == 1 and len({a.story for a in kg.list_articles(ws)}) == 1


def test_an_edited_copy_keeps_or_leaves_its_story(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    paths = _copies(tmp_path / "copies")
    kg.ingest([tmp_path / "copies"], ws)
    story = kg.list_articles(ws)[0].story
    _write(tmp_path / "copies", "outlet3", "The Compute Letter", "Tessaline Labs launches Orbis-3",
           COPIES[3][2] + " Shares of its suppliers rose.")
    summary = kg.ingest([paths[3]], ws)
    assert summary.updated == 1 and {a.story for a in kg.list_articles(ws)} == {story}
    _write(tmp_path / "copies", "outlet3", "The Compute Letter", "Orbis-3 tops a chatbot leaderboard", FOLLOW_UP)
    kg.ingest([paths[3]], ws)
    by_id = {a.id: a.story for a in kg.list_articles(ws)}
    assert by_id["https://outlet3.example/tessaline"] != story
    assert len(set(by_id.values())) == 2 and _develops(ws)["sources"] == 2


def test_stories_do_not_depend_on_jobs(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    _copies(folder)
    _write(folder, "zz-leaderboard", "Asia Tech Wire", "Orbis-3 tops a chatbot leaderboard", FOLLOW_UP)
    one, two = tmp_path / "one", tmp_path / "two"
    kg.ingest([folder], one, jobs=1)
    kg.ingest([folder], two, jobs=2)
    assert ({a.id: a.story for a in kg.list_articles(one)} == {a.id: a.story for a in kg.list_articles(two)})
    assert len({a.story for a in kg.list_articles(one)}) == 2


def test_threshold_as_an_ingest_option(tmp_path: Path) -> None:
    _copies(tmp_path / "copies")
    summary = kg.ingest([tmp_path / "copies"], tmp_path / "ws", duplicate_threshold=1.0)
    assert summary.duplicates == 0 and _develops(tmp_path / "ws")["sources"] == 5
    with pytest.raises(InputError, match="duplicate_threshold"):
        kg.ingest([tmp_path / "copies"], tmp_path / "ws2", duplicate_threshold=1.5)
    assert not (tmp_path / "ws2" / "oxigraph").exists()  # refused before anything was written


def test_sources_count_stories_in_every_answer(tmp_path: Path) -> None:
    """Stored queries on rdf and networkx, the entity card and kg why agree: two stories, six articles."""
    ws = tmp_path / "ws"
    _copies(tmp_path / "copies")
    _write(tmp_path / "copies", "zz-leaderboard", "Asia Tech Wire", "Orbis-3 tops a chatbot leaderboard", FOLLOW_UP,
           date="2026-12-01")
    kg.ingest([tmp_path / "copies"], ws)
    for backend in ("rdf", "networkx"):
        rows = kg.run_query("models_by_company", {"company": "Tessaline Labs"}, backend, ws)
        assert [(r["model"], r["sources"]) for r in rows] == [("Orbis-3", 2)], backend
        since = kg.run_query("facts_since", {"since": "2026-01-01"}, backend, ws)
        assert {r["sources"] for r in since if (r["subject"], r["object"]) == ("Tessaline Labs", "Orbis-3")} == {2}
    card = kg.lookup("Tessaline Labs", ws).cards[0]
    assert [r["sources"] for r in card.relations if r["other"] == "Orbis-3"] == [2]
    out = CliRunner().invoke(app, ["why", "Tessaline Labs", "develops", "Orbis-3", "-w", str(ws)]).output
    assert out.startswith("Tessaline Labs develops Orbis-3: 2 sources (6 articles)")
    assert "5 near-duplicate articles, one source" in out
    evidence = kg.why("Tessaline Labs", "develops", "Orbis-3", ws)
    assert len({e["story"] for e in evidence}) == 2 and len({e["article"] for e in evidence}) == 6


def test_the_pages_and_the_brief_count_stories(tmp_path: Path) -> None:
    """kg.facts (entity page, kg viz, kg brief) and the serve evidence of a fact: two sources, six copies listed."""
    from kg.facts import facts_touching
    from kg.web.data import fact_evidence

    ws = tmp_path / "ws"
    _copies(tmp_path / "copies")
    _write(tmp_path / "copies", "zz-leaderboard", "Reuters", "Orbis-3 tops a chatbot leaderboard", FOLLOW_UP)
    kg.ingest([tmp_path / "copies"], ws)
    with kg.open_workspace(ws, read_only=True) as w:
        company, model = (f"https://cikg.dev/id/{k}" for k in ("company/tessaline-labs", "aimodel/orbis-3"))
        found = [f for f in facts_touching(w, [company]) if f.predicate == "develops" and f.object == model]
        assert [f.sources for f in found] == [2]
        evidence = fact_evidence(w, company, "develops", model)
    assert len({e["article"] for e in evidence}) == 6 and len({e["story"] for e in evidence}) == 2
    assert {e["outlet"]: e["reliability"] for e in evidence}["Reuters"] == "B"


def test_a_bad_threshold_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    _copies(tmp_path / "copies")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "copies"), "-w", str(tmp_path / "ws"),
                                      "--duplicate-threshold", "1.5"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        "error: the duplicate threshold (--duplicate-threshold, duplicate_threshold=) must be above 0 and at most 1, "
        "not 1.5"]
    assert not (tmp_path / "ws").exists()
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "copies"), "-w", str(tmp_path / "ws"),
                                      "--duplicate-threshold", "0.99", "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["duplicates"] == 0  # the edited copies are below
