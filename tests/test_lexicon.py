"""The lexicon (ontology/lexicon.yaml): word forms, analysts' files merged over it, errors that name the file,
and the CLI that shows what the matchers did (``kg extract --trace``, ``--lexicon``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.extract import extract
from ingest.kb import load_kb
from ingest.lexicon import load_lexicon, noun_forms, verb_forms
from ingest.model import Article, InputError
from kg.cli import app


@pytest.mark.parametrize("lemma, forms", [
    ("ship", {"ship", "ships", "shipped", "shipping"}),
    ("equip", {"equips", "equipped", "equipping"}),
    ("rely", {"relies", "relied", "relying"}),
    ("partner", {"partners", "partnered", "partnering"}),
    ("co-develop", {"co-develops", "co-developed", "co-developing"}),
])
def test_verbs_are_inflected(lemma: str, forms: set[str]) -> None:
    assert forms <= verb_forms(lemma, {})


def test_irregular_verbs_take_their_own_forms() -> None:
    forms = verb_forms("build", {"build": ("built", "built")})
    assert {"builds", "built", "building"} <= forms and "builded" not in forms


@pytest.mark.parametrize("lemma, plural", [("rival", "rivals"), ("subsidiary", "subsidiaries"),
                                           ("ally", "allies"), ("arch-rival", "arch-rivals")])
def test_nouns_come_in_both_numbers(lemma: str, plural: str) -> None:
    assert {lemma, plural} <= noun_forms(lemma)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_analyst_file_extends_the_lists_and_adds_entities(tmp_path: Path) -> None:
    mine = _write(tmp_path, """
entities:
  - {label: Brindle Systems, type: Company, aliases: [Brindle]}
relations:
  partnersWith:
    verbs: [{verb: shake hands, object: with}]
""")
    lex = load_lexicon([mine])
    assert "shake" in lex.verbs and any(f.predicate == "partnersWith" for f in lex.verbs["shook"])
    assert "compete" in lex.verbs  # the shipped words stay
    kb = load_kb(extra=[mine])
    found = {(f.subject.label, f.predicate, f.object.label)
             for f in extract(Article("t", "", "Brindle shook hands with Lenovo on a robot deal."), kb).facts}
    assert ("Brindle Systems", "partnersWith", "Lenovo") in found or ("Lenovo", "partnersWith",
                                                                      "Brindle Systems") in found
    # without the file the phrasing means nothing
    plain = {(f.subject.label, f.predicate) for f in extract(
        Article("t", "", "Brindle shook hands with Lenovo on a robot deal.")).facts}
    assert not any(p == "partnersWith" for _, p in plain)


@pytest.mark.parametrize("text, reason", [
    ("relations: [1, 2]", "relations must be a mapping"),
    ("not_names: [The, on, No]", "quote it"),
    ("relations:\n  competesWith:\n    phrases: ['{S} and {O}']", "needs words between"),
    ("entities:\n  - {label: X}", "needs a label and a type"),
    ("kinds:\n  Planet: {nouns: [planet]}", "unknown kind"),
])
def test_a_bad_analyst_file_is_an_error_naming_it(tmp_path: Path, text: str, reason: str) -> None:
    mine = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_lexicon([mine])
    assert reason in str(err.value) and "mine.yaml" in str(err.value)


def test_a_missing_analyst_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such lexicon file"):
        load_lexicon([tmp_path / "absent.yaml"])


def test_kg_extract_trace_says_what_fired_and_what_was_blocked(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Tencent could buy H20 chips next year. Baidu bought H20 chips in May.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "--trace"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "could" in out and "blocked" in out  # the hedge, named
    assert "Baidu usesChip H20" in out.replace("  ", " ") or "Baidu" in out and "usesChip" in out


def test_kg_extract_lexicon_option_merges_a_file(tmp_path: Path) -> None:
    mine = _write(tmp_path, "relations:\n  partnersWith:\n    verbs: [{verb: shake hands, object: with}]\n")
    article = tmp_path / "a.txt"
    article.write_text("Tencent shook hands with Lenovo on a robot deal.", encoding="utf-8")
    with_file = CliRunner().invoke(app, ["extract", str(article), "--lexicon", str(mine), "--format", "json"])
    without = CliRunner().invoke(app, ["extract", str(article), "--format", "json"])
    assert with_file.exit_code == 0 and without.exit_code == 0, (with_file.output, without.output)
    assert "partnersWith" in with_file.stdout and "partnersWith" not in without.stdout
    bad = CliRunner().invoke(app, ["extract", str(article), "--lexicon", str(tmp_path / "none.yaml")])
    assert bad.exit_code != 0 and "none.yaml" in bad.output and "Traceback" not in bad.output


def test_the_workspace_lexicon_is_read_at_ingest(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    runner = CliRunner()
    article = tmp_path / "a.txt"
    article.write_text("Tencent shook hands with Lenovo on a robot deal.", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(article), "-w", str(ws)]).exit_code == 0
    (ws / "lexicon.yaml").write_text("relations:\n  partnersWith:\n    verbs: [{verb: shake hands, object: with}]\n",
                                     encoding="utf-8")
    article.write_text("Tencent shook hands with Lenovo on a robot deal, the firms said.", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(article), "-w", str(ws)]).exit_code == 0
    rows = runner.invoke(app, ["query", "run", "partners_and_investments", "-p", "company=Tencent", "-w", str(ws),
                               "--format", "json"])
    assert rows.exit_code == 0, rows.output
    assert "Lenovo" in json.dumps(json.loads(rows.stdout))
