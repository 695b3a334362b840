"""Write examples/gold/: the annotation of examples/README.md as gold files in CONTRACT.md's format.

Why: `kg eval GOLD_DIR --articles DIR` reads gold files, and the README's example of it should run in a fresh
clone, on the project's own examples (the evaluation corpus lives outside the repository). The annotation in
examples/README.md stays the one source: this script derives the files from it, and
tests/test_first_hour.py fails when they are out of date. `kg eval` scores the first article of a file, so
a JSON Lines file or feed gets the gold of its first article.

    python scripts/examples_gold.py            # rewrite examples/gold/
    python scripts/examples_gold.py --check    # exit 1 if a file would change
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.kb import default_kb  # noqa: E402

README = ROOT / "examples" / "README.md"
GOLD = ROOT / "examples" / "gold"
PREDICATES = ("develops", "manufactures", "competesWith", "partnersWith", "subsidiaryOf", "ceoOf", "usesChip",
              "subjectTo", "imposedBy", "headquarteredIn", "investsIn")
FACT = re.compile(rf"- (.+?) ({'|'.join(PREDICATES)}) (.+)$")
# the class an entity has by its place in a fact, for the few the knowledge base does not know
ROLE = {("ceoOf", 0): "Person", ("subjectTo", 1): "Sanction", ("headquarteredIn", 1): "Country",
        ("usesChip", 1): "Chip", ("manufactures", 1): "Chip"}


def blocks() -> dict[str, tuple[str, str]]:
    """``{file name: (the block's text, its note)}`` for the first article of each example file."""
    text = README.read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for m in re.finditer(r"^### (\S+)(?: #(\d+))?(.*?)\n```text\n(.*?)```", text, re.S | re.M):
        name, number = m.group(1), int(m.group(2) or 1)
        if number == 1:
            out[name] = (m.group(4), m.group(3).strip(" ,"))
    return out


def gold(name: str, block: str) -> dict[str, object]:
    kb = default_kb()
    relations, metrics, types = [], [], {}
    section = None
    for line in block.splitlines():
        if re.match(r"^\w+:", line):
            section = line.split(":")[0]
            continue
        if not line.startswith("- "):
            continue
        if section == "facts":
            m = FACT.match(line)
            if m is None:
                raise SystemExit(f"{README}: cannot read the fact {line!r} of {name}")
            s, p, o = m.groups()
            relations.append({"s": s, "p": p, "o": o})
            for i, label in enumerate((s, o)):
                types.setdefault(label, ROLE.get((p, i), "Company"))
        elif section == "metrics":
            company, metric, value, unit, period = (x.strip() for x in line[2:].split("|"))
            number = float(value)
            metrics.append({"entity": company, "metric_name": metric, "value": int(number) if number.is_integer()
                            else number, "unit": unit, "period": period})
            types.setdefault(company, "Company")
    entities = []
    for label, guessed in types.items():
        e = kb.by_label(label)
        known = e is not None and e.label == label
        entities.append({"label": label, "type": e.type if known else guessed,
                         "aliases": list(e.aliases) if known else []})
    return {"article": name, "entities": entities, "relations": relations, "metrics": metrics,
            "notes": "Derived from examples/README.md by scripts/examples_gold.py; edit the README, not this file."}


def files() -> dict[Path, str]:
    return {GOLD / f"{Path(name).stem}.json": json.dumps(gold(name, block), ensure_ascii=False, indent=2) + "\n"
            for name, (block, _) in blocks().items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 if examples/gold/ is not up to date.")
    args = parser.parse_args()
    wanted = files()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    extra = [p for p in GOLD.glob("*.json") if p not in wanted] if GOLD.exists() else []
    if args.check:
        for p in stale + extra:
            print(f"out of date: {p.relative_to(ROOT)} (run python scripts/examples_gold.py)")
        return 1 if stale or extra else 0
    GOLD.mkdir(exist_ok=True)
    for p in stale:
        p.write_text(wanted[p], encoding="utf-8")
    for p in extra:
        p.unlink()
    print(f"examples/gold/: {len(wanted)} gold files ({len(stale)} written, {len(extra)} removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
