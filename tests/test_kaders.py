"""One node per law or framework (issue 13): the AVG, the BIO, the I-strategie Rijk, the
pseudonymisation act and the Wet elektronisch bestuurlijk verkeer are each one stelsel:Kader that
the architectures' beleidskaders refer to, and the shape EenKnoopPerKader warns when that link is
missing."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from stelsel.vocab import ID, STELSEL as S

_spec = importlib.util.spec_from_file_location(  # the shape helpers, loaded as tests/test_shapes.py does
    "stelsel_shape_helpers", Path(__file__).resolve().parent / "shapes" / "conftest.py")
H = sys.modules.setdefault("stelsel_shape_helpers", importlib.util.module_from_spec(_spec))
if not hasattr(H, "validate"):
    _spec.loader.exec_module(H)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
SHAPE = "https://w3id.org/stelsel/shapes#EenKnoopPerKader"


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def test_each_kader_is_referred_to_by_more_than_one_element(data):
    kaders = set(data.subjects(RDF.type, S.Kader))
    assert len(kaders) == 6   # AVG, BIO, I-strategie Rijk, pseudonymisation act, Wet EBV, Woo
    for k in kaders:
        referrers = set(data.subjects(S.verwijstNaarKader, k))
        assert len(referrers) >= 2, k
        assert all((r, RDF.type, S.Beleidskader) in data for r in referrers)
    # the AVG across NORA, OCW and ROSA 2024; the pseudonymisation act across OCW and both ROSAs
    archs = {data.value(r, S.inArchitectuur) for r in data.subjects(S.verwijstNaarKader, ID["kader/avg"])}
    assert archs == {ID.nora, ID["nora/2026"], ID.ocw, ID["rosa/2024"]}
    pseudo = {data.value(r, S.inArchitectuur)
              for r in data.subjects(S.verwijstNaarKader, ID["kader/pseudonimisering-onderwijsnummer"])}
    assert pseudo == {ID.ocw, ID["rosa/2022"], ID["rosa/2024"]}


def test_the_avg_is_keyed_by_its_eli(data):
    keys = {str(k) for k in data.objects(ID["kader/avg"], DCTERMS.identifier)}
    assert keys == {"CELEX:32016R0679", "http://data.europa.eu/eli/reg/2016/679/oj"}
    # no other kader claims a key it cannot back up
    assert not [k for k in data.subjects(RDF.type, S.Kader) if k != ID["kader/avg"]
                and list(data.objects(k, DCTERMS.identifier))]


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs ../shared/sources")
def test_nora_names_one_law_twice_and_both_refer_to_one_kader(data):
    with (SOURCES / "nora" / "nora-bindende-architectuurafspraken-elements.csv").open(encoding="utf-8") as fh:
        names = {r["nora_id"]: r["name"] for r in csv.DictReader(fh)}
    assert names["BK12"] == names["BK26"]
    assert data.value(ID["nora/BK12"], S.verwijstNaarKader) == data.value(ID["nora/BK26"], S.verwijstNaarKader)


def warned(g: Graph) -> set[URIRef]:
    return {URIRef(r.value) for r in H.validate(g, H.load_shapes(), only=[SHAPE]) if r.shape == SHAPE}


def test_the_shape_is_quiet_on_the_bundled_data_and_warns_without_the_references(data):
    assert warned(data) == set()
    cut = Graph()
    for t in data:
        if t[1] != S.verwijstNaarKader:
            cut.add(t)
    found = warned(cut)
    # same name in two places: NORA BK12/BK26, I-strategie Rijk (NORA, OCW), the ROSA pseudonymisation
    # act (2022, 2024); named like a kader: the AVG of OCW and ROSA 2024, the act of OCW
    expected = {ID["nora/BK12"], ID["nora/BK26"], ID["nora/BK07"], ID["ocw/i-strategie-rijk-2021-2025"],
                ID["rosa/2022/wet-pseudonimisering-leerlinggegevens"],
                ID["rosa/2024/wet-pseudonimisering-leerlinggegevens"],
                ID["ocw/algemene-verordening-gegevensbescherming"], ID["rosa/2024/avg"],
                ID["ocw/wet-pseudonimiseren-van-het-persoonsgebonden-nummer-van-een-onderwijsdeelnemer"],
                ID["ocw/baseline-informatiebeveiliging-overheid"],
                # NORA 2026 BK12 is named like NORA 2023 BK26 (not its own earlier version), and BK07 like
                # OCW's I-strategie; a revision of the same element (2026 BK07 of 2023 BK07) is not a twin
                ID["nora/2026/BK12"], ID["nora/2026/BK07"],
                # the Woo: OCW's and GEMMA's beleidskader carry one name (GEMMA capitalises "Open")
                ID["ocw/wet-open-overheid"], ID["gemma/GK03"]}
    assert found == expected
    assert all((e, SKOS.prefLabel, None) in data for e in found)
