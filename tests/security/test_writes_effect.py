"""Writes are authorised by what they change (stelsel.writes), never by a reading of their text.

The attack of issue 9: a comment ended by a carriage return hides the rest of the line from a
checker that ends comments at a newline, while SPARQL (and pyoxigraph) end it at ``\\r`` too. Here
the checker *is* the engine: the update runs on a worker's copy and the graphs that changed there
are the ones checked and written. Every test compares the store's content before and after.
"""

from __future__ import annotations

import pytest

from .writes_util import (BUNDLED, DEFAULT, GRANTED, OTHER, app_for, changed, contents, post_update)


@pytest.fixture
def client(store, tmp_path):
    return app_for(store, tmp_path).test_client()


def insert(graph: str, value: str = '"x"') -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:s> <urn:p> {value} }} }}"


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n", "\u2028"], ids=["cr", "crlf", "lf", "line-separator"])
def test_a_comment_cannot_hide_drop_all(client, store, end):
    before = contents(store)
    r = post_update(client, f"{insert(GRANTED)} #c{end}; DROP ALL\n")
    after = contents(store)
    if r.status_code == 200:          # the comment ran to the end of the text: only graph a-1 changed
        assert end == "\u2028" and changed(before, after) == {GRANTED} and r.get_json()["graphs"] == [GRANTED]
    else:                             # DROP ALL ran on the copy: refused, and nothing was written
        assert r.status_code == 403 and "token 'a' may not write" in r.get_json()["message"] or \
            "default graph" in r.get_json()["message"], r.get_json()
        assert after == before


def test_the_issue_case_exactly(client, store):
    before = contents(store)
    r = post_update(client, 'INSERT DATA { GRAPH <' + GRANTED + '> { <urn:s> <urn:p> "x" } } #c\r; DROP ALL\n')
    assert r.status_code == 403 and contents(store) == before


def test_a_graph_chosen_at_run_time_is_checked_as_run(client, store):
    """The same text may pick another graph on each run: what is written is what was checked."""
    text = (f'INSERT {{ GRAPH ?g {{ <urn:s> <urn:p> "r" }} }} WHERE {{ '
            f'BIND(IRI(IF(RAND() < 0.5, "{GRANTED}", "{OTHER}")) AS ?g) }}')
    for _ in range(8):
        before = contents(store)
        r = post_update(client, text)
        after = contents(store)
        if r.status_code == 200:
            assert changed(before, after) <= {GRANTED}
        else:
            assert r.status_code == 403 and after == before


def test_the_write_log_names_the_graphs_actually_changed(client, store, caplog):
    caplog.set_level("INFO", logger="stelsel.write")
    r = post_update(client, f"{insert(GRANTED)} ; DELETE WHERE {{ GRAPH <{GRANTED}> {{ <urn:nothing> ?p ?o }} }}")
    assert r.status_code == 200 and r.get_json()["graphs"] == [GRANTED]
    assert f"changed <{GRANTED}>" in caplog.text
    r = post_update(client, f"DELETE WHERE {{ GRAPH <{OTHER}> {{ <urn:nothing> ?p ?o }} }}")
    assert r.status_code == 200 and r.get_json()["graphs"] == []     # no effect: nothing to refuse
    assert "changed nothing" in caplog.text


def test_a_granted_update_changes_exactly_what_the_engine_would(client, store):
    import pyoxigraph as ox
    text = (f"DELETE {{ GRAPH <{GRANTED}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{GRANTED}> {{ ?s ?p ?n }} }} "
            f"WHERE {{ GRAPH <{BUNDLED}> {{ ?s ?p ?b }} GRAPH <{GRANTED}> {{ ?s ?p ?o }} BIND(CONCAT(?o, '!') AS ?n) }}")
    reference = ox.Store()
    reference.extend(store._store.quads_for_pattern(None, None, None, None))
    reference.update(text)
    assert post_update(client, text).status_code == 200
    assert set(map(str, store._store.quads_for_pattern(None, None, None, None))) == set(map(str, reference))


def test_an_update_has_a_time_limit(client, store):
    before = contents(store)
    patterns = " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(7))
    slow = (f"INSERT {{ GRAPH <{GRANTED}> {{ ?s0 <urn:p> ?o1 }} }} WHERE {{ {patterns} "
            "FILTER(STRLEN(CONCAT(STR(?o0), STR(?o3), STR(?o6))) < 0) }")
    r = post_update(client, slow, timeout="1")
    assert r.status_code == 503 and "update was stopped after 1 s" in r.get_json()["message"]
    assert contents(store) == before
    assert post_update(client, insert(GRANTED)).status_code == 200      # the pool recovered


@pytest.mark.parametrize("text, status", [
    ("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> ", 400),
    (f"CLEAR GRAPH <{GRANTED}-missing>", 400),
    ("", 400),
], ids=["syntax", "missing-graph", "empty"])
def test_bad_updates_are_4xx_and_change_nothing(client, store, text, status):
    before = contents(store)
    r = post_update(client, text)
    assert r.status_code == status and r.get_json()["message"]
    assert contents(store) == before


def test_the_default_graph_is_checked_too(client, store):
    before = contents(store)
    r = post_update(client, f"DELETE WHERE {{ ?s ?p ?o }}")
    assert r.status_code == 403 and "default graph" in r.get_json()["message"]
    assert contents(store) == before and before[DEFAULT]


def test_queries_see_committed_writes_and_never_a_refused_trial(client, store):
    """The worker that tried an update keeps its copy only when the trial was committed."""
    def total() -> int:
        r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
        return int(r.get_json()["results"]["bindings"][0]["n"]["value"])
    start = total()
    for _ in range(3):          # every worker gets to try one
        assert post_update(client, "DROP ALL").status_code == 403
        assert total() == start
    assert post_update(client, insert(GRANTED, '"new"')).status_code == 200
    assert total() == start + 1
    assert post_update(client, f"DROP GRAPH <{OTHER}>").status_code == 403
    assert total() == start + 1
    assert post_update(client, f'DELETE DATA {{ GRAPH <{GRANTED}> {{ <urn:s> <urn:p> "new" }} }}').status_code == 200
    assert total() == start
