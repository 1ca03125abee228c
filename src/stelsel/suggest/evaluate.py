"""`stelsel suggest evaluate`: the methods measured on the links GEMMA and GDI state to NORA.

GEMMA's elements with stated links are split once, with a fixed seed, into a tuning half (the
weights of "combined" and "hybrid" are chosen on it) and a held-out half (reported). Queries are
the element's own name and definition only; the structural method knows the tuning half's links
(and, for GDI, the other GDI principles' links), never the query's own. GDI is held out entirely.
Agreement with the project's curated alignments (ROSA, DERA, EAR, OCW) is reported beside it."""

from __future__ import annotations

import itertools
import random
import time
from statistics import mean

from ..vocab import ID
from . import metrics
from .corpus import Corpus
from .ranker import FEATURES, METHODS, NEEDS_EMBEDDING, NORA, Suggester

SEED = 14
GEMMA, GDI = f"{ID}gemma", f"{ID}gdi"
#: the GEMMA kinds whose stated links are the ground truth (GEMMA's own motivation elements)
QUERY_KINDS = ("Architectuurprincipe", "Implicatie", "Kwaliteitsdoel", "Kernwaarde", "Beleidskader")
GRID = {"lexical": (0.5, 1.0), "embedding": (0.0, 0.5, 1.0, 2.0), "neighbours": (0.0, 0.5, 1.0),
        "prior": (0.0, 0.5, 1.0, 2.0), "similar": (0.0, 0.5, 1.0, 2.0)}


def ground_truth(corpus: Corpus, architecture: str, target: str = NORA) -> dict[str, set[str]]:
    candidates = {c.iri for c in corpus.candidates(target)}
    out = {}
    for source, targets in corpus.links_to(target).items():
        el = corpus.elements[source]
        if el.architecture == architecture and el.kind in QUERY_KINDS and not el.withdrawn:
            kept = targets & candidates
            if kept:
                out[source] = kept
    return out


def split(queries: list[str], seed: int = SEED) -> tuple[list[str], list[str]]:
    order = sorted(queries)
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    return sorted(order[:half]), sorted(order[half:])


def _features(suggester: Suggester, queries: list[str], known_for) -> dict[str, dict]:
    return {q: suggester.with_known(known_for(q)).features(suggester.corpus.elements[q]) for q in queries}


def _score(suggester, feats, truth, weights) -> dict[str, float]:
    return metrics.average([metrics.per_query(suggester.ranking(feats[q], weights), truth[q]) for q in feats])


def tune(suggester, feats, truth, method: str) -> tuple[tuple, dict]:
    """The weights of `method` that give the best MRR on the tuning queries (ties: MAP, then the
    smallest weights, so the choice is stable)."""
    grid = GRID if method == "hybrid" else {**GRID, "embedding": (0.0,)}
    best = None
    for w in itertools.product(*(grid[name] for name in FEATURES)):
        m = _score(suggester, feats, truth, w)
        key = (m["mrr"], m["map"], -sum(w))
        if best is None or key > best[0]:
            best = (key, w, m)
    return best[1], best[2]


def evaluate(corpus: Corpus, *, embedder=None, seed: int = SEED, limit: int | None = None,
             methods: tuple[str, ...] | None = None) -> dict:
    """Run every method; `limit` keeps only the first n queries of each half (the fast test)."""
    gemma = ground_truth(corpus, GEMMA)
    tune_q, held_q = split(list(gemma), seed)
    gdi = ground_truth(corpus, GDI)
    gdi_q = sorted(gdi)
    if limit:
        tune_q, held_q, gdi_q = tune_q[:limit], held_q[:limit], gdi_q[:limit]
    if methods is None:
        methods = tuple(m for m in METHODS if embedder is not None or m not in NEEDS_EMBEDDING)
    known_tune = {q: gemma[q] for q in tune_q}
    base = Suggester(corpus, method="lexical", known=known_tune, embedder=embedder,
                     weights=(1.0, 1.0 if embedder is not None else 0.0, 1.0, 1.0, 1.0))
    started = time.perf_counter()
    f_tune = _features(base, tune_q, lambda q: {s: t for s, t in known_tune.items() if s != q})
    f_held = _features(base, held_q, lambda q: known_tune)
    f_gdi = _features(base, gdi_q, lambda q: {**known_tune, **{s: t for s, t in gdi.items() if s != q}})
    feature_seconds = time.perf_counter() - started
    n_features = len(tune_q) + len(held_q) + len(gdi_q)
    results = {}
    for method in methods:
        if method in ("combined", "hybrid"):
            weights, on_tune = tune(base, f_tune, gemma, method)
        else:
            weights, on_tune = METHODS[method], _score(base, f_tune, gemma, METHODS[method])
        results[method] = {
            "weights": dict(zip(FEATURES, weights)),
            "tune": on_tune,
            "held_out": _score(base, f_held, gemma, weights),
            "gdi": _score(base, f_gdi, gdi, weights),
        }
    # the method to report: the better of the tuned ones on the tuning half (never on the held-out half)
    chosen = max((m for m in ("combined", "hybrid") if m in results),
                 key=lambda m: (results[m]["tune"]["mrr"], m == "combined"))
    out = {
        "suggester": {"method": chosen, **results[chosen]["held_out"]},
        "baseline": {"method": "lexical", **results["lexical"]["held_out"]},
        "held_out": {"queries": len(held_q), "pairs": sum(len(gemma[q]) for q in held_q)},
        "tune": {"queries": len(tune_q), "pairs": sum(len(gemma[q]) for q in tune_q)},
        "gdi": {"queries": len(gdi_q), "pairs": sum(len(gdi[q]) for q in gdi_q)},
        "seed": seed,
        "candidates": len(base.candidates),
        "methods": results,
        "seconds_per_query_features": round(feature_seconds / max(n_features, 1), 4),
    }
    out["mrr_ratio"] = round(out["suggester"]["mrr"] / out["baseline"]["mrr"], 3) if out["baseline"]["mrr"] else None
    out["curated"] = curated_agreement(corpus, base, results[chosen]["weights"], limit=limit)
    if embedder is not None:
        out["embedding_model"] = {"name": embedder.name, "version": embedder.version,
                                  "load_seconds": round(embedder.load_seconds, 3)}
    return out


def curated_agreement(corpus: Corpus, base: Suggester, weights: dict, limit: int | None = None) -> dict:
    """How often the chosen method's first suggestion is a target the project curated (ROSA, DERA,
    EAR, OCW), and how its top confidence differs between aligned elements and deviations."""
    w = tuple(weights.values())
    links = corpus.links_to(NORA)
    candidates = {c.iri for c in base.candidates}
    members = {GEMMA, GDI, NORA}
    aligned = sorted(s for s, t in links.items()
                     if corpus.elements[s].architecture not in members and t & candidates)
    deviating = sorted(s for s, archs in corpus.deviations.items()
                       if NORA in archs and s not in links and corpus.elements[s].architecture not in members)
    if limit:
        aligned, deviating = aligned[:limit], deviating[:limit]
    top1, top5, conf_aligned, conf_dev = [], [], [], []
    total = sum(w) or 1.0
    for s in aligned + deviating:
        known = {k: v for k, v in links.items() if k != s}
        feats = base.with_known(known).features(corpus.elements[s])
        ranking = base.ranking(feats, w)
        best = Suggester.combine(feats[ranking[0]], w) / total
        if s in links:
            top1.append(float(ranking[0] in links[s]))
            top5.append(float(bool(set(ranking[:5]) & links[s])))
            conf_aligned.append(best)
        else:
            conf_dev.append(best)
    return {
        "aligned_elements": len(aligned), "deviation_elements": len(deviating),
        "top1_agreement": round(mean(top1), 4) if top1 else None,
        "top5_agreement": round(mean(top5), 4) if top5 else None,
        "mean_top_confidence_aligned": round(mean(conf_aligned), 4) if conf_aligned else None,
        "mean_top_confidence_deviation": round(mean(conf_dev), 4) if conf_dev else None,
    }
