"""``make bench``: measure the bundled stelsel and write the figures as Markdown tables.

Speed is measured here, never asserted in tests. Each figure is the median of several runs on a
fresh store in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .config import Config
from .queries import load_catalogue
from .sources import bundled_files, parse_paths
from .store import EmbeddedStore


def _median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_load(config: Config, runs: int) -> list[tuple[str, str]]:
    files = bundled_files(config)
    parse_s = _median_seconds(lambda: parse_paths(files, config), runs)
    parsed = parse_paths(files, config)
    triples = sum(len(p.quads) for p in parsed)

    def fresh_load():
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "store")
            store.replace_graphs(parse_paths(files, config))
            store.close()

    load_s = _median_seconds(fresh_load, runs)
    return [("files", str(len(files))), ("triples", f"{triples:,}"),
            ("parse all files (s)", f"{parse_s:.3f}"),
            ("parse + load into a new on-disk store (s)", f"{load_s:.3f}"),
            ("triples per second (parse + load)", f"{triples / load_s:,.0f}")]


def bench_queries(config: Config, runs: int) -> list[tuple[str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        store.replace_graphs(parse_paths(bundled_files(config), config))
        for q in load_catalogue(config.queries_dir).values():
            bindings = q.bindings({})
            count = len(list(store.query(q.text, substitutions=bindings)))
            ms = _median_seconds(lambda: list(store.query(q.text, substitutions=bindings)), runs) * 1000
            rows.append((q.name, str(count), f"{ms:.2f}"))
        store.close()
    return rows


def _table(header: tuple[str, ...], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stelsel.bench", description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    config = Config()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = "\n\n".join([
        "# Benchmarks",
        f"Written by `make bench` on {when} ({machine}); medians of {args.runs} runs.",
        "## Loading the bundled stelsel", _table(("measure", "value"), bench_load(config, args.runs)),
        "## Canned queries on the embedded store (pyoxigraph)",
        _table(("query", "rows", "median ms"), bench_queries(config, args.runs)),
    ]) + "\n"
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.output)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
