"""Engine results as findings: terms as text, paths as SPARQL property paths, messages per
language, custom severities, each finding located in the file and graph of its node."""

from __future__ import annotations

import re

from ..findings import Finding, Severity
from ..vocab import SH
from .inputs import _Index, _S, _Source, _XSD_STRING
from .shapes import _Shapes


# -- turning engine results into findings -------------------------------------------------------------
def _nt(term) -> str:
    """A term as text: IRIs bare, blank nodes ``_:id``, literals in N-Triples form."""
    from rdflib import BNode, Literal
    if isinstance(term, Literal):
        lexical = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r"))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _path_text(graph, node) -> str:
    """An sh:path node as a SPARQL property path (a plain predicate: its bare IRI)."""
    from rdflib import URIRef
    if isinstance(node, URIRef):
        return str(node)
    return _path_part(graph, node)[0]


def _path_part(graph, node) -> tuple[str, bool]:
    """(SPARQL text, whether it is a primary that needs no parentheses) of a path node."""
    from rdflib import RDF, URIRef
    from rdflib.collection import Collection
    if isinstance(node, URIRef):
        return f"<{node}>", True
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        text, primary = _path_part(graph, inverse)
        return "^" + (text if primary else f"({text})"), True
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_part(graph, i)[0] for i in Collection(graph, alternatives)) + ")", True
    for pred, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, pred)
        if inner is not None:
            text, primary = _path_part(graph, inner)
            return (text if primary else f"({text})") + mark, False
    if (node, RDF.first, None) in graph:
        return "/".join(_path_part(graph, i)[0] for i in Collection(graph, node)), False
    return "_:" + str(node), True


def _by_language(values) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        lang = getattr(v, "language", None) or ""
        out.setdefault(lang, str(v))
    return out


_PLACEHOLDER = re.compile(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}")


def _messages(reported: list, templates: list, known: dict[str, str]) -> dict[str, str]:
    """The result messages per language tag, placeholders filled.

    pySHACL and turbo keep the language tags of ``sh:message`` for core constraints, but for a
    SPARQL constraint they fill each template and return it untagged. Each untagged message is
    matched against the tagged templates to get its language back (and the values of its
    variables); a language whose message the engine left out is filled from those values when
    they cover all its placeholders.
    """
    out: dict[str, str] = {}
    untagged: list[str] = []
    for m in reported:
        lang = getattr(m, "language", None) or ""
        if lang:
            out.setdefault(lang, str(m))
        else:
            untagged.append(str(m))
    tagged = [t for t in templates if getattr(t, "language", None)]
    values = dict(known)
    for text in untagged:
        for template in tagged:
            bindings = _read_back(str(template), text)
            if bindings is not None and template.language not in out:
                out[template.language] = text
                values.update({k: v for k, v in bindings.items() if k not in values})
                break
        else:
            out.setdefault("", text)
    if untagged:
        for template in tagged:
            if template.language not in out:
                filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), str(template))
                if not _PLACEHOLDER.search(filled):
                    out[template.language] = filled
        if "" in out and len(out) > 1 and any(_read_back(str(t), out[""]) for t in tagged):
            del out[""]
    return {lang: _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), text)
            for lang, text in out.items()}


def _read_back(template: str, message: str) -> dict[str, str] | None:
    """The variable values that turn ``template`` into ``message`` (None if it does not fit)."""
    parts = _PLACEHOLDER.split(template)
    names = parts[1::2]
    pattern = "".join(re.escape(p) if i % 2 == 0 else "(.*?)" for i, p in enumerate(parts))
    m = re.fullmatch(pattern, message, re.DOTALL)
    if m is None:
        return None
    out: dict[str, str] = {}
    for name, value in zip(names, m.groups()):
        out.setdefault(name, value)
    return out


def _severity(term) -> tuple[Severity, str | None]:
    """The level a result counts at, and its severity IRI when it is not one of SHACL's three.
    SHACL allows any IRI as ``sh:severity``; a custom one counts as a violation (every result
    makes the data non-conforming, and ``allow_warnings`` excuses only ``sh:Warning`` and
    ``sh:Info``, as in pySHACL) and is reported as itself."""
    text = str(term) if term is not None else str(SH.Violation)
    if text in {s.iri for s in Severity}:
        return Severity.parse(text), None
    return Severity.VIOLATION, text


def _findings(report_graph, shapes: _Shapes, index: _Index, sources: dict[int, _Source],
              keep_graphs: set[str] | None) -> list[Finding]:
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import Namespace
    rg, sg = report_graph, shapes.graph
    focus_on_value = Namespace(_S)["focusOnValue"]
    out: list[Finding] = []
    rules: dict = {}

    def rule_of(shape) -> dict[str, str]:
        if shape not in rules:
            node, texts = shape, {}
            for _ in range(5):
                texts = _by_language(sg.objects(node, RDFS.comment)) or _by_language(sg.objects(node, SH.description))
                if texts or node is None:
                    break
                node = shapes.parent(node)
                if node is None:
                    break
            rules[shape] = texts
        return rules[shape]

    for report in rg.subjects(RDF.type, SH.ValidationReport):
        for r in rg.objects(report, SH.result):
            focus = rg.value(r, SH.focusNode)
            shape = rg.value(r, SH.sourceShape)
            component = rg.value(r, SH.sourceConstraintComponent)
            constraint = rg.value(r, SH.sourceConstraint)
            value = rg.value(r, SH.value)
            path_node = rg.value(r, SH.resultPath)
            path = None
            if path_node is not None:
                path = _path_text(rg if (path_node, None, None) in rg else sg, path_node)
            severity, custom = _severity(rg.value(r, SH.resultSeverity))
            focus_text, value_text = _nt(focus), (_nt(value) if value is not None else None)
            path_for_message = shapes.compact(path_node) if path_node is not None else ""
            known = {"this": focus_text, "focusNode": focus_text, "value": value_text or "",
                     "path": path_for_message}
            reported = sorted(rg.objects(r, SH.resultMessage), key=lambda m: (str(m), getattr(m, "language", None) or ""))
            message = _messages(reported,
                                [m for n in (constraint, shape) if n is not None for m in sg.objects(n, SH.message)],
                                known)
            on_value = value is not None and not isinstance(value, Literal) and any(
                str(sg.value(n, focus_on_value)).lower() in ("true", "1") for n in (constraint, shape) if n is not None)
            locate = value_text if on_value else focus_text
            found = index.where(locate)
            graph_iri = found[1] if found else None
            if keep_graphs is not None:
                focus_found = index.where(focus_text)
                graphs = {graph_iri, focus_found[1] if focus_found else None}
                if not graphs & keep_graphs:
                    continue
            out.append(Finding(
                severity=severity,
                focus_node=focus_text,
                source_shape=_nt(shape) if shape is not None else "",
                constraint=str(component) if component is not None else "",
                message=message,
                rule=rule_of(shape) if shape is not None else {},
                path=path,
                value=value_text,
                graph=graph_iri,
                architecture=index.architecture(focus_text) or index.architecture(locate),
                location=sources[found[0]].locate(locate) if found else None,
                custom_severity=custom,
            ))
    out.sort(key=lambda f: (f.location.path if f.location else "\uffff",
                            (f.location.line or 0) if f.location else 0,
                            (f.location.column or 0) if f.location else 0,
                            -f.severity.rank, f.source_shape, f.focus_node, f.path or "", f.value or ""))
    return out
