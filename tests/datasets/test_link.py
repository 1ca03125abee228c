"""Registering: the dataset's own graph, owner, provenance, report graph, links into the stelsel,
and the trace to DERA principles and NORA."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from stelsel.datasets.link import (
    DATASETS_GRAPH,
    NotFound,
    dataset_slug,
    register,
    registration,
    registrations,
    unregister,
)
from stelsel.datasets.trace import summarise, trace
from stelsel.datasets.validate import DatasetValidator
from stelsel.errors import InputError
from stelsel.validation import validate

from .dsutil import FIXTURES, REPO

KM = "https://w3id.org/stelsel/id/nde/kenmerk/"
STD = "https://w3id.org/stelsel/id/nde/standaard/"
DERA = "https://w3id.org/stelsel/id/dera/"
PRENTEN = "https://data.example.org/id/dataset/prenten"


@pytest.fixture(scope="module")
def outcomes():
    with DatasetValidator() as v:
        return {p.name: o for p, o in zip(
            [FIXTURES / "kb-dataset.jsonld", FIXTURES / "rce-dataset.ttl", FIXTURES / "invalid.jsonld"],
            v.validate_paths([FIXTURES / "kb-dataset.jsonld", FIXTURES / "rce-dataset.ttl",
                              FIXTURES / "invalid.jsonld"]))}


def graph_quads(store, g):
    return list(store._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))


def test_a_dataset_gets_its_own_graph_owned_by_its_publisher_with_provenance(store, outcomes):
    when = dt.datetime(2024, 3, 1, 10, 0, tzinfo=dt.UTC)
    [reg] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb-partner",
                     source="https://www.kb.nl/datasets/prenten.jsonld", now=when)
    assert reg.graph == f"{DATASETS_GRAPH}kb/{dataset_slug(PRENTEN)}" and reg.id.startswith("kb/prenten-")
    row = registration(store, reg.id)
    assert row["organisation"] == "https://w3id.org/stelsel/id/org/kb"
    assert row["organisation_name"] == "Koninklijke Bibliotheek"   # the OCW organisation, not a second name
    assert row["provenance"] == {"source": "https://www.kb.nl/datasets/prenten.jsonld", "agent": "kb-partner",
                                 "registered": "2024-03-01T10:00:00Z"}
    assert row["status"] == "valid" and row["issued"] == "2024-03-01T10:00:00Z"
    # the report lives next to it, as a SHACL validation report
    report = graph_quads(store, reg.graph + "/rapport")
    assert any(q.object.value == "http://www.w3.org/ns/shacl#ValidationReport" for q in report)
    assert any(q.subject.value == reg.graph + "/rapport" and q.predicate.value.endswith("#conforms") for q in report)


def test_links_from_what_the_description_says(store, outcomes):
    [reg] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb-partner", source="f")
    links = registration(store, reg.id)["links"]
    assert {KM + k for k in ("web-iri", "licentie", "open-licentie", "herkomst", "beschreven", "distributie",
                             "linked-data", "sparql-endpoint", "gangbaar-model", "termen", "geregistreerd")} \
        == set(links["kenmerken"])
    assert {STD + "schema-org", STD + "edm", STD + "sparql"} <= set(links["standaarden"])
    assert set(links["dera_standaarden"]) == {DERA + "creative-commons", DERA + "rdf", DERA + "linked-data"}
    assert set(links["termenbronnen"]) == {"https://w3id.org/stelsel/id/termennetwerk/aat",
                                           "https://w3id.org/stelsel/id/termennetwerk/geonames"}


def test_a_dcat_description_with_terms_from_the_cht(store, outcomes):
    [reg] = register(store, outcomes["rce-dataset.ttl"], publisher="rce", agent="rce-partner", source="rce.ttl")
    row = registration(store, reg.id)
    assert row["organisation_name"] == "Rijksdienst voor het Cultureel Erfgoed"
    assert row["links"]["termenbronnen"] == ["https://w3id.org/stelsel/id/termennetwerk/cht"]
    assert STD + "dcat" in row["links"]["standaarden"]


def test_an_unknown_publisher_gets_an_organisation_graph_named_from_the_description(store, outcomes):
    [reg] = register(store, outcomes["kb-dataset.jsonld"], publisher="prentenkabinet", agent="x", source="f")
    org = graph_quads(store, DATASETS_GRAPH + "prentenkabinet/organisatie")
    labels = [q.object for q in org if q.predicate.value.endswith("prefLabel")]
    assert [(l.value, l.language) for l in labels] == [("Koninklijke Bibliotheek", "nl")]
    assert registration(store, reg.id)["organisation"] == "https://w3id.org/stelsel/id/org/prentenkabinet"


def test_the_trace_goes_through_dera_principles_to_nora(store, outcomes):
    [reg] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb-partner", source="f")
    summary = summarise(trace(store, reg.graph))
    principles = {p["notation"]: p for p in summary["principles"]}
    assert {"P1", "P2", "P3", "P4", "P5", "P6", "P8"} <= set(principles)
    # P5 (link to related information) because of the AAT and GeoNames terms, and it aligns to NORA
    assert KM + "termen" in principles["P5"]["because"]
    assert principles["P5"]["nora"], "P5 aligns to NORA elements"
    assert any(n["principle_notation"] and n["principle_notation"].startswith("NAP") for n in principles["P5"]["nora"])
    services = {s["iri"] for s in summary["services"]}
    assert {DERA + "vindbare-datasets", DERA + "gepubliceerde-datasets"} <= services
    assert summary["nora_principles"] and all(p["notation"].startswith("NAP") for p in summary["nora_principles"])


def test_an_invalid_description_is_not_registered(store, outcomes):
    before = len(list(store._store.quads_for_pattern(None, None, None, None)))
    with pytest.raises(InputError, match="invalid"):
        register(store, outcomes["invalid.jsonld"], publisher="kb", agent="kb", source="f")
    assert len(list(store._store.quads_for_pattern(None, None, None, None))) == before


def test_registering_again_replaces_and_keeps_the_first_date(store, outcomes):
    first = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    later = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    [a] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb", source="f", now=first)
    [b] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb", source="f", now=later)
    row = registration(store, b.id)
    assert a.graph == b.graph and b.replaced and not a.replaced
    assert row["issued"] == "2024-01-01T00:00:00Z" and row["modified"] == "2024-06-01T00:00:00Z"
    assert len(registrations(store, publisher="kb")) == 1


def test_unregister(store, outcomes):
    [reg] = register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb", source="f")
    unregister(store, reg.id)
    assert registrations(store) == [] and graph_quads(store, reg.graph + "/rapport") == []
    with pytest.raises(NotFound):
        unregister(store, reg.id)
    with pytest.raises(InputError):
        unregister(store, "../../nora")


def test_what_stelsel_writes_passes_the_link_shapes_and_the_structure_shapes(store, outcomes, tmp_path):
    """The registration graphs with what they link to, validated with shapes/nde-datasets.ttl and
    shapes/structure.ttl: no finding about a registration graph."""
    register(store, outcomes["kb-dataset.jsonld"], publisher="kb", agent="kb", source="f")
    register(store, outcomes["rce-dataset.ttl"], publisher="rce", agent="rce", source="f")
    register(store, outcomes["kb-dataset.jsonld"], publisher="prentenkabinet", agent="x", source="f")
    keep = ("datasets/", "nde-standaarden", "nde-termennetwerk", "dera", "ocw")
    quads = [q for q in store._store.quads_for_pattern(None, None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and any(k in q.graph_name.value for k in keep)
             and not q.graph_name.value.endswith("/rapport") and "alignments" not in q.graph_name.value]
    data = tmp_path / "registraties.nq"
    data.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    report = validate([data], [REPO / "shapes" / "nde-datasets.ttl", REPO / "shapes" / "structure.ttl"],
                      coverage=False)
    ours = [f for f in report.findings if f.graph and f.graph.startswith(DATASETS_GRAPH)]
    about_stelsel = [f for f in ours if f.severity.value == "Violation"
                     or f.source_shape.startswith("https://w3id.org/stelsel/shapes#")
                     or f.source_shape.startswith("https://w3id.org/stelsel/shapes/datasets#Registratie")]
    assert [(f.severity.value, f.focus_node, f.text("en")) for f in about_stelsel] == []
    # what remains are the descriptions' own recommendations (the RCE fixture names no creator)
    assert all(f.severity.value in ("Warning", "Info") for f in ours)


def test_standards_are_recognised_by_iri_and_by_name():
    from stelsel.datasets.inputs import read_bytes
    from stelsel.datasets.link import derive_links
    desc = read_bytes(b"""@prefix dct: <http://purl.org/dc/terms/> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://example.org/d> a dcat:Dataset ; dct:conformsTo <http://www.cidoc-crm.org/cidoc-crm/> , "Linked Art" ;
  dcat:distribution [ dcat:accessURL <https://example.org/iiif> ; dct:conformsTo <http://iiif.io/api/presentation/3/context.json> ;
                      dct:format "Linked Data (RDF 1.1)" ; dct:license <http://rightsstatements.org/vocab/InC/1.0/> ] .""",
                      "turtle")
    node = next(t.subject for t in desc.triples if t.subject.__class__.__name__ == "NamedNode")
    links = derive_links(desc.triples, node, True, [])
    assert {STD + k for k in ("dcat", "cidoc-crm", "linked-art", "iiif")} <= set(links.standaarden)
    assert {DERA + "linked-data", DERA + "rightsstatements-org"} <= set(links.dera_standaarden)
    assert KM + "licentie" in links.kenmerken and KM + "open-licentie" not in links.kenmerken
