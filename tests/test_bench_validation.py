"""The validation section of `make bench` (stelsel.bench_validation) on a small content folder:
stelsel and plain pySHACL on the same files, in fresh processes, with the same results."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, REPO
from stelsel.bench_validation import bench_validation
from stelsel.config import Config


def test_stelsel_and_pyshacl_side_by_side(tmp_path: Path):
    for folder in ("data", "shapes", "ontology"):
        (tmp_path / folder).mkdir()
    shutil.copy(FIXTURES / "validation" / "invalid.ttl", tmp_path / "data" / "invalid.ttl")
    shutil.copy(FIXTURES / "validation" / "shapes.ttl", tmp_path / "shapes" / "shapes.ttl")
    shutil.copy(REPO / "ontology" / "stelsel.ttl", tmp_path / "ontology" / "stelsel.ttl")
    rows = bench_validation(Config(content_root=tmp_path), sizes=(), pyshacl_budget=120)
    by_engine = {r[2]: r for r in rows}
    assert set(by_engine) == {"stelsel", "pySHACL", "speed-up"}
    for engine in ("stelsel", "pySHACL"):
        data, triples, _, seconds, peak, results, same = by_engine[engine]
        assert data == "bundled stelsel" and int(triples.replace(",", "")) > 0
        assert float(seconds) > 0 and float(peak) > 0 and int(results) > 0
        assert same == "yes"
    assert by_engine["speed-up"][3].endswith("x")


def test_pyshacl_over_its_budget_is_reported_as_stopped(tmp_path: Path):
    for folder in ("data", "shapes", "ontology"):
        (tmp_path / folder).mkdir()
    shutil.copy(FIXTURES / "validation" / "invalid.ttl", tmp_path / "data" / "invalid.ttl")
    shutil.copy(FIXTURES / "validation" / "shapes.ttl", tmp_path / "shapes" / "shapes.ttl")
    rows = bench_validation(Config(content_root=tmp_path), sizes=(), pyshacl_budget=0.01)
    [pyshacl] = [r for r in rows if r[2] == "pySHACL"]
    assert pyshacl[3] == "stopped after 0 s" and pyshacl[6] == "–"
