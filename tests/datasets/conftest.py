"""Fixtures of the dataset tests: a store with the bundled stelsel, the HTTP app with partner and
admin tokens (constants and helpers: dsutil.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stelsel.config import Config
from stelsel.store import EmbeddedStore, load_bundled

from .dsutil import REGISTER, REPO, need, tokens


@pytest.fixture
def register_sources() -> Path:
    return need(REGISTER)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(store=tmp_path / "store", content_root=REPO, query_workers=0, tokens=tokens(),
                  max_request_bytes=200_000)


@pytest.fixture
def store(config: Config) -> EmbeddedStore:
    """A fresh in-memory store with the bundled stelsel (ontology, data incl. the NDE files, shapes)."""
    s = EmbeddedStore(None)
    load_bundled(s, config)
    return s


@pytest.fixture
def app(config, store):
    from stelsel.server import create_app
    return create_app(config, store)


@pytest.fixture
def client(app):
    return app.test_client()
