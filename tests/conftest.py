"""Shared fixtures: the example workspace, and the real Neo4j server that `make test` starts."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kg import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
# When the examples are ingested: the undated article (huawei-ascend-smic.txt) counts from this day, so that the
# rows of facts_since and metric_timeline do not move with the day the tests run (tests/test_queries.py).
EXAMPLES_INGESTED = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def examples_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding examples/articles (read it only: it is shared by the whole session)."""
    ws = tmp_path_factory.mktemp("examples") / "ws"
    summary = api.ingest([EXAMPLES], ws, now=EXAMPLES_INGESTED)
    assert summary.ok, summary.errors
    return ws


@pytest.fixture(scope="session")
def neo4j_settings():
    """Settings of the Neo4j server under test (NEO4J_* variables; `make test` starts the local one).

    Without a reachable server the Neo4j tests are skipped, except where KG_REQUIRE_NEO4J=1 (as in
    `make test` and CI), where they fail: a CI run must never pass by skipping the real server.
    """
    from kg.backends import neo4j as nb

    settings = nb.Settings.from_env()
    try:
        with nb.Connection(settings):
            pass
    except nb.Neo4jError as exc:
        if os.environ.get("KG_REQUIRE_NEO4J") == "1":
            pytest.fail(f"Neo4j is required but not reachable: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")
    return settings
