"""The two engines: ``turbo`` (SPARQL rules on pyoxigraph, SHACL Core in pyshacl-turbo) and
``pyshacl`` (the reference), each returning an rdflib validation report graph."""

from __future__ import annotations

import time

import pyoxigraph as ox

from ..errors import InputError, StelselError
from ..vocab import SH
from .shapes import _Converter, _Shapes


# -- engines ------------------------------------------------------------------------------------------------
def _for_pyshacl(graph):
    """The shapes as pySHACL must see them to follow SHACL: the ``sh:declare`` of what an
    ``sh:prefixes`` node ``owl:imports`` copied onto it (SHACL 5.2.1 reads
    ``sh:prefixes/owl:imports*/sh:declare``; pySHACL stops at the first step and fails on the
    prefix), and ``sh:uniqueLang`` dropped where it is not the literal ``true`` (pySHACL also
    takes ``"1"^^xsd:boolean``; in SHACL *true* is the RDF term ``"true"^^xsd:boolean``)."""
    from rdflib import Graph, URIRef
    imports = URIRef("http://www.w3.org/2002/07/owl#imports")
    unique = [(s, o) for s, o in graph.subject_objects(SH.uniqueLang)
              if not (str(o) == "true" and str(getattr(o, "datatype", "")).endswith("#boolean"))]
    prefix_nodes = set(graph.objects(None, SH.prefixes))
    if not unique and not any((n, imports, None) in graph for n in prefix_nodes):
        return graph
    out = Graph()
    for t in graph:
        out.add(t)
    for s, o in unique:
        out.remove((s, SH.uniqueLang, o))
    for node in prefix_nodes:
        seen, todo = {node}, list(graph.objects(node, imports))
        while todo:
            other = todo.pop()
            if other in seen:
                continue
            seen.add(other)
            todo.extend(graph.objects(other, imports))
            for decl in graph.objects(other, SH.declare):
                out.add((node, SH.declare, decl))
    # and written into the queries themselves, so nothing depends on how pySHACL collects them
    from rdflib import Literal

    from .sparql_rules import prefixes_of
    for holder, node in list(graph.subject_objects(SH.prefixes)):
        declared = prefixes_of(graph, node)
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))
        for key in (SH.select, SH.ask):
            for query in list(out.objects(holder, key)):
                if head and not str(query).startswith(head):
                    out.remove((holder, key, query))
                    out.add((holder, key, Literal(head + str(query))))
    return out


def _run_pyshacl(quads: list[ox.Quad], shapes: _Shapes, options: dict):
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError
    from rdflib import Graph
    data = Graph()
    convert = _Converter()
    add = data.add
    for q in quads:
        add((convert(q.subject), convert(q.predicate), convert(q.object)))
    try:
        _, report, _ = pyshacl.validate(
            data, shacl_graph=_for_pyshacl(shapes.graph), inference=options["inference"], inplace=True,
            abort_on_first=options["abort_on_first"], advanced=options["advanced"],
            iterate_rules=options["iterate_rules"],
            max_validation_depth=options["max_depth"], focus_nodes=options["focus"],
            use_shapes=options["shape"], meta_shacl=options["metashacl"], js=False,
            allow_warnings=False, allow_infos=False)
    except ReportableRuntimeError as exc:
        text = str(getattr(exc, "message", exc))
        if "SHACL Shapes SHACL" in text or "MetaSHACL" in text:
            raise InputError("the shapes are not valid SHACL (checked with --metashacl): "
                             + " ".join(text.split("\n", 1)[-1].split())[:600],
                             hint="fix the shapes as the report says, or run without --metashacl") from None
        raise shapes.explain(exc, "pySHACL") from None
    except (NotImplementedError, ValueError, KeyError, TypeError) as exc:
        raise shapes.explain(exc, "pySHACL") from None
    if not hasattr(report, "subjects"):  # a ValidationFailure is returned, not raised
        raise shapes.explain(report if isinstance(report, BaseException) else RuntimeError(str(report)), "pySHACL")
    return report


def _run_turbo(quads: list[ox.Quad], shapes: _Shapes, options: dict, timings: dict | None = None,
               store: ox.Store | None = None):
    """SPARQL constraints and targets on a pyoxigraph store (:mod:`stelsel.sparql_rules`), SHACL
    Core in pyshacl-turbo. Turbo gets the data and shapes as N-Triples text: handed a pyoxigraph
    ``Store`` with an rdflib shapes graph it compares literals wrongly (plain-string ``sh:in`` and
    ``sh:hasValue`` fail) and reads the store's normalised values (``"300"^^xsd:byte`` as an
    ``xsd:integer``)."""
    try:
        import pyshacl_turbo
    except ImportError:
        raise StelselError("the turbo engine (pyshacl-turbo) is not installed",
                           hint="pip install pyshacl-turbo, or use --engine pyshacl") from None
    from . import sparql_rules
    if options["metashacl"]:
        try:
            conforms, _, text = pyshacl_turbo.meta_validate(shapes.graph)
        except Exception as exc:  # noqa: BLE001 - any engine failure here is about the shapes
            raise shapes.explain(exc, "pyshacl-turbo") from None
        if not conforms:
            raise InputError("the shapes are not valid SHACL (checked with --metashacl): "
                             + " ".join(str(text).split())[:600],
                             hint="fix the shapes as the report says, or run without --metashacl")
    core, rules_report = shapes.graph, None
    store = store if store is not None else sparql_rules.data_store(quads)
    exact = sparql_rules.lossless(quads, store)
    if exact and not (options["inference"] or options["focus"] or options["shape"] or options["abort_on_first"]
                      or options["iterate_rules"]):
        plan = sparql_rules.plan(shapes.graph)
        if plan.rules or plan.sparql_targets:
            rules_store = store
            if plan.uses_shapes_graph:
                rules_store = sparql_rules.data_store(quads, shapes.graph)
            try:
                sparql_rules.targets_as_nodes(rules_store, shapes.graph, plan, timings)
                rules_report = sparql_rules.evaluate(rules_store, shapes.graph, plan, timings)
                core = plan.core
            except sparql_rules.NotHere:
                rules_report = None     # the engine evaluates everything, exactly
            except (SyntaxError, OSError, RuntimeError) as exc:
                raise shapes.explain(exc, "pyoxigraph") from None
    shapes_store = sparql_rules.data_store(sparql_rules.quads_of(core))
    if exact and sparql_rules.lossless(sparql_rules.quads_of(core), shapes_store):
        data_in, data_format, shapes_in, shapes_format = store, None, shapes_store, None
    else:  # the store would change a literal: the engine reads the text, as written
        data_in = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                               format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        data_format, shapes_in, shapes_format = "nt", core.serialize(format="nt"), "nt"
    started = time.perf_counter()
    try:
        conforms, report, text = pyshacl_turbo.validate(
            data_in, data_graph_format=data_format, shacl_graph=shapes_in, shacl_graph_format=shapes_format,
            inference=options["inference"],
            abort_on_first=options["abort_on_first"], advanced=options["advanced"],
            iterate_rules=options["iterate_rules"],
            max_validation_depth=options["max_depth"] or 15, focus_nodes=options["focus"],
            use_shapes=options["shape"])
    except (pyshacl_turbo.ReportableRuntimeError, NotImplementedError, ValueError, RuntimeError) as exc:
        raise shapes.explain(exc, "pyshacl-turbo") from None
    if not hasattr(report, "subjects"):  # a ValidationFailure is returned, not raised
        raise shapes.explain(report if isinstance(report, BaseException) else RuntimeError(str(text)), "pyshacl-turbo")
    if timings is not None:
        timings["(SHACL Core in pyshacl-turbo)"] = time.perf_counter() - started
    if rules_report is not None:
        report += rules_report
    return report
