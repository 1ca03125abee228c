"""SHACL validation of the stelsel: one entry point, :func:`validate`, returning a :class:`Report`.

    report = validate()                                   # bundled data + ontology, bundled shapes
    report = validate(["mine.ttl"])                       # your data, bundled shapes
    report = validate(graph="dera")                       # one bundled graph and what it needs
    report = validate(endpoint="http://localhost:5000/sparql")
    sys.exit(report.exit_code(threshold(Severity.VIOLATION, allow_warnings=False)))

Made for CI: every finding carries the file, line and column of its focus node (see
:mod:`stelsel.positions`), its named graph and architecture, messages and rule text per
language; errors are :mod:`stelsel.errors` (exit 2 for inputs, 3 for shapes the engine cannot
evaluate), never a traceback.

**What the engine sees.** The data graph is the union of the data and the ontology (the bundled
``ontology/*.ttl``, always, plus any ``ont_graphs``), so shape targets follow
``rdfs:subClassOf``. Named graphs are kept only to say where a finding lives. The shapes graph
is the union of the shapes files.

**A module per job.** :mod:`.inputs` (files through the input gate, endpoint, store; where each
resource lives; the graphs one named graph needs), :mod:`.context` (what one's own model refers
to), :mod:`.shapes` (the shapes graph, checks before any engine), :mod:`.sparql_rules` (SPARQL
constraints and targets on pyoxigraph), :mod:`.engines` (turbo and pySHACL), :mod:`.locating`
(results as findings with file and line), :mod:`.coverage`, :mod:`.baseline`; this module holds
:func:`validate`, which runs them in that order.

**Reading each file once.** Every file is read into memory once; pyoxigraph parses those bytes
(fast, with the line and column of any syntax error) and the same text is tokenized by
:mod:`stelsel.positions` only for files that hold a focus node of some finding, only once
(about 15 ms for the largest bundled file). For pySHACL the quads are converted once into an
rdflib graph (no second parse); for pyshacl-turbo they go into an in-memory pyoxigraph store,
which turbo reads natively.

**Engines.** ``engine="turbo"`` (the default): SPARQL-based constraints and SPARQL targets run
once per shape on an in-memory pyoxigraph store (:mod:`stelsel.sparql_rules`, which also says when
it leaves a query to the engine), SHACL Core in pyshacl-turbo, which gets the store when the store
holds every literal as written and the N-Triples text otherwise. ``engine="pyshacl"``: everything
in pySHACL, the reference, with its shapes adjusted where pySHACL departs from SHACL
(:func:`_for_pyshacl`). tests/differential/ compares both with plain pySHACL and the
``pyshacl-turbo`` command, case by case; ``--profile`` (``Report.timings``) gives the seconds per
shape. Both engines return SPARQL-constraint messages untagged; the language tags are restored here
(see :func:`_messages`). Errors of either engine become :class:`UnsupportedFeatureError`; the checks
in :meth:`_Shapes.precheck` (property shape without ``sh:path``, constraint component without
validator, SHACL-JS, MINUS/VALUES/SERVICE in a SPARQL constraint) run first so that the message
names the shape and its file and line. An unknown ``focus`` or ``shape`` is an
:class:`InputError` (pySHACL ignores an unknown focus node, turbo an unknown shape). A custom
``sh:severity`` is kept as ``Finding.custom_severity`` and counts as a violation; of several shapes
files, the last that states a shape's ``sh:severity`` sets it.

**One named graph** (``graph="dera"``, ``graph:dera`` or the full IRI): the graph itself is
validated together with what its checks need: the ontology; the alignment graphs holding
alignments or deviations whose ``stelsel:vanElement`` is described in it; and the graphs that
describe the architectures it refers to (``stelsel:moetAansluitenOp`` of its architecture, the
``stelsel:inArchitectuur`` of every ``stelsel:naarElement`` of those alignments, every
``stelsel:tenOpzichteVan``). Only findings whose focus node (or, for ``stelsel:focusOnValue``
checks, value node) is described in the graph itself or in those alignment graphs are reported.
The graph is looked up among the bundled files (or the files given as ``data``), then in the
store (``config.store``, opened read-only; no positions there).

**An endpoint** (``endpoint=URL``): the data is fetched with SPARQL CONSTRUCT (``WHERE { ?s ?p ?o
}``, or ``GRAPH <g>`` with ``graph``), over HTTP with a timeout, page by page when the server says
it cut the answer (:func:`_fetch`); the bundled ontology is added. Findings have no file position.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..config import Config
from ..errors import InputError
from ..findings import Finding, Report, Severity
from ..vocab import PREFIXES
from .inputs import _Index, _Loader, _expand, _fetch, _from_store, _resolve_graph, _select_graph
from .shapes import _Shapes
from .locating import _findings
from .engines import _run_pyshacl, _run_turbo
from .baseline import read_baseline, write_baseline
from .coverage import _coverage

# re-exported: the rest of stelsel and the tests use these through stelsel.validation
from .baseline import atomic_write  # noqa: E402,F401
from .locating import _messages, _nt, _path_part, _path_text  # noqa: E402,F401

__all__ = ["validate", "write_baseline", "read_baseline", "threshold", "ENGINES", "INFERENCE"]

ENGINES = ("turbo", "pyshacl")
INFERENCE = ("none", "rdfs", "owlrl", "both")
def threshold(fail_on: Severity | str = Severity.VIOLATION, allow_warnings: bool = False,
              allow_infos: bool = False) -> Severity:
    """The severity from which findings fail a run. As in pySHACL, ``allow_warnings`` means
    warnings and infos never make the data non-conforming, and ``allow_infos`` that infos do not,
    whatever ``fail_on`` says."""
    fail_on = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
    if allow_warnings:
        return Severity.VIOLATION
    if allow_infos and fail_on is Severity.INFO:
        return Severity.WARNING
    return fail_on


# -- the entry point -------------------------------------------------------------------------------------
def _names(values: Sequence[str] | str | None, prefixes: dict[str, str]) -> list[str] | None:
    """``--focus`` / ``--shape`` values (repeatable, comma-separated; IRIs, <IRI>s or prefixed
    names) as full IRIs."""
    if not values:
        return None
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values:
        for item in (v.strip() for v in value.split(",")):
            if not item:
                continue
            if item.startswith("<") and item.endswith(">"):
                out.append(item[1:-1])
                continue
            prefix, sep, local = item.partition(":")
            if sep and not local.startswith("//") and prefix in prefixes:
                out.append(prefixes[prefix] + local)
            else:
                out.append(item)
    return out or None


def validate(data: Sequence[str | Path] | str | Path | None = None,
             shapes: Sequence[str | Path] | str | Path | None = None, *,
             config: Config | None = None,
             ont_graphs: Sequence[str | Path] | None = None,
             inference: str = "none",
             abort_on_first: bool = False,
             iterate_rules: bool = False,
             metashacl: bool = False,
             js: bool = False,
             focus: Sequence[str] | str | None = None,
             shape: Sequence[str] | str | None = None,
             max_depth: int | None = None,
             advanced: bool = True,
             graph: str | None = None,
             endpoint: str | None = None,
             architecture: str | None = None,
             engine: str = "turbo",
             baseline: str | Path | None = None,
             timeout: float = 60.0,
             coverage: bool = True,
             context: bool = False) -> Report:
    """Validate RDF data against SHACL shapes; findings located in the files.

    - ``data``: files, directories (their RDF files, recursively) and glob patterns; Turtle,
      TriG, N-Triples, N-Quads, JSON-LD, RDF/XML, and ArchiMate exchange files (``.xml`` in the
      ArchiMate namespace, imported with ``architecture`` as the architecture IRI). None: the
      bundled ``data/**/*.ttl``.
    - ``shapes``: files, directories or globs; None: the bundled ``shapes/**/*.ttl``.
    - ``ont_graphs``: extra ontology files mixed into the data graph, besides the bundled
      ontology (always included: shape targets follow its ``rdfs:subClassOf``).
    - ``inference``: none, rdfs, owlrl or both, run on the data graph before validating.
    - ``abort_on_first``, ``iterate_rules``, ``max_depth``, ``advanced``, ``metashacl``, ``focus``,
      ``shape``: as in
      pySHACL (``focus`` and ``shape`` take IRIs, ``<IRI>``s or prefixed names, comma-separated
      or repeated); ``js=True`` raises :class:`UnsupportedFeatureError`.
    - ``graph``: validate one named graph and what it needs (see the module docstring).
    - ``endpoint``: fetch the data from a SPARQL endpoint instead of files (``timeout`` seconds).
    - ``engine``: "turbo" (default) or "pyshacl"; both give the same findings (module docstring).
    - ``baseline``: a file written by :func:`write_baseline`; findings in it move to
      ``Report.baselined`` and no longer fail the run.
    - ``coverage``: also run ``queries/dekking-nora.rq`` (when present) into ``Report.coverage``.
    - ``context``: with ``data``, add the bundled data files the data refers to (the architectures
      it must align to, the ends of its alignments; :mod:`stelsel.model_context`) and report only
      findings about ``data`` itself (``stelsel validate`` does this unless ``--alone``).

    Raises :class:`InputError` (missing or malformed input, with file:line:column; exit 2) and
    :class:`UnsupportedFeatureError` (a shape the engine cannot evaluate, named; exit 3).
    The exit code of a run is ``report.exit_code(threshold(fail_on, allow_warnings))``.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    config = config or Config()
    if engine not in ENGINES:
        raise InputError(f"unknown engine '{engine}'", hint="use one of: " + ", ".join(ENGINES))
    if inference not in INFERENCE:
        raise InputError(f"unknown inference '{inference}'", hint="use one of: " + ", ".join(INFERENCE))
    if data is not None and endpoint is not None:
        raise InputError("give data files or --endpoint, not both", hint="validate one source at a time")
    if isinstance(data, (str, Path)):
        data = [data]
    if isinstance(shapes, (str, Path)):
        shapes = [shapes]
    known = baseline and read_baseline(baseline)

    loader = _Loader(config, architecture)
    # ontology first: bundled (always) and extra
    ontology_files = _expand([config.ontology_dir], "ontology") if config.ontology_dir.is_dir() else []
    ontology_files = [f for f in ontology_files if f.suffix.lower() in (".ttl", ".trig")]
    extra = _expand(ont_graphs or [], "ontology")
    data_files: list[Path] = []
    if endpoint is None:
        if data is None:
            data_files = (sorted(f for f in config.data_dir.rglob("*") if f.suffix in (".ttl", ".trig"))
                          if config.data_dir.is_dir() else [])
            if not data_files:
                raise InputError(f"there is no bundled data in {config.data_dir}",
                                 hint="give data files, or --content the folder holding data/")
        else:
            data_files = _expand(data, "data")
            if not data_files:
                raise InputError("no RDF files in the data given", hint="give .ttl, .trig, .nt, .nq, .jsonld or .rdf files")
    taken = {p.resolve() for p in data_files}
    ontology_files = [f for f in [*ontology_files, *extra] if f.resolve() not in taken]

    shape_files = _expand(shapes if shapes is not None else [config.shapes_dir], "shapes")
    shape_files = [f for f in shape_files if shapes is not None or f.suffix.lower() in (".ttl", ".trig")]
    if not shape_files:
        raise InputError("there are no shapes to validate with" + ("" if shapes is not None else f" in {config.shapes_dir}"),
                         hint="give shapes files with --shapes FILE")

    ontology = [loader.file(f) for f in ontology_files]
    data_sources = [loader.file(f) for f in data_files]
    if endpoint is not None:
        body, fmt = _fetch(endpoint, _resolve_graph(graph) if graph else None, timeout)
        data_sources.append(loader.remote(endpoint, body, fmt, _resolve_graph(graph) if graph else None))
    shape_sources = [loader.file(f) for f in shape_files]
    shapes_ = _Shapes(shape_sources)
    shapes_.precheck(js)

    keep: set[str] | None = None
    if graph is not None and endpoint is None:
        target = _resolve_graph(graph)
        present = {q.graph_name.value for s in data_sources for q in s.quads if isinstance(q.graph_name, ox.NamedNode)}
        if target not in present and data is None and Path(config.store).exists():
            data_sources.append(_from_store(loader, config, target))
        data_quads, keep, included = _select_graph(target, data_sources)
        data_sources = [s for s in data_sources
                        if any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in included
                               for q in s.quads)]
    else:
        if context and data is not None and endpoint is None and config.data_dir.is_dir():
            from .context import context_sources, model_graphs
            bundled = sorted(f for f in config.data_dir.rglob("*") if f.suffix in (".ttl", ".trig")
                             and f.resolve() not in taken)
            added = context_sources(data_sources, bundled, loader.file)
            if added:
                keep = model_graphs(data_sources)
                data_sources = [*data_sources, *added]
        data_quads = [q for s in data_sources for q in s.quads]
    all_quads = data_quads + [q for s in ontology for q in s.quads]

    index = _Index()
    for src in [*data_sources, *ontology]:
        index.add(src)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    for src in [*ontology, *data_sources]:
        prefixes.update(src.prefixes)
    options = {"inference": None if inference == "none" else inference, "abort_on_first": abort_on_first,
               "iterate_rules": iterate_rules,
               "advanced": advanced, "max_depth": max_depth, "metashacl": metashacl,
               "focus": _names(focus, prefixes), "shape": _names(shape, shapes_.prefixes)}
    for iri in options["focus"] or ():
        if index.where(iri) is None:
            raise InputError(f"--focus {iri}: there is no such node in the data",
                             hint="give the full IRI or a prefixed name declared in the data (a typo would "
                                  "otherwise pass silently)")
    for iri in options["shape"] or ():
        if shapes_.index.home.get(iri) is None:
            raise InputError(f"--shape {iri}: there is no such shape in the shapes",
                             hint="give the full IRI or a prefixed name declared in the shapes files")
    from .sparql_rules import data_store
    timings["(reading the files)"] = time.perf_counter() - started
    step = time.perf_counter()
    store = data_store(all_quads)
    timings["(loading the store)"] = time.perf_counter() - step
    if engine == "pyshacl":
        step = time.perf_counter()
        report_graph = _run_pyshacl(all_quads, shapes_, options)
        timings["(SHACL Core in pyshacl-turbo)"] = time.perf_counter() - step
    else:
        report_graph = _run_turbo(all_quads, shapes_, options, timings, store=store)
    step = time.perf_counter()
    by_index = {s.index: s for s in loader.sources}
    findings = _findings(report_graph, shapes_, index, by_index, keep)
    timings["(findings located in their files)"] = time.perf_counter() - step

    baselined: list[Finding] = []
    if known:
        baselined = [f for f in findings if f.fingerprint in known]
        findings = [f for f in findings if f.fingerprint not in known]
    step = time.perf_counter()
    cover = _coverage(config, store) if coverage else []
    timings["(coverage query)"] = time.perf_counter() - step
    if engine == "pyshacl":
        timings["(pySHACL, every shape)"] = timings.pop("(SHACL Core in pyshacl-turbo)", 0.0)
    return Report(findings=findings, engine=engine, seconds=time.perf_counter() - started,
                  data=[s.label for s in data_sources], shapes=[s.label for s in shape_sources],
                  coverage=cover, baselined=baselined, timings=timings)
