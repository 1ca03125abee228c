"""The synthetic stelsel (stelsel.synthetic): size within 5%, deterministic, parseable, written
in the stelsel vocabulary, with the defects it says it planted. Sizes up to 10k only (the 100k
stelsel is for `make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from stelsel.synthetic import DEFECTS, MIN_TRIPLES, build, generate, write

S = Namespace("https://w3id.org/stelsel/def#")
NORA = "https://w3id.org/stelsel/id/nora"
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "stelsel.ttl"


@pytest.fixture(scope="module")
def g10k() -> Graph:
    return generate(10_000, seed=3)


@pytest.mark.parametrize("n", [MIN_TRIPLES, 2_500, 5_000, 10_000])
def test_size_is_within_five_percent(n):
    for seed in (0, 1):
        assert abs(len(generate(n, seed)) - n) <= 0.05 * n


def test_too_small_is_refused():
    with pytest.raises(ValueError):
        build(MIN_TRIPLES - 1)


def test_deterministic_by_seed():
    a, b, c = build(5_000, seed=7), build(5_000, seed=7), build(5_000, seed=8)
    assert a.graphs == b.graphs and a.defects == b.defects
    assert set(t for ts in a.graphs.values() for t in ts) != set(t for ts in c.graphs.values() for t in ts)


def test_turtle_files_parse_back(tmp_path):
    synthetic = build(3_000, seed=2)
    paths = write(3_000, tmp_path, seed=2)
    assert len(paths) == len(synthetic.graphs) and all(p.suffix == ".ttl" for p in paths)
    assert len({p.stem for p in paths}) == len(paths)  # one named graph per file stem
    union = Graph()
    for p in paths:
        union += Graph().parse(p, format="turtle")
    assert len(union) == len(synthetic)
    assert set(union) == set(synthetic.graph())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG code
def test_trig_file_parses_back(tmp_path):
    (path,) = write(2_000, tmp_path, seed=2, fmt="trig")
    ds = Dataset().parse(path, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    synthetic = build(2_000, seed=2)
    assert set(synthetic.graphs) <= graphs
    assert sum(len(ds.graph(g)) for g in synthetic.graphs) == len(synthetic)


def test_uses_only_declared_vocabulary(g10k):
    onto = Graph().parse(ONTOLOGY, format="turtle")
    declared = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                            OWL.NamedIndividual) for s in onto.subjects(RDF.type, t)}
    used = {t for triple in g10k for t in triple if str(t).startswith(str(S))}
    assert used and used <= declared, sorted(used - declared)


def test_looks_like_a_stelsel(g10k):
    architectures = set(g10k.subjects(RDF.type, S.Architectuur))
    assert URIRef(NORA) in architectures
    members = architectures - {URIRef(NORA)}
    assert all((a, S.moetAansluitenOp, None) in g10k for a in architectures if str(a) != NORA)
    for cls in (S.Kernwaarde, S.Kwaliteitsdoel, S.Architectuurprincipe, S.Implicatie, S.Laag,
                S.Doel, S.Eis, S.Standaard, S.Aansluiting, S.Afwijking):
        assert len(set(g10k.subjects(RDF.type, cls))) >= 3, cls
    # implicaties in layers, principles realising goals, alignments with provenance
    assert len(set(g10k.subjects(S.hoortBijLaag, None))) > 20
    assert len(list(g10k.triples((None, S.realiseert, None)))) > 50
    withdrawn = set(g10k.subjects(S.status, S.Vervallen))
    assert len(withdrawn) > 10
    aligned_to_withdrawn = {a for a in g10k.subjects(RDF.type, S.Aansluiting)
                            if g10k.value(a, S.naarElement) in withdrawn}
    assert aligned_to_withdrawn
    for a in list(g10k.subjects(RDF.type, S.Aansluiting))[:50]:
        for p in (S.vanElement, S.relatie, S.naarElement, S.status, S.inSet):
            assert g10k.value(a, p) is not None, (a, p)
    assert len(members) >= 2
    assert len(set(g10k.subjects(RDF.type, S.Aansluitingsset))) == len(members)
    # every element has a Dutch or English name, and an architecture
    for e in g10k.subjects(S.inArchitectuur, None):
        assert g10k.value(e, SKOS.prefLabel) is not None


def test_defects_are_planted_and_visible():
    synthetic = build(10_000, seed=0)
    assert set(synthetic.defects) <= set(DEFECTS)
    assert sum(synthetic.defects.values()) >= 10
    g = synthetic.graph()
    two = [e for e in set(g.subjects(S.inArchitectuur, None)) if len(set(g.objects(e, S.inArchitectuur))) > 1]
    assert len(two) == synthetic.defects["twee-architecturen"]
    english_only = [e for e in set(g.subjects(S.inArchitectuur, None))
                    if {l.language for l in g.objects(e, SKOS.prefLabel)} == {"en"}]
    assert len(english_only) == synthetic.defects["geen-nederlandse-naam"]
