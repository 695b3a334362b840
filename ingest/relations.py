"""Relations between typed mentions, from general patterns over the words that link them.

Two kinds of rules, both written over entity *types*, never over names:

* pair rules: the text between two mentions fully matches a pattern ("X's Y", "X, a unit of Y", "X Y");
* trigger rules: a verb or noun phrase ("trained on", "competes with", "fabricated by") links the nearest
  mention of the subject type on one side to the nearest of the object type on the other, and to every
  mention coordinated with it ("rivals such as A, B and C").

Negated, hedged and hypothetical clauses ("denied that", "could consider", "if it were") yield nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.coref import ROUND_VERBS, TAKEOVER_VERBS
from ingest.kb import vocabulary
from ingest.model import Evidence, Fact, Mention
from ingest.sentences import Sentence

ORG = ("Company",)
OWNABLE = ("AIModel", "Chip", "Product")
USER = ("Company", "AIModel")
SANCTIONED = ("Company", "Chip")
IMPOSER = ("GovernmentBody", "Country")

_W = r"(?:[\w$%.,'’&-]+\s+)"  # any word with its trailing space
_LOW = r"(?:[a-z][\w-]*\s+)"  # a lower-case word
_PREP = r"(?:in|of|to|for|with|from|by|on|at|and|or|as|than|over|into|about|against|between)"
_NOT_OWNER_WORDS = (
    r"(?:in|of|to|for|with|from|by|on|at|and|or|as|than|use|uses|purchase|purchases|orders?|supply|supplies|"
    r"investment|investments|stake|rivals?|competitors?|partners?|customers?|users?|access|rival|version|"
    r"bid|plan|plans|deal|sales|shipments|imports|demand|reliance|dependence|switch|move|answer|response|"
    r"alternative|alternatives|equivalent|counterpart|challenger)"
)
_OWNER_FILLER = rf"(?:(?!{_NOT_OWNER_WORDS}\b)(?:[a-z][\w-]*|AI|LLM|GPU|AI-\w+)\s+)"
_COMPANY_NOUN = (
    r"(?:start-?ups?|company|companies|firms?|chipmakers?|chip\s*makers?|chip\s+designers?|designers?|"
    r"developers?|giants?|groups?|makers?|rivals?|foundry|foundries|conglomerates?|labs?|unicorns?|"
    r"operators?|providers?|champions?|leaders?|players?|manufacturers?|suppliers?|businesses|business|"
    r"peers?|competitors?|outfits?|titans?|heavyweights?|powerhouses?|upstarts?|platforms?|startups?)"
)
_UNIT = r"(?:unit|subsidiary|arm|division|affiliate|spin-?off|subsidiary\s+company|chip\s+unit|business\s+unit)"
_DEAL = (r"(?:partnership|alliance|tie-up|joint\s+venture|collaboration|deal|investment|stake|shareholding|holding|"
         r"rivalry)")
_CEO = r"(?:co-?)?(?:chief\s+executives?(?:\s+officers?)?|CEOs?)"
_ACQUIRE_BEFORE = re.compile(
    r"\b(?:acquired|bought|buys|buy|purchased|stockpiled|received|rents?|rented|uses|used|deploy(?:s|ed)?|"
    r"ordered|obtained|imported|sold|sells)\s+(?:\w+\s+)?$", re.I)
_NOT_CEO_BEFORE = re.compile(r"\b(?:former|ex|then|outgoing|late|previous|interim|deputy|vice)[\s-]+$", re.I)

_NEGATION = re.compile(
    r"\b(?:not|never|neither|nor|no|denied|denies|deny|denying|refused|refuses|declined\s+to|rejected|"
    r"dismissed|no\s+longer|cannot|without)\b|n['’]t\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|would|should|if|whether|unless|reportedly|allegedly|rumou?red|speculat\w*|"
    r"believes?|believed|suspect\w*|consider\w*|mull\w*|weigh\w*|plans?\s+to|planned\s+to|planning\s+to|"
    r"expects?\s+to|expected\s+to|intends?\s+to|aims?\s+to|hopes?\s+to|possibl[ey]|potential(?:ly)?|"
    r"likely|in\s+talks|seeks?\s+to|wants?\s+to|explor\w*|evaluat\w*|testing|tests?|trials?|option|"
    r"harder|difficult|unable|impossible|struggl\w*)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r";|\s[–—]\s|,\s+(?:but|while|whereas|although|though)\s|\bbut\s")


@dataclass(frozen=True)
class PairRule:
    """Two mentions whose in-between text fully matches ``between`` (and text after ``right``, ``after``).

    ``left`` and ``right`` are the types of the mentions in text order; ``subject_left`` says which is the
    subject.
    """

    name: str
    predicate: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    between: re.Pattern[str]
    subject_left: bool = True
    after: re.Pattern[str] | None = None
    left_rule: str | None = None  # require the left mention to come from this mention rule (e.g. demonym)
    left_text: re.Pattern[str] | None = None  # require the left mention's text to match (e.g. "its")
    right_text: re.Pattern[str] | None = None  # the same for the right mention
    unquoted: bool = False  # a quoted nickname ("China's Nvidia") states nothing: skip a pair opening a quote
    confidence: float = 0.9


@dataclass(frozen=True)
class TriggerRule:
    """A trigger phrase with the subject type on one side and the object type on the other."""

    name: str
    predicate: str
    trigger: re.Pattern[str]
    left: tuple[str, ...]
    right: tuple[str, ...]
    subject_left: bool = True
    max_left: int = 10  # words allowed between the left mention and the trigger
    max_right: int = 5  # words allowed between the trigger and the right mention
    mutual: bool = False  # "A and B compete": pairs among the coordinated left mentions
    confidence: float = 0.8
    not_before: re.Pattern[str] | None = None  # a right mention followed by this only modifies a noun


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _i(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# "its WeChat account", "Huawei's Douyin channel": an account on someone else's platform, not a product it makes
_ACCOUNT_NOT = _p(r"^(?!\s+(?:official\s+|verified\s+)?(?:account(?!s?\s+for\b)|page|channel|profile|handle|"
                  r"feed|mini[\s-]?program|store\s+page)s?\b)")


# "Apple's rumoured OpenAI partnership", "... partnership was never confirmed": not a stated fact
_UNSURE_ADJ = r"(?:rumou?red|proposed|planned|potential|possible|mooted|reported|failed|former|ended|abandoned)\b"
_NOT_UNSURE = (r"(?!\s+(?:was|were|is|are|has\s+been|had\s+been|remains?)\s+(?:\w+\s+)?(?:rumou?red|proposed|"
               r"mooted|planned|speculated|never|not|unconfirmed|denied|only|under\s+discussion)\b)")


PAIR_RULES: list[PairRule] = [
    # develops
    PairRule("possessive-develops", "develops", ORG, OWNABLE,
             _p(rf"['’]s\s+{_OWNER_FILLER}{{0,3}}(?:{_OWNER_FILLER}{{0,3}}?[a-z]+,\s+(?:the\s+|a\s+|an\s+)?)?"),
             after=_ACCOUNT_NOT),
    PairRule("appos-possessive-develops", "develops", OWNABLE, ORG, _p(r",\s+(?:the\s+|a\s+)?"),
             subject_left=False, after=_p(r"^['’]s\s+")),
    PairRule("brand-develops", "develops", ORG, OWNABLE, _p(r"\s+|-"), after=_ACCOUNT_NOT),
    PairRule("its-develops", "develops", ORG, OWNABLE,
             _p(rf"\s+(?:own\s+)?{_OWNER_FILLER}{{0,3}}(?:{_OWNER_FILLER}{{0,3}}?[a-z]+,\s+(?:the\s+|a\s+|an\s+)?)?"),
             left_text=_i(r"its|their"), after=_ACCOUNT_NOT),
    # "Hunyuan, its own family of large language models": an apposition owned by the pronoun's antecedent
    PairRule("appos-its-develops", "develops", OWNABLE, ORG, _p(r",\s+"), subject_left=False,
             right_text=_i(r"its|their"),
             after=_p(r"^\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:family|series|line|range|suite|brand|models?|chips?|"
                      r"apps?|chatbots?|platforms?|products?|processors?|accelerators?|assistants?)\b")),
    PairRule("whose-develops", "develops", ORG, OWNABLE, _p(rf",\s+whose\s+(?:own\s+)?{_OWNER_FILLER}{{0,2}}")),
    PairRule("hyphen-develops", "develops", ORG, OWNABLE,
             _p(rf"-(?:designed|developed|built|made|owned|branded)\s+{_LOW}{{0,2}}")),
    PairRule("appos-develops", "develops", ORG, OWNABLE,
             _p(rf",\s+(?:the|a|an)\s+{_LOW}{{0,2}}(?:developer|maker|creator|designer|owner|operator)s?\s+of\s+"
                rf"(?:the\s+|its\s+)?{_LOW}{{0,2}}")),
    PairRule("passive-develops", "develops", OWNABLE, ORG,
             _p(r",?\s+(?:(?:which|that)\s+)?(?:(?:is|was|were|are|has\s+been|have\s+been)\s+)?(?:\w+\s+)?"
                r"(?:developed|designed|built|created|released|launched|unveiled|open-sourced|operated|run|owned)"
                r"\s+by\s+(?:the\s+)?"), subject_left=False),
    PairRule("relative-develops", "develops", OWNABLE, ORG,
             _p(rf",\s+(?:a|an|the)\s+{_W}{{0,3}}?(?:model|chip|processor|accelerator|chatbot|platform|service|app)s?"
                r"\s+(?:that\s+|which\s+)?"), subject_left=False,
             after=_p(r"^\s+(?:has\s+|had\s+)?(?:released|developed|launched|built|designed|unveiled|introduced|"
                      r"created|trained)\b")),
    PairRule("relative-uses", "usesChip", ("Chip",), ORG,
             _p(rf",\s+(?:a|an|the)\s+{_W}{{0,3}}?(?:chip|processor|accelerator|GPU|CPU)s?\s+(?:that|which)\s+"),
             subject_left=False,
             after=_p(r"^\s+(?:now\s+|also\s+|still\s+)?(?:runs|uses|deploys|buys|bought|used|deployed|relies\s+on)\b")),
    PairRule("noun-develops", "develops", OWNABLE, ORG,
             _p(r"\s+(?:developer|maker|creator|designer|owner|operator)\s+"), subject_left=False),
    PairRule("from-develops", "develops", ("AIModel", "Product"), ORG,
             _p(r",?\s+(?:models?\s+)?from\s+"), subject_left=False, confidence=0.7),
    # subsidiaryOf
    PairRule("appos-unit", "subsidiaryOf", ORG, ORG,
             _p(rf",\s+(?:(?:which|that)\s+is\s+)?(?:a|an|the)\s+{_W}{{0,3}}?{_UNIT}\s+"
                r"(?:of|at|owned\s+by|controlled\s+by|that|which|within|under)\s+(?:the\s+)?")),
    PairRule("appos-unit-set-up", "subsidiaryOf", ORG, ORG,
             _p(rf",\s+(?:the|a|an)\s+{_W}{{0,3}}?{_UNIT}\s+"),
             after=_p(r"^\s+(?:\w+\s+)?(?:set\s+up|created|founded|formed|established|launched|spun\s+off|incubated|"
                      r"owns|controls|acquired|bought)\b")),
    PairRule("copula-unit", "subsidiaryOf", ORG, ORG,
             _p(rf"\s+(?:is|was|became|remains)\s+(?:a|an|the)\s+{_W}{{0,3}}?{_UNIT}\s+of\s+(?:the\s+)?")),
    PairRule("owned-by", "subsidiaryOf", ORG, ORG,
             _p(r",?\s+(?:(?:which|that)\s+(?:is|was)\s+)?(?:(?:is|was)\s+)?(?:wholly[\s-]|majority[\s-]|fully\s+)?"
                r"(?:owned|controlled)\s+by\s+(?:the\s+)?")),
    PairRule("possessive-unit", "subsidiaryOf", ORG, ORG,
             _p(rf"['’]s\s+{_W}{{0,3}}?{_UNIT}s?,?\s+"), subject_left=False),
    PairRule("possessive-unit-after", "subsidiaryOf", ORG, ORG,
             _p(rf"['’]s\s+{_LOW}{{0,2}}"), subject_left=False, after=_p(rf"^\s+{_UNIT}\b")),
    PairRule("appos-possessive-unit", "subsidiaryOf", ORG, ORG, _p(r",\s+(?:the\s+)?"),
             after=_p(rf"^['’]s\s+{_W}{{0,3}}?{_UNIT}\b")),
    PairRule("possessive-company", "subsidiaryOf", ORG, ORG, _p(r"['’]s\s+"), subject_left=False, confidence=0.7,
             after=_p(rf"^(?!\s+(?:[a-z]+\s+)?{_DEAL}\b)")),
    PairRule("owned-hyphen", "subsidiaryOf", ORG, ORG,
             _p(rf"-(?:owned|controlled)\s+{_LOW}{{0,2}}"), subject_left=False),
    # ceoOf
    PairRule("possessive-ceo", "ceoOf", ORG, ("Person",),
             _p(rf"['’]s\s+(?:(?:co-?founder|founder|chairman|president|and|,)\s*)*{_CEO}\s*,?\s+"),
             subject_left=False),
    PairRule("title-ceo", "ceoOf", ORG, ("Person",), _p(rf"\s+{_CEO}\s*,?\s+"), subject_left=False),
    PairRule("appos-ceo", "ceoOf", ("Person",), ORG,
             _p(rf",\s+(?:who\s+(?:is|was)\s+)?(?:the\s+)?(?:(?:co-?founder|founder|chairman|president)\s+and\s+)?"
                rf"{_CEO}\s+(?:of|at)\s+(?:the\s+)?")),
    PairRule("copula-ceo", "ceoOf", ("Person",), ORG,
             _p(rf"\s+(?:is|was|became|remains|serves\s+as|has\s+been)\s+(?:the\s+)?{_CEO}\s+(?:of|at)\s+(?:the\s+)?")),
    PairRule("appos-possessive-ceo", "ceoOf", ("Person",), ORG,
             _p(r",?\s+(?:(?:is|was|remains|became|serves\s+as)\s+)?(?:one\s+of\s+)?(?:the\s+)?"),
             after=_p(rf"^['’]s\s+(?:two\s+|three\s+)?(?:(?:co-?founder|founder|chairman|president)\s+and\s+)?{_CEO}\b")),
    # imposedBy
    PairRule("possessive-imposed", "imposedBy", IMPOSER, ("Sanction",),
             _p(r"['’]s\s+(?:(?:own|new|latest|expanded|tightened|sweeping|revised|updated)\s+)?"), subject_left=False),
    PairRule("prefix-imposed", "imposedBy", IMPOSER, ("Sanction",), _p(r"(?:\s+|-(?:imposed|led|issued)\s+)"),
             subject_left=False),
    PairRule("passive-imposed", "imposedBy", ("Sanction",), IMPOSER,
             _p(r",?\s+(?:(?:which|that)\s+(?:were|was|are|is)\s+)?(?:(?:were|was|are|is|have\s+been|has\s+been)\s+)?"
                r"(?:first\s+)?(?:imposed|introduced|issued|announced|published|drawn\s+up|adopted|enforced|administered|"
                r"maintained|expanded|tightened|updated|unveiled|set|put\s+in\s+place)\s+by\s+(?:the\s+)?")),
    PairRule("by-imposed", "imposedBy", ("Sanction",), IMPOSER, _p(r"\s+by\s+(?:the\s+)?")),
    # headquarteredIn
    PairRule("demonym-hq", "headquarteredIn", ("Country",), ORG,
             _p(rf"\s+(?:(?!{_PREP}\b)[a-z][\w-]*\s+|[A-Z]{{2,5}}s?\s+|A\.I\.\s+){{0,3}}{_COMPANY_NOUN}\s+"),
             subject_left=False, left_rule="demonym"),
    PairRule("country-hq", "headquarteredIn", ("Country",), ORG,
             _p(rf"(?:\s+|-based\s+)(?:(?!{_PREP}\b)[a-z][\w-]*\s+|AI\s+){{0,3}}{_COMPANY_NOUN}\s+"),
             subject_left=False),
    PairRule("based-hq", "headquarteredIn", ORG, ("Country",),
             _p(r",?\s+(?:(?:which|that|who)\s+(?:is|are|was)\s+|(?:is|are|was)\s+)?(?:also\s+)?"
                r"(?:based|headquartered|registered|incorporated|domiciled)\s+in\s+(?:the\s+)?(?:mainland\s+)?")),
    PairRule("appos-hq", "headquarteredIn", ORG, ("Country",),
             _p(r"(?:\s*\([^()]{1,40}\))?(?:,\s+|\s+(?:is|was)\s+)(?:a|an|the)\s+(?:(?:\w+[\s-])?(?:state-backed|state-owned|leading|fast-growing)\s+)?"),
             after=_p(rf"^\s+(?:(?!{_PREP}\b)[\w-]+\s+){{0,3}}?{_COMPANY_NOUN}\b")),
    # "Cambricon, an AI chip designer based in China,"
    PairRule("appos-based-hq", "headquarteredIn", ORG, ("Country",),
             _p(rf",\s+(?:a|an|the)\s+(?:(?!{_PREP}\b)[\w-]+\s+){{0,5}}?(?:based|headquartered)\s+in\s+"
                r"(?:the\s+)?(?:mainland\s+)?")),
    PairRule("possessive-country-hq", "headquarteredIn", ("Country",), ORG, _p(r"['’]s\s+"), subject_left=False,
             confidence=0.75, unquoted=True),
    # investsIn
    # "Sugon, a server maker, is the largest shareholder of Hygon"
    PairRule("shareholder-of", "investsIn", ORG, ORG,
             _p(r"(?:,\s+[^,;]{1,60},)?\s+(?:is|was|became|remains|has\s+become)\s+(?:also\s+)?(?:the|a|an|its)\s+"
                r"(?:[\w-]+\s+){0,2}?(?:shareholder|stakeholder|investor|backer)\s+(?:of|in)\s+(?:the\s+)?")),
    PairRule("backed-hyphen", "investsIn", ORG, ORG, _p(rf"-(?:backed|funded)\s+{_LOW}{{0,2}}")),
    # competesWith / partnersWith
    PairRule("and-rival", "competesWith", ORG, ORG,
             _p(r",?\s+(?:and|or|as\s+well\s+as|versus|vs\.?)\s+(?:its\s+|their\s+)?(?:\w+\s+)?(?:rival|competitor)s?\s+")),
    PairRule("possessive-rival", "competesWith", ORG, ORG,
             _p(r"['’]s\s+(?:\w+\s+)?(?:rival|competitor|challenger)s?,?\s+(?:such\s+as\s+|including\s+|like\s+|"
                r"include\s+|are\s+)?")),
    PairRule("appos-possessive-rival", "competesWith", ORG, ORG, _p(r",\s+(?:the\s+)?"),
             after=_p(r"^['’]s\s+(?:[\w-]+\s+){0,3}?(?:rival|competitor|challenger)s?\b")),
    PairRule("regards-as-rival", "competesWith", ORG, ORG,
             _p(r"\s+(?:regards|regarded|sees|saw|views|viewed|considers|considered|counts|counted|names|named|"
                r"lists|listed)\s+"),
             after=_p(r"^\s+as\s+(?:a|an|its|one\s+of\s+its)\s+(?:[\w-]+\s+){0,2}?(?:rival|competitor|challenger)s?\b")),
    # "Microsoft's OpenAI partnership", "Samsung's Azure-OpenAI alliance"
    PairRule("possessive-partnership", "partnersWith", ORG, ORG, _p(r"['’]s\s+(?:[A-Z][\w.]*-)?"),
             after=_p(rf"^\s+(?!{_UNSURE_ADJ})(?:[a-z]+\s+)?(?:partnership|alliance|tie-up|joint\s+venture|"
                      rf"collaboration)\b{_NOT_UNSURE}")),
    # "Microsoft's OpenAI stake", "Tencent's $500m investment in ..." is the next rule's; this is the compound
    PairRule("possessive-stake", "investsIn", ORG, ORG, _p(r"['’]s\s+"),
             after=_p(rf"^\s+(?!{_UNSURE_ADJ})(?:[a-z]+\s+)?(?:stake|shareholding|holding)\b{_NOT_UNSURE}")),
    PairRule("possessive-partner", "partnersWith", ORG, ORG,
             _p(r"['’]s\s+(?:\w+\s+)?(?:partner|ally)s?,?\s+(?:such\s+as\s+|including\s+)?")),
]

TRIGGER_RULES: list[TriggerRule] = [
    # develops
    TriggerRule("verb-develops", "develops",
                _p(r"\b(?:develop(?:s|ed|ing)?|design(?:s|ed|ing)?|buil(?:d|ds|t|ding)|releas(?:e|es|ed|ing)|"
                   r"launch(?:es|ed|ing)?|unveil(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|roll(?:s|ed)?\s+out|"
                   r"debut(?:s|ed)?|creat(?:e|es|ed|ing)|open-sourc(?:e|es|ed|ing)|operat(?:e|es|ed|ing)|"
                   r"upgrad(?:e|es|ed)|unveils)\b(?!\s+(?:by|on|with))"),
                ORG, OWNABLE, max_left=8, max_right=7),
    # "Two years later the unit followed with the Yitian 710": its next product
    TriggerRule("followed-with", "develops", _p(r"\bfollow(?:s|ed)?\s+(?:up\s+)?(?:it\s+|that\s+)?with\b"),
                ORG, ("AIModel", "Chip", "Product"), max_left=2, max_right=2, confidence=0.75),
    # manufactures
    TriggerRule("passive-manufactures", "manufactures",
                _p(r"\b(?:fabricated|manufactured|produced|made|fabbed|mass-produced|packaged|built)\s+"
                   r"(?:\w+\s+){0,2}?by\b"), ("Chip",), ORG, subject_left=False, max_left=6, max_right=3),
    TriggerRule("verb-manufactures", "manufactures",
                _p(r"\b(?:fabricates|fabricated|fabricating|manufactures|manufactured|manufacturing|produces|"
                   r"produced|producing|mass-produces|mass-produced|fabs|makes|made)\b(?!\s+by)"),
                ORG, ("Chip",), max_left=8, max_right=5, confidence=0.7),
    # usesChip
    TriggerRule("verb-uses-chip", "usesChip",
                _i(r"\b(?:(?:pre-)?train(?:ed|s|ing)?|fine-tuned)\b(?:\s+[\w.-]+){0,3}?\s+(?:on|using|with)\b|"
                   r"\b(?:runs?|running|ran)\s+(?:[\w.-]+\s+){0,2}?on\b|\b(?:powered|driven)\s+by\b|"
                   r"\b(?:built|based)\s+(?:\w+\s+){0,2}?(?:on|from|with|around)\b|\brel(?:y|ies|ied|ying)\s+on\b|"
                   r"\b(?:uses|used|using|use|deploys|deployed|deploying|deploy|bought|buys|buy|buying|purchased|"
                   r"purchases|purchase|ordered|orders|order|acquired|acquires|stockpiled|stockpiles|rents?|rented|"
                   r"leases?|leased|adopted|adopts|switched\s+to|migrated\s+to|equipped\s+with|installed|tapped|"
                   r"receiv(?:e|ed|es)|obtain(?:s|ed)?)\b|\bclusters?\s+(?:of|built\s+from|made\s+of|with)\b|"
                   r"\bsupplied\s+with\b|\b(?:buyers?|purchasers?|customers?)\s+of\b"),
                USER, ("Chip",), max_left=10, max_right=6),
    TriggerRule("chip-used-by", "usesChip",
                _p(r"\b(?:used|deployed|installed|adopted)\s+(?:\w+\s+){0,2}?(?:in|by|at|across|inside|within|"
                   r"throughout)\b"),
                ("Chip",), USER, subject_left=False, max_left=4, max_right=2, confidence=0.75),
    TriggerRule("chip-powers", "usesChip",
                _p(r"\b(?:powers|powered|power|powering)\b(?!\s+by)|\b(?:sold|shipped|supplied|delivered)\s+to\b"),
                ("Chip",), USER, subject_left=False, max_left=4, max_right=4, confidence=0.7),
    # competesWith
    TriggerRule("verb-competes", "competesWith",
                _i(r"\bcompet(?:es|e|ing|ed)\s+(?:\w+\s+){0,2}?(?:with|against)\b|\brival(?:s|led|ed|ling|ing)?\b"
                   r"(?!\s+(?:to|of|in|for))|\bcompetitors?\s+(?:such\s+as|including|like|include)\b|"
                   r"\b(?:takes?|took|taking)\s+on\b|\bcompetition\s+(?:from|with)\b|"
                   r"\b(?:a\s+)?(?:rival|competitor|challenger)\s+(?:to|of)\b|\bgoes?\s+head[\s-]to[\s-]head\s+with\b|"
                   r"\b(?:rac(?:e|es|ed|ing)|battl(?:e|es|ed|ing)|fight(?:s|ing)?|fought|jostl(?:e|es|ed|ing))\s+"
                   r"(?:\w+\s+){0,2}?against\b|\b(?:vi(?:e|es|ed)|vying)\s+(?:\w+\s+){0,2}?with\b"),
                ORG, ORG, max_left=10, max_right=4),
    TriggerRule("mutual-competes", "competesWith",
                _i(r"\b(?:compete|competing|are\s+(?:\w+\s+)?rivals|are\s+(?:\w+\s+)?competitors)\b"),
                ORG, ORG, max_left=3, mutual=True),
    # partnersWith
    TriggerRule("verb-partners", "partnersWith",
                _i(r"\bpartner(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?with\b|\bpartnership\s+(?:\w+\s+){0,2}?with\b|"
                   r"\bteam(?:s|ed)?\s+up\s+with\b|\b(?:alliance|joint\s+venture|collaboration|tie-up|"
                   r"cooperation\s+agreement|strategic\s+agreement)\s+with\b|\bcollaborat(?:e|es|ed|ing)\s+with\b|"
                   r"\bjoin(?:s|ed)?\s+(?:forces|hands)\s+with\b"),
                ORG, ORG, max_left=10, max_right=4),
    TriggerRule("mutual-partners", "partnersWith",
                _i(r"\b(?:partnered|have\s+partnered|formed\s+(?:a|an)\s+(?:\w+\s+)?(?:partnership|alliance|joint\s+venture)|"
                   r"signed\s+(?:a|an)\s+(?:\w+\s+)?(?:partnership|alliance|agreement)|teamed\s+up|"
                   r"(?:expanded|deepened|extended|renewed|announced)\s+(?:their|a|an)\s+(?:\w+\s+)?"
                   r"(?:partnership|alliance|collaboration))\b(?!\s+with)"),
                ORG, ORG, max_left=3, mutual=True),
    # subsidiaryOf (parent on the left)
    TriggerRule("spun-off", "subsidiaryOf",
                _p(r"\b(?:spun|spin|spins|spinning)\s+off\b|\b(?:owns|controls|acquired|acquires|took\s+over)\b"),
                ORG, ORG, subject_left=False, max_left=3, max_right=3),
    # ceoOf
    TriggerRule("its-ceo", "ceoOf",
                _p(rf"\b(?:is|remains|serves\s+as|became|as|and)\s+(?=its\s+{_CEO}\b)"),
                ("Person",), ORG, max_left=20, max_right=0, confidence=0.75),
    # "Liang Rubo, who took over as chief executive in 2021": the role word stands for the company (a coref)
    TriggerRule("took-over-as-ceo", "ceoOf",
                _p(rf"\b{TAKEOVER_VERBS}\s+(?:as\s+)?(?={_CEO}\b)"),
                ("Person",), ORG, max_left=2, max_right=0, confidence=0.7),
    TriggerRule("led-by-ceo", "ceoOf",
                _p(rf"\b(?:led|run|headed)\s+by\s+(?:its\s+)?{_CEO}\b|\b{_CEO}\b(?=,?\s+[A-Z])"),
                ORG, ("Person",), subject_left=False, max_left=6, max_right=1, confidence=0.7),
    # subjectTo
    TriggerRule("listed-on", "subjectTo",
                _i(r"\b(?:added|placed|put|listed|included|blacklisted)\s+(?:\w+\s+){0,2}?(?:to|on|in)\b|"
                   r"\b(?:subject|subjected)\s+to\b|\b(?:restricted|targeted|covered|hit|affected|barred|banned|"
                   r"blocked|sanctioned|caught|constrained|named)\s+(?:\w+\s+){0,2}?(?:by|under)\b|"
                   r"\bfalls?\s+under\b|\b(?:is|are|was|were|remains?|been)\s+(?:already\s+|also\s+)?on\b"),
                SANCTIONED, ("Sanction",), max_left=8, max_right=4),
    # "the H800 was barred from export when the Commerce Department tightened its controls"
    TriggerRule("barred-when", "subjectTo",
                _p(r"\b(?:barred|banned|blocked|restricted|halted|cut\s+off)\s+(?:from\s+(?:\w+\s+){0,2}?)?"
                   r"(?:when|after|once|as)\b"),
                SANCTIONED, ("Sanction",), max_left=4, max_right=7, confidence=0.75),
    TriggerRule("sanction-targets", "subjectTo",
                _p(r"\b(?:added|adds|restrict|restricts|target|targets|targeted|cover|covers|covered|bar|bars|barred|ban|bans|"
                   r"banned|block|blocks|blocked|hit|hits|appl(?:y|ies|ied)\s+to|catch|caught)\b|"
                   r"\bcut(?:s|ting)?\b(?=\s+(?:\w+\s+){1,3}?off\b)|\bcut(?:s|ting)?\s+off\b"),
                ("Sanction",), SANCTIONED, subject_left=False, max_left=6, max_right=4,
                not_before=_p(r"\s+(?:[a-z]+\s+)?(?:tools|equipment|machines|gear|products|exports|shipments|"
                              r"sales|software|components|parts)\b")),
    # imposedBy (body on the left, sanction on the right)
    TriggerRule("body-imposes", "imposedBy",
                _p(r"\b(?:imposed|imposes|impose|imposing|introduced|introduces|issued|issues|announced|announces|"
                   r"unveiled|adopted|expanded|expands|tightened|tightens|updated|updates|extended|extends|"
                   r"drew\s+up|enforces?|enforced|administers?|administered|maintains?|set\s+out|rolled\s+out|"
                   r"added|adds|placed|put)\b"),
                IMPOSER, ("Sanction",), subject_left=False, max_left=8, max_right=12, confidence=0.75),
    # investsIn
    TriggerRule("verb-invests", "investsIn",
                _i(r"\binvest(?:s|ed|ing)?\s+(?:\w+\s+){0,6}?in\b|\b(?:stake|stakes|holding|shareholding|"
                   r"investments?)\s+in\b|\b(?:led|co-led|joined|participated\s+in)\s+(?:[\w$.,]+\s+){0,4}?"
                   r"(?:round|funding|financing)\s+(?:in|for|of)\b|\b(?:backs|backed|backing|funds|funded|bankrolls?|"
                   r"bankrolled|finances|financed)\b(?!\s+by)"),
                ORG, ORG, max_left=8, max_right=4),
    # "Tencent joined a later round": the round is in the company the paragraph is about (a coref of "round")
    TriggerRule("joined-round", "investsIn",
                _p(rf"\b{ROUND_VERBS}\s+"
                   r"(?=(?:a|an|the|its|this|that)\s+(?:[\w$.,-]+\s+){0,3}?round\b)"),
                ORG, ORG, max_left=8, max_right=5),
    TriggerRule("backed-by", "investsIn",
                _i(r"\b(?:backed|funded|financed)\s+by\b|\b(?:investors?|backers?|shareholders?)\s+"
                   r"(?:include|including|such\s+as|like|are)\b|\braised\s+(?:[\w$.,]+\s+){0,6}?from\b"),
                ORG, ORG, subject_left=False, max_left=8, max_right=4),
]

_TYPE_NOUN = (rf"(?:{_COMPANY_NOUN}|(?:language\s+|reasoning\s+|AI\s+|foundation\s+)?models?|chatbots?|chips?|"
              r"processors?|accelerators?|GPUs?)")
# ", which was spun out of Tsinghua in 2019," between a subject and its verb says nothing about the link
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*,|,\s+[a-z]+ed\s+(?:by|in|on|for|under)\b[^,;]*,")
_RELATIVE_ITEM = re.compile(r",\s+(?:which|who|whose|with)\b[^;]{0,120}?,\s+(?:and|or|as\s+well\s+as)\s+"
                            r"(?:with\s+)?(?:the\s+)?")
_LIST_SEP = re.compile(
    rf"(?:\s+(?:family|series|line)(?:\s+of\s+(?:[\w-]+\s+){{0,2}}?{_TYPE_NOUN})?|\s+{_TYPE_NOUN})?"
    r"\s*(?:,|,?\s+and|,?\s+or|,?\s+as\s+well\s+as|;|/)\s+(?:with\s+)?(?:the\s+|its\s+|their\s+|a\s+|an\s+)?"
    rf"(?:(?:(?:[A-Z][a-z]+|[a-z][\w-]*)\s+){{0,3}}?(?:{_TYPE_NOUN}\s+(?:(?:called|named|dubbed)\s+)?|"
    r"(?:called|named|dubbed)\s+))?"
)
_WORDS = re.compile(r"[\w$%'’.-]+")


def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def _blocked(sentence: Sentence, lo: int, hi: int) -> bool:
    """Whether the clause spanning absolute offsets [lo, hi) is negated, hedged or hypothetical."""
    text = sentence.text
    a, b = lo - sentence.start, hi - sentence.start
    # widen to the clause: back to the last clause break before ``a``
    start = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, a):
        start = m.end()
    scope = text[start:b]
    return bool(_NEGATION.search(scope) or _HEDGE.search(scope))


# a finite verb right after a mention: the mention is the subject of a new clause
_CLAUSE_VERB = re.compile(r"\s+(?:(?:also|later|then|has|had|will|would|could|did)\s+)?(?:[a-z]+ed|is|was|are|were|"
                          r"has|had|said|says|joined|led|took|made|won|bought|sold|will|would)\b")


def _item_start(mentions: list[Mention], k: int, text: str) -> int:
    """Where list item k starts: before its owner's name prefix ("and DeepSeek-R1" starts at "DeepSeek")."""
    start = mentions[k].start
    while k > 0 and mentions[k - 1].rule == "alias-prefix" and re.fullmatch(r"[\s-]?",
                                                                         text[mentions[k - 1].end: start]):
        k -= 1
        start = mentions[k].start
    return start


def _coordinated(mentions: list[Mention], idx: int, types: tuple[str, ...], text: str, step: int) -> list[int]:
    """Indices of mentions coordinated with mentions[idx] ("A, B and C"), walking in direction ``step``."""
    out = []
    i = idx
    while 0 <= i + step < len(mentions):
        j = i + step
        while 0 <= j + step < len(mentions) and mentions[j].rule in ("demonym", "alias-prefix"):
            j += step  # "A and the German group B": the nationality word sits inside the list item
        a, b = (mentions[i], mentions[j]) if step > 0 else (mentions[j], mentions[i])
        if step > 0 and re.match(r",\s+(?:which|who|whose|with)\b", text[a.end: a.end + 8]):
            # "ByteDance, which spends heavily on its Doubao app, and Tencent": skip the relative clause
            k = next((k for k in range(j, len(mentions)) if mentions[k].entity.type in types
                      and mentions[k].rule not in ("coref", "demonym", "alias-prefix")
                      and _RELATIVE_ITEM.fullmatch(text[a.end: mentions[k].start])), None)
            if k is None:
                break
            out.append(k)
            i = k
            continue
        if mentions[j].entity.type not in types or mentions[j].rule == "coref" or not _LIST_SEP.fullmatch(
                text[a.end: _item_start(mentions, max(i, j), text)]):
            break  # an appositive description ("SMIC, the Chinese foundry") is not another list item
        if step > 0 and not out and re.fullmatch(r",\s+and\s+", text[a.end: b.start]) and _CLAUSE_VERB.match(
                text, b.end):
            break  # "Tencent led the round, and Meituan joined it": a new clause, not a list
        out.append(j)
        i = j
    return out


_PLURAL_HEAD = re.compile(
    r"\s+(?:[a-z][\w-]*\s+)?(?:marketplaces|models|chips|apps|platforms|services|processors|accelerators|GPUs|"
    r"brands|products|assistants|chatbots|families|series|lines|businesses|networks)\b")


def _shared_head(mentions: list[Mention], j: int, text: str) -> list[int]:
    """ "its Taobao and Tmall marketplaces": one possessive before a list with a shared plural head owns
    every item. Only bare names count as items ("Huawei's Ascend and the H20" says nothing of the H20)."""
    k = j
    while k + 1 < len(mentions) and mentions[k + 1].entity.type in OWNABLE and mentions[k + 1].rule != "coref" \
            and re.fullmatch(r",\s+|,?\s+(?:and|or)\s+", text[mentions[k].end: mentions[k + 1].start]):
        k += 1
    if k > j and _PLURAL_HEAD.match(text, mentions[k].end):
        return list(range(j + 1, k + 1))
    return []


def _same_span(mentions: list[Mention], idx: int) -> list[int]:
    """``idx`` and every mention on the same span: "both chips" stands for each chip it resolves to."""
    m = mentions[idx]
    return [k for k, o in enumerate(mentions) if o.start == m.start and o.end == m.end]


def _fact(subject: Mention, predicate: str, obj: Mention, sentence: Sentence, article: str, rule: str,
          confidence: float) -> Fact | None:
    if subject.entity.iri == obj.entity.iri:
        return None
    conf = round(min(confidence, subject.confidence, obj.confidence), 3)
    evidence = Evidence(article, sentence.text, sentence.start, sentence.end, rule, conf)
    return Fact(subject.entity, predicate, obj.entity, evidence)


def _pair_facts(sentence: Sentence, mentions: list[Mention], text: str, article: str) -> Iterator[Fact]:
    present = {m.entity.type for m in mentions}
    rules = [r for r in PAIR_RULES if not present.isdisjoint(r.left) and not present.isdisjoint(r.right)]
    for i, left in enumerate(mentions):
        for j in range(i + 1, min(i + 4, len(mentions))):
            right = mentions[j]
            between = text[left.end: right.start]
            if len(between) > 160:
                break
            for rule in rules:
                if left.entity.type not in rule.left or right.entity.type not in rule.right:
                    continue
                if rule.left_rule and left.rule != rule.left_rule:
                    continue
                if rule.left_text and not rule.left_text.fullmatch(left.text):
                    continue
                if rule.right_text and not rule.right_text.fullmatch(right.text):
                    continue
                if left.rule == "demonym" and rule.predicate != "headquarteredIn" and rule.predicate != "imposedBy":
                    continue
                if not rule.between.fullmatch(between):
                    continue
                if rule.after and not rule.after.match(text[right.end: right.end + 80]):
                    continue
                if rule.predicate == "ceoOf":
                    before = text[max(sentence.start, left.start - 30): left.start]
                    if _NOT_CEO_BEFORE.search(before) or re.search(r"\bformer\b", between, re.I):
                        continue
                if _NEGATION.search(between):
                    continue
                if rule.unquoted and left.start > 0 and text[left.start - 1] in "\"“'‘":
                    continue
                if (rule.predicate == "develops" and left.rule == "coref" and right.entity.type == "Chip"
                        and not re.search(r"\bown\b", between) and _ACQUIRE_BEFORE.search(
                            text[max(sentence.start, left.start - 40): left.start])):
                    continue  # "it acquired its H800s": a chip one buys is not one's own, unless "its own"
                s, o = (left, right) if rule.subject_left else (right, left)
                targets = [o]
                if rule.subject_left and rule.predicate in vocabulary().symmetric:
                    targets += [mentions[k] for k in _coordinated(mentions, j, rule.right, text, +1)]
                elif rule.subject_left and rule.predicate == "develops":
                    targets += [mentions[k] for k in _shared_head(mentions, j, text)]
                for t in targets:
                    fact = _fact(s, rule.predicate, t, sentence, article, rule.name, rule.confidence)
                    if fact:
                        yield fact


def _nearest(mentions: list[Mention], lo: int, hi: int, types: tuple[str, ...], leftward: bool,
             text: str = "") -> int | None:
    """Index of the nearest mention of ``types`` inside [lo, hi), scanning from the trigger outwards.

    Rightwards, a possessor directly followed by a mention it modifies ("with Huawei's HiSilicon") is passed
    over for that mention.
    """
    rng = range(len(mentions) - 1, -1, -1) if leftward else range(len(mentions))
    for k in rng:
        m = mentions[k]
        if m.start >= lo and m.end <= hi and m.entity.type in types and m.rule != "demonym":
            if leftward and re.match(r"['’]s\s", text[m.end: m.end + 3]) and k > 0:
                continue  # "HiSilicon, Huawei's arm, designed": the possessor is not the subject
            if not leftward and k + 1 < len(mentions) and mentions[k + 1].entity.type in types and re.fullmatch(
                    r"['’]s\s+", text[m.end: mentions[k + 1].start]):
                continue
            return k
    return None


def _appositive_head(mentions: list[Mention], li: int, types: tuple[str, ...], text: str, t0: int) -> int:
    """ "T-Head, the chip unit of Alibaba, developed ...": the subject is the head before the apposition."""
    if not re.fullmatch(r",\s*", text[mentions[li].end: t0]):
        return li
    for k in range(li - 1, -1, -1):
        m = mentions[k]
        if m.entity.type in types and m.rule not in ("demonym", "alias-prefix") and re.fullmatch(
                r",\s+(?:the|a|an|its)\s+[^,;]*", text[m.end: mentions[li].start]):
            return k
    return li


# a comma right after the trigger (not opening a list): "the designer that Sugon controls, supplies ..."
_CLAUSE_ENDED = re.compile(r"\s*,\s+(?!(?:such\s+as|including|like|notably|among\s+them)\b)")
# ", AMD said" after a clause: the mention is the speaker
_SPEAKER = re.compile(r"\s+(?:said|says|told|added|noted|reported|announced|confirmed|stated)\b")


def _is_speaker(m: Mention, text: str) -> bool:
    """ "... covers the MI308, AMD said": a mention after a comma and before a reporting verb is the speaker."""
    return bool(_SPEAKER.match(text, m.end)) and text[:m.start].rstrip().endswith(",")


def _outside_relative(mentions: list[Mention], li: int, types: tuple[str, ...], text: str, lo: int, t0: int) -> int:
    """ "Enflame, backed by Tencent since 2018, competes with ...": a mention inside a relative or participle
    clause just before the trigger is not its subject; the mention the clause describes is."""
    for m in _RELATIVE.finditer(text, lo, t0):
        if m.start() <= mentions[li].start and text[m.end(): t0].strip() == "":
            for k in range(li - 1, -1, -1):
                if mentions[k].end <= m.start() and mentions[k].entity.type in types and mentions[k].rule != "demonym":
                    return k if text[mentions[k].end: m.start()].strip() == "" else li
    return li


def _trigger_facts(sentence: Sentence, mentions: list[Mention], text: str, article: str) -> Iterator[Fact]:
    present = {m.entity.type for m in mentions if m.rule != "demonym"}
    for rule in TRIGGER_RULES:
        if present.isdisjoint(rule.left) or present.isdisjoint(rule.right):
            continue  # the sentence names nothing this rule could link: skip its regex
        for m in rule.trigger.finditer(sentence.text):
            t0, t1 = sentence.start + m.start(), sentence.start + m.end()
            li = _nearest(mentions, sentence.start, t0, rule.left, leftward=True, text=text)
            if li is None or _words(_RELATIVE.sub(" ", text[mentions[li].end: t0])) > rule.max_left:
                continue
            li = _appositive_head(mentions, li, rule.left, text, t0)
            li = _outside_relative(mentions, li, rule.left, text, sentence.start, t0)
            left = mentions[li]
            if _blocked(sentence, left.start, t1):
                continue
            if rule.mutual:
                group = [li] + _coordinated(mentions, li, rule.left, text, -1)
                if len(group) < 2:
                    continue
                for a in group:
                    for b in group:
                        if a < b:
                            fact = _fact(mentions[b], rule.predicate, mentions[a], sentence, article, rule.name,
                                         rule.confidence)
                            if fact:
                                yield fact
                continue
            ri = _nearest(mentions, t1, sentence.end, rule.right, leftward=False, text=text)
            if ri is None or _words(text[t1: mentions[ri].start]) > rule.max_right:
                continue
            if _CLAUSE_ENDED.match(text[t1: mentions[ri].start]):
                continue  # "the designer that Sugon controls, supplies ... to X": the trigger's clause has ended
            if rule.predicate == "ceoOf" and _NOT_CEO_BEFORE.search(text[sentence.start: t0]):
                continue
            if _blocked(sentence, left.start, mentions[ri].end):
                continue
            lefts = _same_span(mentions, li) + _coordinated(mentions, li, rule.left, text, -1)
            rights = [b for b in _same_span(mentions, ri) + _coordinated(mentions, ri, rule.right, text, +1)
                      if not _is_speaker(mentions[b], text)
                      and not (rule.not_before and rule.not_before.match(text, mentions[b].end))]
            for a in lefts:
                for b in rights:
                    s, o = (mentions[a], mentions[b]) if rule.subject_left else (mentions[b], mentions[a])
                    fact = _fact(s, rule.predicate, o, sentence, article, rule.name, rule.confidence)
                    if fact:
                        yield fact


def _listing_facts(sentence: Sentence, mentions: list[Mention], text: str, article: str) -> Iterator[Fact]:
    """ "<body> added <X> to <sanction>": X is subject to it, and the body imposed it."""
    for m in re.finditer(r"\b(?:added|adds|adding|placed|places|put|puts)\b", sentence.text):
        t1 = sentence.start + m.end()
        xi = _nearest(mentions, t1, sentence.end, SANCTIONED, leftward=False)
        if xi is None or _words(text[t1: mentions[xi].start]) > 3:
            continue
        group = [xi] + _coordinated(mentions, xi, SANCTIONED, text, +1)
        last = mentions[group[-1]]
        si = _nearest(mentions, last.end, sentence.end, ("Sanction",), leftward=False)
        if si is None:
            continue
        gap = text[last.end: mentions[si].start]
        if not re.match(r",?\s*(?:to|on)\s", gap) and not re.search(r"\b(?:to|on)\s+(?:the\s+|its\s+|their\s+)?"
                                                                   r"(?:\w+\s+)?$", gap) or _words(gap) > 25:
            continue
        if _blocked(sentence, sentence.start + m.start(), mentions[si].end):
            continue
        for k in group:
            fact = _fact(mentions[k], "subjectTo", mentions[si], sentence, article, "added-to-list", 0.85)
            if fact:
                yield fact


def _coref_hq_facts(sentence: Sentence, mentions: list[Mention], all_mentions: list[Mention], article: str
                    ) -> Iterator[Fact]:
    """ "the Chinese search giant" (resolved to a company): the demonym inside gives headquarteredIn."""
    for m in mentions:
        if m.rule != "coref" or m.entity.type != "Company":
            continue
        for d in all_mentions:
            if d.entity.type == "Country" and d is not m and m.start <= d.start and d.end <= m.end:
                fact = _fact(m, "headquarteredIn", d, sentence, article, "coref-demonym-hq", 0.75)
                if fact:
                    yield fact


def extract_relations(sentence: Sentence, mentions: list[Mention], text: str, article: str) -> list[Fact]:
    """All relations stated in one sentence, given its mentions (real and coreferent) in text order."""
    if len({m.entity.iri for m in mentions}) < 2:
        return []  # a relation needs two entities
    inner = [m for m in mentions if m.rule == "coref" or not any(
        o.rule == "coref" and o.start <= m.start and m.end <= o.end for o in mentions)]
    facts = list(_pair_facts(sentence, inner, text, article))
    facts += _trigger_facts(sentence, inner, text, article)
    facts += _listing_facts(sentence, inner, text, article)
    facts += _coref_hq_facts(sentence, mentions, mentions, article)
    return facts
