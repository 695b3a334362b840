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
    probe = subprocess.run([sys.executable, "-c", "import ontology, kg; print(ontology.__file__, kg.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert str(site) in probe.stdout
