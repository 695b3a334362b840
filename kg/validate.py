"""SHACL validation of the workspace against the shipped shapes (pyshacl on an rdflib copy)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from kg.store import Workspace
from ontology import ONTOLOGY_FILE, SHAPES_FILE


@dataclass
class Report:
    conforms: bool
    violations: int
    text: str


def validate(ws: Workspace) -> Report:
    """Validate the union of all article graphs (provenance included) against ``ontology/shapes.ttl``."""
    import io

    from pyshacl import validate as shacl

    buf = io.BytesIO()
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ws.quads()}
    ox.serialize(triples, buf, format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph()
    data.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    ont = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    conforms, results, text = shacl(data, shacl_graph=shapes, ont_graph=ont, inference="none",
                                    allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(results.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return Report(bool(conforms), violations, text)
