"""Issue 12 in a real browser: meaning, findings that lead to the fix, reachability, phone width.

- P6's broad match to IMP047 reads "P6 is smaller dan" / "P6 is narrower than" (SKOS: IMP047 is the
  broader one), and from IMP047's side "IMP047 is breder dan" / "is broader than".
- No page kind scrolls sideways at 390 px (the width of a common phone); axe stays clean there.
- A finding on /validatie leads in one click to the alignment or element to change.
- The datasets pages are reachable from home; the colophon is linked from every page's footer.

Screenshots go to test-artifacts/screenshots/ (not in git).
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

P1 = "https://w3id.org/stelsel/id/dera/P1"
PHONE = {"width": 390, "height": 844}

PAGE_KINDS = [
    ("home", "/"),
    ("architecture", "/architectuur/dera"),
    ("architecture-nora", "/architectuur/nora"),
    ("element", "/id/dera/P6"),
    ("element-nora", "/id/nora/NAP01"),
    ("architecture-gemma", "/architectuur/gemma"),  # the largest member: about 3,000 elements
    ("element-gemma", "/id/gemma/GAP18"),  # GEMMA's own links to NORA, and the Suggesties section
    ("term", "/def/Architectuurprincipe"),
    ("matrix", "/matrix"),
    ("alignments", "/aansluitingen"),
    ("trace", "/trace?element=" + urllib.parse.quote(P1, safe="")),
    ("validation", "/validatie"),
    ("rules", "/shapes"),
    ("search", "/zoeken?q=vindbaar"),
    ("query", "/query?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 5", safe="")),
    ("canned-query", "/query/aansluitingen-op-vervallen-elementen"),
    ("graphs", "/-/graphs"),
    ("datasets", "/datasets"),
    ("datasets-validate", "/datasets/validate"),
    ("colophon", "/colofon"),
    ("not-found", "/id/dera/does-not-exist"),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_p6_broad_match_reads_right_from_both_sides(page, lang):
    page.goto(f"/id/dera/P6?lang={lang}")
    out = page.get_by_role("region", name=re.compile(r"^(Aansluitingen van dit element|Alignments of this element)"))
    row = out.get_by_role("row").filter(has_text="IMP047")
    expect(row).to_contain_text("P6 is smaller dan" if lang == "nl" else "P6 is narrower than")
    row.get_by_role("link", name=re.compile(r"^IMP047 ")).click()
    expect(page).to_have_url(re.compile(r"/id/nora/IMP047"))
    back = page.get_by_role("region", name=re.compile(r"^(Aangesloten vanuit|Aligned from)")).get_by_role("row") \
        .filter(has=page.get_by_role("link", name=re.compile(r"^P6 Zorg dat|^P6 ")))
    expect(back.first).to_contain_text("IMP047 is breder dan" if lang == "nl" else "IMP047 is broader than")


@pytest.mark.parametrize(("name", "path"), PAGE_KINDS, ids=[n for n, _ in PAGE_KINDS])
def test_no_sideways_scrolling_at_phone_width(browser, base_url, axe_check, screenshot, name, path, e2e_app):
    if name == "validation":
        e2e_app.extensions["stelsel.validation"].wait(timeout=90)
    context = browser.new_context(base_url=base_url, locale="nl-NL", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        pg = context.new_page()
        pg.goto(path)
        sizes = pg.evaluate("""() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
            inner: window.innerWidth,
            wide: [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0 &&
                    !e.closest('.table-wrap, .scroll-x, pre, svg');
            }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))})""")
        assert sizes["doc"] <= PHONE["width"] and sizes["body"] <= PHONE["width"], (path, sizes)
        assert not sizes["wide"], (path, sizes["wide"])
        header = pg.evaluate("() => document.querySelector('header.site').getBoundingClientRect().width")
        assert header >= PHONE["width"] - 1, f"the header background stops short: {header}px"
        screenshot(pg, f"phone-{name}")
        axe_check(pg, f"phone {name}")
    finally:
        context.close()


def test_a_finding_leads_in_one_click_to_what_to_change(page, e2e_app, screenshot):
    state = e2e_app.extensions["stelsel.validation"].wait(timeout=90)
    assert state.state == "ready", (state.state, state.reason)
    page.goto("/validatie")
    table = page.get_by_role("table", name=re.compile(r"^Bevindingen"))
    first = table.locator("tbody tr").first
    fix = first.locator("th a").first
    target = fix.get_attribute("href")
    assert target and target.startswith("/id/"), target
    name = fix.inner_text().strip()
    screenshot(page, "validation")
    fix.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # the page of the thing to change lists the finding too, or is the alignment itself
    assert page.title(), name


def test_datasets_are_reachable_from_home_and_colophon_from_every_page(page):
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Datasets").click()
    expect(page).to_have_url(re.compile(r"/datasets$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for _name, path in PAGE_KINDS:
        page.goto(path)
        expect(page.get_by_role("contentinfo").get_by_role("link", name=re.compile("^Colofon"))).to_be_visible()
    page.get_by_role("contentinfo").get_by_role("link", name=re.compile("^Colofon")).click()
    expect(page).to_have_url(re.compile(r"/colofon$"))
    expect(page.get_by_role("heading", level=2, name="Licenties")).to_be_visible()


def test_a_page_waiting_for_the_validation_refreshes_itself_when_it_is_ready(browser, e2e_app):
    """A second app on the same store whose validation we hold 'running', then make 'ready'."""
    from endpoint.live import serving

    from stelsel.findings import Report
    from stelsel.server import create_app
    from stelsel.server.browse_validation import ValidationState

    store = e2e_app.extensions["stelsel.store"]
    app = create_app(e2e_app.config["STELSEL"], store=store)
    cache = app.extensions["stelsel.validation"]
    cache._current = ValidationState("running", store.version())
    with serving(app, threads=4) as url:
        context = browser.new_context(base_url=url, locale="nl-NL")
        try:
            pg = context.new_page()
            pg.goto("/validatie")
            expect(pg.get_by_role("status")).to_contain_text("ververst zich vanzelf")
            cache._current = ValidationState("ready", store.version(), report=Report(findings=[], engine="test",
                                                                                     seconds=0.1))
            expect(pg.get_by_text(re.compile(r"^0 bevindingen: 0 overtredingen"))).to_be_visible(timeout=15_000)
            expect(pg.get_by_role("status")).to_have_count(0)
        finally:
            context.close()
