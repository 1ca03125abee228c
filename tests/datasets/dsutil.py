"""Constants and helpers of the dataset tests (fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stelsel.config import TokenGrant
from stelsel.server.auth import hash_token

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
REGISTER = SOURCES / "nde-dataset-register"
NETWORK_OF_TERMS = SOURCES / "nde-network-of-terms"
SHAPES = REPO / "shapes" / "nde-datasets.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = "https://w3id.org/stelsel/graph/datasets/"

TOKENS = {"kb": "stl_kb_secret", "rce": "stl_rce_secret", "admin": "stl_admin_secret"}


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not there: the staged NDE sources live in ../shared/sources next to the repository")
    return path


def tokens() -> tuple[TokenGrant, ...]:
    return (TokenGrant("kb-partner", hash_token(TOKENS["kb"]), (DATASETS + "kb/*",), publishers=("https://www.kb.nl/",)),
            TokenGrant("rce-partner", hash_token(TOKENS["rce"]), (DATASETS + "rce/*",),
                       publishers=("https://www.cultureelerfgoed.nl",)),
            TokenGrant("nde-beheer", hash_token(TOKENS["admin"]), (DATASETS + "*",)))


def auth(who: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[who]}"}


def dump(store) -> set:
    """Every quad of the store, to prove a failed request changed nothing."""
    return set(store._store.quads_for_pattern(None, None, None, None))
