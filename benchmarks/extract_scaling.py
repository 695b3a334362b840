"""Extraction time per KB of text at growing lengths: flat means linear (issue 12's promise).

    python -m benchmarks.extract_scaling                 # 10 KB, 100 KB, 1 MB of two kinds of text
    python -m benchmarks.extract_scaling --sizes 10 100  # sizes in KB

Two texts: one sentence repeated without a full stop (the worst case for sentence-bounded rules: a single
"sentence" as long as the text), and ordinary news prose (the examples' articles, concatenated until the size
is reached). Each size is extracted once in this process, after a warm-up; CPU seconds are reported, with the
ratio of the largest size's time per KB to the smallest's.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ingest.extract import extract
from ingest.kb import default_kb
from ingest.model import Article
from ingest.read import iter_files, read_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
REPEATED = "Baidu competes with Alibaba in China and "


def prose(size: int) -> str:
    """News prose of about ``size`` characters, from the example articles."""
    texts = [a.text for p in iter_files([EXAMPLES]) for a in read_file(p)]
    out: list[str] = []
    total = 0
    while total < size:
        for t in texts:
            out.append(t)
            total += len(t) + 2
            if total >= size:
                break
    return "\n\n".join(out)[:size]


def measure(text: str) -> float:
    """CPU seconds to extract ``text`` as one article."""
    start = time.process_time()
    extract(Article("bench", "Scaling", text, date="2025-01-01"), default_kb())
    return time.process_time() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="text sizes in KB")
    args = parser.parse_args(argv)
    measure(prose(4000))  # warm-up: the knowledge base, the lexicon and the parser load once
    print(f"{'text':<10} {'KB':>6} {'CPU s':>8} {'ms/KB':>8}")
    for name, make in (("repeated", lambda n: (REPEATED * (n // len(REPEATED) + 1))[:n]), ("prose", prose)):
        per_kb = []
        for kb in args.sizes:
            seconds = measure(make(kb * 1024))
            per_kb.append(seconds * 1000 / kb)
            print(f"{name:<10} {kb:>6} {seconds:>8.2f} {per_kb[-1]:>8.2f}")
        print(f"{name:<10} largest/smallest time per KB: {per_kb[-1] / per_kb[0]:.2f}x")


if __name__ == "__main__":
    main()
