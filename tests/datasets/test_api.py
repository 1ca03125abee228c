"""The HTTP API: validate, register with partner tokens, list, show with the trace, delete; and
every kind of bad input answered with a clear 4xx, the store unchanged and nothing fetched."""

from __future__ import annotations

import json
import socket

import pytest

from .dsutil import FIXTURES, auth, dump

KB = (FIXTURES / "kb-dataset.jsonld").read_bytes()
RCE = (FIXTURES / "rce-dataset.ttl").read_bytes()
INVALID = (FIXTURES / "invalid.jsonld").read_bytes()
JSONLD, TURTLE = "application/ld+json", "text/turtle"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened: nothing may be fetched")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_validate_answers_200_for_valid_and_400_for_invalid(client, no_network):
    ok = client.post("/datasets/validate", data=KB, content_type=JSONLD)
    assert ok.status_code == 200 and ok.json["state"] == "valid" and ok.json["valid"] is True
    assert ok.json["datasets"] == ["https://data.example.org/id/dataset/prenten"]
    bad = client.post("/datasets/validate", data=INVALID, content_type=JSONLD)
    assert bad.status_code == 400 and bad.json["state"] == "invalid"
    assert any(f["severity"] == "Violation" and f["path"] == "https://schema.org/license" for f in bad.json["findings"])
    none = client.post("/datasets/validate", data=b'<https://example.org/x> a <https://schema.org/Person> .',
                       content_type=TURTLE)
    assert none.status_code == 400 and none.json["state"] == "no-dataset"


def test_the_report_by_accept(client):
    ttl = client.post("/datasets/validate", data=INVALID, content_type=JSONLD, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 400 and ttl.mimetype == "text/turtle" and b"sh:ValidationReport" in ttl.data
    jl = client.post("/datasets/validate", data=INVALID, content_type=JSONLD, headers={"Accept": JSONLD})
    assert jl.mimetype == JSONLD and "ValidationReport" in jl.get_data(as_text=True)
    en = client.post("/datasets/validate?lang=en", data=INVALID, content_type=JSONLD)
    assert any("licence" in f["message"] for f in en.json["findings"])


def test_register_needs_a_token(client, store):
    before = dump(store)
    r = client.post("/datasets", data=KB, content_type=JSONLD)
    assert r.status_code == 401 and dump(store) == before
    r = client.post("/datasets", data=KB, content_type=JSONLD, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and dump(store) == before


def test_a_partner_registers_lists_and_reads_its_dataset(client):
    r = client.post("/datasets?source=https://www.kb.nl/prenten.jsonld", data=KB, content_type=JSONLD,
                    headers=auth("kb"))
    assert r.status_code == 201, r.json
    ident = r.json["registered"][0]["id"]
    assert r.headers["Location"] == f"/datasets/{ident}" and ident.startswith("kb/")
    listed = client.get("/datasets").json
    assert listed["count"] == 1 and listed["datasets"][0]["status"] == "valid"
    assert client.get("/datasets?publisher=rce").json["count"] == 0
    assert client.get("/datasets?status=invalid").json["count"] == 0
    one = client.get(f"/datasets/{ident}").json
    assert one["provenance"]["agent"] == "kb-partner" and one["provenance"]["source"] == "https://www.kb.nl/prenten.jsonld"
    assert {p["notation"] for p in one["trace"]["principles"]} >= {"P2", "P5", "P6"}
    assert one["trace"]["nora_principles"]


def test_an_invalid_description_is_400_and_not_registered(client, store):
    before = dump(store)
    r = client.post("/datasets", data=INVALID, content_type=JSONLD, headers=auth("kb"))
    assert r.status_code == 400 and r.json["registered"] == [] and dump(store) == before


def test_a_partner_can_never_change_another_partners_datasets(client, store):
    assert client.post("/datasets", data=KB, content_type=JSONLD, headers=auth("kb")).status_code == 201
    ident = client.get("/datasets").json["datasets"][0]["id"]
    before = dump(store)
    # writing into KB's graphs with RCE's token
    r = client.post("/datasets?publisher=kb", data=KB, content_type=JSONLD, headers=auth("rce"))
    assert r.status_code == 403 and "another partner" in r.json["message"]
    # registering KB's dataset under its own name
    r = client.post("/datasets", data=KB, content_type=JSONLD, headers=auth("rce"))
    assert r.status_code == 403 and "registered by another partner (kb)" in r.json["message"]
    # deleting KB's dataset
    r = client.delete(f"/datasets/{ident}", headers=auth("rce"))
    assert r.status_code == 403
    assert dump(store) == before
    # its own are fine, and the owner and an admin may delete
    assert client.post("/datasets", data=RCE, content_type=TURTLE, headers=auth("rce")).status_code == 201
    assert client.delete(f"/datasets/{ident}", headers=auth("kb")).status_code == 204
    rce = client.get("/datasets?publisher=rce").json["datasets"][0]["id"]
    assert client.delete(f"/datasets/{rce}", headers=auth("admin")).status_code == 204
    assert client.get("/datasets").json["count"] == 0
    assert client.delete(f"/datasets/{rce}", headers=auth("admin")).status_code == 404


def test_an_admin_names_the_publisher(client):
    r = client.post("/datasets", data=KB, content_type=JSONLD, headers=auth("admin"))
    assert r.status_code == 400 and "publisher" in r.json["message"]
    r = client.post("/datasets?publisher=kb", data=KB, content_type=JSONLD, headers=auth("admin"))
    assert r.status_code == 201 and r.json["registered"][0]["id"].startswith("kb/")


BAD = [
    ("malformed turtle", b"<https://example.org/d> a a a .", TURTLE, 400, "not valid Turtle"),
    ("malformed json", b'{"@context": "https://schema.org/", ', JSONLD, 400, "not valid JSON"),
    ("remote context", json.dumps({"@context": "https://example.org/evil-context.jsonld", "@type": "Dataset",
                                   "@id": "https://example.org/d", "name": "x"}).encode(), JSONLD, 400, "remote context"),
    ("external entity", b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://example.org/x">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://example.org/d">
<rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>""", "application/rdf+xml", 400, "DOCTYPE"),
    ("unknown format", b"name,licence\nx,y\n", "text/csv", 415, "cannot read"),
    ("no body", b"", TURTLE, 400, "no body"),
    ("only a url", b'{"@id": "https://example.org/dataset.jsonld"}', JSONLD, 400, "does not fetch"),
    ("huge", b"# " + b"x" * 300_000, TURTLE, 413, "larger than"),
]


@pytest.mark.parametrize("name, body, kind, status, words", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("path", ["/datasets/validate", "/datasets"])
def test_bad_input_is_a_clear_4xx_and_changes_nothing(client, store, no_network, name, body, kind, status, words, path):
    before = dump(store)
    r = client.post(path, data=body, content_type=kind, headers=auth("kb"))
    assert r.status_code == status, r.json
    assert words in r.json["message"] and r.json["status"] == status
    assert dump(store) == before


def test_unknown_dataset_is_404(client):
    assert client.get("/datasets/kb/nope-00000000").status_code == 404
    assert client.get("/datasets/KB/x").status_code == 400
