"""BM25 (Robertson/Spärck Jones, k1 = 1.2, b = 0.75) over the analyzer's terms."""

from __future__ import annotations

import math
from collections import Counter


class BM25:
    def __init__(self, documents: dict[str, list[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = {key: Counter(terms) for key, terms in documents.items()}
        self.length = {key: len(terms) for key, terms in documents.items()}
        self.avg = (sum(self.length.values()) / len(self.length)) if self.length else 1.0
        df = Counter(t for tf in self.tf.values() for t in tf)
        n = len(self.tf)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def scores(self, query: list[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        terms = [t for t in set(query) if t in self.idf]
        for key, tf in self.tf.items():
            norm = self.k1 * (1 - self.b + self.b * self.length[key] / self.avg)
            s = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in terms if t in tf)
            if s:
                out[key] = s
        return out

    def shared(self, query: list[str], key: str) -> list[str]:
        """The query's terms in document `key`, most informative first."""
        tf = self.tf.get(key, {})
        return sorted({t for t in query if t in tf}, key=lambda t: -self.idf.get(t, 0))
