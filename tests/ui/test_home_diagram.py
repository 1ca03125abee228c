"""Issue 12 item 5: the home diagram's geometry, read from the generated SVG.

No arrow passes under a box other than its own two ends, no count sits on a box or on another
count, every name is whole (no "…") and fits its box, and every obligation in the data has its
arrow. Run on the bundled data and on synthetic stelsels of other shapes (a rank-skipping arrow
from a node in the middle of its row, several skips).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import select
from test_pages import app, client, page  # noqa: F401 (app, client: the shared page fixtures)

from stelsel.server.browse_svg_home import CHAR_W, stelsel_diagram

SVG = "{http://www.w3.org/2000/svg}"


def _geometry(svg_text: str):
    root = ET.fromstring(svg_text)
    nodes = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "node":
            r = g.find(SVG + "rect")
            texts = [t.text or "" for t in g.iter(SVG + "text")]
            nodes[g.get("data-iri")] = ((float(r.get("x")), float(r.get("y")), float(r.get("width")),
                                         float(r.get("height"))), texts)
    edges = []
    for p in root.iter(SVG + "path"):
        if p.get("class") == "edge":
            pts = [tuple(map(float, xy.split(","))) for xy in re.findall(r"-?[\d.]+,-?[\d.]+", p.get("d"))]
            assert re.fullmatch(r"M[\d.,]+( L[\d.,]+)+", p.get("d")), p.get("d")
            edges.append((p.get("data-from"), p.get("data-to"), pts))
    counts = []
    for g in root.iter(SVG + "g"):
        if g.get("class") == "count":
            r = g.find(SVG + "rect")
            counts.append((float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height"))))
    return nodes, edges, counts


def _inside(pt, box, pad=-1.0):
    x, y = pt
    return box[0] - pad < x < box[0] + box[2] + pad and box[1] - pad < y < box[1] + box[3] + pad


def _samples(pts, step=2.0):
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        n = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) / step))
        for i in range(n + 1):
            yield (x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n)


def _overlap(a, b):
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


def check(svg_text: str) -> None:
    nodes, edges, counts = _geometry(svg_text)
    assert nodes and edges
    for source, target, pts in edges:
        for iri, (box, _texts) in nodes.items():
            if iri in (source, target):
                continue
            hit = [p for p in _samples(pts) if _inside(p, box)]
            assert not hit, f"the arrow {source} -> {target} runs under {iri} at {hit[0]}"
        # it starts on its source's box edge and ends on its target's
        assert _inside(pts[0], nodes[source][0], pad=1.5) and _inside(pts[-1], nodes[target][0], pad=1.5)
    for c in counts:
        for iri, (box, _t) in nodes.items():
            assert not _overlap(c, box), f"a count at {c} hides under {iri}"
    for i, a in enumerate(counts):
        for b in counts[i + 1:]:
            assert not _overlap(a, b), f"two counts overlap: {a} {b}"
    for iri, (box, texts) in nodes.items():
        name = texts[0]
        assert "…" not in name, name
        assert CHAR_W * len(name) <= box[2], (name, box)


def test_the_bundled_home_diagram_hides_nothing(bundled, client):
    for lang in ("nl", "en"):
        html = page(client, f"/?lang={lang}").get_data(as_text=True)
        svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
        check(svg)
        _nodes, edges, _counts = _geometry(svg)
        drawn = {(s, t) for s, t, _ in edges}
        obligations = {(r["a"], r["t"]) for r in select(bundled, """PREFIX stelsel: <https://w3id.org/stelsel/def#>
            SELECT ?a ?t WHERE { ?a stelsel:moetAansluitenOp ?t }""")}
        assert obligations <= drawn


def _arch(iri, rank, targets, must=(), elements=10, name=None):
    return {"iri": iri, "rank": rank, "targets": list(targets), "mustAlignTo": list(must or targets),
            "elements": elements, "alignmentsOut": {t: {"voorgesteld": 3} for t in targets},
            "status": None, "name": name or iri.rsplit("/", 1)[-1]}


@pytest.mark.parametrize("shape", ["middle-skip", "two-skips", "wide-rows"])
def test_synthetic_stelsels_hide_nothing(shape):
    top = "urn:a/TOP"
    if shape == "middle-skip":
        archs = [_arch(top, 0, []), _arch("urn:a/L", 1, [top]), _arch("urn:a/M", 1, [top]),
                 _arch("urn:a/R", 1, [top]),
                 _arch("urn:a/X", 2, ["urn:a/M"]), _arch("urn:a/Y-a-rather-long-architecture-name", 2,
                                                         [top, "urn:a/L", "urn:a/R"]), _arch("urn:a/Z", 2, [])]
    elif shape == "two-skips":
        archs = [_arch(top, 0, []), _arch("urn:a/B", 1, [top]), _arch("urn:a/C", 2, [top, "urn:a/B"]),
                 _arch("urn:a/D", 2, [top, "urn:a/B"]), _arch("urn:a/E", 3, [top, "urn:a/C"])]
    else:
        archs = [_arch(top, 0, [])] + [_arch(f"urn:a/N{i}", 1, [top]) for i in range(7)]
    svg = stelsel_diagram(archs, lambda a: {"": a["name"]}, "nl")
    check(str(svg))
