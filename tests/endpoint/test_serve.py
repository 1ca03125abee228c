"""`stelsel serve` as a real process: it loads the store once, answers, logs one JSON line per
request, reuses the store on restart, and takes its query workers with it when it stops."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from oxigraph_server import free_port

from .conftest import REPO
from .live import http


def _start(store: Path, port: int) -> subprocess.Popen:
    stelsel = Path(sys.executable).parent / "stelsel"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")}
    return subprocess.Popen([str(stelsel), "--content", str(REPO), "serve", "--store", str(store),
                             "--port", str(port), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=store.parent)


def _wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"stelsel serve exited: {proc.stderr.read().decode()}")
        try:
            if http("GET", f"{url}/-/health", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("stelsel serve did not answer within 60 s")


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out.decode(), err.decode()


def _worker_pids(parent: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(parent):
            pids.append(int(status.parent.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks for worker processes in /proc")
def test_serve_answers_logs_and_reuses_the_store(tmp_path):
    store, port = tmp_path / "store", free_port()
    url = f"http://127.0.0.1:{port}"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    proc = _start(store, port)
    try:
        _wait(url, proc)
        status, _, body = http("GET", f"{url}/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 10_000
        version = json.loads(http("GET", f"{url}/-/version")[2])["store_version"]
        workers = _worker_pids(proc.pid)
        assert workers        # the query worker runs beside the server
    finally:
        out, err = _stop(proc)
    assert "SPARQL endpoint:" in out
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    sparql = [line for line in lines if line["path"] == "/sparql"]
    assert len(sparql) == 1 and sparql[0]["status"] == 200 and len(sparql[0]["query"]) == 12
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]

    proc = _start(store, port)          # again: the store is reused as it is, not reloaded
    try:
        _wait(url, proc)
        assert json.loads(http("GET", f"{url}/-/version")[2])["store_version"] == version
    finally:
        _stop(proc)
