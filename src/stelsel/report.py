"""Validation reports as text for people and for CI tools: one small function per format.

    render(report, "sarif")                     # -> str
    render(report, "text", lang="en", fail_on=Severity.WARNING)

Formats (``FORMATS``): ``text`` (grep-friendly lines plus a summary), ``json`` (the stable
document described in docs/validation.md, ``schema_version`` 1), ``turtle`` and ``jsonld`` (a SHACL
``sh:ValidationReport`` graph), ``csv``, ``sarif`` (SARIF 2.1.0, for GitHub code scanning),
``junit`` (JUnit XML for Jenkins and GitLab) and ``github`` (GitHub Actions workflow commands).

Nothing here runs an engine: every formatter reads a :class:`stelsel.findings.Report` only.
``fail_on`` is the threshold at and above which a finding fails the run (exit code 1); formats that
say whether the data conforms (json, turtle/jsonld, junit, sarif) use it too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from typing import Callable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.util import from_n3

from . import __version__
from .errors import StelselError
from .findings import Finding, Report, Severity
from .vocab import ID, SH, STELSEL

__all__ = ["FORMATS", "render", "render_text", "render_json", "render_turtle", "render_jsonld",
           "render_csv", "render_sarif", "render_junit", "render_github", "rule_id",
           "github_escape_data", "github_escape_property", "JSON_SCHEMA_VERSION"]

JSON_SCHEMA_VERSION = 1
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMAND = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
CSV_COLUMNS = ("severity", "file", "line", "column", "focus_node", "path", "value", "source_shape",
               "constraint", "architecture", "graph", "message", "fingerprint")

#: the words of the text summary, per language (the findings' own messages come from the shapes)
WORDS = {
    "nl": {
        "findings": "bevindingen", "finding": "bevinding",
        Severity.VIOLATION: ("overtreding", "overtredingen"),
        Severity.WARNING: ("waarschuwing", "waarschuwingen"), Severity.INFO: ("info", "info"),
        "by_architecture": "per architectuur", "none": "(geen architectuur)",
        "coverage": "dekking NORA-architectuurprincipes", "missing": "ontbreekt",
        "baselined": "uit de baseline (niet meegeteld)", "engine": "engine",
        "conforms": "voldoet", "not_conforms": "voldoet niet", "threshold": "drempel",
        "seconds": "s",
    },
    "en": {
        "findings": "findings", "finding": "finding",
        Severity.VIOLATION: ("violation", "violations"),
        Severity.WARNING: ("warning", "warnings"), Severity.INFO: ("info", "info"),
        "by_architecture": "by architecture", "none": "(no architecture)",
        "coverage": "coverage of NORA architecture principles", "missing": "missing",
        "baselined": "baselined (not counted)", "engine": "engine",
        "conforms": "conforms", "not_conforms": "does not conform", "threshold": "threshold",
        "seconds": "s",
    },
}

_SEVERITY_ORDER = (Severity.VIOLATION, Severity.WARNING, Severity.INFO)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


# -------------------------------------------------------------------------------------------------
#  shared helpers
# -------------------------------------------------------------------------------------------------

def local_name(iri: str) -> str:
    """The part after the last '#' or '/' (the whole text when there is none)."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri


def rule_id(finding: Finding) -> str:
    """The id of a finding's rule: the shape's local name; for a blank-node shape the constraint
    component's local name, with the path's local name when there is one (stable across runs,
    unlike blank node labels)."""
    if not finding.source_shape.startswith("_:"):
        return local_name(finding.source_shape)
    base = local_name(finding.constraint).removesuffix("ConstraintComponent")
    return f"{base}-{local_name(finding.path)}" if finding.path else base


def _rule_ids(findings: list[Finding]) -> dict[str, str]:
    """Rule key (shape IRI, or the blank-node rule id) -> id, unique: local names that two shapes
    share fall back to the full IRI."""
    keys = {_rule_key(f): rule_id(f) for f in findings}
    clashes = {v for v, n in Counter(keys.values()).items() if n > 1}
    return {k: (k if v in clashes else v) for k, v in keys.items()}


def _rule_key(finding: Finding) -> str:
    return finding.source_shape if not finding.source_shape.startswith("_:") else rule_id(finding)


def show_term(text: str | None) -> str:
    """A term for people: IRIs in <…>, blank nodes and literals as given."""
    if text is None:
        return ""
    if text.startswith(('"', "_:", "<")):
        return text
    return f"<{text}>"


def architecture_name(iri: str | None, report: Report, lang: str) -> str:
    if iri is None:
        return WORDS[_lang(lang)]["none"]
    if report.names.get(iri):
        return report.names[iri]
    for c in report.coverage:
        if c.architecture == iri and c.label:
            return c.label
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def _lang(lang: str) -> str:
    return lang if lang in WORDS else "en"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _message(finding: Finding, lang: str) -> str:
    return finding.text(lang) or finding.rule_text(lang) or local_name(finding.constraint)


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by file, line, column, focus node: stable output."""
    def key(f: Finding):
        loc = f.location
        return (-f.severity.rank, loc.path if loc else "\uffff", (loc.line or 0) if loc else 0,
                (loc.column or 0) if loc else 0, f.focus_node, rule_id(f), f.path or "",
                f.value or "")
    return sorted(findings, key=key)


def _finding_dict(f: Finding, lang: str) -> dict:
    return {
        "severity": f.severity.value,
        **({"severity_iri": f.custom_severity} if f.custom_severity else {}),
        "message": _message(f, lang),
        "messages": dict(sorted(f.message.items())),
        "rule": dict(sorted(f.rule.items())),
        "rule_id": rule_id(f),
        "focus_node": f.focus_node,
        "path": f.path,
        "value": f.value,
        "source_shape": f.source_shape,
        "constraint": f.constraint,
        "graph": f.graph,
        "architecture": f.architecture,
        "location": ({"path": f.location.path, "line": f.location.line,
                      "column": f.location.column} if f.location else None),
        "fingerprint": f.fingerprint,
    }


# -------------------------------------------------------------------------------------------------
#  text
# -------------------------------------------------------------------------------------------------

def text_line(f: Finding, lang: str = "nl") -> str:
    """``path:line:col: severity: message [shape] focus=<…> value=<…>``; without a location the
    line starts at the severity."""
    parts = [f"{f.location}: " if f.location else "", f"{f.severity.value.lower()}"
             + (f" ({show_term(f.custom_severity)})" if f.custom_severity else "") + ": ",
             _one_line(_message(f, lang)), f" [{rule_id(f)}]", f" focus={show_term(f.focus_node)}"]
    if f.path:
        parts.append(f" path={show_term(f.path)}")
    if f.value is not None:
        parts.append(f" value={_one_line(show_term(f.value))}")
    return "".join(parts)


def _counted(counts, w: dict) -> str:
    return ", ".join(f"{counts[s]} {w[s][0] if counts[s] == 1 else w[s][1]}" for s in _SEVERITY_ORDER)


def render_text(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    w = WORDS[_lang(lang)]
    lines = [text_line(f, lang) for f in _sorted(report.findings)]
    if lines:
        lines.append("")
    counts = report.counts()
    total = len(report.findings)
    lines.append(f"{total} {w['finding'] if total == 1 else w['findings']}: "
                 + _counted(counts, w))
    by_arch = defaultdict(Counter)
    for f in report.findings:
        by_arch[f.architecture][f.severity] += 1
    if by_arch:
        lines.append(f"{w['by_architecture']}:")
        for arch in sorted(by_arch, key=lambda a: (a is None, a or "")):
            c = by_arch[arch]
            lines.append(f"  {architecture_name(arch, report, lang)}: " + _counted(c, w))
    if report.coverage:
        lines.append(f"{w['coverage']}:")
        for cov in report.coverage:
            line = f"  {cov.label or architecture_name(cov.architecture, report, lang)}: " \
                   f"{cov.covered}/{cov.total} ({cov.percent:.1f}%)"
            if cov.missing:
                shown = ", ".join(local_name(m) for m in cov.missing[:10])
                more = ", …" if len(cov.missing) > 10 else ""
                line += f"; {w['missing']}: {shown}{more}"
            lines.append(line)
    lines.append(f"{w['baselined']}: {len(report.baselined)}")
    verdict = w["conforms"] if report.conforms(fail_on) else w["not_conforms"]
    lines.append(f"{verdict} ({w['threshold']} {fail_on.value.lower()}); "
                 f"{w['engine']} {report.engine}, {report.seconds:.2f} {w['seconds']}")
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------------------
#  json
# -------------------------------------------------------------------------------------------------

def render_json(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    """The stable JSON document (``schema_version`` 1; see docs/validation.md)."""
    counts = report.counts()
    by_arch: dict[str, dict[str, int]] = defaultdict(lambda: {s.value: 0 for s in _SEVERITY_ORDER})
    for f in report.findings:
        by_arch[f.architecture or ""][f.severity.value] += 1
    doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "stelsel", "version": __version__},
        "lang": lang,
        "fail_on": fail_on.value,
        "conforms": report.conforms(fail_on),
        "exit_code": report.exit_code(fail_on),
        "engine": report.engine,
        "seconds": round(report.seconds, 3),
        "data": list(report.data),
        "shapes": list(report.shapes),
        "counts": {s.value: counts[s] for s in _SEVERITY_ORDER},
        "counts_by_architecture": {k: by_arch[k] for k in sorted(by_arch)},
        "baselined": len(report.baselined),
        "coverage": [{"architecture": c.architecture, "label": c.label, "covered": c.covered,
                      "total": c.total, "percent": round(c.percent, 1), "missing": list(c.missing)}
                     for c in report.coverage],
        "findings": [_finding_dict(f, lang) for f in _sorted(report.findings)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -------------------------------------------------------------------------------------------------
#  turtle / jsonld: a SHACL validation report graph
# -------------------------------------------------------------------------------------------------

def _rdf_term(text: str):
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        try:
            return from_n3(text)
        except Exception:  # a literal we cannot read back: keep its text
            return Literal(text)
    return URIRef(text.strip("<>"))


def path_node(g: Graph, text: str):
    """A result path (a bare IRI, or a SPARQL property path as :mod:`stelsel.validation` writes
    it: ``^<p>``, ``(<a>|<b>)``, ``<a>/<b>*`` …) as a SHACL path node, its triples added to ``g``."""
    if _ABSOLUTE_IRI.match(text) and not text.startswith("<"):
        return URIRef(text)
    tokens = re.findall(r"<[^>]*>|_:[\w.-]+|[\^()|/*+?]", text)
    if "".join(tokens) != re.sub(r"\s+", "", text):
        return None  # not a path this module wrote: leave it out rather than guess
    at = 0

    def peek():
        return tokens[at] if at < len(tokens) else None

    def take():
        nonlocal at
        at += 1
        return tokens[at - 1]

    def node_with(predicate, value):
        n = BNode()
        g.add((n, predicate, value))
        return n

    def as_list(items):
        head = BNode()
        Collection(g, head, items)
        return head

    def alternative():
        items = [sequence()]
        while peek() == "|":
            take()
            items.append(sequence())
        return items[0] if len(items) == 1 else node_with(SH.alternativePath, as_list(items))

    def sequence():
        items = [element()]
        while peek() == "/":
            take()
            items.append(element())
        return items[0] if len(items) == 1 else as_list(items)

    def element():
        if peek() == "^":
            take()
            return node_with(SH.inversePath, element())
        token = take()
        if token == "(":
            inner = alternative()
            take()  # ")"
        elif token.startswith("_:"):
            inner = BNode(token[2:])
        else:
            inner = URIRef(token[1:-1])
        mods = {"*": SH.zeroOrMorePath, "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}
        while peek() in mods:
            inner = node_with(mods[take()], inner)
        return inner

    try:
        return alternative()
    except IndexError:
        return None


def report_graph(report: Report, fail_on: Severity = Severity.VIOLATION) -> Graph:
    """A ``sh:ValidationReport`` with one ``sh:result`` per finding; the location of the focus
    node as ``stelsel:bestand`` / ``stelsel:regel`` / ``stelsel:kolom``. ``sh:conforms`` honours
    ``fail_on`` (as pySHACL's ``allow_warnings`` does)."""
    g = Graph()
    g.bind("sh", SH)
    g.bind("stelsel", STELSEL)
    g.bind("xsd", XSD)
    root = BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms(fail_on))))
    for i, f in enumerate(_sorted(report.findings)):
        r = BNode(f"r{i + 1}")
        g.add((root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, _rdf_term(f.focus_node)))
        path = path_node(g, f.path) if f.path else None
        if path is not None:
            g.add((r, SH.resultPath, path))
        if f.value is not None:
            g.add((r, SH.value, _rdf_term(f.value)))
        g.add((r, SH.sourceShape, _rdf_term(f.source_shape)))
        g.add((r, SH.sourceConstraintComponent, URIRef(f.constraint)))
        g.add((r, SH.resultSeverity, URIRef(f.severity_iri)))
        for tag, text in sorted(f.message.items()):
            g.add((r, SH.resultMessage, Literal(text, lang=tag or None)))
        if f.location:
            g.add((r, STELSEL.bestand, Literal(f.location.path)))
            if f.location.line is not None:
                g.add((r, STELSEL.regel, Literal(f.location.line, datatype=XSD.positiveInteger)))
            if f.location.column is not None:
                g.add((r, STELSEL.kolom, Literal(f.location.column, datatype=XSD.positiveInteger)))
    return g


def render_turtle(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    return report_graph(report, fail_on).serialize(format="turtle")


def render_jsonld(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    context = {"sh": str(SH), "stelsel": str(STELSEL), "xsd": str(XSD)}
    return report_graph(report, fail_on).serialize(format="json-ld", context=context, indent=2)


# -------------------------------------------------------------------------------------------------
#  csv
# -------------------------------------------------------------------------------------------------

def render_csv(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in _sorted(report.findings):
        loc = f.location
        writer.writerow([f.severity.value, loc.path if loc else "",
                         loc.line if loc and loc.line is not None else "",
                         loc.column if loc and loc.column is not None else "",
                         f.focus_node, f.path or "", f.value if f.value is not None else "",
                         f.source_shape, f.constraint, f.architecture or "", f.graph or "",
                         _message(f, lang), f.fingerprint])
    return out.getvalue()


# -------------------------------------------------------------------------------------------------
#  sarif
# -------------------------------------------------------------------------------------------------

def render_sarif(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    """SARIF 2.1.0: one rule per source shape, one result per finding (GitHub code scanning reads
    ``ruleId``, ``level``, ``message.text``, the first physical location and
    ``partialFingerprints``)."""
    findings = _sorted(report.findings)
    ids = _rule_ids(findings)
    rules: list[dict] = []
    index: dict[str, int] = {}
    for f in findings:
        key = _rule_key(f)
        if key in index:
            continue
        index[key] = len(rules)
        text = _one_line(f.rule_text(lang) or local_name(f.constraint))
        rule = {"id": ids[key], "name": rule_id(f),
                "shortDescription": {"text": text},
                "fullDescription": {"text": text},
                "defaultConfiguration": {"level": SARIF_LEVEL[f.severity]},
                "properties": {"tags": ["shacl"], "shape": f.source_shape,
                               "constraint": f.constraint}}
        if f.source_shape.startswith(("http://", "https://")):
            rule["helpUri"] = f.source_shape
        rules.append(rule)
    results = []
    for f in findings:
        key = _rule_key(f)
        logical = {"fullyQualifiedName": f.focus_node, "kind": "resource"}
        location: dict = {"logicalLocations": [logical]}
        if f.location:
            physical: dict = {"artifactLocation": {"uri": _uri_reference(f.location.path),
                                                   "uriBaseId": "%SRCROOT%"}}
            if f.location.line is not None:
                physical["region"] = {"startLine": f.location.line}
                if f.location.column is not None:
                    physical["region"]["startColumn"] = f.location.column
            location = {"physicalLocation": physical, **location}
        props = {k: v for k, v in (("focusNode", f.focus_node), ("resultPath", f.path),
                                   ("value", f.value), ("sourceShape", f.source_shape),
                                   ("constraint", f.constraint), ("graph", f.graph),
                                   ("architecture", f.architecture)) if v is not None}
        results.append({"ruleId": ids[key], "ruleIndex": index[key], "level": SARIF_LEVEL[f.severity],
                        "message": {"text": _message(f, lang)}, "locations": [location],
                        "partialFingerprints": {"stelsel/v1": f.fingerprint}, "properties": props})
    run = {
        "tool": {"driver": {"name": "stelsel", "version": __version__, "rules": rules}},
        "invocations": [{"executionSuccessful": True, "exitCode": report.exit_code(fail_on)}],
        "language": _lang(lang),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"engine": report.engine, "seconds": round(report.seconds, 3),
                       "failOn": fail_on.value, "baselined": len(report.baselined),
                       "coverage": [{"architecture": c.architecture, "covered": c.covered,
                                     "total": c.total} for c in report.coverage]},
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _uri_reference(path: str) -> str:
    """A file path as a relative URI reference (forward slashes, spaces and the like escaped)."""
    return quote(path.replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")


# -------------------------------------------------------------------------------------------------
#  junit
# -------------------------------------------------------------------------------------------------

def render_junit(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    """JUnit XML: a ``testsuite`` per source shape, a ``testcase`` per finding; findings at or
    above ``fail_on`` are ``<failure>``, lower ones ``<skipped>`` with the details in
    ``<system-out>``. A run without findings is one passing test case."""
    findings = _sorted(report.findings)
    ids = _rule_ids(findings)
    suites: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        suites[ids[_rule_key(f)]].append(f)
    failing = report.failing(fail_on)
    root = ET.Element("testsuites", name="stelsel validate", tests=str(max(len(findings), 1)),
                      failures=str(len(failing)), errors="0",
                      skipped=str(len(findings) - len(failing)), time=f"{report.seconds:.3f}")
    if not findings:
        suite = ET.SubElement(root, "testsuite", name="stelsel", tests="1", failures="0",
                              errors="0", skipped="0", time=f"{report.seconds:.3f}")
        ET.SubElement(suite, "testcase", name="conforms", classname="stelsel",
                      time=f"{report.seconds:.3f}")
    for name in sorted(suites):
        members = suites[name]
        n_fail = sum(1 for f in members if f.severity.rank >= fail_on.rank)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(members)),
                              failures=str(n_fail), errors="0", skipped=str(len(members) - n_fail),
                              time="0")
        for f in members:
            attrs = {"name": f"{show_term(f.focus_node)}" + (f" {show_term(f.path)}" if f.path else ""),
                     "classname": f"stelsel.{name}", "time": "0"}
            if f.location:
                attrs["file"] = f.location.path
                if f.location.line is not None:
                    attrs["line"] = str(f.location.line)
            case = ET.SubElement(suite, "testcase", attrs)
            detail = text_line(f, lang)
            if f.severity.rank >= fail_on.rank:
                failure = ET.SubElement(case, "failure", message=_one_line(_message(f, lang)),
                                        type=f.severity.value)
                failure.text = detail
            else:
                ET.SubElement(case, "skipped", message=f"{f.severity.value}: "
                              + _one_line(_message(f, lang)))
                ET.SubElement(case, "system-out").text = detail
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -------------------------------------------------------------------------------------------------
#  github workflow commands
# -------------------------------------------------------------------------------------------------

def github_escape_data(text: str) -> str:
    """The message part of a workflow command: % CR LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """A property value (file, title): also ':' and ','."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, lang: str = "nl", fail_on: Severity = Severity.VIOLATION) -> str:
    """One ``::error``/``::warning``/``::notice`` per finding, shown as annotations on the files."""
    lines = []
    for f in _sorted(report.findings):
        props = []
        if f.location:
            props.append(f"file={github_escape_property(f.location.path)}")
            if f.location.line is not None:
                props.append(f"line={f.location.line}")
                if f.location.column is not None:
                    props.append(f"col={f.location.column}")
        props.append(f"title={github_escape_property(rule_id(f))}")
        message = f"{_message(f, lang)} (focus {show_term(f.focus_node)}"
        if f.value is not None:
            message += f", value {show_term(f.value)}"
        message += ")"
        lines.append(f"::{GITHUB_COMMAND[f.severity]} {','.join(props)}::{github_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


# -------------------------------------------------------------------------------------------------
#  dispatch
# -------------------------------------------------------------------------------------------------

FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "jsonld": render_jsonld,
    "csv": render_csv,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
}


def render(report: Report, fmt: str, *, lang: str = "nl",
           fail_on: Severity = Severity.VIOLATION) -> str:
    """The report in format ``fmt`` (one of ``FORMATS``), messages in ``lang`` ('nl' or 'en')."""
    try:
        formatter = FORMATS[fmt]
    except KeyError:
        raise StelselError(f"unknown report format {fmt!r}",
                           hint="use one of: " + ", ".join(FORMATS)) from None
    return formatter(report, lang=lang, fail_on=fail_on)
