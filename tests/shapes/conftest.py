"""Helpers to run the SHACL shapes of shapes/ in tests, and to find the shape fixtures.

Fixtures: ``tests/shapes/<local name of a shape>/valid/*.ttl`` and ``…/invalid/*.ttl`` (a single
``valid.ttl`` / ``invalid.ttl`` beside them counts too). Each is a small data graph; the ontology
is merged in by :func:`validate`. tests/test_shapes.py runs them.

**One function runs the engine:** :func:`validate`. It calls pySHACL directly for now; to move the
tests to the project's entry point, change its body to ``stelsel.validation.validate()`` and map
the findings to :class:`Result`; nothing else needs to change.

Why the ontology is merged here and not passed as pySHACL's ``ont_graph``: pySHACL 0.40 "inoculates"
an ``ont_graph`` into the data graph by deep-cloning it, which for ontology/stelsel.ttl takes
2 to 3 minutes per call, whatever the size of the data (measured). The union is the same graph.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parents[2]
SHAPES_DIR = REPO / "shapes"
ONTOLOGY = REPO / "ontology" / "stelsel.ttl"
FIXTURES = Path(__file__).resolve().parent
STELSEL_SHAPES = "https://w3id.org/stelsel/shapes#"
KINDS = ("valid", "invalid")
#: deep enough for nested sh:or / sh:qualifiedValueShape (pySHACL's default, 15, is not)
MAX_DEPTH = 40


@dataclass(frozen=True)
class Result:
    """One top-level sh:result of a validation report, as text."""

    shape: str             # sh:sourceShape: an IRI, or "_:…" for a blank node
    focus: str
    severity: str          # "Violation", "Warning" or "Info"
    component: str         # local name of sh:sourceConstraintComponent
    value: str | None = None
    path: str | None = None
    messages: tuple[tuple[str, str], ...] = ()   # (language tag or "", text)

    def message(self, lang: str = "nl") -> str:
        texts = dict(self.messages)
        return texts.get(lang) or texts.get("") or next(iter(texts.values()), "")


# -- inputs ----------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _ontology_triples() -> tuple:
    return tuple(Graph().parse(ONTOLOGY, format="turtle"))


def ontology() -> Graph:
    g = Graph()
    for t in _ontology_triples():
        g.add(t)
    return g


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


def load_shapes(*overrides: Path | str) -> Graph:
    """The bundled shapes, with a team's own shapes files applied on top.

    An override file may restate a shape's ``sh:severity`` (for instance
    ``shapes:DekkingNora sh:severity sh:Warning .``): it replaces the bundled severity, because a
    shape has exactly one. Everything else in an override file is added.
    """
    g = Graph()
    for f in shape_files():
        g.parse(f, format="turtle")
    for f in overrides:
        extra = Graph().parse(f, format="turtle") if isinstance(f, Path) else Graph().parse(data=f, format="turtle")
        for shape in set(extra.subjects(SH.severity, None)):
            g.remove((shape, SH.severity, None))
        g += extra
    return g


def read(paths: Iterable[Path]) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


# -- the engine ------------------------------------------------------------------------------------------
def validate(data: Graph, shapes: Graph | None = None, *, only: Sequence[str] | None = None,
             engine: str = "pyshacl") -> list[Result]:
    """Validate ``data`` (merged with the ontology) against ``shapes`` (default: all of shapes/);
    ``only``: run just these shape IRIs. Returns the top-level results."""
    shapes = shapes if shapes is not None else load_shapes()
    merged = Graph()
    merged += data
    for t in _ontology_triples():
        merged.add(t)
    options = dict(shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
                   max_validation_depth=MAX_DEPTH)
    if only:
        options["use_shapes"] = list(only)
    if engine == "pyshacl":
        import pyshacl
        _, report, text = pyshacl.validate(merged, inplace=True, **options)
    elif engine == "turbo":
        import pyshacl_turbo
        _, report, text = pyshacl_turbo.validate(merged, **options)
    else:  # pragma: no cover
        raise ValueError(engine)
    if not isinstance(report, Graph):
        raise RuntimeError(f"{engine} could not validate: {report}\n{text}")
    return results(report)


def results(report: Graph) -> list[Result]:
    out = []
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(rep, SH.result):
            value = report.value(r, SH.value)
            path = report.value(r, SH.resultPath)
            out.append(Result(
                shape=_text(report.value(r, SH.sourceShape)),
                focus=_text(report.value(r, SH.focusNode)),
                severity=str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                component=str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                value=_text(value) if value is not None else None,
                path=_text(path) if isinstance(path, URIRef) else (None if path is None else "_:path"),
                messages=tuple(sorted((getattr(m, "language", None) or "", str(m))
                                      for m in report.objects(r, SH.resultMessage))),
            ))
    return sorted(out, key=lambda r: (r.shape, r.focus, r.value or "", r.component))


def _text(node) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


# -- shapes and fixtures ---------------------------------------------------------------------------------
def named_shapes(g: Graph) -> set[URIRef]:
    """Every shape with an IRI: declared node or property shapes, and nodes with a target."""
    candidates = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        candidates |= set(g.subjects(p, None))
    return {s for s in candidates if isinstance(s, URIRef)}


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def family(g: Graph, shape) -> set[str]:
    """The shape and every shape nested in it (sh:property, sh:node, sh:qualifiedValueShape,
    sh:not, and the members of sh:and, sh:or and sh:xone): results of any of these count as
    results of the shape."""
    seen, todo = set(), [shape]
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for p in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
            todo.extend(g.objects(s, p))
        for p in (SH["and"], SH["or"], SH.xone):
            for lst in g.objects(s, p):
                todo.extend(Collection(g, lst))
    return {_text(s) for s in seen}


def fixture_folders() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def fixture_files(folder: Path, kind: str) -> list[Path]:
    files = sorted((folder / kind).glob("*.ttl")) if (folder / kind).is_dir() else []
    if (folder / f"{kind}.ttl").is_file():
        files.append(folder / f"{kind}.ttl")
    return files
