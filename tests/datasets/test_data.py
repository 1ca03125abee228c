"""The NDE data files: the Network of Terms as facts (a fresh build from the staged catalogue gives
the same file) and the standards and characteristics, each linked to what DERA has."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from stelsel.datasets.termennetwerk import build, existing_organisations

from .dsutil import NETWORK_OF_TERMS, REPO, need

TN = REPO / "data" / "nde-termennetwerk.ttl"
STD = REPO / "data" / "nde-standaarden.ttl"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def store_of(*files) -> ox.Store:
    s = ox.Store()
    for f in files:
        s.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:" + f.name))
    return s


def rows(store, q):
    r = store.query(q, use_default_graph_as_union=True)
    names = [v.value for v in r.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in r]


@pytest.mark.sources
def test_the_network_of_terms_file_is_a_fresh_build_of_the_staged_catalogue():
    root = need(NETWORK_OF_TERMS)
    assert TN.read_text(encoding="utf-8") == build(root, existing_organisations(REPO / "data")), \
        "regenerate with: python -m stelsel.datasets.termennetwerk"


def test_the_56_sources_each_with_name_dataset_publisher_and_catalogue_entry():
    s = store_of(TN, *sorted((REPO / "data").glob("*.ttl")))
    sources = rows(s, f"""SELECT ?s (SAMPLE(?nl) AS ?name) (SAMPLE(?same) AS ?dataset) (SAMPLE(?pub) AS ?publisher)
        (SAMPLE(?pubName) AS ?publisherName) (SAMPLE(?entry) AS ?catalogue) WHERE {{
        ?s <http://purl.org/dc/terms/isPartOf> <https://w3id.org/stelsel/id/termennetwerk> ;
           <{SKOS}prefLabel> ?nl ; <http://www.w3.org/2002/07/owl#sameAs> ?same ;
           <http://purl.org/dc/terms/publisher> ?pub ; <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?entry .
        FILTER(lang(?nl) = "nl")
        OPTIONAL {{ ?pub <{SKOS}prefLabel> ?pubName FILTER(lang(?pubName) = "nl") }}
        }} GROUP BY ?s""")
    assert len(sources) == 56
    for r in sources:
        assert r["publisherName"], f"{r['s']}: its publisher has no Dutch name in the stelsel"
        assert r["catalogue"].startswith("https://github.com/netwerk-digitaal-erfgoed/network-of-terms/blob/")
    if NETWORK_OF_TERMS.exists():
        ids = {json.loads(f.read_text())["@id"] for f in (NETWORK_OF_TERMS / "datasets").glob("*.jsonld")}
        assert {r["dataset"] for r in sources} == ids


def test_no_organisation_is_named_twice_across_the_bundled_data():
    s = store_of(*sorted((REPO / "data").glob("*.ttl")))
    twice = rows(s, f"""SELECT ?o (COUNT(DISTINCT ?l) AS ?n) WHERE {{
        ?o a <https://w3id.org/stelsel/def#Organisatie> ; <{SKOS}prefLabel> ?l FILTER(lang(?l) = "nl") }}
        GROUP BY ?o HAVING (COUNT(DISTINCT ?l) > 1)""")
    assert twice == []


def test_every_characteristic_serves_something_in_dera_and_every_link_exists():
    s = store_of(STD, REPO / "data" / "dera.ttl")
    kenmerken = rows(s, f"""SELECT ?k (COUNT(?p) AS ?principles) WHERE {{
        ?k <{SKOS}inScheme> <https://w3id.org/stelsel/id/nde/kenmerken> .
        OPTIONAL {{ ?k <{SKOS}relatedMatch> ?p . ?p a <https://w3id.org/stelsel/def#Architectuurprincipe> }} }}
        GROUP BY ?k""")
    assert len(kenmerken) == 11 and all(int(k["principles"]) >= 1 for k in kenmerken)
    dangling = rows(s, f"""SELECT ?k ?target WHERE {{ ?k <{SKOS}relatedMatch>|<{SKOS}broadMatch> ?target .
        FILTER NOT EXISTS {{ ?target a ?type }} }}""")
    assert dangling == []
    # every DERA principle but P7 (respect diversity) is served by some characteristic
    served = {r["p"].rsplit("/", 1)[-1] for r in rows(s, f"SELECT DISTINCT ?p WHERE {{ ?k <{SKOS}relatedMatch> ?p . "
                                                      "?p a <https://w3id.org/stelsel/def#Architectuurprincipe> }")}
    assert served == {"P1", "P2", "P3", "P4", "P5", "P6", "P8"}
