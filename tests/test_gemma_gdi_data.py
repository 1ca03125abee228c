"""GEMMA and GDI in the stelsel: their own graphs, their stated links to NORA as alignments with
their own provenance, and GEMMA's copies of NORA elements resolved to NORA (not duplicated)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS

from stelsel.vocab import ID, SEMAPV, STELSEL

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    files = {"nora": "nora.ttl", "gemma": "gemma.ttl", "gdi": "gdi.ttl",
             "al-gemma": "alignments/gemma.ttl", "al-gdi": "alignments/gdi.ttl"}
    return {k: Graph().parse(DATA / f, format="turtle") for k, f in files.items()}


def alignments(g: Graph):
    for a in g.subjects(RDF.type, STELSEL.Aansluiting):
        yield a, g.value(a, STELSEL.vanElement), g.value(a, STELSEL.naarElement)


@pytest.mark.parametrize("name,owner,creator", [("gemma", ID["org/vng-realisatie"], "VNG Realisatie"),
                                                ("gdi", ID["org/bzk"], "Ministerie van BZK (GDI-architecten)")])
def test_member_of_the_stelsel_with_its_own_provenance(graphs, name, owner, creator):
    g, al = graphs[name], graphs[f"al-{name}"]
    arch = ID[name]
    assert (arch, RDF.type, STELSEL.Architectuur) in g
    assert (arch, STELSEL.moetAansluitenOp, ID.nora) in g and (arch, STELSEL.eigenaar, owner) in g
    links = list(alignments(al))
    assert links
    for a, source, target in links:
        assert (source, STELSEL.inArchitectuur, arch) in g, source
        assert (target, STELSEL.inArchitectuur, ID.nora) in graphs["nora"], target
        assert al.value(a, STELSEL.status) == STELSEL.Vastgesteld
        assert al.value(a, DCTERMS.creator) == Literal(creator)
        assert al.value(a, STELSEL.onderbouwing) == SEMAPV.ManualMappingCuration
        assert (source, al.value(a, STELSEL.relatie), target) in al  # the plain triple too


def test_gemma_counts(graphs):
    links = list(alignments(graphs["al-gemma"]))
    withdrawn = set(graphs["gemma"].subjects(STELSEL.status, STELSEL.Vervallen))
    sources = {s for _, s, _ in links} - withdrawn
    kinds = Counter(graphs["gemma"].value(s, RDF.type) for s in sources)
    # GEMMA's own motivation elements with a stated link: 52, plus 'Deel open data', a NORA copy
    # whose NORA id (NAP07.01) names no NORA element (and two old GEMMA principles, withdrawn)
    motivation = {STELSEL.Architectuurprincipe, STELSEL.Implicatie, STELSEL.Kwaliteitsdoel,
                  STELSEL.Kernwaarde, STELSEL.Beleidskader}
    assert sum(n for k, n in kinds.items() if k in motivation) == 53
    assert len({(s, t) for _, s, t in links}) == len(links) == 200
    assert len(set(graphs["gemma"].subjects(STELSEL.inArchitectuur, ID.gemma))) > 2800


def test_gdi_pairs(graphs):
    links = list(alignments(graphs["al-gdi"]))
    assert len(links) == 50 and len({s for _, s, _ in links}) == 14


def test_no_gemma_copy_of_a_nora_element(graphs):
    nora, gemma = graphs["nora"], graphs["gemma"]
    nora_names = {str(l).casefold() for s in nora.subjects(STELSEL.inArchitectuur, ID.nora)
                  for l in nora.objects(s, SKOS.prefLabel) if l.language == "nl"}
    motivation = (STELSEL.Architectuurprincipe, STELSEL.Implicatie, STELSEL.Kwaliteitsdoel,
                  STELSEL.Kernwaarde, STELSEL.Beleidskader)
    copies = [str(l) for c in motivation for s in gemma.subjects(RDF.type, c)
              for l in gemma.objects(s, SKOS.prefLabel) if str(l).casefold() in nora_names]
    assert copies == [], f"GEMMA elements that repeat a NORA element: {copies}"


def test_no_source_text_copied(graphs):
    """Facts only: no documentation (skos:definition) on imported elements; names are facts."""
    for name in ("gemma", "gdi"):
        g = graphs[name]
        described = [s for s in g.subjects(SKOS.definition, None) if s != ID[name]]
        assert described == []


@pytest.mark.sources
@pytest.mark.skipif(not (SOURCES / "gemma").is_dir(), reason="../shared/sources is not there")
def test_files_equal_a_fresh_build():
    done = subprocess.run([sys.executable, str(REPO / "tools" / "build_gemma_gdi.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
