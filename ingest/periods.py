"""When facts hold: "since 2019", "until 2024", and facts the text says have ended.

Why a pass of its own: the matchers (``ingest.frames``, ``ingest.relations``) decide whether a sentence states
a fact; this pass decides, for the facts they found and for a few they leave out on purpose (a former chief
executive is no ``ceoOf``), whether the fact still holds. An ended fact is not a current relation: it goes to
``Extraction.ended``, which the graph keeps as history and scoring never reads. The words are data
(``ontology/periods.yaml``); the lexicon gives the job titles.

Dates are kept as precise as the text is ("2021", "2021-03", "2021-03-04"), so comparing them as text orders
them, a year standing for its first day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from ingest.kb import vocabulary
from ingest.lexicon import Lexicon
from ingest.model import Evidence, Fact, InputError, Mention, Period
from ingest.sentences import Sentence
from ontology import LEXICON_FILE

PERIODS_FILE = LEXICON_FILE.parent / "periods.yaml"
ENDED_CONFIDENCE = 0.75

_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))}
_DATE = (r"(?:(?P<d1>\d{1,2})\s+)?(?:(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
         r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+)?(?:(?P<d2>\d{1,2}),?\s+)?"
         r"(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class _Words:
    former: re.Pattern[str]  # a former-word ending where a title starts
    owner_gap: re.Pattern[str]  # between a company and its title: "Baidu's former chief executive", "Baidu CEO"
    enders: re.Pattern[str]  # "stepped down as (the)" ending where a title (or its company) starts
    past_role: re.Pattern[str]  # "was", "served as": a role that "until 2024" ends
    before: dict[str, re.Pattern[str]]  # predicate -> words before the object that end the fact
    after: dict[str, re.Pattern[str]]  # predicate -> words after the object
    between: dict[str, re.Pattern[str]]  # predicate -> what between subject and object ends it
    phrases: dict[str, list[re.Pattern[str]]]  # predicate -> the middle of "{S} ... {O}"
    start: re.Pattern[str]  # "since 2019"
    end: re.Pattern[str]  # "until 2024"
    in_date: re.Pattern[str]  # "in 2021", after an ending word


def _alt(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


def _list(data: dict[str, object], key: str, where: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key} must be a list of words", where)
    return [str(v) for v in value]


@cache
def words(path: Path = PERIODS_FILE) -> _Words:
    """The compiled word lists of ``periods.yaml`` (read once per process)."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the period words: {str(exc).splitlines()[0]}", where) from None
    if not isinstance(data, dict):
        raise InputError("must be a mapping", where)
    ended_by = data.get("ended_by") or {}
    phrases = data.get("ended_phrases") or {}
    if not isinstance(ended_by, dict) or not isinstance(phrases, dict):
        raise InputError("ended_by and ended_phrases must be mappings of predicates", where)

    def side(key: str, template: str, plain: bool = True) -> dict[str, re.Pattern[str]]:
        out = {}
        for predicate, lists in ended_by.items():
            got = _list(lists or {}, key, where)
            if got:
                alts = _alt(got) if plain else "|".join(f"(?:{w})" for w in got)
                out[str(predicate)] = re.compile(template.format(alts), re.I)
        return out

    return _Words(
        former=re.compile(rf"\b(?:{_alt(_list(data, 'former', where))})(?:\s+|-)$", re.I),
        owner_gap=re.compile(rf"(?:['’]s)?\s+(?:(?:{_alt(_list(data, 'former', where))})(?:\s+|-))?", re.I),
        enders=re.compile(rf"\b(?:{_alt(_list(data, 'role_enders', where))})\s+as\s+(?:the\s+|its\s+|their\s+)?$",
                          re.I),
        past_role=re.compile(r"\b(?:was|were|had\s+been|served\s+as|serving\s+as)\s+(?:the\s+|its\s+)?(?:co-)?$",
                             re.I),
        before=side("before", r"\b(?:{})\s+(?:[^\s,;]+\s+){{0,3}}$"),
        after=side("after", r"^\s*(?:{})\b"),
        between=side("between", r"\s+(?:{})\s+(?:the\s+)?", plain=False),
        phrases={str(p): [re.compile(_middle(t), re.I) for t in _list(phrases, str(p), where)] for p in phrases},
        start=re.compile(rf"\b(?:{_alt(_list(data, 'start_words', where))})\s+{_DATE}", re.I),
        end=re.compile(rf"\b(?:{_alt(_list(data, 'end_words', where))})\s+{_DATE}", re.I),
        in_date=re.compile(rf"\b(?:{_alt(_list(data, 'in_words', where))})\s+{_DATE}", re.I),
    )


def _middle(template: str) -> str:
    """ "{S} exited {O}" -> the regex of what stands between the two names."""
    if not (template.startswith("{S}") and template.endswith("{O}")):
        raise InputError(f"an ended phrase must read '{{S}} ... {{O}}': {template!r}", str(PERIODS_FILE))
    return r"\s+" + template[3:-3].strip() + r"\s*"


def _date(m: re.Match[str]) -> str:
    """The matched date as YYYY, YYYY-MM or YYYY-MM-DD."""
    year = m.group("year")
    if not m.group("mon"):
        return year
    month = _MONTHS[m.group("mon")[:3].lower()]
    day = m.group("d1") or m.group("d2")
    return f"{year}-{month:02d}-{int(day):02d}" if day and 1 <= int(day) <= 31 else f"{year}-{month:02d}"


def _before(end: str, article_date: str | None) -> bool:
    """Whether a stated end lies before the article's day (same year, or no article date: not known)."""
    return bool(article_date) and end < str(article_date)[: len(end)]


def read(facts: list[Fact], sentences: list[Sentence], per_sentence: list[list[Mention]], text: str,
         article: str, article_date: str | None, lex: Lexicon) -> tuple[list[Fact], list[Fact]]:
    """``facts`` split into those that hold (with a period where the text gives one) and those that have ended,
    plus the ended roles, lifted rules and sold stakes the matchers leave out."""
    w = words()
    by_start = {s.start: (s, ms) for s, ms in zip(sentences, per_sentence, strict=True)}
    current: list[Fact] = []
    ended: list[Fact] = []
    for f in facts:
        found = by_start.get(f.evidence.start)
        if found is None:
            current.append(f)
            continue
        sentence, ms = found
        period = _period(f, sentence, ms, text, w, article_date)
        if period is None:
            current.append(f)
        elif period.ended:
            ended.append(replace(f, period=period))
        else:
            current.append(replace(f, period=period))
    for sentence, ms in zip(sentences, per_sentence, strict=True):
        ended += _ended_roles(sentence, ms, text, article, lex, w)
        ended += _ended_phrases(sentence, ms, text, article, w)
    held = {(f.subject.iri, f.predicate, f.object.iri, f.evidence.start) for f in current}
    seen: set[tuple[str, str, str, int]] = set()
    out = []
    for f in ended:
        key = (f.subject.iri, f.predicate, f.object.iri, f.evidence.start)
        if key not in held and key not in seen:
            seen.add(key)
            out.append(f)
    return current, out


def _mention(ms: list[Mention], iri: str) -> Mention | None:
    return next((m for m in ms if m.entity.iri == iri), None)


def _period(f: Fact, sentence: Sentence, ms: list[Mention], text: str, w: _Words,
            article_date: str | None) -> Period | None:
    """The period of a fact found in ``sentence``: ended by a word of its predicate, or dated."""
    s, o = _mention(ms, f.subject.iri), _mention(ms, f.object.iri)
    if s is None or o is None:
        return None
    ended = False
    if f.predicate in w.before and w.before[f.predicate].search(text[sentence.start: o.start]):
        ended = True
    elif f.predicate in w.after and w.after[f.predicate].search(text[o.end: min(sentence.end, o.end + 40)]):
        ended = True
    elif f.predicate in w.between and s.end <= o.start and w.between[f.predicate].fullmatch(text[s.end: o.start]):
        ended = True
    last = max(s.end, o.end)
    # a date belongs to the fact when it follows both names with no other name between ("since 2019")
    nxt = min((m.start for m in ms if m.start >= last and m.entity.iri not in (f.subject.iri, f.object.iri)),
              default=sentence.end)
    tail = text[last: nxt]
    start = w.start.search(tail)
    end = w.end.search(tail) or (w.in_date.search(tail) if ended else None)
    period = Period(_date(start) if start else None, _date(end) if end else None, ended)
    if period.end and _before(period.end, article_date):
        period = replace(period, ended=True)
    return period if (period.start or period.end or period.ended) else None


def _ceo_titles(lex: Lexicon) -> re.Pattern[str]:
    return _title_pattern(tuple(sorted(lex.ceo_titles)))


@cache
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:co-)?(?:{_alt(list(titles))})\b", re.I)


def _ended_roles(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon,
                 w: _Words) -> list[Fact]:
    """Chief executives whose role the sentence says is over: "former Baidu chief executive Lu Qi", "X, who
    stepped down as chief executive of Y in 2021", "X was chief executive of Y until 2024"."""
    people = [m for m in ms if m.entity.type == "Person"]
    companies = [m for m in ms if m.entity.type == "Company" and m.rule != "demonym"]
    if not people or not companies:
        return []
    out = []
    for t in _ceo_titles(lex).finditer(sentence.text):
        at, to = sentence.start + t.start(), sentence.start + t.end()
        pre = text[max(sentence.start, at - 60): at]
        owner = next((c for c in companies if c.end <= at and w.owner_gap.fullmatch(text[c.end: at])), None)
        lead_end = owner.start if owner else at  # where the title and its company begin
        lead = text[max(sentence.start, lead_end - 60): lead_end]
        kind = None
        if w.former.search(pre) or (owner and w.former.search(lead)):
            kind = "former"  # "the former chief executive of Y", "Y's ex-CEO", "former Y chief executive"
        elif w.enders.search(lead):
            kind = "ender"  # "stepped down as (Y's) chief executive"
        after = text[to: min(sentence.end, to + 60)]
        of = re.match(r"\s+(?:of|at)\s+(?:the\s+)?", after)
        company = owner
        if company is None and of:
            company = next((c for c in companies if c.start == to + of.end()), None)
        until = w.end.search(text[to: min(sentence.end, (company.end if company and company.start > at else to) + 40)])
        if kind is None and until and w.past_role.search(pre):
            kind = "until"
        if kind is None:
            continue
        person = min(people, key=lambda p: _distance(p, at, to))
        if _distance(person, at, to) > 100:
            continue
        if company is None and kind == "ender":  # "who founded ByteDance and stepped down as chief executive"
            between = [c for c in companies if person.end <= c.start and c.end <= at]
            company = between[-1] if between else None
        if company is None:
            continue
        since = w.start.search(text[to: min(sentence.end, to + 80)])
        end = until or (w.in_date.search(text[to: min(sentence.end, to + 60)]) if kind == "ender" else None)
        conf = round(min(ENDED_CONFIDENCE, person.confidence, company.confidence), 3)
        out.append(Fact(person.entity, "ceoOf", company.entity,
                        Evidence(article, sentence.text, sentence.start, sentence.end, f"period-{kind}", conf),
                        Period(_date(since) if since else None, _date(end) if end else None, True)))
    return out


def _distance(m: Mention, at: int, to: int) -> int:
    return m.start - to if m.start >= to else at - m.end if m.end <= at else 0


def _ended_phrases(sentence: Sentence, ms: list[Mention], text: str, article: str, w: _Words) -> list[Fact]:
    """ "X was removed from the Entity List", "A has exited B": facts named only as they end."""
    vocab = vocabulary()
    out = []
    for i, a in enumerate(ms):
        for b in ms[i + 1: i + 4]:
            between = text[a.end: b.start]
            if len(between) > 80:
                break
            for predicate, patterns in w.phrases.items():
                if a.entity.type not in vocab.domain.get(predicate, ()) or \
                        b.entity.type not in vocab.range.get(predicate, ()) or a.entity.iri == b.entity.iri:
                    continue
                if any(p.fullmatch(between) for p in patterns):
                    tail = text[b.end: sentence.end]
                    end = w.in_date.match(tail.lstrip()) or w.end.search(tail[:40])
                    conf = round(min(ENDED_CONFIDENCE, a.confidence, b.confidence), 3)
                    out.append(Fact(a.entity, predicate, b.entity,
                                    Evidence(article, sentence.text, sentence.start, sentence.end, "period-phrase",
                                             conf), Period(None, _date(end) if end else None, True)))
    return out
