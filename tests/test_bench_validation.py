"""The validation section of `make bench` (stelsel.bench.bench_validation) on small data: both
engines run and agree. Speed is never asserted; the 100k stelsel is for `make bench` only."""

from __future__ import annotations

from pathlib import Path

import pytest

from stelsel.bench import bench_validation
from stelsel.config import Config

SHAPES = Path(__file__).parent / "fixtures" / "validation" / "shapes.ttl"


def test_both_engines_report_the_same_findings():
    pytest.importorskip("pyshacl")
    pytest.importorskip("pyshacl_turbo")
    rows = bench_validation(Config(), runs=1, sizes=(2_000,), shapes=[str(SHAPES)])
    assert [(r[0], r[2]) for r in rows] == [("bundled stelsel", "pyshacl"), ("bundled stelsel", "turbo"),
                                           ("synthetic 2k", "pyshacl"), ("synthetic 2k", "turbo")]
    for row in rows:
        assert not row[4].startswith("error"), row
        assert int(row[3]) > 0 and float(row[5].split()[0]) > 0
    assert rows[0][3] == rows[1][3] and rows[2][3] == rows[3][3]
    assert [r[6] for r in rows] == ["–", "yes", "–", "yes"]
    assert rows[2][1] == "2,000"


def test_quick_skips_the_largest_size():
    rows = bench_validation(Config(), runs=1, quick=True, sizes=(2_000, 100_000), engines=("turbo",),
                            shapes=[str(SHAPES)])
    assert [r[0] for r in rows] == ["bundled stelsel", "synthetic 2k"]


def test_a_size_over_budget_is_skipped():
    rows = bench_validation(Config(), runs=1, sizes=(2_000, 100_000), engines=("turbo",),
                            shapes=[str(SHAPES)], budget=0.001, limit=120)
    assert [r[0] for r in rows] == ["bundled stelsel", "synthetic 2k", "synthetic 100k"]
    assert rows[2][4].startswith("skipped: 2,000 triples took")


def test_a_run_over_the_limit_is_stopped():
    rows = bench_validation(Config(), runs=1, sizes=(2_000,), engines=("pyshacl",),
                            shapes=[str(SHAPES)], limit=0.01)
    assert rows[0][4].startswith("stopped after") and rows[0][5] == "–"
    # a size after a stopped run is not tried with that engine
    assert rows[1][4].startswith("skipped")
