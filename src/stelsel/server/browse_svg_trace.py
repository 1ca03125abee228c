"""The trace diagram: from the element on the left to NORA's core values on the right.

One column per layer (start, steps, implications, principles, quality goals, core values); within a
column the nodes are ordered by the mean position of their neighbours (fewer crossings); each node
shows its code and its whole label, wrapped over as many lines as it needs. The SVG scales down to
the page width (``max-width: 100%``); the page lists the same paths as text.
"""

from __future__ import annotations

import textwrap

from markupsafe import Markup

from .browse_svg import BLUE, GREEN, GREY, INK, TRACE_ORDER, _esc, _frame, layer_name, trace_layers
from .i18n import pick, t

NODE_W, GAP_X, GAP_Y, MARGIN, TOP = 168, 40, 10, 12, 34
WRAP = 26          # characters per line of an 11 px label in a 168 px box
LINE_H = 13
MAX_W = 1248       # the page's content column (80rem less padding): a wider trace gets narrower boxes


def _lines(label: str, wrap: int = WRAP) -> list[str]:
    return textwrap.wrap(label, wrap, break_long_words=True) or [""]


def _node_width(columns: int) -> int:
    """Box width for ``columns`` layers: :data:`NODE_W`, or less so the diagram fits :data:`MAX_W`."""
    fit = (MAX_W - 2 * MARGIN - max(0, columns - 1) * GAP_X) // max(1, columns)
    return int(min(NODE_W, fit))


def trace_diagram(trace: dict, name: str, lang: str) -> Markup:
    layers = list(reversed(trace_layers(trace)))           # start on the left
    column = {n["iri"]: layers.index(n["layer"]) for n in trace["nodes"] if n["layer"] in layers}
    nodes = {n["iri"]: n for n in trace["nodes"] if n["iri"] in column}
    neighbours: dict[str, list[str]] = {iri: [] for iri in nodes}
    for e in trace["edges"]:
        if e["from"] in nodes and e["to"] in nodes:
            neighbours[e["from"]].append(e["to"])
            neighbours[e["to"]].append(e["from"])
    order: dict[str, float] = {}
    cols: list[list[str]] = [[] for _ in layers]
    for iri in sorted(nodes, key=lambda i: (nodes[i].get("notation") or "", i)):
        cols[column[iri]].append(iri)
    for sweep in range(2):                                  # barycentre ordering, left to right
        for c, members in enumerate(cols):
            for i, iri in enumerate(members):
                order.setdefault(iri, float(i))
            if c == 0 and sweep == 0:
                continue

            def centre(iri, c=c):
                near = [order[n] for n in neighbours[iri] if n in order and column[n] != c]
                return sum(near) / len(near) if near else order[iri]
            members.sort(key=centre)
            for i, iri in enumerate(members):
                order[iri] = float(i)
    node_w = _node_width(len(layers))
    texts = {iri: _lines(pick(n["label"], lang), WRAP * node_w // NODE_W) for iri, n in nodes.items()}
    heights = {iri: 26 + LINE_H * len(texts[iri]) for iri in nodes}
    col_h = [sum(heights[i] for i in members) + GAP_Y * max(0, len(members) - 1) for members in cols]
    height = TOP + MARGIN + max(col_h, default=0) + MARGIN
    width = MARGIN * 2 + len(layers) * node_w + (len(layers) - 1) * GAP_X
    boxes: dict[str, tuple[float, float, float]] = {}
    for c, members in enumerate(cols):
        x = MARGIN + c * (node_w + GAP_X)
        y = TOP + MARGIN + (max(col_h) - col_h[c]) / 2
        for iri in members:
            boxes[iri] = (x, y, heights[iri])
            y += heights[iri] + GAP_Y
    body: list[str] = []
    for c, layer in enumerate(layers):
        x = MARGIN + c * (node_w + GAP_X) + node_w / 2
        body.append(f'<text x="{x:.1f}" y="{MARGIN + 12}" text-anchor="middle" font-size="12" font-weight="bold" '
                    f'fill="{INK}">{_esc(layer_name(layer, lang))}</text>')
    for e in trace["edges"]:
        if e["from"] not in boxes or e["to"] not in boxes:
            continue
        (sx, sy, sh), (tx, ty, th) = boxes[e["from"]], boxes[e["to"]]
        alignment = e["property"].startswith("http://www.w3.org/2004/02/skos/core#")
        colour = GREY if alignment else BLUE
        dash = ' stroke-dasharray="5 3"' if alignment else ""
        marker = "tr-arrow-grey" if alignment else "tr-arrow"
        if column[e["from"]] == column[e["to"]]:          # within a column: a bow on the right
            x1, y1, y2 = sx + node_w, sy + sh / 2, ty + th / 2
            d = f"M{x1:.1f},{y1:.1f} C{x1 + 30:.1f},{y1:.1f} {x1 + 30:.1f},{y2:.1f} {x1:.1f},{y2:.1f}"
        else:
            forward = column[e["from"]] < column[e["to"]]
            x1 = sx + node_w if forward else sx
            x2 = tx if forward else tx + node_w
            y1, y2 = sy + sh / 2, ty + th / 2
            mid = (x1 + x2) / 2
            d = f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.5"{dash} '
                    f'marker-end="url(#{marker})"/>')
    start_iri = (trace.get("element") or {}).get("iri")
    for iri, (x, y, h) in boxes.items():
        n = nodes[iri]
        start = iri == start_iri
        stroke = GREEN if n["layer"] in TRACE_ORDER else BLUE
        parts = [f'<g class="node"><rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h}" rx="6" '
                 f'fill="{"#fff4d6" if start else "#ffffff"}" stroke="{stroke}" stroke-width="{3 if start else 2}"/>',
                 f'<text x="{x + 8:.1f}" y="{y + 16:.1f}" font-size="12" font-weight="bold" fill="{INK}">'
                 f'{_esc(n.get("notation") or "")}</text>']
        for i, line in enumerate(texts[iri]):
            parts.append(f'<text x="{x + 8:.1f}" y="{y + 30 + i * LINE_H:.1f}" font-size="11" fill="{INK}">'
                         f'{_esc(line)}</text>')
        body.append("".join(parts) + "</g>")
    desc = t("trace.diagram.desc", lang, nodes=len(trace["nodes"]), edges=len(trace["edges"]))
    return _frame("tr", int(width), int(height), t("trace.diagram.title", lang, name=name), desc, body)


def path_tree(paths: list[list[dict]]) -> list[dict]:
    """The paths as a tree from the start: each step once, its continuations below it."""
    root: dict = {"children": {}}
    for path in paths:
        here = root
        for step in path[1:]:
            key = (step["property"], step["node"]["iri"])
            here = here["children"].setdefault(key, {"step": step, "children": {}})

    def listed(node):
        return [{"step": child["step"], "children": listed(child)} for child in node["children"].values()]
    return listed(root)
