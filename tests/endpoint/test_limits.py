"""The time limit: a slow query is really stopped (503) and the server keeps answering others.

Embedded: the query's worker process is killed. Remote: the HTTP call to the store gives up
(the remote server is started with its own --timeout-s so it stops the query as well)."""

from __future__ import annotations

import json
import threading
import urllib.parse

import pytest

from oxigraph_server import OxigraphServer, require_oxigraph
from stelsel.config import Config
from stelsel.server import create_app
from stelsel.store import load_bundled

from .conftest import REPO
from .live import http, serving

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"


@pytest.fixture(scope="module")
def stopping_remote(tmp_path_factory):
    """A remote store whose server stops queries itself after 3 s (so a stopped query does not
    keep the session's shared server busy)."""
    from stelsel.remote_store import RemoteStore

    server = OxigraphServer(require_oxigraph(), location=tmp_path_factory.mktemp("oxigraph-limits") / "data",
                            timeout_s=3)
    server.start()
    config = Config(store=server.query_url, update_endpoint=server.update_url, gsp_endpoint=server.gsp_url,
                    content_root=REPO)
    store = RemoteStore.from_config(config)
    load_bundled(store, config)
    try:
        yield config, store
    finally:
        server.stop()


@pytest.fixture
def limited_app(backend, request):
    """An app whose configured time limit is 1 s."""
    if backend == "remote":
        config, store = request.getfixturevalue("stopping_remote")
    else:
        config, store = request.getfixturevalue("endpoint_config"), request.getfixturevalue("store")
    return create_app(config.replace(query_timeout=1), store=store)


def _get(url: str, query: str, **params) -> tuple[int, dict]:
    status, _, body = http("GET", f"{url}/sparql?" + urllib.parse.urlencode({"query": query, **params}),
                           headers={"Accept": "application/sparql-results+json"})
    return status, json.loads(body)


def test_a_slow_query_is_stopped_and_others_are_answered_meanwhile_and_after(limited_app):
    with serving(limited_app) as url:
        slow: list = []
        thread = threading.Thread(target=lambda: slow.append(_get(url, SLOW)))
        thread.start()
        meanwhile = _get(url, QUICK)
        thread.join()
        after = _get(url, QUICK)
    status, body = slow[0]
    assert status == 503
    assert body["error"] == "QueryTimeout" and "stopped after 1 s" in body["message"]
    assert "LIMIT" in body["hint"]
    assert meanwhile[0] == 200 and after[0] == 200
    assert int(after[1]["results"]["bindings"][0]["n"]["value"]) > 1000


def test_a_client_may_lower_the_limit_but_not_raise_it(limited_app):
    client = limited_app.test_client()
    r = client.get("/sparql", query_string={"query": SLOW, "timeout": "600"})
    assert r.status_code == 503 and "after 1 s" in r.get_json()["message"]     # not 600
    r = client.get("/sparql", query_string={"query": SLOW, "timeout": "0.5"})
    assert r.status_code == 503 and "after 0.5 s" in r.get_json()["message"]   # lowered from 1


def test_the_live_server_stops_a_query_by_the_timeout_parameter(live_url, backend):
    if backend == "remote":
        pytest.skip("the session's shared oxigraph server has no --timeout-s: the remote case runs against "
                    "its own server in the tests above")
    status, body = _get(live_url, SLOW, timeout="1")
    assert status == 503 and "stopped after 1 s" in body["message"]
    assert _get(live_url, QUICK)[0] == 200
