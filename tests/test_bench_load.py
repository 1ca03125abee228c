"""The load table of `make bench` (stelsel.bench_load) on a small synthetic stelsel: every
stelsel load ends with the same number of triples as pyoxigraph's bulk_load of the same files.
Speed is never asserted here."""

from __future__ import annotations

from stelsel.bench_load import measure, write_inputs


def test_each_load_case_loads_what_bulk_load_loads(tmp_path):
    files, body = write_inputs(3000, tmp_path)
    assert files and body.stat().st_size > 0
    reference = measure("bulk_load", tmp_path, runs=1)
    assert reference["triples"] > 2500 and reference["seconds"] > 0 and reference["peak_mb"] > 0
    assert measure("load", tmp_path, runs=1)["triples"] == reference["triples"]
    assert measure("load", tmp_path, fresh=False, runs=1)["triples"] == reference["triples"]
    measure("fill", tmp_path, runs=1)
    assert measure("reload", tmp_path, fresh=False, runs=1)["triples"] == reference["triples"]
    assert measure("bulk_load-body", tmp_path, runs=1)["triples"] == measure("put", tmp_path, runs=1)["triples"]
