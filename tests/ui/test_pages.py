"""The browsing UI (issue 5) through the Flask test client, on the bundled stelsel.

What a person would see: the right counts, the right links, both languages, and pages that are
well-formed HTML with one <h1>, a <main> and a lang attribute. Numbers the pages show are
checked against SPARQL counts made here, independently of the page code.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import urllib.parse

import html5lib
import pytest
import rdflib
from conftest import REPO, select

from stelsel.config import Config
from stelsel.findings import Finding, Report, Severity
from stelsel.server import create_app, i18n
from stelsel.server.browse_validation import ValidationState

ID = "https://w3id.org/stelsel/id/"
DEF = "https://w3id.org/stelsel/def#"
NAP01 = ID + "nora/NAP01"
P1 = ID + "dera/P1"
TEMPLATES = REPO / "src" / "stelsel" / "server" / "templates"

PREFIXES = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
"""


def new_app(store):
    return create_app(Config(store=store.path, content_root=REPO, query_workers=0), store=store)


@pytest.fixture(scope="session")
def app(bundled):
    """The app the page tests share; the real validator runs in one test of its own (it is slow)."""
    app = new_app(bundled)
    app.extensions["stelsel.validation"].disabled = "not run for the page tests"
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, url, **kw):
    response = client.get(url, **kw)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response


def parse(response):
    """The HTML as an ElementTree (no namespaces); fails on any parse error (strict)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(response.data)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


SVG = "{http://www.w3.org/2000/svg}"


def find_all(tree, tag):
    return list(tree.iter(tag))


def svg_parts(svg):
    return svg.find(SVG + "title"), svg.find(SVG + "desc")


# -- every page, and every twin ---------------------------------------------------------------------------
PAGES = [
    "/", "/?lang=en", "/architectuur/nora", "/architectuur/dera", "/architectuur/rosa-2022", "/architectuur/rosa-2024",
    "/architectuur/ear", "/architectuur/ocw", "/id/nora/NAP01", "/id/dera/P1", "/id/nora", "/id/nora/laag-1",
    "/def/Architectuurprincipe", "/def/realiseert", "/matrix", "/matrix?status=vervallen",
    "/aansluitingen", "/aansluitingen?van=dera&naar=nora", "/aansluitingen?van=dera&principe=NAP01",
    "/trace", "/trace?element=" + urllib.parse.quote(P1), "/validatie", "/shapes", "/zoeken", "/zoeken?q=vindbaar",
    "/zoeken?architectuur=dera&soort=Architectuurprincipe", "/query", "/query/spoor-naar-kernwaarden",
    "/query/dekkingsmatrix-nora-principes", "/-/graphs",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_well_formed_html_with_one_h1_a_main_and_a_language(client, url):
    response = page(client, url)
    assert response.content_type.startswith("text/html")
    tree = parse(response)
    html = tree if tree.tag == "html" else tree.find(".//html")
    assert html.get("lang") in ("nl", "en")
    assert len(find_all(tree, "h1")) == 1
    assert len(find_all(tree, "main")) == 1
    assert tree.find(".//a[@class='skip']").get("href") == "#main"
    for control in tree.iter():
        if control.tag in ("input", "select", "textarea") and control.get("type") not in ("hidden", "submit"):
            ident = control.get("id")
            assert ident and tree.find(f".//label[@for='{ident}']") is not None, (url, control.tag, control.attrib)
    for table in find_all(tree, "table"):
        assert table.find("caption") is not None, url
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th")), url
    for svg in find_all(tree, SVG + "svg"):
        title, desc = svg_parts(svg)
        assert svg.get("role") == "img" and title is not None and desc is not None
        assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "app;dur=" in response.headers["Server-Timing"]


JSON_TWINS = ["/index.json", "/architectuur/nora.json", "/id/nora/NAP01.json", "/def/Architectuurprincipe.json",
              "/matrix.json", "/aansluitingen.json?van=dera", "/trace.json?element=" + urllib.parse.quote(P1),
              "/validatie.json", "/shapes.json", "/zoeken.json?q=NAP", "/query/afwijkingen.json", "/-/graphs.json"]


@pytest.mark.parametrize("url", JSON_TWINS)
def test_every_json_twin_is_json(client, url):
    response = page(client, url)
    assert response.content_type.startswith("application/json")
    assert isinstance(json.loads(response.data), dict)


@pytest.mark.parametrize("url", ["/", "/architectuur/dera", "/id/dera/P1", "/matrix", "/zoeken?q=NAP01", "/-/graphs"])
def test_accept_json_gives_the_json_twin(client, url):
    response = page(client, url, headers={"Accept": "application/json"})
    assert response.content_type.startswith("application/json")
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("url", ["/id/nora/NAP01", "/architectuur/dera", "/def/Architectuurprincipe"])
@pytest.mark.parametrize("suffix,media,fmt", [("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
                                              ("rdf", "application/rdf+xml", "xml")])
def test_rdf_twins_by_suffix_and_by_accept(client, url, suffix, media, fmt):
    by_suffix = page(client, f"{url}.{suffix}")
    by_accept = page(client, url, headers={"Accept": media})
    for response in (by_suffix, by_accept):
        assert response.content_type.startswith(media)
        graph = rdflib.Graph().parse(data=response.data, format=fmt)
        assert len(graph) > 0
    assert by_suffix.data == by_accept.data


def test_turtle_twin_of_nap01_parses_and_has_its_name(client):
    graph = rdflib.Graph().parse(data=page(client, "/id/nora/NAP01.ttl").data, format="turtle")
    names = set(graph.objects(rdflib.URIRef(NAP01), rdflib.namespace.SKOS.prefLabel))
    assert rdflib.Literal("Verplaats je in de gebruiker", lang="nl") in names
    # the alignments about it come along, with their provenance
    assert any(graph.triples((None, rdflib.URIRef(DEF + "naarElement"), rdflib.URIRef(NAP01))))


def test_a_browser_gets_html_and_an_rdf_client_turtle_on_the_same_url(client):
    browser = page(client, "/id/nora/NAP01", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.content_type.startswith("text/html")
    rdf = page(client, "/id/nora/NAP01", headers={"Accept": "text/turtle"})
    assert rdf.content_type.startswith("text/turtle")
    assert "Accept" in rdf.headers["Vary"]


def test_unknown_things_are_404_as_html_for_people_and_json_for_tools(client):
    html = client.get("/id/nora/NAP99", headers={"Accept": "text/html"})
    assert html.status_code == 404 and html.content_type.startswith("text/html")
    assert len(find_all(parse(html), "h1")) == 1
    api = client.get("/id/nora/NAP99", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.get_json()["status"] == 404
    assert client.get("/architectuur/geen").status_code == 404


# -- home -------------------------------------------------------------------------------------------------
def test_home_shows_every_architecture_with_counts(client, bundled):
    data = page(client, "/index.json").get_json()
    by_slug = {a["slug"]: a for a in data["architectures"]}
    assert {"nora", "rosa-2022", "rosa-2024", "dera", "ear", "ocw"} <= set(by_slug)
    counted = {r["a"]: int(r["n"]) for r in select(bundled, PREFIXES + """
        SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e stelsel:inArchitectuur ?a } GROUP BY ?a""")}
    for a in data["architectures"]:
        assert a["elements"] == counted.get(a["iri"], 0)
    assert by_slug["dera"]["owners"][0]["label"]["nl"] == "Netwerk Digitaal Erfgoed"
    assert by_slug["dera"]["version"] == "4.0"


def test_home_makes_how_dera_aligns_to_nora_one_click_away(client):
    tree = parse(page(client, "/"))
    links = {text_of(a): a.get("href") for a in tree.iter("a")}
    assert links["Aansluiting van DERA op NORA"] == "/aansluitingen?van=dera&naar=nora"
    listed = parse(page(client, links["Aansluiting van DERA op NORA"]))
    assert text_of(listed.find(".//h1")) == "Aansluitingen van DERA op NORA"


def test_home_diagram_is_an_image_with_a_text_alternative(client, bundled):
    tree = parse(page(client, "/"))
    svg = tree.find(f".//{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby").split() == [part.get("id") for part in svg_parts(svg)]
    n = int(select(bundled, PREFIXES + """SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE {
        ?al a stelsel:Aansluiting ; stelsel:vanElement/stelsel:inArchitectuur <https://w3id.org/stelsel/id/dera> ;
            stelsel:naarElement/stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> .
        FILTER NOT EXISTS { ?al stelsel:status stelsel:Vervallen } }""")[0]["n"])
    edges = [row for table in tree.iter("table") if "Aansluitrelaties" in text_of(table.find("caption"))
             for row in table.iter("tr")]
    dera_nora = [text_of(r) for r in edges if text_of(r).startswith("DERA NORA")]
    assert dera_nora and f" {n} " in f" {dera_nora[0]} "
    assert f">{n}</text>" in page(client, "/").get_data(as_text=True)


# -- architecture -----------------------------------------------------------------------------------------
def test_nora_has_17_architectuurprincipes_grouped_by_kind_and_layer(client):
    data = page(client, "/architectuur/nora.json").get_json()
    kinds = {k["kind"]: len(k["elements"]) for k in data["elements"]["kinds"]}
    assert kinds[DEF + "Architectuurprincipe"] == 17
    assert len(data["elements"]["layers"]) == 5
    html = page(client, "/architectuur/nora").get_data(as_text=True)
    assert re.search(r"Architectuurprincipe <span class=\"count\">\(17\)</span>", html)


def test_architecture_page_shows_coverage_of_the_nora_principles(client, bundled):
    data = page(client, "/architectuur/dera.json").get_json()
    covered = {r["n"] for r in select(bundled, PREFIXES + """
        SELECT DISTINCT ?n WHERE {
          ?nap a stelsel:Architectuurprincipe ; stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> ;
               skos:notation ?n .
          { ?al stelsel:naarElement ?nap } UNION { ?al stelsel:naarElement ?imp . ?imp stelsel:realiseert ?nap ;
                                                   a stelsel:Implicatie }
          ?al a stelsel:Aansluiting ; stelsel:vanElement/stelsel:inArchitectuur <https://w3id.org/stelsel/id/dera> .
          FILTER NOT EXISTS { ?al stelsel:status stelsel:Vervallen } }""")}
    assert data["coverage"]["total"] == 17
    assert data["coverage"]["covered"] == len(covered)
    html = page(client, "/architectuur/dera").get_data(as_text=True)
    assert f"{len(covered)}/17" in html


def test_architecture_slugs_come_from_the_iris(client):
    data = page(client, "/index.json").get_json()
    for a in data["architectures"]:
        assert a["slug"] == a["iri"][len(ID):].replace("/", "-")
        assert client.get(a["href"]).status_code == 200


# -- element ----------------------------------------------------------------------------------------------
def test_dera_p1_shows_its_alignments_to_nora_with_author_and_status(client, bundled):
    expected = select(bundled, PREFIXES + """SELECT ?al ?t ?n ?creator ?status WHERE {
        ?al a stelsel:Aansluiting ; stelsel:vanElement <https://w3id.org/stelsel/id/dera/P1> ; stelsel:naarElement ?t ;
            dct:creator ?creator ; stelsel:status ?status . ?t skos:notation ?n }""")
    assert expected
    tree = parse(page(client, "/id/dera/P1"))
    section = tree.find(".//section[@aria-labelledby='al-out']")
    assert "Aansluitingen van dit element" in text_of(section.find("h2"))
    rows = [text_of(r) for r in section.iter("tr")][1:]
    assert len(rows) == len(expected)
    for e in expected:
        row = next(r for r in rows if re.search(rf"(?<![A-Z0-9]){re.escape(e['n'])}(?![0-9])", r))  # "P1 is … IMP012 …"
        assert e["creator"] in row
        assert e["status"].rsplit("#", 1)[1].lower() in row


def test_incoming_relations_of_nap01_list_the_implicaties_that_realise_it(client, bundled):
    implicaties = {r["n"] for r in select(bundled, PREFIXES + """SELECT ?n WHERE {
        ?imp stelsel:realiseert <https://w3id.org/stelsel/id/nora/NAP01> ; a stelsel:Implicatie ; skos:notation ?n ;
             stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> }""")}  # GEMMA's are alignments
    assert implicaties
    tree = parse(page(client, "/id/nora/NAP01"))
    section = tree.find(".//section[@aria-labelledby='rel-in']")
    heading = next(h for h in section.iter("h3") if text_of(h).startswith("gerealiseerd door"))
    listed = {text_of(a).split()[0] for a in section.iter("a")}
    assert implicaties <= listed
    assert f"({len(implicaties)})" in text_of(heading) or len(implicaties) < int(
        re.search(r"\((\d+)\)", text_of(heading))[1])


def test_nap01_lists_alignments_from_other_architectures(client, bundled):
    n = int(select(bundled, PREFIXES + """SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE {
        ?al a stelsel:Aansluiting ; stelsel:naarElement <https://w3id.org/stelsel/id/nora/NAP01> }""")[0]["n"])
    data = page(client, "/id/nora/NAP01.json").get_json()
    assert len(data["alignments"]["in"]) == n
    html = page(client, "/id/nora/NAP01").get_data(as_text=True)
    assert f"Aangesloten vanuit <span class=\"count\">({n})</span>" in html


def test_element_page_links_its_official_page_and_its_trace(client):
    tree = parse(page(client, "/id/nora/NAP01"))
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "https://www.noraonline.nl/wiki/Verplaats_je_in_de_gebruiker" in hrefs
    traces = [h for h in hrefs if h.startswith("/trace?element=")]
    assert [urllib.parse.unquote(h.split("=", 1)[1]) for h in traces] == [NAP01]
    assert {"/id/nora/NAP01.ttl", "/id/nora/NAP01.jsonld", "/id/nora/NAP01.json"} <= set(hrefs)


def test_dates_are_written_out_in_the_page_language(client):
    assert "28 november 2026" in page(client, "/id/dera/P1?lang=nl").get_data(as_text=True)
    assert "28 November 2026" in page(client, "/id/dera/P1?lang=en").get_data(as_text=True)


def test_ontology_terms_have_pages(client):
    data = page(client, "/def/realiseert.json").get_json()
    assert data["label"]["nl"] == "realiseert" and data["isTerm"]
    assert client.get("/id?iri=" + urllib.parse.quote(DEF + "Implicatie")).status_code == 303


# -- matrix ---------------------------------------------------------------------------------------------
def _cell(tree, row_code: str, column: str) -> str:
    table = tree.find(".//table[@class='matrix']")
    headers = [text_of(th) for th in table.find("thead").iter("th")]
    for tr in table.find("tbody").iter("tr"):
        cells = list(tr)
        if text_of(cells[0]).startswith(row_code):
            return text_of(cells[headers.index(column)])
    raise AssertionError(f"no row {row_code}")


def test_matrix_cell_dera_nap01_counts_alignments_directly_and_through_implicaties(client, bundled):
    expected = int(select(bundled, PREFIXES + """SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE {
        ?al a stelsel:Aansluiting ; stelsel:vanElement/stelsel:inArchitectuur <https://w3id.org/stelsel/id/dera> .
        { ?al stelsel:naarElement <https://w3id.org/stelsel/id/nora/NAP01> }
        UNION { ?al stelsel:naarElement ?imp . ?imp a stelsel:Implicatie ;
                    stelsel:realiseert <https://w3id.org/stelsel/id/nora/NAP01> }
        FILTER NOT EXISTS { ?al stelsel:status stelsel:Vervallen } }""")[0]["n"])
    tree = parse(page(client, "/matrix"))
    assert _cell(tree, "NAP01", "DERA") == str(expected)
    assert len(tree.find(".//table[@class='matrix']").find("tbody")) == 17


def test_matrix_filters_by_status_and_links_cells_to_the_alignments(client, bundled):
    withdrawn = int(select(bundled, PREFIXES + """SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE {
        ?al a stelsel:Aansluiting ; stelsel:status stelsel:Vervallen ; stelsel:naarElement ?t .
        ?t stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> .
        { ?t a stelsel:Architectuurprincipe } UNION { ?t a stelsel:Implicatie ; stelsel:realiseert ?nap .
                                                      ?nap a stelsel:Architectuurprincipe } }""")[0]["n"])
    data = page(client, "/matrix.json?status=vervallen").get_json()
    assert data["statuses"] == ["vervallen"]
    assert sum(t["alignments"] for t in data["totals"]) <= withdrawn
    tree = parse(page(client, "/matrix"))
    link = next(a for a in tree.iter("a") if a.get("href", "").startswith("/aansluitingen?van=dera&principe=NAP01"))
    listed = page(client, link.get("href")).get_data(as_text=True)
    assert _cell(tree, "NAP01", "DERA") in re.search(r"<caption>(\d+) aansluitingen", listed)[1]


# -- trace ----------------------------------------------------------------------------------------------
def test_trace_of_dera_p1_reaches_the_core_values_the_canned_query_finds(client, bundled):
    text = (REPO / "queries" / "spoor-naar-kernwaarden.rq").read_text(encoding="utf-8")
    bound = text.replace("WHERE {", "WHERE { BIND(<" + P1 + "> AS ?element)", 1)
    expected = {r["kernwaardeNotatie"] for r in select(bundled, bound)}
    assert expected
    data = page(client, "/trace.json?element=" + urllib.parse.quote(P1)).get_json()
    assert {v["notation"] for v in data["values"]} == expected
    tree = parse(page(client, "/trace?element=" + urllib.parse.quote(P1)))
    assert tree.find(f".//{SVG}svg").get("role") == "img"
    paths = tree.find(".//ul[@class='tree']")  # the paths as a tree from P1: one leaf per path (issue 12)
    [root] = list(paths)
    assert text_of(root).startswith("P1")
    leaves = [li for li in paths.iter("li") if li.find("ul") is None]
    assert len(leaves) == min(data["pathsTotal"], 200)
    assert {text_of(li).split("→ ")[-1].split()[0] for li in leaves} == expected


def test_trace_of_a_core_value_is_itself(client):
    data = page(client, "/trace.json?element=" + urllib.parse.quote(ID + "nora/KW01")).get_json()
    assert [v["notation"] for v in data["values"]] == ["KW01"]


# -- search ---------------------------------------------------------------------------------------------
def test_search_vindbaar_finds_kd17(client):
    data = page(client, "/zoeken.json?q=vindbaar").get_json()
    assert "KD17" in [r["notation"] for r in data["results"]]
    tree = parse(page(client, "/zoeken?q=vindbaar"))
    assert any(a.get("href") == "/id/nora/KD17" for a in tree.iter("a"))


def test_search_ignores_case_and_accents_and_finds_english_names_and_codes(client):
    for q in ("EFFICIENTIE", "efficiëntie", "Efficientie"):
        assert any(r["label"].get("nl") == "Efficiëntie" for r in page(client, "/zoeken.json?q=" + urllib.parse.quote(q))
                   .get_json()["results"]), q
    assert page(client, "/zoeken.json?q=findable").get_json()["results"][0]["notation"] == "KD17"
    assert page(client, "/zoeken.json?q=nap01").get_json()["results"][0]["notation"] == "NAP01"


def test_search_facets_count_and_filter(client):
    data = page(client, "/zoeken.json?q=gegevens").get_json()
    arch_facets = {f["ref"]["slug"]: f["n"] for f in data["facets"]["architecture"] if f["ref"]}
    # hits outside any architecture (the shared kaders of data/kaders.ttl) have their own bucket
    outside = sum(f["n"] for f in data["facets"]["architecture"] if not f["ref"])
    assert sum(arch_facets.values()) + outside == data["total"]
    nora_only = page(client, "/zoeken.json?q=gegevens&architectuur=nora").get_json()
    assert nora_only["total"] == arch_facets["nora"]
    assert all(r["architecture"] == ID + "nora" for r in nora_only["results"])
    tree = parse(page(client, "/zoeken?q=gegevens"))
    assert any(a.get("href") == "/zoeken?q=gegevens&architectuur=nora" for a in tree.iter("a"))


# -- languages ------------------------------------------------------------------------------------------
def test_english_switch_changes_labels_and_is_remembered(app):
    client = app.test_client()
    dutch = parse(page(client, "/id/nora/NAP01"))
    assert text_of(dutch.find(".//h1")) == "NAP01 Verplaats je in de gebruiker"
    english = page(client, "/id/nora/NAP01?lang=en")
    assert "stelsel_lang=en" in english.headers["Set-Cookie"]
    tree = parse(english)
    assert tree.get("lang") == "en" or tree.find(".//html").get("lang") == "en"
    assert text_of(tree.find(".//h1")) == "NAP01 Put yourself in the user's shoes"
    again = parse(page(client, "/"))  # the cookie remembers
    assert text_of(again.find(".//h1")) == "The stelsel at a glance"
    back = parse(page(client, "/?lang=nl"))
    assert text_of(back.find(".//h1")) == "Het stelsel in één oogopslag"


def test_numbers_and_dates_are_localised():
    assert i18n.format_number(1234, "nl") == "1.234" and i18n.format_number(1234, "en") == "1,234"
    assert i18n.format_number(1234.5, "nl") == "1.234,5" and i18n.format_number(1234.5, "en") == "1,234.5"
    assert i18n.format_date("2026-11-28", "nl") == "28 november 2026"
    assert i18n.format_date("2026-11-28", "en") == "28 November 2026"
    assert i18n.t("count.findings", "nl", n=1234) == "1.234 bevindingen"
    assert i18n.t("count.findings", "nl", n=1) == "1 bevinding" and i18n.t("query.result.caption", "en", n=1) == "1 row"


def test_every_ui_string_exists_in_both_languages():
    for key in i18n.keys():
        nl, en = i18n.entry(key)
        assert nl.strip() and en.strip(), key
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"_\('([a-z0-9_.]+)'", template.read_text(encoding="utf-8")))
    dynamic = {k for k in used if k.endswith(".")}
    missing = sorted(k for k in used - dynamic if i18n.entry(k) is None)
    assert not missing


# -- validation -----------------------------------------------------------------------------------------
def _report() -> Report:
    def finding(severity, focus, shape, message):
        return Finding(severity=severity, focus_node=focus, source_shape="https://w3id.org/stelsel/shapes#" + shape,
                       constraint="http://www.w3.org/ns/shacl#MinCountConstraintComponent",
                       message={"nl": message + " (nl)", "en": message + " (en)"}, architecture=ID + "dera")
    return Report(findings=[finding(Severity.VIOLATION, P1, "ElementVoorkeursnaam", "Geen naam"),
                            finding(Severity.WARNING, ID + "dera/P2", "ElementIsGetypeerd", "Geen soort"),
                            finding(Severity.INFO, NAP01, "ElementIsGetypeerd", "Ter info")],
                  engine="pyshacl", seconds=1.5)


@pytest.fixture
def reported(bundled):
    app = new_app(bundled)
    cache = app.extensions["stelsel.validation"]
    cache._current = ValidationState("ready", bundled.version(), report=_report())
    cache._done.set()
    return app


def test_validation_report_filters_and_links_to_elements_and_rules(reported):
    client = reported.test_client()
    tree = parse(page(client, "/validatie"))
    assert "3 bevindingen: 1 overtreding, 1 waarschuwing, 1 info" in text_of(tree.find(".//main"))
    rows = tree.find(".//table[@class='findings']").find("tbody")
    assert len(rows) == 3
    first = rows[0]
    hrefs = [a.get("href") for a in first.iter("a")]
    assert "/id/dera/P1" in hrefs and "/shapes#ElementVoorkeursnaam" in hrefs
    warnings = page(client, "/validatie.json?ernst=warning").get_json()
    assert [f["severity"] for f in warnings["findings"]] == ["Warning"]
    by_shape = page(client, "/validatie.json?regel=ElementIsGetypeerd&architectuur=dera").get_json()
    assert by_shape["total"] == 2
    english = page(client, "/validatie?lang=en").get_data(as_text=True)
    assert "Geen naam (en)" in english


def test_rules_page_has_an_anchor_and_explanation_per_shape(reported):
    client = reported.test_client()
    tree = parse(page(client, "/shapes"))
    article = tree.find(".//article[@id='ElementVoorkeursnaam']")
    assert article is not None
    assert "voorkeursnaam" in text_of(article).lower()
    english = parse(page(client, "/shapes?lang=en")).find(".//article[@id='ElementVoorkeursnaam']")
    assert "preferred label" in text_of(english).lower()


def test_findings_show_on_the_element_and_counts_on_the_architecture(reported):
    client = reported.test_client()
    section = parse(page(client, "/id/dera/P1")).find(".//section[@aria-labelledby='findings']")
    assert "Geen naam (nl)" in text_of(section)
    data = page(client, "/architectuur/dera.json").get_json()
    assert data["validation"]["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}


def test_pages_go_on_when_validation_is_not_available(bundled):
    app = new_app(bundled)
    cache = app.extensions["stelsel.validation"]
    cache._current = ValidationState("unavailable", bundled.version(), reason="the validator is not installed")
    client = app.test_client()
    html = page(client, "/architectuur/dera").get_data(as_text=True)
    assert "De validatie is niet beschikbaar: the validator is not installed" in html
    assert page(client, "/validatie").status_code == 200


VALIDATION_WAIT = float(os.environ.get("STELSEL_UI_VALIDATION_WAIT", "300"))  # the validator takes minutes


def test_validation_runs_once_per_store_version_in_the_background(bundled):
    app = new_app(bundled)
    cache = app.extensions["stelsel.validation"]
    client = app.test_client()
    try:
        started = page(client, "/validatie")  # the first page to ask starts the run and does not wait
        assert "loopt nog" in started.get_data(as_text=True) or cache.get().state != "running"
        first = cache.wait(VALIDATION_WAIT)
        if first.state == "running":
            pytest.skip(f"the validation did not finish within {VALIDATION_WAIT} s")
        assert cache.get() is first  # no new run for the same version
        if first.state != "ready":
            pytest.skip(f"the validator does not run on the bundled data yet: {first.reason}")
        report = page(client, "/validatie.json").get_json()
        assert report["all"] == len(first.report.findings)
        assert report["summary"]["counts"]["Violation"] == first.report.counts()[Severity.VIOLATION]
        shown = {f["focusNode"] for f in report["findings"]}
        focus = next(iter(shown))
        if focus.startswith(ID):
            element = page(client, "/id/" + focus[len(ID):] + ".json").get_json()
            assert any(f["focusNode"] == focus for f in element["findings"])
    finally:
        cache.close()


# -- query pages ------------------------------------------------------------------------------------------
def test_query_page_works_without_javascript(client):
    tree = parse(page(client, "/query"))
    form = tree.find(".//form[@class='query-form']")
    assert form.get("action") == "/sparql" and form.get("method") == "post"
    area = form.find(".//textarea")
    assert area.get("name") == "query" and tree.find(".//label[@for='query']") is not None
    assert tree.find(".//script[@src='/static/vendor/codemirror/sparql-editor.min.js']") is not None
    examples = [a.get("href") for a in tree.iter("a") if (a.get("href") or "").startswith("/query/")]
    assert "/query/spoor-naar-kernwaarden" in examples
    result = parse(page(client, "/query?query=" + urllib.parse.quote(
        "SELECT ?n WHERE { ?x <http://www.w3.org/2004/02/skos/core#notation> ?n } ORDER BY ?n LIMIT 3")))
    assert len(result.find(".//table[@class='results']").find("tbody")) == 3


def test_query_page_reports_a_syntax_error(client):
    html = page(client, "/query?query=SELECT+nonsense").get_data(as_text=True)
    assert "error-box" in html


def test_canned_query_as_a_form_with_final_query_and_csv(client, bundled):
    tree = parse(page(client, "/query/spoor-naar-kernwaarden?element=" + urllib.parse.quote(ID + "dera/P2")))
    field = tree.find(".//select[@name='element']")  # elements as named choices (issue 12)
    [chosen] = [o for o in field.iter("option") if o.get("selected") is not None]
    assert chosen.get("value") == ID + "dera/P2"
    final = text_of(tree.find(".//details//code"))
    assert "VALUES" in final and ID + "dera/P2" in final
    csv = page(client, "/query/spoor-naar-kernwaarden.csv?element=" + urllib.parse.quote(ID + "dera/P2"))
    assert csv.content_type.startswith("text/csv") and "attachment" in csv.headers["Content-Disposition"]
    assert csv.data.decode("utf-8").splitlines()[0].startswith("element,")
    assert client.get("/query/bestaat-niet").status_code == 404


def test_static_editor_and_its_licences_ship():
    vendor = REPO / "src" / "stelsel" / "server" / "static" / "vendor" / "codemirror"
    assert (vendor / "sparql-editor.min.js").stat().st_size < 500_000
    licences = {p.name for p in (vendor / "LICENSES").iterdir()}
    assert any("codemirror_view" in n for n in licences) and any("lang-sparql" in n for n in licences)


# -- tool pages -------------------------------------------------------------------------------------------
def test_graphs_page_lists_named_graphs_with_counts(client, bundled):
    data = page(client, "/-/graphs.json").get_json()
    infos = bundled.graphs()
    assert data["total"] == sum(i.triples for i in infos)
    assert {g["iri"] for g in data["graphs"]} == {i.iri for i in infos}
    tree = parse(page(client, "/-/graphs"))
    assert "nora" in [text_of(th) for th in tree.iter("th")]
    assert page(client, "/-/health").get_json()["status"] == "ok"


# -- speed ------------------------------------------------------------------------------------------------
KINDS = {"home": "/", "architecture": "/architectuur/dera", "element": "/id/nora/NAP01", "matrix": "/matrix",
         "alignments": "/aansluitingen?van=dera&naar=nora", "trace": "/trace?element=" + urllib.parse.quote(P1),
         "validation": "/validatie", "search": "/zoeken?q=gegevens", "graphs": "/-/graphs"}


def server_ms(response) -> float:
    return float(re.search(r"app;dur=([\d.]+)", response.headers["Server-Timing"])[1])


def test_pages_are_fast_once_warm(client):
    medians = {}
    for kind, url in KINDS.items():
        client.get(url)
        medians[kind] = statistics.median(server_ms(client.get(url, headers={"Cache-Control": "no-cache"}))
                                          for _ in range(20))
    slow = {k: v for k, v in medians.items() if v > 200}
    assert not slow, medians


def test_pages_answer_304_to_a_matching_etag(client):
    first = page(client, "/matrix")
    tag = first.headers["ETag"]
    assert client.get("/matrix", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/matrix?lang=en", headers={"If-None-Match": tag}).status_code == 200
