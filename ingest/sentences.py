"""Sentence splitting with character spans, so every fact can point back at its exact sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "corp", "inc", "co", "ltd", "plc", "llc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc",
    "e.g", "i.e", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "u.s.a", "e.u", "gov", "dept", "est", "fig", "ave", "jr", "sr", "bros", "p.m",
    "a.m", "mt", "nos", "ph.d",
}

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_LAST_WORD = re.compile(r"([\w.]+)\.$")
# terminal punctuation, optional closing quotes/brackets, then whitespace; or, on pages that lost the space,
# a full stop between a lower-case word and a capitalised one ("reported.Shares")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|(?<=[a-z]{3})\.(?=[A-Z][a-z])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+\.)\s)")
_CLOSING_PUNCT = set('.!?:;,"”')  # a line ending in one of these is not a heading


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    index: int


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation ending at ``dot`` closes a sentence (``after`` is where the next one starts)."""
    if text[dot] != ".":
        return True
    word_match = _LAST_WORD.search(text, max(0, dot - 40), dot + 1)
    word = word_match.group(1).lower() if word_match else ""
    if word in _ABBREVIATIONS:
        # "Corp." or "Inc." at the very end of a sentence still ends it when a capitalised
        # sentence start follows; we accept a small loss here: abbreviations rarely end sentences.
        return False
    if len(word) == 1 and "a" <= word <= "z":  # initials such as "J. Smith"
        return False
    nxt = text[after: after + 1]
    if nxt.islower():  # a lower-case word goes on the sentence, unless it is a name such as "iFlytek" or "eBay"
        return bool(re.match(r"[a-z]{1,2}[A-Z]", text[after: after + 3]))
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; paragraph breaks and line-only headings always split."""
    sentences: list[Sentence] = []
    for para_start, para_end in _paragraph_spans(text):
        start = para_start
        para = text[para_start:para_end]
        for m in _BOUNDARY.finditer(para):
            end = para_start + m.end()
            after = end
            while after < para_end and text[after].isspace():
                after += 1
            if _ends_sentence(text, para_start + m.end() - 1 - _trailing_closers(m.group()), after):
                _append(sentences, text, start, end)
                start = after
        _append(sentences, text, start, para_end)
    return sentences


def _trailing_closers(punct: str) -> int:
    return len(punct) - len(punct.rstrip("\"'”’)]"))


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    # single newlines inside a paragraph: a short line with no final punctuation is a heading
    out: list[tuple[int, int]] = []
    for s, e in spans:
        line_start = s
        line_end = text.find("\n", s, e)
        while line_end >= 0:
            line = text[line_start:line_end].strip()
            nxt = text[line_end + 1: line_end + 2]
            heading = len(line) < 120 and line[-1:] not in _CLOSING_PUNCT and not nxt.islower()
            if line and heading:
                out.append((line_start, line_end))
                line_start = line_end + 1
            line_end = text.find("\n", line_end + 1, e)
        out.append((line_start, e))
    return out


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end, len(sentences)))
