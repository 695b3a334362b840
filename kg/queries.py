"""The catalogue of stored queries: ``queries/NAME.yaml`` (metadata), ``NAME.rq`` and ``NAME.cypher``.

A stored query runs on three backends and gives the same rows on each:

* ``rdf``: its SPARQL on the workspace's Oxigraph store, parameters bound as RDF terms;
* ``networkx``: its Cypher on the NetworkX projection through grand-cypher, which has no ``$parameters``,
  so values are written in as escaped string literals (numbers as numbers);
* ``neo4j``: its Cypher on a Neo4j server, parameters bound by the driver.
"""

from __future__ import annotations

import calendar
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

from ingest.model import InputError

QUERIES_DIR = Path(str(files("queries")))
BACKENDS = ("rdf", "networkx", "neo4j")


class QueryError(InputError):
    """A stored query cannot run as asked: unknown name, bad parameter, or a backend it does not support."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    example: object
    type: str = "string"
    default: object = None
    entity: str | None = None  # the class of entity the value names ("any": of any class), checked before a run

    def convert(self, raw: object) -> object:
        """Check and convert a value given for this parameter (CLI values arrive as strings).

        Strict on purpose: Python's int()/float() would quietly turn 2.7 into 2, True into 1, '1_0' into 10
        and 'nan' into a number, and a well-shaped but impossible date would just match nothing.
        """
        if self.type in ("integer", "number"):
            value = _number(raw, integer=self.type == "integer")
            if value is None:
                article = "an" if self.type == "integer" else "a"
                raise QueryError(f"parameter {self.name!r} must be {article} {self.type}, got {_short(raw)}")
            if self.type == "integer" and not INT64_MIN <= value <= INT64_MAX:
                # Neo4j's integers are 64-bit (the driver refuses more) and SPARQL engines compare bigger ones
                # as something else: the query would quietly answer nothing
                raise QueryError(f"parameter {self.name!r} must be an integer from {INT64_MIN} to {INT64_MAX}, "
                                 f"got {_short(raw)}")
            return value
        if self.type == "date":
            relative = relative_date(str(raw))
            if relative is not None:
                return relative
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw)) or not _is_date(str(raw)):
                raise QueryError(f"parameter {self.name!r} must be a date YYYY-MM-DD (or today, yesterday, 7d, 2w, "
                                 f"3m, 1y: days, weeks, months, years ago), got {_short(raw)}")
        text = str(raw)
        if _SURROGATE.search(text):  # an undecodable byte: no store, driver or terminal takes it
            raise QueryError(f"parameter {self.name!r} is not valid UTF-8 text, got {_short(raw)}")
        return text


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _short(raw: object) -> str:
    """``raw`` for a message: repr, with the middle of a very long value left out."""
    text = repr(raw)
    return text if len(text) <= 60 else f"{text[:28]}...{text[-28:]} ({len(str(raw))} characters)"


def _number(raw: object, *, integer: bool) -> int | float | None:
    """An int (or finite float) from an API value or a CLI string; None when it is not one."""
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*", raw):
        try:
            raw = int(raw) if re.fullmatch(r"\s*[+-]?\d+\s*", raw) else float(raw)
        except ValueError:  # an integer of thousands of digits: far out of any range a parameter takes
            if not integer:
                return None
            raw = INT64_MIN - 1 if str(raw).strip().startswith("-") else INT64_MAX + 1
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    if integer:
        return int(raw) if float(raw).is_integer() else None
    return float(raw)


_RELATIVE = re.compile(r"(\d{1,5})\s*(d|days?|w|weeks?|m|months?|y|years?)( ago)?")


def relative_date(text: str, today: date | None = None) -> str | None:
    """``today``, ``yesterday`` or ``7d`` / ``2w`` / ``3m`` / ``1y`` (that long before ``today``) as an ISO
    date; None for anything else. Why: "what is new this week" should not need a calendar."""
    word = text.strip().lower()
    ref = today or date.today()
    if word == "today":
        return ref.isoformat()
    if word == "yesterday":
        return (ref - timedelta(days=1)).isoformat()
    m = _RELATIVE.fullmatch(word)
    if m is None:
        return None
    n, unit = int(m.group(1)), m.group(2)[0]
    if unit in "dw":
        try:
            return (ref - timedelta(days=n * (7 if unit == "w" else 1))).isoformat()
        except OverflowError:
            return date.min.isoformat()
    months = ref.year * 12 + ref.month - 1 - n * (12 if unit == "y" else 1)
    year, month = divmod(months, 12)
    if year < 1:
        return date.min.isoformat()
    day = min(ref.day, calendar.monthrange(year, month + 1)[1])  # a month back from 31 March is 28/29 February
    return date(year, month + 1, day).isoformat()


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class StoredQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    backends: tuple[str, ...]
    sparql: str
    cypher: str
    columns: tuple[str, ...] = field(default=())
    order_by: tuple[str, ...] = field(default=())
    # grand-cypher's dialect where it differs (``NAME.networkx.cypher``): it has no undirected match, no
    # startNode(); it runs on a view where each symmetric relationship is also there reversed
    cypher_networkx: str | None = None

    def cypher_for(self, backend: str) -> str:
        """The Cypher text run on ``backend`` (networkx or neo4j)."""
        return self.cypher_networkx if backend == "networkx" and self.cypher_networkx else self.cypher

    def bind(self, given: dict[str, object] | None) -> dict[str, object]:
        """Validate ``given`` against the declared parameters: unknown or missing ones are errors."""
        given = dict(given or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} "
                             f"(parameters: {', '.join(known) or 'none'})")
        bound: dict[str, object] = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = p.convert(given[p.name])
            elif p.default is not None:
                bound[p.name] = p.convert(p.default)
            else:
                raise QueryError(f"query {self.name!r} needs parameter {p.name!r}: {p.description} "
                                 f"(e.g. --param {p.name}={p.example})")
        return bound

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [{"name": p.name, "description": p.description, "example": p.example, "type": p.type,
                        **({"entity": p.entity} if p.entity else {})} for p in self.params],
            "backends": list(self.backends),
            "columns": list(self.columns),
        }


def _load(path: Path) -> StoredQuery:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.stem
    params = tuple(Param(p["name"], p["description"], p.get("example"), p.get("type", "string"),
                         p.get("default"), p.get("entity")) for p in meta.get("params", []))
    variant = path.with_name(f"{name}.networkx.cypher")
    return StoredQuery(
        name=name,
        description=" ".join(str(meta["description"]).split()),
        params=params,
        backends=tuple(meta.get("backends", BACKENDS)),
        sparql=(path.with_suffix(".rq")).read_text(encoding="utf-8"),
        cypher=(path.with_suffix(".cypher")).read_text(encoding="utf-8"),
        columns=tuple(meta["columns"]),
        order_by=tuple(meta.get("order_by", ())),
        cypher_networkx=variant.read_text(encoding="utf-8") if variant.exists() else None,
    )


@lru_cache(maxsize=4)
def catalogue(directory: Path = QUERIES_DIR) -> dict[str, StoredQuery]:
    """Every stored query, by name."""
    return {q.name: q for q in (_load(p) for p in sorted(directory.glob("*.yaml")))}


def get(name: str) -> StoredQuery:
    queries = catalogue()
    if name not in queries:
        close = [n for n in queries if name.lower() in n.lower()]
        hint = f"; did you mean {close[0]!r}?" if close else "; `kg query list` shows them"
        raise QueryError(f"unknown query {name!r}{hint}")
    return queries[name]


def cypher_literal(value: object) -> str:
    """A value as a grand-cypher literal: numbers as they are, everything else a safely escaped string.

    grand-cypher parses double-quoted strings only; backslashes and quotes are escaped so a value can never
    end the literal and become query text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return json.dumps(text, ensure_ascii=False)


def inline_params(cypher: str, params: dict[str, object]) -> str:
    """Write bound values into Cypher for grand-cypher, which has no ``$parameters``."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in params:
            raise QueryError(f"Cypher uses ${name}, which is not a declared parameter")
        return cypher_literal(params[name])

    return re.sub(r"\$([A-Za-z_]\w*)", sub, cypher)


def normalise_rows(query: StoredQuery, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The declared columns only, plain values (whole floats become ints), in the declared order.

    Ordering here rather than only in the query text makes every backend list rows the same way
    (SPARQL and Cypher disagree on where nulls sort).
    """
    out = []
    for row in rows:
        clean = {}
        for k in query.columns:
            v = row.get(k)
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            clean[k] = v
        out.append(clean)
    if query.order_by:
        out.sort(key=lambda r: tuple(_sort_key(r.get(k)) for k in query.order_by))
    return out


def _sort_key(value: object) -> tuple[int, object]:
    if value is None:
        return (2, "")
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value))


def browser_favorites(directory: Path) -> list[Path]:
    """Write every stored query as a Neo4j Browser favourite (``NAME.cypher``) plus a zip of them all.

    Browser names a favourite after its first comment line; drag the zip (or the files) onto its
    Favorites panel. ``_params.cypher`` sets every parameter to its example value in one ``:params`` call.
    """
    import zipfile

    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    examples: dict[str, object] = {}
    for q in catalogue().values():
        lines = [f"// {q.name}: {q.description}"]
        for p in q.params:
            examples.setdefault(p.name, p.example)
            lines.append(f"// ${p.name} ({p.type}): {p.description} Example: :param {p.name} => "
                         f"{json.dumps(p.example, ensure_ascii=False)}")
        path = directory / f"{q.name}.cypher"
        path.write_text("\n".join(lines) + "\n" + q.cypher.strip() + "\n", encoding="utf-8")
        written.append(path)
    params = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(examples.items()))
    path = directory / "_params.cypher"
    path.write_text(f"// cikg: example values for every query parameter\n:params {{{params}}}\n", encoding="utf-8")
    written.append(path)
    archive = directory / "cikg-favorites.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in written:
            z.write(f, f.name)
    return [*written, archive]
