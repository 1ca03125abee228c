"""A flood of slow queries against a real `stelsel serve` process: /-/health still answers, a
cheap query is answered or refused (503 + Retry-After) at once, and the slow queries beyond the
workers and their short queue are refused at once instead of tying up every request thread.
(No timings asserted beyond a generous "did not hang": the slow queries run for 20 s.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from stelsel.bench_flood import flood, request, serving
from stelsel.config import Config
from stelsel.sources import bundled_files, parse_paths
from stelsel.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
HANG = 10.0       # seconds: far below the 20 s the slow queries hold their workers


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flood") / "store"
    cfg = Config(content_root=REPO)
    store = EmbeddedStore(folder)
    store.replace_graphs(parse_paths(bundled_files(cfg), cfg))
    store.close()
    with serving(folder, REPO, workers=2, query_timeout=20) as base:
        yield base


def test_health_and_cheap_queries_do_not_wait_behind_a_flood(url):
    result = flood(url, slow=16, probes=5, cached="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")
    assert [status for status, _, _ in result["health"]] == [200] * 5
    assert [status for status, _, _ in result["cached"]] == [200] * 5       # a cached answer needs no worker
    assert all(seconds < HANG for _, _, seconds in result["cached"])
    assert all(seconds < HANG for _, _, seconds in result["health"])
    for status, headers, seconds in result["cheap"]:
        assert status in (200, 503) and seconds < HANG
        if status == 503:
            assert headers.get("Retry-After")
    # 2 workers + a queue of 4: at least the other 10 are refused at once, saying when to come back;
    # the ones that ran were stopped at the time limit (503 without Retry-After)
    at_once = [seconds for status, headers, seconds in result["slow"]
               if status == 503 and headers.get("Retry-After") and seconds < HANG]
    assert len(at_once) >= 10
    assert len(result["slow"]) == 16 and all(status == 503 for status, _, _ in result["slow"])
    assert request(f"{url}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")[0] == 200     # and afterwards


def test_many_idle_connections_do_not_lock_others_out(url):
    """More half-sent requests than waitress's old default limit (100) hold connections open."""
    import socket
    from urllib.parse import urlparse

    where = urlparse(url)
    held = []
    try:
        for _ in range(150):
            s = socket.create_connection((where.hostname, where.port), timeout=5)
            s.sendall(b"GET /-/health HTTP/1.1\r\nHost: x\r\n")     # never finished
            held.append(s)
        status, _, seconds = request(f"{url}/-/health", timeout=HANG)
        assert status == 200 and seconds < HANG
    finally:
        for s in held:
            s.close()


# -- dataset validation: its own bounded pool of processes, no global lock ---------------------------
KB = (REPO / "tests" / "datasets" / "fixtures" / "kb-dataset.jsonld").read_bytes()


def test_dataset_validation_runs_in_a_bounded_pool_with_a_time_limit():
    import threading

    from stelsel.datasets.pool import ValidationBusy, ValidationPool
    from stelsel.errors import InputError

    pool = ValidationPool(workers=1, timeout=60)
    try:
        assert pool.validate(KB, "jsonld", "kb").state == "valid"
        with pytest.raises(InputError, match="not valid Turtle"):      # the child's error, as raised there
            pool.validate(b"<a> a a a .", "turtle", "broken")
        answers: list = []

        def one():
            try:
                answers.append(pool.validate(KB * 1, "jsonld", "kb").state)
            except ValidationBusy as exc:
                answers.append(exc.headers["Retry-After"])
        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert answers.count("valid") >= 2 and len(answers) == 6
        assert all(a == "valid" or a.isdigit() for a in answers)     # the others: 503 at once, Retry-After
        pool.timeout = 0.001
        with pytest.raises(ValidationBusy, match="stopped after"):
            pool.validate(KB, "jsonld", "kb")
        pool.timeout = 60
        assert pool.validate(KB, "jsonld", "kb").state == "valid"      # a fresh process took over
    finally:
        pool.close()


def test_the_validate_endpoint_uses_the_pool(tmp_path):
    from stelsel.server import create_app
    from stelsel.server.serving import close_app
    app = create_app(Config(store=tmp_path / "store", content_root=tmp_path, query_workers=1,
                            validate_workers=1, validate_timeout=60), store=EmbeddedStore(None))
    try:
        r = app.test_client().post("/datasets/validate", data=KB, content_type="application/ld+json")
        assert r.status_code == 200 and r.get_json()["valid"] is True
        assert app.extensions["stelsel.datasets.pool"]._pool is not None
        r = app.test_client().post("/datasets/validate", data=b"<a> a a a .", content_type="text/turtle")
        assert r.status_code == 400 and "not valid Turtle" in r.get_json()["message"]
    finally:
        close_app(app)
