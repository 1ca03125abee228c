"""The OCW concern architecture against its own information plan (issue 13): what was missing is
there, and each added element names the section of the plan it comes from - checked against the
plan's text (../shared/seed/informatieplan-ocw-2022.txt), not against our own notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from stelsel.vocab import ID, STELSEL as S

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT.parent / "shared" / "seed" / "informatieplan-ocw-2022.txt"
BRON = ID["bron/informatieplan-ocw-2022"]


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    for name in ("ocw.ttl", "ear.ttl"):
        graph.parse(ROOT / "data" / name, format="turtle")
    return graph


def sourced(g: Graph) -> dict[URIRef, set[URIRef]]:
    return {e: set(g.objects(e, DCTERMS.source)) for e in g.subjects(S.inArchitectuur, ID.ocw)
            if list(g.objects(e, DCTERMS.source))}


def test_every_section_reference_is_a_part_of_the_plan(g):
    sections = {s for refs in sourced(g).values() for s in refs}
    assert len(sections) >= 5
    for s in sections:
        assert (s, DCTERMS.isPartOf, BRON) in g, s
        assert g.value(s, DCTERMS.title) is not None, s


@pytest.mark.skipif(not PLAN.is_file(), reason="needs ../shared/seed")
def test_section_titles_are_headings_of_the_plan(g):
    lines = [" ".join(line.split()) for line in PLAN.read_text(encoding="utf-8").splitlines()]
    for s in {s for refs in sourced(g).values() for s in refs}:
        title = str(g.value(s, DCTERMS.title))
        heading = re.sub(r"\s*\(.*\)$", "", title.split(": ", 1)[-1])  # "Uitvoeringsdoelen: X (…)" -> X
        assert heading in lines or title in lines, f"{title!r} is not a heading of the plan"


@pytest.mark.skipif(not PLAN.is_file(), reason="needs ../shared/seed")
def test_the_plan_names_what_was_added(g):
    text = " ".join(PLAN.read_text(encoding="utf-8").split())
    for phrase in ("Risicobeheersing op een efficiënte", "Bewustwording bij de medewerkers",
                   "betrouwbaarheidsniveau van gegevens, systemen en diensten", "CSIRT", "I-portfolio",
                   "portfoliosturing", "Architectuur roadmap", "Generieke Digitale Infrastructuur",
                   "Beleidsgedreven opdrachten", "levenscyclusgedreven veranderingen", "€ 5 miljoen",
                   "SURF", "DEN", "CISO", "CIO Rijk"):
        assert phrase.lower() in text.lower(), phrase


def test_pd1_has_the_security_sub_goals(g):
    subgoals = {e for e in g.subjects(S.draagtBijAan, ID["ocw/PD1"]) if (e, RDF.type, S.Doel) in g}
    assert len(subgoals) == 4
    assert all(g.value(e, DCTERMS.source) == URIRef(str(BRON) + "/2.2") for e in subgoals)


def test_frameworks_roadmap_portfolio_dashboard_inputs_risks_and_actors(g):
    def one(cls):
        return {e for e in g.subjects(RDF.type, cls) if (e, S.inArchitectuur, ID.ocw) in g}

    assert (ID["ocw/architectuurkaders"], S.isGerelateerdAan, ID["ocw/generieke-digitale-infrastructuur"]) in g
    assert (ID["ocw/portfoliosturing"], S.heeftToegangTot, ID["ocw/i-portfolio"]) in g
    rule = ID["ocw/grote-ict-trajecten-op-het-dashboard"]
    assert "5 miljoen" in str(g.value(rule, SKOS.definition)) and (rule, RDF.type, S.Eis) in g
    inputs = set(g.subjects(S.beinvloedt, ID["ocw/opstellen-ontwikkelvoorstellen"]))
    assert inputs == {ID["ocw/beleidsgedreven-opdrachten"], ID["ocw/levenscyclusgedreven-veranderingen"]}
    assert len(one(S.Risico)) == 4
    for actor in ("surf", "den", "ciso-ocw"):
        assert (ID[f"org/{actor}"], S.inArchitectuur, ID.ocw) in g
    assert (ID["org/cio-ocw"], S.isGerelateerdAan, ID["org/cio-rijk"]) in g
    # the roadmap is there as an instrument; no plateaus are invented (the plan names no phases)
    assert not one(S.Plateau)


def test_the_ear_obligation_is_kept_and_ear_is_withdrawn_with_rora_as_successor(g):
    assert (ID.ocw, S.moetAansluitenOp, ID.ear) in g
    assert (ID.ear, S.status, S.Vervallen) in g and (ID.ear, DCTERMS.isReplacedBy, ID.rora) in g
    assert (ID.ocw, S.moetAansluitenOp, ID.rora) not in g  # no plan fact supports it: the shape warns
