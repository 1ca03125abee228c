"""Endpoint fixtures: every test here runs against both store backends.

- ``backend``: ``"embedded"`` (pyoxigraph on disk) or ``"remote"`` (a :class:`RemoteStore`
  talking to a real ``oxigraph serve`` process started once per session on a free loopback port,
  see ``tests/oxigraph_server.py``).
- ``store``: a GraphStore holding the bundled ontology, data and shapes, shared by the session:
  embedded, one on-disk store in a temporary folder; remote, the session's server. After a test
  that wrote (the store's ``version()`` changed; remote: ``write_version()``, as its
  ``version()`` also moves with the clock) it is put back: embedded, a new store from the
  once-parsed files; remote, ``DROP SILENT ALL`` and a reload. A test that writes around the
  store object (straight to the server) must clean up itself.
- ``endpoint_config``: settings for that store (content root = this repository).
- ``app`` / ``client``: ``create_app(endpoint_config, store=store)`` and its Flask test client.
- ``live_url``: the same app behind a real waitress server in a thread on 127.0.0.1, as a base
  URL without a trailing slash (``f"{live_url}/sparql"``).

This folder has an ``__init__.py`` so this conftest does not shadow ``tests/conftest.py``
(tests here still ``from conftest import REPO, FIXTURES, select``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oxigraph_server import OxigraphServer, require_oxigraph

from .live import serving
from stelsel.config import Config
from stelsel.sources import bundled_files, parse_paths
from stelsel.store import EmbeddedStore, load_bundled

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["embedded", "remote"]


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def backend(request) -> str:
    return request.param


# -- the bundled content, parsed once ------------------------------------------------------------
@pytest.fixture(scope="session")
def bundled_parsed():
    """The bundled files parsed once per session (parsing is ~0.1 s; loading on disk ~1 s)."""
    cfg = Config(content_root=REPO)
    return parse_paths(bundled_files(cfg), cfg)


# -- the embedded backend: one on-disk store per session, renewed after a test that wrote -------------
class _Embedded:
    def __init__(self, root: Path, parsed):
        self.root, self.parsed, self.generation = root, parsed, 0
        self.store: EmbeddedStore | None = None
        self.config: Config | None = None
        self.renew()

    def renew(self) -> None:
        if self.store is not None:
            self.store.close()
        self.generation += 1
        self.config = Config(store=self.root / f"store-{self.generation}", content_root=REPO)
        self.store = EmbeddedStore(self.config.store)
        self.store.replace_graphs(self.parsed)


@pytest.fixture(scope="session")
def _embedded(tmp_path_factory, bundled_parsed):
    holder = _Embedded(tmp_path_factory.mktemp("embedded"), bundled_parsed)
    yield holder
    holder.store.close()


# -- the remote backend: one oxigraph serve per session --------------------------------------------
@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A running ``oxigraph serve --union-default-graph`` with its own data folder."""
    binary = require_oxigraph()
    server = OxigraphServer(binary, location=tmp_path_factory.mktemp("oxigraph") / "data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def remote_config(server: OxigraphServer) -> Config:
    """Settings that point stelsel at ``server`` (query, update and Graph Store endpoints)."""
    return Config(store=server.query_url, update_endpoint=server.update_url, gsp_endpoint=server.gsp_url,
                  content_root=REPO)


@pytest.fixture(scope="session")
def _remote(oxigraph_server):
    """The session's RemoteStore, filled with the bundled content through its loading path."""
    from stelsel.remote_store import RemoteStore

    cfg = remote_config(oxigraph_server)
    store = RemoteStore.from_config(cfg)
    load_bundled(store, cfg)
    yield cfg, store
    store.close()


def _reset_remote(store, cfg: Config) -> None:
    """Back to exactly the bundled content: drop every graph, then reload."""
    store.update("DROP SILENT ALL")
    load_bundled(store, cfg)


# -- the fixtures tests use ------------------------------------------------------------------------
@pytest.fixture
def endpoint_config(backend, request) -> Config:
    if backend == "remote":
        return request.getfixturevalue("_remote")[0]
    return request.getfixturevalue("_embedded").config


@pytest.fixture
def store(backend, endpoint_config, request):
    """The bundled stelsel in the backend's store; shared, and put back after a test that wrote."""
    if backend == "embedded":
        holder = request.getfixturevalue("_embedded")
        s = holder.store
        before = s.version()
        yield s
        if s.version() != before:
            holder.renew()
        return
    cfg, s = request.getfixturevalue("_remote")
    before = s.write_version()  # version() also moves with the clock; this only on writes
    yield s
    if s.write_version() != before:
        _reset_remote(s, cfg)


@pytest.fixture
def app(endpoint_config, store):
    from stelsel.server import create_app

    application = create_app(endpoint_config, store=store)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def live_url(app):
    """A real HTTP server (waitress, in a thread) on a free loopback port serving ``app``."""
    with serving(app) as url:
        yield url
