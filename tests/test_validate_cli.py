"""`stelsel validate`: the exit-code contract, pySHACL's options, output files, baseline, graph,
endpoint and engine, run in-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from conftest import FIXTURES, REPO
from stelsel.cli import main
from test_validation import GRAPH_DATA, endpoint  # noqa: F401  (a pytest fixture)

V = FIXTURES / "validation"
SHAPES = str(V / "shapes.ttl")
P = "https://w3id.org/stelsel/id/voorbeeld/"


@pytest.fixture
def run(tmp_path: Path):
    """``stelsel --content REPO validate ARGS`` in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, content: Path = REPO, input: str | None = None):
        return runner.invoke(main, ["--store", str(tmp_path / "store"), "--content", str(content),
                                    "validate", *args], input=input, catch_exceptions=False)

    return invoke


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


# -- the exit codes, one by one ------------------------------------------------------------------------
def test_exit_0_when_the_data_conforms(run):
    result = run("-s", SHAPES, str(V / "valid.ttl"))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_exit_1_on_a_violation(run):
    result = run("-s", SHAPES, "-f", "json", str(V / "invalid.ttl"))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False and doc["exit_code"] == 1
    located = sorted((Path(f["location"]["path"]).name, f["location"]["line"], f["location"]["column"])
                     for f in doc["findings"])
    assert located == [("invalid.ttl", 16, 3), ("invalid.ttl", 21, 1), ("invalid.ttl", 26, 1)]
    assert "voldoet niet" in result.stderr          # a summary on stderr for machine formats


def test_text_lines_name_file_line_and_column(run):
    result = run("-s", SHAPES, "--lang", "en", str(V / "invalid.ttl"))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": violation: " in line]
    assert [line.split(": violation:")[0].rsplit("/", 1)[-1] for line in lines] == [
        "invalid.ttl:16:3", "invalid.ttl:21:1", "invalid.ttl:26:1"]
    assert "has no notation" in result.stdout


def test_warnings_fail_only_with_fail_on_warning(run):
    data = str(V / "warning.ttl")
    assert run("-s", SHAPES, data).exit_code == 0
    assert run("-s", SHAPES, "--fail-on", "warning", data).exit_code == 1
    assert run("-s", SHAPES, "--fail-on", "warning", "--allow-warnings", data).exit_code == 0
    assert run("-s", SHAPES, "--fail-on", "warning", "-w", data).exit_code == 0
    assert run("-s", SHAPES, "--fail-on", "info", "--allow-infos", data).exit_code == 1


def test_exit_2_for_a_missing_file(run):
    result = run("-s", SHAPES, str(V / "nope.ttl"))
    assert result.exit_code == 2
    assert "error: " in result.stderr and "nope.ttl: no such file or directory" in result.stderr
    assert "Traceback" not in result.output
    assert run("-s", str(V / "nope-shapes.ttl"), str(V / "valid.ttl")).exit_code == 2


def test_exit_2_for_an_unparsable_file_with_its_position(run):
    result = run("-s", SHAPES, str(V / "broken.ttl"))
    assert result.exit_code == 2
    assert "broken.ttl:4:11: not valid Turtle" in result.stderr
    assert "next: " in result.stderr


@pytest.mark.parametrize("args", [["--bogus"], ["--fail-on", "sometimes"], ["-f", "yaml"],
                                  ["--engine", "jena"], ["-i", "magic"], ["--max-depth", "0"]])
def test_exit_2_for_a_bad_option(run, args):
    result = run("-s", SHAPES, *args, str(V / "valid.ttl"))
    assert result.exit_code == 2, result.output


def test_exit_3_for_a_property_shape_without_path(run):
    result = run("-s", str(V / "shapes-no-path.ttl"), str(V / "valid.ttl"))
    assert result.exit_code == 3
    assert "ex:ZonderPad" in result.stderr and "shapes-no-path.ttl:5:1" in result.stderr


def test_exit_3_for_a_constraint_component_without_validator(run):
    result = run("-s", str(V / "shapes-no-validator.ttl"), str(V / "valid.ttl"))
    assert result.exit_code == 3
    assert "ex:MooiShape" in result.stderr and "ex:MooiComponent" in result.stderr


def test_exit_3_for_js(run):
    result = run("-s", SHAPES, "-j", str(V / "valid.ttl"))
    assert result.exit_code == 3 and "SHACL-JS" in result.stderr


def test_metashacl_failure_is_an_input_error(run, tmp_path: Path):
    shapes = tmp_path / "not-shacl.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n"
                      "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed \"yes\" .\n", encoding="utf-8")
    result = run("-m", "-s", str(shapes), str(V / "valid.ttl"))
    assert result.exit_code == 2 and "not valid SHACL" in result.stderr


# -- every syntax, every format ------------------------------------------------------------------------
@pytest.mark.parametrize("name,line", [("invalid.trig", 7), ("invalid.nt", 3), ("invalid.jsonld", 13),
                                       ("invalid.rdf", 7)])
def test_syntaxes(run, name, line):
    result = run("-s", SHAPES, "-f", "json", str(V / name))
    assert result.exit_code == 1
    (f,) = findings(result)
    assert f["location"]["line"] == line and f["focus_node"] == P + "P1"


@pytest.mark.parametrize("fmt", ["text", "human", "table", "json", "csv", "sarif", "junit", "github"])
def test_formats(run, fmt):
    result = run("-s", SHAPES, "-f", fmt, str(V / "warning.ttl"))
    assert result.exit_code == 0 and "warning.ttl" in result.stdout


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("jsonld", "json-ld"), ("json-ld", "json-ld"),
                                               ("xml", "xml"), ("nt", "nt"), ("n3", "n3")])
def test_report_graph_formats(run, fmt, rdflib_format):
    result = run("-s", SHAPES, "-f", fmt, str(V / "invalid.ttl"))
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format=rdflib_format)
    assert len(set(graph.objects(None, URIRef("http://www.w3.org/ns/shacl#result")))) == 3


def test_output_file_is_written_atomically(run, tmp_path: Path):
    out = tmp_path / "reports" / "stelsel.sarif"
    result = run("-s", SHAPES, "-f", "sarif", "-o", str(out), str(V / "invalid.ttl"))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "voldoet niet" in result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["stelsel.sarif"]      # no temporary left


def test_lang_and_focus_and_shape(run):
    result = run("-s", SHAPES, "-f", "json", "--lang", "en", "--focus", f"{P}P2,id:voorbeeld",
                 str(V / "invalid.ttl"))
    got = findings(result)
    assert {f["focus_node"] for f in got} == {P + "P2", "https://w3id.org/stelsel/id/voorbeeld"}
    assert all(f["message"] == f["messages"]["en"] for f in got)
    result = run("-s", SHAPES, "-f", "json", "--shape", "ex:NotatieShape", str(V / "invalid.ttl"))
    assert [f["source_shape"] for f in findings(result)] == ["https://example.org/shapes#NotatieShape"]


def test_engines_give_the_same_findings(run):
    by_engine = {}
    for engine in ("pyshacl", "turbo"):
        result = run("-s", SHAPES, "-f", "json", "--engine", engine, str(V / "invalid.ttl"))
        assert result.exit_code == 1 and json.loads(result.stdout)["engine"] == engine
        by_engine[engine] = sorted(f["fingerprint"] for f in findings(result))
    assert by_engine["pyshacl"] == by_engine["turbo"]


def test_archimate_needs_architecture(run):
    model = str(FIXTURES / "archimate" / "model.xml")
    result = run("-s", SHAPES, model)
    assert result.exit_code == 2 and "--architecture" in result.stderr
    result = run("-s", SHAPES, "--architecture", "https://w3id.org/stelsel/id/voorbeeld", "-f", "json", model)
    assert result.exit_code == 0 and all(f["location"]["path"].endswith("model.xml") for f in findings(result))


# -- baseline -----------------------------------------------------------------------------------------
def test_baseline_round_trip(run, tmp_path: Path):
    data = tmp_path / "data.ttl"
    shutil.copy(V / "invalid.ttl", data)
    baseline = tmp_path / "baseline.json"
    written = run("-s", SHAPES, "--write-baseline", str(baseline), str(data))
    assert written.exit_code == 0 and "wrote 3 finding(s)" in written.stderr
    assert len(json.loads(baseline.read_text(encoding="utf-8"))) == 3

    known = run("-s", SHAPES, "--baseline", str(baseline), "-f", "json", str(data))
    assert known.exit_code == 0
    doc = json.loads(known.stdout)
    assert doc["findings"] == [] and doc["baselined"] == 3

    with data.open("a", encoding="utf-8") as fh:
        fh.write("\nv:P6 a stelsel:Principe ; skos:prefLabel \"Zes\"@nl ; skos:notation \"P6\" ;\n"
                 "    skos:definition \"Nieuw, zonder architectuur.\"@nl .\n")
    new = run("-s", SHAPES, "--baseline", str(baseline), "-f", "json", str(data))
    assert new.exit_code == 1
    assert [(f["focus_node"], f["location"]["line"]) for f in findings(new)] == [(P + "P6", 31)]

    missing = run("-s", SHAPES, "--baseline", str(tmp_path / "nope.json"), str(data))
    assert missing.exit_code == 2 and "no such baseline file" in missing.stderr


# -- graph and endpoint -------------------------------------------------------------------------------
def test_graph(run, tmp_path: Path):
    root = tmp_path / "content"
    (root / "ontology").mkdir(parents=True)
    shutil.copy(REPO / "ontology" / "stelsel.ttl", root / "ontology")
    (root / "shapes").mkdir()
    shutil.copy(SHAPES, root / "shapes")
    for name, text in GRAPH_DATA.items():
        (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "data" / name).write_text(text, encoding="utf-8")
    result = run("--graph", "x", "-f", "json", content=root)
    assert result.exit_code == 1
    assert [f["focus_node"] for f in findings(result)] == ["https://w3id.org/stelsel/id/aansluiting/a2"]
    unknown = run("--graph", "nope", content=root)
    assert unknown.exit_code == 2 and "no named graph" in unknown.stderr


def test_endpoint_and_sparql_mode(run, endpoint):  # noqa: F811 - the fixture
    result = run("-s", SHAPES, "--endpoint", endpoint, "-f", "json")
    assert result.exit_code == 1
    assert {f["focus_node"] for f in findings(result)} >= {P + "P2"}
    assert all(f["location"] is None for f in findings(result))
    pyshacl_style = run("-s", SHAPES, "-q", endpoint, "-f", "json")
    assert pyshacl_style.exit_code == 1 and findings(pyshacl_style) == findings(result)
    assert run("-s", SHAPES, "-q", endpoint, str(V / "valid.ttl")).exit_code == 2
    down = run("-s", SHAPES, "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2")
    assert down.exit_code == 2 and "cannot reach" in down.stderr


def test_help(run):
    result = run("--help")
    assert result.exit_code == 0 and "--fail-on" in result.stdout and "Exit codes" in result.stdout


def test_turtle_from_standard_input(run):
    result = run("-s", SHAPES, "-f", "json", "-", input=(V / "invalid.ttl").read_text(encoding="utf-8"))
    assert result.exit_code == 1
    assert sorted((f["location"]["path"], f["location"]["line"]) for f in findings(result)) == [
        ("<stdin>", 16), ("<stdin>", 21), ("<stdin>", 26)]
