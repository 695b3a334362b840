"""`kg eval` on the shared evaluation corpus (../shared/corpus/dev), holding its quality floors.

The corpus measures extraction; nothing in code or data is fitted to its sentences. Skipped where the
shared folder is absent (e.g. outside the team's machines).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"

# Floors the extractor holds today. Issue 4 asks for recall >= 0.85; precision and metric recall already
# meet its floors (0.90 and 0.85). Raise RECALL as extraction improves; never lower any of them.
PRECISION, RECALL, METRIC_RECALL = 0.90, 0.81, 0.85


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared evaluation corpus is not here")
def test_eval_on_dev_corpus_holds_the_floors() -> None:
    result = CliRunner().invoke(app, ["eval", str(DEV / "gold"), "--articles", str(DEV / "articles"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == len(list((DEV / "gold").glob("*.json")))
    overall = report["overall"]
    assert overall["precision"] >= PRECISION, report["spurious"]
    assert overall["recall"] >= RECALL, report["misses"]
    assert report["metrics"]["recall"] >= METRIC_RECALL, report["metric_misses"]
    assert set(report["per_predicate"]) == {
        "develops", "manufactures", "competesWith", "partnersWith", "subsidiaryOf", "ceoOf", "usesChip",
        "subjectTo", "imposedBy", "headquarteredIn", "investsIn"}
