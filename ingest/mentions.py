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

_TITLE = (r"(?:(?:co-?)?chief\s+executives?|(?:co-?)?CEOs?|co-?founder|founder|chairman|chairwoman|president|"
          r"chief\s+\w+\s+officer|researcher|analyst|spokes(?:person|man|woman)|director|minister|secretary)")
_PERSON = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}"

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

_NEW_PATTERNS: list[tuple[str, re.Pattern[str], float]] = [
    # "Zhonghao Xinying Technologies Co., Ltd", "Acme Semiconductor Inc"
    ("Company", re.compile(rf"\b(?P<name>{_NAME})\s+{_LEGAL}"), 0.7),
    ("Company", re.compile(rf"\b(?P<name>(?:[A-Z][\w-]*\s+){{1,2}}{_ORG_WORD})\b"), 0.6),
    # "the start-up Moonshot", "Chinese chipmaker Moore Threads"
    ("Company", re.compile(rf"\b{_COMPANY_NOUN}\s+(?P<name>{_NAME})"), 0.6),
    # "Iluvatar, a Shanghai-based chip designer"
    ("Company", re.compile(rf"\b(?P<name>{_NAME}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{_COMPANY_NOUN}\b"), 0.6),
    # "Acme (NASDAQ: ACME)", "Foo Holdings (9999.HK)"
    ("Company", re.compile(rf"\b(?P<name>{_NAME})\s+\((?:(?:NASDAQ|NYSE|HKEX|SSE|SZSE|TSE|KRX)\s*:\s*)?"
                           r"(?:[A-Z]{2,5}|\d{3,6}\.(?:HK|SS|SZ|SH|T|KS|TW))\)"), 0.7),
    # "MLU590 chips", "the Sophon accelerator"
    ("Chip", re.compile(rf"\b(?P<name>[A-Z][\w-]*\d[\w.-]*(?:\s+[A-Z0-9][\w.-]*)?)\s+{_CHIP_NOUN}\b"), 0.6),
    ("Chip", re.compile(r"\bthe\s+(?P<name>[A-Z][\w.-]+(?:\s+[A-Z0-9][\w.-]*)?)\s+"
                        r"(?:accelerator|AI\s+chip|GPU|processor)s?\b"), 0.55),
    # "RTX 5090D, a gaming graphics card", "Kimi K3, a large open-weight model"
    ("Chip", re.compile(rf"\b(?P<name>[A-Z][\w-]*(?:\s[A-Z0-9][\w.-]*)?),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?"
                        rf"{_CHIP_NOUN}\b"), 0.55),
    ("AIModel", re.compile(rf"\b(?P<name>[A-Z][\w.-]*(?:\s[A-Z0-9][\w.-]*){{0,2}}),\s+(?:a|an|the)\s+"
                           rf"(?:[\w-]+\s+){{0,3}}?{_MODEL_NOUN}\b"), 0.55),
    # "its Spark model", "the GLM-4 model", "a reasoning model called Foo"
    ("AIModel", re.compile(rf"\b(?:its|the|their|new)\s+(?P<name>[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){{0,2}})"
                           rf"\s+{_MODEL_NOUN}\b"), 0.6),
    ("AIModel", re.compile(rf"\b{_MODEL_NOUN}\s+(?:called|named|dubbed|known\s+as)\s+(?P<name>{_NAME})"), 0.65),
    # "chief executive Zhang Peng", "Chen Tianshi, who co-founded ...", "Zhao Haijun, one of SMIC's co-CEOs"
    ("Person", re.compile(rf"\b{_TITLE},?\s+(?P<name>{_PERSON})\b(?![\w-])"), 0.6),
    ("Person", re.compile(rf"\b(?P<name>{_PERSON}),\s+(?:(?:the|its|a|an|one\s+of|who|whose)\s+)?"
                          rf"(?:[\w’'-]+\s+){{0,4}}?(?:{_TITLE}|co-?founded|founded)"), 0.6),
    ("Product", re.compile(rf"\b(?:platform|service|app|application|assistant)\s+(?:called|named|dubbed)\s+"
                           rf"(?P<name>{_NAME})"), 0.6),
]


def find_known(text: str, kb: KnowledgeBase) -> list[Mention]:
    """Known entities named in ``text``: longest exact alias match at each token, left to right."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    firsts = kb.first_tokens
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        first = text[tokens[i][0]: tokens[i][1]]
        longest = firsts.get(first)
        found = None
        if longest:
            for n in range(min(longest, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                form = text[start:end]
                if re.match(r"[.\-][A-Z0-9]", text[end: end + 2]):
                    continue  # "GPT-4" inside "GPT-4.1" is not a mention of GPT-4
                entities = kb.surface.get(form) or (kb.folded.get(form.lower()) if n > 1 else None)
                if entities:
                    found = (n, start, end, entities[0], "alias")
                    break
                if form in kb.demonyms:
                    found = (n, start, end, kb.demonyms[form], "demonym")
                    break
        elif first.endswith("s") and len(first) > 2:  # plurals of products: "P800s", "H20s"
            entities = kb.surface.get(first[:-1])
            if entities and entities[0].type in ("Chip", "Product"):
                found = (1, tokens[i][0], tokens[i][1], entities[0], "alias-plural")
        if found:
            n, start, end, entity, rule = found
            mentions.extend(_split_prefix(text, tokens[i: i + n], entity, rule, kb))
            i += n
        else:
            i += 1
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


def _clean_name(name: str) -> str:
    name = re.sub(rf"\s+{_LEGAL}$", "", name).strip(" ,.")
    return name


def find_new(text: str, kb: KnowledgeBase, known: list[Mention]) -> list[Mention]:
    """Entities the knowledge base does not know, typed by the cue that introduced them.

    Every later occurrence of a discovered name in the text becomes a mention too.
    """
    taken = [(m.start, m.end) for m in known]
    discovered: dict[str, tuple[Entity, float]] = {}
    for type_, pattern, confidence in _NEW_PATTERNS:
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
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if not _overlaps(m.start(), m.end(), taken):
                mentions.append(Mention(entity, name, m.start(), m.end(), confidence, "new-" + entity.type.lower()))
                taken.append((m.start(), m.end()))
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
        for m in re.finditer(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text):
            if m.start() >= first_seen[part] and not _overlaps(m.start(), m.end(), taken):
                extra.append(Mention(entity, part, m.start(), m.end(), 0.85, "short-name"))
    return sorted(mentions + extra, key=lambda m: m.start)


def find_mentions(text: str, kb: KnowledgeBase) -> list[Mention]:
    """All entity mentions in ``text``, sorted and non-overlapping."""
    known = find_known(text, kb)
    new = find_new(text, kb, known)
    return add_short_names(text, sorted(known + new, key=lambda m: m.start))
