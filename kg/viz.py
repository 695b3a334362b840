"""``kg viz ENTITY [--hops N] -o FILE.html|FILE.svg|FILE.png``: an entity's neighbourhood as a picture.

* ``.html``: a standalone interactive page, the same graph as ``kg serve``'s (Cytoscape.js, inlined: it works
  offline, from a file, and its Content Security Policy lets only that script run);
* ``.svg``: a static picture for reports, drawn here: NetworkX's spring layout (seeded, so the same graph gives
  the same picture), colours and sizes from the GraSS style (``ontology/neo4j/style.grass``), every caption
  escaped. No browser is needed;
* ``.png``: that SVG rasterised by headless Chromium (``$CHROMIUM``, else ``chromium`` / ``chromium-browser`` /
  ``google-chrome`` on the PATH; Debian: ``apt-get install chromium``). Why Chromium rather than a Python
  plotting library: the SVG is the picture, and Chromium renders it as any browser shows the SVG file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from ingest.model import InputError
from kg.facts import MAX_HOPS, Style, grass_styles, neighbourhood, style_for
from kg.store import Workspace

FORMATS = (".html", ".svg", ".png")


def graph_json(ws: Workspace, iri: str, hops: int = 1, types: list[str] | None = None) -> dict[str, object]:
    """The neighbourhood as the page's script reads it: nodes, edges, the GraSS styles, the centre's label."""
    nb = neighbourhood(ws, iri, hops, types)
    out = nb.to_dict()
    out["label"] = nb.nodes[iri].label if iri in nb.nodes else iri
    out["styles"] = {k: {"color": s.color, "border": s.border, "text": s.text, "diameter": s.diameter}
                     for k, s in grass_styles().items()}
    return out


def resolve(ws: Workspace, name: str) -> tuple[str, str]:
    """(IRI, label) of the workspace entity ``name`` names (label, alias, ticker; else an error with close names)."""
    from kg.names import name_index

    found = name_index(ws).resolve(name)
    return found.iri, found.label


def draw(ws: Workspace, name: str, output: str | os.PathLike[str], hops: int = 1,
         types: list[str] | None = None) -> Path:
    """Write the neighbourhood of ``name`` to ``output`` (its suffix chooses the format); returns the path."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"-o {str(output)!r}: the file name must end in .html, .svg or .png")
    if not 1 <= hops <= MAX_HOPS:
        raise InputError(f"--hops must be from 1 to {MAX_HOPS}, got {hops}")
    iri, _ = resolve(ws, name)
    data = graph_json(ws, iri, hops, types)
    if suffix == ".html":
        text = standalone_html(data)
        _write(path, text.encode("utf-8"))
    elif suffix == ".svg":
        _write(path, to_svg(data).encode("utf-8"))
    else:
        svg = to_svg(data)
        width, height = _size(svg)
        _write(path, svg_to_png(svg, width, height))
    return path


def _write(path: Path, body: bytes) -> None:
    from kg.export import output_path, replacing

    target = output_path(path)
    with replacing(target) as f:
        f.write(body)


def standalone_html(data: dict[str, object]) -> str:
    """One HTML file: the graph data, the page's script and style inlined, allowed by their hashes only."""
    from kg.web.render import STATIC, render

    script = (STATIC / "app.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (STATIC / "app.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    csp = (f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(css)}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    return render("viz.html", data=data, script=script, css=css, csp=csp, label=data.get("label", ""))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


# --- SVG ----------------------------------------------------------------------------------------------------


def _layout(data: dict[str, object]) -> dict[str, tuple[float, float]]:
    import networkx as nx

    g: nx.Graph[str] = nx.Graph()
    nodes = data["nodes"]
    edges = data["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["source"], e["target"]) for e in edges)
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    pos = nx.spring_layout(g, seed=7, k=2.2 / math.sqrt(len(g)), iterations=200)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _caption(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def to_svg(data: dict[str, object], width: int = 1400, height: int = 1000) -> str:
    """The neighbourhood as an SVG document (see the module docstring)."""
    nodes: list[dict[str, object]] = data["nodes"]  # type: ignore[assignment]
    edges: list[dict[str, object]] = data["edges"]  # type: ignore[assignment]
    styles = grass_styles()
    pos = _layout(data)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    margin = 90
    sx = (width - 2 * margin) / max(1e-9, max(xs) - min(xs)) if max(xs) > min(xs) else 0
    sy = (height - 2 * margin - 40) / max(1e-9, max(ys) - min(ys)) if max(ys) > min(ys) else 0

    def at(n: str) -> tuple[float, float]:
        x, y = pos[n]
        return (margin + (x - min(xs)) * sx if sx else width / 2,
                margin + 40 + (y - min(ys)) * sy if sy else height / 2)

    def radius(s: Style, center: bool) -> float:
        return s.diameter * 0.3 + (6 if center else 0)

    kind = {str(n["id"]): str(n["type"]) for n in nodes}
    center = str(data["center"])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
           'markerWidth="9" markerHeight="9" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8a909c"/></marker></defs>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="24" y="36" font-size="22" fill="#1d2330">Neighbourhood of {escape(str(data.get("label", "")))}'
           f' ({data.get("hops")} hop{"s" if data.get("hops") != 1 else ""}, {len(nodes)} entities, {len(edges)} facts)'
           '</text>']
    for e in edges:
        a, b = str(e["source"]), str(e["target"])
        (x1, y1), (x2, y2) = at(a), at(b)
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ra = radius(style_for(styles, kind[a]), a == center)
        rb = radius(style_for(styles, kind[b]), b == center) + 2
        x1, y1 = x1 + (x2 - x1) * ra / d, y1 + (y2 - y1) * ra / d
        x2, y2 = x2 - (x2 - x1) * rb / d, y2 - (y2 - y1) * rb / d
        stroke = 1 + min(4, int(e.get("sources") or 1) // 2)  # type: ignore[call-overload]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#A5ABB6" '
                   f'stroke-width="{stroke}" marker-end="url(#arrow)"/>')
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        out.append(f'<text x="{mx:.1f}" y="{my - 3:.1f}" font-size="10" fill="#6b7383" text-anchor="middle">'
                   f'{escape(str(e["type"]))}</text>')
    for n in nodes:
        i = str(n["id"])
        s = style_for(styles, str(n["type"]))
        x, y = at(i)
        r = radius(s, i == center)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{s.color}" stroke="{s.border}" '
                   f'stroke-width="{5 if i == center else 2}"><title>{escape(str(n["label"]))} '
                   f'({escape(str(n["type"]))})</title></circle>')
        weight = ' font-weight="bold"' if i == center else ""
        out.append(f'<text x="{x:.1f}" y="{y + r + 14:.1f}" font-size="{13 if i == center else 12}" fill="#1d2330" '
                   f'text-anchor="middle"{weight}>{escape(_caption(str(n["label"])))}</text>')
    legend = sorted({str(n["type"]) for n in nodes})
    for k, t in enumerate(legend):
        s = style_for(styles, t)
        out.append(f'<circle cx="{34 + 130 * k}" cy="{height - 24}" r="8" fill="{s.color}" stroke="{s.border}"/>'
                   f'<text x="{48 + 130 * k}" y="{height - 20}" font-size="12" fill="#1d2330">{escape(t)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _size(svg: str) -> tuple[int, int]:
    import re

    m = re.search(r'width="(\d+)" height="(\d+)"', svg)
    return (int(m.group(1)), int(m.group(2))) if m else (1400, 1000)


def chromium() -> str:
    """The Chromium to drive: ``$CHROMIUM``, else the first on the PATH; an error saying how to get one."""
    env = os.environ.get("CHROMIUM")
    if env:
        if shutil.which(env) or Path(env).is_file():
            return env
        raise InputError(f"CHROMIUM={env!r} is not an executable")
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise InputError("a PNG needs headless Chromium, and none was found (Debian: apt-get install chromium; or set "
                     "CHROMIUM=/path/to/chrome); an .svg or .html needs none")


def svg_to_png(svg: str, width: int, height: int, timeout: float = 90) -> bytes:
    """``svg`` as a PNG of ``width`` x ``height``, taken by headless Chromium."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="kg-viz-") as tmp:
        src = Path(tmp) / "graph.svg"
        src.write_text(svg, encoding="utf-8")
        png = Path(tmp) / "graph.png"
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp}/profile", f"--window-size={width},{height}", f"--screenshot={png}",
               src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(f"Chromium did not take the picture within {timeout:g} s") from None
        if not png.is_file():
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise InputError(f"Chromium could not take the picture (exit {proc.returncode}): {tail}")
        return png.read_bytes()


def graph_for_json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False)
