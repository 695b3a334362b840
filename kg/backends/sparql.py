"""Any SPARQL 1.1 store over HTTP: push the workspace there, and run the stored queries there.

**Push** (:func:`load`, ``kg load sparql``): every named graph of the workspace (one per article, plus the
shared entity graph) goes to the store through the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT
?graph=IRI`` replaces a graph with its N-Triples, ``DELETE ?graph=IRI`` removes one. A Graph Store that is
Apache Jena Fuseki (it answers with a ``Fuseki-Request-Id`` header) takes a whole batch of graphs as one
N-Quads ``POST`` instead, one transaction per batch (the graphs it replaces deleted first): 10-20x fewer
requests. Either way each graph is written by one request, which the store applies atomically, so a store
that stops mid-load holds whole articles only.

What was pushed is recorded in the workspace (``sparql-loads.sqlite``: per target Graph Store, each graph's
SHA-256 digest of its sorted N-Triples and its triple count). A load compares the workspace with that
record *and* with the store's own count of triples per graph (one query), then pushes only the graphs
added or changed and deletes those removed locally; a second load changes nothing. Graphs are marked
pending in the record before their batch is sent and recorded after the store acknowledged it, so a load
that failed (store down, network, killed client) is completed by running it again, and a graph pushed just
before a crash but removed locally since is still deleted. Graphs on the store that this workspace never
pushed are left alone (another workspace's, or loaded by hand), unless ``wipe``.

**Queries** (:func:`run_query`, ``kg query run NAME --backend sparql``): the stored ``.rq`` text, parameters
bound as ``kg query run`` binds them (a ``VALUES`` row), sent with the SPARQL 1.1 Protocol; the rows come
back as SPARQL JSON results and are converted to the same values as on the embedded store. The queries
expect the union of the named graphs as the default graph: ``dataset="union"`` (the default) trusts the
store to provide it (Fuseki/TDB2 with ``tdb2:unionDefaultGraph``, GraphDB, Virtuoso, Neptune, QLever,
Oxigraph server with ``--union-default-graph``); ``dataset="from-graphs"`` lists the store's graphs and adds
``FROM`` and ``FROM NAMED`` for each (any store, but a long query text on a large store).

HTTP is httpx: one pooled keep-alive connection, timeouts on connect and on every read, HTTP Basic
authentication, and errors as exceptions of one family (mapped here to one-line messages).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from ingest.model import InputError
from ingest.rdf import ENTITIES_GRAPH
from kg import queries as catalogue
from kg.backends import sparql_text
from kg.store import Workspace, workspace_path
from ontology import NS

ENDPOINT_ENV = "KG_SPARQL_ENDPOINT"
GRAPH_STORE_ENV = "KG_SPARQL_GRAPH_STORE"
USER_ENV = "KG_SPARQL_USER"
PASSWORD_ENV = "KG_SPARQL_PASSWORD"
RECORD_FILE = "sparql-loads.sqlite"
DATASETS = ("union", "from-graphs")
BATCH_GRAPHS = 200  # graphs per batch: one request (Fuseki) or one record update (other stores)
BATCH_BYTES = 16 * 2**20  # and at most about this much N-Quads per request
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt")}
_FLOATS = {XSD + "double", XSD + "float"}


class SparqlError(InputError):
    """The SPARQL store cannot be reached or refused a request; the message says which and why."""


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL store answers: its query endpoint and its Graph Store Protocol endpoint."""

    query: str
    graph_store: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    dataset: str = "union"
    timeout: float = 120.0

    @classmethod
    def from_options(cls, endpoint: str | None = None, graph_store: str | None = None, user: str | None = None,
                     password: str | None = None, dataset: str | None = None) -> Endpoint:
        """Options first, then ``KG_SPARQL_*``; the Graph Store defaults to the endpoint with a final
        ``/sparql`` or ``/query`` replaced by ``/data`` (Fuseki's layout), else the endpoint itself."""
        query = endpoint or os.environ.get(ENDPOINT_ENV)
        if not query:
            raise SparqlError(f"--endpoint is needed: the SPARQL query endpoint's URL (or set {ENDPOINT_ENV}), "
                              "e.g. http://127.0.0.1:3030/cikg/sparql")
        _check_url("--endpoint", query)
        store = graph_store or os.environ.get(GRAPH_STORE_ENV) or default_graph_store(query)
        _check_url("--graph-store", store)
        user = user or os.environ.get(USER_ENV) or None
        password = password or os.environ.get(PASSWORD_ENV) or None
        if password and not user:
            raise SparqlError("--password needs --user (HTTP Basic authentication)")
        dataset = dataset or "union"
        if dataset not in DATASETS:
            raise SparqlError(f"--dataset must be one of {', '.join(DATASETS)}, got {dataset!r}")
        return cls(query, store, user, password, dataset)


def default_graph_store(query_url: str) -> str:
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")
    for tail in ("/sparql", "/query"):
        if path.endswith(tail):
            return parts._replace(path=path[: -len(tail)] + "/data", query="", fragment="").geturl()
    return query_url


def _check_url(option: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SparqlError(f"{option} {url!r} is not an http:// or https:// URL")


# --- HTTP -------------------------------------------------------------------------------------------------


class Client:
    """One store, one pooled HTTP connection; every failure is a ``SparqlError`` of one line."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        auth = httpx.BasicAuth(endpoint.user, endpoint.password or "") if endpoint.user else None
        self.http = httpx.Client(auth=auth, timeout=httpx.Timeout(endpoint.timeout, connect=10.0),
                                 headers={"User-Agent": "cikg"})
        self._fuseki: bool | None = None
        self._graphs: list[str] | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def _send(self, what: str, method: str, url: str, ok: tuple[int, ...] = (200, 201, 204),
              **kwargs: object) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise SparqlError(f"{what}: no answer from {url} within {self.endpoint.timeout:g} s") from None
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SparqlError(f"{what}: cannot reach {url}: {reason}") from None
        if response.status_code in ok:
            return response
        if response.status_code in (401, 403):
            who = f"user {self.endpoint.user!r}" if self.endpoint.user else "anonymous access (give --user/--password)"
            raise SparqlError(f"{what}: {url} refused {who} (HTTP {response.status_code})")
        detail = " ".join(response.text.split())[:300]
        raise SparqlError(f"{what}: {url} answered HTTP {response.status_code}" + (f": {detail}" if detail else ""))

    def is_fuseki(self) -> bool:
        """Whether the Graph Store is Apache Jena Fuseki (which takes N-Quads for a whole dataset)."""
        if self._fuseki is None:
            r = self._send("probing the Graph Store", "HEAD", self.endpoint.graph_store, ok=(200, 204, 400, 404, 405),
                           params={"default": ""})
            self._fuseki = "fuseki-request-id" in r.headers
        return self._fuseki

    def select(self, query: str, server_timeout: float | None = None) -> list[dict[str, object]]:
        """Rows of a SELECT (or ``[{"result": bool}]`` of an ASK), values as ``kg.store.from_term`` gives them.

        ``server_timeout``: seconds after which the store itself should stop the query (the ``timeout``
        parameter of Fuseki and RDF4J/GraphDB; a store that has none ignores it)."""
        form = {"query": query}
        if server_timeout is not None:
            form["timeout"] = f"{server_timeout:g}"
        r = self._send("query", "POST", self.endpoint.query, data=form,
                       headers={"Accept": "application/sparql-results+json"})
        try:
            data = r.json()
        except ValueError:
            kind = r.headers.get("content-type", "")
            if "sparql-results+json" in kind:  # the store gave up half-way (its own query timeout)
                raise SparqlError(f"query: the answer of {self.endpoint.query} was cut short (the store's query "
                                  "timeout?)") from None
            raise SparqlError(f"query: {self.endpoint.query} did not answer with SPARQL JSON results "
                              f"(Content-Type {kind!r}): is it a query endpoint?") from None
        if "boolean" in data:
            return [{"result": bool(data["boolean"])}]
        names = data["head"]["vars"]
        return [{n: json_value(b.get(n)) for n in names} for b in data["results"]["bindings"]]

    def with_dataset(self, query: str) -> str:
        """``query`` as the store needs it: as it is (``dataset="union"``), or with FROM and FROM NAMED for every
        graph of the store (``"from-graphs"``; the graphs are listed once per client)."""
        if self.endpoint.dataset != "from-graphs":
            return query
        if self._graphs is None:
            self._graphs = sorted(self.graph_counts())
        return sparql_text.with_graphs(query, self._graphs)

    def graph_counts(self) -> dict[str, int]:
        """Triples per named graph, as the store counts them."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(r["g"]): int(r["n"]) for r in rows if isinstance(r.get("n"), int)}  # type: ignore[call-overload]

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self._send(f"writing graph <{graph}>", "PUT", self.endpoint.graph_store, params={"graph": graph},
                   content=ntriples, headers={"Content-Type": "application/n-triples"})

    def delete_graph(self, graph: str) -> None:
        self._send(f"deleting graph <{graph}>", "DELETE", self.endpoint.graph_store, params={"graph": graph},
                   ok=(200, 204, 404))

    def clear_dataset(self) -> None:
        """Fuseki: every graph gone in one transaction (an empty N-Quads PUT on the dataset replaces it)."""
        self._send("emptying the dataset", "PUT", self.endpoint.graph_store, content=b"",
                   headers={"Content-Type": "application/n-quads"})

    def post_quads(self, nquads: bytes) -> None:
        self._send("writing a batch of graphs", "POST", self.endpoint.graph_store, content=nquads,
                   headers={"Content-Type": "application/n-quads"})


def json_value(binding: Mapping[str, str] | None) -> object:
    """A SPARQL JSON results term as a plain value: the same as ``kg.store.from_term`` makes of the term."""
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    dtype = binding.get("datatype")
    if dtype in _INTEGERS:
        return int(value)
    if dtype == XSD + "decimal" or dtype in _FLOATS:
        number = float(Decimal(value)) if dtype == XSD + "decimal" else float(value)
        return int(number) if number.is_integer() and dtype == XSD + "decimal" and "." not in value else number
    if dtype == XSD + "boolean":
        return value in ("true", "1")
    return value


# --- stored queries ---------------------------------------------------------------------------------------


def run_query(name: str, params: Mapping[str, object] | None, endpoint: Endpoint, *,
              notes: list[str] | None = None) -> list[dict[str, object]]:
    """Rows of a stored query on the store, the same rows as ``kg query run --backend rdf`` on the same graph."""
    q = catalogue.get(name)
    bound = q.bind(dict(params or {}))
    with Client(endpoint) as client:
        bound = _resolve_entities(q, bound, client, notes if notes is not None else [])
        rows = client.select(client.with_dataset(sparql_text.bind(q.sparql, bound)))
    return catalogue.normalise_rows(q, rows)


_RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_NAMES = """SELECT DISTINCT ?e ?label ?type ?alias WHERE {
  ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label ; a ?type .
  FILTER(STRSTARTS(STR(?type), "%(ns)s") && ?type NOT IN (<%(ns)sArticle>, <%(ns)sMetricObservation>, <%(ns)sEvidence>))
  OPTIONAL { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?alias }
}"""


def _resolve_entities(q: catalogue.StoredQuery, bound: dict[str, object], client: Client,
                      notes: list[str]) -> dict[str, object]:
    """As on the embedded store: an entity parameter must name an entity of the store's graph; an alias,
    ticker or other case is read as its label (said in ``notes``), an unknown name is an error."""
    from ingest.kb import default_kb
    from kg.names import Name, NameIndex, kb_names

    wanted = [p for p in q.params if p.entity and isinstance(bound.get(p.name), str)]
    index: NameIndex | None = None
    out = dict(bound)
    for p in wanted:
        value = str(bound[p.name])
        type_ = None if p.entity == "any" else p.entity
        term = sparql_text.term_text(p.name, value)
        if type_:
            ask = f"ASK WHERE {{ ?e {_RDFS_LABEL} {term} ; a <{NS}{type_}> }}"
        else:
            ask = f'ASK WHERE {{ ?e {_RDFS_LABEL} {term} ; a ?type . FILTER(STRSTARTS(STR(?type), "{NS}")) }}'
        if client.select(client.with_dataset(ask))[0]["result"]:
            continue
        if index is None:
            own: list[Name] = []
            for r in client.select(client.with_dataset(_NAMES % {"ns": NS})):
                iri, label, kind = str(r["e"]), str(r["label"]), str(r["type"])[len(NS):]
                own.append(Name(label, label, iri, kind, "label"))
                if r.get("alias") is not None:
                    own.append(Name(str(r["alias"]), label, iri, kind, "alias"))
            labels = {n.iri: n.label for n in own}
            merged = own + [Name(n.form, labels.get(n.iri, n.label), n.iri, n.type, n.kind)
                            for n in kb_names(default_kb())]
            index = NameIndex(merged, {n.iri for n in own})
        found = index.resolve(value, type_, what=p.name if p.entity != "any" else None, fuzzy=False)
        notes.append(f"--param {p.name}={value!r} is {found.label!r}")
        out[p.name] = found.label
    return out


# --- pushing the workspace --------------------------------------------------------------------------------


@dataclass
class LoadReport:
    graphs: int = 0  # in the workspace
    triples: int = 0  # in the workspace, summed over its graphs
    added: int = 0
    replaced: int = 0
    deleted: int = 0
    unchanged: int = 0
    triples_sent: int = 0
    batches: int = 0
    requests: int = 0
    seconds: float = 0.0
    protocol: str = ""  # "gsp-put" (a PUT per graph) or "fuseki-quads" (a POST of N-Quads per batch)
    target: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.deleted)

    def as_dict(self) -> dict[str, object]:
        return {"target": self.target, "protocol": self.protocol, "graphs": self.graphs, "triples": self.triples,
                "added": self.added, "replaced": self.replaced, "deleted": self.deleted, "unchanged": self.unchanged,
                "triples_sent": self.triples_sent, "batches": self.batches, "requests": self.requests,
                "seconds": round(self.seconds, 3),
                "triples_per_s": round(self.triples_sent / self.seconds, 1) if self.seconds else None}


@dataclass(frozen=True)
class _Graph:
    iri: str
    digest: str
    triples: int


def graph_ntriples(store: ox.Store, graph: str) -> list[str]:
    """The graph's triples as sorted N-Triples lines (the digest and the request body are made from them)."""
    g = ox.NamedNode(graph)
    return sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in store.quads_for_pattern(None, None, None, g))


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def local_graphs(ws: Workspace) -> dict[str, _Graph]:
    """Every named graph of the workspace with its digest and triple count."""
    out: dict[str, _Graph] = {}
    for g in ws.store.named_graphs():
        if isinstance(g, ox.NamedNode):
            lines = graph_ntriples(ws.store, g.value)
            out[g.value] = _Graph(g.value, _digest(lines), len(lines))
    return out


class Record:
    """What this workspace pushed to which Graph Store: ``<workspace>/sparql-loads.sqlite``."""

    def __init__(self, path: Path, target: str) -> None:
        self.path = path
        self.target = target
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("CREATE TABLE IF NOT EXISTS pushed (target TEXT NOT NULL, graph TEXT NOT NULL, "
                        "digest TEXT, triples INTEGER, PRIMARY KEY (target, graph))")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def read(self) -> dict[str, tuple[str | None, int | None]]:
        """Graph -> (digest, triples); (None, None) for a graph whose push was under way (pending)."""
        rows = self.db.execute("SELECT graph, digest, triples FROM pushed WHERE target = ?", (self.target,))
        return {g: (d, n) for g, d, n in rows}

    def pending(self, graphs: list[str]) -> None:
        with self.db:
            self.db.executemany("INSERT INTO pushed (target, graph, digest, triples) VALUES (?, ?, NULL, NULL) "
                                "ON CONFLICT (target, graph) DO UPDATE SET digest = NULL, triples = NULL",
                                [(self.target, g) for g in graphs])

    def done(self, pushed: list[_Graph], deleted: list[str]) -> None:
        with self.db:
            self.db.executemany("UPDATE pushed SET digest = ?, triples = ? WHERE target = ? AND graph = ?",
                                [(g.digest, g.triples, self.target, g.iri) for g in pushed])
            self.db.executemany("DELETE FROM pushed WHERE target = ? AND graph = ?",
                                [(self.target, g) for g in deleted])

    def forget(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM pushed WHERE target = ?", (self.target,))


def _batches(items: list[tuple[str, _Graph | None]], sizes: Mapping[str, int], max_graphs: int,
             max_bytes: int) -> Iterator[list[tuple[str, _Graph | None]]]:
    batch: list[tuple[str, _Graph | None]] = []
    size = 0
    for item in items:
        weight = sizes.get(item[0], 0) * 160  # about the bytes of an N-Quads line
        if batch and (len(batch) >= max_graphs or size + weight > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += weight
    if batch:
        yield batch


def load(workspace: str | os.PathLike[str] | None, endpoint: Endpoint, *, batch_graphs: int = BATCH_GRAPHS,
         batch_bytes: int = BATCH_BYTES, protocol: str = "auto", wipe: bool = False,
         on_batch: Callable[[int], None] | None = None) -> LoadReport:
    """Push the workspace's graphs to the store: only what was added, changed or removed (module docstring).

    ``protocol``: ``auto`` (Fuseki's N-Quads batches where the Graph Store is Fuseki, else a PUT per graph),
    ``gsp-put`` or ``fuseki-quads``. ``wipe`` deletes every graph the store has first (not only this
    workspace's). ``on_batch`` is called with the number of graphs of each batch sent.
    """
    if protocol not in ("auto", "gsp-put", "fuseki-quads"):
        raise SparqlError(f"--protocol must be auto, gsp-put or fuseki-quads, got {protocol!r}")
    if batch_graphs < 1:
        raise SparqlError(f"--batch-size must be at least 1, got {batch_graphs}")
    t0 = time.perf_counter()
    report = LoadReport(target=endpoint.graph_store)
    root = workspace_path(workspace)
    with Workspace.open(workspace, read_only=True, must_exist=True) as ws, Client(endpoint) as client, \
            closing(Record(root / RECORD_FILE, endpoint.graph_store)) as record:
        mine = local_graphs(ws)
        report.graphs = len(mine)
        report.triples = sum(g.triples for g in mine.values())
        report.protocol = protocol if protocol != "auto" else ("fuseki-quads" if client.is_fuseki() else "gsp-put")
        on_server = client.graph_counts()
        if wipe:
            report.requests += _wipe(client, on_server, fuseki=report.protocol == "fuseki-quads")
            report.deleted += sum(iri not in mine for iri in on_server)
            record.forget()
            on_server = {}
        pushed = record.read()
        put: list[tuple[str, _Graph | None]] = []
        for iri, g in mine.items():
            if pushed.get(iri) == (g.digest, g.triples) and on_server.get(iri) == g.triples:
                report.unchanged += 1
            else:
                put.append((iri, g))
        gone: list[tuple[str, _Graph | None]] = [(iri, None) for iri in pushed if iri not in mine]
        # the shared entity graph first: an article that arrives finds the labels of what it names
        put.sort(key=lambda item: (item[0] != ENTITIES_GRAPH, item[0]))
        for batch in _batches(put + gone, on_server, batch_graphs, batch_bytes):
            names = [iri for iri, _ in batch]
            record.pending(names)
            written = [g for _, g in batch if g is not None]
            removed = [iri for iri, g in batch if g is None]
            if report.protocol == "fuseki-quads":
                for iri in names:
                    if iri in on_server:  # POST adds: what it replaces goes first
                        client.delete_graph(iri)
                        report.requests += 1
                if written:
                    body = "".join(line[:-2] + f" <{g.iri}> .\n" for g in written
                                   for line in graph_ntriples(ws.store, g.iri))
                    client.post_quads(body.encode("utf-8"))
                    report.requests += 1
            else:
                for g in written:
                    client.put_graph(g.iri, "".join(graph_ntriples(ws.store, g.iri)).encode("utf-8"))
                    report.requests += 1
                for iri in removed:
                    client.delete_graph(iri)
                    report.requests += 1
            record.done(written, removed)
            for g in written:
                if g.iri in on_server:
                    report.replaced += 1
                else:
                    report.added += 1
                report.triples_sent += g.triples
                on_server[g.iri] = g.triples
            for iri in removed:
                report.deleted += iri in on_server
                on_server.pop(iri, None)
            report.batches += 1
            if on_batch is not None:
                on_batch(len(batch))
    report.seconds = time.perf_counter() - t0
    return report


def _wipe(client: Client, graphs: Mapping[str, int], *, fuseki: bool) -> int:
    """Delete ``graphs`` (the store's): Fuseki in one request, other stores a DELETE each; the requests made."""
    if fuseki:
        client.clear_dataset()
        return 1
    for iri in graphs:
        client.delete_graph(iri)
    return len(graphs)


def wipe(endpoint: Endpoint) -> int:
    """Delete every named graph of the store (``kg load sparql --wipe`` does this first); how many there were."""
    with Client(endpoint) as client:
        graphs = client.graph_counts()
        _wipe(client, graphs, fuseki=client.is_fuseki())
    return len(graphs)


def store_graphs(endpoint: Endpoint) -> dict[str, int]:
    """The store's named graphs with their triple counts (for tests and checks)."""
    with Client(endpoint) as client:
        return client.graph_counts()
