"""HTML to article text, plus the date and title helpers every format shares (private to ingest.read).

The main-text rules are deliberately simple and local: prefer the page's own semantic markup
(``itemprop=articleBody``, ``<article>``, ``<main>``, ``role=main``), drop what is boilerplate by tag, role or
class name, and only when a page has no semantic container at all score blocks by their prose.
"""

from __future__ import annotations

import datetime as _dt
import html as _htmllib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from lxml import etree
from lxml import html as lxml_html

# --- dates ---------------------------------------------------------------------------------------------

# English names spelled out: the calendar module's follow the process locale
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T|$)")
# "16 January 2025", "Tue, 15 Apr 2025 10:00:00 GMT" (RFC 822), "16 Jan. 2025"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}}|\d{{2}})(?!\d)", re.IGNORECASE)
# "January 16, 2025", "Jan 16 2025"
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)


def parse_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from the many ways sources write one, or None.

    The date is taken as written (no time-zone conversion): a story published late on 16 January in New York
    is dated the 16th, as its readers saw it.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 200:
        return None
    m = _ISO_DATE.search(s)
    if m:
        return _valid(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    m = _COMPACT_DATE.match(s)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_MONTH_YEAR.search(s)
    if m:
        return _valid(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_DAY_YEAR.search(s)
    if m:
        return _valid(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 70 else 1900) if year < 100 else year  # RFC 822 allows two-digit years


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --- dates written in the text: datelines and first sentences ----------------------------------------------

_WEEKDAYS = "(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
# a full date: "Sept 29, 2025", "January 14 2026", "3 December 2024", "2025-03-04", "2025年3月4日"
_FULL_DATE = (rf"(?:(?P<m1>(?i:{_MONTH_RE}))\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
              rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>(?i:{_MONTH_RE}))\.?,?\s+(?P<y2>\d{{4}})"
              r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})"
              r"|(?P<y4>\d{4})\s*年\s*(?P<m4>\d{1,2})\s*月\s*(?P<d4>\d{1,2})\s*日)(?!\d)")
# a date without its year, which only a dateline is trusted with: "Dec 5", "5 December"
_YEARLESS_DATE = (rf"(?:(?P<m5>(?i:{_MONTH_RE}))\.?\s+(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?"
                  rf"|(?P<d6>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m6>(?i:{_MONTH_RE}))\.?)(?![\d\w])")
# "HANGZHOU, Sept 29, 2025 —", "SHANGHAI, Dec 5 -", "Shanghai, January 14, 2026", "BEIJING, 3 December 2024 -",
# "SAN JOSE, Calif., March 3, 2025 /PRNewswire/ --": a place of capitalised words (a region after a comma allowed)
_PLACE = r"[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*){0,3}(?:,\s*[A-Z][A-Za-z.]*){0,1}"
_DATELINE_FULL = re.compile(rf"^{_PLACE}\s*(?:\([^()\n]{{1,40}}\))?,\s*(?:(?:{_WEEKDAYS})\.?,?\s+)?{_FULL_DATE}")
_DATELINE_YEARLESS = re.compile(
    rf"^{_PLACE}\s*(?:\([^()\n]{{1,40}}\))?,\s*(?:(?:{_WEEKDAYS})\.?,?\s+)?{_YEARLESS_DATE}\s*(?:[—–\-:(/]|$)")
# "On Tuesday, March 4, 2025, ..." or "March 4, 2025 - ..." opening the text; "... said on Tuesday, March 4, 2025"
_OPENING_DATE = re.compile(rf"^(?:[Oo]n\s+)?(?:(?:{_WEEKDAYS})\.?,?\s+)?{_FULL_DATE}")
_ON_WEEKDAY_DATE = re.compile(rf"\b[Oo]n\s+(?:{_WEEKDAYS})\.?,?\s+{_FULL_DATE}")
_FIRST_SENTENCE_CHARS = 300


def _month(name: str) -> int:
    return int(name) if name.isdigit() else _MONTHS[name.lower().rstrip(".")]


def _full_date(m: re.Match[str]) -> str | None:
    for i in "1234":
        if m.group("y" + i):
            return _valid(int(m.group("y" + i)), _month(m.group("m" + i)), int(m.group("d" + i)))
    return None


def text_date(text: str, today: _dt.date | None = None) -> tuple[str | None, str | None]:
    """The date an article's text gives itself, as (ISO date or None, a warning or None).

    Why: plain-text stories carry their date in the dateline ("HANGZHOU, Sept 29, 2025 —") or the first
    sentence ("On Tuesday, March 4, 2025, ..."), not in metadata; without it their facts fall out of every
    timeline. Only these positions are read: a date later in the text is an event's, not the story's. A
    dateline without a year ("SHANGHAI, Dec 5 -") is read as the last such day on or before ``today`` (the
    day of ingest), and the warning says so.
    """
    paragraphs = [p.strip() for p in text.split("\n\n", 2)[:2] if p.strip()]
    for para in paragraphs:
        head = para[:_FIRST_SENTENCE_CHARS]
        for pattern in (_DATELINE_FULL, _OPENING_DATE):
            m = pattern.match(head)
            if m:
                found = _full_date(m)
                if found:
                    return found, None
        m = _DATELINE_YEARLESS.match(head)
        if m:
            month_name, day = (m.group("m5"), m.group("d5")) if m.group("m5") else (m.group("m6"), m.group("d6"))
            ref = today or _dt.date.today()
            month, day_n = _month(month_name), int(day)
            for year in (ref.year, ref.year - 1):
                found = _valid(year, month, day_n)
                if found and found <= ref.isoformat():
                    written = collapse(m.group()).rstrip(" —–-:(/")
                    return found, f"the dateline {written!r} gives no year: read as {found}"
        m = _ON_WEEKDAY_DATE.search(head)
        if m:
            found = _full_date(m)
            if found:
                return found, None
    return None, None


# --- plain-text helpers ------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
# zero-width space, word joiner, stray BOM, soft hyphen: invisible, and they split words for matching
# (ZWJ/ZWNJ stay: some scripts and emoji need them)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")
_TITLE_MAX = 80
_ABBREVIATION = re.compile(r"^[(\"'“‘]?(?:[A-Za-z]\.)+$")  # "U.S.", "J."
_ABBREVIATIONS = frozenset({
    "corp", "inc", "co", "ltd", "plc", "llc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept",
    "gov", "jr", "sr",
})


_BLANK_RUNS = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """Text as spans will see it: \\n line ends, no trailing spaces, one blank line between paragraphs.

    Control characters (other than tab and newline) and invisible ones (zero-width space, soft hyphen) are
    dropped: they are debris, never words, and they would hide names from matching.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text.replace("\f", "\n").replace("\v", "\n"))
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def collapse(text: str) -> str:
    """One line of text: whitespace runs (incl. no-break spaces) become one space, invisible characters go."""
    return _WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def same_text(a: str | None, b: str | None) -> bool:
    """Whether two titles/headings say the same thing, ignoring case, spacing and final punctuation."""
    if not a or not b:
        return False
    return collapse(a).casefold().rstrip(".:!?") == collapse(b).casefold().rstrip(".:!?")


def title_from_text(text: str) -> str:
    """A title for an article that has none: its first sentence, cut to about 80 characters at a word."""
    first = collapse(text.lstrip().split("\n\n", 1)[0])
    sentence = first
    for m in _SENTENCE_END.finditer(first):
        word = first[: m.start() + 1].rsplit(" ", 1)[-1]
        if m.group()[0] == "." and (_ABBREVIATION.search(word) or word.lower().rstrip(".") in _ABBREVIATIONS):
            continue  # "U.S." or "Corp." does not end the sentence
        sentence = first[: m.end()]
        break
    if not sentence:
        return "Untitled"
    if len(sentence) <= _TITLE_MAX:
        return sentence.rstrip(".").strip() or sentence
    cut = sentence[:_TITLE_MAX]
    if " " in cut:
        cut = sentence[: _TITLE_MAX + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


# --- HTML to paragraphs --------------------------------------------------------------------------------

# Dropped with their content wherever they occur.
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "video",
    "audio", "map", "button", "select", "input", "textarea", "label", "nav", "aside", "footer", "dialog",
    "figure", "figcaption", "picture", "img", "head", "title", "meta", "link", "menu",
})
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog",
                         "search", "menu", "menubar", "toolbar", "alert", "status"})
# Class/id words of boilerplate boxes: navigation, sharing, newsletters, related links, ads, consent banners,
# comments. Matched as whole words of the class/id (so "masthead" or "shadow" do not match "ad").
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|skip|share|sharing|social|newsletters?|subscribe|"
    r"subscription|signup|sign-up|related|recommended|recirc|more-stories|read-more|promo|ads?|advert|"
    r"advertisement|sponsor|sponsored|cookies?|consent|gdpr|banner|popup|modal|overlay|comments?|sidebar|widget|"
    r"toolbar|site-header|site-footer|footer|masthead)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Words that label small boxes (bylines, datelines, tag lists) but also turn up on whole-body wrappers
# ("paywall", "post-meta-wrapper"): such a box is dropped only when it holds no run of real paragraphs.
_SMALL_BOX = re.compile(
    r"(?:^|[\s_-])(?:byline|author|authors|dateline|timestamp|date|published|updated|meta|tags|print|paywall)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)


_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt", "fieldset",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "br", "caption",
})
_CELL_TAGS = frozenset({"td", "th"})
_JUNK_LINES = frozenset({
    "advertisement", "advertising", "sponsored", "sponsored content", "read more", "continue reading",
    "share", "share this article", "share this story", "skip to content", "skip to main content", "subscribe",
    "sign up", "related", "related articles", "related stories", "most read", "more from", "comments",
})
_SEE_ALSO = re.compile(r"^(?:read more|related|see also|also read|more on this|recommended|read next)\s*:",
                       re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|von|par|por)\s+[A-Z][\w.'’-]*(?:\s|$)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _is_boilerplate(el: lxml_html.HtmlElement) -> bool:
    tag = el.tag
    if tag in _DROP_TAGS:
        return True
    get = el.get
    role = get("role")
    if role and role.strip().lower() in _DROP_ROLES:
        return True
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    if get("itemprop") in ("articleBody", "text"):
        return False
    for attr in ("class", "id"):
        value = get(attr)
        if value:
            if _BOILERPLATE.search(value):
                return True
            if _SMALL_BOX.search(value) and not _holds_paragraphs(el):
                return True
    return False


def _holds_paragraphs(el: lxml_html.HtmlElement) -> bool:
    """Whether ``el`` holds two or more real paragraphs: article text, whatever its class says."""
    count = 0
    for p in el.iter("p"):
        if len(p.text_content()) >= 80:
            count += 1
            if count >= 2:
                return True
    return False


def strip_boilerplate(root: lxml_html.HtmlElement) -> None:
    """Remove boilerplate under ``root`` in place; their tail text belongs to the parent and stays."""
    doomed = []
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):  # comments and processing instructions
            doomed.append(el)
        elif _is_boilerplate(el):
            doomed.append(el)
    for el in doomed:
        _drop_keep_tail(el)  # harmless when an ancestor is already gone: it edits a detached subtree


def _drop_keep_tail(el: lxml_html.HtmlElement) -> None:
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def paragraphs(root: lxml_html.HtmlElement) -> list[str]:
    """The text blocks of ``root`` in document order: each block element's own text, whitespace collapsed.

    A flat walk rather than recursion, so absurdly nested pages cannot exhaust the stack.
    """
    out: list[str] = []
    buf: list[str] = []
    pre_depth = 0

    def flush() -> None:
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()
        if pre_depth:
            lines = _INVISIBLE.sub("", raw).strip("\n").split("\n")
            text = "\n".join(line.rstrip() for line in lines).strip()
        else:
            text = collapse(raw)
        if text:
            out.append(text)

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            if event == "end" and el.tail:
                buf.append(el.tail)
            continue
        if event == "start":
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS and buf and "".join(buf).strip():
                buf.append(" | ")
            if tag == "pre":
                pre_depth += 1
            if el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                buf.append(" ")
            if tag == "pre":
                pre_depth -= 1
            if el.tail and el is not root:
                buf.append(el.tail)
    flush()
    return out


def clean_paragraphs(paras: Iterable[str], title: str | None = None) -> list[str]:
    """Drop what is not prose: the heading repeating the title, bylines, bare dates and one-word widgets."""
    out: list[str] = []
    title_seen = False
    for p in paras:
        low = p.casefold().rstrip(":.!")
        if low in _JUNK_LINES:
            continue
        if not title_seen and same_text(p, title):
            title_seen = True
            continue
        if len(p) < 120 and p[-1] not in ".!?\"”" and _BYLINE.match(p):
            continue
        if len(p) < 200 and _SEE_ALSO.match(p):
            continue
        if len(p) <= 60 and len(p.split()) <= 8 and p[-1] not in ".!?" and parse_date(p) is not None:
            continue
        out.append(p)
    return out


# --- parsing, however deep the nesting ----------------------------------------------------------------
#
# libxml2 stops building the tree at 256 nested elements (2048 with its "huge" option) and drops the rest of the
# page: 100,000 nested <div>s around an article left no text. When it says so, the markup is parsed again with
# the elements beyond _MAX_DEPTH unwrapped (their text kept in document order, a block's edges kept as <br>).

_MAX_DEPTH = 200
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                        "param", "source", "track", "wbr"})


def _parse_html(markup: str, fragment: bool) -> lxml_html.HtmlElement:
    parser = lxml_html.HTMLParser()
    root = _build(markup, fragment, parser)
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        root = _build(_flatten_deep(markup, _MAX_DEPTH), fragment, lxml_html.HTMLParser(huge_tree=True))
    return root


def _build(markup: str, fragment: bool, parser: lxml_html.HTMLParser) -> lxml_html.HtmlElement:
    if fragment:
        return lxml_html.fragment_fromstring(markup, create_parent="div", parser=parser)
    return lxml_html.document_fromstring(markup, parser=parser)


class _DepthLimiter(HTMLParser):
    """Re-emits HTML with the elements nested deeper than ``limit`` unwrapped: their tags go, their text stays.

    A tokenizer, not a tree builder: no depth limit of its own, and linear in the markup (each open element is
    pushed and popped once; an end tag of an element that is not open is dropped, as browsers do). Beyond the
    limit, an element dropped with its content anyway (script, style, nav...) goes with its content here too.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit = limit
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted) of each open element
        self.open: dict[str, int] = {}  # open elements by tag
        self.emitted = 0  # emitted elements open
        self.skipping: int | None = None  # stack height of the dropped element whose content is being skipped

    def _emit(self, text: str) -> None:
        if self.skipping is None:
            self.parts.append(text)

    def _boundary(self, tag: str) -> None:
        if tag in _BLOCK_TAGS and self.skipping is None and (not self.parts or self.parts[-1] != "<br>"):
            self.parts.append("<br>")  # an unwrapped block still ends its paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            self._emit(self.get_starttag_text() or "")
            return
        keep = self.skipping is None and self.emitted < self.limit
        self.stack.append((tag, keep))
        self.open[tag] = self.open.get(tag, 0) + 1
        if keep:
            self.emitted += 1
            self.parts.append(self.get_starttag_text() or "")
        elif tag in _DROP_TAGS and self.skipping is None:
            self.skipping = len(self.stack)
        else:
            self._boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            return
        while self.stack:
            top, kept = self.stack.pop()
            self.open[top] -= 1
            if kept:
                self.emitted -= 1
                self.parts.append(f"</{top}>")
            else:
                self._boundary(top)
            if self.skipping is not None and len(self.stack) < self.skipping:
                self.skipping = None
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self._emit(f"<!{decl}>")


def _flatten_deep(markup: str, limit: int) -> str:
    limiter = _DepthLimiter(limit)
    limiter.feed(markup)
    limiter.close()
    return "".join(limiter.parts)


def fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): paragraphs joined by blank lines."""
    if "<" not in markup:
        return "\n\n".join(p for p in (collapse(x) for x in _htmllib.unescape(markup).split("\n\n")) if p)
    try:
        root = _parse_html(markup, fragment=True)
    except (etree.ParserError, ValueError):
        return ""
    strip_boilerplate(root)
    return "\n\n".join(clean_paragraphs(paragraphs(root)))


# --- whole pages -----------------------------------------------------------------------------------------


@dataclass
class Page:
    """What a news page says about itself, and its main text."""

    title: str | None
    text: str
    date: str | None
    url: str | None
    source: str | None


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date",
    "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
    "citation_publication_date", "citation_date", "article:modified_time", "og:updated_time",
)
_ABSOLUTE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def parse_page(text: str) -> Page:
    """Title, date, URL, site name and main text of a decoded HTML page (text may be empty: no article)."""
    text = _XML_DECL.sub("", text, count=1)
    try:
        root = _parse_html(text, fragment=False)
    except (etree.ParserError, ValueError):
        return Page(None, "", None, None, None)
    meta = _meta(root)
    container = _first_container(root)
    h1 = container.find(".//h1") if container is not None else None  # not the logo's <h1> in the page header
    if h1 is None:
        h1 = root.find(".//h1")
    h1_text = collapse(h1.text_content()) if h1 is not None else None
    site = meta.get("og:site_name") or meta.get("application-name")
    title_el = root.find(".//title")
    raw_title = collapse(title_el.text_content()) if title_el is not None else ""
    title: str | None
    title, title_site = _split_title(meta.get("og:title") or raw_title, site, h1_text)
    if not title and raw_title:
        title, title_site = _split_title(raw_title, site, h1_text)
    title = title or h1_text or None
    source = site or title_site
    url = _canonical(root, meta)
    date = _page_date(root, meta, container)

    body = _main_text(root, title, raw_title)
    if title is None and body:
        title = title_from_text(body)
    return Page(title, body, date, url, source)


def _meta(root: lxml_html.HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _split_title(title: str, site: str | None, h1: str | None) -> tuple[str, str | None]:
    """Split "Headline | Site name" into headline and site, only when the suffix really looks like a site.

    A suffix is a site name when it equals og:site_name, when what precedes it is the page's <h1>, or when it
    is short and capitalised ("| The Circuit Review", "- Reuters"); "Nvidia - the chip giant's bet" is kept.
    """
    title = collapse(title)
    if not title:
        return "", None
    parts = list(_TITLE_SEPARATORS.finditer(title))
    if not parts:
        return title, None
    last = parts[-1]
    head, tail = title[: last.start()].strip(), title[last.end():].strip()
    if not head or not tail:
        return title, None
    if site and same_text(tail, site):
        return head, tail
    if h1 and same_text(head, h1):
        return head, tail
    if site and same_text(head, site):  # "Site name | Headline"
        return tail, head
    words = tail.split()
    capitalised = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in {"the", "of", "and", "&", "de", "on"}
                      for w in words)
    limit = 6 if "|" in last.group() else 4
    if len(words) <= limit and capitalised and len(tail) < len(head):
        return head, tail
    return title, None


def _canonical(root: lxml_html.HtmlElement, meta: dict[str, str]) -> str | None:
    for el in root.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        href = (el.get("href") or "").strip()
        if "canonical" in rel and _ABSOLUTE_URL.match(href):
            return href
    for key in ("og:url", "twitter:url"):
        value = meta.get(key, "")
        if _ABSOLUTE_URL.match(value):
            return value
    return None


def _page_date(root: lxml_html.HtmlElement, meta: dict[str, str],
               container: lxml_html.HtmlElement | None) -> str | None:
    for key in _DATE_META:
        if key in meta:
            date = parse_date(meta[key])
            if date:
                return date
    for el in root.iterfind(".//*[@itemprop]"):
        if el.get("itemprop") == "datePublished":
            date = parse_date(el.get("content") or el.get("datetime") or el.text_content())
            if date:
                return date
    for el in (container if container is not None else root).iter("time"):
        date = parse_date(el.get("datetime") or el.text_content())
        if date:
            return date
    return None


def _first_container(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    for candidates in _container_groups(root):
        if candidates:
            return candidates[0]
    return None


def _container_groups(root: lxml_html.HtmlElement) -> list[list[lxml_html.HtmlElement]]:
    """Semantic main-content elements, most specific kind first."""
    body = [el for el in root.iterfind(".//*[@itemprop]") if el.get("itemprop") == "articleBody"]
    articles = list(root.iter("article"))
    mains = list(root.iter("main")) + [el for el in root.iterfind(".//*[@role]")
                                        if el.get("role", "").lower() == "main" and el.tag != "main"]
    return [body, articles, mains]


def _main_text(root: lxml_html.HtmlElement, title: str | None, raw_title: str) -> str:
    """Main text from the best semantic container, else from the densest prose block of the page."""
    for candidates in _container_groups(root):
        best = ""
        for el in candidates:
            text = _container_text(el, title, raw_title)
            if len(text) > len(best):
                best = text
        if best:
            return best
    return _fallback_text(root, title, raw_title)


def _container_text(el: lxml_html.HtmlElement, title: str | None, raw_title: str) -> str:
    strip_boilerplate(el)
    paras = clean_paragraphs(paragraphs(el), title)
    if paras and same_text(paras[0], raw_title):
        paras = paras[1:]
    return "\n\n".join(paras)


# --- pages without semantic markup ---------------------------------------------------------------------
#
# Why a hand heuristic and not trafilatura (installed, tried with favor_precision=True): on the div-soup pages
# in tests/data/read and a few more (blog with comments, press release, table layout, broken markup) both
# kept the same article paragraphs and dropped the same nav/sidebar/newsletter/cookie/footer boxes, but
# trafilatura flattened the <br>-separated table-layout page into one line wrapped in "|", glued words across
# an unclosed block ("marketfor"), returns one line per paragraph (our text needs blank lines), and took
# 1-12 ms a page against 0.03-0.25 ms here. It is also not a declared dependency of the package.
# The heuristic: drop boilerplate by tag, role and class; score each text block by its prose (length,
# punctuation, few links); credit a <p> to its parent and a text-holding <div>/<td> to itself, half to the
# level above; take the best element and those of its siblings that score well too (split article bodies).

_SCORED = ("p", "pre", "blockquote", "div", "td", "section")
_TEXT_HOLDERS = frozenset({"div", "td", "section"})
_LAYOUT_CHILDREN = _BLOCK_TAGS - {"br"}  # <br> splits the text of a holder; it does not make it layout


def _fallback_text(root: lxml_html.HtmlElement, title: str | None, raw_title: str) -> str:
    body = root.find("body")
    if body is None:
        body = root
    strip_boilerplate(body)
    for el in list(body.iter("header")):  # page headers (logo, tagline) are not article text
        if el.find(".//p") is None:
            _drop_keep_tail(el)
    scores: dict[lxml_html.HtmlElement, float] = {}
    for el in body.iter(*_SCORED):
        if el.tag in _TEXT_HOLDERS:
            if any(c.tag in _LAYOUT_CHILDREN for c in el if isinstance(c.tag, str)):
                continue  # a layout box: its blocks are scored themselves
            target = el
        else:
            target = el.getparent()
        if target is None:
            continue
        score = _prose_score(el)
        if score <= 0:
            continue
        scores[target] = scores.get(target, 0.0) + score
        above = target.getparent()
        if above is not None:
            scores[above] = scores.get(above, 0.0) + score / 2
    if scores:
        best = max(scores, key=scores.__getitem__)
        chosen = [best]
        parent = best.getparent()
        if parent is not None:
            threshold = max(3.0, scores[best] / 4)
            chosen = [el for el in parent if el is best or scores.get(el, 0.0) >= threshold]
    else:  # nothing long enough to score (a bare fragment with one short sentence): whatever text is left
        chosen = [body]
    paras = clean_paragraphs((p for el in chosen for p in paragraphs(el)), title)
    if paras and same_text(paras[0], raw_title):
        paras = paras[1:]
    # a lone short line is a widget or a caption, not an article
    if not any(len(p) >= 60 or _SENTENCE_END.search(p) for p in paras):
        return ""
    return "\n\n".join(paras)


def _prose_score(el: lxml_html.HtmlElement) -> float:
    """How much an element reads like article prose: long punctuated paragraphs, little link text."""
    texts = paragraphs(el) if el.tag in _TEXT_HOLDERS else [collapse(el.text_content())]
    total = sum(len(t) for t in texts)
    if total < 25:
        return 0.0
    link_chars = sum(len(collapse(a.text_content())) for a in el.iter("a"))
    density = min(link_chars / total, 1.0)
    if density > 0.5:
        return 0.0
    score = 0.0
    for text in texts:
        if len(text) >= 25:
            score += 1 + min(len(text) / 100, 3) + min(text.count(".") + text.count(","), 3)
    return score * (1 - density)
