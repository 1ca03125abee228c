"""The shapes a description is validated with: stelsel's own, or a file the user brings.

    shapes = prepare()                               # shapes/nde-datasets.ttl
    shapes = prepare(["requirements/shacl.ttl"])     # e.g. the NDE register's published shapes
    shapes.warnings                                  # what was changed or cannot be checked, by shape

A shapes file written for another engine can hold constructs that a SHACL engine here cannot
load. Rather than crash or silently skip a rule, the shapes graph is pre-processed and every change
is said, naming the shape:

- **A property shape without sh:path that holds sh:or** (or sh:and, sh:xone, sh:not) is a node
  constraint written in the wrong place (the NDE register's "encodingFormat or usageInfo" rule on
  its DistributionShape). It becomes a node shape of its own with the targets of the shape that
  held it, and is checked; a warning says so.
- **Any other property shape without sh:path** cannot be evaluated: it is removed, with a warning,
  and each dataset of a description gets an Info finding "not checked" for it.
- **A constraint component without a validator** (declared with sh:parameter but no
  sh:validator / sh:nodeValidator / sh:propertyValidator that has sh:select or sh:ask; the register
  declares two for network probes) cannot be evaluated: its declaration is removed, every shape
  that uses one of its parameters gets a warning "constraint X on shape Y cannot be checked", and
  an Info finding "not checked" per dataset, so the report shows it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import inputs as gate
from ..config import Config
from ..errors import InputError
from ..vocab import SH

__all__ = ["SHAPES_NS", "ShapesSet", "Unchecked", "bundled_shapes_file", "prepare"]

SHAPES_NS = "https://w3id.org/stelsel/shapes/datasets#"
_SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".jsonld": "json-ld", ".json": "json-ld",
                   ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".trig": "trig", ".nq": "nquads"}
_LOGICAL = ("or", "and", "xone", "not")
_TARGETS = ("targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf", "target")


@dataclass(frozen=True)
class Unchecked:
    """A constraint that stays unchecked: it becomes an Info finding per dataset."""

    shape: str              # the shape's IRI, or _:id
    shape_name: str         # how people find it: "nde-dataset:DistributionShape" or "the property shape for … of …"
    constraint: str         # the component's IRI (or the parameter, when that says more)
    parameter: str          # e.g. nde-probe:probeReachable
    path: str | None        # the shape's sh:path, when it has one
    reason: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class ShapesSet:
    """Shapes ready for the engine: the files to hand to validate(), what was changed, what is
    not checked, and labels for reports."""

    files: list[Path]
    labels: list[str]
    warnings: list[str] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    graph: object = None    # the (pre-processed) rdflib shapes graph
    key: str = ""           # a hash of the shapes text: stable name for caches

    @property
    def name(self) -> str:
        return ", ".join(self.labels)


def bundled_shapes_file(config: Config | None = None) -> Path:
    config = config or Config()
    path = config.shapes_dir / "nde-datasets.ttl"
    if not path.is_file():  # the package is used outside its checkout: the repository's copy
        path = Path(__file__).resolve().parents[3] / "shapes" / "nde-datasets.ttl"
    return path


def prepare(paths: Sequence[str | Path] | None = None, *, workdir: Path, config: Config | None = None) -> ShapesSet:
    """Read the shapes (default: stelsel's dataset shapes), pre-process them and write the result
    into ``workdir`` for the engine."""
    from rdflib import Graph
    files = [Path(p) for p in paths] if paths else [bundled_shapes_file(config)]
    graph = Graph()
    digest = hashlib.sha256()
    for f in gate.expand(files, suffixes=_SUFFIX_FORMATS, what="shapes"):
        fmt = _SUFFIX_FORMATS.get(f.suffix.lower())
        if fmt is None:
            raise InputError(f"{f}: cannot tell the syntax of a shapes file from the suffix '{f.suffix}'",
                             hint="name it .ttl (or .jsonld, .nt, .rdf)")
        data = gate.check_rdf(gate.read_file(f, what="shapes file"), gate.rdf_format(f), str(f))
        if fmt == "json-ld" and re.search(rb'"@context"\s*:\s*"', data):
            raise InputError(f"{f}: a JSON-LD shapes file with a remote context is not read (nothing is fetched)",
                             hint="give the shapes as Turtle")
        digest.update(data)
        try:
            graph.parse(data=data, format=fmt, publicID=f.resolve().as_uri())
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds for malformed files
            raise InputError(f"{f}: the shapes are not valid {fmt}: {exc}",
                             hint="fix the shapes file; nothing was validated") from None
    shapes = ShapesSet(files=[], labels=[str(f) for f in files], graph=graph, key=digest.hexdigest()[:16])
    _Preprocessor(graph, shapes).run()
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"shapes-{shapes.key}.ttl"
    out.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    shapes.files = [out]
    return shapes


class _Preprocessor:
    def __init__(self, graph, shapes: ShapesSet):
        self.g = graph
        self.shapes = shapes

    # -- names for people -----------------------------------------------------------------------
    def compact(self, term) -> str:
        from rdflib import BNode
        if isinstance(term, BNode):
            return "_:" + str(term)
        try:
            return self.g.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - a term rdflib cannot compact: show it whole
            return f"<{term}>"

    def parent(self, node):
        for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
            for s in self.g.subjects(p, node):
                return s
        for s in self.g.subjects(None, node):  # inside an RDF list of sh:or / sh:and / sh:xone
            holder = self._list_holder(s)
            if holder is not None:
                return holder
        return None

    def _list_holder(self, cell):
        from rdflib import RDF
        seen = 0
        while cell is not None and seen < 1000:
            for p in (SH["or"], SH["and"], SH.xone):
                for s in self.g.subjects(p, cell):
                    return s
            prev = next(iter(self.g.subjects(RDF.rest, cell)), None)
            cell, seen = prev, seen + 1
        return None

    def name(self, node) -> str:
        from rdflib import BNode
        if not isinstance(node, BNode):
            return self.compact(node)
        path = self.g.value(node, SH.path)
        owner, hops = node, 0
        while isinstance(owner, BNode) and hops < 8:
            up = self.parent(owner)
            if up is None:
                break
            owner, hops = up, hops + 1
        what = "the property shape" + (f" for {self.compact(path)}" if path is not None else " without sh:path")
        if owner is not node:
            return f"{what} of {self.compact(owner)}"
        return f"{what} {self.compact(node)}"

    def key(self, node) -> str:
        from rdflib import BNode
        return ("_:" + str(node)) if isinstance(node, BNode) else str(node)

    # -- the rewrites ---------------------------------------------------------------------------
    def run(self) -> None:
        self._pathless_property_shapes()
        self._validatorless_components()

    def _pathless_property_shapes(self) -> None:
        from rdflib import RDF, Literal
        g = self.g
        candidates = set(g.objects(None, SH.property)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for ps in sorted(candidates, key=str):
            if isinstance(ps, Literal) or (ps, SH.path, None) in g:
                continue
            name = self.name(ps)
            parents = list(g.subjects(SH.property, ps))
            logical = [p for p in _LOGICAL if (ps, SH[p], None) in g]
            if logical:
                for parent in parents:
                    g.remove((parent, SH.property, ps))
                    for target in _TARGETS:
                        for value in g.objects(parent, SH[target]):
                            g.add((ps, SH[target], value))
                    if (ps, SH.severity, None) not in g:
                        for sev in g.objects(parent, SH.severity):
                            g.add((ps, SH.severity, sev))
                g.remove((ps, RDF.type, SH.PropertyShape))
                g.add((ps, RDF.type, SH.NodeShape))
                where = ", ".join(self.compact(p) for p in parents) or "no shape"
                self.shapes.warnings.append(
                    f"{name}: a property shape without sh:path that holds sh:{'/sh:'.join(logical)}; "
                    f"checked as a node shape with the targets of {where}")
            else:
                for parent in parents:
                    g.remove((parent, SH.property, ps))
                g.remove((ps, RDF.type, SH.PropertyShape))
                constraints = sorted({self.compact(p) for p in g.predicates(ps, None)
                                      if str(p).startswith(str(SH)) and p not in (SH.message, SH.severity, SH.name,
                                                                                   SH.description, SH.order, SH.group)})
                self.shapes.warnings.append(
                    f"{name}: a property shape without sh:path cannot be checked; its constraint(s) "
                    f"{', '.join(constraints) or '(none)'} are not checked")
                self.shapes.unchecked.append(Unchecked(
                    shape=self.key(ps), shape_name=name, constraint=str(SH.PropertyShape),
                    parameter=", ".join(constraints) or "sh:path", path=None,
                    reason={"nl": "een eigenschapsvorm zonder sh:path kan niet gecontroleerd worden",
                            "en": "a property shape without sh:path cannot be checked"}))

    def _validatorless_components(self) -> None:
        from rdflib import RDF
        g = self.g
        validators = (SH.validator, SH.nodeValidator, SH.propertyValidator)
        for component in sorted(set(g.subjects(RDF.type, SH.ConstraintComponent)), key=str):
            usable = [v for p in validators for v in g.objects(component, p)
                      if (v, SH.select, None) in g or (v, SH.ask, None) in g]
            if usable:
                continue
            parameters = list(g.objects(component, SH.parameter))
            params = [g.value(p, SH.path) for p in parameters]
            params = [p for p in params if p is not None]
            users = sorted({s for p in params for s in g.subjects(p, None)
                            if (s, RDF.type, SH.ConstraintComponent) not in g}, key=str)
            # the declaration goes; the parameter triples on the shapes stay (engines ignore them)
            for p in parameters:
                g.remove((p, None, None))
            for p in (*validators, SH.parameter, RDF.type):
                g.remove((component, p, None))
            comp_name = self.compact(component)
            if not users:
                self.shapes.warnings.append(f"the constraint component {comp_name} has no validator and no shape "
                                            "uses it; its declaration was removed")
                continue
            for shape in users:
                for param in params:
                    if (shape, param, None) not in g:
                        continue
                    path = g.value(shape, SH.path)
                    name = self.name(shape)
                    self.shapes.warnings.append(
                        f"the constraint {self.compact(param)} on {name} cannot be checked: its constraint "
                        f"component {comp_name} has no validator (sh:validator with sh:select or sh:ask)")
                    self.shapes.unchecked.append(Unchecked(
                        shape=self.key(shape), shape_name=name, constraint=str(component),
                        parameter=self.compact(param), path=str(path) if path is not None else None,
                        reason={"nl": f"de component {comp_name} heeft geen validator",
                                "en": f"the component {comp_name} has no validator"}))
