"""/queries and /openapi.json through the Flask test client, on both store backends.

The rows a canned query gives over HTTP are compared with the rows the same query gives on the
``bundled`` pyoxigraph store with pyoxigraph's own substitutions (whose answers
tests/test_canned_queries.py checks against answers computed apart): the HTTP path binds with a
VALUES block and runs through the executor, on the embedded store and on a real ``oxigraph
serve``.
"""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO

from stelsel.config import Config
from stelsel.errors import InputError
from stelsel.queries import load_catalogue
from stelsel.server import create_app
from stelsel.store import EmbeddedStore

CATALOGUE = load_catalogue(REPO / "queries")
ID = "https://w3id.org/stelsel/id/"
DEF = "https://w3id.org/stelsel/def#"
RES = "{http://www.w3.org/2005/sparql-results#}"
ERROR_KEYS = {"error", "message", "hint", "status"}
CONCATENATED = ("codes", "moetAansluitenOp", "principes", "missing")   # GROUP_CONCAT: order is the engine's


def norm(name: str, value: str | None) -> str | None:
    if name in CONCATENATED:
        return " ".join(sorted(re.split(r", | ", value or "")))
    return value


def http_rows(response) -> Counter:
    body = response.get_json()
    names = body["head"]["vars"]
    return Counter(tuple(norm(n, b.get(n, {}).get("value")) for n in names) for b in body["results"]["bindings"])


def direct_rows(bundled, name: str, **params) -> Counter:
    q = CATALOGUE[name]
    result = bundled.query(q.text, substitutions=q.bindings(params))
    names = [v.value for v in result.variables]
    return Counter(tuple(norm(n, row[n].value if row[n] is not None else None) for n in names) for row in result)


def error(response, status: int) -> dict:
    assert response.status_code == status, response.data[:500]
    body = response.get_json()
    assert ERROR_KEYS <= set(body) and body["status"] == status
    return body


# -- the list --------------------------------------------------------------------------------------------
def test_the_list_in_json_and_html(client):
    r = client.get("/queries")
    assert r.status_code == 200 and r.mimetype == "application/json"
    listed = {q["name"]: q for q in r.get_json()["queries"]}
    assert set(listed) == set(CATALOGUE)
    for name, q in CATALOGUE.items():
        item = listed[name]
        assert item["title"] == q.title and item["description"] == q.description and item["tags"] == list(q.tags)
        assert item["url"] == f"/queries/{name}"
        assert [(p["name"], p["type"], p["default"], p["description"]) for p in item["parameters"]] == \
            [(p.name, p.type, p.default, p.description) for p in q.parameters]
    assert client.get("/queries.json").get_json() == r.get_json()
    page = client.get("/queries", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.data.decode("utf-8")
    for name, q in CATALOGUE.items():
        assert f'href="/queries/{name}"' in text and html.escape(q.title) in text
    assert client.get("/queries.html").data == page.data
    error(client.get("/queries.txt"), 404)
    error(client.get("/queries", headers={"Accept": "image/png"}), 406)


# -- running one -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_query_gives_its_rows_over_http(client, bundled, name):
    r = client.get(f"/queries/{name}")
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert http_rows(r) == direct_rows(bundled, name)


NON_DEFAULT = [
    ("principes-naar-nora", {"architectuur": ID + "rosa/2024"}),
    ("spoor-naar-kernwaarden", {"element": ID + "rosa/2022/eenmalige-registratie-meervoudig-gebruik"}),
    ("architecturen-in-aansluitketen", {"element": ID + "dera/P1"}),
    ("aansluitingen-op-vervallen-elementen", {"vervallenArchitectuur": "false"}),
    ("afwijkingen", {"taal": "en"}),
    ("architecturen-per-standaard", {"standaard": "Linked Data"}),
    ("wijzigingen-tussen-versies", {"van": ID + "rosa/2024", "naar": ID + "rosa/2022"}),
    ("elementen-zonder-pagina", {"soort": DEF + "Principe", "vervallenOok": "true"}),
    ("niet-aangesloten-principes", {"soort": DEF + "Doel"}),
    ("elementen-zoeken", {"tekst": "NAP1"}),
]


@pytest.mark.parametrize("name, params", NON_DEFAULT, ids=[n for n, _ in NON_DEFAULT])
def test_parameters_are_bound(client, bundled, name, params):
    r = client.get(f"/queries/{name}", query_string=params)
    assert r.status_code == 200
    got = http_rows(r)
    assert got == direct_rows(bundled, name, **params)
    assert got != http_rows(client.get(f"/queries/{name}"))


def test_formats_by_accept_and_by_suffix(client):
    url, params = "/queries/afwijkingen", {"taal": "en"}
    n = len(client.get(url, query_string=params).get_json()["results"]["bindings"])
    root = Path(__file__).resolve().parents[2]
    with (root / "tools" / "curation" / "deviations.csv").open(encoding="utf-8", newline="") as fh:
        curated = len(list(csv.DictReader(fh)))
    # plus the deviations the GEMMA/GDI build records for principles their owners link to nothing
    import rdflib
    owners = rdflib.Graph()
    for name in ("gemma", "gdi"):
        owners.parse(root / "data" / "alignments" / f"{name}.ttl", format="turtle")
    stated = len(set(owners.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/stelsel/def#Afwijking"))))
    assert n == curated + stated  # one deviation per curated row and per owner's unlinked principle
    for how in ({"path": url + ".csv"}, {"path": url, "headers": {"Accept": "text/csv"}}):
        r = client.get(how["path"], query_string=params, headers=how.get("headers"))
        assert r.status_code == 200 and r.mimetype == "text/csv"
        table = list(csv.reader(io.StringIO(r.data.decode("utf-8"))))
        assert table[0][:3] == ["taal", "architectuur", "element"] and len(table) == n + 1
        assert {row[0] for row in table[1:]} == {"en"}
    tsv = client.get(url + ".tsv", query_string=params)
    assert tsv.mimetype == "text/tab-separated-values" and len(tsv.data.decode().splitlines()) == n + 1
    xml = client.get(url, query_string=params, headers={"Accept": "application/sparql-results+xml"})
    assert xml.mimetype == "application/sparql-results+xml"
    assert len(ET.fromstring(xml.data).findall(f".//{RES}result")) == n
    page = client.get(url + ".html", query_string=params)
    assert page.mimetype == "text/html" and page.data.decode().count("<tr>") == n + 1
    browser = client.get(url, query_string=params, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.mimetype == "text/html" and browser.data == page.data
    # a suffix wins over Accept; no Accept or */* gives SPARQL JSON
    assert client.get(url + ".json", headers={"Accept": "text/csv"}).mimetype == "application/sparql-results+json"
    assert client.get(url, headers={"Accept": "*/*"}).mimetype == "application/sparql-results+json"
    error(client.get(url, headers={"Accept": "image/png"}), 406)


def test_answers_carry_an_etag(client):
    r = client.get("/queries/afwijkingen.csv", query_string={"taal": "en"})
    etag = r.headers["ETag"]
    again = client.get("/queries/afwijkingen.csv", query_string={"taal": "en"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/queries/afwijkingen.csv", query_string={"taal": "nl"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    assert client.get("/queries/afwijkingen.json", query_string={"taal": "en"}).headers["ETag"] != etag


def test_html_page_escapes_values_and_keeps_the_parameters(client):
    r = client.get("/queries/elementen-zoeken.html", query_string={"tekst": '<script>alert("x")</script>'})
    page = r.data.decode("utf-8")
    assert r.status_code == 200 and "<script>" not in page
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in page
    assert "/queries/elementen-zoeken.csv?tekst=" in page


def test_errors_are_the_one_json_shape(client):
    body = error(client.get("/queries/bestaat-niet"), 404)
    assert "bestaat-niet" in body["message"] and body["error"] == "UnknownQuery"
    error(client.get("/queries/bestaat-niet.csv"), 404)
    body = error(client.get("/queries/spoor-naar-kernwaarden", query_string={"element": "P1"}), 400)
    assert "parameter 'element' must be iri" in body["message"] and "?element=" in body["hint"]
    body = error(client.get("/queries/elementen-zonder-pagina", query_string={"vervallenOok": "soms"}), 400)
    assert "parameter 'vervallenOok' must be boolean" in body["message"]
    body = error(client.get("/queries/afwijkingen", query_string={"kleur": "rood"}), 400)
    assert "no parameter 'kleur'" in body["message"] and "taal" in body["hint"]
    body = error(client.get("/queries/afwijkingen?taal=nl&taal=en"), 400)
    assert "parameter 'taal' is given 2 times" in body["message"]


def test_a_parameter_cannot_change_the_query(client, store):
    before = sum(g.triples for g in store.graphs())
    sneaky = 'x")) } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o #'
    r = client.get("/queries/architecturen-per-standaard", query_string={"standaard": sneaky})
    assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []
    assert r.get_json()["head"]["vars"][0] == "standaard"
    error(client.get("/queries/spoor-naar-kernwaarden", query_string={"element": "http://x> } ; DROP ALL #"}), 400)
    assert sum(g.triples for g in store.graphs()) == before


def test_the_row_limit_applies(endpoint_config, store):
    app = create_app(endpoint_config.replace(max_result_rows=5), store=store)
    r = app.test_client().get("/queries/implicaties-per-laag")
    assert r.status_code == 200 and len(r.get_json()["results"]["bindings"]) == 5
    assert r.headers["Stelsel-Truncated"] == "true" and r.headers["Stelsel-Row-Limit"] == "5"
    assert "Stelsel-Truncated" not in app.test_client().get("/queries/architecturen-per-standaard").headers  # 3 rows


# -- the catalogue is read once, when the app starts -------------------------------------------------------
GOOD = """#+ title: Labels
#+ description:
#+   nl: Labels van een ding
#+   en: Labels of a thing
#+ tags: [test]
#+ parameters:
#+   ding:
#+     type: iri
#+     default: http://example.org/a
#+     description: {nl: het ding, en: the thing}
SELECT ?ding ?l WHERE { ?ding <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }
"""


def test_the_catalogue_is_read_once_when_the_app_starts(tmp_path):
    (tmp_path / "queries").mkdir()
    query_file = tmp_path / "queries" / "labels.rq"
    query_file.write_text(GOOD)
    config = Config(store=tmp_path / "store", content_root=tmp_path, query_workers=0)
    app = create_app(config, store=EmbeddedStore(None))
    client = app.test_client()
    assert [q["name"] for q in client.get("/queries").get_json()["queries"]] == ["labels"]
    query_file.write_text(GOOD.replace("#+ title: Labels", "#+ title: Anders"))
    (tmp_path / "queries" / "extra.rq").write_text(GOOD)
    assert [q["title"] for q in client.get("/queries").get_json()["queries"]] == ["Labels"]
    # a broken file stops the app from starting, naming the file and the line
    (tmp_path / "queries" / "kapot.rq").write_text("#+ title: x\n#+ description: [unclosed\nSELECT * {?s ?p ?o}\n")
    with pytest.raises(InputError, match=r"kapot\.rq:\d+: front matter is not valid YAML"):
        create_app(config, store=EmbeddedStore(None))


# -- OpenAPI -------------------------------------------------------------------------------------------------
def test_openapi_describes_every_endpoint_and_every_canned_query(client, app):
    from openapi_spec_validator import validate

    r = client.get("/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    validate(doc)                               # OpenAPI 3.1 by its schema (raises when invalid)
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        assert path in paths, path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], (path, method)
    sparql_get = paths["/sparql"]["get"]
    assert {p["name"] for p in sparql_get["parameters"]} >= {"query", "default-graph-uri", "named-graph-uri", "timeout"}
    assert {"400", "406", "503"} <= set(sparql_get["responses"])
    assert "application/sparql-results+json" in sparql_get["responses"]["200"]["content"]
    assert set(paths["/sparql"]["post"]["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"}
    assert {"get", "put", "post", "delete"} <= set(paths["/data"])
    assert {"/-/health", "/-/version", "/queries", "/queries/{name}", "/openapi.json"} <= set(paths)
    types = {"iri": "string", "string": "string", "langstring": "string", "integer": "integer",
             "decimal": "number", "date": "string", "boolean": "boolean"}
    for name, q in CATALOGUE.items():
        for path in (f"/queries/{name}", f"/queries/{name}.{{format}}"):
            op = paths[path]["get"]
            assert op["summary"] == q.title and q.description["en"] in op["description"]
            documented = {p["name"]: p for p in op["parameters"] if p["in"] == "query"}
            assert set(documented) == {p.name for p in q.parameters}
            for p in q.parameters:
                d = documented[p.name]
                assert d["schema"]["type"] == types[p.type] and d["x-stelsel-type"] == p.type
                default = d["schema"]["default"]
                assert str(default).lower() == p.default.lower()
                assert p.description["en"] in d["description"] and p.description["nl"] in d["description"]
            assert "200" in op["responses"] and "400" in op["responses"]
        assert paths[f"/queries/{name}.{{format}}"]["get"]["parameters"][0]["schema"]["enum"] == [
            "json", "csv", "tsv", "xml", "html"]


def test_openapi_defaults_run(client):
    """Calling each documented query path with its documented defaults gives the default answer."""
    doc = client.get("/openapi.json").get_json()
    for name in ("afwijkingen", "elementen-zonder-pagina"):
        op = doc["paths"][f"/queries/{name}"]["get"]
        args = {p["name"]: str(p["schema"]["default"]).lower() if p["schema"]["type"] == "boolean"
                else str(p["schema"]["default"]) for p in op["parameters"]}
        assert client.get(f"/queries/{name}", query_string=args).data == client.get(f"/queries/{name}").data
