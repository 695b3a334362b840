"""How news-like a corpus is: length, sentence variety and fact density, side by side for two corpora.

    python -m benchmarks.corpus_stats ../shared/corpus/broad [benchmarks/data/news-500]

A directory with ``articles/`` and ``gold/`` (the evaluation corpus) also gives its gold relations and metrics
per article. The extractor runs over every article, so the comparison includes what ingest costs most:
extraction time per article and the facts it finds. ``benchmarks.corpus`` is tuned against these figures
for ``../shared/corpus/broad``; ``tests/test_corpus.py`` keeps the generator within a tolerance of them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.model import Article
from ingest.read import iter_files, read_file
from ingest.sentences import split_sentences

_QUOTE = re.compile(r"[\"“”]")
_FIGURE = re.compile(r"\d")


@dataclass
class Stats:
    """Per-article averages and the sentence-length distribution of one corpus."""

    articles: int
    formats: dict[str, float]  # share of articles by file format (md, txt, html, jsonl)
    words: float  # body words per article (mean)
    words_p10: float
    words_p90: float
    paragraphs: float
    sentences: float
    sentence_words: float  # words per sentence (mean), then its spread
    sentence_words_p10: float
    sentence_words_p50: float
    sentence_words_p90: float
    quoted: float  # share of sentences with a quotation mark
    with_figure: float  # share of sentences with a digit
    facts: float  # relations the extractor finds per article
    metrics: float  # metrics the extractor finds per article
    gold_relations: float | None  # from gold/*.json, where there is one
    gold_metrics: float | None
    extract_per_cpu_s: float  # articles extracted per CPU-second

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _pct(values: list[int], q: float) -> float:
    s = sorted(values)
    return float(s[min(len(s) - 1, int(q * len(s)))]) if s else 0.0


def _format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix)


def read(root: Path, limit: int | None = None) -> list[tuple[str, Article]]:
    """(format, article) for the articles under ``root`` (its ``articles/`` when there is one), in path order."""
    base = root / "articles" if (root / "articles").is_dir() else root
    out: list[tuple[str, Article]] = []
    for path in sorted(iter_files([base])):
        for article in read_file(path):
            out.append((_format(path), article))
            if limit is not None and len(out) >= limit:
                return out
    return out


def _gold(root: Path) -> tuple[float, float] | None:
    files = sorted((root / "gold").glob("*.json"))
    if not files:
        return None
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    return (sum(len(g["relations"]) for g in golds) / len(golds), sum(len(g["metrics"]) for g in golds) / len(golds))


def measure(root: Path, limit: int | None = None, extract: bool = True) -> Stats:
    """The statistics of the corpus under ``root`` (its first ``limit`` articles); ``extract=False`` skips the
    extractor (facts, metrics and speed are then 0), for a quick look at length and variety alone."""
    from ingest.extract import extract as run
    from ingest.kb import default_kb

    items = read(root, limit)
    if not items:
        raise ValueError(f"{root}: no articles")
    n = len(items)
    words: list[int] = []
    paragraphs: list[int] = []
    sentence_counts: list[int] = []
    lengths: list[int] = []
    quoted = figures = 0
    for _, a in items:
        words.append(len(a.text.split()))
        paragraphs.append(len([p for p in a.text.split("\n\n") if p.strip()]))
        sentences = split_sentences(a.text)
        sentence_counts.append(len(sentences))
        for s in sentences:
            lengths.append(len(s.text.split()))
            quoted += bool(_QUOTE.search(s.text))
            figures += bool(_FIGURE.search(s.text))
    facts = metrics = 0
    speed = 0.0
    if extract:
        kb = default_kb()
        run(items[0][1], kb)  # warm the parser and the knowledge base
        cpu = time.process_time()
        for _, a in items:
            x = run(a, kb)
            facts += len(x.facts)
            metrics += len(x.metrics)
        speed = n / max(time.process_time() - cpu, 1e-9)
    gold = _gold(root) if limit is None else None
    shares = Counter(f for f, _ in items)
    return Stats(
        articles=n, formats={k: round(v / n, 3) for k, v in sorted(shares.items())},
        words=round(statistics.mean(words), 1), words_p10=_pct(words, 0.1), words_p90=_pct(words, 0.9),
        paragraphs=round(statistics.mean(paragraphs), 1), sentences=round(statistics.mean(sentence_counts), 1),
        sentence_words=round(statistics.mean(lengths), 1), sentence_words_p10=_pct(lengths, 0.1),
        sentence_words_p50=_pct(lengths, 0.5), sentence_words_p90=_pct(lengths, 0.9),
        quoted=round(quoted / len(lengths), 3), with_figure=round(figures / len(lengths), 3),
        facts=round(facts / n, 1), metrics=round(metrics / n, 1),
        gold_relations=round(gold[0], 1) if gold else None, gold_metrics=round(gold[1], 1) if gold else None,
        extract_per_cpu_s=round(speed, 1),
    )


_ROWS = [
    ("articles", "articles"), ("formats", "formats (share)"), ("words", "words per article"),
    ("words_p10", "  p10"), ("words_p90", "  p90"), ("paragraphs", "paragraphs per article"),
    ("sentences", "sentences per article"), ("sentence_words", "words per sentence"),
    ("sentence_words_p10", "  p10"), ("sentence_words_p50", "  p50"), ("sentence_words_p90", "  p90"),
    ("quoted", "sentences with a quote"), ("with_figure", "sentences with a figure"),
    ("gold_relations", "gold relations per article"), ("gold_metrics", "gold metrics per article"),
    ("facts", "extracted relations per article"), ("metrics", "extracted metrics per article"),
    ("extract_per_cpu_s", "extraction, articles per CPU-s"),
]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return " ".join(f"{k} {v:.2f}" for k, v in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)


def table(columns: list[tuple[str, Stats]]) -> str:
    """The statistics as a Markdown table, one column per corpus."""
    head = "| | " + " | ".join(name for name, _ in columns) + " |"
    lines = [head, "|---" * (len(columns) + 1) + "|"]
    for key, label in _ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(getattr(s, key)) for _, s in columns) + " |")
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - a command-line convenience
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N articles of each corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args()
    columns = [(str(d), measure(d, args.limit)) for d in args.dirs]
    if args.json:
        print(json.dumps({name: s.as_dict() for name, s in columns}, indent=1))
    else:
        print(table(columns))


if __name__ == "__main__":
    main()
