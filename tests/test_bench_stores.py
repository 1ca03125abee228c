"""The embedded-or-server-store benchmark (stelsel.bench_stores) measures both stores on the same data."""

from __future__ import annotations

from pathlib import Path

from oxigraph_server import require_oxigraph
from stelsel.bench_stores import HEADER, bench_stores
from stelsel.config import Config

REPO = Path(__file__).resolve().parents[1]


def test_both_stores_are_loaded_and_queried(tmp_path):
    require_oxigraph()
    rows = bench_stores(Config(content_root=REPO, store=tmp_path / "unused"), runs=2, sizes=(3_000,))
    assert [r[1].split(" ")[0] for r in rows] == ["embedded", "oxigraph"]
    for row in rows:
        assert len(row) == len(HEADER)
        assert row[0].endswith("k") and float(row[2]) > 0 and float(row[3]) > 0
        assert all(float(ms) > 0 for ms in row[4:])
