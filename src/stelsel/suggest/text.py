"""Dutch text to index terms: lower case, accents folded, stop words out, compounds split into
their parts (dictionary-based, Koehn & Knight style, over the corpus' own vocabulary) and every
word and part stemmed with the Snowball Dutch stemmer (`snowballstemmer`)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable

import snowballstemmer

STOPWORDS = frozenset("""
aan al alle als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon
kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over
reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden
wordt zal ze zelf zich zij zijn zo zonder zou zoveel zowel waar waarbij waarop welke elk elke
the of and to in for a an is are be by on with as that this it or from at its their
""".split())
_WORD = re.compile(r"[a-z0-9]+")
#: Dutch linking sounds between the parts of a compound (gegeven-s-uitwisseling, keten-en-...)
_LINKS = ("", "s", "e", "en")
MIN_PART = 4
STEMMER = "dutch"  # Snowball's Dutch stemmer (Kraaij-Pohlmann); "dutch_porter" is the older one
MIN_COMPOUND = 8
MIN_HEAD = 6  # the shortest known last part kept from a word whose first part is unknown
HEAD_RATIO = 4  # a known word without a split keeps a head this many times more frequent than itself
MIN_KNOWN_HEAD = 7  # ... of at least this length ('digitoegankelijk' -> 'toegankelijk', not 'statussen' -> 'tussen')


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u00a0", " ").lower())
    return text.encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS and not w.isdigit()]


class Analyzer:
    """Turns text into stems; `vocabulary` (word -> frequency) drives the compound splitter."""

    def __init__(self, vocabulary: Counter | None = None):
        self.vocabulary = vocabulary or Counter()
        self._stemmer = snowballstemmer.stemmer(STEMMER)

    @classmethod
    def for_texts(cls, texts: Iterable[str]) -> "Analyzer":
        return cls(Counter(w for t in texts for w in words(t)))

    @lru_cache(maxsize=65536)
    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)

    @lru_cache(maxsize=65536)
    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound ('gegevensuitwisseling' -> 'gegevens', 'uitwisseling'), or ()."""
        if len(word) < MIN_COMPOUND:
            return ()
        # Koehn & Knight: split when the parts are at least as frequent (geometric mean) as the whole
        best, best_score = (), math.log(max(self.vocabulary.get(word, 0), 1)) - 1e-9
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:i], word[i:]
            if head not in self.vocabulary:
                continue
            for link in _LINKS:
                if not rest.startswith(link):
                    continue
                tail = rest[len(link):]
                if len(tail) < MIN_PART:
                    continue
                tail_parts = (tail,) if tail in self.vocabulary else self.split(tail)
                if not tail_parts:
                    continue
                parts = (head, *tail_parts)
                score = sum(math.log(self.vocabulary.get(p, 1)) for p in parts) / len(parts)
                if score > best_score:
                    best, best_score = parts, score
        if not best:
            # Dutch compounds are right-headed: keep a known head ('digitoegankelijk' -> 'toegankelijk')
            # of a word the corpus does not know, or knows far less often than the head
            seen = self.vocabulary.get(word, 0)
            shortest = MIN_KNOWN_HEAD if seen else MIN_HEAD
            for i in range(3, len(word) - shortest + 1):
                if self.vocabulary.get(word[i:], 0) >= (HEAD_RATIO * seen or 1):
                    return (word[i:],)
        return best

    def terms(self, text: str) -> list[str]:
        out = []
        for w in words(text):
            out.append(self.stem(w))
            out.extend(self.stem(p) for p in self.split(w))
        return out

    def surface(self, text: str) -> dict[str, str]:
        """stem -> a word of the text it came from, to explain a match in words people read."""
        out: dict[str, str] = {}
        for w in words(text):
            out.setdefault(self.stem(w), w)
            for p in self.split(w):
                out.setdefault(self.stem(p), p)
        return out
