"""Suggestions as text, JSON or SSSOM/TSV (one mapping per suggestion, with confidence and tool)."""

from __future__ import annotations

import json
from datetime import date

from .. import __version__
from ..vocab import ID
from .ranker import Suggestion

KIND_PREDICATE = {"closeMatch": "skos:closeMatch", "broadMatch": "skos:broadMatch", "narrowMatch": "skos:narrowMatch",
                  "relatedMatch": "skos:relatedMatch", "realiseert": "stelsel:realiseert", "linked": "skos:relatedMatch"}
CURIE_MAP = {"skos": "http://www.w3.org/2004/02/skos/core#", "semapv": "https://w3id.org/semapv/vocab/",
             "stelsel": "https://w3id.org/stelsel/def#", "id": str(ID)}
TOOL = "stelsel suggest"


def short_iri(iri: str) -> str:
    return "id:" + iri.removeprefix(str(ID)) if iri.startswith(str(ID)) else iri


def justification(method: str) -> str:
    return ("semapv:SemanticSimilarityThresholdMatching" if method in ("embedding", "hybrid")
            else "semapv:LexicalMatching")


def as_dict(s: Suggestion, lang: str = "nl") -> dict:
    return {"rank": s.rank, "source": s.source.iri, "target": s.target.iri, "target_notation": s.target.notation,
            "target_label": s.target.label, "target_kind": s.target.kind, "score": s.score,
            "confidence": s.confidence, "match": s.kind, "already_aligned": s.existing,
            "why": [r[lang] for r in s.reasons], "evidence": [{k: v for k, v in r.items() if k not in ("nl", "en")}
                                                           for r in s.reasons]}


def render_json(groups: list[tuple], method: str, lang: str) -> str:
    return json.dumps({"method": method, "tool": TOOL, "version": __version__, "elements": [
        {"element": src.iri, "label": src.label, "kind": src.kind,
         "suggestions": [as_dict(s, lang) for s in suggestions]} for src, suggestions in groups]},
        ensure_ascii=False, indent=2) + "\n"


def render_text(groups: list[tuple], method: str, lang: str) -> str:
    lines = []
    for src, suggestions in groups:
        lines.append(f"{src.short()} ({src.kind}) — {len(suggestions)} "
                     f"{'suggesties' if lang == 'nl' else 'suggestions'} ({method})")
        for s in suggestions:
            mark = " [al aangesloten]" if s.existing and lang == "nl" else " [aligned]" if s.existing else ""
            lines.append(f"  {s.rank:>2}. {s.target.short()} ({s.target.kind})  score {s.score:.3f}  "
                         f"{s.kind}{mark}")
            for r in s.reasons:
                lines.append(f"      - {r[lang]}")
        lines.append("")
    return "\n".join(lines)


def render_sssom(groups: list[tuple], method: str, lang: str) -> str:
    head = ["# curie_map:"] + [f"#   {k}: {v}" for k, v in CURIE_MAP.items()]
    head += [f"# mapping_set_id: {ID}aansluitingsset/suggesties", "# license: https://creativecommons.org/licenses/by/4.0/",
             f"# mapping_tool: {TOOL}", f"# mapping_tool_version: {__version__}",
             f"# mapping_date: {date.today().isoformat()}"]
    cols = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
            "confidence", "mapping_tool", "mapping_tool_version", "comment"]
    rows = ["\t".join(cols)]
    for src, suggestions in groups:
        for s in suggestions:
            comment = "; ".join(r[lang] for r in s.reasons)
            if s.kind == "linked":
                comment = ("alleen een verband voorspeld; " if lang == "nl" else "only a link predicted; ") + comment
            values = [short_iri(src.iri), src.label, KIND_PREDICATE[s.kind], short_iri(s.target.iri), s.target.label,
                      justification(method), f"{s.confidence:.4f}", TOOL, __version__, comment]
            rows.append("\t".join(v.replace("\t", " ").replace("\n", " ") for v in values))
    return "\n".join(head + rows) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "sssom": render_sssom}
