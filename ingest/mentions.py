"""Find entity mentions in text: known entities by their names, new ones by the words around them.

Known entities come from the knowledge base (exact, case-sensitive surface forms, longest match first; multi-word
forms in any case). A known model or chip followed by a version ("Ernie 4.5 Turbo", "Ascend 950PR") names a
more specific entity of the same kind: the most specific name wins. New entities are typed by the lexicon's
words around a name: a kind noun after it ("its Seedance model"), before it ("the start-up Lumenary"), in an
apposition ("Feixing-1, a computing platform"), a company name word or legal suffix ("Prosperity7 Ventures",
"Acme Ltd"), a ticker, or a job title ("chief executive Zhang Peng"). Names the text introduces for an entity
("Yangtze Memory Technologies (YMTC)", "known as the Big Fund") and short forms after a full name ("Moonshot"
after "Moonshot AI") name it too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ingest.kb import KnowledgeBase, entity_iri
from ingest.lexicon import Lexicon
from ingest.model import Entity, Mention
from ingest.slots import slot_names
from ingest.spans import SpanSet

KNOWN_CONFIDENCE = 0.95
NEW_CONFIDENCE = 0.6

_TOKEN = re.compile(r"\w+|[^\w\s]")
_CONTINUED = re.compile(r"[.\-][A-Z0-9]")  # a name going on past this token: "GPT-4" in "GPT-4.1"

# One word of a name: "Moore", "T-Head", "01.AI", "5Y", "iFlytek", "o1-mini", "gpt-oss-120b", "MLU590".
_NAME_WORD = (r"(?:[A-Z][\w]*(?:[-.&](?![a-z]+(?:ed|made|built|run|grown)\b(?!\s+[A-Z]))[\w]+)*"
              r"|\d+(?:\.[A-Z]\w*|[A-Za-z]\w*)(?:[-.]\w+)*"
              r"|[a-z][A-Z]\w*(?:-\w+)*"
              r"|[a-z]+\d\w*(?:[-.]\w+)*"
              r"|[a-z]+(?:-[a-z]+)*-\d\w*(?:[-.]\w+)*)")
# A name of up to five words; "of", "for", "&" join words inside ("Ministry of Commerce").
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:of|for|&)\s+)?(?:{_NAME_WORD}|\d[\w.]*(?<!\.))){{0,4}}"  # "Hailuo 02"
_NAME_AT = rf"(?<![\w.-]){_NAME}"
_PERSON = r"(?:[A-Z]\.){0,2}\s?[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?){1,2}"
_MODS = r"(?:[a-z][\w]*(?:-[\w]+)*\s+)"  # a lower-case modifier word ("creative", "video-generation")
_DET = r"(?:the|its|their|his|her|a|an|another|new|own|whose|our|this|that)"
_EXCHANGE = r"(?:NASDAQ|Nasdaq|NYSE|HKEX|SSE|SZSE|TSE|KRX|SEHK|STAR|LSE|ASX|TWSE)"
_VERSION = re.compile(r"(?:(?:[\s-]|\.(?=\d))(?:[A-Za-z]{0,4}\d[\w.]*|V\d[\w.]*|{words}))+(?![\w-])")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_PLAIN_SPACES = re.compile(r"\S+(?: \S+)*")
_AMOUNT = re.compile(r"\d[\d.,]*\s?(?:bn|mn|m|k|tn|trn|b|gw|mw|kw|nm|gb|tb|pb|ghz|mhz|x|pc|pct)", re.I)


@dataclass(frozen=True)
class _Found:
    name: str
    start: int  # where the name starts in the text (its first occurrence at the cue)
    type: str
    confidence: float
    rule: str


def _alternation(words: frozenset[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words`` (each escaped, spaces as any whitespace), longest first."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class _Patterns:
    """The discovery patterns of one lexicon, compiled once."""

    version: re.Pattern[str]
    legal: re.Pattern[str]
    noun_after: re.Pattern[str]
    appos: re.Pattern[str]
    copula: re.Pattern[str]
    called: re.Pattern[str]
    ticker: re.Pattern[str]
    title_before: re.Pattern[str]
    title_after: re.Pattern[str]
    person_cue: re.Pattern[str]
    noun_kind: dict[str, str]
    titles: re.Pattern[str]


_PATTERN_CACHE: dict[int, tuple[Lexicon, _Patterns]] = {}


def _patterns(lex: Lexicon) -> _Patterns:
    hit = _PATTERN_CACHE.get(id(lex))
    if hit and hit[0] is lex:
        return hit[1]
    nouns = {f: k for k, forms in lex.kind_nouns.items() for f in forms}
    for f, k in lex.kind_of_noun.items():  # the first kind listing a noun wins
        nouns[f] = k
    # the lexicon's words are lower case; text may capitalise them ("CEO", "Chipmaker X" opening a sentence)
    all_nouns = "(?i:" + _alternation(frozenset(nouns)) + ")"
    product_nouns = "(?i:" + _alternation(frozenset(f for f, k in nouns.items() if k in ("AIModel", "Chip",
                                                                                        "Product"))) + ")"
    titles = "(?i:" + _alternation(lex.ceo_titles | lex.other_titles) + ")"
    legal = _alternation(tuple(lex.legal_suffixes))
    words = "|".join(re.escape(w) for w in sorted(lex.version_words, key=len, reverse=True)) or "(?!)"
    p = _Patterns(
        version=re.compile(_VERSION.pattern.replace("{words}", words)),
        legal=re.compile(rf"(?P<name>{_NAME_AT}),?\s+{legal}(?![\w])"),
        noun_after=re.compile(rf"(?P<det>\b{_DET}\s+(?:(?:own|new|latest|flagship|first|next)\s+)*|['’]s\s+"
                              rf"(?:[a-z][\w-]*\s+){{0,2}})?(?P<name>{_NAME_AT})\s+{_MODS}{{0,2}}?"
                              rf"(?P<noun>{product_nouns})(?![\w-])"),
        # (the lookahead lets the long alternation of nouns be tried only where a cue word follows)
        # (the words before the noun stay in the apposition: "X, a Baidu co-founder who leads rival Y" is no rival)
        # ("Tavrin, maker of the Osprey app": a bare noun with "of" after it is an apposition too)
        appos=re.compile(rf"(?P<name>{_NAME_AT}),\s+(?:(?:{_DET}|one\s+of\s+(?:the|its)|[A-Z][\w.&-]*['’]s)\s+"
                         rf"|(?=(?:[a-z][\w-]*\s+)?{all_nouns}\s+of\s))"
                         rf"(?:(?!(?:who|which|that|whose)\s)[\w’'-]+\s+){{0,5}}?(?P<noun>{all_nouns})(?![\w-])"),
        copula=re.compile(rf"(?P<name>{_NAME_AT})\s+(?:is|was|remains|became|has\s+become)\s+(?:{_DET}|one\s+of\s+"
                          rf"(?:the|its))\s+(?:[\w’'-]+\s+){{0,4}}?(?P<noun>{all_nouns})(?![\w-])"),
        called=re.compile(rf"(?<![\w-])(?=[\w -]{{0,40}}?,?\s(?:called|named|dubbed|known\s+as|branded)\s)"
                          rf"(?P<noun>{all_nouns}),?\s+(?:called|named|dubbed|known\s+as|branded)\s+(?:the\s+)?"
                          rf"(?P<name>{_NAME})"),
        # "Acme (NASDAQ: ACME)", "Foo Holdings (9999.HK)"; a bare "(ARR)" or "(BIS)" is an abbreviation, not a ticker
        ticker=re.compile(rf"(?P<name>{_NAME_AT})\s+\((?:{_EXCHANGE}\s*:\s*[A-Z]{{1,5}}|(?:{_EXCHANGE}\s*:\s*)?\d{{3,6}}\."
                          r"(?:HK|SS|SZ|SH|T|KS|TW))\)"),
        title_before=re.compile(rf"(?<![\w-])(?:{titles})\s*,?\s+(?P<name>{_PERSON})(?![\w-])"),
        title_after=re.compile(rf"(?P<name>{_PERSON}),\s+(?:(?:the|its|a|an|one\s+of\s+(?:the|its)|who\s+(?:is|was|serves"
                               rf"\s+as|has\s+been))\s+)?(?:[\w’'.&-]+\s+){{0,4}}?(?:{titles})(?![\w-])"),
        person_cue=re.compile(rf"(?:\b(?:led|run|headed|founded|co-founded|started|chaired)\s+by\s+(?:(?:its|the)\s+)?"
                              rf"(?:(?:{titles})(?:\s+and\s+(?:{titles}))?\s+)?(?P<name>{_PERSON})(?![\w-])"
                              rf"|(?P<name2>{_PERSON}),\s+who\s+(?:founded|co-founded|runs|leads|heads|chairs|took\s+over))"),
        noun_kind=nouns,
        titles=re.compile(rf"(?:{titles})$", re.I),
    )
    _PATTERN_CACHE[id(lex)] = (lex, p)
    return p


# ---- known entities --------------------------------------------------------------------------------------

def find_known(text: str, kb: KnowledgeBase) -> list[Mention]:
    """Known entities named in ``text``: longest exact alias match at each token, left to right.

    Only tokens that can start a match (a first token of some alias, or a plural) are looked at; the rest are
    skipped in one pass over the token strings.
    """
    words = _TOKEN.findall(text)
    tokens = list(_TOKEN.finditer(text))
    firsts, surface, folded, demonyms = kb.first_tokens, kb.surface, kb.folded, kb.demonyms
    mentions: list[Mention] = []
    covered = 0  # tokens before this one belong to a mention already found
    for i in [k for k, w in enumerate(words) if firsts.get(w) or len(w) > 2 and w[-1] == "s"]:
        if i < covered:
            continue
        first = words[i]
        longest = firsts.get(first)
        found = None
        if longest:
            start = tokens[i].start()
            for n in range(min(longest, len(tokens) - i), 0, -1):
                end = tokens[i + n - 1].end()
                form = text[start:end]
                if n > 1 and not _PLAIN_SPACES.fullmatch(form):
                    form = " ".join(form.split())  # "Moore\u00a0Threads", "Ernie\t4.5": any whitespace between words
                # the dictionary lookups first: _CONTINUED (a regex call) only matters for a form that names something
                entities = surface.get(form) or (folded.get(form.lower()) if n > 1 else None)
                if not entities and form not in demonyms:
                    continue
                if _CONTINUED.match(text, end) and entities and entities[0].type not in ("AIModel", "Chip", "Product"):
                    continue  # "GPT-4" inside "GPT-4.1" is a version of it: left to _extend_versions
                if n > 1 and entities and entities[0].type == "Company" and _named_product_before(
                        text, form, end, kb):
                    continue  # "the Manus AI agent": the agent Manus, not the company Manus AI
                if entities:
                    rule = "metonym" if form in kb.metonyms else "alias"
                    found = (n, start, end, entities[0], rule)
                else:
                    found = (n, start, end, demonyms[form], "demonym")
                break
        else:  # plurals of products: "P800s", "H20s"
            entities = surface.get(first[:-1])
            if entities and entities[0].type in ("Chip", "Product"):
                found = (1, tokens[i].start(), tokens[i].end(), entities[0], "alias-plural")
        if found:
            n, start, end, entity, rule = found
            mentions.extend(_split_prefix(text, [t.span() for t in tokens[i: i + n]], entity, rule, kb))
            covered = i + n
    return mentions


# A name that begins with its owner's name ("Nvidia H800", "US export controls") says who owns it.
_PREFIX_OWNERS = {"AIModel": ("Company",), "Chip": ("Company",), "Product": ("Company",),
                  "Sanction": ("Country", "GovernmentBody")}


def _split_prefix(text: str, toks: list[tuple[int, int]], entity: Entity, rule: str, kb: KnowledgeBase
                  ) -> list[Mention]:
    """One mention, or two when the name starts with its owner's: "Nvidia H800" -> Nvidia + H800."""
    start, end = toks[0][0], toks[-1][1]
    owners = _PREFIX_OWNERS.get(entity.type)
    if owners and len(toks) > 1:
        for k in range(len(toks) - 1, 0, -1):
            prefix = text[start: toks[k - 1][1]]
            if text[toks[k - 1][1]: toks[k][0]] not in (" ", "") or toks[k][0] == toks[k][1] - 1 and text[
                    toks[k][0]] == "-" and k + 1 >= len(toks):
                continue
            if text[toks[k][0]] == "-":  # "DeepSeek-R1": the owner, then the name after the hyphen
                if k + 1 >= len(toks):
                    continue
                cands = kb.surface.get(prefix, [])
                owner = next((e for e in cands if e.type in owners), None)
                if owner is not None:
                    rest = toks[k + 1][0]
                    return [Mention(owner, prefix, start, toks[k - 1][1], KNOWN_CONFIDENCE, "alias-prefix"),
                            Mention(entity, text[rest:end], rest, end, KNOWN_CONFIDENCE, rule)]
                continue
            cands = kb.surface.get(prefix, [])
            owner = next((e for e in cands if e.type in owners), None)
            how = "alias-prefix"
            if owner is None and "Country" in owners and prefix in kb.demonyms:
                owner, how = kb.demonyms[prefix], "demonym"
            if owner is not None:
                rest = toks[k][0]
                return [Mention(owner, prefix, start, toks[k - 1][1], KNOWN_CONFIDENCE, how),
                        Mention(entity, text[rest:end], rest, end, KNOWN_CONFIDENCE, rule)]
    return [Mention(entity, text[start:end], start, end, KNOWN_CONFIDENCE, rule)]


def _extend_versions(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """A model, chip or product followed by a version names the more specific entity: "Ernie 4.5 Turbo",
    "Kimi K2 Thinking", "Ascend 950PR", "GLM-4.6". The knowledge base's entity of that name if it has one,
    else a new entity of the same kind (its label built on the family's, so "K2 Thinking" after "Kimi K2"
    is "Kimi K2 Thinking")."""
    pattern = _patterns(kb.lexicon).version
    out = []
    for m in mentions:
        if m.entity.type not in ("AIModel", "Chip", "Product") or m.rule in ("demonym", "alias-prefix"):
            out.append(m)
            continue
        v = pattern.match(text, m.end)
        tail = v.group() if v else ""
        # a year is not a version ("Qwen 2025"), nor is a number a list or sentence goes on with
        tail = tail.rstrip(".")  # "the Ascend 990Z.": the sentence's full stop
        while tail.strip() and _YEAR.fullmatch(tail.split()[-1].strip("-")):
            tail = tail[: tail.rstrip().rfind(tail.split()[-1])].rstrip()
        if not tail.strip(" -"):
            out.append(m)
            continue
        end = m.end + len(tail)
        form = text[m.start:end]
        key = " ".join(form.split())
        known = kb.surface.get(key) or kb.folded.get(key.lower())
        if known:
            entity = known[0]
        else:
            # "V3" of "DeepSeek-V3", "K2" after "Kimi K2": the version continues the family's full name
            label = " ".join(((m.entity.label if m.entity.label.endswith(m.text) else m.text) + tail).split())
            entity = Entity(entity_iri(m.entity.type, label), label, m.entity.type, (), known=False)
        out.append(Mention(entity, form, m.start, end, min(m.confidence, 0.85), "version"))
    return out


_LIST_VERSION = re.compile(r"(?:,\s+|,?\s+(?:and|or)\s+)(?:the\s+)?(?P<v>[A-Z]{0,4}\d[\w.]*[A-Za-z0-9])(?![\w-])")


def _version_lists(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """ "Huawei's Ascend 910B, 910C and 910D": bare versions listed after a versioned name are that family's
    ("Ascend 910C", "Ascend 910D")."""
    taken = SpanSet((m.start, m.end) for m in mentions)
    out: list[Mention] = []
    for m in mentions:
        words = m.entity.label.split()
        if m.entity.type not in ("AIModel", "Chip") or len(words) < 2 or not re.search(r"\d", words[-1]):
            continue
        family = " ".join(words[:-1])
        pos = m.end
        while True:
            v = _LIST_VERSION.match(text, pos)
            if not v or _YEAR.fullmatch(v.group("v")) or _overlaps(v.start("v"), v.end("v"), taken):
                break
            label = f"{family} {v.group('v')}"
            known = kb.surface.get(label) or kb.folded.get(label.lower())
            entity = known[0] if known else Entity(entity_iri(m.entity.type, label), label, m.entity.type, (),
                                                   known=False)
            out.append(Mention(entity, v.group("v"), v.start("v"), v.end("v"), 0.8, "version-list"))
            taken.add(v.start("v"), v.end("v"))
            pos = v.end()
    return sorted(mentions + out, key=lambda x: x.start)


# ---- new entities ----------------------------------------------------------------------------------------

def _overlaps(start: int, end: int, taken: SpanSet | list[tuple[int, int]]) -> bool:
    if isinstance(taken, SpanSet):
        return taken.overlaps(start, end)
    return any(start < e and s < end for s, e in taken)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``name`` standing alone in ``text`` (not inside a longer word or hyphenated name).

    The same matches as ``(?<![\\w-])NAME(?![\\w-])`` without compiling a regex per name: articles bring new
    names all the time, and re's pattern cache turning over cost more than the search.
    """
    if not name:
        return []
    spans = []
    i = text.find(name)
    while i >= 0:
        end = i + len(name)
        # "Corvel-designed": a lower-case word after a hyphen is the compound's, the name stands alone
        after_ok = end == len(text) or not _is_word_char(text[end]) or (
            text[end] == "-" and text[end + 1: end + 2].islower())
        if (i == 0 or not _is_word_char(text[i - 1])) and after_ok:
            spans.append((i, end))
            i = text.find(name, end)
        else:
            i = text.find(name, i + 1)
    return spans


def _clean(name: str, lex: Lexicon, kb: KnowledgeBase) -> tuple[str, int]:
    """The name without leading non-name words ("The", "Chinese") and legal suffixes; and how many
    characters were dropped at its start."""
    words = name.split()
    dropped = 0
    if words:  # "Corvel Semiconductor-designed": the participle after the hyphen is no part of the name
        cut = re.search(r"-[a-z]+$", words[-1])
        if cut and (cut.group()[1:] in lex.hyphen or cut.group().endswith("ed")):
            words[-1] = words[-1][: cut.start()]
    while words and (words[0] in lex.not_names or words[0] in kb.demonyms or words[0].lower() in ("of", "for") or
                     re.fullmatch(r"([A-Z][\w.]*)-[a-z]+(?:ed|made|built|run|grown)", words[0]) and
                     words[0].split("-")[0] in kb.surface):  # "Singapore-based Orvane Robotics"
        dropped += len(words[0])
        words = words[1:]
    while words and words[-1].rstrip(".,") in lex.legal_suffixes:
        words = words[:-1]
    while words and words[-1] in ("of", "for", "&", "and"):
        words = words[:-1]
    clean = " ".join(words).strip(" ,.")
    return clean, (name.find(clean) if clean else 0)


def _acceptable(name: str, lex: Lexicon, kb: KnowledgeBase) -> bool:
    if len(name) < 2 or not (name[0].isupper() or name[0].isdigit() or re.search(r"\d", name)):
        return False
    if _AMOUNT.fullmatch(name):
        return False  # "1bn", "10GW", "3nm" are amounts
    if not re.search(r"[A-Za-z]", name):
        return False  # "30", "2,048": a number is no name
    words = name.split()
    if all(w in lex.not_names or w.lower() in lex.kind_of_noun for w in words):
        return False
    if any(re.fullmatch(r"\S+-[a-z]+ed", w) for w in words):
        return False  # "the Quorix-designed AI processor": a participle compound qualifies what follows
    return name not in kb.demonyms


def _discover(text: str, kb: KnowledgeBase) -> list[_Found]:
    """Every name a cue types, in cue priority order (the first kind found for a name wins)."""
    lex = kb.lexicon
    p = _patterns(lex)
    found: list[_Found] = []
    company_nouns = {w.lower() for w in lex.kind_words("Company")}

    def add(m: re.Match[str], group: str, kind: str, confidence: float, rule: str) -> None:
        raw = m.group(group)
        if raw is None or _PARAGRAPH_BREAK.search(m.group()):
            return  # a cue and a name on two sides of a paragraph break ("Blacklist and tools\n\nOn Monday")
        name, offset = _clean(raw, lex, kb)
        if _acceptable(name, lex, kb):
            found.append(_Found(name, m.start(group) + offset, kind, confidence, rule))

    for m in p.legal.finditer(text):
        add(m, "name", "Company", 0.7, "new-legal")
    for m in p.ticker.finditer(text):
        add(m, "name", "Company", 0.7, "new-ticker")
    for m in re.finditer(_NAME_AT, text):
        words = m.group().split()
        if len(words) > 1 and (words[-1] in lex.name_words or words[-1] in lex.unit_words) and \
                words[0] not in lex.not_names and not _acronym_before_product(text, m.end(), words[-1], p):
            _add_whole(found, m, lex, kb, "Company", 0.6, "new-name-word")
    for pattern, rule in ((p.appos, "new-appos"), (p.copula, "new-copula"), (p.called, "new-called")):
        for m in pattern.finditer(text):
            kind = p.noun_kind.get(" ".join(m.group("noun").lower().split()))
            if rule != "new-called":  # "the Lenovo-owned robot maker": the last kind noun is the head
                pos = m.end("noun")
                for _ in range(3):
                    nxt = re.match(r"\s+([a-z][\w-]*)", text[pos: pos + 40])
                    later = p.noun_kind.get(nxt.group(1)) if nxt else None
                    if nxt is None or later is None:
                        break
                    kind, pos = later, pos + nxt.end()
            if kind and kind not in ("Sanction", "GovernmentBody"):
                add(m, "name", kind, 0.6, rule)
    # "the start-up Lumenary", "chip-tool makers Naura, Piotech and SiCarrier": a kind noun just before a name
    # (read from each name back, a dictionary lookup of the one to three words before it)
    for m in re.finditer(_NAME, text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-.") or \
                m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] == "-"):
            continue
        before = text[max(0, m.start() - 60): m.start()]
        tail = re.search(r"(?:[A-Za-z][\w-]*\s+){1,3}$", before)
        if not tail or _PARAGRAPH_BREAK.search(tail.group()):
            continue
        parts = tail.group().split()
        kind, noun = None, ""
        for n in (3, 2, 1):
            if len(parts) >= n and " ".join(parts[-n:]).lower() in p.noun_kind:
                noun = " ".join(parts[-n:])
                kind = p.noun_kind[noun.lower()]
                break
        if kind and kind not in ("Sanction", "GovernmentBody") and noun[0].islower():
            name, offset = _clean(m.group(), lex, kb)
            if _acceptable(name, lex, kb):
                found.append(_Found(name, m.start() + offset, kind, 0.6, "new-noun-before"))
                _list_items(text, m.end(), kind, found, lex, kb)
    for m in p.noun_after.finditer(text):
        kind = p.noun_kind.get(" ".join(m.group("noun").lower().split()))
        mods = text[m.end("name"): m.start("noun")].split()
        if re.search(r"-[a-z]+ed$", m.group("name")):
            continue  # "a Corvel-designed accelerator": the noun is the compound's, not the name's
        nxt = re.match(r"[\s-]+([a-z][\w-]*)", text[m.end(): m.end() + 30])
        if nxt and nxt.group(1) in company_nouns:
            continue  # "a Shenzhen chip designer": the noun qualifies a company, the name is a place's
        if kind and (m.group("det") or (re.search(r"\d", m.group("name")) and all("-" in w for w in mods))) \
                and not text.startswith(("'s", "’s"), m.end("name")):  # "Heron-2 runs on clusters": no cue
            last = m.group("name").split()[-1]
            if len(m.group("name").split()) > 1 and _acronym_before_product(text, m.end("name"), last, p):
                # "the Zentra AI agent": the acronym qualifies the noun, the name is "Zentra"
                name, offset = _clean(m.group("name")[: -len(last)].rstrip(), lex, kb)
                if _acceptable(name, lex, kb) and not _PARAGRAPH_BREAK.search(m.group()):
                    found.append(_Found(name, m.start("name") + offset, kind, 0.6, "new-noun-after"))
                continue
            add(m, "name", kind, 0.6, "new-noun-after")
    for pattern in (p.title_before, p.title_after, p.person_cue):
        for m in pattern.finditer(text):
            group = "name" if m.groupdict().get("name") else "name2"
            words = m.group(group).split()
            if any(w in lex.name_words or w in lex.unit_words or "-" in w and w.split("-")[1].islower()
                   for w in words) or re.match(r"\s+[A-Z]", text[m.end(group): m.end(group) + 2]):
                continue  # "led by Shanghai State-owned Capital Investment": an organisation's name goes on
            add(m, group, "Person", 0.6, "new-person")
    return found


def _named_product_before(text: str, form: str, end: int, kb: KnowledgeBase) -> bool:
    """Whether a company's name that ends in an acronym ("Manus AI") is, before a product's kind noun, a known
    product's name and a modifier of the noun instead."""
    head, _, last = form.rpartition(" ")
    return any(e.type in ("AIModel", "Product") for e in kb.surface.get(head, ())) and \
        _acronym_before_product(text, end, last, _patterns(kb.lexicon))


def _acronym_before_product(text: str, end: int, last: str, p: _Patterns) -> bool:
    """ "the Zentra AI assistant": a name's last word in capitals ("AI") followed by a product's kind noun is a
    modifier of that noun, so the name before it is the product's, not a company's ("Zentra AI")."""
    if not (last.isupper() and len(last) > 1):
        return False
    nxt = re.match(r"\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)", text[end: end + 40])
    if not nxt:
        return False
    first = nxt.group(1).split()[0]
    return any(p.noun_kind.get(w) in ("AIModel", "Product") for w in (nxt.group(1), first))


def _add_whole(found: list[_Found], m: re.Match[str], lex: Lexicon, kb: KnowledgeBase, kind: str,
               confidence: float, rule: str) -> None:
    name, offset = _clean(m.group(), lex, kb)
    if _acceptable(name, lex, kb) and len(name.split()) > 1:
        found.append(_Found(name, m.start() + offset, kind, confidence, rule))


_LIST_NEXT = re.compile(rf"(?:,\s+|,?\s+(?:and|or)\s+)(?P<name>{_NAME})(?![\w-])")


def _list_items(text: str, pos: int, kind: str, found: list[_Found], lex: Lexicon, kb: KnowledgeBase) -> None:
    """ "chip-tool makers Naura, Piotech and SiCarrier": the kind noun types every item of the list."""
    for _ in range(6):
        m = _LIST_NEXT.match(text, pos)
        if not m:
            return
        name, offset = _clean(m.group("name"), lex, kb)
        if not _acceptable(name, lex, kb):
            return
        found.append(_Found(name, m.start("name") + offset, kind, 0.55, "new-list"))
        if not re.match(r",", m.group()):
            return  # "and X" ends the list
        pos = m.end()


def find_new(text: str, kb: KnowledgeBase, known: list[Mention]) -> list[Mention]:
    """Entities the knowledge base does not know, typed by the cue that introduced them.

    Every later occurrence of a discovered name in the text becomes a mention too. A company name that is
    a known company's name with a name word or legal suffix after it ("Kuaishou Technology") names that
    company.
    """
    taken = SpanSet((m.start, m.end) for m in known)
    ordered = sorted(known, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    lex = kb.lexicon
    discovered: dict[str, tuple[Entity, float, str]] = {}
    extra: list[Mention] = []
    for f in _discover(text, kb):
        if f.name in discovered or f.name in kb.surface:
            continue
        end = f.start + len(f.name)
        inside = [m for m in ordered[bisect_left(starts, f.start): bisect_left(starts, end)] if m.end <= end]
        if inside:
            head = inside[0]
            rest = f.name[head.end - f.start:].split()
            if f.type == "Company" and head.entity.type == "Company" and head.start == f.start and rest:
                # "JD Health": a company of its own (not "SMIC for Lumora Labs": a lower-case word joins two names)
                if rest[-1] in lex.unit_words and len(inside) == 1 and all(w[:1].isupper() or w[:1].isdigit()
                                                                           for w in rest):
                    entity = Entity(entity_iri("Company", f.name), f.name, "Company", (), known=False)
                    discovered[f.name] = (entity, 0.6, "new-unit")
                elif all(w in lex.name_words or w.rstrip(".,") in lex.legal_suffixes for w in rest):
                    discovered[f.name] = (head.entity, head.confidence, "alias-suffix")  # "Kuaishou Technology"
            elif f.type == "Company" and head.entity.type in ("Country", "City") and head.start == f.start and \
                    len(inside) == 1 and len(rest) > 1 and any(w not in lex.name_words and w[:1].isupper()
                                                               for w in rest[:-1]):
                # "Hangzhou Lumeng Optics Technology": a place opens many Chinese companies' registered names
                entity = Entity(entity_iri("Company", f.name), f.name, "Company", (), known=False)
                discovered[f.name] = (entity, 0.6, "new-unit")
            continue
        if _overlaps(f.start, end, taken):
            continue
        label = " ".join(f.name.split())
        entity = Entity(entity_iri(f.type, label), label, f.type, (), known=False)
        discovered[f.name] = (entity, f.confidence, f.rule)
    for name in sorted(discovered, key=len, reverse=True):
        entity, confidence, rule = discovered[name]
        for start, end in _occurrences(text, name):
            if rule in ("alias-suffix", "new-unit"):  # replaces the shorter known mention at ``start``
                taken.discard_starting(start)
                extra.append(Mention(entity, name, start, end, KNOWN_CONFIDENCE if rule == "alias-suffix" else
                                     confidence, rule))
                taken.add(start, end)
            elif not taken.overlaps(start, end):
                extra.append(Mention(entity, name, start, end, confidence, rule))
                taken.add(start, end)
    return extra


# ---- names the text introduces ---------------------------------------------------------------------------

_INTRO = re.compile(rf"\s*(?:\((?:the\s+|or\s+)?[\"“]?(?P<paren>{_NAME})[\"”]?\)"
                    rf"|,?\s+(?:also\s+|commonly\s+|widely\s+|better\s+|formerly\s+)?(?:known|referred\s+to|abbreviated)\s+as\s+(?:the\s+)?[\"“]?(?P<known>{_NAME})[\"”]?)")


def introduced_aliases(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """ "Yangtze Memory Technologies (YMTC)", "..., known as the Big Fund,": the name in brackets or after
    "known as" names the entity just before it, there and wherever it appears later."""
    taken = SpanSet((m.start, m.end) for m in mentions)
    aliases: dict[str, tuple[Entity, int]] = {}
    for m in mentions:
        if m.rule in ("demonym", "alias-prefix", "coref"):
            continue
        intro = _INTRO.match(text, m.end)
        if not intro:
            continue
        alias = intro.group("paren") or intro.group("known")
        if not alias or alias in kb.surface or alias == m.entity.label or len(alias) < 2:
            continue
        if re.fullmatch(rf"{_EXCHANGE}.*|\d.*|[A-Z]{{1,5}}\s*:\s*\w+", alias):
            continue
        if alias.isupper() and m.entity.type not in ("Company", "GovernmentBody", "Sanction", "Chip", "Product"):
            continue
        aliases.setdefault(alias, (m.entity, m.end))
    out = []
    for alias, (entity, after) in aliases.items():
        for start, end in _occurrences(text, alias):
            if start >= after - len(alias) - 40 and not taken.overlaps(start, end):
                out.append(Mention(entity, alias, start, end, 0.85, "alias-intro"))
                taken.add(start, end)
    return out


# Last words of a company name that its short form drops ("Moonshot AI" -> "Moonshot").
def _short_parts(entity: Entity, lex: Lexicon) -> list[str]:
    """Parts of a name that stand for it once it has been named in full in an article.

    A person's family or given name ("Li" after "Robin Li"); the model number of a model or chip ("K2" after
    "Kimi K2", "P800" after "Kunlun P800"); a company's name without its corporate suffix ("Moonshot").
    """
    words = entity.label.split()
    if entity.type == "Company" and len(words) > 1 and (words[-1] in lex.name_words
                                                          or words[-1].rstrip(".,") in lex.legal_suffixes):
        short = [" ".join(words[:-1])]
        if len(words) > 2 and words[-2] in lex.name_words:
            short.append(" ".join(words[:-2]))  # "Naura Technology Group" -> "Naura"
        return [s for s in short if s not in lex.not_names]
    if entity.type == "Person":
        return [w for w in words if len(w) > 1 and w[0].isupper() and "." not in w]
    if entity.type in ("AIModel", "Chip") and len(words) > 1 and re.search(r"\d", words[-1]):
        return [words[-1]]
    if entity.type not in ("AIModel", "Chip"):
        return []
    # "V3" after "DeepSeek-V3", "V3.2-Exp" after "DeepSeek-V3.2-Exp": a version after a hyphen, with what follows
    tails = [entity.label[i + 1:] for i, ch in enumerate(entity.label) if ch == "-"]
    return [t for t in tails if re.fullmatch(r"[A-Za-z]{1,3}\d[\w.]*(?:-[\w.]+)*", t)][:1]


def add_short_names(text: str, mentions: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """After an entity's full name, a short part of it names it too (see :func:`_short_parts`)."""
    parts: dict[str, Entity | None] = {}
    first_seen: dict[str, int] = {}
    for m in mentions:
        if m.rule in ("alias", "version", "version-list", "alias-suffix") or m.rule.startswith("new-"):
            for part in _short_parts(m.entity, kb.lexicon):
                if part in kb.surface and kb.surface[part][0] != m.entity:
                    continue  # "Naura" is a known entity of its own
                if parts.get(part, m.entity) != m.entity:
                    parts[part] = None  # ambiguous between two entities: skip
                else:
                    parts[part] = m.entity
                    first_seen[part] = min(first_seen.get(part, m.end), m.end)
    # a discovered name that is the short form itself gives way to it ("V3.2-Exp" is DeepSeek-V3.2-Exp's)
    shorts = {p for p, e in parts.items() if e is not None}
    mentions = [m for m in mentions if not (m.rule.startswith("new-") and m.text in shorts
                                            and m.start >= first_seen[m.text] and parts[m.text] != m.entity)]
    taken = SpanSet((m.start, m.end) for m in mentions)
    extra: list[Mention] = []
    for part, entity in parts.items():
        if entity is None:
            continue
        plural = _occurrences(text, part + "s") if entity.type == "Chip" else []  # "P800s" after "Kunlun P800"
        for start, end in _occurrences(text, part) + plural:
            if start >= first_seen[part] and not taken.overlaps(start, end):
                extra.append(Mention(entity, part, start, end, 0.85, "short-name"))
                taken.add(start, end)
    return sorted(mentions + extra, key=lambda m: m.start)


def find_mentions(text: str, kb: KnowledgeBase) -> list[Mention]:
    """All entity mentions in ``text``, sorted and non-overlapping."""
    known = find_known(text, kb)
    new = find_new(text, kb, known)
    replaced = SpanSet((m.start, m.end) for m in new if m.rule in ("alias-suffix", "new-unit"))
    known = [m for m in known if not replaced.overlaps(m.start, m.end)]
    mentions = sorted(known + new, key=lambda m: m.start)
    mentions = _version_lists(text, _extend_versions(text, add_short_names(text, mentions, kb), kb), kb)
    mentions = add_short_names(text, mentions, kb)  # "the 910D" after "Ascend 910B, 910C and 910D"
    mentions = sorted(mentions + introduced_aliases(text, mentions, kb), key=lambda m: m.start)
    # names found by their slots have short forms too ("R2-Mini" after "DeepSeek-R2-Mini")
    return add_short_names(text, sorted(mentions + slot_names(text, mentions, kb), key=lambda m: m.start), kb)
