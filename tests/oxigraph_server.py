"""Start and stop a real ``oxigraph serve`` process on a free loopback port (tests and bench).

The ``oxigraph`` command comes from the pip package of the same name (a test dependency). When
it is missing, :func:`require_oxigraph` fails the test run under CI (``CI=true``) and skips it
locally, always with a sentence that says how to get it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

READY_TIMEOUT_S = 20.0


def find_oxigraph() -> str | None:
    """The ``oxigraph`` binary: next to this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def require_oxigraph() -> str:
    """The binary, or a pytest failure (CI) / skip (locally) with a clear message."""
    binary = find_oxigraph()
    if binary is None:
        import pytest

        message = ("the 'oxigraph' command (pip package 'oxigraph') is not installed, so the remote-store "
                   "tests cannot start 'oxigraph serve'; install it with: .venv/bin/pip install -e '.[test]'")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


def die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the process that started it dies, so a
    killed test run or benchmark leaves no server behind. Elsewhere a no-op."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve --union-default-graph`` on 127.0.0.1 with its own data folder.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Endpoints follow
    oxigraph's layout: ``/query``, ``/update`` and ``/store`` (Graph Store Protocol).
    """

    def __init__(self, binary: str | None = None, location: Path | None = None, port: int | None = None,
                 union_default_graph: bool = True, timeout_s: int | None = None):
        self.binary = binary or find_oxigraph()
        if self.binary is None:
            raise RuntimeError("the 'oxigraph' command is not installed (pip install oxigraph)")
        self._own_dir: tempfile.TemporaryDirectory | None = None
        if location is None:
            self._own_dir = tempfile.TemporaryDirectory(prefix="stelsel-oxigraph-")
            location = Path(self._own_dir.name) / "data"
        self.location = location
        self.port = port or free_port()
        self.union_default_graph = union_default_graph
        self.timeout_s = timeout_s
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def gsp_url(self) -> str:
        return self.base_url + "/store"

    def start(self) -> "OxigraphServer":
        self.location.mkdir(parents=True, exist_ok=True)
        cmd = [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        if self.timeout_s:
            cmd += ["--timeout-s", str(self.timeout_s)]
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=die_with_parent if sys.platform == "linux" else None)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        probe = self.query_url + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with code {self.process.returncode}: {self.output()}")
            try:
                with urllib.request.urlopen(probe, timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.base_url} within {READY_TIMEOUT_S:.0f} s")

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-2000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_dir is not None:
            self._own_dir.cleanup()
            self._own_dir = None

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
