"""The bundled stelsel is validated on the fast path.

SPARQL rules run on a pyoxigraph store only when the store holds every literal as written
(:func:`stelsel.validation.sparql_rules.lossless`); otherwise the whole validation goes to
pyshacl-turbo as text, which is correct but about twice as slow. One literal is enough to tip it:
GEMMA's confidences written by rdflib as ``1e+00`` (the store keeps ``"1"``) did, so every bundled
file is checked here, and the literal that would tip it is named.
"""

from __future__ import annotations

import pyoxigraph as ox

from stelsel.config import Config
from stelsel.sources import bundled_files, parse_paths
from stelsel.validation import sparql_rules


def test_every_literal_of_the_bundled_stelsel_is_stored_as_written():
    config = Config()
    quads = [q for parsed in parse_paths(bundled_files(config), config) for q in parsed.quads]
    assert len(quads) > 10_000
    store = sparql_rules.data_store(quads)
    if not sparql_rules.lossless(quads, store):
        stored = {q.object for q in store if isinstance(q.object, ox.Literal)}
        changed = sorted({str(q.object) for q in quads if isinstance(q.object, ox.Literal)
                          and not q.object.language and q.object not in stored})
        raise AssertionError(f"the store would rewrite these literals, so validation leaves its fast path: "
                             f"{changed[:5]} (write them as pyoxigraph does)")


def test_a_literal_the_store_rewrites_is_noticed():
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    double = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    as_rdflib_writes = [ox.Quad(s, p, ox.Literal("1e+00", datatype=double))]
    assert not sparql_rules.lossless(as_rdflib_writes, sparql_rules.data_store(as_rdflib_writes))
    as_stored = [ox.Quad(s, p, ox.Literal("1", datatype=double))]
    assert sparql_rules.lossless(as_stored, sparql_rules.data_store(as_stored))
