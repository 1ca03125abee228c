"""Fixtures shared by the write tests: a small on-disk store (tests/security/writes_util.py)."""

from __future__ import annotations

import pytest

from .writes_util import small_store


@pytest.fixture
def store(tmp_path):
    """A small embedded store with a few bundled-like graphs; each test writes to its own."""
    s = small_store(tmp_path / "store")
    yield s
    s.close()
