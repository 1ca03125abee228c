"""The SPARQL endpoint through the Flask test client: the protocol basics and error shapes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib

from conftest import FIXTURES
from stelsel.server import create_app
from stelsel.sources import parse_paths
from stelsel.store import EmbeddedStore

Q = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l"


@pytest.fixture
def client(config):
    store = EmbeddedStore(None)
    store.replace_graphs(parse_paths([FIXTURES / "rdf" / "small.ttl"], config))
    return create_app(config, store=store).test_client()


def test_get_post_form_and_post_body_give_the_same_rows(client):
    answers = [
        client.get("/sparql", query_string={"query": Q}),
        client.post("/sparql", data={"query": Q}),
        client.post("/sparql", data=Q, content_type="application/sparql-query"),
    ]
    for r in answers:
        assert r.status_code == 200
        assert r.mimetype == "application/sparql-results+json"
        labels = [b["l"]["value"] for b in r.get_json()["results"]["bindings"]]
        assert labels == ["Een", "One", "Twee"]
        assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+xml",
     lambda body: len(ET.fromstring(body).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3),
    ("text/csv", lambda body: list(csv.reader(io.StringIO(body.decode())))[0] == ["s", "l"]),
    ("text/tab-separated-values", lambda body: body.decode().splitlines()[0] == "?s\t?l"),
])
def test_select_formats_by_accept(client, accept, check):
    r = client.get("/sparql", query_string={"query": Q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert check(r.data)


def test_construct_answers_rdf(client):
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.mimetype == "text/turtle"
    assert len(rdflib.Graph().parse(data=r.data, format="turtle")) == 4
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=r.data, format="json-ld")) == 4


def test_errors_have_the_right_status_and_one_json_shape(client):
    bad = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400
    body = bad.get_json()
    assert set(body) == {"error", "message", "hint", "status"} and body["status"] == 400
    assert "does not parse" in body["message"]
    assert client.get("/sparql", query_string={"query": Q}, headers={"Accept": "image/png"}).status_code == 406
    assert client.post("/sparql", data="x", content_type="text/plain").status_code == 415
    update = client.post("/sparql", data="DROP ALL", content_type="application/sparql-update")
    assert update.status_code == 400 and "read-only" in update.get_json()["message"]
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"] is True


def test_service_description_and_tool_pages(client):
    r = client.get("/sparql")
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in g
    assert client.get("/-/health").get_json()["status"] == "ok"
    assert json.loads(client.get("/-/version").data)["store_version"]
