"""`kg eval` on the shared evaluation corpora (../shared/corpus/dev and ../shared/corpus/broad), holding their
quality floors.

The corpora measure extraction; nothing in code or data is fitted to their sentences. Without ../shared these
tests fail (CI has it beside the clone); set KG_SKIP_SHARED=1 to skip them on a machine that has no copy.

The floors are what the extractor reaches today, so that a change that loses quality fails here. They are
below the targets of the extraction issue (dev and broad together: relation precision 0.90 and recall 0.80,
metric recall and precision 0.85): recall on broad is the gap, see the README's "Extraction" section.
"""

from __future__ import annotations

import json
import os
import re
from itertools import combinations
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
DEV, BROAD = SHARED / "dev", SHARED / "broad"

# Micro precision and recall over all 11 predicates, and metric recall and precision, per corpus and for the
# two together. Raise them as extraction improves; never lower them.
FLOORS = {
    "dev": {"precision": 0.97, "recall": 0.87, "metric_recall": 0.92, "metric_precision": 0.90},
    "broad": {"precision": 0.91, "recall": 0.72, "metric_recall": 0.85, "metric_precision": 0.90},
    "together": {"precision": 0.92, "recall": 0.74, "metric_recall": 0.86, "metric_precision": 0.90},
}

PREDICATES = ("develops", "manufactures", "competesWith", "partnersWith", "subsidiaryOf", "ceoOf", "usesChip",
              "subjectTo", "imposedBy", "headquarteredIn", "investsIn")
_P = "|".join(PREDICATES)
# "no Baidu usesChip A800", "no Alibaba competesWith/partnersWith Microsoft or OpenAI", "no Tencent Cloud develops
# anything" (an object that names no gold entity stands for any object)
_NO_FACT = re.compile(rf"\bno\s+(?P<s>[^.;:,()]*?)\s+(?P<p>(?:{_P})(?:/(?:{_P}))*)\b"
                      r"(?P<o>(?:(?!\s+and\s+no\b)[^.;:,()'])*)")
# "Alibaba, Baidu and Moonshot AI are DeepSeek's rivals only, not each other's"
_NOT_EACH_OTHER = re.compile(r"(?:^|[.;:]\s+)(?P<items>[^.;:]+?)\s+are\s+[^.;:]*?,\s+not\s+each\s+other['’]s")


def _gold_labels(phrase: str, gold: dict) -> set[str]:
    """Gold entities a phrase of the notes names: by label or alias, else by a name it starts ("Ernie")."""
    phrase = " ".join(re.sub(r"^\s*the\s+", "", phrase).split())
    if not phrase:
        return set()
    names = {g["label"]: (g["label"], *g.get("aliases", [])) for g in gold["entities"]}
    exact = {label for label, ns in names.items() if phrase in ns}
    return exact or {label for label, ns in names.items() if any(n.startswith(phrase + " ") for n in ns)}


def trap_facts(gold: dict) -> set[tuple[str, str, str]]:
    """The facts a gold file's ``notes`` say must not be extracted, as (subject, predicate, object) gold labels;
    object "*" stands for any object. Symmetric pairs are listed both ways round."""
    notes = gold.get("notes", "")
    out: set[tuple[str, str, str]] = set()
    for m in _NO_FACT.finditer(notes):
        objects = {label for part in re.split(r"\s+or\s+|\s*/\s*", m.group("o"))
                   for label in _gold_labels(part, gold)} or {"*"}
        for s in _gold_labels(m.group("s"), gold):
            out |= {(s, p, o) for p in m.group("p").split("/") for o in objects}
    for m in _NOT_EACH_OTHER.finditer(notes):
        items = [x for x in re.split(r",\s*|\s+and\s+", m.group("items")) if x.strip()]
        labels = [next(iter(ls)) for ls in (_gold_labels(x, gold) for x in items) if len(ls) == 1]
        for a, b in combinations(labels, 2):
            out |= {(a, "competesWith", b)}
    return out | {(o, p, s) for s, p, o in out if p in ("competesWith", "partnersWith")}


def _is_trap(fact: dict, traps: set[tuple[str, str, str]]) -> bool:
    return (fact["s"], fact["p"], fact["o"]) in traps or (fact["s"], fact["p"], "*") in traps


def test_trap_facts_are_read_from_the_notes() -> None:
    entities = [{"label": "Baidu"}, {"label": "Ernie 4.5"}, {"label": "Ernie X1"}, {"label": "OpenAI"},
                {"label": "A800", "aliases": ["Nvidia A800"]}, {"label": "Alibaba Group", "aliases": ["Alibaba"]},
                {"label": "ByteDance"}]
    gold = {"entities": entities,
            "notes": "Traps: hedged, so no Baidu usesChip A800 and no Ernie usesChip Nvidia A800. No entity, so no "
                     "ceoOf for him. Comparison only: no Alibaba competesWith/partnersWith OpenAI or Baidu. "
                     "ByteDance, Alibaba and OpenAI are Baidu's rivals only, not each other's."}
    traps = trap_facts(gold)
    assert {("Baidu", "usesChip", "A800"), ("Ernie 4.5", "usesChip", "A800"), ("Ernie X1", "usesChip", "A800"),
            ("Alibaba Group", "partnersWith", "Baidu"), ("Baidu", "competesWith", "Alibaba Group"),
            ("ByteDance", "competesWith", "OpenAI"), ("Alibaba Group", "competesWith", "ByteDance")} <= traps
    assert not any(p == "ceoOf" for _, p, _ in traps)
    assert _is_trap({"s": "OpenAI", "p": "competesWith", "o": "Alibaba Group"}, traps)
    assert not _is_trap({"s": "Baidu", "p": "usesChip", "o": "Kunlun P800"}, traps)


def _corpus(corpus: Path) -> dict:
    if not corpus.is_dir():
        if os.environ.get("KG_SKIP_SHARED"):
            pytest.skip(f"{corpus} is not here (KG_SKIP_SHARED is set)")
        pytest.fail(f"the shared evaluation corpus {corpus} is missing: CI runs with ../shared beside the clone "
                    "(set KG_SKIP_SHARED=1 to skip these tests on a machine without it)")
    result = CliRunner().invoke(app, ["eval", str(corpus / "gold"), "--articles", str(corpus / "articles"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == len(list((corpus / "gold").glob("*.json")))
    assert set(report["per_predicate"]) == set(PREDICATES)
    return report


def _scores(reports: list[dict]) -> dict[str, float]:
    tp = sum(r["overall"]["tp"] for r in reports)
    fp = sum(r["overall"]["fp"] for r in reports)
    fn = sum(r["overall"]["fn"] for r in reports)
    m = [r["metrics"] for r in reports]
    return {"precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn),
            "metric_recall": sum(x["found"] for x in m) / max(1, sum(x["gold"] for x in m)),
            "metric_precision": sum(x["correct"] for x in m) / max(1, sum(x["extracted"] for x in m))}


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {"dev": _corpus(DEV), "broad": _corpus(BROAD)}


@pytest.mark.parametrize("name", ["dev", "broad", "together"])
def test_eval_holds_the_floors(reports: dict[str, dict], name: str) -> None:
    chosen = [reports["dev"], reports["broad"]] if name == "together" else [reports[name]]
    scores = _scores(chosen)
    low = {k: round(v, 3) for k, v in scores.items() if v < FLOORS[name][k]}
    assert not low, (f"{name}: below the floors {FLOORS[name]}: {low}",
                     [f for r in chosen for f in r["spurious"]][:20], [f for r in chosen for f in r["misses"]][:20])


# Traps (facts the gold notes say must not be extracted) produced: none on dev, at most this many on broad.
TRAPS_ALLOWED = {"dev": 0, "broad": 1}


def test_traps_are_not_produced(reports: dict[str, dict]) -> None:
    """A trap is never in the gold relations, so a produced one is among the spurious facts."""
    for name, corpus in (("dev", DEV), ("broad", BROAD)):
        traps = {}
        for path in sorted((corpus / "gold").glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            traps[gold["article"]] = trap_facts(gold)
        assert sum(map(len, traps.values())) >= len(traps) // 2, "the notes name traps in most gold files"
        produced = [f for f in reports[name]["spurious"] if _is_trap(f, traps.get(f["article"], set()))]
        assert len(produced) <= TRAPS_ALLOWED[name], produced
