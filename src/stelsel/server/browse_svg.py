"""Diagrams drawn on the server as SVG: which architecture aligns to which, and a trace.

Each SVG is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``;
the pages put the same content next to it as a table or list, so nothing is only in the picture.
No links inside: an image's content is not reachable by keyboard or screen reader, the text
alternative carries the links. Colours keep text at 4.5:1 or more against its background.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from .i18n import format_number, pick, t

INK = "#1a1a1a"
BLUE = "#1f4e79"
GREEN = "#2e6b30"
GREY = "#595959"
NODE_W, NODE_H = 156, 54


def _esc(value) -> str:
    return escape(str(value), quote=True)


def _clip(value: str, n: int) -> str:
    return value if len(value) <= n else value[: n - 1].rstrip() + "…"


def _frame(uid: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="diagram" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{uid}-title">{_esc(title)}</title><desc id="{uid}-desc">{_esc(desc)}</desc>'
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{BLUE}"/></marker>'
        f'<marker id="{uid}-arrow-grey" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{GREY}"/></marker></defs>'
        + "".join(body) + "</svg>")


def _edge(uid: str, x1: float, y1: float, x2: float, y2: float, bend: float, solid: bool, label: str | None) -> str:
    mx, my = (x1 + x2) / 2 + bend, (y1 + y2) / 2
    colour = BLUE if solid else GREY
    dash = "" if solid else ' stroke-dasharray="6 4"'
    marker = f"{uid}-arrow" if solid else f"{uid}-arrow-grey"
    path = (f'<path d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash} marker-end="url(#{marker})"/>')
    if not label:
        return path
    lx, ly = (x1 + 2 * mx + x2) / 4, (y1 + 2 * my + y2) / 4
    w = 10 + 8 * len(label)
    return (path + f'<rect x="{lx - w / 2:.1f}" y="{ly - 11:.1f}" width="{w}" height="20" rx="4" fill="#ffffff" '
            f'stroke="{colour}"/><text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-size="13" '
            f'font-weight="bold" fill="{INK}">{_esc(label)}</text>')


TRACE_ORDER = ["Kernwaarde", "Kwaliteitsdoel", "Architectuurprincipe", "Implicatie", "nora"]


def trace_layers(trace: dict) -> list[str]:
    present = {n["layer"] for n in trace["nodes"]}
    steps = sorted((p for p in present if p.startswith("step")), key=lambda p: -int(p[4:]))
    return [p for p in TRACE_ORDER if p in present] + steps + (["start"] if "start" in present else [])


def layer_name(layer: str, lang: str) -> str:
    if layer.startswith("step"):
        return t("trace.layer.step", lang, n=int(layer[4:]))
    return t(f"trace.layer.{layer}", lang)


def trace_diagram(trace: dict, name: str, lang: str) -> Markup:
    layers = trace_layers(trace)
    rows = {layer: [n for n in trace["nodes"] if n["layer"] == layer] for layer in layers}
    gap_x, gap_y, margin, left = 16, 56, 16, 150
    node_w, node_h = 140, 46
    widest = max((len(v) for v in rows.values()), default=1)
    width = left + margin + widest * node_w + (widest - 1) * gap_x
    height = margin * 2 + len(layers) * node_h + max(0, len(layers) - 1) * gap_y
    pos: dict[str, tuple[float, float]] = {}
    body: list[str] = []
    for r, layer in enumerate(layers):
        y = margin + r * (node_h + gap_y)
        items = rows[layer]
        row_w = len(items) * node_w + (len(items) - 1) * gap_x
        x0 = left + (width - left - margin - row_w) / 2
        body.append(f'<text x="8" y="{y + node_h / 2 + 5:.1f}" font-size="13" font-weight="bold" fill="{INK}">'
                    f'{_esc(_clip(layer_name(layer, lang), 20))}</text>')
        for i, n in enumerate(items):
            pos[n["iri"]] = (x0 + i * (node_w + gap_x), y)
    for e in trace["edges"]:
        if e["from"] not in pos or e["to"] not in pos:
            continue
        (sx, sy), (tx, ty) = pos[e["from"]], pos[e["to"]]
        if sy > ty:
            x1, y1, x2, y2, bend = sx + node_w / 2, sy, tx + node_w / 2, ty + node_h, 0
        elif sy < ty:
            x1, y1, x2, y2, bend = sx + node_w / 2, sy + node_h, tx + node_w / 2, ty, 0
        else:
            x1, y1, x2, y2, bend = sx + node_w / 2, sy, tx + node_w / 2, ty, 0
            body.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 - 40:.1f} {x2:.1f},{y2 - 40:.1f} {x2:.1f},{y2:.1f}" '
                        f'fill="none" stroke="{GREY}" stroke-width="1.5" stroke-dasharray="4 3" '
                        f'marker-end="url(#tr-arrow-grey)"/>')
            continue
        alignment = e["property"].startswith("http://www.w3.org/2004/02/skos/core#")
        body.append(_edge("tr", x1, y1, x2, y2, bend, not alignment, None))
    for layer in layers:
        for n in rows[layer]:
            x, y = pos[n["iri"]]
            start = n["iri"] == (trace.get("element") or {}).get("iri")
            fill = "#fff4d6" if start else "#ffffff"
            stroke = GREEN if n["layer"] in TRACE_ORDER else BLUE
            code = n.get("notation") or ""
            label = pick(n["label"], lang)
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{node_h}" rx="6" fill="{fill}" '
                        f'stroke="{stroke}" stroke-width="{3 if start else 2}"/>'
                        f'<text x="{x + node_w / 2:.1f}" y="{y + 18:.1f}" text-anchor="middle" font-size="13" '
                        f'font-weight="bold" fill="{INK}">{_esc(_clip(code or label, 18))}</text>'
                        f'<text x="{x + node_w / 2:.1f}" y="{y + 35:.1f}" text-anchor="middle" font-size="11" '
                        f'fill="{INK}">{_esc(_clip(label if code else "", 24))}</text>')
    desc = t("trace.diagram.desc", lang, nodes=len(trace["nodes"]), edges=len(trace["edges"]))
    return _frame("tr", int(width), int(height), t("trace.diagram.title", lang, name=name), desc, body)
