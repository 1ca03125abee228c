"""Issue 9 item 5: safe pages.

- Only http(s) IRIs (and this site's own paths) become links; ``javascript:``, ``data:`` and other
  IRIs written in the data or reflected from ``/query?query=`` show as text.
- ``Content-Security-Policy``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` on every
  response (pages, JSON, static files, errors, the SPARQL endpoint).
- ``/id?iri=`` with a malformed IRI answers 400 "not an IRI", not an internal parse error.

HTML is read with html5lib (as a browser would build the tree), not by searching strings.
"""

from __future__ import annotations

import urllib.parse

import html5lib
import pytest
from conftest import REPO

from stelsel.config import Config
from stelsel.server import create_app
from stelsel.store import EmbeddedStore, load_bundled

EVIL = ["javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)"]
ELEMENT = "https://w3id.org/stelsel/id/nora/XSS1"


def _turtle() -> str:
    see_also = " , ".join(f"<{e.replace('<', '%3C').replace('>', '%3E')}>" for e in EVIL)
    return f"""@prefix stelsel: <https://w3id.org/stelsel/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{ELEMENT}> a stelsel:Architectuurprincipe ; skos:notation "XSS1" ;
    skos:prefLabel "<script>alert('label')</script>"@nl ;
    stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> ;
    rdfs:seeAlso {see_also} ;
    stelsel:isGerelateerdAan <javascript:alert(2)> .
<javascript:alert(3)> stelsel:realiseert <{ELEMENT}> .
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    cfg = Config(store=tmp_path_factory.mktemp("xss") / "store", content_root=REPO, query_workers=0)
    store = EmbeddedStore(cfg.store)
    load_bundled(store, cfg)
    import pyoxigraph as ox
    quads = list(ox.parse(_turtle().encode("utf-8"), format=ox.RdfFormat.TURTLE))
    graph = "https://w3id.org/stelsel/graph/xss-test"
    store.update("INSERT DATA { GRAPH <%s> { %s } }" % (graph, " ".join(
        f"{q.subject} {q.predicate} {q.object} ." for q in quads)))
    app = create_app(cfg, store=store)
    app.extensions["stelsel.validation"].disabled = "not needed here"
    yield app.test_client()
    store.close()


def tree(response):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.data)


def hrefs(doc) -> list[str]:
    return [el.get(attr) for el in doc.iter() for attr in ("href", "src", "action", "formaction")
            if isinstance(el.tag, str) and el.get(attr) is not None]


def assert_no_script_urls(doc, where: str) -> None:
    bad = [h for h in hrefs(doc) if urllib.parse.urlsplit(h.strip()).scheme.lower() not in ("", "http", "https")]
    assert not bad, f"{where}: links a browser would run: {bad}"
    handlers = [(el.tag, a) for el in doc.iter() if isinstance(el.tag, str) for a in el.keys() if a.lower().startswith("on")]
    assert not handlers, f"{where}: inline event handlers {handlers}"
    scripts = [el for el in doc.iter("script") if not el.get("src") or (el.text or "").strip()]
    assert not scripts, f"{where}: inline <script> elements"


def page_text(doc) -> str:
    return " ".join("".join(doc.find(".//main").itertext()).split())


# -- stored data ------------------------------------------------------------------------------------
def test_a_javascript_iri_in_the_data_renders_as_text_on_the_element_page(client):
    response = client.get("/id/nora/XSS1")
    assert response.status_code == 200
    doc = tree(response)
    assert_no_script_urls(doc, "/id/nora/XSS1")
    text = page_text(doc)
    assert "javascript:alert(document.domain)" in text        # shown, as text
    assert "<script>alert('label')</script>" in text         # the label, escaped into text
    assert not [s for s in doc.iter("script") if "alert" in (s.text or "")]


@pytest.mark.parametrize("url", ["/id/nora/NAP01", "/architectuur/nora", "/zoeken?q=XSS1",
                                 "/trace?element=" + urllib.parse.quote(ELEMENT),
                                 "/id?iri=" + urllib.parse.quote("javascript:alert(3)")])
def test_pages_that_show_the_evil_iris_link_none_of_them(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    assert_no_script_urls(tree(response), url)


# -- reflected through /query?query= ------------------------------------------------------------------
@pytest.mark.parametrize("evil", EVIL)
def test_query_results_with_a_javascript_iri_show_it_as_text(client, evil):
    query = f'SELECT ?x ?y WHERE {{ BIND(IRI("{evil.replace(chr(34), "")}") AS ?x) BIND("<img src=x onerror=alert(1)>" AS ?y) }}'
    response = client.get("/query?query=" + urllib.parse.quote(query))
    assert response.status_code == 200
    doc = tree(response)
    assert_no_script_urls(doc, "/query")
    table = doc.find(".//table")
    assert table is not None, "the query gave no result table"
    cells = ["".join(td.itertext()) for td in table.iter("td")]
    assert "<img src=x onerror=alert(1)>" in cells
    assert not [el for el in doc.iter("img")]


def test_the_query_text_is_reflected_as_text_only(client):
    evil = '</textarea><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    response = client.get("/query?query=" + urllib.parse.quote(evil))
    doc = tree(response)
    assert_no_script_urls(doc, "/query")
    assert evil in "".join(doc.find(".//textarea").itertext())


# -- headers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/index.json", "/id/nora/NAP01", "/id/nora/NAP01.ttl", "/static/stelsel.css",
                                 "/sparql?query=ASK%7B%7D", "/-/health", "/no/such/page", "/id/nora/NOPE",
                                 "/query", "/datasets", "/matrix"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, (url, csp)
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url


# -- /id?iri= ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["http://a b", "http://a%20b", "<https://x>", "no-scheme", 'http://x/"y', "https://x/{y}"])
def test_a_malformed_iri_is_400_not_an_iri(client, bad):
    response = client.get("/id", query_string={"iri": urllib.parse.unquote(bad), "lang": "en"},
                          headers={"Accept": "application/json"})
    assert response.status_code == 400, (bad, response.status_code)
    body = response.get_json()
    assert body["error"] == "NotAnIRI" and "not an IRI" in body["message"] and body["hint"]


def test_a_malformed_iri_is_a_readable_page_for_a_browser(client):
    response = client.get("/id?iri=http://a%20b&lang=en", headers={"Accept": "text/html"})
    assert response.status_code == 400
    doc = tree(response)
    assert "not an IRI" in page_text(doc)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_well_formed_unknown_iri_is_still_404(client):
    response = client.get("/id?iri=https://example.org/nothing", headers={"Accept": "application/json"})
    assert response.status_code == 404
