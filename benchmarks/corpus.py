"""A seeded, deterministic synthetic news corpus for benchmarks.

``generate(n, seed, out_dir)`` writes ``n`` articles as JSON Lines shards (``corpus-00000.jsonl``, ...,
``SHARD`` articles each, so that ``kg ingest --jobs J`` has many files to spread over its workers). Articles
are news-like: a headline, a date, a source, an URL and 4-6 paragraphs (about 450 words, 3 KB) mixing
sentences the extractor turns into facts (develops, usesChip, competesWith, partnersWith, ceoOf,
subsidiaryOf, manufactures, subjectTo, imposedBy, investsIn, headquarteredIn, metrics) with plain prose.
Dates span 2023-01 to 2026-10. Each sanction has one imposing body, and a company's figure for a metric
and quarter is the same in every article that reports it, except for a rare (5%) conflicting report.

Entities come from the knowledge base (``ontology/kb``) and from generated new ones (companies, models,
chips, people). Which entity a sentence names is drawn with Zipf weights (rank ** -1.1), known entities
first, so a few companies appear in most articles and a long tail once or twice; the pool of new entities
grows with ``n``, so a 100,000-article corpus has a realistic long-tailed graph shape. The entities the stored
queries name in their examples lead their pools, so that ``kg bench`` times those queries on real answers.

Same ``n`` and ``seed``: byte-identical files. Generated data belongs under ``benchmarks/data/`` (git-ignored)
or a temporary directory, never in git.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SHARD = 100  # articles per JSONL file
ZIPF = 1.1

_SYL = ["ka", "lin", "zhi", "xin", "tao", "mei", "rui", "hao", "jun", "qi", "yun", "fei", "long", "shu", "bo",
        "ming", "an", "hua", "tian", "wei", "sen", "lu", "xu", "peng", "dao", "ke", "ning", "zhen", "yi", "cheng"]
_ORG_WORDS = ["Technologies", "Intelligence", "Semiconductor", "Robotics", "Computing", "Labs", "Systems",
              "Networks", "Microelectronics", "Software"]
_FIRST = ["Wei", "Li", "Chen", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
          "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Anna", "David", "Maria", "James", "Sofia", "Daniel"]
_LAST = ["Jianguo", "Xiaoming", "Haoran", "Yifan", "Zihan", "Yuxuan", "Mingyu", "Ruoxi", "Jiahui", "Tianyu",
         "Hartley", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Reyes", "Brennan", "Castillo"]
_CITIES = ["Hangzhou", "Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Chengdu", "Wuhan", "Nanjing", "Suzhou"]
_SOURCES = ["Harbour Business Daily", "Pacific Tech Wire", "Capital Markets Review", "Silicon Strait Post",
            "The Compute Ledger", "Eastern Finance Weekly"]
_METRICS = [("revenue", "RMB", "billion"), ("net income", "RMB", "billion"), ("revenue", "US$", "billion"),
            ("operating profit", "RMB", "billion")]
_QUARTERS = ["first", "second", "third", "fourth"]

# Prose without facts: what most of a news article is.
_FILLER = [
    "Analysts said the announcement reflected a broader push to cut the cost of training and serving large models.",
    "The market reaction was muted, with investors waiting for more detail on pricing and availability.",
    "Industry executives have warned that demand for computing power is outpacing the supply of advanced chips.",
    "People familiar with the matter said talks had been going on for several months.",
    "The company did not respond to a request for comment on Tuesday.",
    "Several brokerages raised their price targets after the results were published.",
    "Engineers said the new system would be rolled out to enterprise customers first, then to consumers.",
    "Competition in the sector has intensified since the start of the year, as price cuts spread across the market.",
    "Regulators have asked developers to file details of their training data and safety testing.",
    "The figures were broadly in line with what analysts had expected, according to a survey of forecasts.",
    "Developers praised the open licence, which lets smaller firms adapt the system to their own needs.",
    "Officials said further measures were under review and could be announced later in the year.",
    "Shares of suppliers rose in early trading as investors bet on higher orders for servers and memory.",
    "Critics argue that benchmark results say little about how the systems behave in everyday use.",
    "The data centre, which draws power from a nearby hydroelectric plant, is due to open next spring.",
    "A spokesperson said the company remained committed to its existing customers and partners.",
]


@dataclass
class _Pool:
    """Entity names of one type, most popular first, drawn with Zipf weights."""

    names: list[str]

    def __post_init__(self) -> None:
        self.cum = list(itertools.accumulate((r + 1) ** -ZIPF for r in range(len(self.names))))

    def draw(self, rng: random.Random) -> str:
        x = rng.random() * self.cum[-1]
        return self.names[min(bisect.bisect_left(self.cum, x), len(self.names) - 1)]

    def draw_distinct(self, rng: random.Random, k: int) -> list[str]:
        out: list[str] = []
        for _ in range(k * 10):
            name = self.draw(rng)
            if name not in out:
                out.append(name)
            if len(out) == k:
                break
        return out


def _kb_labels() -> dict[str, list[str]]:
    from ingest.kb import default_kb

    labels: dict[str, list[str]] = {}
    for e in sorted(default_kb().entities.values(), key=lambda e: e.iri):
        labels.setdefault(e.type, []).append(e.label)
    return labels


def _new_names(rng: random.Random, count: int, make: Callable[[random.Random], str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for _ in range(count * 50):  # bounded: a generator with too few distinct names gives fewer
        if len(out) >= count:
            break
        name = make(rng)
        if name not in seen:
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
    kb = _kb_labels()
    featured = _featured()
    companies = _new_names(rng, max(40, n // 4), lambda r: f"{_word(r, r.choice((2, 3)))} {r.choice(_ORG_WORDS)}")
    suffixes = ("7B", "13B", "70B", "Max", "Pro", "V2")
    models = _new_names(rng, max(20, n // 6), lambda r: f"{_word(r)}-{r.choice(suffixes)}")
    chips = _new_names(rng, max(10, n // 25), lambda r: f"{_word(r)} {r.randint(1, 9)}{r.choice(('00', '10', '20'))}")
    people = _new_names(rng, max(20, n // 6), lambda r: f"{r.choice(_FIRST)} {r.choice(_LAST)}"
                        if r.random() < 0.2 else f"{r.choice(_FIRST)} {_word(r)}")
    # Known entities first (the popular head), then generated ones (the tail), lightly shuffled together.
    def mix(known: list[str], new: list[str]) -> list[str]:
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
        "Country": _Pool(["China", "United States", "Taiwan", "South Korea", "Japan", "Netherlands"]),
        "Sanction": _Pool(kb.get("Sanction", ["Entity List"])),
        "Foundry": _Pool([c for c in ("TSMC", "SMIC", "Samsung Electronics", "Hua Hong Semiconductor")
                          if c in kb.get("Company", [])] or ["TSMC"]),
        "GovernmentBody": _Pool([g for g in kb.get("GovernmentBody", []) if "Commerce" in g or "Industry" in g]
                                or ["US Department of Commerce"]),
    }


def _reported(rng: random.Random, *key: object) -> str:
    """A company's figure for one metric and quarter: the same in every article, except a rare conflicting one."""
    value = random.Random("/".join(map(str, key))).randint(10, 909) / 10
    if rng.random() < 0.05:  # a misprint, or a figure restated later
        value = round(value * rng.choice((0.9, 1.1)), 1)
    return f"{value:.1f}"


def _fact_sentences(rng: random.Random, p: dict[str, _Pool], lead: str) -> list[str]:
    """Sentences about the article's lead company, in the shapes the extractor reads."""
    c2, c3 = p["Company"].draw_distinct(rng, 3)[1:] or ["Baidu", "Tencent"]
    if lead in (c2, c3):
        c2, c3 = "Baidu", "Tencent"
    model, chip = p["AIModel"].draw(rng), p["Chip"].draw(rng)
    metric, cur, scale = rng.choice(_METRICS)
    year = rng.choice((2023, 2024, 2025))
    quarter = rng.choice(_QUARTERS)
    out = [
        f"{lead} released {model}, its new large language model, on {rng.choice(('Monday', 'Tuesday', 'Thursday'))}.",
        f"{lead} trained {model} on {chip} chips, the company said.",
        f"{lead} competes with {c2} and {c3} in AI services.",
        f"{lead} has partnered with {c2} to provide AI features on smartphones.",
        f"{p['Person'].draw(rng)}, {lead}'s chief executive, said demand from business customers was growing.",
        f"{lead}'s {metric} rose {rng.randint(2, 40)}% to {cur} {_reported(rng, lead, metric, cur, quarter, year)} "
        f"{scale} in the {quarter} quarter of {year}.",
        f"{lead}, a {rng.choice(('Chinese', 'Chinese', 'American', 'Taiwanese'))} company based in "
        f"{rng.choice(_CITIES)}, employs thousands of engineers.",
        f"{c2} has invested in {lead}, according to filings.",
    ]
    if rng.random() < 0.35:
        sanction = p["Sanction"].draw(rng)
        bodies = p["GovernmentBody"].names  # one imposing body per sanction, whichever article names it
        body = bodies[sum(map(ord, sanction)) % len(bodies)]
        out.append(f"{lead} was added to the {sanction} by the {body} in {year}.")
    if rng.random() < 0.25:  # a subsidiary has one parent, one of the 20 most popular companies
        unit = p["Company"].draw(rng)
        parent = p["Company"].names[sum(map(ord, unit)) % 20]
        if parent != unit:
            out.append(f"{unit}, a unit of {parent}, opened a new research centre.")
    if rng.random() < 0.25:
        out.append(f"{p['Foundry'].draw(rng)} makes the {chip} chip for {lead}.")
    if rng.random() < 0.3:
        out.append(f"The {chip} is subject to US export controls.")
    rng.shuffle(out)
    return out[: rng.randint(5, len(out))]


def article(i: int, rng: random.Random, pools: dict[str, _Pool]) -> dict[str, object]:
    lead = pools["Company"].draw(rng)
    facts = _fact_sentences(rng, pools, lead)
    paragraphs: list[str] = []
    while facts:
        para = [facts.pop()] + rng.sample(_FILLER, rng.randint(2, 4))
        if facts and rng.random() < 0.6:
            para.insert(rng.randint(0, len(para)), facts.pop())
        paragraphs.append(" ".join(para))
    paragraphs.append(" ".join(rng.sample(_FILLER, 3)))
    date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1400))
    slug = lead.lower().replace(" ", "-")
    return {
        "id": f"bench-{i:07d}",
        "title": f"{lead} {rng.choice(('bets on', 'expands', 'reports growth in', 'faces questions over'))} AI",
        "date": date.isoformat(),
        "url": f"https://news.example.org/bench/{date:%Y/%m/%d}/{slug}-{i}",
        "source": rng.choice(_SOURCES),
        "text": "\n\n".join(paragraphs),
    }


def generate(n: int, seed: int = 0, out_dir: str | Path = "benchmarks/data/corpus") -> list[Path]:
    """Write ``n`` articles as JSONL shards under ``out_dir``; returns the files (same n and seed: same bytes)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("corpus-*.jsonl"):
        old.unlink()
    rng = random.Random(seed)
    pools = _pools(n, rng)
    files: list[Path] = []
    fh: IO[str] | None = None
    try:
        for i in range(n):
            if i % SHARD == 0:
                if fh:
                    fh.close()
                path = out / f"corpus-{i // SHARD:05d}.jsonl"
                files.append(path)
                fh = open(path, "w", encoding="utf-8")
            assert fh is not None
            fh.write(json.dumps(article(i, rng, pools), ensure_ascii=False) + "\n")
    finally:
        if fh:
            fh.close()
    return files


def main() -> None:  # pragma: no cover - convenience: python -m benchmarks.corpus N [SEED] [DIR]
    import sys

    args = sys.argv[1:]
    n = int(args[0]) if args else 1000
    files = generate(n, int(args[1]) if len(args) > 1 else 0, args[2] if len(args) > 2 else "benchmarks/data/corpus")
    size = sum(f.stat().st_size for f in files)
    print(f"wrote {n} articles in {len(files)} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":  # pragma: no cover
    main()
