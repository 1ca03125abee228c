"""Structural evidence: the NORA hierarchy around a target, what an element's neighbours align to,
and which kinds of target elements of this kind usually align to (from the known alignments)."""

from __future__ import annotations

from collections import Counter, defaultdict

from .corpus import Corpus


class Structure:
    def __init__(self, corpus: Corpus, candidates: set[str], known: dict[str, set[str]]):
        self.corpus = corpus
        self.candidates = candidates
        self.known = known
        #: the NORA hierarchy: candidate -> related candidates (implicatie <-> principe <-> kwaliteitsdoel ...)
        self.around: dict[str, set[str]] = defaultdict(set)
        for s, _, o in corpus.relations:
            if s in candidates and o in candidates:
                self.around[s].add(o)
                self.around[o].add(s)
        kinds: dict[str, Counter] = defaultdict(Counter)
        popular: dict[str, Counter] = defaultdict(Counter)
        for source, targets in known.items():
            skind = corpus.elements[source].kind
            for t in targets:
                kinds[skind][corpus.elements[t].kind] += 1
                popular[skind][t] += 1
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

    def prior(self, source_kind: str, target: str) -> tuple[float, float]:
        """(share of this target's kind, share of this target) among known alignments of the kind."""
        kinds = self.kinds.get(source_kind)
        if not kinds:
            kinds = sum(self.kinds.values(), Counter())
            popular = sum(self.popular.values(), Counter())
        else:
            popular = self.popular[source_kind]
        total = sum(kinds.values()) or 1
        tkind = self.corpus.elements[target].kind
        return (kinds.get(tkind, 0) + 0.5) / (total + 2.5), popular.get(target, 0) / (sum(popular.values()) or 1)
