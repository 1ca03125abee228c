"""What validation reads: files (through the input gate, :mod:`stelsel.inputs`), an endpoint's
answer or the store, as sources with their quads and, lazily, the positions of their nodes; where
every resource lives (:class:`_Index`); the graphs one named graph needs (:func:`_select_graph`)."""

from __future__ import annotations

import hashlib
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..config import Config
from ..errors import InputError
from ..findings import Location
from ..inputs import DATASET_SUFFIXES, RDF_SUFFIXES, check_rdf, decode_text, expand, parse_rdf, read_file
from ..positions import TOKENIZED_SUFFIXES, Positions, scan, text_position
from ..sources import graph_for
from ..vocab import GRAPH, STELSEL


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ARCHIMATE_NS = b"http://www.opengroup.org/xsd/archimate"
_S = str(STELSEL)


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
        from ..importers.archimate import import_archimate
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
