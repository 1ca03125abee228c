"""The bundled stelsel, loaded as a user gets it: counts, graphs and the questions it answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import REPO, select
from stelsel.cli import main

NORA = "https://w3id.org/stelsel/id/nora"
G = "https://w3id.org/stelsel/graph/"
PREFIXES = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def count_by_class(store, architecture: str) -> dict[str, int]:
    rows = select(store, PREFIXES + f"""
        SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {{
          ?e stelsel:inArchitectuur <{architecture}> ; a ?c . FILTER(STRSTARTS(STR(?c), STR(stelsel:)))
        }} GROUP BY ?c""")
    return {r["c"].split("#")[1]: int(r["n"]) for r in rows}


def test_first_use_creates_the_store_with_one_graph_per_architecture(tmp_path):
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "--content", str(REPO),
                                       "graphs", "--format", "json"])
    assert result.exit_code == 0, result.output
    graphs = {g["graph"] for g in json.loads(result.output)}
    for name in ("nora", "rosa-2022", "rosa-2024", "dera", "ear", "ocw", "ontology/stelsel"):
        assert G + name in graphs


def test_nora_counts(bundled):
    counts = count_by_class(bundled, NORA)
    assert {k: counts.get(k) for k in ("Kernwaarde", "Kwaliteitsdoel", "Beleidskader",
                                       "Architectuurprincipe", "Implicatie", "Laag")} == {
        "Kernwaarde": 5, "Kwaliteitsdoel": 20, "Beleidskader": 28,
        "Architectuurprincipe": 17, "Implicatie": 89, "Laag": 5}
    assert counts["Basisprincipe"] == 10


@pytest.mark.parametrize("source, prop, target, expected", [
    ("Implicatie", "realiseert", "Architectuurprincipe", 120),
    ("Architectuurprincipe", "realiseert", "Kwaliteitsdoel", 76),
    ("Beleidskader", "beinvloedt", "Kwaliteitsdoel", 54),
    ("Kwaliteitsdoel", "isGerelateerdAan", "Kernwaarde", 20),
])
def test_nora_relations(bundled, source, prop, target, expected):
    rows = select(bundled, PREFIXES + f"""
        SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}nora> {{
          ?a a stelsel:{source} ; stelsel:{prop} ?b . ?b a stelsel:{target} }} }}""")
    assert int(rows[0]["n"]) == expected


def test_every_nora_implicatie_is_in_a_layer(bundled):
    rows = select(bundled, PREFIXES + f"""
        SELECT ?i WHERE {{ ?i a stelsel:Implicatie ; stelsel:inArchitectuur <{NORA}>
                           FILTER NOT EXISTS {{ ?i stelsel:hoortBijLaag ?l }} }}""")
    assert rows == []


def test_withdrawn_nora_principles_are_marked(bundled):
    rows = select(bundled, PREFIXES + f"""
        SELECT ?p ?when WHERE {{ ?p stelsel:inArchitectuur <{NORA}> ; a stelsel:Basisprincipe ;
            stelsel:status stelsel:Vervallen ; <http://www.w3.org/ns/prov#invalidatedAtTime> ?when }}""")
    assert len(rows) == 10 and {r["when"] for r in rows} == {"2023-01-01"}


def test_every_element_has_one_architecture_and_a_dutch_label(bundled):
    rows = select(bundled, PREFIXES + """
        SELECT ?e WHERE {
          ?e stelsel:inArchitectuur ?a .
          { SELECT ?e (COUNT(DISTINCT ?x) AS ?n) WHERE { ?e stelsel:inArchitectuur ?x } GROUP BY ?e }
          FILTER(?n != 1 || NOT EXISTS { ?e skos:prefLabel ?l FILTER(lang(?l) = "nl") })
        }""")
    assert rows == []


def test_dera_principles_align_to_nora_from_the_cli(tmp_path):
    """The question of the issue: which NORA principles does each DERA principle align to?"""
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "--content", str(REPO),
                                       "query", "--name", "principes-naar-nora", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    principles = {r["principe"]["value"] for r in rows}
    assert len(principles) == 8
    for p in principles:
        answers = [r for r in rows if r["principe"]["value"] == p]
        assert any("noraElement" in r or "afwijking" in r for r in answers), p
    assert any(r.get("noraNotatie", {}).get("value", "").startswith("NAP") for r in rows)
