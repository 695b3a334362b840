"""The ontology, the SHACL shapes and the curated knowledge base: well-formed, complete and consistent."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from ontology import ID, KB_DIR, NS, ONTOLOGY_FILE, SHAPES_FILE, kb_files

CI = rdflib.Namespace(NS)
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SCHEMA = rdflib.Namespace("https://schema.org/")
# A plain Namespace: rdflib's closed XSD namespace warns when pytest probes module attributes.
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")

# CONTRACT.md: classes, and each relation's subject and object classes.
ENTITY_CLASSES = ("Company", "GovernmentBody", "Country", "Person", "AIModel", "Chip", "Product", "Sanction")
CONTRACT_CLASSES = (*ENTITY_CLASSES, "MetricObservation")
RELATIONS: dict[str, tuple[set[str], set[str]]] = {
    "develops": ({"Company"}, {"AIModel", "Chip", "Product"}),
    "manufactures": ({"Company"}, {"Chip"}),
    "competesWith": ({"Company"}, {"Company"}),
    "partnersWith": ({"Company"}, {"Company"}),
    "subsidiaryOf": ({"Company"}, {"Company"}),
    "ceoOf": ({"Person"}, {"Company"}),
    "usesChip": ({"Company", "AIModel"}, {"Chip"}),
    "subjectTo": ({"Company", "Chip"}, {"Sanction"}),
    "imposedBy": ({"Sanction"}, {"GovernmentBody", "Country"}),
    "headquarteredIn": ({"Company"}, {"Country"}),
    "investsIn": ({"Company"}, {"Company"}),
    "reportsMetric": ({"Company"}, {"MetricObservation"}),
}
METRIC_PROPERTIES = {"metricName": XSD.string, "value": XSD.decimal, "unit": XSD.string, "period": XSD.string}
SYMMETRIC = ("competesWith", "partnersWith")
# Provenance and article vocabulary used by the code (ingest/rdf.py): exact local names.
PROVENANCE_CLASSES = ("Article", "Evidence")
PROVENANCE_DATATYPE_PROPERTIES = (
    "articleId", "sentence", "start", "end", "rule", "confidence", "ticker", "demonym", "metonym", "known", "source",
    "contentHash",
)
PROVENANCE_OBJECT_PROPERTIES = ("mentions",)

# Surface forms (labels and aliases) that may name more than one entity, with the reason. Keep it empty if possible.
ALLOWED_DUPLICATE_SURFACES: dict[str, str] = {}

MIN_KB_ENTITIES = 1000


def slug(text: str) -> str:
    """The label slug of entity IRIs (same rule as ingest.kb.slug for names with Latin letters or digits)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def kb() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in kb_files():
        g.parse(path, format="turtle")
    return g


def _classes(g: rdflib.Graph, node) -> set[str]:
    """Local names of a class expression: a named class or an owl:unionOf of named classes."""
    if isinstance(node, URIRef):
        assert str(node).startswith(NS), f"{node} is not in the ontology namespace"
        return {str(node)[len(NS):]}
    union = g.value(node, OWL.unionOf)
    assert union is not None, "an anonymous domain/range must be an owl:unionOf"
    return set().union(*(_classes(g, member) for member in Collection(g, union)))


# --------------------------------------------------------------------------------------------- files


def test_kb_files_are_split_by_kind() -> None:
    names = {p.name for p in kb_files()}
    expected = {"companies.ttl", "models.ttl", "chips.ttl", "products.ttl", "sanctions.ttl", "government.ttl",
                "countries.ttl", "people.ttl"}
    assert expected <= names, f"missing KB files: {sorted(expected - names)}"
    assert all(p.parent == KB_DIR for p in kb_files())


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE, *kb_files()], ids=lambda p: Path(p).name)
def test_every_turtle_file_parses(path: Path) -> None:
    g = rdflib.Graph().parse(path, format="turtle")
    assert len(g) > 0
    # The code reads the same files with Oxigraph: both parsers must agree.
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(g)


# --------------------------------------------------------------------------------------------- ontology


def test_ontology_header(ontology: rdflib.Graph) -> None:
    headers = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1
    header = headers[0]
    for p in (RDFS.label, RDFS.comment, OWL.versionInfo):
        assert ontology.value(header, p) is not None, f"ontology header lacks {p}"


@pytest.mark.parametrize("name", [*CONTRACT_CLASSES, *PROVENANCE_CLASSES])
def test_class_is_defined(ontology: rdflib.Graph, name: str) -> None:
    cls = CI[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    assert ontology.value(cls, RDFS.label) is not None, f"{name} has no rdfs:label"
    assert ontology.value(cls, RDFS.comment) is not None, f"{name} has no rdfs:comment"


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_relation_is_defined_with_contract_domain_and_range(ontology: rdflib.Graph, name: str) -> None:
    prop = CI[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert ontology.value(prop, RDFS.label) is not None, f"{name} has no rdfs:label"
    assert ontology.value(prop, RDFS.comment) is not None, f"{name} has no rdfs:comment"
    domains = list(ontology.objects(prop, RDFS.domain))
    ranges = list(ontology.objects(prop, RDFS.range))
    assert len(domains) == 1 and len(ranges) == 1, f"{name} needs exactly one rdfs:domain and one rdfs:range"
    subjects, objects = RELATIONS[name]
    assert _classes(ontology, domains[0]) == subjects
    assert _classes(ontology, ranges[0]) == objects


@pytest.mark.parametrize("name", sorted(METRIC_PROPERTIES))
def test_metric_property_is_defined(ontology: rdflib.Graph, name: str) -> None:
    prop = CI[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert ontology.value(prop, RDFS.label) is not None
    assert ontology.value(prop, RDFS.comment) is not None
    assert ontology.value(prop, RDFS.domain) == CI.MetricObservation
    assert ontology.value(prop, RDFS.range) == METRIC_PROPERTIES[name]


@pytest.mark.parametrize("name", SYMMETRIC)
def test_symmetric_properties(ontology: rdflib.Graph, name: str) -> None:
    assert (CI[name], RDF.type, OWL.SymmetricProperty) in ontology


def test_other_relations_are_not_symmetric(ontology: rdflib.Graph) -> None:
    symmetric = {str(s)[len(NS):] for s in ontology.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == set(SYMMETRIC)


@pytest.mark.parametrize("name", PROVENANCE_DATATYPE_PROPERTIES)
def test_provenance_datatype_property_is_defined(ontology: rdflib.Graph, name: str) -> None:
    prop = CI[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert ontology.value(prop, RDFS.label) is not None
    assert ontology.value(prop, RDFS.comment) is not None
    assert ontology.value(prop, RDFS.range) is not None


@pytest.mark.parametrize("name", PROVENANCE_OBJECT_PROPERTIES)
def test_provenance_object_property_is_defined(ontology: rdflib.Graph, name: str) -> None:
    prop = CI[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert ontology.value(prop, RDFS.domain) == CI.Article
    assert _classes(ontology, ontology.value(prop, RDFS.range)) == set(ENTITY_CLASSES)


def test_provenance_datatypes(ontology: rdflib.Graph) -> None:
    assert ontology.value(CI.start, RDFS.range) == XSD.integer
    assert ontology.value(CI.end, RDFS.range) == XSD.integer
    assert ontology.value(CI.confidence, RDFS.range) == XSD.decimal
    assert ontology.value(CI.known, RDFS.range) == XSD.boolean
    assert (CI.Article, RDFS.subClassOf, SCHEMA.NewsArticle) in ontology
    assert (CI.Article, RDFS.subClassOf, PROV.Entity) in ontology
    assert (CI.Evidence, RDFS.subClassOf, RDF.Statement) in ontology
    assert (CI.Evidence, RDFS.subClassOf, PROV.Entity) in ontology


# --------------------------------------------------------------------------------------------- knowledge base


def _entities(kb: rdflib.Graph) -> dict[URIRef, str]:
    """Every typed subject of the KB -> its contract class local name (asserting there is exactly one)."""
    out: dict[URIRef, str] = {}
    for s in set(kb.subjects(RDF.type, None)):
        types = [str(o)[len(NS):] for o in kb.objects(s, RDF.type)]
        assert len(types) == 1 and types[0] in ENTITY_CLASSES, f"{s} has types {types}, expected one contract class"
        out[s] = types[0]
    return out


def test_kb_is_large_enough(kb: rdflib.Graph) -> None:
    assert len(_entities(kb)) >= MIN_KB_ENTITIES


def test_kb_covers_every_entity_class(kb: rdflib.Graph) -> None:
    counts: dict[str, int] = defaultdict(int)
    for type_ in _entities(kb).values():
        counts[type_] += 1
    assert set(counts) == set(ENTITY_CLASSES), f"classes without entities: {set(ENTITY_CLASSES) - set(counts)}"


def test_every_kb_subject_is_a_typed_entity(kb: rdflib.Graph) -> None:
    entities = _entities(kb)
    for s in set(kb.subjects()):
        assert s in entities, f"{s} has statements but no contract class"


def test_kb_entity_has_exactly_one_plain_label(kb: rdflib.Graph) -> None:
    for entity in _entities(kb):
        labels = list(kb.objects(entity, RDFS.label))
        assert len(labels) == 1, f"{entity} has {len(labels)} rdfs:label"
        label = labels[0]
        assert isinstance(label, Literal) and label.language is None and label.datatype in (None, XSD.string)
        assert str(label).strip() == str(label) and str(label), f"{entity}: label {label!r} is empty or padded"


def test_kb_literals_are_plain_strings(kb: rdflib.Graph) -> None:
    for p in (SKOS.altLabel, CI.ticker, CI.demonym, CI.metonym):
        for s, o in kb.subject_objects(p):
            assert isinstance(o, Literal) and o.language is None and o.datatype in (None, XSD.string), (s, p, o)
            assert str(o).strip() == str(o) and str(o), f"{s}: {p} {o!r} is empty or padded"


def test_kb_iris_follow_the_slug_scheme(kb: rdflib.Graph) -> None:
    for entity, type_ in _entities(kb).items():
        label = str(kb.value(entity, RDFS.label))
        expected = f"{ID}{type_.lower()}/{slug(label)}"
        assert slug(label), f"{entity}: label {label!r} has no Latin letter or digit"
        assert str(entity) == expected, f"{entity} should be {expected}"


def test_kb_iris_agree_with_ingest_slug(kb: rdflib.Graph) -> None:
    from ingest.kb import entity_iri

    for entity, type_ in _entities(kb).items():
        assert str(entity) == entity_iri(type_, str(kb.value(entity, RDFS.label)))


def test_no_surface_form_names_two_entities(kb: rdflib.Graph) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for entity in _entities(kb):
        for p in (RDFS.label, SKOS.altLabel, CI.ticker):
            for o in kb.objects(entity, p):
                owners[str(o)].add(entity)
    clashes = {form: sorted(map(str, es)) for form, es in owners.items()
               if len(es) > 1 and form not in ALLOWED_DUPLICATE_SURFACES}
    assert not clashes, f"surface forms naming several entities: {clashes}"


def test_allowed_duplicates_are_still_needed(kb: rdflib.Graph) -> None:
    forms = [str(o) for p in (RDFS.label, SKOS.altLabel, CI.ticker) for o in kb.objects(None, p)]
    for form in ALLOWED_DUPLICATE_SURFACES:
        assert forms.count(form) > 1, f"{form!r} is allowed as a duplicate but is not one any more"


def test_kb_has_no_relations_between_entities(kb: rdflib.Graph) -> None:
    allowed = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.exactMatch, CI.ticker, CI.demonym, CI.metonym, RDFS.comment}
    used = set(kb.predicates())
    assert used <= allowed, f"unexpected predicates in the KB: {sorted(map(str, used - allowed))}"


def test_exact_matches_are_wikidata_items(kb: rdflib.Graph) -> None:
    seen: dict[str, URIRef] = {}
    for s, o in kb.subject_objects(SKOS.exactMatch):
        assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*", str(o)), (s, o)
        assert str(o) not in seen, f"{o} matches both {seen[str(o)]} and {s}"
        seen[str(o)] = s
        assert len(list(kb.objects(s, SKOS.exactMatch))) == 1, f"{s} has several Wikidata ids"


def test_demonyms_belong_to_countries(kb: rdflib.Graph) -> None:
    entities = _entities(kb)
    demonyms: dict[str, URIRef] = {}
    for s, o in kb.subject_objects(CI.demonym):
        assert entities[s] == "Country", f"{s} has a demonym but is not a Country"
        assert str(o) not in demonyms, f"demonym {o} names two countries"
        demonyms[str(o)] = s
    for name in ("Chinese", "American", "Dutch", "Japanese", "South Korean", "Taiwanese", "British"):
        assert name in demonyms, f"no country has the demonym {name!r}"


def test_metonyms_belong_to_countries(kb: rdflib.Graph) -> None:
    """A capital used for its government ("Washington said") names a Country, one each, and nothing else."""
    entities = _entities(kb)
    surfaces: dict[str, set[URIRef]] = defaultdict(set)
    for p in (RDFS.label, SKOS.altLabel, CI.ticker):
        for s, o in kb.subject_objects(p):
            surfaces[str(o)].add(s)
    demonyms = {str(o) for o in kb.objects(None, CI.demonym)}
    metonyms: dict[str, URIRef] = {}
    for s, o in kb.subject_objects(CI.metonym):
        assert entities[s] == "Country", f"{s} has a metonym but is not a Country"
        assert str(o) not in metonyms, f"metonym {o} names two countries"
        assert not surfaces.get(str(o)), f"metonym {o} of {s} is also a name of {sorted(surfaces[str(o)])}"
        assert str(o) not in demonyms, f"metonym {o} is also a demonym"
        metonyms[str(o)] = s
    expected = {"Washington": "united-states", "Beijing": "china", "Tokyo": "japan", "Seoul": "south-korea",
                "Taipei": "taiwan", "The Hague": "netherlands", "New Delhi": "india", "Brussels": "european-union",
                "London": "united-kingdom"}
    for name, country in expected.items():
        assert str(metonyms.get(name)) == f"{ID}country/{country}", f"{name!r} should be the metonym of {country}"


def test_metonym_is_declared_for_countries(ontology: rdflib.Graph) -> None:
    assert (CI.metonym, RDF.type, OWL.DatatypeProperty) in ontology
    assert ontology.value(CI.metonym, RDFS.domain) == CI.Country
    assert ontology.value(CI.metonym, RDFS.range) == XSD.string


def test_tickers_belong_to_companies(kb: rdflib.Graph) -> None:
    entities = _entities(kb)
    for s, _ in kb.subject_objects(CI.ticker):
        assert entities[s] == "Company", f"{s} has a ticker but is not a Company"


@pytest.mark.parametrize(
    ("type_", "label"),
    [
        ("Company", "Alibaba Group"), ("Company", "Alibaba Cloud"), ("Company", "Baidu"), ("Company", "Nvidia"),
        ("Company", "SMIC"), ("Company", "Huawei"), ("Company", "Tencent"), ("Company", "DeepSeek"),
        ("GovernmentBody", "Bureau of Industry and Security"), ("Country", "United States"), ("Country", "China"),
        ("Person", "Eddie Wu"), ("Person", "Robin Li"), ("AIModel", "Qwen"), ("AIModel", "Ernie Bot"),
        ("AIModel", "Hunyuan"), ("AIModel", "DeepSeek-R1"), ("Chip", "H20"), ("Chip", "Ascend 910C"),
        ("Chip", "Hanguang 800"), ("Product", "Taobao"), ("Product", "Azure"), ("Sanction", "Entity List"),
        ("Sanction", "US export controls on advanced chips"),
    ],
)
def test_contract_examples_are_in_the_kb(kb: rdflib.Graph, type_: str, label: str) -> None:
    iri = URIRef(f"{ID}{type_.lower()}/{slug(label)}")
    assert (iri, RDF.type, CI[type_]) in kb
    assert (iri, RDFS.label, Literal(label)) in kb


def test_ingest_loads_the_kb(kb: rdflib.Graph) -> None:
    from ingest.kb import load_kb

    loaded = load_kb()
    assert len(loaded.entities) == len(_entities(kb))
    assert loaded.demonyms["Chinese"].label == "China"
    assert loaded.tickers["9988.HK"].label == "Alibaba Group"
    assert [e.label for e in loaded.surface["文心一言"]] == ["Ernie Bot"]


# --------------------------------------------------------------------------------------------- SHACL

_PREFIXES = """
@prefix ci: <https://cikg.dev/ns#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix c: <https://cikg.dev/id/company/> .
@prefix m: <https://cikg.dev/id/aimodel/> .
@prefix k: <https://cikg.dev/id/chip/> .
@prefix p: <https://cikg.dev/id/person/> .
@prefix s: <https://cikg.dev/id/sanction/> .
@prefix g: <https://cikg.dev/id/governmentbody/> .
@prefix n: <https://cikg.dev/id/country/> .
@prefix a: <https://cikg.dev/article/> .
@prefix e: <https://cikg.dev/evidence/> .
@prefix x: <https://cikg.dev/id/metric/> .
"""

CONFORMING = _PREFIXES + """
c:alibaba-group a ci:Company ; rdfs:label "Alibaba Group" ; skos:altLabel "Alibaba" ; ci:known true ;
    ci:ticker "9988.HK" ; ci:develops m:qwen ; ci:competesWith c:baidu ; ci:headquarteredIn n:china ;
    ci:reportsMetric x:m1 .
c:baidu a ci:Company ; rdfs:label "Baidu" ; ci:known true ; ci:usesChip k:kunlun-p800 .
c:alibaba-cloud a ci:Company ; rdfs:label "Alibaba Cloud" ; ci:subsidiaryOf c:alibaba-group .
c:smic a ci:Company ; rdfs:label "SMIC" ; ci:manufactures k:ascend-910c ; ci:subjectTo s:entity-list .
m:qwen a ci:AIModel ; rdfs:label "Qwen" ; ci:usesChip k:ascend-910c .
k:ascend-910c a ci:Chip ; rdfs:label "Ascend 910C" ; ci:subjectTo s:entity-list .
k:kunlun-p800 a ci:Chip ; rdfs:label "Kunlun P800" .
p:eddie-wu a ci:Person ; rdfs:label "Eddie Wu" ; ci:ceoOf c:alibaba-group .
s:entity-list a ci:Sanction ; rdfs:label "Entity List" ;
    ci:imposedBy g:bureau-of-industry-and-security, n:united-states .
g:bureau-of-industry-and-security a ci:GovernmentBody ; rdfs:label "Bureau of Industry and Security" .
n:china a ci:Country ; rdfs:label "China" ; ci:demonym "Chinese" .
n:united-states a ci:Country ; rdfs:label "United States" .
x:m1 a ci:MetricObservation ; rdfs:label "Alibaba Group AI revenue (FY2026)" ; ci:metricName "AI revenue" ;
    ci:value "30000000000"^^xsd:decimal ; ci:unit "CNY" ; ci:period "FY2026" .
a:art1 a ci:Article ; ci:articleId "https://example.com/news/1" ; schema:headline "Alibaba bets on Qwen" ;
    schema:datePublished "2025-02-20"^^xsd:date ; ci:source "Example News" ; ci:mentions c:alibaba-group .
e:ev1 a ci:Evidence ; rdf:subject c:alibaba-group ; rdf:predicate ci:develops ; rdf:object m:qwen ;
    prov:wasDerivedFrom a:art1 ; ci:sentence "Alibaba develops Qwen." ; ci:start 0 ; ci:end 22 ;
    ci:rule "possessive" ; ci:confidence "0.95"^^xsd:decimal .
"""

# case -> (a fragment of the expected sh:message, the data)
VIOLATIONS: dict[str, tuple[str, str]] = {
    "develops with a Person subject": ("subject of ci:develops", """
        p:eddie-wu a ci:Person ; rdfs:label "Eddie Wu" ; ci:develops m:qwen .
        m:qwen a ci:AIModel ; rdfs:label "Qwen" ."""),
    "develops a Country": ("object of ci:develops", """
        c:alibaba-group a ci:Company ; rdfs:label "Alibaba Group" ; ci:develops n:china .
        n:china a ci:Country ; rdfs:label "China" ."""),
    "usesChip with a Person subject": ("subject of ci:usesChip", """
        p:eddie-wu a ci:Person ; rdfs:label "Eddie Wu" ; ci:usesChip k:h20 .
        k:h20 a ci:Chip ; rdfs:label "H20" ."""),
    "imposedBy a Company": ("object of ci:imposedBy", """
        s:entity-list a ci:Sanction ; rdfs:label "Entity List" ; ci:imposedBy c:baidu .
        c:baidu a ci:Company ; rdfs:label "Baidu" ."""),
    "ceoOf a Country": ("object of ci:ceoOf", """
        p:eddie-wu a ci:Person ; rdfs:label "Eddie Wu" ; ci:ceoOf n:china .
        n:china a ci:Country ; rdfs:label "China" ."""),
    "headquarteredIn an untyped node": ("object of ci:headquarteredIn", """
        c:baidu a ci:Company ; rdfs:label "Baidu" ; ci:headquarteredIn n:china ."""),
    "entity with two labels": ("exactly one rdfs:label", """
        c:baidu a ci:Company ; rdfs:label "Baidu", "Baidu Inc" ."""),
    "entity without label": ("exactly one rdfs:label", """
        c:baidu a ci:Company ."""),
    "entity label with a language tag": ("exactly one rdfs:label", """
        c:baidu a ci:Company ; rdfs:label "Baidu"@en ."""),
    "metric without value": ("numeric ci:value", """
        c:baidu a ci:Company ; rdfs:label "Baidu" ; ci:reportsMetric x:m1 .
        x:m1 a ci:MetricObservation ; ci:metricName "revenue" ; ci:unit "CNY" ."""),
    "metric with a text value": ("numeric ci:value", """
        c:baidu a ci:Company ; rdfs:label "Baidu" ; ci:reportsMetric x:m1 .
        x:m1 a ci:MetricObservation ; ci:metricName "revenue" ; ci:value "a lot" ; ci:unit "CNY" ."""),
    "metric reported by nobody": ("ci:reportsMetric", """
        x:m1 a ci:MetricObservation ; ci:metricName "revenue" ; ci:value 5.0 ; ci:unit "CNY" ."""),
    "evidence with confidence 1.5": ("ci:confidence", """
        a:art1 a ci:Article ; ci:articleId "x" .
        e:ev1 a ci:Evidence ; rdf:subject c:baidu ; rdf:predicate ci:develops ; rdf:object m:ernie-bot ;
            prov:wasDerivedFrom a:art1 ; ci:sentence "Baidu's Ernie Bot." ; ci:start 0 ; ci:end 18 ;
            ci:rule "possessive" ; ci:confidence "1.5"^^xsd:decimal ."""),
    "evidence without article": ("prov:wasDerivedFrom", """
        e:ev1 a ci:Evidence ; rdf:subject c:baidu ; rdf:predicate ci:develops ; rdf:object m:ernie-bot ;
            ci:sentence "Baidu's Ernie Bot." ; ci:start 0 ; ci:end 18 ;
            ci:rule "possessive" ; ci:confidence "0.9"^^xsd:decimal ."""),
    "evidence with start after end": ("ci:start", """
        a:art1 a ci:Article ; ci:articleId "x" .
        e:ev1 a ci:Evidence ; rdf:subject c:baidu ; rdf:predicate ci:develops ; rdf:object m:ernie-bot ;
            prov:wasDerivedFrom a:art1 ; ci:sentence "Baidu's Ernie Bot." ; ci:start 30 ; ci:end 18 ;
            ci:rule "possessive" ; ci:confidence "0.9"^^xsd:decimal ."""),
    "article without id": ("ci:articleId", """
        a:art1 a ci:Article ; schema:headline "No id" ."""),
}


def _validate(data: str, shapes: rdflib.Graph, ontology: rdflib.Graph) -> tuple[bool, str]:
    g = rdflib.Graph().parse(data=data, format="turtle")
    conforms, _, text = validate(g, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                 allow_warnings=True)
    return bool(conforms), text


def test_shapes_declare_a_shape_for_every_relation(shapes: rdflib.Graph) -> None:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targeted = {str(o)[len(NS):] for o in shapes.objects(None, sh.targetSubjectsOf)}
    assert set(RELATIONS) <= targeted


def test_conforming_graph_conforms(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    conforms, text = _validate(CONFORMING, shapes, ontology)
    assert conforms, text


def test_kb_conforms(kb: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    conforms, _, text = validate(kb, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                 allow_warnings=False)
    assert conforms, text


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_violating_graph_does_not_conform(shapes: rdflib.Graph, ontology: rdflib.Graph, case: str) -> None:
    expected, data = VIOLATIONS[case]
    conforms, text = _validate(_PREFIXES + data, shapes, ontology)
    assert not conforms, f"{case}: expected a violation\n{text}"
    assert expected in text, f"{case}: expected a violation about {expected!r}\n{text}"
