"""Find entity mentions in text: known entities by their aliases, new ones by their context.

Known entities come from the knowledge base (exact, case-sensitive surface forms, longest match first).
New entities are typed from cues around a capitalised name ("X Technologies", "the startup X",
"X chips", "its X model", a ticker in parentheses) and kept with a lower confidence.
"""

from __future__ import annotations

import re

from ingest.kb import KnowledgeBase, entity_iri
from ingest.model import Entity, Mention

KNOWN_CONFIDENCE = 0.95
NEW_CONFIDENCE = 0.6

_TOKEN = re.compile(r"\w+|[^\w\s]")
_CONTINUED = re.compile(r"[.\-][A-Z0-9]")  # a name going on past this token: "GPT-4" in "GPT-4.1"

# A capitalised name of up to four words: "Moore Threads", "Zhonghao Xinying", "MLU590", "Wu Dao 2.0".
_NAME = r"(?:[A-Z][\w]*(?:[.\-][\w]+)*|\d+[A-Z][\w]*)(?:\s+(?:[A-Z0-9][\w]*(?:[.\-][\w]+)*)){0,3}"
_LEGAL = r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?,?\s+Ltd\.?|Co\.|Ltd\.?|Limited|LLC|PLC|plc|AG|SA|GmbH)"
_ORG_WORD = (
    r"(?:Technologies|Technology|Semiconductor|Semiconductors|Electronics|Microelectronics|Labs|Lab|"
    r"Systems|Intelligence|Robotics|Holdings|Group|Networks|Computing|Cloud|AI|Software|Dynamics)"
)
_COMPANY_NOUN = (
    r"(?:start-?up|company|firm|chipmaker|chip\s+maker|chip\s+designer|chip\s+developer|developer|"
    r"foundry|unicorn|manufacturer|supplier|rival|competitor|group|giant|lab|laboratory|conglomerate|"
    r"operator|maker|provider|investor|subsidiary|unit|affiliate)"
)
_CHIP_NOUN = r"(?:chips?|accelerators?|GPUs?|processors?|NPUs?|TPUs?|AI\s+chips?|graphics\s+cards?)"
_MODEL_NOUN = (
    r"(?:models?|LLMs?|chatbots?|large\s+language\s+models?|language\s+models?|reasoning\s+models?|"
    r"foundation\s+models?|AI\s+models?|model\s+family)"
)


def _word_start(chars: str) -> str:
    """A character of ``chars`` (word characters) that starts a word: what ``\\b{chars}`` matches.

    Written as the class, then a look back at the character before it: a pattern that opens with a character
    class lets re skip straight to the next such character, while one that opens with ``\\b`` is tried at every
    position of the text (several times slower on the name-first patterns below, same matches).
    """
    return rf"{chars}(?<!\w\w)"


# ``\b`` + _NAME in that scannable form: the first character, then the rest of whichever branch it opened.
_NAME_AT_WORD = (_word_start(r"[A-Z\d]") + r"(?:(?<=[A-Z])[\w]*(?:[.\-][\w]+)*|(?<=\d)\d*[A-Z][\w]*)"
                 r"(?:\s+(?:[A-Z0-9][\w]*(?:[.\-][\w]+)*)){0,3}")
_UPPER_AT_WORD = _word_start("[A-Z]")

_TITLE = (r"(?:(?:co-?)?chief\s+executives?|(?:co-?)?CEOs?|co-?founder|founder|chairman|chairwoman|president|"
          r"chief\s+\w+\s+officer|researcher|analyst|spokes(?:person|man|woman)|director|minister|secretary)")
_PERSON_REST = r"[a-z]+(?:\s+[A-Z][a-z]+){1,2}"  # a person's name after its capital
_PERSON = r"[A-Z]" + _PERSON_REST
# The cue of "<title> <Person>": the last word of every _TITLE branch, then the first two words of a name.
_TITLE_THEN_NAME = (r"(?:executives?|CEOs?|founder|chairman|chairwoman|president|officer|researcher|analyst|"
                    r"spokes(?:person|man|woman)|director|minister|secretary),?\s+[A-Z][a-z]+\s+[A-Z][a-z]")

# Capitalised words that begin names in these patterns but are never names on their own.
_STOP = {
    "The", "A", "An", "It", "Its", "This", "That", "These", "Those", "Their", "Our", "We", "They", "He", "She",
    "In", "On", "At", "For", "By", "With", "From", "As", "But", "And", "Or", "If", "When", "While", "After",
    "Before", "Since", "Both", "Some", "Many", "Most", "All", "Other", "Others", "New", "AI", "GPU", "GPUs",
    "CPU", "Chinese", "American", "US", "U.S.", "China", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December", "Last", "Next", "Such", "Several", "Each",
    "Analysts", "Executives", "Shares", "Sales", "Revenue", "According", "Asked", "Under", "Which",
    "What", "Why", "How", "Who", "One", "Two", "Three", "First", "Second", "Third", "Chief", "CEO",
}


def _rule(type_: str, head: str, tail: str, confidence: float, cue: bool | str = True
          ) -> tuple[str, re.Pattern[str], re.Pattern[str] | None, float]:
    """A discovery pattern ``head + tail``; with ``cue``, ``tail`` alone is searched first (or ``cue`` itself
    when it is a pattern: one that every match of the whole pattern contains a match of).

    Any match of the whole pattern contains a match of its tail, so a text without one cannot match and the
    (slow, name-first) whole pattern is not tried on it: same output, a fraction of the scanning. A tail
    ``\\s+R`` is searched as ``\\sR``: found in the same texts, but re scans for a whitespace character
    instead of trying every position.
    """
    if cue is True:
        cue = r"\s" + tail[3:] if tail.startswith(r"\s+") else tail
    return type_, re.compile(head + tail), re.compile(cue) if cue else None, confidence


_NEW_PATTERNS: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, float]] = [
    # "Zhonghao Xinying Technologies Co., Ltd", "Acme Semiconductor Inc"
    _rule("Company", rf"(?P<name>{_NAME_AT_WORD})", rf"\s+{_LEGAL}", 0.7),
    _rule("Company", rf"(?P<name>{_UPPER_AT_WORD}[\w-]*\s+(?:[A-Z][\w-]*\s+)?{_ORG_WORD})", r"\b", 0.6, cue=False),
    # "the start-up Moonshot", "Chinese chipmaker Moore Threads"
    _rule("Company", rf"\b{_COMPANY_NOUN}\s+", rf"(?P<name>{_NAME})", 0.6, cue=False),
    # "Iluvatar, a Shanghai-based chip designer"
    _rule("Company", rf"(?P<name>{_NAME_AT_WORD})", rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{_COMPANY_NOUN}\b", 0.6),
    # "Acme (NASDAQ: ACME)", "Foo Holdings (9999.HK)"
    _rule("Company", rf"(?P<name>{_NAME_AT_WORD})", r"\s+\((?:(?:NASDAQ|NYSE|HKEX|SSE|SZSE|TSE|KRX)\s*:\s*)?"
          r"(?:[A-Z]{2,5}|\d{3,6}\.(?:HK|SS|SZ|SH|T|KS|TW))\)", 0.7),
    # "MLU590 chips", "the Sophon accelerator"
    _rule("Chip", rf"(?P<name>{_UPPER_AT_WORD}[\w-]*\d[\w.-]*(?:\s+[A-Z0-9][\w.-]*)?)", rf"\s+{_CHIP_NOUN}\b", 0.6),
    _rule("Chip", r"\bthe\s+(?P<name>[A-Z][\w.-]+(?:\s+[A-Z0-9][\w.-]*)?)",
          r"\s+(?:accelerator|AI\s+chip|GPU|processor)s?\b", 0.55),
    # "RTX 5090D, a gaming graphics card", "Kimi K3, a large open-weight model"
    _rule("Chip", rf"(?P<name>{_UPPER_AT_WORD}[\w-]*(?:\s[A-Z0-9][\w.-]*)?)",
          rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{_CHIP_NOUN}\b", 0.55),
    _rule("AIModel", rf"(?P<name>{_UPPER_AT_WORD}[\w.-]*(?:\s[A-Z0-9][\w.-]*){{0,2}})",
          rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{_MODEL_NOUN}\b", 0.55),
    # "its Spark model", "the GLM-4 model", "a reasoning model called Foo"
    _rule("AIModel", r"\b(?:its|the|their|new)\s+(?P<name>[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,2})",
          rf"\s+{_MODEL_NOUN}\b", 0.6),
    _rule("AIModel", rf"\b{_MODEL_NOUN}\s+", rf"(?:called|named|dubbed|known\s+as)\s+(?P<name>{_NAME})", 0.65),
    # "chief executive Zhang Peng", "Chen Tianshi, who co-founded ...", "Zhao Haijun, one of SMIC's co-CEOs"
    _rule("Person", rf"\b{_TITLE},?\s+", rf"(?P<name>{_PERSON})\b(?![\w-])", 0.6, cue=_TITLE_THEN_NAME),
    _rule("Person", rf"(?P<name>{_UPPER_AT_WORD}{_PERSON_REST})", rf",\s+(?:(?:the|its|a|an|one\s+of|who|whose)\s+)?"
          rf"(?:[\w’'-]+\s+){{0,4}}?(?:{_TITLE}|co-?founded|founded)", 0.6),
    _rule("Product", r"\b(?:platform|service|app|application|assistant)\s+",
          rf"(?:called|named|dubbed)\s+(?P<name>{_NAME})", 0.6),
]


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
                # the dictionary lookups first: _CONTINUED (a regex call) only matters for a form that names something
                entities = surface.get(form) or (folded.get(form.lower()) if n > 1 else None)
                if not entities and form not in demonyms:
                    continue
                if _CONTINUED.match(text, end):
                    continue  # "GPT-4" inside "GPT-4.1" is not a mention of GPT-4
                if entities:
                    found = (n, start, end, entities[0], "alias")
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


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``name`` standing alone in ``text`` (not inside a longer word or hyphenated name).

    The same matches as ``(?<![\\w-])NAME(?![\\w-])`` without compiling a regex per name: articles bring new
    names all the time, and re's pattern cache turning over cost more than the search.
    """
    if not name:
        return [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    spans = []
    i = text.find(name)
    while i >= 0:
        end = i + len(name)
        if (i == 0 or not _is_word_char(text[i - 1])) and (end == len(text) or not _is_word_char(text[end])):
            spans.append((i, end))
            i = text.find(name, end)
        else:
            i = text.find(name, i + 1)
    return spans


def _clean_name(name: str) -> str:
    name = re.sub(rf"\s+{_LEGAL}$", "", name).strip(" ,.")
    return name


def find_new(text: str, kb: KnowledgeBase, known: list[Mention]) -> list[Mention]:
    """Entities the knowledge base does not know, typed by the cue that introduced them.

    Every later occurrence of a discovered name in the text becomes a mention too.
    """
    taken = [(m.start, m.end) for m in known]
    discovered: dict[str, tuple[Entity, float]] = {}
    for type_, pattern, cue, confidence in _NEW_PATTERNS:
        if cue is not None and cue.search(text) is None:
            continue
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            words = name.split()
            while words and words[0] in _STOP:
                words = words[1:]
            name = " ".join(words)
            if len(words) == 1 and re.fullmatch(_ORG_WORD, name):
                continue  # "AI Cloud" minus its stop word leaves a bare "Cloud": not a name
            if len(name) < 2 or not name[0].isupper() and not name[0].isdigit():
                continue
            if name in kb.surface or name in kb.demonyms or name in discovered:
                continue
            if any(w in _STOP for w in words) and type_ != "Company":
                continue
            start = text.find(name, m.start("name"))
            if start < 0 or _overlaps(start, start + len(name), taken):
                continue
            entity = Entity(entity_iri(type_, name), name, type_, (), known=False)
            discovered[name] = (entity, confidence)
    mentions: list[Mention] = []
    for name in sorted(discovered, key=len, reverse=True):
        entity, confidence = discovered[name]
        for start, end in _occurrences(text, name):
            if not _overlaps(start, end, taken):
                mentions.append(Mention(entity, name, start, end, confidence, "new-" + entity.type.lower()))
                taken.append((start, end))
    return mentions


# Last words of a company name that its short form drops ("Moonshot AI" -> "Moonshot").
_COMPANY_SUFFIX = (r"AI|Technologies|Technology|Group|Holdings|Inc\.?|Corp\.?|Corporation|Co\.?|Ltd\.?|Limited|"
                   r"Labs|Semiconductors?|Intelligence|Electronics")


def _short_parts(entity: Entity) -> list[str]:
    """Parts of a name that stand for it once it has been named in full in an article.

    A person's family or given name ("Li" after "Robin Li"); the model number of a model or chip ("K2" after
    "Kimi K2", "P800" after "Kunlun P800"); a company's name without its corporate suffix ("Moonshot").
    """
    words = entity.label.split()
    if entity.type == "Company" and len(words) > 1 and re.fullmatch(_COMPANY_SUFFIX, words[-1]):
        return [" ".join(words[:-1])]  # "Moonshot" after "Moonshot AI"
    if entity.type == "Person":
        return [w for w in words if len(w) > 1 and w[0].isupper()]
    if entity.type in ("AIModel", "Chip") and len(words) > 1 and re.search(r"\d", words[-1]):
        return [words[-1]]
    tail = entity.label.rsplit("-", 1)[-1] if "-" in entity.label else ""
    if entity.type in ("AIModel", "Chip") and re.fullmatch(r"[A-Za-z]+\d[\w.]*", tail):
        return [tail]  # "V3" after "DeepSeek-V3"
    return []


def add_short_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """After an entity's full name, a short part of it names it too (see :func:`_short_parts`)."""
    parts: dict[str, Entity | None] = {}
    first_seen: dict[str, int] = {}
    for m in mentions:
        if m.rule == "alias" or m.rule.startswith("new-"):
            for part in _short_parts(m.entity):
                if parts.get(part, m.entity) != m.entity:
                    parts[part] = None  # ambiguous between two entities: skip
                else:
                    parts[part] = m.entity
                    first_seen[part] = min(first_seen.get(part, m.end), m.end)
    taken = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    for part, entity in parts.items():
        if entity is None:
            continue
        plural = _occurrences(text, part + "s") if entity.type == "Chip" else []  # "P800s" after "Kunlun P800"
        for start, end in _occurrences(text, part) + plural:
            if start >= first_seen[part] and not _overlaps(start, end, taken):
                extra.append(Mention(entity, part, start, end, 0.85, "short-name"))
    return sorted(mentions + extra, key=lambda m: m.start)


def find_mentions(text: str, kb: KnowledgeBase) -> list[Mention]:
    """All entity mentions in ``text``, sorted and non-overlapping."""
    known = find_known(text, kb)
    new = find_new(text, kb, known)
    return add_short_names(text, sorted(known + new, key=lambda m: m.start))
