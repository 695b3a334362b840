"""How long the ``kg`` command takes to answer: start-up, over repeated runs.

    python -m benchmarks.startup                    # 15 runs of each command, a table of the figures
    python -m benchmarks.startup --runs 30 --check  # exit 1 if a median is over its target

The commands: ``kg --help`` (target 0.3 s), a stored query and an entity lookup on a small workspace (the
11 example articles, ingested once into a temporary directory; target 0.5 s each), and ``python -c pass``
for the interpreter's own start-up on this machine. Each command runs once to warm the file cache, then
``--runs`` times; wall-clock seconds of the whole process are reported (min, median, 90th percentile). These
machines are shared and noisy: the median is what the targets are checked against, the minimum what the
code costs without interference.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
TARGETS = {"kg --help": 0.3, "kg query run competitors": 0.5, "kg lookup DeepSeek": 0.5}


def kg_command() -> list[str]:
    """The installed ``kg`` script beside this interpreter (what a user runs), else ``python -m kg``."""
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


def timed(argv: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``argv`` (after one warm-up run); a failing run is an error."""
    env = {**os.environ, "COLUMNS": "120"}
    samples = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, env=env, check=False)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode(errors='replace').strip()}")
        if i:
            samples.append(elapsed)
    return samples


def measure(runs: int, kg: list[str] | None = None, articles: Path = EXAMPLES) -> dict[str, dict[str, float]]:
    """{command: {min, median, p90, target}} in seconds, of ``kg`` (default: ``kg_command()``)."""
    kg = kg or kg_command()
    tmp = Path(tempfile.mkdtemp(prefix="kg-startup-"))
    try:
        ws = str(tmp / "ws")
        subprocess.run([*kg, "ingest", str(articles), "-w", ws, "-q"], capture_output=True, check=True)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "kg --help": [*kg, "--help"],
            "kg query run competitors": [*kg, "query", "run", "competitors", "-p", "company=Baidu", "-w", ws],
            "kg lookup DeepSeek": [*kg, "lookup", "DeepSeek", "-w", ws],
        }
        figures = {}
        for name, argv in cases.items():
            s = sorted(timed(argv, runs))
            figures[name] = {"min": round(s[0], 3), "median": round(statistics.median(s), 3),
                             "p90": round(s[min(len(s) - 1, int(0.9 * len(s)))], 3)}
            if name in TARGETS:
                figures[name]["target"] = TARGETS[name]
        return figures
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command after a warm-up (default 15)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a median is over its target")
    parser.add_argument("--command", metavar="CMD", help="the kg command to time, e.g. 'python -m kg' run in another "
                        "checkout, to compare (default: the kg script beside this interpreter)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    figures = measure(args.runs, shlex.split(args.command) if args.command else None)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'command':28} {'min':>7} {'median':>7} {'p90':>7} {'target':>7}   ({args.runs} runs, seconds)")
        for name, f in figures.items():
            target = f"{f['target']:.2f}" if "target" in f else ""
            print(f"{name:28} {f['min']:7.3f} {f['median']:7.3f} {f['p90']:7.3f} {target:>7}")
    over = [n for n, f in figures.items() if "target" in f and f["median"] > f["target"]]
    if over:
        print(f"over target: {', '.join(over)}", file=sys.stderr)
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
