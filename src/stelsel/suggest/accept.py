"""Accepting a suggestion: it becomes an alignment in graph:alignments/suggesties that says it
came from the suggester (creator, justification, confidence, rationale), and the owner's decision
is recorded through the review workflow (:func:`stelsel.review.record_review`), so its history shows
who adopted it and why. Written in two updates: the proposal, then the review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import __version__
from ..errors import InputError
from ..iris import alignment_iri
from ..review import Review, record_review
from ..vocab import GRAPH, ID, STELSEL
from .formats import KIND_PREDICATE, justification

SUGGESTIONS_GRAPH = str(GRAPH["alignments/suggesties"])
SUGGESTIONS_SET = f"{ID}aansluitingsset/suggesties"
_PREFIXES = {"skos:": "http://www.w3.org/2004/02/skos/core#", "stelsel:": str(STELSEL),
             "semapv:": "https://w3id.org/semapv/vocab/"}
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _expand(curie: str) -> str:
    for prefix, ns in _PREFIXES.items():
        if curie.startswith(prefix):
            return ns + curie[len(prefix):]
    return curie


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


@dataclass(frozen=True)
class Accepted:
    alignment: str
    review: Review


def accept(store, suggestion, *, method: str, comment: str, reviewer_id: str,
           reviewer_label: str | None = None, on: date | None = None) -> Accepted:
    """Record `suggestion` (a :class:`~stelsel.suggest.ranker.Suggestion`) as an alignment and adopt it."""
    if suggestion.existing:
        raise InputError(f"{suggestion.source.short()} already aligns to {suggestion.target.short()}",
                         hint="review the existing alignment with 'stelsel review' instead")
    on = on or date.today()
    predicate = _expand(KIND_PREDICATE[suggestion.kind])
    src, tgt = suggestion.source.iri, suggestion.target.iri
    iri = alignment_iri(src, predicate, tgt)
    reasons = "; ".join(r["nl"] for r in suggestion.reasons) or "voorgesteld door stelsel suggest"
    reasons_en = "; ".join(r["en"] for r in suggestion.reasons) or "proposed by stelsel suggest"
    triples = [
        f"<{SUGGESTIONS_SET}> a <{STELSEL}Aansluitingsset>",
        f"<{SUGGESTIONS_SET}> <{_DCT}title> {_lit('Aanvaarde suggesties van stelsel suggest', 'nl')}",
        f"<{SUGGESTIONS_SET}> <{_DCT}title> {_lit('Accepted suggestions of stelsel suggest', 'en')}",
        f"<{iri}> a <{STELSEL}Aansluiting>", f"<{iri}> <{STELSEL}vanElement> <{src}>",
        f"<{iri}> <{STELSEL}relatie> <{predicate}>", f"<{iri}> <{STELSEL}naarElement> <{tgt}>",
        f"<{iri}> <{STELSEL}onderbouwing> <{_expand(justification(method))}>",
        f"<{iri}> <{STELSEL}status> <{STELSEL}Voorgesteld>",
        f'<{iri}> <{STELSEL}betrouwbaarheid> "{suggestion.confidence}"^^<{_XSD}double>',
        f"<{iri}> <{STELSEL}rationale> {_lit(f'Suggestie ({method}, rang {suggestion.rank}): {reasons}', 'nl')}",
        f"<{iri}> <{STELSEL}rationale> {_lit(f'Suggestion ({method}, rank {suggestion.rank}): {reasons_en}', 'en')}",
        f"<{iri}> <{_DCT}creator> {_lit(f'stelsel suggest {__version__}')}",
        f'<{iri}> <{_DCT}date> "{on.isoformat()}"^^<{_XSD}date>',
        f"<{iri}> <{STELSEL}inSet> <{SUGGESTIONS_SET}>",
    ]
    data = f"GRAPH <{SUGGESTIONS_GRAPH}> {{ {' . '.join(triples[3:])} }}"
    store.update(f"INSERT DATA {{ GRAPH <{SUGGESTIONS_GRAPH}> {{ {' . '.join(triples)} }} }}")
    try:
        review = record_review(store, iri, "vastgesteld", comment, reviewer_id, reviewer_label, on=on)
    except Exception:
        store.update(f"DELETE DATA {{ {data} }}")  # nothing half-written: take the proposal back
        raise
    return Accepted(iri, review)


def find_suggestion(suggester, source, target_ref: str, k: int = 50):
    """The suggestion for `source` whose target is `target_ref` (IRI or architecture/notation)."""
    target = suggester.corpus.resolve_element(target_ref, suggester.target)
    for s in suggester.suggest(source, k):
        if s.target.iri == target.iri:
            return s
    raise InputError(f"{target.short()} is not among the first {k} suggestions for {source.short()}",
                     hint="pick a target from 'stelsel suggest' for this element, or write the alignment by hand")
