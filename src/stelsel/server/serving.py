"""Run the app with waitress as a public service, and stop it cleanly.

Settings for slow clients (``connection_limit``, ``channel_timeout``) come from the config; the
request threads are at least the query workers plus their queue plus a few, so that health
checks, static files and cached answers always find a free thread (``query_queue`` bounds how
many requests may wait for a worker; the rest get 503 at once, see :mod:`stelsel.executor`).

SIGTERM (systemd, containers) and SIGINT (Ctrl-C) stop the server the same way: waitress stops
accepting, then the query workers, the validation child and every temporary dump are gone
before the process exits (issue 9: a full N-Quads dump left in /tmp, orphaned children).
"""

from __future__ import annotations

import logging
import signal

log = logging.getLogger("stelsel.server")

SPARE_THREADS = 4     # for /-/health, static files and cached answers


def request_threads(config, asked: int) -> int:
    return max(asked, config.query_workers + config.query_queue + SPARE_THREADS)


def serve(app, server) -> None:
    """Run the bound waitress ``server`` until SIGTERM or SIGINT; then release everything the app started."""

    def stop(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        close_app(app)
        log.info("stopped")


def close_app(app) -> None:
    """Stop the app's worker processes and validation child; remove their temporary files."""
    for name in ("stelsel.executor", "stelsel.validation", "stelsel.datasets.pool"):
        thing = app.extensions.get(name)
        if thing is not None:
            try:
                thing.close()
            except Exception:  # noqa: BLE001 - closing the rest matters more
                log.exception("closing %s failed", name)
