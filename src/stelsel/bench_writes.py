"""What authorising an update by its effect costs: one small update through the endpoint
(trial on a worker's copy, digests, commit of the difference) against running the same text
on the store directly (no check at all), at the bundled size and at 1M triples.

The first update after a store change also pays for the snapshot the workers load; later ones
pay a worker's reload of the snapshot (the copy it tried the previous update on is dirty), the
digests before and after, and the diff of the changed graph.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

DESCRIPTION = ("One `INSERT DATA` of a triple into a granted graph of 1,000 triples, through the app "
               "(Flask test client, 2 query workers): the first update after loading, then the median of "
               "the next {runs}; against `store.update` of the same text on the store directly (no check). "
               "The 1M store: 10 graphs of 100k triples.")


def _synthetic(store, triples: int) -> None:
    graphs = 10
    store._store.bulk_extend(
        ox.Quad(ox.NamedNode(f"https://example.org/s{i % 50_000}"), ox.NamedNode(f"https://example.org/p{i % 7}"),
                ox.Literal(f"value {i}"), ox.NamedNode(f"https://example.org/graph/big-{i % graphs}"))
        for i in range(triples))
    store._bump_version()


def _one(size: str, triples: int | None, config, runs: int) -> tuple[str, ...]:
    from .config import Config
    from .server import create_app
    from .server.auth import hash_token
    from .server.serving import close_app
    from .sources import bundled_files, parse_paths
    from .store import EmbeddedStore

    granted = "https://example.org/graph/a-1"
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-writes-") as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        if triples is None:
            store.replace_graphs(parse_paths(bundled_files(config), config))
        else:
            _synthetic(store, triples)
        store._store.extend(ox.Quad(ox.NamedNode(f"https://example.org/x{i}"), ox.NamedNode("https://example.org/p"),
                                    ox.Literal(str(i)), ox.NamedNode(granted)) for i in range(1000))
        store._bump_version()
        total = sum(g.triples for g in store.graphs())
        app = create_app(Config(store=store.path, content_root=Path(tmp), query_workers=2, query_timeout=600,
                                max_query_timeout=600,
                                tokens={"a": {"hash": hash_token("stl_bench"), "graphs": [granted]}}), store=store)
        client = app.test_client()

        def update(i: int) -> float:
            text = f'INSERT DATA {{ GRAPH <{granted}> {{ <https://example.org/n{i}> <https://example.org/p> "{i}" }} }}'
            started = time.perf_counter()
            r = client.post("/sparql", data=text, content_type="application/sparql-update",
                            headers={"Authorization": "Bearer stl_bench"})
            assert r.status_code == 200, r.get_json()
            return time.perf_counter() - started

        try:
            first = update(0)
            later = [update(i) for i in range(1, runs + 1)]
            direct = []
            for i in range(runs):
                started = time.perf_counter()
                store.update(f'INSERT DATA {{ GRAPH <{granted}> {{ <https://example.org/d{i}> <https://example.org/p> 1 }} }}')
                direct.append(time.perf_counter() - started)
        finally:
            close_app(app)
            store.close()
    return (size, f"{total:,}", f"{first:.2f}", f"{statistics.median(later):.2f}",
            f"{statistics.median(direct) * 1000:.1f} ms")


def bench_writes(config, runs: int = 3, quick: bool = False) -> list[tuple[str, ...]]:
    rows = [_one("bundled", None, config, runs)]
    if not quick:
        rows.append(_one("1M synthetic", 1_000_000, config, runs))
    return rows
