"""Extraction quality against gold annotations (CONTRACT.md's gold format).

Entities are matched through names: a gold entity is the extracted entity whose canonical label or
any alias equals (case-insensitively) the gold label or one of the gold aliases. Relations are compared
as (subject, predicate, object) sets per article, symmetric predicates in either direction. A gold
metric is recalled when the article yields a metric of the same company and unit whose value agrees
within 0.5% (periods and names are free text and are reported, not required). Metric precision counts the
distinct extracted rows (company, value, unit, period) that match a gold metric of the same company and unit
within 2%; the others are listed as spurious rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.extract import extract
from ingest.kb import KnowledgeBase, default_kb, vocabulary
from ingest.model import Entity, Extraction, InputError
from ingest.read import read_file


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class EvalReport:
    per_predicate: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    overall: Score = field(default_factory=Score)
    metrics: Score = field(default_factory=Score)
    misses: list[dict[str, str]] = field(default_factory=list)
    spurious: list[dict[str, str]] = field(default_factory=list)
    metric_misses: list[dict[str, object]] = field(default_factory=list)
    metric_rows: Score = field(default_factory=Score)  # distinct extracted rows: tp matches a gold metric, fp not
    metric_spurious: list[dict[str, object]] = field(default_factory=list)
    articles: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "overall": self.overall.as_dict(),
            "per_predicate": {p: s.as_dict() for p, s in sorted(self.per_predicate.items())},
            "metrics": {"gold": self.metrics.tp + self.metrics.fn, "found": self.metrics.tp,
                        "recall": round(self.metrics.recall, 4),
                        "extracted": self.metric_rows.tp + self.metric_rows.fp, "correct": self.metric_rows.tp,
                        "precision": round(self.metric_rows.precision, 4)},
            "misses": self.misses,
            "spurious": self.spurious,
            "metric_misses": self.metric_misses,
            "metric_spurious": self.metric_spurious,
        }


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def _names(entity: Entity, surfaces: set[str]) -> set[str]:
    return {_norm(n) for n in (entity.label, *entity.aliases, *surfaces)}


def evaluate(gold_dir: Path, articles_dir: Path, kb: KnowledgeBase | None = None) -> EvalReport:
    """Score extraction of every article in ``articles_dir`` that has a gold file in ``gold_dir``."""
    kb = kb or default_kb()
    report = EvalReport()
    gold_files = sorted(Path(gold_dir).glob("*.json"))
    if not gold_files:
        raise InputError("no gold files (*.json) found", str(gold_dir))
    for gold_path in gold_files:
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"gold file is not valid JSON: {exc}", str(gold_path)) from None
        article_path = Path(articles_dir) / gold.get("article", "")
        if not article_path.is_file():
            matches = sorted(Path(articles_dir).glob(gold_path.stem + ".*"))
            if not matches:
                raise InputError(f"no article {gold.get('article')!r} for this gold file in {articles_dir}",
                                 str(gold_path))
            article_path = matches[0]
        articles = list(read_file(article_path))
        if not articles:
            raise InputError("article file holds no article", str(article_path))
        _score_article(extract(articles[0], kb), gold, article_path.name, report)
        report.articles += 1
    return report


def _score_article(ex: Extraction, gold: dict[str, Any], name: str, report: EvalReport) -> None:
    symmetric = vocabulary().symmetric
    surfaces: dict[str, set[str]] = defaultdict(set)
    entities: dict[str, Entity] = {}
    for m in ex.mentions:
        entities[m.entity.iri] = m.entity
        if m.rule not in ("coref", "demonym"):  # a description ("Washington's export controls") is a name too
            surfaces[m.entity.iri].add(m.text)
    for f in ex.facts:
        entities.setdefault(f.subject.iri, f.subject)
        entities.setdefault(f.object.iri, f.object)
    for met in ex.metrics:
        entities.setdefault(met.company.iri, met.company)
    names = {iri: _names(e, surfaces[iri]) for iri, e in entities.items()}
    gold_names: dict[str, set[str]] = {str(g["label"]): {_norm(n) for n in [g["label"], *g.get("aliases", [])]}
                                       for g in gold["entities"]}

    def to_gold(iri: str) -> str | None:
        """The gold label of an extracted entity (the best name overlap: its own label first)."""
        e = entities[iri]
        for label, gnames in gold_names.items():
            if _norm(e.label) in gnames:
                return label
        for label, gnames in gold_names.items():
            if names[iri] & gnames:
                return label
        return None

    def key(s: str, p: str, o: str) -> tuple[str, str, str]:
        return (min(s, o), p, max(s, o)) if p in symmetric else (s, p, o)

    gold_rel = {key(r["s"], r["p"], r["o"]) for r in gold["relations"]}
    found: dict[tuple[str, str, str], str] = {}
    for f in ex.facts:
        s = to_gold(f.subject.iri) or f"?{f.subject.label}"
        o = to_gold(f.object.iri) or f"?{f.object.label}"
        found.setdefault(key(s, f.predicate, o), f.evidence.sentence)
    for k in gold_rel | set(found):
        pred = k[1]
        if k in gold_rel and k in found:
            report.per_predicate[pred].tp += 1
            report.overall.tp += 1
        elif k in found:
            report.per_predicate[pred].fp += 1
            report.overall.fp += 1
            report.spurious.append({"article": name, "s": k[0], "p": pred, "o": k[2], "sentence": found[k]})
        else:
            report.per_predicate[pred].fn += 1
            report.overall.fn += 1
            report.misses.append({"article": name, "s": k[0], "p": pred, "o": k[2],
                                  "sentence": _find_sentence(ex, k[0], k[2], gold_names)})
    for gm in gold.get("metrics", []):
        hit = False
        for mt in ex.metrics:
            if to_gold(mt.company.iri) == gm["entity"] and mt.unit.lower() == str(gm["unit"]).lower() and _close(
                    mt.value, float(gm["value"])):
                hit = True
                break
        if hit:
            report.metrics.tp += 1
        else:
            report.metrics.fn += 1
            report.metric_misses.append({"article": name, **gm})
    # precision: each distinct extracted row (company, value, unit, period) matches a gold metric of the same
    # company and unit whose value agrees within 2%, or it is spurious
    rows: dict[tuple[str, float, str, str | None], tuple[str, str]] = {}
    for mt in ex.metrics:
        company = to_gold(mt.company.iri) or f"?{mt.company.label}"
        rows.setdefault((company, mt.value, mt.unit.lower(), mt.period), (mt.name, mt.evidence.sentence))
    gold_metrics = gold.get("metrics", [])
    for (company, value, unit, period), (metric_name, sentence) in rows.items():
        if any(gm["entity"] == company and str(gm["unit"]).lower() == unit and _close(value, float(gm["value"]), 0.02)
               for gm in gold_metrics):
            report.metric_rows.tp += 1
        else:
            report.metric_rows.fp += 1
            report.metric_spurious.append({"article": name, "entity": company, "metric_name": metric_name,
                                           "value": value, "unit": unit, "period": period, "sentence": sentence})


def _close(a: float, b: float, tolerance: float = 0.005) -> bool:
    return abs(a - b) <= max(abs(b) * tolerance, 0.051)


def _find_sentence(ex: Extraction, s: str, o: str, gold_names: dict[str, set[str]]) -> str:
    """A sentence naming both ends of a missed fact, to show why it was missed."""
    from ingest.sentences import split_sentences

    sn, on = gold_names.get(s, {_norm(s)}), gold_names.get(o, {_norm(o)})
    for sent in split_sentences(ex.article.text):
        low = _norm(sent.text)
        if any(n in low for n in sn) and any(n in low for n in on):
            return sent.text
    return ""
