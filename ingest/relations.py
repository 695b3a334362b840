"""Relations stated by word order alone, between typed mentions: what needs no parse, or what a parse of a
noun phrase gets wrong.

* possessives: "Huawei's Ascend 910B", "its Jimeng app", "whose Veo 3 model", "the Commerce Department's
  Entity List", "China's Tencent";
* a name that opens another: "Nvidia H800", "US export controls";
* hyphen compounds: "Huawei-designed", "Tencent-backed", "US-based", "Alibaba-owned";
* nationality: "Chinese start-up DeepSeek", "Geely, the Chinese carmaker", "AMD, Intel and other US chipmakers";
* job titles beside names: "Nvidia chief executive Jensen Huang", "Xu Li, SenseTime's co-founder, chairman and
  chief executive";
* the lexicon's idioms ("goes head to head with").

Every word that decides is read from the lexicon (``ontology/lexicon.yaml``); the clause of a match is checked
for negation and hedging as the frames' are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.frames import OBJECT_TYPES, SUBJECT_TYPES, Pending
from ingest.kb import KnowledgeBase
from ingest.lexicon import Lexicon, NounFrame
from ingest.model import Evidence, Fact, Mention
from ingest.sentences import Sentence

SURFACE_CONFIDENCE = 0.85
OWNABLE = ("AIModel", "Chip", "Product")
IMPOSER = ("GovernmentBody", "Country")
# a modifier word: "new", "open-source", "AI", "4K", "China-market"
_MOD = r"(?:[a-z][\w]*(?:-[\w]+)*|[A-Z][a-z]+(?:-[\w]+)+|[A-Z]{2,5}|AI|\d[\w.-]*)"
# where a clause's cues stop counting: "..., but", "; ", and a relative clause, which states its own fact
_CLAUSE_BREAK = re.compile(r";|\s[–—]\s|,\s+(?:but|while|whereas|although|though|which|who)\s|\bbut\s")
_QUOTE_BEFORE = "\"“'‘"
_OWNED_NOUNS = ("flagship", "product", "offering", "successor", "predecessor", "answer")  # "its answer, the X"
_UNSURE = ("former", "ex", "rumoured", "rumored", "proposed", "planned", "potential", "possible", "would-be",
           "prospective", "erstwhile", "one-time", "onetime", "then")


@dataclass(frozen=True)
class _Words:
    """The lexicon's words, compiled once into the patterns these rules test."""

    mods: re.Pattern[str]  # the words between a possessor and what it owns
    company_noun: re.Pattern[str]
    list_sep: re.Pattern[str]
    title_seq: re.Pattern[str]
    ceo_title: re.Pattern[str]
    not_current: re.Pattern[str]
    cue: re.Pattern[str]
    # predicate, middle, subject first, and what must follow the second name ("among its rivals"), if anything
    phrases: list[tuple[str, re.Pattern[str], bool, re.Pattern[str] | None]]
    rel_nouns: dict[str, list[NounFrame]]  # relational noun forms (head/owner/preposition frames) -> frames
    appos_lead: re.Pattern[str]
    poss_noun: re.Pattern[str]
    poss_before: re.Pattern[str]
    of_between: re.Pattern[str]
    compound_between: re.Pattern[str]
    unsure: re.Pattern[str]
    brand_list: re.Pattern[str]  # "Nvidia parts such as the": between a company and its listed products
    product_nouns: str  # an alternation of the lexicon's model, chip and product nouns
    transparent: str  # an alternation of the lexicon's transparent nouns ("clusters of", "a batch of")
    rounds: str  # the lexicon's words for a funding round, as an alternation
    stakes: str  # and for a stake
    appos_kind: re.Pattern[str]  # ", the open-weight model ": an apposition whose head is a kind noun
    deal_after: re.Pattern[str]  # "Microsoft's OpenAI stake": a noun after the second name that makes it a deal
    family_after: re.Pattern[str]  # "Doubao, ByteDance's family of models": a kind noun after a possessor


def _alt(words: object) -> str:
    items = sorted({str(w) for w in words if w}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")" if items else "(?!)"


_CACHE: dict[int, tuple[Lexicon, _Words]] = {}


def _compiled(lex: Lexicon) -> _Words:
    hit = _CACHE.get(id(lex))
    if hit and hit[0] is lex:
        return hit[1]
    relational = {" ".join(f.words) for frames in lex.nouns.values() for f in frames}
    relational |= set(lex.nouns) | set(lex.transparent) | lex.ceo_titles | lex.other_titles
    stop = _alt(relational | {"of", "in", "to", "for", "with", "from", "by", "on", "at", "and", "or", "as", "than",
                              "over", "into", "about", "against", "between", "that", "which", "who", "the", "a",
                              "an", "use", "uses", "purchase", "purchases", "order", "orders", "rival", "version"})
    titles = _alt(lex.ceo_titles | lex.other_titles)
    phrases = []
    for ph in lex.phrases:
        s_first = ph.text.index("{S}") < ph.text.index("{O}")
        a, b = ("{S}", "{O}") if s_first else ("{O}", "{S}")
        middle = ph.text[ph.text.index(a) + 3: ph.text.index(b)].split()
        rx = r"\s+".join(r"(?:\S+\s+){0,2}\S+" if x == "*" else re.escape(x) for x in middle)
        # "CXMT's DDR5 chips already go head to head with those of SK Hynix": a company's products stand for it
        own = r"(?:['’]s\s+(?:[\w.-]+\s+){0,5}?)?(?:(?:also|already|now|still|often|directly|increasingly)\s+)?"
        those = r"(?:(?:those|that|the\s+[a-z]+)\s+of\s+)?"
        # what follows the second name, its last noun taking modifiers and a plural: "among its biggest investors"
        end = ph.text[ph.text.index(b) + 3:].split()
        tail = re.compile(r"\s+" + r"\s+".join(r"(?:\S+\s+){0,2}\S+" if x == "*" else re.escape(x) for x in end)
                          .removesuffix(re.escape(end[-1])) + (r"(?:[\w-]+\s+){0,3}?" + re.escape(end[-1])
                                                                if end[-1] != "*" else "")
                          + r"(?:e?s)?\b", re.I) if end else None
        phrases.append((ph.predicate, re.compile(rf"{own if s_first else ''}\s*{rx}\s*{those if s_first else ''}"
                                                 if middle else r"\s*", re.I), s_first, tail))
    cues = lex.negation | lex.hedge
    unit_nouns = {form for form, frames in lex.nouns.items() for f in frames
                  if f.predicate == "subsidiaryOf" and f.subject == "head"}
    product_kinds = lex.kind_words("AIModel") | lex.kind_words("Chip") | lex.kind_words("Product")
    kind_nouns = lex.kind_words("AIModel") | lex.kind_words("Chip") | lex.kind_words("Product") | {
        "family", "families", "series", "line", "lineup", "range", "flagship"}
    rel: dict[str, list[NounFrame]] = {}
    for form, frames in lex.nouns.items():
        for f in frames:
            if {f.subject, f.object} <= {"head", "owner", "of", "in", "at", "behind", "for", "to"}:
                rel.setdefault(" ".join([*f.words[:-1], form]).lower(), []).append(f)
    for f in lex.kind_frames:  # "MiniMax, the Shanghai start-up behind the Talkie app": any company noun
        if f.kind == "Company" and f.object not in ("head", "owner"):
            for form in lex.kind_words("Company"):
                rel.setdefault(form, []).append(f)
    rel_alt = _alt(rel)
    deal_nouns = _alt(n for n in rel if n not in unit_nouns)
    # modifiers of a relational noun: "most prominent domestic", "larger South Korean", "AI-focused"
    noun_mods = (rf"(?:(?!{rel_alt}\b)(?:[a-z][\w]*(?:-[\w]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z]{{2,5}}|AI)\s+)"
                 r"{0,4}?")
    words = _Words(
        mods=re.compile(rf"(?:(?!{stop}\b){_MOD}\s+){{0,3}}"),
        company_noun=re.compile(_alt(lex.kind_words("Company")), re.I),
        # "the MTT S80 graphics card and the MTT S4000": a product's kind noun may close each item
        list_sep=re.compile(rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?{_alt(product_kinds)})?"
                            r"\s*(?:,|,?\s+and|,?\s+or|,?\s+as\s+well\s+as|/)\s+(?:the\s+|its\s+|their\s+)?"),
        title_seq=re.compile(rf"(?:(?:{titles})\s*(?:,|\s+and|,\s+and)?\s+)*(?:{titles})", re.I),
        ceo_title=re.compile(rf"\b{_alt(lex.ceo_titles)}\b", re.I),
        not_current=re.compile(rf"\b{_alt(lex.not_current)}[\s-]", re.I),
        # case matters: "May" is a month, "may" a modal; a cue opening a sentence is capitalised
        cue=re.compile(rf"\b{_alt(cues | {c[:1].upper() + c[1:] for c in cues if c != 'may'})}\b|n['’]t\b"),
        phrases=phrases,
        rel_nouns=rel,
        appos_lead=re.compile(r",\s+(?:the\s+|a\s+|an\s+|and\s+)?|\s+(?:is|was|remains|became|has\s+become|are|were)"
                              r"\s+(?:also\s+)?(?:one\s+of\s+)?(?:the\s+)?"),
        poss_noun=re.compile(rf"['’]s\s+{noun_mods}(?P<noun>{rel_alt})\b", re.I),
        poss_before=re.compile(rf"['’]s\s+{noun_mods}(?P<noun>{rel_alt})(?:\s+(?:in|for|among|at)\s+(?:[\w-]+\s+){{1,3}}?"
                               rf"(?=include|are|is|was|were))?,?\s+(?:(?:include|includes|included|are|is|was|"
                               rf"were|such\s+as|including|like|namely|remains?|has\s+been)\s+)?(?:the\s+)?", re.I),
        of_between=re.compile(rf"(?:,\s+|\s+(?:is|was|remains|became|has\s+become|has\s+been|have\s+been|had\s+been)"
                              rf"\s+(?:(?:also|now|still|already|effectively|formally)\s+)?)(?:the|a|an|one\s+of\s+(?:the|its))\s+{noun_mods}(?P<noun>{rel_alt})\s+"
                              r"(?P<prep>of|in|at|behind|for)\s+(?:the\s+)?(?:(?:[A-Z][\w.&-]*['’]s|[A-Z][a-z]+|[a-z][\w-]*)"
                              r"\s+){0,3}?",
                              re.I),
        compound_between=re.compile(rf"\s+(?P<noun>{rel_alt})\s+"),
        unsure=re.compile(rf"\b(?:{'|'.join(sorted(_UNSURE))})\b", re.I),
        product_nouns=_alt(kind_nouns),
        transparent=_alt(lex.transparent),
        rounds=_alt(lex.rounds),
        stakes=_alt(w for w in lex.stakes if w.isalpha()),
        brand_list=re.compile(rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{_alt(kind_nouns | {'parts', 'products'})})\s+"
                              r"(?:such\s+as|including|like|namely)\s+(?:the\s+)?", re.I),
        appos_kind=re.compile(rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{_alt(kind_nouns)})\s+"
                              r"(?:that\s+|which\s+)?"),
        # ("Huawei's HiSilicon unit" is a unit: the nouns naming a subsidiary are no deal)
        deal_after=re.compile(rf"\s+(?:[a-z][\w-]*\s+)?(?:{deal_nouns}|{_alt(lex.stakes | lex.rounds)}|deal|"
                              r"partnership|"
                              r"alliance|investment|tie-up|agreement|contract|rivalry|merger|acquisition)\b", re.I),
        family_after=re.compile(rf"['’]s\s+(?:{_MOD}\s+){{0,3}}?(?P<noun>{_alt(kind_nouns)})\b"),
    )
    _CACHE[id(lex)] = (lex, words)
    return words


def _fact(s: Mention, predicate: str, o: Mention, sentence: Sentence, article: str, rule: str,
          confidence: float = SURFACE_CONFIDENCE) -> Fact | None:
    if s.entity.iri == o.entity.iri:
        return None
    if s.entity.type not in SUBJECT_TYPES[predicate] or o.entity.type not in OBJECT_TYPES[predicate]:
        return None
    if predicate == "headquarteredIn" and o.rule == "metonym":
        return None  # "based in Beijing" names a city, not the country (corpus convention)
    conf = round(min(confidence, s.confidence, o.confidence), 3)
    return Fact(s.entity, predicate, o.entity, Evidence(article, sentence.text, sentence.start, sentence.end,
                                                        rule, conf))


def _blocked(w: _Words, sentence: Sentence, lo: int, hi: int, allowed: frozenset[str] = frozenset(),
             here: bool = False) -> bool:
    """Whether the clause around absolute offsets [lo, hi) is negated or hedged (by a cue not in ``allowed``:
    the lexicon's ``not_hedged_by`` of the predicate, "agreed to" for a partnership)."""
    text = sentence.text
    a, b = lo - sentence.start, hi - sentence.start
    start = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, max(0, a)):
        start = m.end()
    if here:  # the clause starts at ``lo`` itself (a reduced relative: "the P800 accelerator designed by")
        start = max(start, a)
    return any(" ".join(c.lower().split()) not in allowed for c in w.cue.findall(text[start:b]))


def _coordinated(mentions: list[Mention], j: int, types: tuple[str, ...], text: str, w: _Words) -> list[int]:
    """Indices of the mentions listed after mentions[j] ("A, B and C")."""
    out = []
    k = j
    while k + 1 < len(mentions):
        nxt = mentions[k + 1]
        if nxt.entity.type not in types or nxt.rule in ("coref", "demonym"):
            # "OpenAI, the US company behind ChatGPT, and Google": an apposition inside the list is passed over
            skip = _past_apposition(mentions, k, types, text)
            if skip is None:
                break
            out.append(skip)
            k = skip
            continue
        if not w.list_sep.fullmatch(text[mentions[k].end: nxt.start]):
            break
        if re.match(r"['’]s\s", text[nxt.end: nxt.end + 3]):
            break  # "JD Health, JD.com's healthcare arm": a possessor opens an apposition, not a list item
        out.append(k + 1)
        k += 1
    return out


def _coordinated_before(mentions: list[Mention], j: int, text: str, w: _Words) -> list[int]:
    """Indices of the mentions listed before mentions[j] ("A, B and C" seen from C), nearest first."""
    out = []
    k = j
    while k > 0:
        prev = mentions[k - 1]
        if prev.entity.type != mentions[j].entity.type or prev.rule in ("coref", "demonym", "alias-prefix"):
            break
        if not w.list_sep.fullmatch(text[prev.end: mentions[k].start]):
            break
        out.append(k - 1)
        k -= 1
    return out


def _past_apposition(mentions: list[Mention], k: int, types: tuple[str, ...], text: str) -> int | None:
    """The next list item after an apposition or relative clause that follows item ``k`` (", the US company
    behind ChatGPT, and Google"), if the list goes on after it."""
    aside = re.match(r",\s+(?:the|a|an|whose|which|who)\b[^;:()]{1,90}?,\s+(?:and\s+|or\s+|as\s+well\s+as\s+)?"
                     r"(?:the\s+)?", text[mentions[k].end: mentions[k].end + 120])
    if not aside:
        return None
    at = mentions[k].end + aside.end()
    return next((i for i in range(k + 1, min(k + 6, len(mentions))) if mentions[i].start == at
                 and mentions[i].entity.type in types and mentions[i].rule not in ("coref", "demonym")), None)


# ---- the rules -------------------------------------------------------------------------------------------

def _possessives(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
                 ) -> Iterator[Fact]:
    """ "X's Y", "its Y", "X, whose Y": the owner of what follows."""
    for i, owner in enumerate(ms):
        pronoun = owner.rule == "coref" and owner.text.lower() in ("its", "their")
        for j in range(i + 1, min(i + 3, len(ms))):
            owned = ms[j]
            between = text[owner.end: owned.start]
            # "Huawei's current flagship, the Ascend 910C", "its flagship chip, the MTT S4000"
            appos = re.fullmatch(rf"(?:['’]s)?\s+(?:{_MOD}\s+){{0,4}}?(?P<noun>[a-z][\w-]*),\s+(?:the\s+|a\s+|an\s+)?",
                                 between) if (pronoun or between[:1] in "'’") else None
            if appos and (appos.group("noun") in lex.kind_of_noun or appos.group("noun") in _OWNED_NOUNS):
                m: re.Match[str] | None = appos
            elif pronoun:  # "its Jimeng app"
                m = w.mods.fullmatch(between[1:]) if between[:1].isspace() else None
            else:  # "Huawei's Ascend", "Google, whose Veo 3 model"
                # ("DeepSeek, the Hangzhou start-up whose R1 model": a description's "whose")
                opener = re.match(r"['’]s?\s+|,\s+whose\s+" + (r"|\s+whose\s+" if owner.rule == "coref" else ""),
                                  between)
                m = w.mods.fullmatch(between[opener.end():]) if opener else None
            if m is None:
                continue
            if appos and _blocked(w, sentence, owner.start, owned.end):
                continue  # "It plans to release a new version of its models, SenseNova V6": not yet there
            after = text[owned.end: owned.end + 40].lower().lstrip()
            if any(after.startswith(x) for x in lex.not_owned_before):
                continue
            if owner.start > 0 and text[owner.start - 1] in _QUOTE_BEFORE:
                continue  # 'nicknamed "China's Nvidia"': a nickname states nothing
            predicate = None
            if owner.entity.type == "Company" and owned.entity.type in OWNABLE and "develops" in lex.possessive:
                predicate = "develops"
                if pronoun and owned.entity.type == "Chip" and "own" not in between and _acquired_before(
                        text, sentence, owner, lex, ms):
                    continue  # "it bought its H800s": a chip one buys is not one's own
            elif owner.entity.type in IMPOSER and owned.entity.type == "Sanction" and "imposedBy" in lex.possessive:
                predicate = "imposedBy"
            elif owner.entity.type == "Country" and owned.entity.type == "Company" and not between.strip(" '’s") \
                    and owner.rule != "metonym":
                predicate = "headquarteredIn"  # "China's Tencent" (not "China's largest chipmaker, SMIC")
            elif owner.entity.type == "Company" and owned.entity.type == "Company" and not pronoun and \
                    (not between.strip(" '’s") or re.fullmatch(r",\s+whose\s+", between)) and \
                    not w.deal_after.match(text, owned.end):
                # "Huawei's HiSilicon", "China Telecom, whose Tianyi Cloud" (not "Microsoft's OpenAI stake")
                predicate = "subsidiaryOf"
            if predicate is None:
                continue
            targets = [j] + (_shared_head(ms, j, text, lex, w) if predicate == "develops" else [])
            for k in targets:
                s, o = (owner, ms[k]) if predicate == "develops" else (ms[k], owner)
                fact = _fact(s, predicate, o, sentence, article, "possessive",
                             0.7 if predicate == "subsidiaryOf" else SURFACE_CONFIDENCE)
                if fact:
                    yield fact
            break


def _appositive_possessions(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon,
                            w: _Words) -> Iterator[Fact]:
    """ "Doubao, ByteDance's family of large language models", "Qianfan, Baidu's model-as-a-service platform":
    a name set off before a possessor and a kind noun is the possessor's."""
    for i, owned in enumerate(ms[:-1]):
        if owned.entity.type not in OWNABLE:
            continue
        owner = ms[i + 1]
        # "Ironwood, the seventh generation of Google's TPU": a transparent noun's "of" leads to the possessor
        through = re.fullmatch(rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:{w.transparent})\s+of\s+(?:the\s+)?",
                               text[owned.end: owner.start])
        if through and owner.entity.type == "Company" and re.match(r"['’]s\s", text[owner.end: owner.end + 3]):
            fact = _fact(owner, "develops", owned, sentence, article, "possessive-appos")
            if fact:
                yield fact
            continue
        if owner.entity.type == "Company" and _described_as_made_by(owned, owner, text, lex):
            fact = _fact(owner, "develops", owned, sentence, article, "described-by-maker")
            if fact:
                yield fact
            continue
        if owner.entity.type != "Company" or not re.fullmatch(r",\s+(?:the\s+)?", text[owned.end: owner.start]):
            continue
        pronoun = owner.rule == "coref" and owner.text.lower() in ("its", "their")
        if w.family_after.match(text, owner.end) or pronoun and w.family_after.match("'s" + text[owner.end:
                                                                                                  owner.end + 80]):
            if not owned.entity.known and _blocked(w, sentence, owner.start, owned.end):
                continue  # "It plans to release a new version of its models, SenseNova V6": not yet there
            fact = _fact(owner, "develops", owned, sentence, article, "possessive-appos")
            if fact:
                yield fact


def _described_as_made_by(owned: Mention, owner: Mention, text: str, lex: Lexicon) -> bool:
    """ "The Z7, a Quorix processor for phones", "The Z7 is a Quorix chip": a name described as a company's
    thing of its own kind (a company name used as a modifier of the kind noun) is that company's product."""
    gap = re.fullmatch(r"(?:,\s+|\s+(?:is|was|remains)\s+)(?:a|an|the)\s+(?:(?:new|latest|newest|older|cheaper|"
                       r"flagship|first|second|third|domestic|homegrown|home-grown|in-house)\s+)?",
                       text[owned.end: owner.start])
    if not gap or re.match(r"['’]", text[owner.end: owner.end + 1]):
        return False  # "the Z7, a rival's chip", "X, Quorix's chip": the possessive rules read those
    head = re.match(rf"\s+(?:{_MOD}\s+){{0,2}}?([a-z][\w-]*)\b(?!-)", text[owner.end: owner.end + 60])
    if not head or lex.kind_of_noun.get(head.group(1).lower()) != owned.entity.type:
        return False
    # "a Quorix chip designer", "an Nvidia chip customer": a noun after the kind noun makes it a compound
    # describing something else
    after = re.match(r"\s+([a-z][\w-]*)", text[owner.end + head.end(): owner.end + head.end() + 30])
    return not after or after.group(1).endswith("ed") or after.group(1) in (
        "for", "that", "which", "with", "in", "from", "and", "or", "to", "is", "was", "at", "on")


def _brand_lists(sentence: Sentence, ms: list[Mention], text: str, article: str, w: _Words) -> Iterator[Fact]:
    """ "Nvidia parts such as the H100, H200 and B200", "Huawei chips including the Ascend 910B": a company's
    products listed after its name and a product noun."""
    for i, owner in enumerate(ms[:-1]):
        if owner.entity.type != "Company" or owner.rule == "coref":
            continue
        first = ms[i + 1]
        if first.entity.type not in OWNABLE or not w.brand_list.fullmatch(text[owner.end: first.start]):
            continue
        for k in [i + 1, *_coordinated(ms, i + 1, OWNABLE, text, w)]:
            fact = _fact(owner, "develops", ms[k], sentence, article, "brand-list")
            if fact:
                yield fact


def _reduced_relatives(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
                       ) -> Iterator[Fact]:
    """ "Step-3, the open-weight model StepFun released in July", "the RTX Pro 6000D, a server graphics card Nvidia
    designed": an apposition whose kind noun is the object of a clause with the lexicon's verb."""
    for i, obj in enumerate(ms[:-1]):
        subj = ms[i + 1]
        if not w.appos_kind.fullmatch(text[obj.end: subj.start]):
            continue
        v = re.match(r"\s+(?:(?:has|had|have|also|first|later|recently|just)\s+)?([a-z][\w-]*)\b", text[subj.end:
                                                                                                       subj.end + 40])
        if not v:
            continue
        for frame in lex.verbs.get(v.group(1), []):
            if frame.subject == "agent" and frame.object == "theme" and frame.voice != "passive" and (
                    not frame.objects or obj.entity.type in frame.objects):
                fact = _fact(subj, frame.predicate, obj, sentence, article, f"reduced-relative:{' '.join(frame.words)}")
                if fact:
                    yield fact


# what may stand between a verb's subject and the verb: auxiliaries, adverbs, catenative verbs ("has also been
# buying", "plans to buy", "kept ordering"); anything else means the verb has a subject of its own
_VERB_CHAIN = re.compile(r"(?:\s+(?:[a-z]+ly|has|have|had|is|was|were|are|be|been|being|will|would|could|can|may|"
                         r"might|should|must|also|then|still|now|once|later|first|again|kept|keeps|keep|began|begun|"
                         r"begin|begins|started|starts|start|continued|continues|plans|planned|plan|wants|wanted|"
                         r"agreed|agrees|tried|tries|hopes|hoped|aims|aimed|to|not|never|already|and|or))*\s*")


def _acquired_before(text: str, sentence: Sentence, owner: Mention, lex: Lexicon,
                     ms: list[Mention] | None = None) -> bool:
    """ "it bought its H800s": a verb of getting a chip whose subject is the possessor itself (not "V3.2 runs
    on its Ascend processors", "Nvidia agreed to supply 18,000 of its GB300 chips")."""
    lo = max(sentence.start, owner.start - 40)
    for v in list(re.finditer(r"[a-z][\w-]*", text[lo: owner.start]))[-3:]:
        frames = lex.verbs.get(v.group(), [])
        if not any(f.predicate == "usesChip" and f.subject == "agent" for f in frames):
            continue
        vs = lo + v.start()
        subject = [m for m in (ms or []) if sentence.start <= m.start and m.end <= vs and m.rule != "demonym"]
        if subject and not _VERB_CHAIN.fullmatch(text[subject[-1].end: vs]):
            continue  # "Demand for Nvidia held as buyers kept ordering its chips": the name is not the verb's subject
        if subject and subject[-1].entity.iri == owner.entity.iri:
            return True
        # "to buy its chips", "buying its chips" take the possessor as their subject; "The system links 384 of
        # its Z9 processors" has a subject of its own, though not a name
        if not subject and (v.group().endswith("ing") or re.search(r"\bto\s+$", text[max(lo, vs - 4): vs])):
            return True
    return False


def _shared_head(ms: list[Mention], j: int, text: str, lex: Lexicon, w: _Words) -> list[int]:
    """ "its Taobao and Tmall marketplaces", "Huawei's Ascend 910B, 910C and 910D", "Nvidia's A100 and H100": one
    possessor before a list owns every bare item (not "Huawei's Ascend and the H20": a determiner starts a new
    noun phrase) and every item of a list with a shared plural noun."""
    items = _coordinated(ms, j, OWNABLE, text, w)
    if not items:
        return []
    bare = []
    for k in items:
        if re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+or)\s+", text[ms[k - 1].end: ms[k].start]):
            bare.append(k)
        else:
            break
    if bare:
        return bare
    after = text[ms[items[-1]].end:].lstrip().split(" ", 2)
    nouns = lex.kind_words("AIModel") | lex.kind_words("Chip") | lex.kind_words("Product")
    if any(x.lower().rstrip(".,") in nouns and x.lower().rstrip(".,").endswith("s") for x in after[:2]):
        return items
    return []


def _prefixes(sentence: Sentence, ms: list[Mention], text: str, article: str, w: _Words) -> Iterator[Fact]:
    """ "Nvidia H800", "DeepSeek-R1", "US export controls": a name that opens another names its owner; and
    each bare item listed after it ("Nvidia H100 and H200 GPUs")."""
    for k, (a, b) in enumerate(zip(ms, ms[1:], strict=False)):
        gap = text[a.end: b.start]
        if gap not in ("", " ", "-"):
            continue
        if a.entity.type == "Company" and b.entity.type in OWNABLE and a.rule != "coref":
            if a.rule == "alias-prefix" or gap == " " and b.rule not in ("coref",):
                items = [k + 1] + [i for i in _coordinated(ms, k + 1, (b.entity.type,), text, w)
                                   if re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+or)\s+", text[ms[i - 1].end: ms[i].start])]
                for i in items:
                    fact = _fact(a, "develops", ms[i], sentence, article, "prefix")
                    if fact:
                        yield fact
        elif a.entity.type in IMPOSER and b.entity.type == "Sanction":
            fact = _fact(b, "imposedBy", a, sentence, article, "prefix")
            if fact:
                yield fact


def _hyphens(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
             ) -> Iterator[Fact]:
    """ "Huawei-designed Ascend chips", "Tencent-backed Moonshot", "US-based Solidigm"."""
    for i, a in enumerate(ms):
        m = re.match(r"-([a-z]+)\s+", text[a.end: a.end + 30])
        if not m or m.group(1) not in lex.hyphen:
            continue
        predicate, name_is_subject = lex.hyphen[m.group(1)]
        # "Quillmark, a Tencent-backed start-up": the hyphen phrase describes the name it stands beside
        # "the Amazon-owned chip designer": the last kind noun of the phrase is its head
        kind = None
        for word in re.findall(r"[A-Za-z][\w-]*", text[a.end + m.end(): a.end + 90])[:4]:
            if word.lower() in ("of", "for", "with", "behind", "that", "which", "who", "and", "in", "to"):
                break
            kind = lex.kind_of_noun.get(word.lower(), kind)
        if kind and i > 0 and re.fullmatch(r",\s+(?:a|an|the)\s+|\s+(?:is|was|remains|became)\s+(?:a|an|the)\s+",
                                           text[ms[i - 1].end: a.start]) and ms[i - 1].entity.type == kind:
            s, o = (a, ms[i - 1]) if name_is_subject else (ms[i - 1], a)
            fact = _fact(s, predicate, o, sentence, article, "hyphen-described-" + m.group(1))
            if fact:
                yield fact
            continue
        for j in range(i + 1, min(i + 3, len(ms))):
            between = text[a.end + m.end(): ms[j].start]
            if not w.mods.fullmatch(between):
                continue
            for k in [j, *_coordinated(ms, j, (ms[j].entity.type,), text, w)]:
                s, o = (a, ms[k]) if name_is_subject else (ms[k], a)
                fact = _fact(s, predicate, o, sentence, article, "hyphen-" + m.group(1))
                if fact:
                    yield fact
            break


def _nationalities(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
                   ) -> Iterator[Fact]:
    """ "Chinese start-up DeepSeek", "the US chipmakers AMD and Intel", "Geely, the Chinese carmaker",
    "AMD, Intel and other US chipmakers"."""
    for i, d in enumerate(ms):
        if d.entity.type != "Country" or d.rule == "metonym":
            continue
        before = text[max(sentence.start, d.start - 60): d.start]
        # after: "Chinese (mods) start-up (such as)? X (, Y and Z)"
        m = re.match(rf"\s+(?:{_MOD}\s+){{0,3}}?({w.company_noun.pattern})(?:\s+|,\s+(?=[A-Z]))(?:(?:such\s+as|"
                     r"including|like|led\s+by)\s+)?(?:the\s+)?", text[d.end: d.end + 120], re.I)
        if m and "," in m.group() and (not (i + 1 < len(ms) and text[ms[i + 1].end: ms[i + 1].end + 1] == ",") or
                                        re.search(r"\b(?:for|in|as|like|to|of|with|from)\s+(?:a|an|the)\s+"
                                                  r"(?:[\w-]+\s+)?$", before, re.I)):
            # "its main Chinese rival, X, has ...": the name set off on both sides is the noun's apposition (not
            # "For a Japanese company, X said, ...")
            m = None
        if m and i + 1 < len(ms) and ms[i + 1].start == d.end + m.end() and ms[i + 1].entity.type == "Company":
            for k in [i + 1, *_coordinated(ms, i + 1, ("Company",), text, w)]:
                fact = _fact(ms[k], "headquarteredIn", d, sentence, article, "nationality-before")
                if fact:
                    yield fact
            continue
        # before: "X, the Chinese carmaker" / "X and Y, the two biggest US chipmakers" / "X and other US makers"
        # "Solidigm, its US-based NAND flash subsidiary"
        after = re.match(rf"(?:-based|-headquartered)?\s+(?:{_MOD}\s+){{0,3}}?({w.company_noun.pattern})\b",
                         text[d.end: d.end + 80], re.I)
        if not after:
            continue
        # "Samsung Electronics, SK Hynix's larger South Korean rival"
        lead = re.search(r"(?:,\s+(?:the|a|an|its|their|one\s+of\s+the|two|three|both|"
                         r"[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2}['’]s)\s+(?:[\w’'-]+\s+){0,3}?|"
                         r",?\s+(?:and|or)\s+other\s+(?:[\w-]+\s+){0,2}?|,\s+|"
                         # "Lenovo is a Chinese company", "Orvane remains one of the largest Japanese toolmakers"
                         r"\s+(?:is|was|remains|became|has\s+become)\s+(?:a|an|the|one\s+of\s+the)\s+"
                         r"(?:[\w’'-]+\s+){0,3}?)$", before)
        if not lead:
            continue
        anchor_end = d.start - len(lead.group())
        prev = [k for k in range(i) if ms[k].end == anchor_end and ms[k].entity.type == "Company"]
        if not prev:
            continue
        group = [prev[0]]
        k = prev[0]
        while k > 0 and ms[k - 1].entity.type == "Company" and w.list_sep.fullmatch(text[ms[k - 1].end: ms[k].start]):
            k -= 1
            group.append(k)
        plural = after.group(1).lower().endswith("s") or "other" in lead.group()
        for g in group if plural or len(group) == 1 else group[:1]:
            fact = _fact(ms[g], "headquarteredIn", d, sentence, article, "nationality-appos")
            if fact:
                yield fact


def _titles(sentence: Sentence, ms: list[Mention], text: str, article: str, w: _Words) -> Iterator[Fact]:
    """ "Nvidia chief executive Jensen Huang", "Kuaishou CEO Cheng Yixiao", "Xiaomi's founder, chairman and chief
    executive, Lei Jun", "Xu Li, SenseTime's co-founder, chairman and chief executive"."""
    for i, a in enumerate(ms):
        for j in range(i + 1, min(i + 3, len(ms))):
            b = ms[j]
            between = text[a.end: b.start]
            if a.entity.type == "Company" and b.entity.type == "Person":
                m = re.fullmatch(rf"(?:['’]s)?\s+(?:{_MOD}\s+)??({w.title_seq.pattern})\s*,?\s+", between, re.I)
                person, company = b, a
            elif a.entity.type == "Person" and b.entity.type == "Company":
                m = re.fullmatch(rf"(?:,\s+|\s+(?:is|remains|serves\s+as|has\s+been)\s+)(?:(?:the|its|a)\s+)?"
                                 rf"({w.title_seq.pattern})\s+(?:of|at)\s+(?:the\s+)?", between, re.I)
                if m is None and re.match(r"['’]s\b", text[b.end: b.end + 2]):
                    # "Xu Li, SenseTime's co-founder ...", "Zhao Haijun, one of SMIC's two co-chief executives",
                    # "Pony Ma is Tencent's chairman and chief executive"
                    m = re.fullmatch(r"(?:,\s+|,?\s+(?:is|remains|serves\s+as|has\s+been)\s+)(?:the\s+|one\s+of\s+)?",
                                     between)
                    if m:
                        m = re.match(rf"['’]s\s+(?:(?:two|three|four|current|new)\s+)?({w.title_seq.pattern})\b",
                                     text[b.end: b.end + 120], re.I)
                person, company = a, b
            else:
                continue
            # one of the titles listed is a chief executive's ("chairman and chief executive"), not a word
            # inside another title ("chief technology officer")
            if not m or not any(w.ceo_title.fullmatch(t.strip()) for t in re.split(r",|\band\b", m.group(1))):
                continue
            if w.not_current.search(text[max(sentence.start, min(a.start, b.start) - 20): max(a.end, b.end)]):
                continue
            fact = _fact(person, "ceoOf", company, sentence, article, "title")
            if fact:
                yield fact
            break


def _phrases(sentence: Sentence, ms: list[Mention], text: str, article: str, w: _Words) -> Iterator[Fact]:
    """The lexicon's idioms: "{S} goes head to head with {O}"."""
    for i, a in enumerate(ms):
        for j in range(i + 1, min(i + 4, len(ms))):
            b = ms[j]
            between = text[a.end: b.start]
            if len(between) > 80:
                break
            for predicate, middle, s_first, tail in w.phrases:
                if not middle.fullmatch(between):
                    continue
                if _blocked(w, sentence, a.start, b.end):
                    continue
                ks = [j, *_coordinated(ms, j, (b.entity.type,), text, w)]
                if tail and not tail.match(text[ms[ks[-1]].end:]):
                    continue  # "counts Tencent among its investors" is no "counts X among its rivals"
                for k in ks:
                    s, o = (a, ms[k]) if s_first else (ms[k], a)
                    fact = _fact(s, predicate, o, sentence, article, "phrase")
                    if fact:
                        yield fact


def _relational_nouns(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
                      ) -> Iterator[Fact]:
    """The lexicon's relational nouns beside names: "Cambricon, Huawei's most prominent domestic rival",
    "Alibaba's chip unit T-Head", "Alibaba Cloud, the cloud-computing arm of Alibaba Group", "Kuaishou's rivals
    include OpenAI and Google", "OpenAI challenger MiniMax", "X is a unit of Y"."""
    for i, a in enumerate(ms):
        for j in range(i + 1, min(i + 3, len(ms))):
            b = ms[j]
            between = text[a.end: b.start]
            if len(between) > 90:
                break
            after = text[b.end: b.end + 90]
            # "Stargate, the data-centre venture whose equity backers include SoftBank": "whose" is a possessive
            between = re.sub(r"^,\s+(?:[^,;()]{0,60}?\s)?whose\s+", "'s ", between)
            # "X is a start-up whose investors include Y": the copula's noun is X, whose the relative says
            between = re.sub(r"^\s+(?:is|was|remains|became|has\s+become)\s+(?:an?|the|one\s+of\s+the)\s+"
                             r"(?:(?!(?:by|of|in|with|from|for|at|to|that|which)\s)[\w-]+\s+){0,4}?whose\s+", "'s ",
                             between)
            # "Tidewater Robotics' chip unit": a name ending in s takes the bare apostrophe
            if a.text.endswith("s") and re.match(r"['’]\s", between):
                between = "'s" + between[1:]
            if a.rule == "coref" and a.text.lower() in ("its", "their") and between[:1].isspace():
                between = "'s" + between  # "through its subsidiary Beijing Tongmei"
            if b.text.endswith("s") and re.match(r"['’]\s", after):
                after = "'s" + after[1:]
            if b.rule == "coref" and b.text.lower() in ("its", "their"):  # "Solidigm, its US-based subsidiary"
                after = "'s" + after
            found = _noun_between(w, between, after)
            if found is None:
                continue
            noun, prep, head_first = found
            if prep and re.match(r"['’]s\s", text[b.end: b.end + 3]):
                continue  # "the main rival of Huawei's HiSilicon": the possessor only says whose HiSilicon is
            head, owner = (a, b) if head_first else (b, a)
            # "would be built by SB Energy, SoftBank's renewable-power unit": an apposition states its own fact
            appositive = between.startswith(",")
            if _blocked(w, sentence, a.end if appositive else a.start, b.end, here=appositive) or \
                    w.unsure.search(between):
                continue
            heads = [head] + ([ms[k] for k in _coordinated(ms, j, (b.entity.type,), text, w)] if head is b else [])
            for frame in w.rel_nouns.get(noun, []):
                roles = {"head": heads, "owner": [owner]}
                if prep:
                    roles[prep] = [owner]
                    if prep == "of":
                        roles.setdefault("owner", [owner])
                    elif frame.subject != prep and frame.object != prep:
                        continue
                if frame.subject not in roles or frame.object not in roles:
                    continue
                for x in roles[frame.subject]:
                    for y in roles[frame.object]:
                        fact = _fact(x, frame.predicate, y, sentence, article, f"noun:{frame.name}")
                        if fact:
                            yield fact


def _noun_between(w: _Words, between: str, after: str) -> tuple[str, str, bool] | None:
    """(noun, preposition, whether the first name is the head) of a relational noun linking two names."""
    m = w.appos_lead.fullmatch(between)
    if m:  # "Cambricon, Huawei's most prominent rival": the noun follows the second name
        n = w.poss_noun.match(after)
        if n:
            return " ".join(n.group("noun").lower().split()), "", True
    m = w.poss_before.fullmatch(between)
    if m:  # "Alibaba's chip unit T-Head", "Kuaishou's rivals include OpenAI"
        return " ".join(m.group("noun").lower().split()), "", False
    m = w.of_between.fullmatch(between)
    if m:  # "Alibaba Cloud, the cloud-computing arm of Alibaba Group"
        return " ".join(m.group("noun").lower().split()), m.group("prep").lower(), True
    m = w.compound_between.fullmatch(between)
    if m:  # "OpenAI challenger MiniMax", "Alibaba unit T-Head"
        return " ".join(m.group("noun").lower().split()), "", False
    return None


_AUX = r"(?:has|have|had|will|would|also|recently|quietly|already|then|now|first|later|jointly|officially|just|" \
       r"all|both|each|together|" \
       r"since|formally|publicly|itself|has\s+also|have\s+also|is|are|was|were|has\s+been|have\s+been|had\s+been)"
_BE = r"(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been|will\s+be|is\s+being|was\s+being)"
_OBJ_LEAD = r"(?:(?:the|its|their|a|an|his|her|own|new|latest|first|next|flagship|newest|upgraded|updated|" \
            r"[a-z][\w]*-[\w-]+|open-source|open-weight)\s+){0,4}"


def _local_verbs(sentence: Sentence, ms: list[Mention], text: str, article: str, lex: Lexicon, w: _Words
                 ) -> Iterator[Fact]:
    """The lexicon's verb frames where subject, verb and object stand side by side: "Baidu unveiled Ernie 4.5
    Turbo and Ernie X1 Turbo", "Kling runs on Nvidia chips", "Doubao, developed by ByteDance". The parse reads
    the same frames in any order; this reads the plainest orders even when the parse goes wrong."""
    s0 = sentence.start
    # "the three big US toolmakers": a country naming the kind of a noun modifies it, it is no argument here
    args = [m for m in ms if not (m.entity.type == "Country" and re.match(
        rf"\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{w.company_noun.pattern}|{w.product_nouns})\b", text[m.end: m.end + 60],
        re.I))]
    for v in re.finditer(r"[A-Za-z][\w-]*", sentence.text):
        frames = lex.verbs.get(v.group().lower())
        if not frames:
            continue
        vs, ve = s0 + v.start(), s0 + v.end()
        for frame in frames:
            end = ve
            if len(frame.words) > 1:
                rest = re.match(r"\s+" + r"\s+".join(map(re.escape, frame.words[1:])) + r"\b", text[ve: ve + 40],
                                re.I)
                if not rest:
                    continue
                end = ve + rest.end()
            if frame.predicate == "ceoOf" and re.search(r"(?:ed|ran|led|had)$", v.group().lower()) and not \
                    re.match(r"\s+by\b", text[ve: ve + 4]):
                continue  # "who ran the company for a decade": past, not the current chief executive
            for subj, obj, why in _local_args(args, text, vs, end, frame.subject, frame.object, frame.voice,
                                              w.product_nouns, w.transparent, w.rounds, w.stakes,
                                              w.company_noun.pattern):
                # the verb's own clause: "Analysts are courting Orvane, which buys H20 chips" is not hedged, nor
                # is a reduced relative ("in talks to make the P800 accelerator designed by Kunlunxin")
                first = min(subj.start, obj.start)
                reduced = why == "passive" and not re.search(rf"\b{_BE}\b", text[first: vs])
                lo = vs if subj.end <= vs or reduced else min(first, vs)
                if _blocked(w, sentence, lo, max(subj.end, obj.end), lex.unhedged.get(frame.predicate, frozenset()),
                            here=reduced):
                    continue
                listed = [obj]
                if obj.start > subj.start:  # "unveiled Ernie 4.5 Turbo and Ernie X1 Turbo"
                    k = args.index(obj)
                    listed += [args[i] for i in _coordinated(args, k, (obj.entity.type,), text, w)]
                subjects = [subj]
                if subj.end <= vs:  # "Applied Materials, Lam Research and KLA ... all compete with"
                    subjects += [args[i] for i in _coordinated_before(args, args.index(subj), text, w)]
                for a in subjects:
                    for o in listed:
                        if frame.objects and o.entity.type not in frame.objects:
                            continue
                        if frame.predicate == "develops" and why == "passive" and o.entity.type == "Chip" and any(
                                f.predicate == "manufactures" for f in frames):
                            continue  # "the AI5 will be built by TSMC": manufactured, not developed, by it
                        made_for = any(  # "makes the ZX-40 accelerator for Lenovo"
                            x.start >= o.end and x.entity.type == "Company" and x.entity.iri != a.entity.iri and
                            re.fullmatch(r"\s+(?:[a-z][\w-]*\s+){0,2}?for\s+(?:the\s+)?", text[o.end: x.start])
                            for x in args)
                        if frame.predicate == "develops" and (_other_owner(ms, o, a, text) or made_for):
                            # "TSMC makes Nvidia's Blackwell GPUs", "makes the H20 for Nvidia": manufactured
                            if o.entity.type == "Chip" and any(f.predicate == "manufactures" for f in frames):
                                fact = _fact(a, "manufactures", o, sentence, article,
                                             f"local-made-for:{' '.join(frame.words)}")
                                if fact:
                                    yield fact
                            continue
                        fact = _fact(a, frame.predicate, o, sentence, article, f"local-{why}:{' '.join(frame.words)}")
                        if fact:
                            yield fact


def _local_args(ms: list[Mention], text: str, vs: int, ve: int, subject: str, obj: str, voice: str | None,
                product_nouns: str, transparent: str = "(?!)", rounds: str = "(?!)", stakes: str = "(?!)",
                company_nouns: str = "(?!)") -> Iterator[tuple[Mention, Mention, str]]:
    """(subject, object) pairs a verb at [vs, ve) links by adjacency, in the roles the frame names
    (``product_nouns``: the lexicon's kind nouns a name may stand before: "the MTT S4000 processors designed by")."""
    before = [m for m in ms if m.end <= vs and m.rule not in ("demonym", "alias-prefix")]
    after = [m for m in ms if m.start >= ve and m.rule not in ("demonym",)]
    if not before or not after:
        return
    left = before[-1]
    # "Moore Threads, whose founder is Zhang Jianzhong, sells": a name inside an aside is not the subject
    for earlier in reversed(before[-4:-1]):
        if re.fullmatch(rf",\s+(?:the|a|an|which|who|whose)\b[^,;()]{{0,100}},\s+(?:{_AUX}\s+){{0,2}}",
                        text[earlier.end: vs]) and earlier.entity.type != "Country":
            left = earlier
            break
    gap = text[left.end: vs]
    passive_gap = re.fullmatch(rf"\s*,?\s+(?:(?:the|a|an)\s+(?:[\w-]+\s+){{0,4}}?|(?:[a-z][\w-]*\s+){{0,2}}?"
                               rf"(?:{product_nouns})\s+)?(?:(?:which|that)\s+)?(?:{_BE}\s+)?(?:\w+ly\s+)?", gap)
    passive = passive_gap and re.match(r"\s+by\s+", text[ve: ve + 5])
    # "Moonshot AI, a start-up based in China": a passive whose other role is a preposition, not "by"
    if passive_gap and not passive and voice == "passive" and obj not in ("agent", "theme") and \
            text[vs:ve].endswith("ed") and re.match(rf"\s+{re.escape(obj)}\s", text[ve: ve + len(obj) + 2]):
        other = _first_after(ms, text, ve, rf"\s+{re.escape(obj)}\s+(?:the\s+)?")
        if other is not None and subject == "theme":
            yield left, other, "passive"
        return
    # "Baidu unveiled", "Shengshu Technology, a Beijing company spun out of Tsinghua University, makes"
    active = re.fullmatch(rf"(?:,\s+(?:the|a|an|which|who|whose)\b[^,;()]{{0,100}},)?\s+(?:{_AUX}\s+){{0,2}}", gap) \
        or gap == " " or re.fullmatch(rf",?\s+(?:which|who)\s+(?:{_AUX}\s+){{0,2}}", gap)  # "X, which led"
    roles: dict[str, Mention] = {}
    if passive and voice != "active":
        agent = _first_after(ms, text, ve, r"\s+by\s+(?:the\s+)?")
        if agent:
            roles = {"theme": left, "agent": agent}
    elif active and voice != "passive" and (not re.search(rf"\b{_BE}\s*$", text[max(0, vs - 12): vs])
                                             or text[vs:ve].endswith("ing")):  # "has been making": progressive
        roles = {"agent": left}
        # "teamed up with US chip designer Broadcom": a descriptor of kind before the name
        described = rf"(?:(?:[A-Z][\w.]*\s+)?(?:[a-z][\w-]*\s+){{0,2}}?(?:{company_nouns})\s+)?"
        theme = _first_after(ms, text, ve, rf"\s+{_OBJ_LEAD}{described}")
        if theme:
            roles["theme"] = theme
        # "runs on clusters of 4,000 Nvidia H20 processors": a transparent noun passes its object through
        through = rf"(?:(?:{transparent})\s+of\s+(?:[\d,.]+\s+)?{_OBJ_LEAD})?"
        prep = _first_after(ms, text, ve, rf"\s+(?:[\w-]+\s+){{0,3}}?(?P<p>[a-z]+)\s+{_OBJ_LEAD}{through}"
                                          rf"{described}", group=True)
        if prep:
            roles[prep[1]] = prep[0]
        # "led a $300 million Series B round in X", "took a 9.5% stake in X", "joined the round for X"
        for role, words in (("@round", rounds), ("@stake", stakes)):
            held = _first_after(ms, text, ve, rf"\s+(?:part\s+)?(?:in\s+)?(?:a|an|the|its|that|this)\s+"
                                             rf"(?:[\w$€¥£.,%-]+\s+){{0,6}}?(?:{words})\s+(?:in|for|into|of)\s+"
                                             rf"(?:the\s+)?")
            if held:
                roles[role] = held
    if not roles:
        return
    s, o = roles.get(subject), roles.get(obj)
    if s is not None and o is not None:
        yield s, o, "passive" if "theme" in roles and roles.get("agent") and passive else "active"


def _other_owner(ms: list[Mention], product: Mention, subject: Mention, text: str) -> bool:
    """Whether a company other than ``subject`` is named as the product's owner right before it ("Nvidia's
    Blackwell", "Nvidia H800")."""
    for m in ms:
        if m.entity.type != "Company" or m.entity.iri == subject.entity.iri or not (0 <= product.start - m.end <= 40):
            continue
        gap = text[m.end: product.start]
        if re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap) or m.rule == "alias-prefix" and gap in ("", " ", "-"):
            return True
    return False


def _first_after(ms: list[Mention], text: str, pos: int, lead: str, group: bool = False):  # type: ignore[no-untyped-def]
    """The first mention after ``pos`` whose gap from ``pos`` fully matches ``lead`` (with its preposition when
    ``group``)."""
    prefix: Mention | None = None
    for m in ms:
        if m.start < pos or m.rule == "demonym":
            continue
        if m.start - pos > 80:
            return None
        if re.match(r"['’]s\s", text[m.end: m.end + 3]):
            # "competes with Huawei's HiSilicon", "buys Qualcomm's Snapdragon processors": the possessor
            # modifies what follows; the gap to that ends before the possessor
            prefix = m
            continue
        if m.rule == "alias-prefix":
            prefix = m  # "Nvidia" of "Nvidia H20": the chip is the argument, the gap ends before its maker
            continue
        end = prefix.start if prefix is not None and re.fullmatch(
            r"(?:['’]s)?\s*(?:[a-z][\w-]*\s+){0,2}|-", text[prefix.end: m.start]) else m.start
        prefix = None
        g = re.fullmatch(lead, text[pos: end])
        if g:
            return (m, g.group("p")) if group else m
    return None


def _description_targets(sentence: Sentence, ms: list[Mention], text: str, article: str) -> Iterator[Fact]:
    """ "an export ban on Illumina", "the Micron ban", "a ban on purchases of Nvidia's RTX Pro 6000D": what a
    described restriction is on is subject to it."""
    for d in ms:
        if d.rule != "description" or d.entity.type != "Sanction":
            continue
        for x in ms:
            if x is d or x.entity.type not in ("Company", "Chip") or x.rule in ("demonym", "alias-prefix"):
                continue
            if not (d.start <= x.start and x.end <= d.end):
                continue
            if x.start == d.start or re.search(r"\b(?:on|against|targeting|covering)\b", text[d.start: x.start]):
                fact = _fact(x, "subjectTo", d, sentence, article, "description-target", 0.8)
                if fact:
                    yield fact


def _description_country(sentence: Sentence, ms: list[Mention], article: str, kb: KnowledgeBase) -> Iterator[Fact]:
    """ "Chinese ban on exports of gallium": a restriction the text describes with a nationality in its name
    (one a restrictive verb stated, so the name was made from its government's country) is that country's."""
    for d in ms:
        if d.rule != "description" or d.entity.type != "Sanction" or d.entity.known:
            continue
        first = d.entity.label.split()[0] if d.entity.label.split() else ""
        if d.text.split()[:1] == [first]:
            continue  # the nationality is in the text itself: the prefix and possessive rules read it
        country = kb.demonyms.get(first) or next((e for e in kb.surface.get(first, []) if e.type == "Country"), None)
        if country is None:
            continue
        fact = _fact(d, "imposedBy", Mention(country, "", d.start, d.start, d.confidence, "description-country"),
                     sentence, article, "description-country", 0.7)
        if fact:
            yield fact


def _coref_hq(sentence: Sentence, ms: list[Mention], every: list[Mention], article: str) -> Iterator[Fact]:
    """ "the Chinese search giant" (resolved to a company): the nationality inside gives headquarteredIn."""
    for m in ms:
        if m.rule != "coref" or m.entity.type != "Company" or len(m.text.split()) < 2:
            continue
        for d in every:
            if d.entity.type == "Country" and d.rule != "metonym" and m.start <= d.start and d.end <= m.end:
                fact = _fact(m, "headquarteredIn", d, sentence, article, "description-nationality", 0.75)
                if fact:
                    yield fact


def surface_facts(sentence: Sentence, mentions: list[Mention], text: str, article: str, kb: KnowledgeBase
                  ) -> list[Fact]:
    """All relations one sentence states by word order, given its mentions (real and coreferent)."""
    if len({m.entity.iri for m in mentions}) < 2:
        return []
    lex = kb.lexicon
    w = _compiled(lex)
    mentions = [m for m in mentions if m.rule != "implicit"]  # implied owners are the frames' (ingest.coref)
    inner = [m for m in mentions if m.rule == "coref" or not any(
        o.rule == "coref" and o.start <= m.start and m.end <= o.end for o in mentions)]
    facts = list(_possessives(sentence, inner, text, article, lex, w))
    facts += _appositive_possessions(sentence, inner, text, article, lex, w)
    facts += _brand_lists(sentence, inner, text, article, w)
    facts += _reduced_relatives(sentence, inner, text, article, lex, w)
    facts += _prefixes(sentence, mentions, text, article, w)
    facts += _hyphens(sentence, inner, text, article, lex, w)
    facts += _nationalities(sentence, mentions, text, article, lex, w)
    facts += _titles(sentence, inner, text, article, w)
    facts += _phrases(sentence, inner, text, article, w)
    facts += _local_verbs(sentence, inner, text, article, lex, w)
    facts += _relational_nouns(sentence, inner, text, article, lex, w)
    facts += _coref_hq(sentence, mentions, mentions, article)
    facts += _description_targets(sentence, mentions, text, article)
    facts += _description_country(sentence, mentions, article, kb)
    return facts



def unit_names(sentence: Sentence, ms: list[Mention], article: str, kb: KnowledgeBase,
               named: set[str] | frozenset[str]) -> list[Fact]:
    """ "Xiaomi Auto", "Samsung Foundry", "Nexperia China": a company named as a known company's name and a unit
    word (or a country) is that company's subsidiary, when the article names that company too (``named``: the
    entities it names); the name says so."""
    out: list[Fact] = []
    for m in ms:
        if m.entity.type != "Company" or m.rule in ("coref", "demonym", "description", "alias-prefix"):
            continue
        words = m.entity.label.split()
        if len(words) < 2 or not (words[-1] in kb.lexicon.unit_words or any(
                e.type == "Country" for e in kb.surface.get(words[-1], []))):
            continue
        parent = next((e for e in kb.surface.get(" ".join(words[:-1]), []) if e.type == "Company"
                       and e.iri != m.entity.iri), None)
        if parent is None or parent.iri not in named:
            continue
        owner = Mention(parent, " ".join(words[:-1]), m.start, m.end, m.confidence, "unit-name")
        fact = _fact(m, "subsidiaryOf", owner, sentence, article, "unit-name", 0.7)
        if fact:
            out.append(fact)
    return out


def listed_after(sentence: Sentence, ms: list[Mention], pending: Sequence[Pending], article: str, lex: Lexicon
                 ) -> list[Fact]:
    """ "Washington added 140 entities to its trade blacklist. They include Naura, Piotech and SiCarrier": a
    sentence opening with one of the lexicon's ``list_openers`` names what the sentence before only counted;
    each name listed (not one inside an apposition's "of" phrase) takes the counted role."""
    if not pending:
        return []
    low = sentence.text.lstrip(" \"“-—*").lower()
    opener = next((o for o in lex.list_openers if low.startswith(o) and not low[len(o): len(o) + 1].isalpha()), None)
    if opener is None:
        return []
    text, base = sentence.text, sentence.start
    out = []
    for m in ms:
        if m.rule in ("demonym", "coref", "alias-prefix") or m.entity.type not in ("Company", "Chip"):
            continue
        if re.search(r"\b(?:of|by|from|with|for|to|at|in|than|behind)\s+(?:the\s+|its\s+|a\s+)?(?:[\w-]+\s+){0,3}$",
                     text[max(0, m.start - base - 40): m.start - base], re.I):
            continue  # "Wingtech, the owner of the Dutch chipmaker Nexperia": Nexperia is not on the list
        for p in pending:
            s_, o_ = (m, p.other) if p.missing == "subject" else (p.other, m)
            fact = _fact(s_, p.predicate, o_, sentence, article, f"listed-after:{p.evidence}", 0.6)
            if fact:
                out.append(fact)
    return out
