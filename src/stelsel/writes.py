"""Authorise a SPARQL Update by what it changes, not by reading its text.

An update is first run on a *copy* of the dataset (a query worker's in-memory pyoxigraph store,
see :mod:`.executor`), in a process that cannot open a socket and that is killed at the time
limit. The worker compares every graph before and after (an order-free digest of its N-Triples)
and answers with the graphs that changed and their new content. The endpoint then checks that
the token is granted every changed graph and, only then, writes *that content* to the real store
(:func:`commit`): the text is never run on the real store, so a graph name computed at run time
(``RAND()``, ``NOW()``, ``UUID()``) or a parser quirk (a comment ended by ``\\r``) cannot make
the checked write differ from the committed one. There is no second reading of the text to
disagree with the engine: the engine that decides is the engine that ran it.

Costs: a worker computes its store's digests once per store version (a dump per graph in
pyoxigraph, sorted lines, SHA-256) and again after the update; the endpoint reads and diffs only
the graphs that changed, and writes only their difference (``DELETE DATA`` / ``INSERT DATA``;
a graph whose difference holds a blank node is replaced whole, as blank nodes cannot be named in
``DELETE DATA``).
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import StelselError

DEFAULT_KEY = ""        # the default graph, as a key of the maps below


class NetworkRefused(StelselError):
    """The update tried to open a connection (SERVICE, LOAD): refused, nothing fetched."""

    http_status = 403


@dataclass
class Changes:
    """What an update did to the copy: the graphs that changed, each with its new N-Triples
    (``None`` when the graph no longer exists)."""

    graphs: dict[str, bytes | None] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return sorted(self.graphs)


def graph_name(key: str):
    return ox.DefaultGraph() if key == DEFAULT_KEY else ox.NamedNode(key)


def label(key: str) -> str:
    return "the default graph" if key == DEFAULT_KEY else f"<{key}>"


# -- in the worker ----------------------------------------------------------------------------------
def _lines(store: ox.Store, key: str) -> list[bytes]:
    out = io.BytesIO()
    store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=graph_name(key))
    return [line for line in out.getvalue().split(b"\n") if line]


def digests(store: ox.Store) -> dict[str, str]:
    """Graph -> SHA-256 of its sorted N-Triples lines (insertion order does not matter)."""
    out = {}
    for key in [DEFAULT_KEY] + [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]:
        lines = _lines(store, key)
        if key == DEFAULT_KEY and not lines:
            continue
        out[key] = hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()
    return out


class _NoNewFiles:
    """While active, this process cannot open a file or socket: the soft RLIMIT_NOFILE is set to
    the lowest free descriptor number, so every new descriptor is over the limit (EMFILE). A
    SERVICE or LOAD in an update then fails inside the engine, however the text spells it."""

    def __enter__(self):
        self.saved = resource.getrlimit(resource.RLIMIT_NOFILE)
        probe = os.dup(2)           # the kernel hands out the lowest free number
        os.close(probe)
        resource.setrlimit(resource.RLIMIT_NOFILE, (probe, self.saved[1]))
        return self

    def __exit__(self, *exc) -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, self.saved)


def _network_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (getattr(exc, "errno", None) == 24 or "too many open files" in text or "os error 24" in text
            or "dns" in text or "connect" in text or "resolve" in text)


def try_update(store: ox.Store, text: str, before: dict[str, str]) -> tuple:
    """Run ``text`` on ``store`` (a disposable copy) and say what changed.

    Returns ``("changed", {graph: N-Triples or None}, digests after)``, ``("syntax", message)``,
    ``("network", message)`` or ``("failed", message)``."""
    try:
        with _NoNewFiles():
            store.update(text)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, RuntimeError, ValueError) as exc:
        if _network_error(exc):
            return ("network", str(exc))
        return ("failed", str(exc))
    after = digests(store)
    changed: dict[str, bytes | None] = {}
    for key in set(before) | set(after):
        if before.get(key) == after.get(key):
            continue
        changed[key] = b"\n".join(_lines(store, key)) + b"\n" if key in after else None
    return ("changed", changed, after)


# -- in the endpoint ----------------------------------------------------------------------------------
def lock_for(store) -> threading.Lock:
    """The write lock of ``store``: every write through the endpoint holds it, so the version an
    update was tried on is still the store's when its changes are committed. Kept on the store
    object (not in module state)."""
    return store.__dict__.setdefault("_stelsel_write_lock", threading.Lock())


def _current_lines(store, key: str) -> set[bytes]:
    if key == DEFAULT_KEY:
        result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default=False)
    else:
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{key}> {{ ?s ?p ?o }} }}")
    body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    return {line for line in body.split(b"\n") if line}


def _block(key: str, lines) -> str:
    body = "\n".join(line.decode("utf-8") for line in sorted(lines))
    return body if key == DEFAULT_KEY else f"GRAPH <{key}> {{\n{body}\n}}"


def commit_text(store, changes: Changes) -> str | None:
    """The update that makes the store's changed graphs what the trial made them (None: nothing
    to do). Only the graphs in ``changes`` are named in it."""
    drops, deletes, inserts = [], [], []
    for key, content in sorted(changes.graphs.items()):
        drop = "DROP SILENT DEFAULT" if key == DEFAULT_KEY else f"DROP SILENT GRAPH <{key}>"
        if content is None:
            drops.append(drop)
            continue
        after = {line for line in content.split(b"\n") if line}
        before = _current_lines(store, key)
        gone, new = before - after, after - before
        if any(b"_:" in line for line in gone | new):   # blank nodes cannot be named: replace the graph
            drops.append(drop)
            inserts.append(_block(key, after))
            continue
        if gone:
            deletes.append(_block(key, gone))
        if new:
            inserts.append(_block(key, new))
    parts = drops + [f"DELETE DATA {{\n{block}\n}}" for block in deletes]
    if inserts:
        parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(parts) if parts else None


def commit(store, changes: Changes) -> None:
    """Write what the trial changed, in one update (one transaction on the embedded store)."""
    text = commit_text(store, changes)
    if text is not None:
        store.update(text)
