"""Dependency-parse speed: words per CPU-second of ``ingest.syntax.parse`` over a folder's sentences.

    python -m benchmarks.parse_speed [DIR ...] [--reps N] [--batch-size N]

The sentences are those cikg would parse: each article read with ``ingest.read.read_file`` and split with
``ingest.sentences.split_sentences``. One process, BLAS held to one thread, so the figure is per core.
The model is loaded and warmed before timing; CPU time is reported beside wall time because these
machines are shared and noisy. "Words" are whitespace-separated words of the input; tokens (spaCy's,
whitespace tokens excluded) are reported too.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # per-core figures; set before numpy is imported

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from ingest.read import iter_files, read_file  # noqa: E402
from ingest.sentences import split_sentences  # noqa: E402
from ingest.syntax import BATCH_SIZE, parse, parser  # noqa: E402

DEFAULT_DIR = Path("/work/shared/corpus/broad/articles")


def sentences_of(root: Path) -> list[str]:
    """The sentence texts of every article under ``root``, in file order."""
    return [s.text for path in iter_files([root]) for article in read_file(path)
            for s in split_sentences(article.text)]


def measure(root: Path, reps: int, batch_size: int) -> str:
    """One line of figures for the sentences under ``root``, parsed ``reps`` times."""
    sentences = sentences_of(root)
    if not sentences:
        return f"{root}: no sentences"
    words = sum(len(s.split()) for s in sentences)
    load = time.perf_counter()
    nlp = parser()
    load = time.perf_counter() - load
    for _ in parse(sentences[:50], batch_size=batch_size):  # warm-up: allocations, string store
        pass
    tokens = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(reps):
        tokens = sum(sum(not t.is_space for t in doc) for doc in parse(sentences, nlp=nlp, batch_size=batch_size))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return (f"{root}: {len(sentences)} sentences, {words} words ({tokens} tokens) x{reps}: "
            f"{words * reps / cpu:,.0f} words per CPU-second ({tokens * reps / cpu:,.0f} tokens), "
            f"{words * reps / wall:,.0f} words/s wall; model load {load:.2f} s")


def main() -> None:  # pragma: no cover - a command-line convenience
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[DEFAULT_DIR])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = ap.parse_args()
    for root in args.dirs:
        print(measure(root, args.reps, args.batch_size), flush=True)


if __name__ == "__main__":
    main()
