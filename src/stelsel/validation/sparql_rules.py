"""SHACL-SPARQL constraints and SPARQL targets run where the data already is: on a pyoxigraph store,
one query per shape (not one per focus node).

SHACL pre-binds ``$this`` to each focus node in turn (SHACL 5.2.1). For the queries most shapes
use that is the same as joining the query once with the set of focus nodes: :func:`plan` puts
``VALUES ?this { … }`` (or the target's own pattern) first in the outer ``WHERE`` and adds
``?this`` to the projection, so one query answers for every focus node and each row names its
own. It does so only where the two are equal by the SPARQL algebra; the reasons a query is left
to the SHACL engine (which runs it per focus node) are in :func:`_injectable`:

- ``$this`` used in a subquery, a ``UNION`` branch, a ``GRAPH`` or ``{ … }`` group, a ``MINUS``,
  or in a ``BIND`` inside ``OPTIONAL`` (each is evaluated on its own, before the join);
- aggregates, ``HAVING`` or ``GROUP BY`` without ``$this`` in the group key, ``LIMIT`` or
  ``OFFSET`` (they would mix the focus nodes);
- a shape used inside another shape (``sh:node``, ``sh:property`` of a shape without targets …),
  a constraint with ``sh:deactivated``, a custom constraint component, a target type with
  parameters.

``$currentShape`` and ``$shapesGraph`` are substituted (the shapes are put in a named graph of
the same store); ``sh:prefixes`` are read from the ``sh:declare`` of the named node and of what it
``owl:imports``, transitively. A SPARQL target (``sh:target [ sh:select … ]``) is evaluated once
and handed to the Core engine as ``sh:targetNode`` values.

The store keeps values, not lexical forms: it stores ``"01"^^xsd:integer`` as ``"1"`` and
``"300"^^xsd:byte`` as an ``xsd:integer``. :func:`lossless` tells whether the data holds such a
literal; when it does, nothing is evaluated here and the SHACL engine runs every constraint.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..vocab import SH
from .locating import _PLACEHOLDER, _path_part

SHAPES_GRAPH = "urn:x-stelsel:shapes-graph"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
_KEEP_AS_WRITTEN = {_XSD + "string", _RDF + "langString"}


# -- the store ---------------------------------------------------------------------------------------
def data_store(quads, shapes_graph=None) -> ox.Store:
    """An in-memory store with the data in its default graph and the shapes in
    :data:`SHAPES_GRAPH` (for ``$shapesGraph``)."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    if shapes_graph is not None:
        g = ox.NamedNode(SHAPES_GRAPH)
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in shapes_graph)
    return store


def quads_of(graph) -> list[ox.Quad]:
    """An rdflib graph's triples as pyoxigraph quads in the default graph."""
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph]


def lossless(quads, store: ox.Store) -> bool:
    """True when the store holds every literal of the data as written (no literal of a datatype
    whose value the store normalises is written in another form than the store's)."""
    written = {q.object for q in quads if isinstance(q.object, ox.Literal)
               and not q.object.language and q.object.datatype.value not in _KEEP_AS_WRITTEN}
    if not written:
        return True
    stored = {q.object for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
              if isinstance(q.object, ox.Literal) and not q.object.language
              and q.object.datatype.value not in _KEEP_AS_WRITTEN}
    return written <= stored


def to_ox(term):
    """An rdflib term as a pyoxigraph term (literals as written)."""
    from rdflib import BNode, Literal
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.NamedNode(str(term))


def to_rdflib(term):
    from rdflib import BNode, Literal, URIRef
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if term.datatype.value == _XSD + "string":
        return Literal(term.value, normalize=False)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


# -- reading the query -----------------------------------------------------------------------------------
_STRINGS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_THIS = re.compile(r"[?$]this\b")
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)


def _blank(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length), for scanning."""
    return _STRINGS.sub(lambda m: " " * len(m.group(0)), text)


def forbidden_keywords(query: str) -> list[str]:
    """The keywords SHACL forbids in a query with pre-bound variables (MINUS, VALUES, SERVICE;
    SHACL 5.2.1.1) that ``query`` uses outside strings, IRIs and comments."""
    text = _blank(query)
    return [word for word in ("MINUS", "VALUES", "SERVICE")
            if re.search(rf"(?<![\w:$?-]){word}\b(?!\s*:)", text, re.I)]


def _injectable(query: str) -> tuple[int, int] | str:
    """Where the outer ``WHERE`` group opens and where the projection ends, when joining with the
    focus nodes equals pre-binding ``$this``; else the reason it does not."""
    text = _blank(query)
    upper = text.upper()
    for word in ("MINUS", "LIMIT", "OFFSET", "SERVICE", "VALUES"):
        if re.search(rf"\b{word}\b", upper):
            return word
    select = re.search(r"\bSELECT\b", upper)
    open_at = text.find("{", select.end())
    if open_at < 0:
        return "no WHERE group"
    projection = text[select.end():open_at]
    projection = re.sub(r"\bWHERE\s*$", "", projection.rstrip(), flags=re.I)
    group_by = re.search(r"\bGROUP\s+BY\b(.*?)(\bHAVING\b|\bORDER\b|$)", text[text.rfind("}"):], re.I | re.S)
    if group_by and not _THIS.search(group_by.group(1)):
        return "GROUP BY without $this"
    if not group_by and (_AGGREGATE.search(projection) or re.search(r"\bHAVING\b", upper[upper.rfind("}"):])):
        return "an aggregate over all focus nodes"
    if group_by and not (projection.strip() == "*" or _THIS.search(projection)):
        return "GROUP BY with $this not selected"
    # every $this must sit in the outer group (of the query, or of a subquery that projects it),
    # in an EXISTS group or in an OPTIONAL (not in a BIND there)
    stack: list[tuple[str, bool]] = []
    for m in re.finditer(r"[{}]|[?$]this\b", text[open_at:]):
        token, at = m.group(0), open_at + m.start()
        if token == "{":
            before = upper[:at].rstrip()
            after = upper[at + 1:].lstrip()
            if stack and after.startswith("SELECT"):
                inner_select = text[at + 1:text.find("{", at + 1)]
                entry = ("subquery", bool(re.search(r"\bSELECT\b(?:\s+DISTINCT|\s+REDUCED)?\s[^(]*[?$]this\b",
                                                    inner_select, re.I)))
            elif stack and stack[-1][0] == "subquery":
                entry = ("outer", stack[-1][1])
            else:
                entry = ("exists" if before.endswith("EXISTS") else "optional" if before.endswith("OPTIONAL")
                         else "outer" if not stack else "group", True)
            stack.append(entry)
        elif token == "}":
            if stack:
                stack.pop()
        else:
            outer = max(i for i, (k, _) in enumerate(stack) if k == "outer") if stack else 0
            if stack and not stack[outer][1]:
                return "$this in a subquery that does not project it"
            scope = [k for k, _ in stack[outer + 1:] if k != "exists"]
            if "group" in scope:
                return "$this in a nested group"
            if scope and scope[-1] == "optional":
                last = max(upper.rfind("BIND", 0, at), upper.rfind("{", 0, at))
                if last >= 0 and upper.startswith("BIND", last):
                    return "$this in a BIND inside OPTIONAL"
    return open_at, select.end() + len(projection)


# -- the shapes ------------------------------------------------------------------------------------------
@dataclass
class Rule:
    """One SPARQL constraint of one shape, as one query over all focus nodes."""

    shape: object                     # rdflib term
    constraint: object
    query: str
    path: object | None = None        # property shapes: the sh:path node
    severity: object = SH.Violation
    messages: list = field(default_factory=list)


@dataclass
class Plan:
    """What runs here and what is left to the SHACL engine."""

    rules: list[Rule] = field(default_factory=list)
    sparql_targets: dict = field(default_factory=dict)     # shape -> [(target node, query)]
    core: object = None                                     # the shapes graph for the engine
    left: dict = field(default_factory=dict)                # constraint -> why it is left to the engine

    @property
    def uses_shapes_graph(self) -> bool:
        queries = [r.query for r in self.rules] + [q for ts in self.sparql_targets.values() for _t, q in ts]
        return any(re.search(r"[?$]shapesGraph\b", _blank(q)) for q in queries)


def prefixes_of(sg, node, seen=None) -> dict[str, str]:
    """``sh:declare`` of ``node`` and of what it ``owl:imports`` (transitively)."""
    from rdflib import URIRef
    seen = seen if seen is not None else set()
    if node in seen:
        return {}
    seen.add(node)
    out: dict[str, str] = {}
    for imported in sg.objects(node, URIRef(_OWL_IMPORTS)):
        out.update(prefixes_of(sg, imported, seen))
    for decl in sg.objects(node, SH.declare):
        prefix, ns = sg.value(decl, SH.prefix), sg.value(decl, SH.namespace)
        if prefix is not None and ns is not None:
            out[str(prefix)] = str(ns)
    return out


def _with_prefixes(sg, node, query: str) -> str:
    declared = {}
    for p in sg.objects(node, SH.prefixes):
        declared.update(prefixes_of(sg, p))
    lines = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))
    return lines + query


def _true(value) -> bool:
    return value is not None and str(value).strip().lower() in ("true", "1")


_NESTING = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def plan(sg) -> Plan:
    """Split the shapes graph ``sg`` (rdflib) into rules run here and the rest."""
    from rdflib import RDF, BNode, Graph
    from rdflib.collection import Collection
    nested = set()
    for p in _NESTING:
        nested.update(sg.objects(None, p))
    for p in _LISTS:
        for lst in sg.objects(None, p):
            try:
                nested.update(Collection(sg, lst))
            except Exception:  # noqa: BLE001 - a malformed list: the engine will say so
                continue
    out = Plan()
    drop: set = set()
    for shape, constraint in sorted(sg.subject_objects(SH.sparql), key=lambda t: (str(t[0]), str(t[1]))):
        why = _why_not(sg, shape, constraint, nested)
        if why:
            out.left[constraint] = why
            continue
        query = str(sg.value(constraint, SH.select))
        path = sg.value(shape, SH.path)
        if path is not None:
            query = re.sub(r"\$PATH\b", lambda _m: _path_part(sg, path)[0], query)
        body = _with_prefixes(sg, constraint, query)
        where = _injectable(body)
        if isinstance(where, str):
            out.left[constraint] = why or where
            continue
        out.rules.append(Rule(shape=shape, constraint=constraint, query=body, path=path,
                              severity=sg.value(shape, SH.severity) or SH.Violation,
                              messages=list(sg.objects(constraint, SH.message)) or list(sg.objects(shape, SH.message))))
        drop.add((shape, SH.sparql, constraint))
    for shape, target in sg.subject_objects(SH.target):
        select = sg.value(target, SH.select)
        if select is None or isinstance(shape, BNode) and shape in nested:
            continue
        if any(True for _ in sg.predicates(target, None) if _ not in (RDF.type, SH.select, SH.prefixes)):
            continue  # a target type with parameters: the engine's
        out.sparql_targets.setdefault(shape, []).append((target, _with_prefixes(sg, target, str(select))))
        drop.add((shape, SH.target, target))
    core = Graph()
    for t in sg:
        if t not in drop:
            core.add(t)
    for prefix, ns in sg.namespaces():
        core.bind(prefix, ns, override=False)
    out.core = core
    return out


def _why_not(sg, shape, constraint, nested) -> str | None:
    from rdflib import RDF, RDFS
    if shape in nested:
        return "the shape is used inside another shape"
    if _true(sg.value(constraint, SH.deactivated)) or _true(sg.value(shape, SH.deactivated)):
        return "deactivated"
    if sg.value(constraint, SH.select) is None:
        return "no sh:select"
    has_target = any((shape, p, None) in sg for p in _TARGETS) or (
        (shape, RDF.type, RDFS.Class) in sg)
    if not has_target:
        return "the shape has no target"
    for target in sg.objects(shape, SH.target):
        if sg.value(target, SH.select) is None:
            return "a target type with parameters"
    return None


# -- running ---------------------------------------------------------------------------------------------------
def _target_parts(sg, shape, sparql_targets: dict, store: ox.Store) -> tuple[list[str], list]:
    """The target of ``shape`` as SPARQL groups binding ``?this`` (joined by UNION), and the blank
    focus nodes that no query text can name (pre-bound one at a time)."""
    from rdflib import RDF, RDFS, BNode
    parts: list[str] = []
    named: list = []
    blanks: list = []
    for node in sg.objects(shape, SH.targetNode):
        (blanks if isinstance(node, BNode) else named).append(to_ox(node))
    classes = list(sg.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in sg:
        classes.append(shape)
    parts += [f"{{ ?this <{_RDF}type>/<{_RDFS}subClassOf>* <{c}> }}" for c in classes]
    parts += [f"{{ ?this <{p}> [] }}" for p in sg.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] <{p}> ?this }}" for p in sg.objects(shape, SH.targetObjectsOf)]
    for _target, query in sparql_targets.get(shape, ()):
        for row in _select(store, query, sg, shape):
            node = row["this"]
            if isinstance(node, ox.BlankNode):
                raise NotHere("a SPARQL target selects a blank node")
            if node is not None:
                (blanks if isinstance(node, ox.BlankNode) else named).append(node)
    if named:
        parts.append("{ VALUES ?this { " + " ".join(str(n) for n in dict.fromkeys(named)) + " } }")
    return parts, list(dict.fromkeys(blanks))


class NotHere(Exception):
    """A rule or target this module cannot evaluate exactly (the caller leaves all to the engine)."""


def _select(store, query: str, sg, shape):
    """Run ``query`` with ``$shapesGraph`` and ``$currentShape`` written in (pyoxigraph substitutes
    projected variables only)."""
    text = _blank(query)
    out, last = [], 0
    for m in re.finditer(r"[?$](shapesGraph|currentShape)\b", text):
        if m.group(1) == "shapesGraph":
            value = f"<{SHAPES_GRAPH}>"
        elif isinstance(to_ox(shape), ox.NamedNode):
            value = f"<{shape}>"
        else:
            raise NotHere("$currentShape of a blank shape")
        out += [query[last:m.start()], value]
        last = m.end()
    out.append(query[last:])
    return store.query("".join(out))


def run_rule(store: ox.Store, sg, rule: Rule, parts: list[str], blanks: list) -> tuple[list[str], list]:
    """(variable names, rows) of one rule over all its focus nodes; each row has ``this``."""
    query = rule.query
    where, projection_end = _injectable(query)
    rows: list = []
    names: list[str] = []
    if parts:
        projection = query[:projection_end]
        if not re.search(r"[?$]this\b|\*\s*$", _blank(projection)):
            projection = re.sub(r"(SELECT(\s+(DISTINCT|REDUCED))?)", r"\1 ?this", projection, count=1, flags=re.I)
        target = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"
        text = projection + query[projection_end:where + 1] + f" {target} " + query[where + 1:]
        result = _select(store, text, sg, rule.shape)
        names = [v.value for v in result.variables]
        rows.extend(result)
    if blanks:
        raise NotHere("blank focus nodes")
    return names, rows


def _text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def evaluate(store: ox.Store, sg, shapes_plan: Plan, timings: dict | None = None):
    """Run every rule; returns an rdflib report graph (``sh:ValidationReport``) with the results."""
    from rdflib import RDF, BNode, Graph, Literal
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    cached: dict = {}
    for rule in shapes_plan.rules:
        started = time.perf_counter()
        if rule.shape not in cached:
            cached[rule.shape] = _target_parts(sg, rule.shape, shapes_plan.sparql_targets, store)
        names, rows = run_rule(store, sg, rule, *cached[rule.shape])
        for row in rows:
            this = row["this"]
            if _get(row, "failure") is not None and _true(_get(row, "failure").value):
                raise RuntimeError(f"the SPARQL constraint of {rule.shape} reported a failure for {_text(this)}")
            r = BNode()
            report.add((root, SH.result, r))
            report.add((r, RDF.type, SH.ValidationResult))
            report.add((r, SH.focusNode, to_rdflib(this)))
            report.add((r, SH.sourceShape, rule.shape))
            report.add((r, SH.sourceConstraint, rule.constraint))
            report.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            report.add((r, SH.resultSeverity, rule.severity))
            path = _get(row, "path")
            if path is not None:
                report.add((r, SH.resultPath, to_rdflib(path)))
            elif rule.path is not None:
                report.add((r, SH.resultPath, rule.path))
            value = _get(row, "value")
            if value is not None:
                report.add((r, SH.value, to_rdflib(value)))
            elif rule.path is None:
                report.add((r, SH.value, to_rdflib(this)))
            values = {n: _text(_get(row, n)) for n in names}
            values["this"] = _text(this)
            for template in rule.messages:
                text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), str(template))
                report.add((r, SH.resultMessage, Literal(text, lang=getattr(template, "language", None))))
        if timings is not None:
            timings[rule.shape] = timings.get(rule.shape, 0.0) + time.perf_counter() - started
    return report


def targets_as_nodes(store: ox.Store, sg, shapes_plan: Plan, timings: dict | None = None) -> None:
    """Replace each SPARQL target in the engine's shapes graph by the nodes it selects."""
    core = shapes_plan.core
    for shape in shapes_plan.sparql_targets:
        started = time.perf_counter()
        nodes = []
        for _target, query in shapes_plan.sparql_targets[shape]:
            nodes.extend(row["this"] for row in _select(store, query, sg, shape) if row["this"] is not None)
        if any(isinstance(n, ox.BlankNode) for n in nodes):
            raise NotHere("a SPARQL target selects a blank node")
        for node in nodes:
            core.add((shape, SH.targetNode, to_rdflib(node)))
        if timings is not None:
            timings[shape] = timings.get(shape, 0.0) + time.perf_counter() - started


def _get(row, name):
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None
