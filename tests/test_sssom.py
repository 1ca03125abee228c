"""SSSOM/TSV import and export (src/stelsel/importers/sssom.py), with fixtures in
tests/fixtures/sssom/: an ontology holding only the stelsel:sssomSlot annotations, element data
for the labels, one Aansluitingsset in Turtle and the SSSOM/TSV it must become."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS

from stelsel.importers.sssom import (
    DEFAULT_ONTOLOGY, MAPPING_COLUMNS, SSSOMError, load_slot_table, parse_sssom, read_sssom,
    sssom_table, write_sssom)
from stelsel.iris import alignment_iri, deviation_iri
from stelsel.vocab import ID, STELSEL

FIXTURES = Path(__file__).parent / "fixtures" / "sssom"
ONTOLOGY = FIXTURES / "ontology.ttl"
TSV = FIXTURES / "alignments.sssom.tsv"
NORA = "https://w3id.org/stelsel/id/nora/"
ROSA = "https://w3id.org/stelsel/id/rosa/2022/"
SET = URIRef(ID + "aansluitingsset/fixture")
ERMG = URIRef(ROSA + "eenmalige-registratie-meervoudig-gebruik")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return Graph().parse(FIXTURES / "alignments.ttl")


@pytest.fixture(scope="module")
def labels() -> Graph:
    return Graph().parse(FIXTURES / "elements.ttl")


def assert_isomorphic(expected: Graph, actual: Graph):
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)]
        lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_actual)]
        pytest.fail("graphs differ:\n" + "\n".join(lines))


def rows_by_key(table):
    return {(r["subject_id"], r.get("predicate_modifier", ""), r["predicate_id"],
             r["object_id"]): {k: v for k, v in r.items() if v} for r in table.rows}


# --- round trips ---------------------------------------------------------------------------

def test_fixture_iris_are_minted(rdf):
    for node in rdf.subjects(RDF.type, STELSEL.Aansluiting):
        s, p, o = (rdf.value(node, STELSEL[x]) for x in ("vanElement", "relatie", "naarElement"))
        assert str(node) == alignment_iri(s, p, o)
    for node in rdf.subjects(RDF.type, STELSEL.Afwijking):
        s, a = rdf.value(node, STELSEL.vanElement), rdf.value(node, STELSEL.tenOpzichteVan)
        assert str(node) == deviation_iri(s, a)


def test_rdf_to_tsv_gives_the_committed_file(rdf, labels):
    out = io.StringIO()
    write_sssom(rdf, out, labels=labels, ontology=ONTOLOGY, strict=True)
    assert out.getvalue() == TSV.read_text(encoding="utf-8")


def test_rdf_to_tsv_to_rdf_is_isomorphic(rdf, labels, tmp_path):
    path = tmp_path / "set.sssom.tsv"
    write_sssom(rdf, path, labels=labels, ontology=ONTOLOGY, strict=True)
    assert_isomorphic(rdf, read_sssom(path, ontology=ONTOLOGY))


def test_tsv_to_rdf_to_tsv_gives_the_same_rows(labels):
    original = parse_sssom(TSV)
    again = sssom_table(read_sssom(TSV, ontology=ONTOLOGY), labels=labels, ontology=ONTOLOGY)
    assert again.columns == original.columns
    assert again.rows == original.rows
    assert again.metadata == original.metadata


def test_writing_to_a_binary_stream(rdf, labels):
    out = io.BytesIO()
    write_sssom(rdf, out, labels=labels, ontology=ONTOLOGY)
    assert out.getvalue().decode("utf-8") == TSV.read_text(encoding="utf-8")


# --- what the TSV says ---------------------------------------------------------------------

def test_columns_metadata_and_extension_slots():
    table = parse_sssom(TSV)
    assert table.columns == list(MAPPING_COLUMNS) + ["status", "comment_en"]
    meta = table.metadata
    assert meta["mapping_set_id"] == str(SET)
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["mapping_set_title"] == "Testaansluitingen"
    assert meta["mapping_set_title_en"] == "Test alignments"
    assert meta["creator_label"] == ["stelsel project"]
    assert meta["curie_map"]["nora"] == NORA
    status = next(d for d in meta["extension_definitions"] if d["slot_name"] == "status")
    assert status["property"] == "https://w3id.org/stelsel/def#status"


def test_rows(rdf):
    rows = rows_by_key(parse_sssom(TSV))
    exact = rows[("rosa22:eenmalige-registratie-meervoudig-gebruik", "", "skos:exactMatch",
                  "nora:NAP12")]
    assert exact == {
        "subject_id": "rosa22:eenmalige-registratie-meervoudig-gebruik",
        "subject_label": "Eenmalige registratie, meervoudig gebruik",
        "predicate_id": "skos:exactMatch", "object_id": "nora:NAP12",
        "object_label": "Informeer bij de bron",
        "mapping_justification": "semapv:ManualMappingCuration",
        "author_label": "stelsel project", "mapping_date": "2026-11-28",
        "comment": "Beide vragen gegevens eenmaal bij de bron vast te leggen.",
        "comment_en": "Both ask to record data once, at the source.",
        "see_also": "https://github.com/edustandaard/rosa|"
                    "https://www.noraonline.nl/wiki/Informeer_bij_de_bron",
        "subject_source": "id:rosa/2022", "object_source": "id:nora",
        "status": "stelsel:Vastgesteld"}
    deviation = rows[("rosa22:zeggenschap-bij-de-sector", "Not", "skos:relatedMatch", "id:nora")]
    assert deviation["comment"] == "Sectorgovernance heeft geen tegenhanger in NORA."
    assert deviation["object_label"] == "NORA"
    mixed = rows[("rosa22:hergebruik-voor-kopen-voor-bouwen", "", "skos:closeMatch",
                  "nora:NAP06")]
    assert mixed["author_id"] == "id:organisatie/edustandaard"
    assert mixed["author_label"] == "stelsel project"


def test_labels_need_the_element_graph(rdf):
    table = sssom_table(rdf, ontology=ONTOLOGY)
    assert not any(r.get("subject_label") or r.get("object_label") for r in table.rows)


# --- what the RDF says ---------------------------------------------------------------------

def test_read_gives_alignments_deviations_and_the_set():
    g = read_sssom(TSV, ontology=ONTOLOGY)
    node = URIRef(alignment_iri(ERMG, SKOS.exactMatch, NORA + "NAP12"))
    assert (node, RDF.type, STELSEL.Aansluiting) in g
    assert (node, STELSEL.vanElement, ERMG) in g
    assert (node, STELSEL.relatie, SKOS.exactMatch) in g
    assert (node, STELSEL.naarElement, URIRef(NORA + "NAP12")) in g
    assert (node, STELSEL.status, STELSEL.Vastgesteld) in g
    assert (node, DCTERMS.date, Literal("2026-11-28", datatype=XSD_DATE)) in g
    assert (node, STELSEL.rationale,
            Literal("Beide vragen gegevens eenmaal bij de bron vast te leggen.", lang="nl")) in g
    assert (node, STELSEL.rationale,
            Literal("Both ask to record data once, at the source.", lang="en")) in g
    assert (node, STELSEL.inSet, SET) in g
    assert len(set(g.objects(node, DCTERMS.source))) == 2
    dev = URIRef(deviation_iri(URIRef(ROSA + "zeggenschap-bij-de-sector"), ID.nora))
    assert (dev, RDF.type, STELSEL.Afwijking) in g
    assert (dev, STELSEL.tenOpzichteVan, ID.nora) in g
    assert (dev, STELSEL.relatie, None) not in g
    assert (dev, STELSEL.toelichting,
            Literal("Sector governance has no counterpart in NORA.", lang="en")) in g
    assert (SET, RDF.type, STELSEL.Aansluitingsset) in g
    assert (SET, DCTERMS.title, Literal("Test alignments", lang="en")) in g
    assert (SET, DCTERMS.date, Literal("2026-11-28", datatype=XSD_DATE)) in g


def test_plain_triples_are_materialised_except_for_withdrawn_alignments():
    g = read_sssom(TSV, ontology=ONTOLOGY)
    assert (ERMG, SKOS.exactMatch, URIRef(NORA + "NAP12")) in g
    assert (ERMG, SKOS.relatedMatch, URIRef(NORA + "KD19")) in g
    withdrawn = URIRef(alignment_iri(ROSA + "gebruik-standaarden", STELSEL.realiseert,
                                     NORA + "BP04"))
    assert (withdrawn, STELSEL.status, STELSEL.Vervallen) in g
    assert (URIRef(ROSA + "gebruik-standaarden"), STELSEL.realiseert, None) not in g
    # a deviation is not a triple between element and architecture
    assert (URIRef(ROSA + "zeggenschap-bij-de-sector"), SKOS.relatedMatch, None) not in g


def test_labels_and_sources_are_not_imported():
    g = read_sssom(TSV, ontology=ONTOLOGY)
    assert (None, SKOS.prefLabel, None) not in g
    assert (None, STELSEL.inArchitectuur, None) not in g


# --- errors while reading: each names the file, the line and the column ----------------------

@pytest.mark.parametrize("name, line, column, words", [
    ("missing-object", 8, "object_id", "required slot object_id is empty"),
    ("unknown-prefix", 7, "object_id",
     "object_id 'xx:1' uses prefix 'xx' that is not in the curie_map; add it to the "
     "'# curie_map:' block"),
    ("bad-date", 9, "mapping_date", "mapping_date '28-11-2026' is not a date"),
    ("bad-yaml", 4, None, "not valid YAML"),
    ("no-set-id", 1, "mapping_set_id", "no mapping_set_id"),
    ("unsupported-column", 8, "mapping_tool", "column 'mapping_tool' has a value"),
    ("negated-mapping", 8, "predicate_id", "negated mapping"),
    ("duplicate-row", 9, "subject_id", "repeats the mapping on line 7"),
    ("confidence", 8, "confidence", "maps no property to the SSSOM slot 'confidence'"),
    ("undeclared-extension", 8, "status", "column 'status' has a value"),
])
def test_read_errors(name, line, column, words):
    path = FIXTURES / "errors" / f"{name}.sssom.tsv"
    with pytest.raises(SSSOMError) as caught:
        read_sssom(path, ontology=ONTOLOGY)
    err = caught.value
    assert isinstance(err, ValueError)
    assert (err.path, err.line, err.column) == (str(path), line, column)
    assert err.hint
    assert str(err).startswith(f"{path}, line {line}: ")
    assert words in str(err)


def test_bad_yaml_names_where_the_flow_sequence_starts():
    with pytest.raises(SSSOMError, match="starts on line 3"):
        read_sssom(FIXTURES / "errors" / "bad-yaml.sssom.tsv", ontology=ONTOLOGY)


def test_missing_file():
    with pytest.raises(SSSOMError, match="no such file"):
        read_sssom(FIXTURES / "nope.sssom.tsv", ontology=ONTOLOGY)


def test_missing_ontology_fails_clearly(tmp_path):
    with pytest.raises(SSSOMError, match="stelsel:sssomSlot") as caught:
        read_sssom(TSV, ontology=tmp_path / "stelsel.ttl")
    assert caught.value.path == str(tmp_path / "stelsel.ttl")


def test_ontology_without_annotations(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n", encoding="utf-8")
    with pytest.raises(SSSOMError, match="no stelsel:sssomSlot annotation for subject_id"):
        load_slot_table(empty)


# --- errors while writing ------------------------------------------------------------------

def test_write_refuses_an_alignment_with_an_unminted_iri(rdf):
    g = Graph()
    odd = URIRef(ID + "aansluiting/handmade")
    old = URIRef(alignment_iri(ERMG, SKOS.relatedMatch, NORA + "KD19"))
    for s, p, o in rdf:
        g.add((odd if s == old else s, p, o))
    with pytest.raises(SSSOMError, match="not the minted IRI"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY)


def test_strict_write_refuses_triples_it_would_lose(rdf, labels):
    g = rdf + labels
    write_sssom(g, io.StringIO(), ontology=ONTOLOGY)  # not strict: element data is ignored
    with pytest.raises(SSSOMError, match="would be lost"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY, strict=True)


def test_strict_write_wants_the_plain_triples(rdf):
    g = Graph() + rdf
    g.remove((ERMG, SKOS.exactMatch, URIRef(NORA + "NAP12")))
    with pytest.raises(SSSOMError, match="plain triple"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY, strict=True)


def test_write_refuses_values_without_a_slot(rdf):
    g = Graph() + rdf
    node = URIRef(alignment_iri(ERMG, SKOS.relatedMatch, NORA + "KD19"))
    g.add((node, SKOS.note, Literal("een notitie")))
    with pytest.raises(SSSOMError, match="no SSSOM slot for"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY)
    g.remove((node, SKOS.note, None))
    g.add((node, STELSEL.rationale, Literal("Begründung", lang="de")))
    with pytest.raises(SSSOMError, match="no SSSOM slot for"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY)


def test_several_sets_need_a_mapping_set_id(rdf):
    g = Graph() + rdf
    g.add((URIRef(ID + "aansluitingsset/other"), RDF.type, STELSEL.Aansluitingsset))
    with pytest.raises(SSSOMError, match="holds 2 Aansluitingssets"):
        write_sssom(g, io.StringIO(), ontology=ONTOLOGY)
    out = io.StringIO()
    write_sssom(g, out, ontology=ONTOLOGY, mapping_set_id=str(SET))
    assert parse_sssom(io.StringIO(out.getvalue())).metadata["mapping_set_id"] == str(SET)


def test_combined_export_keeps_each_rows_set(rdf):
    other = URIRef(ID + "aansluitingsset/other")
    g = Graph() + rdf
    for p, o in rdf.predicate_objects(SET):
        g.add((other, p, o))
    moved = URIRef(alignment_iri(ERMG, SKOS.relatedMatch, NORA + "KD19"))
    g.set((moved, STELSEL.inSet, other))
    combined = str(ID) + "aansluitingsset/alles"
    out = io.StringIO()
    write_sssom(g, out, ontology=ONTOLOGY, mapping_set_id=combined,
                title={"nl": "Alles", "en": "Everything"})
    table = parse_sssom(io.StringIO(out.getvalue()))
    assert table.columns[-1] == "in_set"
    assert table.metadata["mapping_set_title"] == "Alles"
    assert table.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    back = read_sssom(io.StringIO(out.getvalue()), ontology=ONTOLOGY)
    assert (moved, STELSEL.inSet, other) in back
    assert len(set(back.subjects(STELSEL.inSet, SET))) == 4


# --- the real ontology ---------------------------------------------------------------------

@pytest.mark.skipif(not DEFAULT_ONTOLOGY.is_file(), reason="ontology/stelsel.ttl not written yet")
def test_round_trip_with_the_real_ontology(rdf, labels, tmp_path):
    load_slot_table()  # the default path, ontology/stelsel.ttl
    path = tmp_path / "set.sssom.tsv"
    write_sssom(rdf, path, labels=labels, strict=True)
    assert_isomorphic(rdf, read_sssom(path))
    assert parse_sssom(path).rows == parse_sssom(TSV).rows
