"""The evaluation as Markdown tables (for the terminal and for BENCHMARKS.md)."""

from __future__ import annotations

from .metrics import NAMES
from .ranker import FEATURES


def method_table(result: dict, part: str) -> list[str]:
    lines = ["| method | weights (lexical, embedding, neighbours, prior, similar) | " + " | ".join(NAMES) + " |",
             "|---|---|" + "---:|" * len(NAMES)]
    for method, r in result["methods"].items():
        w = r["weights"]
        weights = ", ".join(f"{w[k]:g}" for k in FEATURES)
        lines.append(f"| {method} | {weights} | " + " | ".join(f"{r[part][n]:.3f}" for n in NAMES) + " |")
    return lines


def text_report(result: dict) -> str:
    h, t, g = result["held_out"], result["tune"], result["gdi"]
    out = [f"GEMMA held-out half: {h['queries']} elements, {h['pairs']} stated links "
           f"(tuned on the other half: {t['queries']} elements, {t['pairs']} links; seed {result['seed']}; "
           f"{result['candidates']} NORA candidates)", ""]
    out += method_table(result, "held_out")
    out += ["", f"GDI (held out entirely): {g['queries']} principles, {g['pairs']} stated links", ""]
    out += method_table(result, "gdi")
    s, b = result["suggester"], result["baseline"]
    ratio = result.get("mrr_ratio")
    out += ["", f"chosen: {s['method']}, held-out MRR {s['mrr']:.3f} vs lexical {b['mrr']:.3f}"
            + (f" ({ratio:.2f}x)" if ratio else "") + f", hit@5 {s['hit@5']:.3f}"]
    c = result["curated"]
    if c.get("top1_agreement") is not None:
        out += [f"curated alignments (ROSA, DERA, EAR, OCW): first suggestion is a curated target for "
                f"{c['top1_agreement']:.1%} of {c['aligned_elements']} aligned elements (one of the first five: "
                f"{c['top5_agreement']:.1%}); mean top confidence aligned {c['mean_top_confidence_aligned']}, "
                f"deviations {c['mean_top_confidence_deviation']} ({c['deviation_elements']} elements)"]
    if "embedding_model" in result:
        m = result["embedding_model"]
        out += [f"embedding model: {m['name']} {m['version']}, loaded in {m['load_seconds']:.2f} s"]
    return "\n".join(out) + "\n"
