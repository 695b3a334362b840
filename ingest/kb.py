"""The curated knowledge base, read from the ontology's Turtle files into a lookup table.

Extraction needs fast surface-form lookups (alias -> entities) and the nationality words of countries;
both come from ``ontology/kb/*.ttl`` so that knowledge about entities lives in data, not code.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ingest.lexicon import Lexicon, default_lexicon, extra_lexicon_paths, load_lexicon
from ingest.model import Entity
from ontology import ID, NS, ONTOLOGY_FILE, kb_files

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
TICKER = NS + "ticker"
DEMONYM = NS + "demonym"
METONYM = NS + "metonym"

_TOKEN = re.compile(r"\w+|[^\w\s]")

ENTITY_TYPES = (
    "Company", "GovernmentBody", "Country", "Person", "AIModel", "Chip", "Product", "Sanction",
)


def slug(text: str) -> str:
    """Lower-case ASCII slug: runs of anything but letters and digits become one '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not s:  # a name in another script only: keep it stable with a hash
        import hashlib

        s = "u" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return s


def entity_iri(type_: str, label: str) -> str:
    """Deterministic IRI of an entity: two articles naming the same new entity meet on one node."""
    return f"{ID}{type_.lower()}/{slug(label)}"


@dataclass
class KnowledgeBase:
    """Known entities with every surface form that names them."""

    entities: dict[str, Entity] = field(default_factory=dict)  # iri -> entity
    surface: dict[str, list[Entity]] = field(default_factory=dict)  # exact surface form -> entities
    demonyms: dict[str, Entity] = field(default_factory=dict)  # "Chinese" -> China
    metonyms: dict[str, Entity] = field(default_factory=dict)  # "Washington" -> United States (its government)
    tickers: dict[str, Entity] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)  # iri -> Wikidata IRI
    first_tokens: dict[str, int] = field(default_factory=dict)  # first token of a form -> longest form's tokens
    folded: dict[str, list[Entity]] = field(default_factory=dict)  # lower-cased multi-word forms -> entities
    lexicon: Lexicon = field(default_factory=default_lexicon)  # the words extraction reads (ontology/lexicon.yaml)

    def add_surface(self, form: str, entity: Entity) -> None:
        form = form.strip()
        if not form:
            return
        bucket = self.surface.setdefault(form, [])
        if entity not in bucket:
            bucket.append(entity)

    def index(self) -> None:
        """Rebuild the first-token index that makes alias matching a dictionary lookup per token."""
        self.first_tokens = {}
        self.folded = {}
        for form in [*self.surface, *self.demonyms]:
            toks = _TOKEN.findall(form)
            if toks:
                self.first_tokens[toks[0]] = max(self.first_tokens.get(toks[0], 0), len(toks))
            if len(toks) > 1 and form in self.surface:
                # "1260H list" for "1260H List": multi-word names also match whatever their case
                self.folded.setdefault(form.lower(), self.surface[form])
                first = toks[0].lower()
                self.first_tokens.setdefault(first, 0)
                self.first_tokens[first] = max(self.first_tokens[first], len(toks))
                if toks[0][:1].isalpha():
                    cap = toks[0][:1].upper() + toks[0][1:].lower()
                    self.first_tokens[cap] = max(self.first_tokens.get(cap, 0), len(toks))

    def by_label(self, label: str) -> Entity | None:
        """The entity whose canonical label or alias is ``label`` (first one if ambiguous)."""
        found = self.surface.get(label)
        return found[0] if found else None


def load_kb(paths: list[Path] | None = None, extra: Sequence[str | os.PathLike[str]] = ()) -> KnowledgeBase:
    """Parse the knowledge-base Turtle files into a :class:`KnowledgeBase`, with the lexicon.

    ``extra`` are analysts' lexicon files (YAML, the layout of ``ontology/lexicon.yaml``): their phrasings
    are merged into the lexicon and their ``entities`` (label, type, aliases, tickers) join the knowledge
    base as known entities.
    """
    paths = kb_files() if paths is None else paths
    lexicon = load_lexicon(extra) if extra else default_lexicon()
    types: dict[str, str] = {}
    labels: dict[str, str] = {}
    alts: dict[str, list[str]] = {}
    tickers: dict[str, list[str]] = {}
    demonyms: dict[str, list[str]] = {}
    metonyms: dict[str, list[str]] = {}
    wikidata: dict[str, str] = {}
    for path in paths:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            s, p, o = q.subject, q.predicate.value, q.object
            if not isinstance(s, ox.NamedNode):
                continue
            iri = s.value
            if p == RDF_TYPE and o.value.startswith(NS) and o.value[len(NS):] in ENTITY_TYPES:
                types[iri] = o.value[len(NS):]
            elif p == RDFS_LABEL:
                labels[iri] = o.value
            elif p == SKOS_ALT:
                alts.setdefault(iri, []).append(o.value)
            elif p == TICKER:
                tickers.setdefault(iri, []).append(o.value)
            elif p == DEMONYM:
                demonyms.setdefault(iri, []).append(o.value)
            elif p == METONYM:
                metonyms.setdefault(iri, []).append(o.value)
            elif p == SKOS_MATCH and "wikidata.org" in o.value:
                wikidata[iri] = o.value
    for item in lexicon.entities:  # analysts' own entities, from their lexicon files
        iri = entity_iri(str(item["type"]), str(item["label"]))
        types[iri], labels[iri] = str(item["type"]), str(item["label"])
        alts.setdefault(iri, []).extend(item["aliases"])  # type: ignore[arg-type]
        tickers.setdefault(iri, []).extend(item["tickers"])  # type: ignore[arg-type]
    kb = KnowledgeBase(wikidata=wikidata, lexicon=lexicon)
    for iri, type_ in types.items():
        label = labels.get(iri)
        if label is None:
            continue
        aliases = tuple(dict.fromkeys(alts.get(iri, []) + tickers.get(iri, [])))
        entity = Entity(iri=iri, label=label, type=type_, aliases=aliases, known=True)
        kb.entities[iri] = entity
        for form in (label, *aliases):
            kb.add_surface(form, entity)
        for t in tickers.get(iri, []):
            kb.tickers[t] = entity
        for d in demonyms.get(iri, []):
            kb.demonyms[d] = entity
        for form in metonyms.get(iri, []):
            kb.metonyms[form] = entity
            kb.add_surface(form, entity)
    kb.index()
    return kb


def workspace_lexicons(workspace: str | os.PathLike[str] | None) -> list[Path]:
    """The analysts' lexicon kept in a workspace (``WORKSPACE/lexicon.yaml``), if there is one."""
    if workspace is None:
        return []
    path = Path(workspace) / "lexicon.yaml"
    return [path] if path.is_file() else []


@lru_cache(maxsize=8)
def _kb_for(files: tuple[tuple[str, float], ...]) -> KnowledgeBase:
    return load_kb(extra=[f for f, _ in files])


def kb_for(extra: Sequence[str | os.PathLike[str]] = ()) -> KnowledgeBase:
    """The knowledge base with the analysts' lexicon files ``extra`` (and ``$KG_LEXICON``) merged; parsed once
    per set of files and their modification times."""
    paths = [*extra_lexicon_paths(), *map(Path, extra)]
    if not paths:
        return default_kb()
    files = []
    for p in paths:
        try:
            files.append((str(p), p.stat().st_mtime))
        except OSError:
            files.append((str(p), -1.0))  # load_kb names the missing file
    return _kb_for(tuple(files))


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The shipped knowledge base with the lexicon and the analysts' files named by ``$KG_LEXICON``, parsed
    once per process."""
    return load_kb(extra=extra_lexicon_paths())


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology declares: node classes, relations between entities, the symmetric ones, and each
    relation's domain and range (the classes its subject and object may be).

    Extraction, evaluation, projection and provenance all read these names here, never from lists in code.
    """

    classes: frozenset[str]
    relations: frozenset[str]
    symmetric: frozenset[str]
    domain: dict[str, tuple[str, ...]] = field(default_factory=dict)
    range: dict[str, tuple[str, ...]] = field(default_factory=dict)


RDFS_DOMAIN = "http://www.w3.org/2000/01/rdf-schema#domain"
RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _classes_of(term: object, triples: dict[object, dict[str, list[object]]]) -> tuple[str, ...]:
    """A named class, or the members of an ``owl:unionOf`` list, as local names."""
    if isinstance(term, ox.NamedNode):
        return (term.value[len(NS):],) if term.value.startswith(NS) else ()
    union = triples.get(term, {}).get(OWL + "unionOf", [])
    out: list[str] = []
    node = union[0] if union else None
    while node is not None and not (isinstance(node, ox.NamedNode) and node.value == _RDF + "nil"):
        first = triples.get(node, {}).get(_RDF + "first", [])
        out.extend(_classes_of(first[0], triples) if first else ())
        rest = triples.get(node, {}).get(_RDF + "rest", [])
        node = rest[0] if rest else None
    return tuple(out)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    classes, relations, symmetric = set(), set(), set()
    triples: dict[object, dict[str, list[object]]] = {}
    for q in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        s, p, o = q.subject, q.predicate.value, q.object
        triples.setdefault(s, {}).setdefault(p, []).append(o)
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(NS) or p != RDF_TYPE:
            continue
        local = s.value[len(NS):]
        if o.value == OWL + "Class":
            classes.add(local)
        elif o.value == OWL + "ObjectProperty":
            relations.add(local)
        elif o.value == OWL + "SymmetricProperty":
            symmetric.add(local)
    relations -= {"mentions"}
    domain, range_ = {}, {}
    for r in relations:
        props = triples.get(ox.NamedNode(NS + r), {})
        domain[r] = tuple(c for t in props.get(RDFS_DOMAIN, []) for c in _classes_of(t, triples))
        range_[r] = tuple(c for t in props.get(RDFS_RANGE, []) for c in _classes_of(t, triples))
    return Vocabulary(frozenset(classes), frozenset(relations), frozenset(symmetric), domain, range_)
