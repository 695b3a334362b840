"""Extraction: one Article in, its mentions, relations and metrics out (no store, no I/O)."""

from __future__ import annotations

from ingest.coref import resolve
from ingest.kb import KnowledgeBase, default_kb, vocabulary
from ingest.mentions import find_mentions
from ingest.metrics import extract_metrics
from ingest.model import Article, Extraction, Fact, Metric
from ingest.relations import extract_relations
from ingest.sentences import split_sentences


def extract(article: Article, kb: KnowledgeBase | None = None) -> Extraction:
    """Find what ``article`` states: entity mentions, relation facts and company metrics."""
    kb = kb or default_kb()
    text = article.text
    sentences = split_sentences(text)
    mentions = find_mentions(text, kb)
    corefs = resolve(sentences, mentions, text)
    every = sorted(mentions + corefs, key=lambda m: (m.start, -m.end))
    facts: list[Fact] = []
    metrics: list[Metric] = []
    previous: list = []
    pos = 0
    for sentence in sentences:
        here = []
        while pos < len(every) and every[pos].start < sentence.end:
            if every[pos].start >= sentence.start:
                here.append(every[pos])
            pos += 1
        facts += extract_relations(sentence, here, text, article.id)
        metrics += extract_metrics(sentence, here, previous, article.id, article.date)
        if any(m.entity.type == "Company" for m in here):
            previous = here
    return Extraction(article, mentions, _dedupe(facts), _dedupe_metrics(metrics))


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (subject, predicate, object, sentence): the most confident rule wins.

    Symmetric predicates are kept in one direction per sentence.
    """
    symmetric = vocabulary().symmetric
    best: dict[tuple, Fact] = {}
    for f in facts:
        s, o = f.subject.iri, f.object.iri
        if f.predicate in symmetric and s > o:
            s, o = o, s
        key = (s, f.predicate, o, f.evidence.start)
        if key not in best or f.evidence.confidence > best[key].evidence.confidence:
            best[key] = f
    return list(best.values())


def _dedupe_metrics(metrics: list[Metric]) -> list[Metric]:
    seen: dict[tuple, Metric] = {}
    for m in metrics:
        seen.setdefault((m.company.iri, m.name, m.value, m.unit, m.period, m.evidence.start), m)
    return list(seen.values())
