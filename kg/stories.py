"""Stories: near-duplicate articles (a wire story in five outlets, lightly edited) grouped so that they count once.

Each article's body is cut into word shingles (``SHINGLE`` consecutive words, case and punctuation folded) and
summarised by a MinHash signature (``datasketch``, ``NUM_PERM`` permutations): the share of signature slots two
articles agree on estimates the Jaccard similarity of their shingle sets. A MinHash LSH index over the stored
signatures finds, for a new article, the stored ones likely above the threshold without comparing it with every
article; the candidates are then checked by their estimated similarity. The headline is left out: a copy under
another headline is still the same story.

An article above the threshold with a stored one joins that article's story (the most similar one, when
several are); otherwise it starts a story of its own. A story is never split or merged later (a leader
clustering: one pass, in ingest order), so each article's story is a fact written once, into its own graph:
``<article> ci:story <story>``, with ``ci:nearDuplicateOf`` the article it matched and ``ci:similarity`` the
estimate. The signature is kept too (``ci:minhash``, base64 of 128 unsigned 32-bit integers, about 700 bytes)
so that the next ingest can compare new articles with it; it goes when the article goes.

Why not a transitive closure: an article C similar to both A and B (which were not similar to each other) would
merge two stories already counted apart, and every count that used them would move. Syndicated copies are
similar to the original, which comes first, so one pass finds them.

The threshold (``DEFAULT_THRESHOLD``, ``$KG_DUPLICATE_THRESHOLD`` or ``threshold=``) was measured on a set of
rewrites of the evaluation articles: ``python -m benchmarks.duplicates`` (README, Near duplicates).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ingest.model import InputError, env_number
from ontology import NS

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch's hash scheme: 32-bit values, as stored (see ``encode``)
SHINGLE = 3  # words per shingle
MIN_WORDS = 25  # a body shorter than this (a brief, a caption) is its own story: too little text to compare
DEFAULT_THRESHOLD = 0.27  # measured: benchmarks/duplicates.py (README, Near duplicates)
THRESHOLD_ENV = "KG_DUPLICATE_THRESHOLD"
STORY = "https://cikg.dev/story/"
LSH_LIMIT = 0.9

_WORD = re.compile(r"\w+")
STORY_OF = ox.NamedNode(NS + "story")
_DUPLICATE_OF = ox.NamedNode(NS + "nearDuplicateOf")
_SIMILARITY = ox.NamedNode(NS + "similarity")
_MINHASH = ox.NamedNode(NS + "minhash")
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def threshold(value: float | None = None) -> float:
    """The similarity above which two articles are one story: ``value``, else ``$KG_DUPLICATE_THRESHOLD``, else
    ``DEFAULT_THRESHOLD``; outside (0, 1] it is an error naming where it came from."""
    if value is None:
        return env_number(THRESHOLD_ENV, DEFAULT_THRESHOLD, lambda v: 0 < v <= 1, "a number above 0 and at most 1")
    if not 0 < value <= 1:
        raise InputError(f"the duplicate threshold (--duplicate-threshold, duplicate_threshold=) must be above 0 and "
                         f"at most 1, not {value!r}")
    return float(value)


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded and in Unicode normal form (punctuation and spacing dropped)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The set of ``size``-word shingles of ``text`` (empty when it has fewer than ``MIN_WORDS`` words)."""
    w = words(text)
    if len(w) < MIN_WORDS:
        return set()
    return {" ".join(w[i:i + size]).encode("utf-8") for i in range(len(w) - size + 1)}


def signature(text: str, size: int = SHINGLE) -> LeanMinHash | None:
    """The MinHash signature of an article's body; None when it is too short to compare."""
    from datasketch import LeanMinHash, MinHash

    grams = shingles(text, size)
    if not grams:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    m.update_batch(grams)  # a set: the minimum of each slot does not depend on the order
    return LeanMinHash(m)


@cache
def _permutations() -> object:
    """The permutations of ``SEED`` (datasketch draws them again for every MinHash: a fifth of the cost)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def encode(sig: LeanMinHash) -> str:
    """A signature as text: base64 of its values as little-endian unsigned 32-bit integers."""
    import numpy as np

    return base64.b64encode(np.asarray(sig.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def decode(text: str) -> LeanMinHash | None:
    """The signature ``encode`` wrote; None when the text is not one (another version's, or damaged)."""
    import numpy as np
    from datasketch import LeanMinHash

    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != 4 * NUM_PERM:
        return None
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(raw, dtype="<u4").astype(np.uint64), scheme=SCHEME)


def new_story(graph: str, version: str) -> str:
    """The IRI of a story an article starts (its graph and version: a rewritten singleton starts another)."""
    return STORY + hashlib.sha1(f"{graph}\x1f{version}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Assignment:
    """The story of one article, and the stored article it matched (None when it starts the story)."""

    story: str
    duplicate_of: str | None = None  # article graph
    similarity: float | None = None


class StoryIndex:
    """The stories and signatures of stored articles, with a MinHash LSH index over the signatures."""

    def __init__(self, limit: float | None = None) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold(limit)
        self.story: dict[str, str] = {}  # article graph -> story IRI
        self.signatures: dict[str, LeanMinHash] = {}
        # datasketch needs two bands or more (no index at thresholds above about 0.95): the index finds candidates
        # at up to LSH_LIMIT, and ``match`` checks each against the threshold itself
        self._lsh: MinHashLSH = MinHashLSH(threshold=min(self.threshold, LSH_LIMIT), num_perm=NUM_PERM)

    def add(self, graph: str, story: str, sig: LeanMinHash | None) -> None:
        """Record a stored article (replacing what was recorded of it)."""
        self.remove(graph)
        self.story[graph] = story
        if sig is not None:
            self.signatures[graph] = sig
            self._lsh.insert(graph, sig)

    def remove(self, graph: str) -> None:
        self.story.pop(graph, None)
        if self.signatures.pop(graph, None) is not None:
            self._lsh.remove(graph)

    def match(self, sig: LeanMinHash | None, exclude: Iterable[str] = ()) -> tuple[str, float] | None:
        """The stored article most similar to ``sig`` at or above the threshold (graph, similarity), if any."""
        if sig is None:
            return None
        skip = set(exclude)
        best: tuple[float, str] | None = None
        for graph in self._lsh.query(sig):
            if graph in skip:
                continue
            similarity = float(sig.jaccard(self.signatures[graph]))
            if similarity >= self.threshold and (best is None or (similarity, graph) > best):
                best = (similarity, graph)
        return (best[1], best[0]) if best else None

    def assign(self, graph: str, version: str, sig: LeanMinHash | None) -> Assignment:
        """The story of an article about to be stored (a new version of a stored one is compared with the
        others only), and record it."""
        found = self.match(sig, exclude=[graph])
        if found is None:
            previous = self.story.get(graph)
            # a new version that matches nothing keeps the story it started, if no other article joined it
            shared = previous is not None and any(s == previous for g, s in self.story.items() if g != graph)
            result = Assignment(previous if previous and not shared else new_story(graph, version))
        else:
            other, similarity = found
            result = Assignment(self.story[other], other, round(similarity, 4))
        self.add(graph, result.story, sig)
        return result

    def stories(self) -> dict[str, list[str]]:
        """Story IRI -> its articles' graphs."""
        out: dict[str, list[str]] = {}
        for graph, story in sorted(self.story.items()):
            out.setdefault(story, []).append(graph)
        return out


def quads(graph: str, assignment: Assignment, sig: LeanMinHash | None) -> list[ox.Quad]:
    """What an article's graph records of its story: ``ci:story``, the article it matched
    (``ci:nearDuplicateOf``, ``ci:similarity``) and its signature (``ci:minhash``) for later ingests."""
    g = ox.NamedNode(graph)
    out = [ox.Quad(g, STORY_OF, ox.NamedNode(assignment.story), g)]
    if assignment.duplicate_of is not None:
        out.append(ox.Quad(g, _DUPLICATE_OF, ox.NamedNode(assignment.duplicate_of), g))
        out.append(ox.Quad(g, _SIMILARITY, ox.Literal(f"{assignment.similarity:.4f}", datatype=_DECIMAL), g))
    if sig is not None:
        out.append(ox.Quad(g, _MINHASH, ox.Literal(encode(sig)), g))
    return out


_STORED = f"""SELECT ?g ?story ?sig WHERE {{ GRAPH ?g {{ ?g <{STORY_OF.value}> ?story
  OPTIONAL {{ ?g <{_MINHASH.value}> ?sig }} }} }}"""


def load_index(store: ox.Store, limit: float | None = None) -> StoryIndex:
    """The story index of the articles stored in ``store`` (an article stored before stories were kept has none:
    it counts as a story of its own, and no new article can join it until it is ingested again)."""
    index = StoryIndex(limit)
    result = store.query(_STORED)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        g, story, sig = row["g"], row["story"], row["sig"]
        if g is None or story is None:
            continue
        index.add(g.value, story.value, decode(sig.value) if sig is not None else None)
    return index


def story_of(store: ox.Store, graph: ox.NamedNode) -> str:
    """The story an article graph belongs to: its ``ci:story``, else (stored without one) the article itself."""
    for q in store.quads_for_pattern(graph, STORY_OF, None, graph):
        if isinstance(q.object, ox.NamedNode):
            return q.object.value
    return graph.value


def count_stories(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> int:
    """How many distinct stories these article graphs belong to (``kg.summary.count_sources``)."""
    return len({story_of(store, g) for g in graphs})
