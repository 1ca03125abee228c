"""Validating descriptions: verdicts, batching that changes nothing, errors that stop nothing,
and user shapes with constructs an engine cannot load."""

from __future__ import annotations

import re
import shutil
import textwrap

import pytest

from stelsel.bench_datasets import generate_descriptions
from stelsel.datasets.inputs import read_bytes
from stelsel.datasets.validate import NO_DATASET_SHAPE, DatasetValidator

from .dsutil import FIXTURES


@pytest.fixture(scope="module")
def validator():
    with DatasetValidator() as v:
        yield v


def test_a_complete_description_is_valid(validator):
    o = validator.validate_paths([FIXTURES / "kb-dataset.jsonld"])[0]
    assert o.state == "valid", [f.text("en") for f in o.report.failing()]
    assert o.datasets == ["https://data.example.org/id/dataset/prenten"]


def test_a_violation_makes_it_invalid_and_says_what_to_fix_in_both_languages(validator):
    o = validator.validate_paths([FIXTURES / "invalid.jsonld"])[0]
    assert o.state == "invalid"
    licence = [f for f in o.report.findings if f.path == "https://schema.org/license" and f.severity.value == "Violation"]
    assert licence and "licence" in licence[0].text("en") and "licentie" in licence[0].text("nl")
    assert licence[0].location.path.endswith("invalid.jsonld") and licence[0].location.line == 4


def test_warnings_and_infos_do_not_make_it_invalid(validator):
    o = validator.validate_paths([FIXTURES / "warnings-only.ttl"])[0]
    assert o.state == "valid"
    assert o.counts["Violation"] == 0 and o.counts["Warning"] > 0 and o.counts["Info"] > 0
    # http://schema.org/ was read as https://schema.org/, so the shapes saw the dataset
    assert o.datasets == ["https://data.example.org/id/dataset/kaal"]


def test_a_description_without_a_dataset(validator):
    o = validator.validate([read_bytes(b'{"@context": "https://schema.org/", "@type": "Organization", '
                                       b'"@id": "https://example.org/o", "name": "O"}', "jsonld")])[0]
    assert o.state == "no-dataset" and o.report.findings[0].source_shape == NO_DATASET_SHAPE
    assert not o.report.conforms()


def test_a_broken_file_is_an_error_and_the_others_are_still_validated(validator, tmp_path):
    (tmp_path / "broken.ttl").write_text("<https://example.org/d> a .\n")
    shutil.copy(FIXTURES / "kb-dataset.jsonld", tmp_path / "ok.jsonld")
    outcomes = validator.validate_paths([tmp_path])
    assert [(o.label.rsplit("/", 1)[-1], o.state) for o in outcomes] == [("broken.ttl", "error"), ("ok.jsonld", "valid")]
    assert "broken.ttl:1:" in outcomes[0].error.message


def key(f):
    """A finding without the labels of blank nodes (they are numbered per engine run)."""
    blank = lambda x: "_:" if x and x.startswith("_:") else x
    return (f.severity.value, f.source_shape if not f.source_shape.startswith("_:") else f.constraint,
            f.path, blank(f.value), blank(f.focus_node), f.text("en") if not (f.value or "").startswith("_:") else "")


def test_batches_give_exactly_what_one_run_per_file_gives(tmp_path):
    """Generated descriptions share publishers, licences and subjects: batching must keep them apart."""
    files = generate_descriptions(tmp_path, 48, seed=11)
    with DatasetValidator(batch_size=1) as one:
        single = one.validate_paths(files)
    with DatasetValidator(batch_size=20) as many:
        batched = many.validate_paths(files)
    assert [o.state for o in single] == [o.state for o in batched]
    assert {"valid", "invalid"} <= {o.state for o in single}
    for a, b in zip(single, batched):
        assert sorted(map(key, a.report.findings)) == sorted(map(key, b.report.findings)), a.label


def test_progress_is_reported_for_every_description(tmp_path):
    files = generate_descriptions(tmp_path, 10)
    seen = []
    with DatasetValidator(batch_size=4) as v:
        v.validate_paths(files, progress=seen.append)
    assert sum(seen) == 10


QUIRKY = textwrap.dedent("""\
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix schema: <https://schema.org/> .
    @prefix ex: <https://example.org/shapes#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

    ex:DistShape a sh:NodeShape ;
        sh:targetObjectsOf schema:distribution ;
        sh:property [ sh:or ( [ sh:path schema:encodingFormat ; sh:minCount 1 ]
                              [ sh:path schema:usageInfo ; sh:minCount 1 ] ) ;
                      sh:message "format or protocol" ] ,
                    [ sh:path schema:contentUrl ; ex:probe true ; sh:severity sh:Warning ] ,
                    [ sh:datatype xsd:string ] .

    ex:ProbeComponent a sh:ConstraintComponent ;
        sh:parameter [ sh:path ex:probe ; sh:datatype xsd:boolean ] .
    """)


def test_quirky_user_shapes_give_warnings_naming_the_shape_and_never_crash(tmp_path):
    shapes = tmp_path / "quirky.ttl"
    shapes.write_text(QUIRKY)
    doc = read_bytes(b"""@prefix schema: <https://schema.org/> .
<https://example.org/d> a schema:Dataset ; schema:distribution <https://example.org/dist> .
<https://example.org/dist> schema:contentUrl <https://example.org/file> .""", "turtle")
    with DatasetValidator([shapes]) as v:
        warnings = v.shapes.warnings
        o = v.validate([doc])[0]
    text = "\n".join(warnings)
    assert re.search(r"property shape without sh:path of ex:DistShape.*holds sh:or.*node shape", text)
    assert "the constraint ex:probe on the property shape for schema:contentUrl of ex:DistShape cannot be checked" in text
    assert "property shape without sh:path of ex:DistShape: a property shape without sh:path cannot be checked" in text
    # the or-rule is checked (the distribution has neither), the others are reported as not checked
    assert o.state == "invalid"
    assert any(f.text("en") == "format or protocol" for f in o.report.findings)
    not_checked = [f for f in o.report.findings if f.text("en").startswith("Not checked")]
    assert len(not_checked) == 2 and {f.severity.value for f in not_checked} == {"Info"}
