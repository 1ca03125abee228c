"""Validation findings as actions: what to change, named in the visitor's language, with links.

A finding's message names resources by IRI ("Aansluiting https://…/aansluiting/035d… van
https://…/ear/Atlas10 wijst naar https://…/nora/AP07 …"). Here every IRI in the message becomes a
reference (notation and label; an alignment as "aansluiting Atlas10 → AP07"), so the page shows
named links; ``fix`` is the one thing to open and change (the alignment or element the finding is
about, else its focus node); ``rule`` is the shape with its label in both languages.
"""

from __future__ import annotations

import re

from ..findings import Finding
from .browse_model import SHAPES_NS, S, Browse, local_name

IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"{}|\\^`,;]+")
ALIGNMENT_KINDS = (S + "Aansluiting", S + "Afwijking")
# what a visitor opens to change, most specific first
_FIX_ORDER = ("alignment", "element", "architecture", "other")


def split_message(text: str) -> list[str | tuple[str]]:
    """The message as text pieces and ``(iri,)`` pieces; a full stop after an IRI stays text."""
    parts: list[str | tuple[str]] = []
    last = 0
    for m in IRI_IN_TEXT.finditer(text or ""):
        iri = m.group(0).rstrip(".:)")
        end = m.start() + len(iri)
        if m.start() > last:
            parts.append(text[last:m.start()])
        parts.append((iri,))
        last = end
    if last < len(text or ""):
        parts.append(text[last:])
    return parts


def _role(ref: dict | None) -> str:
    if not ref or not ref.get("href"):
        return "other"
    if ref.get("kind") in ALIGNMENT_KINDS:
        return "alignment"
    if ref.get("kind") == S + "Architectuur":
        return "architecture"
    if ref.get("architecture"):
        return "element"
    return "other"


def named_refs(browse: Browse, iris: set[str]) -> dict[str, dict]:
    """``brief`` refs, with alignments and deviations named after their two ends."""
    refs = browse.brief(iris)
    ends = [i for i, r in refs.items() if r.get("kind") in ALIGNMENT_KINDS]
    if ends:
        values = " ".join(f"<{i}>" for i in ends)
        rows = browse.select(f"""SELECT ?a ?v ?t ?ten WHERE {{ VALUES ?a {{ {values} }}
            ?a stelsel:vanElement ?v . OPTIONAL {{ ?a stelsel:naarElement ?t }}
            OPTIONAL {{ ?a stelsel:tenOpzichteVan ?ten }} }}""")
        names = browse.brief({r[k] for r in rows for k in ("v", "t") if r.get(k)})

        def short(iri):  # the notation, else the label (in both languages)
            ref = names.get(iri) or {}
            if ref.get("notation"):
                return {"nl": ref["notation"], "en": ref["notation"]}
            label = ref.get("label") or {}
            return {lang: label.get(lang) or _pick_any(label) if label else "?" for lang in ("nl", "en")}
        for r in rows:
            van = short(r["v"])
            if refs[r["a"]]["kind"] == S + "Afwijking":
                arch = browse.arch_ref(r.get("ten"))
                other = _pick_any(arch["label"]) if arch else "?"
                refs[r["a"]]["label"] = {"nl": f"afwijking van {van['nl']} t.o.v. {other}",
                                         "en": f"deviation of {van['en']} from {other}"}
            else:
                naar = short(r.get("t"))
                refs[r["a"]]["label"] = {"nl": f"aansluiting {van['nl']} → {naar['nl']}",
                                         "en": f"alignment {van['en']} → {naar['en']}"}
    return refs


def _pick_any(texts: dict) -> str:
    return next((v for v in texts.values() if v), "?")


def finding_views(findings: list[Finding], browse: Browse, lang: str) -> list[dict]:
    """One dict per finding: ``parts`` (text and refs), ``fix`` (ref to change), ``focus``, ``rule``."""
    messages = {id(f): split_message(f.text(lang) or f.rule_text(lang) or "") for f in findings}
    iris = {f.focus_node for f in findings} | {f.value for f in findings if f.value and f.value.startswith("http")}
    iris |= {p[0] for parts in messages.values() for p in parts if isinstance(p, tuple)}
    refs = named_refs(browse, iris)
    shapes = {s["iri"]: s for s in browse.shapes()}
    out = []
    for f in findings:
        candidates = [refs.get(x) for x in (f.value, f.focus_node) if x]
        candidates += [refs.get(p[0]) for p in messages[id(f)] if isinstance(p, tuple)]
        candidates = [c for c in candidates if c]
        fix = min(candidates, key=lambda c: _FIX_ORDER.index(_role(c)), default=None)
        shape = shapes.get(f.source_shape) or {}
        out.append({
            "parts": [{"ref": refs.get(p[0]) or {"iri": p[0], "label": {"": p[0]}}} if isinstance(p, tuple)
                      else {"text": p} for p in messages[id(f)]],
            "fix": fix, "fixRole": _role(fix), "focus": refs.get(f.focus_node),
            "rule": {"name": local_name(f.source_shape) if f.source_shape.startswith(SHAPES_NS) else None,
                     "label": shape.get("label") or {"": local_name(f.source_shape or f.constraint)}},
        })
    return out
