"""The bench corpus reads like the evaluation corpus: same length, sentence variety and fact density as
``../shared/corpus/broad`` (``benchmarks.corpus.TARGETS``, measured there once), written deterministically
from the seed, in broad's mix of formats, with names of its own and sentences of its own."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.corpus_stats import measure, read
from ingest.read import read_file
from ingest.sentences import split_sentences

BROAD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "broad"

# Relative tolerance per statistic, for a sample of SAMPLE articles (sampling noise included). Timing
# (extract_per_cpu_s) is a benchmark figure, never asserted.
TOLERANCE = {
    "words": 0.12, "words_p10": 0.2, "words_p90": 0.2, "paragraphs": 0.15, "sentences": 0.12,
    "sentence_words": 0.1, "sentence_words_p50": 0.15, "sentence_words_p90": 0.2,
    "quoted": 0.4, "with_figure": 0.2, "facts": 0.25, "metrics": 0.3,
}
SAMPLE = 80


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("news")
    corpus.generate(SAMPLE, 3, out, formats="news")
    return out


def test_same_seed_same_bytes_other_seed_other_articles(tmp_path: Path) -> None:
    def files(seed: int, name: str, formats: str) -> dict[str, bytes]:
        out = tmp_path / name
        return {str(f.relative_to(out)): f.read_bytes() for f in corpus.generate(40, seed, out, formats=formats)}

    for formats in ("news", "jsonl"):
        assert files(5, f"a-{formats}", formats) == files(5, f"b-{formats}", formats)
        assert files(5, f"a-{formats}", formats) != files(6, f"c-{formats}", formats)
    jsonl = [a for f in sorted((tmp_path / "a-jsonl").iterdir()) for a in read_file(f)]
    assert len(jsonl) == 40 and len({a.url for a in jsonl}) == 40  # 40 articles, not one written 40 times
    with pytest.raises(ValueError, match="formats"):
        corpus.generate(1, 0, tmp_path / "x", formats="pdf")


def test_every_format_reads_back_with_title_date_and_body(news: Path) -> None:
    items = read(news)
    assert len(items) == SAMPLE
    assert {f for f, _ in items} == {"md", "txt", "html"}
    for _, a in items:
        assert a.title and a.date and len(a.text.split()) > 150, a.path
        assert "cookies" not in a.text and "Sign in" not in a.text  # an HTML page's boilerplate is not the article


def test_statistics_match_broad_within_tolerance(news: Path) -> None:
    got = measure(news).as_dict()
    far = {k: (got[k], corpus.TARGETS[k]) for k, tol in TOLERANCE.items()
           if abs(float(got[k]) - corpus.TARGETS[k]) > tol * corpus.TARGETS[k]}  # type: ignore[arg-type]
    assert not far, far
    shares = got["formats"]
    assert isinstance(shares, dict)
    for kind, share in corpus.FORMATS:
        assert abs(shares.get(kind, 0) - share) < 0.15, (kind, shares)


def test_names_are_generated_and_grow_with_the_corpus() -> None:
    small, large = corpus._pools(400, random.Random(0)), corpus._pools(8000, random.Random(0))
    for kind in ("Company", "AIModel", "Chip", "Person"):
        assert len(large[kind].names) > 5 * len(small[kind].names) // 2, kind
    words = corpus._kb_words()
    new = [n for n in large["Company"].names if n not in corpus._kb_labels()["Company"]]
    assert len(new) >= 2000 and not any(n.split()[0].casefold() in words for n in new)


@pytest.mark.skipif(not BROAD.is_dir(), reason="the evaluation corpus (../shared/corpus/broad) is not here")
def test_no_sentence_is_copied_from_the_evaluation_corpus(news: Path) -> None:
    def sentences(root: Path) -> set[str]:
        return {" ".join(s.text.split()) for _, a in read(root) for s in split_sentences(a.text)
                if len(s.text.split()) >= 6}

    assert not sentences(news) & sentences(BROAD)
