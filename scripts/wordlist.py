"""Write ``ontology/english_words.txt``: common English words, from the UD English treebanks EWT and GUM.

Extraction asks one question of it: is a capitalised word that opens a sentence ("Regulators", "Demand")
an ordinary word rather than a name? A word is listed when the treebanks write it in lower case, tagged
other than a proper noun, at least ``--min`` times. The treebanks are CC BY-SA 4.0; the list is a fact
about them (which words are common), credited in the file's header.

    .venv/bin/python scripts/wordlist.py scripts/parser/work/data/*-train.conllu
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ontology" / "english_words.txt"
_WORD = re.compile(r"[a-z][a-z'-]*")


def count(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 4 or not cols[0].isdigit():
                continue
            form, upos = cols[1], cols[3]
            if upos != "PROPN" and _WORD.fullmatch(form):
                counts[form] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conllu", nargs="+", type=Path)
    ap.add_argument("--min", type=int, default=2, help="times a word must occur (default 2)")
    args = ap.parse_args()
    counts = count(args.conllu)
    words = sorted(w for w, n in counts.items() if n >= args.min)
    header = ("# Common English words: lower-case, non-proper-noun forms occurring at least "
              f"{args.min} times in the\n# Universal Dependencies English treebanks EWT and GUM (CC BY-SA 4.0,"
              " https://universaldependencies.org).\n# Written by scripts/wordlist.py; one word per line.\n")
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
