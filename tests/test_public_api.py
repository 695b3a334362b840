"""The public API: ``kg.__all__`` is pinned, every name is documented and typed, and the CLI stands on it.

Adding, renaming or removing a public name is a decision: change ``PUBLIC`` here with it (and the README).
"""

from __future__ import annotations

import ast
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = {
    # workspaces
    "open_workspace", "Workspace",
    # ingest, extract, articles, evaluation of extraction
    "ingest", "IngestSummary", "store_extractions", "extract", "records", "list_articles", "remove_articles",
    "evaluate",
    # stored queries and provenance
    "list_queries", "get_query", "run_query", "explain", "why", "changes", "StoredQuery",
    # entities
    "lookup", "search", "entity_merges", "entity_suspects", "merge_entities", "split_entities",
    # the graph
    "stats", "export_graph", "validate_graph", "property_graph", "networkx_graph", "load_neo4j",
    # analytics
    "pagerank", "shortest_path", "exposure",
    # ad-hoc questions, briefs, pictures, the workbench (kg sparql, kg cypher, kg brief, kg viz, kg serve)
    "run_sparql", "run_cypher", "company_brief", "draw_neighbourhood", "serve",
    # errors
    "InputError", "WorkspaceError", "QueryError", "UnknownName",
}

# what `import kg` and `import kg.cli` must not load: each costs tens of milliseconds of every `kg` command
HEAVY = ("networkx", "rich", "pyoxigraph", "rdflib", "spacy", "pyshacl", "grandcypher", "neo4j", "feedparser",
         "lxml", "rapidfuzz", "yaml", "ingest.extract", "ingest.kb", "kg.store", "kg.project", "kg.queries")


def test_public_names_are_pinned() -> None:
    assert set(kg.__all__) == PUBLIC
    assert len(kg.__all__) == len(PUBLIC)  # no name twice
    assert set(dir(kg)) >= PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_is_documented_and_typed(name: str) -> None:
    obj = getattr(kg, name)
    assert inspect.getdoc(obj), f"kg.{name} has no docstring"
    if inspect.isfunction(obj):
        assert obj.__module__ == "kg.api", f"kg.{name} should be defined in kg.api, the one public surface"
        signature = inspect.signature(obj)
        missing = [p for p, v in signature.parameters.items() if v.annotation is inspect.Parameter.empty]
        assert not missing, f"kg.{name}: parameters without a type: {missing}"
        assert signature.return_annotation is not inspect.Signature.empty, f"kg.{name} has no return type"
        for annotation in [*(v.annotation for v in signature.parameters.values()), signature.return_annotation]:
            _resolves(annotation, obj)  # every annotation names something real


def _resolves(annotation: object, fn: object) -> None:
    """Each name and ``module.attribute`` in a (string) annotation exists: in kg.api, its annotation-only imports,
    or the builtins. Subscripts are not evaluated: networkx's classes are generic to the type checker only."""
    import builtins

    names = {**vars(builtins), **vars(sys.modules[fn.__module__]), **_type_checking_names()}
    for node in ast.walk(ast.parse(str(annotation), mode="eval")):
        if isinstance(node, ast.Name):
            assert node.id in names, f"{fn.__name__}: {node.id!r} in {annotation!r} names nothing"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert hasattr(names[node.value.id], node.attr), f"{annotation!r}: no {node.value.id}.{node.attr}"


def _type_checking_names() -> dict[str, object]:
    """What kg/api.py imports for annotations only (its ``if TYPE_CHECKING:`` block), imported for real."""
    tree = ast.parse((ROOT / "kg" / "api.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=block.body, type_ignores=[]), "kg/api.py", "exec"), namespace)
    return namespace


def test_no_public_name_is_shadowed_by_a_module() -> None:
    """Importing ``kg.X`` sets attribute ``X`` of the package: a public function named like a module would be
    replaced by the module as soon as anything imported it."""
    modules = {m.name for m in pkgutil.iter_modules(kg.__path__)}
    assert not PUBLIC & modules
    import importlib

    from kg import api

    for module in ("kg.cli", "kg.cards", "kg.export", "kg.validate", "kg.analytics", "kg.articles", "kg.ingestion"):
        importlib.import_module(module)

    for name in PUBLIC:
        if hasattr(api, name):
            assert getattr(kg, name) is getattr(api, name), name


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'ingets'"):
        kg.ingets  # noqa: B018


@pytest.mark.parametrize("module", ["kg", "kg.cli"])
def test_importing_loads_nothing_heavy(module: str) -> None:
    code = (f"import sys, {module}; heavy = {HEAVY!r}; "
            "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]", f"import {module} loads {proc.stdout.strip()}"


def test_cli_stands_on_the_public_api() -> None:
    """kg/cli.py imports typer and the library (kg.api, kg.render) at the top, and never opens a workspace or
    runs a store of its own: every command is parse, call, print."""
    tree = ast.parse((ROOT / "kg" / "cli.py").read_text(encoding="utf-8"))
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            top.add(node.module)
    first_party = {m for m in top if m.split(".")[0] in {"kg", "ingest", "ontology", "queries"}}
    assert first_party <= {"kg", "ingest.model"}, first_party
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not names & {"Workspace", "open_workspace", "to_networkx"}, names & {"Workspace", "to_networkx"}


def test_an_open_workspace_is_used_as_given(examples_workspace: Path) -> None:
    """A program opens a workspace once and asks many questions; the same answers as from its directory."""
    by_path = kg.run_query("competitors", {"company": "Baidu"}, workspace=examples_workspace)
    with kg.open_workspace(examples_workspace, read_only=True) as ws:
        assert kg.run_query("competitors", {"company": "Baidu"}, workspace=ws) == by_path
        assert kg.lookup("Baidu", ws).cards[0].label == "Baidu"
        assert kg.stats(ws)["articles"] == 11
        with pytest.raises(kg.WorkspaceError, match="open read-only"):
            kg.remove_articles(["anything"], ws)
    assert by_path


def test_reading_where_there_is_no_workspace_is_an_error(tmp_path: Path) -> None:
    for call in (lambda: kg.stats(tmp_path / "none"), lambda: kg.lookup("Baidu", tmp_path / "none"),
                 lambda: kg.run_query("competitors", {"company": "Baidu"}, workspace=tmp_path / "none")):
        with pytest.raises(kg.WorkspaceError, match="no workspace here"):
            call()
    assert not (tmp_path / "none").exists()  # and none was created by asking
