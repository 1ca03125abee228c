"""The suggester: per candidate target a few features (lexical, embedding, neighbours, prior),
a weighted sum per method, and for each suggestion a match kind and the reasons in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocab import ID
from .corpus import Corpus, Element
from .lexical import BM25
from .structure import Structure
from .text import Analyzer

NORA = f"{ID}nora"
#: the features, in the order of a weight tuple
FEATURES = ("lexical", "embedding", "neighbours", "prior", "similar")
#: method -> feature weights; "combined" and "hybrid" as tuned on the tuning half of GEMMA by
#: `stelsel suggest evaluate` (see BENCHMARKS.md)
METHODS: dict[str, tuple[float, ...]] = {
    "lexical": (1.0, 0.0, 0.0, 0.0, 0.0),
    "embedding": (0.0, 1.0, 0.0, 0.0, 0.0),
    "structure": (0.0, 0.0, 1.0, 1.0, 1.0),
    "combined": (1.0, 0.0, 0.5, 1.0, 1.0),
    "hybrid": (1.0, 1.0, 0.5, 1.0, 1.0),
}
SIMILAR_K = 10  # how many of the most similar already-aligned elements vote
NEEDS_EMBEDDING = {"embedding", "hybrid"}
CONTEXT_WEIGHT = 0.3  # a target's neighbours in the NORA hierarchy count for this much of its own words
STRONG = 0.8  # a normalised lexical score from here on (with two shared terms) is a strong match
STRONG_COSINE = 0.9  # so is an e5 cosine from here on


@dataclass
class Features:
    lexical: float = 0.0
    embedding: float = 0.0
    neighbours: float = 0.0
    prior: float = 0.0
    shared: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # hierarchy elements whose words matched
    voters: list[str] = field(default_factory=list)
    cosine: float | None = None
    kind_share: float = 0.0
    similar: float = 0.0
    similar_sources: list[str] = field(default_factory=list)
    similar_hybrid: float = 0.0  # with the embedding's help (used when the embedding weighs in)
    similar_hybrid_sources: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    source: Element
    target: Element
    score: float
    confidence: float
    kind: str  # closeMatch | broadMatch | narrowMatch | relatedMatch | realiseert | linked
    reasons: list[dict]
    existing: bool = False
    rank: int = 0


def match_kind(source: Element, target: Element, strong: bool) -> str:
    """The kind of match the element kinds allow; 'linked' where only a link can be predicted."""
    s, t = source.kind, target.kind
    principle = s.endswith(("principe", "Principe"))
    if t in ("Kwaliteitsdoel", "Kernwaarde") and (principle or s in ("Implicatie", "Eis")):
        return "realiseert"
    if principle and t == "Architectuurprincipe":
        return "closeMatch" if strong else "relatedMatch"
    if principle and t == "Implicatie":
        return "narrowMatch"
    if s in ("Implicatie", "Eis") and t == "Architectuurprincipe":
        return "broadMatch"
    if s == t:
        return "closeMatch" if strong else "relatedMatch"
    return "linked"


class Suggester:
    """Ranks the elements of `target` (NORA by default) for elements of other architectures."""

    def __init__(self, corpus: Corpus, *, method: str = "combined", target: str = NORA,
                 known: dict[str, set[str]] | None = None, weights: tuple | None = None, embedder=None):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.corpus, self.method, self.target = corpus, method, target
        self.weights = weights or METHODS[method]
        self.candidates = corpus.candidates(target)
        ids = {c.iri for c in self.candidates}
        self.analyzer = Analyzer.for_texts(e.text for e in corpus.elements.values())
        self.structure = Structure(corpus, ids, corpus.links_to(target) if known is None else known)
        self._aligned_index = None
        own = {c.iri: self.analyzer.terms(c.label) * 2 + self.analyzer.terms(c.definition) for c in self.candidates}
        context = {c.iri: [t for n in sorted(self.structure.around.get(c.iri, ()))
                           for t in self.analyzer.terms(corpus.elements[n].label)] for c in self.candidates}
        self.own, self.context = BM25(own), BM25(context)
        self.embedder = embedder
        if self.embedder is None and (method in NEEDS_EMBEDDING or self.weights[1]):
            from .embedding import Embedder
            self.embedder = Embedder()
        if self.embedder is not None:
            self.embedder.passages([c.text for c in self.candidates])

    def with_known(self, known: dict[str, set[str]]) -> "Suggester":
        """The same index with other known alignments (for evaluation: hide the held-out half)."""
        clone = object.__new__(Suggester)
        clone.__dict__.update(self.__dict__)
        clone.structure = Structure(self.corpus, {c.iri for c in self.candidates}, known, self.structure.around)
        clone._aligned_index = None
        return clone

    def _similar_sources(self, source: Element, embedding: bool = False) -> list[tuple[str, float]]:
        """The already-aligned elements most like `source`, with a similarity in [0, 1]; never
        `source` itself. By their words (BM25); with `embedding`, the mean of that and the
        embedding's (min-max scaled) cosine. "combined" uses the words only, so it is the same
        with or without the model."""
        known = [s for s in sorted(self.structure.known) if s != source.iri]
        if not known:
            return []
        el = self.corpus.elements
        if self._aligned_index is None:
            self._aligned_index = BM25({s: self.analyzer.terms(el[s].text) for s in sorted(self.structure.known)})
        raw = self._aligned_index.scores(self.analyzer.terms(source.text))
        raw.pop(source.iri, None)
        top = max(raw.values(), default=0.0) or 1.0
        lexical = {k: v / top for k, v in raw.items()}
        if embedding:
            sims = self.embedder.similarities(source.text, [el[k].text for k in known])
            lo, hi = min(sims), max(sims)
            scored = [(k, 0.5 * lexical.get(k, 0.0) + 0.5 * ((v - lo) / (hi - lo) if hi > lo else 0.0))
                      for k, v in zip(known, sims)]
        else:
            scored = list(lexical.items())
        same = [(k, v * (1.0 if el[k].kind == source.kind else 0.5)) for k, v in scored]
        return sorted((x for x in same if x[1] > 0), key=lambda x: (-x[1], x[0]))[:SIMILAR_K]

    # -- features ------------------------------------------------------------------------------

    def features(self, source: Element) -> dict[str, Features]:
        query = self.analyzer.terms(source.text)
        own, ctx = self.own.scores(query), self.context.scores(query)
        lex = {c.iri: own.get(c.iri, 0.0) + CONTEXT_WEIGHT * ctx.get(c.iri, 0.0) for c in self.candidates}
        top = max(lex.values(), default=0.0) or 1.0
        votes = self.structure.neighbour_votes(source.iri)
        vtop = max((v for v, _ in votes.values()), default=0.0) or 1.0
        out = {}
        for c in self.candidates:
            f = Features(lexical=lex[c.iri] / top)
            if own.get(c.iri):
                f.shared = self.own.shared(query, c.iri)
            if ctx.get(c.iri):
                f.context = [n for n in sorted(self.structure.around.get(c.iri, ()))
                             if set(self.analyzer.terms(self.corpus.elements[n].label)) & set(query)]
            v, voters = votes.get(c.iri, (0.0, []))
            f.neighbours, f.voters = v / vtop, voters
            kind_share, popularity = self.structure.prior(source.kind, c.iri, source.architecture)
            f.prior, f.kind_share = 0.5 * kind_share + 0.5 * popularity, kind_share
            out[c.iri] = f
        ptop = max((f.prior for f in out.values()), default=0.0) or 1.0
        for f in out.values():
            f.prior /= ptop
        if self.weights[4]:
            variants = [("similar", "similar_sources", False)]
            if self.embedder is not None and self.weights[1]:
                variants.append(("similar_hybrid", "similar_hybrid_sources", True))
            for attr, names, embedding in variants:
                for s, sim in self._similar_sources(source, embedding):
                    for t in self.structure.known.get(s, ()):
                        if t in out:
                            setattr(out[t], attr, getattr(out[t], attr) + sim)
                            getattr(out[t], names).append(s)
                top = max((getattr(f, attr) for f in out.values()), default=0.0) or 1.0
                for f in out.values():
                    setattr(f, attr, getattr(f, attr) / top)
        if self.embedder is not None and self.weights[1]:
            sims = self.embedder.similarities(source.text, [c.text for c in self.candidates])
            lo, hi = min(sims), max(sims)
            for c, s in zip(self.candidates, sims):
                out[c.iri].cosine = s
                out[c.iri].embedding = (s - lo) / (hi - lo) if hi > lo else 0.0
        return out

    @staticmethod
    def combine(f: Features, weights) -> float:
        wl, we, wn, wp, ws = weights
        similar = f.similar_hybrid if we else f.similar
        return wl * f.lexical + we * f.embedding + wn * f.neighbours + wp * f.prior + ws * similar

    def ranking(self, features: dict[str, Features], weights=None) -> list[str]:
        w = weights or self.weights
        return sorted(features, key=lambda t: (-self.combine(features[t], w), t))

    # -- suggestions ---------------------------------------------------------------------------

    def suggest(self, source: Element | str, k: int = 10) -> list[Suggestion]:
        src = self.corpus.elements[source] if isinstance(source, str) else source
        features = self.features(src)
        total = sum(self.weights) or 1.0
        existing = self.corpus.links_to(self.target).get(src.iri, set())
        out = []
        for rank, t in enumerate(self.ranking(features)[:k], start=1):
            f, target = features[t], self.corpus.elements[t]
            score = self.combine(f, self.weights)
            strong = (f.lexical >= STRONG and len(f.shared) >= 2) or (f.cosine or 0.0) >= STRONG_COSINE
            out.append(Suggestion(src, target, round(score, 4), round(min(score / total, 1.0), 4),
                                  match_kind(src, target, strong), self.reasons(src, target, f),
                                  existing=t in existing, rank=rank))
        return out

    def reasons(self, source: Element, target: Element, f: Features) -> list[dict]:
        el = self.corpus.elements
        out = []
        w = self.weights
        if w[0] and f.shared:
            terms = self.analyzer.surface(source.text + " " + target.text)
            words = ", ".join(terms.get(t, t) for t in f.shared[:5])
            out.append({"evidence": "shared-terms", "terms": f.shared[:5],
                        "nl": f"gedeelde termen: {words}", "en": f"shared terms: {words}"})
        if w[0] and f.context:
            names = "; ".join(el[n].short() for n in f.context[:3])
            out.append({"evidence": "hierarchy-terms", "elements": f.context[:3],
                        "nl": f"de woorden komen terug bij {names}", "en": f"the words recur in {names}"})
        if w[1] and f.cosine is not None and f.embedding >= 0.5:
            out.append({"evidence": "similar-statement", "cosine": round(f.cosine, 3),
                        "nl": f"vergelijkbare formulering (cosinus {f.cosine:.2f})",
                        "en": f"similar wording (cosine {f.cosine:.2f})"})
        if w[2] and f.voters:
            names = "; ".join(el[n].short() for n in f.voters[:3])
            out.append({"evidence": "neighbours-align", "elements": f.voters[:3],
                        "nl": f"verwante elementen sluiten hierop aan: {names}",
                        "en": f"related elements align to it: {names}"})
        similar_sources = f.similar_hybrid_sources if w[1] else f.similar_sources
        if w[4] and similar_sources:
            names = "; ".join(el[n].short() for n in similar_sources[:3])
            out.append({"evidence": "similar-elements-align", "elements": similar_sources[:3],
                        "nl": f"vergelijkbare elementen sluiten hierop aan: {names}",
                        "en": f"similar elements align to it: {names}"})
        if w[3] and f.kind_share >= 0.25:
            pct = round(100 * f.kind_share)
            out.append({"evidence": "usual-kind", "share": round(f.kind_share, 3),
                        "nl": f"{source.kind} sluit in {pct}% van de bekende aansluitingen aan op een {target.kind}",
                        "en": f"{pct}% of the known alignments of a {source.kind} go to a {target.kind}"})
        return out
