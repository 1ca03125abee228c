"""One's own model in context: ``stelsel validate my-model.ttl`` checks the model together with the
parts of the bundled stelsel it refers to, and reports only findings about the model.

A model refers to the stelsel through ``stelsel:moetAansluitenOp`` (the architectures it must
align to), the ends of its alignments and deviations (``stelsel:vanElement``,
``stelsel:naarElement``, ``stelsel:tenOpzichteVan``) and ``stelsel:inArchitectuur``. Every
bundled data file that describes (types) one of those resources and that the model does not
describe itself is added, and so is, one step further, every file that describes the
architectures those files' referenced elements belong to. The caller reports only findings on
the model's own graphs (:func:`model_graphs`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from ..vocab import STELSEL

_S = str(STELSEL)
REFERRING = tuple(_S + p for p in ("moetAansluitenOp", "vanElement", "naarElement", "tenOpzichteVan",
                                   "inArchitectuur"))
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _refs(sources) -> tuple[set[str], set[str]]:
    """(IRIs the sources refer to with the properties above, resources they type)."""
    refs, typed = set(), set()
    for src in sources:
        for q in src.quads:
            p = q.predicate.value
            if p == _TYPE and isinstance(q.subject, ox.NamedNode):
                typed.add(q.subject.value)
            elif p in REFERRING and isinstance(q.object, ox.NamedNode):
                refs.add(q.object.value)
    return refs, typed


def context_sources(model, candidates: list[Path], load: Callable[[Path], object]) -> list:
    """The sources (loaded with ``load``) among ``candidates`` that the model needs."""
    refs, own = _refs(model)
    wanted = refs - own
    if not wanted:
        return []
    loaded = [load(path) for path in candidates]
    typed = [(src, _refs([src])[1]) for src in loaded]
    chosen = [src for src, t in typed if t & wanted]
    # one step further: the architectures of the referenced elements (and what those must align to)
    further = set()
    for src in chosen:
        for q in src.quads:
            if q.predicate.value in (_S + "inArchitectuur", _S + "moetAansluitenOp") and \
                    isinstance(q.subject, ox.NamedNode) and q.subject.value in wanted | further:
                further.add(q.object.value)
    further -= own
    chosen += [src for src, t in typed if src not in chosen and t & further]
    return chosen


def model_graphs(model) -> set[str]:
    """The named graphs of the model's own triples: findings there are reported."""
    return {q.graph_name.value for src in model for q in src.quads if isinstance(q.graph_name, ox.NamedNode)}
