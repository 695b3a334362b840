"""Extraction on the project's own example articles against their annotation in examples/README.md.

The examples were written for the project (not the evaluation corpus), with an exhaustive list of the facts
each states; this keeps extraction honest on prose that nobody tuned rules against sentence by sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.extract import extract
from ingest.read import read_file

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"
SYMMETRIC = {"competesWith", "partnersWith"}


def annotations() -> dict[str, dict[str, set]]:
    """``{"file#n": {"facts": {(s, p, o)}, "metrics": {(company, value, unit)}}}`` from the README blocks."""
    text = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    out: dict[str, dict[str, set]] = {}
    for m in re.finditer(r"^### (\S+)(?: #(\d+))?.*?\n```text\n(.*?)```", text, re.S | re.M):
        key = f"{m.group(1)}#{m.group(2) or 1}"
        facts, metrics, section = set(), set(), None
        for line in m.group(3).splitlines():
            if re.match(r"^\w+:", line):
                section = line.split(":")[0]
            elif line.startswith("- ") and section == "facts":
                s, p, o = re.match(r"- (.+?) (develops|manufactures|competesWith|partnersWith|subsidiaryOf|ceoOf|"
                                   r"usesChip|subjectTo|imposedBy|headquarteredIn|investsIn) (.+)$", line).groups()
                facts.add(_key(s, p, o))
            elif line.startswith("- ") and section == "metrics":
                company, _name, value, unit, _period = [x.strip() for x in line[2:].split("|")]
                metrics.add((company, float(value), unit))
        out[key] = {"facts": facts, "metrics": metrics}
    return out


def _key(s: str, p: str, o: str) -> tuple[str, str, str]:
    return (min(s, o), p, max(s, o)) if p in SYMMETRIC else (s, p, o)


def extracted() -> dict[str, dict[str, set]]:
    out = {}
    for path in sorted(ARTICLES.iterdir()):
        for i, article in enumerate(read_file(path), start=1):
            ex = extract(article)
            out[f"{path.name}#{i}"] = {
                "facts": {_key(f.subject.label, f.predicate, f.object.label) for f in ex.facts},
                "metrics": {(m.company.label, float(m.value), m.unit) for m in ex.metrics},
            }
    return out


@pytest.fixture(scope="module")
def both() -> tuple[dict, dict]:
    return annotations(), extracted()


def test_every_example_article_is_annotated(both: tuple[dict, dict]) -> None:
    gold, found = both
    assert set(gold) == set(found)
    assert len(found) == 11


def test_relation_precision_and_recall_on_examples(both: tuple[dict, dict]) -> None:
    gold, found = both
    tp = sum(len(gold[k]["facts"] & found[k]["facts"]) for k in gold)
    fp = sum(len(found[k]["facts"] - gold[k]["facts"]) for k in gold)
    fn = sum(len(gold[k]["facts"] - found[k]["facts"]) for k in gold)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    report = {k: {"spurious": sorted(found[k]["facts"] - gold[k]["facts"]),
                  "missed": sorted(gold[k]["facts"] - found[k]["facts"])} for k in gold}
    assert precision >= 0.9, report
    assert recall >= 0.8, report


def test_metric_recall_on_examples(both: tuple[dict, dict]) -> None:
    gold, found = both
    hits = total = 0
    for k in gold:
        for company, value, unit in gold[k]["metrics"]:
            total += 1
            hits += any(c == company and u == unit and abs(v - value) <= max(abs(value) * 0.005, 0.051)
                        for c, v, u in found[k]["metrics"])
    assert hits / total >= 0.8
