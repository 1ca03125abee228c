"""Every main page in a real browser: axe-core finds no serious or critical WCAG 2.1 A/AA violation.

Each page is also kept as a full-page screenshot in ``test-artifacts/screenshots/<name>.png``.
Minor and moderate findings do not fail; they are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import urllib.parse

import pytest

P1 = "https://w3id.org/stelsel/id/dera/P1"
QUERY = "SELECT ?code ?naam WHERE { ?x <http://www.w3.org/2004/02/skos/core#notation> ?code ; " \
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?naam } ORDER BY ?code LIMIT 5"

PAGES = [
    ("home", "/"),
    ("architecture-dera", "/architectuur/dera"),
    ("architecture-nora", "/architectuur/nora"),
    ("element-dera-P1", "/id/dera/P1"),
    ("architecture-gemma", "/architectuur/gemma"),
    ("element-gemma-GAP18", "/id/gemma/GAP18"),
    ("matrix", "/matrix"),
    ("alignments", "/aansluitingen?van=dera"),
    ("trace", "/trace?element=" + urllib.parse.quote(P1, safe="")),
    ("rules", "/shapes"),
    ("search", "/zoeken?q=verwijsbaar"),
    ("query", "/query"),
    ("query-answer", "/query?query=" + urllib.parse.quote(QUERY, safe="")),
    ("datasets", "/datasets"),
    ("canned-query", "/query/aansluitingen-op-vervallen-elementen"),
    ("colophon", "/colofon"),
    ("not-found", "/id/dera/does-not-exist"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_page_has_no_serious_accessibility_violations(page, axe_check, screenshot, name, path):
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), (path, response.status)
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1
    screenshot(page, name)
    minor = axe_check(page, name)
    for v in minor:
        print(f"[{name}] {v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])} nodes)")
