"""The stelsel vocabulary (ontology/stelsel.ttl): well formed, documented, in step with its
contract docs/vocabulary.md, usable by the ArchiMate importer, and OWL 2 DL consistent under
HermiT (through owlready2), alone and with the bundled data."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS

# plain Namespaces: pytest's collection pokes at module attributes, which rdflib's closed
# DefinedNamespace classes for these two answer with warnings
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "stelsel.ttl"
VOCABULARY_DOC = REPO / "docs" / "vocabulary.md"

S = Namespace("https://w3id.org/stelsel/def#")
ONTOLOGY_IRI = URIRef("https://w3id.org/stelsel/def")
EX = Namespace("https://example.org/test/")

PREFIXES = {
    "stelsel": str(S), "skos": str(SKOS), "dct": str(DCTERMS), "prov": str(PROV),
    "org": str(ORG), "foaf": str(FOAF), "dcat": str(DCAT), "owl": str(OWL),
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
}

# OWL 2's built-in annotation properties and RDF/RDFS/OWL vocabulary need no declaration.
BUILT_IN = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
            OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith,
            OWL.incompatibleWith}
RESERVED_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                     OWL.AnnotationProperty, OWL.NamedIndividual)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# ArchiMate 3.1 element and relationship types, as named in the Open Exchange Format.
ARCHIMATE_ELEMENT_TYPES = {
    "BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface",
    "BusinessProcess", "BusinessFunction", "BusinessInteraction", "BusinessEvent",
    "BusinessService", "BusinessObject", "Contract", "Representation", "Product",
    "ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface",
    "ApplicationFunction", "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent",
    "ApplicationService", "DataObject", "Node", "Device", "SystemSoftware",
    "TechnologyCollaboration", "TechnologyInterface", "Path", "CommunicationNetwork",
    "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
    "TechnologyService", "Artifact", "Equipment", "Facility", "DistributionNetwork", "Material",
    "Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement",
    "Constraint", "Meaning", "Value", "Resource", "Capability", "ValueStream", "CourseOfAction",
    "WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap", "Grouping",
    "Location", "Junction",
}
ARCHIMATE_RELATIONSHIP_TYPES = {
    "Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access",
    "Influence", "Triggering", "Flow", "Specialization", "Association",
}

# Element classes that deliberately have no ArchiMate type (each says so in a skos:scopeNote).
NO_ARCHIMATE_TYPE = {S.Voorziening, S.VervallenElement, S.AangeslotenElement}

# Sample notations and the class the importer must choose for each.
SAMPLE_NOTATIONS = {
    "NAP01": S.Architectuurprincipe,
    "BP03": S.Basisprincipe,
    "AP41": S.AfgeleidPrincipe,
    "IMP001": S.Implicatie,
    "KW01": S.Kernwaarde,
    "KD12": S.Kwaliteitsdoel,
    "BK01": S.Beleidskader,
    "GK02": S.Beleidskader,
    "Laag3": S.Laag,
}

STATUSES = {S.Actueel, S.InOntwikkeling, S.Voorgesteld, S.Vastgesteld, S.Afgewezen, S.Vervallen}


# -------------------------------------------------------------------------------------------------
#  helpers
# -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def stelsel_terms(g: Graph, *types: URIRef) -> set[URIRef]:
    types = types or DECLARATION_TYPES
    return {s for t in types for s in g.subjects(RDF.type, t)
            if isinstance(s, URIRef) and s.startswith(str(S))}


def superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    """Named superclasses, transitively (not including cls)."""
    seen: set[URIRef] = set()
    todo = [cls]
    while todo:
        for sup in g.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(sup, URIRef) and sup not in seen:
                seen.add(sup)
                todo.append(sup)
    return seen


def element_classes(g: Graph) -> set[URIRef]:
    return {c for c in stelsel_terms(g, OWL.Class) if S.Element in superclasses(g, c)}


def languages(g: Graph, subject: URIRef, prop: URIRef) -> list[str | None]:
    return [o.language for o in g.objects(subject, prop) if isinstance(o, Literal)]


def class_members(g: Graph, node) -> set[URIRef]:
    """A named class, or the members of an owl:unionOf."""
    if node is None:
        return set()
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        return set(Collection(g, union)) if union is not None else set()
    return {node}


def boolean(g: Graph, subject: URIRef, prop: URIRef) -> bool:
    return any(isinstance(v, Literal) and v.toPython() is True for v in g.objects(subject, prop))


def expand(curie: str) -> URIRef | None:
    prefix, _, local = curie.partition(":")
    if prefix in PREFIXES and local:
        return URIRef(PREFIXES[prefix] + local)
    return None


def allowed_targets(g: Graph, cls: URIRef) -> set[URIRef]:
    """stelsel:magAansluitenOp of cls and its superclasses (the rule is inherited)."""
    return {d for c in {cls} | superclasses(g, cls) for d in g.objects(c, S.magAansluitenOp)}


def may_align(g: Graph, source: URIRef, target: URIRef) -> bool:
    return any(d == target or d in superclasses(g, target) for d in allowed_targets(g, source))


# -- reading the contract (docs/vocabulary.md) ----------------------------------------------------

def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row; a '|' inside `code` does not split."""
    cells, current, in_code = [], "", False
    for ch in row.strip().strip("|"):
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append(current.strip())
            current = ""
        else:
            current += ch
    cells.append(current.strip())
    return cells


def doc_tables() -> list[tuple[list[str], list[dict[str, str]]]]:
    """Every table of the contract: (header names, rows as {header: cell})."""
    tables = []
    lines = VOCABULARY_DOC.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|") and i + 1 < len(lines) \
                and re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[i + 1]):
            header = [h.lower() for h in _cells(lines[i])]
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                cells = _cells(lines[i])
                rows.append(dict(zip(header, cells)))
                i += 1
            tables.append((header, rows))
        else:
            i += 1
    return tables


def table(first_headers: list[str]) -> list[dict[str, str]]:
    for header, rows in doc_tables():
        if header[: len(first_headers)] == first_headers:
            return rows
    pytest.fail(f"docs/vocabulary.md has no table with columns {first_headers}")


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def term_of(name: str) -> URIRef | None:
    """`Principe` -> stelsel:Principe, `stelsel:x` / `skos:y` -> their IRI."""
    name = name.strip()
    if re.fullmatch(r"[A-Z][A-Za-z]*", name):
        return S[name]
    return expand(name)


# -------------------------------------------------------------------------------------------------
#  the file and its header
# -------------------------------------------------------------------------------------------------

def test_ontology_parses_and_has_a_header(g: Graph):
    assert len(g) > 500
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    for prop in (DCTERMS.title, DCTERMS.description):
        assert sorted(languages(g, ONTOLOGY_IRI, prop)) == ["en", "nl"], prop
    assert isinstance(g.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    assert Literal("stelsel project") in set(g.objects(ONTOLOGY_IRI, DCTERMS.creator))


def test_namespace_matches_the_package():
    from stelsel.vocab import STELSEL

    assert str(STELSEL) == str(S)


def test_every_term_has_dutch_and_english_labels_and_definitions(g: Graph):
    problems = []
    terms = stelsel_terms(g)
    assert len(terms) > 80
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            langs = languages(g, term, prop)
            for lang in ("nl", "en"):
                if langs.count(lang) != 1:
                    problems.append(f"{term.n3(g.namespace_manager)} has {langs.count(lang)} "
                                    f"{prop.n3(g.namespace_manager)}@{lang}")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in g:
            problems.append(f"{term} lacks rdfs:isDefinedBy")
    assert not problems, "\n".join(problems)


def test_every_stelsel_iri_used_is_declared(g: Graph):
    """A typo (stelsel:Princip) would otherwise silently become a new term."""
    declared = stelsel_terms(g)
    used = {t for triple in g for t in triple
            if isinstance(t, URIRef) and t.startswith(str(S)) and t != URIRef(str(S))}
    assert used - declared == set()


def test_every_iri_is_one_kind_of_entity_and_every_predicate_is_declared(g: Graph):
    """OWL 2 DL: no IRI is both a class and a property, or two kinds of property, and every
    predicate outside RDF/RDFS/OWL is declared (owlready2 and HermiT need that)."""
    kinds = defaultdict(set)
    for t in (OWL.Class, *PROPERTY_TYPES):
        for s in g.subjects(RDF.type, t):
            if isinstance(s, URIRef):
                kinds[s].add(t)
    mixed = {s: k for s, k in kinds.items() if len(k) > 1}
    assert not mixed
    for p in set(g.predicates()):
        if p in BUILT_IN or str(p).startswith(RESERVED_NAMESPACES):
            continue
        assert kinds.get(p, set()) & set(PROPERTY_TYPES), f"{p} is used but not declared"


# -------------------------------------------------------------------------------------------------
#  ArchiMate annotations (they drive the importer)
# -------------------------------------------------------------------------------------------------

def test_every_element_class_has_an_archimate_type_or_says_why_not(g: Graph):
    classes = element_classes(g)
    assert S.Principe in classes and S.Laag in classes and S.Organisatie in classes
    assert g.value(S.Element, S.archimateType) is None
    for cls in sorted(classes):
        types = list(g.objects(cls, S.archimateType))
        if cls in NO_ARCHIMATE_TYPE:
            assert types == [], cls
            notes = [str(n) for n in g.objects(cls, SKOS.scopeNote)]
            assert sorted(languages(g, cls, SKOS.scopeNote)) == ["en", "nl"], cls
            assert all("ArchiMate" in n for n in notes), cls
        else:
            assert len(types) == 1, f"{cls} has {len(types)} archimateType values"
            assert isinstance(types[0], Literal) and types[0].datatype in (None, XSD.string)
            assert str(types[0]) in ARCHIMATE_ELEMENT_TYPES, f"{cls}: unknown type {types[0]}"


def test_archimate_annotations_only_on_element_classes(g: Graph):
    classes = element_classes(g)
    for prop in (S.archimateType, S.archimateDefault, S.notatiePatroon):
        assert set(g.subjects(prop, None)) <= classes, prop


def test_each_shared_archimate_type_has_exactly_one_default(g: Graph):
    by_type = defaultdict(set)
    for cls, t in g.subject_objects(S.archimateType):
        by_type[str(t)].add(cls)
    shared = {t: cs for t, cs in by_type.items() if len(cs) > 1}
    assert {"Driver", "Goal", "Principle", "Requirement", "Constraint", "BusinessActor",
            "BusinessObject", "Grouping"} <= set(shared)
    for t, classes in shared.items():
        defaults = [c for c in classes if boolean(g, c, S.archimateDefault)]
        assert len(defaults) == 1, f"{t}: defaults {defaults}"
        assert g.value(defaults[0], S.notatiePatroon) is None, f"{t}: default has a pattern"
    for cls in g.subjects(S.archimateDefault, None):
        assert g.value(cls, S.archimateType) is not None


def test_notation_patterns_compile_and_do_not_overlap(g: Graph):
    patterns = {}
    for cls, p in g.subject_objects(S.notatiePatroon):
        assert g.value(cls, S.archimateType) is not None, f"{cls} has a pattern but no type"
        patterns[cls] = re.compile(str(p))
    assert len(patterns) == len(set(SAMPLE_NOTATIONS.values()))
    for notation, expected in SAMPLE_NOTATIONS.items():
        archimate_type = g.value(expected, S.archimateType)
        siblings = {c for c in patterns if g.value(c, S.archimateType) == archimate_type}
        matching = {c for c in siblings if patterns[c].search(notation)}
        assert matching == {expected}, f"{notation}: matched by {matching}"
    # every pattern is anchored on both ends, so KW01 does not match inside XKW012
    for cls, pattern in patterns.items():
        assert pattern.pattern.startswith("^") and pattern.pattern.endswith("$"), cls
    assert not patterns[S.AfgeleidPrincipe].search("NAP01")
    assert not patterns[S.Laag].search("Laag12")


def test_relationship_annotations(g: Graph):
    relations = {}
    for prop, rel in g.subject_objects(S.archimateRelation):
        assert (prop, RDF.type, OWL.ObjectProperty) in g, prop
        assert str(rel) in ARCHIMATE_RELATIONSHIP_TYPES, f"{prop}: unknown {rel}"
        relations[prop] = str(rel)
    assert relations[S.realiseert] == "Realization"
    assert relations[S.hoortBijLaag] == "Aggregation"
    assert boolean(g, S.hoortBijLaag, S.archimateInverse)
    assert g.value(S.hoortBijLaag, RDFS.range) == S.Laag
    assert set(relations.values()) == ARCHIMATE_RELATIONSHIP_TYPES
    # the importer must be able to tell the properties of one relationship type apart
    seen = {}
    for prop, rel in relations.items():
        key = (rel, boolean(g, prop, S.archimateInverse),
               frozenset(class_members(g, g.value(prop, RDFS.domain))),
               frozenset(class_members(g, g.value(prop, RDFS.range))))
        assert key not in seen, f"{prop} and {seen.get(key)} are indistinguishable"
        seen[key] = prop


def test_the_importer_reads_this_ontology_without_problems():
    """The ArchiMate importer builds its tables from these annotations."""
    mapping_module = pytest.importorskip("stelsel.importers.archimate_mapping")
    mapping = mapping_module.ArchimateMapping.from_path(ONTOLOGY)
    assert mapping.problems == []
    assert mapping.element_class("Principle", "NAP01") == S.Architectuurprincipe
    assert mapping.element_class("Principle", "P7") == S.Principe
    assert mapping.element_class("Driver", "KW02") == S.Kernwaarde
    assert mapping.element_class("Grouping", "Laag2") == S.Laag
    assert mapping.relation_property("Aggregation", S.Laag, S.Principe) == (S.hoortBijLaag, True)
    assert mapping.relation_property("Aggregation", S.Principe, S.Principe) == (S.aggregeert, False)


# -------------------------------------------------------------------------------------------------
#  classes, properties and their axioms
# -------------------------------------------------------------------------------------------------

def test_mappings_to_other_vocabularies(g: Graph):
    assert org_organization_above(g, S.Organisatie)
    assert SKOS.Concept in superclasses(g, S.Status)
    for cls in (S.Aansluiting, S.Afwijking, S.Aansluitingsset, S.Architectuur):
        assert PROV.Entity in superclasses(g, cls), cls
    assert SKOS.Concept not in superclasses(g, S.Begrip)
    assert S.Element in superclasses(g, S.Begrip)


def org_organization_above(g: Graph, cls: URIRef) -> bool:
    return ORG.Organization in superclasses(g, cls) and S.Actor in superclasses(g, cls)


def test_property_axioms(g: Graph):
    assert (S.isEigenaarVan, OWL.inverseOf, S.eigenaar) in g
    assert (S.heeftAansluiting, OWL.inverseOf, S.vanElement) in g
    assert (S.draagtBijAan, RDFS.subPropertyOf, S.beinvloedt) in g
    assert (S.inArchitectuur, RDFS.subPropertyOf, DCTERMS.isPartOf) in g
    assert (S.inArchitectuur, RDF.type, OWL.FunctionalProperty) in g
    for prop in (S.bronId, S.rationale, S.toelichting):
        assert (prop, RDF.type, OWL.DatatypeProperty) in g, prop
    # the inverse of vanElement must not claim its values are alignments: deviations have a
    # vanElement too, and Aansluiting and Afwijking are disjoint
    assert S.Aansluiting != g.value(S.heeftAansluiting, RDFS.range)


def test_element_relations_keep_broad_domains(g: Graph):
    """Relations between elements have domain and range Element unless the contract narrows
    them, so that the reasoner does not reclassify data."""
    narrowed = {S.hoortBijLaag: (S.Element, S.Laag)}
    for prop in g.subjects(S.archimateRelation, None):
        expected = narrowed.get(prop, (S.Element, S.Element))
        assert (g.value(prop, RDFS.domain), g.value(prop, RDFS.range)) == expected, prop


def test_sssom_slots(g: Graph):
    slots: dict = {}
    for p, v in g.subject_objects(S.sssomSlot):
        slots.setdefault(p, set()).add(str(v))
    assert slots == {
        S.vanElement: {"subject_id"}, S.relatie: {"predicate_id"}, S.naarElement: {"object_id"},
        S.tenOpzichteVan: {"object_id"}, S.onderbouwing: {"mapping_justification"},
        S.status: {"status"}, S.rationale: {"comment"}, S.toelichting: {"comment"},
        S.inSet: {"mapping_set_id"}, S.soortAfwijking: {"deviation_kind"},
        S.betrouwbaarheid: {"confidence"}, S.beoordelaar: {"reviewer_id"},
        S.beoordelaarNaam: {"reviewer_label"},
        # the reused Dublin Core terms, so the SSSOM module needs no table of its own
        DCTERMS.creator: {"author_label", "author_id", "creator_label", "creator_id"},
        DCTERMS.date: {"mapping_date", "publication_date"}, DCTERMS.source: {"see_also"},
        DCTERMS.title: {"mapping_set_title"}, DCTERMS.description: {"mapping_set_description"},
        DCTERMS.license: {"license"},
    }


def test_disjointness_axioms_are_stated(g: Graph):
    groups = [set(Collection(g, g.value(n, OWL.members)))
              for n in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert any({S.Principe, S.Doel, S.Driver, S.Eis, S.Standaard} <= grp for grp in groups)
    assert any({S.Element, S.Architectuur, S.Aansluiting, S.Afwijking} <= grp for grp in groups)
    # a disjointness group never contains a class and its own superclass
    for grp in groups:
        for cls in grp:
            assert not (superclasses(g, cls) & grp), f"{cls} is disjoint with its superclass"


def test_status_concepts(g: Graph):
    assert set(g.subjects(RDF.type, S.Status)) == STATUSES
    assert (S.Statussen, RDF.type, SKOS.ConceptScheme) in g
    for status in STATUSES:
        assert (status, RDF.type, SKOS.Concept) in g
        assert (status, SKOS.inScheme, S.Statussen) in g
        assert sorted(languages(g, status, SKOS.prefLabel)) == ["en", "nl"], status
    assert g.value(S.Vervallen, SKOS.prefLabel) is not None


def test_defined_classes(g: Graph):
    def restriction(cls):
        (equivalent,) = list(g.objects(cls, OWL.equivalentClass))
        members = list(Collection(g, g.value(equivalent, OWL.intersectionOf)))
        assert S.Element in members
        (r,) = [m for m in members if isinstance(m, BNode)]
        return {p: o for p, o in g.predicate_objects(r)}

    assert restriction(S.VervallenElement) == {
        RDF.type: OWL.Restriction, OWL.onProperty: S.status, OWL.hasValue: S.Vervallen}
    assert restriction(S.AangeslotenElement) == {
        RDF.type: OWL.Restriction, OWL.onProperty: S.heeftAansluiting,
        OWL.someValuesFrom: S.Aansluiting}


# -------------------------------------------------------------------------------------------------
#  alignment compatibility (read by the SHACL shapes)
# -------------------------------------------------------------------------------------------------

def test_alignment_rules_name_element_classes_and_cover_every_kind(g: Graph):
    classes = element_classes(g)
    defined = {S.VervallenElement, S.AangeslotenElement}
    for cls, target in g.subject_objects(S.magAansluitenOp):
        assert cls in classes and target in classes - defined, (cls, target)
    assert not list(g.objects(S.Element, S.magAansluitenOp)), "Element would allow anything"
    for cls in classes - defined:
        assert may_align(g, cls, cls), f"{cls} may not even align to its own kind"


@pytest.mark.parametrize(("source", "target", "allowed"), [
    (S.Principe, S.Kernwaarde, True),
    (S.Basisprincipe, S.Kwaliteitsdoel, True),       # inherited from Principe
    (S.Ontwerpprincipe, S.Implicatie, True),
    (S.Principe, S.Architectuurprincipe, True),      # a target class includes its subclasses
    (S.Doel, S.Principe, True),
    (S.Speerpunt, S.Kernwaarde, True),
    (S.MaatschappelijkeOpgave, S.Beleidskader, True),
    (S.Eis, S.Principe, True),
    (S.Implicatie, S.Implicatie, True),
    (S.Laag, S.Laag, True),
    (S.Voorziening, S.Applicatiecomponent, True),
    (S.Begrip, S.Begrip, True),
    (S.Principe, S.Standaard, False),
    (S.Principe, S.Beleidskader, True),              # a principle giving effect to a framework
    (S.Doel, S.Implicatie, True),                    # a goal naming the NORA measure it uses
    (S.Afspraak, S.Standaard, True),                 # an agreement is a kind of Standaard
    (S.Implicatie, S.Beleidskader, False),
    (S.Standaard, S.Principe, False),
    (S.Driver, S.Principe, False),
    (S.Principe, S.Dienst, False),
    (S.Dienst, S.Applicatiecomponent, False),
    (S.Laag, S.Domein, False),
])
def test_alignment_rules(g: Graph, source, target, allowed):
    assert may_align(g, source, target) is allowed


# -------------------------------------------------------------------------------------------------
#  the contract: docs/vocabulary.md and the ontology name the same terms
# -------------------------------------------------------------------------------------------------

def test_every_stelsel_term_in_the_contract_exists(g: Graph):
    declared = stelsel_terms(g)
    text = VOCABULARY_DOC.read_text(encoding="utf-8")
    named = {S[m] for m in re.findall(r"\bstelsel:([A-Za-z_][A-Za-z0-9_]*)", text)}
    for header, rows in doc_tables():
        for row in rows:
            first = row.get(header[0], "")
            for span in code_spans(first):
                term = term_of(span)
                if term is not None and term.startswith(str(S)):
                    named.add(term)
    assert len(named) > 70
    missing = sorted(named - declared)
    assert not missing, "named in docs/vocabulary.md but not in the ontology: " + ", ".join(missing)


def test_every_reused_term_in_the_contract_is_declared(g: Graph):
    text = VOCABULARY_DOC.read_text(encoding="utf-8")
    missing = []
    for span in code_spans(text):
        for curie in re.findall(r"\b(?:skos|dct|prov|org|foaf|dcat):[A-Za-z]+", span):
            term = expand(curie)
            if not any((term, RDF.type, t) in g for t in (OWL.Class, *PROPERTY_TYPES)):
                missing.append(curie)
    assert not missing, "reused in docs/vocabulary.md but not declared: " + ", ".join(missing)


def test_every_ontology_term_is_in_the_contract(g: Graph):
    """The other direction: a class or property added to the ontology is documented."""
    text = VOCABULARY_DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"\bstelsel:([A-Za-z_][A-Za-z0-9_]*)", text))
    named |= {span for span in code_spans(text) if re.fullmatch(r"[A-Z][A-Za-z]*", span)}
    terms = stelsel_terms(g, OWL.Class, *PROPERTY_TYPES)
    undocumented = sorted(t for t in terms if t[len(str(S)):] not in named)
    assert not undocumented, "not in docs/vocabulary.md: " + ", ".join(undocumented)


def test_class_table_matches_the_ontology(g: Graph):
    rows = table(["class", "superclass", "archimate"])
    assert len(rows) >= 50
    for row in rows:
        (name,) = code_spans(row["class"])
        cls = S[name]
        assert (cls, RDF.type, OWL.Class) in g, name
        # superclasses
        supers = row["superclass"]
        if supers.strip() in ("–", "-", ""):
            assert not {s for s in g.objects(cls, RDFS.subClassOf)
                        if isinstance(s, URIRef) and s.startswith(str(S))}, name
        else:
            for part in supers.split(","):
                sup = term_of(part.strip().strip("`"))
                assert sup is not None, f"{name}: cannot read superclass {part!r}"
                assert (cls, RDFS.subClassOf, sup) in g, f"{name} should be under {part.strip()}"
        # ArchiMate type, default flag and notation pattern
        cell = row["archimate"]
        if cell.strip() in ("–", "-", ""):
            assert g.value(cls, S.archimateType) is None, name
            continue
        archimate_type = re.match(r"\s*([A-Za-z]+)", cell).group(1)
        assert str(g.value(cls, S.archimateType)) == archimate_type, name
        assert boolean(g, cls, S.archimateDefault) == ("(default)" in cell), name
        pattern = re.search(r"pattern\s+`([^`]+)`", cell)
        actual = g.value(cls, S.notatiePatroon)
        assert (str(actual) if actual is not None else None) == \
            (pattern.group(1) if pattern else None), name


def test_property_table_matches_the_ontology(g: Graph):
    rows = table(["property", "domain → range"])
    checked = 0
    for row in rows:
        spans = code_spans(row["property"])
        prop = term_of(spans[0]) if spans else None
        if prop is None or not prop.startswith(str(S)):
            continue
        checked += 1
        left, arrow, right = row["domain → range"].partition("→")
        if arrow:
            domain_names = [n.strip() for n in left.split("/") if n.strip()]
            if domain_names and all((S[n], RDF.type, OWL.Class) in g for n in domain_names):
                assert {S[n] for n in domain_names} <= \
                    class_members(g, g.value(prop, RDFS.domain)), prop
            target = re.match(r"\s*`?([A-Za-z:]+)", right)
            if target and (S[target.group(1)], RDF.type, OWL.Class) in g:
                assert g.value(prop, RDFS.range) == S[target.group(1)], prop
            for inverse in re.findall(r"inverse\s+`([^`]+)`", right):
                assert (term_of(inverse), OWL.inverseOf, prop) in g, prop
        elif row["domain → range"].strip().startswith("⊑"):
            sup = row["domain → range"].strip().lstrip("⊑").strip()
            assert (prop, RDFS.subPropertyOf, S[sup]) in g, prop
        relation = row.get("archimate relationship", "")
        first = re.match(r"\s*([A-Za-z]+)", relation)
        if first and first.group(1) in ARCHIMATE_RELATIONSHIP_TYPES:
            assert str(g.value(prop, S.archimateRelation)) == first.group(1), prop
            assert boolean(g, prop, S.archimateInverse) == ("inverse" in relation), prop
        elif relation.strip().startswith(("–", "-")):
            assert g.value(prop, S.archimateRelation) is None, prop
    assert checked >= 20


def test_alignment_table_matches_the_ontology(g: Graph):
    rows = table(["property", "on"])
    checked = 0
    for row in rows:
        spans = code_spans(row["property"])
        prop = term_of(spans[0]) if spans else None
        if prop is None or not prop.startswith(str(S)):
            continue
        checked += 1
        on = row["on"].strip()
        names = ["Aansluiting", "Afwijking"] if on == "both" else \
            [n.strip() for n in on.split(",") if n.strip()]
        assert {S[n] for n in names} <= class_members(g, g.value(prop, RDFS.domain)), prop
        slot_cell = row.get("sssom slot", "").strip()
        if slot_cell in ("–", "-", ""):
            assert g.value(prop, S.sssomSlot) is None, prop
        else:
            spans = code_spans(slot_cell)
            slot = spans[-1] if spans else re.match(r"[A-Za-z_]+", slot_cell).group(0)
            assert str(g.value(prop, S.sssomSlot)) == slot, prop
    assert checked >= 10


# -------------------------------------------------------------------------------------------------
#  the reasoner: owlready2 + HermiT
# -------------------------------------------------------------------------------------------------

needs_java = pytest.mark.skipif(shutil.which("java") is None,
                                reason="HermiT needs Java and there is no `java` on PATH")


@pytest.fixture(scope="module")
def owl():
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 is not installed "
                                    "(pip install -e '.[test]')")
    owlready2.JAVA_EXE = shutil.which("java") or "java"
    owlready2.reasoning.JAVA_MEMORY = 512  # a small TBox; leave memory to the other jobs
    return owlready2


def run_reasoner(owl, tmp_path: Path, *graphs: Graph, **options):
    """Load the graphs (as N-Triples) into a fresh owlready2 World and run HermiT on it."""
    world = owl.World()
    for i, graph in enumerate(graphs):
        path = tmp_path / f"part{i}.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world.get_ontology(path.as_uri()).load()
    owl.sync_reasoner(world, infer_property_values=False, debug=0, **options)
    return world


def abox(*triples) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph


@pytest.mark.reasoner
@needs_java
def test_ontology_is_consistent_and_every_class_satisfiable(owl, g, tmp_path):
    world = run_reasoner(owl, tmp_path, g)
    assert list(world.inconsistent_classes()) == []


@pytest.fixture(scope="module")
def classified(owl, g, tmp_path_factory):
    """The ontology with a small ABox, classified once by HermiT."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java and there is no `java` on PATH")
    data = abox(
        (EX.nora, RDF.type, S.Architectuur),
        (EX.bp01, RDF.type, S.Basisprincipe),
        (EX.bp01, S.inArchitectuur, EX.nora),
        (EX.bp01, S.status, S.Vervallen),
        (EX.bp02, RDF.type, S.Basisprincipe),
        (EX.bp02, S.status, S.Actueel),
        (EX.rosaP1, RDF.type, S.Ontwerpprincipe),
        (EX.kd01, RDF.type, S.Kwaliteitsdoel),
        (EX.a1, RDF.type, S.Aansluiting),
        (EX.a1, S.vanElement, EX.rosaP1),
        (EX.a1, S.naarElement, EX.kd01),
        (EX.a1, S.status, S.Voorgesteld),
        (EX.dera1, RDF.type, S.Principe),
        (EX.d1, RDF.type, S.Afwijking),
        (EX.d1, S.vanElement, EX.dera1),
        (EX.d1, S.tenOpzichteVan, EX.nora),
        (EX.untyped, S.status, S.Vervallen),
        (EX.owner, S.isEigenaarVan, EX.nora),
    )
    world = run_reasoner(owl, tmp_path_factory.mktemp("abox"), g, data)
    return world


def is_a(world, individual: URIRef, cls: URIRef) -> bool:
    return isinstance(world[str(individual)], world[str(cls)])


@pytest.mark.reasoner
@needs_java
def test_withdrawn_basic_principle_is_classified(classified):
    assert is_a(classified, EX.bp01, S.VervallenElement)
    assert is_a(classified, EX.bp01, S.Principe)
    assert is_a(classified, EX.bp01, S.Element)
    assert not is_a(classified, EX.bp02, S.VervallenElement)


@pytest.mark.reasoner
@needs_java
def test_source_of_an_alignment_is_an_aligned_element(classified):
    assert is_a(classified, EX.rosaP1, S.AangeslotenElement)
    assert not is_a(classified, EX.kd01, S.AangeslotenElement)
    # a deviation is not an alignment
    assert not is_a(classified, EX.dera1, S.AangeslotenElement)
    assert not is_a(classified, EX.d1, S.Aansluiting)


@pytest.mark.reasoner
@needs_java
def test_domains_and_ranges_classify_but_do_not_overreach(classified):
    # something with a status is not necessarily an element: the domain is a union
    assert not is_a(classified, EX.untyped, S.Element)
    # the owner of an architecture is an organisation, also in the ORG sense
    assert is_a(classified, EX.owner, S.Organisatie)
    assert is_a(classified, EX.owner, ORG.Organization)


@pytest.mark.reasoner
@needs_java
def test_inferred_class_hierarchy(classified):
    kernwaarde = classified[str(S.Kernwaarde)]
    assert classified[str(S.Driver)] in kernwaarde.ancestors()
    assert classified[str(S.Element)] in kernwaarde.ancestors()
    assert classified[str(S.Principe)] not in kernwaarde.ancestors()
    organisatie = classified[str(S.Organisatie)]
    assert classified[str(ORG.Organization)] in organisatie.ancestors()
    assert classified[str(PROV.Entity)] in classified[str(S.Aansluiting)].ancestors()
    assert list(classified.inconsistent_classes()) == []


@pytest.mark.reasoner
@needs_java
@pytest.mark.parametrize("triples", [
    pytest.param([(EX.x, RDF.type, S.Principe), (EX.x, RDF.type, S.Doel)],
                 id="principle-and-goal"),
    pytest.param([(EX.x, RDF.type, S.Kernwaarde), (EX.x, RDF.type, S.Principe)],
                 id="core-value-and-principle"),
    pytest.param([(EX.x, RDF.type, S.Eis), (EX.x, RDF.type, S.Standaard)],
                 id="requirement-and-standard"),
    pytest.param([(EX.x, RDF.type, S.Aansluiting), (EX.x, S.inArchitectuur, EX.nora)],
                 id="alignment-used-as-element"),
    pytest.param([(EX.x, RDF.type, S.Afwijking), (EX.x, RDF.type, S.Aansluiting)],
                 id="deviation-and-alignment"),
    pytest.param([(EX.x, RDF.type, S.Architectuur), (EX.y, S.inArchitectuur, EX.x),
                  (EX.x, S.inArchitectuur, EX.z)],
                 id="architecture-inside-architecture"),
])
def test_contradictions_make_the_ontology_inconsistent(owl, g, tmp_path, triples):
    with pytest.raises(owl.OwlReadyInconsistentOntologyError):
        run_reasoner(owl, tmp_path, g, abox(*triples))


# -------------------------------------------------------------------------------------------------
#  the bundled data, when there is any
# -------------------------------------------------------------------------------------------------

def data_files() -> list[Path]:
    return sorted([*REPO.glob("data/*.ttl"), *REPO.glob("data/alignments/*.ttl")])


@pytest.mark.reasoner
@needs_java
def test_ontology_and_bundled_data_are_consistent(owl, g, tmp_path):
    files = data_files()
    if not files:
        pytest.skip("no data/*.ttl or data/alignments/*.ttl yet: nothing to check against")
    data = Graph()
    for f in files:
        try:
            data.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises several kinds; a broken file is a failure
            pytest.fail(f"{f.relative_to(REPO).as_posix()} does not parse: {exc}")
    # Literals of datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear) are not a
    # contradiction; HermiT is told to ignore them rather than to stop.
    try:
        run_reasoner(owl, tmp_path, g, data, ignore_unsupported_datatypes=True)
    except owl.OwlReadyInconsistentOntologyError:
        pytest.fail("the ontology together with " + ", ".join(f.relative_to(REPO).as_posix()
                                                             for f in files)
                    + " is inconsistent (run HermiT or Protégé on them for an explanation)")
