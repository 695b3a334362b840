"""Facts that end: a former chief executive, a lifted rule, a sold stake are history, not current relations;
"since 2019" and "until 2024" date a fact; near misses ("the former Soviet republic", "until further notice")
end nothing. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

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


# --- what changed: kg changes over a workspace of two articles a year apart ---------------------------------

EARLY = """---
title: Quillmark Robotics hires as Tencent backs Zhipu AI
date: 2025-03-01
url: https://news.example.org/test/2025/03/01/quillmark-hires
---
Mara Ellison, Quillmark Robotics' chief executive, said the company would double its engineering staff this year.

Tencent holds a stake in Zhipu AI, the Beijing start-up said in a statement. Corvane Semiconductor was added to the
Entity List.
"""
LATE = """---
title: Quillmark Robotics looks for a leader as Tencent exits Zhipu AI
date: 2026-02-10
url: https://news.example.org/test/2026/02/10/quillmark-leader
---
Mara Ellison, who stepped down as chief executive of Quillmark Robotics in January 2026, has joined a venture fund
in Shenzhen.

Tencent sold its stake in Zhipu AI in 2025, according to a filing. Corvane Semiconductor was removed from the
Entity List in December 2025.
"""
FIRST_INGEST = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
SECOND_INGEST = dt.datetime(2026, 2, 11, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg import api

    root = tmp_path_factory.mktemp("periods")
    (root / "early.md").write_text(EARLY, encoding="utf-8")
    (root / "late.md").write_text(LATE, encoding="utf-8")
    ws = root / "ws"
    assert api.ingest([root / "early.md"], ws, now=FIRST_INGEST).ok
    assert api.ingest([root / "late.md"], ws, now=SECOND_INGEST).ok
    return ws


def keyed(rows: list[Any]) -> set[tuple[str, str, str, str]]:
    return {(c.change, c.subject, c.predicate, c.object) for c in rows}


def test_changes_since_a_date_list_ended_facts_and_the_conflicts_they_make(two_years: Path) -> None:
    from kg import api

    got = api.changes(two_years, since="2026-01-01")
    assert keyed(got) == {
        ("ended", "Mara Ellison", "ceoOf", "Quillmark Robotics"),
        ("ended", "Tencent", "investsIn", "Zhipu AI"),
        ("ended", "Corvane Semiconductor", "subjectTo", "Entity List"),
        ("conflict", "Mara Ellison", "ceoOf", "Quillmark Robotics"),
        ("conflict", "Tencent", "investsIn", "Zhipu AI"),
        ("conflict", "Corvane Semiconductor", "subjectTo", "Entity List"),
    }
    until = {c.predicate: c.until for c in got if c.change == "ended"}
    assert until == {"ceoOf": "2026-01", "investsIn": "2025", "subjectTo": "2025-12"}
    assert all(c.reported == "2026-02-10" and c.ingested == "2026-02-11T09:00:00Z" for c in got)
    earlier = keyed(api.changes(two_years, since="2025-01-01"))
    assert ("new", "Mara Ellison", "ceoOf", "Quillmark Robotics") in earlier
    assert ("new", "Tencent", "investsIn", "Zhipu AI") in earlier


def test_changes_by_ingest_time_and_since_the_last_ingest(two_years: Path) -> None:
    from kg import api

    last = keyed(api.changes(two_years, since_last_ingest=True))
    assert last == keyed(api.changes(two_years, since="2026-01-01"))  # the second ingest brought the late article
    by_ingest = keyed(api.changes(two_years, since="2026-02-01", by="ingest"))  # both were ingested since then
    assert ("new", "Mara Ellison", "ceoOf", "Quillmark Robotics") in by_ingest
    assert ("new", "Mara Ellison", "ceoOf", "Quillmark Robotics") not in keyed(
        api.changes(two_years, since="2026-02-01"))  # by article date, the role was first reported in 2025


def test_changes_watch_list_keeps_changes_about_the_companies_watched(two_years: Path) -> None:
    from kg import api

    got = keyed(api.changes(two_years, since="2026-01-01", watch=["Tencent"]))
    assert got == {("ended", "Tencent", "investsIn", "Zhipu AI"), ("conflict", "Tencent", "investsIn", "Zhipu AI")}
    both = keyed(api.changes(two_years, since="2026-01-01", watch=["Tencent", "Quillmark Robotics"]))
    assert {s for _, s, _, _ in both} == {"Tencent", "Mara Ellison"}


def test_kg_changes_command(two_years: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["changes", "--since", "2026-01-01", "--watch", "Quillmark Robotics", "-f", "json",
                                 "-w", str(two_years)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["change"], r["subject"], r["until"]) for r in rows] == [
        ("ended", "Mara Ellison", "2026-01"), ("conflict", "Mara Ellison", None)]
    assert rows[0]["articles"] == ["https://news.example.org/test/2026/02/10/quillmark-leader"]
    for bad, message in ((["--since", "last week"], "--since must be a date"),
                         ([], "give one of --since DATE and --since-last-ingest"),
                         (["--since", "2026-01-01", "--watch", "Nobody Such Co"], "Nobody Such Co"),
                         (["--since", "2026-01-01", "--by", "moon"], "by must be article or ingest")):
        result = runner.invoke(app, ["changes", *bad, "-w", str(two_years)])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output, bad


def test_an_ended_role_is_not_current_and_stays_in_the_history(two_years: Path) -> None:
    """The role an article of 2025 states and one of 2026 says ended: not among the current chief executives
    nor the card's relations, listed as ended on the card, and found by facts_at for a date it held."""
    from kg import api

    assert not [r for r in api.run_query("chief_executives", {}, "rdf", two_years) if r["ceo"] == "Mara Ellison"]
    assert api.run_query("chief_executives", {}, "networkx", two_years) == api.run_query(
        "chief_executives", {}, "rdf", two_years)
    (card,) = api.lookup("Mara Ellison", two_years).cards
    assert not [r for r in card.relations if r["predicate"] == "ceoOf"]
    assert [(h["predicate"], h["other"], h["until"]) for h in card.history] == [
        ("ceoOf", "Quillmark Robotics", "2026-01")]
    (company,) = api.lookup("Quillmark Robotics", two_years, since="2026-01-01").cards
    assert [(h["direction"], h["other"]) for h in company.history] == [("in", "Mara Ellison")]
    assert {(c["change"], c["subject"]) for c in company.changes} == {("ended", "Mara Ellison"),
                                                                      ("conflict", "Mara Ellison")}

    def held(date: str) -> dict[tuple[str, str, str], str]:
        return {(r["subject"], r["predicate"], r["object"]): r["held_from"]
                for r in api.run_query("facts_at", {"date": date}, "rdf", two_years)}

    assert held("2025-06-01") == {("Mara Ellison", "ceoOf", "Quillmark Robotics"): "2025-03-01",
                                  ("Tencent", "investsIn", "Zhipu AI"): "2025-03-01",
                                  ("Corvane Semiconductor", "subjectTo", "Entity List"): "2025-03-01"}
    # "in January 2026" ends the role after January; "in 2025" and "in December 2025" ended the others by then
    assert held("2026-01-20") == {("Mara Ellison", "ceoOf", "Quillmark Robotics"): "2025-03-01"}
    assert held("2026-02-15") == {}
    assert held("2025-02-01") == {("Mara Ellison", "ceoOf", "Quillmark Robotics"): "",
                                  ("Tencent", "investsIn", "Zhipu AI"): "",
                                  ("Corvane Semiconductor", "subjectTo", "Entity List"): ""}


@pytest.mark.neo4j
def test_facts_at_and_chief_executives_same_rows_on_neo4j(two_years: Path, examples_workspace: Path,
                                                          neo4j_settings: Any) -> None:
    from kg import api
    from kg.backends import neo4j as nb

    s = neo4j_settings
    server = {"uri": s.uri, "user": s.user, "password": s.password, "database": s.database}
    for ws, dates in ((two_years, ("2025-02-01", "2025-06-01", "2026-01-20", "2026-02-15")),
                      (examples_workspace, ("2020-06-01", "2025-06-01", "2025-12-31"))):
        nb.load(api.property_graph(ws), neo4j_settings, wipe=True)
        for date in dates:
            rdf = api.run_query("facts_at", {"date": date}, "rdf", ws)
            assert api.run_query("facts_at", {"date": date}, "neo4j", ws, **server) == rdf, (ws.name, date)
        assert api.run_query("chief_executives", {}, "neo4j", ws, **server) == api.run_query(
            "chief_executives", {}, "rdf", ws)
