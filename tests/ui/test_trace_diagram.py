"""Issue 12 item 5: the trace diagram fits the page, starts on the left and keeps labels whole."""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from test_pages import app, client, ID, page  # noqa: F401 (app, client: the shared page fixtures)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("element", ["dera/P1", "dera/P6", "nora/IMP047", "ocw/PD1"])
def test_trace_diagram_fits_starts_left_and_keeps_labels_whole(client, element):
    iri = ID + element
    html = page(client, "/trace?element=" + urllib.parse.quote(iri)).get_data(as_text=True)
    data = page(client, "/trace.json?element=" + urllib.parse.quote(iri)).get_json()
    if not data["nodes"]:
        pytest.skip(f"{element} has no trace in today's data")
    svg = ET.fromstring(re.search(r"<svg .*?</svg>", html, re.S).group(0))
    assert float(svg.get("width")) <= 1248, "wider than the page's content column (80rem - padding)"
    nodes = [g for g in svg.iter(SVG + "g") if g.get("class") == "node"]
    assert len(nodes) == len(data["nodes"])
    xs = {}
    for g in nodes:
        texts = [t.text or "" for t in g.iter(SVG + "text")]
        assert not any("…" in t for t in texts), texts
        xs[texts[0]] = float(g.find(SVG + "rect").get("x"))
    labels = {" ".join(t.text or "" for t in list(g.iter(SVG + "text"))[1:]) for g in nodes}
    for n in data["nodes"]:
        assert any(" ".join((n["label"].get("nl") or "").split()) == lab for lab in labels), n["label"]
    start = data["element"]["notation"]
    assert xs[start] == min(xs.values()), "the start is not the leftmost node"
