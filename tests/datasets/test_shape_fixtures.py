"""Every shape of shapes/nde-datasets.ttl has fixtures in tests/shapes/<shape>/: valid.ttl gives no
finding at all (with every dataset shape), invalid.ttl at least one from that shape; with both
engines."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SH

from stelsel.validation import validate

from .dsutil import REPO, SHAPES

NS = "https://w3id.org/stelsel/shapes/datasets#"
FIXTURES = REPO / "tests" / "shapes"


def named_shapes() -> list[str]:
    g = Graph().parse(SHAPES)
    return sorted(str(s)[len(NS):] for s in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
                  if str(s).startswith(NS))


def test_every_shape_has_its_fixtures():
    names = named_shapes()
    assert len(names) == 20
    for name in names:
        assert (FIXTURES / name / "valid.ttl").is_file() and (FIXTURES / name / "invalid.ttl").is_file(), name


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
@pytest.mark.parametrize("name", named_shapes())
def test_fixtures(name, engine):
    pytest.importorskip("pyshacl_turbo") if engine == "turbo" else None
    valid = validate([FIXTURES / name / "valid.ttl"], [SHAPES], coverage=False, engine=engine)
    assert valid.findings == [], [f.text("en") for f in valid.findings]
    invalid = validate([FIXTURES / name / "invalid.ttl"], [SHAPES], coverage=False, engine=engine,
                       shape=[NS + name])
    assert invalid.findings, f"{name}: invalid.ttl gives no finding from the shape"
    everything = validate([FIXTURES / name / "invalid.ttl"], [SHAPES], coverage=False, engine=engine)
    assert {f.fingerprint for f in invalid.findings} <= {f.fingerprint for f in everything.findings}
