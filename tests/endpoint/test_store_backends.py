"""The store behaves the same whether embedded (pyoxigraph) or remote (``oxigraph serve``)."""

from __future__ import annotations

import io
from collections import Counter
import time
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from oxigraph_server import free_port
from stelsel.config import Config, load_config
from stelsel.errors import QueryError, StoreError
from stelsel.remote_store import RemoteStore, default_update_endpoint, inject_values, query_form
from stelsel.results import render
from stelsel.sources import ParsedFile
from stelsel.store import EmbeddedStore, load_bundled, open_store

from .conftest import REPO

SKOS = "http://www.w3.org/2004/02/skos/core#"
LABELS = f"""SELECT ?s ?l WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(CONTAINS(LCASE(?l), "open")) }} ORDER BY ?s ?l"""
TEST_GRAPH = "https://example.org/graph/test"


@pytest.fixture(scope="module")
def reference():
    """The bundled content in an in-memory embedded store: what both backends must equal."""
    cfg = Config(store=REPO / ".unused", content_root=REPO)
    store = EmbeddedStore(None)
    load_bundled(store, cfg)
    return store


def rows(result) -> list[tuple]:
    names = [v.value for v in result.variables]
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in result]


def parsed(graph: str, *triples: tuple[str, str, str]) -> ParsedFile:
    quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o), ox.NamedNode(graph)) for s, p, o in triples]
    return ParsedFile(path=REPO / "test.ttl", quads=quads)


def test_graphs_and_counts_are_the_bundled_ones(store, reference):
    assert store.graphs() == reference.graphs()
    assert not store.is_empty()


@pytest.mark.parametrize("sparql", [
    LABELS,
    "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # the default graph is the union of the named graphs
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
], ids=["labels", "classes", "union", "per-graph"])
def test_select_gives_the_same_rows(store, reference, sparql):
    got, want = rows(store.query(sparql)), rows(reference.query(sparql))
    assert got == want and got


def test_ask_and_construct_give_the_same_answers(store, reference):
    assert bool(store.query("ASK { ?s a ?c }")) is True
    assert bool(store.query("ASK { ?s a <https://example.org/Nothing> }")) is False
    q = f"CONSTRUCT {{ ?s <{SKOS}prefLabel> ?l }} WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(lang(?l) = 'en') }}"
    got, want = store.query(q), reference.query(q)
    assert isinstance(got, ox.QueryTriples)
    got, want = set(got), set(want)
    assert got == want and len(got) > 10


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "xml"])
def test_results_render_the_same(store, reference, fmt):
    assert render(store.query(LABELS), fmt) == render(reference.query(LABELS), fmt)


def test_substitutions_bind_like_pyoxigraph(store, reference):
    q = "SELECT ?x ?c WHERE { ?x a ?c } ORDER BY ?c LIMIT 5"
    subs = {ox.Variable("x"): ox.NamedNode("https://w3id.org/stelsel/id/dera")}
    got = rows(store.query(q, substitutions=subs))
    assert got == rows(reference.query(q, substitutions=subs)) and got


def test_replace_graphs_replaces_one_graph_and_leaves_the_rest(store, reference):
    before = store.version()
    first = store.replace_graphs([parsed(TEST_GRAPH, ("https://example.org/a", f"{SKOS}prefLabel", "een"),
                                         ("https://example.org/b", f"{SKOS}prefLabel", "twee"))])
    assert first == {TEST_GRAPH: 2}
    assert store.version() != before
    second = store.replace_graphs([parsed(TEST_GRAPH, ("https://example.org/c", f"{SKOS}prefLabel", "drie"))])
    assert second == {TEST_GRAPH: 1}
    q = f"SELECT ?s ?l WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?l }} }}"
    assert rows(store.query(q)) == [("<https://example.org/c>", '"drie"')]
    others = [g for g in store.graphs() if g.iri != TEST_GRAPH]
    assert others == reference.graphs()


def test_dump_is_the_whole_store(store, reference):
    out, want = io.BytesIO(), io.BytesIO()
    store.dump(out, "nquads")
    reference.dump(want, "nquads")
    assert _bnodes_blurred(out.getvalue()) == _bnodes_blurred(want.getvalue())
    with pytest.raises(StoreError):
        store.dump(io.BytesIO(), "rdfxml")


def _bnodes_blurred(nquads: bytes) -> Counter:
    """The quads with every blank node as `_:b`: equal dumps up to blank node labels."""
    blur = lambda term: "_:b" if isinstance(term, ox.BlankNode) else str(term)
    return Counter(tuple(map(blur, (q.subject, q.predicate, q.object, q.graph_name)))
                   for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def test_a_bad_query_is_a_query_error(store):
    with pytest.raises(QueryError) as info:
        store.query("SELEC ?s WHERE { ?s ?p ?o }")
    assert "1:" in info.value.message  # the position in the query
    if not isinstance(store, EmbeddedStore):
        assert info.value.line == 1 and info.value.column is not None


def test_the_endpoint_answers_the_same(client, reference):
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert r.data == render(reference.query(LABELS), "csv")
    r = client.get("/sparql", query_string={"query": "SELEC"})
    assert r.status_code == 400 and r.get_json()["error"] in ("QueryError", "QuerySyntaxError")


def test_live_server_answers(live_url):
    q = urllib.parse.quote("ASK { ?s ?p ?o }")
    with urllib.request.urlopen(f"{live_url}/sparql?query={q}", timeout=10) as r:
        assert r.status == 200 and b"true" in r.read()


# -- remote only ---------------------------------------------------------------------------------
def test_a_store_that_is_down_is_a_store_error_sentence():
    url = f"http://127.0.0.1:{free_port()}/query"
    store = RemoteStore(url, timeout=2)
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        store.graphs()
    assert time.monotonic() - started < 5
    message = info.value.message
    assert message.startswith(f"the SPARQL store at {url} did not answer") and message.endswith("is it running?")
    assert info.value.hint and info.value.http_status == 503


def test_a_store_that_hangs_is_a_timeout_sentence():
    import socket

    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(StoreError) as info:
            RemoteStore(url, timeout=1).query("ASK {}")
    assert info.value.message == f"the SPARQL store at {url} did not answer within 1 s; is it running?"


def test_messages_never_show_credentials():
    port = free_port()
    store = RemoteStore(f"http://stelsel:geheim@127.0.0.1:{port}/ds/query?x=1", timeout=2)
    assert store.url == f"http://127.0.0.1:{port}/ds/query?x=1" and store._auth_header().startswith("Basic ")
    assert store.update_url == f"http://127.0.0.1:{port}/ds/update?x=1"
    with pytest.raises(StoreError) as info:
        store.graphs()
    assert "geheim" not in info.value.message and "x=1" not in info.value.message
    assert f"127.0.0.1:{port}/ds/query" in info.value.message and "geheim" not in repr(store)


def test_settings_pick_the_backend(tmp_path, oxigraph_server):
    cfg = load_config(environ={"STELSEL_STORE": oxigraph_server.query_url, "STELSEL_STORE_PASSWORD": "geheim",
                               "STELSEL_STORE_USER": "stelsel"}, content_root=str(REPO))
    assert cfg.store == oxigraph_server.query_url and cfg.store_password == "geheim"
    assert "geheim" not in repr(cfg)
    store = open_store(cfg)  # not empty: the session's server holds the bundled content already
    assert isinstance(store, RemoteStore) and store.update_url == oxigraph_server.update_url
    assert store._auth_header().startswith("Basic ")
    assert isinstance(open_store(Config(store=tmp_path / "s", content_root=tmp_path)), EmbeddedStore)


def test_the_remote_version_moves_with_writes_and_with_time(monkeypatch):
    store = RemoteStore("http://127.0.0.1:9/query", version_seconds=10)
    clock = [1000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    first, written = store.version(), store.write_version()
    assert store.version() == first
    clock[0] += 10  # another client may have written meanwhile: do not reuse answers for ever
    assert store.version() != first and store.write_version() == written
    store._bump_version()
    assert store.write_version() != written
    never = RemoteStore("http://127.0.0.1:9/query", version_seconds=0)
    assert never.version() != never.version()


def test_update_endpoints_are_derived():
    assert default_update_endpoint("http://h:3030/ds/query") == "http://h:3030/ds/update"
    assert default_update_endpoint("http://h:3030/ds/sparql") == "http://h:3030/ds/update"
    assert default_update_endpoint("http://h:7200/repositories/stelsel") == \
        "http://h:7200/repositories/stelsel/statements"
    assert default_update_endpoint("http://h:8890/sparql/") == "http://h:8890/update"
    assert default_update_endpoint("http://h/whatever") == "http://h/whatever"


@pytest.mark.parametrize("sparql, form", [
    ("PREFIX drop: <http://x/>\n# INSERT\nSELECT * { ?s drop:add 'DELETE' }", "SELECT"),
    ("BASE <http://x/> ASK {}", "ASK"),
    ("PREFIX : <http://x/> CONSTRUCT WHERE { ?s :select ?o }", "CONSTRUCT"),
    ("PREFIX s: <http://x/> WITH <http://g> DELETE { ?s s:p ?o } WHERE { ?s s:p ?o }", "DELETE"),
    ("DROP SILENT ALL", "DROP"),
    ("SELEC x", None),
])
def test_query_forms_are_told_apart(sparql, form):
    assert query_form(sparql) == form


def test_values_go_into_the_where_clause():
    a = {ox.Variable("a"): ox.NamedNode("http://x")}
    assert inject_values("# {\nSELECT ?a WHERE { ?a ?b '{' }", a) == \
        "# {\nSELECT ?a WHERE { VALUES (?a) { (<http://x>) }  ?a ?b '{' }"
    assert inject_values("SELECT (EXISTS { ?a ?b ?c } AS ?e) { ?a ?b ?c }", a).endswith(
        "AS ?e) { VALUES (?a) { (<http://x>) }  ?a ?b ?c }")
    assert inject_values("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }", a).startswith(
        "CONSTRUCT { ?a ?b ?c } WHERE { VALUES")
    with pytest.raises(QueryError):
        inject_values("CONSTRUCT WHERE { ?a ?b ?c }", a)


def test_remote_store_through_sparql_update_only(oxigraph_server):
    """Without a Graph Store endpoint, graphs are replaced through one SPARQL Update."""
    store = RemoteStore(oxigraph_server.query_url)
    graph = "https://example.org/graph/update-only"
    try:
        assert store.replace_graphs([parsed(graph, ("https://example.org/a", f"{SKOS}prefLabel", 'een "x"'))]) \
            == {graph: 1}
        assert b'"een \\"x\\""' in store.graph(graph)
        store.put_graph(graph, b'<https://example.org/b> <https://example.org/p> "twee" .\n')
        assert store.graph(graph) == b'<https://example.org/b> <https://example.org/p> "twee" .\n'
    finally:
        assert store.delete_graph(graph) is True
    assert store.graph(graph) == b"" and store.delete_graph(graph) is False


def test_the_cli_works_on_a_remote_store(oxigraph_server, _remote):
    from click.testing import CliRunner

    from stelsel.cli import main

    base = ["--store", oxigraph_server.query_url, "--gsp-endpoint", oxigraph_server.gsp_url,
            "--content", str(REPO)]
    runner = CliRunner()
    result = runner.invoke(main, [*base, "graphs"], catch_exceptions=False)
    assert result.exit_code == 0 and "graph/nora" in result.output
    result = runner.invoke(main, [*base, "query", "--format", "csv", "--name", "principes-naar-nora",
                                  "--param", "architectuur=https://w3id.org/stelsel/id/rosa/2024"])
    assert result.exit_code == 0 and result.output.count("\n") > 10
    down = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(main, ["--store", down, "--content", str(REPO), "graphs"])
    assert result.exit_code == 2
    assert f"the SPARQL store at {down} did not answer" in result.output


@pytest.mark.parametrize("ci, outcome", [("true", "failed"), ("", "skipped")])
def test_a_missing_oxigraph_fails_in_ci_and_skips_locally(monkeypatch, ci, outcome):
    import oxigraph_server

    monkeypatch.setattr(oxigraph_server, "find_oxigraph", lambda: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(BaseException) as info:
        oxigraph_server.require_oxigraph()
    assert type(info.value).__name__ == {"failed": "Failed", "skipped": "Skipped"}[outcome]
    assert "pip install" in str(info.value)
