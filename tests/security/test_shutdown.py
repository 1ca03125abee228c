"""`stelsel serve` stopped by SIGTERM (systemd, containers) or SIGINT (Ctrl-C) while it is busy:
it exits, its query workers and its validation child are gone, and nothing of it stays in the
temporary folder (issue 9: a full N-Quads dump of the store was left in /tmp)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from oxigraph_server import free_port
from stelsel.config import Config
from stelsel.sources import bundled_files, parse_paths
from stelsel.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[2]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks for child processes in /proc")


def get(url: str, timeout: float = 30) -> int:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return -1


def children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:"))
        except (OSError, StopIteration):
            continue
        parents[int(status.parent.name)] = int(ppid)
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p}
        todo += list(kids - out)
        out |= kids
    return out


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shutdown") / "store"
    cfg = Config(content_root=REPO)
    store = EmbeddedStore(folder)
    store.replace_graphs(parse_paths(bundled_files(cfg), cfg))
    store.close()
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_busy_server_stops_cleanly(store_folder, tmp_path, signum):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")}
    env.update(TMPDIR=str(tmp), STELSEL_QUERY_TIMEOUT="30")
    stelsel = Path(sys.executable).parent / "stelsel"
    proc = subprocess.Popen([str(stelsel), "--content", str(REPO), "serve", "--store", str(store_folder),
                             "--port", str(port), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while get(f"{url}/-/health", timeout=2) != 200:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
            time.sleep(0.2)
        # busy: a slow query holds a worker, the validation page starts its child
        threading.Thread(target=get, args=(f"{url}/sparql?" + urllib.parse.urlencode({"query": SLOW}),),
                         daemon=True).start()
        assert get(f"{url}/validatie") in (200, 503)
        time.sleep(1.5)
        kids = children(proc.pid)
        assert len(kids) >= 2, "the query workers run beside the server"
        assert any(tmp.iterdir()), "the server keeps its snapshots in the temporary folder"
        proc.send_signal(signum)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode is not None
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in kids if alive(pid)], "children outlived the server"
    assert sorted(p.name for p in tmp.iterdir()) == [], "temporary files left behind"
