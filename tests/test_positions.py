"""stelsel.positions: where each subject is described, on fixtures meant to fool a naive reader."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from stelsel.findings import Location
from stelsel.positions import resolve_iri, scan, subject_positions

from conftest import FIXTURES, REPO

POS = FIXTURES / "validation" / "positions"
EX = "http://example.org/ns#"


def lines(positions: dict[str, Location]) -> dict[str, tuple[int, int]]:
    return {k: (v.line, v.column) for k, v in positions.items()}


def test_turtle_tricky_fixture():
    got = lines(subject_positions(POS / "tricky.ttl"))
    assert got == {
        EX + "one": (7, 1),                               # not again at line 23
        EX + "two": (10, 1),                              # strings with . # { and \"\"\" inside
        "http://example.org/empty/three": (15, 1),        # the empty prefix
        "http://example.org/dotted/a.b.c": (16, 3),       # dots inside a local name, indented
        EX + "esc.aped": (17, 1),                         # an escaped local name
        "http://example.org/base/relative": (18, 1),      # resolved against @base
        "http://example.org/base/#frag": (19, 1),
        "_:b1": (20, 1),                                  # a labelled blank node
        EX + "n": (24, 1),                                # "1." ends the statement: not a decimal
        EX + "m": (24, 14),
        EX + "typed": (25, 1),
        EX + "last": (25, 50),
    }
    # nothing inside [ … ] or ( … ), and no object, is taken for a subject
    for not_subject in ("notASubject", "anonymousSubject", "inList", "l1", "notSubject2"):
        assert EX + not_subject not in got


def test_trig_graph_names_are_not_subjects():
    got = lines(subject_positions(POS / "graphs.trig"))
    assert got == {
        EX + "inG1": (4, 3),
        EX + "alsoInG1": (5, 3),     # the last statement of a block needs no '.'
        EX + "inG2": (7, 15),        # GRAPH keyword
        EX + "inDefault": (8, 3),    # a default-graph block
        EX + "first": (9, 30),
        EX + "second": (9, 51),
    }
    assert not {EX + "g1", EX + "g2", EX + "g3"} & set(got)


def test_ntriples_and_nquads():
    assert lines(subject_positions(POS / "plain.nt")) == {EX + "s1": (1, 1), EX + "s2": (3, 1), "_:x": (4, 1)}
    assert lines(subject_positions(POS / "quads.nq")) == {EX + "s1": (1, 1), EX + "s2": (2, 1)}


def test_mentions_include_objects():
    found = scan(POS / "tricky.ttl")
    assert (found.mentions[EX + "notASubject"].line, found.mentions[EX + "notASubject"].column) == (15, 20)
    assert found.locate(EX + "one").line == 7        # a subject wins over an earlier mention
    assert found.locate(EX + "notASubject").line == 15


def test_location_label_and_text_given(tmp_path: Path):
    text = "@prefix ex: <http://example.org/ns#> .\n\n\n  ex:a ex:b 'c' .\n"
    found = scan(tmp_path / "virtual.ttl", text, label="shown.ttl")
    assert found.subjects[EX + "a"] == Location("shown.ttl", 4, 3)


def test_base_defaults_to_the_file_uri(tmp_path: Path):
    path = tmp_path / "rel.ttl"
    path.write_text("<a> <b> <c> .\n<#f> <b> <c> .\n", encoding="utf-8")
    got = subject_positions(path)
    quads = list(ox.parse(path=str(path), base_iri=path.resolve().as_uri()))
    assert {q.subject.value for q in quads} == set(got)


def test_sparql_style_directives_and_unicode_columns(tmp_path: Path):
    path = tmp_path / "u.ttl"
    path.write_text('PREFIX ex: <http://example.org/ns#>\nBASE <http://example.org/b/>\n'
                    'ex:é ex:p "ü" . ex:ß ex:p <x> .\n', encoding="utf-8")
    assert lines(subject_positions(path)) == {EX + "é": (3, 1), EX + "ß": (3, 17)}


@pytest.mark.parametrize("path", sorted((REPO / "data").rglob("*.ttl")) + [REPO / "ontology" / "stelsel.ttl"]
                         + sorted(POS.glob("*")), ids=lambda p: p.name)
def test_every_subject_pyoxigraph_sees_is_found(path: Path):
    """The tokenizer agrees with a real parser on every bundled file and every fixture."""
    subjects = {q.subject.value for q in ox.parse(path=str(path), base_iri=path.resolve().as_uri())
                if isinstance(q.subject, ox.NamedNode)}
    got = {k for k in subject_positions(path) if not k.startswith("_:")}
    assert got == subjects


def test_bundled_positions_point_at_the_subject():
    path = REPO / "data" / "dera.ttl"
    text = path.read_text(encoding="utf-8").splitlines()
    for iri, loc in subject_positions(path).items():
        line = text[loc.line - 1][loc.column - 1:]
        local = iri.rsplit("/", 1)[-1]
        assert local in line.split()[0] or iri in line, (iri, loc, line)


def test_json_ld_and_rdf_xml_are_best_effort():
    ttl = FIXTURES / "validation"
    p1 = "https://w3id.org/stelsel/id/voorbeeld/P1"
    assert scan(ttl / "invalid.jsonld", terms=[p1]).locate(p1) == Location(str(ttl / "invalid.jsonld"), 13, 7)
    assert scan(ttl / "invalid.rdf", terms=[p1]).locate(p1) == Location(str(ttl / "invalid.rdf"), 7, 21)
    assert scan(ttl / "invalid.rdf", terms=["http://nowhere.example/x"]).locate("http://nowhere.example/x") is None


@pytest.mark.parametrize("base,ref,expected", [
    ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
    ("http://a/b/c/d;p?q", "./g", "http://a/b/c/g"),
    ("http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"),
    ("http://a/b/c/d;p?q", "/g", "http://a/g"),
    ("http://a/b/c/d;p?q", "//g", "http://g"),
    ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
    ("http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"),
    ("http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"),
    ("http://a/b/c/d;p?q", "../..", "http://a/"),
    ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
    ("http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"),
    ("urn:x:y", "#f", "urn:x:y#f"),
    ("tag:example.org,2024:base/", "x", "tag:example.org,2024:base/x"),
])
def test_rfc3986_resolution(base, ref, expected):
    assert resolve_iri(base, ref) == expected
