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

import hashlib
import json
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from .config import Config
from .errors import InputError, Position, StelselError, UnsupportedFeatureError
from .findings import Coverage, Finding, Location, Report, Severity
from .inputs import DATASET_SUFFIXES, RDF_SUFFIXES, check_rdf, decode_text, expand, parse_rdf, read_file
from .positions import TOKENIZED_SUFFIXES, Positions, scan, text_position
from .sources import graph_for
from .vocab import GRAPH, PREFIXES, SH, STELSEL

__all__ = ["validate", "write_baseline", "read_baseline", "threshold", "ENGINES", "INFERENCE"]

ENGINES = ("turbo", "pyshacl")
INFERENCE = ("none", "rdfs", "owlrl", "both")
COVERAGE_QUERIES = ("dekking-nora.rq", "dekkingsmatrix-nora-principes.rq")

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ARCHIMATE_NS = b"http://www.opengroup.org/xsd/archimate"
_S = str(STELSEL)


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


# -- inputs ----------------------------------------------------------------------------------------
@dataclass
class _Source:
    """One input (file, endpoint answer or store): its quads and, lazily, its positions."""

    index: int
    label: str
    quads: list[ox.Quad]
    path: Path | None = None
    text: str | None = None
    kind: str = "rdf"                      # rdf | archimate | remote
    suffix: str = ""                       # the syntax, as a file suffix (".ttl")
    prefixes: dict[str, str] = field(default_factory=dict)
    bron: dict[str, str] = field(default_factory=dict)  # archimate: key -> Archi identifier
    blank_labels: dict[str, str] = field(default_factory=dict)  # our blank node id -> the file's
    _positions: Positions | None = None
    _searched: dict[str, Location | None] = field(default_factory=dict)

    @property
    def bnode_prefix(self) -> str:
        """Blank nodes are renamed ``b<file hash>n<n>`` in order of appearance: no clashes
        between files, and the same names on every run (whatever else is validated with the
        file), so fingerprints of findings on blank nodes stay stable."""
        return "b" + hashlib.sha1(self.label.encode("utf-8")).hexdigest()[:6] + "n"

    def local_key(self, key: str) -> str:
        """A merged-graph key back to the form in this file (the blank node label it had)."""
        if key.startswith("_:") and key[2:] in self.blank_labels:
            return "_:" + self.blank_labels[key[2:]]
        return key

    def locate(self, key: str) -> Location | None:
        if self.text is None or self.path is None:
            return None
        local = self.local_key(key)
        if self.kind == "archimate":
            if local not in self._searched:
                ident = self.bron.get(key)
                self._searched[local] = (text_position(self.text, f'identifier="{ident}"', self.label)
                                         if ident else None)
            return self._searched[local]
        if self.suffix in TOKENIZED_SUFFIXES:
            if self._positions is None:
                self._positions = scan(Path("input" + self.suffix), self.text, label=self.label,
                                       base_iri=self.base_iri)
            return self._positions.locate(local)
        if local not in self._searched:
            self._searched[local] = scan(Path("input" + self.suffix), self.text, label=self.label,
                                         terms=[local]).locate(local)
        return self._searched[local]

    @property
    def base_iri(self) -> str | None:
        """The base relative IRIs resolve against: the file's URI (stdin: the working directory's)."""
        if self.path is None:
            return None
        if str(self.path) == "-":
            return Path.cwd().resolve().as_uri() + "/stdin"
        return self.path.resolve().as_uri()


def _display(path: Path) -> str:
    """Paths as people (and CI annotations) want them: relative to the working directory when
    the file is below it (``data/dera.ttl``), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _expand(paths: Iterable[str | Path], what: str) -> list[Path]:
    """Files, directories (their RDF files, recursively) and glob patterns, in a stable order."""
    return expand(paths, what=f"RDF ({what})", patterns=True)


class _Loader:
    """Reads inputs into :class:`_Source` objects, numbering them so blank nodes never clash."""

    def __init__(self, config: Config, architecture: str | None):
        self.config = config
        self.architecture = architecture
        self.sources: list[_Source] = []

    def _new(self, **kwargs) -> _Source:
        src = _Source(index=len(self.sources), **kwargs)
        self.sources.append(src)
        return src

    def file(self, path: Path, graph: str | None = None) -> _Source:
        """Read and parse one file (``-``: Turtle from standard input, as pySHACL allows)."""
        stdin = str(path) == "-"
        raw = sys.stdin.buffer.read() if stdin else read_file(path)
        suffix = ".ttl" if stdin else path.suffix.lower()
        if suffix == ".xml" and _ARCHIMATE_NS in raw[:4096]:
            return self._archimate(path, raw)
        if suffix not in RDF_SUFFIXES:
            raise InputError(f"{path}: cannot tell the RDF syntax from the suffix '{path.suffix}'",
                             hint="name the file .ttl, .trig, .nt, .nq, .jsonld, .rdf or .xml")
        fmt = RDF_SUFFIXES[suffix]
        label = "<stdin>" if stdin else _display(path)
        data = check_rdf(raw, fmt, label)
        src = self._new(label=label, quads=[], path=path, text=decode_text(data, label), suffix=suffix)
        default_graph = graph or (f"{GRAPH}local/stdin" if stdin else graph_for(path, self.config.content_root))
        parsed = parse_rdf(data, fmt, label, base_iri=src.base_iri,
                           hint="fix the file at that position and run again; nothing was validated")
        src.quads = self._rename(parsed.quads, src, default_graph, keep_graphs=suffix in DATASET_SUFFIXES)
        src.prefixes = parsed.prefixes
        return src

    def _rename(self, quads: Iterable[ox.Quad], src: _Source, default_graph: str | None,
                keep_graphs: bool) -> list[ox.Quad]:
        """Blank nodes get a per-input prefix; triples go into their named graph."""
        prefix = src.bnode_prefix
        target = ox.NamedNode(default_graph) if default_graph else ox.DefaultGraph()
        renamed: dict[str, ox.BlankNode] = {}
        labels = src.blank_labels

        def blank(node: ox.BlankNode) -> ox.BlankNode:
            new = renamed.get(node.value)
            if new is None:
                new = renamed[node.value] = ox.BlankNode(f"{prefix}{len(renamed) + 1}")
                labels[new.value] = node.value
            return new

        out = []
        for q in quads:
            s, o, g = q.subject, q.object, q.graph_name
            if isinstance(s, ox.BlankNode):
                s = blank(s)
            if isinstance(o, ox.BlankNode):
                o = blank(o)
            if not keep_graphs or isinstance(g, ox.DefaultGraph):
                g = target
            elif isinstance(g, ox.BlankNode):
                g = blank(g)
            out.append(ox.Quad(s, q.predicate, o, g))
        return out

    def _archimate(self, path: Path, raw: bytes) -> _Source:
        if not self.architecture:
            raise InputError(f"{path}: is an ArchiMate model; say which architecture it describes",
                             hint="give --architecture IRI (the IRI of the architecture, also the base of its element IRIs)")
        from .importers.archimate import import_archimate
        result = import_archimate(path, self.architecture, ontology=self.config.ontology_dir / "stelsel.ttl")
        data = result.graph.serialize(format="nt", encoding="utf-8")
        src = self._new(label=_display(path), quads=[], path=path, text=raw.decode("utf-8", "replace"),
                        kind="archimate")
        graph = f"{GRAPH}local/{path.stem}"
        src.quads = self._rename(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), src, graph, keep_graphs=False)
        bron = _S + "bronId"
        src.bron = {_key(q.subject): q.object.value for q in src.quads
                    if q.predicate.value == bron and isinstance(q.object, ox.Literal)}
        src.prefixes = {p: str(ns) for p, ns in result.graph.namespaces()}
        return src

    def remote(self, label: str, data: bytes, fmt: ox.RdfFormat, graph: str | None) -> _Source:
        src = self._new(label=label, quads=[], kind="remote")
        try:
            src.quads = self._rename(ox.parse(data, format=fmt, base_iri=label), src, graph, keep_graphs=True)
        except SyntaxError as exc:
            raise InputError(f"{label}: the endpoint's answer is not valid {fmt.name}: {exc}",
                             hint="check that the URL is a SPARQL endpoint that answers CONSTRUCT queries") from None
        return src

    def quads(self, label: str, quads: Iterable[ox.Quad]) -> _Source:
        src = self._new(label=label, quads=[], kind="remote")
        src.quads = self._rename(quads, src, None, keep_graphs=True)
        return src


def _key(term) -> str | None:
    """The text key of a resource term: IRI, or ``_:id``; None for literals."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


_RDF_MEDIA = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
              "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


def _fetch(endpoint: str, graph: str | None, timeout: float) -> tuple[bytes, ox.RdfFormat]:
    """Every triple (of one named graph) from a SPARQL endpoint: one CONSTRUCT; when the server
    says it cut the answer (``Stelsel-Truncated: true``, stelsel's own server at its row limit),
    the same CONSTRUCT again in pages of that size (``ORDER BY``, ``LIMIT``, ``OFFSET``), as
    N-Triples joined into one document (so blank nodes keep their labels across pages). A page
    that is cut too is refused (:class:`InputError`, exit 2): validating part of the data would
    blame the missing part."""
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"
    body, fmt, truncated = _construct(endpoint, query, timeout,
                                      "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5")
    if not truncated:
        return body, fmt
    try:
        size = sum(1 for _ in ox.parse(body, format=fmt, base_iri=endpoint))
    except SyntaxError:
        size = 0
    pages: list[bytes] = []
    offset = 0
    while size > 0:
        page, page_fmt, cut = _construct(endpoint, f"{query} ORDER BY ?s ?p ?o LIMIT {size} OFFSET {offset}",
                                         timeout, "application/n-triples")
        if cut or page_fmt is not ox.RdfFormat.N_TRIPLES:
            break
        if not page.strip():
            return b"\n".join(pages), ox.RdfFormat.N_TRIPLES
        pages.append(page)
        offset += size
    raise InputError(f"{endpoint}: the endpoint cut its answer at its row limit (Stelsel-Truncated: true) "
                     "and would not give the rest page by page; nothing was validated",
                     hint="raise the server's max_result_rows, or validate the files themselves")


def _construct(endpoint: str, query: str, timeout: float, accept: str) -> tuple[bytes, ox.RdfFormat, bool]:
    """One CONSTRUCT over HTTP: (body, its RDF format, whether the server says it cut it)."""
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": query}).encode("utf-8"), method="POST",
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded",
                 "User-Agent": "stelsel-validate"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            media = response.headers.get_content_type()
            truncated = (response.headers.get("Stelsel-Truncated") or "").strip().lower() == "true"
    except urllib.error.HTTPError as exc:
        raise InputError(f"{endpoint}: the endpoint answered {exc.code} {exc.reason} to a CONSTRUCT query",
                         hint="check the URL (it should be the SPARQL endpoint itself, e.g. …/sparql)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"{endpoint}: cannot reach the endpoint ({reason})",
                         hint="check the URL and that the server runs; the timeout was "
                              f"{timeout:g} s") from None
    if media not in _RDF_MEDIA:
        raise InputError(f"{endpoint}: the endpoint answered with '{media}', not RDF",
                         hint="use a SPARQL endpoint that returns Turtle or N-Triples for CONSTRUCT")
    return body, _RDF_MEDIA[media], truncated


def _resolve_graph(name: str) -> str:
    """``dera``, ``alignments/dera``, ``graph:dera`` or a full IRI -> the graph IRI."""
    name = name.strip().strip("<>")
    if re.match(r"^[a-zA-Z][\w+.-]*://", name) or name.startswith("urn:"):
        return name
    if name.startswith("graph:"):
        name = name[len("graph:"):]
    return f"{GRAPH}{name}"


# -- the graph indexes findings need ---------------------------------------------------------------
@dataclass
class _Index:
    """Where every resource lives: the source and named graph where it is typed (else where it
    first is a subject, else an object), its architecture, and the few alignment links the graph
    selection follows. Typed first: an alignments file also has an element as the subject of
    the materialised triple, but the element is described in its architecture's file."""

    typed: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    home: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    mention: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    in_arch: dict[str, str] = field(default_factory=dict)
    architectures: set[str] = field(default_factory=set)
    van: dict[str, str] = field(default_factory=dict)

    def add(self, src: _Source) -> None:
        arch_p, van_p = _S + "inArchitectuur", _S + "vanElement"
        arch_c = _S + "Architectuur"
        home, mention = self.home, self.mention
        for q in src.quads:
            s = _key(q.subject)
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            if s not in home:
                home[s] = (src.index, g)
            o = _key(q.object)
            if o is not None and o not in mention:
                mention[o] = (src.index, g)
            p = q.predicate.value
            if p == arch_p and o is not None:
                self.in_arch.setdefault(s, o)
            elif p == van_p and o is not None:
                self.van.setdefault(s, o)
            elif p == _RDF_TYPE:
                self.typed.setdefault(s, (src.index, g))
                if q.object.value == arch_c:
                    self.architectures.add(s)

    def where(self, key: str) -> tuple[int, str | None] | None:
        return self.typed.get(key) or self.home.get(key) or self.mention.get(key)

    def architecture(self, key: str) -> str | None:
        """Its ``stelsel:inArchitectuur``; an architecture itself; for an alignment or deviation
        the architecture of its ``stelsel:vanElement``."""
        if key in self.in_arch:
            return self.in_arch[key]
        if key in self.architectures:
            return key
        van = self.van.get(key)
        return self.in_arch.get(van) if van else None


def _select_graph(graph: str, sources: list[_Source]) -> tuple[list[ox.Quad], set[str], set[str]]:
    """The quads of ``graph`` plus what its checks need (see the module docstring), the graphs
    whose findings are reported, and all graphs included."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for src in sources:
        for q in src.quads:
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            by_graph.setdefault(g, []).append(q)
    if graph not in by_graph:
        known = ", ".join(sorted(g.removeprefix(str(GRAPH)) for g in by_graph if g)) or "none"
        raise InputError(f"there is no named graph {graph} in the data",
                         hint=f"give one of: {known}")
    subjects = {_key(q.subject) for q in by_graph[graph]}
    arch_p, van_p, naar_p = _S + "inArchitectuur", _S + "vanElement", _S + "naarElement"
    must_p, tov_p = _S + "moetAansluitenOp", _S + "tenOpzichteVan"
    in_arch: dict[str, str] = {}
    describes: dict[str, str] = {}           # architecture -> graph where it is typed
    for g, quads in by_graph.items():
        for q in quads:
            if q.predicate.value == arch_p:
                in_arch.setdefault(_key(q.subject), q.object.value)
            elif q.predicate.value == _RDF_TYPE and q.object.value == _S + "Architectuur":
                describes.setdefault(_key(q.subject), g)
    own_archs = {a for s, a in in_arch.items() if s in subjects} | {s for s in subjects if s in describes}
    reported = {graph}
    referenced: set[str] = set()
    for g, quads in by_graph.items():
        alignments = {_key(q.subject) for q in quads if q.predicate.value == van_p and _key(q.object) in subjects}
        if alignments and g != graph:
            reported.add(g)
        for q in quads:
            s = _key(q.subject)
            if s in alignments and q.predicate.value == naar_p and _key(q.object) in in_arch:
                referenced.add(in_arch[_key(q.object)])
            elif s in alignments and q.predicate.value == tov_p:
                referenced.add(q.object.value)
            elif s in own_archs and q.predicate.value == must_p:
                referenced.add(q.object.value)
    needed = set(reported) | {describes[a] for a in referenced if a in describes}
    quads = [q for g in sorted(needed) for q in by_graph.get(g, [])]
    return quads, reported, needed


# -- shapes: checks before the engine, and names for messages ------------------------------------------
class _Shapes:
    """The shapes graph (rdflib) with the sources it came from, for names and positions."""

    def __init__(self, sources: list[_Source]):
        from rdflib import Graph
        self.sources = sources
        self.graph = Graph()
        convert = _Converter()
        add = self.graph.add
        severity = str(SH.severity)
        last = {}  # shape -> the last file that states its sh:severity: that one counts (an override)
        for src in sources:
            for q in src.quads:
                if q.predicate.value == severity and isinstance(q.subject, ox.NamedNode):
                    last[q.subject.value] = src.index
        for src in sources:
            for q in src.quads:
                if (q.predicate.value == severity and isinstance(q.subject, ox.NamedNode)
                        and last[q.subject.value] != src.index):
                    continue
                add((convert(q.subject), convert(q.predicate), convert(q.object)))
        self.index = _Index()
        for src in sources:
            self.index.add(src)
        self.prefixes = {**{p: str(ns) for p, ns in PREFIXES.items()}}
        for src in sources:
            self.prefixes.update(src.prefixes)

    def compact(self, term) -> str:
        from rdflib import BNode
        text = str(term)
        if isinstance(term, BNode):
            return "_:" + text
        best = None
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and re.fullmatch(r"[\w.-]*", text[len(ns):]) and (best is None or len(ns) > len(best[1])):
                best = (prefix, ns)
        return f"{best[0]}:{text[len(best[1]):]}" if best else f"<{text}>"

    def where(self, term) -> Location | None:
        from rdflib import BNode
        key = ("_:" + str(term)) if isinstance(term, BNode) else str(term)
        found = self.index.where(key)
        if found is None:
            return None
        return self.sources_by_index[found[0]].locate(key)

    @property
    def sources_by_index(self) -> dict[int, _Source]:
        return {s.index: s for s in self.sources}

    def parent(self, node):
        """The shape that has ``node`` as its sh:property (or sh:node …), if any."""
        for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
            for s in self.graph.subjects(p, node):
                return s
        return None

    def name(self, node) -> str:
        """A shape as people can find it: ``ex:S (shapes/x.ttl:3:1)``; a blank shape through
        the named shape that holds it."""
        from rdflib import BNode
        text = self.compact(node)
        owner = node
        hops = 0
        while isinstance(owner, BNode) and hops < 5:
            up = self.parent(owner)
            if up is None:
                break
            owner, hops = up, hops + 1
        if owner is not node:
            path = self.graph.value(node, SH.path)
            text = f"the property shape{' for ' + self.compact(path) if path is not None else ''} of {self.compact(owner)}"
        where = self.where(node) or (self.where(owner) if owner is not node else None)
        return f"{text} ({where})" if where else text

    def precheck(self, js: bool) -> None:
        """Raise :class:`UnsupportedFeatureError` for shapes no engine here can evaluate, naming
        the shape and its place (the engines' own errors rarely say which shape)."""
        from rdflib import RDF, Literal
        g = self.graph
        if js:
            raise UnsupportedFeatureError("SHACL-JS (--js) is not supported by the stelsel validator",
                                          hint="express the constraint in SHACL-SPARQL (sh:sparql) instead")
        property_shapes = set(g.objects(None, SH.property)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for ps in sorted(property_shapes, key=str):
            if isinstance(ps, Literal):
                continue
            if (ps, SH.path, None) not in g:
                raise UnsupportedFeatureError(f"{self.name(ps)}: a property shape without sh:path cannot be evaluated",
                                              hint="give the property shape an sh:path (or make it a node shape)")
        for js_node in list(g.subjects(SH.js, None)) + list(g.subjects(SH.jsFunctionName, None)):
            raise UnsupportedFeatureError(f"{self.name(js_node)}: uses SHACL-JS, which is not supported",
                                          hint="express the constraint in SHACL-SPARQL (sh:sparql) instead")
        validators = (SH.validator, SH.nodeValidator, SH.propertyValidator)
        self._check_sparql([*g.objects(None, SH.sparql), *(v for p in validators for v in g.objects(None, p))])
        for component in sorted(g.subjects(RDF.type, SH.ConstraintComponent), key=str):
            usable = [v for p in validators for v in g.objects(component, p)
                      if (v, SH.select, None) in g or (v, SH.ask, None) in g]
            if usable:
                continue
            params = [g.value(p, SH.path) for p in g.objects(component, SH.parameter)]
            params = [p for p in params if p is not None]
            users = sorted({s for p in params for s in g.subjects(p, None) if (s, RDF.type, SH.ConstraintComponent) not in g
                            and not isinstance(s, Literal)}, key=str)
            if users:
                raise UnsupportedFeatureError(
                    f"{self.name(users[0])}: uses the constraint component {self.compact(component)}, "
                    "which has no SPARQL validator the engine can run",
                    hint="give the component an sh:validator with sh:select or sh:ask, or remove the constraint")

    def _check_sparql(self, constraints) -> None:
        """SHACL forbids MINUS, VALUES and SERVICE in SPARQL constraints (pre-binding, 5.2.1.1);
        both engines fail on them without saying where. Strings, IRIs and comments do not count."""
        from .sparql_rules import forbidden_keywords
        for node in sorted(set(constraints), key=str):
            for query in [*self.graph.objects(node, SH.select), *self.graph.objects(node, SH.ask)]:
                for word in forbidden_keywords(str(query)):
                    owner = next(iter(self.graph.subjects(SH.sparql, node)), None)
                    if owner is None:
                        owner = next((c for p in (SH.validator, SH.nodeValidator, SH.propertyValidator)
                                      for c in self.graph.subjects(p, node)), node)
                    raise UnsupportedFeatureError(
                        f"{self.name(owner)}: its SPARQL query uses {word}, which SHACL does not allow "
                        "in constraints (pre-bound variables), so no engine evaluates it",
                        hint="rewrite the query without " + word
                             + (" (e.g. FILTER (?x IN (…)) or a UNION)" if word == "VALUES" else ""))

    def explain(self, exc: BaseException, engine: str) -> UnsupportedFeatureError:
        """An engine's load error as a sentence naming the shape where the message allows."""
        message = str(getattr(exc, "message", None) or exc).strip().splitlines()[0]
        named = None
        for node in set(self.graph.subjects()):
            token = str(node)
            if len(token) > 8 and token in message:
                named = node
                break
        where = f"{self.name(named)}: " if named is not None else ""
        return UnsupportedFeatureError(f"{where}{engine} cannot evaluate the shapes: {message}",
                                       hint="remove or rewrite that constraint, or try the other --engine")


class _Converter:
    """pyoxigraph terms -> rdflib terms, each distinct term built once. Literals keep their
    lexical form (no normalisation), so reported values are what the file says."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, term):
        out = self.cache.get(term)
        if out is None:
            from rdflib import BNode, Literal, URIRef
            if isinstance(term, ox.NamedNode):
                out = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                out = BNode(term.value)
            elif term.language:
                out = Literal(term.value, lang=term.language, normalize=False)
            elif term.datatype.value == _XSD_STRING:
                out = Literal(term.value, normalize=False)
            else:
                out = Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
            self.cache[term] = out
        return out


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


# -- baseline -----------------------------------------------------------------------------------------
def read_baseline(path: str | Path) -> set[str]:
    """The fingerprints in a baseline file (a JSON array of objects with a ``fingerprint``)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file",
                         hint="write one with --write-baseline FILE, or check the path") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        pos = Position(str(path), getattr(exc, "lineno", None), getattr(exc, "colno", None))
        raise InputError(f"not a valid baseline file: {exc}", position=pos,
                         hint="a baseline is the JSON written by --write-baseline") from None
    items = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("fingerprint"), str)
                                              for i in items):
        raise InputError(f"{path}: not a baseline: expected a JSON array of objects with a 'fingerprint'",
                         hint="write one with --write-baseline FILE")
    return {i["fingerprint"] for i in items}


def write_baseline(report: Report, path: str | Path, lang: str = "nl") -> int:
    """Write every finding of ``report`` (new and already baselined) as a baseline file, atomically.
    Returns the number of findings written."""
    path = Path(path)
    items = {}
    for f in [*report.findings, *report.baselined]:
        items[f.fingerprint] = {"fingerprint": f.fingerprint, "severity": f.severity.value, "shape": f.source_shape,
                                "focus": f.focus_node, "path": f.path, "value": f.value, "message": f.text(lang)}
    text = json.dumps([items[k] for k in sorted(items)], indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return len(items)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file by writing a temporary file beside it and renaming it over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# -- coverage -----------------------------------------------------------------------------------------
def _coverage(config: Config, store: ox.Store) -> list[Coverage]:
    """Coverage of the NORA architecture principles per architecture, from a canned query over
    the validated data: ``queries/dekking-nora.rq`` (one row per architecture: ``architectuur``,
    ``label``?, ``covered``, ``total``, ``missing``?) when it exists, else
    ``queries/dekkingsmatrix-nora-principes.rq`` (one row per principle and architecture:
    ``architectuur``, ``architectuurNaam``, ``notatie``, ``gedekt``), summed per architecture."""
    query_file = next((config.queries_dir / name for name in COVERAGE_QUERIES
                       if (config.queries_dir / name).is_file()), None)
    if query_file is None:
        return []
    try:
        result = store.query(query_file.read_text(encoding="utf-8"))
        names = [v.value for v in result.variables]
        rows = [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]
    except (SyntaxError, OSError, ValueError) as exc:
        raise InputError(f"{_display(query_file)}: the coverage query does not run: {exc}",
                         hint="fix the canned query") from None
    per_arch: dict[str, dict] = {}
    for values in rows:
        arch = values.get("architectuur")
        if arch is None:
            continue
        entry = per_arch.setdefault(arch, {"label": "", "covered": 0, "total": 0, "missing": []})
        entry["label"] = entry["label"] or values.get("label") or values.get("architectuurNaam") or ""
        if "gedekt" in values:                      # the matrix: one row per principle
            entry["total"] += 1
            if values["gedekt"] in ("true", "1"):
                entry["covered"] += 1
            else:
                entry["missing"].append(values.get("notatie") or values.get("principe") or "?")
            continue
        try:
            entry["covered"] += int(float(values.get("covered") or 0))
            entry["total"] += int(float(values.get("total") or 0))
        except ValueError:
            continue
        missing = values.get("missing") or values.get("ontbrekend") or ""
        entry["missing"] += [m for m in re.split(r"[\s,]+", missing) if m]
    return [Coverage(architecture=arch, label=e["label"], covered=e["covered"], total=e["total"],
                     missing=tuple(sorted(set(e["missing"]))))
            for arch, e in sorted(per_arch.items())]


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
            from .model_context import context_sources, model_graphs
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


def _from_store(loader: _Loader, config: Config, target: str) -> _Source:
    """Every named graph of the store (read-only), for ``graph`` not found among the files."""
    try:
        store = ox.Store.read_only(os.path.realpath(config.store))  # the current generation
    except OSError as exc:
        raise InputError(f"cannot open the store at {config.store} to find graph {target}: {exc}",
                         hint="run 'stelsel reload' or give the data files") from None
    quads = [q for q in store.quads_for_pattern(None, None, None, None) if isinstance(q.graph_name, ox.NamedNode)
             and not q.graph_name.value.startswith(f"{GRAPH}-staging/")]
    return loader.quads(f"store {config.store}", quads)

