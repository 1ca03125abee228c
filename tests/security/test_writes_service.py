"""SERVICE and LOAD in an update: refused, and nothing is fetched, however they are spelled.

A real HTTP server on loopback counts every request it gets. The endpoint refuses an update that
shows SERVICE or LOAD; and the trial run (stelsel.writes) cannot open a connection at all, which
is what holds when the text hides the keyword (SILENT, codepoint escapes, a comment trick).
"""

from __future__ import annotations

import http.server
import threading

import pyoxigraph as ox
import pytest

from stelsel.writes import digests, try_update
from .writes_util import GRANTED, app_for, contents, post_update, small_store


@pytest.fixture
def remote():
    """A SPARQL-ish server on loopback that answers anything and counts what it got."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            hits.append(self.path)
            body = b'{"head":{"vars":["o"]},"results":{"bindings":[{"o":{"type":"literal","value":"fetched"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    server.shutdown()
    server.server_close()


def test_the_remote_server_is_really_reachable(remote):
    """The control: pyoxigraph does call it when nothing stops it (so 0 hits below means something)."""
    url, hits = remote
    store = ox.Store()
    store.update(f"INSERT {{ GRAPH <urn:g> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert hits and len(store) == 1


@pytest.mark.parametrize("template", [
    "INSERT {{ GRAPH <{g}> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "INSERT {{ GRAPH <{g}> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
    "INSERT {{ GRAPH <{g}> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ sErViCe <{u}> {{ ?s ?p ?o }} }}",
    "LOAD <{u}> INTO GRAPH <{g}>",
    "LOAD SILENT <{u}>",
], ids=["service", "service-silent", "mixed-case", "load", "load-silent"])
def test_an_update_that_names_service_or_load_is_refused_and_fetches_nothing(remote, tmp_path, template):
    url, hits = remote
    store = small_store(tmp_path / "store")
    client = app_for(store, tmp_path).test_client()
    before = contents(store)
    r = post_update(client, template.format(g=GRANTED, u=url))
    assert r.status_code == 403 and "never fetches" in r.get_json()["message"]
    assert hits == [] and contents(store) == before
    store.close()


@pytest.mark.parametrize("template", [
    "INSERT {{ GRAPH <urn:g> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "INSERT {{ GRAPH <urn:g> {{ <urn:s> <urn:p> ?o }} }} WHERE {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
    "LOAD <{u}> INTO GRAPH <urn:g>",
    "LOAD SILENT <{u}> INTO GRAPH <urn:g>",
], ids=["service", "service-silent", "load", "load-silent"])
def test_the_trial_run_cannot_reach_the_network_at_all(remote, template):
    """By effect: the same updates run by the trial itself, with no text check before it."""
    url, hits = remote
    store = ox.Store()
    reply = try_update(store, template.format(u=url), digests(store))
    assert hits == []
    assert reply[0] in ("network", "failed") or reply[:2] == ("changed", {}), reply
    assert len(store) == 0


def test_the_trial_can_open_files_again_afterwards(tmp_path):
    store = ox.Store()
    try_update(store, "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 1 } }", {})
    (tmp_path / "x").write_text("still possible")
    assert (tmp_path / "x").read_text() == "still possible"
