"""The store and its commands: load, replace, graphs, query, export — and failures that leave
the store exactly as it was."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, REPO
from stelsel.errors import InputError, QueryError
from stelsel.sources import graph_for, parse_paths
from stelsel.store import EmbeddedStore

RDF = FIXTURES / "rdf"
SMALL_GRAPH = "https://w3id.org/stelsel/graph/local/small"


def dump(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store._store.quads_for_pattern(None, None, None, None)}


def test_load_puts_each_file_in_its_own_graph_and_counts_triples(cli):
    result = cli("load", str(RDF / "small.ttl"), str(RDF / "two-graphs.trig"))
    assert result.exit_code == 0, result.output
    listed = cli("graphs", "--format", "json")
    counts = {g["graph"]: g["triples"] for g in json.loads(listed.output)}
    assert counts == {SMALL_GRAPH: 4, "http://example.org/g1": 2, "http://example.org/g2": 1}


def test_loading_again_replaces_the_graph_instead_of_adding(config, cli):
    cli("load", str(RDF / "small.ttl"), "--graph", "http://example.org/g")
    cli("load", str(RDF / "small-changed.ttl"), "--graph", "http://example.org/g")
    out = cli("query", "--format", "json",
              "SELECT ?l WHERE { GRAPH <http://example.org/g> { ?s ?p ?l } }")
    labels = [b["l"]["value"] for b in json.loads(out.output)["results"]["bindings"]]
    assert labels == ["Een (gewijzigd)"]


def test_a_malformed_file_leaves_the_store_unchanged_and_names_the_position(config, cli):
    cli("load", str(RDF / "small.ttl"))
    before = dump(EmbeddedStore(config.store))
    result = cli("load", str(RDF / "small-changed.ttl"), str(RDF / "broken.ttl"), "--graph", SMALL_GRAPH)
    assert result.exit_code == 2
    assert "broken.ttl:6:" in result.stderr            # the line after the missing ' .'
    assert "nothing was loaded" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(EmbeddedStore(config.store)) == before


def test_missing_file_is_a_usage_error_with_a_sentence(cli):
    result = cli("load", "no/such/file.ttl")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no/such/file.ttl: no such file or directory")


def test_unknown_suffix_is_refused_before_anything_is_read(tmp_path, config):
    odd = tmp_path / "model.docx"
    odd.write_text("x")
    with pytest.raises(InputError, match="cannot tell the RDF syntax"):
        parse_paths([odd], config)


def test_query_formats(cli):
    cli("load", str(RDF / "small.ttl"))
    q = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l)='nl') } ORDER BY ?s"
    table = cli("query", q).output.splitlines()
    assert table[0].split() == ["s", "l"] and table[-1] == "(2 rows)"
    assert "<http://example.org/a>  Een@nl" in table[2]
    csv_rows = cli("query", "--format", "csv", q).output.splitlines()
    assert csv_rows == ["s,l", "http://example.org/a,Een", "http://example.org/b,Twee"]
    tsv_rows = cli("query", "--format", "tsv", q).output.splitlines()
    assert tsv_rows[1] == '<http://example.org/a>\t"Een"@nl'
    ask = cli("query", "ASK { ?s ?p ?o }")
    assert ask.output == "yes\n"
    turtle = cli("query", "--format", "turtle", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").output
    graph = ox.Store()
    graph.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    assert len(graph) == 4


def test_query_from_file_and_from_stdin(tmp_path, cli):
    cli("load", str(RDF / "small.ttl"))
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert cli("query", "-f", str(rq), "--format", "csv").output.splitlines() == ["n", "4"]
    assert cli("query", "-f", "-", "--format", "csv", input=rq.read_text()).output.splitlines() == ["n", "4"]


def test_bad_queries_and_mismatched_formats_are_usage_errors(cli):
    bad = cli("query", "SELECT ?x WHERE { ?x ")
    assert bad.exit_code == 2 and "does not parse" in bad.stderr
    wrong = cli("query", "--format", "turtle", "SELECT * WHERE { ?s ?p ?o }")
    assert wrong.exit_code == 2 and "cannot be written as 'turtle'" in wrong.stderr
    neither = cli("query")
    assert neither.exit_code == 2 and "give one query" in neither.stderr


def test_export_is_a_full_reloadable_dump(tmp_path, config, cli):
    cli("load", str(RDF / "small.ttl"), str(RDF / "two-graphs.trig"))
    for fmt, suffix in (("trig", "trig"), ("nquads", "nq")):
        out = tmp_path / f"dump.{suffix}"
        assert cli("export", "--format", fmt, "-o", str(out)).exit_code == 0
        copy = EmbeddedStore(tmp_path / f"copy-{fmt}")
        copy.replace_graphs(parse_paths([out], config))
        assert dump(copy) == dump(EmbeddedStore(config.store))


def test_replacing_several_graphs_keeps_the_others_and_blank_nodes(config, tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs(parse_paths([RDF / "small.ttl", RDF / "two-graphs.trig"], config))
    bnodes = tmp_path / "bnodes.ttl"
    bnodes.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q "x" ; ex:r [ ex:s "y" ] ] .\n')
    store.replace_graphs(parse_paths([bnodes], config, graph="http://example.org/g1"))
    counts = {g.iri: g.triples for g in store.graphs()}
    assert counts == {SMALL_GRAPH: 4, "http://example.org/g1": 4, "http://example.org/g2": 1}
    rows = list(store.query('SELECT ?y WHERE { <http://example.org/a> <http://example.org/p>/<http://example.org/r>/<http://example.org/s> ?y }'))
    assert [r["y"].value for r in rows] == ["y"]


def test_version_changes_on_every_write(tmp_path, config):
    store = EmbeddedStore(tmp_path / "store")
    first = store.version()
    store.replace_graphs(parse_paths([RDF / "small.ttl"], config))
    second = store.version()
    store.replace_graphs(parse_paths([RDF / "small.ttl"], config))
    assert len({first, second, store.version()}) == 3
    assert (tmp_path / "store.version").read_text() == store.version()


def test_graph_names_follow_the_repository_layout():
    root = REPO
    assert graph_for(root / "data" / "nora.ttl", root) == "https://w3id.org/stelsel/graph/nora"
    assert graph_for(root / "data" / "alignments" / "dera.ttl", root) == \
        "https://w3id.org/stelsel/graph/alignments/dera"
    assert graph_for(root / "ontology" / "stelsel.ttl", root) == "https://w3id.org/stelsel/graph/ontology/stelsel"
    assert graph_for(root / "tests" / "x.ttl", root) == "https://w3id.org/stelsel/graph/local/x"


def test_query_errors_are_query_errors(tmp_path):
    with pytest.raises(QueryError):
        EmbeddedStore(None).query("SELECT")
