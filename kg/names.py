"""Finding an entity by a name one cannot spell: ``kg search``, and "did you mean" wherever a name is taken.

The names are every canonical label, alias, ticker and Chinese name of the knowledge base and every label and
surface form the workspace's articles gave (entities discovered in text included). Matching is exact first
(case and spacing ignored), then fuzzy with rapidfuzz's ``WRatio`` (a well-kept matcher: it scores "Lumenary"
against "Lumenary AI" as a part of it, "Tencnet" against "Tencent" as a transposition).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.kb import KnowledgeBase, default_kb
from ingest.model import InputError
from kg.store import Workspace
from ontology import NS

# A fuzzy hit is taken for the name asked only at this score or more, and only when no other entity is as close
AUTO_PICK = 88
CLOSE = 4  # points within which two entities are as close
SUGGEST = 60  # least score of a "did you mean"


class UnknownName(InputError):
    """A name that names no entity (the message says which ones come close)."""


@dataclass(frozen=True)
class Name:
    """One way of naming an entity."""

    form: str  # as written: a label, alias, ticker, Chinese name
    label: str  # the entity's canonical label
    iri: str
    type: str  # class local name (Company, AIModel...)
    kind: str  # label | alias | ticker


@dataclass(frozen=True)
class Hit:
    """An entity found by ``NameIndex.search``: its best-matching name and the score of that match (0-100)."""

    label: str
    type: str
    iri: str
    matched: str
    kind: str
    score: float
    in_workspace: bool

    def row(self) -> dict[str, object]:
        return {"name": self.label, "type": self.type, "matched": self.matched, "as": self.kind,
                "score": round(self.score), "in_workspace": self.in_workspace}


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class NameIndex:
    """Names of entities; those of the workspace (``present``) are preferred when a name is ambiguous."""

    names: list[Name] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # IRIs of the entities in the workspace

    def __post_init__(self) -> None:
        self._exact: dict[str, list[Name]] = {}
        for n in self.names:
            self._exact.setdefault(_key(n.form), []).append(n)

    def _of_type(self, names: Iterable[Name], type_: str | None) -> list[Name]:
        return [n for n in names if type_ in (None, "any") or n.type == type_]

    def exact(self, text: str, type_: str | None = None) -> list[Name]:
        """The entities (one name each, workspace ones first) that ``text`` names exactly, ignoring case."""
        hits = self._of_type(self._exact.get(_key(text), ()), type_)
        best: dict[str, Name] = {}
        for n in sorted(hits, key=lambda n: (n.iri not in self.present, n.kind != "label", n.label)):
            best.setdefault(n.iri, n)
        return list(best.values())

    def search(self, text: str, limit: int = 10, type_: str | None = None, cutoff: float = 50) -> list[Hit]:
        """The entities whose names are closest to ``text``, best first, one hit per entity."""
        from rapidfuzz import fuzz, process, utils

        candidates = self._of_type(self.names, type_)
        if not text.strip() or not candidates:
            return []
        query = _key(text)
        forms = [_key(n.form) for n in candidates]
        pool = process.extract(query, forms, scorer=fuzz.WRatio, processor=utils.default_process,
                               limit=max(limit * 20, 200), score_cutoff=cutoff)
        best: dict[str, Hit] = {}
        for _, wratio, i in pool:
            n = candidates[i]
            # WRatio alone ranks "Dojo" above "Baidu" for "Baidoo": averaged with the plain ratio it does not
            score = (wratio + fuzz.ratio(query, forms[i], processor=utils.default_process)) / 2
            if forms[i] == query:
                score = 100.0
            elif forms[i].startswith(query + " ") or score >= 100:  # "Lumenary" of "Lumenary AI"
                score = max(score, 95.0)
            if score < cutoff:
                continue
            hit = Hit(n.label, n.type, n.iri, n.form, n.kind, float(score), n.iri in self.present)
            old = best.get(n.iri)
            if old is None or (hit.score, hit.kind == "label") > (old.score, old.kind == "label"):
                best[n.iri] = hit
        ranked = sorted(best.values(), key=lambda h: (-h.score, not h.in_workspace, h.label))
        return ranked[:limit]

    def suggestions(self, text: str, type_: str | None = None, limit: int = 3) -> list[str]:
        """Labels of the entities closest to ``text`` (in the workspace ones first), for a "did you mean"."""
        hits = self.search(text, limit=limit * 3, type_=type_, cutoff=SUGGEST)
        hits.sort(key=lambda h: (not h.in_workspace, -h.score, h.label))
        return list(dict.fromkeys(h.label for h in hits))[:limit]

    def resolve(self, text: str, type_: str | None = None, what: str | None = None, fuzzy: bool = True) -> Name:
        """The one workspace entity ``text`` names: exactly (a label, alias or ticker), else (``fuzzy``) the one
        fuzzy hit clearly ahead of every other; else a :class:`UnknownName` naming the closest ones."""
        what = what or _what(type_)
        exact = [n for n in self.exact(text, type_) if n.iri in self.present]
        if len(exact) == 1 or (exact and exact[0].kind == "label" and _key(exact[0].form) == _key(text)):
            return exact[0]
        if len(exact) > 1:
            labels = ", ".join(repr(n.label) for n in exact[:5])
            raise UnknownName(f"{text!r} names several {what}s in the workspace: {labels}; give the full name")
        hits = [h for h in self.search(text, limit=5, type_=type_) if h.in_workspace] if fuzzy else []
        if hits and hits[0].score >= AUTO_PICK and (len(hits) == 1 or hits[1].score < hits[0].score - CLOSE):
            h = hits[0]
            return Name(h.matched, h.label, h.iri, h.type, h.kind)
        raise UnknownName(self.missing(text, type_, what))

    def missing(self, text: str, type_: str | None = None, what: str | None = None) -> str:
        """The message for a name that names no ``what`` in the workspace, with what comes close."""
        kind = what or _what(type_)
        other = [n for n in self.exact(text) if n.iri in self.present and n.type != type_]
        if type_ not in (None, "any") and other:
            what_it_is = _what(other[0].type)
            article = "an" if what_it_is[0] in "aeiouAEIOU" else "a"
            return f"no {kind} named {text!r} in the workspace: {other[0].label!r} is {article} {what_it_is}"
        known = [n for n in self.exact(text, type_) if n.iri not in self.present]
        if known:
            return (f"no {kind} named {text!r} in the workspace: the knowledge base knows {known[0].label!r} "
                    f"({known[0].type}), but no ingested article mentions it")
        return f"no {kind} named {text!r} in the workspace{self._hint(text, type_)}"

    def _hint(self, text: str, type_: str | None) -> str:
        close = [c for c in self.suggestions(text, type_) if _key(c) != _key(text)]
        return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; `kg search TEXT` finds names"


def _what(type_: str | None) -> str:
    """``Company`` -> "company", ``AIModel`` -> "AI model", None or "any" -> "entity"."""
    if type_ in (None, "any"):
        return "entity"
    import re

    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type_).replace("AIModel", "AI model").lower().replace("ai model",
                                                                                                   "AI model")


_WORKSPACE_NAMES = """
SELECT DISTINCT ?e ?label ?type ?alias WHERE {
  ?e rdfs:label ?label ; a ?type . FILTER(STRSTARTS(STR(?type), STR(ci:)) && ?type NOT IN (ci:Article,
                                       ci:MetricObservation, ci:Evidence))
  OPTIONAL { ?e skos:altLabel ?alias }
}"""


def workspace_names(ws: Workspace) -> list[Name]:
    """The labels and surface forms of every entity of the workspace."""
    out: list[Name] = []
    seen: set[tuple[str, str]] = set()
    for r in ws.query(_WORKSPACE_NAMES):
        iri, label, type_ = str(r["e"]), str(r["label"]), str(r["type"])[len(NS):]
        for form, kind in ((label, "label"), (r["alias"], "alias")):
            if form is not None and (iri, str(form)) not in seen:
                seen.add((iri, str(form)))
                out.append(Name(str(form), label, iri, type_, kind))
    return out


def kb_names(kb: KnowledgeBase) -> list[Name]:
    """The labels, aliases (Chinese names among them) and tickers of the knowledge base's entities."""
    tickers = {(t, e.iri) for t, e in kb.tickers.items()}
    out = []
    for e in kb.entities.values():
        out.append(Name(e.label, e.label, e.iri, e.type, "label"))
        for alias in e.aliases:
            out.append(Name(alias, e.label, e.iri, e.type, "ticker" if (alias, e.iri) in tickers else "alias"))
    return out


def name_index(ws: Workspace, kb: KnowledgeBase | None = None) -> NameIndex:
    """Every name of the workspace and of the knowledge base."""
    own = workspace_names(ws)
    present = {n.iri for n in own}
    known = kb_names(kb or default_kb())
    # the workspace's label wins for an entity in both (a KB label may have changed since the article was stored)
    labels = {n.iri: n.label for n in own}
    merged = own + [Name(n.form, labels.get(n.iri, n.label), n.iri, n.type, n.kind) for n in known]
    return NameIndex(merged, present)


def index_from_rows(rows: Iterable[dict[str, object]]) -> NameIndex:
    """An index of names read from a property graph (Neo4j): rows of ``iri``, ``name``, ``kind``, ``aliases``."""
    names = []
    for r in rows:
        iri, label, type_ = str(r["iri"]), str(r["name"]), str(r["kind"])
        names.append(Name(label, label, iri, type_, "label"))
        aliases = r.get("aliases") or []
        assert isinstance(aliases, list | tuple)
        names.extend(Name(str(a), label, iri, type_, "alias") for a in aliases)
    return NameIndex(names, {n.iri for n in names})
