"""Source reliability (kg.reliability): the Admiralty scale per outlet, read at query time, shown in evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from ingest.model import InputError
from kg import reliability
from kg.cli import app

BODY = ("Quellmark Robotics, a start-up based in Suzhou, develops the Kestrel-7 model, the company said on Monday. "
        "Kestrel-7 was trained on Huawei Ascend 910B chips, and the company plans to sell it to factories.")
OTHER = ("Analysts at a brokerage said on Friday that Quellmark Robotics develops the Kestrel-7 model with a team of "
         "forty engineers and that the model is used by two car makers in Jiangsu province.")


def _article(folder: Path, name: str, body: str, *, source: str | None = None, url: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    meta = [f"title: {json.dumps(name)}", "date: 2026-11-02"]
    meta += [f"source: {json.dumps(source)}"] if source else []
    meta += [f"url: {url}"] if url else []
    (folder / f"{name}.md").write_text("---\n" + "\n".join(meta) + "\n---\n" + body + "\n", encoding="utf-8")


def test_the_shipped_scale_is_complete_and_unrated_outlets_are_neutral() -> None:
    ratings = reliability.load()
    assert sorted(ratings.scale) == list("ABCDEF")
    assert ratings.default == "F"
    outlet, grade = ratings.rate("https://news.unknown-outlet.example/a", "Nobody's Gazette")
    assert outlet is None and grade.letter == "F" and grade.weight == ratings.scale["C"].weight
    assert [ratings.scale[c].weight for c in "ABCDE"] == sorted((ratings.scale[c].weight for c in "ABCDE"),
                                                               reverse=True)


def test_an_outlet_is_found_by_domain_then_by_name() -> None:
    ratings = reliability.load()
    assert ratings.rate("https://www.reuters.com/technology/x", None)[0] == "Reuters"
    assert ratings.rate("https://asia.nikkei.com/Business/x", None)[0] == "Nikkei Asia"
    assert ratings.rate("https://nikkei.com/x", None)[0] is None  # a parent domain is not the outlet
    assert ratings.rate(None, "  the wall  street JOURNAL ")[0] == "The Wall Street Journal"
    assert ratings.rate("https://www.prnewswire.com/news/x", "Reuters")[1].letter == "C"  # the domain wins
    assert reliability.weighted(0.5, ratings.scale["B"]) == 0.45
    assert reliability.weighted(None, ratings.scale["B"]) is None


def test_a_workspace_file_rerates_without_a_new_ingest(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _article(tmp_path / "in", "quellmark", BODY, source="Suzhou Gadget Blog", url="https://gadgets.example/q")
    _article(tmp_path / "in", "brokerage", OTHER, source="Reuters")
    assert kg.ingest([tmp_path / "in"], ws).ok
    before = {e["outlet"]: e for e in kg.why("Quellmark Robotics", "develops", "Kestrel-7", ws)}
    assert before["Suzhou Gadget Blog"]["reliability"] == "F" and before["Reuters"]["reliability"] == "B"
    conf = float(before["Reuters"]["confidence"])  # type: ignore[arg-type]
    assert before["Reuters"]["weighted_confidence"] == round(conf * 0.9, 4)
    (ws / reliability.WORKSPACE_FILE).write_text(
        "outlets:\n  - {name: Suzhou Gadget Blog, domains: [gadgets.example], reliability: E}\n", encoding="utf-8")
    after = {e["outlet"]: e for e in kg.why("Quellmark Robotics", "develops", "Kestrel-7", ws)}
    assert after["Suzhou Gadget Blog"]["reliability"] == "E"
    blog_conf = float(after["Suzhou Gadget Blog"]["confidence"])  # type: ignore[arg-type]
    assert after["Suzhou Gadget Blog"]["weighted_confidence"] == round(blog_conf * 0.4, 4)
    assert after["Reuters"]["reliability"] == "B"
    # shown by kg why and by --explain
    out = CliRunner().invoke(app, ["why", "Quellmark Robotics", "develops", "Kestrel-7", "-w", str(ws)]).output
    assert "(Suzhou Gadget Blog, E)" in out and "(Reuters, B)" in out and "weighted" in out
    rows = kg.run_query("models_by_company", {"company": "Quellmark Robotics"}, workspace=ws)
    explained = kg.explain("models_by_company", rows, ws)
    assert {e["reliability"] for r in explained for e in r["evidence"]} == {"B", "E"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "message"), [
    ("outlets:\n  - {name: X, reliability: G}\n", "outlets[0] (X): reliability must be one of the letters A-F"),
    ("outlets:\n  - {domains: [x.example], reliability: B}\n", "outlets[0]: must have a name"),
    ("scale:\n  B: {label: Usually reliable, weight: 2}\n", "scale.B: must be {label: TEXT, weight: a number"),
    ("default: Q\n", "default: must be one of the letters A-F"),
    ("outlets: [\n", "not valid YAML"),
    ("- just a list\n", "top level: must be a mapping"),
])
def test_a_bad_ratings_file_is_one_line_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "reliability.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        reliability.load([path])
    assert str(path) in str(err.value) and message in str(err.value) and "\n" not in str(err.value)


def test_a_bad_workspace_file_fails_kg_why_in_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _article(tmp_path / "in", "quellmark", BODY, source="Suzhou Gadget Blog")
    kg.ingest([tmp_path / "in"], ws)
    (ws / reliability.WORKSPACE_FILE).write_text("outlets:\n  - {name: X, reliability: Z}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["why", "Quellmark Robotics", "develops", "Kestrel-7", "-w", str(ws)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "reliability.yaml: outlets[0] (X): reliability must be one of the letters A-F" in result.output
