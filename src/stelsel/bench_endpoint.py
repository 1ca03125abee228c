"""The endpoint section of ``make bench``: what HTTP costs, and how much load it takes.

Two measurements on the same data in the same run (the bundled stelsel, and a synthetic one of
about 100k triples when :mod:`stelsel.synthetic` is there):

1. **Overhead.** Three queries (an IRI lookup, a label search, an aggregate), each timed raw on
   pyoxigraph (query + SPARQL JSON), through ``stelsel serve`` over HTTP, and through
   ``oxigraph serve`` over HTTP; one client, keep-alive, medians.
2. **Load.** Requests per second and p50/p99 latency of ``stelsel serve`` (waitress, a
   subprocess) against ``oxigraph serve``, from :func:`load_generate`: Python threads with
   keep-alive ``http.client`` connections, a fixed number of requests, a fixed concurrency,
   127.0.0.1 only, a time limit, stopping by itself.

Both servers are started here as subprocesses on free loopback ports and stopped at the end.
"""

from __future__ import annotations

import http.client
import importlib.util
import itertools
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .config import Config
from .sources import ParsedFile, bundled_files, parse_paths
from .store import EmbeddedStore

LOOPBACK = "127.0.0.1"
SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
LOOKUP_IRI = "https://w3id.org/stelsel/id/nora"  # in the bundled and in the synthetic stelsel
ACCEPT_JSON = {"Accept": "application/sparql-results+json"}


def endpoint_queries(iri: str = LOOKUP_IRI) -> list[tuple[str, str]]:
    return [
        ("IRI lookup", f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"),
        ("label search", f'SELECT ?s ?l WHERE {{ ?s <{SKOS_LABEL}> ?l FILTER(CONTAINS(LCASE(?l), "open")) }}'),
        ("aggregate", "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"),
    ]


# -- the load generator ------------------------------------------------------------------------------
@dataclass
class LoadResult:
    requests: int          # answered (any status)
    errors: int            # not 200, or no answer
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def load_generate(port: int, paths: list[str] | Callable[[int], str], *, requests: int = 2000, concurrency: int = 8,
                  max_seconds: float = 60.0, headers: dict[str, str] | None = None,
                  host: str = LOOPBACK) -> LoadResult:
    """Send ``requests`` GETs (round robin over ``paths``, or ``paths(i)`` for the i-th) from
    ``concurrency`` threads, each with one keep-alive connection, to ``host:port`` (loopback
    only); stop early at ``max_seconds``."""
    if host != LOOPBACK:
        raise ValueError("the load generator only talks to 127.0.0.1")
    headers = dict(headers or {})
    path_for = paths if callable(paths) else (lambda i: paths[i % len(paths)])
    counter = itertools.count()
    deadline = time.monotonic() + max_seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=max(5.0, max_seconds))
        mine, bad = [], 0
        while True:
            i = next(counter)
            if i >= requests or time.monotonic() > deadline:
                break
            path = path_for(i)
            for attempt in (1, 2):  # a server may close a keep-alive connection: reconnect once
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    mine.append((time.perf_counter() - started) * 1000)
                    bad += response.status != 200
                    if response.will_close:
                        conn.close()
                    break
                except (http.client.HTTPException, OSError):
                    conn.close()
                    if attempt == 2:
                        bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, name=f"load-{n}", daemon=True) for n in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + 30)
    return LoadResult(len(latencies), errors[0], time.perf_counter() - started, latencies)


# -- servers -----------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class StelselServer:
    """``stelsel --store PATH serve --port N`` as a subprocess, until :meth:`stop`."""

    def __init__(self, store: Path, content_root: Path, workdir: Path, helper=None):
        self.port = _free_port()
        self.log = open(workdir / f"stelsel-serve-{self.port}.log", "w+b")
        cmd = [sys.executable, "-m", "stelsel.cli", "--store", str(store), "--content", str(content_root),
               "serve", "--host", LOOPBACK, "--port", str(self.port)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")}
        self.process = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL,
                                        preexec_fn=helper.die_with_parent if helper and sys.platform == "linux"
                                        else None)
        self._wait_ready(120.0)

    def _wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"stelsel serve exited ({self.process.returncode}): {self.output()}")
            try:
                if _get(self.port, "/-/health", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"stelsel serve did not answer within {seconds:g} s")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-1500:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


def _oxigraph_helper(config: Config):
    """tests/oxigraph_server.py of this checkout (the same helper the test fixtures use)."""
    path = config.content_root / "tests" / "oxigraph_server.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("_stelsel_oxigraph_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- measuring -----------------------------------------------------------------------------------------
def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _keepalive_timer(port: int, path: str | Callable[[], str], runs: int) -> tuple[float, int]:
    """Median ms of ``runs`` GETs on one keep-alive connection, and the last status."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    status = [0]

    def once():
        conn.request("GET", path() if callable(path) else path, headers=ACCEPT_JSON)
        r = conn.getresponse()
        r.read()
        status[0] = r.status
        if r.will_close:
            conn.close()

    try:
        once()  # warm up (connection, caches, the executor's workers)
        return _median_ms(once, runs), status[0]
    finally:
        conn.close()


def _path(endpoint: str, query: str, tag: object = None) -> str:
    """A GET path; a ``tag`` becomes a trailing comment, which makes the text (and so the answer
    cache key) unique without changing the query."""
    text = query if tag is None else f"{query}\n# {tag}"
    return endpoint + "?" + urllib.parse.urlencode({"query": text})


def _dataset(label: str, parsed: list[ParsedFile], config: Config, workdir: Path, runs: int,
             requests: int, concurrency: int, max_seconds: float, helper) -> tuple[list, list]:
    """Both measurements on one dataset."""
    triples = sum(len(p.quads) for p in parsed)
    name = f"{label} ({triples // 1000}k triples)" if triples >= 10_000 else f"{label} ({triples:,} triples)"
    queries = endpoint_queries()
    store_path = workdir / f"store-{label.replace(' ', '-')}"
    store = EmbeddedStore(store_path)
    store.replace_graphs(parsed)
    raw: dict[str, tuple[int, float]] = {}
    for qname, q in queries:
        rows = len(list(store._store.query(q, use_default_graph_as_union=True)))
        ms = _median_ms(lambda: store._store.query(q, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON), runs)
        raw[qname] = (rows, ms)
    store.close()  # the lock goes: stelsel serve opens the same folder

    oxi = None
    if helper is not None and helper.find_oxigraph():
        oxi = helper.OxigraphServer(location=workdir / f"oxigraph-{label.replace(' ', '-')}").start()
        from .remote_store import RemoteStore
        RemoteStore(oxi.query_url, gsp_endpoint=oxi.gsp_url).replace_graphs(parsed)
    stelsel = StelselServer(store_path, config.content_root, workdir, helper)
    overhead, load = [], []
    try:
        stelsel_paths = [_path("/sparql", q) for _, q in queries]
        oxi_paths = [_path("/query", q) for _, q in queries]
        unique = itertools.count()
        for (qname, q), sp, op in zip(queries, stelsel_paths, oxi_paths):
            rows, raw_ms = raw[qname]
            fresh_ms, status = _keepalive_timer(stelsel.port, lambda: _path("/sparql", q, next(unique)), runs)
            cached_ms = _keepalive_timer(stelsel.port, sp, runs)[0]
            oxi_ms = _keepalive_timer(oxi.port, op, runs)[0] if oxi else None
            overhead.append((name, qname, str(rows), f"{raw_ms:.2f}",
                             f"{fresh_ms:.2f}" if status == 200 else f"HTTP {status}",
                             f"{fresh_ms - raw_ms:+.2f}", f"{cached_ms:.2f}",
                             f"{oxi_ms:.2f}" if oxi_ms is not None else "–"))
        n = len(queries)
        targets = [("stelsel serve, no answer cache", stelsel.port,
                    lambda i: _path("/sparql", queries[i % n][1], f"load-{i}")),
                   ("stelsel serve, answer cache", stelsel.port, stelsel_paths)]
        if oxi:
            targets.append(("oxigraph serve", oxi.port, oxi_paths))
        for server, port, paths in targets:
            load_generate(port, paths, requests=min(50, requests), concurrency=concurrency,
                          max_seconds=10, headers=ACCEPT_JSON)  # warm-up, not counted
            r = load_generate(port, paths, requests=requests, concurrency=concurrency,
                              max_seconds=max_seconds, headers=ACCEPT_JSON)
            note = "" if r.requests + r.errors >= requests else f" (stopped at {max_seconds:g} s)"
            load.append((name, server, f"{r.requests:,}{note}", str(r.errors), f"{r.rps:,.0f}",
                         f"{r.percentile(50):.1f}", f"{r.percentile(99):.1f}"))
    finally:
        stelsel.stop()
        if oxi:
            oxi.stop()
    if oxi is None:
        load.append((name, "oxigraph serve: skipped, the 'oxigraph' command is not installed", "–", "–", "–",
                     "–", "–"))
    return overhead, load


def bench_endpoint(config: Config, runs: int = 20, quick: bool = False, requests: int = 2000,
                   concurrency: int = 8, max_seconds: float = 45.0,
                   synthetic_size: int = 100_000) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], str]:
    """(overhead rows, load rows, a note) for the bundled stelsel and a synthetic one."""
    helper = _oxigraph_helper(config)
    overhead, load, notes = [], [], []
    with tempfile.TemporaryDirectory(prefix="stelsel-bench-endpoint-") as tmp:
        workdir = Path(tmp)
        cases: list[tuple[str, list[ParsedFile]]] = [
            ("bundled", parse_paths(bundled_files(config), config))]
        if quick:
            notes.append("`--quick`: without the synthetic stelsel.")
        else:
            try:
                from .synthetic import write
            except ImportError:
                notes.append("The synthetic stelsel row is missing: `stelsel.synthetic.generate` is not there.")
            else:
                paths = write(synthetic_size, workdir / "synthetic", seed=0, fmt="trig")
                cases.append(("synthetic", parse_paths(paths, config)))
        for label, parsed in cases:
            o, lo = _dataset(label, parsed, config, workdir, runs, requests, concurrency, max_seconds, helper)
            overhead += o
            load += lo
    return overhead, load, " ".join(notes)
