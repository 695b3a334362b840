"""`pip install .` ships the ontology, knowledge base and stored queries inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_data_and_kg_runs_from_elsewhere(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("cikg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ontology/cikg.ttl" in names and "ontology/shapes.ttl" in names
    assert any(n.startswith("ontology/kb/") and n.endswith(".ttl") for n in names)
    assert "queries/models_by_company.rq" in names and "queries/models_by_company.cypher" in names
    assert "queries/models_by_company.yaml" in names
    # what extraction reads: the lexicon, the common-word list and the parser
    assert "ontology/lexicon.yaml" in names and "ontology/english_words.txt" in names
    assert "ingest/parser_model/meta.json" in names and any(n.startswith("ingest/parser_model/parser/") for n in names)
    # what kg bench runs: the corpus generator and the pipeline (they read the knowledge base and queries above)
    assert {"benchmarks/corpus.py", "benchmarks/pipeline.py", "kg/nxqueries.py"} <= set(names)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "KG_WORKSPACE": str(elsewhere / "ws")}
    out = subprocess.run([sys.executable, "-m", "kg", "query", "list", "--format", "json"], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json

    assert len(json.loads(out.stdout)) >= 8
    article = elsewhere / "a.txt"
    article.write_text("Tencent competes with Baidu. Quillmark, a Tencent-backed start-up, trained Heron-2 on "
                       "Nvidia H800 chips.", encoding="utf-8")
    extracted = subprocess.run([sys.executable, "-m", "kg", "extract", str(article), "--format", "json"], cwd=elsewhere,
                               env=env, capture_output=True, text=True)
    assert extracted.returncode == 0, extracted.stderr
    assert "competesWith" in extracted.stdout and "investsIn" in extracted.stdout  # rules and parse from the wheel
    # kg bench from the wheel, outside any checkout: a corpus generated, ingested and queried on rdf and networkx
    bench = subprocess.run([sys.executable, "-m", "kg", "bench", "--articles", "3", "--jobs", "1", "--reps", "1",
                            "--format", "json"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert bench.returncode == 0, bench.stderr
    (record,) = json.loads(bench.stdout)
    assert record["articles"] == 3 and all(set(per) == {"rdf", "networkx"} for per in record["query_p95_ms"].values())
    probe = subprocess.run([sys.executable, "-c", "import ontology, kg, benchmarks.corpus as c; "
                            "print(ontology.__file__, kg.__file__, c.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert all(f.startswith(str(site)) for f in probe.stdout.split()) and len(probe.stdout.split()) == 3, probe
