"""Values as people read them in a table: 247.8 bn CNY, 34%, 12,400, a long URL shortened in the middle.

Only tables use this; JSON and CSV keep the values as they are, for programs. Why a module of its own: the
CLI prints through it, and a notebook that shows rows can too.
"""

from __future__ import annotations

import re

_CURRENCY = re.compile(r"^[A-Z]{3}$")  # ISO 4217: CNY, USD, EUR...
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
URL_MAX = 48  # characters of a URL or an article id shown in a table cell


def _decimals(x: float, places: int = 3) -> str:
    """``x`` with up to ``places`` decimals, trailing zeros dropped: 247.8, 39.85, 12."""
    text = f"{x:,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float | int) -> str:
    """A plain number with thousands separators: 12,400; 0.1189; 1,234.5."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return _decimals(float(value), 4)


def quantity(value: float | int, unit: str | None) -> str:
    """A reported number with its unit, scaled: 247.8 bn CNY, 34%, 430 m users, 12,000 units."""
    if unit == "percent":
        return f"{_decimals(float(value), 2)}%"
    v = float(value)
    for scale, word in _SCALES:
        if abs(v) >= scale:
            text = f"{_decimals(v / scale)} {word}"
            break
    else:
        text = number(value)
    return f"{text} {unit}" if unit else text


def shorten(text: str, width: int = URL_MAX) -> str:
    """A URL or id that fits ``width``: the scheme dropped, then the middle left out ("host…/last-part"); a
    file path keeps its end ("…/folder/name.txt"), where the name is."""
    url = bool(_URL.match(text))
    if url:
        text = _URL.sub("", text, count=1)
    if len(text) <= width:
        return text
    keep = width - 1
    head = keep * 2 // 5 if url or not ("/" in text or "\\" in text) else 0
    return text[:head] + "…" + text[len(text) - (keep - head):]


def looks_like_id(text: str) -> bool:
    """URLs, ``doc:``/``sha256:`` article ids and file paths: text without spaces that is shortened, not wrapped."""
    return " " not in text and (bool(_URL.match(text)) or text.startswith(("doc:", "sha256:", "file:"))
                                or ("/" in text and len(text) > 16))


def cell(value: object, id_width: int = URL_MAX) -> str:
    """A value of a row as shown in a table cell (a URL or id shortened to ``id_width``)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v, id_width) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    text = str(value)
    return shorten(text, id_width) if looks_like_id(text) else text


def id_width(columns: int) -> int:
    """How wide a URL or id may be in a table ``columns`` wide: a quarter of it, 16 to 48 characters."""
    return max(16, min(URL_MAX, columns // 4))


def table_rows(rows: list[dict[str, object]], id_width: int = URL_MAX) -> list[dict[str, str]]:
    """Rows as table cells: a ``value`` with a ``unit`` column becomes one quantity ("247.8 bn CNY") and the
    unit column goes; numbers get separators; URLs and ids are shortened in the middle to ``id_width``."""
    merge = bool(rows) and all("value" in r and "unit" in r and isinstance(r["value"], int | float | None)
                               and not isinstance(r["value"], bool) for r in rows)
    out = []
    for row in rows:
        shown: dict[str, str] = {}
        for key, value in row.items():
            if merge and key == "unit":
                continue
            if merge and key == "value" and value is not None:
                unit = row["unit"]
                shown[key] = quantity(value, None if unit is None else str(unit))  # type: ignore[arg-type]
            else:
                shown[key] = cell(value, id_width)
        out.append(shown)
    return out
