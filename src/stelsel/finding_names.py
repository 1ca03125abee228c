"""Findings for people in their language: IRIs in a message replaced by notation and label.

The shapes write messages with IRIs (and sometimes a Dutch label, from the data). For the text
report in ``--lang en`` this names every IRI the data labels by its notation and its label in that
language ("AP07 “Use the national building blocks”"), replaces a Dutch "notation label (IRI)" by the
same, and names the architectures in the coverage lines in that language. Machine fields (focus,
value, path, fingerprint) keep their IRIs. The labels come from the data files the report read.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyoxigraph as ox

from .findings import Report

SKOS = "http://www.w3.org/2004/02/skos/core#"
IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"{}|\\^`,;()]+")
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
            ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
            ".owl": ox.RdfFormat.RDF_XML}


def read_names(paths: list[Path]) -> dict[str, dict]:
    """{iri: {"notation": …, "label": {lang: …}}} from the files (unreadable ones are skipped)."""
    names: dict[str, dict] = {}
    for path in paths:
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None or not path.is_file():
            continue
        try:
            quads = ox.parse(path=str(path), format=fmt)
            for q in quads:
                p = q.predicate.value
                if p not in (SKOS + "notation", SKOS + "prefLabel") or not isinstance(q.subject, ox.NamedNode):
                    continue
                entry = names.setdefault(q.subject.value, {"notation": None, "label": {}})
                if p == SKOS + "notation":
                    entry["notation"] = q.object.value
                else:
                    entry["label"].setdefault(getattr(q.object, "language", None) or "", q.object.value)
        except (SyntaxError, OSError, ValueError):
            continue
    return names


def _label(entry: dict, lang: str) -> str | None:
    labels = entry["label"]
    return labels.get(lang) or labels.get("") or labels.get("nl" if lang == "en" else "en")


def display(entry: dict, lang: str) -> str | None:
    label = _label(entry, lang)
    code = entry.get("notation")
    if code and label and label != code:
        return f"{code} “{label}”"
    return code or (f"“{label}”" if label else None)


def name_text(text: str, names: dict[str, dict], lang: str) -> str:
    for iri in sorted(set(IRI_IN_TEXT.findall(text)), key=len, reverse=True):
        iri = iri.rstrip(".:")
        entry = names.get(iri)
        shown = display(entry, lang) if entry else None
        if not shown:
            continue
        for other in ("nl", "en", ""):  # "NAP02 <label in the data's language> (<iri>)"
            label = entry["label"].get(other)
            if label and entry.get("notation"):
                text = text.replace(f"{entry['notation']} {label} ({iri})", shown)
        text = re.sub(re.escape(iri) + r"(?![\w/#-])", shown, text)
    return text


def name_findings(report: Report, paths: list[Path], lang: str) -> Report:
    """A copy of ``report`` whose messages (in ``lang``) and coverage labels use names."""
    names = read_names(paths)
    if not names:
        return report
    findings = []
    for f in report.findings:
        if f.message.get(lang):
            f = dataclasses.replace(f, message={**f.message, lang: name_text(f.message[lang], names, lang)})
        findings.append(f)
    coverage = [dataclasses.replace(c, label=_label(names[c.architecture], lang) or c.label)
                if c.architecture in names else c for c in report.coverage]
    architectures = {f.architecture for f in report.findings if f.architecture in names}
    named = {a: label for a in architectures if (label := _label(names[a], lang))}
    return dataclasses.replace(report, findings=findings, coverage=coverage, names={**report.names, **named})


def data_paths(labels: list[str], content_root: Path) -> list[Path]:
    """The files behind a report's data labels (relative to the working folder or the content root)."""
    out = []
    for label in labels:
        for candidate in (Path(label), content_root / label):
            if candidate.is_file():
                out.append(candidate)
                break
    return out
