"""The dataset benchmark: rows per engine, generated descriptions valid and invalid."""

from __future__ import annotations

from stelsel.bench_datasets import bench_datasets, generate_descriptions


def test_five_thousand_descriptions_are_generated_with_variations(tmp_path):
    files = generate_descriptions(tmp_path, 5000)
    assert len(files) == 5000 and len({f.suffix for f in files}) == 2
    texts = [files[i].read_text() for i in range(0, 5000, 50)]
    assert len(set(texts)) == len(texts)


def test_bench_rows(tmp_path):
    rows = bench_datasets(n=40, engines=("pyshacl",), per_file_sample=5, folder=tmp_path)
    assert [r["mode"] for r in rows] == ["batched", "one run per file"]
    batched = rows[0]
    assert batched["descriptions"] == 40 and batched["valid"] > 0 and batched["invalid"] > 0
    assert batched["error"] == 0 and batched["per_second"] > 0
