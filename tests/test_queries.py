"""The canned-query catalogue: front matter is checked at load time, parameters are bound."""

from __future__ import annotations

import re

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REPO
from stelsel.errors import InputError, QueryError
from stelsel.queries import load_catalogue, load_query

GOOD = """#+ title: Labels
#+ description:
#+   nl: Labels van een ding
#+   en: Labels of a thing
#+ parameters:
#+   ding:
#+     type: iri
#+     default: http://example.org/a
#+   n:
#+     type: integer
#+     default: 10
SELECT ?ding ?n ?l WHERE { ?ding <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(?n > 0) }
"""


def write(tmp_path: Path, text: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_bundled_catalogue_loads():
    catalogue = load_catalogue(REPO / "queries")
    assert "principes-naar-nora" in catalogue
    for q in catalogue.values():
        assert q.title and q.description["nl"] and q.description["en"]


def test_parameters_are_bound_not_spliced(tmp_path):
    q = load_query(write(tmp_path, GOOD))
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"),
                      ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal("A")))
    rows = list(store.query(q.text, substitutions=q.bindings({})))
    assert [r["l"].value for r in rows] == ["A"]
    # an injection attempt stays a value: it is not an IRI, so it is refused
    with pytest.raises(QueryError, match="parameter 'ding' must be iri"):
        q.bindings({"ding": "http://x> } ; DROP ALL ; #"})
    with pytest.raises(QueryError, match="parameter 'n' must be integer"):
        q.bindings({"n": "ten"})
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        q.bindings({"colour": "red"})


@pytest.mark.parametrize("text, words, line", [
    ("SELECT * WHERE { ?s ?p ?o }\n", "has no '#+' front matter", 1),
    ("#+ title: x\n#+ description: [unclosed\nSELECT * {?s ?p ?o}\n", "front matter is not valid YAML", None),
    ("#+ title: x\n#+ description: {nl: a}\nSELECT * {?s ?p ?o}\n", "'description' needs 'nl' and 'en'", 1),
    (GOOD.replace("type: integer", "type: number"), "parameter 'n' has unknown type 'number'", 1),
    (GOOD.replace("?ding", "?thing"), "parameter 'ding' is not used as ?ding", 1),
    (GOOD.replace("WHERE {", "WHERE ("), "the query does not parse", 1),
    (GOOD.replace("SELECT ?ding ?n ?l", "SELECT ?n ?l"), "its parameters cannot be bound", 1),
])
def test_bad_front_matter_names_the_file(tmp_path, text, words, line):
    path = write(tmp_path, text, "broken.rq")
    with pytest.raises(InputError, match=re.escape(words)) as info:
        load_query(path)
    assert str(path) in str(info.value)
    if line:
        assert info.value.position.line == line


def test_cli_runs_a_canned_query_with_parameters(tmp_path, cli, config):
    (config.content_root / "queries").mkdir()
    write(config.content_root / "queries", GOOD, "labels.rq")
    data = write(tmp_path, '<http://example.org/b> <http://www.w3.org/2004/02/skos/core#prefLabel> "B" .\n', "d.nt")
    cli("load", str(data))
    out = cli("query", "--name", "labels", "--param", "ding=http://example.org/b", "--format", "csv")
    assert out.output.splitlines() == ["ding,n,l", "http://example.org/b,10,B"]
    listed = cli("queries").output
    assert "labels\tLabels\t[ding=http://example.org/a n=10]" in listed
    missing = cli("query", "--name", "nope")
    assert missing.exit_code == 2 and "no canned query 'nope'" in missing.stderr
