"""Structural evidence: the NORA hierarchy around a target, what an element's neighbours align to,
and which kinds of target elements of this kind usually align to (from the known alignments)."""

from __future__ import annotations

from collections import Counter, defaultdict

from .corpus import Corpus


MIN_OWN = 10


class Structure:
    def __init__(self, corpus: Corpus, candidates: set[str], known: dict[str, set[str]],
                 around: dict[str, set[str]] | None = None):
        self.corpus = corpus
        self.candidates = candidates
        self.known = known
        #: the NORA hierarchy: candidate -> related candidates (implicatie <-> principe <-> kwaliteitsdoel ...)
        self.around: dict[str, set[str]] = around if around is not None else defaultdict(set)
        if around is None:
            for s, _, o in corpus.relations:
                if s in candidates and o in candidates:
                    self.around[s].add(o)
                    self.around[o].add(s)
        # per kind of source element, and per (architecture, kind) where that architecture has enough
        kinds: dict[object, Counter] = defaultdict(Counter)
        popular: dict[object, Counter] = defaultdict(Counter)
        for source, targets in known.items():
            el = corpus.elements[source]
            for t in targets:
                for key in (el.kind, (el.architecture, el.kind)):
                    kinds[key][corpus.elements[t].kind] += 1
                    popular[key][t] += 1
        self.kinds, self.popular = kinds, popular

    def neighbour_votes(self, iri: str) -> dict[str, tuple[float, list[str]]]:
        """target -> (votes, the neighbours voting): neighbours' known alignments, and half a vote
        for the elements next to those targets in the NORA hierarchy."""
        votes: dict[str, float] = defaultdict(float)
        voters: dict[str, list[str]] = defaultdict(list)
        for n in sorted(self.corpus.neighbours.get(iri, ())):
            if n == iri:
                continue
            for t in self.known.get(n, ()):
                votes[t] += 1.0
                voters[t].append(n)
                for near in self.around.get(t, ()):
                    votes[near] += 0.25
        return {t: (v, voters.get(t, [])) for t, v in votes.items()}

    def prior(self, source_kind: str, target: str, architecture: str | None = None) -> tuple[float, float]:
        """(share of this target's kind, share of this target) among known alignments of elements of
        this kind: of the same architecture when it has at least MIN_OWN of them, else of all."""
        own = (architecture, source_kind)
        if sum(self.kinds.get(own, Counter()).values()) >= MIN_OWN:
            source_kind = own
        kinds = self.kinds.get(source_kind)
        if not kinds:
            kinds = sum(self.kinds.values(), Counter())
            popular = sum(self.popular.values(), Counter())
        else:
            popular = self.popular[source_kind]
        total = sum(kinds.values()) or 1
        tkind = self.corpus.elements[target].kind
        return (kinds.get(tkind, 0) + 0.5) / (total + 2.5), popular.get(target, 0) / (sum(popular.values()) or 1)
