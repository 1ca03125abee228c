"""Embedded store or a server store: loading and querying the same data both ways (issue 11).

For docs/deployment.md ("when to move to a server store"): a synthetic stelsel of each size is
loaded into a new embedded store (pyoxigraph on disk, in-process) and into ``oxigraph serve``
through the Graph Store Protocol (what ``stelsel --store URL reload`` does), and the endpoint
benchmark's three queries are timed on each: in-process, and over HTTP as a ``--store URL``
stelsel process sends them.
"""

from __future__ import annotations

import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from .bench_endpoint import _median_ms, _oxigraph_helper, endpoint_queries
from .config import Config
from .sources import parse_paths
from .store import EmbeddedStore


def _warm_median_ms(fn, runs: int) -> float:
    fn()  # warm-up: the first run builds caches
    return _median_ms(fn, runs)


def _folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def bench_stores(config: Config, runs: int = 10, sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[tuple[str, ...]]:
    """Rows: size, store, load seconds, size on disk MB, then median ms of each query."""
    from .remote_store import RemoteStore
    from .synthetic import write

    helper = _oxigraph_helper(config)
    queries = endpoint_queries()
    rows = []
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-stores-") as tmp:
        work = Path(tmp)
        for size in sizes:
            paths = write(size, work / f"synthetic-{size}", seed=0, fmt="trig")
            parsed = parse_paths(paths, config)
            triples = sum(len(p.quads) for p in parsed)
            label = f"{triples / 1e6:.2f}M" if triples >= 1e6 else f"{triples // 1000}k"

            store = EmbeddedStore(work / f"store-{size}")
            started = time.perf_counter()
            store.replace_graphs(parsed)
            load_s = time.perf_counter() - started
            timings = [_warm_median_ms(lambda q=q: store._store.query(q, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON), runs) for _, q in queries]
            store.close()
            rows.append((label, "embedded (pyoxigraph, in-process)", f"{load_s:.1f}",
                         f"{_folder_mb(work / f'store-{size}'):.0f}", *(f"{t:.2f}" for t in timings)))

            if helper is None or not helper.find_oxigraph():
                rows.append((label, "oxigraph serve: skipped (the 'oxigraph' command is not installed)",
                             "–", "–", *("–" for _ in queries)))
                continue
            location = work / f"oxigraph-{size}"
            with helper.OxigraphServer(location=location) as oxi:
                started = time.perf_counter()
                RemoteStore(oxi.query_url, gsp_endpoint=oxi.gsp_url).replace_graphs(parsed)
                load_s = time.perf_counter() - started

                def over_http(q: str) -> None:
                    url = oxi.query_url + "?" + urllib.parse.urlencode({"query": q})
                    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                    with urllib.request.urlopen(request, timeout=120) as r:
                        r.read()

                timings = [_warm_median_ms(lambda q=q: over_http(q), runs) for _, q in queries]
                rows.append((label, "oxigraph serve (HTTP, as `--store URL`)", f"{load_s:.1f}",
                             f"{_folder_mb(location):.0f}", *(f"{t:.2f}" for t in timings)))
            del parsed
    return rows


HEADER = ("data", "store", "load s", "on disk MB", *(f"{name} ms" for name, _ in endpoint_queries()))
