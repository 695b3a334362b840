"""Facts that end: a former chief executive, a lifted rule, a sold stake are history, not current relations;
"since 2019" and "until 2024" date a fact; near misses ("the former Soviet republic", "until further notice")
end nothing. Sentences written for these tests."""

from __future__ import annotations

import pytest

from ingest.extract import extract
from ingest.model import Article, Extraction

DATE = "2026-03-10"


def read(text: str, date: str | None = DATE) -> Extraction:
    return extract(Article("test:periods", "", text, date=date))


def current(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(f.subject.label, f.predicate, f.object.label) for f in ex.facts}


def ended(ex: Extraction) -> dict[tuple[str, str, str], tuple[str | None, str | None]]:
    out = {}
    for f in ex.ended:
        assert f.period is not None and f.period.ended
        out[(f.subject.label, f.predicate, f.object.label)] = (f.period.start, f.period.end)
    return out


def test_a_role_stepped_down_from_is_history_with_its_year() -> None:
    ex = read("Wen Haolin, who stepped down as chief executive of Pellucid Robotics in 2021, now teaches in Xi'an.")
    assert ("Wen Haolin", "ceoOf", "Pellucid Robotics") not in current(ex)
    assert ended(ex) == {("Wen Haolin", "ceoOf", "Pellucid Robotics"): (None, "2021")}


@pytest.mark.parametrize("text", [
    "Former Baidu chief executive Ada Qiao joined a venture fund in Suzhou.",
    "Ada Qiao, Baidu's former chief executive, spoke at the Suzhou forum.",
    "Ada Qiao, the ex-chief executive of Baidu, spoke at the Suzhou forum.",
])
def test_a_former_chief_executive_is_no_current_ceo(text: str) -> None:
    ex = read(text)
    assert not any(p == "ceoOf" for _, p, _ in current(ex))
    assert ("Ada Qiao", "ceoOf", "Baidu") in ended(ex)


def test_a_role_held_until_a_past_year_has_ended() -> None:
    ex = read("Ines Marlow was chief executive of Tessellate Systems until 2024.")
    assert ended(ex) == {("Ines Marlow", "ceoOf", "Tessellate Systems"): (None, "2024")}


def test_a_rescinded_and_a_lifted_rule_end_the_restriction() -> None:
    ex = read("Washington rescinded the export ban on Corvane Semiconductor in May 2025.")
    assert not any(p == "subjectTo" for _, p, _ in current(ex))
    (key, (start, end)), = ended(ex).items()
    assert key[:2] == ("Corvane Semiconductor", "subjectTo") and end == "2025-05"
    ex = read("Corvane Semiconductor was removed from the Entity List in 2024, the filing says.")
    assert ended(ex) == {("Corvane Semiconductor", "subjectTo", "Entity List"): (None, "2024")}


def test_a_sold_stake_and_an_exit_end_the_investment() -> None:
    ex = read("Tencent sold its entire stake in Zhipu AI in 2025.")
    assert ("Tencent", "investsIn", "Zhipu AI") not in current(ex)
    assert ended(ex) == {("Tencent", "investsIn", "Zhipu AI"): (None, "2025")}
    ex = read("Alibaba Group has exited Moonshot AI, a person familiar with the deal said.")
    assert ("Alibaba Group", "investsIn", "Moonshot AI") in ended(ex)


def test_a_start_year_dates_a_current_fact() -> None:
    ex = read("Corvane Semiconductor has been on the Entity List since 2019.")
    (f,) = [f for f in ex.facts if f.predicate == "subjectTo"]
    assert f.period is not None and (f.period.start, f.period.end, f.period.ended) == ("2019", None, False)
    assert not ex.ended


def test_an_end_after_the_article_date_keeps_the_fact_current() -> None:
    ex = read("Corvane Semiconductor has been on the Entity List since 2019 and will stay on it until 2028.")
    (f,) = [f for f in ex.facts if f.predicate == "subjectTo"]
    assert f.period is not None and (f.period.start, f.period.end, f.period.ended) == ("2019", "2028", False)


@pytest.mark.parametrize("text, fact", [
    ("Robin Li, Baidu's chief executive, toured the former Soviet republic of Georgia last week.",
     ("Robin Li", "ceoOf", "Baidu")),
    ("Zhipu AI was added to the Entity List, where it stays until further notice.",
     ("Zhipu AI", "subjectTo", "Entity List")),
    ("Tencent holds a stake in Zhipu AI, which a former Google engineer advises.",
     ("Tencent", "investsIn", "Zhipu AI")),
])
def test_near_misses_end_nothing(text: str, fact: tuple[str, str, str]) -> None:
    ex = read(text)
    assert fact in current(ex)
    assert not ex.ended
    (f,) = [f for f in ex.facts if (f.subject.label, f.predicate, f.object.label) == fact]
    assert f.period is None


def test_ended_facts_are_no_scored_records() -> None:
    """``kg extract`` prints the facts that hold (CONTRACT.md fields, what scoring reads); a dated fact adds
    its period as optional fields, and an ended one is not printed as a relation."""
    from kg import api

    ex = read("Ada Qiao, Baidu's former chief executive, said Corvane Semiconductor has been on the Entity List "
              "since 2019.")
    records = list(api.records(ex))
    assert not any(r["predicate"].endswith("#ceoOf") for r in records)
    (listed,) = [r for r in records if r["predicate"].endswith("#subjectTo")]
    assert listed["valid_from"] == "2019" and "valid_until" not in listed


def test_ended_fact_is_history_in_the_graph_not_a_current_triple() -> None:
    import pyoxigraph as ox

    from ingest.rdf import to_quads
    from kg.store import Workspace
    from kg.validate import validate

    ex = read("Wen Haolin, who stepped down as chief executive of Pellucid Robotics in 2021, now teaches.")
    ws = Workspace.in_memory()
    ws.store.bulk_extend(to_quads(ex))
    rows = ws.query("SELECT ?p ?c ?until ?ended WHERE { ?e rdf:subject ?p ; rdf:predicate ci:ceoOf ; rdf:object ?c ; "
                    "ci:validUntil ?until ; ci:ended ?ended }")
    assert [(r["p"].rsplit("/", 1)[-1], r["c"].rsplit("/", 1)[-1], str(r["until"]), r["ended"]) for r in rows] == [
        ("wen-haolin", "pellucid-robotics", "2021", True)]
    assert not list(ws.store.quads_for_pattern(None, ox.NamedNode("https://cikg.dev/ns#ceoOf"), None, None))
    report = validate(ws)
    assert report.conforms, report
