"""Shared fixtures: settings pointing at a temporary store, and the CLI run in-process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stelsel.cli import main
from stelsel.config import Config
from stelsel.store import EmbeddedStore, load_bundled

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Settings with a fresh store and an empty content folder (nothing bundled to load)."""
    (tmp_path / "content").mkdir()
    return Config(store=tmp_path / "store", content_root=tmp_path / "content")


@pytest.fixture
def cli(config: Config):
    """Run ``stelsel ARGS`` in-process against a fresh store; returns the click Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, ["--store", str(config.store), "--content", str(config.content_root), *args],
                             input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> EmbeddedStore:
    """One store with the whole bundled stelsel, shared by read-only tests."""
    cfg = Config(store=tmp_path_factory.mktemp("bundled") / "store", content_root=REPO)
    store = EmbeddedStore(cfg.store)
    started = time.perf_counter()
    load_bundled(store, cfg)
    store.load_seconds = time.perf_counter() - started
    return store


def filled_store(path: Path) -> Path:
    """``path``: a new on-disk store filled with the bundled stelsel and closed again, for tests that
    open it themselves (the CLI, a writer) while :func:`bundled` stays open in this process."""
    store = EmbeddedStore(path)
    load_bundled(store, Config(store=path, content_root=REPO))
    store.close()
    return path


def select(store: EmbeddedStore, sparql: str) -> list[dict[str, str]]:
    """Rows of a SELECT as plain dicts of strings (IRIs and literal values)."""
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]
