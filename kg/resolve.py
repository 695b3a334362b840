"""Entity resolution across articles: one entity the knowledge base does not know, one node, however it is written.

Extraction gives a new entity an IRI from its name (``ingest.kb.entity_iri``), so "Tavrin Robotics" in one
article and "Tavrin" in the next were two nodes. Here a new entity is compared with the entities already in the
workspace (and the knowledge base) by what its names are, never by spelling alone:

* **the same normalised name** (1.0): case, accents, hyphens, spacing and trailing legal suffixes ignored
  ("Kimi K2" / "KimiK2", "Orvane Robotics Co., Ltd." / "Orvane Robotics"); a stored entity's aliases count;
* **a short form introduced in the text** (0.95): "Hexavolt Semiconductor (Hexavolt)" or "..., known as HXV"
  makes the short form a name of that entity (``ci:shortForm`` in the article's graph), and a later article's
  "Hexavolt" is it;
* **a company name without its company words** (0.9): one name is the other's words followed by company words
  of the lexicon ("Tavrin" / "Tavrin Robotics", "Moore Threads" / "Moore Threads Technology"), with a leading
  place name dropped ("Beijing Tavrin Robotics"), and no other company of the workspace starts the same way
  ("Moore" next to "Moore Threads" and "Moore Capital" is nobody's).

At ``MERGE_AT`` or more, with one candidate only, of the same type, the new entity resolves to the stored node
(or to one the same article named in full: "Scale AI ... Scale" is one node however extraction read them).
Weaker evidence (an acronym of the other name, one name inside the other, a close spelling, two names differing
by company words that make another company, "Brightloom" and "Brightloom Ventures") only makes a suspect for
curation (``kg entities --suspects``). The words are data: legal suffixes and company name words from the lexicon
(``ontology/lexicon.yaml``, ``kinds.Company``) and ``ontology/resolution.yaml``; place names from the knowledge
base and that file. Measured on labelled name pairs: ``python -m benchmarks.entities``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from ingest.kb import KnowledgeBase

MERGE_AT = 0.9  # at or above: one node (benchmarks/entities.py measures precision and recall here)
SUSPECT_AT = 0.6  # at or above, below MERGE_AT or kept apart: listed by `kg entities --suspects`

SAME_NAME, SHORT_FORM, COMPANY_WORDS = "same normalised name", "short form introduced in the text", \
    "same name without company words"
ACRONYM, CONTAINED, SPELLING = "acronym of the other name", "one name inside the other", "similar spelling"
OTHER_WORDS = "same name with other company words"

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Names:
    """What is known of how an entity is named: its label, other names it was written as, short forms
    introduced for it ("(Hexavolt)", "known as HXV"), its type and whether the knowledge base knows it."""

    iri: str
    label: str
    type: str
    aliases: frozenset[str] = frozenset()
    short_forms: frozenset[str] = frozenset()
    known: bool = False

    def all_names(self) -> Iterable[str]:
        yield self.label
        yield from self.aliases


@dataclass(frozen=True)
class Match:
    score: float
    reason: str


@dataclass(frozen=True)
class Words:
    """The words resolution reads from data: legal suffixes and company name words (the lexicon), places (the
    knowledge base's countries and the cities and capitals it knows as their metonyms)."""

    legal: frozenset[str]
    company: frozenset[str]
    places: frozenset[str]
    other: frozenset[str] = frozenset()  # company words that make another company ("Ventures", "Capital")

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Words:
        lex, data = kb.lexicon, _data()
        legal = frozenset(w.casefold() for s in (*lex.legal_suffixes, *data["legal_suffixes"])
                          for w in _WORD.findall(_fold(s)))
        other = frozenset(w.casefold() for s in data["other_company_words"] for w in _WORD.findall(_fold(s)))
        company = frozenset(w.casefold() for w in lex.name_words) | other
        places = {e.label.casefold() for e in kb.entities.values() if e.type == "Country"}
        places |= {m.casefold() for m in kb.metonyms} | {_fold(p).casefold() for p in data["places"]}
        return cls(legal, company, frozenset(p for p in places if " " not in p), other)


@cache
def _data() -> dict[str, list[str]]:
    """``ontology/resolution.yaml``: the words resolution reads besides the lexicon's."""
    from importlib.resources import files

    import yaml

    data = yaml.safe_load((files("ontology") / "resolution.yaml").read_text(encoding="utf-8"))
    return {k: [str(w) for w in data.get(k) or []] for k in ("other_company_words", "legal_suffixes", "places")}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text


def tokens(name: str, words: Words) -> tuple[str, ...]:
    """The name's words, folded (case, accents, a company word's plural: "Technologies" is "technology"), without
    trailing legal suffixes ("Co., Ltd.")."""
    toks = [_singular(t.casefold(), words) for t in _WORD.findall(_fold(name))]
    while len(toks) > 1 and toks[-1] in words.legal:
        toks.pop()
    return tuple(toks)


def _singular(word: str, words: Words) -> str:
    if word in words.company and word.endswith("ies") and word[:-3] + "y" in words.company:
        return word[:-3] + "y"
    if word in words.company and word.endswith("s") and word[:-1] in words.company:
        return word[:-1]
    return word


def key(name: str, words: Words) -> str:
    """The normalised name: its words run together, so that hyphens and spaces do not matter ("kimik2")."""
    return "".join(tokens(name, words))


def _stem(toks: tuple[str, ...], words: Words) -> tuple[str, ...]:
    """A company name without a leading place name ("Beijing Tavrin Robotics" -> "tavrin robotics")."""
    if len(toks) > 1 and toks[0] in words.places:
        return toks[1:]
    return toks


def _one_company(x: tuple[str, ...], y: tuple[str, ...], words: Words) -> bool:
    """One name is the other with company words after it or a place before it ("Orvane", "Beijing Orvane
    Robotics"); two places that differ make two companies ("Shanghai X", "Beijing X")."""
    px = x[0] if len(x) > 1 and x[0] in words.places else None
    py = y[0] if len(y) > 1 and y[0] in words.places else None
    if px and py and px != py:
        return False
    sx, sy = _stem(x, words), _stem(y, words)
    return sx == sy or _extends(sx, sy, words) or _extends(sy, sx, words)


def _extends(short: tuple[str, ...], long: tuple[str, ...], words: Words) -> bool:
    """``long`` is ``short`` followed by company words only ("tavrin" -> "tavrin robotics technology"), none of
    those that make another company ("brightloom ventures" is not "brightloom")."""
    added = long[len(short):]
    return (len(short) < len(long) and long[:len(short)] == short and all(t in words.company for t in added)
            and not any(t in words.other for t in added) and not all(t in words.company for t in short))


def _core(toks: tuple[str, ...], words: Words) -> tuple[str, ...]:
    """The name without its trailing company words ("tavrin robotics technology" -> "tavrin")."""
    n = len(toks)
    while n > 1 and toks[n - 1] in words.company:
        n -= 1
    return toks[:n] if n < len(toks) else ()


def acronym(toks: tuple[str, ...]) -> str:
    return "".join(t[0] for t in toks) if len(toks) > 1 else ""


def match(a: Names, b: Names, words: Words) -> Match | None:
    """How strongly the names say ``a`` and ``b`` are one entity (None: not at all). The same type is required."""
    if a.type != b.type:
        return None
    keys_a = {key(n, words) for n in a.all_names()} - {""}
    keys_b = {key(n, words) for n in b.all_names()} - {""}
    if keys_a & keys_b:
        return Match(1.0, SAME_NAME)
    short_a = {key(n, words) for n in a.short_forms} - {""}
    short_b = {key(n, words) for n in b.short_forms} - {""}
    if (short_a & (keys_b | short_b)) or (short_b & keys_a):
        return Match(0.95, SHORT_FORM)
    raw_a, raw_b = {tokens(n, words) for n in a.all_names()}, {tokens(n, words) for n in b.all_names()}
    toks_a, toks_b = {_stem(x, words) for x in raw_a}, {_stem(y, words) for y in raw_b}
    if a.type == "Company" and any(_one_company(x, y, words) for x in raw_a for y in raw_b):
        return Match(0.9, COMPANY_WORDS)
    if a.type == "Company" and {_core(x, words) for x in toks_a} & {_core(y, words) for y in toks_b} - {()}:
        return Match(0.65, OTHER_WORDS)  # "Tavrin Robotics" / "Tavrin Capital": often two companies
    best: Match | None = None
    for x in toks_a:
        for y in toks_b:
            found = _weak(x, y)
            if found and (best is None or found.score > best.score):
                best = found
    return best


def _weak(x: tuple[str, ...], y: tuple[str, ...]) -> Match | None:
    """Evidence for a suspect only: an acronym, one name's words inside the other's, a close spelling."""
    if not x or not y:
        return None
    jx, jy = "".join(x), "".join(y)
    if (len(x) == 1 and jx == acronym(y) and len(jx) > 1) or (len(y) == 1 and jy == acronym(x) and len(jy) > 1):
        return Match(0.8, ACRONYM)
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    n = len(short)
    if any(long[i:i + n] == short for i in range(len(long) - n + 1)):
        return Match(0.7, CONTAINED)
    from rapidfuzz import fuzz

    ratio = fuzz.ratio(jx, jy)
    if ratio >= 85:
        return Match(round(ratio / 100 * 0.85, 3), SPELLING)
    return None


@dataclass(frozen=True)
class Decision:
    """A new entity resolved to a stored one, and why."""

    source: Names
    target: Names
    score: float
    reason: str
    decided_by: str = "resolver"  # or "curator"


@dataclass
class Resolver:
    """The names of the workspace's entities, indexed to find candidates for a new one quickly; kept up to date
    as articles are written in one ingest run, so that the second article of a run meets the first's node."""

    words: Words
    entities: dict[str, Names] = field(default_factory=dict)
    by_key: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (type, normalised name) -> iris
    by_first: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (type, first word of a stem)
    curated: dict[str, str] = field(default_factory=dict)  # a curator's merges: merged iri -> kept iri
    apart: set[frozenset[str]] = field(default_factory=set)  # a curator's splits: pairs never merged
    merge_at: float = MERGE_AT

    def add(self, names: Names) -> None:
        old = self.entities.get(names.iri)
        if old is not None:
            names = Names(old.iri, old.label, old.type, old.aliases | names.aliases | {names.label} - {old.label},
                          old.short_forms | names.short_forms, old.known or names.known)
        self.entities[names.iri] = names
        for n in (*names.all_names(), *names.short_forms):
            self.by_key.setdefault((names.type, key(n, self.words)), set()).add(names.iri)
        for n in names.all_names():
            stem = _stem(tokens(n, self.words), self.words)
            if stem:
                self.by_first.setdefault((names.type, stem[0]), set()).add(names.iri)

    def candidates(self, names: Names) -> set[str]:
        out: set[str] = set()
        for n in (*names.all_names(), *names.short_forms):
            out |= self.by_key.get((names.type, key(n, self.words)), set())
            stem = _stem(tokens(n, self.words), self.words)
            if stem:
                out |= self.by_first.get((names.type, stem[0]), set())
        return out - {names.iri}

    def resolve(self, names: Names) -> Decision | None:
        """The stored entity ``names`` is, if the evidence says so; None to keep it a node of its own.

        A curator's merge wins; otherwise only a new entity (not in the knowledge base) that is not already a
        node resolves, to the one candidate at ``MERGE_AT`` or more, not one the article names apart from it.
        """
        kept = self.curated.get(names.iri)
        if kept is not None and kept in self.entities:
            return Decision(names, self.entities[kept], 1.0, "curator", "curator")
        if names.known or names.iri in self.entities:
            return None
        found: list[tuple[Match, Names]] = []
        for iri in self.candidates(names):
            other = self.entities[iri]
            m = match(names, other, self.words)
            if m is not None and other.known and m.reason not in (SAME_NAME, SHORT_FORM) and not (
                    m.reason == COMPANY_WORDS and len(tokens(names.label, self.words)) < len(
                        tokens(other.label, self.words))):
                # "Moonshot" is Moonshot AI, but "Xiaomi Auto" is a unit the lexicon made, not Xiaomi
                m = Match(min(m.score, SUSPECT_AT), m.reason)
            if m is not None and frozenset((names.iri, iri)) not in self.apart:
                found.append((m, other))
        strong = [(m, o) for m, o in found if m.score >= self.merge_at]
        if not strong:
            return None
        best = max(m.score for m, _ in strong)
        top = [(m, o) for m, o in strong if m.score == best]
        if best < 1.0 and any(m.reason == COMPANY_WORDS for m, _ in top):
            # "Moore" is short for "Moore Capital" only if no other company of the workspace starts with "Moore"
            rivals = {o.iri for m, o in found if m.reason in (COMPANY_WORDS, CONTAINED)}
            if len(rivals) > 1:
                return None
        if len(top) > 1:
            known = [(m, o) for m, o in top if o.known]
            if len(known) != 1:
                return None  # two stored entities fit as well: not for the resolver to choose
            top = known
        m, target = top[0]
        return Decision(names, target, m.score, m.reason)
