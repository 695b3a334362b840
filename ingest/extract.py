"""Extraction: one Article in, its mentions, relations and metrics out (no store, no I/O).

The headline is read as the article's first sentence: it states facts ("China's Tencent ...") and names what
"the company" of the first paragraph is. Facts from the headline carry the headline as their sentence and the
empty span 0-0. Sentences that name two or more entities are parsed (``ingest.syntax``) and read by the
lexicon's frames (``ingest.frames``); every sentence is also read by the word-order rules
(``ingest.relations``) and for metrics (``ingest.metrics``).
"""

from __future__ import annotations

from dataclasses import replace

from ingest.coref import resolve
from ingest.frames import Pending, Prepared, frame_facts, possessors_by_parse, prepare, subject_apposition
from ingest.kb import KnowledgeBase, default_kb, vocabulary
from ingest.mentions import find_mentions
from ingest.metrics import extract_metrics, paragraph_lead
from ingest.model import Article, Evidence, Extraction, Fact, Mention, Metric, env_number
from ingest.periods import read as read_periods
from ingest.relations import listed_after, surface_facts, unit_names
from ingest.sentences import Sentence, split_sentences

MAX_SENTENCE = 600  # characters of one sentence given to the parser and the rules (longer ones are cut)
# Characters of one article read for facts (``KG_MAX_ARTICLE_KB`` to change): extraction is linear in the text,
# about 25 ms per KB, so a 50 MB one-line record would take twenty minutes; news articles are under 100 KB.
MAX_ARTICLE_KB = 1024


def _parser() -> object:
    from ingest import syntax

    return syntax.parser()


def _headline(title: str, text: str, kb: KnowledgeBase) -> str:
    """The title as a sentence: Title Case words the lexicon knows are lowered ("Chinese AI Chipmaker
    Cambricon Posts Record Profit" -> "Chinese AI chipmaker Cambricon posts record profit")."""
    title = " ".join(title.split())
    if not title or text.lstrip().startswith(title):
        return ""
    words = title.split()
    caps = sum(1 for w in words if w[:1].isupper())
    if caps < 0.6 * len(words):
        return title
    lex = kb.lexicon
    out = []
    for w in words:
        core = w.strip(".,:;'\"‘’“”")
        low = core.lower()
        if core and core not in kb.surface and core not in kb.demonyms and (
                low in lex.kind_of_noun or low in lex.verbs or low in lex.nouns or low in lex.ceo_titles
                or low in ("in", "on", "to", "for", "with", "from", "by", "as", "of", "and", "its", "after", "over",
                           "amid", "into", "says", "said")):
            w = w.replace(core, low)
        out.append(w)
    return " ".join(out)


def extract(article: Article, kb: KnowledgeBase | None = None, *, parse: bool = True,
            trace: list[dict[str, object]] | None = None) -> Extraction:
    """Find what ``article`` states: entity mentions, relation facts and company metrics.

    ``parse=False`` skips the dependency parse (word-order rules only). ``trace``, when given, collects per
    sentence the mentions seen and every frame that fired or was blocked, for ``kg extract --trace``.
    """
    kb = kb or default_kb()
    warnings: list[str] = []
    body_text = article.text
    limit = int(env_number("KG_MAX_ARTICLE_KB", MAX_ARTICLE_KB, lambda v: v > 0, "a positive number of KB") * 1024)
    if len(body_text) > limit:
        cut = body_text.rfind(" ", 0, limit)
        body_text = body_text[: cut if cut > limit // 2 else limit]
        warnings.append(f"text cut to its first {limit // 1024} KB for extraction ({len(article.text) // 1024} KB "
                        f"in all; KG_MAX_ARTICLE_KB to change)")
    head = _headline(article.title, body_text, kb)
    offset = len(head) + 2 if head else 0
    text = (head + "\n\n" + body_text) if head else body_text
    sentences = [part for s in split_sentences(text) for part in _pieces(s)]
    mentions = find_mentions(text, kb)
    corefs = resolve(sentences, mentions, text, kb)
    every = sorted(mentions + corefs, key=lambda m: (m.start, -m.end))
    per_sentence: list[list[Mention]] = []
    pos = 0
    for sentence in sentences:
        here = []
        while pos < len(every) and every[pos].start < sentence.end:
            if every[pos].start >= sentence.start and every[pos].end <= sentence.end:
                here.append(every[pos])
            pos += 1
        per_sentence.append(here)
    facts: list[Fact] = []
    metrics: list[Metric] = []
    parsed = _parse(sentences, per_sentence, kb.lexicon.list_openers,
                    frozenset(f for f in kb.lexicon.verbs if "-" in f),
                    frozenset(n for kind in ("Chip", "AIModel") for n in kb.lexicon.kind_words(kind)
                              if " " in n), frozenset(kb.lexicon.verbs)) if parse else {}
    named: dict[str, int] = {}  # company -> times named so far: the article's topic is the most named
    named_in_article = {m.entity.iri for m in mentions if m.rule not in ("coref", "demonym")}
    recent_sanction: Mention | None = None  # the restriction named in the sentence before
    counted: list[Pending] = []  # roles the sentence before filled only with a count ("140 entities")
    latest: dict[str, Mention] = {}
    lead: Mention | None = None  # the company a paragraph opens with: whose figures a roundup's paragraph gives
    for i, sentence in enumerate(sentences):
        here = per_sentence[i]
        opens = i == 0 or "\n\n" in text[sentences[i - 1].end: sentence.start]
        if i in parsed:  # possessive pronouns: the parse knows whose they are better than word order
            fixed = possessors_by_parse(parsed[i])
            if fixed:
                here = [replace(m, entity=fixed[m.start].entity) if m.start in fixed and m.rule == "coref" else m
                        for m in here]
                parsed[i].spans = [(a, b, [replace(m, entity=fixed[m.start].entity) if m.start in fixed and
                                           m.rule == "coref" else m for m in g]) for a, b, g in parsed[i].spans]
        step: dict[str, object] | None = None
        if trace is not None:
            step = {"sentence": sentence.text,
                    "start": sentence.start - offset if sentence.start >= offset else "headline",
                    "mentions": [{"text": m.text, "entity": m.entity.label, "type": m.entity.type, "rule": m.rule}
                                 for m in here], "frames": []}
            trace.append(step)
        for m in here:
            if m.entity.type == "Company" and m.rule not in ("demonym", "alias-prefix"):
                named[m.entity.iri] = named.get(m.entity.iri, 0) + 1
                latest[m.entity.iri] = m
        topic = latest[max(named, key=lambda iri: (named[iri], latest[iri].start))] if named else None
        found = surface_facts(sentence, here, text, article.id, kb)
        found += listed_after(sentence, here, counted, article.id, kb.lexicon)
        found += unit_names(sentence, here, article.id, kb, named_in_article)
        if any(m.rule != "demonym" for m in here):  # "... added the 140 entities to the Entity List. Most are
            counted = []  # Chinese. They include ...": a sentence naming nothing keeps the count open
        if i in parsed:
            frames: list[dict[str, object]] | None = step["frames"] if step is not None else None  # type: ignore[assignment]
            found += frame_facts(parsed[i], article.id, kb.lexicon, frames, recent_sanction, topic, counted)
            alt = parsed[i].alt
            if alt is not None:
                found += frame_facts(alt, article.id, kb.lexicon, frames, recent_sanction, topic, counted)
        facts += found
        if step is not None:
            step["facts"] = [{"subject": f.subject.label, "predicate": f.predicate, "object": f.object.label,
                              "rule": f.evidence.rule} for f in found]
        sanctions = [m for m in here if m.entity.type == "Sanction"]
        recent_sanction = sanctions[-1] if sanctions else None
        if opens:
            lead = paragraph_lead(sentence, here)
        metrics += _round_owners(extract_metrics(sentence, here, lead or topic, article.id, article.date,
                                                 kb.lexicon, kb), found,
                                 kb.lexicon.rounds | kb.lexicon.metric_words.valuations)
    # described restrictions are names too ("Washington's export controls"); pronouns and "the company" are not
    names = sorted(mentions + [m for m in corefs if m.rule == "description"], key=lambda m: m.start)
    body = [m for m in names if m.start >= offset]
    facts, ended = read_periods(_dedupe(facts), sentences, per_sentence, text, article.id, article.date, kb.lexicon)
    return Extraction(article, [_shift(m, offset) for m in body], [_shift_fact(f, offset, head) for f in facts],
                      [_shift_metric(m, offset, head) for m in _dedupe_metrics(metrics)], warnings,
                      [_shift_fact(f, offset, head) for f in ended])


def _pieces(sentence: Sentence) -> list[Sentence]:
    """A sentence in pieces of bounded length: rules and parser cost grows with a sentence's length, and prose
    runs to a few hundred characters; a longer "sentence" is a table or a list run together. It is cut at the
    last clause mark (";", ",") or space before the bound, so every word is still read."""
    out: list[Sentence] = []
    text, start = sentence.text, sentence.start
    while len(text) > MAX_SENTENCE:
        cut = max(text.rfind("; ", 0, MAX_SENTENCE), text.rfind(", ", 0, MAX_SENTENCE))
        if cut < MAX_SENTENCE // 2:
            cut = text.rfind(" ", 0, MAX_SENTENCE)
        if cut < MAX_SENTENCE // 2:
            cut = MAX_SENTENCE
        piece = text[:cut + 1].rstrip()
        out.append(Sentence(piece, start, start + len(piece), sentence.index))
        rest = text[cut + 1:]
        skip = len(rest) - len(rest.lstrip())
        start += cut + 1 + skip
        text = rest.lstrip()
    if text:
        out.append(Sentence(text, start, start + len(text), sentence.index))
    return out


def _parse(sentences: list[Sentence], per_sentence: list[list[Mention]], openers: tuple[str, ...] = (),
           hyphenated: frozenset[str] = frozenset(), compounds: frozenset[str] = frozenset(),
           verbs: frozenset[str] = frozenset()) -> dict[int, Prepared]:
    """Parse the sentences that name two or more entities, in one batch; and a sentence naming one before a
    sentence that opens with a list ("Tencent backed five start-ups. They include ...")."""
    def lists_next(i: int) -> bool:
        if not per_sentence[i]:
            return False
        for j in (i + 1, i + 2):  # the list may come after a sentence that names nothing
            if j >= len(sentences):
                return False
            low = sentences[j].text.lstrip(" \"“-—*").lower()
            if any(low.startswith(o) for o in openers):
                return True
            if any(m.rule != "demonym" for m in per_sentence[j]):
                return False
        return False

    todo = [i for i, ms in enumerate(per_sentence) if len({m.entity.iri for m in ms}) >= 2 or lists_next(i)]
    if not todo:
        return {}
    nlp = _parser()
    prepared = [prepare(nlp, sentences[i], per_sentence[i], joined=hyphenated, compounds=compounds,
                        verbs=verbs) for i in todo]
    # a second parse without a long subject apposition, whose frames are read too (``Prepared.alt``)
    alts = []
    for i, p in zip(todo, prepared, strict=True):
        span = subject_apposition(sentences[i], per_sentence[i])
        if span is not None:
            p.alt = prepare(nlp, sentences[i], per_sentence[i], blank=span, joined=hyphenated, compounds=compounds,
                        verbs=verbs)
            alts.append(p.alt)
    every = prepared + alts
    for p, doc in zip(every, nlp.pipe([p.doc for p in every], batch_size=64), strict=True):  # type: ignore[attr-defined]
        p.doc = doc
    return dict(zip(todo, prepared, strict=True))


def _shift(m: Mention, offset: int) -> Mention:
    return replace(m, start=m.start - offset, end=m.end - offset) if offset else m


def _shift_evidence(ev: Evidence, offset: int, head: str) -> Evidence:
    if not offset:
        return ev
    if ev.start < offset:  # the headline: its own sentence, the empty span 0-0
        return replace(ev, start=0, end=0, sentence=head)
    return replace(ev, start=ev.start - offset, end=ev.end - offset)


def _shift_fact(f: Fact, offset: int, head: str) -> Fact:
    return replace(f, evidence=_shift_evidence(f.evidence, offset, head)) if offset else f


def _shift_metric(m: Metric, offset: int, head: str) -> Metric:
    return replace(m, evidence=_shift_evidence(m.evidence, offset, head)) if offset else m


def _round_owners(metrics: list[Metric], facts: list[Fact], rounds: frozenset[str]) -> list[Metric]:
    """A funding round's size is the funded company's figure: "Tencent led X's $300 million round" gives X's
    round, although the sentence's subject is its investor (whose fact the frames found)."""
    out = []
    for m in metrics:
        funded = {f.object.iri: f.object for f in facts if f.predicate == "investsIn" and
                  f.subject.iri == m.company.iri}
        if len(funded) == 1 and m.name.lower() in rounds:
            m = replace(m, company=next(iter(funded.values())))
        out.append(m)
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (subject, predicate, object, sentence): the most confident rule wins.

    Symmetric predicates are kept in one direction per sentence.
    """
    symmetric = vocabulary().symmetric
    best: dict[tuple[str, str, str, int], Fact] = {}
    for f in facts:
        s, o = f.subject.iri, f.object.iri
        if f.predicate in symmetric and s > o:
            s, o = o, s
        key = (s, f.predicate, o, f.evidence.start)
        if key not in best or f.evidence.confidence > best[key].evidence.confidence:
            best[key] = f
    return list(best.values())


def _dedupe_metrics(metrics: list[Metric]) -> list[Metric]:
    seen: dict[tuple[str, str, float, str, str | None, int], Metric] = {}
    for m in metrics:
        seen.setdefault((m.company.iri, m.name, m.value, m.unit, m.period, m.evidence.start), m)
    return list(seen.values())

