"""Serve a Flask app on a free loopback port with waitress, in a thread (like ``live_url``)."""

from __future__ import annotations

import contextlib
import threading
import urllib.error
import urllib.request

import waitress.server


@contextlib.contextmanager
def serving(app, threads: int = 4):
    """Yield the base URL (no trailing slash) of ``app`` served over real HTTP."""
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=threads, ident="stelsel-test")
    stop = threading.Event()

    def run() -> None:  # the loop and the closing in one thread: no file closed under select()
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.close()
        for channel in list(server._map.values()):
            channel.close()
        server.task_dispatcher.shutdown()

    thread = threading.Thread(target=run, name="waitress-serving", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
