"""The shipped UD parser: it loads from the package, parses clear constructions as UD says, and
character spans map to its tokens. Sentences are our own; assertions are on unambiguous cases only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ingest import syntax
from ingest.syntax import parse, parser, span_head, span_tokens


def one(text: str):
    """The single parsed Doc of ``text``."""
    docs = list(parse([text]))
    assert len(docs) == 1
    return docs[0]


def tok(doc, word: str, nth: int = 0):
    """The ``nth`` token whose text is ``word``."""
    matches = [t for t in doc if t.text == word]
    assert len(matches) > nth, f"{word!r} not in {[t.text for t in doc]}"
    return matches[nth]


def arc(doc, word: str) -> tuple[str, str]:
    """(deprel, head text) of ``word``."""
    t = tok(doc, word)
    return t.dep_, t.head.text


def test_model_ships_in_the_package() -> None:
    path = Path(syntax.__file__).resolve().parent / "parser_model"
    assert syntax.MODEL_PATH == path and (path / "config.cfg").is_file() and (path / "LICENSE").is_file()
    nlp = parser()
    assert parser() is nlp  # cached
    assert {"tagger", "morphologizer", "parser"} <= set(nlp.pipe_names)
    assert "ner" not in nlp.pipe_names and "senter" not in nlp.pipe_names
    assert Path(nlp.path).resolve() == path


def test_importing_ingest_does_not_import_spacy() -> None:
    code = "import ingest, ingest.syntax, sys; assert 'spacy' not in sys.modules, 'spacy imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(syntax.__file__).resolve().parents[1])


def test_active_subject_and_object() -> None:
    doc = one("Microsoft acquired the startup in 2024.")
    assert tok(doc, "acquired").dep_ == "ROOT"
    assert arc(doc, "Microsoft") == ("nsubj", "acquired")
    assert arc(doc, "startup") == ("obj", "acquired")
    assert tok(doc, "acquired").pos_ == "VERB" and tok(doc, "Microsoft").pos_ == "PROPN"


def test_passive_subject_and_agent() -> None:
    doc = one("The model was developed by researchers at a university.")
    assert tok(doc, "developed").dep_ == "ROOT"
    assert arc(doc, "model") == ("nsubj:pass", "developed")
    assert arc(doc, "was") == ("aux:pass", "developed")
    assert arc(doc, "researchers") == ("obl:agent", "developed")
    assert arc(doc, "by") == ("case", "researchers")


def test_apposition() -> None:
    text = "Satya Nadella, the chief executive of Microsoft, spoke on Monday."
    doc = one(text)
    # UD heads a multi-word name on its first word ("Nadella" is flat under "Satya").
    assert arc(doc, "Nadella") == ("flat", "Satya")
    assert arc(doc, "executive") == ("appos", "Satya")
    assert arc(doc, "Satya") == ("nsubj", "spoke")
    assert span_head(doc, 0, len("Satya Nadella")).text == "Satya"
    assert arc(doc, "Microsoft") == ("nmod", "executive")


def test_relative_clause() -> None:
    doc = one("The company that built the chip is based in Shanghai.")
    assert arc(doc, "built") == ("acl:relcl", "company")
    assert arc(doc, "chip") == ("obj", "built")


def test_coordination() -> None:
    doc = one("Google and Amazon buy the chips.")
    assert arc(doc, "Amazon") == ("conj", "Google")
    assert arc(doc, "and") == ("cc", "Amazon")
    assert arc(doc, "Google") == ("nsubj", "buy")


def test_one_sentence_and_one_root_per_text() -> None:
    texts = ["Nvidia makes chips. Intel makes processors. AMD sells both",
             "The firm said on Tuesday it would cut prices; rivals followed."]
    for doc in parse(texts):
        assert len(list(doc.sents)) == 1
        assert sum(t.dep_ == "ROOT" for t in doc) == 1


def test_parse_keeps_order_and_offsets() -> None:
    texts = [f"Company {i} sells chips to Firm {i}." for i in range(300)] + ["  Leading spaces stay."]
    docs = list(parse(texts, batch_size=64))
    assert [d.text for d in docs] == texts
    last = docs[-1]
    assert tok(last, "Leading").idx == 2 and texts[-1][tok(last, "stay").idx:].startswith("stay")


def test_span_tokens_maps_character_spans() -> None:
    text = "DeepSeek-R1 was trained on H20s bought for US$2.5bn, not on GPT-4.1."
    doc = one(text)

    def span(sub: str) -> tuple[int, int]:
        start = text.index(sub)
        return start, start + len(sub)

    name = span_tokens(doc, *span("DeepSeek-R1"))
    assert name is not None and name.text == "DeepSeek-R1" and len(name) == 3  # split at the hyphen
    assert span_head(doc, *span("DeepSeek-R1")) in name
    assert span_tokens(doc, *span("H20s")).text == "H20s"
    assert span_tokens(doc, *span("GPT-4.1")).text == "GPT-4.1"
    assert span_tokens(doc, *span("US$2.5bn")).text == "US$2.5bn"
    assert span_tokens(doc, *span("Seek")).text == "DeepSeek"  # a span cutting a token takes all of it
    assert span_tokens(doc, *span("trained on")).text == "trained on"
    assert span_tokens(doc, text.index(" on H20s"), text.index(" on H20s") + 1) is None  # a space only
    assert span_tokens(doc, len(text), len(text) + 5) is None
    assert span_head(doc, *span("trained on H20s")).text == "trained"
    for t in doc:  # every token maps back to itself
        assert span_tokens(doc, t.idx, t.idx + len(t)).root.i == t.i
