"""Reading a SPARQL text without running it: form, dataset, SERVICE, and what an update writes."""

from __future__ import annotations

import pytest

from stelsel.sparql_text import (ALL, DEFAULT, NAMED, LoadRefused, QuerySyntaxError, RefusedQuery,
                                 inspect_query, update_targets)


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


def _targets(update: str) -> list[tuple[str, str]]:
    return [(t.operation, t.graph) for t in update_targets(update)]


def test_update_targets_cover_every_kind_of_operation():
    assert _targets("PREFIX g: <http://g/> INSERT DATA { GRAPH g:a { <http://s> <http://p> 1 } }") == \
        [("INSERT DATA", "http://g/a")]
    assert _targets("INSERT DATA { <http://s> <http://p> 1 }") == [("INSERT DATA", DEFAULT)]
    assert _targets("DELETE DATA { GRAPH <http://g/a> { <http://s> <http://p> 1 } }") == [("DELETE DATA", "http://g/a")]
    assert _targets("WITH <http://g/w> DELETE { ?s ?p ?o } INSERT { GRAPH <http://g/x> { ?s ?p 1 } } "
                    "WHERE { ?s ?p ?o }") == [("DELETE", "http://g/w"), ("INSERT", "http://g/x")]
    assert _targets("DELETE { ?s ?p ?o } WHERE { GRAPH <http://g/a> { ?s ?p ?o } }") == [("DELETE", DEFAULT)]
    assert _targets("DELETE WHERE { GRAPH <http://g/d> { ?s ?p ?o } }") == [("DELETE WHERE", "http://g/d")]
    assert _targets("CLEAR GRAPH <http://g/c>; DROP ALL; CLEAR NAMED; CREATE GRAPH <http://g/n>; DROP DEFAULT") == \
        [("CLEAR", "http://g/c"), ("DROP", ALL), ("CLEAR", NAMED), ("CREATE", "http://g/n"), ("DROP", DEFAULT)]
    assert _targets("ADD <http://g/a> TO <http://g/b>; COPY DEFAULT TO <http://g/c>; MOVE <http://g/d> TO <http://g/e>") == \
        [("ADD", "http://g/b"), ("COPY", "http://g/c"), ("MOVE (from)", "http://g/d"), ("MOVE", "http://g/e")]
    variable = update_targets("INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }")[0]
    assert variable.variable and variable.graph == "g"


def test_load_and_escapes_and_garbage_are_refused():
    with pytest.raises(LoadRefused):
        update_targets("LOAD <http://example.org/data.ttl> INTO GRAPH <http://g/a>")
    with pytest.raises(RefusedQuery, match="codepoint escapes"):
        update_targets('INSERT DATA { GRAPH <http://g/a> { <http://s> <http://p> "x\\u0022 } }')
    with pytest.raises(RefusedQuery, match="BASE"):
        update_targets("BASE <http://g/> INSERT DATA { GRAPH <a> { <http://s> <http://p> 1 } }")
    assert _targets("INSERT DATA { GRAPH <a> { <http://s> <http://p> 1 } }") == [("INSERT DATA", "a")]
    with pytest.raises(QuerySyntaxError) as err:
        update_targets("INSERT DATA { GRAPH <http://g/a> { <http://s> <http://p> 1 }")
    assert err.value.line is not None
    with pytest.raises(QuerySyntaxError):
        update_targets("INSERT DATA { GRAPH undeclared:a { <http://s> <http://p> 1 } }")


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


def test_no_update_writes_a_graph_its_reading_does_not_name():
    import random

    import pyoxigraph as ox

    ops = ["INSERT DATA { GRAPH <http://g/a> { <http://s> <http://p> 1 } }", "INSERT DATA { <http://s> <http://p> 2 }",
           "DELETE DATA { GRAPH <http://g/b> { <http://s> <http://p> 'http://g/b' } }",
           "WITH <http://g/c> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "INSERT { GRAPH <http://g/new> { ?s ?p ?o } } WHERE { GRAPH <http://g/a> { ?s ?p ?o } }",
           "DELETE WHERE { GRAPH <http://g/a> { ?s ?p ?o } }", "CLEAR GRAPH <http://g/b>", "CLEAR DEFAULT",
           "CREATE SILENT GRAPH <http://g/n>", "ADD <http://g/a> TO <http://g/b>", "MOVE <http://g/a> TO <http://g/c>",
           "COPY DEFAULT TO <http://g/b>", "MOVE SILENT <http://g/c> TO DEFAULT",
           "PREFIX g: <http://g/> INSERT DATA { GRAPH g:b { g:x g:y g:z } }",
           'INSERT DATA { GRAPH <http://g/a> { <http://s> <http://p> "}} ; DROP ALL ; #" } }',
           "# DROP ALL\nINSERT DATA { GRAPH <http://g/b> { <http://s> <http://p> '''x''' } }",
           "DELETE { ?s ?p ?o } INSERT { GRAPH <http://g/c> { ?s ?p ?o } } USING <http://g/a> WHERE { ?s ?p ?o }",
           "WITH <http://g/b> INSERT { ?s ?p 5 } WHERE { ?s ?p ?o }"]

    def contents(store):
        out: dict[str, set] = {}
        for q in store:
            key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else DEFAULT
            out.setdefault(key, set()).add(str(q))
        return out

    rng, checked = random.Random(3), 0
    for _ in range(250):
        text = " ;\n".join(rng.choice(ops) for _ in range(rng.randint(1, 3)))
        named = {t.graph for t in update_targets(text)}
        store = ox.Store()
        for g in ("http://g/a", "http://g/b", "http://g/c", None):
            store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal(g or "d"),
                              ox.NamedNode(g) if g else ox.DefaultGraph()))
        before = contents(store)
        try:
            store.update(text)
        except (SyntaxError, RuntimeError):
            continue
        after = contents(store)
        changed = {g for g in set(before) | set(after) if before.get(g) != after.get(g)}
        assert changed <= named, text
        checked += 1
    assert checked > 120
