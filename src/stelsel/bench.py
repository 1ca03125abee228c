"""``make bench``: measure the bundled stelsel and write the figures as Markdown tables.

Speed is measured here, never asserted in tests. Each figure is the median of several runs on a
fresh store in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
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


# -- the endpoint (issue 4): overhead against pyoxigraph, load against oxigraph serve --------------
def bench_endpoint(config: Config, runs: int, quick: bool = False) -> list[str]:
    """The endpoint sections as Markdown (the measuring is in :mod:`stelsel.bench_endpoint`)."""
    from .bench_endpoint import bench_endpoint as measure

    timing_runs = max(20, runs)
    load_average = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""
    requests, concurrency = 2000, 8
    overhead, load, note = measure(config, runs=timing_runs, quick=quick, requests=requests,
                                   concurrency=concurrency)
    return [
        "## SPARQL endpoint: overhead against pyoxigraph",
        "The same three queries (an IRI lookup, a label search with `FILTER(CONTAINS(LCASE(?l), \"open\"))`, "
        "an aggregate `COUNT(*) … GROUP BY ?c`), each the median of "
        f"{timing_runs} runs from one client on a keep-alive connection: raw on pyoxigraph (query and "
        "SPARQL JSON, in-process, on disk), through `stelsel serve` (waitress, query workers, a fresh "
        "query text each time so the answer cache does not answer), the same through the answer cache, "
        "and through `oxigraph serve` on the same data. " + note,
        _table(("data", "query", "rows", "pyoxigraph ms", "stelsel serve ms", "overhead ms",
                "stelsel serve, cached ms", "oxigraph serve ms"), overhead),
        "## SPARQL endpoint: load",
        f"{requests:,} GET requests per row, {concurrency} at a time, round robin over the three queries, "
        "from a Python load generator (threads, keep-alive `http.client`, 127.0.0.1 only, stops by "
        "itself) in the same run, after 50 unmeasured warm-up requests. \"No answer cache\": every "
        "query text is unique (a trailing comment), so each request runs the query; \"answer cache\": "
        "the three texts repeat. The load generator shares the machine's cores with the server"
        + (f"; load average when this section started: {load_average}." if load_average else "."),
        _table(("data", "server", "requests", "errors", "requests/s", "p50 ms", "p99 ms"), load),
    ]


def _stelsel_against_pyshacl(config: Config, quick: bool) -> list[str]:
    """The issue 10 table (see :mod:`stelsel.bench_validation`)."""
    from .bench_validation import PYSHACL_BUDGET, bench_validation as against
    return ["### stelsel against plain pySHACL (same files, fresh process each)",
            f"pySHACL (Python API, advanced=True) is stopped after {PYSHACL_BUDGET:.0f} s. Results compared as "
            "(focus node, component, path, value, severity).",
            _table(("data", "triples", "engine", "seconds", "peak MB", "results", "same results"),
                   against(config, quick=quick))]


def _table(header: tuple[str, ...], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


SECTIONS = ("load", "bulkload", "queries", "validation", "endpoint", "pages", "datasets", "stores", "flood", "writes",
            "suggest")


def _split_sections(text: str) -> tuple[str, dict[str, str]]:
    """The preamble before the first ``## `` heading, and each ``## `` section by its heading."""
    chunks = re.split(r"(?m)^(?=## )", text)
    preamble, sections = chunks[0], {}
    for chunk in chunks[1:]:
        sections[chunk.splitlines()[0]] = chunk.rstrip("\n") + "\n"
    return preamble, sections


def merge_sections(old: str, new: str) -> str:
    """``old`` with each section of ``new`` put in place of the one of the same heading (or added).

    ``--only`` runs a few sections; the others keep the figures of their last run, so one section
    can be measured again without measuring everything.
    """
    _, old_sections = _split_sections(old)
    preamble, new_sections = _split_sections(new)
    merged = dict(old_sections)
    merged.update(new_sections)
    return preamble.rstrip("\n") + "\n\n" + "\n".join(merged.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stelsel.bench", description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="skip the 100k-triple synthetic stelsel in the validation and endpoint benchmarks")
    parser.add_argument("--only", default=",".join(SECTIONS), metavar="SECTIONS",
                        help="comma-separated sections to run: " + ", ".join(SECTIONS) + " (default: all)")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}; known: {', '.join(SECTIONS)}")
    config = Config()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    parts = [
        "# Benchmarks",
        f"Written by `make bench` on {when} ({machine}); medians of {args.runs} runs."
        + ("" if only == set(SECTIONS) else f" Last run: {', '.join(s for s in SECTIONS if s in only)};"
               " the other sections keep the figures of their own last run."),
    ]
    if "load" in only:
        parts += ["## Loading the bundled stelsel", _table(("measure", "value"), bench_load(config, args.runs))]
    if "bulkload" in only:
        from .bench_load import HEADING, INTRO, bench_load
        parts += [HEADING, INTRO, _table(("load", "seconds", "peak MB", "x bulk_load s", "x bulk_load MB"),
                                         bench_load(100_000 if args.quick else 1_000_000))]
    if "queries" in only:
        parts += ["## Canned queries on the embedded store (pyoxigraph)",
                  _table(("query", "rows", "median ms"), bench_queries(config, args.runs))]
    if "validation" in only:
        parts += [
            "## Validation (`stelsel.validation.validate`, bundled shapes)",
            "Wall time of one call: reading the files, validating, locating every finding in its file. "
            "Synthetic stelsels come from `stelsel.synthetic` (seed 0)."
            + (" `--quick`: without the 1M stelsel." if args.quick else ""),
            *_stelsel_against_pyshacl(config, args.quick),
        ]
    if "endpoint" in only:
        parts += bench_endpoint(config, args.runs, quick=args.quick)
    if "pages" in only:
        from .bench_pages import bench_pages
        parts += [
            "## Pages: server time per page kind",
            "From the `Server-Timing` header (`app;dur`), through the Flask test client: the first "
            "request after loading (cold: it builds the per-version caches) and the median of the "
            f"next {max(args.runs, 20)} (warm). Target: every page under 200 ms at 100k triples."
            + (" `--quick`: without the 100k stelsel." if args.quick else ""),
            _table(("data", "page", "cold ms", "warm median ms"),
                   bench_pages(config, max(args.runs, 20), quick=args.quick)),
        ]
    if "datasets" in only:
        from .bench_datasets import bench_datasets
        rows = bench_datasets(1000 if args.quick else 5000)
        parts += [
            "## NDE dataset descriptions: validation throughput",
            "Generated Schema.org and DCAT descriptions (about 4 in 5 valid), validated in batches of 250 "
            "with stelsel's dataset shapes." + (" `--quick`: 1,000 descriptions." if args.quick else ""),
            _table(("engine", "descriptions", "valid", "invalid", "seconds", "per second"),
                   [(r["engine"], f"{r['descriptions']:,}", str(r["valid"]), str(r["invalid"]),
                     f"{r['seconds']:.1f}", f"{r['per_second']:.1f}") for r in rows]),
        ]
    if "stores" in only:  # docs/deployment.md: embedded store or server store (stelsel.bench_stores)
        from .bench_stores import HEADER, bench_stores
        parts += ["## Embedded store or server store", "Synthetic stelsels loaded into a new embedded store and "
                  "into `oxigraph serve` (Graph Store Protocol); the endpoint queries' median ms in-process and over "
                  "HTTP." + (" `--quick`: 100k only." if args.quick else ""),
                  _table(HEADER, bench_stores(config, sizes=(100_000,) if args.quick else (100_000, 1_000_000)))]
    if "flood" in only:
        from .bench_flood import DESCRIPTION, bench_flood
        parts += ["## Flood: health and cheap queries under 16 concurrent slow queries", DESCRIPTION,
                  _table(("requests", "n", "p50 ms", "p99 ms", "statuses"), bench_flood(config))]
    if "writes" in only:
        from .bench_writes import DESCRIPTION as WRITES, bench_writes
        parts += ["## Writes authorised by effect: cost of one small update", WRITES.format(runs=args.runs),
                  _table(("store", "triples", "first update s", "next updates, median s", "direct store.update"),
                         bench_writes(config, args.runs, quick=args.quick))]
    if "suggest" in only:
        from .bench_suggest import bench_suggest
        parts += bench_suggest(config, args.runs)
    text = "\n\n".join(parts) + "\n"
    if only != set(SECTIONS) and args.output.exists():
        text = merge_sections(args.output.read_text(encoding="utf-8"), text)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.output)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
