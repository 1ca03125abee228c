"""The dataset pages: list, dataset page (status, what to fix, DERA principles and services, trace to
NORA) and the paste-or-upload page, in Dutch and English."""

from __future__ import annotations

import io

import pytest

from .dsutil import FIXTURES, auth

HTML = {"Accept": "text/html"}
KB = (FIXTURES / "kb-dataset.jsonld").read_bytes()


@pytest.fixture
def registered(client):
    r = client.post("/datasets", data=KB, content_type="application/ld+json", headers=auth("kb"))
    assert r.status_code == 201
    return r.json["registered"][0]["id"]


def text(r) -> str:
    return r.get_data(as_text=True)


def test_the_list_in_both_languages(client, registered):
    nl = text(client.get("/datasets", headers=HTML))
    assert "<h1>Geregistreerde datasets</h1>" in nl and f'href="/datasets/{registered}"' in nl and "geldig" in nl
    assert 'extends' not in nl and "stelsel.css" in nl          # the site's frame
    en = text(client.get("/datasets?lang=en", headers=HTML))
    assert "<h1>Registered datasets</h1>" in en and "Prints from the collection" in en


def test_the_dataset_page_shows_status_trace_and_what_to_fix(client, registered):
    page = text(client.get(f"/datasets/{registered}", headers=HTML))
    assert "Prenten uit de collectie" in page and "Koninklijke Bibliotheek" in page
    assert "Wat deze dataset dient" in page and "DERA-principes" in page and "P5" in page
    assert "Spoor naar NORA" in page and "NAP" in page and "Vindbare datasets" in page
    assert "Wat te verbeteren" in page
    en = text(client.get(f"/datasets/{registered}?lang=en", headers=HTML))
    assert "What this dataset serves" in en and "Findable datasets" in en and "What to fix" in en


def test_paste_to_validate(client):
    form = text(client.get("/datasets/validate", headers=HTML))
    assert "<textarea" in form and 'type="file"' in form
    bad = (FIXTURES / "invalid.jsonld").read_text()
    r = client.post("/datasets/validate", data={"text": bad}, headers=HTML)
    page = text(r)
    assert r.status_code == 400 and "ongeldig" in page and "licentie" in page.lower()
    r = client.post("/datasets/validate?lang=en", data={"text": bad}, headers=HTML)
    assert "What to fix" in text(r) and "licence" in text(r)


def test_upload_to_validate(client):
    data = {"file": (io.BytesIO(KB), "prenten.jsonld")}
    r = client.post("/datasets/validate", data=data, content_type="multipart/form-data", headers=HTML)
    assert r.status_code == 200 and "geldig" in text(r)


def test_a_bad_paste_is_shown_on_the_page(client):
    r = client.post("/datasets/validate", data={"text": '{"@context": "https://example.org/ctx", "@type": "Dataset"}'},
                    headers=HTML)
    assert r.status_code == 400 and "remote context" in text(r) and "<form" in text(r)
