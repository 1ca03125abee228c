"""The SHACL shapes in shapes/: every shape fires on its invalid fixtures and not on its valid ones,
is documented (label, rule, messages in Dutch and English, a severity), is well-formed SHACL
(checked against the W3C SHACL-SHACL shapes), keeps graph-wide checks to one run per architecture,
and says the right things about the bundled data.

The engine is run by one helper, tests/shapes/conftest.py::validate (pySHACL for now)."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

_spec = importlib.util.spec_from_file_location(
    "stelsel_shape_helpers", Path(__file__).resolve().parent / "shapes" / "conftest.py")
H = sys.modules.setdefault("stelsel_shape_helpers", importlib.util.module_from_spec(_spec))
if not hasattr(H, "validate"):
    _spec.loader.exec_module(H)

REPO = H.REPO
S = Namespace("https://w3id.org/stelsel/def#")
SHP = Namespace(H.STELSEL_SHAPES)
ID = "https://w3id.org/stelsel/id/"
SHACL_SHACL = REPO / "tests" / "fixtures" / "shacl-shacl.ttl"
SEVERITIES = {SH.Violation, SH.Warning, SH.Info}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return H.load_shapes()


def _shape_iris() -> dict[str, URIRef]:
    g = H.load_shapes()
    by_name: dict[str, list[URIRef]] = defaultdict(list)
    for s in H.named_shapes(g):
        by_name[H.local_name(str(s))].append(s)
    return {name: iris[0] for name, iris in by_name.items() if len(iris) == 1}


def _cases():
    iris = _shape_iris()
    for folder in H.fixture_folders():
        for kind in H.KINDS:
            for f in H.fixture_files(folder, kind):
                yield pytest.param(folder.name, iris.get(folder.name), kind, f,
                                   id=f"{folder.name}/{kind}/{f.stem}")


# -- each shape against its fixtures ---------------------------------------------------------------------
@pytest.mark.parametrize("name,shape,kind,path", list(_cases()))
def test_fixture(shapes, name, shape, kind, path):
    """An invalid fixture triggers THAT shape (or one of its nested shapes); a valid one does not."""
    assert shape is not None, f"tests/shapes/{name}/ names no shape in shapes/"
    mine = H.family(shapes, shape)
    found = [r for r in H.validate(H.read([path]), shapes, only=[str(shape)]) if r.shape in mine]
    if kind == "valid":
        assert found == [], "\n".join(f"{r.focus} {r.value} {r.message('en')}" for r in found)
    else:
        assert found, f"{path.relative_to(REPO)} does not trigger {name}"
        expected = shapes.value(shape, SH.severity) or SH.Violation
        assert any(r.severity == str(expected).rsplit("#", 1)[-1] for r in found)


def test_every_shape_has_valid_and_invalid_fixtures(shapes):
    """A new shape without fixtures fails the suite."""
    names = Counter(H.local_name(str(s)) for s in H.named_shapes(shapes))
    assert not [n for n, c in names.items() if c > 1], "two shapes share a local name"
    missing = []
    for name in sorted(names):
        folder = H.FIXTURES / name
        for kind in H.KINDS:
            if not folder.is_dir() or not H.fixture_files(folder, kind):
                missing.append(f"tests/shapes/{name}/{kind}/*.ttl")
    assert not missing, "shapes without fixtures:\n" + "\n".join(missing)


def test_every_fixture_folder_names_a_shape(shapes):
    names = {H.local_name(str(s)) for s in H.named_shapes(shapes)}
    stray = [f.name for f in H.fixture_folders() if f.name not in names]
    assert not stray, f"fixture folders for shapes that do not exist: {stray}"


# -- documentation and form ------------------------------------------------------------------------------
def _langs(g: Graph, s, p) -> list[str]:
    return sorted(o.language or "" for o in g.objects(s, p) if isinstance(o, Literal))


#: parameters that are not constraints: a shape with only these (and sh:property) just groups
NOT_CONSTRAINTS = {SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target, SH.message, SH.severity, SH.name, SH.description, SH.deactivated, SH.order,
                   SH.group, SH.prefixes, SH.declare}


def _own_constraints(g: Graph, s) -> bool:
    return any(str(p).startswith(str(SH)) and p not in NOT_CONSTRAINTS for p in g.predicates(s, None))


def test_every_shape_is_documented_in_dutch_and_english(shapes):
    """Every named shape has a label and its rule (rdfs:comment) in nl and en; every shape that
    reports (a named shape with constraints of its own, and every sh:property shape) has messages in
    nl and en and one severity. A named node shape that only groups property shapes leaves messages
    and severities to them."""
    problems = []
    reporting = set()
    for s in sorted(H.named_shapes(shapes)):
        name = H.local_name(str(s))
        for p in (RDFS.label, RDFS.comment):
            langs = _langs(shapes, s, p)
            if langs.count("nl") != 1 or langs.count("en") != 1:
                problems.append(f"{name}: {p.n3(shapes.namespace_manager)} languages {langs}")
        if _own_constraints(shapes, s) or not list(shapes.objects(s, SH.property)):
            reporting.add((name, s))
        reporting |= {(f"{name} > property {i}", ps) for i, ps in enumerate(shapes.objects(s, SH.property))}
    for name, s in sorted(reporting, key=lambda x: x[0]):
        langs = _langs(shapes, s, SH.message)
        if "nl" not in langs or "en" not in langs:
            problems.append(f"{name}: sh:message languages {langs}")
        severities = list(shapes.objects(s, SH.severity))
        if len(severities) != 1 or severities[0] not in SEVERITIES:
            problems.append(f"{name}: severity {severities}")
    assert not problems, "\n".join(problems)


def test_stelsel_shapes_have_iris_and_fill_in_values(shapes):
    """Shapes with a target have an IRI; the messages of the stelsel shapes name what they are
    about ({$this} or {?value})."""
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        for s in shapes.subjects(p, None):
            assert isinstance(s, URIRef), f"a shape with {p} is a blank node"
    for s in H.named_shapes(shapes):
        if str(s).startswith(H.STELSEL_SHAPES):
            for m in shapes.objects(s, SH.message):
                assert "{$this}" in m or "{?value}" in m, f"{s}: {m}"


def test_graph_wide_checks_run_once_per_architecture(shapes):
    """Every SPARQL constraint sits on a shape whose only target is stelsel:Architectuur (so it runs
    once per architecture, not per element), returns $this and ?value, and carries
    stelsel:focusOnValue true so the validator reports where the value is."""
    constraints = list(shapes.subject_objects(SH.sparql))
    assert len(constraints) >= 8
    for shape, c in constraints:
        assert set(shapes.predicate_objects(shape)) >= {(SH.targetClass, S.Architectuur)}, shape
        targets = [p for p, _ in shapes.predicate_objects(shape) if str(p).startswith(str(SH) + "target")]
        assert targets == [SH.targetClass], shape
        assert shapes.value(c, S.focusOnValue) == Literal(True), shape
        select = str(shapes.value(c, SH.select))
        head = select.split("WHERE", 1)[0]
        assert "$this" in head and "?value" in head, shape
        assert not re.search(r"\bVALUES\b|\bMINUS\b|\bSERVICE\b", select), shape
        messages = list(shapes.objects(shape, SH.message))
        assert all("{?value}" in m for m in messages), shape


def test_focus_on_value_is_in_the_vocabulary():
    onto = H.ontology()
    assert (S.focusOnValue, RDF.type, OWL.AnnotationProperty) in onto
    assert sorted(_langs(onto, S.focusOnValue, RDFS.label)) == ["en", "nl"]
    assert "stelsel:focusOnValue" in (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")


def test_shapes_conform_to_shacl_shacl(shapes):
    """The shapes graph is valid SHACL according to the W3C SHACL-SHACL shapes (Appendix C)."""
    import pyshacl
    shsh = Graph().parse(SHACL_SHACL, format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shsh, inference="none", advanced=False,
                                         max_validation_depth=H.MAX_DEPTH)
    assert conforms, text


def test_shacl_shacl_catches_a_broken_shape():
    """The meta-check has teeth: a shape with two severities and a non-IRI class is refused."""
    import pyshacl
    shsh = Graph().parse(SHACL_SHACL, format="turtle")
    broken = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Info , sh:Warning ; sh:class "C" .""")
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shsh, inference="none")
    assert not conforms


def test_notation_patterns_agree_with_the_ontology(shapes):
    """Each NORA notation shape's sh:pattern accepts only notations the ontology's
    stelsel:notatiePatroon of that class accepts, and NORA's own form (NAP01, IMP001 …)."""
    onto = H.ontology()
    checked = 0
    for s in H.named_shapes(shapes):
        target = shapes.value(s, SH.target)
        if target is None or shapes.value(s, SH.path) != URIRef("http://www.w3.org/2004/02/skos/core#notation"):
            continue
        cls = re.search(r"rdfs:subClassOf\* stelsel:(\w+)", str(shapes.value(target, SH.select))).group(1)
        mine = re.compile(str(shapes.value(s, SH.pattern)))
        theirs = re.compile(str(onto.value(S[cls], S.notatiePatroon)))
        prefixes = set(re.findall(r"[A-Za-z]+", theirs.pattern)) | {"X"}
        samples = [f"{p}{'0' * n}{d}" for p in prefixes for n in range(4) for d in ("", "1", "7")]
        for sample in samples:
            if mine.search(sample):
                assert theirs.search(sample), f"{H.local_name(str(s))}: {sample!r}"
        assert any(mine.search(x) for x in samples), s
        checked += 1
    assert checked == 8


# -- particular behaviour --------------------------------------------------------------------------------
def _run(shape: str, fixture: str) -> list:
    g = H.load_shapes()
    return [r for r in H.validate(H.read([H.FIXTURES / shape / fixture]), g, only=[SHP[shape]])
            if r.shape in H.family(g, SHP[shape])]


def test_stale_alignment_message_names_the_replacement():
    [r] = _run("AansluitingOpVervallenElement", "invalid/met-vervanger.ttl")
    assert r.severity == "Warning" and r.focus == "https://example.org/stelsel-test/bron"
    assert r.value == "https://example.org/stelsel-test/a1"
    assert "https://example.org/stelsel-test/doel-q1" in r.message("nl") + r.message("en")
    [r] = _run("AansluitingOpVervallenElement", "invalid/zonder-vervanger.ttl")
    text = " ".join(m for _, m in r.messages)
    assert "geen vervanger" in text and "No replacement" in text


def test_coverage_reports_one_result_per_architecture_and_principle():
    found = _run("DekkingNora", "invalid/principe-niet-geraakt.ttl")
    assert [(r.focus, r.value, r.severity) for r in found] == [
        ("https://example.org/stelsel-test/lid", ID + "nora/NAP02", "Info")]


def test_a_cycle_is_reported_for_each_architecture_on_it():
    found = _run("AansluitingZonderKringloop", "invalid/via-derde-architectuur.ttl")
    assert sorted(r.focus.rsplit("/", 1)[-1] for r in found) == ["a", "b", "c"]


def test_a_team_overrides_the_coverage_severity_and_the_iri_stays():
    override = """@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix shapes: <https://w3id.org/stelsel/shapes#> .
        shapes:DekkingNora sh:severity sh:Warning ."""
    g = H.load_shapes(override)
    assert list(g.objects(SHP.DekkingNora, SH.severity)) == [SH.Warning]
    data = H.read([H.FIXTURES / "DekkingNora" / "invalid" / "principe-niet-geraakt.ttl"])
    found = [r for r in H.validate(data, g, only=[SHP.DekkingNora])]
    assert [(r.shape, r.severity) for r in found] == [(str(SHP.DekkingNora), "Warning")]


# -- the bundled data ------------------------------------------------------------------------------------
def _bundled_files() -> list[Path]:
    return sorted((REPO / "data").rglob("*.ttl"))


@pytest.fixture(scope="module")
def bundled(shapes):
    """All shapes over data/**/*.ttl + the ontology, once (pySHACL), with the wall time."""
    data = H.read(_bundled_files())
    started = time.perf_counter()
    found = H.validate(data, shapes)
    seconds = time.perf_counter() - started
    print(f"\npySHACL, all shapes over the bundled data ({len(data)} triples + ontology): {seconds:.1f} s")
    for (shape, severity), n in sorted(Counter((H.local_name(r.shape), r.severity) for r in found).items()):
        print(f"  {n:4d} {severity:9s} {shape}")
    return found, seconds


def test_bundled_untraced_uitvoeringsdoelen_are_found(bundled):
    found, _ = bundled
    untraced = {r.focus for r in found if r.shape == str(SHP.UitvoeringsdoelHerleidbaar)}
    assert untraced == {ID + "ocw/borgen-continuiteit-dienstverlening", ID + "ocw/migratie-naar-de-cloud"}


def test_bundled_data_has_no_structure_violations(bundled, shapes):
    found, _ = bundled
    structure = {str(s) for s in H.named_shapes(Graph().parse(H.SHAPES_DIR / "structure.ttl"))}
    violations = [r for r in found if r.shape in structure and r.severity == "Violation"]
    assert not violations, "\n".join(f"{H.local_name(r.shape)} {r.focus} {r.value}" for r in violations)


def test_bundled_alignments_are_sound(bundled):
    """No alignment integrity violations on the bundled alignments."""
    found, _ = bundled
    alignment = {str(s) for s in H.named_shapes(Graph().parse(H.SHAPES_DIR / "alignment.ttl"))}
    violations = [r for r in found if r.shape in alignment and r.severity == "Violation"]
    assert not violations, "\n".join(f"{H.local_name(r.shape)} {r.focus} {r.value}" for r in violations)


def test_bundled_coverage_agrees_with_the_canned_query(bundled):
    """queries/dekking-nora.rq and shapes:DekkingNora count the same principles."""
    import pyoxigraph as ox

    from stelsel.queries import load_query

    found, _ = bundled
    query = load_query(REPO / "queries" / "dekking-nora.rq")
    store = ox.Store()
    for f in _bundled_files() + [H.ONTOLOGY]:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.as_uri()))
    result = store.query(query.text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]
    assert rows and {"architectuur", "label", "covered", "total", "percentage", "missing"} <= set(names)
    missing_by_shape = defaultdict(set)
    for r in found:
        if r.shape == str(SHP.DekkingNora):
            missing_by_shape[r.focus].add(r.value.rsplit("/", 1)[-1])
    for row in rows:
        covered, total = int(row["covered"]), int(row["total"])
        assert total == 17, row
        missing = set((row["missing"] or "").split())
        assert missing == missing_by_shape[row["architectuur"]], row["architectuur"]
        assert covered == total - len(missing)
        assert float(row["percentage"]) == pytest.approx(round(1000 * covered / total) / 10)
    assert {r["architectuur"] for r in rows} >= {ID + "dera", ID + "rosa/2022", ID + "rosa/2024", ID + "ocw"}


def test_pyshacl_turbo_finds_the_same_on_the_bundled_data(bundled, shapes):
    pytest.importorskip("pyshacl_turbo")
    found, _ = bundled
    data = H.read(_bundled_files())
    turbo = H.validate(data, shapes, engine="turbo")

    def key(r):
        return (r.shape if not r.shape.startswith("_:") else r.component, r.focus, r.value, r.severity)
    assert sorted(map(key, turbo)) == sorted(map(key, found))


def test_obligation_to_a_withdrawn_architecture_names_its_successor():
    [r] = _run("AansluitverplichtingOpVervallenArchitectuur", "invalid/met-opvolger.ttl")
    assert r.severity == "Warning" and r.focus == "https://example.org/stelsel-test/bron"
    assert r.value == "https://example.org/stelsel-test/oud"
    assert "https://example.org/stelsel-test/nieuw" in r.message("nl") and "Successor" in r.message("en")


def test_bundled_obligations_to_withdrawn_architectures_agree_with_the_data(bundled):
    """Every current architecture obliged to align to a withdrawn one (OCW -> EAR, succeeded by RORA)."""
    found, _ = bundled
    data = H.read(_bundled_files())
    expected = {(str(a), str(t)) for a, t in data.query("""
        PREFIX stelsel: <https://w3id.org/stelsel/def#>
        SELECT ?a ?t WHERE { ?a stelsel:moetAansluitenOp ?t . ?t stelsel:status stelsel:Vervallen .
                             FILTER NOT EXISTS { ?a stelsel:status stelsel:Vervallen } }""")}
    got = {(r.focus, r.value) for r in found if r.shape == str(SHP.AansluitverplichtingOpVervallenArchitectuur)}
    assert got == expected
    for r in found:
        if r.shape == str(SHP.AansluitverplichtingOpVervallenArchitectuur):
            successor = data.value(URIRef(r.value), URIRef("http://purl.org/dc/terms/isReplacedBy"))
            if successor is not None:
                assert str(successor) in r.message("nl"), r.message("nl")


def test_stale_rule_counts_what_the_canned_query_lists_without_withdrawn_architectures(bundled):
    """shapes:AansluitingOpVervallenElement flags the alignments that
    queries/aansluitingen-op-vervallen-elementen.rq lists with vervallenArchitectuur=false; with true the
    query adds those into a withdrawn architecture, which the obligation rule above covers."""
    import pyoxigraph as ox

    from stelsel.queries import load_query

    found, _ = bundled
    query = load_query(REPO / "queries" / "aansluitingen-op-vervallen-elementen.rq")
    store = ox.Store()
    for f in _bundled_files() + [H.ONTOLOGY]:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.as_uri()))
    listed = {row["aansluiting"].value for row in store.query(query.text, use_default_graph_as_union=True)
              if row["vervallenArchitectuur"].value == "false"}
    flagged = {r.value for r in found if r.shape == str(SHP.AansluitingOpVervallenElement)}
    assert listed == flagged
