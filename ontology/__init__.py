"""The cikg ontology, SHACL shapes and curated knowledge base, shipped as Turtle data files.

Code never repeats entity knowledge: it reads these files. This module only says where they are
and which namespaces they use.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

NS = "https://cikg.dev/ns#"
"""Namespace of the ontology's classes and properties (CONTRACT.md local names live here)."""

ID = "https://cikg.dev/id/"
"""Base of entity IRIs: ``ID + "{type-slug}/{label-slug}"``, e.g. ``https://cikg.dev/id/company/baidu``."""

ARTICLE = "https://cikg.dev/article/"
"""Base of article IRIs (also the names of the per-article named graphs)."""

_DIR = Path(str(files(__name__)))

ONTOLOGY_FILE = _DIR / "cikg.ttl"
SHAPES_FILE = _DIR / "shapes.ttl"
LEXICON_FILE = _DIR / "lexicon.yaml"
WORDS_FILE = _DIR / "english_words.txt"  # common English words (scripts/wordlist.py)
KB_DIR = _DIR / "kb"
NEO4J_DIR = _DIR / "neo4j"


def kb_files() -> list[Path]:
    """The knowledge-base Turtle files, in a stable order."""
    return sorted(KB_DIR.glob("*.ttl"))
