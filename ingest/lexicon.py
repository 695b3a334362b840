"""The lexicon (``ontology/lexicon.yaml``): the words that type entities and state relations, as data.

The file lists lemmas; this module expands them into the word forms text uses (verbs inflected, nouns in
both numbers) and indexes the frames by those forms, so a matcher asks "which frames does this word open?"
with one dictionary lookup. Analysts' own files of the same layout are merged over the shipped one: their
lists extend ours, and their ``entities`` join the knowledge base (see :func:`load_lexicon`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.model import InputError
from ontology import LEXICON_FILE, WORDS_FILE

ROLES_OF_VERBS = ("agent", "theme")
ROLES_OF_NOUNS = ("head", "owner", "agent")
KINDS = ("Company", "GovernmentBody", "Country", "Person", "AIModel", "Chip", "Product", "Sanction")
_VOWELS = "aeiou"


@dataclass(frozen=True)
class VerbFrame:
    """A verb that states ``predicate``; ``subject`` and ``object`` name the verb's roles that fill it."""

    predicate: str
    words: tuple[str, ...]  # the lemma's words: ("roll", "out")
    subject: str  # "agent", "theme" or a preposition
    object: str  # likewise, or "@round" / "@stake" (the thing whose "in"/"of" names the object)
    voice: str | None = None  # "passive" or "active" when only that voice states it
    objects: tuple[str, ...] = ()  # kinds the object may be (default: the predicate's range)

    @property
    def name(self) -> str:
        return f"verb:{' '.join(self.words)}:{self.subject}>{self.object}"


@dataclass(frozen=True)
class NounFrame:
    """A relational or event noun that states ``predicate`` (``kind`` set: any noun of that kind)."""

    predicate: str
    words: tuple[str, ...]  # ("joint", "venture"); empty when ``kind`` is set
    subject: str  # "head", "owner", "agent" or a preposition
    object: str
    kind: str | None = None  # "@Company" -> any Company noun; "@Sanction" -> a Sanction mention itself
    titles: str | None = None  # "chief_executive": the titles list

    @property
    def name(self) -> str:
        what = self.kind or self.titles or " ".join(self.words)
        return f"noun:{what}:{self.subject}>{self.object}"


@dataclass(frozen=True)
class StateFrame:
    """ "X is subject to S", "X is on S": a word that puts the clause's subject under a sanction."""

    predicate: str
    word: str
    object: str  # a preposition, or "self" (the sanction is the word's own phrase: "on the Entity List")


@dataclass(frozen=True)
class Phrase:
    """An idiom written out: ``{S} goes head to head with {O}``."""

    predicate: str
    text: str


@dataclass(frozen=True)
class MetricWords:
    """The lexicon's words for reported numbers (``metrics`` in the file), in the forms text uses."""

    names: tuple[str, ...] = ()  # metric names, longest first (lower case)
    up: frozenset[str] = frozenset()  # verb forms of increase
    down: frozenset[str] = frozenset()
    up_nouns: frozenset[str] = frozenset()
    down_nouns: frozenset[str] = frozenset()
    count_units: tuple[str, ...] = ()  # longest first
    conditional: frozenset[str] = frozenset()
    currencies: dict[str, str] = field(default_factory=dict)  # surface form -> ISO 4217 code
    scales: dict[str, float] = field(default_factory=dict)
    valuations: frozenset[str] = frozenset()  # "valued at", "valuation": the valued (funded) company's figure
    count_verbs: dict[str, str] = field(default_factory=dict)  # "employs 800 people" -> employees (verb form -> unit)
    outlook_verbs: frozenset[str] = frozenset()  # "and expects about $16bn": the figure before, guided
    invest_verbs: frozenset[str] = frozenset()  # "put $1.5bn into G42": an investment
    benchmarks: frozenset[str] = frozenset()  # "99.8% below the industry average": a comparison, no figure
    upper_bounds: tuple[str, ...] = ()  # "up to 10,000 accelerators", "less than 5%": a bound, no figure
    thresholds: tuple[str, ...] = ()  # "$2 million or less", "50% or more": a rule's threshold, no figure
    goals: frozenset[str] = frozenset()  # "aims to reach", "a goal of": a goal, no figure
    amount_verbs: dict[str, str] = field(default_factory=dict)  # "sold $17bn of goods" -> sales (form -> name)
    conditions_after: frozenset[str] = frozenset()  # "20% if the deal closes": a condition after the figure


@dataclass
class Lexicon:
    """The expanded lexicon: word forms to frames, and the word lists the matchers consult."""

    kind_nouns: dict[str, frozenset[str]] = field(default_factory=dict)  # kind -> noun forms (lower case)
    kind_of_noun: dict[str, str] = field(default_factory=dict)  # noun form -> kind (the first that lists it)
    name_words: frozenset[str] = frozenset()  # last words of company names, as written
    unit_words: frozenset[str] = frozenset()  # "JD Health": after a company's name, another company
    legal_suffixes: tuple[str, ...] = ()
    version_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    ceo_titles: frozenset[str] = frozenset()  # lower case forms, multi-word as written with spaces
    other_titles: frozenset[str] = frozenset()
    not_current: frozenset[str] = frozenset()
    role_enders: frozenset[str] = frozenset()  # forms of the first word of the verbs that end a role ("stepped")
    role_verbs: frozenset[str] = frozenset()  # "took over", "serves", "was named": they put a person in a role
    negation: frozenset[str] = frozenset()
    hedge: frozenset[str] = frozenset()
    comparison: frozenset[str] = frozenset()
    transparent: frozenset[str] = frozenset()
    containers: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    list_markers: tuple[str, ...] = ()
    list_openers: tuple[str, ...] = ()  # "They include": a sentence listing what the one before counted
    restriction_verbs: dict[str, str] = field(default_factory=dict)  # "banned" -> "ban": a restriction by a verb
    verbs: dict[str, list[VerbFrame]] = field(default_factory=dict)  # form of the first word -> frames
    nouns: dict[str, list[NounFrame]] = field(default_factory=dict)  # form of the last word -> frames
    kind_frames: list[NounFrame] = field(default_factory=list)  # frames of "@Kind" nouns
    title_frames: list[NounFrame] = field(default_factory=list)
    mutual: dict[str, str] = field(default_factory=dict)  # form -> predicate ("compete" -> competesWith)
    states: list[StateFrame] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    possessive: frozenset[str] = frozenset()  # predicates stated by "X's Y"
    hyphen: dict[str, tuple[str, bool]] = field(default_factory=dict)  # "backed" -> (investsIn, name is subject)
    not_owned_before: frozenset[str] = frozenset()  # "its WeChat account": words after a name owned by no one
    rounds: frozenset[str] = frozenset()
    unhedged: dict[str, frozenset[str]] = field(default_factory=dict)  # predicate -> cues that do not hedge it
    stakes: frozenset[str] = frozenset()
    irregular: dict[str, tuple[str, str]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the files merged, in order
    entities: list[dict[str, object]] = field(default_factory=list)  # analysts' own entities (label, type, aliases)
    metric_words: MetricWords = field(default_factory=MetricWords)

    def kind_words(self, kind: str) -> frozenset[str]:
        return self.kind_nouns.get(kind, frozenset())

    def is_title(self, words: str) -> bool:
        w = words.lower()
        return w in self.ceo_titles or w in self.other_titles


# ---- morphology -------------------------------------------------------------------------------------------

def _doubles(word: str) -> bool:
    """Whether a verb doubles its last consonant before -ed/-ing (ship -> shipped, ban -> banned)."""
    if word.endswith("quip"):  # "qu" is a consonant here: equip -> equipped
        return True
    if len(word) < 3 or word[-1] in _VOWELS + "wxy" or word[-2] not in _VOWELS or word[-3] in _VOWELS:
        return False
    syllables = len(re.findall(r"[aeiouy]+", word))
    return syllables == 1 or word.endswith(("trol", "quip", "mit", "fer", "cur", "pel", "gret", "bet", "get"))


def verb_forms(lemma: str, irregular: dict[str, tuple[str, str]]) -> set[str]:
    """Every form of a one-word verb: base, -s, past, past participle, -ing (spelling variants included)."""
    w = lemma.lower()
    forms = {w}
    if w.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(w + "es")
    elif w.endswith("y") and w[-2:-1] not in tuple(_VOWELS):
        forms.add(w[:-1] + "ies")
    else:
        forms.add(w + "s")
    if w in irregular:
        forms.update(irregular[w])
    if w.endswith("e"):
        past, ing = w + "d", (w if w.endswith(("ee", "ye", "oe")) else w[:-1]) + "ing"
        if w.endswith("ie"):
            ing = w[:-2] + "ying"
    elif w.endswith("y") and w[-2:-1] not in tuple(_VOWELS):
        past, ing = w[:-1] + "ied", w + "ing"
    elif _doubles(w):
        past, ing = w + w[-1] + "ed", w + w[-1] + "ing"
        if len(re.findall(r"[aeiouy]+", w)) > 1:  # "targeted" but "controlled": stress decides, allow both
            forms.update({w + "ed", w + "ing"})
    elif w.endswith("l") and w[-2:-1] in tuple(_VOWELS):  # British "labelled", US "labeled"
        past, ing = w + "ed", w + "ing"
        forms.update({w + "led", w + "ling"})
    else:
        past, ing = w + "ed", w + "ing"
    if w not in irregular:
        forms.add(past)
    forms.add(ing)
    return forms


def noun_forms(lemma: str) -> set[str]:
    """A noun in both numbers: "rival" -> rival, rivals; "company" -> companies; "chairman" -> chairmen."""
    w = lemma
    forms = {w}
    low = w.lower()
    if low.endswith("man"):
        forms.add(w[:-3] + "men")
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        if not low.endswith("s"):
            forms.add(w + "es")
    elif low.endswith("y") and low[-2:-1] not in tuple(_VOWELS):
        forms.add(w[:-1] + "ies")
    else:
        forms.add(w + "s")
    return forms


def _phrase_forms(text: str, inflect: bool, irregular: dict[str, tuple[str, str]]) -> set[str]:
    """Forms of a possibly multi-word entry: a verb inflects its first word, a noun its last."""
    words = text.split()
    if not words:
        return set()
    if inflect:
        return {" ".join([f, *words[1:]]) for f in verb_forms(words[0], irregular)}
    return {" ".join([*words[:-1], f]) for f in noun_forms(words[-1])}


# ---- loading ---------------------------------------------------------------------------------------------

def _as_list(value: object, where: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where} must be a list")
    return value


def _mapping(value: object, where: str) -> dict[str, object]:
    """A section that must be a mapping (absent: empty)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a mapping, not {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def _words(value: object, where: str) -> list[str]:
    out = []
    for item in _as_list(value, where):
        if isinstance(item, bool):  # YAML reads on, off, yes and no unquoted as true and false
            raise InputError(f"{where}: a word was read as {str(item).lower()} (YAML takes unquoted on, off, yes "
                             f"and no for true and false); quote it, as in \"no\"")
        if not isinstance(item, (str, int, float)):
            raise InputError(f"{where} must list words, not {item!r}")
        out.append(str(item))
    return out


def _read(path: Path) -> dict[str, object]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the lexicon: {exc.strerror or exc}", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", str(path),
                         mark.line + 1 if mark is not None else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("a lexicon file must be a mapping (see ontology/lexicon.yaml)", str(path))
    return data


def _merge(into: dict[str, object], extra: dict[str, object]) -> None:
    """Lists extend, mappings merge key by key, other values replace."""
    for key, value in extra.items():
        old = into.get(key)
        if isinstance(old, list) and isinstance(value, list):
            into[key] = old + [v for v in value if v not in old]
        elif isinstance(old, dict) and isinstance(value, dict):
            merged = dict(old)
            _merge(merged, value)
            into[key] = merged
        else:
            into[key] = value


def extra_lexicon_paths() -> list[Path]:
    """Analysts' lexicon files named by ``$KG_LEXICON`` (paths separated by the OS path separator)."""
    value = os.environ.get("KG_LEXICON", "").strip()
    return [Path(p) for p in value.split(os.pathsep) if p.strip()] if value else []


def load_lexicon(extra: Sequence[str | os.PathLike[str]] = (), *, base: Path | None = None) -> Lexicon:
    """The shipped lexicon with each file of ``extra`` merged over it, in order."""
    base = base or LEXICON_FILE
    data = _read(base)
    sources = [str(base)]
    for p in extra:
        path = Path(p)
        if not path.is_file():
            raise InputError("no such lexicon file", str(path))
        _merge(data, _read(path))
        sources.append(str(path))
    try:
        lex = _build(data)
    except InputError as exc:
        raise InputError(exc.reason, sources[-1] if len(sources) > 1 else sources[0]) from None
    lex.sources = tuple(sources)
    return lex


def _build(data: dict[str, object]) -> Lexicon:
    irregular: dict[str, tuple[str, str]] = {}
    for verb, given in _mapping(data.get("irregular_verbs"), "irregular_verbs").items():
        parts = _words(given, f"irregular_verbs.{verb}")
        if len(parts) != 2:
            raise InputError(f"irregular_verbs.{verb} must give [past, past participle]")
        irregular[str(verb).lower()] = (parts[0].lower(), parts[1].lower())
    lex = Lexicon(irregular=irregular)
    kinds = data.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise InputError("kinds must be a mapping of kind to its words")
    kind_nouns: dict[str, frozenset[str]] = {}
    for kind, kind_spec in kinds.items():
        if kind not in KINDS:
            raise InputError(f"kinds: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        spec = _mapping(kind_spec, f"kinds.{kind}")
        forms: set[str] = set()
        for noun in _words(spec.get("nouns"), f"kinds.{kind}.nouns"):
            forms |= {f.lower() for f in _phrase_forms(noun, False, irregular)}
        kind_nouns[kind] = frozenset(forms)
        for f in sorted(forms):
            lex.kind_of_noun.setdefault(f, kind)
        if kind == "Company":
            lex.name_words = frozenset(_words(spec.get("name_words"), "kinds.Company.name_words"))
            lex.unit_words = frozenset(_words(spec.get("unit_words"), "kinds.Company.unit_words"))
            lex.legal_suffixes = tuple(_words(spec.get("legal_suffixes"), "kinds.Company.legal_suffixes"))
    lex.kind_nouns = kind_nouns
    lex.version_words = frozenset(_words(data.get("version_words"), "version_words"))
    lex.not_names = frozenset(_words(data.get("not_names"), "not_names"))
    titles = _mapping(data.get("titles"), "titles")
    lex.ceo_titles = _lower_forms(_words(titles.get("chief_executive"), "titles.chief_executive"), irregular)
    lex.other_titles = _lower_forms(_words(titles.get("other"), "titles.other"), irregular)
    lex.not_current = frozenset(w.lower() for w in _words(titles.get("not_current"), "titles.not_current"))
    lex.role_enders = frozenset(f for w in _words(titles.get("ended_by"), "titles.ended_by")
                                for f in verb_forms(w.lower().split()[0], irregular))
    lex.role_verbs = frozenset(w.lower() for w in _words(data.get("role_verbs"), "role_verbs"))
    cues = _mapping(data.get("cues"), "cues")
    lex.negation = frozenset(w.lower() for w in _words(cues.get("negation"), "cues.negation"))
    lex.hedge = frozenset(w.lower() for w in _words(cues.get("hedge"), "cues.hedge"))
    lex.comparison = frozenset(w.lower() for w in _words(cues.get("comparison"), "cues.comparison"))
    lex.transparent = _lower_forms(_words(data.get("transparent_nouns"), "transparent_nouns"), irregular)
    lex.containers = _lower_forms(_words(data.get("container_nouns"), "container_nouns"), irregular)
    lex.activities = _lower_forms(_words(data.get("activity_nouns"), "activity_nouns"), irregular)
    lex.list_markers = tuple(w.lower() for w in _words(data.get("list_markers"), "list_markers"))
    for restrictive, named in _mapping(data.get("restriction_verbs"), "restriction_verbs").items():
        for form in verb_forms(restrictive.lower(), irregular):
            lex.restriction_verbs[form] = str(named)
    lex.list_openers = tuple(sorted({w.lower() for w in _words(data.get("list_openers"), "list_openers")}, key=len,
                                    reverse=True))
    relations = data.get("relations") or {}
    if not isinstance(relations, dict):
        raise InputError("relations must be a mapping of predicate to its words")
    possessive = set()
    rounds: set[str] = set()
    stakes: set[str] = set()
    for predicate, spec in relations.items():
        where = f"relations.{predicate}"
        spec = spec or {}
        if not isinstance(spec, dict):
            raise InputError(f"{where} must be a mapping")
        for item in _as_list(spec.get("verbs"), f"{where}.verbs"):
            vframe = _verb_frame(predicate, item, f"{where}.verbs")
            for form in verb_forms(vframe.words[0], irregular):
                lex.verbs.setdefault(form, []).append(vframe)
        for item in _as_list(spec.get("nouns"), f"{where}.nouns"):
            nframe = _noun_frame(predicate, item, f"{where}.nouns")
            if nframe.kind:
                lex.kind_frames.append(nframe)
            elif nframe.titles:
                lex.title_frames.append(nframe)
            else:
                for form in noun_forms(nframe.words[-1]):
                    lex.nouns.setdefault(form.lower(), []).append(nframe)
        for word in _words(spec.get("mutual"), f"{where}.mutual"):
            # a verb ("team up") or a noun ("joint venture") or an adverb ("jointly"): every reading's forms
            forms = {word} if " " not in word and word.endswith("ly") else (
                _phrase_forms(word, True, irregular) | _phrase_forms(word, False, irregular))
            for form in forms:
                lex.mutual.setdefault(form.lower(), predicate)
        for item in _as_list(spec.get("states"), f"{where}.states"):
            if not isinstance(item, dict) or "word" not in item:
                raise InputError(f"{where}.states: each entry needs a word, not {item!r}")
            lex.states.append(StateFrame(predicate, str(item["word"]).lower(), str(item.get("object", "self"))))
        for text in _words(spec.get("phrases"), f"{where}.phrases"):
            if "{S}" not in text or "{O}" not in text:
                raise InputError(f"{where}.phrases: {text!r} must contain {{S}} and {{O}}")
            a, b = sorted((text.index("{S}"), text.index("{O}")))
            if not set(text[a + 3: b].split()) - {"and", "or", ",", "*"}:
                raise InputError(f"{where}.phrases: {text!r} needs words between {{S}} and {{O}} that say it")
            lex.phrases.append(Phrase(predicate, text))
        if spec.get("possessive"):
            possessive.add(predicate)
        for word in _words(spec.get("hyphen"), f"{where}.hyphen"):
            lex.hyphen[word.lower()] = (predicate, True)
        for word in _words(spec.get("hyphen_object"), f"{where}.hyphen_object"):
            lex.hyphen[word.lower()] = (predicate, False)
        lex.not_owned_before |= _lower_forms(_words(spec.get("not_owned_before"), f"{where}.not_owned_before"),
                                             irregular)
        rounds |= _lower_forms(_words(spec.get("rounds"), f"{where}.rounds"), irregular)
        if spec.get("not_hedged_by"):
            lex.unhedged[predicate] = frozenset(" ".join(w.lower().split()) for w in _words(
                spec.get("not_hedged_by"), f"{where}.not_hedged_by"))
        stakes |= _lower_forms(_words(spec.get("stakes"), f"{where}.stakes"), irregular)
    lex.possessive = frozenset(possessive)
    lex.rounds, lex.stakes = frozenset(rounds), frozenset(stakes)
    lex.entities = _entities(data.get("entities"))
    lex.metric_words = _metric_words(data.get("metrics") or {}, irregular)
    return lex


def _metric_words(spec: object, irregular: dict[str, tuple[str, str]]) -> MetricWords:
    if not isinstance(spec, dict):
        raise InputError("metrics must be a mapping")
    verbs = {k: frozenset(f for w in _words(spec.get(k), f"metrics.{k}") for f in _phrase_forms(w.lower(), True,
                                                                                                  irregular))
             for k in ("up", "down")}
    nouns = {k: frozenset(f for w in _words(spec.get(k), f"metrics.{k}") for f in noun_forms(w.lower()))
             for k in ("up_nouns", "down_nouns")}
    currencies = spec.get("currencies") or {}
    scales = spec.get("scales") or {}
    if not isinstance(currencies, dict) or not isinstance(scales, dict):
        raise InputError("metrics.currencies and metrics.scales must be mappings")
    try:
        scale_values = {str(k).lower(): float(v) for k, v in scales.items()}
    except (TypeError, ValueError):
        raise InputError("metrics.scales must map words to numbers") from None
    by_length = lambda words: tuple(sorted({w.lower() for w in words}, key=len, reverse=True))  # noqa: E731
    count_verbs = spec.get("count_verbs") or {}
    if not isinstance(count_verbs, dict):
        raise InputError("metrics.count_verbs must map verbs to count units")
    return MetricWords(
        names=by_length(_words(spec.get("names"), "metrics.names")),
        up=verbs["up"], down=verbs["down"], up_nouns=nouns["up_nouns"], down_nouns=nouns["down_nouns"],
        count_units=by_length(_words(spec.get("count_units"), "metrics.count_units")),
        conditional=frozenset(w.lower() for w in _words(spec.get("conditional"), "metrics.conditional")),
        currencies={str(k): str(v) for k, v in currencies.items()}, scales=scale_values,
        valuations=_lower_forms(_words(spec.get("valuations"), "metrics.valuations"), irregular),
        count_verbs={f: str(unit).lower() for verb, unit in count_verbs.items()
                     for f in _phrase_forms(str(verb).lower(), True, irregular)},
        outlook_verbs=frozenset(f for w in _words(spec.get("outlook_verbs"), "metrics.outlook_verbs")
                                for f in _phrase_forms(w.lower(), True, irregular)),
        invest_verbs=frozenset(f for w in _words(spec.get("invest_verbs"), "metrics.invest_verbs")
                               for f in _phrase_forms(w.lower(), True, irregular)),
        benchmarks=_lower_forms(_words(spec.get("benchmarks"), "metrics.benchmarks"), irregular),
        upper_bounds=by_length(_words(spec.get("upper_bounds"), "metrics.upper_bounds")),
        thresholds=by_length(_words(spec.get("thresholds"), "metrics.thresholds")),
        amount_verbs={f: str(name) for verb, name in _mapping(spec.get("amount_verbs"), "metrics.amount_verbs").items()
                      for f in _phrase_forms(str(verb).lower(), True, irregular)},
        goals=frozenset(f for w in _words(spec.get("goals"), "metrics.goals")
                        for f in _phrase_forms(w.lower(), True, irregular)),
        conditions_after=frozenset(w.lower() for w in _words(spec.get("conditions_after"), "metrics.conditions_after")))


def _lower_forms(words: Iterable[str], irregular: dict[str, tuple[str, str]]) -> frozenset[str]:
    return frozenset(f.lower() for w in words for f in _phrase_forms(w, False, irregular))


def _verb_frame(predicate: str, item: object, where: str) -> VerbFrame:
    if isinstance(item, str):
        return VerbFrame(predicate, tuple(item.lower().split()), "agent", "theme")
    if not isinstance(item, dict) or "verb" not in item:
        raise InputError(f"{where}: each entry is a verb or a mapping with 'verb', not {item!r}")
    voice = item.get("voice")
    if voice not in (None, "active", "passive"):
        raise InputError(f"{where}: voice of {item['verb']!r} must be active or passive")
    return VerbFrame(predicate, tuple(str(item["verb"]).lower().split()), str(item.get("subject", "agent")),
                     str(item.get("object", "theme")), voice, tuple(_words(item.get("objects"), where)))


def _noun_frame(predicate: str, item: object, where: str) -> NounFrame:
    if isinstance(item, str):
        item = {"noun": item}
    if not isinstance(item, dict) or "noun" not in item:
        raise InputError(f"{where}: each entry is a noun or a mapping with 'noun', not {item!r}")
    noun = str(item["noun"])
    subject, obj = str(item.get("subject", "head")), str(item.get("object", "owner"))
    if noun.startswith("@"):
        name = noun[1:]
        if name in KINDS:
            return NounFrame(predicate, (), subject, obj, kind=name)
        return NounFrame(predicate, (), subject, obj, titles=name)
    return NounFrame(predicate, tuple(noun.split()), subject, obj)


def _entities(value: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in _as_list(value, "entities"):
        if not isinstance(item, dict) or not item.get("label") or item.get("type") not in KINDS:
            raise InputError(f"entities: each entry needs a label and a type (one of {', '.join(KINDS)}), "
                             f"not {item!r}")
        out.append({"label": str(item["label"]), "type": str(item["type"]),
                    "aliases": _words(item.get("aliases"), f"entities.{item['label']}.aliases"),
                    "tickers": _words(item.get("tickers"), f"entities.{item['label']}.tickers")})
    return out


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words in lower case (``ontology/english_words.txt``): a capitalised one opening a
    sentence ("Regulators said") is that word, not a name."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon (no analysts' files), parsed once per process."""
    return load_lexicon()
