"""Files to Articles: plain text, Markdown, HTML pages, JSON Lines and RSS/Atom feeds.

Everything a user can get wrong about an input file ends in one ``InputError`` that names the file (and line),
never in a traceback; a bad line or entry of a multi-article file never costs the good ones. The text of each
Article is final here: later stages point into it by character offsets, so it is normalised once (``\\n`` line
ends, no trailing spaces, paragraphs separated by one blank line) and never touched again.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest._feeds import read_feed
from ingest._html import (
    collapse,
    fragment_text,
    normalise,
    parse_date,
    parse_page,
    same_text,
    text_date,
    title_from_text,
)
from ingest.model import Article, InputError, article_id, env_number, exception_reason

__all__ = ["ALREADY_VISITED", "MAX_BYTES", "SUFFIXES", "iter_files", "parse_date", "read_file", "read_paths"]

OnError = Callable[[InputError], None]
OnSkip = Callable[[Path, str], None]
ALREADY_VISITED = "directory already visited (a symbolic link loop or a duplicate)"
"""What ``iter_files`` tells ``on_skip`` about a directory it has entered before."""

_TEXT, _MARKDOWN, _HTML, _JSONL, _FEED = "txt", "md", "html", "jsonl", "feed"
_KINDS = {".txt": _TEXT, ".md": _MARKDOWN, ".markdown": _MARKDOWN, ".html": _HTML, ".htm": _HTML,
          ".jsonl": _JSONL, ".xml": _FEED, ".rss": _FEED, ".atom": _FEED}
SUFFIXES: frozenset[str] = frozenset(_KINDS)
"""File extensions read_file understands (lower case; matching ignores case)."""

MAX_BYTES = 50 * 1024 * 1024
"""Largest file read, in bytes; the environment variable KG_MAX_FILE_MB overrides it (in MiB)."""
_LIMIT_ENV = "KG_MAX_FILE_MB"
_MIB = 1024 * 1024
_SNIFF = 8192  # bytes inspected for NUL bytes (binary) and for a declared charset

try:  # the C loader is ~10x faster; fall back to the pure-Python one where libyaml is missing
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _YamlLoader = yaml.SafeLoader


class _FrontMatterLoader(_YamlLoader):
    """The safe loader, where a value that cannot be built is a ConstructorError at that value's line.

    The safe constructors raise whatever their conversion raises for a well-formed value they cannot build:
    ValueError for ``date: 2001-02-30`` (an implicit timestamp) or ``!!int "abc"``, AttributeError for
    ``!!timestamp "x"``, KeyError for ``!!bool "maybe"``, IndexError for ``!!float ""``.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            what = repr(node.value) if isinstance(node, yaml.ScalarNode) else f"this {kind}"
            detail = f" ({str(exc).splitlines()[0]})" if isinstance(exc, ValueError) and str(exc) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} is not a valid {kind}{detail}", node.start_mark) from None


# --- public API ------------------------------------------------------------------------------------------


def read_file(path: Path, on_error: OnError | None = None) -> Iterator[Article]:
    """The articles of one file: one for .txt/.md/.html, one per good line or entry for .jsonl and feeds.

    Raises InputError when the file gives no article at all. A bad line or entry of a .jsonl file or feed is
    passed to ``on_error`` and reading goes on; without ``on_error`` the first such error is raised once all
    good articles have been yielded. Whatever else goes wrong while reading a file (a library's surprise on
    hostile input) is an InputError too, naming the file, so that it never costs the other files of a batch.
    """
    path = Path(path)
    try:
        for article in _read_file(path, on_error):
            bad = _unencodable(article)
            if bad is not None:
                raise InputError(bad, article.path or str(path))
            yield article
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read file: {exception_reason(exc)}", str(path)) from None


def _read_file(path: Path, on_error: OnError | None) -> Iterator[Article]:
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"unsupported file type {path.suffix!r}" if path.suffix else "no file extension",
                         str(path))
    data = _read_bytes(path)
    where = str(path)
    if kind == _TEXT:
        yield _read_text(where, data)
    elif kind == _MARKDOWN:
        yield _read_markdown(where, data)
    elif kind == _HTML:
        yield _read_html(where, data)
    else:
        first: InputError | None = None
        items = _read_jsonl(where, data) if kind == _JSONL else _read_feed(where, data)
        for item in items:
            if isinstance(item, Article):
                yield item
            elif on_error is not None:
                on_error(item)
            elif first is None:
                first = item
        if first is not None:
            raise first


def iter_files(paths: Iterable[Path], on_skip: OnSkip | None = None) -> Iterator[Path]:
    """Article files under ``paths``: directories expanded recursively in name order, each file once.

    Files with another extension are reported to ``on_skip`` with the reason; hidden files and directories
    (name starting with ".") inside a directory are passed over silently. Symbolic links to directories are
    followed, but a directory already visited (by real path) is not entered again, so link loops end.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()

    def skip(path: Path, reason: str) -> None:
        if on_skip is not None:
            on_skip(path, reason)

    # a stack of (path, listed in a directory) iterators, not recursion: a folder may be nested thousands deep
    stack: list[Iterator[tuple[Path, bool]]] = [((Path(top), False) for top in paths)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        path, listed = item
        try:
            st = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                skip(path, "broken symbolic link")
            elif not listed:
                skip(path, "no such file or directory")
            elif path.suffix.lower() in _KINDS:
                yield path  # listed a moment ago, gone now: read_file reports it as an error, not a skip
            continue
        except OSError as exc:
            skip(path, f"cannot access: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(path)
            if real in seen_dirs:
                skip(path, ALREADY_VISITED)
                continue
            seen_dirs.add(real)
            try:
                with os.scandir(path) as it:
                    names = sorted(entry.name for entry in it if not entry.name.startswith("."))
            except OSError as exc:
                skip(path, f"cannot list directory: {exc.strerror or exc}")
                continue
            stack.append(iter([(path / name, True) for name in names]))
        elif not stat.S_ISREG(st.st_mode):
            skip(path, "not a regular file")
        elif path.suffix.lower() not in _KINDS:
            skip(path, f"unsupported file type {path.suffix!r}" if path.suffix else "no file extension")
        else:
            real = os.path.realpath(path)
            if real not in seen_files:
                seen_files.add(real)
                yield path


def read_paths(paths: Iterable[Path], on_error: OnError | None = None,
               on_skip: OnSkip | None = None) -> Iterator[Article]:
    """Every article under ``paths``; a file that fails goes to ``on_error`` and the next file is read.

    Without ``on_error`` the first error is raised after everything readable has been yielded.
    """
    first: InputError | None = None
    for path in iter_files(paths, on_skip):
        try:
            yield from read_file(path, on_error)
        except InputError as exc:
            if on_error is not None:
                on_error(exc)
            elif first is None:
                first = exc
    if first is not None:
        raise first


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _surrogate(text: str, what: str) -> str | None:
    """Why ``text`` cannot be stored: it holds a lone surrogate (from an escape such as ``\\udfff``); or None.

    Decoded bytes never hold one, only escapes do (JSON ``\\uXXXX``), and no UTF-8 text, so no store and no
    terminal, can hold it.
    """
    m = _SURROGATE.search(text)
    if m is None:
        return None
    return f"{what} holds a lone surrogate \\u{ord(m.group()):04x} (an invalid \\u escape)"


def _unencodable(article: Article) -> str | None:
    """Why an article cannot be stored (see ``_surrogate``), or None."""
    for name in ("title", "text", "url", "source", "id", "date"):
        value = getattr(article, name)
        bad = _surrogate(value, f"the {name}") if value else None
        if bad:
            return bad
    return None


# --- bytes and encodings ---------------------------------------------------------------------------------


def _limit_bytes() -> int:
    """The size limit, read on each call so a test or a user can change KG_MAX_FILE_MB at run time."""
    mib = env_number(_LIMIT_ENV, MAX_BYTES / _MIB, lambda n: n > 0, "a positive number of MB")
    return int(mib * _MIB)


def _mb(size: int, up: bool = False) -> str:
    """A size in MB with one decimal, rounded up for the file so it never reads as equal to the limit."""
    tenths = -(-size * 10 // _MIB) if up else round(size * 10 / _MIB)
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, once stat (before any read) has shown a regular file within the size limit."""
    where = str(path)
    limit = _limit_bytes()
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a directory, not a file", where)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not a regular file", where)
        if st.st_size > limit:
            raise InputError(f"file is {_mb(st.st_size, up=True)} MB, over the {_mb(limit)} MB limit", where)
        with path.open("rb") as f:
            data = f.read(limit + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise InputError("file disappeared before it could be read", where) from None
    except PermissionError:
        raise InputError("permission denied", where) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", where) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", where) from None
    if len(data) > limit:
        raise InputError(f"file is over the {_mb(limit)} MB limit", where)
    return data


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HTML_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# WHATWG: pages labelled Latin-1 or ASCII are really windows-1252; a UTF-16/32 label on a page without a BOM
# is wrong (the label itself was readable as ASCII), so it means UTF-8
_LABEL_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "utf-16": "utf-8",
                  "utf-16-le": "utf-8", "utf-16-be": "utf-8", "utf-32": "utf-8", "utf-32-le": "utf-8",
                  "utf-32-be": "utf-8"}


def _decode(data: bytes, where: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Text of ``data``: by its BOM, else ``declared`` (HTML/XML), else UTF-8; undecodable bytes are replaced.

    Replacement rather than refusal: one bad byte in a long article should cost one character, and the
    warning says where it was so the user can fix the file.
    """
    if not data.strip():
        raise InputError("empty file", where)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, warnings = _decode_as(data[len(bom):], encoding, len(bom))
            break
    else:
        if b"\0" in data[:_SNIFF]:
            raise InputError("binary file, not text", where)
        warnings = ()
        encoding = "utf-8"
        if declared:
            try:
                encoding = codecs.lookup(declared).name
                encoding = _LABEL_ALIASES.get(encoding, encoding)
            except LookupError:
                warnings = (f"unknown charset {declared!r}: read as UTF-8",)
        text, more = _decode_as(data, encoding, 0)
        warnings += more
    if not text.strip():
        raise InputError("empty file", where)
    return text, warnings


def _decode_as(data: bytes, encoding: str, offset: int) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding in ("utf-8", "utf_8") else encoding.upper()
        warning = f"invalid {name} at byte {exc.start + offset}: replaced undecodable bytes"
        return data.decode(encoding, errors="replace"), (warning,)


def _declared_charset(data: bytes, html_meta: bool) -> str | None:
    """The encoding an XML declaration (or, for HTML pages only, a <meta> tag) names in the first bytes."""
    head = data[:_SNIFF]
    m = _XML_ENCODING.match(head) or (_HTML_CHARSET.search(head) if html_meta else None)
    return m.group(1).decode("ascii") if m else None


# --- plain text ------------------------------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_TITLE_LINE_MAX = 200


def _split_title(text: str) -> tuple[str, str]:
    """(title, body) of normalised text whose first line may be a title.

    The first line is a title unless it reads like the start of the prose: longer than 200 characters, the
    only line, or a full sentence (or a line broken mid-sentence) that runs straight on into the next line.
    Then the title is made from the first sentence and the body is the whole text.
    """
    first, _, rest = text.partition("\n")
    next_line = rest.partition("\n")[0]
    runs_on = bool(next_line.strip()) and (_ENDS_SENTENCE.search(first) is not None
                                           or next_line.lstrip()[:1].islower())
    if not rest.strip() or len(first.strip()) > _TITLE_LINE_MAX or runs_on:
        return title_from_text(text), text
    return collapse(first), rest.strip()


def _read_text(where: str, data: bytes) -> Article:
    text, warnings = _decode(data, where)
    text = normalise(text)
    if not text:
        raise InputError("no article text found", where)
    title, body = _split_title(text)
    date, warnings = _dated(None, body, warnings)
    return Article(article_id(None, body, title, date, _name(where)), title, body, date=date, path=where,
                   warnings=warnings)


def _name(where: str) -> str:
    """The file name an article id is made with (see ``article_id``): the name, not the folder it sits in; a
    byte that is not UTF-8 written as ``\\xff`` (an id is text)."""
    return os.fsencode(os.path.basename(where)).decode("utf-8", "backslashreplace")


def _dated(date: str | None, body: str, warnings: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """``date`` from the metadata, else the one the text's dateline or first sentence gives (``text_date``)."""
    if date:
        return date, warnings
    found, warning = text_date(body)
    return found, (*warnings, warning) if warning else warnings


# --- Markdown --------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LINK_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]]+\]:[ \t]*")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PROTECT = {ord(c): 0xE000 + ord(c) for c in "\\`*_[]()!<>#~|&"}
_UNPROTECT = {v: k for k, v in _PROTECT.items()}
_CODE_SPAN = re.compile(r"(`+)[ ]?(.+?)[ ]?\1")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[^@>\s]+@[^>\s]+\.[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile(r"[ \t]+")


@dataclass
class _Block:
    level: int  # 0 for a paragraph, 1-6 for a heading
    text: str
    lines: int = 1


def _inline(text: str) -> str:
    """Markdown inline markup to plain text: links keep their words, images go, emphasis markers go."""
    text = _ESCAPE.sub(lambda m: m.group(1).translate(_PROTECT), text)
    if "`" in text:
        text = _CODE_SPAN.sub(lambda m: m.group(2).translate(_PROTECT), text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _FOOTNOTE_REF.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub("", text)
    if "*" in text or "_" in text:
        text = _STRONG.sub(r"\2", text)
        text = _STRONG.sub(r"\2", text)  # nested ***strong em*** leaves one more layer
        text = _EM_STAR.sub(r"\1", text)
        text = _EM_UNDER.sub(r"\1", text)
    if "~" in text:
        text = _STRIKE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return _SPACES.sub(" ", text.translate(_UNPROTECT)).strip()


def _markdown_blocks(body: str) -> list[_Block]:
    """Headings and paragraphs of a Markdown body, markup removed; list items, table rows are paragraphs."""
    body = _HTML_COMMENT.sub("", body)
    blocks: list[_Block] = []
    para: list[str] = []
    fence = ""  # the open code fence, while inside one

    def flush() -> None:
        if para:
            text = _inline(" ".join(para))
            if text:
                blocks.append(_Block(0, text, len(para)))
            para.clear()

    for raw in body.split("\n"):
        if fence:  # code is not prose (and trips sentence splitting): fenced blocks are dropped whole
            if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                fence = ""
            continue
        m = _FENCE.match(raw)
        if m:
            flush()
            fence = m.group(1)
            continue
        line = raw
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            flush()
            continue
        m = _SETEXT.match(line)
        if m and para:
            text = _inline(" ".join(para))
            para.clear()
            if text:
                blocks.append(_Block(1 if m.group(1)[0] == "=" else 2, text))
            continue
        if _THEMATIC.match(line):
            flush()
            continue
        m = _ATX.match(line)
        if m:
            flush()
            text = _inline(m.group(2) or "")
            if text:
                blocks.append(_Block(len(m.group(1)), text))
            continue
        if _LINK_DEF.match(line):
            flush()
            continue
        if "|" in line and line.lstrip().startswith("|"):
            flush()
            if not _TABLE_RULE.match(line):
                cells = [_inline(c) for c in line.strip().strip("|").split("|")]
                text = " | ".join(c for c in cells if c)
                if text:
                    blocks.append(_Block(0, text))
            continue
        m = _BULLET.match(line) or _FOOTNOTE_DEF.match(line)
        if m:
            flush()
            line = line[m.end():]
        if line.endswith("\\"):  # a hard line break
            line = line[:-1]
        para.append(line.strip())
    flush()
    return blocks


def _front_matter(text: str, where: str) -> tuple[dict[str, object], str]:
    """(front matter, body) of a Markdown file: front matter is YAML between two ``---`` lines at the top."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise InputError("front matter has no closing '---' line", where, 1)
    source = "\n".join(lines[1:end])
    try:
        meta = yaml.load(source, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise InputError(f"front matter is not valid YAML: {_yaml_reason(exc)}", where,
                         _yaml_line(exc, end)) from None
    except Exception as exc:  # anything the loader did not say as a YAMLError
        raise InputError(f"front matter cannot be read: {exception_reason(exc)}", where, 2) from None

    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter is not a mapping of keys to values", where, 2)
    return {str(k).lower(): v for k, v in meta.items()}, "\n".join(lines[end + 1:])


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if not problem:
        return str(exc).split("\n", 1)[0]
    context = getattr(exc, "context", None)
    return f"{context}: {problem}" if context else problem


def _yaml_line(exc: yaml.YAMLError, end: int) -> int:
    """File line of a front matter error: where the problem is, or where the unclosed construct began."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 1
    if mark.line + 2 >= end + 1:  # detected only at the closing '---': point at what was left open
        context = getattr(exc, "context_mark", None)
        if context is not None:
            mark = context
    return min(int(mark.line) + 2, end + 1)


def _meta_str(meta: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if value is not None and not isinstance(value, (dict, list)):
            text = collapse(str(value))
            if text:
                return text
    return None


def _read_markdown(where: str, data: bytes) -> Article:
    text, warnings = _decode(data, where)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _front_matter(text, where)
    blocks = _markdown_blocks(body)
    title = _meta_str(meta, "title")
    if title:
        if blocks and same_text(blocks[0].text, title):
            blocks = blocks[1:]
    elif blocks and blocks[0].level:
        title, blocks = blocks[0].text, blocks[1:]
    else:
        h1 = next((b for b in blocks if b.level == 1), None)
        if h1 is not None:
            title = h1.text
        elif len(blocks) > 1 and blocks[0].lines == 1 and len(blocks[0].text) <= _TITLE_LINE_MAX \
                and not _ENDS_SENTENCE.search(blocks[0].text):
            title, blocks = blocks[0].text, blocks[1:]
    body_text = normalise("\n\n".join(b.text for b in blocks))
    if not body_text:
        raise InputError("no article text found", where)
    raw_date = meta.get("date", meta.get("published"))
    date = parse_date(raw_date)
    if raw_date is not None and date is None:
        warnings += (f"unrecognised date {str(raw_date)!r} in front matter: left out",)
    url = _meta_str(meta, "url", "link", "canonical")
    source = _meta_str(meta, "source", "publisher", "site")
    date, warnings = _dated(date, body_text, warnings)
    title = title or title_from_text(body_text)
    return Article(article_id(url, body_text, title, date, _name(where)), title, body_text, date=date,
                   url=url, source=source, path=where, warnings=warnings)


# --- HTML ------------------------------------------------------------------------------------------------


def _read_html(where: str, data: bytes) -> Article:
    text, warnings = _decode(data, where, _declared_charset(data, html_meta=True))
    page = parse_page(text)
    body = normalise(page.text)
    if not body:
        raise InputError("no article text found", where)
    date, warnings = _dated(page.date, body, warnings)
    title = page.title or title_from_text(body)
    return Article(article_id(page.url, body, title, date, _name(where)), title, body, date=date,
                   url=page.url, source=page.source, path=where, warnings=warnings)


# --- JSON Lines ------------------------------------------------------------------------------------------

_LOOKS_HTML = re.compile(
    r"<(?:p|div|br|h[1-6]|li|ul|ol|blockquote|article|section|span|a|em|strong|b|i)\b[^>]*>", re.IGNORECASE)
_TEXT_KEYS = ("text", "body", "content")


def _read_jsonl(where: str, data: bytes) -> Iterator[Article | InputError]:
    """One article per line; a line that cannot be one is yielded as an InputError with its number."""
    text, warnings = _decode(data, where)
    decoder = json.JSONDecoder()
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may sit inside a string
        line = line.strip()
        if not line:
            continue
        try:
            obj = decoder.decode(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", where, number)
            continue
        except (RecursionError, ValueError) as exc:  # 3,000 nested arrays; an integer of 5,000 digits
            yield InputError(f"not valid JSON: {exception_reason(exc)}", where, number)
            continue
        if not isinstance(obj, dict):
            yield InputError(f"expected a JSON object, got {type(obj).__name__}", where, number)
            continue
        try:
            bad = _surrogate(json.dumps(obj, ensure_ascii=False), "the line") if _SURROGATE_ESCAPE.search(line) \
                else None
            item = InputError(bad, where, number) if bad else _json_article(obj, where, number, warnings)
        except Exception as exc:  # one line's surprise costs that line only
            item = InputError(f"cannot read this line: {exception_reason(exc)}", where, number)
        yield item


def _json_article(obj: dict[str, object], where: str, number: int,
                  warnings: tuple[str, ...]) -> Article | InputError:
    raw = next((v for k in _TEXT_KEYS if isinstance(v := obj.get(k), str) and v.strip()), None)
    if raw is None:
        return InputError("no text: expected a non-empty 'text', 'body' or 'content' string", where, number)
    assert isinstance(raw, str)
    body = normalise(fragment_text(raw) if _LOOKS_HTML.search(raw) else raw)
    if not body:
        return InputError("no text: the article body is only markup", where, number)
    url = _meta_str(obj, "url", "link")
    given_id = obj.get("id")
    raw_date = next((obj[k] for k in ("date", "published", "published_at", "pubDate") if obj.get(k)), None)
    date = parse_date(raw_date)
    if raw_date is not None and date is None:
        warnings += (f"line {number}: unrecognised date {str(raw_date)!r}: left out",)
    date, warnings = _dated(date, body, warnings)
    title = _meta_str(obj, "title", "headline") or title_from_text(body)
    if url or given_id is None or isinstance(given_id, (dict, list, bool)) or not str(given_id).strip():
        aid = article_id(url, body, title, date, _name(where))
    else:
        aid = str(given_id).strip()  # a stable id chosen by the publisher
    return Article(aid, title, body, date=date, url=url, source=_meta_str(obj, "source", "publisher"),
                   path=f"{where}#{number}", warnings=warnings)


# --- feeds -----------------------------------------------------------------------------------------------

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def _read_feed(where: str, data: bytes) -> Iterator[Article | InputError]:
    # Decoded here, like every other format, so BOMs, binary files and bad bytes are handled the same way;
    # feedparser then gets UTF-8 with a declaration that says so.
    text, warnings = _decode(data, where, _declared_charset(data, html_meta=False))
    text = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1)
    for item in read_feed(where, text.encode("utf-8"), warnings):
        if isinstance(item, Article):
            bad = _unencodable(item)
            if bad is not None:
                item = InputError(bad, item.path)
        yield item
