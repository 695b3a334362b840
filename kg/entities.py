"""Curation of entities: the merges made, likely duplicates left, and a curator's merge and split (``kg entities``).

The resolver (``kg.resolve``) merges a new entity into a stored one at ingest when the names say so; what it
leaves apart but looks alike is listed by :func:`suspects` with the reason and a score. A curator's decision
(:func:`merge`, :func:`split`) rewrites the stored articles at once (``kg.merges``) and is kept in
``WORKSPACE/curation.yaml`` (``kg.curation``), which every ingest and every projection applies again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.kb import KnowledgeBase, default_kb
from ingest.model import InputError
from kg import curation as cur
from kg.merges import merge_quads, unmerge_quads, workspace_names
from kg.resolve import SUSPECT_AT, Decision, Names, Resolver, Words, key, match, tokens
from kg.store import Workspace
from ontology import NS

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.project import PropertyGraph


@dataclass(frozen=True)
class Suspect:
    """Two entities whose names look alike, for a curator to merge (``kg entities merge``) or keep apart."""

    a: str
    b: str
    type: str
    score: float
    reason: str
    a_iri: str
    b_iri: str

    def row(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "type": self.type, "score": self.score, "reason": self.reason}


@dataclass(frozen=True)
class MergeRecord:
    """One merge in one article: the name the article used, the node it was taken for, why, by whom."""

    merged: str
    into: str
    type: str
    reason: str
    score: float
    decided_by: str
    article: str

    def row(self) -> dict[str, object]:
        return {"merged": self.merged, "into": self.into, "type": self.type, "reason": self.reason,
                "score": self.score, "by": self.decided_by, "article": self.article}


@dataclass(frozen=True)
class CurationReport:
    """What a curator's merge or split did: the kept and the other entity, and how many articles changed."""

    action: str  # merge | split
    keep: str
    other: str
    articles: int
    file: str | None

    def as_dict(self) -> dict[str, object]:
        return {"action": self.action, "keep": self.keep, "other": self.other, "articles": self.articles,
                "file": self.file}


def curation_of(ws: Workspace) -> cur.Curation:
    return cur.load(cur.path(ws.path))


def load_resolver(ws: Workspace, kb: KnowledgeBase | None = None) -> Resolver:
    """A resolver knowing the knowledge base's entities, the workspace's and the workspace's curation file."""
    kb = kb or default_kb()
    resolver = Resolver(Words.of(kb))
    for e in kb.entities.values():
        resolver.add(Names(e.iri, e.label, e.type, frozenset(e.aliases), known=True))
    for names in workspace_names(ws).values():
        resolver.add(names)
    decisions = curation_of(ws)
    resolver.curated = decisions.merged()
    resolver.apart = decisions.apart()
    return resolver


def suspects(ws: Workspace, kb: KnowledgeBase | None = None, min_score: float = SUSPECT_AT) -> list[Suspect]:
    """Pairs of workspace entities of one type (one at least unknown to the knowledge base) whose names look
    alike, best first, leaving out pairs a curator split."""
    words = Words.of(kb or default_kb())
    names = workspace_names(ws)
    apart = curation_of(ws).apart()
    blocks: dict[tuple[str, str], set[str]] = {}  # (type, a distinctive word or an acronym) -> iris
    for n in names.values():
        for form in (*n.all_names(), *n.short_forms):
            toks = tokens(form, words)
            for t in toks:
                if t not in words.company and t not in words.places:
                    blocks.setdefault((n.type, t), set()).add(n.iri)
            if len(toks) > 1:
                blocks.setdefault((n.type, "".join(t[0] for t in toks)), set()).add(n.iri)
            blocks.setdefault((n.type, key(form, words)), set()).add(n.iri)
    seen: set[frozenset[str]] = set()
    out: list[Suspect] = []
    for iris in blocks.values():
        if len(iris) > 200:  # a word half the workspace shares says nothing
            continue
        ordered = sorted(iris)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1:]:
                pair = frozenset((x, y))
                if pair in seen or pair in apart:
                    continue
                seen.add(pair)
                a, b = names[x], names[y]
                if a.known and b.known:
                    continue
                m = match(a, b, words)
                if m is not None and m.score >= min_score:
                    out.append(Suspect(a.label, b.label, a.type, m.score, m.reason, a.iri, b.iri))
    return sorted(out, key=lambda s: (-s.score, s.a.casefold(), s.b.casefold()))


_RECORDS = """
SELECT ?r ?g ?b ?a ?name ?type ?reason ?score ?by ?aid ?alabel WHERE {
  GRAPH ?g { ?r a ci:Resolution ; ci:mergedEntity ?b ; ci:mergedInto ?a ; ci:mergedName ?name ; ci:mergedType ?type ;
                ci:reason ?reason ; ci:score ?score ; ci:decidedBy ?by . ?g ci:articleId ?aid }
  OPTIONAL { ?a rdfs:label ?alabel }
} ORDER BY ?alabel ?name ?aid"""


def merges(ws: Workspace) -> list[MergeRecord]:
    """Every merge recorded in the workspace: one row per article whose name was taken for another node."""
    out: dict[tuple[str, str], MergeRecord] = {}
    for row in ws.query(_RECORDS):
        k = (str(row["r"]), str(row["g"]))
        out.setdefault(k, MergeRecord(str(row["name"]), str(row["alabel"] or row["a"]), str(row["type"])[len(NS):],
                                      str(row["reason"]), float(row["score"]), str(row["by"]), str(row["aid"])))
    return list(out.values())


def _entity(ws: Workspace, text: str, kb: KnowledgeBase) -> Names:
    from kg.names import name_index

    hit = name_index(ws, kb).resolve(text, fuzzy=False)
    known = workspace_names(ws)
    if hit.iri in known:
        return known[hit.iri]
    return Names(hit.iri, hit.label, hit.type, known=hit.iri in kb.entities)


def _graphs_mentioning(ws: Workspace, iri: str) -> list[str]:
    rows = ws.query("SELECT DISTINCT ?g ?e WHERE { GRAPH ?g { ?g ci:mentions ?e } }", {"e": _node(iri)})
    return sorted(str(r["g"]) for r in rows)


def _node(iri: str) -> ox.NamedNode:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _graph_quads(ws: Workspace, graph: str) -> list[ox.Quad]:
    return list(ws.store.quads_for_pattern(None, None, None, _node(graph)))


def merge(ws: Workspace, a: str, b: str, kb: KnowledgeBase | None = None) -> CurationReport:
    """A curator's decision that ``b`` is ``a``: every article naming ``b`` now names ``a`` (the knowledge
    base's entity is kept when only one of them is in it), recorded in the workspace's curation file."""
    kb = kb or default_kb()
    keep, other = _entity(ws, a, kb), _entity(ws, b, kb)
    if keep.iri == other.iri:
        raise InputError(f"{a!r} and {b!r} are one entity already ({keep.label!r})")
    if keep.type != other.type:
        raise InputError(f"{keep.label!r} is a {keep.type} and {other.label!r} a {other.type}: not one entity")
    if keep.known and other.known:
        raise InputError(f"{keep.label!r} and {other.label!r} are both in the knowledge base: correct it there "
                         "(ontology/kb/) or in a lexicon file")
    if other.known:
        keep, other = other, keep
    d = Decision(other, keep, 1.0, "curator", "curator")
    graphs = _graphs_mentioning(ws, other.iri)
    ws.put_articles({g: merge_quads(_graph_quads(ws, g), g, d) for g in graphs})
    decisions = curation_of(ws)
    decisions.splits = [s for s in decisions.splits if s.pair() != frozenset((keep.iri, other.iri))]
    decisions.merges = [m for m in decisions.merges if m.merge_iri != other.iri]
    decisions.merges.append(cur.Merge(keep.label, keep.iri, other.label, other.iri, keep.type))
    return CurationReport("merge", keep.label, other.label, len(graphs), _save(ws, decisions))


_MERGED_INTO = """
SELECT ?r ?g ?b ?name ?a WHERE { GRAPH ?g { ?r a ci:Resolution ; ci:mergedInto ?a ; ci:mergedEntity ?b ;
                                              ci:mergedName ?name } }"""


def split(ws: Workspace, a: str, b: str, kb: KnowledgeBase | None = None) -> CurationReport:
    """Undo a merge: the articles whose name ``b`` was taken for ``a`` name ``b`` again, as they were written,
    and ``a`` and ``b`` are kept apart from now on (the curation file says so). ``b`` is a name the merge
    recorded (``kg entities`` lists them) or an entity of its own."""
    kb = kb or default_kb()
    keep = _entity(ws, a, kb)
    words = Words.of(kb)
    wanted = key(b, words)
    found = [r for r in ws.query(_MERGED_INTO, {"a": _node(keep.iri)})
             if key(str(r["name"]), words) == wanted or str(r["b"]) == b]
    if found:
        other_iri, other_name = str(found[0]["b"]), str(found[0]["name"])
        found = [r for r in found if str(r["b"]) == other_iri]
    else:
        other = _entity(ws, b, kb)
        if other.iri == keep.iri:
            raise InputError(f"no merge of {b!r} into {keep.label!r} is recorded (`kg entities` lists the merges)")
        other_iri, other_name = other.iri, other.label
    by_graph: dict[str, list[str]] = {}
    for r in found:
        by_graph.setdefault(str(r["g"]), []).append(str(r["r"]))
    rewritten = {}
    for g, records in by_graph.items():
        quads = _graph_quads(ws, g)
        for record in records:
            quads = unmerge_quads(quads, g, record)
        rewritten[g] = quads
    if rewritten:
        ws.put_articles(rewritten)
    decisions = curation_of(ws)
    decisions.merges = [m for m in decisions.merges if frozenset((m.keep_iri, m.merge_iri))
                        != frozenset((keep.iri, other_iri))]
    if all(s.pair() != frozenset((keep.iri, other_iri)) for s in decisions.splits):
        decisions.splits.append(cur.Split(keep.label, keep.iri, other_name, other_iri, keep.type))
    return CurationReport("split", keep.label, other_name, len(rewritten), _save(ws, decisions))


def _save(ws: Workspace, decisions: cur.Curation) -> str | None:
    file = cur.path(ws.path)
    if file is None:  # an in-memory workspace: the store holds the decision, there is no file to keep it
        return None
    cur.save(file, decisions)
    return str(file)


def fold(pg: PropertyGraph, merged: dict[str, str]) -> None:
    """A curator's merges applied to a property graph (a curation file edited by hand since the last ingest):
    the merged node's relationships move to the kept one, its name becomes an alias."""
    from kg.project import Rel, _merge_rels

    moved = {b: a for b, a in merged.items() if b in pg.nodes and a in pg.nodes and a != b}
    if not moved:
        return
    for b, a in moved.items():
        gone, kept = pg.nodes.pop(b), pg.nodes[a]
        aliases = set(kept.props.get("aliases", [])) | set(gone.props.get("aliases", [])) | {gone.props["name"]}
        kept.props["aliases"] = sorted(aliases - {kept.props["name"]})
    rels = []
    for r in pg.rels:
        src, dst = moved.get(r.src, r.src), moved.get(r.dst, r.dst)
        if src == dst and r.type != "MENTIONS":
            continue  # "A competes with B" once A is B says nothing
        if r.props.get("symmetric"):
            src, dst = min(src, dst), max(src, dst)
        rels.append(Rel(src, r.type, dst, dict(r.props)))
    pg.rels = _merge_rels(rels)
