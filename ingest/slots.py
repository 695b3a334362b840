"""Names typed by the slot they fill: "Quillmark competes with Baidu" makes Quillmark a company.

A capitalised name nobody has typed yet (not in the knowledge base, no kind noun or legal suffix beside it)
often sits where a relation word of the lexicon expects an argument: the subject of "competes with", the
object of "invested in", the owner of "'s rivals", the company before a title ("Quillmark chief executive
Mara Ellison"), the subject of "is based in" or of a sentence reporting revenue. The lexicon's frame says
which role that slot is; the ontology's domain and range (``rdfs:domain``/``rdfs:range``) say which kinds
the role takes. Where the range allows several kinds ("develops" takes a model, a chip or a product), the
name's shape and the kind nouns near it decide: "Heron-2 ... chips" is a chip, "Heron-2 ... model" a model.

The scan runs on tokens, with every mention already found folded into one name token, so it does not
depend on the parse (the parse of an unknown word is least reliable exactly here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.kb import KnowledgeBase, entity_iri, vocabulary
from ingest.lexicon import Lexicon, common_words
from ingest.model import Entity, Mention
from ingest.spans import SpanSet

SLOT_CONFIDENCE = 0.55
_TOKEN = re.compile(r"[\w’'.&-]*\w|[^\w\s]")
_BE = {"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "gotten", "'s", "’s"}
_AUX = {"has", "have", "had", "will", "would", "could", "can", "should", "must", "did", "does", "do", "also",
        "now", "already", "still", "just", "first", "then", "since", "long", "recently", "reportedly", "quietly",
        "jointly", "publicly", "officially", "formally", "further", "again", "never", "not", "n't"}
_DETS = {"the", "a", "an", "another", "its", "their", "his", "her", "this", "that", "these", "those", "some", "more",
         "many",
         "several", "two", "three", "four", "new", "own", "latest", "first", "next", "all", "both", "each"}
_LIST = {",", "and", "or", "&"}
_PRODUCT_KINDS = ("AIModel", "Chip", "Product")
_SLOT_KINDS = ("Company", "Person") + _PRODUCT_KINDS
_AMOUNT = re.compile(r"\d[\d.,]*\s?(?:bn|mn|m|k|tn|trn|b|gw|mw|kw|nm|gb|tb|pb|ghz|mhz|x|pc|pct)", re.I)
_SENTENCE_END = re.compile(r"(?:^|[.!?][\"”’')\]]*\s+|\n\s*|[:;]\s+[\"“]?)$")
_PERSON = re.compile(r"(?:[A-Z]\.\s?)?[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?){1,2}")
_NAME_WORD = (r"(?:[A-Z][\w]*(?:[-.&](?![a-z]+(?:ed|made|built|run|grown)\b(?!\s+[A-Z]))[\w]+)*"
              r"|\d+[A-Za-z][\w]*(?:[-.]\w+)*|[a-z][A-Z]\w*(?:-\w+)*|[a-z]+\d\w*(?:[-.]\w+)*)")
_CANDIDATE = re.compile(rf"(?<![\w.-]){_NAME_WORD}(?:\s+(?:{_NAME_WORD}|\d[\w.]*(?<!\.))){{0,3}}(?!\w|-(?![a-z]))")


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    kind: str | None = None  # a name token: the mention's kind, or "?" for a candidate
    candidate: int = -1  # index into the candidates


@dataclass
class _Candidate:
    name: str
    start: int
    end: int
    kinds: set[str]
    votes: list[str]
    tok: int = -1


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 6): start]))


def _candidates(text: str, taken: SpanSet, lex: Lexicon, kb: KnowledgeBase) -> list[_Candidate]:
    """Capitalised names that no mention covers, without their leading non-name words ("The", "In")."""
    common = common_words()
    out = []
    for m in _CANDIDATE.finditer(text):
        words = m.group().split()
        start = m.start()
        while words and (words[0] in lex.not_names or words[0] in kb.demonyms
                         or (_is_sentence_start(text, start) and words[0].lower() in common
                             and len(words) > 1 and words[1][0].isupper() and words[1].lower() in common)):
            start = text.index(words[0], start) + len(words[0])
            start += len(text[start:]) - len(text[start:].lstrip())
            words = words[1:]
        while words and (words[-1] in lex.not_names or words[-1].lower() in lex.kind_of_noun):
            words = words[:-1]
        if not words:
            continue
        name = text[start: start + len(" ".join(words))]
        if " ".join(name.split()) != " ".join(words):
            continue  # odd spacing; leave it
        end = start + len(name)
        if taken.overlaps(start, end) or name in kb.surface or len(name) < 2 or not re.search(r"[A-Za-z]", name):
            continue
        if len(words) == 1 and name.lower() in common and (_is_sentence_start(text, start) or name.isupper()
                                                            or not name[0].isupper()):
            continue  # "Regulators said", "Demand for": an ordinary word opening a sentence
        if name.lower() in lex.metric_words.names:
            continue  # "Capex rose 20%": the metric itself
        if _AMOUNT.fullmatch(name) or text[max(0, start - 1): start] in ("$", "€", "£", "¥"):
            continue  # "$1bn", "10GW", "3nm": an amount, not a name
        if name.isupper() and len(name) <= 4 and not re.search(r"\d", name):
            continue  # "IPO", "LLM", "GPU": abbreviations of ordinary words as often as names
        if len(words) == 1 and "-" in name and all(
                part.lower() in common or part in lex.not_names for part in name.split("-")):
            continue  # "Second-quarter", "July-September", "High-performance"
        if name.endswith("s") and (name[:-1] in kb.demonyms or name[:-1] in lex.not_names):
            continue  # "Americans", "Europeans"
        if len(words) == 1 and not re.search(r"\d", name) and re.search(r"\b(?:the|a|an)\s+$", text[max(0, start - 4):
                                                                                            start]) \
                and not text.startswith("-", end):
            continue  # "the July quarter", "a Series A round": a name of a company seldom takes an article
        out.append(_Candidate(name, start, end, set(), []))
    return out


def _tokens(text: str, mentions: list[Mention], cands: list[_Candidate]) -> list[_Tok]:
    spans = sorted([(m.start, m.end, m.entity.type, -1) for m in mentions]
                   + [(c.start, c.end, "?", i) for i, c in enumerate(cands)])
    toks: list[_Tok] = []
    pos = 0
    for start, end, kind, idx in spans:
        if start < pos:
            continue
        toks.extend(_Tok(t.group(), pos + t.start(), pos + t.end()) for t in _TOKEN.finditer(text[pos:start]))
        toks.append(_Tok(text[start:end], start, end, kind, idx))
        if idx >= 0:
            cands[idx].tok = len(toks) - 1
        pos = end
    toks.extend(_Tok(t.group(), pos + t.start(), pos + t.end()) for t in _TOKEN.finditer(text[pos:]))
    return toks


def _low(toks: list[_Tok], i: int) -> str:
    return toks[i].text.lower() if 0 <= i < len(toks) and toks[i].kind is None else ""


def _is_participle(word: str, lex: Lexicon) -> bool:
    return word.endswith(("ed", "en", "wn", "un")) or word in {p for _, p in lex.irregular.values()}


class _Scan:
    """One article's tokens with the lexicon's frames: which kinds each candidate's slots call for."""

    def __init__(self, toks: list[_Tok], cands: list[_Candidate], lex: Lexicon,
                 shapes: dict[str, str] | None = None):
        self.toks, self.cands, self.lex = toks, cands, lex
        self.shapes = shapes or {}
        vocab = vocabulary()
        self.domain, self.range = vocab.domain, vocab.range

    # -- helpers
    def vote(self, c: _Candidate, kinds: Iterable[str], why: str) -> None:
        ks = [k for k in kinds if k in _SLOT_KINDS]
        if ks:
            c.kinds.update(ks)
            c.votes.append(why)

    def role_kinds(self, predicate: str, subject_role: str, object_role: str, role: str) -> tuple[str, ...]:
        """The kinds the grammatical ``role`` takes in a frame whose subject/object are these roles."""
        if role in subject_role.split("|"):
            return self.domain.get(predicate, ())
        if role in object_role.split("|"):
            return self.range.get(predicate, ())
        return ()

    def verb_at(self, j: int) -> tuple[list, int]:
        """The lexicon's verb frames whose words start at token ``j`` (with the index after the verb)."""
        word = _low(self.toks, j)
        frames = self.lex.verbs.get(word, [])
        out, after = [], j + 1
        for f in frames:
            rest = f.words[1:]
            if all(_low(self.toks, j + 1 + k) in (w, w + "s") or _low(self.toks, j + 1 + k).startswith(w)
                   for k, w in enumerate(rest)):
                out.append(f)
                after = max(after, j + 1 + len(rest))
        return out, after

    def following_prep(self, j: int, prep: str, limit: int = 5) -> bool:
        for k in range(j, min(j + limit, len(self.toks))):
            w = _low(self.toks, k)
            if w == prep:
                return True
            if w in {".", ";", "!", "?"}:
                return False
        return False

    # -- the slots
    def subject_slot(self, c: _Candidate) -> None:
        """The candidate (with any names coordinated after it) as the subject of a verb or a state."""
        toks, j = self.toks, c.tok + 1
        relative = False
        if _low(toks, j) == "," and _low(toks, j + 1) in ("which", "that") and j + 2 < len(toks) \
                and toks[j + 2].kind is not None:
            j, relative = j + 3, True  # "Heron-2, which Tidewater built": the object of the clause's verb
        elif _low(toks, j) == "," and _low(toks, j + 1) in ("which", "who"):
            j += 2  # "Orvane, which buys H20 chips": the subject of the relative clause
        while j + 1 < len(toks) and toks[j].text in _LIST and toks[j + 1].kind is not None:
            j += 2  # "Quillmark and Lenovo set up ..."
        passive = False
        if not relative and _low(toks, j) == "," and _is_participle(_low(toks, j + 1), self.lex) and \
                _low(toks, j + 2) == "by":
            j, passive = j + 1, True  # "Quillmark, led by its founder": a reduced relative
        self.title_copula(c, j)
        for _ in range(4):
            w = _low(toks, j)
            if w in _BE:
                passive = True
            elif not (w in _AUX or (w.endswith("ly") and len(w) > 3 and w not in self.lex.verbs)):
                break
            j += 1
        word = _low(toks, j)
        if passive and word in {"subject", "based", "headquartered", "listed", "sanctioned", "blacklisted"}:
            pass  # states and passive verbs both below
        for st in self.lex.states:
            if passive and word == st.word and (st.object == "self" or _low(toks, j + 1) == st.object):
                self.vote(c, self.domain.get(st.predicate, ()), f"state:{st.word}")
        if word and re.fullmatch(r"[a-z][\w-]*", word) and not passive:
            self.event_noun(c, j + 1)  # "Quillmark struck a partnership with Lenovo"
        frames, after = self.verb_at(j)
        passive = passive and _is_participle(word, self.lex)
        for f in frames:
            if f.voice and f.voice != ("passive" if passive else "active"):
                continue
            grammatical = "theme" if passive or relative else "agent"
            if relative and passive:
                continue
            if not passive and f.subject == "theme" and f.object not in ("agent", "theme"):
                grammatical = "theme"  # "Heron-2 runs on ...": an intransitive reading
            for role in (f.subject, f.object):
                parts = role.split("|")
                if not any(r in ("agent", "theme", "@round", "@stake") or self.following_prep(after, r)
                           for r in parts):
                    break  # the frame's preposition is not there: another use of the verb
            else:
                self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, grammatical), f"verb:{word}")

    def title_copula(self, c: _Candidate, j: int) -> None:
        """ "Mara Ellison is the chief executive of ...": a person's name before a copula and a title; "Quillmark
        has been one of the biggest buyers of": the head of a relational noun after a copula."""
        while _low(self.toks, j) in ("has", "have", "had", "also", "now", "still", "long", "already"):
            j += 1  # "has long been one of"
        if _low(self.toks, j) not in _BE - {"get", "gets", "got", "gotten"} | {"remains", "became", "serves"}:
            return
        k = j + 1
        if _low(self.toks, k) == "as":
            k += 1
        if _low(self.toks, k) == "one" and _low(self.toks, k + 1) == "of":
            k += 2
        while _low(self.toks, k) in _DETS or _low(self.toks, k).strip("-") in self.lex.not_current:
            k += 1
        words = [_low(self.toks, x) for x in range(k, min(k + 4, len(self.toks)))]
        if any(self.lex.is_title(" ".join(words[:n])) for n in range(1, len(words) + 1)):
            self.vote(c, self.domain.get("ceoOf", ()), "title-copula")
            return
        for w in words:
            if not w or not re.fullmatch(r"[a-z][\w-]*", w):
                return
            for f in self.lex.nouns.get(w, []):
                self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "head"), f"copula:{w}")
            if w in self.lex.nouns:
                return

    def event_noun(self, c: _Candidate, j: int) -> None:
        """An event noun a few words after the candidate's verb whose agent is the clause's subject."""
        for k in range(j, min(j + 5, len(self.toks))):
            w = _low(self.toks, k)
            if not w or w in {".", ",", ";"}:
                return
            for f in self.lex.nouns.get(w, []):
                n = len(f.words)
                if "agent" in (f.subject, f.object) and [_low(self.toks, x) for x in range(k - n + 1, k)] == [
                        x for x in f.words[:-1]]:
                    self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "agent"), f"noun:{w}")
                    return

    def phrase_slot(self, c: _Candidate) -> None:
        """The lexicon's idioms: "{S} goes head to head with {O}" with the candidate at either end."""
        for ph in self.lex.phrases:
            words = ph.text.split()
            for end, step in ((0, 1), (len(words) - 1, -1)):
                slot = words[end]
                if slot not in ("{S}", "{O}"):
                    continue
                k, ok = c.tok + step, True
                if step == 1 and _low(self.toks, k) in ("'s", "’s"):  # "Quillmark's robots go head to head"
                    for x in range(k + 1, min(k + 7, len(self.toks))):
                        if _low(self.toks, x) == str(words[1]).lower():
                            k = x
                            break
                        if not re.fullmatch(r"[a-z][\w-]*", _low(self.toks, x)):
                            break
                for w in (words[1:] if step == 1 else words[-2::-1]):
                    if w in ("{S}", "{O}"):
                        break
                    if w == "*":
                        k += step
                        continue
                    if _low(self.toks, k) != w.lower():
                        ok = False
                        break
                    k += step
                if ok:
                    predicate = ph.predicate
                    self.vote(c, self.domain.get(predicate, ()) if slot == "{S}" else self.range.get(predicate, ()),
                              f"phrase:{ph.text}")

    def object_slot(self, c: _Candidate) -> None:
        """The candidate after a verb, a preposition of a verb or noun frame, or "by" of a passive."""
        toks, i = self.toks, c.tok - 1
        while i >= 0 and (_low(toks, i) in _DETS or re.fullmatch(r"[\d.,%$]+", toks[i].text or "")):
            i -= 1
        while i >= 1 and toks[i].text in _LIST and toks[i - 1].kind is not None:
            i -= 2  # an item of a list: the slot is the first item's
            while i >= 0 and _low(toks, i) in _DETS:
                i -= 1
        prep = _low(toks, i)
        if not prep:
            return
        if prep == "with" and _low(toks, i - 1) in ("along", "together") or (
                prep == "as" and _low(toks, i - 1) == "well"):
            # "added it to the list along with Quillmark": an item of the verb's object
            for k in range(i - 2, max(-1, i - 10), -1):
                for f in self.lex.verbs.get(_low(toks, k), []):
                    if "theme" in (f.subject, f.object):
                        self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "theme"), "along-with")
                if _low(toks, k) in {".", ";"}:
                    break
            return
        frames, _ = self.verb_at(i)
        for f in frames:  # "... invested Quillmark" is rare; "released Heron-2", "rivals Baidu"
            passive = _low(toks, i - 1) in _BE and _is_participle(prep, self.lex)
            if not passive and "theme" in (f.subject, f.object):
                self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "theme"), f"verb:{prep}")
        for k in range(i - 1, max(-1, i - 6), -1):  # a frame word a few tokens before the preposition
            w = _low(toks, k)
            if not w or w in {".", ";", "!", "?"}:
                break
            if prep == "by" and _is_participle(w, self.lex):
                for f in self.lex.verbs.get(w, []):
                    self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "agent"), f"by:{w}")
            for f in self.lex.verbs.get(w, []):
                if prep in (f.subject, f.object):
                    self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, prep), f"verb:{w} {prep}")
                elif (prep in ("in", "into") or prep == "of" and any(toks[x].text == "%" for x in range(k, i))) \
                        and f.object in ("@round", "@stake"):  # "a stake in X", "holds 2.4% of X"
                    self.vote(c, self.range.get(f.predicate, ()), f"verb:{w} {prep}")
            for nf in self.lex.nouns.get(w, []):
                if prep in (nf.subject, nf.object):
                    self.vote(c, self.role_kinds(nf.predicate, nf.subject, nf.object, prep), f"noun:{w} {prep}")
                elif prep == "of" and "owner" in (nf.subject, nf.object):
                    self.vote(c, self.role_kinds(nf.predicate, nf.subject, nf.object, "owner"), f"noun:{w} of")
            if self.lex.kind_of_noun.get(w) == "Sanction":  # "an export ban on Orvane"
                for kf in self.lex.kind_frames:
                    if kf.kind == "Sanction" and prep in (kf.subject, kf.object):
                        self.vote(c, self.role_kinds(kf.predicate, kf.subject, kf.object, prep), f"sanction:{w} {prep}")
            if prep in ("in", "into") and (w in self.lex.rounds or w in self.lex.stakes) and (w.isalpha() or any(
                    f.object == "@stake" for x in range(k - 4, k) for f in self.lex.verbs.get(_low(toks, x), []))):
                # "a stake in X", "a round in X"; "2.4% in X" only after "took", "holds"
                self.vote(c, self.domain.get("investsIn", ()), f"stake:{w}")
            if prep == "of" and (self.lex.is_title(w) or w in self.lex.metric_words.names):
                self.vote(c, self.range.get("ceoOf", ()), f"title:{w} of")
            if toks[k].kind is not None:
                break

    def owner_slot(self, c: _Candidate) -> None:
        """ "Quillmark's rivals", "Quillmark chief executive X", "Quillmark-backed", "Quillmark's revenue"."""
        toks, j = self.toks, c.tok + 1
        possessive = _low(toks, j) in ("'s", "’s", "'", "’")
        if possessive:
            j += 1
        words = [_low(toks, k) for k in range(j, min(j + 4, len(toks)))]
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n])
            if self.lex.is_title(phrase) and (possessive or (j + n < len(toks) and toks[j + n].kind == "Person")
                                              or _PERSON.match(toks[j + n].text if j + n < len(toks) else "")):
                self.vote(c, self.range.get("ceoOf", ()), f"title:{phrase}")
                return
            if possessive and phrase in self.lex.metric_words.names:
                self.vote(c, self.domain.get("reportsMetric", ()), f"metric:{phrase}")
                return
        if possessive:
            for k in range(j, min(j + 3, len(toks))):
                for f in self.lex.nouns.get(_low(toks, k), []):
                    self.vote(c, self.role_kinds(f.predicate, f.subject, f.object, "owner"), f"noun:{_low(toks, k)}")
                if self.lex.kind_of_noun.get(_low(toks, k)) in _PRODUCT_KINDS:
                    # "Quillmark's robot models": what owns models, chips and products is a company
                    self.vote(c, self.domain.get("develops", ()), f"owns:{_low(toks, k)}")
                    break
        if c.tok >= 2 and _low(toks, c.tok - 1) in ("'s", "’s") and toks[c.tok - 2].kind == "Company" and \
                re.search(r"\d", c.name):
            # "AMD's MI350 series": a numbered name a company possesses is something it makes
            self.vote(c, _PRODUCT_KINDS, "possessed")
        text = toks[c.tok + 1].text if c.tok + 1 < len(toks) else ""
        if text.startswith("-") or (c.tok + 2 < len(toks) and toks[c.tok + 1].text == "-"):
            word = text.lstrip("-").lower() or _low(toks, c.tok + 2)
            if word in self.lex.hyphen:
                predicate, is_subject = self.lex.hyphen[word]
                self.vote(c, self.domain.get(predicate, ()) if is_subject else self.range.get(predicate, ()),
                          f"hyphen:{word}")

    def appos_slot(self, c: _Candidate) -> None:
        """ "Orca-7, Lumenary AI's family of coding models,": the kind noun of an apposition types the name."""
        toks, j = self.toks, c.tok + 1
        if _low(toks, j) != ",":
            return
        j += 1
        if j + 1 < len(toks) and toks[j].kind is not None and _low(toks, j + 1) in ("'s", "’s"):
            j += 2
        elif _low(toks, j) not in _DETS:
            return
        for k in range(j, min(j + 7, len(toks))):
            w = _low(toks, k)
            if not w or not re.fullmatch(r"[\w-]+", w):
                return
            kind = self.lex.kind_of_noun.get(w)
            if kind in _SLOT_KINDS:
                self.vote(c, (kind,), f"appos:{w}")
                return

    def speaker_company(self, c: _Candidate, text: str) -> None:
        """ "Quillmark has begun shipping robots, chief executive Mara Ellison said": the subject opening a
        sentence whose speaker is a chief executive (or other officer) of no named company is that company."""
        if not _is_sentence_start(text, c.start):
            return
        toks = self.toks
        for k in range(c.tok + 1, min(c.tok + 60, len(toks))):
            t = toks[k]
            if t.text in {".", "!", "?"}:
                return
            if t.kind == "Company":
                return
            if t.kind is None and t.text == ",":
                words = [_low(toks, x) for x in range(k + 1, min(k + 5, len(toks)))]
                for n in (3, 2, 1):
                    phrase = " ".join(words[:n])
                    nxt = toks[k + 1 + n] if k + 1 + n < len(toks) else None
                    if self.lex.is_title(phrase) and nxt is not None and (
                            nxt.kind == "Person" or nxt.kind == "?" and _PERSON.fullmatch(nxt.text)):
                        self.vote(c, ("Company",), "speaker-company")
                        return

    def after_opener(self, c: _Candidate, text: str) -> None:
        """ "... 31 entities to the Entity List. They include Quillmark and Orvane": names a sentence lists
        after one of the lexicon's ``list_openers``, when the sentence before counted companies."""
        toks, i = self.toks, c.tok - 1
        while i >= 1 and toks[i].text in _LIST and toks[i - 1].kind is not None:
            i -= 2
        end = toks[i].end if i >= 0 else 0
        start = max(text.rfind(". ", 0, end), text.rfind("\n", 0, end)) + 1
        opener = text[start:end].strip(" \"“-—*").lower()
        if opener not in self.lex.list_openers:
            return
        before = text[max(0, start - 300): start]
        nouns = "|".join(re.escape(n) for n in sorted(self.lex.kind_words("Company"), key=len, reverse=True)
                         if n.endswith("s"))
        if re.search(rf"\b(?:\d[\d,]*|several|dozens\s+of|many|some|[a-z]+teen|twenty|thirty|forty|fifty|two|three|"
                     rf"four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){{0,2}}(?:entities|{nouns})\b[^.]*[.!?]\s*(?:[^.!?]{{0,80}}[.!?]\s*)?$",
                     before, re.I):
            self.vote(c, ("Company",), "after-opener")

    def list_neighbours(self, c: _Candidate) -> None:
        """The kind of the names listed beside the candidate ("A, B and C"), when they agree."""
        toks, kinds = self.toks, set[str]()
        for step in (-1, 1):
            k = c.tok + step
            while 0 <= k + step < len(toks) and toks[k].text in _LIST:
                k += step
                if toks[k].text in _LIST:
                    k += step
                t = toks[k] if 0 <= k < len(toks) else None
                if t is None or t.kind is None:
                    break
                if t.kind == "?":
                    other = self.cands[t.candidate]
                    kinds |= {_choose(other, self)} - {None}  # type: ignore[arg-type]
                elif t.kind in _SLOT_KINDS:
                    kinds.add(t.kind)
                k += step
        if len(kinds) == 1:
            self.vote(c, kinds, "list")

    def list_kind(self, c: _Candidate) -> None:
        """ "Quillmark, Orvane and other Japanese toolmakers", "toolmakers such as Quillmark and Orvane": a
        kind noun of the list types its items."""
        toks, j = self.toks, c.tok + 1
        while j + 1 < len(toks) and toks[j].text in _LIST and toks[j + 1].kind is not None:
            j += 2
        if _low(toks, j) == ",":
            j += 1
        if _low(toks, j) in ("and", "or") and _low(toks, j + 1) in ("other", "another", "fellow", "rival"):
            for k in range(j + 2, min(j + 6, len(toks))):
                if toks[k].kind == "Country":
                    continue  # "and other Japanese toolmakers"
                w = _low(toks, k)
                if not w or not re.fullmatch(r"[\w-]+", w):
                    break
                kind = self.lex.kind_of_noun.get(w)
                if kind in _SLOT_KINDS:
                    self.vote(c, (kind,), f"list:{w}")
                    return
        i = c.tok - 1
        while i >= 1 and toks[i].text in _LIST and toks[i - 1].kind is not None:
            i -= 2
        cue = _low(toks, i)
        if cue == "as" and _low(toks, i - 1) == "such":
            i -= 1
        if cue in ("as", "including", "like", "notably", "especially"):
            for k in range(i - 1, max(-1, i - 4), -1):
                kind = self.lex.kind_of_noun.get(_low(toks, k))
                if kind in _SLOT_KINDS:
                    self.vote(c, (kind,), f"list:{_low(toks, k)}")
                    return

    def metric_subject(self, c: _Candidate) -> None:
        """The first name of a clause that reports a company's number ("Quillmark said revenue rose 40%")."""
        toks, i = self.toks, c.tok
        before = [t for t in toks[max(0, i - 6): i] if t.kind is not None]
        if before and not any(t.text in {".", ";"} for t in toks[toks.index(before[-1]): i]):
            return
        clause = []
        for t in toks[i + 1: i + 25]:
            if t.text in {".", ";", "!", "?"}:
                break
            clause.append(t)
        if not clause or clause[0].kind is not None or not re.fullmatch(r"[a-z][a-z-]*", clause[0].text):
            return  # the name is the subject of a verb ("Quillmark said"), not a label ("Exclusive: ...")
        low = " ".join(t.text.lower() for t in clause if t.kind is None)
        mw = self.lex.metric_words
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low) for n in mw.names) and (
                re.search(r"\d", low) or any(t.text.lower() in mw.up | mw.down for t in clause)):
            self.vote(c, self.domain.get("reportsMetric", ()), "metric-subject")

    def nearest_kind(self, c: _Candidate, kinds: set[str]) -> str | None:
        """The kind of the kind noun nearest the candidate, within its sentence, among ``kinds``."""
        best: tuple[int, str] | None = None
        for d in range(1, 9):
            for k in (c.tok - d, c.tok + d):
                w = _low(self.toks, k)
                if not w:
                    continue
                kind = self.lex.kind_of_noun.get(w)
                if kind in kinds and (best is None or d < best[0]):
                    best = (d, kind)
            if best:
                return best[1]
        return None


_SHAPE = re.compile(r"([A-Za-z]{1,6})-?\d[\w.]*")  # "MI350", "H30", "B300": letters, then a number
_SHAPES: dict[int, tuple[KnowledgeBase, dict[str, str]]] = {}


def _shape_kinds(kb: KnowledgeBase) -> dict[str, str]:
    """The kind that the knowledge base's names of one shape mostly are: its model, chip and product names
    written as letters then a number ("H100", "MI300X"), by their letters, where at least two names share the
    letters and three in four of them are of one kind."""
    hit = _SHAPES.get(id(kb))
    if hit and hit[0] is kb:
        return hit[1]
    seen: dict[str, dict[str, set[str]]] = {}
    for e in kb.entities.values():
        if e.type in _PRODUCT_KINDS:
            for form in (e.label, *e.aliases):
                for word in form.split():
                    m = _SHAPE.fullmatch(word)
                    if m:
                        seen.setdefault(m.group(1), {}).setdefault(e.type, set()).add(e.iri)
    out: dict[str, str] = {}
    for letters, kinds in seen.items():
        total = sum(len(v) for v in kinds.values())
        kind, names = max(kinds.items(), key=lambda kv: len(kv[1]))
        if total >= 2 and len(names) * 4 >= total * 3:
            out[letters] = kind
    _SHAPES[id(kb)] = (kb, out)
    return out


def _choose(c: _Candidate, scan: _Scan) -> str | None:
    kinds = c.kinds
    if not kinds:
        return None
    digit = bool(re.search(r"\d", c.name))
    if "Person" in kinds and not digit and _PERSON.fullmatch(c.name):
        return "Person"
    products = {k for k in kinds if k in _PRODUCT_KINDS}
    if "Company" in kinds and c.tok > 0 and _low(scan.toks, c.tok - 1) in ("its", "their") and (
            _low(scan.toks, c.tok + 1) not in scan.lex.kind_words("Company")):
        # "halted output of its Explorer": a new name a company possesses is what it makes, not a company (its
        # units come with a noun that says so: "its Quorix unit")
        kinds = products = products or {"Product"}
    if "Company" in kinds and not digit:
        return "Company"
    if products:
        near = scan.nearest_kind(c, products)
        if near:
            return near
        if len(products) == 1:
            return next(iter(products))
        shape = _SHAPE.fullmatch(c.name)
        by_shape = scan.shapes.get(shape.group(1)) if shape else None
        if by_shape in products:  # "MI350" where the knowledge base's "MI300X" and "MI308" are chips
            return by_shape
        return "AIModel" if digit and "AIModel" in products else None
    return None


def slot_names(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """Mentions of the names that only their slots type, at every place the name occurs in ``text``."""
    lex = kb.lexicon
    # a described restriction ("an export ban on Orvane") may hold names: its words are read as words
    mentions = [m for m in mentions if m.rule != "description"]
    taken = SpanSet((m.start, m.end) for m in mentions)
    cands = _candidates(text, taken, lex, kb)
    if not cands:
        return []
    toks = _tokens(text, mentions, cands)
    scan = _Scan(toks, cands, lex, _shape_kinds(kb))
    for c in cands:
        if c.tok < 0:
            continue
        scan.subject_slot(c)
        scan.object_slot(c)
        scan.owner_slot(c)
        scan.appos_slot(c)
        scan.phrase_slot(c)
        scan.list_kind(c)
        if not c.kinds:
            scan.metric_subject(c)
    for c in cands:
        if c.tok >= 0 and not c.kinds:
            scan.after_opener(c, text)
        if c.tok >= 0 and not c.kinds:
            scan.speaker_company(c, text)
    for _ in range(2):  # "Quillmark, Orvane and Tidewater Robotics": a list's items are of one kind
        for c in cands:
            if c.tok >= 0 and not c.kinds:
                scan.list_neighbours(c)
    typed: dict[str, tuple[str, str]] = {}
    for c in cands:
        kind = _choose(c, scan)
        if kind and c.name not in typed:
            typed[c.name] = (kind, "new-slot")
    out: list[Mention] = []
    for name in sorted(typed, key=len, reverse=True):
        kind, rule = typed[name]
        entity = Entity(entity_iri(kind, name), name, kind, (), known=False)
        for c in cands:
            if c.name == name and not taken.overlaps(c.start, c.end):
                out.append(Mention(entity, name, c.start, c.end, SLOT_CONFIDENCE, rule))
                taken.add(c.start, c.end)
    return out
