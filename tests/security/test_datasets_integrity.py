"""Dataset registrations belong to their publisher: no squatting, no writing around /datasets.

- A partner registers only datasets whose publisher is its own organisation (its token's
  ``publishers``, ``id:org/<slug>`` or what the curated stelsel links to it); an admin anyone's.
- A partner token cannot write ``…/graph/datasets/`` through the Graph Store Protocol or SPARQL
  Update (a fake "valid" record there would block the real owner); only through ``/datasets``.
- ``role = "admin"`` in the settings makes an admin, as docs/datasets.md says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stelsel.config import Config, load_config
from stelsel.server import create_app
from stelsel.server.auth import hash_token
from stelsel.store import EmbeddedStore, load_bundled

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "datasets" / "fixtures"
KB = (FIXTURES / "kb-dataset.jsonld").read_bytes()
DATASETS = "https://w3id.org/stelsel/graph/datasets/"
SECRETS = {"kb": "stl_kb-0123456789abcdef0123456789abcdef0123456", "rce": "stl_rce-0123456789abcdef0123456789abcdef012345",
           "boss": "stl_boss-0123456789abcdef0123456789abcdef01234"}


def auth(who: str) -> dict:
    return {"Authorization": f"Bearer {SECRETS[who]}"}


@pytest.fixture(scope="module")
def bundled():
    cfg = Config(content_root=REPO)
    store = EmbeddedStore(None)
    load_bundled(store, cfg)
    return set(store._store.quads_for_pattern(None, None, None, None))


@pytest.fixture
def store(bundled):
    s = EmbeddedStore(None)
    s._store.extend(bundled)
    return s


@pytest.fixture
def client(tmp_path, store):
    toml = tmp_path / "stelsel.toml"
    toml.write_text(f"""
[tokens.kb]
hash = "{hash_token(SECRETS['kb'])}"
graphs = ["{DATASETS}kb/*"]
publishers = ["https://www.kb.nl/"]

[tokens.rce]
hash = "{hash_token(SECRETS['rce'])}"
graphs = ["{DATASETS}rce/*", "https://example.org/graph/rce-*"]

[tokens.boss]
hash = "{hash_token(SECRETS['boss'])}"
graphs = ["https://example.org/graph/boss"]
role = "admin"
""")
    config = load_config(toml, environ={}, content_root=str(REPO), query_workers=0)
    return create_app(config, store).test_client()


def everything(store) -> set:
    return set(store._store.quads_for_pattern(None, None, None, None))


def test_a_partner_cannot_register_a_dataset_of_another_organisation(client, store):
    before = everything(store)
    r = client.post("/datasets", data=KB, content_type="application/ld+json", headers=auth("rce"))
    assert r.status_code == 403, r.json
    assert "names <https://www.kb.nl/> as its publisher" in r.json["message"]
    assert "publishers" in r.json["hint"]
    assert everything(store) == before


def test_the_real_owner_registers_its_own(client):
    r = client.post("/datasets", data=KB, content_type="application/ld+json", headers=auth("kb"))
    assert r.status_code == 201, r.json


def test_a_publisher_the_description_itself_links_is_no_proof(client, store):
    """sameAs inside the description (or in the partner's own registration graphs) vouches for nothing."""
    doc = json.loads(KB)
    doc["publisher"]["sameAs"] = "https://w3id.org/stelsel/id/org/rce"
    r = client.post("/datasets", data=json.dumps(doc).encode(), content_type="application/ld+json", headers=auth("rce"))
    assert r.status_code == 403


@pytest.mark.parametrize("how", ["gsp-put", "gsp-post", "update"])
def test_a_partner_cannot_write_registration_graphs_around_datasets(client, store, how):
    """The squat of issue 9: a fake record under its own prefix, naming someone else's dataset."""
    graph = f"{DATASETS}rce/prenten-fake"
    record = (f"<{graph}> a <http://www.w3.org/ns/dcat#CatalogRecord> ; "
              "<http://xmlns.com/foaf/0.1/primaryTopic> <https://data.example.org/id/dataset/prenten> .")
    before = everything(store)
    if how == "update":
        r = client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{graph}> {{ {record} }} }}",
                        content_type="application/sparql-update", headers=auth("rce"))
    else:
        method = client.put if how == "gsp-put" else client.post
        r = method(f"/data?graph={graph}", data=record, content_type="text/turtle", headers=auth("rce"))
    assert r.status_code == 403 and "POST /datasets" in r.json["message"], r.json
    assert everything(store) == before
    # so the real owner can still register
    assert client.post("/datasets", data=KB, content_type="application/ld+json", headers=auth("kb")).status_code == 201


def test_its_other_graphs_stay_writable(client):
    r = client.put("/data?graph=https://example.org/graph/rce-notes", data="<urn:s> <urn:p> 1 .",
                   content_type="text/turtle", headers=auth("rce"))
    assert r.status_code == 201


def test_the_admin_role_registers_for_anyone_and_writes_registration_graphs(client, store):
    r = client.post("/datasets?publisher=kb", data=KB, content_type="application/ld+json", headers=auth("boss"))
    assert r.status_code == 201, r.json
    ident = r.json["registered"][0]["id"]
    r = client.put(f"/data?graph={DATASETS}rce/correction", data="<urn:s> <urn:p> 1 .",
                   content_type="text/turtle", headers=auth("boss"))
    assert r.status_code == 403            # an admin of registrations, not of every graph: not granted
    assert client.delete(f"/datasets/{ident}", headers=auth("kb")).status_code == 204


def test_role_must_be_admin(tmp_path):
    from stelsel.errors import ConfigError
    toml = tmp_path / "stelsel.toml"
    toml.write_text(f'[tokens.x]\nhash = "{hash_token("x")}"\ngraphs = ["https://e/g"]\nrole = "root"\n')
    with pytest.raises(ConfigError, match="role must be"):
        load_config(toml, environ={})
