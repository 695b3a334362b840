"""Values as people read them in a table: 247.8 bn CNY, 34%, 12,400, a long URL shortened in the middle.

Only tables use the cell functions; JSON and CSV keep the values as they are, for programs. The second half
builds what the commands print (an entity card, the stats, a summary line) as lines of text and styles. Why a
module of its own: the CLI prints through it, and a notebook or another front end can too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.model import Article
    from kg.articles import RemoveReport
    from kg.backends.neo4j import LoadReport
    from kg.cards import EntityCard

_CURRENCY = re.compile(r"^[A-Z]{3}$")  # ISO 4217: CNY, USD, EUR...
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
URL_MAX = 48  # characters of a URL or an article id shown in a table cell


def _decimals(x: float, places: int = 3) -> str:
    """``x`` with up to ``places`` decimals, trailing zeros dropped: 247.8, 39.85, 12."""
    text = f"{x:,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float | int) -> str:
    """A plain number with thousands separators: 12,400; 0.1189; 1,234.5."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return _decimals(float(value), 4)


def quantity(value: float | int, unit: str | None) -> str:
    """A reported number with its unit, scaled: 247.8 bn CNY, 34%, 430 m users, 12,000 units."""
    if unit == "percent":
        return f"{_decimals(float(value), 2)}%"
    v = float(value)
    for scale, word in _SCALES:
        if abs(v) >= scale:
            text = f"{_decimals(v / scale)} {word}"
            break
    else:
        text = number(value)
    return f"{text} {unit}" if unit else text


def shorten(text: str, width: int = URL_MAX) -> str:
    """A URL or id that fits ``width``: the scheme dropped, then the middle left out ("host…/last-part"); a
    file path keeps its end ("…/folder/name.txt"), where the name is."""
    url = bool(_URL.match(text))
    if url:
        text = _URL.sub("", text, count=1)
    if len(text) <= width:
        return text
    keep = width - 1
    head = keep * 2 // 5 if url or not ("/" in text or "\\" in text) else 0
    return text[:head] + "…" + text[len(text) - (keep - head):]


def looks_like_id(text: str) -> bool:
    """URLs, ``doc:``/``sha256:`` article ids and file paths: text without spaces that is shortened, not wrapped."""
    return " " not in text and (bool(_URL.match(text)) or text.startswith(("doc:", "sha256:", "file:"))
                                or ("/" in text and len(text) > 16))


def cell(value: object, id_width: int = URL_MAX) -> str:
    """A value of a row as shown in a table cell (a URL or id shortened to ``id_width``)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v, id_width) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    text = str(value)
    return shorten(text, id_width) if looks_like_id(text) else text


def id_width(columns: int) -> int:
    """How wide a URL or id may be in a table ``columns`` wide: a quarter of it, 16 to 48 characters."""
    return max(16, min(URL_MAX, columns // 4))


def table_rows(rows: list[dict[str, object]], id_width: int = URL_MAX) -> list[dict[str, str]]:
    """Rows as table cells: a ``value`` with a ``unit`` column becomes one quantity ("247.8 bn CNY") and the
    unit column goes; numbers get separators; URLs and ids are shortened in the middle to ``id_width``."""
    merge = bool(rows) and all("value" in r and "unit" in r and isinstance(r["value"], int | float | None)
                               and not isinstance(r["value"], bool) for r in rows)
    out = []
    for row in rows:
        shown: dict[str, str] = {}
        for key, value in row.items():
            if merge and key == "unit":
                continue
            if merge and key == "value" and value is not None:
                unit = row["unit"]
                shown[key] = quantity(value, None if unit is None else str(unit))  # type: ignore[arg-type]
            else:
                shown[key] = cell(value, id_width)
        out.append(shown)
    return out


# --- what the commands print, as lines ---------------------------------------------------------------------------
# A line is a list of parts, each plain text or a (text, style) pair (a rich style name: "bold", "dim"...). The
# CLI prints them, escaping control characters; text is never read as markup. Built here, not in the CLI, so that
# a notebook or another front end shows the same card, summary or report.

Part = str | tuple[str, str]
Line = list[Part]


def count(n: object, one: str, many: str | None = None) -> str:
    """``3 articles``, ``1 article``, ``12,400 triples``."""
    number = int(n)  # type: ignore[call-overload]
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def ingest_summary(s: dict[str, object]) -> str:
    """The line ``kg ingest`` ends with (``IngestSummary.as_dict()``); scripts and tests read its shape:
    "ingested N articles (M unchanged) from F files: ..., E errors"."""
    changes = [f"{s['updated']} updated"] if s["updated"] else []
    changes.append(f"{s['unchanged']} unchanged")
    if s["removed"]:
        changes.append(f"{s['removed']} removed: no longer in their files")
    return (f"ingested {s['articles']} articles ({', '.join(changes)}) from {s['files']} files: "
            f"{s['facts']} facts, {s['metrics']} metrics, {s['entities']} entities; "
            + (f"{s['duplicates']} near duplicates (joined a stored story); " if s.get("duplicates") else "")
            + f"{s['skipped']} skipped, {s['errors']} errors")


def card_lines(card: EntityCard) -> list[Line]:
    """An entity card as ``kg lookup`` prints it: a heading, then aliases, relations (with their number of
    sources), metrics and the articles that mention the entity, one a line."""
    lines: list[Line] = [[(card.label, "bold"), f" ({card.type})  {card.iri}"]]
    if not card.in_workspace:
        lines.append(["  (in the knowledge base only: no ingested article mentions it)"])
    if card.aliases:
        lines.append([f"  aliases: {', '.join(card.aliases)}"])
    if card.wikidata:
        lines.append([f"  wikidata: {card.wikidata}"])
    for r in card.relations:
        p, o = r["predicate"], r["other"]
        arrow = {"out": f"{p} -> {o}", "both": f"{p} <-> {o}"}.get(str(r["direction"]), f"<- {o} {p}")
        lines.append([f"  {arrow}  ", (f"({count(r['sources'], 'source')})", "dim")])
    for h in card.history:
        p, o = h["predicate"], h["other"]
        arrow = {"out": f"{p} -> {o}", "both": f"{p} <-> {o}"}.get(str(h["direction"]), f"<- {o} {p}")
        until = f" (until {h['until']})" if h["until"] else ""
        lines.append([f"  ended: {arrow}{until}  ", (f"reported {h['reported']}", "dim")])
    for ch in card.changes:
        lines.append([f"  changed: {ch['change']} {ch['subject']} {ch['predicate']} {ch['object']}  ",
                      (f"{ch['reported']}{'; ' + str(ch['detail']) if ch['detail'] else ''}", "dim")])
    for m in card.metrics:
        value = m["value"]
        shown = quantity(value, str(m["unit"])) if isinstance(value, int | float) else f"{value} {m['unit']}"
        period = f" ({m['period']})" if m["period"] else ""
        lines.append([f"  metric: {m['name']} = {shown}{period}  ", (str(m["articles"]), "dim")])
    for src in card.sources:
        lines.append([f"  source: {src['date'] or 'undated'}  {src['title']}  ", (str(src["id"]), "dim")])
    return lines


def card_rows(cards: list[EntityCard]) -> list[dict[str, object]]:
    """Entity cards as rows (``kg lookup -f csv``): one per alias, relation, metric and source of each card."""
    rows: list[dict[str, object]] = []
    for c in cards:
        base = {"entity": c.label, "type": c.type}
        rows += [{**base, "section": "alias", "key": "", "value": a, "detail": ""} for a in c.aliases]
        if c.wikidata:
            rows.append({**base, "section": "wikidata", "key": "", "value": c.wikidata, "detail": ""})
        rows += [{**base, "section": "relation", "key": r["predicate"], "value": r["other"],
                  "detail": f"{r['direction']}; {r['sources']} sources"} for r in c.relations]
        rows += [{**base, "section": "ended", "key": h["predicate"], "value": h["other"],
                  "detail": f"{h['direction']}; until {h['until'] or ''}; reported {h['reported']}"} for h in c.history]
        rows += [{**base, "section": "change", "key": ch["change"], "value": f"{ch['subject']} {ch['predicate']} "
                  f"{ch['object']}", "detail": f"{ch['reported']}; {ch['detail']}"} for ch in c.changes]
        rows += [{**base, "section": "metric", "key": m["name"], "value": f"{exact(m['value'])} {m['unit']}",
                  "detail": f"{m['period'] or ''}; {m['articles']}"} for m in c.metrics]
        rows += [{**base, "section": "source", "key": s["date"] or "", "value": s["title"], "detail": s["id"]}
                 for s in c.sources]
    return rows


def exact(value: object) -> str:
    """A value as CSV holds it: exact (no separators, no units), lists joined by "; ", whole floats as integers."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def stats_rows(data: dict[str, object]) -> list[dict[str, object]]:
    """``kg stats`` as rows of kind (total, label, type), name and count."""
    rows: list[dict[str, object]] = [{"kind": "total", "name": k, "count": data[k]}
                                     for k in ("articles", "triples", "nodes", "relationships")]
    for kind, key in (("label", "labels"), ("type", "types")):
        counts = data[key]
        assert isinstance(counts, dict)
        rows += [{"kind": kind, "name": k, "count": v} for k, v in counts.items()]
    return rows


def stats_summary(data: dict[str, object]) -> str:
    """The first line of ``kg stats``: "11 articles, 2,345 triples, 120 nodes, 300 relationships"."""
    return (f"{count(data['articles'], 'article')}, {count(data['triples'], 'triple')}, "
            f"{count(data['nodes'], 'node')}, {count(data['relationships'], 'relationship')}")


def _outlet(e: dict[str, object]) -> str:
    """The outlet and its reliability letter, as evidence lines end: "Reuters, B"."""
    return f"{e['outlet']}, {e['reliability']}" if e.get("outlet") else f"unrated outlet, {e.get('reliability')}"


def why_lines(fact: str, evidence: list[dict[str, object]]) -> list[Line]:
    """``kg why``: the fact, its sources (stories) and articles, then each article (date, title, id, outlet and
    its reliability) and sentence, the copies of one story together under it."""
    stories: dict[object, list[dict[str, object]]] = {}
    for e in evidence:  # oldest first, so each story comes where its first article does
        stories.setdefault(e.get("story") or e["article"], []).append(e)
    n = len({e["article"] for e in evidence})
    lines: list[Line] = [[(fact, "bold"), f": {count(len(stories), 'source')} ({count(n, 'article')})"]]
    for story, items in stories.items():
        copies = len({e["article"] for e in items})
        indent = "  "
        if copies > 1:
            lines.append([f"  story {story}: {copies} near-duplicate articles, one source"])
            indent = "    "
        for e in items:
            lines.append([f"{indent}{e['date'] or 'undated'}  {e['title']}  ",
                          (f"{e['article']}  ({_outlet(e)})", "dim")])
            lines.append([f"{indent}  \"{e['sentence']}\"  ",
                          (f"({e['rule']}, {e['confidence']}; weighted {e.get('weighted_confidence')})", "dim")])
    return lines


def explained_lines(explained: list[dict[str, object]]) -> list[Line]:
    """``kg query run --explain``: each row's values, then the facts it rests on with their articles and
    sentences."""
    lines: list[Line] = []
    for i, r in enumerate(explained, start=1):
        values = ", ".join(cell(v) for k, v in r.items() if k != "evidence")
        lines.append([(f"row {i}", "bold"), f": {values}"])
        evidence = r["evidence"]
        assert isinstance(evidence, list)
        if not evidence:
            lines.append(["  (no evidence found)"])
        for e in evidence:
            lines.append([f"  {e['fact']}  ", (f"{e['date'] or 'undated'} {e['article']} ({_outlet(e)})", "dim")])
            lines.append([f"    \"{e['sentence']}\""])
    return lines


def eval_lines(data: dict[str, object], details: bool = True) -> list[Line]:
    """``kg eval`` after its table (``EvalReport.as_dict()``): the metric scores, then with ``details`` each miss
    and spurious fact or metric with its sentence."""
    m = data["metrics"]
    assert isinstance(m, dict)
    lines: list[Line] = [[f"metrics: {m['found']}/{m['gold']} recalled ({m['recall']:.2%}); {m['correct']}/"
                          f"{m['extracted']} extracted rows match a gold metric (precision {m['precision']:.2%})"]]
    if not details:
        return lines
    for key, label, style in (("misses", "miss", "yellow"), ("spurious", "spurious", "red")):
        for x in data[key]:  # type: ignore[attr-defined]
            lines.append([(label, style), f" {x['article']}: {x['s']} {x['p']} {x['o']}"])
            lines.append([f"    {x['sentence']}"])
    for key, label, style in (("metric_misses", "metric miss", "yellow"),
                              ("metric_spurious", "spurious metric", "red")):
        for x in data[key]:  # type: ignore[attr-defined]
            lines.append([(label, style), f" {x['article']}: {x['entity']} {x['metric_name']} = {x['value']} "
                                          f"{x['unit']} ({x['period']})"])
            if key == "metric_spurious":
                lines.append([f"    {x['sentence']}"])
    return lines


def trace_lines(article: Article, steps: list[dict[str, Any]]) -> list[Line]:
    """``kg extract --trace``: one article's trace, a block per sentence that names anything: its mentions, the
    frames that fired, were blocked (and by which word) or nearly fired (a role left empty), and the facts."""
    lines: list[Line] = [[(f"== {article.id}", "bold"), f"  {article.title or ''}"]]
    for step in steps:
        mentions = step.get("mentions") or []
        if not mentions:
            continue
        lines.append([f"[{step['start']}] {step['sentence']}"])
        names = "; ".join(f"{m['text']} -> {m['entity']} ({m['type']}, {m['rule']})" for m in mentions)
        lines.append([("  mentions: ", "dim"), names])
        for f in step.get("frames") or []:
            if f.get("nearly"):
                lines.append([("  nearly:   ", "yellow"), f"{f['frame']} on {str(f['trigger'])!r}: no {f['missing']} "
                                                          f"of the kind {f['predicate']} takes (found "
                                                          f"{', '.join(map(str, f['found'])) or 'nothing'})"])
            elif f.get("blocked"):
                lines.append([("  blocked:  ", "red"), f"{f['frame']}  {f['subject']} {f['predicate']} {f['object']}"
                                                       f"  (by {str(f['blocked'])!r})"])
            else:
                lines.append([("  fired:    ", "green"),
                              f"{f['frame']}  {f['subject']} {f['predicate']} {f['object']}"])
        for f in step.get("facts") or []:
            lines.append([("  fact:     ", "bold"), f"{f['subject']} {f['predicate']} {f['object']}  [{f['rule']}]"])
    return lines


def remove_lines(report: RemoveReport) -> list[Line]:
    """``kg remove``: what was taken out, then each article removed (id, title)."""
    data = report.as_dict()
    lines: list[Line] = [[f"removed {count(data['articles'], 'article')} ({count(data['facts'], 'fact')}; "
                          f"{count(data['descriptions'], 'entity or metric', 'entities and metrics')} no other "
                          "article refers to)"]]
    lines += [[f"  {a.id}  ", (a.title, "dim")] for a in report.articles]
    return lines


def neo4j_load_summary(report: LoadReport, uri: str, database: str) -> str:
    """The line ``kg load neo4j`` ends with: what changed and what the database holds."""
    changes = (f"{report.created_nodes:,} new nodes, {report.created_relationships:,} new relationships"
               + (f", {report.deleted_nodes:,} nodes and {report.deleted_relationships:,} relationships deleted "
                  "(no longer in the workspace)" if report.deleted_nodes or report.deleted_relationships else ""))
    if not report.changed:
        changes = "nothing changed: 0 new nodes, 0 new relationships"
    return (f"loaded {uri} ({database}): {changes}; the database holds {report.counts['nodes']:,} nodes and "
            f"{report.counts['relationships']:,} relationships ({report.seconds:.2f} s, {report.batches} batches)")
