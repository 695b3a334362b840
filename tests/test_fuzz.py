"""Fuzzing: random text and bytes into every reader and the extractor raise nothing but InputError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.extract import extract
from ingest.kb import default_kb
from ingest.model import Article, InputError, article_id
from ingest.read import SUFFIXES, read_file

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=500)


def _read_all(path: Path) -> None:
    try:
        for a in read_file(path, on_error=lambda e: None):
            assert a.text and a.title
    except InputError as exc:
        assert "\n" not in str(exc)


@FUZZ
@given(data=st.binary(max_size=800), suffix=st.sampled_from(sorted(SUFFIXES)))
def test_random_bytes_every_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / ("fuzz" + suffix)
    path.write_bytes(data)
    _read_all(path)


@FUZZ
@given(text=TEXT, suffix=st.sampled_from(sorted(SUFFIXES)))
def test_random_text_every_reader(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / ("fuzz" + suffix)
    path.write_text(text, encoding="utf-8")
    _read_all(path)


WORDS = st.sampled_from(["Baidu", "Alibaba", "Qwen", "Nvidia", "H20", "develops", "uses", "chips", "it", "the company",
                         "sanctions", "competes with", "$", "5 billion", "revenue", "rose", "%", ".", ",", "\n\n",
                         "CEO", "Huawei", "Ascend", "SMIC", "(", ")", "\"", "—"])


@FUZZ
@given(parts=st.lists(st.one_of(WORDS, TEXT), max_size=40))
def test_extractor_never_crashes(parts: list[str]) -> None:
    text = " ".join(parts).strip() or "x"
    article = Article(article_id(None, text), "Fuzz", text)
    try:
        result = extract(article, default_kb())
    except InputError:
        return
    for f in result.facts:
        assert 0 <= f.evidence.start <= f.evidence.end <= len(text)
