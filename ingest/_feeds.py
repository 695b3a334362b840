"""RSS 2.0, RSS 1.0 and Atom feeds to articles, one per entry (private to ingest.read)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import feedparser

from ingest._html import collapse, fragment_text, normalise, parse_date, text_date, title_from_text
from ingest.model import Article, InputError, article_id, exception_reason


def read_feed(path: str, data: bytes, warnings: tuple[str, ...]) -> Iterator[Article | InputError]:
    """Articles of a feed (``data`` is UTF-8), with an InputError in place of each entry that has no text.

    Yields errors instead of raising them so one empty entry does not hide the good ones after it.
    Raises InputError when the file is not a feed at all.
    """
    # Sanitising and URI resolution are off: we keep text only, and the HTML-to-text step drops scripts.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
            if line is not None and not data.startswith(b"<?xml"):
                line = max(1, line - 1)  # feedparser put an XML declaration line in front of the file
            reason = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
            raise InputError(f"not a readable feed: {reason}", path, line)
        if not parsed.get("version"):
            raise InputError("not an RSS or Atom feed", path)
        raise InputError("feed has no entries", path)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings = (*warnings, f"feed is not well-formed, read what could be read: {exc}")
    source = collapse(parsed.feed.get("title", "")) or None
    for index, entry in enumerate(entries, 1):
        where = f"{path}#{index}"
        try:
            yield _entry_article(entry, index, where, source, warnings)
        except Exception as exc:  # one entry's surprise (hostile markup) costs that entry only
            yield InputError(f"feed entry {index} cannot be read: {exception_reason(exc)}", where)


def _entry_article(entry: feedparser.FeedParserDict, index: int, where: str, source: str | None,
                   warnings: tuple[str, ...]) -> Article | InputError:
    text = _entry_text(entry)
    if not text:
        label = collapse(entry.get("title", "")) or entry.get("link") or "untitled"
        return InputError(f"feed entry {index} ({label}) has no text", where)
    url = (entry.get("link") or "").strip() or None
    guid = (entry.get("id") or "").strip() or None
    title = _entry_title(entry) or title_from_text(text)
    date = None
    for key in ("published", "updated", "created"):  # the text as written: *_parsed is converted to UTC
        date = parse_date(entry.get(key)) or parse_date(entry.get(key + "_parsed"))
        if date:
            break
    if not date:
        date, warning = text_date(text)
        warnings = (*warnings, warning) if warning else warnings
    name = os.fsencode(os.path.basename(where.rsplit("#", 1)[0])).decode("utf-8", "backslashreplace")
    aid = article_id(url, text, title, date, name) if url or not guid else guid  # no link: the publisher's guid
    return Article(aid, title, text, date=date, url=url, source=source, path=where, warnings=warnings)


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    """The fullest body the entry offers: content:encoded / Atom content, else summary / description."""
    best = ""
    candidates = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    if not candidates or not any(value.strip() for value, _ in candidates):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    for value, kind in candidates:
        if not value.strip():
            continue
        if kind == "text/plain":
            text = "\n\n".join(p for p in (collapse(x) for x in value.replace("\r", "").split("\n\n")) if p)
        else:
            text = fragment_text(value)
        if len(text) > len(best):
            best = text
    return normalise(best)


def _entry_title(entry: feedparser.FeedParserDict) -> str:
    title = entry.get("title") or ""
    kind = (entry.get("title_detail") or {}).get("type", "")
    if kind in ("text/html", "application/xhtml+xml") and ("<" in title or "&" in title):
        return collapse(fragment_text(title))
    return collapse(title)
