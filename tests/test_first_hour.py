"""Issue 14, "the first hour of a new analyst": each thing a new user tripped over, as a test.

The workspaces here are built from facts stated by hand (``api.store_extractions`` of hand-made extractions) or
from short articles written for these tests, so that nothing depends on which facts extraction finds; the
articles are only used where reading them (identity, dates) is the point.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from ingest._html import text_date
from ingest.kb import default_kb, entity_iri, vocabulary
from ingest.model import Article, Entity, Evidence, Extraction, Fact, Mention, Metric, article_id
from kg import api, render
from kg import queries as catalogue
from kg.cli import app
from kg.names import UnknownName
from kg.project import project, rel_type, to_networkx
from kg.store import Workspace

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
NOW = dt.datetime.now(dt.UTC)


def kg(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


# --- hand-made facts ----------------------------------------------------------------------------------------


def known(label: str) -> Entity:
    e = default_kb().by_label(label)
    assert e is not None and e.label == label, label
    return e


def new(label: str, type_: str) -> Entity:
    return Entity(entity_iri(type_, label), label, type_, known=False)


def article(aid: str, title: str, date: str | None, facts: list[tuple[Entity, str, Entity]],
            metrics: list[tuple[Entity, str, float, str, str]] = ()) -> Extraction:
    """An extraction as extraction would give it: an article, mentions of every entity, facts and metrics."""
    text = " ".join(f"{s.label} {p} {o.label}." for s, p, o in facts) or "Nothing to say."
    a = Article(aid, title, text, date=date, url=aid if aid.startswith("http") else None)
    ev = Evidence(aid, text, 0, len(text), "by-hand", 0.9)
    ents = {e.iri: e for s, _, o in facts for e in (s, o)} | {m[0].iri: m[0] for m in metrics}
    return Extraction(a, mentions=[Mention(e, e.label, 0, 1, 0.9) for e in ents.values()],
                      facts=[Fact(s, p, o, ev) for s, p, o in facts],
                      metrics=[Metric(c, name, value, unit, period, ev) for c, name, value, unit, period in metrics])


BAIDU, HUAWEI, ERNIE, NVIDIA = known("Baidu"), known("Huawei"), known("Ernie Bot"), known("Nvidia")
LUMENARY = new("Lumenary AI", "Company")
VELA = new("Vela-2", "AIModel")


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    """Two articles stating one rivalry, each the other way round; a metric; an entity new to the KB."""
    w = tmp_path / "ws"
    api.store_extractions([
        article("https://news.example.org/t/1", "Baidu and Huawei square off", "2025-06-02",
                [(BAIDU, "competesWith", HUAWEI), (BAIDU, "develops", ERNIE), (LUMENARY, "develops", VELA)],
                [(BAIDU, "revenue", 247_800_000_000, "CNY", "2025-Q2")]),
        article("https://news.example.org/t/2", "Huawei answers Baidu", "2025-06-20",
                [(HUAWEI, "competesWith", BAIDU), (NVIDIA, "competesWith", HUAWEI)]),
    ], w, now=NOW)
    return w


# --- 1. what `kg query show` and `--help` print -------------------------------------------------------------


def test_query_show_prints_every_query_as_stored() -> None:
    for name, q in catalogue.catalogue().items():
        code, out, err = kg("query", "show", name)
        assert (code, err) == (0, "")
        assert f"\nSPARQL\n{q.sparql}" in out and f"\nCypher\n{q.cypher}" in out, name
    code, out, _ = kg("query", "show", "competitors")
    assert "-[r:COMPETES_WITH]-" in out and "r.sources" in out


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand of ``group`` with its path (``("query", "run")``)."""
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if hasattr(cmd, "commands"):  # a group (typer's own click, not necessarily the installed one)
            out += _commands(cmd, (*prefix, name))
    return out


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_help_is_complete_and_plain(path: tuple[str, ...]) -> None:
    """Every command's help: no type labels (<bool>, <str>), the bracketed defaults and variables intact, and a
    help text for every option and argument."""
    code, out, _ = kg(*path, "--help", env={"COLUMNS": "200"})
    assert code == 0 and "Usage" in out
    flat = " ".join(out.split())  # help wraps at 120 columns
    assert not re.search(r"<(bool|str|int|path|list\[[^]]*\]|int range|float)>", out), out
    cmd = dict(COMMANDS)[path]
    for param in cmd.params:
        if not getattr(param, "hidden", False):
            assert getattr(param, "help", None), f"kg {' '.join(path)}: {param.name} has no help"
    if any(p.name == "workspace" for p in cmd.params):
        assert "[default: ./.kg]" in flat and "KG_WORKSPACE" in flat
    if any(p.name == "uri" for p in cmd.params):
        assert "[env NEO4J_URI, default bolt://127.0.0.1:7687]" in flat


def test_version() -> None:
    code, out, _ = kg("--version")
    assert code == 0 and re.fullmatch(r"kg \(cikg\) \d+\.\d+\.\d+.*\n", out)


# --- 6. one set of options ------------------------------------------------------------------------------------

READS_OR_WRITES_A_WORKSPACE = {("ingest",), ("articles",), ("remove",), ("why",), ("load",), ("lookup",), ("search",),
                               ("export",), ("validate",), ("stats",), ("query", "run"), ("analytics", "pagerank"),
                               ("analytics", "path"), ("analytics", "exposure"), ("sparql",), ("cypher",),
                               ("brief",), ("viz",), ("serve",), ("changes",),
                               ("entities",), ("entities", "merge"), ("entities", "split")}


def test_workspace_option_exactly_where_a_workspace_is_read_or_written() -> None:
    have = {path for path, cmd in COMMANDS if any(p.name == "workspace" for p in cmd.params)}
    assert have == READS_OR_WRITES_A_WORKSPACE


def test_short_options_mean_one_thing() -> None:
    """``-n`` is "at most N rows" wherever it is (pagerank --top, search --limit), never a corpus size."""
    meaning: dict[str, set[str]] = {}
    for _, cmd in COMMANDS:
        for p in cmd.params:
            for opt in getattr(p, "opts", []):
                if re.fullmatch(r"-\w", opt):
                    meaning.setdefault(opt, set()).add(p.name)
    assert meaning["-n"] <= {"top", "limit"}
    assert meaning["-f"] == {"format"} and meaning["-w"] == {"workspace"} and meaning["-o"] == {"output"}


ROW_COMMANDS = [
    ["articles"], ["query", "list"], ["query", "run", "competitors", "-p", "company=Baidu"],
    ["why", "Baidu", "competesWith", "Huawei"], ["lookup", "Baidu"], ["search", "Baidu"], ["stats"],
    ["analytics", "pagerank"], ["analytics", "path", "Baidu", "Nvidia"], ["analytics", "exposure"],
    ["sparql", "SELECT ?name ?c WHERE { ?c a ci:Company ; rdfs:label ?name }"],
    ["cypher", "MATCH (c:Company) RETURN c.name AS name, c.iri AS iri"],
]


@pytest.mark.parametrize("args", ROW_COMMANDS, ids=" ".join)
def test_every_command_that_prints_rows_takes_format(ws: Path, args: list[str]) -> None:
    w = [] if args[:2] == ["query", "list"] else ["-w", ws]
    code, out, err = kg(*args, *w, "-f", "json")
    assert code == 0, err
    rows = json.loads(out)
    code, out, err = kg(*args, *w, "-f", "csv")
    assert code == 0, err
    if rows or args[:2] == ["query", "run"]:  # a stored query's columns are known even without rows
        assert out.splitlines()[0].count(",") >= 1  # a header of columns
    assert kg(*args, *w, "-f", "table")[0] == 0


def test_json_flag_still_works_where_it_was(ws: Path, tmp_path: Path) -> None:
    assert json.loads(kg("stats", "-w", ws, "--json")[1])["articles"] == 2
    assert json.loads(kg("lookup", "Baidu", "-w", ws, "--json")[1])[0]["label"] == "Baidu"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Quiet day\n\nNothing happened to anyone.\n", encoding="utf-8")
    assert json.loads(kg("ingest", tmp_path / "in", "-w", tmp_path / "w2", "--json")[1])["articles"] == 1


# --- 2. an article keeps one identity -------------------------------------------------------------------------

STORY = "Orrin Micro wins order\n\nOrrin Micro won a large order from a carmaker, the company said on Monday.\n"


def _articles(w: Path) -> list[dict[str, object]]:
    code, out, err = kg("articles", "-w", w, "-f", "json")
    assert code == 0, err
    return json.loads(out)


def test_editing_an_article_replaces_it(tmp_path: Path) -> None:
    d, w = tmp_path / "in", tmp_path / "ws"
    d.mkdir()
    f = d / "orrin.txt"
    f.write_text(STORY, encoding="utf-8")
    assert kg("ingest", d, "-w", w)[0] == 0
    (first,) = _articles(w)
    f.write_text(STORY.replace("a large order", "a very large order"), encoding="utf-8")  # a phrase fixed
    code, out, _ = kg("ingest", d, "-w", w, "-f", "json")
    assert json.loads(out)["updated"] == 1
    (second,) = _articles(w)
    assert second["id"] == first["id"] and second["ingested"] == first["ingested"]
    f.write_text(STORY.replace("wins order", "lands order"), encoding="utf-8")  # the title changed: a new id...
    code, out, _ = kg("ingest", f, "-w", w, "-f", "json")  # ... and the file named, not its folder: the same file
    assert (code, json.loads(out)["updated"], json.loads(out)["removed"]) == (0, 1, 0)
    (third,) = _articles(w)
    assert third["id"] != first["id"] and third["title"] == "Orrin Micro lands order"
    assert Path(str(third["path"])).resolve() == f.resolve()


def test_a_series_of_files_is_not_one_article_and_a_copy_is_stored_once(tmp_path: Path) -> None:
    d, w = tmp_path / "in", tmp_path / "ws"
    d.mkdir()
    for i in range(3):  # one title, no date: a series
        (d / f"brief{i}.txt").write_text(f"Daily brief\n\nOrrin Micro shipped {i + 2} thousand parts.\n",
                                         encoding="utf-8")
    (d / "copy.txt").write_text((d / "brief0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = kg("ingest", d, "-w", w)
    assert code == 0
    assert len(_articles(w)) == 3
    assert err.count("the same text as") == 1


def test_a_line_deleted_from_a_jsonl_file_goes(tmp_path: Path) -> None:
    d, w = tmp_path / "in", tmp_path / "ws"
    d.mkdir()
    lines = [json.dumps({"title": f"Brief {i}", "date": "2025-03-0" + str(i + 1), "text": f"Item {i} of the day."})
             for i in range(3)]
    f = d / "briefs.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert kg("ingest", d, "-w", w)[0] == 0
    f.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    code, out, _ = kg("ingest", d, "-w", w, "-f", "json")
    assert json.loads(out)["removed"] == 1
    assert sorted(a["title"] for a in _articles(w)) == ["Brief 0", "Brief 1"]


def test_remove_takes_out_what_only_the_article_supported(ws: Path) -> None:
    code, out, err = kg("remove", "https://news.example.org/t/no-such", "-w", ws)
    assert (code, out) == (1, "") and "no article 'https://news.example.org/t/no-such'" in err
    assert len(_articles(ws)) == 2  # nothing removed
    code, out, err = kg("remove", "https://news.example.org/t/1", "-w", ws)
    assert code == 0, err
    assert "removed 1 article" in out
    assert [a["id"] for a in _articles(ws)] == ["https://news.example.org/t/2"]
    with Workspace.open(ws, read_only=True) as w:
        pg = project(w)
    names = {n.props["name"] for n in pg.nodes.values()}
    assert {"Lumenary AI", "Vela-2", "Ernie Bot"}.isdisjoint(names)  # only article 1 named them
    assert {"Baidu", "Huawei", "Nvidia"} <= names  # article 2 does
    rel = next(r for r in pg.rels if r.type == "COMPETES_WITH" and {pg.nodes[r.src].props["name"],
                                                                     pg.nodes[r.dst].props["name"]} == {"Baidu",
                                                                                                        "Huawei"})
    assert rel.props["sources"] == 1
    assert not any(n.labels == ("MetricObservation",) for n in pg.nodes.values())


def test_remove_by_file(tmp_path: Path) -> None:
    d, w = tmp_path / "in", tmp_path / "ws"
    d.mkdir()
    (d / "a.txt").write_text(STORY, encoding="utf-8")
    (d / "b.txt").write_text(STORY.replace("Orrin Micro", "Halvard Foundry"), encoding="utf-8")
    kg("ingest", d, "-w", w)
    assert kg("remove", d / "a.txt", "-w", w)[0] == 0
    assert [Path(str(a["path"])).name for a in _articles(w)] == ["b.txt"]


# --- 3. dates from datelines and first sentences ---------------------------------------------------------------


@pytest.mark.parametrize("opening, date", [
    ("HANGZHOU, Sept 29, 2025 — Orrin Micro said", "2025-09-29"),
    ("SHANGHAI, Dec 5 - Orrin Micro said", "2025-12-05"),  # no year: the last 5 December before the ingest
    ("Shanghai, January 14, 2026 Orrin Micro said", "2026-01-14"),
    ("On Tuesday, March 4, 2025, Orrin Micro said", "2025-03-04"),
    ("BEIJING, 3 December 2024 - Orrin Micro said", "2024-12-03"),
    ("Orrin Micro said on Friday, May 9, 2025, that it won", "2025-05-09"),
    ("SAN JOSE, Calif., March 3, 2025 /Wire/ -- Orrin Micro", "2025-03-03"),
    ("2025年3月4日，奥林微电子宣布", "2025-03-04"),
    ("Orrin Micro, founded on January 18, 2000, said", None),  # an event's date, not the story's
    ("Orrin Micro said revenue doubled. On March 4, 2025 it", None),  # not the first sentence
    ("SHANGHAI, May 5 people were hired", None),  # a yearless date only in a real dateline
])
def test_dates_from_datelines_and_first_sentences(opening: str, date: str | None) -> None:
    found, warning = text_date(opening + " a thing.", today=dt.date(2026, 1, 20))
    assert found == date
    assert (warning is not None) == (opening.startswith("SHANGHAI, Dec 5"))


def test_undated_articles_warn_once_and_count_from_their_ingest(tmp_path: Path) -> None:
    d, w = tmp_path / "in", tmp_path / "ws"
    d.mkdir()
    (d / "dated.txt").write_text("Orrin Micro hires\n\nBERLIN, 3 December 2024 - Orrin Micro hired 40 engineers.\n",
                                 encoding="utf-8")
    (d / "undated.txt").write_text(STORY, encoding="utf-8")
    code, _, err = kg("ingest", d, "-w", w)
    assert code == 0
    assert err.count("no date found") == 1 and "undated.txt: no date found" in err
    assert kg("ingest", d, "-w", w)[2].count("no date found") == 0  # once: not again for an unchanged article
    dates = {Path(str(a["path"])).name: a["date"] for a in _articles(w)}
    assert dates == {"dated.txt": "2024-12-03", "undated.txt": None}


@pytest.mark.parametrize("backend", ["rdf", "networkx"])
def test_facts_since_relative_dates_and_undated_articles(tmp_path: Path, backend: str) -> None:
    w = tmp_path / "ws"
    api.store_extractions([
        article("https://news.example.org/t/old", "Old news", "2020-01-01", [(BAIDU, "develops", ERNIE)]),
        article("https://news.example.org/t/undated", "Undated news", None, [(NVIDIA, "develops", VELA)])],
        w, now=NOW)
    rows = api.run_query("facts_since", {"since": "7d"}, backend, w)
    assert [(r["subject"], r["object"], r["first_reported"]) for r in rows] == [
        ("Nvidia", "Vela-2", NOW.date().isoformat())]
    assert len(api.run_query("facts_since", {"since": "2019-12-31"}, backend, w)) == 2


def test_relative_dates() -> None:
    today = dt.date(2026, 3, 31)
    assert [catalogue.relative_date(t, today) for t in ("today", "yesterday", "7d", "2w", "1m", "1y", "x")] == [
        "2026-03-31", "2026-03-30", "2026-03-24", "2026-03-17", "2026-02-28", "2025-03-31", None]


# --- 4. finding an entity one cannot spell ---------------------------------------------------------------------


def test_search_finds_labels_aliases_tickers_and_chinese_names(ws: Path) -> None:
    for text, label in (("lumenary", "Lumenary AI"), ("BIDU", "Baidu"), ("文心一言", "Ernie Bot"),
                        ("Huawai", "Huawei")):
        hits = api.search(text, ws, limit=3)
        assert hits and hits[0].label == label, (text, [h.label for h in hits])
    code, out, _ = kg("search", "BIDU", "-w", ws, "-f", "json")
    top = json.loads(out)[0]
    assert (code, top["name"], top["as"], top["in_workspace"]) == (0, "Baidu", "ticker", True)


@pytest.mark.parametrize("name, label, note", [
    ("BIDU", "Baidu", False), ("文心一言", "Ernie Bot", False), ("Lumenary", "Lumenary AI", True),
    ("huawei", "Huawei", False),
])
def test_lookup_by_ticker_chinese_name_or_part(ws: Path, name: str, label: str, note: bool) -> None:
    code, out, err = kg("lookup", name, "-w", ws)
    assert code == 0, err
    assert out.startswith(f"{label} (")
    assert ("closest" in err) == note


def test_names_that_name_nothing_say_what_comes_close(ws: Path) -> None:
    code, out, err = kg("lookup", "Baidoo", "-w", ws)
    assert (code, out) == (1, "") and "did you mean 'Baidu'" in err
    code, out, err = kg("why", "Baidoo", "competesWith", "Huawei", "-w", ws)
    assert (code, out) == (1, "") and "no entity named 'Baidoo'" in err and "'Baidu'" in err
    for backend in ("rdf", "networkx"):
        code, out, err = kg("query", "run", "competitors", "-p", "company=Baidoo", "-b", backend, "-w", ws)
        assert (code, out) == (1, "") and "no company named 'Baidoo'" in err and "'Baidu'" in err
        code, out, err = kg("query", "run", "competitors", "-p", "company=Ernie Bot", "-b", backend, "-w", ws)
        assert code == 1 and "'Ernie Bot' is an AI model" in err


def test_aliases_and_tickers_are_read_as_the_entity(ws: Path) -> None:
    code, out, err = kg("query", "run", "competitors", "-p", "company=BIDU", "-w", ws, "-f", "json")
    assert code == 0 and "is 'Baidu'" in err
    assert [r["competitor"] for r in json.loads(out)] == ["Huawei"]
    code, out, err = kg("why", "BIDU", "competesWith", "huawei", "-w", ws, "-f", "json")
    assert code == 0, err
    assert {e["article"] for e in json.loads(out)} == {"https://news.example.org/t/1", "https://news.example.org/t/2"}
    with pytest.raises(UnknownName):
        api.run_query("models_by_company", {"company": "Nobody Such Corp"}, "rdf", ws)


# --- 5. a symmetric fact once, from either end ------------------------------------------------------------------


def test_symmetric_pair_is_one_fact_everywhere(ws: Path) -> None:
    symmetric = {rel_type(p) for p in vocabulary().symmetric}
    with Workspace.open(ws, read_only=True) as w:
        pg = project(w)
    pairs = [(r.type, frozenset((r.src, r.dst))) for r in pg.rels if r.type in symmetric]
    assert len(pairs) == len(set(pairs)) == 2  # Baidu-Huawei (stated both ways), Nvidia-Huawei
    g = to_networkx(pg)
    assert sum(1 for _, _, d in g.edges(data=True) if d["__labels__"] & symmetric) == 2
    for backend in ("rdf", "networkx"):
        rows = api.run_query("facts_since", {"since": "2025-01-01"}, backend, ws)
        rival = [r for r in rows if r["predicate"] == "competesWith"]
        assert len(rival) == 2, rival
        both = next(r for r in rival if {r["subject"], r["object"]} == {"Baidu", "Huawei"})
        assert (both["sources"], both["first_reported"]) == (2, "2025-06-02")
        for company, others in (("Huawei", ["Baidu", "Nvidia"]), ("Baidu", ["Huawei"]), ("Nvidia", ["Huawei"])):
            got = api.run_query("competitors", {"company": company}, backend, ws)
            assert [r["competitor"] for r in got] == others, (backend, company)


def test_lookup_shows_a_symmetric_fact_from_either_end(ws: Path) -> None:
    for name, other in (("Huawei", "Baidu"), ("Baidu", "Huawei"), ("Huawei", "Nvidia"), ("Nvidia", "Huawei")):
        out = kg("lookup", name, "-w", ws)[1]
        assert f"competesWith <-> {other}" in out, out
    assert "competesWith <-> Baidu  (2 sources)" in kg("lookup", "Huawei", "-w", ws)[1]
    assert "<- " not in kg("lookup", "Huawei", "-w", ws)[1]


def test_examples_never_list_a_symmetric_pair_twice(examples_workspace: Path) -> None:
    """A property on the example articles, whatever extraction finds in them."""
    symmetric = set(vocabulary().symmetric)
    for backend in ("rdf", "networkx"):
        rows = api.run_query("facts_since", {"since": "2000-01-01"}, backend, examples_workspace)
        keys = [(r["predicate"], frozenset((r["subject"], r["object"]))) for r in rows
                if r["predicate"] in symmetric]
        assert len(keys) == len(set(keys)), backend


# --- 7. tables people can read ----------------------------------------------------------------------------------


def test_numbers_as_people_read_them() -> None:
    assert render.quantity(247_800_000_000, "CNY") == "247.8 bn CNY"
    assert render.quantity(39_850_000_000, "CNY") == "39.85 bn CNY"
    assert render.quantity(1.2e12, "USD") == "1.2 tn USD"
    assert render.quantity(-17, "percent") == "-17%"
    assert render.quantity(430_000_000, "users") == "430 m users"
    assert render.quantity(12_000, "units") == "12,000 units"
    assert render.number(12345) == "12,345" and render.number(0.11891) == "0.1189"
    url = render.shorten("https://news.example.org/wire/2025/01/16/zhipu-entity-list", 30)
    assert len(url) == 30 and url.startswith("news.exampl…") and url.endswith("/zhipu-entity-list")
    assert render.shorten("examples/articles/wire-briefs.jsonl#3", 20) == "…wire-briefs.jsonl#3"


@pytest.mark.parametrize("columns", [80, 120])
def test_tables_fit_the_width_columns_says(ws: Path, columns: int) -> None:
    env = {"COLUMNS": str(columns)}
    code, out, _ = kg("query", "run", "company_metrics", "-p", "company=Baidu", "-w", ws, env=env)
    assert code == 0 and "247.8 bn CNY" in out and "247800000000" not in out
    csv_out = kg("query", "run", "company_metrics", "-p", "company=Baidu", "-w", ws, "-f", "csv", env=env)[1]
    assert "247800000000,CNY" in csv_out  # programs get the value as it is
    for args in (["articles"], ["query", "run", "fact_sources", "-p", "entity=Huawei"], ["search", "Huawei"],
                 ["query", "list"], ["stats"], ["query", "run", "facts_since", "-p", "since=2025-01-01"]):
        code, out, err = kg(*args, *([] if args == ["query", "list"] else ["-w", ws]), env=env)
        assert code == 0, err
        assert max(len(line) for line in out.splitlines()) <= columns, (args, out)


# --- 8. first-run edges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["stats"], ["articles"], ["lookup", "Baidu"], ["validate"],
                                  ["query", "run", "competitors", "-p", "company=Baidu"], ["export"],
                                  ["remove", "x"], ["why", "Baidu", "competesWith", "Huawei"]])
def test_a_missing_workspace_is_said(tmp_path: Path, args: list[str]) -> None:
    code, out, err = kg(*args, "-w", tmp_path / "no" / "such")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {tmp_path / 'no' / 'such'}: no workspace here") and err.count("\n") == 1
    assert not (tmp_path / "no").exists()  # nothing created by asking


def test_query_export_default_output_is_git_ignored() -> None:
    default = next(p.default for p in dict(COMMANDS)[("query", "export")].params if p.name == "output")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{Path(default).name}/" in ignored


def test_readme_eval_example_uses_paths_that_exist_in_a_clone() -> None:
    """The examples of the Commands section (the Extraction section quotes the evaluation corpus's figures)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme.split("\n## Commands", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^kg eval (\S+) --articles (\S+)", commands, re.M)  # the lines of the example block
    assert examples
    for gold, articles in examples:
        assert (ROOT / gold).is_dir() and (ROOT / articles).is_dir(), (gold, articles)
        assert list((ROOT / gold).glob("*.json"))


def test_demo_ends_with_what_to_try_next() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    hints = [line for line in demo.splitlines() if "echo" in line and "$(KG) " in line]
    assert len(hints) >= 2 and all("$(DEMO_WS)" in h for h in hints)


def test_readme_says_how_to_point_at_the_demo_workspace() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after_demo = readme.split("## What `make demo` shows", 1)[1].split("\n## ", 1)[0]
    assert "KG_WORKSPACE=.kg-demo" in after_demo


def test_article_ids_of_files() -> None:
    """``doc:NAME:hash`` of title and date, the URL when there is one, a hash of the text otherwise."""
    assert article_id("https://x.example/a", "t", "T", None, "a.txt") == "https://x.example/a"
    one = article_id(None, "text one", "A Title", "2025-01-01", "a.txt")
    assert one == article_id(None, "text two", "a  title", "2025-01-01", "a.txt") and one.startswith("doc:a.txt:")
    assert one != article_id(None, "text one", "A Title", "2025-01-02", "a.txt")
    assert article_id(None, "text", None, None, None).startswith("sha256:")


def test_examples_gold_is_up_to_date() -> None:
    """examples/gold/ (what the README's `kg eval` example reads) is derived from examples/README.md."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "examples_gold.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- 9. Neo4j Browser tells the story --------------------------------------------------------------------------


def _grass() -> dict[str, dict[str, str]]:
    text = (ROOT / "ontology" / "neo4j" / "style.grass").read_text(encoding="utf-8")
    return {sel.strip(): dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
            for sel, body in re.findall(r"([\w.]+)\s*\{([^}]*)\}", text)}


def _lightness(colour: str) -> float:
    r, g, b = (int(colour.strip()[i:i + 2], 16) for i in (1, 3, 5))
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_browser_style_colours_relationships_by_type() -> None:
    grass = _grass()
    types = {rel_type(p) for p in vocabulary().relations} | {"MENTIONS"}
    for t in types:
        assert "color" in grass.get(f"relationship.{t}", {}), t
    width = {t: int(grass[f"relationship.{t}"].get("shaft-width", "1px").rstrip("px")) for t in types}
    for chain in ("SUBJECT_TO", "USES_CHIP", "IMPOSED_BY"):  # the sanctions chain stands out...
        assert width[chain] > width["DEVELOPS"] and _lightness(grass[f"relationship.{chain}"]["color"]) < 0.6
    for quiet in ("MENTIONS", "HEADQUARTERED_IN"):  # ... what is everywhere recedes
        assert width[quiet] == 1 and _lightness(grass[f"relationship.{quiet}"]["color"]) > 0.85
    colours = [grass[f"relationship.{t}"]["color"] for t in types]
    assert len(set(colours)) == len(colours)


def test_browser_captions_fit_model_names() -> None:
    """Browser cuts a caption to the node's circle ("DeepSe…" at 50px): the longest example model and chip
    names fit in theirs, at about 0.6 of the font size per character on two lines."""
    grass = _grass()
    for label, name in (("AIModel", "DeepSeek-R1"), ("Chip", "Ascend 910C"), ("Company", "Alibaba Group")):
        style = grass[f"node.{label}"]
        diameter = int(style["diameter"].rstrip("px"))
        font = int(style.get("font-size", grass["node"]["font-size"]).rstrip("px"))
        assert max(len(w) for w in name.split()) * 0.6 * font <= diameter * 0.9, (label, name)


# --- on the project's Neo4j server (make neo4j-start) -----------------------------------------------------------


@pytest.mark.neo4j
def test_neo4j_one_edge_per_pair_and_a_second_load_changes_nothing(ws: Path, neo4j_settings) -> None:
    from kg.backends import neo4j as nb

    server = {"uri": neo4j_settings.uri, "user": neo4j_settings.user, "password": neo4j_settings.password,
              "database": neo4j_settings.database}
    first = nb.load(api.property_graph(ws), neo4j_settings, wipe=True)
    assert first.created_nodes == first.nodes and first.created_relationships == first.relationships
    pairs = nb.run_cypher("MATCH (a)-[r:COMPETES_WITH]->(b) RETURN a.name AS a, b.name AS b", {}, neo4j_settings)
    assert len(pairs) == 2  # one edge per pair, though articles state Baidu-Huawei both ways
    assert {frozenset(p.values()) for p in pairs} == {frozenset(("Baidu", "Huawei")), frozenset(("Huawei", "Nvidia"))}
    for company in ("Huawei", "Baidu"):
        for name, params in (("competitors", {"company": company}), ("facts_since", {"since": "2025-01-01"}),
                             ("fact_sources", {"entity": company}), ("partners_and_investments", {"company": company})):
            assert api.run_query(name, params, "neo4j", **server) == api.run_query(name, params, "rdf", ws), name
    code, out, err = kg("load", "neo4j", "-w", ws, "--uri", neo4j_settings.uri, "--password", neo4j_settings.password)
    assert code == 0, err
    assert "nothing changed: 0 new nodes, 0 new relationships" in out
    # one query per label and per type, not per key set: a small load has few fixed costs
    labels = {n.labels[0] for n in api.property_graph(ws).nodes.values()}
    types = {r.type for r in api.property_graph(ws).rels}
    assert first.batches == len(labels) + len(types)


@pytest.mark.neo4j
def test_neo4j_load_after_remove_deletes_what_the_workspace_no_longer_has(ws: Path, neo4j_settings) -> None:
    from kg.backends import neo4j as nb

    nb.load(api.property_graph(ws), neo4j_settings, wipe=True)
    api.remove_articles(["https://news.example.org/t/1"], ws)
    pg = api.property_graph(ws)
    report = nb.load(pg, neo4j_settings)
    assert report.deleted_nodes > 0 and report.created_nodes == 0
    assert report.counts == {"nodes": len(pg.nodes), "relationships": len(pg.rels)}
    assert not nb.run_cypher("MATCH (n {name: 'Lumenary AI'}) RETURN n", {}, neo4j_settings)
    with pytest.raises(UnknownName, match="did you mean"):
        api.run_query("competitors", {"company": "Lumenary"}, "neo4j", uri=neo4j_settings.uri,
                      password=neo4j_settings.password)
