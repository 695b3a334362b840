"""Relations from a dependency parse: the lexicon's verb, noun and state frames matched on each sentence.

Why a parse: one frame ("develop": agent -> theme) then covers the active clause, the passive ("developed by"),
the participle ("the model built by X"), relative clauses ("processors that Kuaishou bought", "X, which
launched Y"), appositions ("Kling, the model built by X") and coordination ("A and B") without a pattern for
each. Surface orders the parse gets wrong or that need no parse ("X's Y", "Nvidia H800") are in
:mod:`ingest.relations`.

Roles are read off Universal Dependencies relations: a verb's agent is its ``nsubj`` (or the ``by`` phrase of
a passive), its theme its ``obj`` (or passive ``nsubj:pass``), a preposition role the ``obl`` that
preposition opens. A noun's head is the name it is in apposition with, the subject of the copula it
predicates, or the name it titles; its owner the possessor, a name compounded before it, or the ``of``
phrase. A role filled by a common noun is filled by the names in it: "clusters of Nvidia H800 processors"
is the H800; "its Seedance model" is Seedance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.kb import vocabulary
from ingest.lexicon import Lexicon, NounFrame, VerbFrame
from ingest.model import Evidence, Fact, Mention
from ingest.sentences import Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# The kinds a relation's subject and object may be: the ontology's rdfs:domain and rdfs:range.
SUBJECT_TYPES: dict[str, tuple[str, ...]] = dict(vocabulary().domain)
OBJECT_TYPES: dict[str, tuple[str, ...]] = dict(vocabulary().range)
FRAME_CONFIDENCE = 0.8
# mentions that are never an argument: a nationality that only modifies a noun ("Chinese"), and the implied owner
# of a relational noun with none named ("Early backers include ...", ingest.coref), read only as that owner
_MODIFIER_RULES = ("demonym", "implicit")
_REL_PRONOUNS = {"which", "that", "who", "whom", "whose"}
_LIST_CASES = {"such", "including", "like", "notably", "especially", "particularly", "among"}
_COPULAS = {"be", "is", "are", "was", "were", "been", "being", "am", "'s", "remain", "remains", "remained",
            "become", "becomes", "became"}
_LIST_VERBS = {"include", "includes", "included", "including", "comprise", "comprises", "are", "is", "were", "was",
               "number", "span", "spans"}

_PAST_COPULAS = {"was", "were"}
# verbs whose subject is the company a funding round is in: "X raised $600 million in a round led by Y"
_RAISE = {"raise", "raised", "raises", "raising", "close", "closed", "closes", "complete", "completed", "secure",
          "secured", "secures", "announce", "announced", "seek", "seeks", "sought", "finalise", "finalised",
          "finalize", "finalized", "land", "landed", "get", "got", "receive", "received", "take", "took", "bag",
          "bagged", "pull", "pulled"}
_UNSURE_ADJ = {"rumoured", "rumored", "proposed", "planned", "potential", "possible", "mooted", "reported",
               "failed", "former", "ended", "abandoned", "prospective", "hypothetical", "would-be", "alleged",
               "expected", "likely", "future", "aborted", "scrapped", "cancelled", "canceled", "lapsed"}


# One stand-in word per kind of name: the parser was trained on web text and news where these are common proper
# nouns, so "Kling runs on clusters of Nvidia H800 processors" parses as "Linux runs on clusters of Microsoft
# Pentium processors" would. A name of any length becomes one token, which also makes mapping exact.
PLACEHOLDERS = {"Company": "Microsoft", "Person": "Smith", "Country": "France", "GovernmentBody": "Congress",
                "AIModel": "Linux", "Chip": "Pentium", "Product": "Firefox", "Sanction": "Medicare"}
_KEEP_WORDS = ("coref", "demonym", "implicit")  # parsed as the words they are ("the company", "its", "Chinese")


@dataclass(frozen=True)
class Pending:
    """A frame whose one role is a counted plural ("added 140 entities to its Entity List", "invested in five
    start-ups"): a list opening the next sentence ("They include A, B and C") fills that role."""

    predicate: str
    missing: str  # "subject" or "object"
    other: Mention  # the mention that fills the other role
    evidence: str  # the frame's name


@dataclass
class _Sentence:
    """One parsed sentence with its mentions mapped onto tokens."""

    doc: Doc
    sentence: Sentence
    article: str
    lex: Lexicon
    by_token: dict[int, list[Mention]] = field(default_factory=dict)  # token index -> mentions covering it
    head_of: dict[int, int] = field(default_factory=dict)  # token index -> head token index of its mention
    recent: Mention | None = None  # the restriction named last before this sentence (or early in it)
    near: list[dict[str, object]] | None = None  # with --trace: frames whose word is here but not their roles
    topic: Mention | None = None  # the company the article is about so far
    # frames with one role filled by a counted plural ("added 140 entities to the list"), for the next sentence
    pending: list[Pending] = field(default_factory=list)

    def mentions_at(self, tok: Token) -> list[Mention]:
        return [m for m in self.by_token.get(tok.i, []) if m.rule not in _MODIFIER_RULES]


@dataclass
class Prepared:
    """A sentence made ready for the parser: its words (names replaced by stand-ins) and which mention each
    token belongs to."""

    doc: Doc
    sentence: Sentence
    spans: list[tuple[int, int, list[Mention]]]  # [first token, end token) and the mentions on it
    alt: Prepared | None = None  # the same sentence without a long subject apposition, parsed too


# Asides that only rename what stands before them: "(YMTC)", "(NASDAQ: BIDU)", ", known as the Big Fund,". The
# names they introduce are already mentions; left in, they derail the parse of the clause around them.
_ASIDE = re.compile(r"\s*\((?:[^()]{0,60})\)|,\s+(?:also\s+|commonly\s+|widely\s+|formerly\s+)?(?:known|referred\s+to|"
                    r"abbreviated)\s+as\s+[^,;]{1,40}(?=,)")


# A long apposition after the name that opens a sentence ("Humain, the AI company launched this month and
# wholly owned by the Public Investment Fund, has ordered ..."): parsers often lose the main clause behind it
_SUBJECT_APPOSITION = re.compile(r",\s+(?:the|a|an|one\s+of|its|whose)\s+[^,;()]{25,160}?,(?=\s+(?:[a-z]+\s+){0,2}"
                                 r"(?:has|have|had|is|was|are|were|will|would|said|says|[a-z]+ed|[a-z]+s)\b)")


def subject_apposition(sentence: Sentence, mentions: list[Mention]) -> tuple[int, int] | None:
    """The span (in the sentence) of a long apposition after the sentence's first name, if any."""
    first = next((m for m in mentions if m.rule not in ("demonym",) and m.start >= sentence.start), None)
    if first is None or first.start - sentence.start > 40:
        return None
    m = _SUBJECT_APPOSITION.match(sentence.text, first.end - sentence.start)
    return (m.start(), m.end() - 1) if m else None


def prepare(nlp: object, sentence: Sentence, mentions: list[Mention], blank: tuple[int, int] | None = None,
            joined: frozenset[str] = frozenset(), compounds: frozenset[str] = frozenset(),
            verbs: frozenset[str] = frozenset()) -> Prepared:
    """The sentence as a Doc of words for ``nlp`` to parse, each named mention one stand-in token (``blank``: a
    span of the sentence left out, as the asides are).

    ``compounds``: multi-word kind nouns ("graphics processors", "reasoning model"), parsed as their last word:
    the small parser reads "on 3,000 Pentium graphics processors" as two phrases, "on 3,000 Pentium processors"
    as one. ``verbs``: the lexicon's verb forms (a restriction's name before one is parsed as its subject)."""
    from spacy.tokens import Doc

    tokenizer = nlp.tokenizer  # type: ignore[attr-defined]
    base = sentence.start
    asides = [a.span() for a in _ASIDE.finditer(sentence.text)] + ([blank] if blank else [])
    # the sentence with asides blanked out (same length, so offsets hold); mentions inside them are left out
    text = sentence.text
    for a, b in asides:
        text = text[:a] + " " * (b - a) + text[b:]
    groups: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        if any(a <= m.start - base < b for a, b in asides):
            continue
        groups.setdefault((m.start - base, m.end - base), []).append(m)
    # outer spans first; a named mention inside a kept description ("US" in "the US company") stays a word
    # "Nvidia H800", "US export controls": an owner's name that opens another name is parsed as part of it
    # (one stand-in token, the owned name's); the prefix's own relation is the word-order rules'
    for (s0, e0), group in list(groups.items()):
        if all(m.rule in ("alias-prefix", "demonym") for m in group):
            nxt = next(((s1, e1) for (s1, e1) in groups if s1 in (e0, e0 + 1) and (s1, e1) != (s0, e0)
                        and text[e0:s1] in ("", " ", "-") and not any(m.rule in _KEEP_WORDS for m in groups[(s1, e1)])),
                       None)
            if nxt is not None and (group[0].rule == "alias-prefix" or groups[nxt][0].entity.type == "Sanction"):
                groups[(s0, nxt[1])] = groups.pop(nxt)
                del groups[(s0, e0)]
    spans = sorted(groups, key=lambda se: (se[0], -se[1]))
    words: list[str] = []
    spaces: list[bool] = []
    out_spans: list[tuple[int, int, list[Mention]]] = []
    pos = 0

    def add_text(chunk: str) -> None:
        own = len(words)  # words before this chunk belong to earlier spans and stay
        stripped = chunk.lstrip()
        if words and len(stripped) < len(chunk):
            spaces[-1] = True
        for t in tokenizer(stripped):
            if t.is_space:
                if words:
                    spaces[-1] = True
                continue
            # "co-developing": a hyphenated verb the lexicon names ("co-develop") stays one word for the parser
            if len(words) >= 2 and words[-1] == "-" and not spaces[-1] and not spaces[-2] and \
                    f"{words[-2]}-{t.text}".lower() in joined:
                words[-2:] = [f"{words[-2]}-{t.text}"]
                spaces[-2:] = [bool(t.whitespace_)]
                continue
            words.append(t.text)
            spaces.append(bool(t.whitespace_))
            for n in (3, 2):
                if len(words) - n >= own and " ".join(words[-n:]).lower() in compounds:
                    del words[-n:-1], spaces[-n:-1]
                    break
            if len(words) - 3 >= own and " ".join(words[-3:]).lower() == "as well as":
                # "apply to X as well as to Y": the coordinator the small parser reads apart, as the "and" it is
                words[-3:], spaces[-3:] = ["and"], [spaces[-1]]

    i = 0
    while i < len(spans):
        start, end = spans[i]
        add_text(text[pos:start])
        group = groups[(start, end)]
        first = len(words)
        inner = [(s, e) for s, e in spans[i + 1:] if s >= start and e <= end]
        if any(m.rule in _KEEP_WORDS for m in group):
            add_text(text[start:end])
            out_spans.append((first, len(words), group))
            for s_, e_ in inner:  # inner named mentions map onto the description's words they cover
                out_spans.append(_inner_span(text, start, first, words, s_, e_, groups[(s_, e_)]))
        else:
            kind = group[0].entity.type
            word = PLACEHOLDERS.get(kind, "Microsoft")
            if group[0].rule == "alias-plural" or kind == "Chip" and group[0].text.endswith("s") and \
                    not group[0].entity.label.endswith("s"):
                word += "s"
            elif kind == "Sanction" and re.search(r"[a-z]s$", group[0].text):
                # "US export controls barred the sale": a plural is parsed as a subject, where "Medicare barred"
                # read the name as an auxiliary
                word = "Sanctions"
            elif kind == "Sanction" and (after := re.match(r"\s+(?:(?:also|now|still|already|effectively)\s+)?"
                                                          r"([a-z]+)", text[end:end + 30])) and after.group(1) in verbs:
                word = "Embargo"  # "The Entity List bars ...": "Medicare bars" is read as a compound noun
            words.append(word)
            spaces.append(end < len(text) and text[end].isspace())
            out_spans.append((first, len(words), group))
            if group[0].text.endswith("s") and text[end:end + 1] in ("'", "’") and (
                    end + 1 >= len(text) or not text[end + 1].isalnum()):
                # "Orvane Robotics' Series B": the placeholder takes the possessive its name's bare apostrophe is
                spaces[-1] = False
                words.append("'s")
                spaces.append(end + 1 < len(text) and text[end + 1].isspace())
                end += 1
        pos = end
        i += 1
        while i < len(spans) and spans[i][0] < pos:
            i += 1
    add_text(text[pos:])
    if words:
        spaces[-1] = False
    doc = Doc(tokenizer.vocab, words=words or [" "], spaces=spaces or [False])
    for tok in doc:
        tok.is_sent_start = tok.i == 0
    return Prepared(doc, sentence, out_spans)


def _inner_span(text: str, start: int, first: int, words: list[str], s: int, e: int, group: list[Mention]
                ) -> tuple[int, int, list[Mention]]:
    """The tokens of a kept description's words that an inner mention covers (by re-walking the words)."""
    pos = start
    lo = hi = None
    for k in range(first, len(words)):
        idx = text.find(words[k], pos)
        if idx < 0:
            continue
        if lo is None and idx >= s:
            lo = k
        if idx < e:
            hi = k + 1
        pos = idx + len(words[k])
    if lo is None or hi is None or hi <= lo:
        return (first, first, group)
    return (lo, hi, group)


def possessors_by_parse(prepared: Prepared) -> dict[int, Mention]:
    """ "BIS added 13 entities to its Entity List", "China's Ministry of Commerce added TechInsights, ..., to its
    Unreliable Entity List": a possessive pronoun belongs to the subject of the clause it stands in. The
    word-order guess of ``ingest.coref`` is corrected by the parse: start offset of each such pronoun -> the
    mention of that subject."""
    doc = prepared.doc
    by_token: dict[int, list[Mention]] = {}
    for first, end, group in prepared.spans:
        for i in range(first, end):
            by_token.setdefault(i, []).extend(group)
    out: dict[int, Mention] = {}
    for t in doc:
        if t.lower_ not in ("its", "their") or t.dep_ != "nmod:poss":
            continue
        pron = [m for m in by_token.get(t.i, []) if m.rule == "coref"]
        if not pron:
            continue
        v = t.head
        in_appos = False
        for _ in range(4):
            in_appos = in_appos or v.dep_ == "appos"
            if v.pos_ in ("VERB", "AUX") or v.head.i == v.i:
                break
            v = v.head
        if in_appos:
            continue  # "Kunlunxin, its chip unit, grew": the apposition's "its" is someone else's
        if v.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "cop" for c in v.children):
            continue  # "Lenovo is its largest shareholder": a predicate noun's "its" is not its subject's
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i < t.i]
        for c in subj:
            for m in by_token.get(c.i, []):
                if m.rule not in _MODIFIER_RULES and m.entity.type in ("Company", "GovernmentBody", "Country") and \
                        m.entity.iri != pron[0].entity.iri and (m.entity.type != "Country" or m.rule == "metonym"):
                    out[pron[0].start] = m
    return out


def _map(prepared: Prepared, article: str, lex: Lexicon) -> _Sentence:
    doc = prepared.doc
    s = _Sentence(doc, prepared.sentence, article, lex)
    for first, end, group in prepared.spans:
        if end <= first:
            continue
        span = doc[first:end]
        head = span.root.i
        for t in span:
            s.by_token.setdefault(t.i, []).extend(group)
            s.head_of.setdefault(t.i, head)
    return s


# ---- resolving a role token to the entities it names ------------------------------------------------------

def _case(tok: Token) -> str:
    """The preposition(s) a nominal is introduced by: "on", "such as", "according to"."""
    words = [c.lower_ for c in tok.children if c.dep_ in ("case", "mark") and c.i < tok.i]
    fixed = [g.lower_ for c in tok.children if c.dep_ == "case" for g in c.children if g.dep_ == "fixed"]
    return " ".join(words + fixed)


def _appos_anchor(s: _Sentence, n: Token) -> list[Mention]:
    """ "Step-3, the open-weight model StepFun released": the name right before the comma that opens the noun
    phrase of ``n`` (the parser often misses appositions; word order does not)."""
    left = min([n.i, *[c.left_edge.i for c in n.children if c.i < n.i]])
    if left >= 2 and s.doc[left - 1].text == "," and s.doc[left].lower_ in ("the", "a", "an", "its", "their") \
            or left >= 2 and s.doc[left - 1].text == "," and s.doc[left].tag_ in ("JJ", "JJS", "NN", "VBN"):
        return s.mentions_at(s.doc[left - 2])
    return []


def _entities(s: _Sentence, tok: Token, depth: int = 0, conj: bool = True, holders: bool = False) -> list[Mention]:
    """The mentions a role filled by ``tok`` names (and those coordinated with it).

    ``holders``: look through container nouns too ("a cluster of H800s" is the H800 for chip use, but a company
    that "operates a cluster" of them does not make them).
    """
    found = _entities_one(s, tok, depth, holders)
    if conj:
        for c in tok.children:
            if c.dep_ == "conj" or c.dep_ in ("nmod", "obl") and _case(c) in s.lex.list_markers and found:
                found += _entities(s, c, depth, conj=True, holders=holders)
            elif c.dep_ == "appos" and found:  # "The L40S, a Nvidia card, and the RTX 4090": the list goes on
                for cc in c.children:
                    if cc.dep_ == "conj":
                        found += _entities(s, cc, depth, conj=True, holders=holders)
    return found


_TIME_NOUNS = {"year", "month", "week", "quarter", "day", "spring", "summer", "autumn", "fall", "winter", "time"}


def _entities_one(s: _Sentence, tok: Token, depth: int, holders: bool) -> list[Mention]:
    here = s.mentions_at(tok)
    if here:
        return here
    if depth > 3:
        return []
    low = tok.lower_
    if low in _REL_PRONOUNS and tok.pos_ in ("PRON", "DET", "SCONJ"):
        rel = tok
        while rel.dep_ not in ("acl:relcl", "appos") and rel.head.i != rel.i:
            rel = rel.head  # ("Eddie Wu, who is chief executive ...": the parser may hang the clause as an apposition)
        if rel.dep_ in ("acl:relcl", "appos"):
            head = rel.head
            if tok.i > 0 and s.doc[tok.i - 1].text == "," and (
                    head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children)):
                # "Blackwell processors or its Rubin chips, which remain barred", "the A800 and H800, which it
                # designed": every item of the list
                first = _first_conjunct(head)
                return _entities(s, first, depth + 1, conj=True, holders=holders)
            return _entities(s, head, depth + 1, conj=False, holders=holders)
        # "Orvane, in which Xiaomi holds a stake, said": the parser hung the clause on the main verb; the name
        # before the comma is what the pronoun stands for
        j = tok.i - 1 - sum(1 for c in tok.children if c.dep_ == "case" and c.i == tok.i - 1)
        if j >= 1 and s.doc[j].text == ",":
            return _entities(s, s.doc[j - 1], depth + 1, conj=False, holders=holders)
        return []
    if tok.pos_ not in ("NOUN", "PROPN", "NUM", "X", "PRON", "SYM", "ADJ"):
        return []
    if low in _TIME_NOUNS and any(c.lower_ in ("last", "this", "next", "that") for c in tok.children):
        # "hit the H20 last year": the parser may take the name for a modifier of the time phrase after it
        return [m for c in tok.children if c.dep_ == "compound" for m in s.mentions_at(c)]
    lemma = tok.lemma_.lower()
    activity = low in s.lex.activities or lemma in s.lex.activities
    # "$5bn of A800 processors", "2,000 of them"; but "20.1% of SK Hynix" is a share of it, not it
    money = (tok.pos_ in ("SYM", "NUM") or tok.tag_ == "$") and low not in ("%", "percent") and not any(
        c.lower_ in ("%", "percent") for c in tok.children)
    transparent = money or activity or low in s.lex.transparent or lemma in s.lex.transparent or holders and (
        low in s.lex.containers or lemma in s.lex.containers)
    kind = s.lex.kind_of_noun.get(low) or s.lex.kind_of_noun.get(lemma) or (
        "Person" if low in s.lex.ceo_titles or low in s.lex.other_titles else None)  # "founder Yang Zhilin"
    if kind and (low in s.lex.containers or lemma in s.lex.containers) and not holders:
        return []  # "operates a cluster of A100s": the chips are used, not made
    if not transparent and kind is None and (low in s.lex.nouns or lemma in s.lex.nouns):
        # "leads rival xAI", "its partner Lenovo": a relational noun with a name beside it means that name
        named = [m for c in tok.children if c.dep_ in ("compound", "flat", "appos") for m in s.mentions_at(c)]
        if named:
            return named
    if not transparent and kind is None:
        # "Big buyers including Tencent, Alibaba and ByteDance": the listed names are who the noun means
        return [m for c in tok.children if c.dep_ in ("nmod", "acl", "appos") and _case(c) in s.lex.list_markers
                for m in _entities(s, c, depth + 1, holders=holders)]
    out: list[Mention] = []
    # "Nvidia parts such as the H100": the listed names are what the noun means, its brand is not
    listed = any(c.dep_ == "nmod" and _case(c) in s.lex.list_markers and _entities(s, c, depth + 1)
                 for c in tok.children)
    for c in tok.children:
        if listed and c.dep_ == "compound" and all(m.entity.type == "Company" for m in s.mentions_at(c)):
            continue
        if c.dep_ in ("compound", "flat", "appos", "amod", "nummod") or c.dep_.startswith("compound"):
            # "Nvidia H800 processors", "a Nvidia card": a company before a product noun is its brand, not it;
            # "its M1 reasoning model": the name may hang on a compound of the noun
            named = s.mentions_at(c) or ([m for cc in c.children if cc.dep_.startswith("compound") and cc.i < c.i
                                          for m in s.mentions_at(cc)] if c.dep_.startswith("compound") else [])
            out += [m for m in named if (kind is None or transparent or m.entity.type == kind)
                    and not (m.entity.type == "Company" and kind != "Company" and c.dep_ != "appos"
                             and not (low in s.lex.transparent or lemma in s.lex.transparent))]
            if money and c.dep_ == "nummod" and not named:  # "$ 5bn of A800s": the amount's own "of"
                out += [m for cc in c.children if cc.dep_ == "nmod" and _case(cc) == "of"
                        for m in _entities(s, cc, depth + 1, holders=holders)]
        elif c.dep_ == "nmod" and _case(c) in ("of", "from", "such as", "including", "like", "") and not (
                low in s.lex.nouns and _case(c) == "of") or (c.dep_ == "nmod:poss" and activity):
            # ("the venture arm of Saudi Aramco" is not Saudi Aramco: a relational noun's "of" is its owner)
            out += [m for m in _entities(s, c, depth + 1, holders=holders)
                    if kind is None or transparent or m.entity.type == kind]
    if not out and kind:  # "a chatbot called Lumi", "a model named Heron"
        out = [m for c in tok.children if c.dep_ in ("acl", "acl:relcl") and c.lower_ in (
            "called", "named", "dubbed", "branded", "known") for g in c.children if g.dep_ in ("xcomp", "obj", "obl",
                                                                                            "nsubj:pass")
               for m in s.mentions_at(g) if m.entity.type == kind or kind is None]
    if out:
        return out
    if kind and tok.dep_ == "appos":
        return _entities(s, tok.head, depth + 1, conj=False, holders=holders)
    if kind:
        anchor = _appos_anchor(s, tok)
        if anchor:
            return anchor
        for c in tok.children:  # "X is the model that ...": a predicate noun stands for its subject
            if c.dep_ in ("nsubj", "nsubj:pass") and any(k.dep_ == "cop" for k in tok.children):
                return _entities(s, c, depth + 1)
    return []


# ---- clause scope: negation, hedging, comparison ---------------------------------------------------------

def _word(tok: Token) -> str:
    """The token lower-cased, unless it is capitalised inside the sentence ("May" the month is not "may")."""
    return tok.text if tok.i > 0 and tok.text[:1].isupper() and not tok.text.isupper() else tok.lower_


def _cue_words(tok: Token) -> list[str]:
    """Words at ``tok`` that can cancel or weaken it: itself, its auxiliaries, adverbs, negation, marker."""
    words = [_word(tok)]
    for c in tok.children:
        if c.dep_ in ("aux", "aux:pass", "advmod", "neg", "mark", "discourse", "cop", "det") or c.lower_ in (
                "not", "never", "n't"):
            words.append(_word(c))
            if c.dep_ == "advmod":
                words += [g.lower_ for g in c.children if g.dep_ == "advmod"]  # "no longer"
        if c.dep_ == "xcomp" and c.i < tok.i:
            words.append(c.lower_)
        if c.dep_ in ("compound:prt", "prt"):  # "called the deal off"
            words.append(f"{tok.lower_} {c.lower_}")
    return words


def blocked(tok: Token, lex: Lexicon, comparison: bool = False, allowed: frozenset[str] = frozenset()
            ) -> str | None:
    """The cue that cancels or weakens the clause of ``tok`` ("denied", "could", "if", "plans to"), if any;
    ``allowed`` cues are passed over ("agreed to" states a deal), so "may agree to" is still hedged.

    Looks at the token and up its chain of heads through verbs it complements (``xcomp``, ``ccomp``,
    ``advcl``, ``conj``), never into a relative clause or an apposition it does not belong to.
    """
    cur = tok
    for _ in range(6):
        words = _cue_words(cur)
        for i, w in enumerate(words):
            if (w in lex.negation or w in lex.hedge or (comparison and w in lex.comparison)) and w not in allowed:
                return w
            pair = f"{w} {words[i + 1]}" if i + 1 < len(words) else ""
            if (pair in lex.negation or pair in lex.hedge) and pair not in allowed:
                return pair
        # "plans to buy": the governing verb and "to" make the cue
        if cur.dep_ in ("xcomp", "advcl") and f"{cur.head.lower_} to" in lex.hedge and \
                f"{cur.head.lower_} to" not in allowed:  # "plans to", "close to"
            return f"{cur.head.lower_} to"
        if cur.dep_ in ("obj", "obl") and cur.pos_ in ("NOUN", "PROPN") and cur.head.pos_ in ("VERB", "AUX"):
            cur = cur.head  # "did not sign a partnership": the event noun's verb carries the cue
            continue
        if cur.dep_ in ("obl", "nmod", "pcomp") and cur.pos_ == "VERB" and cur.head.i != cur.i:
            cur = cur.head  # "the rumour that Apple kicked the tyres on buying Mistral"
            continue
        if cur.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "acl", "csubj") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _unsure(tok: Token, lex: Lexicon) -> str | None:
    for c in tok.children:
        if c.dep_ in ("amod", "advmod", "compound", "nmod:poss") and c.lower_ in _UNSURE_ADJ | lex.not_current:
            return c.lower_
    return None


# ---- verbs -----------------------------------------------------------------------------------------------

_STATIVE = {"remain", "remains", "remained", "remaining", "stay", "stays", "stayed", "be", "is", "are", "was", "were",
            "been", "become", "becomes", "became", "seem", "seems", "seemed", "appear", "appears", "get", "gets", "got"}


def _passive(v: Token) -> bool:
    if any(c.dep_ in ("aux:pass", "nsubj:pass", "obl:agent") for c in v.children):
        return True
    if any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had", "'ve", "having") for c in v.children):
        return False  # "while Google has committed $2bn": a perfect, not a passive
    if v.tag_ == "VBN" and v.dep_ == "xcomp" and v.head.lower_ in _STATIVE:  # "which remain barred under ..."
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "amod", "advcl", "appos") or (
        v.tag_ == "VBN" and any(c.dep_ == "obl" and _case(c) == "by" for c in v.children)
        and not any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in v.children))


def _particles_match(v: Token, words: tuple[str, ...]) -> bool:
    if len(words) == 1:
        return True
    doc = v.doc
    rest = list(words[1:])
    nxt = [doc[i].lower_ for i in range(v.i + 1, min(len(doc), v.i + 1 + len(rest)))]
    if nxt == rest:
        return True
    prts = [c.lower_ for c in v.children if c.dep_ in ("compound:prt", "prt")]
    return prts == rest


def _agent(s: _Sentence, v: Token, passive: bool) -> list[Token]:
    if passive:
        for c in v.children:
            if c.dep_ == "obl:agent" or c.dep_ in ("obl", "nmod") and _case(c) == "by":
                return [c]
        return []
    subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
    if subj:
        return subj
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):  # "X launched A and has been pushing B"
        return _agent(s, v.head, _passive(v.head)) if not _passive(v.head) else []
    if v.dep_ == "conj" and any(c.dep_ == "cop" for c in v.head.children):
        # "who is chief executive of A and also serves as chairman of B": the subject of the copular clause
        return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubj:pass")]
    if v.dep_ in ("xcomp",):
        obj = [c for c in v.head.children if c.dep_ == "obj"]
        return obj or _agent(s, v.head, _passive(v.head))
    if v.dep_ in ("acl", "acl:relcl") and v.tag_ in ("VBG", "VBZ", "VBP", "VBD"):  # "firms using H20s"
        return [v.head]
    if v.dep_ == "advcl" and v.tag_ == "VBG":
        # "with Baidu also joining the round": an absolute "with" phrase hung beside the verb is its subject
        with_ = [c for c in v.head.children if c.dep_ in ("obl", "nmod") and _case(c) == "with" and c.i < v.i and
                 any(x.text == "," and x.i < c.i for x in c.doc[max(0, c.left_edge.i - 1): c.i]) and
                 not any(x.dep_ in ("obl", "obj", "nmod") and x.i < v.i for x in v.head.children if x.i > c.i)]
        if with_:
            return with_
        return _agent(s, v.head, _passive(v.head))  # ", using Nvidia chips": the main clause's subject
    return []


def _theme(s: _Sentence, v: Token, passive: bool) -> list[Token]:
    if passive:
        subj = [c for c in v.children if c.dep_ in ("nsubj:pass", "nsubj")]
        if subj:
            return subj
        if v.dep_ in ("acl", "amod", "appos"):
            # "the model built by X"; "The X2 is a 5nm chip for cars, designed by Y": the copula's subject (a
            # participle after a comma qualifies the noun phrase, not the noun of its last preposition)
            head = v.head
            if v.i > 0 and v.doc[v.i - 1].text == "," and head.dep_ in ("nmod", "obl") and head.i < v.i:
                head = head.head
            if any(c.dep_ == "cop" for c in head.children):
                subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass")]
                if subj:
                    return subj
            return [head] if head is not v.head and s.mentions_at(head) else [v.head]
        if v.dep_ == "xcomp" and v.head.lower_ in _STATIVE:  # "the chips, which remain barred"
            return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if v.dep_ == "advcl" and v.tag_ == "VBN":  # "AMD, led by Lisa Su, competes ...": the main subject
            return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if v.dep_ == "conj":  # "YMTC makes NAND flash and was added to the list": the first verb's subject
            return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubj:pass")] or (
                _theme(s, v.head, True) if _passive(v.head) else [])
        return []
    obj = [c for c in v.children if c.dep_ in ("obj", "iobj")]
    if obj and all(c.pos_ == "NUM" and not s.mentions_at(c) for c in obj):
        # "ship 9,000 of its accelerators to X": the parser may hang the count and its "of" phrase apart on the verb
        of = [c for c in v.children if c.dep_ == "obl" and _case(c) == "of" and c.i > obj[-1].i]
        if of:
            return obj + of[:1]
    if obj:
        return obj
    if v.dep_ == "acl:relcl":  # "processors that Kuaishou bought", "the model Kuaishou built"
        return [v.head]
    # "ordered about $5bn of A800 processors": the parser hung the amount on the verb as an oblique
    return [c for c in v.children if c.dep_ == "obl" and not _case(c) and (c.pos_ in ("SYM", "NUM") or c.tag_ == "$")]


def _prep(s: _Sentence, v: Token, prep: str, theme: list[Token]) -> list[Token]:
    out = [c for c in v.children if (c.dep_ in ("obl", "obl:agent", "nmod", "obj", "advmod", "xcomp") or
                                     c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))  # "to X and to Y"
           and _case(c) == prep]
    if not out:  # the phrase attached to the object noun: "bought chips from X", "trained R1 on H800s"
        for t in theme:
            out += [c for c in t.children if c.dep_ in ("nmod", "obl") and _case(c) == prep]
    if not out and v.dep_ == "acl:relcl" and prep in ("on", "in", "to", "with", "for", "into"):
        # "the chips that the model runs on": the stranded preposition's object is the relative's head
        if any(c.lower_ == prep and c.dep_ in ("obl", "compound:prt", "case", "prt") for c in v.children):
            out = [v.head]
    return out


def _marker_before_with(c: Token, markers: tuple[str, ...]) -> bool:
    """ "together with X", "along with X": the word before the "with" of ``c`` makes a list marker of it, wherever
    the parser hung that word."""
    case = [k for k in c.children if k.dep_ == "case" and k.lower_ == "with"]
    return bool(case) and case[0].i > 0 and f"{c.doc[case[0].i - 1].lower_} with" in markers


def _role(s: _Sentence, v: Token, role: str, passive: bool) -> list[Token]:
    if "|" in role:  # "agent|under": any of these roles
        return [t for r in role.split("|") for t in _role(s, v, r, passive)]
    theme = _theme(s, v, passive)
    if role == "agent":
        return _agent(s, v, passive)
    if role == "theme":  # "added it along with SenseTime and Megvii": the list goes on after the verb
        # (or after a phrase of the verb, where the parser may hang it: "added X to the list in May, along with Y")
        phrases = [c for c in v.children if c.dep_ == "obl" and c not in theme] + theme
        return theme + [c for c in [*v.children, *(g for p in phrases for g in p.children if g.dep_ == "nmod"
                                                   and _case(g) in s.lex.list_markers)]
                        if theme and c.dep_ in ("obl", "nmod", "advmod") and (
            _case(c) in s.lex.list_markers or _case(c) == "with" and c.i > 0 and  # "along with", parsed apart
            _marker_before_with(c, s.lex.list_markers) or any(
                f"{x.lower_} with" in s.lex.list_markers and x.i < c.i for x in v.children if x.dep_ == "advmod"))]
    if role in ("@round", "@stake"):
        words = s.lex.rounds if role == "@round" else s.lex.stakes
        out: list[Token] = []
        # the round or stake is the object, or (when the parser made the amount the object: "led a $1 billion
        # round in X") a phrase beside it
        holders = list(theme) + [c for c in v.children if c.dep_ in ("obl", "nmod", "advmod") and (
            c.lower_ in words or c.lemma_.lower() in words) and c not in theme]
        def rounds_word(t: Token) -> bool:
            # "Series C" with the letter as the head: its compound is the round's word
            return t.lower_ in words or t.lemma_.lower() in words or role == "@round" and any(
                c.dep_ in ("compound", "flat") and c.lower_ in words and c.i < t.i for c in t.children)

        # "led X's $300 million Series B": the parser may make the amount the object and the round its apposition
        amounts = [t for t in holders if (t.tag_ == "$" or t.pos_ == "NUM")]
        if role == "@round" and v.dep_ == "acl" and theme and theme[0] in amounts:
            # "raised $200m in a round co-led by X": the parser may hang the participle on the amount
            holders += [c for c in theme[0].children if c.dep_ == "nmod" and rounds_word(c)]
        if role == "@round" and not any(rounds_word(t) or s.mentions_at(t) or t in amounts and any(
                c.dep_ in ("appos", "flat", "conj") and rounds_word(c) for c in t.children) for t in holders):
            holders = []  # "taking part": the object is the idiom's own word
        if role == "@round" and not holders and s.mentions_at(v):
            return [v]  # "Tencent also participated.": the round of the sentences before, on the verb (ingest.coref)
        if role == "@round" and not holders and v.dep_ in ("advcl", "conj") and (
                v.head.lemma_.lower() in _RAISE or v.head.lower_ in _RAISE):
            return _agent(s, v.head, _passive(v.head))  # "X raised $30m from Y, with Z also taking part"
        if role == "@round" and not holders:
            # "Tencent and Qiming also taking part" in "a round led by X, with ... taking part": the round this
            # clause hangs on; "took part in that round": the round after the preposition
            up = v.head
            for _ in range(3):
                if (up.lower_ in words or up.lemma_.lower() in words) and up.pos_ in ("NOUN", "PROPN"):
                    holders.append(up)
                    break
                up = up.head
            if not holders and v.dep_ in ("conj", "advcl") and v.head.i != v.i:
                # "raised $600m in a round led by X, with Tencent also taking part": the round of the main clause
                holders += [c for c in v.head.children if c.dep_ in ("obl", "obj") and (
                    c.lower_ in words or c.lemma_.lower() in words)]
        for t in holders:
            for x in [t, *[c for c in t.children if c.dep_ == "conj" or t in amounts and c.dep_ in ("appos", "flat")
                           and rounds_word(c)]]:
                at = s.mentions_at(x) if role == "@round" else []
                if rounds_word(x) or at:
                    if at:  # "led the round" resolved to the company it funds (ingest.coref)
                        out.append(x)
                        continue
                    # "X's $300 million Series B": the possessor may hang on the amount before the round's word
                    owners = [x, *[c for c in x.children if c.dep_ == "compound"], *amounts]
                    funded = [c for o in owners for c in o.children if c.i != x.i and (
                        c.dep_ in ("nmod", "nmod:poss") and _case(c) in ("in", "of", "for", "into", "")
                        or c.dep_ == "compound" and any(g.dep_ == "case" and g.lower_ in ("'s", "’s")
                                                        for g in c.children))]
                    if not funded and role == "@round" and x.dep_ in ("obl", "obj") and (
                            x.head.lemma_.lower() in _RAISE or x.head.lower_ in _RAISE):
                        funded = _agent(s, x.head, _passive(x.head))  # "StepFun raised $600m in a round led by"
                    if not funded and role == "@round" and x.dep_ == "nmod" and x.head in amounts and \
                            x.head.dep_ in ("obj", "obl") and (x.head.head.lemma_.lower() in _RAISE or
                                                               x.head.head.lower_ in _RAISE):
                        funded = _agent(s, x.head.head, _passive(x.head.head))  # "raised $5m in a round ..."
                    if not funded and x.head.i in (v.i, v.head.i):
                        # "led a round in X" with "in X" hung on the verb; "led the round in X, with B joining"
                        funded = [c for c in x.head.children if c.dep_ in ("obl", "nmod") and _case(c) in (
                            "in", "into")]
                    if not funded and role == "@round":
                        # "raised $50 million from Tencent, with Baidu also joining the round": the raise the
                        # clause hangs on says who was funded
                        up = v
                        for _ in range(3):
                            if up.head.i == up.i:
                                break
                            up = up.head
                            if up.lemma_.lower() in _RAISE or up.lower_ in _RAISE:
                                funded = _agent(s, up, _passive(up))
                                break
                    if not funded and role == "@stake" and x.lower_ in ("%", "percent") and x.head.i == v.i and \
                            s.topic is not None and not any(c.dep_ in ("obl", "nmod") for c in x.children):
                        # "Meituan owns 5.1%, and Baidu holds 3%" in a paragraph about a company's
                        # shareholders: a bare share of the company the article is about (its topic)
                        s.by_token[x.i] = [s.topic]
                        out.append(x)
                        continue
                    out += funded
        return out
    return _prep(s, v, role, theme)


def _counted_plural(s: _Sentence, tok: Token) -> bool:
    """ "140 entities", "five Chinese start-ups", "dozens of companies": a counted plural of company nouns that
    names no one."""
    if s.mentions_at(tok) or tok.tag_ not in ("NNS", "NNPS"):
        return False
    low, lemma = tok.lower_, tok.lemma_.lower()
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":  # "start-ups": the tokenizer splits at the hyphen
        low = f"{doc[tok.i - 2].lower_}-{low}"
        lemma = low[:-1] if low.endswith("s") else low
    if s.lex.kind_of_noun.get(low) not in ("Company", "Chip") and s.lex.kind_of_noun.get(lemma) not in (
            "Company", "Chip") and lemma not in ("entity", "organisation", "organization", "party"):
        return False
    counted = any(c.dep_ == "nummod" or c.lower_ in ("several", "many", "dozens", "hundreds", "more", "some")
                  for c in tok.children)
    return counted or (tok.dep_ == "nmod" and tok.head.lower_ in ("dozens", "hundreds", "scores", "number"))


def _made_for_other(s: _Sentence, v: Token, subject: Mention) -> bool:
    """Whether the verb (or its object) has "for <another company>" ("making the H20 for Nvidia")."""
    heads = [v, *[c for c in v.children if c.dep_ == "obj"]]
    return any(m.entity.type == "Company" and m.entity.iri != subject.entity.iri
               for h in heads for c in h.children if c.dep_ in ("obl", "nmod") and _case(c) == "for"
               for m in _entities(s, c))


def _owned_by_other(s: _Sentence, product: Mention, subject: Mention) -> bool:
    """Whether the sentence gives ``product`` another owner: a possessor or brand name before it ("Nvidia's
    Blackwell", "Nvidia H800") that is not ``subject``."""
    for i, ms in s.by_token.items():
        if product not in ms:
            continue
        tok = s.doc[i]
        holders = [tok] + ([tok.head] if tok.dep_ in ("compound", "flat", "amod") else [])  # "Nvidia's Blackwell GPUs"
        for c in (c for h in holders for c in h.children):
            for m in s.mentions_at(c):
                if c.dep_ in ("nmod:poss", "compound") and m.entity.type == "Company" and m.entity.iri != \
                        subject.entity.iri and c.i < tok.i:
                    return True
    return False


def _near_miss(s: _Sentence, frame: str, trigger: Token, predicate: str, subs: list[Mention], objs: list[Mention]
               ) -> None:
    """Record, for ``--trace``, a frame whose word is in the sentence but whose roles are not both filled by
    names of the right kinds: why a fact the reader sees was not taken."""
    if s.near is None:
        return
    fits_s = [m for m in subs if m.entity.type in SUBJECT_TYPES[predicate]]
    fits_o = [m for m in objs if m.entity.type in OBJECT_TYPES[predicate]]
    if bool(fits_s) == bool(fits_o):
        return  # both filled (it fired), or neither (the word meant something else here)
    missing = " and ".join(x for x, ok in (("subject", fits_s), ("object", fits_o)) if not ok)
    s.near.append({"frame": frame, "trigger": trigger.text, "predicate": predicate, "missing": missing,
                   "found": sorted({m.entity.label for m in subs + objs})})


def _verb_facts(s: _Sentence, v: Token, frames: list[VerbFrame]) -> Iterator[tuple[Mention, str, Mention, str, Token]]:
    passive = _passive(v)
    for frame in frames:
        if frame.voice == "passive" and not passive or frame.voice == "active" and passive:
            continue
        if frame.predicate == "ceoOf" and not passive and (v.tag_ == "VBD" or any(
                c.dep_ == "aux" and c.lower_ == "had" for c in v.children)):
            continue  # "Wennink, who ran the company for a decade": a chief executive no more
        if not _particles_match(v, frame.words):
            continue
        holders = frame.predicate in ("usesChip", "subjectTo")
        subs = [m for t in _role(s, v, frame.subject, passive) for m in _entities(s, t, holders=holders)]
        objs = [m for t in _role(s, v, frame.object, passive) for m in _entities(s, t, holders=holders)]
        if not subs and frame.predicate == "subjectTo" and frame.subject == "theme" and not passive:
            # "The list bars pension funds from holding bonds of Hikvision", "bans firms from selling to Huawei":
            # the restriction reaches what the barred activity is done to
            subs = [m for t in [v, *_role(s, v, "theme", passive)] for c in t.children
                    if c.dep_ in ("advcl", "acl") and any(k.lower_ == "from" and k.dep_ == "mark" for k in c.children)
                    for o in c.children if o.dep_ in ("obj", "obl")
                    for m in _entities(s, o, holders=True) or [  # "the securities of companies such as X"
                        x for n in o.children if n.dep_ == "nmod" and _case(n) in ("of", "in")
                        for x in _entities(s, n, holders=True)]
                    if m.entity.type in ("Company", "Chip")]
        if not subs and frame.predicate == "usesChip":
            # "Baidu's servers run Kunlun cards": what holds chips stands for the company that owns it
            subs = [m for t in _role(s, v, frame.subject, passive)
                    if t.lower_ in s.lex.containers or t.lemma_.lower() in s.lex.containers
                    for c in t.children if c.dep_ == "nmod:poss" for m in s.mentions_at(c)
                    if m.entity.type == "Company"]
        if len(frame.words) == 2 and "theme" in (frame.subject, frame.object) and not passive:
            # "switched on a cluster of P800 chips": the particle parsed as the object's preposition
            theme = [m for c in v.children if c.dep_ == "obl" and _case(c) == frame.words[1]
                     for m in _entities(s, c, holders=holders)]
            if frame.object == "theme" and not objs:
                objs = theme
            elif frame.subject == "theme" and not subs:
                subs = theme
        if not objs and passive and frame.predicate == "subjectTo" and "agent" in frame.object and s.recent:
            # "Washington tightened the rules, and the A800 and H800 were barred as well": barred by the
            # restriction just named (in this sentence, before the verb, or in the one before)
            objs = [s.recent]
        elif not objs and frame.predicate == "subjectTo" and s.recent and not passive and any(
                m.entity.type in ("GovernmentBody", "Country") for t in _agent(s, v, False) for m in _entities(s, t)):
            # "when the Commerce Department added it along with SenseTime": a government adding, targeting or
            # barring a company does so under the restriction the text is about
            objs = [s.recent]
        _near_miss(s, frame.name, v, frame.predicate, subs, objs)
        if bool(subs) != bool(objs):
            role = frame.subject if not subs else frame.object
            if any(_counted_plural(s, t) for t in _role(s, v, role, passive)) and not blocked(v, s.lex):
                for m in subs or objs:
                    s.pending.append(Pending(frame.predicate, "subject" if not subs else "object", m, frame.name))
        if not subs:
            continue
        kinds = frame.objects or OBJECT_TYPES[frame.predicate]
        for a in subs:
            if a.entity.type not in SUBJECT_TYPES[frame.predicate]:
                continue
            for b in objs:
                if b.entity.type not in kinds:
                    continue
                if frame.predicate == "develops" and (_owned_by_other(s, b, a) or _made_for_other(s, v, a)):
                    # "TSMC makes Nvidia's Blackwell GPUs", "TSMC has been making the H20 for Nvidia": made for
                    # another company, a chip is manufactured, not developed, by the maker
                    if b.entity.type == "Chip" and any(f.predicate == "manufactures" for f in s.lex.verbs.get(
                            v.lower_, [])):
                        yield a, "manufactures", b, frame.name + ":made-for", v
                    continue
                if frame.predicate == "develops" and passive and b.entity.type == "Chip" and any(
                        f.predicate == "manufactures" for f in s.lex.verbs.get(v.lower_, [])):
                    continue  # "its AI5 will be built by TSMC": a chip built by a company is manufactured by it
                yield a, frame.predicate, b, frame.name, v


# ---- nouns -----------------------------------------------------------------------------------------------

def _role_verb(s: _Sentence, v: Token) -> bool:
    """Whether ``v`` puts its subject in a role (the lexicon's ``role_verbs``: "serves as", "took over as")."""
    words = {v.lower_, f"{v.lower_} {v.doc[v.i + 1].lower_}" if v.i + 1 < len(v.doc) else ""}
    words |= {f"{a.lower_} {v.lower_}" for a in v.children if a.dep_ in ("aux", "aux:pass")}
    return bool(words & s.lex.role_verbs) or v.lemma_.lower() in {w.split()[0] for w in s.lex.role_verbs}


def _first_conjunct(n: Token) -> Token:
    while n.dep_ == "conj" and n.head.i != n.i:
        n = n.head
    return n


def _noun_head(s: _Sentence, n: Token) -> list[Mention]:
    """The entity a relational noun phrase stands for: "Y, the developer of X" -> Y."""
    # (a company on a title is the role's implied owner, "who took over as chief executive": not its head)
    own = [m for m in s.mentions_at(n) if not (m.rule == "coref" and m.entity.type == "Company" and
                                               (n.lower_ in s.lex.ceo_titles or n.lower_ in s.lex.other_titles))]
    if own:
        return own
    first = _first_conjunct(n)
    for x in (n, first) if first is not n else (n,):
        if x.dep_ == "appos":
            got = _entities(s, x.head, conj=False)
            if got:
                return got
        got = _appos_anchor(s, x)
        if got:
            return got
        got = [m for c in x.children if c.dep_ == "appos" for m in _entities(s, c)]
        if got:
            return got
        if any(c.dep_ == "cop" for c in x.children):
            got = [m for c in x.children if c.dep_ in ("nsubj", "nsubj:pass") for m in _entities(s, c)]
            if got:
                return got
        if x.dep_ in ("compound", "flat", "nmod", "amod") and s.mentions_at(x.head):  # "chief executive Jensen Huang"
            return s.mentions_at(x.head)
        got = [m for c in x.children if c.dep_ in ("flat", "compound") and c.i > x.i for m in s.mentions_at(c)]
        if got:
            return got
        # "X's rivals include A and B", "its main rival is B"
        if x.dep_ == "nsubj" and x.head.lower_ in _LIST_VERBS:
            got = [m for c in x.head.children if c.dep_ in ("obj", "attr") for m in _entities(s, c)]
            if got:
                return got
        if x.dep_ == "nsubj" and any(c.dep_ == "cop" for c in x.head.children):
            got = _entities(s, x.head)
            if got:
                return got
        got = [m for c in x.children if c.dep_ in ("nmod", "acl") and _case(c) in (
            "such as", "including", "like", "notably", "especially", "among") for m in _entities(s, c)]
        if got:
            return got
        # "Ren, who founded Huawei and remains its chief executive": the subject of the role verb
        if x.dep_ in ("xcomp", "obj") and _role_verb(s, x.head) and not _case(x):
            got = [m for t in _agent(s, x.head, _passive(x.head)) for m in _entities(s, t)]
            if got:
                return got
        # "Microsoft counts Nvidia as a partner": the object of the governing verb
        if _case(x) == "as" and x.dep_ in ("obl", "xcomp", "advcl"):
            got = [m for c in x.head.children if c.dep_ == "obj" for m in _entities(s, c)]
            if got:
                return got
            if _role_verb(s, x.head):  # "Y, who serves as chief executive"
                return [m for t in _agent(s, x.head, _passive(x.head)) for m in _entities(s, t)] or [
                    m for t in _theme(s, x.head, True) for m in _entities(s, t)]
    return []


def _noun_owner(s: _Sentence, n: Token) -> list[Mention]:
    """Whose the relational noun is: "X's rival", "the OpenAI challenger", "Alibaba unit T-Head"."""
    implied = [m for m in s.by_token.get(n.i, []) if m.rule in ("coref", "implicit") and m.entity.type == "Company"]
    named_inside = any(m.rule not in ("coref", "implicit") and m.entity.type in ("AIModel", "Chip", "Product")
                       for c in n.children if c.i < n.i for m in s.by_token.get(c.i, []))
    if implied and not named_inside:  # "who took over as chief executive": the role word stands for the company
        return implied  # (ingest.coref); but "the Claude maker" is a company described by what it makes
    first = _first_conjunct(n)
    for x in (n, first) if first is not n else (n,):
        got = [m for c in x.children if c.dep_ == "nmod:poss" for m in _entities(s, c)]
        got += [m for c in x.children if c.dep_ in ("compound", "amod") and c.i < x.i for m in s.mentions_at(c)]
        if got:
            return got
    if _case(n) == "as" and not _role_verb(s, n.head):  # "X counts Y as a partner"
        return [m for t in _agent(s, n.head, _passive(n.head)) for m in _entities(s, t)]
    return []


def _noun_prep(s: _Sentence, n: Token, prep: str) -> list[Mention]:
    first = _first_conjunct(n)
    out = []
    for x in (n, first) if first is not n else (n,):
        out += [m for c in x.children if c.dep_ in ("nmod", "obl", "acl") and _case(c) == prep
                for m in _entities(s, c)]
        if out:
            break
    if not out and n.dep_ == "obj" and n.head.pos_ in ("VERB", "AUX"):
        # "struck partnerships with A and B": the parser hung the preposition on the verb
        out = [m for c in n.head.children if c.dep_ in ("obl", "nmod") and _case(c) == prep and c.i > n.i
               for m in _entities(s, c)]
    if not out and prep == "with":  # "Alibaba confirms Apple deal", "a $100bn OpenAI pact": the party before
        out = [m for c in n.children if c.dep_ == "compound" and c.i < n.i for m in s.mentions_at(c)
               if m.entity.type == "Company"]
    return out


def _noun_agent(s: _Sentence, n: Token) -> list[Mention]:
    """Who has, makes or takes an event noun: its possessor, or the subject of the verb governing it (before a
    name compounded with the noun: "Tencent signed the Lenovo partnership" is Tencent's, with Lenovo)."""
    owner = _noun_owner(s, n)
    if owner and any(c.dep_ == "nmod:poss" for c in n.children) or owner and n.dep_ not in ("obj", "obl"):
        return owner
    x = n
    while x.dep_ in ("conj",):
        x = x.head
    if x.dep_ in ("obj", "obl", "nsubj:pass") and x.head.pos_ in ("VERB", "AUX", "NOUN"):
        return [m for t in _agent(s, x.head, _passive(x.head)) for m in _entities(s, t)] or owner
    if x.dep_ == "nmod" and x.head.dep_ in ("obj", "obl"):  # "signed a memorandum on a partnership with"
        return [m for t in _agent(s, x.head.head, _passive(x.head.head)) for m in _entities(s, t)] or owner
    return owner


def _noun_role(s: _Sentence, n: Token, role: str) -> list[Mention]:
    if role == "head":
        return _noun_head(s, n)
    if role == "owner":
        return _noun_owner(s, n) or _noun_prep(s, n, "of")
    if role == "agent":
        return _noun_agent(s, n)
    if role == "@raiser":
        # "raised $50m in a round led by X, with participation from Y": the company whose raise the noun joins
        x = _first_conjunct(n)
        v = x.head
        if x.dep_ in ("obj", "obl") and (v.lemma_.lower() in _RAISE or v.lower_ in _RAISE):
            return [m for t in _agent(s, v, _passive(v)) for m in _entities(s, t)]
        return []
    return _noun_prep(s, n, role)


def _noun_facts(s: _Sentence, n: Token, frames: list[NounFrame]) -> Iterator[tuple[Mention, str, Mention, str, Token]]:
    if _unsure(n, s.lex) or _unsure(_first_conjunct(n), s.lex):
        return
    for frame in frames:
        if len(frame.words) > 1:
            before = [s.doc[i].lower_ for i in range(max(0, n.i - len(frame.words) + 1), n.i)]
            if before != list(frame.words[:-1]):
                continue
        subs = _noun_role(s, n, frame.subject)
        objs = _noun_role(s, n, frame.object)
        if subs and not objs and frame.titles and frame.object == "owner":
            # "AMD has begun receiving licences, chief executive Lisa Su said": the title's company is the
            # sentence's subject, else the company the article is about
            here = [m for ms in s.by_token.values() for m in ms if m.entity.type == "Company" and m.rule not in (
                "demonym", "alias-prefix")]
            objs = sorted(here, key=lambda m: m.start)[:1] or ([s.topic] if s.topic else [])
        if not objs and frame.subject == "agent" and frame.predicate in vocabulary().symmetric:
            fit = [m for m in subs if m.entity.type in SUBJECT_TYPES[frame.predicate]]
            if len({m.entity.iri for m in fit}) > 1:  # "Quillmark and Lenovo set up a joint laboratory"
                for i, a in enumerate(fit):
                    for b in fit[i + 1:]:
                        if a.entity.iri != b.entity.iri:
                            yield a, frame.predicate, b, frame.name + ":together", n
                continue
        _near_miss(s, frame.name, n, frame.predicate, subs, objs)
        if not subs:
            continue
        for a in subs:
            if a.entity.type not in SUBJECT_TYPES[frame.predicate]:
                continue
            for b in objs:
                if b.entity.type in OBJECT_TYPES[frame.predicate]:
                    yield a, frame.predicate, b, frame.name, n


_LAST_WORDS: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _last_words(titles: frozenset[str]) -> frozenset[str]:
    hit = _LAST_WORDS.get(id(titles))
    if hit is None or hit[0] is not titles:
        hit = (titles, frozenset(t.split()[-1] for t in titles if t))
        _LAST_WORDS[id(titles)] = hit
    return hit[1]


def _title_tokens(s: _Sentence) -> Iterator[Token]:
    """The last token of every chief-executive title in the sentence ("executive" of "chief executive")."""
    doc = s.doc
    low = [t.lower_ for t in doc]
    last_words = _last_words(s.lex.ceo_titles)
    for t in doc:
        if low[t.i] not in last_words:
            continue  # only a title's last word can end one
        for width in (3, 2, 1):
            if t.i - width + 1 < 0:
                continue
            words = " ".join(low[t.i - width + 1: t.i + 1])
            if words in s.lex.ceo_titles:
                # "chief executive officer": the title ends at "officer", not at "executive"
                nxt = " ".join([words, doc[t.i + 1].lower_]) if t.i + 1 < len(doc) else ""
                if nxt and nxt in s.lex.ceo_titles:
                    break
                if t.lower_ == "chief" and t.i + 1 < len(doc) and doc[t.i + 1].pos_ in ("NOUN", "ADJ") and \
                        doc[t.i + 1].lower_ not in ("executive",):
                    break  # "chief financial officer", "chief scientist": another title
                yield t
                break


def _title_current(s: _Sentence, n: Token) -> bool:
    """Not "former chief executive", "acting CEO", nor "was chief executive" (past)."""
    lex = s.lex
    doc = s.doc
    start = n.i
    while start > 0 and doc[start - 1].lower_ in ("chief", "co", "-", "co-", "group", "joint"):
        start -= 1
    for i in range(max(0, start - 3), start):
        if doc[i].lower_.strip("-") in lex.not_current:
            return False
    first = _first_conjunct(n)
    for x in {n, first, n.head}:
        for c in x.children:
            if c.dep_ in ("amod", "advmod", "compound") and c.lower_.strip("-") in lex.not_current:
                return False
            if c.dep_ == "cop" and c.lower_ in _PAST_COPULAS:
                return False
    # "who stepped down as chief executive in 2021": the verb the title hangs on ends the role
    if first.dep_ in ("obl", "xcomp", "advcl") and first.head.lower_ in lex.role_enders:
        return False
    return True


def frame_facts(prepared: Prepared, article: str, lex: Lexicon,
                trace: list[dict[str, object]] | None = None, recent: Mention | None = None,
                topic: Mention | None = None, pending: list[Pending] | None = None) -> list[Fact]:
    """Every fact the lexicon's frames find in one parsed sentence (``prepared.doc`` parsed). ``recent`` is the
    restriction the text named last before this sentence: what a passive "was barred" with no agent means."""
    s = _map(prepared, article, lex)
    own = [m for group in (g for _, _, g in prepared.spans) for m in group if m.entity.type == "Sanction"]
    s.recent = own[0] if own else recent
    s.topic = topic
    s.near = [] if trace is not None else None
    doc, sentence = prepared.doc, prepared.sentence
    found: list[tuple[Mention, str, Mention, str, Token]] = []
    for t in doc:
        low = t.lower_
        if low in lex.verbs and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and not (t.pos_ == "NOUN" and t.dep_ in (
                "nsubj", "obj", "compound")):
            found += _verb_facts(s, t, lex.verbs[low])
        if low in lex.nouns and t.pos_ in ("NOUN", "PROPN", "ADJ", "X"):
            found += _noun_facts(s, t, lex.nouns[low])
        if lex.kind_frames and t.pos_ in ("NOUN", "PROPN"):
            frames = [f for f in lex.kind_frames if f.kind and (
                f.kind == "Sanction" and any(m.entity.type == "Sanction" for m in s.mentions_at(t))
                and s.head_of.get(t.i) == t.i or f.kind != "Sanction" and lex.kind_of_noun.get(low) == f.kind)]
            if frames:
                found += _noun_facts(s, t, frames)
        found += _state_facts(s, t)
    for n in _title_tokens(s):
        if _title_current(s, n):
            found += _noun_facts(s, n, lex.title_frames)
    found += _mutual_facts(s)
    symmetric = vocabulary().symmetric
    facts: list[Fact] = []
    for a, predicate, b, rule, tok in found:
        if a.entity.iri == b.entity.iri:
            continue
        if predicate == "headquarteredIn" and b.rule == "metonym":
            continue  # "based in Beijing" names a city, not the country
        # "agreed to work together" states a partnership ("may agree to" does not)
        cue = blocked(tok, lex, comparison=predicate in symmetric, allowed=lex.unhedged.get(predicate, frozenset()))
        if trace is not None:
            trace.append({"frame": rule, "trigger": tok.text, "subject": a.entity.label, "predicate": predicate,
                          "object": b.entity.label, "blocked": cue})
        if cue:
            continue
        conf = round(min(FRAME_CONFIDENCE, a.confidence, b.confidence), 3)  # the weakest link
        facts.append(Fact(a.entity, predicate, b.entity,
                          Evidence(article, sentence.text, sentence.start, sentence.end, "frame-" + rule, conf)))
    if pending is not None:
        pending.extend(s.pending)
    if trace is not None and s.near:
        fired = {(t["trigger"], t["predicate"]) for t in trace if "subject" in t}
        for miss in s.near:  # one line per trigger word and predicate that did not fire
            key = (miss["trigger"], miss["predicate"])
            if key not in fired:
                fired.add(key)
                trace.append({**miss, "nearly": True})
    return facts


def _state_facts(s: _Sentence, t: Token) -> list[tuple[Mention, str, Mention, str, Token]]:
    """ "X is subject to the rules", "X has been on the Entity List since 2019"."""
    out = []
    for st in s.lex.states:
        if st.object == "self":
            sanctions = [m for m in s.mentions_at(t) if m.entity.type == "Sanction"]
            if not sanctions or s.head_of.get(t.i) != t.i or _case(t) != st.word:
                continue
            holder = t
        else:
            if t.lower_ != st.word:
                continue
            holder = t
            # "The H800 became subject to US export controls": the parser may hang "to ..." and the subject on
            # the linking verb the state word complements
            linked = [t, t.head] if t.dep_ == "xcomp" and t.head.lower_ in _STATIVE | _COPULAS else [t]
            sanctions = [m for x in linked for c in x.children if _case(c) == st.object for m in _entities(s, c)
                         if m.entity.type == "Sanction"]
            if len(linked) > 1:
                holder = t.head
        if not sanctions:
            continue
        subjects = [m for c in holder.children if c.dep_ in ("nsubj", "nsubj:pass") for m in _entities(s, c)]
        if not subjects and any(c.dep_ == "cop" for c in holder.children) and s.mentions_at(holder.head):
            subjects = s.mentions_at(holder.head)  # "SMIC, for example, is on the list" parsed with SMIC as root
        if not subjects and holder.dep_ == "acl:relcl":
            subjects = _entities(s, holder.head, conj=False)
        if not subjects and holder.dep_ in ("acl", "amod", "appos"):  # "Huawei, already on the Entity List"
            subjects = _entities(s, holder.head, conj=False)
        for a in subjects:
            if a.entity.type in SUBJECT_TYPES[st.predicate]:
                for b in sanctions:
                    out.append((a, st.predicate, b, f"state:{st.word}", t))
    return out


def _mutual_facts(s: _Sentence) -> list[tuple[Mention, str, Mention, str, Token]]:
    """ "Alibaba and Baidu compete", "iFlytek and Huawei jointly built ...": pairs among coordinated subjects."""
    out = []
    for t in s.doc:
        predicate = s.lex.mutual.get(t.lower_)
        if predicate is None:
            continue
        verb = t.head if t.pos_ in ("ADV",) else t
        if t.pos_ == "ADV" and not any(f.predicate in ("develops", "partnersWith") for f in s.lex.verbs.get(
                verb.lower_, [])):
            continue  # "jointly built" is a partnership; "together ordered" is not
        if t.pos_ in ("NOUN",) and t.dep_ in ("obj", "obl"):
            verb = t.head  # "A and B formed a joint venture"
        elif t.pos_ == "NOUN" and any(c.dep_ == "cop" for c in t.children):
            verb = t  # "A and B are rivals"
        if any(_case(c) in ("with", "against", "from") for c in [*verb.children, *t.children]):
            continue  # "A competes with B" is the verb frame's
        subjects: list[Mention] = []
        holder = verb
        if verb.dep_ in ("xcomp", "advcl") and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in verb.children):
            holder = verb.head  # "A and B agreed to work together": the subject of the verb it complements
        for c in holder.children:
            if c.dep_ in ("nsubj", "nsubj:pass"):
                subjects = _entities(s, c)
        companies = list({m.entity.iri: m for m in subjects if m.entity.type == "Company"}.values())
        for i, a in enumerate(companies):
            for b in companies[i + 1:]:
                out.append((a, predicate, b, f"mutual:{t.lower_}", verb))
    return out
