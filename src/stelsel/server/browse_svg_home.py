"""The home diagram: architectures in ranks (NORA on top), an arrow per obligation or alignment.

Laid out so that nothing hides: node boxes are as wide as their whole name; an arrow between
neighbouring ranks is a straight line through the gap between the rows (where no box is); an arrow
that skips a rank runs in a lane of its own to the right of every box, along the gaps; each count
sits on its arrow where it overlaps no box and no other count. Every edge is a polyline (``M``/``L``)
so the test can check the geometry: tests/ui/test_home_diagram.py.
"""

from __future__ import annotations

from .browse_svg import BLUE, GREY, INK, _esc, _frame
from .i18n import format_number, pick, t

NODE_H, GAP_X, GAP_Y, MARGIN, LANE = 54, 36, 110, 24, 34
CHAR_W = 9.0          # a generous average width of a bold 15 px character
LABEL_H = 20
DASHED = ' stroke-dasharray="5 3"'


def node_width(name: str) -> float:
    return max(150.0, CHAR_W * len(name) + 28)


def _label_box(x: float, y: float, text: str) -> tuple[float, float, float, float]:
    w = 12 + 8 * len(text)
    return (x - w / 2, y - LABEL_H / 2, w, LABEL_H)


def _overlaps(a, b, pad: float = 3) -> bool:
    return not (a[0] + a[2] + pad <= b[0] or b[0] + b[2] + pad <= a[0] or
                a[1] + a[3] + pad <= b[1] or b[1] + b[3] + pad <= a[1])


def _free_right(box, boxes) -> bool:
    """No other box to the right of ``box`` in its row: an arrow may leave or enter by its right side."""
    return not any(b[1] == box[1] and b[0] > box[0] for b in boxes.values())


def stelsel_diagram(archs: list[dict], short_name, lang: str) -> str:
    shown = [a for a in archs if a["elements"] or a["targets"] or any(a["iri"] in b["targets"] for b in archs)]
    by_rank: dict[int, list[dict]] = {}
    for a in shown:
        by_rank.setdefault(a["rank"], []).append(a)
    ranks = sorted(by_rank)
    row_of = {a["iri"]: r for r, rank in enumerate(ranks) for a in by_rank[rank]}
    names = {a["iri"]: pick(short_name(a), lang) for a in shown}
    widths = {iri: node_width(n) for iri, n in names.items()}
    edges = [(a, target) for a in shown for target in a["targets"] if target in row_of]
    skips = [(a, target) for a, target in edges if row_of[a["iri"]] - row_of[target] != 1]
    row_w = {r: sum(widths[a["iri"]] for a in by_rank[rank]) + GAP_X * (len(by_rank[rank]) - 1)
             for r, rank in enumerate(ranks)}
    inner = max(row_w.values(), default=150)
    width = MARGIN * 2 + inner + (LANE * len(skips) + 16 if skips else 0)
    height = MARGIN * 2 + len(ranks) * NODE_H + (len(ranks) - 1) * GAP_Y
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for r, rank in enumerate(ranks):
        x = MARGIN + (inner - row_w[r]) / 2
        for a in by_rank[rank]:
            boxes[a["iri"]] = (x, MARGIN + r * (NODE_H + GAP_Y), widths[a["iri"]], NODE_H)
            x += widths[a["iri"]] + GAP_X

    def ports(iri: str, partners: list[str], side: str) -> dict[str, float]:
        """Spread the arrows over a box's top or bottom edge, in the order of their partners' x."""
        x, _y, w, _h = boxes[iri]
        order = sorted(partners, key=lambda p: boxes[p][0] + boxes[p][2] / 2)
        return {p: x + w * (i + 1) / (len(order) + 1) for i, p in enumerate(order)}

    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = {}
    for a, target in edges:
        outgoing.setdefault(a["iri"], []).append(target)
        incoming.setdefault(target, []).append(a["iri"])
    out_ports = {iri: ports(iri, ts, "top") for iri, ts in outgoing.items()}
    in_ports = {iri: ports(iri, ss, "bottom") for iri, ss in incoming.items()}

    placed: list[tuple[float, float, float, float]] = []
    body: list[str] = []
    labels: list[str] = []
    lane_x = MARGIN + inner + 16
    for a, target in edges:
        source = a["iri"]
        counts = a["alignmentsOut"].get(target, {})
        n = format_number(sum(v for k, v in counts.items() if k != "vervallen"), lang)
        solid = target in a["mustAlignTo"]
        sx, sy = out_ports[source][target], boxes[source][1]
        tx, ty = in_ports[target][source], boxes[target][1] + NODE_H
        if (a, target) in skips:
            k = skips.index((a, target))
            lx = lane_x + k * LANE
            y_low = sy - 14 - 6 * k
            y_high = ty + 14 + 6 * k
            sb, tb = boxes[source], boxes[target]
            start = [(sb[0] + sb[2], sb[1] + NODE_H / 2 + 6 * k)] if _free_right(sb, boxes) else \
                [(sx, sy), (sx, y_low)]
            end = [(tb[0] + tb[2], tb[1] + NODE_H / 2 + 6 * k)] if _free_right(tb, boxes) else \
                [(tx, y_high), (tx, ty)]
            points = start + [(lx, start[-1][1]), (lx, end[0][1])] + end
            y_low, y_high = start[-1][1], end[0][1]
            candidates = [(lx, (y_low + y_high) / 2 + d) for d in (0, -30, 30, -60, 60)]
        else:
            points = [(sx, sy), (tx, ty)]
            candidates = [(sx + (tx - sx) * f, sy + (ty - sy) * f) for f in (0.5, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8)]
        spot = next((c for c in candidates
                     if not any(_overlaps(_label_box(*c, n), b) for b in list(boxes.values()) + placed)),
                    candidates[0])
        box = _label_box(*spot, n)
        placed.append(box)
        colour = BLUE if solid else GREY
        dash = "" if solid else ' stroke-dasharray="6 4"'
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<path class="edge" data-from="{_esc(source)}" data-to="{_esc(target)}" d="{d}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"{dash} marker-end="url(#st-arrow{"" if solid else "-grey"})"/>')
        labels.append(f'<g class="count"><rect x="{box[0]:.1f}" y="{box[1]:.1f}" width="{box[2]:.1f}" '
                      f'height="{box[3]}" rx="4" fill="#ffffff" stroke="{colour}"/><text x="{spot[0]:.1f}" '
                      f'y="{spot[1] + 4.5:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
                      f'fill="{INK}">{_esc(n)}</text></g>')
    for a in shown:
        x, y, w, h = boxes[a["iri"]]
        withdrawn = a.get("status") == "vervallen"
        body.append(f'<g class="node" data-iri="{_esc(a["iri"])}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                    f'height="{h}" rx="8" fill="#ffffff" stroke="{GREY if withdrawn else BLUE}" stroke-width="2"'
                    f'{DASHED if withdrawn else ""}/>'
                    f'<text x="{x + w / 2:.1f}" y="{y + 22:.1f}" text-anchor="middle" font-size="15" '
                    f'font-weight="bold" fill="{INK}">{_esc(names[a["iri"]])}</text>'
                    f'<text x="{x + w / 2:.1f}" y="{y + 41:.1f}" text-anchor="middle" font-size="12" '
                    f'fill="{INK}">{_esc(format_number(a["elements"], lang))} {_esc(t("elements", lang).lower())}'
                    f'{_esc(" · " + t("status.vervallen", lang)) if withdrawn else ""}</text></g>')
    return _frame("st", int(width), int(height), t("home.diagram.title", lang), t("home.diagram.desc", lang),
                  body + labels)
