"""The "Suggesties" section on element pages, GET /suggest and POST /suggest/accept (Flask test
client on the bundled stelsel); the home page lists GEMMA and GDI."""

from __future__ import annotations

import shutil
from pathlib import Path

import html5lib
import pytest

from stelsel.config import Config, TokenGrant
from stelsel.server import create_app
from stelsel.server.auth import hash_token
from stelsel.store import EmbeddedStore, load_bundled

REPO = Path(__file__).resolve().parents[2]
GRAPH = "https://w3id.org/stelsel/graph/"
TOKENS = {"dera": "dera-secret-token-0123456789", "gemma": "gemma-secret-token-0123456789"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "store"
    store = EmbeddedStore(path)
    load_bundled(store, Config(store=path, content_root=REPO))
    tokens = (TokenGrant("dera-owner", hash_token(TOKENS["dera"]), (GRAPH + "dera",)),
              TokenGrant("gemma-owner", hash_token(TOKENS["gemma"]), (GRAPH + "gemma",)))
    app = create_app(Config(store=path, content_root=REPO, query_workers=0, tokens=tokens), store=store)
    yield app.test_client()
    store.close()


def section(html: str):
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return doc.find(".//section[@aria-labelledby='suggestions']")


def test_element_page_shows_suggestions_with_reasons(client):
    response = client.get("/id/gemma/GAP18")
    assert response.status_code == 200
    found = section(response.get_data(as_text=True))
    assert found is not None and found.find(".//h2").text == "Suggesties"
    items = found.findall("./ol[@class='suggestions']/li")  # ranked, best first
    assert len(items) == 5
    links = [item.find("./a").get("href") for item in items]
    assert all(link.startswith("/id/nora/") for link in links)
    assert all(item.find("./ul[@class='why']/li").text for item in items)  # a reason for every suggestion
    shown = client.get("/id/gemma/GAP18.json").get_json()["suggestions"]["items"]
    assert links == ["/id/nora/" + s["target"].rsplit("/", 1)[-1] for s in shown]  # in the ranked order


def test_english_and_json_twin(client):
    assert section(client.get("/id/gemma/GAP18?lang=en").get_data(as_text=True)).find(".//h2").text == "Suggestions"
    assert len(client.get("/id/gemma/GAP18.json").get_json()["suggestions"]["items"]) == 5


def test_no_suggestions_for_nora_itself(client):
    assert section(client.get("/id/nora/NAP01").get_data(as_text=True)) is None


def test_get_suggest_json(client):
    response = client.get("/suggest?element=dera/P7&k=3")
    assert response.status_code == 200
    body = response.get_json()
    assert body["element"].endswith("/dera/P7") and len(body["suggestions"]) == 3
    assert client.get("/suggest?element=dera/NIETS").status_code == 400
    assert client.get("/suggest").status_code == 400


def test_accept_needs_the_owners_token(client):
    target = client.get("/suggest?element=dera/P7&k=1").get_json()["suggestions"][0]["target"]
    body = {"element": "dera/P7", "target": target, "comment": "Past bij P7.", "reviewer_id": "https://example.org/nde"}
    assert client.post("/suggest/accept", json=body).status_code == 401
    wrong = client.post("/suggest/accept", json=body, headers={"Authorization": f"Bearer {TOKENS['gemma']}"})
    assert wrong.status_code == 403
    done = client.post("/suggest/accept", json=body, headers={"Authorization": f"Bearer {TOKENS['dera']}"})
    assert done.status_code == 201, done.get_json()
    review = client.get("/review/" + done.get_json()["alignment"].split("/id/", 1)[1]).get_json()
    assert review["status"] == "Vastgesteld" and review["reviews"][0]["comment"] == "Past bij P7."


def test_home_lists_gemma_and_gdi(client):
    html = client.get("/").get_data(as_text=True)
    assert "GEMMA" in html and "GDI" in html
