"""``kg brief COMPANY``: one page on a company, every claim footnoted with its article, date and sentence.

Sections: profile; AI models; chips and who makes them; sanction exposure with its chains; competitors,
partners, investors and investments; metrics over time (small charts and a table); conflicting figures; recent
facts. The brief is built once (``build``) as plain data, then written as Markdown (``to_markdown``) or as a
standalone HTML page (``to_html``: no script, inline SVG charts, everything escaped), the same one the web
page shows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import charts
from kg.facts import (
    Evidence,
    Fact,
    Node,
    article_meta,
    describe,
    facts_touching,
    first_evidence,
    local,
    mentioned_in,
    term,
)
from kg.store import Workspace

SOURCES_PER_NOTE = 3  # articles quoted in one footnote ("and N more" after them)
RECENT = 12  # facts in "Recent facts"
SHOWN = 15  # lines of a section at most (the best-sourced; "and N more" after them): a hub has thousands
PROFILE_SHOWN = 6  # names on one line of the profile (the best-sourced)
METRIC_ROWS = 40  # rows of the metrics table at most (the latest periods)

_WORDS = {"develops": "develops", "usesChip": "uses chip", "manufactures": "manufactures", "subjectTo": "subject to",
          "imposedBy": "imposed by", "competesWith": "competes with", "partnersWith": "partners with",
          "investsIn": "invests in", "subsidiaryOf": "subsidiary of", "ceoOf": "chief executive of",
          "headquarteredIn": "headquartered in", "reportsMetric": "reports"}


def verb(predicate: str) -> str:
    return _WORDS.get(predicate, predicate)


@dataclass
class Note:
    """A footnote: the claim and the articles that state it (the first ``SOURCES_PER_NOTE``)."""

    number: int
    claim: str
    evidence: list[Evidence]
    more: int = 0  # further articles not quoted


@dataclass
class Item:
    """One line of a section: text pieces and footnote numbers, in order (("text", None) or (None, n))."""

    parts: list[tuple[str | None, int | None]] = field(default_factory=list)

    def text(self, s: str) -> Item:
        self.parts.append((s, None))
        return self

    def note(self, n: int | None) -> Item:
        if n is not None:
            self.parts.append((None, n))
        return self

    def plain(self) -> str:
        return "".join(t for t, _ in self.parts if t is not None)


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = "nothing in the workspace"
    charts: list[str] = field(default_factory=list)  # SVG documents
    table: list[dict[str, object]] = field(default_factory=list)
    table_notes: list[int | None] = field(default_factory=list)
    more: int = 0  # lines left out past SHOWN


@dataclass
class Brief:
    company: str
    iri: str
    generated: str
    articles: int
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    series: list[charts.Series] = field(default_factory=list)


_METRICS = """
SELECT ?m ?metric ?value ?unit ?period (COUNT(DISTINCT ?story) AS ?sources) WHERE {
  GRAPH ?g { $C ci:reportsMetric ?m }
  ?m ci:metricName ?metric ; ci:value ?value ; ci:unit ?unit . OPTIONAL { ?m ci:period ?period }
  OPTIONAL { ?g ci:story ?told } BIND(COALESCE(?told, ?g) AS ?story)
} GROUP BY ?m ?metric ?value ?unit ?period"""
_ALIASES = "SELECT DISTINCT ?alias WHERE { $C skos:altLabel ?alias } ORDER BY ?alias"
_WIKIDATA = "SELECT ?w WHERE { $C skos:exactMatch ?w } LIMIT 1"


class _Builder:
    def __init__(self, ws: Workspace, iri: str, label: str) -> None:
        self.ws, self.iri, self.label = ws, iri, label
        self.nodes: dict[str, Node] = {}
        self.claims: dict[tuple[str, str, str], str] = {}
        self.numbers: dict[tuple[str, str, str], int] = {}
        self.evidence: dict[tuple[str, str, str], tuple[list[Evidence], int]] = {}

    def name(self, iri: str) -> str:
        n = self.nodes.get(iri)
        return n.label if n else local(iri)

    def type(self, iri: str) -> str:
        n = self.nodes.get(iri)
        return n.type if n else ""

    def claim(self, f: Fact) -> tuple[str, str, str]:
        self.claims.setdefault(f.key, f"{self.name(f.subject)} {verb(f.predicate)} {self.name(f.object)}")
        return f.key

    def ref(self, key: tuple[str, str, str] | None) -> int | None:
        """The footnote number of a claim (numbered in the order the brief first cites them)."""
        if key is None:
            return None
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]


def build(ws: Workspace, iri: str, label: str, today: dt.date | None = None) -> Brief:
    """The brief of the company ``iri`` (its label ``label``) from the workspace ``ws``."""
    b = _Builder(ws, iri, label)
    c = term(iri)
    own = facts_touching(ws, [iri])
    weight = {f.object: f.sources for f in own if f.subject == iri}
    b.nodes = describe(ws, {iri} | {f.subject for f in own} | {f.object for f in own})

    def strongest(found: set[str]) -> list[str]:  # a hub develops hundreds: the best-sourced are read further
        return sorted(sorted(found, key=lambda x: (-weight.get(x, 0), x))[:SHOWN])

    models = strongest({f.object for f in own if f.subject == iri and f.predicate == "develops"
                   and b.type(f.object) == "AIModel"})
    direct_chips = strongest({f.object for f in own if f.subject == iri and f.predicate == "usesChip"})
    made_chips = strongest({f.object for f in own if f.subject == iri and f.predicate == "develops"
                       and b.type(f.object) == "Chip"})
    second = facts_touching(ws, models + direct_chips + made_chips,
                            ["usesChip", "develops", "manufactures", "subjectTo"])
    model_chips = {(f.subject, f.object): f for f in second if f.predicate == "usesChip" and f.subject in models}
    via_models: dict[str, int] = {}
    for (_, k), f in model_chips.items():
        via_models[k] = via_models.get(k, 0) + f.sources
    extra = sorted(sorted(set(via_models) - set(direct_chips) - set(made_chips),
                          key=lambda k: (-via_models[k], k))[:SHOWN])  # ties by IRI: the same brief every run
    chips = sorted(set(direct_chips) | set(made_chips) | set(extra))
    model_chips = {mk: f for mk, f in model_chips.items() if mk[1] in chips}
    third = facts_touching(ws, extra, ["develops", "manufactures", "subjectTo"])
    chip_set = set(chips)
    chip_facts = [f for f in second + third if f.object in chip_set or f.subject in chip_set]
    sanctions = sorted({f.object for f in chip_facts + own if f.predicate == "subjectTo"})
    imposed = facts_touching(ws, sanctions, ["imposedBy"]) if sanctions else []
    b.nodes.update(describe(ws, {f.subject for f in second + third + imposed} | {f.object for f in
                                                                               second + third + imposed}))
    metrics = ws.query(_METRICS.replace("$C", c))
    all_facts = own + second + third + imposed
    by_key = {f.key: f for f in all_facts}

    meta, mentioning = article_meta(ws), mentioned_in(ws, iri)  # the articles' days: read once per snapshot
    days = [d for g in mentioning if (d := meta[g].day if g in meta else None)]
    mentions = {"n": len(mentioning), "first": min(days, default=None), "last": max(days, default=None)}
    brief = Brief(label, iri, (today or dt.date.today()).isoformat(), int(mentions["n"] or 0))

    # profile
    profile = Section("Profile")
    span = f", from {mentions['first']} to {mentions['last']}" if mentions["first"] else ""
    profile.items.append(Item().text(f"{label}: a company mentioned in {brief.articles} article"
                                     f"{'s' if brief.articles != 1 else ''}{span}."))
    aliases = [str(r["alias"]) for r in ws.query(_ALIASES.replace("$C", c))]
    if aliases:
        profile.items.append(Item().text("Also written: " + ", ".join(aliases) + "."))
    wd = ws.query(_WIKIDATA.replace("$C", c))
    if wd:
        profile.items.append(Item().text(f"Wikidata: {wd[0]['w']}"))
    for pred, phrase, outward in (("headquarteredIn", "Headquartered in", True),
                                  ("subsidiaryOf", "Subsidiary of", True), ("subsidiaryOf", "Subsidiaries", False),
                                  ("ceoOf", "Chief executive", False)):
        found = [f for f in own if f.predicate == pred and (f.subject == iri) == outward]
        if found:
            item = Item().text(f"{phrase}: ")
            best = sorted(found, key=lambda f: -f.sources)[:PROFILE_SHOWN]
            for i, f in enumerate(sorted(best, key=lambda f: b.name(f.object if outward else f.subject))):
                other = f.object if outward else f.subject
                item.text(("" if i == 0 else ", ") + b.name(other)).note(b.ref(b.claim(f)))
            if len(found) > len(best):
                item.text(f" and {len(found) - len(best)} more")
            profile.items.append(item)
    brief.sections.append(profile)

    # models
    sec = Section("AI models", empty="no model of this company in the workspace")
    models = _best(models, lambda m: by_key[(iri, "develops", m)].sources, sec)
    for m in models:
        f = by_key[(iri, "develops", m)]
        item = Item().text(b.name(m)).note(b.ref(b.claim(f)))
        runs = sorted((mf for (mm, _), mf in model_chips.items() if mm == m), key=lambda x: b.name(x.object))
        if runs:
            item.text(": runs on ")
            kept = {id(x) for x in sorted(runs, key=lambda x: -x.sources)[:PROFILE_SHOWN]}
            for i, mf in enumerate(x for x in runs if id(x) in kept):
                item.text(("" if i == 0 else ", ") + b.name(mf.object)).note(b.ref(b.claim(mf)))
            if len(runs) > len(kept):
                item.text(f" and {len(runs) - len(kept)} more")
        item.text(_sourced(f))
        sec.items.append(item)
    brief.sections.append(sec)

    # chips and who makes them
    sec = Section("Chips and who makes them", empty="no chip linked to this company in the workspace")
    mentions_of = dict.fromkeys(chips, 0)
    for f in chip_facts:
        for end in (f.subject, f.object):
            if end in mentions_of:
                mentions_of[end] += f.sources
    for k in _best(chips, lambda k: mentions_of[k], sec):
        item = Item().text(b.name(k))
        how: list[tuple[str, Fact]] = []
        if k in direct_chips:
            how.append(("used by " + label, by_key[(iri, "usesChip", k)]))
        if k in made_chips:
            how.append(("developed by " + label, by_key[(iri, "develops", k)]))
        for (m, kk), mf in sorted(model_chips.items()):
            if kk == k:
                how.append((f"used by {b.name(m)}", mf))
        for f in sorted(chip_facts, key=lambda f: (f.predicate, b.name(f.subject))):
            if f.object == k and f.predicate in ("develops", "manufactures") and f.subject != iri:
                how.append((("designed by " if f.predicate == "develops" else "made by ") + b.name(f.subject), f))
        shown = sorted(how, key=lambda h: -h[1].sources)[:PROFILE_SHOWN]
        for i, (text, f) in enumerate(h for h in how if h in shown):
            item.text(": " if i == 0 else "; ").text(text).note(b.ref(b.claim(f)))
        if len(how) > len(shown):
            item.text(f"; and {len(how) - len(shown)} more")
        sec.items.append(item)
    brief.sections.append(sec)

    # sanction exposure
    sec = Section("Sanction exposure", empty="no chain from this company to a sanction in the workspace")
    chains: list[tuple[str, list[Fact]]] = []
    for f in own:
        if f.subject == iri and f.predicate == "subjectTo":
            chains.append((f.object, [f]))
    for f in chip_facts:
        if f.predicate != "subjectTo" or f.subject not in chips:
            continue
        k = f.subject
        if k in direct_chips:
            chains.append((f.object, [by_key[(iri, "usesChip", k)], f]))
        if k in made_chips:
            chains.append((f.object, [by_key[(iri, "develops", k)], f]))
        for (m, kk), mf in sorted(model_chips.items()):
            if kk == k:
                chains.append((f.object, [by_key[(iri, "develops", m)], mf, f]))
    chains = _best(chains, lambda c: min(f.sources for f in c[1]), sec)
    for s, chain in sorted(chains, key=lambda x: (b.name(x[0]), len(x[1]), [b.name(f.object) for f in x[1]])):
        item = Item().text(label)
        for f in chain:
            item.text(f" → {verb(f.predicate)} {b.name(f.object)}").note(b.ref(b.claim(f)))
        by = [f for f in imposed if f.subject == s]
        if by:
            item.text(" (imposed by ")
            for i, f in enumerate(by):
                item.text(("" if i == 0 else ", ") + b.name(f.object)).note(b.ref(b.claim(f)))
            item.text(")")
        sec.items.append(item)
    brief.sections.append(sec)

    # competitors, partners, investors, investments
    groups_of: list[tuple[str, str, bool | None]] = [
        ("Competitors", "competesWith", None), ("Partners", "partnersWith", None),
        ("Investors", "investsIn", False), ("Investments", "investsIn", True)]
    for title, pred, side in groups_of:
        sec = Section(title, empty="none in the workspace")
        found = [f for f in own if f.predicate == pred and (side is None or (f.subject == iri) == side)]
        found = _best(found, lambda f: f.sources, sec)
        for f in sorted(found, key=lambda f: (-f.sources, b.name(f.object if f.subject == iri else f.subject))):
            other = f.object if f.subject == iri else f.subject
            sec.items.append(Item().text(b.name(other)).note(b.ref(b.claim(f))).text(_sourced(f)))
        brief.sections.append(sec)

    # metrics over time
    sec = Section("Metrics over time", empty="no figure reported for this company in the workspace")
    rows = sorted(metrics, key=lambda r: (charts.period_key(_opt(r["period"])), str(r["metric"]), float(r["value"])))
    brief.series = charts.series_of(rows)
    sec.charts = [svg for s in brief.series[:6] if (svg := charts.line_svg(s)) is not None]
    shown_rows = rows[-METRIC_ROWS:]  # the latest periods
    sec.more = len(rows) - len(shown_rows)
    for r in shown_rows:
        key = (iri, "reportsMetric", str(r["m"]))
        b.claims[key] = f"{label} reports {r['metric']} = {_quantity(r['value'], r['unit'])}" + (
            f" ({r['period']})" if r["period"] else "")
        sec.table.append({"period": r["period"] or "", "metric": r["metric"],
                          "value": _quantity(r["value"], r["unit"]), "sources": r["sources"]})
        sec.table_notes.append(b.ref(key))
    brief.sections.append(sec)

    # conflicting figures
    sec = Section("Conflicting figures", empty="no two articles give different figures for the same period")
    groups: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for r in rows:
        if r["period"]:
            groups.setdefault((str(r["metric"]), str(r["period"]), str(r["unit"])), []).append(r)
    conflicts = [(k, rs) for k, rs in sorted(groups.items(), key=lambda g: (charts.period_key(g[0][1]), g[0][0]))
                 if len({float(r["value"]) for r in rs}) >= 2]  # type: ignore[arg-type]
    sec.more = max(0, len(conflicts) - SHOWN)
    for (metric, period, unit), rs in conflicts[-SHOWN:]:
        item = Item().text(f"{metric} ({period}): ")
        for i, r in enumerate(rs):
            item.text(("" if i == 0 else " vs ") + _quantity(r["value"], unit)).note(
                b.ref((iri, "reportsMetric", str(r["m"]))))
        sec.items.append(item)
    brief.sections.append(sec)

    # recent facts
    sec = Section("Recent facts", empty="no fact about this company in the workspace")
    recent = sorted(own, key=lambda f: (f.first_reported or "", f.sources), reverse=True)[:RECENT]
    for f in recent:
        key = b.claim(f)
        sec.items.append(Item().text(f"{f.first_reported or 'undated'}: {b.claims[key]}").note(b.ref(key)))
    brief.sections.append(sec)

    for r in metrics:
        b.claims.setdefault((iri, "reportsMetric", str(r["m"])), f"{label} reports {r['metric']} = "
                            f"{_quantity(r['value'], r['unit'])}" + (f" ({r['period']})" if r["period"] else ""))
    # the cited claims only, each read in the articles its footnote quotes (a hub's claims have thousands)
    b.evidence = first_evidence(ws, b.numbers, SOURCES_PER_NOTE)
    for key, n in sorted(b.numbers.items(), key=lambda kv: kv[1]):
        evs, stating = b.evidence.get(key, ([], 0))
        brief.notes.append(Note(n, b.claims.get(key, ""), evs, max(0, stating - SOURCES_PER_NOTE)))
    return brief


def _best(items: list, weight, sec: Section) -> list:  # type: ignore[no-untyped-def]
    """The ``SHOWN`` heaviest of ``items`` (in their order); how many were left out goes to ``sec.more``."""
    if len(items) <= SHOWN:
        return items
    keep = {id(x) for x in sorted(items, key=weight, reverse=True)[:SHOWN]}
    sec.more = len(items) - SHOWN
    return [x for x in items if id(x) in keep]


def _opt(v: object) -> str | None:
    return None if v is None else str(v)


def _sourced(f: Fact) -> str:
    n = f.sources
    when = f", first reported {f.first_reported}" if f.first_reported else ""
    return f" ({n} article{'s' if n != 1 else ''}{when})"


def _quantity(value: object, unit: object) -> str:
    from kg.render import quantity

    try:
        return quantity(float(value), str(unit) if unit else None)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"{value} {unit or ''}".strip()


def brief_in(ws: Workspace, name: str, today: dt.date | None = None) -> Brief:
    """The brief of the company ``name`` (label, alias or ticker; an error naming close names when none)."""
    from kg.names import name_index

    found = name_index(ws).resolve(name, "Company", what="company")
    return build(ws, found.iri, found.label, today)


# --- Markdown ----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")


def md_escape(text: str) -> str:
    """Text from articles as Markdown that renders as that text: no link, emphasis, HTML or table break."""
    text = re.sub(r"\s+", " ", str(text))  # a line break would end a list item or a table row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # no HTML in any renderer
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_item(item: Item) -> str:
    return "".join(md_escape(t) if t is not None else f"[^{n}]" for t, n in item.parts)


def to_markdown(brief: Brief, chart_files: list[str] | None = None) -> str:
    """The brief as Markdown with footnotes (``[^n]``); ``chart_files``: images of the metric charts to link."""
    out = [f"# Brief: {md_escape(brief.company)}", "",
           f"Generated {brief.generated} from {brief.articles} article{'s' if brief.articles != 1 else ''} "
           "by `kg brief`. Every claim has a footnote: the articles (date, headline, id) and the sentences "
           "that state it.", ""]
    for sec in brief.sections:
        out += [f"## {sec.title}", ""]
        if sec.title == "Metrics over time":
            for path in chart_files or []:
                out.append(f"![chart]({path})")
            if chart_files:
                out.append("")
            if sec.table:
                out += ["| period | metric | value | articles | source |", "| --- | --- | --- | --- | --- |"]
                for row, n in zip(sec.table, sec.table_notes, strict=True):
                    cells = [md_escape(str(row[k])) for k in ("period", "metric", "value", "sources")]
                    out.append("| " + " | ".join(cells) + f" | {f'[^{n}]' if n else ''} |")
                if sec.more:
                    out.append(f"\n_and {sec.more} earlier figures in the workspace_")
                out.append("")
                continue
        if not sec.items:
            out += [f"_{md_escape(sec.empty)}_", ""]
            continue
        out += [f"- {_md_item(i)}" for i in sec.items]
        if sec.more:
            out.append(f"- _and {sec.more} more in the workspace_")
        out.append("")
    if brief.notes:
        out += ["## Sources", ""]
    for note in brief.notes:
        lines = [f"[^{note.number}]: {md_escape(note.claim)}."]
        for e in note.evidence:
            lines.append(f"    {md_escape(e.date or 'undated')}, \"{md_escape(e.title)}\" ({md_escape(e.article)}): "
                         f"\"{md_escape(e.sentence)}\"")
        if note.more:
            lines.append(f"    And {note.more} more article{'s' if note.more != 1 else ''}.")
        out.append("\n".join(lines))
    return "\n".join(out).rstrip() + "\n"


# --- HTML ---------------------------------------------------------------------------------------------------


def write(brief: Brief, fmt: str, output: str | os.PathLike[str]) -> list[Path]:
    """Write the brief to ``output`` as ``fmt`` (md: with its charts as SVG files beside it); the files written."""
    from kg.export import output_path, replacing

    target = output_path(output)
    written: list[Path] = []
    charts_files: list[str] = []
    if fmt == "md":
        section = next((s for s in brief.sections if s.charts), None)
        for i, svg in enumerate(section.charts if section else [], start=1):
            chart = target.with_name(f"{target.stem}-chart-{i}.svg")
            with replacing(chart) as f:
                f.write(svg.encode("utf-8"))
            written.append(chart)
            charts_files.append(chart.name)
    text = to_markdown(brief, charts_files) if fmt == "md" else to_html(brief)
    with replacing(target) as f:
        f.write(text.encode("utf-8"))
    return [target, *written]


def to_html(brief: Brief, standalone: bool = True) -> str:
    """The brief as HTML (``kg.web`` templates, autoescaped): a whole page, or the body for the web page."""
    from kg.web.render import render

    return render("brief_standalone.html" if standalone else "brief_body.html", brief=brief)
