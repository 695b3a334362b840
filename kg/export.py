"""Export the workspace: RDF formats from the store, GraphML from the property graph."""

from __future__ import annotations

import json
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.project import project, to_networkx
from kg.store import Workspace

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": None,
    "graphml": None,
}


def export(ws: Workspace, fmt: str, out: BinaryIO) -> None:
    """Write the whole graph to ``out`` in ``fmt`` (quad formats keep the per-article graphs)."""
    if fmt == "graphml":
        g = to_networkx(project(ws))
        for _, data in g.nodes(data=True):
            _flatten(data)
        for _, _, data in g.edges(data=True):
            _flatten(data)
        nx.write_graphml(g, out)
    elif fmt == "jsonld":
        import rdflib

        ds = rdflib.Dataset()
        buf = _nquads(ws)
        ds.parse(data=buf, format="nquads")
        out.write(ds.serialize(format="json-ld", indent=2).encode("utf-8"))
    else:
        ws.dump(FORMATS[fmt], out)


def _nquads(ws: Workspace) -> str:
    import io

    buf = io.BytesIO()
    ws.dump(ox.RdfFormat.N_QUADS, buf)
    return buf.getvalue().decode("utf-8")


def _flatten(data: dict) -> None:
    """GraphML holds scalars only: sets and lists become JSON strings."""
    for key, value in list(data.items()):
        if key == "__labels__":
            data["labels"] = ":".join(sorted(value))
            del data[key]
        elif isinstance(value, list | set | tuple):
            data[key] = json.dumps(sorted(value) if isinstance(value, set) else list(value))
