"""The curated alignments in data/alignments/: complete, well-formed, consistent with data/,
lossless through SSSOM, and not stale with respect to tools/curation/."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS

from stelsel.importers.sssom import read_sssom, write_sssom
from stelsel.iris import alignment_iri, deviation_iri
from stelsel.vocab import ID, STELSEL

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
ALIGNMENTS = DATA / "alignments"
ONTOLOGY = REPO / "ontology" / "stelsel.ttl"
SETS = ("rosa-2022", "rosa-2024", "dera", "ear", "ocw")
ARCHITECTURE = {"rosa-2022": ID["rosa/2022"], "rosa-2024": ID["rosa/2024"], "dera": ID.dera,
                "ear": ID.ear, "ocw": ID.ocw}
#: the architectures every principle and goal of a set must align to (or deviate from)
MUST_ALIGN_TO = {name: (ID.nora,) for name in SETS} | {"ocw": (ID.nora, ID.ear)}

pytestmark = pytest.mark.skipif(
    not all((ALIGNMENTS / f"{name}.ttl").is_file() for name in SETS) or not ONTOLOGY.is_file(),
    reason="data/alignments/*.ttl or the ontology not there yet")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def sets() -> dict[str, Graph]:
    return {name: Graph().parse(ALIGNMENTS / f"{name}.ttl", format="turtle") for name in SETS}


def subclasses(ontology: Graph, root: URIRef) -> set[URIRef]:
    return set(ontology.transitive_subjects(RDFS.subClassOf, root))


def superclasses(ontology: Graph, classes) -> set[URIRef]:
    return {s for c in classes for s in ontology.transitive_objects(c, RDFS.subClassOf)}


def stelsel_types(graph: Graph, node) -> set[URIRef]:
    return {t for t in graph.objects(node, RDF.type) if str(t).startswith(str(STELSEL))}


def alignments(graph: Graph):
    return sorted(graph.subjects(RDF.type, STELSEL.Aansluiting))


def deviations(graph: Graph):
    return sorted(graph.subjects(RDF.type, STELSEL.Afwijking))


# --- (a) both ends exist in data/ and are typed; the kinds may align --------------------------

@pytest.mark.parametrize("name", SETS)
def test_every_end_exists_and_is_typed(name, sets, data, ontology):
    g = sets[name]
    problems = []
    for node in alignments(g):
        source, target = g.value(node, STELSEL.vanElement), g.value(node, STELSEL.naarElement)
        for end, what in ((source, "source"), (target, "target")):
            if not stelsel_types(data, end):
                problems.append(f"{node}: {what} {end} is not a typed element in data/")
        if data.value(source, STELSEL.inArchitectuur) != ARCHITECTURE[name]:
            problems.append(f"{node}: source {source} is not in {ARCHITECTURE[name]}")
        allowed = {d for c in superclasses(ontology, stelsel_types(data, source))
                   for d in ontology.objects(c, STELSEL.magAansluitenOp)}
        if not allowed & superclasses(ontology, stelsel_types(data, target)):
            problems.append(f"{node}: a {stelsel_types(data, source)} may not align to a "
                            f"{stelsel_types(data, target)} (stelsel:magAansluitenOp)")
    for node in deviations(g):
        source, arch = g.value(node, STELSEL.vanElement), g.value(node, STELSEL.tenOpzichteVan)
        if not stelsel_types(data, source):
            problems.append(f"{node}: source {source} is not a typed element in data/")
        if (arch, RDF.type, STELSEL.Architectuur) not in data:
            problems.append(f"{node}: {arch} is not an architecture in data/")
    assert not problems, "\n".join(problems)


# --- (b) every principle and goal aligns to NORA (and OCW's also to EAR) or deviates ---------

@pytest.mark.parametrize("name", SETS)
def test_every_principle_and_goal_is_covered(name, sets, data, ontology):
    g = sets[name]
    kinds = subclasses(ontology, STELSEL.Principe) | subclasses(ontology, STELSEL.Doel)
    elements = {e for kind in kinds for e in data.subjects(RDF.type, kind)
                if data.value(e, STELSEL.inArchitectuur) == ARCHITECTURE[name]
                and data.value(e, STELSEL.status) != STELSEL.Vervallen}
    assert elements, f"no principles or goals of {name} in data/"
    missing = []
    for arch in MUST_ALIGN_TO[name]:
        covered = set()
        for node in alignments(g):
            target = g.value(node, STELSEL.naarElement)
            if (data.value(target, STELSEL.inArchitectuur) == arch
                    and data.value(target, STELSEL.status) != STELSEL.Vervallen
                    and g.value(node, STELSEL.status) != STELSEL.Vervallen):
                covered.add(g.value(node, STELSEL.vanElement))
        covered |= {g.value(n, STELSEL.vanElement) for n in deviations(g)
                    if g.value(n, STELSEL.tenOpzichteVan) == arch}
        missing += [f"{e} has no alignment to a current element of {arch} and no deviation"
                    for e in sorted(elements - covered)]
    assert not missing, "\n".join(missing)


def test_some_rosa_2022_alignments_point_at_withdrawn_nora_principles(sets, data):
    g = sets["rosa-2022"]
    withdrawn = [n for n in alignments(g)
                 if data.value(g.value(n, STELSEL.naarElement), STELSEL.status) == STELSEL.Vervallen]
    assert 2 <= len(withdrawn) <= 3
    for node in withdrawn:
        assert g.value(node, STELSEL.status) == STELSEL.Voorgesteld


# --- (c) every alignment and deviation carries its provenance --------------------------------

@pytest.mark.parametrize("name", SETS)
def test_alignments_are_complete(name, sets):
    g = sets[name]
    set_iri = ID[f"aansluitingsset/{name}"]
    assert (set_iri, RDF.type, STELSEL.Aansluitingsset) in g
    for p in (DCTERMS.title, DCTERMS.creator, DCTERMS.date, DCTERMS.license):
        assert g.value(set_iri, p) is not None, f"{set_iri} has no {p}"
    problems = []
    for node in alignments(g):
        s, p, o = (g.value(node, STELSEL[x]) for x in ("vanElement", "relatie", "naarElement"))
        if str(node) != alignment_iri(s, p, o):
            problems.append(f"{node}: not minted with alignment_iri")
        for prop in (DCTERMS.creator, DCTERMS.date, STELSEL.status, STELSEL.onderbouwing):
            if g.value(node, prop) is None:
                problems.append(f"{node}: no {prop}")
        langs = {lit.language for lit in g.objects(node, STELSEL.rationale)}
        if langs != {"nl", "en"}:
            problems.append(f"{node}: rationale languages {langs}, want nl and en")
        if g.value(node, STELSEL.inSet) != set_iri:
            problems.append(f"{node}: not in {set_iri}")
        withdrawn = g.value(node, STELSEL.status) == STELSEL.Vervallen
        if ((s, p, o) in g) == withdrawn:
            problems.append(f"{node}: materialised triple {'present' if withdrawn else 'missing'}")
        if g.value(node, STELSEL.status) == STELSEL.Vastgesteld and g.value(
                node, DCTERMS.source) is None:
            problems.append(f"{node}: Vastgesteld without dct:source")
    for node in deviations(g):
        s, arch = g.value(node, STELSEL.vanElement), g.value(node, STELSEL.tenOpzichteVan)
        if str(node) != deviation_iri(s, arch):
            problems.append(f"{node}: not minted with deviation_iri")
        for prop in (DCTERMS.creator, DCTERMS.date, STELSEL.status, STELSEL.onderbouwing):
            if g.value(node, prop) is None:
                problems.append(f"{node}: no {prop}")
        langs = {lit.language for lit in g.objects(node, STELSEL.toelichting)}
        if langs != {"nl", "en"}:
            problems.append(f"{node}: explanation languages {langs}, want nl and en")
        if g.value(node, STELSEL.inSet) != set_iri:
            problems.append(f"{node}: not in {set_iri}")
    assert not problems, "\n".join(problems)


def test_creator_and_date(sets):
    for g in sets.values():
        for node in alignments(g) + deviations(g):
            assert g.value(node, DCTERMS.creator) == Literal("stelsel project")
            assert str(g.value(node, DCTERMS.date)) == "2026-11-28"


# --- (d) lossless through SSSOM ------------------------------------------------------------

@pytest.mark.parametrize("name", SETS)
def test_sssom_round_trip(name, sets, data):
    out = io.StringIO()
    write_sssom(sets[name], out, labels=data, strict=True)
    back = read_sssom(io.StringIO(out.getvalue()))
    if not isomorphic(sets[name], back):
        _, lost, gained = graph_diff(to_isomorphic(sets[name]), to_isomorphic(back))
        pytest.fail(f"{name}: lost {len(lost)} triples, gained {len(gained)}: "
                    + "; ".join(" ".join(t.n3() for t in triple) for triple in sorted(lost)[:3]))


# --- the files are what the curation tables say (the SSSOM export cannot go stale) ---------

def _build_module():
    spec = importlib.util.spec_from_file_location("build_alignments",
                                                  REPO / "tools" / "build_alignments.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_files_equal_a_fresh_build():
    outputs, _, _ = _build_module().generate()
    stale = [str(path.relative_to(REPO)) for path, text in outputs.items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"regenerate with python tools/build_alignments.py: {stale}"
    assert ALIGNMENTS / "stelsel.sssom.tsv" in outputs


def test_combined_sssom_export_reads_back_into_the_sets(sets):
    back = read_sssom(ALIGNMENTS / "stelsel.sssom.tsv")
    for name, g in sets.items():
        set_iri = ID[f"aansluitingsset/{name}"]
        expected = set(g.subjects(STELSEL.inSet, set_iri))
        assert set(back.subjects(STELSEL.inSet, set_iri)) == expected
