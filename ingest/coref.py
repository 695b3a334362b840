"""Resolve anaphors ("it", "its", "the company", "the chips") to the entity they stand for.

Relations often span a sentence and its successor: "Baidu released Ernie. The company said it trained
the model on Kunlun chips." Each anaphor becomes a pseudo-mention of its antecedent, with a lower
confidence, so that relation patterns see typed mentions wherever the text names an entity indirectly.

Three further kinds of indirect names become pseudo-mentions too:

* sanction descriptions ("the new US licence requirement", "its controls on advanced chips"), named after
  the knowledge base's regime when one matches, else as a new restriction of that country;
* implicit owners: "Competitors like A and B ..." opening a sentence are the current topic's competitors;
* implicit funding targets: "X joined a later round" is a round in the company the paragraph is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.kb import KnowledgeBase, default_kb
from ingest.lexicon import Lexicon
from ingest.model import Mention
from ingest.sanctions import described_sanctions, sanction_anaphors, verb_restrictions
from ingest.sentences import Sentence
from ingest.spans import SpanSet

COREF_CONFIDENCE = 0.75
_MODIFIERS = ("demonym", "alias-prefix")  # mentions that modify a name ("Chinese", "DeepSeek" in DeepSeek-R1)

_PRONOUN_NOT = (r"(?!\s+(?:is|was)\s+(?:not\s+)?(?:clear|unclear|likely|possible|expected|understood|said|reported|"
                r"thought|believed|estimated|hard|easy|difficult|too|time|worth)\b)")


def _initial(letters: str) -> str:
    """One of ``letters`` opening a word (``\\b[letters]``); the pattern goes on after that letter.

    Anaphor patterns run over every sentence. Opening with a character class (then a look back for the word
    boundary) lets re skip to the next such letter; a pattern opening with ``\\b`` is tried at every position.
    """
    return rf"[{letters}](?<!\w\w)"


def _alt(words: frozenset[str] | set[str]) -> str:
    parts = sorted((w for w in words if w), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class _Words:
    """The lexicon's words as the anaphor patterns of one knowledge base (compiled once)."""

    anaphors: list[tuple[re.Pattern[str], str, bool]]  # (pattern, type, plural)
    unit_heads: frozenset[str]
    as_unit_after: re.Pattern[str]
    as_unit_before: re.Pattern[str]
    implicit_owner: re.Pattern[str]
    maker_nouns: frozenset[str]
    implicit_rivals: re.Pattern[str]
    implicit_round: re.Pattern[str]
    implicit_role: re.Pattern[str]
    funded_before: re.Pattern[str]
    round_word: re.Pattern[str]  # a funding round named ("a Series A round", "the financing")


_CACHE: dict[int, tuple[Lexicon, _Words]] = {}


def _words(lex: Lexicon) -> _Words:
    hit = _CACHE.get(id(lex))
    if hit and hit[0] is lex:
        return hit[1]
    singular = {k: frozenset(f for f in lex.kind_words(k) if not f.endswith("s") or f.endswith("ss"))
                for k in ("Company", "AIModel", "Chip", "Product", "GovernmentBody")}
    plural = {k: frozenset(lex.kind_words(k) - singular[k]) for k in singular}
    company, chip, model = _alt(singular["Company"]), _alt(singular["Chip"]), _alt(singular["AIModel"])
    body = _alt(singular["GovernmentBody"])
    chip_word = rf"{_alt(lex.kind_words('Chip'))}\b(?!\s*(?:{_alt(lex.kind_words('Company'))}))"
    units = frozenset(" ".join(f.words) for frames in lex.nouns.values() for f in frames
                      if f.predicate == "subsidiaryOf" and f.subject == "head") & lex.kind_words("Company")
    unit_alt = _alt(units)
    rounds, stakes = _alt(lex.rounds), _alt(lex.stakes)
    ceo = _alt(lex.ceo_titles)
    role_verbs = _alt(lex.role_verbs)
    anaphors = [
        # "It is an inference accelerator", "it has been used in ...": the predicate says the pronoun is a chip
        (re.compile(rf"{_initial('Ii')}t\b(?=\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{chip_word}|"
                    r"\s+(?:has\s+been|had\s+been|is|was)\s+(?:also\s+|now\s+|widely\s+|already\s+)?"
                    r"(?:used|deployed|installed)\b)"), "Chip", False),
        # "the company", "the Chinese search giant", "the chipmaker"
        (re.compile(rf"{_initial('Tt')}he\s+(?:(?!(?:and|or|its|their|of|in|with|the|a|an)\b)(?:[A-Z][a-z]+|[A-Z]{{2,4}}|"
                    rf"U\.S\.|[a-z][\w-]*|[A-Z][\w.]*-?\d[\w.-]*)\s+){{0,3}}?(?i:{company})\b(?!\s+(?:[A-Z]|of\b))"),
         "Company", False),  # ("the Heron-2 developer": a product's name may stand before the noun)
        # "the ministry", "the regulator", "the department"
        (re.compile(rf"{_initial('Tt')}he\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{body})\b(?!\s+(?:[A-Z]|of\b))"),
         "GovernmentBody", False),
        (re.compile(_initial("Ii") + r"(?:t|ts)\b" + _PRONOUN_NOT), "Company", False),
        # "Both have been on the list", "the two companies", "all three": the companies just named together
        (re.compile(rf"(?:^(?:Both|They)\b(?=\s+(?:have|had|are|were|will|also|now|still|then|later|said|say)\b)|"
                    rf"{_initial('Tt')}he\s+(?:two|three|four)\s+(?i:{_alt(plural['Company'])})\b|"
                    rf"{_initial('Aa')}ll\s+(?:two|three|four)\b(?!\s+of))"), "Company", True),
        (re.compile(_initial("TtBb") + rf"(?:(?<=[Tt])he|(?<=[Bb])oth|(?<=[Tt])hese|(?<=[Tt])hose)\s+(?:\w+\s+){{0,2}}?"
                    rf"(?:{_alt(plural['Chip'])})\b"), "Chip", True),
        (re.compile(_initial("Tt") + rf"he\s+(?:new\s+)?(?:{chip})\b(?!\s+[A-Z0-9])"), "Chip", False),
        (re.compile(_initial("Tt") + rf"he\s+(?:new\s+|latest\s+)?(?:{model})\b(?!\s+[A-Z0-9])"), "AIModel", False),
    ]
    verbs_of_round = r"(?:led|co-led|joined|participated\s+in|took\s+part\s+in)"
    rivals = _alt({form for form, frames in lex.nouns.items() for f in frames
                   if f.predicate == "competesWith" and f.subject == "head" and form.endswith("s")})
    # "Early backers include Tencent": the relational nouns whose head is the other company, in the plural
    backers = _alt({form for form, frames in lex.nouns.items() for f in frames
                    if f.predicate in ("competesWith", "investsIn", "partnersWith") and f.subject == "head"
                    and form.endswith("s")})
    w = _Words(
        anaphors=anaphors,
        unit_heads=units,
        # "T-Head, the semiconductor unit ...", "Alibaba's chip unit T-Head": the article presents it as a unit
        as_unit_after=re.compile(rf"\s*,\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w'’-]+\s+){{0,3}}?{unit_alt}\b"),
        as_unit_before=re.compile(rf"\b{unit_alt},?\s+$"),
        # "Competitors like Baidu ..." opening a sentence: the competitors of the entity under discussion
        maker_nouns=frozenset(form for form, frames in lex.nouns.items() for f in frames
                              if f.predicate == "develops" and f.subject == "head"),
        implicit_owner=re.compile(rf"(?:(?:early|earlier|other|big|bigger|main|chief|major|key|new|existing|"
                                  rf"domestic|foreign|local|strategic)\s+)*(?P<role>{backers})\s+(?:such\s+as|like|"
                                  rf"including|include|included|are|were)\b", re.I),
        # "the stock has outpaced those of rivals such as Hygon": rivals of the company under discussion
        implicit_rivals=re.compile(rf"\b(?:of|with|against|than|over|from|outpaced|outpacing)\s+(?:(?:its|their)\s+)?"
                                   rf"(?:[a-z]+\s+)?(?P<role>{rivals})\s+(?:such\s+as|like|including)\b"),
        # "Tencent joined a later round": a round in the company being funded (no "in/of/for X" follows)
        implicit_round=re.compile(
            rf"\b{verbs_of_round}\s+(?:a|an|the|its|this|that)\s+"
            rf"(?:[\w$.,-]+\s+){{0,3}}?(?P<round>{rounds})\b(?!\s+(?:by|led)\b|\s+(?:in|for|of|at)\s+(?!(?:January|"
            r"February|March|April|May|June|July|August|September|October|November|December|\d{4})\b))"),
        # "Liang Rubo, who took over as chief executive in 2021": chief executive of the company at hand
        implicit_role=re.compile(rf"\b{role_verbs}\s+(?:as\s+)?(?P<role>(?i:{ceo}))\b(?!\s+(?:of|at|for)\b|['’]s)"),
        round_word=re.compile(rf"\b(?:{rounds})\b", re.I),
        # "a round in X", "a stake in X", "backed X": X is the company being funded
        funded_before=re.compile(rf"(?:\b(?:{rounds}|{stakes}|investments?)\s+(?:\w+\s+)?(?:in|of|for)|"
                                 r"\b(?:backed|funded|bankrolled|invested\s+in|backs|funds))\s+(?:the\s+)?$"),
    )
    _CACHE[id(lex)] = (lex, w)
    return w


# Words that end a clause between an antecedent and a description ("Baidu said the company ...").
_CLAUSE_BOUNDARY = re.compile(
    r"\b(?:which|that|who|whom|whose|said|says|say|told|tells|added|according|while|whereas|although|though|"
    r"because|since|after|before|when|if|but|as)\b|[;:]|[–—]|,\s+and\b")
# "High-Flyer, the hedge fund that bankrolls the lab": the description is the object of a relative clause
_SUBJECT_RELATIVE = re.compile(r"\b(?:that|which|who)\s+(?:[a-z][\w-]*\s+){1,4}$")
# an agent or source named after a preposition: "designed by Kunlunxin", "bought from Tencent"
_OBLIQUE = re.compile(r"\b(?:by|from|than|via)\s+(?:the\s+|a\s+|an\s+)?$")
# "Since the designation cut it off from TSMC, Cambricon ...": a pronoun before the main clause's subject
_FRONTED = re.compile(r"(?:Since|After|When|Although|Though|While|Before|Until|Once|Because|As|Even\s+though|"
                      # a fronted participle or adjective phrase: "Best known for its Kirin chips, HiSilicon ..."
                      r"(?:(?:Best|Better|Well|Long|Perhaps\s+best|Once)\s+)?(?:[Kk]nown|[Ff]amous|[Nn]oted)\s+for|"
                      r"Like|Unlike|Despite|Having|Backed\s+by|Stung\s+by|Hit\s+by)\b")


def resolve(sentences: list[Sentence], mentions: list[Mention], text: str = "",
            kb: KnowledgeBase | None = None) -> list[Mention]:
    """Pseudo-mentions for the anaphors of each sentence (not overlapping real mentions).

    ``text`` (the article) tells where paragraphs start: a description opening a paragraph ("The company
    built ...") points at the previous paragraph's topic, its first company, not at its last sentence's.
    """
    kb = kb or default_kb()
    w = _words(kb.lexicon)
    descriptions = described_sanctions(text, mentions, kb) if text else []
    descriptions += verb_restrictions(text, mentions + descriptions, kb) if text else []
    descriptions += sanction_anaphors(sentences, mentions + descriptions, text, kb) if text else []
    # nationality words and country names may sit inside a description ("the US company")
    taken = SpanSet((m.start, m.end) for m in mentions + descriptions
                    if m.rule != "demonym" and m.entity.type != "Country")
    by_sentence: list[list[Mention]] = [[] for _ in sentences]
    idx = 0
    for m in sorted(mentions + descriptions, key=lambda x: x.start):
        while idx < len(sentences) and m.start >= sentences[idx].end:
            idx += 1
        if idx < len(sentences) and m.start >= sentences[idx].start:
            by_sentence[idx].append(m)
    out: list[Mention] = list(descriptions)
    nations = _nations(sorted(mentions, key=lambda x: x.start), text, kb.lexicon)
    para_start = [0] * len(sentences)  # index of the first sentence of each sentence's paragraph
    for i in range(1, len(sentences)):
        gap = text[sentences[i - 1].end: sentences[i].start] if text else ""
        para_start[i] = i if "\n\n" in gap else para_start[i - 1]
    for i, sentence in enumerate(sentences):
        for pattern, type_, plural in w.anaphors:
            for hit in pattern.finditer(sentence.text):
                start, end = sentence.start + hit.start(), sentence.start + hit.end()
                by_product = type_ == "Company" and _names_a_product(hit.group(), by_sentence[i], start, end, w)
                inside = [m for m in by_sentence[i] if m.start < end and start < m.end]
                # "runs on the Huawei chips": a maker's name inside a description of chips is a modifier of it
                maker = type_ == "Chip" and bool(inside) and all(
                    m.entity.type == "Company" and start < m.start and m.end < end for m in inside)
                if taken.overlaps(start, end) and not by_product and not maker:
                    continue
                word = hit.group()
                pronoun = word.lower() in ("it", "its")
                targets = _targets(by_sentence, para_start, i, sentence, start, end, type_, plural, pronoun, text, w)
                # "The Taiwanese company": not a company the article has given another nationality
                country = next((m.entity.iri for m in by_sentence[i] if m.entity.type == "Country"
                                and start <= m.start and m.end <= end), None) if not pronoun else None
                for _ in range(3):
                    clash = next((t for t in targets if country and nations.get(t.entity.iri, country) != country),
                                 None)
                    if clash is None:
                        break
                    hidden_n = [(j, by_sentence[j]) for j in range(max(0, i - 5), i + 1)]
                    for j, kept in hidden_n:
                        by_sentence[j] = [x for x in kept if x.entity.iri != clash.entity.iri]
                    targets = _targets(by_sentence, para_start, i, sentence, start, end, type_, plural, pronoun,
                                       text, w)
                    for j, kept in hidden_n:
                        by_sentence[j] = kept
                subject = _clause_subject(by_sentence[i], sentence, start) if word.lower() == "it" else (
                    (_apposed(by_sentence[i], sentence, start) or _copula_subject(by_sentence[i], text, start))
                    if word.lower() in ("its", "their") else None)
                if by_product:
                    # "The Claude maker": the company the article has tied to Claude ("Anthropic's Claude",
                    # "Anthropic launched Claude"), else none
                    owner = _product_owner(by_sentence, i, start, end, text)
                    targets = [owner] if owner is not None else []
                    subject = None
                if subject is not None and any(t.entity.iri == subject.entity.iri for t in targets):
                    # "the Commerce Department added it": an object pronoun is not its own clause's subject
                    hidden: list[tuple[int, list[Mention]]] = []
                    for j in range(max(para_start[i], i - 2), i + 1):
                        hidden.append((j, by_sentence[j]))
                        by_sentence[j] = [x for x in by_sentence[j] if x.entity.iri != subject.entity.iri]
                    targets = _targets(by_sentence, para_start, i, sentence, start, end, type_, plural, pronoun,
                                       text, w)
                    for j, kept in hidden:
                        by_sentence[j] = kept
                if maker:
                    # only the chips the text or the knowledge base ties to that maker ("Nvidia H20", "Huawei's
                    # Ascend 910C"); "the Nvidia chips" are not the Ascend just named
                    targets = [t for t in targets if any(_made_by(t, m, text) for m in inside)]
                for target in targets:
                    resolved = Mention(target.entity, word, start, end, COREF_CONFIDENCE, "coref")
                    out.append(resolved)
                    if not plural:  # later anaphors may point back at this one: "Its backers ... The company"
                        by_sentence[i].append(resolved)
                by_sentence[i].sort(key=lambda x: x.start)
                if targets or type_ != "Chip":  # "it was used" with no chip before it may still be a company
                    taken.add(start, end)
        out += _zero_anaphors(by_sentence, para_start, i, sentence, text, w)
    return out


def _made_by(chip: Mention, maker: Mention, text: str) -> bool:
    """Whether ``chip`` is ``maker``'s: a name of the chip opens with the maker's, or the maker is named right
    before the chip ("Huawei's Ascend 910C", "Huawei Ascend 910C chips")."""
    names = {maker.entity.label, *maker.entity.aliases, maker.text}
    if any(a.startswith(n + " ") for a in (chip.entity.label, *chip.entity.aliases) for n in names):
        return True
    # anywhere in the article before: "Huawei's Ascend 910C", "Huawei Ascend 910C chips" (the family's first word
    # is enough: "Huawei's Ascend processors")
    family = re.escape(chip.text.split()[0]) if chip.text.split() else "(?!)"
    return any(re.search(rf"\b{re.escape(n)}(?:['’]s)?\s+(?:[\w-]+\s+){{0,3}}?{family}\b", text[:chip.end])
               for n in names)


def _nations(mentions: list[Mention], text: str, lex: Lexicon) -> dict[str, str]:
    """Company -> country as the article states it: "Chinese start-up DeepSeek", "ASML, the Dutch maker",
    "US-based Solidigm" (what a later "the French start-up" must agree with)."""
    nouns = "|".join(re.escape(n) for n in sorted(lex.kind_words("Company"), key=len, reverse=True)) or "(?!)"
    out: dict[str, str] = {}
    for k, d in enumerate(mentions):
        if d.entity.type != "Country" or d.rule == "metonym":
            continue
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and nxt.entity.type == "Company" and re.fullmatch(
                rf"(?:-based|-headquartered)?\s+(?:[\w-]+\s+){{0,3}}?(?:(?:{nouns})\s+)?(?:the\s+)?",
                text[d.end: nxt.start], re.I) and (text[d.end: d.end + 1] == "-" or re.search(
                rf"\b(?:{nouns})\s+(?:the\s+)?$", text[d.end: nxt.start], re.I)):
            out.setdefault(nxt.entity.iri, d.entity.iri)
        prev = mentions[k - 1] if k else None
        if prev is not None and prev.entity.type == "Company" and re.fullmatch(
                r",\s+(?:the|a|an|its)\s+(?:[\w’'-]+\s+){0,3}?", text[prev.end: d.start]) and re.match(
                rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", text[d.end: d.end + 80], re.I):
            out.setdefault(prev.entity.iri, d.entity.iri)
    return out


def _product_owner(by_sentence: list[list[Mention]], i: int, start: int, end: int, text: str) -> Mention | None:
    """The company the article ties to the product a description names ("the Claude maker"): a possessor or
    brand before an earlier mention of it ("Anthropic's Claude", "Nvidia H20"), or the subject of a sentence
    naming the two with nothing between but a verb and its modifiers ("Anthropic released Claude 3")."""
    products = {m.entity.label for m in by_sentence[i] if start <= m.start and m.end <= end
                and m.entity.type in ("AIModel", "Chip", "Product")}

    def same_family(label: str) -> bool:  # "the Claude developer" after "Claude 3"
        return any(label == p or label.startswith(p + " ") or p.startswith(label + " ") for p in products)

    for j in range(i, -1, -1):
        ms = sorted(by_sentence[j], key=lambda x: x.start)
        for k, m in enumerate(ms):
            if m.entity.type not in ("AIModel", "Chip", "Product") or not same_family(m.entity.label) or (
                    j == i and m.start >= start):
                continue
            for prev in reversed(ms[:k]):
                if prev.entity.type != "Company" or prev.rule in ("coref", "implicit"):
                    continue
                gap = text[prev.end: m.start]
                if re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}|\s|-|\s+(?:[a-z]+\s+){1,3}(?:(?:the|its|a|an)\s+)?", gap):
                    return prev
                break
    return None


def _names_a_product(phrase: str, here: list[Mention], start: int, end: int, w: _Words) -> bool:
    """ "The Claude maker", "the ChatGPT developer": a description of a company by its product (the product's
    name inside is kept; the relation rules read it)."""
    inside = [m for m in here if start <= m.start and m.end <= end]
    return bool(inside) and all(m.entity.type in ("AIModel", "Chip", "Product") for m in inside) and \
        phrase.split()[-1].lower() in w.maker_nouns


def _apposed(here: list[Mention], sentence: Sentence, start: int) -> Mention | None:
    """ "Kunlunxin, its chip unit": the name an apposition opening with "its" describes is not its owner."""
    before = [m for m in here if m.end <= start and m.rule != "demonym"]
    if before and re.fullmatch(r",\s*", sentence.text[before[-1].end - sentence.start: start - sentence.start]):
        return before[-1]
    return None


def _clause_subject(here: list[Mention], sentence: Sentence, start: int) -> Mention | None:
    """The name right before the verb whose object a pronoun at ``start`` is: "X (also) added it"."""
    before = [m for m in here if m.end <= start and m.rule != "demonym"]
    if not before:
        return None
    m = before[-1]
    gap = sentence.text[m.end - sentence.start: start - sentence.start]
    nxt = re.match(r"\s+([a-z]+)", sentence.text[start - sentence.start + 2:])
    if nxt and (nxt.group(1) in _CLAUSE_VERBS or re.fullmatch(r"[a-z]+(?:ed|s)", nxt.group(1))
                and nxt.group(1) not in ("besides", "as", "is", "was", "this", "across", "towards", "afterwards")):
        return None  # "Tencent said it bought": the subject of a clause of its own
    if re.fullmatch(r"\s+(?:[a-z]+ly\s+|also\s+|then\s+|had\s+|has\s+|have\s+)*[a-z]+\s+", gap):
        return m
    # "X, which owns about 28% of it", "X, who bought a stake in it": the object of a preposition in X's own
    # relative clause (no clause mark or other name between)
    if re.fullmatch(r",\s+(?:which|who|that)\s+[^,;()\"“”]*?\b(?:of|in|into|from|with|to|for|on)\s+", gap):
        return m
    return None


_CLAUSE_VERBS = {"would", "will", "could", "can", "may", "might", "should", "must", "had", "has", "have", "is", "was",
                 "were", "are", "did", "does", "plans", "expects", "hopes", "says", "said", "wants", "needs", "sells",
                 "makes", "uses", "runs", "buys", "owns", "holds", "aims", "intends", "remains", "became", "bought",
                 "made", "sold", "ran", "took", "won", "got", "began", "kept", "built", "paid", "spent", "lost",
                 "already", "also", "still", "now", "never", "only", "just", "then", "first"}


def _targets(by_sentence: list[list[Mention]], para_start: list[int], i: int, sentence: Sentence, start: int,
             end: int, type_: str, plural: bool, pronoun: bool, text: str, w: _Words) -> list[Mention]:
    """What the anaphor at [start, end) of sentence ``i`` stands for."""
    if type_ == "Company" and not pronoun and sentence.text[:end - sentence.start].split()[-1] in w.unit_heads:
        return _unit_antecedent(by_sentence, i, start, text, w)
    possessor = re.match(r"['’]s\b", sentence.text[end - sentence.start: end - sentence.start + 2])
    appositive = None if possessor else _appositive(by_sentence[i], start, type_, sentence)
    if appositive:
        return [appositive]
    if pronoun:
        ahead = _cataphor(by_sentence[i], start, type_, sentence)
        if ahead:
            return [ahead]
        # "ByteDance, which spends heavily to promote its Doubao app": the relative clause's own subject
        rel = [m for m in by_sentence[i] if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS]
        if rel and re.fullmatch(r",\s+(?:which|who|whose)\s+[^,;()]*", sentence.text[rel[-1].end - sentence.start:
                                                                              start - sentence.start]):
            return [rel[-1]]
        # "BIS added 13 entities to its Entity List", "a day after Washington added 140 entities to its trade
        # blacklist": the subject of the verb the pronoun's clause hangs on, a company or a government
        near = [m for m in by_sentence[i] if m.end <= start and m.rule not in _MODIFIERS and (
            m.entity.type in ("Company", "GovernmentBody") or m.rule == "metonym")]
        nearest = near[-1] if near else None
        if nearest is not None and text and _SUBJECT_VERB.match(text, nearest.end) and not _in_aside(
                nearest, sentence) and not _COPULA_BEFORE.fullmatch(text[nearest.end:start]):
            return [nearest]
        near = [m for m in near if _is_core(m, text)]
        if near and near[-1].entity.type != "Company":
            return [near[-1]]
    if not pronoun and not plural and type_ != "Sanction":
        head = sentence.text[:end - sentence.start].split()[-1].lower()
        named = _named_by_head(by_sentence, i, start, type_, head)
        if named:
            return [named]
        if para_start[i] == i and i > 0 and sentence.text[:start - sentence.start].strip() == "":
            topic = _paragraph_topic(by_sentence, para_start, i - 1, type_)
            if topic:
                return [topic]
        return _description_antecedent(by_sentence, i, start, type_, sentence, text)
    if type_ == "Sanction" and not plural:
        salient = _salient(by_sentence, i, start, type_)
        return [salient] if salient else []
    return _antecedents(by_sentence, i, start, type_, plural, sentence, pronoun, text)


# "Lenovo is its biggest backer": the subject of a copula is not the owner its predicate's "its" names
_COPULA_BEFORE = re.compile(r"\s+(?:is|was|are|were|remains|remained|became|becomes|has\s+become)\s+"
                            r"(?:also\s+|now\s+|still\s+)?")


def _copula_subject(here: list[Mention], text: str, start: int) -> Mention | None:
    """ "Lenovo is its biggest backer": the copula's subject, which the possessive after it is not."""
    before = [m for m in here if m.end <= start and m.rule not in ("demonym", "coref")]
    return before[-1] if before and _COPULA_BEFORE.fullmatch(text[before[-1].end:start]) else None


def _unit_antecedent(by_sentence: list[list[Mention]], i: int, start: int, text: str, w: _Words) -> list[Mention]:
    """ "the unit" (not set off as an apposition): the latest company the article has presented as a unit,
    subsidiary or division; none if it has presented none (an apposition is left to the relation rules)."""
    if re.search(r",\s*(?:the\s+)?(?:[\w-]+\s+){0,3}$", text[max(0, start - 40): start]):
        return []  # "Kunlunxin, the chip unit Baidu set up": an apposition, read by the relation rules
    before = [m for j in range(max(0, i - 5), i + 1) for m in by_sentence[j]
              if m.entity.type == "Company" and m.end <= start and m.rule not in _MODIFIERS]
    units = {m.entity.iri for j in range(i + 1) for m in by_sentence[j]
             if m.entity.type == "Company" and m.end <= start and m.rule != "coref"
             and (w.as_unit_after.match(text, m.end) or w.as_unit_before.search(text[max(0, m.start - 30): m.start]))}
    return next(([m] for m in reversed(before) if m.entity.iri in units), [])


def _appositive(mentions: list[Mention], start: int, type_: str, sentence: Sentence) -> Mention | None:
    """ "SMIC, the Chinese foundry, ...": a description set off by a comma names the mention just before it."""
    before = [m for m in mentions if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS]
    if before and re.fullmatch(r"\)?,\s*", sentence.text[before[-1].end - sentence.start: start - sentence.start]):
        return before[-1]
    return None


def _cataphor(mentions: list[Mention], start: int, type_: str, sentence: Sentence) -> Mention | None:
    """ "Since the ban cut it off from TSMC, Cambricon has ...": a pronoun inside a fronted subordinate clause
    points forward to the subject that opens the main clause."""
    if not _FRONTED.match(sentence.text):
        return None
    comma = sentence.text.find(",", start - sentence.start)
    if comma < 0 or "," in sentence.text[:start - sentence.start]:
        return None
    after = sentence.start + comma + 1
    # the first name right after a comma ("Best known for its Kirin chips, which TSMC made, HiSilicon ...")
    for m in mentions:
        if m.start >= after and m.entity.type == type_ and m.rule not in _MODIFIERS + ("coref",) and \
                re.search(r",\s*(?:the\s+)?$", sentence.text[: m.start - sentence.start]):
            return m
    return None


def _named_by_head(by_sentence: list[list[Mention]], i: int, start: int, type_: str, head: str) -> Mention | None:
    """ "the group" after "Alibaba Group" and "Alibaba Cloud": the entity whose name ends in the head noun."""
    for j in range(i, max(-1, i - 5), -1):
        for m in reversed(by_sentence[j]):
            if (m.entity.type == type_ and m.rule not in _MODIFIERS and (j < i or m.end <= start)
                    and m.entity.label.split()[-1].lower() == head and len(m.entity.label.split()) > 1):
                return m
    return None


def _description_antecedent(by_sentence: list[list[Mention]], i: int, start: int, type_: str,
                            sentence: Sentence, text: str = "") -> list[Mention]:
    """The antecedent of a definite description ("the company", "the US chipmaker", "the lab").

    In its own sentence a description skips the subject of its clause ("Alibaba led a round in the company")
    and the head of a relative clause it is the object of ("the fund that bankrolls the lab"); a possessor
    may be its antecedent ("Nvidia's H100, which the US chipmaker designed"). Otherwise it is the first
    fitting mention of an earlier sentence that is none of the skipped entities.
    """
    # a possessor or an object of a preposition ("a former head of Nvidia's China business") is rarely what a
    # later description in the same sentence names
    cands = [m for m in by_sentence[i] if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS
             and _is_core(m, text)]
    before = sentence.text[:start - sentence.start]
    skip: set[str] = set()
    rel = _SUBJECT_RELATIVE.search(before)
    if rel:
        heads = [m for m in cands if m.end <= sentence.start + rel.start()]
        if heads:
            skip.add(heads[-1].entity.iri)
    for m in reversed(cands):
        if m.entity.iri in skip:
            continue
        between = sentence.text[m.end - sentence.start: start - sentence.start]
        if not re.match(r"['’]s\b", between) and not _CLAUSE_BOUNDARY.search(between):
            skip.add(m.entity.iri)  # a clause-mate: "Alibaba led a round in the company"
            continue
        return [m]
    fallback: list[Mention] = []
    for j in range(i - 1, max(-1, i - 5), -1):
        prev = [m for m in by_sentence[j] if m.entity.type == type_ and m.rule not in _MODIFIERS
                and m.entity.iri not in skip]
        # "The chips are designed by Kunlunxin, a unit that Baidu controls. The company ...": an entity that
        # is only the object of a preposition is rarely what a later description names; an earlier sentence's
        # subject is likelier
        core = [m for m in prev if not _OBLIQUE.search(text[max(0, m.start - 20): m.start])]
        if core:
            return [core[0]]
        fallback = fallback or prev[:1]
    return fallback


def _salient(by_sentence: list[list[Mention]], i: int, start: int, type_: str) -> Mention | None:
    """The most often named fitting entity so far (the latest on ties): "the same rule" a page later."""
    counts: dict[str, int] = {}
    last: dict[str, Mention] = {}
    for j in range(i + 1):
        for m in by_sentence[j]:
            if m.entity.type == type_ and m.rule not in _MODIFIERS and (j < i or m.end <= start):
                counts[m.entity.iri] = counts.get(m.entity.iri, 0) + 1
                last[m.entity.iri] = m
    if not counts:
        return None
    order = list(last)
    best = max(order, key=lambda iri: (counts[iri], last[iri].start))
    return last[best]


def _antecedents(by_sentence: list[list[Mention]], i: int, start: int, type_: str, plural: bool,
                 sentence: Sentence, pronoun: bool, text: str = "") -> list[Mention]:
    """The antecedent(s) of a pronoun or plural: the nearest fitting mention earlier in the sentence, else the
    previous sentence's first.

    A possessive modifier ("Nvidia's H20, and its ...") is rarely what a later pronoun points back to, so it
    is passed over. Resolved anaphors count as mentions for later ones, so chains ("Its backers ...
    The company raised ...") carry the entity forward.
    """
    fitting = [m for m in by_sentence[i] if m.end <= start and m.entity.type == type_ and m.rule not in _MODIFIERS]
    same = [m for m in fitting
            if not re.match(r"['’]s\b", sentence.text[m.end - sentence.start: m.end - sentence.start + 2])]
    if same and not plural:
        # the nearest, unless it sits in an aside of another name ("Biren, founded by Zhang Wen, a former
        # president of SenseTime, launched its BR100": its is Biren's)
        core = [m for m in same if not _in_aside(m, sentence)]
        if pronoun:  # "Naura goes head to head with Lam Research, and it took a stake": the subject, not the object
            core = [m for m in core if _is_core(m, text)] or core
        return [(core or same)[-1]]
    if fitting and not plural and not pronoun_ahead(sentence, start):
        return [fitting[-1]]  # "Nvidia's Blackwell or its Rubin chips": no other candidate, the possessor it is
    if plural:
        if len({m.entity.iri for m in same}) > 1:  # "buyers of the 910B ... ordered the chips"
            return list({m.entity.iri: m for m in same}.values())
        if len({m.entity.iri for m in fitting}) > 1:  # "It buys Qualcomm's chips, and the two companies signed"
            return list({m.entity.iri: m for m in fitting}.values())
        if same:
            return list({m.entity.iri: m for m in same}.values())
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = [m for m in by_sentence[j] if m.entity.type == type_ and m.rule not in _MODIFIERS]
            if prev:
                return list({m.entity.iri: m for m in prev}.values())
        return same
    salient = _most_salient(by_sentence, i, type_, text)
    if salient is not None:
        return [salient]
    return same[-1:]


def _most_salient(by_sentence: list[list[Mention]], i: int, type_: str, text: str) -> Mention | None:
    """The entity a pronoun opening a clause most likely continues: scored over the four sentences before by
    position (a sentence's subject counts most), grammatical role (possessors and objects of prepositions
    count little), recency and how often the article has named it (salience, in the manner of Lappin and
    Leass)."""
    scores: dict[str, float] = {}
    last: dict[str, Mention] = {}
    for back, j in enumerate(range(i - 1, max(-1, i - 3), -1)):
        seen_subject = False
        for m in by_sentence[j]:
            if m.entity.type != type_ or m.rule in _MODIFIERS:
                continue
            score = 1.0 / (1 + back)
            if _is_core(m, text):
                score += 1.0
                if not seen_subject:
                    score += 2.0 / (1 + back)  # the first core mention of a sentence: its subject, most often
                    seen_subject = True
            scores[m.entity.iri] = scores.get(m.entity.iri, 0.0) + score
            last.setdefault(m.entity.iri, m)
    for j in range(max(0, i - 30), i):  # the article's topic: named often earlier on
        for m in by_sentence[j]:
            if m.entity.iri in scores and m.rule not in _MODIFIERS:
                scores[m.entity.iri] += 0.0
    if not scores:
        return None
    return last[max(scores, key=lambda iri: scores[iri])]


def _in_aside(m: Mention, sentence: Sentence) -> bool:
    """Whether a mention stands in an apposition or relative clause set off by commas after a name ("Zhang Wen,
    a former president of SenseTime,", "Zhang, who ran Nvidia's business,")."""
    before = sentence.text[: m.start - sentence.start]
    comma = before.rfind(",")
    if comma < 0:
        return False
    opening = before[comma + 1:].lstrip()
    named = re.search(r"(?:[A-Z][\w.&-]*|\))\s*$", before[:comma])  # the comma follows a name
    return bool(named) and bool(re.match(r"(?:a|an|the|who|which|whose|one\s+of|founded|led|backed|owned|run|"
                                         r"based)\b", opening)) and "," in sentence.text[m.end - sentence.start:]


def pronoun_ahead(sentence: Sentence, start: int) -> bool:
    """Whether the sentence before ``start`` is only a fronted clause ("When it ..."): then look ahead."""
    return bool(_FRONTED.match(sentence.text)) and "," not in sentence.text[: start - sentence.start]


# a name followed by its verb: "Washington added", "BIS has added", "the company also said"
_SUBJECT_VERB = re.compile(r"\s+(?:(?:has|have|had|also|then|later|now|first|already|recently|will|would)\s+)?"
                           r"(?!(?:said|says|told)\b)[a-z]+(?:ed|es|s)\b(?!\s+(?:by|to|in)\b)")
# an object of a preposition, or a name inside an apposition that follows another name ("Zhao, a former AMD
# executive,"; not "..., a day after Washington", where the comma follows no name)
_CORE_BEFORE = re.compile(r"(?:\b(?:of|by|from|at|in|for|with|than|to|(?<!well\s)as|like|via|against|behind)\s+"
                          r"(?:the\s+)?"
                          r"(?:(?-i:[A-Z])[\w.&-]*(?:\s+(?-i:[A-Z])[\w.&-]*){0,3},?\s+(?:and|or)\s+(?:the\s+)?)?"
                          r"(?:(?:(?-i:[A-Z]{2,})|[a-z][\w-]*)\s+){0,3}|"  # "an investor in the US chip start-up X"
                          r"(?:(?-i:[A-Z])[\w.&-]*|\)),\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4})$", re.I)


def _is_core(m: Mention, text: str) -> bool:
    """Whether a mention is a likely topic for a later pronoun: not a possessor ("Nvidia's business"), not the
    object of a preposition ("ran it for Nvidia"), not inside an apposition ("Zhao, a former AMD executive,")."""
    if not text:
        return True
    if re.match(r"['’]s\b", text[m.end: m.end + 2]):
        return False
    return not _CORE_BEFORE.search(text[max(0, m.start - 50): m.start])


def _paragraph_topic(by_sentence: list[list[Mention]], para_start: list[int], last: int, type_: str
                     ) -> Mention | None:
    """The first fitting mention of the paragraph that sentence ``last`` belongs to."""
    for j in range(para_start[last], last + 1):
        for m in by_sentence[j]:
            if m.entity.type == type_ and m.rule not in _MODIFIERS:
                return m
    return None


def _zero_anaphors(by_sentence: list[list[Mention]], para_start: list[int], i: int, sentence: Sentence,
                   text: str, w: _Words) -> list[Mention]:
    """Entities a sentence implies without naming: the owner of bare "Competitors like ...", the company a
    bare "round" is in. Each becomes a pseudo-mention (empty before "Competitors", on the word "round")."""
    out: list[Mention] = []
    m = w.implicit_owner.match(sentence.text)
    if m and (w.implicit_round.search(sentence.text) or re.search(r"\b(?:took|take|takes|taking)\s+part\b|\bround\b",
                                                                  sentence.text)):
        m = None  # a funding sentence's backers are the funded company's, which the round rules find
    if m and i > 0:
        owner = _description_antecedent(by_sentence, i, sentence.start, "Company", sentence, text)
        named = {x.entity.iri for x in by_sentence[i] if x.entity.type == "Company"}
        if owner and owner[0].entity.iri not in named:
            # on the noun itself ("Early backers include ..."): the noun's owner, for the frames
            start, end = sentence.start + m.start("role"), sentence.start + m.end("role")
            out.append(Mention(owner[0].entity, m.group("role"), start, end, COREF_CONFIDENCE, "implicit"))
    for m in w.implicit_rivals.finditer(sentence.text):
        if re.search(r"\b(?:its|their)\s", m.group()):
            continue  # "its rivals such as": the pronoun says whose
        start, end = sentence.start + m.start("role"), sentence.start + m.end("role")
        if any(x.entity.type == "Company" and x.end <= start and x.rule not in ("demonym",) and not (
                x.rule == "coref" and x.text.lower() in ("its", "their")) for x in by_sentence[i]):
            continue  # a company named before in the sentence is whose rivals they are, for the relation rules
        salient = _salient(by_sentence, i, start, "Company")
        if salient and not any(x.start >= start and x.end <= end for x in by_sentence[i]):
            out.append(Mention(salient.entity, m.group("role"), start, end, COREF_CONFIDENCE, "implicit"))
    for m in w.implicit_role.finditer(sentence.text):
        start, end = sentence.start + m.start("role"), sentence.start + m.end("role")
        salient = _salient(by_sentence, i, start, "Company")
        if salient and not any(x.start >= start and x.end <= end for x in by_sentence[i]):
            out.append(Mention(salient.entity, m.group("role"), start, end, COREF_CONFIDENCE, "coref"))
    for m in _PART_TAKEN.finditer(sentence.text):
        # "Lenovo and Baidu both took part." after "the start-up closed a Series B round": the round of the
        # sentences before, in the company it funds (on the word "part", for the round frames)
        start = sentence.start + m.start()
        topic = _funded(by_sentence, para_start, i, start, text, w)
        takers = {x.entity.iri for x in by_sentence[i] if x.entity.type == "Company" and x.end <= start}
        if topic is None or i == 0 or not takers or topic.entity.iri in takers or not w.round_word.search(
                _paragraph_before(text, sentence.start)):
            continue
        word = "round" if m.group("round") else "round2"
        start, end = sentence.start + m.start(word), sentence.start + m.end(word)
        out.append(Mention(topic.entity, m.group(word), start, end, COREF_CONFIDENCE, "coref"))
    for m in w.implicit_round.finditer(sentence.text):
        start, end = sentence.start + m.start("round"), sentence.start + m.end("round")
        subjects = {x.entity.iri for x in by_sentence[i] if x.end <= start and x.entity.type == "Company"
                    and x.text != "round"}
        topic = _funded(by_sentence, para_start, i, start, text, w)
        if topic is None or topic.entity.iri in subjects:
            continue
        out.append(Mention(topic.entity, m.group("round"), start, end, COREF_CONFIDENCE, "coref"))
        by_sentence[i].append(out[-1])  # "Meituan led the first round, and Lenovo joined a later round"
        by_sentence[i].sort(key=lambda x: x.start)
    return out


def _paragraph_before(text: str, pos: int, reach: int = 400) -> str:
    """The paragraph's text before ``pos`` (at most ``reach`` characters)."""
    before = text[max(0, pos - reach): pos]
    return before[before.rfind("\n\n") + 2:] if "\n\n" in before else before


# "X and Y also took part.", "Z participated as well": a part taken in no round the clause names
_PART_TAKEN = re.compile(r"\b(?:took|take|takes|taking|taken)\s+(?P<round>part)\b(?!\s+in\b)|"
                         r"\b(?P<round2>participated)\b(?!\s+in\b)")


def _funded(by_sentence: list[list[Mention]], para_start: list[int], i: int, start: int, text: str, w: _Words
            ) -> Mention | None:
    """The company a bare "round" is in: the latest one named as funded in this paragraph or the three
    sentences before ("Tencent led a round in MiniMax. Alibaba joined the round too."), else the paragraph's
    topic."""
    for j in range(i, max(para_start[i] - 1, i - 4), -1):
        for m in reversed(by_sentence[j]):
            if m.entity.type == "Company" and (j < i or m.end <= start) and (
                    (m.rule == "coref" and m.text == "round")
                    or text and w.funded_before.search(text, max(0, m.start - 40), m.start)):
                return m
    return _paragraph_topic(by_sentence, para_start, i, "Company")
