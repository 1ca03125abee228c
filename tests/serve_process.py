"""Run a real ``stelsel serve`` process (any stelsel command line) and wait until it answers.

Used by the tests that treat stelsel as a user would: the installed wheel (tests/install), the
README flow (tests/test_readme_examples.py) and the service set-ups in server/ (tests/server).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from oxigraph_server import die_with_parent, free_port

READY_TIMEOUT_S = 120.0   # a first start loads the bundled content into a new store


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this test run's virtualenv or stelsel settings leaking in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STELSEL_") and k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def get(url: str, accept: str = "text/html", timeout: float = 30.0) -> tuple[int, str, dict]:
    """GET a URL: status, body as text, headers (errors are answers too)."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


def sparql_json(base: str, query: str) -> dict:
    status, body, _ = get(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
                          accept="application/sparql-results+json")
    assert status == 200, body
    return json.loads(body)


class ServeProcess:
    """``COMMAND… serve --port P`` in ``cwd``; :attr:`base_url` once ``/-/health`` answers."""

    def __init__(self, command: list[str], cwd: Path, port: int | None = None, env: dict | None = None,
                 serve_args: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.cmd = [*command, "serve", "--port", str(self.port), *serve_args]
        self.cwd = cwd
        self.env = env if env is not None else clean_env()
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServeProcess":
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=die_with_parent if sys.platform == "linux" else None)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{' '.join(self.cmd)} exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base_url + "/-/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{' '.join(self.cmd)} did not answer within {READY_TIMEOUT_S:.0f} s")

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> "ServeProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._log is not None:
            self._log.close()
            self._log = None
