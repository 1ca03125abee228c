"""A person's way through the UI in a real browser, by roles and accessible names only.

Home → search "verwijsbaar" → the DERA principle P6 → its alignment to a NORA implicatie →
that element's trace to NORA's core values → the coverage matrix → English, which sticks
(cookie ``stelsel_lang``) on the next page.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_journey_from_search_to_trace_matrix_and_english(page, screenshot):
    # Home, in Dutch by default.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Het stelsel in één oogopslag")

    # Search for a DERA principle with the search box in the page header.
    header_search = page.get_by_role("banner").get_by_role("search")
    header_search.get_by_label("Zoek een element").fill("verwijsbaar")
    header_search.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"/zoeken\?q=verwijsbaar$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("verwijsbaar")
    results = page.get_by_role("table", name="Gevonden elementen")
    expect(results.get_by_role("row")).to_have_count(3)  # the header and two results
    screenshot(page, "journey-1-search")

    # Open the DERA principle.
    results.get_by_role("link", name=re.compile(r"^P6 Zorg dat erfgoedinformatie verwijsbaar is")).click()
    expect(page).to_have_url(re.compile(r"/id/dera/P6$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("P6 Zorg dat erfgoedinformatie verwijsbaar is")
    crumbs = page.get_by_role("navigation", name="Kruimelpad")
    expect(crumbs.get_by_role("link", name="DERA")).to_be_visible()

    # Follow its alignment to NORA: the alignments table names the NORA element it aligns to.
    alignments = page.get_by_role("region", name=re.compile(r"^Aansluitingen van dit element"))
    row = alignments.get_by_role("row").filter(has_text="IMP047")
    expect(row).to_contain_text("P6 is smaller dan")  # SKOS: P6 broadMatch IMP047, so IMP047 is broader
    expect(row).to_contain_text("voorgesteld")
    row.get_by_role("link", name=re.compile(r"^IMP047 ")).click()
    expect(page).to_have_url(re.compile(r"/id/nora/IMP047$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pas de FAIR dataprincipes toe")
    expect(page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="NORA")).to_be_visible()
    # ... and the alignment is visible from the NORA side too, pointing back at P6.
    expect(page.get_by_role("link", name=re.compile(r"^P6 Zorg dat erfgoedinformatie verwijsbaar is"))
           .first).to_be_visible()

    # The trace from there up to NORA's core values.
    page.get_by_role("link", name="Spoor naar de NORA-kernwaarden").click()
    expect(page).to_have_url(re.compile(r"/trace\?element=https?(%3A|:)//w3id\.org/stelsel/id/nora/IMP047$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("IMP047")
    expect(page.get_by_role("img").first).to_be_visible()  # the layered SVG, role="img" with a name
    expect(page.get_by_role("heading", name="Bereikte kernwaarden")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^KW\d\d ")).first).to_be_visible()
    screenshot(page, "journey-2-trace")

    # The coverage matrix, from the main navigation.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dekkingsmatrix").click()
    expect(page).to_have_url(re.compile(r"/matrix$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dekkingsmatrix: NORA-architectuurprincipes per architectuur")
    matrix = page.get_by_role("table", name=re.compile(r"^Aantal aansluitingen per NORA-architectuurprincipe"))
    expect(matrix.get_by_role("columnheader", name="DERA")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name=re.compile(r"^NAP01 "))).to_be_visible()
    expect(matrix.get_by_role("rowheader", name=re.compile(r"^NAP17 "))).to_be_visible()
    expect(page.get_by_role("group", name="Status van de aansluitingen").get_by_label("voorgesteld")).to_be_checked()

    # Switch to English: the labels change, and the choice sticks on the next page (cookie).
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Coverage matrix"))
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("stelsel_lang") == "en", cookies
    screenshot(page, "journey-3-matrix-en")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Overview").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("The stelsel at a glance")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Coverage matrix")).to_be_visible()
    expect(page.get_by_role("banner").get_by_label("Search an element")).to_be_visible()

    # And back to Dutch.
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Het stelsel in één oogopslag")
