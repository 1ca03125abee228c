"""The whole dataset over HTTP: query workers see the default graph, and a token granted ``*``
(only such a token) may write it and replace the whole dataset (GSP with TriG/N-Quads, DROP ALL)."""

from __future__ import annotations

import pytest

from .writes_util import (BUNDLED, DEFAULT, GRANTED, OTHER, app_for, bearer, changed, contents, post_update)


@pytest.fixture
def client(store, tmp_path):
    return app_for(store, tmp_path, union_default_graph=False, query_workers=2).test_client()


def count(client, where: str = "?s ?p ?o") -> int:
    r = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    assert r.status_code == 200, r.get_json()
    return int(r.get_json()["results"]["bindings"][0]["n"]["value"])


def test_query_workers_see_the_default_graph(client, store):
    assert contents(store)[DEFAULT] and count(client) == 3       # the default graph itself, in a worker


def test_only_a_star_token_writes_the_default_graph(client, store):
    text = 'INSERT DATA { <urn:s> <urn:p> "in the default graph" }'
    before = contents(store)
    r = post_update(client, text, token="a")
    assert r.status_code == 403 and "only a token granted '*'" in r.get_json()["message"]
    assert contents(store) == before
    r = post_update(client, text, token="all")
    assert r.status_code == 200 and r.get_json()["graphs"] == [DEFAULT]
    assert changed(before, contents(store)) == {DEFAULT} and count(client) == 4


def test_drop_all_only_with_star(client, store):
    before = contents(store)
    assert post_update(client, "DROP ALL", token="a").status_code == 403 and contents(store) == before
    r = post_update(client, "DROP ALL", token="all")
    assert r.status_code == 200 and set(r.get_json()["graphs"]) == {DEFAULT, GRANTED, OTHER, BUNDLED}
    assert contents(store) == {} and count(client) == 0


def test_gsp_default_graph(client, store):
    body = "<urn:s> <urn:p> 42 ."
    assert client.put("/data?default", data=body, content_type="text/turtle", headers=bearer("a")).status_code == 403
    r = client.put("/data?default", data=body, content_type="text/turtle", headers=bearer("all"))
    assert r.status_code == 204 and len(contents(store)[DEFAULT]) == 1
    r = client.post("/data?default", data="<urn:s> <urn:p> 43 .", content_type="text/turtle", headers=bearer("all"))
    assert r.status_code == 204 and len(contents(store)[DEFAULT]) == 2
    assert client.delete("/data?default", headers=bearer("all")).status_code == 204
    assert DEFAULT not in contents(store)


TRIG = f"""<urn:s> <urn:p> "default" .
<{GRANTED}> {{ <urn:s> <urn:p> "granted" . }}
<https://example.org/graph/new> {{ <urn:s> <urn:p> "new" . }}
"""


def test_gsp_replaces_the_whole_dataset_with_trig_only_with_star(client, store):
    before = contents(store)
    r = client.put("/data", data=TRIG, content_type="application/trig", headers=bearer("a"))
    assert r.status_code == 403 and "whole dataset" in r.get_json()["message"] and contents(store) == before
    r = client.put("/data", data=TRIG, content_type="application/trig", headers=bearer("all"))
    assert r.status_code == 204
    assert contents(store) == {DEFAULT: {'<urn:s> <urn:p> "default"'}, GRANTED: {'<urn:s> <urn:p> "granted"'},
                               "https://example.org/graph/new": {'<urn:s> <urn:p> "new"'}}
    assert count(client) == 1


def test_gsp_post_of_quads_is_checked_per_graph(client, store):
    before = contents(store)
    mine = f'<urn:s> <urn:p> "q" <{GRANTED}> .\n'
    theirs = mine + f'<urn:s> <urn:p> "q" <{OTHER}> .\n'
    r = client.post("/data", data=theirs, content_type="application/n-quads", headers=bearer("a"))
    assert r.status_code == 403 and contents(store) == before
    r = client.post("/data", data=mine, content_type="application/n-quads", headers=bearer("a"))
    assert r.status_code == 204 and changed(before, contents(store)) == {GRANTED}
    r = client.post("/data", data='<urn:s> <urn:p> "d" .\n', content_type="application/n-quads", headers=bearer("a"))
    assert r.status_code == 403 and "default graph" in r.get_json()["message"]


def test_a_whole_dataset_body_passes_the_input_gate(client, store):
    """TriG and N-Quads bodies go through the same gate as one graph's body: a leading BOM is
    dropped, and a malformed body is a 400 that names the line, with nothing written."""
    r = client.post("/data", data=b"\xef\xbb\xbf" + f'<urn:s> <urn:p> "bom" <{GRANTED}> .\n'.encode(),
                    content_type="application/n-quads", headers=bearer("a"))
    assert r.status_code == 204, r.get_json()
    before = contents(store)
    r = client.put("/data", data=TRIG + "<urn:broken> {\n", content_type="application/trig", headers=bearer("all"))
    assert r.status_code == 400 and r.get_json()["line"] == 5, r.get_json()
    assert contents(store) == before
