"""The query executor: worker processes with store copies, really stopped at the time limit."""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest

from conftest import FIXTURES
from stelsel.executor import (Answer, AnswerCache, QueryExecutor, QueryOptions, QueryTimeout, executor_for,
                              render_result)
from stelsel.sources import parse_paths
from stelsel.sparql_text import QuerySyntaxError
from stelsel.store import EmbeddedStore

_HUNDRED = " ".join(str(i) for i in range(100))
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?{v} {{ {_HUNDRED} }}" for v in "abcdef") + " }")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def store(config):
    s = EmbeddedStore(None)
    s.replace_graphs(parse_paths([FIXTURES / "rdf" / "small.ttl"], config))
    return s


@pytest.fixture
def executor(store):
    ex = QueryExecutor(store, workers=2)
    yield ex
    ex.close()


def count(answer: Answer) -> int:
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_a_query_runs_in_a_worker_and_sees_writes(executor, store, config):
    assert count(executor.run(COUNT, QueryOptions(), "json", 10)) == 4
    store.update("INSERT DATA { GRAPH <https://example.org/g/new> { <http://s> <http://p> 1, 2 } }")
    assert count(executor.run(COUNT, QueryOptions(), "json", 10)) == 6   # the copy was refreshed
    answer = executor.run(COUNT, QueryOptions(union_default=False, default_graph=("https://example.org/g/new",)),
                          "json", 10)
    assert count(answer) == 2


def test_a_slow_query_is_stopped_and_the_pool_keeps_answering(executor):
    executor.start()
    answers = []
    slow = threading.Thread(target=lambda: answers.append(_catch(executor, SLOW, 1.0)))
    slow.start()
    assert count(executor.run(COUNT, QueryOptions(), "json", 30)) == 4    # the other worker answers meanwhile
    slow.join()
    assert isinstance(answers[0], QueryTimeout) and "stopped after 1 s" in answers[0].message
    assert executor.restarts == 1
    assert count(executor.run(COUNT, QueryOptions(), "json", 30)) == 4    # and after


def _catch(executor, query, timeout):
    try:
        return executor.run(query, QueryOptions(), "json", timeout)
    except Exception as exc:  # noqa: BLE001
        return exc


def test_a_syntax_error_has_its_position_and_keeps_the_worker(executor):
    with pytest.raises(QuerySyntaxError) as err:
        executor.run("SELECT ?x\nWHERE { ?x ", QueryOptions(), "json", 10)
    assert (err.value.line, err.value.column) == (2, 12)
    assert "error at 2:12" in err.value.message
    assert executor.restarts == 0


def test_rows_are_limited_and_the_cut_is_reported(executor):
    answer = executor.run("SELECT * WHERE { ?s ?p ?o }", QueryOptions(), "json", 10, max_rows=3)
    assert answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 3
    answer = executor.run("SELECT * WHERE { ?s ?p ?o }", QueryOptions(), "csv", 10, max_rows=4)
    assert not answer.truncated and answer.body.count(b"\r\n") == 5
    answer = executor.run("CONSTRUCT WHERE { ?s ?p ?o }", QueryOptions(), "ntriples", 10, max_rows=2)
    assert answer.truncated and len(answer.body.splitlines()) == 2


def test_in_process_when_there_are_no_workers(store):
    ex = QueryExecutor(store, workers=0)
    assert not ex.pooled
    assert count(ex.run(COUNT, QueryOptions(), "json", 10)) == 4
    with pytest.raises(QuerySyntaxError) as err:
        ex.run("SELECT * WHERE {", QueryOptions(), "json", 10)
    assert err.value.line == 1


def test_apps_over_one_store_share_its_executor(store):
    assert executor_for(store, 2) is executor_for(store, 2)
    assert executor_for(store, 2) is not executor_for(store, 1)


def test_json_results_write_every_kind_of_term():
    scratch = ox.Store()
    result = scratch.query('SELECT ?i ?l ?t ?b ?n ?u WHERE { VALUES (?i ?l ?t ?b) { '
                           '(<http://x> "hallo"@nl "1"^^<http://www.w3.org/2001/XMLSchema#integer> "plain") } '
                           'BIND(BNODE() AS ?n) }')
    body = json.loads(render_result(result, "json", None).body)
    assert body["head"]["vars"] == ["i", "l", "t", "b", "n", "u"]
    row = body["results"]["bindings"][0]
    assert row["i"] == {"type": "uri", "value": "http://x"}
    assert row["l"] == {"type": "literal", "value": "hallo", "xml:lang": "nl"}
    assert row["t"] == {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["b"] == {"type": "literal", "value": "plain"}
    assert row["n"]["type"] == "bnode" and "u" not in row
    # and pyoxigraph reads it back
    back = ox.parse_query_results(render_result(scratch.query("SELECT * { BIND(1 AS ?x) }"), "json", None).body,
                                  format=ox.QueryResultsFormat.JSON)
    assert [s["x"].value for s in back] == ["1"]


def test_the_cache_is_bounded_by_entries_and_bytes():
    cache = AnswerCache(entries=2, max_bytes=800)
    for key in "abc":
        cache.put(key, Answer(b"x" * 10))
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") is not None
    cache.put("big", Answer(b"x" * 200))       # more than an eighth of the bytes: not kept
    assert cache.get("big") is None
    small = AnswerCache(entries=100, max_bytes=800)
    for i in range(20):
        small.put(str(i), Answer(b"x" * 90))
    assert len(small) == 8


def test_a_worker_whose_snapshot_vanished_loads_the_next_one(store, tmp_path):
    ex = QueryExecutor(store, workers=1)
    try:
        with ex._lock:
            ex._started = True
            ex._idle.put(ex._spawn("an-old-version", str(tmp_path / "gone.nq")))
        assert count(ex.run(COUNT, QueryOptions(), "json", 30)) == 4
        assert ex.restarts == 0
    finally:
        ex.close()
