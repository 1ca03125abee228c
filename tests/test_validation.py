"""stelsel.validation.validate: findings with file and line, errors with exit codes, baseline,
one named graph, a SPARQL endpoint, and the two engines compared."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import urllib.parse
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from stelsel.config import Config
from stelsel.errors import InputError, UnsupportedFeatureError
from stelsel.findings import Severity
from stelsel.validation import read_baseline, threshold, validate, write_baseline

V = FIXTURES / "validation"
SHAPES = V / "shapes.ttl"
ID = "https://w3id.org/stelsel/id/"
P = ID + "voorbeeld/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
STELSEL = "https://w3id.org/stelsel/def#"


@pytest.fixture(scope="module")
def cfg() -> Config:
    """The repository's ontology (shape targets follow its rdfs:subClassOf)."""
    return Config(store=Path("/nonexistent/store"), content_root=REPO)


def where(finding) -> tuple[str, int, int]:
    loc = finding.location
    return (Path(loc.path).name, loc.line, loc.column)


def key(f):
    return (f.focus_node, f.source_shape, f.path, f.value, f.severity)


# -- conforming, violations, warnings -------------------------------------------------------------
def test_valid_data_conforms(cfg):
    report = validate([V / "valid.ttl"], [SHAPES], config=cfg)
    assert report.findings == [] and report.exit_code() == 0
    assert report.engine == "turbo" and report.seconds > 0
    assert [Path(d).name for d in report.data] == ["valid.ttl"]
    assert [Path(s).name for s in report.shapes] == ["shapes.ttl"]


def test_invalid_turtle_every_finding_located(cfg):
    report = validate([V / "invalid.ttl"], [SHAPES], config=cfg)
    assert report.exit_code() == 1
    got = {(f.focus_node, f.constraint.rsplit("#", 1)[-1]): f for f in report.findings}
    assert len(report.findings) == 3
    p2 = got[(P + "P2", "MinCountConstraintComponent")]
    assert where(p2) == ("invalid.ttl", 16, 3)                 # indented subject
    assert p2.path == STELSEL + "inArchitectuur" and p2.value is None
    assert p2.severity is Severity.VIOLATION
    assert p2.message == {"nl": f"Principe {P}P2 hoort niet bij precies één architectuur.",
                          "en": f"Principle {P}P2 does not belong to exactly one architecture."}
    assert p2.rule["en"] == "Every principle belongs to exactly one architecture and has a Dutch name."
    assert p2.graph == "https://w3id.org/stelsel/graph/local/invalid"
    assert p2.architecture is None


def test_focus_on_value_locates_the_value(cfg):
    """A graph-wide check whose focus is the architecture: the finding is located at the value."""
    report = validate([V / "invalid.ttl"], [SHAPES], config=cfg)
    f = next(f for f in report.findings if f.constraint.endswith("SPARQLConstraintComponent"))
    assert f.focus_node == ID + "voorbeeld" and f.value == P + "P3"
    assert where(f) == ("invalid.ttl", 21, 1)                  # P3, not id:voorbeeld at line 6
    assert f.source_shape == "https://example.org/shapes#NotatieShape"
    assert f.architecture == ID + "voorbeeld"
    # SPARQL constraint messages come back from the engines untagged; both languages restored
    assert f.message == {"nl": f"Principe {P}P3 van {ID}voorbeeld heeft geen notatie.",
                         "en": f"Principle {P}P3 of {ID}voorbeeld has no notation."}


def test_labelled_blank_node_is_located(cfg):
    report = validate([V / "invalid.ttl"], [SHAPES], config=cfg)
    f = next(f for f in report.findings if f.focus_node.startswith("_:"))
    assert where(f) == ("invalid.ttl", 26, 1) and f.path == SKOS + "prefLabel"
    # blank nodes are named the same on every run (fingerprints and diffs stay stable)
    again = validate([V / "invalid.ttl"], [SHAPES], config=cfg)
    assert {key(x) for x in again.findings} == {key(x) for x in report.findings}


@pytest.mark.parametrize("name,line,column,graph", [
    ("invalid.trig", 7, 5, "https://example.org/graph/voorbeeld"),
    ("invalid.nt", 3, 1, "https://w3id.org/stelsel/graph/local/invalid"),
    ("invalid.jsonld", 13, 7, "https://w3id.org/stelsel/graph/local/invalid"),
    ("invalid.rdf", 7, 21, "https://w3id.org/stelsel/graph/local/invalid"),
])
def test_every_syntax_is_located(cfg, name, line, column, graph):
    report = validate([V / name], [SHAPES], config=cfg)
    assert [(f.focus_node, f.path) for f in report.findings] == [(P + "P1", SKOS + "prefLabel")]
    f = report.findings[0]
    assert where(f) == (name, line, column)
    assert f.graph == graph and f.architecture == ID + "voorbeeld"


def test_warning_only(cfg):
    report = validate([V / "warning.ttl"], [SHAPES], config=cfg)
    assert [f.severity for f in report.findings] == [Severity.WARNING]
    assert where(report.findings[0]) == ("warning.ttl", 7, 1)
    assert report.exit_code(threshold("violation")) == 0
    assert report.exit_code(threshold("warning")) == 1
    assert report.exit_code(threshold("warning", allow_warnings=True)) == 0     # pySHACL semantics
    assert threshold("info", allow_infos=True) is Severity.WARNING


def test_directory_and_glob_inputs(cfg, tmp_path: Path):
    for name in ("valid.ttl", "warning.ttl"):
        shutil.copy(V / name, tmp_path / name)
    by_dir = validate([tmp_path], [SHAPES], config=cfg)
    by_glob = validate([str(tmp_path / "*.ttl")], [SHAPES], config=cfg)
    assert {key(f) for f in by_dir.findings} == {key(f) for f in by_glob.findings}
    assert len(by_dir.data) == 2
    with pytest.raises(InputError, match="no file matches"):
        validate([str(tmp_path / "*.nope")], [SHAPES], config=cfg)


def test_archimate_exchange_file(cfg):
    model = FIXTURES / "archimate" / "model.xml"
    with pytest.raises(InputError, match="is an ArchiMate model") as info:
        validate([model], [SHAPES], config=cfg)
    assert "--architecture" in info.value.hint
    report = validate([model], [SHAPES], config=cfg, architecture=ID + "voorbeeld")
    nap01 = next(f for f in report.findings if f.focus_node == ID + "voorbeeld/NAP01")
    lines = model.read_text(encoding="utf-8").splitlines()
    assert 'identifier="id-nap01"' in lines[nap01.location.line - 1]


def test_focus_and_shape_filters(cfg):
    only_p2 = validate([V / "invalid.ttl"], [SHAPES], config=cfg, focus=[P + "P2"])
    assert {f.focus_node for f in only_p2.findings} == {P + "P2"}
    prefixed = validate([V / "invalid.ttl"], [SHAPES], config=cfg, focus="id:voorbeeld")
    assert {f.focus_node for f in prefixed.findings} == {ID + "voorbeeld"}
    shape = validate([V / "invalid.ttl"], [SHAPES], config=cfg, shape=["ex:NotatieShape"])
    assert {f.source_shape for f in shape.findings} == {"https://example.org/shapes#NotatieShape"}


# -- errors -----------------------------------------------------------------------------------------
def test_missing_file_is_an_input_error(cfg):
    with pytest.raises(InputError, match="no such file") as info:
        validate([V / "nope.ttl"], [SHAPES], config=cfg)
    assert info.value.exit_code == 2
    with pytest.raises(InputError):
        validate([V / "valid.ttl"], [V / "nope-shapes.ttl"], config=cfg)


def test_unparsable_file_names_line_and_column(cfg):
    with pytest.raises(InputError) as info:
        validate([V / "broken.ttl"], [SHAPES], config=cfg)
    assert info.value.exit_code == 2
    assert "broken.ttl:4:11: not valid Turtle" in str(info.value)


def test_property_shape_without_path_is_unsupported(cfg):
    with pytest.raises(UnsupportedFeatureError) as info:
        validate([V / "valid.ttl"], [V / "shapes-no-path.ttl"], config=cfg)
    assert info.value.exit_code == 3
    assert "ex:ZonderPad" in str(info.value) and "shapes-no-path.ttl:5:1" in str(info.value)
    assert "sh:path" in str(info.value)


def test_constraint_component_without_validator_is_unsupported(cfg):
    with pytest.raises(UnsupportedFeatureError) as info:
        validate([V / "valid.ttl"], [V / "shapes-no-validator.ttl"], config=cfg)
    assert "ex:MooiShape" in str(info.value) and "ex:MooiComponent" in str(info.value)
    assert "shapes-no-validator.ttl:9:1" in str(info.value)


def test_values_in_a_sparql_constraint_is_unsupported_and_named(cfg, tmp_path: Path):
    shapes = tmp_path / "values.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8").replace(
        "FILTER NOT EXISTS { ?value skos:notation ?n }",
        "FILTER NOT EXISTS { ?value skos:notation ?n } VALUES ?x { 1 }"), encoding="utf-8")
    with pytest.raises(UnsupportedFeatureError, match=r"ex:NotatieShape \(.*values.ttl:\d+:1\).*VALUES"):
        validate([V / "valid.ttl"], [shapes], config=cfg)


def test_js_is_unsupported(cfg):
    with pytest.raises(UnsupportedFeatureError, match="SHACL-JS"):
        validate([V / "valid.ttl"], [SHAPES], config=cfg, js=True)


def test_engine_load_errors_are_unsupported(cfg, tmp_path: Path):
    """What the pre-checks do not catch, the engines' own errors still become exit 3."""
    shapes = tmp_path / "bad-pattern.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n"
                      "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property ex:P .\n"
                      "ex:P sh:path ex:p ; sh:minCount \"many\" .\n", encoding="utf-8")
    for engine in ("pyshacl", "turbo"):
        with pytest.raises(UnsupportedFeatureError) as info:
            validate([V / "valid.ttl"], [shapes], config=cfg, engine=engine)
        assert info.value.exit_code == 3


def test_metashacl(cfg, tmp_path: Path):
    assert validate([V / "valid.ttl"], [SHAPES], config=cfg, metashacl=True).findings == []
    shapes = tmp_path / "not-shacl.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n"
                      "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount 1 ; sh:closed \"yes\" .\n",
                      encoding="utf-8")
    with pytest.raises(InputError, match="not valid SHACL"):
        validate([V / "valid.ttl"], [shapes], config=cfg, metashacl=True)


def test_bad_arguments(cfg):
    with pytest.raises(InputError, match="engine"):
        validate([V / "valid.ttl"], [SHAPES], config=cfg, engine="jena")
    with pytest.raises(InputError, match="inference"):
        validate([V / "valid.ttl"], [SHAPES], config=cfg, inference="magic")


# -- baseline ---------------------------------------------------------------------------------------
def test_baseline(cfg, tmp_path: Path):
    data = tmp_path / "data.ttl"
    shutil.copy(V / "invalid.ttl", data)
    first = validate([data], [SHAPES], config=cfg)
    assert first.exit_code() == 1
    baseline = tmp_path / "baseline.json"
    assert write_baseline(first, baseline) == 3
    items = json.loads(baseline.read_text(encoding="utf-8"))
    assert {tuple(sorted(i)) for i in items} == {("fingerprint", "focus", "message", "path", "severity", "shape", "value")}
    assert read_baseline(baseline) == {f.fingerprint for f in first.findings}

    known = validate([data], [SHAPES], config=cfg, baseline=baseline)
    assert known.findings == [] and len(known.baselined) == 3 and known.exit_code() == 0

    with data.open("a", encoding="utf-8") as fh:       # one more line moves nothing: still baselined
        fh.write("\n\nv:P5 a stelsel:Principe ; skos:notation \"P5\" ; skos:definition \"Nieuw.\"@nl ;\n"
                 "    stelsel:inArchitectuur id:voorbeeld .\n")
    new = validate([data], [SHAPES], config=cfg, baseline=baseline)
    assert [f.focus_node for f in new.findings] == [P + "P5"]
    assert new.exit_code() == 1 and len(new.baselined) == 3
    assert where(new.findings[0]) == ("data.ttl", 32, 1)


def test_baseline_errors(cfg, tmp_path: Path):
    with pytest.raises(InputError, match="no such baseline"):
        validate([V / "valid.ttl"], [SHAPES], config=cfg, baseline=tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json:1:3"):
        validate([V / "valid.ttl"], [SHAPES], config=cfg, baseline=bad)


# -- one named graph ----------------------------------------------------------------------------------
GRAPH_DATA = {
    "x.ttl": """@prefix id: <https://w3id.org/stelsel/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
id:x a stelsel:Architectuur ; stelsel:moetAansluitenOp id:y .
<https://w3id.org/stelsel/id/x/P1> a stelsel:Principe ; skos:notation "P1" ; skos:prefLabel "x1"@nl ;
    skos:definition "d"@nl ; stelsel:inArchitectuur id:x .
""",
    "y.ttl": """@prefix id: <https://w3id.org/stelsel/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
id:y a stelsel:Architectuur .
<https://w3id.org/stelsel/id/y/P1> a stelsel:Principe ; skos:notation "P1" ; skos:prefLabel "y1"@nl ;
    skos:definition "d"@nl ; stelsel:inArchitectuur id:y .
<https://w3id.org/stelsel/id/y/P2> a stelsel:Principe ; skos:notation "P2" ;
    skos:definition "zonder naam"@nl ; stelsel:inArchitectuur id:y .
""",
    "z.ttl": """@prefix id: <https://w3id.org/stelsel/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
id:z a stelsel:Architectuur .
<https://w3id.org/stelsel/id/z/P1> a stelsel:Principe ; skos:notation "P1" ; skos:definition "d"@nl .
""",
    "alignments/x.ttl": """@prefix id: <https://w3id.org/stelsel/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
<https://w3id.org/stelsel/id/aansluiting/a1> a stelsel:Aansluiting ;
    stelsel:vanElement <https://w3id.org/stelsel/id/x/P1> ; stelsel:relatie skos:closeMatch ;
    stelsel:naarElement <https://w3id.org/stelsel/id/y/P1> .
<https://w3id.org/stelsel/id/aansluiting/a2> a stelsel:Aansluiting ;
    stelsel:vanElement <https://w3id.org/stelsel/id/x/P1> ; stelsel:relatie skos:closeMatch ;
    stelsel:naarElement <https://w3id.org/stelsel/id/y/P9> .
""",
}


@pytest.fixture
def content(tmp_path: Path) -> Config:
    root = tmp_path / "content"
    (root / "ontology").mkdir(parents=True)
    shutil.copy(REPO / "ontology" / "stelsel.ttl", root / "ontology" / "stelsel.ttl")
    (root / "shapes").mkdir()
    shutil.copy(SHAPES, root / "shapes" / "shapes.ttl")
    for name, text in GRAPH_DATA.items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Config(store=tmp_path / "store", content_root=root)


def test_bundled_defaults(content):
    report = validate(config=content)
    assert {f.focus_node for f in report.findings} == {ID + "y/P2", ID + "z/P1", ID + "aansluiting/a2"}
    assert report.shapes and all("shapes.ttl" in s for s in report.shapes)


@pytest.mark.parametrize("name", ["x", "graph:x", "https://w3id.org/stelsel/graph/x"])
def test_one_graph_with_what_it_needs(content, name):
    report = validate(config=content, graph=name)
    # y is included (x must align to it; its elements are the alignments' targets), so a1 conforms
    # and a2, pointing at an element y does not have, is reported; y's and z's own findings are not
    assert [(f.focus_node, f.graph) for f in report.findings] == [
        (ID + "aansluiting/a2", "https://w3id.org/stelsel/graph/alignments/x")]
    assert sorted(Path(d).name for d in report.data) == ["x.ttl", "x.ttl", "y.ttl"]
    assert where(report.findings[0]) == ("x.ttl", 7, 1)


def test_without_the_referenced_graph_the_alignment_fails(content):
    root = content.content_root / "data"
    report = validate([root / "x.ttl", root / "alignments" / "x.ttl"], config=content)
    assert {f.focus_node for f in report.findings} == {ID + "aansluiting/a1", ID + "aansluiting/a2"}


def test_unknown_graph(content):
    with pytest.raises(InputError, match="no named graph") as info:
        validate(config=content, graph="nope")
    assert "alignments/x" in info.value.hint


def test_graph_from_the_store(content, tmp_path: Path):
    from stelsel.sources import parse_paths
    from stelsel.store import EmbeddedStore
    mine = tmp_path / "mine.ttl"
    shutil.copy(V / "invalid.ttl", mine)
    store = EmbeddedStore(content.store)
    store.replace_graphs(parse_paths([mine], content, graph="https://w3id.org/stelsel/graph/local/mine"))
    store.close()
    del store
    report = validate(config=content, graph="local/mine")
    assert len(report.findings) == 3 and {P + "P2", ID + "voorbeeld"} <= {f.focus_node for f in report.findings}
    assert all(f.graph == "https://w3id.org/stelsel/graph/local/mine" for f in report.findings)
    assert all(f.location is None for f in report.findings)     # a store has no lines


# -- a SPARQL endpoint ---------------------------------------------------------------------------------
class _Endpoint(http.server.BaseHTTPRequestHandler):
    """Answers any CONSTRUCT with the Turtle of invalid.ttl (a real server on loopback)."""

    queries: list[str] = []
    status = 200

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        type(self).queries.append(urllib.parse.parse_qs(body)["query"][0])
        data = (V / "invalid.ttl").read_bytes()
        self.send_response(self.status)
        self.send_header("Content-Type", "text/turtle; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    _Endpoint.queries = []
    _Endpoint.status = 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()
    thread.join()


def test_endpoint(cfg, endpoint):
    report = validate(endpoint=endpoint, shapes=[SHAPES], config=cfg)
    assert {f.focus_node for f in report.findings} >= {P + "P2", ID + "voorbeeld"}
    assert report.data == [endpoint] and all(f.location is None for f in report.findings)
    assert _Endpoint.queries == ["CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"]
    validate(endpoint=endpoint, shapes=[SHAPES], config=cfg, graph="dera")
    assert "GRAPH <https://w3id.org/stelsel/graph/dera>" in _Endpoint.queries[-1]


def test_endpoint_errors(cfg, endpoint):
    _Endpoint.status = 500
    with pytest.raises(InputError, match="answered 500"):
        validate(endpoint=endpoint, shapes=[SHAPES], config=cfg)
    with pytest.raises(InputError, match="cannot reach"):
        validate(endpoint="http://127.0.0.1:9/sparql", shapes=[SHAPES], config=cfg, timeout=2)


# -- the engines compared ------------------------------------------------------------------------------
def _cases() -> list[tuple[str, list[Path] | None, list[Path] | None]]:
    """My fixtures with my shapes; every shape fixture under tests/shapes/ with the bundled
    shapes; and the bundled data with the bundled shapes."""
    cases = [(p.name, [p], [SHAPES]) for p in sorted(V.glob("*")) if p.suffix in (".ttl", ".trig", ".nt", ".jsonld", ".rdf")
             and not p.name.startswith(("shapes", "broken"))]
    fixtures = REPO / "tests" / "shapes"
    if fixtures.is_dir():
        bundled = sorted((REPO / "shapes").glob("*.ttl"))
        for p in sorted(fixtures.rglob("*.ttl")):
            # tests/shapes/<ShapeName>/…: validated with the bundled file that defines that shape
            name = p.relative_to(fixtures).parts[0]
            defining = [f for f in bundled if re.search(rf"^\w*:{re.escape(name)}\s*$", f.read_text(encoding="utf-8"), re.M)]
            cases.append((str(p.relative_to(fixtures)), [p], defining or None))
    cases.append(("bundled", None, None))
    return cases


@pytest.mark.parametrize("name,data,shapes", _cases(), ids=lambda x: x if isinstance(x, str) else "")
def test_engines_agree(cfg, name, data, shapes):
    """pySHACL and pyshacl-turbo find the same (focus, shape, path, value, severity) set (or
    both refuse the shapes for the same shape)."""
    if shapes is None and not list((REPO / "shapes").glob("*.ttl")):
        pytest.skip("no bundled shapes yet")
    results = {}
    for engine in ("pyshacl", "turbo"):
        try:
            report = validate(data, shapes, config=cfg, engine=engine, coverage=False)
            results[engine] = {key(f) for f in report.findings}
        except UnsupportedFeatureError as exc:
            results[engine] = ("unsupported", str(exc).split(":")[0])
    assert results["pyshacl"] == results["turbo"]


# -- coverage ----------------------------------------------------------------------------------------------
def test_coverage_from_the_canned_query(content):
    (content.content_root / "queries").mkdir()
    (content.content_root / "queries" / "dekking-nora.rq").write_text(
        "PREFIX stelsel: <https://w3id.org/stelsel/def#>\n"
        "SELECT ?architectuur (\"A\" AS ?label) (1 AS ?covered) (2 AS ?total) (\"NAP02 NAP03\" AS ?missing)\n"
        "WHERE { ?architectuur a stelsel:Architectuur }\n", encoding="utf-8")
    report = validate(config=content)
    assert [(c.architecture.rsplit("/", 1)[-1], c.covered, c.total, c.missing) for c in report.coverage] == [
        (name, 1, 2, ("NAP02", "NAP03")) for name in ("x", "y", "z")]
    assert validate(config=content, coverage=False).coverage == []


@pytest.mark.parametrize("query", ["dekking-nora.rq", "dekkingsmatrix-nora-principes.rq"])
def test_coverage_of_the_bundled_data(tmp_path: Path, query):
    """queries/dekking-nora.rq (one row per architecture), else the per-principle matrix query
    summed per architecture: the same figures."""
    from stelsel.validation import _coverage, _Loader
    from stelsel.validation.sparql_rules import data_store
    if not (REPO / "queries" / query).is_file():
        pytest.skip(f"no {query}")
    (tmp_path / "queries").mkdir()
    shutil.copy(REPO / "queries" / query, tmp_path / "queries" / query)
    loader = _Loader(Config(content_root=REPO), None)
    files = sorted((REPO / "data").rglob("*.ttl")) + [REPO / "ontology" / "stelsel.ttl"]
    coverage = _coverage(Config(content_root=tmp_path), data_store([q for f in files for q in loader.file(f).quads]))
    dera = next(c for c in coverage if c.architecture == ID + "dera")
    assert dera.total == 17 and 0 < dera.covered < 17 and len(dera.missing) == 17 - dera.covered
    assert dera.label.startswith("DERA") and all(m.startswith("NAP") for m in dera.missing)


def test_untagged_sparql_messages_get_their_language_back():
    from rdflib import Literal

    from stelsel.validation import _messages
    templates = [Literal("{?value} wijst naar {?doelNl}.", lang="nl"), Literal("{?value} points to {?doelEn}.", lang="en")]
    both = _messages([Literal("a1 wijst naar geen enkele."), Literal("a1 points to none.")], templates, {"value": "a1"})
    assert both == {"nl": "a1 wijst naar geen enkele.", "en": "a1 points to none."}
    # only one came back: the other language is filled only when its variables are all known
    one = _messages([Literal("a1 points to none.")], templates, {"value": "a1"})
    assert one == {"en": "a1 points to none."}
    shared = [Literal("{?value} mist {?wat}.", lang="nl"), Literal("{?value} lacks {?wat}.", lang="en")]
    assert _messages([Literal("a1 lacks x.")], shared, {}) == {"en": "a1 lacks x.", "nl": "a1 mist x."}
    # tagged messages (core constraints) pass through; no template fits: kept untagged
    assert _messages([Literal("Iets", lang="nl")], [], {}) == {"nl": "Iets"}
    assert _messages([Literal("Value does not match")], templates, {}) == {"": "Value does not match"}


def test_complex_paths_as_sparql_property_paths(cfg, tmp_path: Path):
    shapes = tmp_path / "paths.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/PadShape> a sh:NodeShape ; sh:targetClass stelsel:Principe ;
    sh:property [ sh:path ( stelsel:inArchitectuur [ sh:inversePath stelsel:moetAansluitenOp ] ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:alternativePath ( skos:altLabel [ sh:zeroOrMorePath skos:hiddenLabel ] ) ] ;
                  sh:minCount 2 ] ;
    sh:property [ sh:path [ sh:oneOrMorePath ( stelsel:inArchitectuur stelsel:moetAansluitenOp ) ] ; sh:minCount 1 ] .
""", encoding="utf-8")
    for engine in ("pyshacl", "turbo"):
        report = validate([V / "valid.ttl"], [shapes], config=cfg, engine=engine)
        assert sorted(f.path for f in report.findings) == sorted([
            f"<{STELSEL}inArchitectuur>/^<{STELSEL}moetAansluitenOp>",
            f"(<{SKOS}altLabel>|<{SKOS}hiddenLabel>*)",
            f"(<{STELSEL}inArchitectuur>/<{STELSEL}moetAansluitenOp>)+",
        ]), engine


def test_unknown_focus_or_shape_is_a_usage_error(cfg):
    """pySHACL passes an unknown --focus silently and turbo an unknown --shape: a typo in CI
    would go unnoticed. Both are input errors here."""
    for engine in ("pyshacl", "turbo"):
        with pytest.raises(InputError, match="--focus https://example.org/nothing: there is no such node"):
            validate([V / "invalid.ttl"], [SHAPES], config=cfg, engine=engine, focus="https://example.org/nothing")
        with pytest.raises(InputError, match="--shape https://example.org/shapes#Nothing: there is no such shape"):
            validate([V / "invalid.ttl"], [SHAPES], config=cfg, engine=engine, shape="ex:Nothing")


def test_extra_ontology_is_mixed_into_the_data_graph(cfg, tmp_path: Path):
    ontology = tmp_path / "extra.ttl"
    ontology.write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                        "<https://example.org/MijnPrincipe> rdfs:subClassOf <https://w3id.org/stelsel/def#Principe> .\n",
                        encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/p> a <https://example.org/MijnPrincipe> .\n", encoding="utf-8")
    assert validate([data], [SHAPES], config=cfg).findings == []
    report = validate([data], [SHAPES], config=cfg, ont_graphs=[ontology])
    assert {f.focus_node for f in report.findings} == {"https://example.org/p"}
    assert {where(f) for f in report.findings} == {("data.ttl", 1, 1)}


def test_an_element_is_located_in_the_file_that_describes_it_not_in_an_alignments_file():
    """Regression: the alignments file also has the element as the subject of the materialised
    triple; the finding must point at the architecture's own file, where the element is typed."""
    from stelsel.validation import validate as run
    report = run(shape=["https://w3id.org/stelsel/shapes#UitvoeringsdoelHerleidbaar"])
    located = {f.focus_node.rsplit("/", 1)[-1]: f.location for f in report.findings}
    assert set(located) == {"borgen-continuiteit-dienstverlening", "migratie-naar-de-cloud"}
    for location in located.values():
        assert location is not None and location.path.endswith("data/ocw.ttl")
