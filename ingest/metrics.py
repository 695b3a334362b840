"""Company metrics: money amounts, percentages and counts, normalised to base units with a period.

"RMB 30 billion" -> 30000000000 CNY; "$4.1bn" -> 4100000000 USD; "fell 17%" -> -17 percent;
"in the quarter ended December 31" (article of March 2025) -> period "2024-Q4".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.model import Evidence, Mention, Metric
from ingest.sentences import Sentence

_DIGIT = re.compile(r"\d")
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*-?\s*(?P<scale>trillion|tn|billion|bn|b|million|mln|mn|m|thousand|k)\b)?"
_CUR_PREFIX = r"(?P<pre>US\$|USD\s?|HK\$|HKD\s?|RMB\s?|CNY\s?|Rmb\s?|NT\$|S\$|A\$|C\$|€|£|¥|\$|EUR\s?|GBP\s?|JPY\s?)"
_CUR_SUFFIX = (r"(?:\s+(?P<suf>yuan|renminbi|RMB|CNY|US\s+dollars|dollars|USD|HKD|euros?|EUR|yen|JPY|won|"
               r"Hong\s+Kong\s+dollars|Taiwan\s+dollars|NT\s+dollars))?")
MONEY = re.compile(rf"(?<![\w.]){_CUR_PREFIX}?{_NUM}{_SCALE}{_CUR_SUFFIX}")
PERCENT = re.compile(rf"(?<![\w.])-?{_NUM}\s*(?:%|per\s?cent\b|percent\b)")
COUNT = re.compile(
    rf"(?<![\w.$]){_NUM}{_SCALE}\s+(?:(?:monthly|daily|active|paying|registered|new)\s+){{0,2}}"
    r"(?P<noun>users|customers|subscribers|developers|employees|units|downloads|GPUs|chips|servers|"
    r"enterprises|clients|accelerators|cards|wafers)\b"
)

_SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mln": 1e6,
           "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
_CURRENCIES = {"us$": "USD", "usd": "USD", "$": "USD", "hk$": "HKD", "hkd": "HKD", "rmb": "CNY", "cny": "CNY",
               "yuan": "CNY", "renminbi": "CNY", "¥": "CNY", "€": "EUR", "eur": "EUR", "euro": "EUR",
               "euros": "EUR", "£": "GBP", "gbp": "GBP", "dollars": "USD", "us dollars": "USD", "jpy": "JPY",
               "yen": "JPY", "won": "KRW", "nt$": "TWD", "taiwan dollars": "TWD", "nt dollars": "TWD",
               "hong kong dollars": "HKD", "s$": "SGD", "a$": "AUD", "c$": "CAD"}

_KEYWORDS = (
    r"annual\s+recurring\s+revenue|recurring\s+revenue|ARR|revenues?|sales|turnover|net\s+profit|net\s+income|"
    r"net\s+loss|operating\s+(?:profit|income|loss|margin)|gross\s+(?:profit|margin)|profit|earnings|loss|"
    r"margin|capital\s+expenditures?|capex|capital\s+spending|spending|investment|budget|valuation|"
    r"market\s+(?:value|capitali[sz]ation|cap|share)|funding|financing|round|share\s+price|shares|stock|"
    r"charges?|write-?downs?|costs?|GMV|gross\s+merchandise\s+volume|utili[sz]ation(?:\s+rate)?|shipments|"
    r"orders|dividends?|buy-?backs?|cash|users|customers|subscribers|income|EBITDA|free\s+cash\s+flow|"
    r"bookings|backlog|price|worth|valued|rais(?:e|ed|es|ing)|invest|pledged|earmarked|set\s+aside|allocated|"
    r"placement"
)
_KEYWORD = re.compile(rf"\b(?P<kw>{_KEYWORDS})\b", re.I)
# Words that end a metric's modifiers when walking back from its keyword ("but net profit" -> "net profit").
_NAME_STOP = {
    "the", "a", "an", "its", "their", "his", "her", "our", "that", "this", "of", "in", "on", "to", "and", "or",
    "but", "said", "says", "with", "from", "as", "at", "by", "for", "is", "was", "were", "has", "had", "have", "be",
    "it", "than", "while", "whose", "which", "reported", "posted", "booked", "expects", "expected", "company",
    "group", "firm", "also", "year", "quarter", "when", "where", "after", "before", "since", "about",
}
_UP = r"(?:grew|grow|grows|growing|rose|rise|rises|rising|increased|increase|increases|jumped|climbed|surged|" \
      r"soared|gained|gains|up|expanded|added|advanced|rallied|higher|growth|increase)"
_DOWN = r"(?:fell|fall|falls|falling|declined|decline|declines|dropped|drop|drops|slipped|slip|shrank|shrink|" \
        r"shrinks|decreased|decrease|down|plunged|plunge|slumped|slid|tumbled|sank|lost|lower|contracted|" \
        r"retreated|eased|dipped)"
_CHANGE_BEFORE = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\s+(?:by\s+|about\s+|nearly\s+|almost\s+|"
                            r"more\s+than\s+|roughly\s+|some\s+|as\s+much\s+as\s+|a\s+further\s+)?$", re.I)
_CHANGE_AFTER = re.compile(r"^\s*(?:(?P<up>increase|rise|gain|growth|jump|higher|up)|(?P<down>decline|drop|fall|"
                           r"decrease|lower|down|slump|plunge|loss))\b", re.I)

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("quarter-ended", re.compile(rf"\b(?:quarter|three\s+months)\s+(?:ended|ending|to|through)\s+{_MONTH}\s+"
                                 r"(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?", re.I)),
    ("nth-quarter", re.compile(r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+"
                               r"quarter"
                               r"(?:\s+(?:of\s+)?(?:(?:fiscal|FY)\s*(?:year\s+)?)?(?P<year>\d{4}))?", re.I)),
    ("q-year", re.compile(r"\bQ(?P<q>[1-4])\s*(?:of\s+)?(?P<fy>FY|fiscal\s+(?:year\s+)?)?\s*'?"
                          r"(?P<year>\d{4}|\d{2})\b")),
    ("half", re.compile(r"\b(?P<ord>first|second)\s+half\s+(?:of\s+)?(?:(?:fiscal|FY)\s*(?:year\s+)?)?(?P<year>\d{4})?"
                        r"|\bH(?P<h>[12])\s*(?P<year2>\d{4})", re.I)),
    ("fiscal", re.compile(r"\b(?:FY\s?|fiscal\s+(?:year\s+)?)(?P<year>\d{4}|\d{2})\b", re.I)),
    ("month-year", re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b")),
    ("year", re.compile(r"\b(?:in|for|during|of|throughout|by|end\s+of|year)\s+(?P<year>(?:19|20)\d{2})\b(?!\s*-)")),
    ("relative-year", re.compile(r"\b(?P<rel>last|this|next)\s+year\b", re.I)),
]


@dataclass(frozen=True)
class _Number:
    value: float
    unit: str
    start: int
    end: int


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


def _numbers(text: str) -> Iterator[_Number]:
    taken: list[tuple[int, int]] = []
    for m in PERCENT.finditer(text):
        value = _to_float(m.group("num")) * (-1 if m.group().startswith("-") else 1)
        taken.append((m.start(), m.end()))
        yield _Number(value, "percent", m.start(), m.end())
    for m in MONEY.finditer(text):
        pre, suf = m.group("pre"), m.group("suf")
        if not pre and not suf:
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        cur = _CURRENCIES.get((pre or suf).strip().lower().replace("  ", " "), "USD")
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        if m.group("scale") == "m" and not pre:
            continue
        taken.append((m.start(), m.end()))
        yield _Number(round(_to_float(m.group("num")) * scale, 2), cur, m.start(), m.end())
    for m in COUNT.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        yield _Number(round(_to_float(m.group("num")) * scale, 2), m.group("noun").lower(), m.start(), m.end())


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
        if kind == "quarter-ended":
            return _quarter_year(_MONTHS[g["month"].lower()], int(g["day"]), int(g["year"]) if g["year"] else None,
                                 article_date)
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


def _metric_name(text: str, number: _Number) -> str | None:
    """The metric a number measures: the nearest metric keyword before it (or just after), with modifiers."""
    before = text[max(0, number.start - 120): number.start]
    best = None
    for m in _KEYWORD.finditer(before):
        best = m
    if best is not None:
        kept: list[str] = []
        for word in reversed(before[: best.start()].split()[-3:]):
            if not re.fullmatch(r"[A-Za-z][A-Za-z-]*", word) or word.lower() in _NAME_STOP:
                break
            kept.insert(0, word)
        return " ".join([*kept, *best.group("kw").split()])
    after = text[number.end: number.end + 60]
    m = re.match(rf"^[^.;]{{0,30}}?\b(?P<kw>{_KEYWORDS})\b", after, re.I)
    if m:
        return m.group("kw")
    if number.unit not in ("percent",) and number.unit.isalpha() and number.unit.islower():
        return number.unit
    return None


def extract_metrics(sentence: Sentence, mentions: list[Mention], previous: list[Mention], article: str,
                    article_date: str | None) -> list[Metric]:
    """Metrics reported in one sentence; ``previous`` are mentions of earlier sentences (for "the company")."""
    text = sentence.text
    if not _DIGIT.search(text):
        return []
    numbers = list(_numbers(text))
    if not numbers:
        return []
    period = find_period(text, article_date)
    companies = [m for m in mentions if m.entity.type == "Company"]
    fallback = [m for m in previous if m.entity.type == "Company"]
    out: list[Metric] = []
    for number in numbers:
        name = _metric_name(text, number)
        if name is None:
            continue
        value, unit = number.value, number.unit
        lead = text[max(0, number.start - 40): number.start]
        change = _CHANGE_BEFORE.search(lead)
        if unit == "percent":
            trail = text[number.end: number.end + 20]
            after_change = _CHANGE_AFTER.match(trail)
            if change or after_change:
                down = (change and change.group("down")) or (after_change and after_change.group("down"))
                value = -abs(value) if down else value
                if not re.search(r"growth|change|increase|decline", name, re.I):
                    name = f"{name} growth" if name else "growth"
        elif change and change.group("down") and re.search(r"\blost\b|\bwiped\b", lead, re.I) is None:
            pass
        company = _owner(sentence, number, companies, fallback)
        if company is None:
            continue
        evidence = Evidence(article, text, sentence.start, sentence.end, "metric-pattern",
                            round(min(0.8, company.confidence), 3))
        out.append(Metric(company.entity, name, value, unit, period, evidence))
    return out


def _owner(sentence: Sentence, number: _Number, companies: list[Mention], fallback: list[Mention]
           ) -> Mention | None:
    """The company a number describes.

    First a company attached to the metric words before the number ("Baidu's revenue", "Alibaba Cloud
    revenue", "revenue at SMIC"), else the sentence's first company (its subject), else the company the
    previous sentences were about.
    """
    pos = sentence.start + number.start
    window_start = pos - 80
    for m in reversed([c for c in companies if window_start <= c.start and c.end <= pos]):
        gap = sentence.text[m.end - sentence.start: number.start]
        if re.match(rf"^(?:['’]s)?\s+(?:[\w-]+\s+){{0,3}}?(?:{_KEYWORDS})\b", gap, re.I):
            return m
        if re.search(rf"\b(?:{_KEYWORDS})\s+(?:at|of|from|for)\s+$", sentence.text[:m.start - sentence.start], re.I):
            return m
    real = [c for c in companies if c.rule != "demonym"]
    if real:
        return real[0]
    return fallback[0] if fallback else None
