"""Reading a query text without running it: form, dataset, SERVICE. (What an update writes is
never read from its text: tests/security/test_writes_*.py.)"""

from __future__ import annotations

import pytest

from stelsel.sparql_text import RefusedQuery, inspect_query


@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("prefix ex: <http://x/> base <http://b/> construct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("# SELECT in a comment\nASK { ?s ?p 'SELECT' }", "ASK"),
    ("DESCRIBE <http://x>", "DESCRIBE"),
    ("PREFIX select: <http://x/> DESCRIBE select:y", "DESCRIBE"),
    ("INSERT DATA { <a> <b> <c> }", None),
])
def test_the_query_form_is_the_first_form_keyword(text, form):
    assert inspect_query(text).form == form


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { sErViCe silent ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<http://x>{?s ?p ?o}}",
])
def test_service_is_found_however_it_is_written(text):
    assert inspect_query(text).service


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x> { }" }',
    "SELECT * WHERE { ?s ?p '''it's a SERVICE''' }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://x> {}",
    "PREFIX service: <http://x/> SELECT ?service WHERE { ?s service:SERVICE ?service }",
    'SELECT * WHERE { ?s ?p "x"@service }',
])
def test_service_in_strings_iris_comments_names_is_not_service(text):
    assert not inspect_query(text).service


def test_from_and_from_named_are_resolved():
    shape = inspect_query("BASE <http://b/> PREFIX g: <http://g/> SELECT * FROM g:one FROM <rel> "
                          "FROM NAMED <http://n/\\u0031> WHERE { ?s ?p ?o }")
    assert shape.from_graphs == ["http://g/one", "http://b/rel"]
    assert shape.from_named == ["http://n/1"]
    assert shape.has_dataset
    assert not inspect_query('SELECT * WHERE { ?s ?p "FROM <http://x>" }').has_dataset


def test_codepoint_escapes_outside_strings_are_refused():
    with pytest.raises(RefusedQuery, match="at 1:17"):
        inspect_query("SELECT * { SERVI\\u0043E <http://x> { ?s ?p ?o } }")
    assert not inspect_query('SELECT * { ?s ?p "\\u0041" }').service  # in a string: fine


# -- the reading agrees with the engine (seeded, so the same cases run every time) ------------------------
def test_every_service_call_pyoxigraph_would_make_is_found():
    import random

    import pyoxigraph as ox

    pieces = ['"', "'", '"""', "'''", "#", "\n", "<", ">", "<http://a>", "?x", "{", "}", ".", " ", "\\", '\\"',
              "SERVICE <http://localhost:1/> { ?s ?p ?o }", "service", "@en", "ex:", ":a", "_:b", "FILTER(?a<?b)",
              "(", ")", '"x"', "'y'", "<<", ">>", "^^", "|"]
    rng, store, calls = random.Random(1), ox.Store(), 0
    for _ in range(8000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        query = "PREFIX ex: <http://e/> PREFIX : <http://d/> SELECT * WHERE { " + body + " }"
        try:
            list(store.query(query))
            continue
        except SyntaxError:
            continue
        except OSError:       # pyoxigraph tried to call the (unreachable) service
            calls += 1
        try:
            assert inspect_query(query).service, query
        except RefusedQuery:
            pass
    assert calls > 20
