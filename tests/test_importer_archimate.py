"""The ArchiMate importer on small handmade models (tests/fixtures/archimate/).

The mapping comes from a fixture ontology with the same annotations as ontology/stelsel.ttl, so
these tests do not depend on the real ontology; one test checks the real one once it exists.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from stelsel.errors import InputError
from stelsel.importers.archimate import (
    ARCHIMATE_PROPERTY,
    STATUS_FOLDERS,
    ArchimateImportError,
    csv_siblings,
    default_ontology_path,
    import_archimate,
    load_mapping,
    parse_name,
    read_model,
    write_graph,
)
from stelsel.vocab import STELSEL

FIX = Path(__file__).parent / "fixtures" / "archimate"
ONTOLOGY = FIX / "ontology.ttl"
NORA = "https://w3id.org/stelsel/id/nora"
DERA = "https://w3id.org/stelsel/id/dera"


def iri(local: str, arch: str = NORA) -> URIRef:
    return URIRef(f"{arch}/{local}")


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(ONTOLOGY)


@pytest.fixture(scope="module")
def xml_result(mapping):
    return import_archimate(FIX / "model.xml", NORA, mapping=mapping,
                            notation_prefix={"Principle": "P"})


@pytest.fixture(scope="module")
def csv_result(mapping):
    return import_archimate(
        FIX / "model-relations.csv", DERA, mapping=mapping,
        include_folders=["Motivation/DERA 4.0", "Business/DERA 4.0", "Application/DERA 4.0"],
        exclude_names=["Principe"],
        status_from_folder=STATUS_FOLDERS,
        notation_prefix={"Principle": "P", "Goal[Type=Operationeel doel]": "OD",
                         "Goal[Type=Strategisch doel]": "SD"},
        source_iri="https://example.org/dera-model",
    )


# --- names and notations ------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("NAP01 Vindbaar", ("NAP01", "Vindbaar")),
    ("KD03 Ontvankelijk", ("KD03", "Ontvankelijk")),
    ("IMP001  Maak\u00a0het kort ", ("IMP001", "Maak het kort")),
    ("Laag1 Grondslagen en visie", ("Laag1", "Grondslagen en visie")),
    ("GAP07.01 Iets", ("GAP07.01", "Iets")),
    ("Vindbaar", (None, "Vindbaar")),
    ("Artikel 4 WEC", (None, "Artikel 4 WEC")),
    ("AVG", (None, "AVG")),
    ("Leraar24", (None, "Leraar24")),
    ("BBN1", (None, "BBN1")),
])
def test_parse_name(name, expected):
    assert parse_name(name) == expected


# --- the exchange format ------------------------------------------------------------------


def test_xml_elements_classes_and_notations(xml_result):
    g = xml_result.graph
    expected = {
        "KW01": STELSEL.Kernwaarde, "KD03": STELSEL.Kwaliteitsdoel,
        "NAP01": STELSEL.Architectuurprincipe, "IMP001": STELSEL.Implicatie,
        "Laag1": STELSEL.Laag, "P3": STELSEL.Principe,
        "thema-dienstverlening": STELSEL.Groepering, "samenwerken": STELSEL.Element,
    }
    for local, cls in expected.items():
        assert (iri(local), RDF.type, cls) in g, local
    assert (iri("NAP01"), SKOS.notation, Literal("NAP01")) in g
    assert (iri("NAP01"), SKOS.prefLabel, Literal("Vindbaar", lang="nl")) in g
    assert (iri("NAP01"), SKOS.prefLabel, Literal("Findable", lang="en")) in g
    assert (iri("Laag1"), SKOS.prefLabel, Literal("Grondslagen en visie", lang="nl")) in g
    # property ID with a per-type prefix
    assert (iri("P3"), SKOS.notation, Literal("P3")) in g
    assert (iri("P3"), SKOS.prefLabel, Literal("Zorg voor eenheid", lang="nl")) in g
    # no notation: no skos:notation
    assert g.value(iri("thema-dienstverlening"), SKOS.notation) is None


def test_xml_provenance_and_architecture(xml_result):
    g = xml_result.graph
    s = iri("KW01")
    assert (s, STELSEL.inArchitectuur, URIRef(NORA)) in g
    assert (s, STELSEL.bronId, Literal("id-kw01")) in g
    assert (s, PROV.wasDerivedFrom, URIRef((FIX / "model.xml").resolve().as_uri())) in g
    assert xml_result.iris["id-kw01"] == s


def test_archimate_type_only_without_specific_class(xml_result):
    g = xml_result.graph
    assert (iri("samenwerken"), STELSEL.archimateType, Literal("Capability")) in g
    assert list(g.subjects(STELSEL.archimateType, None)) == [iri("samenwerken")]


def test_documentation_and_properties(xml_result):
    g = xml_result.graph
    s = iri("IMP001")
    assert (s, ARCHIMATE_PROPERTY.werkgroepid, Literal("IM001", lang="nl")) in g
    assert (ARCHIMATE_PROPERTY.werkgroepid, RDFS.label, Literal("WerkgroepID")) in g
    assert g.value(s, ARCHIMATE_PROPERTY.toelichting) is not None
    assert g.value(iri("KD03"), SKOS.definition).startswith("Burgers en bedrijven")
    assert g.value(iri("KD03"), SKOS.definition).language == "nl"


def test_layer_aggregation_becomes_hoort_bij_laag(xml_result):
    g = xml_result.graph
    assert (iri("IMP001"), STELSEL.hoortBijLaag, iri("Laag1")) in g
    assert (iri("Laag1"), STELSEL.aggregeert, iri("IMP001")) not in g
    # a grouping that is not a layer keeps the default property
    assert (iri("thema-dienstverlening"), STELSEL.aggregeert, iri("NAP01")) in g
    assert (iri("NAP01"), STELSEL.hoortBijLaag, iri("thema-dienstverlening")) not in g


def test_relations(xml_result):
    g = xml_result.graph
    assert (iri("IMP001"), STELSEL.realiseert, iri("NAP01")) in g
    assert (iri("NAP01"), STELSEL.realiseert, iri("KD03")) in g
    assert (iri("KD03"), STELSEL.isGerelateerdAan, iri("KW01")) in g
    assert (iri("verouderd-principe"), STELSEL.beinvloedt, iri("KD03")) in g
    assert xml_result.relation_counts[STELSEL.realiseert] == 2
    assert xml_result.relation_counts[STELSEL.hoortBijLaag] == 1
    assert xml_result.class_counts[STELSEL.Kernwaarde] == 1
    assert sum(xml_result.class_counts.values()) == 12


def test_relationship_name_and_documentation_kept(xml_result):
    g = xml_result.graph
    stmts = list(g.subjects(STELSEL.bronId, Literal("id-r2")))
    assert len(stmts) == 1
    stmt = stmts[0]
    assert (stmt, RDF.type, RDF.Statement) in g
    assert (stmt, RDF.subject, iri("NAP01")) in g
    assert (stmt, RDF.predicate, STELSEL.realiseert) in g
    assert (stmt, RDF.object, iri("KD03")) in g
    assert (stmt, RDFS.label, Literal("draagt bij", lang="nl")) in g
    assert (stmt, SKOS.definition, Literal("Toelichting bij de relatie.", lang="nl")) in g


def test_metamodel_element_skipped_and_collisions(xml_result):
    g = xml_result.graph
    assert "id-meta" not in xml_result.iris
    assert not list(g.subjects(STELSEL.bronId, Literal("id-meta")))
    # three elements named "Privacy": the first by archi id keeps the slug, then the class is
    # appended, then the first 8 characters of the id
    assert xml_result.iris["id-a1b3c5d7e9f0"] == iri("privacy")
    assert xml_result.iris["id-b2c4e6a8d0f1"] == iri("privacy-doel")
    assert xml_result.iris["id-c3d5e7f9a1b2"] == iri("privacy-doel-c3d5e7f9")
    assert (iri("privacy"), RDF.type, STELSEL.Driver) in g


def test_deterministic(mapping):
    a = import_archimate(FIX / "model.xml", NORA, mapping=mapping)
    b = import_archimate(FIX / "model.xml", NORA, mapping=mapping)
    assert set(a.graph) == set(b.graph)
    assert a.iris == b.iris


def test_facts_only(mapping):
    r = import_archimate(FIX / "model.xml", NORA, mapping=mapping, facts_only=True)
    g = r.graph
    assert g.value(iri("KD03"), SKOS.definition) is None  # 113 characters
    assert (iri("KW01"), SKOS.definition, Literal("Kort.", lang="nl")) in g
    assert g.value(iri("IMP001"), ARCHIMATE_PROPERTY.toelichting) is None
    assert (iri("IMP001"), ARCHIMATE_PROPERTY.werkgroepid, Literal("IM001", lang="nl")) in g
    assert not list(g.subjects(RDF.type, RDF.Statement))
    assert (iri("NAP01"), STELSEL.realiseert, iri("KD03")) in g
    assert all(len(str(o)) <= 80 for o in g.objects() if isinstance(o, Literal))


def test_xml_folder_filter_reports_dropped_relations(mapping):
    r = import_archimate(FIX / "model.xml", NORA, mapping=mapping,
                         include_folders=["Motivation/Afspraken", "Other"])
    g = r.graph
    assert "id-oud" not in r.iris  # Motivation/Afspraken oud is not below Motivation/Afspraken
    assert "id-cap" not in r.iris
    assert (iri("IMP001"), STELSEL.hoortBijLaag, iri("Laag1")) in g
    assert not list(g.subjects(STELSEL.beinvloedt, None))
    dropped = [w for w in r.warnings if "id-r7" in w]
    assert len(dropped) == 1
    assert "id-oud" in dropped[0] and "Verouderd principe" in dropped[0]
    assert "include_folders" in dropped[0]
    assert any("id-r8" in w and "Samenwerken" in w for w in r.warnings)


def test_relation_to_metamodel_element_reported(xml_result):
    # id-r6 runs from the '#' metamodel grouping to Laag1
    warning = [w for w in xml_result.warnings if "id-r6" in w]
    assert len(warning) == 1
    assert "id-meta" in warning[0] and "#Laag (vijflaagsmodel)" in warning[0]


def test_local_names(mapping):
    r = import_archimate(FIX / "model.xml", NORA, mapping=mapping,
                         local_names={"Laag1": "laag-1", "id-kw01": "vertrouwen"})
    assert r.iris["id-laag1"] == iri("laag-1")
    assert r.iris["id-kw01"] == iri("vertrouwen")
    assert (iri("laag-1"), SKOS.notation, Literal("Laag1")) in r.graph


def test_exclude_folders(mapping):
    by_name = import_archimate(FIX / "model.xml", NORA, mapping=mapping,
                               exclude_folders=["Afspraken oud"])
    assert "id-oud" not in by_name.iris and "id-kw01" in by_name.iris
    by_path = import_archimate(FIX / "model.xml", NORA, mapping=mapping,
                               exclude_folders=["Motivation/Afspraken"])
    assert "id-kw01" not in by_path.iris and "id-oud" in by_path.iris
    assert "exclude_folders" in by_path.excluded["id-kw01"]


def test_class_from_a_property_value(mapping):
    r = import_archimate(FIX / "model-elements.csv", DERA, mapping=mapping, class_property="Type")
    assert (r.iris["e-prod-1"], RDF.type, STELSEL.Dienst) in r.graph  # Type "Dienst"
    assert (r.iris["e-goal-1"], RDF.type, STELSEL.Doel) in r.graph  # no class "Operationeel doel"


def test_notation_unfit_for_an_iri_is_slugged(tmp_path, mapping):
    (tmp_path / "n-elements.csv").write_text(
        '"ID","Type","Name","Documentation"\n"n-1","Requirement","Eis met ruimte",""\n',
        encoding="utf-8")
    (tmp_path / "n-relations.csv").write_text(
        '"ID","Type","Name","Documentation","Source","Target"\n', encoding="utf-8")
    (tmp_path / "n-properties.csv").write_text('"ID","Key","Value"\n"n-1","ID","FR 12"\n',
                                               encoding="utf-8")
    r = import_archimate(tmp_path / "n-", NORA, mapping=mapping)
    assert r.iris["n-1"] == iri("fr-12")
    assert (iri("fr-12"), SKOS.notation, Literal("FR 12")) in r.graph


# --- Archi CSV --------------------------------------------------------------------------------


def test_csv_siblings_from_any_file_or_prefix():
    expected = tuple(FIX / f"model-{k}.csv" for k in ("elements", "relations", "properties"))
    for given in ("model-elements.csv", "model-relations.csv", "model-properties.csv",
                  "model-", "model"):
        assert csv_siblings(FIX / given) == expected


def test_csv_elements(csv_result):
    g = csv_result.graph
    d = lambda local: iri(local, DERA)  # noqa: E731
    assert (d("P6"), RDF.type, STELSEL.Principe) in g
    assert (d("P6"), SKOS.prefLabel,
            Literal("Zorg dat erfgoedinformatie verwijsbaar is", lang="nl")) in g
    assert (d("P6"), SKOS.definition, Literal("Principe zes.", lang="nl")) in g
    assert (d("P6"), PROV.wasDerivedFrom, URIRef("https://example.org/dera-model")) in g
    # a value that already carries the prefix is not prefixed twice
    assert (d("P8"), SKOS.notation, Literal("P8")) in g
    # Archi's specialization names the class
    assert (d("P8"), RDF.type, STELSEL.Basisprincipe) in g
    # prefixes chosen by a property value
    assert (d("OD1"), SKOS.notation, Literal("OD1")) in g
    assert (d("SD1"), SKOS.notation, Literal("SD1")) in g
    assert (d("OD1"), RDF.type, STELSEL.Doel) in g
    assert (d("vindbare-datasets"), RDF.type, STELSEL.Product) in g
    assert (d("bronhouder"), RDF.type, STELSEL.Rol) in g
    assert (d("P6"), ARCHIMATE_PROPERTY.id, Literal("6")) in g


def test_csv_filters(csv_result):
    kept = set(csv_result.iris)
    assert "e-meta" not in kept  # exclude_names
    assert "e-hash" not in kept  # '#'
    assert "e-ist-1" not in kept  # other folder
    assert "e-ist-2" not in kept  # 'Application/DERA 4.01' is not below 'Application/DERA 4.0'
    assert kept == {"e-goal-1", "e-goal-2", "e-pr-1", "e-pr-2", "e-req-1", "e-prod-1", "e-rol-1"}


def test_csv_status_from_folder(csv_result):
    g = csv_result.graph
    status = {k: g.value(v, STELSEL.status) for k, v in csv_result.iris.items()}
    assert status["e-pr-1"] == STELSEL.Actueel
    assert status["e-pr-2"] == STELSEL.InOntwikkeling
    assert status["e-req-1"] == STELSEL.Vervallen
    assert status["e-goal-1"] is None


def test_csv_relations(csv_result):
    g = csv_result.graph
    ids = csv_result.iris
    assert (ids["e-req-1"], STELSEL.beinvloedt, ids["e-prod-1"]) in g
    assert (ids["e-prod-1"], STELSEL.realiseert, ids["e-goal-1"]) in g
    assert (ids["e-rol-1"], STELSEL.wijstToe, ids["e-prod-1"]) in g
    stmt = next(g.subjects(STELSEL.bronId, Literal("r-3")))
    assert (stmt, RDFS.label, Literal("voert uit", lang="nl")) in g
    assert (stmt, ARCHIMATE_PROPERTY.sterkte, Literal("hoog")) in g
    # r-4 from a filtered-out element, r-5 to an excluded name, r-6 to a relationship
    for rel, who in (("r-4", "e-ist-1"), ("r-5", "e-meta"), ("r-6", "r-1")):
        assert any(rel in w and who in w for w in csv_result.warnings), rel
    assert csv_result.relation_counts[STELSEL.realiseert] == 1


def test_csv_without_folder_column(mapping):
    r = import_archimate(FIX / "plain-elements.csv", NORA, mapping=mapping)
    assert (r.iris["a-1"], RDF.type, STELSEL.Kwaliteitsdoel) in r.graph
    assert (r.iris["a-2"], STELSEL.beinvloedt, r.iris["a-1"]) in r.graph
    with pytest.raises(ArchimateImportError, match="no folders"):
        import_archimate(FIX / "plain-elements.csv", NORA, mapping=mapping,
                         include_folders=["Motivation"])


def test_xml_and_csv_give_the_same_shape(mapping):
    """Relationship type names are normalised: CSV 'RealizationRelationship' = XML 'Realization'."""
    model = read_model(FIX / "model-elements.csv")
    assert {r.type for r in model.relations.values()} == {
        "Influence", "Realization", "Assignment", "Association", "Access"}
    assert model.name == "Proefmodel CSV"
    assert model.elements["e-pr-1"].folder == "Motivation/DERA 4.0/ACTUEEL"
    xml = read_model(FIX / "model.xml")
    assert xml.elements["id-oud"].folder == "Motivation/Afspraken oud"
    assert xml.elements["id-kw01"].folder == "Motivation/Afspraken"


# --- output -----------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_write_turtle_and_trig(xml_result, tmp_path):
    from rdflib import Dataset, Graph

    ttl = write_graph(xml_result, tmp_path / "nora.ttl")
    assert set(Graph().parse(ttl, format="turtle")) == set(xml_result.graph)
    trig = write_graph(xml_result, tmp_path / "nora.trig",
                       graph_iri="https://w3id.org/stelsel/graph/nora")
    ds = Dataset().parse(trig, format="trig")
    named = ds.graph(URIRef("https://w3id.org/stelsel/graph/nora"))
    assert set(named) == set(xml_result.graph)


# --- errors -----------------------------------------------------------------------------------


def test_malformed_xml_names_file_line_and_column(mapping):
    with pytest.raises(ArchimateImportError) as info:
        import_archimate(FIX / "broken.xml", NORA, mapping=mapping)
    err = info.value
    assert err.path == FIX / "broken.xml"
    assert err.line == 7
    assert err.column is not None and err.column > 0
    assert err.hint
    assert "broken.xml" in str(err) and ":7:" in str(err)
    assert isinstance(err, ValueError) and isinstance(err, InputError)


def test_doctype_and_entities_refused(mapping):
    with pytest.raises(ArchimateImportError, match="DOCTYPE") as info:
        import_archimate(FIX / "entities.xml", NORA, mapping=mapping)
    assert info.value.line == 2


def test_entity_without_doctype_refused(tmp_path, mapping):
    f = tmp_path / "sneaky.xml"
    f.write_text('<?xml version="1.0"?>\n<model xmlns="http://www.opengroup.org/xsd/archimate/'
                 '3.0/">\n<!ENTITY x "y">\n</model>\n', encoding="utf-8")
    with pytest.raises(ArchimateImportError, match="ENTITY") as info:
        import_archimate(f, NORA, mapping=mapping)
    assert info.value.line == 3


def test_unknown_root(mapping):
    with pytest.raises(ArchimateImportError, match="root element") as info:
        import_archimate(FIX / "wrong-root.xml", NORA, mapping=mapping)
    assert "Exchange" in info.value.hint


def test_missing_siblings(mapping):
    with pytest.raises(ArchimateImportError, match="missing file") as info:
        import_archimate(FIX / "lonely-elements.csv", NORA, mapping=mapping)
    assert "lonely-relations.csv" in str(info.value)


def test_not_a_model(tmp_path, mapping):
    with pytest.raises(ArchimateImportError):
        import_archimate(tmp_path / "nothing-here", NORA, mapping=mapping)


def test_malformed_csv_names_line(mapping):
    with pytest.raises(ArchimateImportError, match="malformed CSV") as info:
        import_archimate(FIX / "bad-elements.csv", NORA, mapping=mapping)
    assert info.value.line == 3
    assert info.value.path == FIX / "bad-elements.csv"
    with pytest.raises(ArchimateImportError, match="expected 6 fields") as info:
        import_archimate(FIX / "short-elements.csv", NORA, mapping=mapping)
    assert info.value.line == 3


def test_missing_csv_column(tmp_path, mapping):
    for kind in ("elements", "relations", "properties"):
        (tmp_path / f"x-{kind}.csv").write_text('"ID","Key","Value"\n', encoding="utf-8")
    (tmp_path / "x-elements.csv").write_text('"ID","Kind"\n"a","b"\n', encoding="utf-8")
    with pytest.raises(ArchimateImportError, match="Type, Name") as info:
        import_archimate(tmp_path / "x-", NORA, mapping=mapping)
    assert info.value.line == 1


# --- the mapping is data ----------------------------------------------------------------------


def test_mapping_comes_from_the_ontology(tmp_path):
    """Change the annotations and the importer follows: no tables in Python."""
    text = ONTOLOGY.read_text(encoding="utf-8")
    text = text.replace('stelsel:notatiePatroon "^NAP\\\\d+$"', 'stelsel:notatiePatroon "^XYZ\\\\d+$"')
    text = text.replace('stelsel:archimateRelation "Realization"',
                        'stelsel:archimateRelation "RealizationRelationship"')
    text += ('\nstelsel:Vermogen a owl:Class ; rdfs:subClassOf stelsel:Element ;'
             ' stelsel:archimateType "Capability" .\n')
    (tmp_path / "o.ttl").write_text(text, encoding="utf-8")
    r = import_archimate(FIX / "model.xml", NORA, ontology=tmp_path / "o.ttl")
    g = r.graph
    assert (iri("NAP01"), RDF.type, STELSEL.Principe) in g
    assert (iri("samenwerken"), RDF.type, STELSEL.Vermogen) in g
    assert g.value(iri("samenwerken"), STELSEL.archimateType) is None
    assert (iri("IMP001"), STELSEL.realiseert, iri("NAP01")) in g


def test_unmapped_relationship_type_reported(tmp_path):
    text = ONTOLOGY.read_text(encoding="utf-8").replace(
        'stelsel:archimateRelation "Influence"', 'stelsel:archimateRelation "Nothing"')
    (tmp_path / "o.ttl").write_text(text, encoding="utf-8")
    r = import_archimate(FIX / "model.xml", NORA, ontology=tmp_path / "o.ttl")
    assert any("id-r7" in w and "Influence" in w for w in r.warnings)


def test_default_ontology_path():
    assert default_ontology_path() == Path(__file__).resolve().parents[1] / "ontology"


def test_real_ontology_if_present():
    path = default_ontology_path() / "stelsel.ttl"
    if not path.is_file():
        pytest.skip("ontology/stelsel.ttl does not exist yet")
    r = import_archimate(FIX / "model.xml", NORA, notation_prefix={"Principle": "P"})
    g = r.graph
    for local, cls in {"KW01": STELSEL.Kernwaarde, "KD03": STELSEL.Kwaliteitsdoel,
                       "NAP01": STELSEL.Architectuurprincipe, "IMP001": STELSEL.Implicatie,
                       "Laag1": STELSEL.Laag, "P3": STELSEL.Principe}.items():
        assert (iri(local), RDF.type, cls) in g, local
    assert (iri("IMP001"), STELSEL.hoortBijLaag, iri("Laag1")) in g
    assert (iri("IMP001"), STELSEL.realiseert, iri("NAP01")) in g
    assert (iri("KD03"), STELSEL.isGerelateerdAan, iri("KW01")) in g
    assert (iri("thema-dienstverlening"), STELSEL.aggregeert, iri("NAP01")) in g
