"""Resolve anaphors ("it", "its", "the company", "the chips") to the entity they stand for.

Relations often span a sentence and its successor: "Baidu released Ernie. The company said it trained
the model on Kunlun chips." Each anaphor becomes a pseudo-mention of its antecedent, with a lower
confidence, so that relation patterns see typed mentions wherever the text names an entity indirectly.
"""

from __future__ import annotations

import re

from ingest.model import Mention
from ingest.sentences import Sentence

COREF_CONFIDENCE = 0.75
_MODIFIERS = ("demonym", "alias-prefix")  # mentions that modify a name ("Chinese", "DeepSeek" in DeepSeek-R1)

_COMPANY_HEADS = (
    r"company|firm|group|start-?up|chipmaker|chip\s*maker|chip\s+designer|giant|conglomerate|maker|"
    r"developer|manufacturer|foundry|lab|supplier|operator|provider|business|unicorn|rival|fund"
)
# (pattern, type, plural)
_ANAPHORS: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(rf"\b[Tt]he\s+(?:(?:[A-Z][a-z]+|[a-z][\w-]*)\s+){{0,3}}?(?:{_COMPANY_HEADS})\b(?!\s+[A-Z])"),
     "Company", False),
    (re.compile(r"\b(?:[Ii]t|[Ii]ts)\b(?!\s+(?:is|was)\s+(?:not\s+)?(?:clear|unclear|likely|possible|expected|"
                r"understood|said|reported|thought|believed|estimated))"), "Company", False),
    (re.compile(r"\b(?:[Tt]he|[Bb]oth|[Tt]hese|[Tt]hose)\s+(?:\w+\s+){0,2}?(?:chips|processors|accelerators|GPUs)\b"),
     "Chip", True),
    (re.compile(r"\b[Tt]he\s+(?:new\s+)?(?:chip|processor|accelerator|GPU)\b(?!\s+[A-Z0-9])"), "Chip", False),
    (re.compile(r"\b[Tt]he\s+(?:new\s+|latest\s+)?(?:model|chatbot|reasoning\s+model)\b(?!\s+[A-Z0-9])"),
     "AIModel", False),
    # "SMIC was added to the same list", "The listing, published by ...": a restriction named before
    (re.compile(r"\b[Tt]he\s+(?:same\s+|new\s+|latest\s+)?(?:list|listing|blacklist|rule|rules|controls|"
                r"restrictions|curbs|sanctions|designation)\b(?!\s+(?:of|on|for|to)\b)"), "Sanction", False),
]


def resolve(sentences: list[Sentence], mentions: list[Mention], text: str = "") -> list[Mention]:
    """Pseudo-mentions for the anaphors of each sentence (not overlapping real mentions).

    ``text`` (the article) tells where paragraphs start: a description opening a paragraph ("The company
    built ...") points at the previous paragraph's topic, its first company, not at its last sentence's.
    """
    taken = [(m.start, m.end) for m in mentions if m.rule != "demonym"]
    by_sentence: list[list[Mention]] = [[] for _ in sentences]
    idx = 0
    for m in mentions:
        while idx < len(sentences) and m.start >= sentences[idx].end:
            idx += 1
        if idx < len(sentences) and m.start >= sentences[idx].start:
            by_sentence[idx].append(m)
    out: list[Mention] = []
    para_start = [0] * len(sentences)  # index of the first sentence of each sentence's paragraph
    for i in range(1, len(sentences)):
        gap = text[sentences[i - 1].end: sentences[i].start] if text else ""
        para_start[i] = i if "\n\n" in gap else para_start[i - 1]
    for i, sentence in enumerate(sentences):
        for pattern, type_, plural in _ANAPHORS:
            for m in pattern.finditer(sentence.text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                if any(start < e and s < end for s, e in taken):
                    continue
                pronoun = m.group().lower() in ("it", "its")
                possessor = re.match(r"['’]s\b", sentence.text[m.end(): m.end() + 2])
                appositive = None if possessor else _appositive(by_sentence[i], start, type_, sentence)
                targets = [appositive] if appositive else _antecedents(by_sentence, i, start, type_, plural,
                                                                       sentence, pronoun)
                if (not appositive and not pronoun and not plural and para_start[i] == i and i > 0
                        and sentence.text[:m.start()].strip() == ""):
                    topic = _paragraph_topic(by_sentence, para_start, i - 1, type_)
                    targets = [topic] if topic else targets
                for target in targets:
                    resolved = Mention(target.entity, m.group(), start, end, COREF_CONFIDENCE, "coref")
                    out.append(resolved)
                    if not plural:  # later anaphors may point back at this one: "Its backers ... The company"
                        by_sentence[i].append(resolved)
                by_sentence[i].sort(key=lambda x: x.start)
                taken.append((start, end))
    return out


def _appositive(mentions: list[Mention], start: int, type_: str, sentence: Sentence) -> Mention | None:
    """ "SMIC, the Chinese foundry, ...": a description set off by a comma names the mention just before it."""
    before = [m for m in mentions if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS]
    if before and re.fullmatch(r",\s*", sentence.text[before[-1].end - sentence.start: start - sentence.start]):
        return before[-1]
    return None


def _antecedents(by_sentence: list[list[Mention]], i: int, start: int, type_: str, plural: bool,
                 sentence: Sentence, pronoun: bool) -> list[Mention]:
    """The antecedent(s): the nearest fitting mention earlier in the sentence, else the previous sentence's first.

    A possessive modifier ("Nvidia's H20, and its ...") is rarely what a later pronoun points back to, so it
    is passed over. Resolved anaphors count as mentions for later ones, so chains ("Its backers ...
    The company raised ...") carry the entity forward.
    """
    same = [m for m in by_sentence[i] if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS
            and not re.match(r"['’]s\b", sentence.text[m.end - sentence.start: m.end - sentence.start + 2])]
    if same and not plural:
        first = next((m for m in by_sentence[i] if m.entity.type == type_ and m.rule not in _MODIFIERS), None)
        if pronoun or same[-1] is not first or i == 0:
            return [same[-1]]
        # "Alibaba led a round in the company": a description rarely points back at its own clause's subject
        for j in range(i - 1, max(-1, i - 5), -1):
            prev = [m for m in by_sentence[j] if m.entity.type == type_ and m.rule not in _MODIFIERS
                    and m.entity.iri != first.entity.iri]
            if prev:
                return [prev[0]]
        return [same[-1]]
    if plural:
        if same:  # "buyers of the 910B ... ordered the chips"
            return list({m.entity.iri: m for m in same}.values())
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = [m for m in by_sentence[j] if m.entity.type == type_ and m.rule not in _MODIFIERS]
            if prev:
                return list({m.entity.iri: m for m in prev}.values())
        return same
    for j in range(i - 1, max(-1, i - 5), -1):
        prev = [m for m in by_sentence[j] if m.entity.type == type_ and m.rule not in _MODIFIERS]
        if prev:
            return [prev[0]]
    return same[-1:]


def _paragraph_topic(by_sentence: list[list[Mention]], para_start: list[int], last: int, type_: str
                     ) -> Mention | None:
    """The first fitting mention of the paragraph that sentence ``last`` belongs to."""
    for j in range(para_start[last], last + 1):
        for m in by_sentence[j]:
            if m.entity.type == type_ and m.rule not in _MODIFIERS:
                return m
    return None
