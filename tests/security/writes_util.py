"""Helpers for the write tests: a small on-disk store with a few graphs, an app with tokens over
it, and the store's content per graph (to prove what changed and what did not)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from stelsel.config import Config
from stelsel.server import create_app
from stelsel.server.auth import hash_token
from stelsel.store import EmbeddedStore

GRANTED = "https://example.org/graph/a-1"          # token "a" is granted https://example.org/graph/a-*
OTHER = "https://example.org/graph/b"
BUNDLED = "https://w3id.org/stelsel/graph/nora"
TOKENS = {
    "a": "stl_token-a-0123456789abcdef0123456789abcdef01234",
    "all": "stl_token-all-0123456789abcdef0123456789abcdef012",
    "kb": "stl_token-kb-0123456789abcdef0123456789abcdef0123",
}
GRANTS = {"a": ["https://example.org/graph/a-*"], "all": ["*"],
          "kb": ["https://w3id.org/stelsel/graph/datasets/kb/*"]}
DEFAULT = ""


def small_store(path: Path) -> EmbeddedStore:
    """Three named graphs and the default graph, a few triples each."""
    store = EmbeddedStore(path)
    quads = []
    for g in (GRANTED, OTHER, BUNDLED, None):
        name = ox.NamedNode(g) if g else ox.DefaultGraph()
        for i in range(3):
            quads.append(ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"),
                                 ox.Literal(f"{g or 'default'} {i}"), name))
    store._store.extend(quads)
    store._bump_version()
    return store


def app_for(store: EmbeddedStore, tmp: Path, **settings):
    config = Config(store=store.path, content_root=tmp, tokens={
        name: {"hash": hash_token(secret), "graphs": GRANTS[name]} for name, secret in TOKENS.items()},
        **settings)
    app = create_app(config, store=store)
    app.config["TESTING"] = True
    return app


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


def post_update(client, text: str, token: str = "a", **params):
    return client.post("/sparql", data=text.encode("utf-8"), content_type="application/sparql-update",
                       headers=bearer(token), query_string=params)


def contents(store: EmbeddedStore) -> dict[str, set[str]]:
    """Graph ("" for the default graph) -> its triples as N-Quads lines, read from the store itself."""
    out: dict[str, set[str]] = {}
    buf = io.BytesIO()
    store.dump(buf, "nquads")
    for quad in ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS):
        key = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else DEFAULT
        out.setdefault(key, set()).add(str(ox.Triple(quad.subject, quad.predicate, quad.object)))
    return out


def changed(before: dict[str, set[str]], after: dict[str, set[str]]) -> set[str]:
    return {g for g in set(before) | set(after) if before.get(g, set()) != after.get(g, set())}
