"""Real SPARQL clients against a live stelsel server: SPARQLWrapper, rdflib's SPARQLStore, and
plain HTTP as curl sends it."""

from __future__ import annotations

import json
import urllib.parse

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from .live import http

SKOS = "http://www.w3.org/2004/02/skos/core#"
SELECT = f"""PREFIX skos: <{SKOS}>
SELECT ?s ?l WHERE {{ ?s skos:prefLabel ?l FILTER(lang(?l) = "nl" && CONTAINS(LCASE(?l), "open")) }} ORDER BY ?s ?l"""
CONSTRUCT = f"""PREFIX skos: <{SKOS}>
CONSTRUCT {{ ?s skos:prefLabel ?l }} WHERE {{ ?s skos:prefLabel ?l FILTER(lang(?l) = "en") }}"""


def _expected_rows(client) -> list[tuple[str, str]]:
    body = client.get("/sparql", query_string={"query": SELECT}).get_json()
    return [(b["s"]["value"], b["l"]["value"]) for b in body["results"]["bindings"]]


def test_sparqlwrapper_select_in_json_xml_and_csv(live_url, client):
    expected = _expected_rows(client)
    assert expected
    sw = SPARQLWrapper(f"{live_url}/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(JSON)
    got = sw.query().convert()
    assert [(b["s"]["value"], b["l"]["value"]) for b in got["results"]["bindings"]] == expected
    sw.setReturnFormat(XML)
    doc = sw.query().convert()   # a DOM document
    assert len(doc.getElementsByTagName("result")) == len(expected)
    sw.setMethod(POST)
    sw.setReturnFormat(CSV)
    assert len(sw.query().convert().decode("utf-8").strip().splitlines()) == len(expected) + 1


def test_sparqlwrapper_construct_and_ask(live_url):
    sw = SPARQLWrapper(f"{live_url}/sparql")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    data = sw.query().convert()
    assert len(rdflib.Graph().parse(data=data, format="turtle")) > 10
    sw.setReturnFormat(XML)        # CONSTRUCT as RDF/XML: SPARQLWrapper hands back an rdflib Graph
    graph = sw.query().convert()
    assert isinstance(graph, rdflib.Graph) and len(graph) > 10
    sw.setQuery("ASK { ?s a ?c }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_select_and_construct(live_url, client):
    expected = _expected_rows(client)
    graph = rdflib.Graph(store=SPARQLStore(f"{live_url}/sparql"))
    got = [(str(s), str(l)) for s, l in graph.query(SELECT)]
    assert got == expected
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) > 10
    assert all(str(p) == f"{SKOS}prefLabel" for _, p, _ in constructed)
    assert graph.query("ASK { ?s a ?c }").askAnswer is True


def test_plain_http_as_curl_sends_it(live_url):
    url = f"{live_url}/sparql?" + urllib.parse.urlencode({"query": SELECT})
    status, headers, body = http("GET", url, headers={"Accept": "*/*"})
    assert status == 200 and headers.get_content_type() == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"]
    etag = headers["ETag"]
    status, headers, body = http("GET", url, headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    status, headers, body = http("HEAD", url)
    assert status == 200 and body == b"" and headers["ETag"] == etag
    status, headers, _ = http("OPTIONS", f"{live_url}/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization"})
    assert status in (200, 204) and headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in headers["Access-Control-Allow-Headers"]
    status, _, body = http("POST", f"{live_url}/sparql", data=b"SELECT * WHERE {\n?s", headers={
        "Content-Type": "application/sparql-query"})
    assert status == 400 and json.loads(body)["line"] == 2
    status, headers, body = http("GET", f"{live_url}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and len(rdflib.Graph().parse(data=body, format="turtle")) > 10
