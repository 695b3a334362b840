"""Precision and recall of entity resolution (``kg.resolve``) on a labelled set of name pairs.

``benchmarks/sets/entity_pairs.jsonl`` holds pairs of names of one type, written for this project: the same entity
written two ways (a legal suffix, hyphens and spacing, company words or a place, a short form the text introduced,
and pairs no rule can see, such as an acronym never introduced or another name altogether) and different entities
with similar names ("Moore Threads" / "Moore Capital", "Brightloom" / "Brightloom Ventures", "Kimi K2" /
"Kimi K1.5"). Each pair is tried in both orders, as ingest meets it: the first name is a node of the workspace
(or the knowledge base's entity, when it knows the name), the second comes in a new article and is resolved by a
:class:`kg.resolve.Resolver` that also knows the whole knowledge base; "merged" means it became the first's node.

    python -m benchmarks.entities                 # the table, a sweep of merge thresholds, the errors
    python -m benchmarks.entities --json

Precision = trials merged that are one entity / trials merged; recall = trials of one entity merged / trials of
one entity. "Suspects" adds the pairs ``kg entities --suspects`` would list (score at least ``SUSPECT_AT``): the
share of one-entity pairs a curator gets to see, and how many other-entity pairs they must read past.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.kb import KnowledgeBase, default_kb, entity_iri
from kg.resolve import MERGE_AT, SUSPECT_AT, Names, Resolver, Words, match

SET = Path(__file__).resolve().parent / "sets" / "entity_pairs.jsonl"
SWEEP = (0.65, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)


@dataclass
class Trial:
    first: str
    second: str
    kind: str
    same: bool
    merged: bool
    suspect: bool
    reason: str


def load(path: Path = SET) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _names(label: str, type_: str, short: list[str], kb: KnowledgeBase) -> Names:
    known = [e for e in kb.surface.get(label, []) if e.type == type_]
    if known:  # the knowledge base's entity, as extraction would find it
        e = known[0]
        return Names(e.iri, e.label, e.type, frozenset(e.aliases), frozenset(short), known=True)
    return Names(entity_iri(type_, label), label, type_, short_forms=frozenset(short))


def _list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _base(kb: KnowledgeBase, words: Words) -> Resolver:
    r = Resolver(words)
    for e in kb.entities.values():
        r.add(Names(e.iri, e.label, e.type, frozenset(e.aliases), known=True))
    return r


def trials(rows: list[dict[str, object]], merge_at: float = MERGE_AT, kb: KnowledgeBase | None = None
           ) -> list[Trial]:
    kb = kb or default_kb()
    words = Words.of(kb)
    base = _base(kb, words)
    out = []
    for row in rows:
        type_ = str(row["type"])
        sides = [(str(row["a"]), _list(row.get("a_short"))), (str(row["b"]), _list(row.get("b_short")))]
        for (first, fshort), (second, sshort) in (sides, sides[::-1]):
            stored, new = _names(first, type_, fshort, kb), _names(second, type_, sshort, kb)
            resolver = Resolver(words, dict(base.entities), {k: set(v) for k, v in base.by_key.items()},
                                {k: set(v) for k, v in base.by_first.items()}, merge_at=merge_at)
            resolver.add(stored)
            decision = resolver.resolve(new)
            merged = new.iri == stored.iri or (decision is not None and decision.target.iri == stored.iri)
            m = match(new, stored, words)
            reason = decision.reason if decision is not None else (m.reason if m else "")
            out.append(Trial(first, second, str(row["kind"]), bool(row["same"]), merged,
                             not merged and m is not None and m.score >= SUSPECT_AT, reason))
    return out


def figures(ts: list[Trial]) -> dict[str, Any]:
    merged = [t for t in ts if t.merged]
    same = [t for t in ts if t.same]
    kinds: dict[str, dict[str, object]] = {}
    for kind in dict.fromkeys(t.kind for t in ts):
        of = [t for t in ts if t.kind == kind]
        kinds[kind] = {"trials": len(of), "merged": sum(t.merged for t in of),
                       "merged_or_suspect": sum(t.merged or t.suspect for t in of)}
    return {
        "trials": len(ts), "same": len(same), "merged": len(merged),
        "precision": round(sum(t.same for t in merged) / len(merged), 3) if merged else 1.0,
        "recall": round(sum(t.merged for t in same) / len(same), 3) if same else 1.0,
        "suspect_recall": round(sum(t.merged or t.suspect for t in same) / len(same), 3) if same else 1.0,
        "other_entity_suspects": sum(t.suspect and not t.same for t in ts),
        "false_merges": [f"{t.first} <- {t.second} ({t.reason})" for t in merged if not t.same],
        "missed": [f"{t.first} <- {t.second}" for t in same if not t.merged],
        "by_kind": kinds,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.entities", description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=SET, help="a JSON Lines file of labelled pairs")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    rows = load(args.set)
    kb = default_kb()
    sweep = {t: figures(trials(rows, t, kb)) for t in SWEEP}
    if args.json:
        json.dump({"merge_at": MERGE_AT, "suspect_at": SUSPECT_AT, "pairs": len(rows),
                   "sweep": {str(k): v for k, v in sweep.items()}}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{len(rows)} pairs, {2 * len(rows)} trials (both orders); suspects at {SUSPECT_AT} or more")
    print(f"{'merge at':>8}  {'precision':>9}  {'recall':>6}  {'merged':>6}  {'+suspects recall':>16}  "
          f"{'other-entity suspects':>21}")
    for t, f in sweep.items():
        mark = "  <- default" if t == MERGE_AT else ""
        print(f"{t:>8}  {f['precision']:>9}  {f['recall']:>6}  {f['merged']:>6}  {f['suspect_recall']:>16}  "
              f"{f['other_entity_suspects']:>21}{mark}")
    f = sweep[MERGE_AT]
    print("\nby kind (default threshold): merged / merged or suspect, of trials")
    for kind, k in f["by_kind"].items():
        print(f"  {kind:<30} {k['merged']:>3} / {k['merged_or_suspect']:>3} of {k['trials']}")
    print("\nfalse merges:", *(f["false_merges"] or ["none"]), sep="\n  ")
    print("missed (one entity, not merged):", *(f["missed"] or ["none"]), sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
