"""`kg serve` through an ASGI test client: pages, JSON API, the SPARQL 1.1 Protocol, limits and refusals.

The application runs for real (snapshots of a real workspace, query worker processes); only the HTTP socket
is replaced by Starlette's test client.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql.results.csvresults import CSVResultParser
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from kg import api
from kg import queries as catalogue
from kg.store import PREFIXES, _bind_values, from_term, to_term
from kg.web.app import Settings, create_app
from kg.web.workers import Limits
from tests.web_support import articles

testclient = pytest.importorskip("starlette.testclient")

BASE = "http://127.0.0.1"
ALIBABA = "https://cikg.dev/id/company/alibaba-group"


@pytest.fixture(scope="module")
def client(examples_workspace: Path):
    app = create_app(Settings(workspace=examples_workspace, limits=Limits(timeout=3, max_rows=1000, max_query=20_000),
                              workers=1))
    with testclient.TestClient(app, base_url=BASE) as c:
        yield c


def _prefixes() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def _python_rows(doc: dict) -> list[dict[str, object]]:
    """SPARQL JSON results as plain Python values, the way `kg query run` returns them."""
    out = []
    for b in doc["results"]["bindings"]:
        row: dict[str, object] = {}
        for var in doc["head"]["vars"]:
            t = b.get(var)
            if t is None:
                row[var] = None
            elif t["type"] == "uri":
                row[var] = from_term(ox.NamedNode(t["value"]))
            elif t["type"] == "literal":
                dt = t.get("datatype")
                row[var] = from_term(ox.Literal(t["value"], datatype=ox.NamedNode(dt)) if dt
                                     else ox.Literal(t["value"], language=t.get("xml:lang")))
            else:
                row[var] = "_:" + t["value"]
        out.append(row)
    return out


# --- pages ----------------------------------------------------------------------------------------------


def test_pages_answer_with_a_strict_policy(client) -> None:
    for url in ("/", "/queries", "/articles", f"/entity?iri={quote(ALIBABA)}", f"/graph?iri={quote(ALIBABA)}&hops=2",
                "/brief?company=Alibaba%20Group", "/queries/competitors?company=Baidu", "/static/app.js"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp, url
        assert r.headers["x-content-type-options"] == "nosniff"


def test_search_suggests_by_alias_and_ticker(client) -> None:
    hits = client.get("/api/suggest", params={"q": "alib"}).json()
    assert hits[0]["label"] == "Alibaba Group" and hits[0]["iri"] == ALIBABA
    by_ticker = client.get("/api/suggest", params={"q": "BIDU"}).json()
    assert by_ticker and by_ticker[0]["label"] == "Baidu" and by_ticker[0]["as"] == "ticker"
    assert client.get("/api/suggest", params={"q": ""}).json() == []
    # an exact name goes straight to the entity's page
    r = client.get("/search", params={"q": "Alibaba Group"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/entity?iri={quote(ALIBABA, safe='')}"


def test_entity_page_has_relations_dates_metrics_and_articles(client) -> None:
    r = client.get("/entity", params={"name": "Alibaba"})  # an alias
    assert r.status_code == 200
    page = r.text
    assert "Alibaba Group" in page and 'id="relations"' in page
    row = re.search(r"<td>invests in</td>\s*<td><a [^>]*>Zhipu AI</a></td>\s*<td>Company</td>\s*"
                    r"<td class=\"num\">(\d+)</td>\s*<td>(\d{4}-\d{2}-\d{2})</td>", page)
    assert row, "the investsIn fact with its source count and first-report date"
    assert int(row.group(1)) >= 1
    assert 'id="metrics-data"' in page  # the chart's data
    assert "/article?g=" in page


def test_unknown_entity_is_404_with_suggestions(client) -> None:
    r = client.get("/entity", params={"name": "Alibabba Grp"})  # one close name clearly ahead: read as it
    assert r.status_code == 200 and "Alibaba Group" in r.text
    r = client.get("/entity", params={"name": "Qqqzzx Holdings"})
    assert r.status_code == 404 and "no entity named" in r.text
    r = client.get("/api/entity", params={"iri": "https://cikg.dev/id/company/nothing"})
    assert r.status_code == 404 and "no entity" in r.json()["error"]


def test_graph_api_hops_and_types(client) -> None:
    one = client.get("/api/graph", params={"iri": ALIBABA, "hops": 1}).json()
    two = client.get("/api/graph", params={"iri": ALIBABA, "hops": 2}).json()
    assert one["center"] == ALIBABA and len(two["nodes"]) > len(one["nodes"]) > 1
    assert {"Company"} <= {n["type"] for n in one["nodes"]}
    assert one["styles"]["Company"]["color"].startswith("#")  # the GraSS colours
    only = client.get("/api/graph", params=[("iri", ALIBABA), ("hops", "2"), ("type", "investsIn")]).json()
    assert only["edges"] and {e["type"] for e in only["edges"]} == {"investsIn"}
    assert client.get("/api/graph", params={"iri": ALIBABA, "hops": 4}).status_code == 400
    assert client.get("/api/graph", params=[("iri", ALIBABA), ("type", "nope")]).status_code == 400


def test_stored_query_page_and_downloads_match_kg_query_run(client, examples_workspace: Path) -> None:
    expected = api.run_query("competitors", {"company": "Baidu"}, workspace=examples_workspace)
    page = client.get("/queries/competitors", params={"company": "Baidu"}).text
    assert f"{len(expected)} row" in page and "download-csv" in page
    got = client.get("/api/queries/competitors", params={"company": "Baidu", "format": "json"}).json()
    assert got == expected
    text = client.get("/api/queries/competitors", params={"company": "Baidu", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["competitor"] for r in rows] == [r["competitor"] for r in expected]
    # a ticker is read as the company, as kg query run does
    assert client.get("/api/queries/competitors", params={"company": "BIDU"}).json() == expected
    bad = client.get("/queries/competitors", params={"company": "Nosuchco"})
    assert bad.status_code == 400 and "no company named" in bad.text


def test_row_evidence_gives_sentences_and_articles(client) -> None:
    rows = client.get("/api/queries/partners_and_investments", params={"company": "Alibaba Group"}).json()
    assert rows
    ev = client.get("/api/row-evidence", params={"query": "partners_and_investments",
                                                   "row": json.dumps(rows[0])}).json()
    assert ev and all(e["sentence"] and e["article"] for e in ev)


def test_article_page_marks_the_fact_sentences(client, examples_workspace: Path) -> None:
    art = next(a for a in articles(examples_workspace) if a.facts)
    page = client.get("/article", params={"g": art.graph}).text
    assert art.title in page
    assert "<mark" in page and 'id="article-text"' in page


def test_brief_page_and_downloads(client) -> None:
    page = client.get("/brief", params={"company": "Alibaba Group"}).text
    assert "Brief: Alibaba Group" in page and 'href="#note-1"' in page
    md = client.get("/brief", params={"company": "Alibaba", "format": "md"})
    assert md.headers["content-type"].startswith("text/markdown") and "[^1]:" in md.text
    assert client.get("/brief", params={"company": "Qwen"}).status_code == 404  # a model, not a company


def test_adhoc_sparql_and_cypher(client) -> None:
    text = "SELECT ?name WHERE { ?c a ci:Company ; rdfs:label ?name FILTER(?name = 'Baidu') }"
    r = client.get("/adhoc", params={"lang": "sparql", "text": text})
    assert r.status_code == 200 and "<td>Baidu</td>" in r.text
    r = client.get("/adhoc", params={"lang": "cypher", "text": 'MATCH (c:Company) WHERE c.name = "Baidu" '
                                     "RETURN c.name AS name"})
    assert r.status_code == 200 and "<td>Baidu</td>" in r.text, r.text[-500:]
    r = client.get("/adhoc", params={"lang": "sparql", "text": "SELEC nonsense"})
    assert r.status_code == 400 and "not SPARQL" in r.text


def test_static_files_only_from_the_static_folder(client) -> None:
    assert client.get("/static/app.css").status_code == 200
    for path in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/store.py",
                 "/static/..%2F..%2Fstore.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
                 "/static/....//app.py", "/static/templates/../../app.py"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "Starlette" not in r.text and "import " not in r.text and "root:" not in r.text, path


def test_foreign_host_header_is_refused(client) -> None:
    r = client.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400  # DNS rebinding: a page elsewhere cannot read the workspace through the browser


# --- SPARQL 1.1 Protocol ----------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ci:Company }"


def test_get_post_form_and_post_query_give_the_same_answer(client) -> None:
    a = client.get("/sparql", params={"query": COUNT}).json()
    b = client.post("/sparql", data={"query": COUNT}).json()
    c = client.post("/sparql", content=COUNT.encode(), headers={"content-type": "application/sparql-query"}).json()
    assert a == b == c and int(a["results"]["bindings"][0]["n"]["value"]) > 10


@pytest.mark.parametrize(("accept", "parser"), [
    ("application/sparql-results+json", JSONResultParser), ("application/sparql-results+xml", XMLResultParser),
    ("text/csv", CSVResultParser), ("text/tab-separated-values", TSVResultParser)])
def test_select_in_every_results_format(client, accept: str, parser) -> None:
    q = "SELECT ?name ?c WHERE { ?c a ci:Company ; rdfs:label ?name } ORDER BY ?name LIMIT 5"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    source = io.StringIO(r.text) if parser in (CSVResultParser, TSVResultParser) else io.BytesIO(r.content)
    result = parser().parse(source)
    names = [str(row[0]) for row in result]
    assert len(names) == 5 and names == sorted(names)


def test_ask_and_accept_preferences(client) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?c a ci:Company }"},
                   headers={"accept": "text/html;q=0.9, application/sparql-results+xml;q=0.5, */*;q=0.1"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml") and "<boolean>true" in r.text
    r = client.get("/sparql", params={"query": "ASK { ?c a ci:Nothing }"}, headers={"accept": "application/json"})
    assert r.json() == {"head": {}, "boolean": False}
    r = client.get("/sparql", params={"query": COUNT}, headers={"accept": "image/png"})
    assert r.status_code == 406


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_construct_in_every_graph_format(client, accept: str, fmt: str) -> None:
    q = "CONSTRUCT { ?c ci:develops ?m } WHERE { ?c ci:develops ?m }"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.text, format=fmt)
    assert len(g) > 5 and all(str(p) == PREFIXES["ci"] + "develops" for _, p, _ in g)
    d = client.get("/sparql", params={"query": f"DESCRIBE <{ALIBABA}>"}, headers={"accept": accept})
    assert len(rdflib.Graph().parse(data=d.text, format=fmt)) > 0


def test_default_graph_is_the_union_and_named_graphs_are_addressable(client, examples_workspace: Path) -> None:
    art = next(a for a in articles(examples_workspace) if a.facts)
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ci:mentions ?o }"
    union = int(client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"])
    one = client.get("/sparql", params={"query": q, "default-graph-uri": art.graph}).json()
    mentioned = int(one["results"]["bindings"][0]["n"]["value"])
    assert 0 < mentioned < union
    headline = f"SELECT ?h WHERE {{ GRAPH <{art.graph}> {{ ?a schema:headline ?h }} }}"
    named = client.get("/sparql", params={"query": headline})
    assert named.json()["results"]["bindings"][0]["h"]["value"] == art.title
    only = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                         "named-graph-uri": art.graph}).json()
    assert [b["g"]["value"] for b in only["results"]["bindings"]] == [art.graph]


def test_updates_are_refused_with_403(client) -> None:
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    r = client.post("/sparql", content=update.encode(), headers={"content-type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.text
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.get("/sparql", params={"update": update}).status_code == 403
    r = client.get("/sparql", params={"query": update})  # an update sent as a query is no query
    assert r.status_code == 400
    assert client.get("/sparql", params={"query": "ASK { <http://x/a> ?p ?o }"}).json()["boolean"] is False


def test_overlong_and_malformed_requests(client) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 25_000
    r = client.get("/sparql", params={"query": long})
    assert r.status_code == 413 and "limit" in r.text
    r = client.post("/sparql", content=long.encode(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 413
    assert client.post("/sparql", content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    assert client.get("/sparql", params=[("query", COUNT), ("query", COUNT)]).status_code == 400
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert r.status_code == 400 and r.text.count("\n") == 1
    assert client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"}).status_code == 400


def test_row_limit_cuts_and_says_so(client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and r.headers["x-kg-truncated"] == "true" and r.headers["x-kg-row-limit"] == "1000"
    assert len(r.json()["results"]["bindings"]) == 1000


def test_time_limit_stops_a_runaway_query_and_the_endpoint_recovers(client) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", params={"query": runaway})
    assert r.status_code == 503 and "time limit of 3 s" in r.text
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200  # a fresh worker answers


def test_service_description_without_a_query(client) -> None:
    r = client.get("/sparql")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), None) in g


def test_stored_queries_over_http_give_the_rows_of_kg_query_run(client, examples_workspace: Path) -> None:
    """Every stored query, its example parameters bound by a VALUES row in the text (as a SPARQL client would
    send it), gives over /sparql exactly the rows `kg query run` gives."""
    for name, q in catalogue.catalogue().items():
        if "rdf" not in q.backends:
            continue
        params = {p.name: p.example for p in q.params if p.example is not None}
        bound = q.bind(params)
        expected = api.run_query(name, params, workspace=examples_workspace)
        text = _prefixes() + _bind_values(q.sparql, {k: to_term(v) for k, v in bound.items()})
        r = client.post("/sparql", data={"query": text}, headers={"accept": "application/sparql-results+json"})
        assert r.status_code == 200, (name, r.text)
        got = catalogue.normalise_rows(q, _python_rows(r.json()))
        assert got == expected, name
