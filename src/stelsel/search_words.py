"""Words for search: fold case and accents, cut Dutch and English endings, so that inflected and
derived forms meet ("vindbaar", "vindbare", "vindbaarheid" -> "vindbar"; "datasets" -> "dataset").

A light stemmer on purpose: it only has to make the forms of one word agree with each other, not
produce linguistic stems. Compounds are found by the caller by looking for a query word inside a
name's words ("informatie" in "erfgoedinformatie").
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
# longest first; a word keeps at least three letters
_ENDINGS = ("baarheden", "baarheid", "heden", "heid", "ingen", "ities", "ness", "ing", "ity", "ies", "ers", "en",
            "er", "es", "e", "s")
_DOUBLE = re.compile(r"([aeou])\1")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            kept = word[: -len(ending)]
            if ending.startswith("baar"):
                kept += "baar"
            word = kept
            break
    return _DOUBLE.sub(r"\1", word)


def words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(fold(text))]
