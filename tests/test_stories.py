"""Near-duplicate detection (kg.stories): signatures, the story index, and the measured threshold on the rewrite set."""

from __future__ import annotations

import pytest

from benchmarks import duplicates
from ingest.model import InputError
from kg import stories

WIRE = """Zhipu AI, the Chinese artificial intelligence start-up, was added to the Entity List on Wednesday, restricting
the company's access to American technology and components. The listing, published by the Bureau of Industry and
Security, said Zhipu was helping to advance the modernisation of China's military through its work on large
language models. Companies on the list cannot receive goods subject to US export rules without a licence, which is
rarely granted. Zhipu, which was spun out of Tsinghua University in 2019, develops the GLM family of models and the
ChatGLM chatbot. Its backers include Alibaba, Tencent and Meituan."""

EDITED = """SHANGHAI (Asia Tech Wire) - Zhipu AI, the Chinese artificial intelligence startup, was added to the Entity
List on Wednesday, restricting the firm's access to American technology and components. Companies on the list
cannot receive goods subject to US export rules without a licence, which is rarely granted. The listing, published
by the Bureau of Industry and Security, stated Zhipu was helping to advance the modernisation of China's military
through its work on large language models. Zhipu, which was spun out of Tsinghua University in 2019, develops the
GLM family of models and the ChatGLM chatbot. (Reporting by Mei Lin; Editing by Tom Hale)"""

OTHER = """Zhipu AI has raised more than 1 billion yuan from state-backed investors in Hangzhou and Zhuhai, the
company said on Tuesday, in its first funding since Washington put it on a trade blacklist in January. The start-up
did not disclose its valuation, but people familiar with the round said it was priced above the previous round.
The new money will go into training its next generation of GLM models and building data centres that run on
domestic accelerators. Its backers include Alibaba, Tencent and Meituan."""


def test_signature_round_trip() -> None:
    sig = stories.signature(WIRE)
    assert sig is not None
    back = stories.decode(stories.encode(sig))
    assert back is not None and back.jaccard(sig) == 1.0
    assert stories.decode("not base64!") is None
    assert stories.decode(stories.encode(sig)[:40]) is None  # another length: not ours


def test_short_text_is_its_own_story() -> None:
    assert stories.signature("Baidu released Ernie 4.5.") is None
    index = stories.StoryIndex()
    a = index.assign("a", "1", None)
    b = index.assign("b", "1", None)
    assert a.story != b.story and a.duplicate_of is None


def test_edited_copy_joins_the_story_and_another_story_does_not() -> None:
    index = stories.StoryIndex()
    first = index.assign("wire", "v1", stories.signature(WIRE))
    copy = index.assign("copy", "v1", stories.signature(EDITED))
    other = index.assign("other", "v1", stories.signature(OTHER))
    assert copy.story == first.story and copy.duplicate_of == "wire"
    assert copy.similarity is not None and copy.similarity >= stories.DEFAULT_THRESHOLD
    assert other.story != first.story
    assert index.stories()[first.story] == ["copy", "wire"]


def test_a_new_version_is_compared_with_the_others_only() -> None:
    index = stories.StoryIndex()
    first = index.assign("wire", "v1", stories.signature(WIRE))
    again = index.assign("wire", "v2", stories.signature(WIRE + " It declined to comment."))
    assert again.story == first.story and again.duplicate_of is None  # not a duplicate of itself
    index.assign("copy", "v1", stories.signature(EDITED))
    moved = index.assign("wire", "v3", stories.signature(OTHER))  # rewritten into another story
    assert moved.story != first.story  # the copy keeps the story it joined
    assert index.story["copy"] == first.story


def test_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stories.threshold() == stories.DEFAULT_THRESHOLD
    monkeypatch.setenv(stories.THRESHOLD_ENV, "0.9")
    assert stories.StoryIndex().threshold == 0.9
    assert stories.threshold(0.5) == 0.5
    monkeypatch.setenv(stories.THRESHOLD_ENV, "2")
    with pytest.raises(InputError, match=stories.THRESHOLD_ENV):
        stories.threshold()
    with pytest.raises(InputError, match="duplicate_threshold"):
        stories.threshold(0)


def test_default_threshold_on_the_rewrite_set() -> None:
    """The measured default keeps every rewrite with its story and no two stories together (README figures)."""
    rows = duplicates.load()
    assert len({r["story"] for r in rows}) == 77 and len(rows) == 380
    score = duplicates.measure(rows, stories.DEFAULT_THRESHOLD)
    assert score.precision == 1.0 and score.recall == 1.0, score
    assert score.same_topic_pairs > 1000 and score.same_topic_merged == 0
    # and the set is not trivial: a threshold too low merges follow-ups, one too high splits edited copies
    assert duplicates.measure(rows, 0.15).precision < 1.0
    assert duplicates.measure(rows, 0.5).recall < 0.9
