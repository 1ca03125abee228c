"""Regression tests for the defects of issue 10, each on both engines (and the exact example of the
issue through the command). The wider comparison with pySHACL and pyshacl-turbo is
tests/differential/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from rdflib.namespace import SH

from conftest import REPO
from stelsel.cli import main
from stelsel.config import Config
from stelsel.findings import Severity
from stelsel.validation import _path_text, validate

EX = "http://example.org/"
HEAD = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
"""
ENGINES = ["turbo", "pyshacl"]


@pytest.fixture
def files(tmp_path: Path):
    """Write ``data.ttl`` and ``shapes.ttl`` (with the prefixes above) and return their paths."""
    def write(data: str, shapes: str) -> tuple[Path, Path]:
        (tmp_path / "data.ttl").write_text(HEAD + data, encoding="utf-8")
        (tmp_path / "shapes.ttl").write_text(HEAD + shapes, encoding="utf-8")
        return tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    return write


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    empty = tmp_path / "content"
    empty.mkdir()
    return Config(store=tmp_path / "store", content_root=empty)


def found(report) -> set[tuple]:
    return {(f.focus_node, f.path, f.value, f.constraint.rsplit("#", 1)[-1], f.severity_iri.rsplit("#", 1)[-1])
            for f in report.findings}


KLEUR = ("ex:a ex:kleur \"rood\" .\n",
         'ex:S a sh:NodeShape ; sh:targetNode ex:a ;\n'
         '  sh:property [ sh:path ex:kleur ; sh:in ( "rood" "groen" ) ; sh:hasValue "rood" ] .\n')


@pytest.mark.parametrize("engine", ENGINES)
def test_plain_string_in_and_has_value_conform(files, cfg, engine):
    """The issue's example: the default engine reported an In and a HasValue violation."""
    data, shapes = files(*KLEUR)
    report = validate([data], [shapes], config=cfg, engine=engine, coverage=False)
    assert report.findings == []


def test_the_issue_example_exits_0(files, tmp_path):
    data, shapes = files(*KLEUR)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(tmp_path / "content"),
                                       "validate", str(data), "-s", str(shapes)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ill_formed_byte_is_reported_as_written(files, cfg, engine):
    data, shapes = files('ex:a ex:b "300"^^xsd:byte , "12"^^xsd:byte .\n',
                         "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:b ; sh:datatype xsd:byte ] .\n")
    report = validate([data], [shapes], config=cfg, engine=engine, coverage=False)
    assert found(report) == {(EX + "a", EX + "b", '"300"^^<http://www.w3.org/2001/XMLSchema#byte>',
                              "DatatypeConstraintComponent", "Violation")}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("select", [
    "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value > 2) }",
    "SELECT $this ?value WHERE { OPTIONAL { $this ex:q ?q } BIND (COALESCE(?q, 0) AS ?value) FILTER (?value < 1) }",
    "SELECT $this ?value WHERE { { SELECT $this (COUNT(?x) AS ?value) WHERE { $this ex:p ?x } GROUP BY $this } "
    "FILTER (?value < 2) }",
    "SELECT $this ?value WHERE { BIND ($this AS ?value) FILTER NOT EXISTS { $this ex:q ?q } }",
], ids=["filter", "optional", "subquery", "bind"])
def test_sparql_pre_binding(files, cfg, engine, select):
    """$this is pre-bound to each focus node, wherever the query uses it: ex:b is the one node
    that fails each of these queries (ex:a has ex:p 1 and 5, ex:q 3; ex:b ex:p 2)."""
    data, shapes = files("ex:a a ex:T ; ex:p 1 , 5 ; ex:q 3 .\nex:b a ex:T ; ex:p 2 .\n"
                         if "ex:q ?q" in select or "COUNT" in select else
                         "ex:a a ex:T ; ex:p 1 .\nex:b a ex:T ; ex:p 2 , 7 .\n",
                         'ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .\n'
                         f'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:sparql [ sh:prefixes ex: ; sh:select """{select}""" ] .\n')
    report = validate([data], [shapes], config=cfg, engine=engine, coverage=False)
    assert {f.focus_node for f in report.findings} == {EX + "b"}


@pytest.mark.parametrize("engine", ENGINES)
def test_nde_packed_format_fires(cfg, engine, tmp_path):
    """shapes/nde-datasets.ttl: sh:not [ sh:in ( "application/zip" … ) ] on schema:encodingFormat."""
    data = tmp_path / "dataset.ttl"
    data.write_text(HEAD + '<https://example.org/d> schema:distribution <https://example.org/d/zip> .\n'
                           '<https://example.org/d/zip> schema:contentUrl <https://example.org/d.zip> ;\n'
                           '    schema:encodingFormat "application/zip" .\n', encoding="utf-8")
    report = validate([data], [REPO / "shapes" / "nde-datasets.ttl"], config=cfg, engine=engine, coverage=False)
    nots = [f for f in report.findings if f.constraint.endswith("NotConstraintComponent")]
    assert [(f.value, f.severity) for f in nots] == [('"application/zip"', Severity.WARNING)]


CUSTOM = ("ex:a a ex:T .\n",
          "ex:C a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:c ; sh:minCount 1 ; sh:severity ex:Blocker .\n")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_custom_severity_is_reported_as_itself_and_counts_as_a_violation(files, cfg, engine):
    data, shapes = files(*CUSTOM)
    report = validate([data], [shapes], config=cfg, engine=engine, coverage=False)
    [f] = report.findings
    assert f.severity_iri == EX + "Blocker" and f.severity is Severity.VIOLATION
    assert not report.conforms(Severity.VIOLATION)


def test_a_custom_severity_through_the_command(files, tmp_path):
    data, shapes = files(*CUSTOM)
    runner = CliRunner()
    base = ["--store", str(tmp_path / "store"), "--content", str(tmp_path / "content"), "validate", str(data),
            "-s", str(shapes)]
    text = runner.invoke(main, base + ["--allow-warnings"], catch_exceptions=False)
    assert text.exit_code == 1 and "Traceback" not in text.output
    assert "ex:Blocker" in text.output or EX + "Blocker" in text.output
    as_json = runner.invoke(main, base + ["-f", "json"], catch_exceptions=False)
    assert json.loads(as_json.stdout)["findings"][0]["severity_iri"] == EX + "Blocker"
    turtle = runner.invoke(main, base + ["-f", "turtle"], catch_exceptions=False)
    g = Graph().parse(data=turtle.stdout, format="turtle")
    assert {str(o) for o in g.objects(None, SH.resultSeverity)} == {EX + "Blocker"}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value,expected", [('"1"^^xsd:boolean', 0), ("true", 1), ('"false"^^xsd:boolean', 0)])
def test_unique_lang_only_for_the_literal_true(files, cfg, engine, value, expected):
    data, shapes = files('ex:a ex:p "a"@nl , "b"@nl .\n',
                         f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang {value} ] .\n")
    assert len(validate([data], [shapes], config=cfg, engine=engine, coverage=False).findings) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_prefixes_declared_through_owl_imports(files, cfg, engine):
    data, shapes = files("ex:a a ex:T ; ex:p 5 .\n",
                         'ex:prefixes owl:imports ex:more .\n'
                         'ex:more sh:declare [ sh:prefix "other" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .\n'
                         'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:sparql [ sh:prefixes ex:prefixes ;\n'
                         '  sh:select "SELECT $this ?value WHERE { $this other:p ?value . FILTER (?value > 2) }" ] .\n')
    report = validate([data], [shapes], config=cfg, engine=engine, coverage=False)
    assert [(f.focus_node, f.value) for f in report.findings] == [
        (EX + "a", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>')]


PATHS = {
    "predicate": "ex:p",
    "inverse": "[ sh:inversePath ex:p ]",
    "sequence": "( ex:p ex:p )",
    "alternative": "[ sh:alternativePath ( ex:p ex:q ) ]",
    "zero-or-more": "[ sh:zeroOrMorePath ex:p ]",
    "one-or-more": "[ sh:oneOrMorePath ex:p ]",
    "zero-or-one": "[ sh:zeroOrOnePath ex:p ]",
    "nested": "( [ sh:inversePath ex:p ] [ sh:zeroOrMorePath [ sh:alternativePath ( ex:p ex:q ) ] ] )",
}
# A validation report as SHACL 3.6 describes it, checked with pySHACL.
REPORT_SHAPES = HEAD + """
ex:Report a sh:NodeShape ; sh:targetClass sh:ValidationReport ;
  sh:property [ sh:path sh:conforms ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:boolean ] ,
              [ sh:path sh:result ; sh:class sh:ValidationResult ] .
ex:Result a sh:NodeShape ; sh:targetObjectsOf sh:result ;
  sh:property [ sh:path sh:focusNode ; sh:minCount 1 ; sh:maxCount 1 ] ,
              [ sh:path sh:resultSeverity ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] ,
              [ sh:path sh:sourceConstraintComponent ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] ,
              [ sh:path sh:resultPath ; sh:maxCount 1 ; sh:nodeKind sh:BlankNodeOrIRI ] ,
              [ sh:path sh:value ; sh:maxCount 1 ] , [ sh:path sh:sourceShape ; sh:maxCount 1 ] .
"""


@pytest.mark.parametrize("kind", list(PATHS))
def test_rdf_report_keeps_every_result_path(files, kind, tmp_path):
    """-f turtle: a valid SHACL validation report whose sh:resultPath is the shape's path."""
    import pyshacl
    data, shapes = files("ex:a a ex:T ; ex:p ex:b , ex:c ; ex:q ex:d .\nex:b ex:p ex:a .\n",
                         f"ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path {PATHS[kind]} ; sh:maxCount 0 ] .\n")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(tmp_path / "content"),
                                       "validate", str(data), "-s", str(shapes), "-f", "turtle"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    report = Graph().parse(data=result.stdout, format="turtle")
    shape_graph = Graph().parse(shapes)
    expected = _path_text(shape_graph, next(shape_graph.objects(None, SH.path)))
    paths = [report.value(r, SH.resultPath) for r in report.objects(None, SH.result)]
    assert paths and all(p is not None and _path_text(report, p) == expected for p in paths)
    conforms, _, text = pyshacl.validate(report, shacl_graph=Graph().parse(data=REPORT_SHAPES, format="turtle"))
    assert conforms, text
    assert (None, RDF.type, SH.ValidationReport) in report


def test_a_later_shapes_file_replaces_the_severity_of_a_bundled_shape(cfg, tmp_path):
    """shapes/coverage.ttl: a team restates sh:severity for shapes:DekkingNora in its own file,
    given after the bundled shapes; that one counts (a shape has one severity)."""
    team = tmp_path / "team.ttl"
    team.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                    "<https://w3id.org/stelsel/shapes#DekkingNora> sh:severity sh:Warning .\n", encoding="utf-8")
    bundled = Config(store=tmp_path / "store", content_root=REPO)
    shapes = sorted((REPO / "shapes").glob("*.ttl"))
    before = validate(config=bundled, shapes=shapes, coverage=False)
    after = validate(config=bundled, shapes=[*shapes, team], coverage=False)
    cover = "https://w3id.org/stelsel/shapes#DekkingNora"
    was = [f for f in before.findings if f.source_shape == cover]
    now = [f for f in after.findings if f.source_shape == cover]
    assert was and {f.severity for f in was} == {Severity.INFO}
    assert {f.fingerprint for f in now} == {f.fingerprint for f in was}
    assert {f.severity for f in now} == {Severity.WARNING}


def test_profile_prints_the_seconds_per_shape(files, tmp_path):
    data, shapes = files("ex:a a ex:T ; ex:p 5 .\n",
                         'ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .\n'
                         'ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:sparql [ sh:prefixes ex: ;\n'
                         '  sh:select "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value > 2) }" ] .\n')
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(tmp_path / "content"),
                                       "validate", str(data), "-s", str(shapes), "--profile"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[lines.index(next(l for l in lines if "step or shape" in l)) + 1:]  # rows follow the header
    assert any(l.split()[-1] == EX + "S" and float(l.split()[0]) >= 0 for l in lines)
    assert any("(SHACL Core in pyshacl-turbo)" in l for l in lines) and "total (engine turbo)" in lines[-1]
