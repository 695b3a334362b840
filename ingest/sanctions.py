"""Restrictions described rather than named, and the phrases that point back at them.

"Washington's export controls", "the October 2023 rules", "a ban on purchases of Nvidia's RTX Pro 6000D",
"Beijing's new licensing regime": a sanction noun of the lexicon (``kinds.Sanction.nouns``) with something that
pins it down (who imposed it, when, or what it is on) names a restriction. It is the knowledge base's regime
when one of the description's forms is a name of one ("US export controls"), else a restriction of its own,
named as the text describes it. "The rules", "those controls", "the same licence requirement" then point back
at the latest restriction with the same head noun (else the same kind: a list, or a rule), else the one named
most often.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass

from ingest.kb import KnowledgeBase, entity_iri
from ingest.lexicon import Lexicon
from ingest.model import Entity, Mention
from ingest.sentences import Sentence
from ingest.spans import SpanSet

DESCRIPTION_CONFIDENCE = 0.75
RECENT = 40  # restrictions named before an anaphor that it may point back at
_QUALIFIERS = ("Country", "GovernmentBody")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
           "Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_MOD = rf"(?:[a-z][a-z-]*|\d{{4}}|(?:{_MONTHS})|[A-Z]{{2,4}}|AI|US|U\.S\.)"
_DET = r"(?:the|a|an|those|these|this|that|its|their|his|her|any|new|fresh)"
_TAIL_STOP = re.compile(
    r"\b(?:that|which|who|whom|whose|was|were|is|are|has|have|had|will|would|could|can|may|might|should|since|"
    r"after|before|when|while|because|but|said|says|to\s+(?!China|the\s+United|Russia|Iran)|by|from|under|in\s+"
    r"(?:place|force|effect|\d{4}|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|(?:last|this|next|earlier\s+this|late\s+last)\s+(?:week|month|year|quarter|spring|summer|"
    r"autumn|fall|winter)|yesterday|today|tonight|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
    r"\b|[,.;:()\"“”—–]")
_LIST_HEADS = {"list", "lists", "blacklist", "blacklists", "listing", "listings", "designation", "designations",
               "entity list"}
_ANAPHOR_MODS = ("same", "new", "latest", "original", "earlier", "updated", "revised", "expanded", "tighter",
                 "broader", "sweeping", "current", "existing", "older", "later", "first", "second", "initial",
                 "final", "us", "american", "chinese")


@dataclass(frozen=True)
class _Heads:
    pattern: re.Pattern[str]
    anaphor: re.Pattern[str]


_CACHE: dict[int, tuple[Lexicon, _Heads]] = {}


def _heads(lex: Lexicon) -> _Heads:
    hit = _CACHE.get(id(lex))
    if hit and hit[0] is lex:
        return hit[1]
    words = sorted(lex.kind_words("Sanction"), key=len, reverse=True)
    alt = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"
    h = _Heads(
        pattern=re.compile(rf"(?<![\w-])(?P<head>{alt})(?![\w-])", re.I),  # "Export controls on antimony ..."
        anaphor=re.compile(rf"(?<![\w-])(?:[Tt]he|[Tt]hose|[Tt]hese|[Tt]hat|[Tt]his)\s+(?:(?:{'|'.join(_ANAPHOR_MODS)})\s+)?"
                           rf"(?:[a-z][\w-]*\s+){{0,2}}?(?P<head>{alt})(?![\w-])(?!\s+(?:of|on|for|to|against|that|"
                           r"which|who)\b)"),
    )
    _CACHE[id(lex)] = (lex, h)
    return h


# modifiers that say nothing about which restriction it is: "tougher curbs", "the new rules"
_GENERIC_MODS = {
    "new", "tough", "tougher", "tighter", "stricter", "strict", "sweeping", "broad", "broader", "latest", "further",
    "additional", "existing", "current", "fresh", "recent", "earlier", "previous", "similar", "expanded", "updated",
    "revised", "proposed", "planned", "potential", "possible", "wider", "harsher", "more", "related", "relevant",
    "various", "certain", "major", "key", "main", "big", "bigger", "first", "second", "third", "final", "initial",
    "original", "same", "looser", "relaxed", "eased", "lighter", "harsh", "stringent", "blanket",
    "unprecedented", "long-awaited", "so-called", "national", "foreign", "domestic", "export", "trade", "such",
}

_NOT_MODIFIERS = {
    "the", "a", "an", "its", "their", "his", "her", "our", "those", "these", "this", "that", "any", "some", "all", "of",
    "on", "in", "to", "for", "by", "with", "from", "at", "as", "and", "or", "but", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "will", "would", "could", "can", "may", "might", "should", "must", "not",
    "no", "said", "says", "after", "before", "since", "when", "while", "which", "who", "under", "over", "into",
    "against", "about", "than", "also", "already", "still", "now", "then", "it", "they", "we", "he", "she", "such",
    "other", "more", "most", "both", "each", "every", "do", "does", "did", "so", "if", "whether", "because", "amid",
    "within", "beyond", "without", "through", "across", "around", "below", "above", "behind", "toward", "towards",
    "upon", "via", "among", "between", "during", "despite", "inside", "outside", "like", "unlike", "meet", "satisfy",
    "comply", "stay", "remain", "evade", "avoid", "circumvent", "skirt", "sidestep", "fit", "follow", "obey",
}


def _is_modifier(word: str, lex: Lexicon) -> bool:
    """Whether ``word`` can modify a sanction noun inside its phrase: "new", "2022", "export", "AI-chip"."""
    low = word.lower()
    if low.endswith("ly") and len(low) > 4:  # "simply", "recently": an adverb, the phrase is over
        return False
    if not re.fullmatch(_MOD, word) or low in _NOT_MODIFIERS:
        return False
    if low in lex.verbs and (low.endswith(("s", "ed", "ing")) or low in {f for v in lex.irregular.values() for f in v}):
        return False  # "imposes", "tightened", "bought": a verb before the noun ends its phrase
    return not (low.endswith(("ed", "es")) and "-" not in low and low not in lex.kind_of_noun
                and low not in ("expanded", "updated", "revised", "tightened", "proposed", "planned", "sweeping"))


_PROPER_RUN = re.compile(r"(?:^|(?<![\w-])(?:[Tt]he|an?|its|their)\s+)((?:[A-Z][a-z][\w-]*\s+){1,4})$")


def _proper_name_before(text: str, start: int, named: SpanSet, kb: KnowledgeBase) -> int | None:
    """Where a run of capitalised words just before a lower-case sanction noun starts, when a determiner comes
    before the run and no word of it is a name the article already resolves or a month: the run and the noun
    are then the restriction's own name ("the Validated End-User rule")."""
    window = max(0, start - 80)
    m = _PROPER_RUN.search(text[window:start])
    if not m:
        return None
    at = window + m.start(1)
    words = m.group(1).split()
    if named.overlaps(at, start) or any(re.fullmatch(_MONTHS, w) or w in kb.demonyms for w in words):
        return None
    return at


def _overlaps(start: int, end: int, taken: SpanSet) -> bool:
    return taken.overlaps(start, end)


def _head_word(label: str) -> str:
    """The head noun of a sanction's name: "US export controls on advanced chips" -> "controls"."""
    core = re.split(r"\s+(?:on|against|for|targeting|covering|of)\s+", label, maxsplit=1)[0]
    return core.split()[-1].lower() if core.split() else ""


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _compatible(a: str, b: str) -> int:
    """How well two head nouns agree: 2 the same noun, 1 the same kind (both lists, or both rules), 0 not."""
    a, b = _singular(a.lower()), _singular(b.lower())
    if a == b:
        return 2
    return 1 if (a in _LIST_HEADS or a + "s" in _LIST_HEADS) == (b in _LIST_HEADS or b + "s" in _LIST_HEADS) else 0


# "China's Ministry of Commerce on Tuesday banned exports of gallium to the United States": a restriction the
# text states with a verb. Its object phrase is the mention; its label is the noun of the lexicon's
# ``restriction_verbs`` ("Chinese ban on exports of gallium ..."), the way analysts name it afterwards.
_TRADE = (r"(?:the\s+)?(?:exports?|imports?|sales?|shipments?|purchases?|the\s+use|use|supplies|supply|transfers?)"
          r"\s+of\s+")


def _country_word(imposer: Mention, kb: KnowledgeBase) -> tuple[str, Entity] | None:
    """The nationality word of the country behind an imposer ("Chinese" for Beijing or China's Ministry of
    Commerce, "US" for Washington), and that country."""
    country = imposer.entity if imposer.entity.type == "Country" else None
    if country is None:
        owner = imposer.text.split("'")[0].split("’")[0]
        for word in [owner, *owner.split(), *imposer.entity.label.split()]:  # "US government", "Japan's METI"
            hit = kb.demonyms.get(word) or next((e for e in kb.surface.get(word, []) if e.type == "Country"), None)
            if hit is not None:
                country = hit
                break
    if country is None:
        return None
    words = sorted((d for d, c in kb.demonyms.items() if c.iri == country.iri and d[:1].isupper()), key=len)
    short = [a for a in (country.label, *country.aliases) if a.isupper() and len(a) == 2]  # "US", "UK", "EU"
    adjective = short[0] if short else (words[0] if words else None)
    return (adjective, country) if adjective else None


_LIST_ON = re.compile(r",\s+[\w-]+(?:\s+[\w-]+)?(?=,|\s+(?:and|or)\s)")


def _object_phrase(text: str) -> str:
    """What a restrictive verb is on: up to the end of its clause, past the commas of a list of goods
    ("exports of gallium, germanium and antimony to the United States, a day after ..."), without the adverbs
    that close the clause ("outright", "altogether", "indefinitely")."""
    head = re.match(_TRADE, text)
    pos = head.end() if head else 0
    while True:
        stop = _TAIL_STOP.search(text, pos)
        if stop is None:
            phrase = text
            break
        if stop.group().startswith(",") and _LIST_ON.match(text, stop.start()):
            pos = stop.end()
            continue
        phrase = text[: stop.start()]
        break
    return re.sub(r"(?:\s+(?:outright|altogether|entirely|completely|again|too|as\s+well|\w+ly))+\s*$", "",
                  phrase.rstrip(" ,.")).rstrip(" ,.")


def verb_restrictions(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """Pseudo-mentions (rule "description") for restrictions stated with a verb; the parse's imposedBy frames of
    the same verbs link them to the government that acted."""
    verbs = kb.lexicon.restriction_verbs
    if not verbs:
        return []
    verb_alt = "|".join(sorted((re.escape(v) for v in verbs), key=len, reverse=True))
    bodies = "|".join(re.escape(n) for n in sorted(kb.lexicon.kind_words("GovernmentBody"), key=len, reverse=True))
    # "Japan's trade ministry banned ...": the country's body acted
    pattern = re.compile(rf"(?:['’]s\s+(?:[a-z-]+\s+){{0,2}}(?:{bodies or '(?!)'}))?"
                         rf"\s+(?:(?:on|in|last|this|earlier|late)\s+[\w ]{{0,20}}?\s+)?(?:(?:also|formally|"
                         rf"effectively|quietly|then|now|has|have|had|will)\s+)*(?P<verb>{verb_alt})\s+"
                         rf"(?P<obj>{_TRADE}[^;:()\"“”]{{2,140}})")
    taken = SpanSet((m.start, m.end) for m in mentions if m.entity.type not in _QUALIFIERS)
    out: list[Mention] = []
    for g in mentions:
        if g.entity.type not in _QUALIFIERS or g.rule in ("demonym", "coref"):
            continue
        m = pattern.match(text, g.end)
        if not m:
            continue
        obj = _object_phrase(m.group("obj"))
        start, end = m.start("obj"), m.start("obj") + len(obj)
        if end - start < 8 or taken.overlaps(start, end):
            continue
        qualifier = _country_word(g, kb)
        noun = verbs[m.group("verb")]
        core = re.sub(r"^the\s+", "", " ".join(obj.split()))
        label = f"{qualifier[0]} {noun} on {core}" if qualifier else f"{noun} on {core}"
        entity = Entity(entity_iri("Sanction", label), label, "Sanction", (), known=False)
        out.append(Mention(entity, text[start:end], start, end, DESCRIPTION_CONFIDENCE, "description"))
        taken.add(start, end)
    return out


def _named_nearby(ordered: list[Mention], pos: int, head: str, reach: int = 3000) -> Entity | None:
    """The named restriction of the same head noun nearest ``pos`` (the one before first, within ``reach``)."""
    best: tuple[int, Entity] | None = None
    for m in ordered:
        if m.entity.type != "Sanction" or m.rule in ("description", "coref") or abs(m.start - pos) > reach:
            continue
        if _compatible(_head_word(m.entity.label), head) < 2:
            continue
        distance = pos - m.start if m.start < pos else (m.start - pos) * 2  # a later name counts as farther
        if best is None or distance < best[0]:
            best = (distance, m.entity)
    return best[1] if best else None


def described_sanctions(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """Pseudo-mentions for restrictions the text describes (see the module docstring)."""
    lex = kb.lexicon
    heads = _heads(lex)
    taken = SpanSet((m.start, m.end) for m in mentions if m.entity.type not in _QUALIFIERS)
    ordered = sorted(mentions, key=lambda m: m.start)
    named = SpanSet((m.start, m.end) for m in ordered)
    starts = [m.start for m in ordered]
    ends = {m.end: m for m in ordered}
    out: list[Mention] = []
    for h in heads.pattern.finditer(text):
        if _overlaps(h.start(), h.end(), taken):
            continue
        # modifiers before the head: "new", "2022", "export", "chip" ... back to a determiner, name or mark
        start = h.start()
        mod_start = start
        mod_words: list[str] = []
        quoted = re.search(r"[\"“](?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*[\"”]\s+$", text[max(0, start - 60): start])
        for w in reversed(list(re.finditer(r"\S+", text[max(0, start - 80): start]))):
            word = w.group()
            at = max(0, start - 80) + w.start()
            if quoted and at >= max(0, start - 60) + quoted.start():  # 'a "foundry due diligence" rule'
                word = word.strip("\"“”")
            if not _is_modifier(word, lex) or named.overlaps(at, at + len(word)):
                break
            if re.search(r"\bto\s+$", text[max(0, at - 4): at]) and word.lower() in lex.verbs:
                break  # "a chip built to satisfy earlier rules": an infinitive's verb is not a modifier
            mod_start = at
            mod_words.insert(0, word)
        if not mod_words and h.group("head").split()[-1][0].islower():
            proper = _proper_name_before(text, start, named, kb)
            if proper is not None:  # "the Strategic Trade Permit requirement": a name the text gives the rule
                mod_start, mod_words = proper, text[proper:start].split()
        # "the General Administration of Customs announce export controls": a verb right after a name ends the
        # phrase, whatever it could be as a noun
        while mod_words and mod_words[0].lower() in lex.verbs and len(text[:mod_start].rstrip()) in ends:
            mod_start = text.index(mod_words[0], mod_start) + len(mod_words[0])
            while mod_start < start and text[mod_start].isspace():
                mod_start += 1
            mod_words = mod_words[1:]
        qualifier = None
        pronoun_qualified = False
        before = text[:mod_start].rstrip()
        poss = re.search(r"['’]s$", before)
        q_end = len(before) - (2 if poss else 0)
        cand = ends.get(q_end)
        if cand is not None and cand.entity.type in _QUALIFIERS and cand.rule != "coref":
            qualifier = cand
        elif re.search(r"\b(?:its|their)$", before):  # "the Commerce Department tightened its controls"
            lo, hi = bisect_left(starts, mod_start - 80), bisect_left(starts, mod_start)
            near = [m for m in ordered[lo:hi] if m.end <= mod_start and m.entity.type in _QUALIFIERS]
            qualifier = near[-1] if near else None
            pronoun_qualified = True
        dated = any(re.fullmatch(rf"\d{{4}}|{_MONTHS}", w) for w in mod_words)
        head_low = h.group("head").lower()
        named_before = qualifier if qualifier is not None else cand
        if not mod_words and named_before is not None and named_before.rule != "demonym" and not poss and \
                head_low.endswith("s") and (head_low[:-1] in lex.verbs or head_low in lex.verbs) and \
                _verb_follows(text, h.end(), lex):
            continue  # "Beijing bans shipments", "Lenovo lists Xiaomi among": a verb, not a noun
        mod_words = [w for w in mod_words if w.lower() not in _ANAPHOR_MODS or re.fullmatch(r"[A-Z].*", w)]
        tail = ""
        t = re.match(r"\s+(?:on|against|targeting|covering)\s+", text[h.end(): h.end() + 20])
        if t:
            rest = text[h.end() + t.end(): h.end() + t.end() + 90]
            stop = _TAIL_STOP.search(rest)
            words = []
            for word in (rest[: stop.start()] if stop else rest).split()[:7]:
                word = word.strip("-–—")
                low = word.lower()
                if not word:
                    break
                if low in lex.verbs and low not in lex.kind_of_noun or low.endswith("ly") or low in (
                        "already", "also", "now", "still", "even", "then", "only", "just"):
                    break  # "controls on high-bandwidth memory already stop ...": the phrase ended
                words.append(word)
            if words:
                tail = text[h.end(): h.end() + t.end()] + " ".join(words)
        specific = [w for w in mod_words if w.lower() not in _GENERIC_MODS]
        target = cand if cand is not None and not poss and cand.entity.type in ("Company", "Chip", "Product") \
            and not mod_words else None  # "the Micron ban": the name before the noun is what it targets
        named_as = _KNOWN_AS.match(text, h.end() + len(tail))  # "its list of ..., known as the 1260H list"
        hit = next((m for m in ordered if named_as and m.start == named_as.start("name")
                    and m.entity.type == "Sanction"), None)
        if hit is not None:
            out.append(Mention(hit.entity, text[mod_start: h.end() + len(tail)], mod_start, h.end() + len(tail),
                               DESCRIPTION_CONFIDENCE, "description"))
            taken.add(mod_start, h.end() + len(tail))
            continue
        if qualifier is None and not dated and not tail and not specific and target is None:
            continue  # "the rules", "tougher curbs" point back at a restriction (see sanction_anaphors)
        if target is not None:
            mod_start = target.start
        head_text = text[mod_start: h.end()]
        end = h.end() + len(tail)
        entity = _lookup(kb, qualifier, head_text, h.group("head"), tail, mod_words)
        if entity is None and pronoun_qualified and not tail and not specific and not dated:
            # "added the two companies to its list of 'Chinese military companies' ... the so-called 1260H list":
            # a bare "its list" is the named restriction of the same kind the article names, before or after
            entity = _named_nearby(ordered, h.start(), h.group("head"))
        if entity is None:
            if qualifier is not None and not pronoun_qualified:  # as written: "Japan's rules", "Dutch rules"
                q = qualifier.text + (text[qualifier.end: qualifier.end + 2] if poss else "")
                label = f"{q} {head_text}{tail}"
            else:
                label = f"{head_text}{tail}"
            label = " ".join(re.sub(r"[\"“”]", "", label).split())
            entity = Entity(entity_iri("Sanction", label), label, "Sanction", (), known=False)
        out.append(Mention(entity, text[mod_start:end], mod_start, end, DESCRIPTION_CONFIDENCE, "description"))
        taken.add(mod_start, end)
    return out


_KNOWN_AS = re.compile(r"(?:\s+of\s+(?:[\"“][^\"”]{1,60}[\"”]|[\w-]+(?:\s+[\w-]+){0,3}))?,?\s+(?:also\s+|better\s+)?"
                       r"(?:known|referred\s+to)\s+as\s+(?:the\s+)?(?P<name>)")
_AUX_WORDS = {"have", "has", "had", "are", "were", "is", "was", "will", "would", "could", "can", "may", "might",
              "should", "must", "remain", "remained", "also", "now", "still"}


def _verb_follows(text: str, pos: int, lex: Lexicon) -> bool:
    """Whether the word after a head noun reads as its object ("Beijing bans gallium") rather than as the verb
    of which the noun is the subject ("US sanctions hit Huawei") or a preposition ("US sanctions on")."""
    nxt = re.match(r"\s+([\w$-]+)", text[pos: pos + 30])
    if not nxt:
        return False
    if nxt.group(1)[:1].isupper():
        return True  # "Lenovo lists Xiaomi among its competitors": a name after it is its object
    word = nxt.group(1).lower()
    return not (word in lex.verbs or word in _AUX_WORDS or word in ("on", "against", "for", "of", "to", "in", "that",
                                                                   "which", "and", "or", "by", "from"))


def _lookup(kb: KnowledgeBase, qualifier: Mention | None, head_text: str, head: str, tail: str,
            mods: list[str]) -> Entity | None:
    """The knowledge base's regime a description names, trying its forms from the most to the least specific."""
    cores = [head_text + tail, head_text, head + tail, head]
    if not any(w.lower() == "export" for w in mods):
        cores += [f"export {head}{tail}", f"export {head}"]
    quals: list[str] = []
    if qualifier is not None:
        e = qualifier.entity
        quals = [qualifier.text, e.label, *e.aliases]
        if e.type == "Country":
            quals += [d for d, c in kb.demonyms.items() if c.iri == e.iri]
    forms = [f"{q} {c}" for q in quals for c in cores] + (cores[:3] if qualifier is None else [])
    for form in forms:
        hits = kb.surface.get(form) or kb.folded.get(" ".join(form.lower().split())) or []
        for e in hits:
            if e.type == "Sanction":
                return e
    return None


def sanction_anaphors(sentences: list[Sentence], mentions: list[Mention], text: str, kb: KnowledgeBase
                      ) -> list[Mention]:
    """ "the rules", "those controls", "the same licence requirement", "the listing": the restriction they point
    back at (the latest with the same head noun, else of the same kind, else the one named most often)."""
    heads = _heads(kb.lexicon)
    taken = SpanSet((m.start, m.end) for m in mentions if m.entity.type not in _QUALIFIERS)
    named = sorted(((m.start, i, m) for i, m in enumerate(mentions) if m.entity.type == "Sanction"),
                   key=lambda x: (x[0], x[1]))
    out: list[Mention] = []
    for a in heads.anaphor.finditer(text):
        if _overlaps(a.start(), a.end(), taken):
            continue
        # the latest restrictions named before it (a bounded window: a page of text, not the whole article)
        idx = bisect_left(named, (a.start(), -1))
        before = [m for _, _, m in named[max(0, idx - RECENT): idx] if m.end <= a.start()]
        phrase = " ".join(a.group("head").split())
        if not any(_compatible(phrase.split()[-1], _head_word(m.entity.label)) for m in before) and \
                " " in phrase and re.match(r"\w+\s+same\s", a.group()):
            # "was caught by the same licence requirement" after a requirement the text stated with a verb
            # ("would need a licence"): the phrase names the restriction itself
            label = phrase[0].lower() + phrase[1:]
            entity = Entity(entity_iri("Sanction", label), label, "Sanction", (), known=False)
            start = a.start("head")
            out.append(Mention(entity, text[start:a.end()], start, a.end(), DESCRIPTION_CONFIDENCE, "description"))
            taken.add(a.start(), a.end())
            insort(named, (a.start(), len(mentions) + len(out), out[-1]), key=lambda x: (x[0], x[1]))
            continue
        if not before:
            continue
        head = a.group("head").split()[-1]
        counts: dict[str, int] = {}
        for m in before:
            counts[m.entity.iri] = counts.get(m.entity.iri, 0) + 1
        best = max(reversed(before), key=lambda m: (_compatible(head, _head_word(m.entity.label)) or
                                                    _compatible(head, m.text.split()[-1]), counts[m.entity.iri]))
        if not (_compatible(head, _head_word(best.entity.label)) or _compatible(head, best.text.split()[-1])):
            continue
        out.append(Mention(best.entity, a.group(), a.start(), a.end(), DESCRIPTION_CONFIDENCE, "coref"))
        taken.add(a.start(), a.end())
        insort(named, (a.start(), len(mentions) + len(out), out[-1]), key=lambda x: (x[0], x[1]))
    return out
