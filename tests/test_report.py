"""The report formatters (stelsel.report) on hand-built reports: every format read back with its
own parser, SARIF checked against the official 2.1.0 schema, GitHub escaping, languages, counts.
No SHACL engine is needed."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from stelsel.errors import StelselError
from stelsel.findings import Coverage, Finding, Location, Report, Severity
from stelsel.report import (FORMATS, github_escape_data, github_escape_property, render,
                            rule_id, text_line)
from stelsel.vocab import SH, STELSEL

# a plain Namespace: pytest pokes at module attributes, which rdflib's closed XSD answers with warnings
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
SHAPES = "https://w3id.org/stelsel/shapes#"
ID = "https://w3id.org/stelsel/id/"
ROSA = ID + "rosa/2024"
DERA = ID + "dera"


def finding(severity=Severity.VIOLATION, focus=ID + "rosa/2024/p1", shape=SHAPES + "PrincipeNaamShape",
            constraint=str(SH.MinCountConstraintComponent), path=str(SKOS.prefLabel), value=None,
            architecture=ROSA, location=Location("data/rosa-2024.ttl", 12, 1), message=None, rule=None):
    return Finding(
        severity=severity, focus_node=focus, source_shape=shape, constraint=constraint,
        message=message if message is not None else {"nl": "Principe heeft geen naam", "en": "Principle has no name"},
        rule=rule if rule is not None else {"nl": "Elk principe heeft een naam", "en": "Every principle has a name"},
        path=path, value=value, graph="https://w3id.org/stelsel/graph/rosa-2024",
        architecture=architecture, location=location)


@pytest.fixture
def report() -> Report:
    findings = [
        finding(),
        finding(severity=Severity.WARNING, focus=DERA + "/P3", shape=SHAPES + "AansluitingShape",
                constraint=str(SH.ClassConstraintComponent), path=str(STELSEL.naarElement),
                value=ID + "nora/NAP99", architecture=DERA,
                location=Location("data/alignments/dera.ttl", 40, 5),
                message={"nl": "Doel bestaat niet: 50%, of: vervallen\nzie toelichting",
                         "en": "Target does not exist: 50%, or: withdrawn\nsee explanation"},
                rule={"nl": "Een aansluiting wijst naar een bestaand element",
                      "en": "An alignment points at an existing element"}),
        finding(severity=Severity.INFO, focus="_:b7", shape="_:n42",
                constraint=str(SH.DatatypeConstraintComponent), path=str(STELSEL.toelichting),
                value='"kort"@nl', architecture=None, location=None,
                message={"": "Toelichting is kort"}, rule={}),
    ]
    return Report(
        findings=findings, engine="pyshacl", seconds=1.5,
        data=["data/rosa-2024.ttl", "data/alignments/dera.ttl"], shapes=["shapes/stelsel.ttl"],
        coverage=[Coverage(ROSA, "ROSA 2024", 12, 17, (ID + "nora/NAP03", ID + "nora/NAP09")),
                  Coverage(DERA, "DERA 4.0", 17, 17)],
        baselined=[finding(focus=ID + "rosa/2024/p2")])


@pytest.fixture
def empty() -> Report:
    return Report(findings=[], engine="turbo", seconds=0.25, data=["data/nora.ttl"])


# -- dispatch ---------------------------------------------------------------------------------------

def test_every_format_renders_both_reports(report, empty):
    assert set(FORMATS) == {"text", "json", "turtle", "jsonld", "csv", "sarif", "junit", "github"}
    for fmt in FORMATS:
        for r in (report, empty):
            for lang in ("nl", "en"):
                assert isinstance(render(r, fmt, lang=lang), str)


def test_unknown_format_is_a_usage_error(report):
    with pytest.raises(StelselError) as err:
        render(report, "yaml")
    assert err.value.exit_code == 2 and "sarif" in err.value.hint


# -- text -------------------------------------------------------------------------------------------

def test_text_lines_are_grep_friendly(report):
    out = render(report, "text", lang="en")
    lines = out.splitlines()
    assert lines[0] == ("data/rosa-2024.ttl:12:1: violation: Principle has no name [PrincipeNaamShape] "
                        f"focus=<{ID}rosa/2024/p1> path=<{SKOS.prefLabel}>")
    assert lines[1].startswith("data/alignments/dera.ttl:40:5: warning: Target does not exist: 50%, "
                               "or: withdrawn see explanation [AansluitingShape]")
    assert lines[1].endswith(f"value=<{ID}nora/NAP99>")
    # no location: the line starts at the severity; a blank-node shape is named by its constraint
    assert lines[2] == (f'info: Toelichting is kort [Datatype-toelichting] focus=_:b7 '
                        f'path=<{STELSEL.toelichting}> value="kort"@nl')


def test_text_summary_counts_coverage_and_language(report):
    en = render(report, "text", lang="en")
    assert "3 findings: 1 violation, 1 warning, 1 info" in en
    assert "  ROSA 2024: 1 violation, 0 warnings, 0 info" in en
    assert "  (no architecture): 0 violations, 0 warnings, 1 info" in en
    assert "  ROSA 2024: 12/17 (70.6%); missing: NAP03, NAP09" in en
    assert "  DERA 4.0: 17/17 (100.0%)" in en
    assert "baselined (not counted): 1" in en
    assert "does not conform (threshold violation); engine pyshacl, 1.50 s" in en
    nl = render(report, "text", lang="nl")
    assert "3 bevindingen: 1 overtreding, 1 waarschuwing, 1 info" in nl
    assert "Principe heeft geen naam [PrincipeNaamShape]" in nl
    assert "dekking NORA-architectuurprincipes:" in nl and "ontbreekt: NAP03, NAP09" in nl
    assert "uit de baseline (niet meegeteld): 1" in nl
    assert "voldoet niet" in nl and "Principle has no name" not in nl


def test_text_of_a_conforming_run(empty):
    out = render(empty, "text", lang="en")
    assert out.splitlines()[0] == "0 findings: 0 violations, 0 warnings, 0 info"
    assert "conforms (threshold violation); engine turbo, 0.25 s" in out


def test_threshold_changes_the_verdict(report):
    only_warnings = Report(findings=[f for f in report.findings if f.severity != Severity.VIOLATION],
                           engine="pyshacl", seconds=0.1)
    assert "\nconforms (threshold violation)" in render(only_warnings, "text", lang="en")
    assert "does not conform (threshold warning)" in render(only_warnings, "text", lang="en",
                                                            fail_on=Severity.WARNING)


def test_message_falls_back_to_english_then_any():
    f = finding(message={"en": "only English"})
    assert "only English" in text_line(f, "nl")


# -- json -------------------------------------------------------------------------------------------

def test_json_is_stable_and_complete(report):
    doc = json.loads(render(report, "json", lang="en"))
    assert doc["schema_version"] == 1
    assert doc["tool"]["name"] == "stelsel"
    assert doc["conforms"] is False and doc["exit_code"] == 1 and doc["fail_on"] == "Violation"
    assert doc["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    assert doc["counts_by_architecture"][ROSA] == {"Violation": 1, "Warning": 0, "Info": 0}
    assert doc["counts_by_architecture"][""]["Info"] == 1
    assert doc["baselined"] == 1
    assert doc["engine"] == "pyshacl" and doc["seconds"] == 1.5
    assert doc["data"] == report.data and doc["shapes"] == report.shapes
    assert doc["coverage"][0] == {"architecture": ROSA, "label": "ROSA 2024", "covered": 12,
                                  "total": 17, "percent": 70.6,
                                  "missing": [ID + "nora/NAP03", ID + "nora/NAP09"]}
    first = doc["findings"][0]
    assert first["fingerprint"] == report.findings[0].fingerprint
    assert first["message"] == "Principle has no name"
    assert first["messages"] == {"en": "Principle has no name", "nl": "Principe heeft geen naam"}
    assert first["location"] == {"path": "data/rosa-2024.ttl", "line": 12, "column": 1}
    expected_keys = {"severity", "message", "messages", "rule", "rule_id", "focus_node", "path",
                     "value", "source_shape", "constraint", "graph", "architecture", "location",
                     "fingerprint"}
    assert all(set(f) == expected_keys for f in doc["findings"])
    assert doc["findings"][2]["location"] is None
    assert render(report, "json") == render(report, "json")


# -- turtle / json-ld -------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt,rdf_format", [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_shacl_report_graph_parses_back(report, fmt, rdf_format):
    g = Graph().parse(data=render(report, fmt), format=rdf_format)
    (root,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(root, SH.conforms) == Literal(False)
    results = list(g.objects(root, SH.result))
    assert len(results) == 3
    by_focus = {g.value(r, SH.focusNode): r for r in results}
    r1 = by_focus[URIRef(ID + "rosa/2024/p1")]
    assert g.value(r1, SH.resultSeverity) == SH.Violation
    assert g.value(r1, SH.resultPath) == SKOS.prefLabel
    assert g.value(r1, SH.sourceShape) == URIRef(SHAPES + "PrincipeNaamShape")
    assert g.value(r1, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    assert set(g.objects(r1, SH.resultMessage)) == {Literal("Principe heeft geen naam", lang="nl"),
                                                     Literal("Principle has no name", lang="en")}
    assert g.value(r1, STELSEL.bestand) == Literal("data/rosa-2024.ttl")
    assert g.value(r1, STELSEL.regel) == Literal(12, datatype=XSD.positiveInteger)
    assert g.value(r1, STELSEL.kolom) == Literal(1, datatype=XSD.positiveInteger)
    r2 = by_focus[URIRef(DERA + "/P3")]
    assert g.value(r2, SH.value) == URIRef(ID + "nora/NAP99")
    assert g.value(r2, SH.resultSeverity) == SH.Warning
    (r3,) = [r for r in results if isinstance(g.value(r, SH.focusNode), BNode)]
    assert g.value(r3, SH.value) == Literal("kort", lang="nl")
    assert g.value(r3, SH.resultMessage) == Literal("Toelichting is kort")
    assert isinstance(g.value(r3, SH.sourceShape), BNode)
    assert g.value(r3, STELSEL.bestand) is None


def test_shacl_report_of_a_conforming_run(empty):
    g = Graph().parse(data=render(empty, "turtle"), format="turtle")
    (root,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(root, SH.conforms) == Literal(True)
    assert g.value(root, SH.result) is None


def test_a_path_expression_is_a_shacl_path_node():
    """Issue 10: the RDF report dropped sh:resultPath for paths that are not a plain IRI."""
    r = Report(findings=[finding(path=f"^<{SKOS.broader}>")], engine="pyshacl", seconds=0)
    g = Graph().parse(data=render(r, "turtle"), format="turtle")
    assert g.value(next(g.objects(None, SH.resultPath)), SH.inversePath) == SKOS.broader


def test_a_path_the_report_cannot_read_is_left_out_not_a_crash():
    r = Report(findings=[finding(path="^" + str(SKOS.broader))], engine="pyshacl", seconds=0)
    g = Graph().parse(data=render(r, "turtle"), format="turtle")
    assert g.value(None, SH.resultPath) is None


def test_location_properties_are_in_the_ontology_and_the_contract():
    repo = Path(__file__).resolve().parents[1]
    onto = Graph().parse(repo / "ontology" / "stelsel.ttl", format="turtle")
    doc = (repo / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    from rdflib.namespace import OWL, RDFS
    for prop in (STELSEL.bestand, STELSEL.regel, STELSEL.kolom):
        assert (prop, RDF.type, OWL.DatatypeProperty) in onto, prop
        assert {l.language for l in onto.objects(prop, RDFS.label)} == {"nl", "en"}
        assert f"`stelsel:{prop[len(str(STELSEL)):]}`" in doc


# -- csv --------------------------------------------------------------------------------------------

def test_csv_has_a_header_and_a_row_per_finding(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv", lang="nl"))))
    assert len(rows) == 3
    assert list(rows[0]) == ["severity", "file", "line", "column", "focus_node", "path", "value",
                             "source_shape", "constraint", "architecture", "graph", "message",
                             "fingerprint"]
    assert rows[0]["severity"] == "Violation" and rows[0]["line"] == "12"
    assert rows[0]["message"] == "Principe heeft geen naam"
    assert rows[1]["message"] == "Doel bestaat niet: 50%, of: vervallen\nzie toelichting"
    assert rows[2]["value"] == '"kort"@nl' and rows[2]["file"] == ""
    assert [r["fingerprint"] for r in rows] == [f.fingerprint for f in report.findings]


# -- sarif ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]' (jsonschema)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_sarif_validates_against_the_official_schema(report, empty, sarif_validator):
    for r in (report, empty):
        doc = json.loads(render(r, "sarif"))
        errors = sorted(sarif_validator.iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_catches_a_broken_log(sarif_validator):
    assert list(sarif_validator.iter_errors({"version": "2.1.0", "runs": [{"results": []}]}))


def test_sarif_content(report):
    doc = json.loads(render(report, "sarif", lang="en"))
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "stelsel" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {"PrincipeNaamShape", "AansluitingShape", "Datatype-toelichting"}
    assert rules["PrincipeNaamShape"]["shortDescription"]["text"] == "Every principle has a name"
    assert rules["PrincipeNaamShape"]["helpUri"] == SHAPES + "PrincipeNaamShape"
    assert "helpUri" not in rules["Datatype-toelichting"]
    levels = [r["level"] for r in run["results"]]
    assert levels == ["error", "warning", "note"]
    first = run["results"][0]
    assert first["ruleId"] == "PrincipeNaamShape"
    assert driver["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    assert first["message"]["text"] == "Principle has no name"
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "data/rosa-2024.ttl", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 12, "startColumn": 1}
    assert first["partialFingerprints"] == {"stelsel/v1": report.findings[0].fingerprint}
    assert "physicalLocation" not in run["results"][2]["locations"][0]
    assert run["properties"]["baselined"] == 1


def test_sarif_rule_ids_stay_unique_when_local_names_clash():
    a = finding(shape="https://example.org/a#NaamShape")
    b = finding(shape="https://example.org/b#NaamShape", focus=ID + "rosa/2024/p9")
    doc = json.loads(render(Report([a, b], "pyshacl", 0), "sarif"))
    ids = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    assert sorted(ids) == ["https://example.org/a#NaamShape", "https://example.org/b#NaamShape"]


def test_rule_id():
    assert rule_id(finding()) == "PrincipeNaamShape"
    assert rule_id(finding(shape="_:x", path=None)) == "MinCount"


# -- junit ------------------------------------------------------------------------------------------

def test_junit_parses_and_marks_failures_by_threshold(report):
    root = ET.fromstring(render(report, "junit", lang="en"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "1", "2")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"PrincipeNaamShape", "AansluitingShape", "Datatype-toelichting"}
    case = suites["PrincipeNaamShape"].find("testcase")
    assert case.get("file") == "data/rosa-2024.ttl" and case.get("line") == "12"
    failure = case.find("failure")
    assert failure.get("message") == "Principle has no name" and failure.get("type") == "Violation"
    warn = suites["AansluitingShape"].find("testcase")
    assert warn.find("failure") is None and warn.find("skipped") is not None
    assert "Target does not exist" in warn.find("system-out").text
    # with the threshold at warning, the warning fails too
    root = ET.fromstring(render(report, "junit", fail_on=Severity.WARNING))
    assert root.get("failures") == "2"
    assert root.find("testsuite[@name='AansluitingShape']/testcase/failure") is not None


def test_junit_of_a_conforming_run_has_one_passing_case(empty):
    root = ET.fromstring(render(empty, "junit"))
    cases = root.findall(".//testcase")
    assert len(cases) == 1 and not list(cases[0])
    assert root.get("failures") == "0"


# -- github -----------------------------------------------------------------------------------------

def test_github_escaping():
    assert github_escape_data("50%\r\nnext: a,b") == "50%25%0D%0Anext: a,b"
    assert github_escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_github_workflow_commands(report):
    lines = render(report, "github", lang="nl").splitlines()
    assert len(lines) == 3
    assert lines[0] == ("::error file=data/rosa-2024.ttl,line=12,col=1,title=PrincipeNaamShape::"
                        f"Principe heeft geen naam (focus <{ID}rosa/2024/p1>)")
    assert lines[1].startswith("::warning file=data/alignments/dera.ttl,line=40,col=5,"
                               "title=AansluitingShape::Doel bestaat niet: 50%25, of: vervallen%0Azie")
    assert lines[2].startswith("::notice title=Datatype-toelichting::Toelichting is kort")
    for line in lines:
        assert "\n" not in line and "\r" not in line


def test_github_escapes_properties_of_odd_paths():
    f = finding(location=Location("data/a,b:c%.ttl", 3, None), shape=SHAPES + "X")
    (line,) = render(Report([f], "pyshacl", 0), "github").splitlines()
    assert line.startswith("::error file=data/a%2Cb%3Ac%25.ttl,line=3,title=X::")
