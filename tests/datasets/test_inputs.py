"""Reading descriptions: offline JSON-LD, no other remote contexts, http->https schema.org, safe RDF/XML."""

from __future__ import annotations

import json
import socket

import pytest

from stelsel.datasets.inputs import BASE, UnsupportedFormat, expand, read_bytes, read_file
from stelsel.errors import InputError

from .dsutil import FIXTURES


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened: nothing may be fetched")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def iris(desc) -> set[str]:
    return {t.value for tr in desc.triples for t in (tr.subject, tr.predicate, tr.object) if hasattr(t, "value")
            and t.__class__.__name__ == "NamedNode"}


@pytest.mark.parametrize("context", ["https://schema.org/", "https://schema.org", "http://schema.org/",
                                     "http://schema.org", "https://schema.org/docs/jsonldcontext.jsonld"])
def test_the_schema_org_context_works_offline(no_network, context):
    doc = {"@context": context, "@type": "Dataset", "@id": "https://example.org/d", "name": "D",
           "license": "https://creativecommons.org/publicdomain/zero/1.0/", "dateCreated": "2024-01-02"}
    desc = read_bytes(json.dumps(doc).encode(), "jsonld")
    assert desc.datasets == ["https://example.org/d"]
    by_p = {t.predicate.value: t.object for t in desc.triples}
    # license is an @id term in the schema.org context; dates are typed schema:Date, normalised to https
    assert by_p["https://schema.org/license"].__class__.__name__ == "NamedNode"
    assert by_p["https://schema.org/dateCreated"].datatype.value == "https://schema.org/Date"
    assert not any(i.startswith("http://schema.org/") for i in iris(desc))


@pytest.mark.parametrize("doc, words", [
    ({"@context": "https://example.org/context.jsonld", "@type": "Dataset", "name": "x"}, "remote context"),
    ({"@context": ["https://schema.org/", "https://example.org/more.jsonld"], "@type": "Dataset"}, "remote context"),
    ({"@context": {"@import": "https://example.org/ctx.jsonld"}, "@type": "Dataset"}, "@import"),
    ({"@context": {"about": {"@id": "https://schema.org/about", "@context": "https://example.org/scoped"}},
      "@type": "https://schema.org/Dataset"}, "remote context"),
    ({"@context": "https://schema.org/", "@type": "Dataset",
      "distribution": {"@context": "http://example.org/nested", "contentUrl": "x"}}, "remote context"),
])
def test_any_other_remote_context_is_refused_without_fetching(no_network, doc, words):
    with pytest.raises(InputError) as err:
        read_bytes(json.dumps(doc).encode(), "application/ld+json")
    assert words in err.value.message and err.value.http_status == 400
    assert "fetch" in err.value.message


def test_http_schema_org_becomes_https_in_iris_and_datatypes():
    ttl = b"""@prefix s: <http://schema.org/> .
<https://example.org/d> a s:Dataset ; s:dateCreated "2024-01-01"^^s:Date ; s:about s:Thing ."""
    desc = read_bytes(ttl, "text/turtle")
    assert desc.datasets == ["https://example.org/d"]
    assert not any("http://schema.org/" in str(t) for t in desc.triples)
    assert any(getattr(t.object, "datatype", None) is not None and t.object.datatype.value == "https://schema.org/Date"
               for t in desc.triples)
    assert desc.changed and any("https://schema.org/" in n for n in desc.notes)


def test_relative_iris_in_json_ld_are_dropped_as_json_ld_says():
    doc = {"@context": "https://schema.org/", "@type": "Dataset", "@id": "no-http-iri", "name": "x"}
    desc = read_bytes(json.dumps(doc).encode(), "jsonld")
    assert desc.triples == [] and desc.datasets == []
    assert "relative IRI" in desc.notes[0]


def test_relative_iris_in_turtle_get_a_base_that_is_not_http():
    desc = read_bytes(b'<d> a <https://schema.org/Dataset> .', "turtle")
    assert desc.datasets == [BASE + "d"] and not desc.datasets[0].startswith("http")


def test_rdf_xml_with_a_doctype_or_entity_is_refused(no_network):
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="https://schema.org/">
  <s:Dataset rdf:about="https://example.org/d"><s:name>&e;</s:name></s:Dataset>
</rdf:RDF>"""
    with pytest.raises(InputError) as err:
        read_bytes(xxe, "application/rdf+xml")
    assert "DOCTYPE" in err.value.message and err.value.http_status == 400


def test_plain_rdf_xml_and_n_triples_are_read():
    xml = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="http://schema.org/">
  <s:Dataset rdf:about="https://example.org/d"><s:name>D</s:name></s:Dataset>
</rdf:RDF>"""
    assert read_bytes(xml, "rdfxml").datasets == ["https://example.org/d"]
    nt = b'<https://example.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n'
    assert read_bytes(nt, "application/n-triples").datasets == ["https://example.org/d"]


def test_syntax_errors_name_line_and_column():
    with pytest.raises(InputError) as err:
        read_bytes(b"<https://example.org/d> a\n  <https://schema.org/Dataset> ;\n  oops .", "turtle", label="d.ttl")
    assert err.value.message.startswith("d.ttl:3:")
    with pytest.raises(InputError) as err:
        read_bytes(b'{"@context": "https://schema.org/",\n "name": }', "jsonld", label="d.jsonld")
    assert err.value.message.startswith("d.jsonld:2:")


def test_unknown_formats_are_415():
    with pytest.raises(UnsupportedFormat) as err:
        read_bytes(b"a,b", "text/csv")
    assert err.value.http_status == 415
    with pytest.raises(UnsupportedFormat):
        read_file(FIXTURES / ".." / "conftest.py")


def test_not_utf8_is_an_input_error():
    with pytest.raises(InputError, match="UTF-8"):
        read_bytes("é".encode("latin-1") + b" .", "turtle")


def test_folders_are_searched_for_descriptions(tmp_path):
    (tmp_path / "a.jsonld").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.ttl").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.ttl").write_text("")
    assert [p.name for p in expand([tmp_path])] == ["a.jsonld", "b.ttl"]
    with pytest.raises(InputError):
        expand([tmp_path / "missing"])
