"""Company metrics: money amounts, percentages and counts, normalised to base units with a period.

"RMB 30 billion" -> 30000000000 CNY; "$4.1bn" -> 4100000000 USD; "fell 17%" -> -17 percent; "380-billion-yuan";
"employs about 800 people" -> 800 employees; "in the quarter ended December 31" (article of March 2025) -> period
"2024-Q4". The words (metric names, verbs of change, count units and the verbs that give one, currencies,
scales, conditional, goal and bound cues, benchmarks) are the lexicon's (``metrics``).

What is not a reported value is left out: ranges ("$40 billion to $42 billion", "20% to 25%"), figures under
a conditional or a goal ("could reach $50 billion", "aims to double revenue to"), bounds ("up to 10,000
accelerators"), comparisons ("99.8% below the industry average"), unit prices and a product's make-up ("per
1,000 tokens", "chips per rack"), and numbers no company owns. The owner is the company the metric name belongs
to ("Kuaishou's revenue", "revenue at its cloud unit", "Alibaba Cloud revenue", "a round in MiniMax", "62% for
SK Hynix", "Tencent holds 2.4%"; a valuation is the funded company's), else the subject of the clause (not a
company after a preposition or a product's brand), else the company the paragraph opens with, else the company
the article is about; a unit's figure is the unit's when the knowledge base names it ("its cloud division").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.lexicon import Lexicon, MetricWords
from ingest.model import Entity, Evidence, Mention, Metric
from ingest.sentences import Sentence

if TYPE_CHECKING:
    from ingest.kb import KnowledgeBase

_DIGIT = re.compile(r"\d")
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("quarter-ended", re.compile(rf"\b(?:quarter|three\s+months)\s+(?:ended|ending|to|through)\s+{_MONTH}"
                                 r"(?:\s+(?P<day>\d{1,2}))?(?:,?\s+(?P<year>\d{4}))?", re.I)),
    # "the September quarter", "the June quarter of 2024": the quarter that ends in that month
    ("month-quarter", re.compile(rf"\b{_MONTH}[\s-]+quarter(?:\s+of\s+(?P<year>\d{{4}}))?", re.I)),
    # "the first nine months of 2025", "the first three quarters": January to September
    ("nine-months", re.compile(r"\bfirst\s+(?:nine|9)[\s-]+months|\bfirst\s+three\s+quarters", re.I)),
    ("nth-quarter", re.compile(r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+"
                               r"quarter"
                               r"(?:\s+(?:of\s+)?(?:(?:fiscal|FY)\s*(?:year\s+)?)?(?P<year>\d{4}))?", re.I)),
    ("q-year", re.compile(r"\bQ(?P<q>[1-4])\s*(?:of\s+)?(?P<fy>FY|fiscal\s+(?:year\s+)?)?\s*'?"
                          r"(?P<year>\d{4}|\d{2})\b")),
    ("half", re.compile(r"\b(?P<ord>first|second)\s+half\b"
                        r"(?:\s+(?:of\s+)?(?:(?:fiscal|FY)\s*(?:year\s+)?)?(?P<year>\d{4}))?"
                        r"|\bH(?P<h>[12])\s*(?P<year2>\d{4})", re.I)),
    ("fiscal", re.compile(r"\b(?:FY\s?|fiscal\s+(?:year\s+)?)(?P<year>\d{4}|\d{2})\b", re.I)),
    ("month-year", re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b")),
    ("year", re.compile(r"\b(?:in|for|during|of|throughout|by|end\s+of|year)\s+(?P<year>(?:19|20)\d{2})\b(?!\s*-)")),
    ("relative-year", re.compile(r"\b(?P<rel>last|this|next)\s+year\b", re.I)),
]




def _quarter_year(month: int, day: int, year: int | None, article_date: str | None) -> str:
    q = (month - 1) // 3 + 1
    if year is None:
        year = int(article_date[:4]) if article_date else None
        if year is not None and article_date and (month, day) > (int(article_date[5:7]), int(article_date[8:10])):
            year -= 1
    return f"{year}-Q{q}" if year else f"Q{q}"


def find_period(text: str, article_date: str | None) -> str | None:
    """The reporting period a sentence names, normalised where possible (2024-Q4, FY2026, 2025-H1, 2024)."""
    for kind, pattern in _PERIODS:
        m = pattern.search(text)
        if not m:
            continue
        g = m.groupdict()
        if kind in ("quarter-ended", "month-quarter"):
            return _quarter_year(_MONTHS[g["month"].lower()], int(g.get("day") or 28),
                                 int(g["year"]) if g["year"] else None, article_date)
        if kind == "nine-months":
            year_m = re.match(r"\s+(?:of\s+|in\s+)?(?:(?:fiscal|FY)\s*)?(\d{4})\b", text[m.end():])
            year = year_m.group(1) if year_m else (
                str(int(article_date[:4]) - (int(article_date[5:7]) < 10)) if article_date else None)
            return f"{year}-9M" if year else "9M"  # (reported from October on: in January, last year's)
        if kind == "nth-quarter":
            year = g["year"] or (article_date[:4] if article_date else None)
            return f"{year}-Q{_ORD[g['ord'].lower()]}" if year else f"Q{_ORD[g['ord'].lower()]}"
        if kind == "q-year":
            year = g["year"] if len(g["year"]) == 4 else "20" + g["year"]
            return f"Q{g['q']} FY{year}" if g["fy"] else f"{year}-Q{g['q']}"
        if kind == "half":
            half = g["h"] or ("1" if (g["ord"] or "").lower() == "first" else "2")
            year = g["year"] or g["year2"] or (article_date[:4] if article_date else None)
            return f"{year}-H{half}" if year else f"H{half}"
        if kind == "fiscal":
            year = g["year"] if len(g["year"]) == 4 else "20" + g["year"]
            return f"FY{year}"
        if kind == "month-year":
            return f"{g['year']}-{_MONTHS[g['month'].lower()]:02d}"
        if kind == "year":
            return g["year"]
        if kind == "relative-year" and article_date:
            offset = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
            return str(int(article_date[:4]) + offset)
    return None




@dataclass(frozen=True)
class _Number:
    value: float
    unit: str
    start: int  # offsets into the sentence
    end: int


@dataclass(frozen=True)
class _Patterns:
    money: re.Pattern[str]
    percent: re.Pattern[str]
    count: re.Pattern[str]
    name: re.Pattern[str]
    name_after: re.Pattern[str]
    change_before: re.Pattern[str]
    change_after: re.Pattern[str]
    conditional: re.Pattern[str]
    counted: re.Pattern[str]  # "employs about 800 people": a count whose verb says what it counts
    outlook: re.Pattern[str]  # "and expects about $16bn" (matched on the text before a figure)
    invested: re.Pattern[str]  # "put $1.5bn" (matched on the text before a figure; "into" after it)
    amount_verb: re.Pattern[str]  # "sold $17bn": a verb that names the amount after it
    amount_names: dict[str, str]  # its forms -> the metric name
    compared: re.Pattern[str]  # "99.8% below the industry average" (matched on the text after a percentage)
    bounded: re.Pattern[str]  # "up to 10,000" (matched on the text before a figure)
    threshold: re.Pattern[str]  # "or less" (matched on the text after a figure)
    goal: re.Pattern[str]  # "aims to double revenue to", "a goal of" (in the clause before a figure)
    condition_after: re.Pattern[str]  # "would rise 20% if the deal closes" (in the clause after a figure)
    bare_from: re.Pattern[str]  # "down from more than 600": a figure in the unit of the one before


_CACHE: dict[int, tuple[MetricWords, _Patterns]] = {}


def _alt(words: object) -> str:
    items = sorted({str(w) for w in words if w}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")" if items else "(?!)"


def _patterns(mw: MetricWords) -> _Patterns:
    hit = _CACHE.get(id(mw))
    if hit and hit[0] is mw:
        return hit[1]
    names = {f for n in mw.names for f in ((n, n + "s") if " " not in n and not n.endswith("s") else (n,))}
    symbols = [c for c in mw.currencies if not c[:1].isalpha()]  # "$", "US$", "€"
    codes = [c for c in mw.currencies if c[:1].isalpha()]  # "RMB", "yuan", "US dollars"
    scale = rf"(?:\s*-?\s*(?P<scale>{_alt(mw.scales)})\b)?"
    prefix = rf"(?P<pre>{_alt(symbols)}\s?|(?:{_alt([c for c in codes if c.isupper() and len(c) <= 3])})\s?)"
    suffix = rf"(?:[\s-]+(?P<suf>{_alt(codes)})\b)?"
    p = _Patterns(
        money=re.compile(rf"(?<![\w.]){prefix}?{_NUM}{scale}{suffix}"),
        percent=re.compile(rf"(?<![\w.])-?{_NUM}\s*(?:%|per\s?cent\b|percent\b)"),
        # "45 million users", "45,000 wafers a month" (not "10,000 Nvidia A800 chips": a cluster's size)
        count=re.compile(rf"(?<![\w.$]){_NUM}{scale}\s+(?:(?:[a-z][\w-]*)\s+){{0,2}}?"
                         rf"(?P<noun>{_alt(mw.count_units)})\b(?:\s+(?:a|per|each|every)\s+(?P<per>day|week|month|year)\b)?"),
        name=re.compile(rf"\b(?P<kw>{_alt(names)})\b", re.I),
        # "$4.5 billion charge", "3.98 billion yuan private placement", "49% of ASML's system sales"
        name_after=re.compile(rf"^\s*(?:(?:in|of|for)\s+)?(?:[\w'’-]+\s+){{0,3}}?(?P<kw>{_alt(names)})\b", re.I),
        # "fell 17%", "rose by about 5%", "fell by the daily limit of 10%"
        # ("ahead of forecasts and down 7%": "up" and "down" alone too)
        change_before=re.compile(rf"\b(?:(?P<up>{_alt(mw.up)}|up)|(?P<down>{_alt(mw.down)}|down))\s+(?:by\s+|"
                                 r"about\s+|nearly\s+|almost\s+|more\s+than\s+|roughly\s+|some\s+|as\s+much\s+as\s+|"
                                 r"a\s+further\s+|an?\s+|by\s+(?:the\s+|a\s+)?(?:[a-z-]+\s+){0,3}?of\s+|"
                                 r"by\s+the\s+(?:[a-z-]+\s+)?)?$", re.I),
        change_after=re.compile(rf"^\s*(?:(?P<up>{_alt(mw.up_nouns)}|higher|up)|(?P<down>{_alt(mw.down_nouns)}|lower|down))"
                                r"\b", re.I),
        conditional=re.compile(rf"\b{_alt(mw.conditional)}\b"),
        counted=re.compile(rf"\b(?P<verb>{_alt(mw.count_verbs)})\s+(?:{_QUALIFIER})?{_NUM}{scale}\s+"
                           r"(?P<noun>people|persons|individuals|staff|times|[a-z]+s)\b"),
        outlook=re.compile(rf"\b(?:{_alt(mw.outlook_verbs)})\s+(?:to\s+)?(?:{_QUALIFIER})?$", re.I),
        invested=re.compile(rf"\b(?:{_alt(mw.invest_verbs)})\s+(?:another\s+|{_QUALIFIER})?$", re.I),
        compared=re.compile(rf"^\s+(?:below|above|under|over|cheaper\s+than|lower\s+than|higher\s+than|less\s+than|"
                            rf"more\s+than)\s+(?:the\s+|that\s+of\s+(?:the\s+)?|those\s+of\s+(?:the\s+)?)?"
                            rf"(?:[\w-]+\s+){{0,2}}?{_alt(mw.benchmarks)}\b", re.I),
        goal=re.compile(rf"\b{_alt(mw.goals)}\b(?!\s+price)", re.I),  # (a "target price" is an analyst's figure)
        condition_after=re.compile(rf"^[^,;:.]{{0,60}}?\b{_alt(mw.conditions_after)}\b", re.I),
        amount_verb=re.compile(rf"\b(?P<verb>{_alt(mw.amount_verbs)})\s+(?:another\s+|{_QUALIFIER})?$", re.I),
        amount_names=mw.amount_verbs,
        threshold=re.compile(rf"^\s*{_alt(mw.thresholds)}\b", re.I),
        bounded=re.compile(rf"\b{_alt(mw.upper_bounds)}\s+$", re.I),
        bare_from=re.compile(rf"\b(?:up|down|rising|falling|compared\s+with)\s+from\s+(?:{_QUALIFIER})?{_NUM}"
                             rf"{scale}(?![\w%.,]*\d)(?!\s*(?:%|per\s?cent|[A-Za-z]*\$))"),
    )
    _CACHE[id(mw)] = (mw, p)
    return p


_QUALIFIER = (r"(?:about|around|roughly|nearly|almost|some|more\s+than|over|just\s+over|just\s+under|under|"
              r"close\s+to)\s+")


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _numbers(text: str, mw: MetricWords, p: _Patterns) -> Iterator[_Number]:
    taken: list[tuple[int, int]] = []
    for m in p.percent.finditer(text):
        value = _to_float(m.group("num")) * (-1 if m.group().startswith("-") else 1)
        taken.append((m.start(), m.end()))
        yield _Number(value, "percent", m.start(), m.end())
    for m in p.money.finditer(text):
        pre, suf = m.group("pre"), m.group("suf")
        if not pre and not suf:
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        key = (pre or suf).strip()
        cur = mw.currencies.get(key) or mw.currencies.get(" ".join(key.split())) or next(
            (v for k, v in mw.currencies.items() if k.lower() == key.lower()), "USD")
        scale = mw.scales.get((m.group("scale") or "").lower(), 1.0)
        if (m.group("scale") or "").lower() in ("m", "b") and not pre and not suf:
            continue  # "5 m" without a currency is a length, not money ("930m yuan" is money)
        taken.append((m.start(), m.end()))
        yield _Number(round(_to_float(m.group("num")) * scale, 2), cur, m.start(), m.end())
    for m in p.counted.finditer(text):
        at = m.start("num")
        if any(at < e and s < m.end() for s, e in taken):
            continue
        unit = mw.count_verbs[" ".join(m.group("verb").lower().split())]
        scale = mw.scales.get((m.group("scale") or "").lower(), 1.0)
        taken.append((at, m.end()))
        yield _Number(round(_to_float(m.group("num")) * scale, 2), unit, at, m.end())
    for m in p.count.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if re.search(r"(?:[A-Z][\w-]*|\b(?:Tier|Phase|Level|Gen|No\.?))\s+$", text[max(0, m.start() - 20): m.start()]):
            continue  # "Baichuan 2 models", "Siyuan 590 accelerators", "September 7": a number of a name or a date
        scale = mw.scales.get((m.group("scale") or "").lower(), 1.0)
        unit = " ".join(m.group("noun").lower().split())
        if " " in unit and " per " not in unit and " and " not in unit:
            unit = unit.split()[-1]  # "monthly active users" counts users
        if m.group("per") and " per " not in unit:
            unit = f"{unit} per {m.group('per')}"  # "45,000 wafers a month" is the lexicon's "wafers per month"
        taken.append((m.start(), m.end()))
        yield _Number(round(_to_float(m.group("num")) * scale, 2), unit, m.start(), m.end())


def _with_bare(text: str, numbers: list[_Number], mw: MetricWords, p: _Patterns) -> list[_Number]:
    """The numbers and the bare figures a change is measured from, in the unit of the figure before ("about 500
    employees, down from more than 600"; "$4.1bn, up from 3.2bn")."""
    out = list(numbers)
    for m in p.bare_from.finditer(text):
        at = m.start("num")
        if any(at < n.end and n.start < m.end() for n in numbers):
            continue
        if not m.group("scale") and re.fullmatch(r"(?:19|20)\d\d", m.group("num")):
            continue  # "up from 2023": a year
        before = [n for n in numbers if n.end <= m.start() and n.unit != "percent"]
        if not before:
            continue
        scale = mw.scales.get((m.group("scale") or "").lower(), 1.0)
        out.append(_Number(round(_to_float(m.group("num")) * scale, 2), before[-1].unit, at, m.end()))
    return sorted(out, key=lambda n: n.start)


def _ranged(text: str, n: _Number, numbers: list[_Number]) -> bool:
    """Whether the number is one end of a range: "$40 billion to $42 billion", "20% to 25%", "between 5 and 7%",
    "flat to up 2%"."""
    for o in numbers:
        if o is n:
            continue
        a, b = (n, o) if n.start < o.start else (o, n)
        gap = text[a.end: b.start]
        if re.fullmatch(r"\s*(?:to|-|–|—|and|or)\s*(?:US\$|\$|HK\$|RMB\s?|€|£|¥)?", gap) and a.unit == b.unit:
            if re.search(r"\bfrom\s+(?:about\s+|around\s+)?$", text[max(0, a.start - 12): a.start]):
                continue  # "rose from $1 billion to $2 billion": a change, not a range
            return True
    before = text[max(0, n.start - 40): n.start]
    return bool(re.search(r"\bbetween\s+[^,;]{0,25}$", before) or re.search(r"\bflat\s+to\s+(?:up|down)\s+$", before)
                or re.search(r"(?<![\d,.])(?!(?:19|20)\d\d\b)\d{1,3}(?:[.,]\d+)?\s*"
                             r"(?:trillion|billion|million|bn|mn|m|tn)?\s*(?:to|-|–)\s*$", before))
    # ("5 to 7%", "7 billion to 8 billion yuan": the first end has no unit of its own)


_NOT_PERCENT = {"worth", "valued", "deal", "contract", "order", "orders", "fine", "penalty", "budget", "cost", "costs"}


def _metric_name(text: str, n: _Number, p: _Patterns, names: list[tuple[int, int]]) -> str | None:
    """The metric a number measures: the nearest metric name before it (with its modifiers), or one just after it
    ("$4.3 billion in revenue"), or the unit of a count. A name inside an entity's name ("Office of Foreign
    Assets Control") is not one."""
    lo = max(0, n.start - 100)
    while 0 < lo < n.start and text[lo - 1].isalnum():
        lo += 1  # not from inside a word ("ted revenue" of "reported revenue")
    before = text[lo: n.start]
    best = None
    for m in p.name.finditer(before):
        if any(lo + m.start() < e and s < lo + m.end() for s, e in names):
            continue
        if n.unit == "percent" and m.group("kw").lower() in _NOT_PERCENT:
            continue
        best = m
    if best is not None:
        kept: list[str] = []
        for w in reversed(list(re.finditer(r"\S+", before[: best.start()]))[-3:]):
            word, at = w.group(), lo + w.start()
            if not re.fullmatch(r"[A-Za-z][A-Za-z&-]*", word) or word.lower() in _NAME_STOP or any(
                    at < e and s < at + len(word) for s, e in names):
                break  # ("Amazon shares": a name is whose figure it is, not part of the figure's name)
            kept.insert(0, word)
        return " ".join([*kept, *best.group("kw").split()])
    after = p.name_after.match(text[n.end: n.end + 60])
    if after:
        return after.group("kw")
    if n.unit == "percent":
        part = _SHARE_OF.match(text[n.end: n.end + 80])
        if part:
            return f"share of {part.group('what')}"
    elif p.invested.search(text[max(0, n.start - 40): n.start]) and re.match(r"\s+in(?:to)?\s", text[n.end: n.end + 8]):
        return "investment"
    elif verb := p.amount_verb.search(text[max(0, n.start - 40): n.start]):
        return p.amount_names.get(" ".join(verb.group("verb").lower().split()))
    if n.unit not in ("percent",) and n.unit.replace(" ", "").isalpha() and n.unit.islower():
        return n.unit
    return None


# "makes about 40% of its DRAM in Wuxi", "46% of Qualcomm's $39bn of revenue": a part of the owner's whole
_SHARE_OF = re.compile(r"\s+of\s+(?:its|their|the\s+(?:company|group|firm)['’]s|"
                       r"(?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*['’]s)\s+(?:\S*\d\S*\s+of\s+)?(?P<what>[A-Za-z][\w-]*)")


# Words that end a metric's modifiers when walking back from its name ("but net profit" -> "net profit").
_NAME_STOP = {
    "the", "a", "an", "its", "their", "his", "her", "our", "that", "this", "of", "in", "on", "to", "and", "or",
    "but", "said", "says", "with", "from", "as", "at", "by", "for", "is", "was", "were", "has", "had", "have", "be",
    "it", "than", "while", "whose", "which", "reported", "posted", "booked", "expects", "expected", "company",
    "group", "firm", "also", "year", "quarter", "when", "where", "after", "before", "since", "about", "put",
    "puts",
}


def extract_metrics(sentence: Sentence, mentions: list[Mention], topic: Mention | None, article: str,
                    article_date: str | None, lex: Lexicon, kb: KnowledgeBase | None = None) -> list[Metric]:
    """Metrics reported in one sentence; ``topic`` is the company the article is about so far (the owner of a
    figure whose clause names no company). ``kb`` names a company's units ("its cloud division": Alibaba
    Cloud)."""
    text = sentence.text
    if not _DIGIT.search(text):
        return []
    mw = lex.metric_words
    p = _patterns(mw)
    numbers = _with_bare(text, list(_numbers(text, mw, p)), mw, p)
    if not numbers:
        return []
    period = find_period(text, article_date)
    companies = [m for m in mentions if m.entity.type == "Company" and m.rule not in ("demonym",)]
    spans = [(m.start - sentence.start, m.end - sentence.start) for m in mentions if m.rule not in ("coref",)]
    products = {m.start for m in mentions if m.entity.type in ("Chip", "AIModel")}
    brands = frozenset(c.start for c in companies if c.end + 1 in products and
                       text[c.end - sentence.start: c.end - sentence.start + 1] == " ")
    out: list[Metric] = []
    for number in numbers:
        if _ranged(text, number, numbers):
            continue
        clause = _clause_before(text, number.start)
        if p.conditional.search(clause) or p.goal.search(clause):
            continue  # "could be worth about $50 billion", "aims to double revenue to": not a reported figure
        if p.condition_after.match(text[number.end:]):
            continue  # "revenue would rise 20% if the deal closes"
        if number.unit == "percent" and p.compared.match(text[number.end: number.end + 60]):
            continue  # "99.8% below the industry average": a comparison
        money = number.unit.isupper()
        if not money and p.bounded.search(text[max(0, number.start - 20): number.start]):
            continue  # "can link up to 10,000 accelerators", "less than 5%": a bound
        if p.threshold.match(text[number.end: number.end + 20]):
            continue  # "stakes of $2 million or less are excepted": a rule's threshold
        if not money and number.unit != "percent" and re.match(
                r"\s+per\s+(?!(?:day|week|month|quarter|year)\b)[\w-]", text[number.end: number.end + 30]):
            continue  # "8,192 chips per SuperPoD", "384 processors per system": a product's make-up
        if re.search(r"\bper\s+$", text[max(0, number.start - 5): number.start]) or re.match(
                r"\s+(?:per|a|for\s+every)\s+(?:\d[\d,.]*|one)\s*(?:thousand|million|billion|k|m)?\s+[a-z]",
                text[number.end: number.end + 40]):
            continue  # "0.8 yuan per 1,000 tokens": a price for a quantity, and its quantity
        name = _metric_name(text, number, p, spans)
        if name is None and number.unit == "percent" and _held_share(text, number, lex):
            if _person_holds(text, number, mentions, sentence.start):
                continue  # "Its founder Lei Jun himself owns about 26%": a person's stake, no company's figure
            name = "stake"  # "Tencent holds 2.4% of Quillmark"
        if name is None and number.unit == "percent" and (p.change_before.search(text[max(0, number.start - 40):
                                                                                      number.start])):
            # "Amazon shares jumped 9.6% ..., while Microsoft slipped 2.9%": the figure the sentence is listing
            name = _earlier_name(text, number, numbers, p, spans)
        if name is None and number.unit == "percent" and any(
                re.fullmatch(r"\s+", text[c.end - sentence.start: number.start]) for c in companies):
            # "Lenovo held 24% of the market and HP 21%": a name and a figure alone repeat the figure before
            earlier = [n for n in numbers if n.end <= number.start and n.unit == "percent"]
            name = _earlier_name(text, number, numbers, p, spans) or (
                "market share" if earlier and re.search(r"\bmarket\b", text[earlier[-1].end: number.start]) else None)
        tail = re.search(r"(?:,|\band)\s+(?P<dir>up|down)\s+(?:by\s+)?$", text[max(0, number.start - 12): number.start])
        down_tail = False
        if name is None and number.unit == "percent" and tail:
            # "shipped 42.4 million smartphones in the quarter, up 0.6%": the change of the figure before
            earlier = [n for n in numbers if n.end <= number.start and n.unit != "percent"]
            base_name = _metric_name(text, earlier[-1], p, spans) if earlier else None
            if base_name:
                down_tail = tail.group("dir") == "down"
                name = f"{base_name} {'change' if down_tail else 'growth'}"
        if name is None and number.unit == "percent" and _company_moved(text, number, companies, sentence.start, p):
            name = "share price"  # "Lenovo fell 3.2%", "Baidu, which ..., added 1.1%": a market report's figure
        if number.unit != "percent" and p.outlook.search(text[max(0, number.start - 40): number.start]):
            # "revenue of $13.5bn ..., and expects about $16bn in the current quarter": the figure before, guided
            # (a name found before it is that figure's)
            before = [n for n in numbers if n.end <= number.start and n.unit == number.unit]
            base_name = _metric_name(text, before[-1], p, spans) if before else None
            name = f"{base_name} guidance" if base_name else name  # ("expects about $14bn of orders": its own)
        if name is None:
            continue
        value, unit = (-abs(number.value) if down_tail else number.value), number.unit
        rate = re.match(r"(?i)(daily|weekly|monthly|annual|yearly)\s", name)
        if rate and unit.islower() and unit != "percent" and " per " not in unit and unit not in name.lower():
            # "Monthly capacity has reached about 280,000 wafers": wafers per month (not "monthly active users")
            unit = f"{unit} per {_RATE[rate.group(1).lower()]}"
        lead = text[max(0, number.start - 40): number.start]
        change = p.change_before.search(lead)
        if unit == "percent":
            after_change = p.change_after.match(text[number.end: number.end + 20])
            if change or after_change:
                down = (change and change.group("down")) or (after_change and after_change.group("down"))
                value = -abs(value) if down else value
                if not re.search(r"growth|change|increase|decline", name, re.I):
                    name = f"{name} {'change' if down else 'growth'}" if name else "growth"
        company = _antecedent(_owner(sentence, number, companies, topic, p, brands), companies)
        if company is None:
            continue
        evidence = Evidence(article, text, sentence.start, sentence.end, "metric-pattern",
                            round(min(0.8, company.confidence), 3))
        owner = _unit_of(text, company, sentence.start, number, kb) if kb is not None else None
        out.append(Metric(owner or company.entity, name, value, unit, period, evidence))
    return _valued_as_funded(out, lex)


_UNIT = re.compile(r"(?:^['’]s|\b(?:its|their))\s+(?P<noun>[a-z]+)\s+(?:division|unit|arm|business|segment|"
                   r"subsidiary)\b")


def _unit_of(text: str, owner: Mention, base: int, n: _Number, kb: KnowledgeBase) -> Entity | None:
    """The company's unit the figure is of, when the text names the unit by its business ("revenue at its cloud
    division rose 34%", "Samsung's foundry business lost $1bn") and the knowledge base knows a company named
    after the two ("Alibaba Cloud", "Samsung Foundry"): a unit's figure is the unit's, not the group's."""
    if not 0 <= n.start - (owner.end - base) <= 80:
        return None
    after = text[owner.end - base: n.start]
    m = _UNIT.search(("'s" + after) if owner.text.lower() in ("its", "their") else after)
    if m is None:
        return None
    stem = owner.entity.label.split()[0]
    for form in (f"{stem} {m.group('noun').capitalize()}", f"{stem} {m.group('noun').upper()}"):
        unit = kb.by_label(form)
        if unit is not None and unit.type == "Company" and unit.iri != owner.entity.iri:
            return unit
    return None


def _antecedent(owner: Mention | None, companies: list[Mention]) -> Mention | None:
    """ "the company" for the company named last before it in the same sentence ("... 49.9% of Tokyo Electron's
    revenue in the quarter, when the company's sales reached 482bn yen"), whatever the article's coreference
    made of it; a pronoun or a name is kept."""
    if owner is None or owner.rule != "coref" or not re.fullmatch(r"(?i)the\s+(?:company|firm|group)", owner.text):
        return owner  # (a description of its own, "the five-year-old chip designer", is coreference's to read)
    named = [c for c in companies if c.end <= owner.start and c.rule != "coref"]
    return named[-1] if named else owner


def _valued_as_funded(metrics: list[Metric], lex: Lexicon) -> list[Metric]:
    """A valuation in a sentence with a round is the funded company's figure, as the round is ("A led a $600
    million round in B that valued the start-up at $2.5 billion"): not the investor's, nor whatever "the
    start-up" was read as."""
    funded = {m.company.iri: m.company for m in metrics if m.name.lower() in lex.rounds or
              m.name.lower().split()[-1] in lex.rounds}
    if len(funded) != 1:
        return metrics
    company = next(iter(funded.values()))
    valuations = lex.metric_words.valuations
    return [replace(m, company=company) if any(w in valuations for w in m.name.lower().split()) else m
            for m in metrics]


def paragraph_lead(sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """The company a paragraph's first sentence opens with, the owner of the paragraph's figures that name none
    ("Lenovo: revenue rose 5% ... Net profit fell 2%"); not one after a preposition ("in a filing to the Shanghai
    Stock Exchange"), and none when the first sentence names no company (the article's topic then)."""
    for m in mentions:
        if m.entity.type != "Company" or m.rule in ("demonym", "alias-prefix"):
            continue
        lead = sentence.text[max(0, m.start - sentence.start - 12): m.start - sentence.start]
        if not re.search(_PREPOSITION_BEFORE, lead, re.I) or _framing(sentence.text, m.start - sentence.start):
            return m
    return None


def _framing(text: str, at: int) -> bool:
    """Whether the name at ``at`` is in a sentence's opening frame, "At Lenovo, revenue rose ...": whose the
    clause is, though after a preposition."""
    return bool(re.fullmatch(r"[\s*_\"“]*(?:At|For|Over\s+at|Across|Within)\s+", text[:at])) and bool(
        re.match(r"[\w .&'’-]{0,40}?,", text[at:]))


_PREPOSITION_BEFORE = (r"\b(?:than|from|to|with|against|versus|vs|like|by|on|over|beyond|of|in|at|for|into|as)\s+"
                       r"(?:the\s+)?$")


_RATE = {"daily": "day", "weekly": "week", "monthly": "month", "annual": "year", "yearly": "year"}


def _earlier_name(text: str, number: _Number, numbers: list[_Number], p: _Patterns, spans: list[tuple[int, int]]
                  ) -> str | None:
    """The name of the nearest percentage before ``number`` that has one: what a bare figure in a list repeats."""
    for n in reversed([n for n in numbers if n.end <= number.start and n.unit == "percent"]):
        name = _metric_name(text, n, p, spans)
        if name:
            return name
    return None


def _company_moved(text: str, n: _Number, companies: list[Mention], base: int, p: _Patterns) -> bool:
    """Whether a company is itself the subject of the change verb before the percentage ("Lenovo fell 3.2%",
    "Oracle, which has borrowed heavily, fell 2.1%"): in a market report, the share price moved."""
    lead_start = max(0, n.start - 40)
    change = p.change_before.search(text[lead_start: n.start])
    if not change:
        return False
    verb_at = lead_start + change.start()
    return any(re.fullmatch(r"\s+(?:(?:also|had|has|have|then|later|briefly|initially|sharply)\s+)?|"
                            r",\s+[^;:,]{1,160}?,\s+", text[c.end - base: verb_at])
               for c in companies if c.end - base <= verb_at)


def _person_holds(text: str, n: _Number, mentions: list[Mention], base: int) -> bool:
    """Whether a person is the subject of the stake verb just before the percentage."""
    return any(m.entity.type == "Person" and m.end - base <= n.start and re.fullmatch(
        r"(?:,[^,]{1,80},)?\s+(?:(?:himself|herself|alone|personally|still|also|now|once)\s+)*[a-z]+\s+"
        r"(?:(?:about|around|roughly|nearly|almost|some|a)\s+)?", text[m.end - base: n.start]) for m in mentions)


def _held_share(text: str, n: _Number, lex: Lexicon) -> bool:
    """ "holds 2.4% of X", "took about 10% in X": a percentage after a verb the lexicon says takes a stake."""
    verb = re.search(rf"([a-z]+)\s+(?:{_QUALIFIER}|a\s+)?$", text[max(0, n.start - 30): n.start])
    if not verb or not re.match(r"\s+(?:of|in)\s|\s*(?:[,.;)]|$)|\s+(?:at|as\s+of|by|after|before|since|"
                                r"through|via)\b", text[n.end: n.end + 8]):
        return False  # ("had 20% more staff": the percentage of something else)
    return any(f.object == "@stake" for f in lex.verbs.get(verb.group(1), []))


_OWNER_CLAUSE = re.compile(r";|:\s|\s[–—]\s|,\s+(?:but|while|whereas|although|though|and)\s|\bbut\s|\b(?:and|while)\s+"
                           r"(?=[A-Z])")


def _clause_start(text: str, pos: int) -> int:
    """Where the clause of a number starts for finding its owner: after "and"/"while" before a name too."""
    start = 0
    for m in _OWNER_CLAUSE.finditer(text[:pos]):
        start = m.end()
    return start


def _clause_before(text: str, pos: int) -> str:
    """The clause a number stands in, up to the number: from the last clause break before it."""
    start = 0
    for m in re.finditer(r";|:\s|\s[–—]\s|,\s+(?:but|while|whereas|although|though|and)\s|\bbut\s", text[:pos]):
        start = m.end()
    return text[start:pos]


def _owner(sentence: Sentence, number: _Number, companies: list[Mention], topic: Mention | None, p: _Patterns,
           brands: frozenset[int] = frozenset()) -> Mention | None:
    """The company a number describes (see the module docstring for the order of the clues)."""
    text, base = sentence.text, sentence.start
    pos = base + number.start
    after = text[number.end: number.end + 40]
    clause_start = base + _clause_start(text, number.start)
    # "Tencent holds 2.4%", "SK Square, the investment arm of SK Group, owns 20.1% of SK Hynix": the holder's
    # ("Microsoft will own about 27% of OpenAI", "FTX once held about 8%", "Google, which owns a 14% stake",
    # "holds a stake of about 27% in")
    if number.unit == "percent":
        for m in [c for c in companies if c.end <= pos]:
            if re.fullmatch(r"(?:,\s+(?:the|a|an)\s+[^,;]{1,120}?(?:,\s+which|,|\s+(?:that|which|who))|,\s+which)?"
                            r"\s+(?:(?:also|now|still|once|already|"
                            r"will|would|previously|then)\s+)*(?:holds?|owns?|held|owned|has|had|took|takes|bought|"
                            r"acquired)\s+(?:a\s+|an\s+)?(?:(?:stake|holding|interest)\s+of\s+)?(?:about\s+|roughly\s+|"
                            r"around\s+|nearly\s+|almost\s+)?", text[m.end - base: number.start]):
                return m
    # "Amazon has invested $8bn in Anthropic", "Nvidia intends to invest as much as $100bn in OpenAI": an
    # investment is the investor's figure
    invested = re.search(r"\b(?:invest(?:s|ed|ing)?|put|puts|poured|pours|committed|commits|pledged)\s+(?:another\s+|"
                         r"as\s+much\s+as\s+|up\s+to\s+|about\s+|roughly\s+|more\s+than\s+|nearly\s+)*\S*$",
                         text[max(0, number.start - 40): number.start])
    if invested:
        for m in reversed([c for c in companies if c.end <= pos - len(invested.group())]):
            return m
    stake = re.match(r"\s+(?:stake|holding|shareholding|interest)\b", after)
    # "62% for SK Hynix, 21% for Micron", "a $600 million round in MiniMax", "49% of ASML's system sales"
    for m in companies:
        if not stake and m.start >= base + number.end and m.start - (base + number.end) <= 30 and re.fullmatch(
                r"\s+(?:[a-z-]+\s+){0,2}?(?:for|in|of)\s+(?:the\s+)?", text[number.end: m.start - base]):
            return m
    # "a round that valued the start-up at $2.5 billion", "valued it at"
    for m in reversed([c for c in companies if c.end <= pos]):
        if re.fullmatch(r"\s+at\s+(?:about\s+|around\s+|more\s+than\s+|roughly\s+|nearly\s+)?",
                        text[m.end - base: number.start]) and re.search(
                r"\bvalu(?:ed|es|ing)\s+$", text[max(0, m.start - base - 12): m.start - base]):
            return m
    window = [c for c in companies if max(pos - 100, clause_start) <= c.start and c.end <= pos]
    for m in reversed(window):
        gap = text[m.end - base: number.start]
        # "Baidu's revenue", "its revenue", "Alibaba Cloud revenue" just before the figure
        if re.match(rf"^(?:['’]s)?\s+(?:[\w-]+\s+){{0,3}}?{p.name.pattern}", gap, re.I):
            return m
        # "revenue at SMIC", "sales of Nvidia", "revenue from its cloud unit"
        if re.search(rf"{p.name.pattern}\s+(?:at|of|from|for)\s+(?:the\s+|its\s+)?$",
                     text[max(0, m.start - base - 60): m.start - base], re.I):
            return m
    # the subject of the clause: the first company of the clause ("Amazon shares jumped 9.6% and Alphabet closed
    # 2.5% higher, while Microsoft slipped 2.9%": each figure its own clause's), else of the sentence, that is not
    # after a preposition or a comparison ("than Nvidia", "from Tencent") and not a possessor of something else
    for m in sorted(companies, key=lambda c: (c.start < clause_start, c.start)):
        if m.start >= pos:
            continue
        lead = text[max(0, m.start - base - 12): m.start - base]
        if re.search(_PREPOSITION_BEFORE, lead, re.I) and not re.search(r"\b(?:as|for)\s+(?:the\s+)?$", lead, re.I) \
                and not _framing(text, m.start - base):
            continue  # ("trained on a cluster of Nvidia chips at a cost of", "trading in Shanghai")
        if m.start in brands:
            continue  # "Nvidia H800 chips": the brand of a product, not the clause's subject
        # "Lenovo's cloud division, Lenovo Cloud, grew revenue", "the company's closest rival at the leading edge,
        # Samsung Foundry, won": the one named in apposition
        for n in companies:
            if m.end <= n.start and n.end <= pos and re.fullmatch(r"['’]s?\s+(?:[\w-]+\s+){1,6}?[\w-]+,\s+",
                                                                 text[m.end - base: n.start - base]) and \
                    text[n.end - base: n.end - base + 1] == ",":
                return n
        return m
    if after and companies and not any(c.end <= pos for c in companies):
        # "Revenue rose 34% to $4 billion, Alibaba said": the company that says it, named after it (not one
        # further on: "..., the chip designer said in a filing to the Shanghai Stock Exchange")
        for nxt in companies:
            if re.match(r"\s+(?:(?:also|has|had|then|later)\s+)?(?:said|says|reported|reports|announced|told)\b",
                        text[nxt.end - base:]):
                return nxt
    return topic
