"""A flood of slow queries against a real ``stelsel serve``: do health checks and cheap queries
still get an answer at once?

16 clients send a query that runs until the time limit, all at once; meanwhile ``/-/health`` and
cheap queries are sent one after another and timed. With ``query_workers`` workers and a queue of
``query_queue``, the rest of the slow queries get 503 with ``Retry-After`` at once, and the request
threads left over answer health checks and cheap queries (answered, or 503 at once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DESCRIPTION = ("A real `stelsel serve` (bundled stelsel, 2 query workers, a queue of 4, time limit 20 s) over "
               "loopback: 16 clients send a query that runs until the time limit, all at once; meanwhile 40 "
               "health checks, 40 cheap queries (each a new text: no cached answers) and 40 repeats of a query answered "
               "before the flood (from the answer cache) go one after another. "
               "Latency is client-side, per request.")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } # slow %d"
CHEAP = "ASK { ?s a ?c } # cheap %d"


def request(url: str, timeout: float = 60) -> tuple[int, dict, float]:
    """(status, headers, seconds) of one GET; -1 when the connection failed."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status, dict(r.headers), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, dict(exc.headers), time.perf_counter() - started
    except OSError:
        return -1, {}, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(store: Path, content: Path, workers: int = 2, query_timeout: float = 20, env: dict | None = None):
    """A real ``stelsel serve`` on a free loopback port; its base URL. Stopped with SIGTERM."""
    port = free_port()
    stelsel = Path(sys.executable).parent / "stelsel"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")}
    environ.update(STELSEL_QUERY_TIMEOUT=str(query_timeout), **(env or {}))
    proc = subprocess.Popen([str(stelsel), "--content", str(content), "serve", "--store", str(store),
                             "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while request(f"{url}/-/health", timeout=2)[0] != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("stelsel serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def flood(url: str, slow: int = 16, probes: int = 20, cached: str | None = None) -> dict:
    """Send ``slow`` slow queries at once; meanwhile ``probes`` health checks and cheap queries
    (and the query ``cached``, answered once before the flood, so from the answer cache).

    Returns the answers: ``slow``, ``health``, ``cheap`` and ``cached`` as lists of (status,
    headers, seconds)."""
    again = f"{url}/sparql?" + urllib.parse.urlencode({"query": cached or ""})
    if cached:
        request(again)
    slow_answers: list = []
    threads = [threading.Thread(target=lambda i=i: slow_answers.append(
        request(f"{url}/sparql?" + urllib.parse.urlencode({"query": SLOW % i}))), daemon=True) for i in range(slow)]
    for t in threads:
        t.start()
    time.sleep(1.0)                      # every slow query has arrived: the workers are busy
    health, cheap, from_cache = [], [], []
    for i in range(probes):
        health.append(request(f"{url}/-/health", timeout=30))
        cheap.append(request(f"{url}/sparql?" + urllib.parse.urlencode({"query": CHEAP % i}), timeout=30))
        if cached:
            from_cache.append(request(again, timeout=30))
    for t in threads:
        t.join(timeout=120)
    return {"slow": slow_answers, "health": health, "cheap": cheap, "cached": from_cache}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _statuses(answers) -> str:
    counts: dict[int, int] = {}
    for status, _, _ in answers:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n}× {s}" for s, n in sorted(counts.items()))


def bench_flood(config, probes: int = 40) -> list[tuple[str, ...]]:
    """Rows: what, requests, p50 ms, p99 ms, statuses (the bundled stelsel, 2 workers)."""
    from .sources import bundled_files, parse_paths
    from .store import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="stelsel-bench-flood-") as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        store.replace_graphs(parse_paths(bundled_files(config), config))
        store.close()
        with serving(Path(tmp) / "store", config.content_root) as url:
            quiet = [request(f"{url}/-/health") for _ in range(probes)]
            result = flood(url, slow=16, probes=probes, cached="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")
    rows = []
    for what, answers in (("/-/health, no load", quiet), ("/-/health, 16 slow queries running", result["health"]),
                          ("cheap query, 16 slow queries running", result["cheap"]),
                          ("a cached answer, 16 slow queries running", result["cached"]),
                          ("the 16 slow queries", result["slow"])):
        ms = [s * 1000 for _, _, s in answers]
        rows.append((what, str(len(answers)), f"{statistics.median(ms):.1f}", f"{_percentile(ms, 0.99):.1f}",
                     _statuses(answers)))
    return rows
