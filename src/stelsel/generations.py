"""Store generations on disk: a bulk load builds a new store folder, then one rename publishes it.

    store/                  the store as configured: a folder, or a symlink to the current generation
    store.gen-<id>/         generations (pyoxigraph folders); the symlink names the current one
    store.next              a symlink being published (exists only during a swap)

A bulk load fills a fresh generation while the current one stays untouched and readable, then
:func:`publish` points ``store`` at it with an atomic ``rename(2)`` of a symlink. A kill at any
moment leaves either the old or the new generation behind ``store``; :func:`recover` finishes or
forgets a swap that was cut off, :func:`discard_stale` removes generations nothing points to.

Every store folder is opened by its real path (:func:`prepare`), never through the symlink:
an instance still open on an old generation then keeps writing into that folder, not into the
new one. A store made before generations (a plain folder) is moved behind a symlink when it is
opened, after checking that no other process holds it; a kill between the two renames leaves
no ``store`` but a complete ``store.next``, which :func:`recover` puts in place.

Only a process holding the current generation open (pyoxigraph's lock) may build, publish or
discard, so two writers never meet: a second one cannot open the store at all.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

__all__ = ["prepare", "recover", "new_generation", "publish", "discard_stale", "current"]


def _next(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def _generations(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.gen-*")) if path.parent.is_dir() else []


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current(path: Path) -> Path:
    """The folder that holds the current generation."""
    return Path(os.path.realpath(path))


def recover(path: Path) -> None:
    """Finish a move cut off between its two renames (``store`` missing, ``store.next`` there)."""
    nxt = _next(path)
    if not os.path.lexists(path) and nxt.is_symlink() and nxt.exists():
        os.replace(nxt, path)


def new_generation(path: Path) -> Path:
    """A fresh, empty generation folder beside ``path``."""
    gen = path.with_name(f"{path.name}.gen-{time.time_ns():x}")
    gen.mkdir(parents=True)
    return gen


def publish(path: Path, gen: Path) -> None:
    """Make ``gen`` the current generation: one atomic rename of a symlink (readers and kill -9
    see the old or the new one)."""
    nxt = _next(path)
    if os.path.lexists(nxt):
        nxt.unlink()
    os.symlink(gen.name, nxt)
    os.replace(nxt, path)
    _fsync_dir(path.parent)


def prepare(path: Path, probe: Callable[[Path], None]) -> Path:
    """The real folder of the current generation, after :func:`recover`; a new store starts as a
    generation behind a symlink, a plain store folder is moved behind one (``probe`` opens and
    closes it first, so a folder another process holds is never moved)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    recover(path)
    if path.is_symlink():
        return current(path)
    if path.exists():
        probe(path)
        gen = path.with_name(f"{path.name}.gen-{time.time_ns():x}")
        os.rename(path, gen)
    else:
        gen = new_generation(path)
    publish(path, gen)
    return gen


def discard_stale(path: Path) -> None:
    """Remove generations ``path`` does not point to and a leftover ``store.next``."""
    nxt = _next(path)
    if nxt.is_symlink():
        nxt.unlink()
    keep = current(path)
    for gen in _generations(path):
        if gen.resolve() != keep:
            shutil.rmtree(gen, ignore_errors=True)
