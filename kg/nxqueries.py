"""The stored queries as plain functions over the NetworkX projection: what ``kg query run --backend networkx`` runs.

Why: grand-cypher interprets Cypher in Python and matches patterns by trying every binding, so at 10,000
articles most stored queries took seconds there and several could not be written in its dialect at all
(``EXISTS``, ``UNION``, variable-length paths, ``startNode``). Each function here walks the graph the way the
query reads (start from the named node, follow the typed relationships), networkx style: it takes the graph of
``kg.project.to_networkx`` and the query's parameters and returns rows with the query's columns
(``queries/NAME.yaml``), the rows its SPARQL gives on the workspace (``kg.querying`` orders them).

The numbers come from the relationships, which carry the fact summary's records (``kg.summary``, via
``kg.project``): ``sources``, ``first_reported``, ``articles``. A symmetric relationship is stored once per pair,
from the end with the smaller IRI, and matched from either end here (the graph itself, not grand-cypher's
``cypher_view``, which adds a reversed copy). ``kg cypher --backend networkx`` keeps grand-cypher for ad-hoc
Cypher.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ingest.kb import vocabulary
from kg.project import rel_type

if TYPE_CHECKING:
    import networkx as nx

Row = dict[str, object]
Edge = tuple[str, str, dict[str, Any]]  # (source, target, the relationship's properties)

_HISTORY = "_HISTORY"  # kg.periods: a fact with a period or an end, beside the current one


@cache
def _fact_types() -> frozenset[str]:
    """Relationship types of the facts between entities (every relation but reportsMetric)."""
    return frozenset(rel_type(r) for r in vocabulary().relations if r != "reportsMetric")


def _labels(g: nx.MultiDiGraph[str], n: str) -> set[str]:
    labels: set[str] = g.nodes[n].get("__labels__", set())
    return labels


def _name(g: nx.MultiDiGraph[str], n: str) -> object:
    return g.nodes[n].get("name")


def _is(g: nx.MultiDiGraph[str], n: str, label: str) -> bool:
    return label in _labels(g, n)


_INDEX = "kg.nxqueries"  # where prepare() keeps its indexes, in the graph's own attributes


def prepare(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """``g`` with its relationships indexed by type and its nodes by name (kept in ``g.graph``), built on first use.

    Why: a query that starts from one relationship type would otherwise read all of them (130,000 at 10,000
    articles), as a store without a type index would. The graph is read as a snapshot: one changed after its
    first query needs ``g.graph.pop("kg.nxqueries")``.
    """
    if _INDEX not in g.graph:
        by_type: dict[str, list[Edge]] = defaultdict(list)
        for u, v, t, d in g.edges(keys=True, data=True):
            by_type[t].append((u, v, d))
        by_name: dict[object, list[str]] = defaultdict(list)
        for n, d in g.nodes(data=True):
            by_name[d.get("name")].append(n)
        outgoing: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = {}
        incoming: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = {}
        for t, rels in by_type.items():
            out_t, in_t = outgoing.setdefault(t, defaultdict(list)), incoming.setdefault(t, defaultdict(list))
            for u, v, d in rels:
                out_t[u].append((v, d))
                in_t[v].append((u, d))
        g.graph[_INDEX] = (dict(by_type), dict(by_name), outgoing, incoming)
    return g


def edges(g: nx.MultiDiGraph[str], types: Iterable[str]) -> Iterator[Edge]:
    """Every relationship of the given types, once each."""
    by_type = prepare(g).graph[_INDEX][0]
    for t in sorted(set(types)):
        yield from by_type.get(t, ())


def out_edges(g: nx.MultiDiGraph[str], n: str, types: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(target, properties) of ``n``'s outgoing relationships of the given types (from the index: a company's
    thousands of MENTIONS are not read to find its one HEADQUARTERED_IN)."""
    outgoing = prepare(g).graph[_INDEX][2]
    for t in sorted(set(types)):
        if t in outgoing:
            yield from outgoing[t].get(n, ())


def in_edges(g: nx.MultiDiGraph[str], n: str, types: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(source, properties) of ``n``'s incoming relationships of the given types."""
    incoming = prepare(g).graph[_INDEX][3]
    for t in sorted(set(types)):
        if t in incoming:
            yield from incoming[t].get(n, ())


def either_way(g: nx.MultiDiGraph[str], n: str, types: Iterable[str]) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(other end, properties, whether ``n`` is the source) of every relationship of ``n`` of the given types:
    Cypher's undirected ``(n)-[:T]-(x)``, a self-loop once."""
    want = set(types)
    for v, d in out_edges(g, n, want):
        yield v, d, True
    for u, d in in_edges(g, n, want):
        if u != n:
            yield u, d, False


def named(g: nx.MultiDiGraph[str], name: object, label: str | None = None) -> list[str]:
    """The nodes called ``name`` (with ``label``, if given): where a query with a named parameter starts."""
    found: list[str] = prepare(g).graph[_INDEX][1].get(name, [])
    return [n for n in found if label is None or _is(g, n, label)]


def _distinct(rows: Iterable[Row]) -> list[Row]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in rows:
        key = tuple(_hashable(v) for v in r.values())
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _hashable(v: object) -> object:
    return tuple(v) if isinstance(v, list) else v


# --- one function per stored query (queries/NAME.yaml) ---------------------------------------------------------


def chief_executives(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Current chief executives: CEO_OF from a Person to a Company that no later article says has ended."""
    return [{"company": _name(g, c), "ceo": _name(g, p), "sources": d.get("sources")}
            for p, c, d in edges(g, ["CEO_OF"])
            if _is(g, p, "Person") and _is(g, c, "Company") and not d.get("ended")]


def chip_supply_chain(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Who designs, manufactures or uses each chip (companies and models)."""
    rows = []
    for x, k, d in edges(g, ["DEVELOPS", "MANUFACTURES", "USES_CHIP"]):
        if _is(g, k, "Chip"):
            for t in sorted(_labels(g, x) & {"Company", "AIModel"}):
                rows.append({"chip": _name(g, k), "role": d.get("predicate"), "party": _name(g, x), "party_type": t,
                             "sources": d.get("sources")})
    return rows


def chips_by_company(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    return [{"company": company, "role": d.get("predicate"), "chip": _name(g, k), "sources": d.get("sources")}
            for c in named(g, company, "Company")
            for k, d in out_edges(g, c, ["DEVELOPS", "MANUFACTURES", "USES_CHIP"]) if _is(g, k, "Chip")]


def companies_by_country(g: nx.MultiDiGraph[str], country: str) -> list[Row]:
    return [{"country": country, "company": _name(g, c), "sources": d.get("sources")}
            for k in named(g, country, "Country")
            for c, d in in_edges(g, k, ["HEADQUARTERED_IN"]) if _is(g, c, "Company")]


def _metrics(g: nx.MultiDiGraph[str], c: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(metric node's properties, REPORTS_METRIC properties) of the observations company ``c`` reports."""
    for m, d in out_edges(g, c, ["REPORTS_METRIC"]):
        props = g.nodes[m]
        if "MetricObservation" in props["__labels__"] and "metric" in props:
            yield props, d


def company_metrics(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    return [{"company": company, "metric": m["metric"], "value": m.get("value"), "unit": m.get("unit"),
             "period": m.get("period"), "sources": d.get("sources")}
            for c in named(g, company, "Company") for m, d in _metrics(g, c)]


def metric_timeline(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    return [{"company": company, "metric": m["metric"], "period": m.get("period"), "value": m.get("value"),
             "unit": m.get("unit"), "first_reported": d.get("first_reported"), "sources": d.get("sources")}
            for c in named(g, company, "Company") for m, d in _metrics(g, c)]


def conflicting_metrics(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Values of one company's metric (same name, period, unit) that two different articles disagree on."""
    groups: dict[tuple[str, object, object, object], list[tuple[object, object, frozenset[str]]]] = defaultdict(list)
    for c, m, d in edges(g, ["REPORTS_METRIC"]):
        if not _is(g, c, "Company"):
            continue
        props = g.nodes[m]
        key = (c, props.get("metric"), props.get("period"), props.get("unit"))
        if None in key or props.get("value") is None:
            continue
        groups[key].append((props["value"], d.get("sources"), frozenset(d.get("articles", ()))))
    rows = []
    for (c, metric, period, unit), obs in groups.items():
        for value, sources, arts in set(obs):
            # a conflict: another value, stated in an article other than one that states this one
            if any(v2 != value and any(a != b for a in arts for b in arts2) for v2, _, arts2 in obs):
                rows.append({"company": _name(g, c), "metric": metric, "period": period, "unit": unit,
                             "value": value, "sources": sources})
    return _distinct(rows)


def competitors(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    return [{"company": company, "competitor": _name(g, o), "sources": d.get("sources")}
            for c in named(g, company, "Company")
            for o, d, _ in either_way(g, c, ["COMPETES_WITH"]) if _is(g, o, "Company")]


def _reaching(g: nx.MultiDiGraph[str], top: str, types: Iterable[str]) -> set[str]:
    """The nodes from which a chain of one or more ``types`` relationships leads to ``top``."""
    seen: set[str] = set()
    todo = [top]
    while todo:
        n = todo.pop()
        for u, _ in in_edges(g, n, types):
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def corporate_tree(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    """Every unit under the company at any depth, each with its direct parent inside the tree."""
    rows = []
    for top in named(g, company, "Company"):
        under = _reaching(g, top, ["SUBSIDIARY_OF"])
        for u in under:
            if not _is(g, u, "Company"):
                continue
            for p, d in out_edges(g, u, ["SUBSIDIARY_OF"]):
                if (p == top or p in under) and _is(g, p, "Company"):
                    rows.append({"company": company, "unit": _name(g, u), "parent": _name(g, p),
                                 "sources": d.get("sources")})
    return _distinct(rows)


def _targets(g: nx.MultiDiGraph[str], n: str, t: str, label: str | None = None) -> set[str]:
    return {v for v, _ in out_edges(g, n, [t]) if label is None or _is(g, v, label)}


def domestic_alternatives(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Companies exposed to a sanction, and chips of other companies of their country not under it."""
    alternatives: dict[str, set[tuple[str, str]]] = defaultdict(set)  # country -> (supplier, chip)
    under: dict[str, set[str]] = {}  # chip -> the sanctions it is subject to
    for d_, alt, _ in edges(g, ["DEVELOPS"]):
        if _is(g, alt, "Chip") and _is(g, d_, "Company"):
            under.setdefault(alt, _targets(g, alt, "SUBJECT_TO"))
            for n in _targets(g, d_, "HEADQUARTERED_IN", "Country"):
                alternatives[n].add((d_, alt))
    rows = []
    for c, data in g.nodes(data=True):
        if "Company" not in data["__labels__"]:
            continue
        countries = _targets(g, c, "HEADQUARTERED_IN", "Country")
        if not countries:
            continue
        exposed = _targets(g, c, "SUBJECT_TO") | {s for k in _targets(g, c, "USES_CHIP")
                                                  for s in _targets(g, k, "SUBJECT_TO")}
        for s in exposed:
            if not _is(g, s, "Sanction"):
                continue
            for n in countries:
                for d_, alt in alternatives.get(n, ()):
                    if d_ != c and s not in under[alt]:
                        rows.append({"company": _name(g, c), "sanction": _name(g, s), "country": _name(g, n),
                                     "alternative": _name(g, alt), "supplier": _name(g, d_)})
    return _distinct(rows)


def entity_sources(g: nx.MultiDiGraph[str], entity: str) -> list[Row]:
    """The articles that mention the entity."""
    return _distinct({"entity": entity, "date": g.nodes[a].get("date"), "title": g.nodes[a].get("title"),
                      "article": g.nodes[a].get("id")}
                     for e in named(g, entity) for a, _ in in_edges(g, e, ["MENTIONS"]) if _is(g, a, "Article"))


def fact_sources(g: nx.MultiDiGraph[str], entity: str) -> list[Row]:
    """Each fact about the entity (as subject, as object of a one-way relation, either end of a symmetric one),
    once per article that states it."""
    articles = {d.get("id"): d for _, d in g.nodes(data=True) if "Article" in d["__labels__"]}
    rows = []
    for e in named(g, entity):
        for x, d, outgoing in either_way(g, e, _fact_types()):
            if d.get("symmetric"):
                subject, object_ = e, x
            else:
                subject, object_ = (e, x) if outgoing else (x, e)
            for aid in d.get("articles", ()):
                a = articles.get(aid)
                if a is not None:
                    rows.append({"entity": entity, "subject": _name(g, subject), "predicate": d.get("predicate"),
                                 "object": _name(g, object_), "date": a.get("date"), "article": aid,
                                 "title": a.get("title")})
    return _distinct(rows)


def _one_per_pair(g: nx.MultiDiGraph[str], s: str, o: str, d: dict[str, Any]) -> bool:
    """A symmetric fact is listed from the end with the smaller IRI only."""
    return not d.get("symmetric") or str(g.nodes[s].get("iri")) < str(g.nodes[o].get("iri"))


def facts_at(g: nx.MultiDiGraph[str], date: str) -> list[Row]:
    """Facts that held at ``date``: current ones reported by then with no period or end (``kg.periods``), and
    those with one, from their earliest start not ended between it and the date."""
    rows: list[Row] = []
    history = {t + _HISTORY for t in _fact_types()}
    for s, o, d in edges(g, _fact_types()):
        first = d.get("first_reported")
        if first is None or not first <= date or not _one_per_pair(g, s, o, d):
            continue
        if any(t + _HISTORY in g.succ[s].get(o, {}) for t in d["__labels__"]):  # kg.periods has its history
            continue
        rows.append({"subject": _name(g, s), "predicate": d.get("predicate"), "object": _name(g, o),
                     "held_from": first})
    for s, o, h in edges(g, history):
        if not _one_per_pair(g, s, o, h):
            continue
        ends = h.get("ends", [])
        held = [x for x in h.get("starts", []) if x <= date and not any(x <= e <= date for e in ends)]
        if held:
            starts = [x for x in held if x != ""]
            rows.append({"subject": _name(g, s), "predicate": h.get("predicate"), "object": _name(g, o),
                         "held_from": min(starts) if starts else ""})
    return _distinct(rows)


def facts_since(g: nx.MultiDiGraph[str], since: str) -> list[Row]:
    """Facts first reported on or after ``since``."""
    return [{"subject": _name(g, s), "predicate": d.get("predicate"), "object": _name(g, o),
             "first_reported": d.get("first_reported"), "sources": d.get("sources")}
            for s, o, d in edges(g, _fact_types())
            if d.get("first_reported") is not None and d["first_reported"] >= since and _one_per_pair(g, s, o, d)]


def models_by_company(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    return [{"company": company, "model": _name(g, m), "sources": d.get("sources")}
            for c in named(g, company, "Company") for m, d in out_edges(g, c, ["DEVELOPS"]) if _is(g, m, "AIModel")]


def most_connected(g: nx.MultiDiGraph[str], min_degree: int) -> list[Row]:
    """Entities linked by facts (either direction) to at least ``min_degree`` distinct others."""
    linked: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in edges(g, _fact_types()):
        if u != v:
            linked[u].add(v)
            linked[v].add(u)
    return [{"entity": _name(g, e), "type": t, "degree": len(others)}
            for e, others in linked.items() if len(others) >= min_degree for t in sorted(_labels(g, e))]


def orphans(g: nx.MultiDiGraph[str], type: str) -> list[Row]:  # noqa: A002 - the query's parameter name
    """Entities of a class that no fact or metric links to anything, with how many articles mention them."""
    if type == "Article":  # articles are not entities: they link by MENTIONS only
        return []
    linking = _fact_types() | {"REPORTS_METRIC"}
    rows = []
    for e, d in g.nodes(data=True):
        if type in d["__labels__"] and not any(True for _ in either_way(g, e, linking)):
            mentions = {a for a, _ in in_edges(g, e, ["MENTIONS"]) if _is(g, a, "Article")}
            rows.append({"type": type, "entity": d.get("name"), "mentions": len(mentions)})
    return rows


def partners_and_investments(g: nx.MultiDiGraph[str], company: str) -> list[Row]:
    """Partners (either direction) and the companies it invests in."""
    return [{"company": company, "relation": d.get("predicate"), "other": _name(g, o), "sources": d.get("sources")}
            for c in named(g, company, "Company")
            for o, d, outgoing in either_way(g, c, ["PARTNERS_WITH", "INVESTS_IN"]) if outgoing or d.get("symmetric")]


def _chips_used(g: nx.MultiDiGraph[str], c: str) -> set[str]:
    """Chips ``c`` uses itself or through an AI model it develops."""
    chips = _targets(g, c, "USES_CHIP", "Chip")
    for m in _targets(g, c, "DEVELOPS", "AIModel"):
        chips |= _targets(g, m, "USES_CHIP", "Chip")
    return chips


def rivals_sharing_supplier(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Competing companies that both use chips developed by one company."""
    developers: dict[str, set[str]] = defaultdict(set)
    for s, k, _ in edges(g, ["DEVELOPS"]):
        if _is(g, s, "Company"):
            developers[k].add(s)
    by_supplier: dict[str, dict[str, set[str]]] = {}  # company -> supplier -> the supplier's chips it uses

    def supplied(c: str) -> dict[str, set[str]]:
        if c not in by_supplier:
            found: dict[str, set[str]] = defaultdict(set)
            for k in _chips_used(g, c):
                for s in developers.get(k, ()):
                    found[s].add(k)
            by_supplier[c] = found
        return by_supplier[c]

    rows = []
    for a, b, _ in edges(g, ["COMPETES_WITH"]):
        if not (_is(g, a, "Company") and _is(g, b, "Company")):
            continue
        for c, r in {(a, b), (b, a)}:
            theirs = supplied(r)
            for s, mine in supplied(c).items():
                for k1 in mine:
                    for k2 in theirs.get(s, ()):
                        rows.append({"company": _name(g, c), "rival": _name(g, r), "supplier": _name(g, s),
                                     "company_chip": _name(g, k1), "rival_chip": _name(g, k2)})
    return _distinct(rows)


def _imposers(g: nx.MultiDiGraph[str], s: str) -> list[str]:
    return [b for b, _ in out_edges(g, s, ["IMPOSED_BY"])]


def sanction_exposure(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Companies and models that use a chip subject to a sanction, with who imposed it."""
    rows = []
    for u, k, _ in edges(g, ["USES_CHIP"]):
        if not _is(g, k, "Chip"):
            continue
        for t in sorted(_labels(g, u) & {"Company", "AIModel"}):
            for s in _targets(g, k, "SUBJECT_TO", "Sanction"):
                for b in _imposers(g, s):
                    rows.append({"user": _name(g, u), "user_type": t, "chip": _name(g, k), "sanction": _name(g, s),
                                 "imposed_by": _name(g, b)})
    return _distinct(rows)


def sanctioned_entities(g: nx.MultiDiGraph[str]) -> list[Row]:
    """Companies and chips subject to a sanction, with who imposed it."""
    rows = []
    for x, s, d in edges(g, ["SUBJECT_TO"]):
        if not _is(g, s, "Sanction"):
            continue
        for t in sorted(_labels(g, x) & {"Company", "Chip"}):
            for b in _imposers(g, s):
                rows.append({"entity": _name(g, x), "entity_type": t, "sanction": _name(g, s),
                             "imposed_by": _name(g, b), "sources": d.get("sources")})
    return rows


def subsidiaries(g: nx.MultiDiGraph[str]) -> list[Row]:
    return [{"parent": _name(g, p), "subsidiary": _name(g, s), "sources": d.get("sources")}
            for s, p, d in edges(g, ["SUBSIDIARY_OF"]) if _is(g, s, "Company") and _is(g, p, "Company")]


QUERIES: dict[str, Callable[..., list[Row]]] = {f.__name__: f for f in (
    chief_executives, chip_supply_chain, chips_by_company, companies_by_country, company_metrics, competitors,
    conflicting_metrics, corporate_tree, domestic_alternatives, entity_sources, fact_sources, facts_at, facts_since,
    metric_timeline, models_by_company, most_connected, orphans, partners_and_investments, rivals_sharing_supplier,
    sanction_exposure, sanctioned_entities, subsidiaries)}


def run(name: str, g: nx.MultiDiGraph[str], params: dict[str, object]) -> list[Row]:
    """Rows of stored query ``name`` on ``g`` with bound ``params`` (unordered: ``kg.queries.normalise_rows``)."""
    if g.graph.get("cypher_view"):
        raise ValueError("the stored-query functions read the projection itself, not its cypher_view")
    return QUERIES[name](g, **params)
