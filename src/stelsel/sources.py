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
from .errors import InputError, Position
from .vocab import GRAPH

RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
DATASET_SUFFIXES = {".trig", ".nq"}
BUNDLED_FOLDERS = ("ontology", "data", "shapes")


@dataclass(frozen=True)
class ParsedFile:
    """The quads of one file, already placed in their named graphs."""

    path: Path
    quads: list[ox.Quad]

    @property
    def graphs(self) -> set[str]:
        return {q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)}


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


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"{path}: cannot tell the RDF syntax from the suffix '{path.suffix}'",
            hint="name the file .ttl, .trig, .nt, .nq, .jsonld or .rdf",
        ) from None


def parse_file(path: Path, graph: str | None) -> ParsedFile:
    """Parse one RDF file into quads. Triples go into ``graph``; a dataset file (TriG,
    N-Quads) keeps its own graphs unless ``graph`` is given, which then takes them all."""
    fmt = rdf_format(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="check the path; directories are searched for "
                         + ", ".join(sorted(RDF_SUFFIXES)))
    target = ox.NamedNode(graph) if graph else None
    try:
        with open(path, "rb") as fh:
            parsed = ox.parse(fh, format=fmt, base_iri=path.resolve().as_uri())
            quads = []
            for q in parsed:
                g = target if target is not None or isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
                if g is None:
                    raise InputError(f"{path}: has triples outside a named graph",
                                     hint="give --graph IRI, or put them in a GRAPH block")
                quads.append(ox.Quad(q.subject, q.predicate, q.object, g))
    except SyntaxError as exc:
        line, column = (exc.lineno, exc.offset) if exc.lineno else (None, None)
        message = str(exc.args[0]) if exc.args else str(exc)
        raise InputError(f"not valid {fmt.name}: {message}",
                         hint="fix the file at that position and run the command again; nothing was loaded",
                         position=Position(str(path), line, column)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 text ({exc.reason})",
                         hint="save the file as UTF-8") from None
    return ParsedFile(path, quads)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the RDF files below directories named, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in RDF_SUFFIXES
                              and not any(part.startswith(".") for part in f.parts)))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory", hint="check the path")
    return out


def bundled_files(config: Config) -> list[Path]:
    """The ontology, data and shapes files that ship with stelsel (Turtle and TriG)."""
    files: list[Path] = []
    for folder in BUNDLED_FOLDERS:
        root = config.content_root / folder
        if root.is_dir():
            files.extend(sorted(f for f in root.rglob("*") if f.suffix in (".ttl", ".trig")))
    return files


def parse_paths(paths: Iterable[str | Path], config: Config, graph: str | None = None) -> list[ParsedFile]:
    """Parse every file first; the first error stops everything before any store is touched."""
    parsed = []
    for path in expand(paths):
        target = graph
        if target is None and path.suffix.lower() not in DATASET_SUFFIXES:
            target = graph_for(path, config.content_root)
        parsed.append(parse_file(path, target))
    return parsed


def from_rdflib(graph, graph_iri: str, label: str) -> ParsedFile:
    """An rdflib graph (an importer's result) as quads in the named graph ``graph_iri``."""
    data = graph.serialize(format="nt", encoding="utf-8")
    target = ox.NamedNode(graph_iri)
    quads = [ox.Quad(t.subject, t.predicate, t.object, target)
             for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return ParsedFile(Path(label), quads)
