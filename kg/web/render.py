"""HTML from Jinja2 templates (``kg/web/templates``), autoescaped: text from articles is never markup.

Data that a page's script reads is written as JSON inside ``<script type="application/json">`` by the
``tojson`` filter, which escapes ``<``, ``>``, ``&`` and ``'``, so no value can close the element.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2

TEMPLATES = Path(str(files("kg.web") / "templates"))
STATIC = Path(str(files("kg.web") / "static"))


def safe_url(url: object) -> str | None:
    """``url`` if it is an http(s) address (a link may be made of it), else None: never ``javascript:``."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "\r\n\t ") \
        else None


def _q(value: object) -> str:
    return quote(str(value), safe="")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = _q
    env.filters["safe_url"] = safe_url
    env.globals["urlencode"] = lambda pairs: urlencode(list(pairs))
    env.globals["static_text"] = lambda name: (STATIC / name).read_text(encoding="utf-8")
    from kg.render import quantity

    env.filters["quantity"] = lambda v, unit=None: quantity(float(v), unit) if v is not None else ""
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
