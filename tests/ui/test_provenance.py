"""Issue 12 item 3: who stands behind the figures, and a colophon linked from every page.

Counts come from queries made here, not from the page code.
"""

from __future__ import annotations

import pytest
from conftest import select
from test_pages import app, client, page, PAGES, parse, text_of  # noqa: F401 (app, client: the shared page fixtures)

PREFIXES = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _footer_links(tree):
    return [a.get("href") for a in tree.find(".//footer").iter("a")]


@pytest.mark.parametrize("url", PAGES + ["/colofon", "/datasets", "/datasets/validate"])
def test_every_page_links_the_colophon_and_the_datasets(client, url):
    tree = parse(page(client, url, headers={"Accept": "text/html"}))
    assert "/colofon" in _footer_links(tree), url
    nav = tree.find(".//header").find(".//nav")
    assert "/datasets" in [a.get("href") for a in nav.iter("a")], url


def test_colophon_names_owner_licences_sources_contact_and_accessibility(client, bundled):
    tree = parse(page(client, "/colofon?lang=nl"))
    main = text_of(tree.find(".//main"))
    for words in ("EUPL-1.2", "CC BY 4.0", "Contact", "Toegankelijkheid", "WCAG 2.1", "stelsel project"):
        assert words in main, words
    sources = tree.find(".//table[@class='sources']").find("tbody")
    archs = select(bundled, PREFIXES + """SELECT ?a ?n ?issued WHERE { ?a a stelsel:Architectuur .
        OPTIONAL { ?a skos:notation ?n } OPTIONAL { ?a dct:issued ?issued } }""")
    assert len(sources) == len(archs)
    shown = sorted(t.get("datetime") for r in sources for t in r.iter("time") if "Vervallen" not in text_of(r))
    issued = sorted(a["issued"] for a in archs if a["issued"])
    assert set(issued) <= set(shown) and issued, (issued, shown)
    links = [a.get("href") for a in sources.iter("a") if a.get("href", "").startswith("http")]
    assert links
    english = text_of(parse(page(client, "/colofon?lang=en")).find(".//main"))
    assert "Accessibility" in english and "Licences" in english


def _proposals(bundled):
    [row] = select(bundled, PREFIXES + """SELECT (COUNT(DISTINCT ?al) AS ?n) (GROUP_CONCAT(DISTINCT ?c) AS ?who) WHERE {
        ?al a stelsel:Aansluiting . OPTIONAL { ?al stelsel:status ?s } OPTIONAL { ?al dct:creator ?c }
        FILTER(!BOUND(?s) || ?s = stelsel:Voorgesteld) }""")
    [total] = select(bundled, PREFIXES + "SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE { ?al a stelsel:Aansluiting }")
    return int(row["n"]), int(total["n"]), row["who"]


@pytest.mark.parametrize("url", ["/", "/matrix", "/aansluitingen", "/architectuur/dera", "/id/dera/P1",
                                 "/id/nora/NAP01"])
def test_pages_with_alignment_figures_say_they_are_proposals_and_by_whom(client, bundled, url):
    proposed, total, who = _proposals(bundled)
    if not proposed:
        pytest.skip("every alignment has been adopted or withdrawn")
    for lang, words in (("nl", "voorstellen"), ("en", "proposals")):
        note = parse(page(client, f"{url}?lang={lang}")).find(".//p[@role='note']")
        assert note is not None, url
        text = text_of(note)
        assert words in text and f"{proposed:,}".replace(",", "." if lang == "nl" else ",") in text, text
        assert f"{total:,}".replace(",", "." if lang == "nl" else ",") in text
        assert all(w in text for w in who.split(" ") if w), (who, text)


def test_the_matrix_marks_a_withdrawn_architecture_and_names_its_successor(client, bundled):
    rows = select(bundled, PREFIXES + """SELECT ?a ?next WHERE { ?a a stelsel:Architectuur ;
        stelsel:status stelsel:Vervallen . OPTIONAL { ?a dct:isReplacedBy ?next } }""")
    tree = parse(page(client, "/matrix?lang=nl"))
    heads = {th.find("a").get("href"): text_of(th) for th in tree.find(".//table").find("thead").iter("th")
             if th.find("a") is not None}
    marked = [h for h in heads.values() if "vervallen" in h]
    shown = [r for r in rows if any(href.endswith("/" + r["a"].rsplit("/id/", 1)[-1]) for href in heads)]
    assert len(marked) == len(shown)
    for h in marked:
        assert "opgevolgd door" in h or not any(r["next"] for r in rows)


def test_the_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content_type.startswith("image/svg+xml")
    assert b"<svg" in icon.data
    head = parse(page(client, "/")).find(".//head")
    assert [ln.get("href") for ln in head.iter("link") if ln.get("rel") == "icon"] == ["/static/favicon.svg"]
