"""Extraction speed alone (read + extract, no store): articles per CPU-second and per wall-second.

    python -m benchmarks.extract_speed DIR [DIR ...] [--reps N]

``kg bench`` measures the whole ingest; this isolates the extractor, e.g. on the dev corpus and on a
synthetic corpus (``python -m benchmarks.corpus 1000 0 benchmarks/data/corpus``). CPU time is reported
beside wall time because these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ingest.extract import extract
from ingest.kb import default_kb
from ingest.read import iter_files, read_paths


def measure(root: Path, reps: int, parse: bool = True) -> str:
    """One line of figures for the articles under ``root``, extracted ``reps`` times (``parse=False``: the
    word-order rules alone, without the dependency parse, to show what the parse costs)."""
    kb = default_kb()
    articles = list(read_paths(iter_files([root])))
    if not articles:
        return f"{root}: no articles"
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    extract(articles[0], kb, parse=parse)  # warm the knowledge base, the parser and compiled patterns
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(reps):
        for article in articles:
            extract(article, kb, parse=parse)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(articles) * reps
    return (f"{root}{'' if parse else ' (no parse)'}: {len(articles)} articles x{reps}, {words:.0f} words each: "
            f"{n / cpu:.0f} articles per CPU-second, {n / wall:.0f} articles/s wall")


def main() -> None:  # pragma: no cover - a command-line convenience
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--no-parse", action="store_true", help="also measure without the dependency parse")
    args = parser.parse_args()
    for root in args.dirs:
        print(measure(root, args.reps))
        if args.no_parse:
            print(measure(root, args.reps, parse=False))


if __name__ == "__main__":
    main()
