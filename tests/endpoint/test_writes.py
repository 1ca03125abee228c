"""Writing: SPARQL Update on /sparql and the Graph Store Protocol on /data, only with a bearer
token, and only into the graphs that token is granted; on both store backends."""

from __future__ import annotations

import json

import pytest
import rdflib

from stelsel.config import load_config
from stelsel.server import create_app
from stelsel.server.auth import hash_token

from .live import http, serving

A_PREFIX = "https://example.org/graph/a-"
B_GRAPH = "https://example.org/graph/b"
NORA = "https://w3id.org/stelsel/graph/nora"
TOKEN_A = "stl_test-token-for-graphs-under-a-0123456789abcdef"
TOKEN_B = "stl_test-token-for-graph-b-0123456789abcdef012345"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def insert(graph: str, value: str = "1") -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/s> <https://example.org/p> {value} }} }}"


@pytest.fixture
def writable(endpoint_config, store):
    config = endpoint_config.replace(tokens={
        "a": {"hash": hash_token(TOKEN_A), "graphs": [A_PREFIX + "*"]},
        "b": {"hash": hash_token(TOKEN_B), "graphs": [B_GRAPH]},
    })
    return create_app(config, store=store)


@pytest.fixture
def client(writable):
    return writable.test_client()


def update(client, text: str, token: str | None = TOKEN_A, **kwargs):
    headers = bearer(token) if token else {}
    return client.post("/sparql", data=text.encode("utf-8"), content_type="application/sparql-update",
                       headers=headers, **kwargs)


def graph_count(client, graph: str) -> int:
    r = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    return int(r.get_json()["results"]["bindings"][0]["n"]["value"])


# -- who may write ----------------------------------------------------------------------------------
def test_a_granted_update_is_applied_and_changes_the_version(client):
    before = client.get("/-/version").get_json()["store_version"]
    etag = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).headers["ETag"]
    r = update(client, insert(A_PREFIX + "1"))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["graphs"] == [A_PREFIX + "1"] and r.get_json()["token"] == "a"
    assert graph_count(client, A_PREFIX + "1") == 1
    assert client.get("/-/version").get_json()["store_version"] != before
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).headers["ETag"] != etag
    r = client.post("/sparql", data={"update": f"CLEAR GRAPH <{A_PREFIX}1>"}, headers=bearer(TOKEN_A))
    assert r.status_code == 200 and graph_count(client, A_PREFIX + "1") == 0


@pytest.mark.parametrize("headers, words", [
    ({}, "writing needs a token"),
    (bearer("stl_not-a-configured-token"), "not valid"),
    ({"Authorization": f"Basic {TOKEN_A}"}, "must be 'Bearer TOKEN'"),
])
def test_no_token_or_a_bad_one_gets_401_with_a_bearer_challenge(client, headers, words):
    r = client.post("/sparql", data=insert(A_PREFIX + "1"), content_type="application/sparql-update", headers=headers)
    assert r.status_code == 401 and words in r.get_json()["message"]
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert graph_count(client, A_PREFIX + "1") == 0


def test_a_token_is_not_accepted_as_a_url_or_form_parameter(client):
    r = client.post(f"/sparql?access_token={TOKEN_A}", data=insert(A_PREFIX + "1"),
                    content_type="application/sparql-update")
    assert r.status_code == 401 and "not accepted as a URL" in r.get_json()["message"]
    r = client.post("/sparql", data={"update": insert(A_PREFIX + "1"), "access_token": TOKEN_A})
    assert r.status_code == 401
    r = client.put(f"/data?graph={A_PREFIX}1&access_token={TOKEN_A}", data="<http://s> <http://p> 1 .",
                   content_type="text/turtle")
    assert r.status_code == 401
    assert graph_count(client, A_PREFIX + "1") == 0


@pytest.mark.parametrize("text, words", [
    (insert(B_GRAPH), f"may not write <{B_GRAPH}>"),
    (insert("https://example.org/graph/a"), "may not write"),            # the prefix is a-, not a
    (insert(NORA), "may not write"),
    ("INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }", "default graph"),
    (f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{NORA}> {{ ?s ?p ?o }} }}", "default graph"),
    ("INSERT { GRAPH ?g { <https://example.org/s> <https://example.org/p> 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
     "may not write <https://w3id.org/stelsel/graph/"),
    (f"WITH <{B_GRAPH}> INSERT {{ ?s ?p 1 }} WHERE {{ GRAPH <{NORA}> {{ ?s ?p ?o }} }}", "may not write"),
    (f"MOVE <{NORA}> TO <{A_PREFIX}1>", f"may not write <{NORA}>"),
    (f"COPY <{NORA}> TO DEFAULT", "default graph"),
    ("DROP ALL", "may not write"),
    ("CLEAR NAMED", "may not write"),
    (f"LOAD <https://example.org/data.ttl> INTO GRAPH <{A_PREFIX}1>", "LOAD is not allowed"),
    (insert(A_PREFIX + "1") + " ; " + insert(B_GRAPH), f"may not write <{B_GRAPH}>"),
], ids=["other-graph", "prefix-itself", "bundled", "default-data", "default-template", "variable", "with",
        "move-source", "copy-default", "drop-all", "clear-named", "load", "second-operation"])
def test_writes_outside_the_grant_get_403_and_change_nothing(client, text, words):
    r = update(client, text)
    assert r.status_code == 403, r.get_json()
    assert words in r.get_json()["message"]
    assert "insufficient_scope" in r.headers["WWW-Authenticate"]
    assert graph_count(client, A_PREFIX + "1") == 0 and graph_count(client, B_GRAPH) == 0


def test_each_token_writes_only_its_own_graphs(client):
    assert update(client, insert(B_GRAPH), token=TOKEN_B).status_code == 200
    assert update(client, insert(A_PREFIX + "x"), token=TOKEN_B).status_code == 403
    assert update(client, insert(A_PREFIX + "x"), token=TOKEN_A).status_code == 200
    assert graph_count(client, B_GRAPH) == 1 and graph_count(client, A_PREFIX + "x") == 1


def test_a_malformed_update_gets_400_with_a_position(client):
    r = update(client, "INSERT DATA { GRAPH <https://example.org/graph/a-1> {\n <s> <p> ")
    assert r.status_code == 400 and r.get_json()["line"] is not None


def test_tokens_come_from_the_config_file_or_the_environment(tmp_path):
    toml = tmp_path / "stelsel.toml"
    toml.write_text(f'[tokens.nde]\nhash = "{hash_token("x")}"\ngraphs = ["https://example.org/graph/nde-*"]\n')
    cfg = load_config(toml, environ={})
    assert cfg.tokens[0].name == "nde" and cfg.tokens[0].graphs == ("https://example.org/graph/nde-*",)
    env = {"STELSEL_TOKENS": json.dumps({"ci": {"hash": hash_token("y"), "graphs": [B_GRAPH]}})}
    assert [t.name for t in load_config(toml, environ=env).tokens] == ["ci"]


@pytest.mark.parametrize("table, words", [
    ('hash = "md5:abc"\ngraphs = ["https://x/g"]', "sha256"),
    (f'hash = "{hash_token("x")}"\ngraphs = []', "non-empty list"),
    (f'hash = "{hash_token("x")}"\ngraphs = ["relative/graph"]', "not an absolute IRI"),
    (f'hash = "{hash_token("x")}"\ngraphs = ["https://x/*/g"]', "not an absolute IRI"),
    (f'hash = "{hash_token("x")}"\ngraphs = ["https://x/g"]\ntoken = "plain"', "unknown key"),
])
def test_bad_token_settings_are_named(tmp_path, table, words):
    from stelsel.errors import ConfigError
    toml = tmp_path / "stelsel.toml"
    toml.write_text(f"[tokens.t]\n{table}\n")
    with pytest.raises(ConfigError, match=words):
        load_config(toml, environ={})


def test_stelsel_token_new_prints_a_token_once_and_its_config(cli, tmp_path):
    result = cli("token", "new", "nde", "--graph", "https://example.org/graph/nde-*", "--graph", B_GRAPH)
    assert result.exit_code == 0
    token = next(line.strip() for line in result.stdout.splitlines() if line.strip().startswith("stl_"))
    snippet = result.stdout[result.stdout.index("[tokens.nde]"):]
    toml = tmp_path / "t.toml"
    toml.write_text(snippet)
    cfg = load_config(toml, environ={})
    assert cfg.tokens[0].hash == hash_token(token) and token not in snippet
    assert cfg.tokens[0].graphs == ("https://example.org/graph/nde-*", B_GRAPH)
    assert cli("token", "new", "x", "--graph", "not-an-iri").exit_code == 2


# -- the Graph Store Protocol ----------------------------------------------------------------------------
TTL = "@prefix ex: <https://example.org/> .\nex:s ex:p 1, 2 ; ex:q \"drie\"@nl .\n"


def test_gsp_get_and_head_are_open(client, store):
    r = client.get("/data", query_string={"graph": NORA})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    size = next(g.triples for g in store.graphs() if g.iri == NORA)
    assert len(rdflib.Graph().parse(data=r.data, format="turtle")) == size
    head = client.head("/data", query_string={"graph": NORA})
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == r.headers["ETag"]
    assert client.get("/data", query_string={"graph": NORA}, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    r = client.get("/data", query_string={"graph": NORA}, headers={"Accept": "application/n-quads"})
    ds = rdflib.Dataset()
    ds.parse(data=r.data, format="nquads")
    assert {str(c.identifier) for c in ds.graphs() if len(c)} == {NORA}
    everything = client.get("/data?default", headers={"Accept": "application/n-triples"})
    assert len(rdflib.Graph().parse(data=everything.data, format="nt")) >= sum(g.triples for g in store.graphs()) - 50
    assert client.get("/data", query_string={"graph": "https://example.org/graph/none"}).status_code == 404
    assert client.get("/data").status_code == 400
    assert client.get("/data", query_string={"graph": NORA}, headers={"Accept": "image/png"}).status_code == 406


def test_gsp_put_post_delete_with_a_granted_token(client):
    target = f"/data?graph={A_PREFIX}gsp"
    assert client.put(target, data=TTL, content_type="text/turtle", headers=bearer(TOKEN_A)).status_code == 201
    assert graph_count(client, A_PREFIX + "gsp") == 3
    assert client.put(target, data='<https://example.org/s> <https://example.org/p> "9" .',
                      content_type="application/n-triples", headers=bearer(TOKEN_A)).status_code == 204
    assert graph_count(client, A_PREFIX + "gsp") == 1                      # replaced
    assert client.post(target, data=TTL, content_type="text/turtle", headers=bearer(TOKEN_A)).status_code == 204
    assert graph_count(client, A_PREFIX + "gsp") == 4                      # merged
    got = rdflib.Graph().parse(data=client.get(target).data, format="turtle")
    assert (rdflib.URIRef("https://example.org/s"), rdflib.URIRef("https://example.org/q"),
            rdflib.Literal("drie", lang="nl")) in got
    assert client.delete(target, headers=bearer(TOKEN_A)).status_code == 204
    assert client.get(target).status_code == 404
    assert client.delete(target, headers=bearer(TOKEN_A)).status_code == 404
    assert client.post(target, data=TTL, content_type="text/turtle", headers=bearer(TOKEN_A)).status_code == 201


@pytest.mark.parametrize("method, url, kwargs, status", [
    ("PUT", f"/data?graph={A_PREFIX}1", {"data": TTL, "content_type": "text/turtle"}, 401),
    ("PUT", f"/data?graph={B_GRAPH}", {"data": TTL, "content_type": "text/turtle", "headers": bearer(TOKEN_A)}, 403),
    ("DELETE", f"/data?graph={NORA}", {"headers": bearer(TOKEN_A)}, 403),
    ("POST", "/data?default", {"data": TTL, "content_type": "text/turtle", "headers": bearer(TOKEN_A)}, 403),
    ("PUT", f"/data?graph={A_PREFIX}1", {"data": "<a> <b> .", "content_type": "text/turtle",
                                          "headers": bearer(TOKEN_A)}, 400),
    ("PUT", f"/data?graph={A_PREFIX}1", {"data": TTL, "content_type": "text/plain", "headers": bearer(TOKEN_A)}, 415),
    ("PUT", f"/data?graph={A_PREFIX}*", {"data": TTL, "content_type": "text/turtle", "headers": bearer(TOKEN_A)}, 400),
    ("PUT", "/data?graph=relative", {"data": TTL, "content_type": "text/turtle", "headers": bearer(TOKEN_A)}, 400),
], ids=["no-token", "ungranted", "bundled", "default", "bad-turtle", "415", "star", "relative"])
def test_gsp_refusals(client, method, url, kwargs, status):
    r = client.open(url, method=method, **kwargs)
    assert r.status_code == status, r.get_json()
    assert r.get_json()["status"] == status
    if status == 400 and "bad" in str(kwargs.get("data")):
        assert r.get_json()["line"] == 1
    assert graph_count(client, A_PREFIX + "1") == 0


def test_gsp_bodies_over_the_limit_get_413(endpoint_config, store):
    config = endpoint_config.replace(max_request_bytes=500, tokens={"a": {"hash": hash_token(TOKEN_A),
                                                                          "graphs": [A_PREFIX + "*"]}})
    client = create_app(config, store=store).test_client()
    body = "".join(f"<https://example.org/s> <https://example.org/p> {i} .\n" for i in range(50))
    r = client.put(f"/data?graph={A_PREFIX}1", data=body, content_type="application/n-triples", headers=bearer(TOKEN_A))
    assert r.status_code == 413


# -- over real HTTP ---------------------------------------------------------------------------------------
@pytest.fixture
def writable_url(writable):
    """The writable app behind a real waitress server."""
    with serving(writable) as url:
        yield url


def test_updates_over_http(writable_url):
    url = f"{writable_url}/sparql"
    status, headers, _ = http("POST", url, insert(A_PREFIX + "live").encode(),
                               {"Content-Type": "application/sparql-update"})
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    status, _, _ = http("POST", url, insert(B_GRAPH).encode(),
                         {"Content-Type": "application/sparql-update", **bearer(TOKEN_A)})
    assert status == 403
    status, _, body = http("POST", url, insert(A_PREFIX + "live").encode(),
                            {"Content-Type": "application/sparql-update", **bearer(TOKEN_A)})
    assert status == 200, body
    status, _, body = http("GET", f"{writable_url}/data?graph={A_PREFIX}live", headers={"Accept": "application/n-triples"})
    assert status == 200 and len(rdflib.Graph().parse(data=body, format="nt")) == 1


def test_an_update_the_store_cannot_apply_is_400_and_changes_nothing(client, backend):
    r = update(client, insert(A_PREFIX + "1") + f" ; CLEAR GRAPH <{A_PREFIX}missing>")
    # tried on a copy first (both backends): the remote server never sees it
    assert r.status_code == 400, r.get_json()
    assert "does not exist" in r.get_json()["message"]
    assert graph_count(client, A_PREFIX + "1") == 0
