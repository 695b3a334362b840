"""A seeded, deterministic synthetic news corpus for benchmarks, shaped like ``../shared/corpus/broad``.

``generate(n, seed, out_dir, formats="news")`` writes ``n`` articles one file each, in broad's mix of formats
(``FORMATS``): half Markdown with front matter, a quarter plain text with a title line, byline and dateline, a
quarter full HTML pages with navigation, related links and a cookie notice around the ``<article>``, in
folders of ``FOLDER`` files; this is what ``kg bench`` ingests. ``formats="jsonl"`` (the default, for tests
that want a quick corpus) writes the same articles' text as JSON Lines shards of ``SHARD`` articles.

Articles read like news because their length, sentence variety and fact density are broad's (measured by
``benchmarks.corpus_stats``, see ``TARGETS``): about 570 words in 15 paragraphs and 33 sentences, sentence
lengths from 4-word headings to 35-word sentences with relative clauses, quotes, lists, figures with periods,
hedged and denied statements that must not become facts, and plain prose; about 16 relations and 9 metrics
the extractor reads per article. The sentence frames are this module's own, not the corpus's sentences.

Entities come from the knowledge base (``ontology/kb``) and from generated names (companies, models, chips,
people, brokerages). Which entity a sentence names is drawn with Zipf weights (rank ** -1.1), known entities
first, so a few companies appear in most articles and a long tail once or twice; the pool of new entities
grows with ``n``, so a 100,000-article corpus has a realistic long-tailed graph shape. The entities the stored
queries name in their examples lead their pools, so that ``kg bench`` times those queries on real answers.
Facts are consistent across articles where the graph's queries would notice: a company has one chief
executive, one country and one parent; a sanction one imposing body; a company's figure for a metric and
period is the same in every article that reports it, except a rare (5%) conflicting report.

Same ``n``, ``seed`` and ``formats``: byte-identical files. Generated data belongs under ``benchmarks/data/``
(git-ignored) or a temporary directory, never in git.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import itertools
import json
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SHARD = 100  # articles per JSONL file (formats="jsonl")
FOLDER = 1000  # article files per folder (formats="news")
ZIPF = 1.1
FORMATS = (("md", 0.5), ("txt", 0.25), ("html", 0.25))  # broad's share of each format

# broad's statistics, measured once with
#   .venv/bin/python -m benchmarks.corpus_stats ../shared/corpus/broad --json
# (48 articles); tests/test_corpus.py keeps generated corpora within a tolerance of them.
TARGETS = {
    "words": 572.0, "words_p10": 360.0, "words_p90": 767.0, "paragraphs": 15.5, "sentences": 33.2,
    "sentence_words": 17.2, "sentence_words_p10": 4.0, "sentence_words_p50": 17.0, "sentence_words_p90": 32.0,
    "quoted": 0.098, "with_figure": 0.417, "facts": 16.2, "metrics": 9.2, "extract_per_cpu_s": 10.3,
}

_SYL = ["ka", "lin", "zhi", "xin", "tao", "mei", "rui", "hao", "jun", "qi", "yun", "fei", "long", "shu", "bo",
        "ming", "an", "hua", "tian", "wei", "sen", "lu", "xu", "peng", "dao", "ke", "ning", "zhen", "yi", "cheng"]
_ORG_WORDS = ["Technologies", "Intelligence", "Semiconductor", "Robotics", "Computing", "Labs", "Systems",
              "Networks", "Microelectronics", "Software", "Cloud", "Data"]
_FIRST = ["Wei", "Li", "Chen", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
          "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Anna", "David", "Maria", "James", "Sofia", "Daniel"]
_LAST = ["Jianguo", "Xiaoming", "Haoran", "Yifan", "Zihan", "Yuxuan", "Mingyu", "Ruoxi", "Jiahui", "Tianyu",
         "Hartley", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Reyes", "Brennan", "Castillo"]
_CITIES = ["Hangzhou", "Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Chengdu", "Wuhan", "Nanjing", "Suzhou"]
_SOURCES = ["Harbour Business Daily", "Pacific Tech Wire", "Capital Markets Review", "Silicon Strait Post",
            "The Compute Ledger", "Eastern Finance Weekly", "Lantern Newswire", "Delta Markets Journal"]
_NATIONS = [("Chinese", "China")] * 7 + [("American", "United States")] * 2 + [("Taiwanese", "Taiwan")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_QUARTERS = ["first", "second", "third", "fourth"]


@dataclass
class _Pool:
    """Entity names of one type, most popular first, drawn with Zipf weights."""

    names: list[str]

    def __post_init__(self) -> None:
        self.cum = list(itertools.accumulate((r + 1) ** -ZIPF for r in range(len(self.names))))

    def draw(self, rng: random.Random) -> str:
        x = rng.random() * self.cum[-1]
        return self.names[min(bisect.bisect_left(self.cum, x), len(self.names) - 1)]

    def draw_distinct(self, rng: random.Random, k: int, avoid: tuple[str, ...] = ()) -> list[str]:
        out: list[str] = []
        for _ in range(k * 10):
            name = self.draw(rng)
            if name not in out and name not in avoid:
                out.append(name)
            if len(out) == k:
                break
        return out

    def of(self, key: str) -> str:
        """The name a key stands for, always the same one (a company's chief executive, a sanction's body)."""
        return self.names[zlib.crc32(key.encode("utf-8")) % len(self.names)]


def _kb_labels() -> dict[str, list[str]]:
    from ingest.kb import default_kb

    labels: dict[str, list[str]] = {}
    for e in sorted(default_kb().entities.values(), key=lambda e: e.iri):
        labels.setdefault(e.type, []).append(e.label)
    return labels


def _kb_words() -> set[str]:
    """Every word of a known name (lower case): a generated name must not contain one ("Huang Huawei")."""
    from ingest.kb import default_kb

    return {w.casefold() for form in default_kb().surface for w in form.split()}


def _new_names(rng: random.Random, count: int, make: Callable[[random.Random], str],
               taken: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    seen: set[str] = set()
    out: list[str] = []
    for _ in range(count * 50):  # bounded: a generator with too few distinct names gives fewer
        if len(out) >= count:
            break
        name = make(rng)
        if name not in seen and not any(w.casefold() in taken for w in name.replace("-", " ").split()[:1]):
            seen.add(name)
            out.append(name)
    return out


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


def _featured() -> set[str]:
    """Entity names used as example parameters of the stored queries."""
    from kg import queries

    return {str(p.example) for q in queries.catalogue().values() for p in q.params if isinstance(p.example, str)}


def _pools(n: int, rng: random.Random) -> dict[str, _Pool]:
    """The entity pools, known entities first, generated names growing with ``n``."""
    kb = _kb_labels()
    featured = _featured()
    taken = _kb_words()
    companies = _new_names(rng, max(40, n // 4), lambda r: f"{_word(r, r.choice((2, 3)))} {r.choice(_ORG_WORDS)}",
                           taken)
    suffixes = ("7B", "13B", "70B", "Max", "Pro", "V2", "Turbo", "Flash")
    models = _new_names(rng, max(20, n // 6), lambda r: f"{_word(r)}-{r.choice(suffixes)}", taken)
    chips = _new_names(rng, max(10, n // 25), lambda r: f"{_word(r)} {r.randint(1, 9)}{r.choice(('00', '10', '20'))}",
                       taken)
    people = _new_names(rng, max(40, n // 4), lambda r: f"{_word(r)} {r.choice(_LAST)}"
                        if r.random() < 0.2 else f"{r.choice(_FIRST)} {_word(r)}", taken)
    people = [f for f in people if not any(w.casefold() in taken for w in f.split()[1:])]
    firms = _new_names(rng, 30, lambda r: f"{_word(r)} {r.choice(('Securities', 'Capital', 'Research'))}", taken)

    def mix(known: list[str], new: list[str]) -> list[str]:
        """Known entities first (the popular head), then generated ones (the tail), lightly shuffled together."""
        known = list(known)
        rng.shuffle(known)
        head, tail = known[: len(known) // 2], known[len(known) // 2:] + new
        rng.shuffle(tail)
        return [k for k in known if k in featured] + [k for k in head + tail if k not in featured]

    return {
        "Company": _Pool(mix(kb.get("Company", []), companies)),
        "AIModel": _Pool(mix(kb.get("AIModel", []), models)),
        "Chip": _Pool(mix(kb.get("Chip", []), chips)),
        "Person": _Pool(people),  # known people come with their own companies: new CEOs avoid false facts
        "Analyst": _Pool(people[::-1]),
        "Firm": _Pool(firms),
        "Sanction": _Pool(kb.get("Sanction", ["Entity List"])),
        "Foundry": _Pool([c for c in ("TSMC", "SMIC", "Samsung Electronics", "Hua Hong Semiconductor")
                          if c in kb.get("Company", [])] or ["TSMC"]),
        "GovernmentBody": _Pool([g for g in kb.get("GovernmentBody", []) if "Commerce" in g or "Industry" in g]
                                or ["US Department of Commerce"]),
    }


def _figure(rng: random.Random, *key: object, lo: int = 10, hi: int = 909) -> float:
    """A company's figure for one metric and period: the same in every article, except a rare conflicting one."""
    value = random.Random("/".join(map(str, key))).randint(lo, hi) / 10
    if rng.random() < 0.05:  # a misprint, or a figure restated later
        value = round(value * rng.choice((0.9, 1.1)), 1)
    return value


@dataclass
class _Cast:
    """Who and what one article is about."""

    lead: str
    rivals: list[str]
    partner: str
    investor: str
    model: str
    model2: str
    chip: str  # a chip the lead uses (popular chips are used by many)
    own_chip: str  # the chip the lead designs (always the same one)
    ceo: str
    city: str
    year: int
    quarter: str
    nation: tuple[str, str]  # the lead's nationality word and country (always the same)


def _short(name: str) -> str:
    """A company's short form on a second mention ("Lintao" for "Lintao Robotics"), when it has one."""
    first, _, rest = name.partition(" ")
    return first if rest in _ORG_WORDS else name


def _money(rng: random.Random, value: float, scale: str = "billion") -> str:
    cur = rng.choice(("RMB ", "", "$", "US$"))
    if cur == "":
        return f"{value:g} {scale} yuan"
    return f"{cur}{value:g} {scale}"


# --- sentence frames: each returns one or more sentences --------------------------------------------------
# Fact frames state relations or metrics in the shapes news uses; prose frames state nothing the extractor
# should keep (hedges, denials, context, colour). Both draw their wording from small lists so that a large
# corpus has many distinct sentences.

Frame = Callable[[_Cast, random.Random, dict[str, _Pool]], list[str]]


def _f_release(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    what = r.choice(("an open-weight model for coding and agents", "its latest large language model",
                     "a reasoning model aimed at enterprise customers", "a multimodal model that handles video"))
    day = r.choice(_WEEKDAYS)
    return [r.choice((
        f"{c.lead} on {day} released {c.model}, {what}, the company said in a statement.",
        f"{c.lead} released {c.model}, {what}, on {day}, saying it matched larger rivals on most benchmarks.",
        f"The launch of {c.model}, which {c.lead} describes as {what}, follows {c.model2} by less than a year.",
    ))]


def _f_trained(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    count = r.choice(("2,048", "4,096", "1,024", "8,192", "512"))
    return [r.choice((
        f"{c.model} was trained on {count} {c.chip} chips over {r.randint(3, 9)} weeks, according to a "
        f"technical report published with it.",
        f"{c.lead} said it trained {c.model} on {c.chip} processors, without saying how many it used.",
        f"The model runs on {c.chip} accelerators, which {c.lead} has been buying in volume since "
        f"{c.year - 1}, the company said.",
    ))]


def _f_rivals(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    a, b, *rest = c.rivals
    more = f", {rest[0]}" if rest else ""
    return [r.choice((
        f"{c.lead} competes with {a}{more} and {b} for corporate customers.",
        f"{c.lead}'s rivals, including {a}{more} and {b}, have cut their prices repeatedly since "
        f"{_MONTHS[r.randrange(12)]}.",
        f"{c.lead}'s main competitors are {a} and {b}, analysts said.",
    ))]


def _f_partner(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    goal = r.choice(("build data centres in Guizhou", "bring AI features to smartphones",
                     "offer its models to hospitals", "develop software for electric vehicles"))
    return [r.choice((
        f"{c.lead} has partnered with {c.partner} to {goal}.",
        f"{c.partner} signed an agreement with {c.lead} to {goal}, the two companies said on "
        f"{r.choice(_WEEKDAYS)}.",
        f"Under a partnership announced in {_MONTHS[r.randrange(12)]}, {c.lead} and {c.partner} will jointly "
        f"{goal}.",
    ))]


def _f_investor(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    stake = _figure(r, c.investor, c.lead, "stake", lo=15, hi=250)
    return [r.choice((
        f"{c.investor} has invested in {c.lead} and holds a {stake:g}% stake, according to filings.",
        f"{c.lead} is backed by {c.investor}, which owns {stake:g}% of the company.",
        f"{c.investor}, an early investor in {c.lead}, owns {stake:g}% of its shares, the filing showed.",
    ))]


def _f_ceo(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    quote = r.choice((
        '"We are not chasing benchmarks. Customers want something that works,"',
        '"Demand from business customers has never been stronger,"',
        '"The price war is good for users but hard on everyone who builds models,"',
        '"We will keep investing in research even if margins suffer this year,"',
    ))
    return [r.choice((
        f"{quote} said {c.ceo}, {c.lead}'s chief executive.",
        f"{c.ceo}, the chief executive of {c.lead}, told analysts on a call that costs would keep falling.",
        f"{quote} {c.ceo}, who became {_short(c.lead)}'s chief executive in {c.year - 2}, told reporters.",
    ))]


def _nation(company: str) -> tuple[str, str]:
    return _NATIONS[zlib.crc32(company.encode("utf-8")) % len(_NATIONS)]


def _f_nation(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    word, country = c.nation
    rival = c.rivals[-1]
    return [r.choice((
        f"{c.lead}, a {word} company with offices in {c.city if country == 'China' else 'three countries'}, "
        f"employs about {r.randint(2, 30)},000 people.",
        f"{word} start-up {c.lead} was founded in {c.year - r.randint(3, 9)} by former researchers from a "
        f"university laboratory.",
        f"The {word} group, {c.lead}, is headquartered in {country}, and {_nation(rival)[0]} rival {rival} "
        f"has been hiring from it.",
    ))]


def _f_subsidiary(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    unit = p["Company"].draw(r)
    parent = p["Company"].names[zlib.crc32(unit.encode("utf-8")) % 20]  # one parent, one of the 20 most popular
    if parent in (unit, c.lead):
        return []
    return [r.choice((
        f"{unit}, a unit of {parent}, said it would open a research centre in {c.city} next year.",
        f"{unit} is a subsidiary of {parent} and supplies {c.lead} with servers.",
    ))]


def _f_foundry(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    foundry = p["Foundry"].of(c.own_chip)
    return [r.choice((
        f"The {c.own_chip} is made by {foundry} using a {r.choice(('7', '5', '12'))}-nanometre process.",
        f"{foundry} makes the {c.own_chip} chip for {c.lead}, people familiar with the supply chain said.",
    ))]


def _f_sanction(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    sanction = p["Sanction"].draw(r)
    body = p["GovernmentBody"].of(sanction)  # one imposing body per sanction, whichever article names it
    return [r.choice((
        f"{c.lead} was added to the {sanction} by the {body} in {_MONTHS[r.randrange(12)]} {c.year}.",
        f"The {body} added {c.lead} and {c.rivals[-1]} to the {sanction} in {c.year}, cutting them off from "
        f"American suppliers without a licence.",
        f"The {c.chip} is subject to US export controls, which limit what {c.lead} can buy abroad.",
    ))]


def _f_develops(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    return [r.choice((
        f"{c.lead}'s {c.model2} model, released in {c.year - 1}, still accounts for most of its API traffic.",
        f"{c.lead} also designs the {c.own_chip} chip, which it uses in its own data centres.",
        f"The {c.model2} developer said {r.randint(2, 9)} of the ten largest banks in China were testing it.",
    ))]


def _f_own_chip(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    return [r.choice((
        f"{c.lead} unveiled the {c.own_chip}, an AI accelerator it designed in-house, at a developer conference "
        f"in {c.city}.",
        f"{c.lead}'s {c.own_chip} processor delivers about {r.randint(2, 9)}00 teraflops, the company said.",
    ))]


def _f_profile(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    """A long sentence carrying several facts in relative clauses and appositions."""
    return [r.choice((
        f"{c.lead}, the developer of the {c.model2} models, which it sells to banks, carmakers and online "
        f"retailers, said on {r.choice(_WEEKDAYS)} that {c.partner} had agreed to deploy its {c.own_chip} "
        f"chips across {r.randint(3, 12)} data centres.",
        f"Founded in {c.year - r.randint(4, 12)} by a group of engineers who had worked together on search, "
        f"{c.lead} now designs its own {c.own_chip} processors and trains its {c.model} models on them, "
        f"according to people who have worked there.",
    ))]


def _f_rival_results(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    rival, q, y = c.rivals[0], c.quarter, c.year
    rev = _figure(r, rival, "cloud revenue", q, y)
    growth = _figure(r, rival, "cloud growth", q, y, lo=20, hi=600)
    return [f"{rival}'s cloud revenue grew {growth:g}% to {_money(r, rev)} in the {q} quarter, a pace that "
            f"{r.choice(('surprised', 'disappointed', 'reassured'))} investors."]


def _f_rival_ceo(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    rival = c.rivals[0]
    return [f"{p['Person'].of(rival)}, chief executive of {rival}, said in {_MONTHS[r.randrange(12)]} that "
            f"his company would not match every price cut."]


def _f_results(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    q, y = c.quarter, c.year
    rev = _figure(r, c.lead, "revenue", q, y)
    growth = _figure(r, c.lead, "growth", q, y, lo=20, hi=600)
    loss = _figure(r, c.lead, "loss", q, y, lo=10, hi=990)
    margin = _figure(r, c.lead, "margin", q, y, lo=150, hi=650)
    before = round(margin - r.randint(5, 60) / 10, 1)
    period = f"the {q} quarter of {y}" if r.random() < 0.7 else f"the {q} quarter"
    out = [
        f"{c.lead}'s revenue rose {growth:g}% to {_money(r, rev)} in {period}, beating analysts' forecasts.",
        r.choice((f"Its net loss narrowed to {_money(r, loss, 'million')} over the same period.",
                  f"Net income was {_money(r, loss, 'million')}, compared with a loss a year earlier.")),
        f"Gross margin was {margin:g}% in the quarter, up from {before:g}% a year earlier.",
    ]
    if r.random() < 0.4:
        users = _figure(r, c.lead, "users", q, y, lo=20, hi=3000)
        out.append(f"The company said its apps had {users:g} million monthly active users at the end of "
                   f"{r.choice(('March', 'June', 'September', 'December'))}.")
    return out


def _f_funding(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    amount = _figure(r, c.partner, "round", c.year, lo=5, hi=95) * 100
    value = _figure(r, c.partner, "valuation", c.year, lo=10, hi=300)
    return [r.choice((
        f"{c.partner} raised ${amount:g} million in a round led by {c.investor} that valued it at ${value:g} "
        f"billion, people familiar with the deal said.",
        f"{c.investor} led a ${amount:g} million round in {c.partner} in {_MONTHS[r.randrange(12)]} {c.year}, "
        f"valuing the start-up at ${value:g} billion.",
    ))]


def _f_share(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    move = r.randint(11, 99) / 10
    return [r.choice((
        f"Shares of {c.lead} rose {move:g}% in {r.choice(('Hong Kong', 'Shanghai', 'Shenzhen'))} trading on "
        f"{r.choice(_WEEKDAYS)}, exchange data showed.",
        f"{c.rivals[0]}'s shares fell {move:g}% after the announcement, while {c.rivals[1]} gained "
        f"{r.randint(5, 40) / 10:g}%.",
    ))]


_FACTS: list[tuple[Frame, float]] = [  # (frame, chance an article has it)
    (_f_release, 0.95), (_f_trained, 0.8), (_f_rivals, 0.95), (_f_partner, 0.7), (_f_investor, 0.7),
    (_f_ceo, 0.8), (_f_nation, 0.9), (_f_subsidiary, 0.5), (_f_foundry, 0.3), (_f_sanction, 0.6),
    (_f_develops, 0.8), (_f_results, 0.85), (_f_funding, 0.45), (_f_share, 0.6), (_f_own_chip, 0.5),
    (_f_rival_ceo, 0.5), (_f_sanction, 0.3), (_f_nation, 0.5), (_f_develops, 0.5), (_f_trained, 0.4),
    (_f_profile, 0.7), (_f_rival_results, 0.4),
]

_SUBJECTS = ["Analysts", "Industry executives", "Investors", "Developers", "Regulators", "Several brokerages",
             "Chip designers", "Cloud providers", "Some customers", "Critics"]
_CLAIMS = ["demand for computing power is outpacing the supply of advanced chips",
           "the price war will push smaller developers out of the market",
           "benchmark results say little about how the systems behave in everyday use",
           "the cost of serving large models has fallen faster than expected",
           "open-weight models are winning over companies that want to keep data in-house",
           "the next round of export rules could cover memory chips as well",
           "enterprise spending on AI will keep rising through next year",
           "consumer apps have struggled to turn users into paying subscribers"]
_WHEN = ["this year", "in recent months", "since the start of the year", "over the past decade",
         "before the end of the year", "in the coming quarters"]


def _p_context(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    who = r.choice(_SUBJECTS)
    if r.random() < 0.4:
        who += f" at {r.choice(c.rivals)} and {c.partner}"
    return [f"{who} {r.choice(('have warned', 'said', 'argue', 'expect'))} that {r.choice(_CLAIMS)} "
            f"{r.choice(_WHEN)}."]


def _p_long(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    """A long sentence with a relative clause and a list, the kind that makes up much of a feature."""
    return [r.choice((
        f"The data centre, which draws power from a hydroelectric plant near {c.city} and is due to open next "
        f"spring, will house servers for training, inference and storage, according to planning documents "
        f"filed with the city government.",
        "The company, whose engineers spent much of the past year rewriting software for domestic hardware, "
        "says the work has cut the cost of answering a question by more than half, though it has not "
        "published figures that would let outsiders check.",
        "For developers, the changes mean lower prices, longer context windows and fewer limits on how many "
        "requests they can send each minute, which matters most to the small firms building apps on top of "
        "the models.",
        f"Competition in the sector has intensified {r.choice(_WHEN)}, as price cuts that began with one or two "
        f"labs spread across the market and pushed even the largest cloud providers to follow.",
        f"At the World Artificial Intelligence Conference in Shanghai, where dozens of start-ups showed humanoid "
        f"robots, AI glasses and coding assistants, executives from {c.rivals[0]} and {c.partner} said customers "
        f"now asked about prices before they asked about benchmarks.",
        f"Analysts at {p['Firm'].draw(r)} and {p['Firm'].draw(r)}, who track spending by the largest "
        f"buyers of servers, say orders from {c.rivals[-1]} and {c.investor} held up better than those of "
        f"smaller labs in {c.year}.",
    ))]


def _p_quote(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    said = r.choice((
        '"Everyone is waiting to see who blinks first,"', '"Nobody wants to be the last one charging full price,"',
        '"The numbers look good, but the question is how long the subsidies last,"',
        '"This is a market where a lead of six months counts as a long time,"',
        '"Customers are testing three or four models at once and paying for none of them,"',
        '"The chips are good enough for inference, which is where the money is,"',
        '"You cannot plan a data centre around rules that change every year,"',
    ))
    analyst, firm = p["Analyst"].draw(r), p["Firm"].draw(r)
    out = [r.choice((f"{said} said {analyst}, an analyst at {firm} in {c.city}.",
                     f"{said} said {analyst} of {firm}.",
                     f"{said} {analyst}, who covers the sector for {firm}, wrote in a note to clients."))]
    if r.random() < 0.5:
        out.append(r.choice(('"It is not a comfortable place to be."', '"We expect more of the same."',
                             '"Nobody has a plan for what comes after that."', '"It will take years."',
                             "The firm has a buy rating on the stock.", "She expects a rebound next year.")))
    return out


def _p_hedge(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    other = c.rivals[-1]
    return [r.choice((
        f"{c.lead} may seek a listing in Hong Kong next year, people familiar with the matter said, though no "
        f"decision has been made.",
        f"{other} is said to be in talks about a possible investment in {c.lead}, but the discussions are at an "
        f"early stage and could still collapse.",
        f"{c.lead} denied a report that it had ordered chips from {other}.",
        f"Some analysts have speculated that {c.lead} could partner with {other}, which neither company has "
        f"confirmed.",
        f"If the rules are tightened again, {c.lead} might have to switch suppliers, a person close to the "
        f"company said.",
    ))]


def _p_figures(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    """Figures that describe the market, not a company: no metric belongs to anyone."""
    return [r.choice((
        f"Spending on AI servers in China reached about {r.randint(20, 90)} billion yuan in {c.year - 1}, "
        f"according to estimates by a research firm.",
        f"The market for AI chips could grow {r.randint(15, 45)}% a year until {c.year + 4}, one forecast shows.",
        f"Prices for a million tokens have fallen from about {r.randint(10, 40)} yuan in {c.year - 1} to less than "
        f"one yuan now.",
    ))]


def _p_colour(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    return [r.choice((
        f"The company did not respond to a request for comment on {r.choice(_WEEKDAYS)}.",
        "The market reaction was muted.",
        "People familiar with the matter said talks had been going on for several months.",
        f"A spokesperson for {_short(c.lead)} declined to comment.",
        "Officials said further measures were under review.",
        "The figures were broadly in line with forecasts.",
        f"Engineers said the new system would reach enterprise customers first, then consumers, starting in "
        f"{_MONTHS[r.randrange(12)]}.",
        "Regulators have asked developers to file details of their training data and safety testing.",
        f"Developers praised the open licence, which lets smaller firms in {c.city} and elsewhere adapt the "
        f"system to their own needs.",
    ))]


def _p_short(c: _Cast, r: random.Random, p: dict[str, _Pool]) -> list[str]:
    return [r.choice(("He declined to comment.", "Shares were flat.", "That has not happened yet.",
                      "The deal is not yet final.", "Neither side gave details.", "Others disagree.",
                      f"The rest came from {r.choice(('advertising', 'cloud contracts', 'licensing'))}.",
                      "It was not the first attempt.", f"The plan dates from {c.year - r.randint(1, 3)}."))]


_PROSE: list[tuple[Frame, float]] = [  # (frame, weight)
    (_p_context, 3), (_p_long, 3.5), (_p_quote, 2.2), (_p_hedge, 1.6), (_p_figures, 2), (_p_colour, 3),
    (_p_short, 2),
]
_HEADINGS = ["The price war", "Chips at home", "What analysts say", "Backed by big tech", "A race to list",
             "The numbers", "Export rules", "What comes next", "Rented computing power", "New customers"]


def _cast(rng: random.Random, p: dict[str, _Pool], date: dt.date) -> _Cast:
    lead = p["Company"].draw(rng)
    others = p["Company"].draw_distinct(rng, 5, avoid=(lead,))
    while len(others) < 5:
        others.append(["Baidu", "Tencent", "Huawei", "Alibaba Group", "ByteDance"][len(others)])
    model, model2 = p["AIModel"].of(f"{lead}/{rng.randrange(3)}"), p["AIModel"].of(f"{lead}/{3 + rng.randrange(2)}")
    return _Cast(
        lead=lead, rivals=others[:3] if rng.random() < 0.5 else others[:2], partner=others[3],
        investor=others[4], model=model, model2=model2, chip=p["Chip"].draw(rng), own_chip=p["Chip"].of(lead),
        ceo=p["Person"].of(lead),
        city=rng.choice(_CITIES),
        year=min(date.year, 2025), quarter=rng.choice(_QUARTERS),
        nation=_NATIONS[zlib.crc32(lead.encode("utf-8")) % len(_NATIONS)],
    )


def _body(c: _Cast, rng: random.Random, p: dict[str, _Pool]) -> list[str]:
    """The article's paragraphs: its fact sentences mixed with prose, one to three sentences a paragraph."""
    seen: set[str] = set()

    def fresh(unit: list[str]) -> list[str]:
        """The unit's sentences that do not open like one the article already has (no sentence twice)."""
        out = [s for s in unit if not {" ".join(s.split()[:5]), " ".join(s.split()[-6:])} & seen]
        seen.update(k for s in out for k in (" ".join(s.split()[:5]), " ".join(s.split()[-6:])))
        return out

    units = [fresh(frame(c, rng, p)) for frame, chance in _FACTS if rng.random() < chance]
    target = max(14, int(rng.gauss(32, 9)))  # sentences: broad's mean and spread
    have = sum(map(len, units))
    frames, weights = zip(*_PROSE, strict=True)
    for _ in range(target * 4):  # bounded: a sentence already in the article is drawn again, not repeated
        if have >= target:
            break
        unit = fresh(rng.choices(frames, weights)[0](c, rng, p))
        units.append(unit)
        have += len(unit)
    units = [u for u in units if u]
    lead, rest = units[0], units[1:]
    rng.shuffle(rest)
    paragraphs: list[str] = []
    pending = [s for u in [lead, *rest] for s in u if s]
    while pending:
        k = min(len(pending), rng.choice((1, 2, 2, 2, 3, 3)))
        paragraphs.append(" ".join(pending[:k]))
        pending = pending[k:]
    return paragraphs


def article(i: int, rng: random.Random, pools: dict[str, _Pool]) -> dict[str, object]:
    """One article as a record (id, title, date, url, source, author, kind and paragraphs)."""
    date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1400))
    c = _cast(rng, pools, date)
    paragraphs = _body(c, rng, pools)
    slug = c.lead.lower().replace(" ", "-")
    kind = rng.choices([k for k, _ in FORMATS], [w for _, w in FORMATS])[0]
    title = rng.choice((f"{c.lead} {rng.choice(('bets on', 'expands', 'reports growth in', 'faces questions over'))} "
                        f"AI as {c.rivals[0]} cuts prices",
                        f"{c.lead} launches {c.model} as competition heats up",
                        f"{c.lead}'s revenue rises in the {c.quarter} quarter"))
    return {
        "id": f"bench-{i:07d}", "title": title, "date": date.isoformat(),
        "url": f"https://news.example.org/bench/{date:%Y/%m/%d}/{slug}-{i}", "source": rng.choice(_SOURCES),
        "author": pools["Analyst"].of(f"author/{i % 40}"), "kind": kind, "city": c.city,
        "headings": rng.sample(_HEADINGS, rng.choice((0, 2, 3))) if kind == "md" else [],
        "paragraphs": paragraphs,
    }


def _dateline(rec: dict[str, object]) -> str:
    d = dt.date.fromisoformat(str(rec["date"]))
    return f"{str(rec['city']).upper()}, {_MONTHS[d.month - 1]} {d.day}, {d.year} ({rec['source']}) - "


def render_md(rec: dict[str, object]) -> str:
    paragraphs = list(rec["paragraphs"])  # type: ignore[call-overload]
    paragraphs[0] = _dateline(rec) + paragraphs[0]
    headings = list(rec["headings"])  # type: ignore[call-overload]
    step = max(3, len(paragraphs) // (len(headings) + 1))
    for k, h in enumerate(headings):
        at = min(len(paragraphs), step * (k + 1) + k)
        paragraphs.insert(at, f"**{h}**")
    front = (f"---\ntitle: {json.dumps(rec['title'])}\ndate: {rec['date']}\nsource: {rec['source']}\n"
             f"author: {rec['author']}\nurl: {rec['url']}\n---\n\n")
    return front + "\n\n".join(paragraphs) + "\n"


def render_txt(rec: dict[str, object]) -> str:
    d = dt.date.fromisoformat(str(rec["date"]))
    head = f"{rec['title']}\n\nBy {rec['author']}\n{rec['city']}, {_MONTHS[d.month - 1]} {d.day}, {d.year}\n\n"
    return head + "\n\n".join(rec["paragraphs"]) + "\n"  # type: ignore[arg-type]


_NAV = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("News", "Chips", "Cloud", "Markets", "Policy",
                                                                       "Events", "Sign in"))


def render_html(rec: dict[str, object]) -> str:
    e = html.escape
    d = dt.date.fromisoformat(str(rec["date"]))
    body = "\n".join(f"      <p>{e(p)}</p>" for p in rec["paragraphs"])  # type: ignore[attr-defined]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(str(rec['title']))} | {e(str(rec['source']))}</title>
  <meta name="author" content="{e(str(rec['author']))}">
  <meta name="date" content="{rec['date']}">
  <link rel="canonical" href="{rec['url']}">
</head>
<body>
  <div class="top-bar"><a class="logo" href="/">{e(str(rec['source']))}</a><nav><ul>{_NAV}</ul></nav></div>
  <main class="content">
    <article>
      <h1>{e(str(rec['title']))}</h1>
      <p class="byline">By {e(str(rec['author']))} &middot;
        <time datetime="{rec['date']}">{d.day} {_MONTHS[d.month - 1]} {d.year}</time></p>
{body}
    </article>
    <aside class="related"><h3>Related</h3><ul><li><a href="/news/1">Chipmakers brace for new rules</a></li>
      <li><a href="/news/2">Cloud prices fall again</a></li></ul></aside>
  </main>
  <footer><nav><a href="/about">About</a> | <a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></nav>
    <div id="cookie-banner"><p>This site uses cookies to understand how readers use it.
      <button>Accept all</button></p></div>
  </footer>
</body>
</html>
"""


def jsonl_record(rec: dict[str, object]) -> dict[str, object]:
    return {"id": rec["id"], "title": rec["title"], "date": rec["date"], "url": rec["url"], "source": rec["source"],
            "text": "\n\n".join(rec["paragraphs"])}  # type: ignore[arg-type]


_RENDER = {"md": render_md, "txt": render_txt, "html": render_html}


def generate(n: int, seed: int = 0, out_dir: str | Path = "benchmarks/data/corpus",
             formats: str = "jsonl") -> list[Path]:
    """Write ``n`` articles under ``out_dir`` as JSON Lines shards (``formats="jsonl"``, quick to write and
    read, for tests) or one file each in broad's mix of formats (``"news"``, what ``kg bench`` measures);
    returns the files (same n, seed and formats: same bytes)."""
    if formats not in ("news", "jsonl"):
        raise ValueError(f"formats: {formats!r} is not 'news' or 'jsonl'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in itertools.chain(out.glob("corpus-*.jsonl"), out.glob("[0-9][0-9][0-9][0-9]/*")):
        old.unlink()
    rng = random.Random(seed)
    pools = _pools(n, rng)
    files: list[Path] = []
    shard: list[str] = []
    for i in range(n):
        rec = article(i, rng, pools)
        if formats == "jsonl":
            shard.append(json.dumps(jsonl_record(rec), ensure_ascii=False) + "\n")
            if len(shard) == SHARD or i == n - 1:
                files.append(out / f"corpus-{i // SHARD:05d}.jsonl")
                files[-1].write_text("".join(shard), encoding="utf-8")
                shard = []
            continue
        kind = str(rec["kind"])
        path = out / f"{i // FOLDER:04d}" / f"{rec['id']}.{kind}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_RENDER[kind](rec), encoding="utf-8")
        files.append(path)
    return files


def replicate(src: str | Path, n: int, out_dir: str | Path) -> list[Path]:
    """``n`` articles made of copies of the articles under ``src`` (e.g. ``../shared/corpus/broad/articles``),
    each copy a file of its own with a URL of its own (``?copy=K``), so that ingest counts them as ``n``
    articles: ingest speed measured at a size on real articles, not only on generated ones."""
    from ingest.read import iter_files

    sources = sorted(iter_files([Path(src)]))
    if not sources:
        raise ValueError(f"{src}: no articles")
    out = Path(out_dir)
    files: list[Path] = []
    for i in range(n):
        path = sources[i % len(sources)]
        copy = i // len(sources)
        data = path.read_text(encoding="utf-8")
        if copy:  # the first copy is the original; the others get their own URL (a text file has none: its
            # title line says which copy, else ingest stores the same text once)
            if path.suffix == ".txt":
                data = data.replace("\n", f" (copy {copy})\n", 1)
            data = re.sub(r"^url: \S+|rel=\"canonical\" href=\"[^\"]+", rf"\g<0>?copy={copy}", data, count=1,
                          flags=re.MULTILINE)
        target = out / f"{i // FOLDER:04d}" / f"{copy:04d}-{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8")
        files.append(target)
    return files


def main() -> None:  # pragma: no cover - convenience: python -m benchmarks.corpus N [SEED] [DIR] [news|jsonl]
    import sys

    args = sys.argv[1:]
    n = int(args[0]) if args else 1000
    files = generate(n, int(args[1]) if len(args) > 1 else 0, args[2] if len(args) > 2 else "benchmarks/data/corpus",
                     args[3] if len(args) > 3 else "news")
    size = sum(f.stat().st_size for f in files)
    print(f"wrote {n} articles in {len(files)} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":  # pragma: no cover
    main()
