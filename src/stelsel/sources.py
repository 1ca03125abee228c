"""Find and parse content files: one named graph per file, errors with file, line and column.

Parsing happens completely, in memory, before anything touches a store, so a malformed file
can never leave a store half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .config import Config
from .errors import InputError
from .inputs import DATASET_SUFFIXES, check_rdf, expand as _expand_inputs, parse_rdf, rdf_format, read_file
from .vocab import GRAPH

BUNDLED_FOLDERS = ("ontology", "data", "shapes")


@dataclass(frozen=True)
class ParsedFile:
    """The quads of one file, already placed in their named graphs.

    ``target`` is the graph the file fills (None for a dataset file that names its own): a file
    without triples still replaces it, with nothing (and a warning in ``warnings``)."""

    path: Path
    quads: list[ox.Quad]
    target: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def graphs(self) -> set[str]:
        out = {q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)}
        return out | {self.target} if self.target else out


def graph_for(path: Path, content_root: Path) -> str:
    """The named graph of a content file: graph: + its path below the repository without
    suffix, a leading 'data/' dropped; any other file gets graph: + 'local/' + its stem."""
    try:
        rel = path.resolve().relative_to(content_root.resolve())
    except ValueError:
        rel = None
    if rel is None or rel.parts[0] not in BUNDLED_FOLDERS:
        return f"{GRAPH}local/{path.stem}"
    parts = list(rel.with_suffix("").parts)
    if parts and parts[0] == "data":
        parts = parts[1:]
    return str(GRAPH) + "/".join(parts)


@dataclass(frozen=True)
class RdfFile:
    """One input before parsing: where it comes from, its syntax and the graph it fills.

    ``target`` takes all its triples (None: a dataset file that names its own graphs). ``data``
    holds a request body; a file is read (through the input gate) only when :meth:`read` is
    called, so a bulk load holds one file in memory at a time."""

    label: str
    fmt: ox.RdfFormat
    target: str | None
    base_iri: str | None = None
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """The bytes through the input gate: size, BOM dropped, DTDs and deep JSON refused."""
        raw = self.data if self.data is not None else read_file(self.path)
        return check_rdf(raw, self.fmt, self.label, max_bytes=None if self.data is not None else -1)

    def bulk_input(self) -> dict:
        """Keyword arguments for ``Store.bulk_load``: a Turtle-family file without a BOM is read
        by pyoxigraph from disk (nothing of it held here, no size limit: the gate has nothing to
        refuse in it); anything else as bytes through :meth:`read`."""
        if self.data is None and self.fmt not in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
            with open(self.path, "rb") as fh:
                if not fh.read(3).startswith(b"\xef\xbb\xbf"):
                    return {"path": str(self.path)}
        return {"input": self.read()}

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def parse(self) -> ParsedFile:
        """Every quad, placed in ``target`` (or the graph the file names)."""
        target = ox.NamedNode(self.target) if self.target else None
        quads = []
        for q in parse_rdf(self.read(), self.fmt, self.label, base_iri=self.base_iri).quads:
            g = target if target is not None or isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
            if g is None:
                raise InputError(f"{self.label}: has triples outside a named graph",
                                 hint="give --graph IRI, or put them in a GRAPH block")
            quads.append(ox.Quad(q.subject, q.predicate, q.object, g))
        return ParsedFile(self.path or Path(self.label), quads, self.target,
                          () if quads else (empty_warning(self.label, self.target),))


def empty_warning(label: str, target: str | None) -> str:
    return f"{label}: holds no triples; " + (f"the graph <{target}> is emptied" if target
                                             else "nothing is loaded from it")


def rdf_file(path: Path, graph: str | None) -> RdfFile:
    """A content file as an :class:`RdfFile` (its syntax from the suffix; relative IRIs against its URI)."""
    return RdfFile(str(path), rdf_format(path), graph, base_iri=path.resolve().as_uri(), path=path)


def parse_file(path: Path, graph: str | None) -> ParsedFile:
    """Parse one RDF file into quads. Triples go into ``graph``; a dataset file (TriG,
    N-Quads) keeps its own graphs unless ``graph`` is given, which then takes them all."""
    return rdf_file(path, graph).parse()


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the RDF files below directories named, in a stable order (see
    :func:`stelsel.inputs.expand`: a folder without RDF files is an error)."""
    return _expand_inputs(paths)


def bundled_files(config: Config) -> list[Path]:
    """The ontology, data and shapes files that ship with stelsel (Turtle and TriG)."""
    files: list[Path] = []
    for folder in BUNDLED_FOLDERS:
        root = config.content_root / folder
        if root.is_dir():
            files.extend(sorted(f for f in root.rglob("*") if f.suffix in (".ttl", ".trig")))
    return files


def read_paths(paths: Iterable[str | Path], config: Config, graph: str | None = None) -> list[RdfFile]:
    """The files named and found below folders named, each with the graph it fills; nothing is
    parsed yet (missing files, folders without RDF and unknown suffixes are refused here)."""
    files = []
    for path in expand(paths):
        target = graph
        if target is None and path.suffix.lower() not in DATASET_SUFFIXES:
            target = graph_for(path, config.content_root)
        files.append(rdf_file(path, target))
    return files


def parse_paths(paths: Iterable[str | Path], config: Config, graph: str | None = None) -> list[ParsedFile]:
    """Parse every file first; the first error stops everything before any store is touched."""
    return [f.parse() for f in read_paths(paths, config, graph)]


def triples_by_graph(parsed: Iterable[ParsedFile]) -> dict[str, list[ox.Triple]]:
    """Graph IRI -> its new triples, for every graph the parsed files fill (also emptied ones)."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for pf in parsed:
        if pf.target:
            by_graph.setdefault(pf.target, [])
        for q in pf.quads:
            by_graph.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return by_graph


def from_rdflib(graph, graph_iri: str, label: str) -> ParsedFile:
    """An rdflib graph (an importer's result) as quads in the named graph ``graph_iri``."""
    data = graph.serialize(format="nt", encoding="utf-8")
    target = ox.NamedNode(graph_iri)
    quads = [ox.Quad(t.subject, t.predicate, t.object, target)
             for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return ParsedFile(Path(label), quads)
