"""Minting IRIs for stelsel resources, one rule for importers, data and code (docs/vocabulary.md)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .vocab import ID


def slug(name: str) -> str:
    """Lower case, accents folded, every run of other characters one '-'.

    >>> slug("Zorg dat erfgoedinformatie verwijsbaar is")
    'zorg-dat-erfgoedinformatie-verwijsbaar-is'
    >>> slug("Efficiëntie (vervallen)")
    'efficientie-vervallen'
    """
    folded = unicodedata.normalize("NFKD", name.replace("\u00a0", " "))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "element"


def element_iri(architecture_iri: str, local: str) -> str:
    """The IRI of an element: its architecture's IRI, '/', a notation or slug."""
    return f"{architecture_iri.rstrip('/')}/{local}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def alignment_iri(source: str, predicate: str, target: str) -> str:
    """A stable IRI for the alignment source -predicate-> target."""
    return f"{ID}aansluiting/{_short_hash(f'{source} {predicate} {target}')}"


def deviation_iri(source: str, architecture: str) -> str:
    """A stable IRI for the deviation of source from architecture."""
    return f"{ID}afwijking/{_short_hash(f'{source} {architecture}')}"
