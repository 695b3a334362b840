"""The articles in a workspace: list them (``kg articles``) and take them out again (``kg remove``).

An article is removed with everything only it supported: its named graph (its mentions, facts and evidence)
goes, and so do the shared descriptions (``ingest.rdf.ENTITIES_GRAPH``) of the entities and metric observations
no other article refers to. What other articles also state stays: it lives in their graphs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from ingest.kb import vocabulary
from ingest.model import InputError
from ingest.rdf import CONTENT_URL, ENTITIES_GRAPH, INGESTED, article_iri
from kg.store import Workspace
from kg.stories import STORY
from ontology import ARTICLE

_ARTICLES = f"""
SELECT ?g ?id ?title ?date ?url ?file ?ingested ?story ?source WHERE {{ GRAPH ?g {{
  ?g a ci:Article ; ci:articleId ?id .
  OPTIONAL {{ ?g schema:headline ?title }} OPTIONAL {{ ?g schema:datePublished ?d }} OPTIONAL {{ ?g schema:url ?url }}
  OPTIONAL {{ ?g <{CONTENT_URL}> ?file }} OPTIONAL {{ ?g <{INGESTED}> ?ingested }}
  OPTIONAL {{ ?g ci:story ?story }} OPTIONAL {{ ?g ci:source ?source }}
  BIND(STR(?d) AS ?date)
}} }}"""
_METRICS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ci:reportsMetric ?o } } GROUP BY ?g"
_DESCRIBED = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?t }} }}"


def _facts_query() -> str:
    relations = " ".join(f"ci:{p}" for p in sorted(vocabulary().relations) if p != "reportsMetric")
    return f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {relations} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"


@dataclass(frozen=True)
class ArticleInfo:
    """One article as ``kg articles`` lists it."""

    id: str
    date: str | None  # published (metadata, dateline or first sentence); None when the article gives none
    title: str
    path: str | None  # the file it was read from, relative to the current directory when under it
    facts: int  # relation facts it states
    metrics: int  # metric observations it reports
    ingested: str | None  # xsd:dateTime of its first ingest
    graph: str  # its IRI, the name of its graph
    url: str | None = None
    story: str = ""  # the IRI of its story (kg.stories: near duplicates share one), else its own graph
    source: str | None = None  # the outlet its metadata names

    @property
    def story_id(self) -> str:
        """The story's short id, as ``kg articles`` prints it (copies of one story share it)."""
        return story_id(self.story or self.graph)

    def row(self) -> dict[str, object]:
        return {"id": self.id, "date": self.date, "title": self.title, "path": self.path, "facts": self.facts,
                "metrics": self.metrics, "ingested": self.ingested, "story": self.story_id}


def story_id(story: str) -> str:
    """A story IRI's last segment, cut to 8 characters (an article without a story: a hash of its own IRI)."""
    if story.startswith(STORY):
        return story[len(STORY):][:8]
    return hashlib.sha1(story.encode("utf-8")).hexdigest()[:8]


def file_path(file_iri: str | None) -> str | None:
    """A ``file:`` IRI as written by ``kg.api.file_uri`` back to a path (with its "#N" item number)."""
    if not file_iri or not file_iri.startswith("file://"):
        return file_iri
    body, _, item = file_iri[len("file://"):].partition("#")
    path = os.fsdecode(unquote_to_bytes(body))
    try:
        rel = os.path.relpath(path)
        path = rel if not rel.startswith("..") else path
    except ValueError:  # another drive (Windows)
        pass
    return f"{path}#{item}" if item else path


def list_articles(ws: Workspace) -> list[ArticleInfo]:
    """Every article of the workspace, oldest first (an undated one by the day it was ingested)."""
    facts = {str(r["g"]): int(r["n"]) for r in ws.query(_facts_query())}
    metrics = {str(r["g"]): int(r["n"]) for r in ws.query(_METRICS)}
    out = []
    for r in ws.query(_ARTICLES):
        g = str(r["g"])
        out.append(ArticleInfo(id=str(r["id"]), date=_opt(r["date"]), title=str(r["title"] or ""),
                               path=file_path(_opt(r["file"])), facts=facts.get(g, 0), metrics=metrics.get(g, 0),
                               ingested=_opt(r["ingested"]), graph=g, url=_opt(r["url"]),
                               story=str(r["story"] or g), source=_opt(r["source"])))
    out.sort(key=lambda a: (a.date or (a.ingested or "9999")[:10], a.id))
    return out


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass
class RemoveReport:
    """What ``remove_articles`` took out."""

    articles: list[ArticleInfo] = field(default_factory=list)
    facts: int = 0  # relation facts those articles stated (what other articles also state stays)
    descriptions: int = 0  # entities and metric observations no article refers to any more, dropped

    def as_dict(self) -> dict[str, object]:
        return {"removed": [a.id for a in self.articles], "articles": len(self.articles), "facts": self.facts,
                "descriptions": self.descriptions}


def resolve_articles(ws: Workspace, refs: list[str]) -> list[ArticleInfo]:
    """The articles ``refs`` name: each an article id, an article IRI, or a file (every article read from it).

    All are resolved before anything is removed: one that names nothing is an error and nothing changes.
    """
    articles = list_articles(ws)
    by_id = {a.id: a for a in articles}
    by_graph = {a.graph: a for a in articles}
    found: dict[str, ArticleInfo] = {}
    for ref in refs:
        hits = _matches(ref, articles, by_id, by_graph)
        if not hits:
            raise InputError(f"no article {ref!r} in the workspace{_suggest(ref, articles)}")
        for a in hits:
            found.setdefault(a.graph, a)
    return list(found.values())


def _matches(ref: str, articles: list[ArticleInfo], by_id: dict[str, ArticleInfo],
             by_graph: dict[str, ArticleInfo]) -> list[ArticleInfo]:
    if ref in by_id:
        return [by_id[ref]]
    if ref in by_graph or ref.startswith(ARTICLE):
        return [by_graph[ref]] if ref in by_graph else []
    if article_iri(ref) in by_graph:
        return [by_graph[article_iri(ref)]]
    target = os.path.abspath(ref.split("#", 1)[0]) if ref else ""
    item = ref.split("#", 1)[1] if "#" in ref else None
    hits = []
    for a in articles:
        if not a.path:
            continue
        path, _, number = a.path.partition("#")
        if os.path.abspath(path) == target and (item is None or number == item):
            hits.append(a)
    return hits


def _suggest(ref: str, articles: list[ArticleInfo]) -> str:
    from rapidfuzz import fuzz, process

    choices = {a.id: a.id for a in articles} | {a.path: a.path for a in articles if a.path}
    best = process.extract(ref, list(choices), scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    if best:
        return "; did you mean " + ", ".join(repr(b[0]) for b in best) + "? (`kg articles` lists them)"
    return " (`kg articles` lists the ids and paths)"


def remove_articles(ws: Workspace, refs: list[str]) -> RemoveReport:
    """Take the articles ``refs`` name out of the workspace, with what only they supported."""
    targets = resolve_articles(ws, refs)
    report = RemoveReport(articles=targets, facts=sum(a.facts for a in targets))
    before = int(ws.query(_DESCRIBED)[0]["n"])
    ws.remove_articles([a.graph for a in targets])
    report.descriptions = before - int(ws.query(_DESCRIBED)[0]["n"])
    return report

