"""Extraction speed alone (read + extract, no store): articles per CPU-second and per wall-second; with
``--ingest``, the whole ``kg ingest`` on the same articles beside it (one process and ``--jobs J``).

    python -m benchmarks.extract_speed DIR [DIR ...] [--reps N] [--ingest [--jobs J]]

``kg bench`` measures the whole ingest; this isolates the extractor, e.g. on the evaluation corpus and on the
news-like bench corpus (``python -m benchmarks.corpus 2000 0 benchmarks/data/news-2000 news``), and says how
close ingest gets to it: the goal is ingest (one process) at >= 85% of extraction alone, and ``--jobs 2``
at >= 1.7x one process. CPU time is reported beside wall time because these machines are shared and noisy:
on a busy machine the CPU-second figures are the ones to compare.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.extract import extract
from ingest.kb import default_kb
from ingest.read import iter_files, read_paths


@dataclass
class Speed:
    """Articles per second of one run, by the wall clock and per CPU-second."""

    articles: int
    wall_s: float
    cpu_s: float
    peak_mib: float = 0.0  # ingest only: the writing process's peak RSS

    @property
    def per_s(self) -> float:
        return self.articles / self.wall_s

    @property
    def per_cpu_s(self) -> float:
        return self.articles / self.cpu_s


def extraction(root: Path, reps: int = 1, parse: bool = True) -> tuple[Speed, float]:
    """Extraction alone over the articles under ``root``, ``reps`` times (after one warm-up article), and
    their mean length in words. ``parse=False``: the word-order rules alone, to show what the parse costs."""
    kb = default_kb()
    articles = list(read_paths(iter_files([root])))
    if not articles:
        raise ValueError(f"{root}: no articles")
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    extract(articles[0], kb, parse=parse)  # warm the knowledge base, the parser and compiled patterns
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(reps):
        for article in articles:
            extract(article, kb, parse=parse)
    return Speed(len(articles) * reps, time.perf_counter() - wall, time.process_time() - cpu), words


def ingestion(root: Path, jobs: int) -> Speed:
    """The whole ``kg ingest`` of ``root`` into a fresh workspace, in a child process of its own."""
    from benchmarks.pipeline import measure_ingest

    with tempfile.TemporaryDirectory(prefix="kg-ingest-speed-") as tmp:
        r = measure_ingest(root, Path(tmp) / "ws", jobs)
    n = int(r["summary"]["articles"])
    return Speed(n, r["seconds"], r["cpu_seconds"], round(r["peak_kib"] / 1024, 1))


def measure(root: Path, reps: int, parse: bool = True) -> str:
    """One line of figures for the articles under ``root`` (extraction alone)."""
    try:
        s, words = extraction(root, reps, parse)
    except ValueError as exc:
        return str(exc)
    return (f"{root}{'' if parse else ' (no parse)'}: {s.articles // reps} articles x{reps}, {words:.0f} words "
            f"each: {s.per_cpu_s:.1f} articles per CPU-second, {s.per_s:.1f} articles/s wall")


def compare(root: Path, jobs: int) -> str:
    """Extraction alone against ``kg ingest`` with one process and with ``jobs``: figures and ratios."""
    ex, _ = extraction(root)
    one, many = ingestion(root, 1), ingestion(root, jobs)
    return "\n".join((
        f"{root}: {ex.articles} articles",
        f"  extraction alone     {ex.per_s:6.1f} articles/s wall, {ex.per_cpu_s:6.1f} per CPU-s",
        f"  kg ingest, 1 process {one.per_s:6.1f} articles/s wall, {one.per_cpu_s:6.1f} per CPU-s, "
        f"peak {one.peak_mib} MiB ({one.articles} articles stored)",
        f"  kg ingest --jobs {jobs}   {many.per_s:6.1f} articles/s wall, {many.per_cpu_s:6.1f} per CPU-s, "
        f"peak {many.peak_mib} MiB (writer)",
        f"  ingest / extraction: {one.per_s / ex.per_s:.2f} wall, {one.per_cpu_s / ex.per_cpu_s:.2f} CPU "
        f"(goal >= 0.85); --jobs {jobs} / 1 process: {many.per_s / one.per_s:.2f} wall (goal >= 1.7)",
    ))


def main() -> None:  # pragma: no cover - a command-line convenience
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--no-parse", action="store_true", help="also measure without the dependency parse")
    parser.add_argument("--ingest", action="store_true", help="also time kg ingest on the same articles")
    parser.add_argument("--jobs", type=int, default=2, metavar="J", help="worker processes for --ingest")
    args = parser.parse_args()
    for root in args.dirs:
        if args.ingest:
            print(compare(root, args.jobs), flush=True)
            continue
        print(measure(root, args.reps), flush=True)
        if args.no_parse:
            print(measure(root, args.reps, parse=False), flush=True)


if __name__ == "__main__":
    main()
