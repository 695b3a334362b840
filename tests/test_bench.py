"""``kg bench`` runs end to end at a tiny size and reports every figure (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KG = [sys.executable, "-m", "kg"]


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    from kg.bench import corpus_generator

    generate = corpus_generator()
    a = generate(120, 7, tmp_path / "a")
    b = generate(120, 7, tmp_path / "b")
    assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b]
    rows = [json.loads(line) for f in a for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 120 and all(r["text"] and r["title"] for r in rows)


def test_kg_bench_prints_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:1"}  # nothing listens: Neo4j figures are skipped
    proc = subprocess.run([*KG, "bench", "--articles", "40", "--jobs", "2", "--reps", "2", "--neo4j",
                           "--json", str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "ingest articles/s, one process" in proc.stdout
    assert "skipped" in proc.stdout + proc.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 1
    rec = records[0]
    for key in ("articles", "ingest_articles_per_s", "ingest_peak_mib", "neo4j_triples_per_s",
                "neo4j_speedup_vs_naive", "query_p95_ms"):
        assert key in rec, key
    assert rec["neo4j"].startswith("skipped") and rec["neo4j_triples_per_s"] is None
    assert rec["articles"] == 40
    assert isinstance(rec["query_p95_ms"], dict) and rec["query_p95_ms"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return  # the chart needs matplotlib; everything else does not
    assert out.with_suffix(".png").stat().st_size > 0
