"""Documentation that cannot drift: the CLI reference and the README's tables and example sessions are generated
(``scripts/docs.py``), every command and option has help, and the README's picture of the folders is the tree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[tuple[tuple[str, ...], object]]:
    out: list[tuple[tuple[str, ...], object]] = []

    def walk(cmd: object, path: tuple[str, ...]) -> None:
        out.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return out


def test_generated_docs_are_up_to_date() -> None:
    """docs/cli.md is every command's --help; the README's command and query tables and its `$ kg ...` sessions
    are what the code prints now. When this fails: python scripts/docs.py, read the diff, commit it."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_command_and_option_is_documented() -> None:
    undocumented = []
    for path, cmd in _commands():
        name = " ".join(("kg", *path))
        if not (getattr(cmd, "help", None) or "").strip():
            undocumented.append(name)
        for param in getattr(cmd, "params", []):
            if getattr(param, "hidden", False) or param.name == "help":
                continue
            if not (getattr(param, "help", None) or "").strip():
                undocumented.append(f"{name} {param.opts[0] if param.opts else param.name}")
    assert not undocumented, f"no help: {undocumented}"
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, cmd in _commands():  # each command has its section, each option is in it
        section = reference.split(f"## `{' '.join(('kg', *path))}`\n", 1)
        assert len(section) == 2, f"docs/cli.md has no section for kg {' '.join(path)}"
        body = section[1].split("\n## ", 1)[0]
        for param in getattr(cmd, "params", []):
            if getattr(param, "param_type_name", "") == "option" and not param.hidden:
                assert param.opts[0] in body, f"kg {' '.join(path)}: {param.opts[0]} is not in docs/cli.md"


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"<!-- layout -->\n```\n(.*?)```", text, re.S).group(1)  # type: ignore[union-attr]


def test_readme_layout_is_the_tree() -> None:
    """Every folder the repository holds is in the picture, and everything the picture names exists."""
    layout = _layout()
    folders: dict[str, str] = {}  # "kg/backends/" -> its text
    parent = ""
    for line in layout.splitlines():
        m = re.match(r"^( *)([\w.-]+/)", line)
        if m:
            name = m.group(2) if not m.group(1) else parent + m.group(2)
            parent = name if not m.group(1) else parent
            folders[name] = ""
            current = name
        folders[current] += line + "\n"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    top = {p.split("/")[0] + "/" for p in tracked if "/" in p and not p.startswith(".")}
    assert top == {f for f in folders if f.count("/") == 1}, "top-level folders of the repository vs the picture"
    kg_packages = {f"kg/{p.name}/" for p in (ROOT / "kg").iterdir() if (p / "__init__.py").exists()}
    assert kg_packages == {f for f in folders if f.startswith("kg/") and f.count("/") == 2}
    for folder, text in folders.items():
        assert (ROOT / folder).is_dir(), f"the picture names {folder}, which is not there"
        for module in re.findall(r"\b([\w/]+\.py)\b", text):  # every file it names is in that folder
            assert (ROOT / folder / module).exists(), f"the picture names {folder}{module}, which is not there"
    named = {m for text in folders.values() for m in re.findall(r"\b(\w+)\.py\b", text)}
    for package in ("kg", "ingest", "kg/backends", "benchmarks"):  # and every module of these is named
        modules = {p.stem for p in (ROOT / package).glob("*.py") if p.stem != "__main__" and not (
            p.stem.startswith("_") and p.stem != "__init__")}
        assert modules - {"__init__"} <= named, f"{package}: not in the picture: {sorted(modules - named)}"
