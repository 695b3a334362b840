"""Dependency parses of single sentences, for relation rules that need more than word order.

The model in ``ingest/parser_model/`` is a small spaCy CNN pipeline trained on the UD English EWT and GUM
treebanks (``scripts/parser/train.py``): PTB tags (``tag_``), UPOS and UD features (``pos_``, ``morph``),
lemmas and UD relations with subtypes (``dep_``: ``nsubj``, ``nsubj:pass``, ``obl:agent``, ``acl:relcl``,
``appos``, ``conj``, ...; the root is ``ROOT``, as spaCy names it). spaCy is imported and the model loaded
only on the first call to :func:`parser`, so importing ``ingest`` stays fast and spaCy-free.

Each text given to :func:`parse` is one sentence (cikg's own splitter decides): the parser is told so,
and gives exactly one sentence, one root, per Doc. Tokens keep ``idx``, their character offset into the
given text, so a mention's character span maps to tokens with :func:`span_tokens` / :func:`span_head`.

Tokenization is spaCy's English tokenizer, unchanged, since the model was trained on it. What it does with
the names cikg meets: a hyphen between two letters, or between a digit and a letter, is split off
("DeepSeek-R1" -> "DeepSeek" "-" "R1", "o3-mini" -> "o3" "-" "mini", "state-owned" -> "state" "-" "owned");
a hyphen before a digit is not ("GPT-4.1", "Llama-3" stay whole, but "Llama-3-70B" -> "Llama-3" "-"
"70B"); letters and digits together stay one token ("Ascend 910C" -> "Ascend" "910C", "H20s", "3x");
"US$2.5bn" -> "US$" "2.5bn"; "$2.5" -> "$" "2.5"; clitics split as in UD ("Nvidia's" -> "Nvidia" "'s",
"don't" -> "do" "n't"). So a name may cover several tokens, or share none with a token boundary:
map spans with :func:`span_tokens`, never by assuming one token per name.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily, on the first parse
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = ["MODEL_PATH", "one_sentence", "parse", "parser", "span_head", "span_tokens"]

MODEL_PATH = Path(__file__).resolve().with_name("parser_model")
BATCH_SIZE = 256  # sentences per nlp.pipe batch: past ~100 the CNN's per-batch overhead is amortised


@lru_cache(maxsize=1)
def parser() -> Language:
    """The shipped pipeline, loaded once (on first use) and shared."""
    import spacy

    return spacy.load(MODEL_PATH)


def one_sentence(doc: Doc) -> Doc:
    """Mark ``doc`` as a single sentence, so the parser adds no sentence break inside it."""
    for token in doc:
        token.is_sent_start = token.i == 0
    return doc


def parse(texts: Iterable[str], *, nlp: Language | None = None, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """One parsed Doc per text (each text a sentence), in order, lazily and in batches."""
    nlp = nlp or parser()
    docs = (one_sentence(nlp.make_doc(text)) for text in texts)
    yield from nlp.pipe(docs, batch_size=batch_size)


def span_tokens(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens overlapping the characters ``[start, end)`` of the Doc's text, or None if none does.

    A span that cuts a token (e.g. "DeepSeek" inside one token "DeepSeek's" would not happen, but "R1" of
    "R1-based" might) takes the whole token; whitespace-only tokens at the edges are dropped.
    """
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t) for t in doc]
    first = bisect_right(ends, start)  # first token ending after start
    last = bisect_left(starts, end)  # tokens before this one start before end
    while first < last and doc[first].is_space:
        first += 1
    while last > first and doc[last - 1].is_space:
        last -= 1
    return doc[first:last] if first < last else None


def span_head(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the tokens covering ``[start, end)``: the one nearest the root of the parse."""
    span = span_tokens(doc, start, end)
    return span.root if span is not None else None
