"""What an owner checks before signing the alignments (issue 13): every record says how sure it is
and how it was made, rationales point at what they cite, Uniform is not a catch-all, and "not
applicable" is used only for commitments that the architecture level already records.

The checks read the generated alignment files in data/alignments/ and the element data in data/,
and compare them with the NORA source (../shared/sources) where the source states the fact.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from stelsel.vocab import ID, SEMAPV, STELSEL as S

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
NORA = ID["nora/"]
JUSTIFICATIONS = {SEMAPV.ManualMappingCuration, SEMAPV.BackgroundKnowledgeBasedMatching}


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "data" / "alignments").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


#: sets whose links their owners stated in their own models (GEMMA, GDI; tools/build_gemma_gdi.py):
#: not the project's curation, which this module checks
OWNER_STATED = {ID["aansluitingsset/gemma"], ID["aansluitingsset/gdi"]}


def alignments(g: Graph):
    """The project's curated alignments (tools/curation/alignments.csv)."""
    return sorted(a for a in g.subjects(RDF.type, S.Aansluiting) if g.value(a, S.inSet) not in OWNER_STATED)


def test_owner_stated_links_say_so():
    """GEMMA's and GDI's own links count as certain and adopted: their owners stated them."""
    graph = Graph()
    for name in ("gemma", "gdi"):
        graph.parse(ROOT / "data" / "alignments" / f"{name}.ttl", format="turtle")
    stated = list(graph.subjects(RDF.type, S.Aansluiting))
    assert len(stated) > 200
    for a in stated:
        assert graph.value(a, S.inSet) in OWNER_STATED
        assert float(graph.value(a, S.betrouwbaarheid)) == 1.0 and graph.value(a, S.status) == S.Vastgesteld


def nl(g: Graph, node, prop=S.rationale) -> str:
    return next((str(v) for v in g.objects(node, prop) if isinstance(v, Literal) and v.language == "nl"), "")


def test_every_alignment_says_how_sure_and_how_it_was_made(g):
    nodes = alignments(g)
    assert len(nodes) > 200
    for a in nodes:
        (confidence,) = list(g.objects(a, S.betrouwbaarheid))
        assert confidence.datatype == XSD.double and 0 < float(confidence) <= 1, a
        (how,) = list(g.objects(a, S.onderbouwing))
        assert how in JUSTIFICATIONS, a


def test_judged_from_the_name_only_where_the_source_has_no_text(g):
    """BackgroundKnowledgeBasedMatching marks the elements whose source gives no statement; they are
    less certain than the same kind of link made from text."""
    by_name = [a for a in alignments(g) if g.value(a, S.onderbouwing) == SEMAPV.BackgroundKnowledgeBasedMatching]
    assert by_name, "the four elements without source text (e.g. EAR CDC01) are judged by name"
    assert all(float(g.value(a, S.betrouwbaarheid)) <= 0.75 for a in by_name)
    # EAR CDC01: its statement could not be read, which its rationale says
    cdc01 = [a for a in alignments(g) if g.value(a, S.vanElement) == ID["ear/CDC01"]]
    assert cdc01 and all(g.value(a, S.onderbouwing) == SEMAPV.BackgroundKnowledgeBasedMatching for a in cdc01)


def test_a_rationale_that_names_a_nora_element_points_at_it(g):
    """Citing IMP067 while linking its parent NAP14 was the pattern to remove: the rationale names
    the target, or the NORA element the target realises (its parent), or nothing."""
    wrong = []
    for a in alignments(g):
        text = " ".join(str(v) for v in g.objects(a, S.rationale))
        cited = set(re.findall(r"\b(IMP\d{3}|NAP\d{2}|KD\d{2}|BK\d{2})\b", text))
        target = g.value(a, S.naarElement)
        allowed = {str(x).rsplit("/", 1)[-1] for x in [target, *g.objects(target, S.realiseert)]}
        if cited - allowed:
            wrong.append((str(g.value(a, S.vanElement)), str(target), sorted(cited)))
    assert not wrong, wrong


def kd18_definition() -> str:
    with (SOURCES / "nora" / "nora-bindende-architectuurafspraken-elements.csv").open(encoding="utf-8") as fh:
        return next(r["statement"] for r in csv.DictReader(fh) if r["nora_id"] == "KD18")


def test_uniform_is_not_a_catch_all(g):
    """NORA KD18 Uniform is about people experiencing the government as one organisation (the
    source says so); an alignment to it must be about that experience, not about cooperation."""
    if SOURCES.is_dir():
        assert "ervaren als één organisatie" in kd18_definition()
    for a in alignments(g):
        if g.value(a, S.naarElement) == URIRef(NORA + "KD18"):
            assert "ervar" in nl(g, a), f"{a} links Uniform without speaking of how users experience services"


def test_not_applicable_only_for_a_commitment_the_architecture_level_records(g):
    kinds = list(g.subject_objects(S.soortAfwijking))
    assert len(kinds) >= 2
    for d, kind in kinds:
        assert kind == S.NietVanToepassing
        assert (d, RDF.type, S.Afwijking) in g  # so comply-or-explain accepts it with its explanation
        element = g.value(d, S.vanElement)
        architecture = g.value(element, S.inArchitectuur)
        assert (architecture, S.moetAansluitenOp, g.value(d, S.tenOpzichteVan)) in g, d
        assert nl(g, d, S.toelichting).startswith("Niet van toepassing")


def test_aansluiten_bij_nora_is_no_longer_forced_onto_a_quality_goal(g):
    element = ID["rosa/2022/aansluiten-bij-nora"]
    assert not [a for a in alignments(g) if g.value(a, S.vanElement) == element]
    (d,) = list(g.subjects(S.vanElement, element))
    assert g.value(d, S.soortAfwijking) == S.NietVanToepassing


def test_regie_op_gegevens_points_at_the_nora_framework(g):
    """NORA has a beleidskader BK10 Regie op Gegevens; the ROSA principles on control over one's own
    data link to it instead of claiming NORA has nothing."""
    bk10 = URIRef(NORA + "BK10")
    assert "Regie op Gegevens" in str(g.value(bk10, SKOS.prefLabel))
    sources = {g.value(a, S.vanElement) for a in alignments(g) if g.value(a, S.naarElement) == bk10}
    regie = {e for e in g.subjects(S.inArchitectuur, None)
             if re.search(r"voert-regie-op-zijn-eigen-onderwijsgegevens$", str(e))}
    assert len(regie) == 3 and regie <= sources
    for a in alignments(g):
        if g.value(a, S.vanElement) in regie:
            assert "NORA kent geen apart principe" not in nl(g, a)


def test_curation_table_and_generated_files_agree_on_confidence(g):
    with (ROOT / "tools" / "curation" / "alignments.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_ends = {(URIRef(r["source"]), URIRef(r["target"])): r for r in rows}
    assert len(by_ends) == len(rows) == len(alignments(g))
    for a in alignments(g):
        row = by_ends[(g.value(a, S.vanElement), g.value(a, S.naarElement))]
        assert float(row["confidence"]) == float(g.value(a, S.betrouwbaarheid))
        assert SEMAPV[row["justification"]] == g.value(a, S.onderbouwing)


def test_sssom_export_carries_confidence_and_justification():
    tsv = (ROOT / "data" / "alignments" / "stelsel.sssom.tsv").read_text(encoding="utf-8")
    lines = [line for line in tsv.splitlines() if not line.startswith("#")]
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    for column in ("confidence", "mapping_justification", "reviewer_id", "reviewer_label", "deviation_kind"):
        assert column in header
    conf, modifier = header.index("confidence"), header.index("predicate_modifier")
    mappings = [r for r in rows if r[modifier] != "Not"]
    assert mappings and all(0 < float(r[conf]) <= 1 for r in mappings)
    kind = header.index("deviation_kind")
    assert {r[kind] for r in rows if r[modifier] == "Not"} == {"", "stelsel:NietVanToepassing"}
