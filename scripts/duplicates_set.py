"""Build the near-duplicate test set (benchmarks/sets/duplicates.jsonl) from the evaluation articles.

Each article of ../shared/corpus/{dev,broad} is one story. Beside the original, the set holds rewrites of it as a
syndicating outlet or a sub-editor makes them, each a copy of the same story:

- ``copy``: the same body under another headline and outlet (what the content hash does not catch: the metadata
  differ);
- ``light``: another headline and outlet (a dateline, a byline, a footer), two sentences swapped, about 3% of
  the words changed (synonyms, "per cent", "bn", dropped adverbs);
- ``medium``: as light, with four swaps, a paragraph moved, 8% of the words changed and the last paragraph cut;
- ``short``: the first half of the paragraphs (a brief of the story), lightly edited;
- ``heavy``: 15% of the words changed, sentences and paragraphs moved, two paragraphs cut and a background
  paragraph of the outlet's own added: past "lightly edited", to show where detection stops.

Different stories on the same topic are the other originals (with the example articles, ``examples/articles``:
two reports of one Alibaba quarter among them), and follow-ups written by hand
(``benchmarks/sets/duplicates-hand.jsonl``): a new development reported with a paragraph or two of the earlier
story's background reused word for word, as wires do. Pairs of different stories that share two or more of
their gold files' entities are "same topic" (the measure reports them apart). The hand-written file also holds
paraphrases: the same story rewritten by a sub-editor, sentence by sentence. The rewrites are made by a seeded
random generator, so the file is the same on every run: ``python scripts/duplicates_set.py`` (it needs ../shared).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.read import iter_files, read_file  # noqa: E402
from ingest.sentences import split_sentences  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"
OUT = ROOT / "benchmarks" / "sets" / "duplicates.jsonl"
HAND = ROOT / "benchmarks" / "sets" / "duplicates-hand.jsonl"

SYNONYMS = {
    "said": ["told reporters", "stated", "noted"], "says": ["states", "notes"], "company": ["firm", "group"],
    "companies": ["firms", "groups"], "announced": ["unveiled", "disclosed"], "billion": ["bn"],
    "million": ["mn"], "percent": ["per cent"], "chips": ["semiconductors", "processors"], "rival": ["competitor"],
    "rivals": ["competitors"], "start-up": ["startup"], "about": ["around", "roughly"], "however": ["but"],
    "launched": ["released", "rolled out"], "revenue": ["sales"], "shares": ["stock"], "plans": ["intends"],
    "new": ["latest"], "largest": ["biggest"], "biggest": ["largest"], "big": ["major"], "also": [""],
    "still": [""], "now": [""], "quarter": ["three-month period"], "customers": ["clients"], "market": ["sector"],
    "government": ["authorities"], "expected": ["forecast"], "began": ["started"], "began,": ["started,"],
    "reported": ["posted"], "rose": ["climbed", "increased"], "fell": ["dropped", "declined"], "help": ["assist"],
    "use": ["employ"], "uses": ["employs"], "build": ["construct"], "week": ["seven days"], "buy": ["purchase"],
    "sell": ["offer"], "sold": ["offered"], "major": ["leading"], "top": ["leading"], "firm": ["company"],
    "analysts": ["market watchers"], "while": ["whereas"], "because": ["as"], "first": ["initial"],
}
DATELINES = ["BEIJING", "SHANGHAI", "HONG KONG", "SINGAPORE", "TAIPEI", "WASHINGTON", "SAN FRANCISCO", "SHENZHEN"]
OUTLETS = ["Asia Tech Wire", "Pacific Business Daily", "The Chip Letter", "Global Markets Review", "Tech Dispatch",
           "Harbour Street Journal", "Orient Business News", "Silicon Briefing"]
FOOTERS = ["(Reporting by {a}; Editing by {b})", "This story was first published by {o} and is republished with "
           "permission.", "© 2025 {o}. All rights reserved.", "Additional reporting by {a}.",
           "Copyright {o}. Distributed by the {o} syndication service."]
NAMES = ["Mei Lin", "Tom Hale", "Ravi Shah", "Ana Ortiz", "Kenji Mori", "Lena Voss", "Sam Okafor", "Jia Wen"]
BACKGROUND = [
    "The technology sector has been one of the most closely watched parts of the market this year, with investors "
    "weighing rapid spending on data centres against the risk that demand cools before the new capacity is used.",
    "Competition among cloud providers and model developers in the region has intensified, and prices for access "
    "to large models have fallen sharply as more companies release systems of their own.",
    "Trade tensions between Washington and Beijing have shaped the industry for several years, as export rules, "
    "tariffs and lists of restricted companies changed what firms on both sides can buy and sell.",
    "Analysts say the coming months will show whether the recent wave of investment turns into lasting revenue, or "
    "whether the industry faces a period of consolidation.",
]


def _case_like(word: str, model: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def change_words(text: str, share: float, rnd: random.Random) -> str:
    """About ``share`` of the words that have a synonym, replaced (or dropped, for an empty synonym)."""
    def swap(m: re.Match[str]) -> str:
        w = m.group(0)
        options = SYNONYMS.get(w.lower())
        if not options or rnd.random() > share * 4:  # about a quarter of the words have a synonym
            return w
        new = rnd.choice(options)
        return _case_like(new, w) if new else ""
    out = re.sub(r"[A-Za-z][\w-]*,?", swap, text)
    return re.sub(r"  +", " ", re.sub(r" +([,.;:])", r"\1", out))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def swap_sentences(paras: list[str], swaps: int, rnd: random.Random) -> list[str]:
    """``swaps`` times, two neighbouring sentences of a paragraph change places."""
    paras = list(paras)
    for _ in range(swaps):
        multi = [i for i, p in enumerate(paras) if len(split_sentences(p)) >= 2]
        if not multi:
            break
        i = rnd.choice(multi)
        sents = [s.text for s in split_sentences(paras[i])]
        j = rnd.randrange(len(sents) - 1)
        sents[j], sents[j + 1] = sents[j + 1], sents[j]
        paras[i] = " ".join(sents)
    return paras


def move_paragraph(paras: list[str], rnd: random.Random) -> list[str]:
    if len(paras) < 4:
        return paras
    paras = list(paras)
    p = paras.pop(rnd.randrange(1, len(paras)))
    paras.insert(rnd.randrange(1, len(paras)), p)
    return paras


def outlet(rnd: random.Random) -> tuple[str, str, str]:
    """(dateline prefix, footer, outlet name)."""
    o = rnd.choice(OUTLETS)
    a, b = rnd.sample(NAMES, 2)
    return f"{rnd.choice(DATELINES)} ({o}) - ", rnd.choice(FOOTERS).format(a=a, b=b, o=o), o


def headline(title: str, body: str, rnd: random.Random) -> str:
    first = split_sentences(body)[0].text if body.strip() else title
    words = first.split()
    cut = " ".join(words[: rnd.randint(7, 11)]).rstrip(",;:")
    return rnd.choice(["UPDATE 1-", "", "Analysis: ", "", "WRAPUP - "]) + (cut if len(words) > 6 else title)


LEVELS = {  # swaps, moved paragraphs, share of words changed, paragraphs cut from the end, background added
    "copy": (0, 0, 0.0, 0, 0),
    "light": (2, 0, 0.03, 0, 0),
    "medium": (4, 1, 0.08, 1, 0),
    "short": (1, 0, 0.03, -1, 0),  # -1: keep the first half
    "heavy": (6, 2, 0.15, 2, 1),
}


def rewrite(title: str, text: str, level: str, rnd: random.Random) -> tuple[str, str, str]:
    swaps, moves, share, cut, background = LEVELS[level]
    paras = paragraphs(text)
    if cut == -1:
        paras = paras[: max(2, (len(paras) + 1) // 2)]
    elif cut:
        paras = paras[: max(len(paras) // 2, len(paras) - cut)]
    paras = swap_sentences(paras, swaps, rnd)
    for _ in range(moves):
        paras = move_paragraph(paras, rnd)
    for _ in range(background):
        paras.insert(rnd.randrange(1, len(paras) + 1), rnd.choice(BACKGROUND))
    paras = [change_words(p, share, rnd) for p in paras] if share else paras
    prefix, footer, name = outlet(rnd)
    body = "\n\n".join(paras)
    if level != "copy":
        body = prefix + body + "\n\n" + footer
    return headline(title, text, rnd), body, name


def main() -> None:
    if not CORPUS.is_dir():
        raise SystemExit(f"{CORPUS}: not found (the evaluation corpus, ../shared/corpus)")
    rows = []
    for part in ("dev", "broad"):
        for path in sorted(iter_files([CORPUS / part / "articles"])):
            gold = json.loads((CORPUS / part / "gold" / (path.stem + ".json")).read_text(encoding="utf-8"))
            entities = sorted({e["label"] for e in gold["entities"]})
            for art in read_file(path):
                story = f"{part}/{path.stem}"
                rows.append({"id": story, "story": story, "kind": "original", "title": art.title,
                             "source": art.source, "date": art.date, "entities": entities, "text": art.text})
                for level in LEVELS:
                    rnd = random.Random(f"{story}:{level}")
                    title, body, name = rewrite(art.title, art.text, level, rnd)
                    rows.append({"id": f"{story}#{level}", "story": story, "kind": level, "title": title,
                                 "source": name, "date": art.date, "entities": entities, "text": body})
    for path in sorted(iter_files([EXAMPLES / "articles"])):
        if path.name == "README.md":
            continue
        gold = json.loads((EXAMPLES / "gold" / (path.stem + ".json")).read_text(encoding="utf-8"))
        entities = sorted({e["label"] for e in gold["entities"]})
        for n, art in enumerate(read_file(path)):
            story = f"examples/{path.stem}/{n}"
            rows.append({"id": story, "story": story, "kind": "original", "title": art.title, "source": art.source,
                         "date": art.date, "entities": entities, "text": art.text})
    by_story = {r["story"]: r for r in rows if r["kind"] == "original"}
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            item["entities"] = by_story[item["related"]]["entities"]  # the topic of the story it follows
            rows.append(item)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} articles, {len({r['story'] for r in rows})} stories")


if __name__ == "__main__":
    main()
