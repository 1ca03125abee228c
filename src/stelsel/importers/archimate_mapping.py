"""The ArchiMate -> stelsel mapping, read from the ontology's annotations (no tables in Python).

Classes carry `stelsel:archimateType` (the ArchiMate element type), the general one of several
classes sharing a type `stelsel:archimateDefault true`, the specific ones a `stelsel:notatiePatroon`
(a regular expression on the notation). Properties carry `stelsel:archimateRelation` (the
relationship type), optionally `stelsel:archimateInverse true` (the property runs from the
relationship's target to its source) and an `rdfs:domain`/`rdfs:range` more specific than
`stelsel:Element` that makes the importer prefer it when the ends are of those classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS, SKOS

from ..content import own_content_root
from ..vocab import STELSEL
from .archimate_model import ArchimateImportError, normalise_type

# Classes that put no restriction on the end of a relation.
_UNRESTRICTED = {STELSEL.Element, OWL.Thing, RDFS.Resource}


def _type_name(term) -> str:
    """'Driver', 'Realization', from a literal or from an IRI's local name."""
    text = str(term)
    if isinstance(term, URIRef):
        text = re.split(r"[#/]", text.rstrip("/#"))[-1]
    return normalise_type(text)


def _key(text: str) -> str:
    """Comparison key of class names: 'Afgeleid principe' ~ 'AfgeleidPrincipe'."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())


@dataclass(frozen=True)
class ClassRule:
    cls: URIRef
    pattern: re.Pattern[str] | None = None
    default: bool = False


@dataclass(frozen=True)
class PropertyRule:
    prop: URIRef
    inverse: bool = False
    domain: tuple[URIRef, ...] = ()  # empty: unrestricted; several: a union
    range: tuple[URIRef, ...] = ()

    @property
    def specificity(self) -> int:
        return int(bool(self.domain)) + int(bool(self.range))


@dataclass
class ArchimateMapping:
    """Lookup tables built from an ontology graph."""

    classes_by_type: dict[str, list[ClassRule]] = field(default_factory=dict)
    defaults: dict[str, URIRef] = field(default_factory=dict)
    properties_by_relation: dict[str, list[PropertyRule]] = field(default_factory=dict)
    superclasses: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    class_keys: dict[str, URIRef] = field(default_factory=dict)  # name key -> Element subclass
    archimate_type_iri_base: str | None = None  # when the ontology uses IRIs for the types
    problems: list[str] = field(default_factory=list)

    # -- classes ---------------------------------------------------------------------------

    def is_a(self, cls: URIRef, other: URIRef) -> bool:
        return cls == other or other in self.superclasses.get(cls, ())

    def element_class(self, archimate_type: str, notation: str | None,
                      hints: tuple[str, ...] = ()) -> URIRef:
        """The class of an element: a class whose notatiePatroon matches the notation, else a
        class named by a hint (a specialization or a property value), else the default class
        of the type, else stelsel:Element."""
        rules = self.classes_by_type.get(normalise_type(archimate_type), [])
        if notation:
            matched = sorted(
                (r.cls for r in rules if r.pattern is not None and r.pattern.search(notation)),
                key=lambda c: (-len(self.superclasses.get(c, ())), str(c)),
            )
            if matched:
                return matched[0]
        for hint in hints:
            cls = self.class_keys.get(_key(hint))
            if cls is not None:
                return cls
        return self.defaults.get(normalise_type(archimate_type), STELSEL.Element)

    def archimate_type_term(self, archimate_type: str):
        if self.archimate_type_iri_base:
            return URIRef(self.archimate_type_iri_base + archimate_type)
        return Literal(archimate_type)

    # -- relations -------------------------------------------------------------------------

    def _fits(self, cls: URIRef, allowed: tuple[URIRef, ...]) -> bool:
        return not allowed or any(self.is_a(cls, a) for a in allowed)

    def relation_property(self, relation_type: str, source_cls: URIRef,
                          target_cls: URIRef) -> tuple[URIRef, bool] | None:
        """(property, inverse) for a relationship between elements of these classes, or None
        when the ontology maps no property to this relationship type."""
        fitting = []
        for rule in self.properties_by_relation.get(normalise_type(relation_type), []):
            subj, obj = (target_cls, source_cls) if rule.inverse else (source_cls, target_cls)
            if self._fits(subj, rule.domain) and self._fits(obj, rule.range):
                fitting.append(rule)
        if not fitting:
            return None
        best = sorted(fitting, key=lambda r: (-r.specificity, r.inverse, str(r.prop)))[0]
        return best.prop, best.inverse

    @property
    def relation_properties(self) -> set[URIRef]:
        return {r.prop for rules in self.properties_by_relation.values() for r in rules}

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_graph(cls, g: Graph) -> "ArchimateMapping":
        m = cls()
        # subclass closure (named classes only)
        direct: dict[URIRef, set[URIRef]] = {}
        for sub, sup in g.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                direct.setdefault(sub, set()).add(sup)
        for c in direct:
            seen: set[URIRef] = set()
            todo = list(direct[c])
            while todo:
                s = todo.pop()
                if s not in seen:
                    seen.add(s)
                    todo.extend(direct.get(s, ()))
            m.superclasses[c] = frozenset(seen)
        for c, sups in sorted(m.superclasses.items()):
            if STELSEL.Element in sups:
                names = [str(c).rsplit("#", 1)[-1].rsplit("/", 1)[-1]]
                names += [str(lbl) for p in (RDFS.label, SKOS.prefLabel) for lbl in g.objects(c, p)]
                for name in names:
                    m.class_keys.setdefault(_key(name), c)

        # element types -> classes
        iri_types: set[str] = set()
        for c, t in sorted(g.subject_objects(STELSEL.archimateType)):
            if not isinstance(c, URIRef):
                continue
            if isinstance(t, URIRef):
                iri_types.add(re.sub(r"[^#/]*$", "", str(t)))
            pattern = None
            for p in g.objects(c, STELSEL.notatiePatroon):
                try:
                    pattern = re.compile(str(p))
                except re.error as exc:
                    m.problems.append(f"notatiePatroon of {c} is not a regular expression: {exc}")
            default = any(v.toPython() is True or str(v).lower() == "true"
                          for v in g.objects(c, STELSEL.archimateDefault))
            m.classes_by_type.setdefault(_type_name(t), []).append(ClassRule(c, pattern, default))
        if len(iri_types) == 1:
            m.archimate_type_iri_base = iri_types.pop()
        for t, rules in m.classes_by_type.items():
            defaults = [r.cls for r in rules if r.default]
            if not defaults:
                plain = [r.cls for r in rules if r.pattern is None]
                # the most general of the classes without a pattern
                plain = [c for c in plain if not any(o != c and m.is_a(c, o) for o in plain)]
                defaults = plain if len(plain) == 1 else []
            if len(defaults) > 1:
                m.problems.append(f"several default classes for ArchiMate type {t}: "
                                  + ", ".join(sorted(map(str, defaults))))
            if defaults:
                m.defaults[t] = sorted(defaults, key=str)[0]

        # relationship types -> properties
        for p, r in sorted(g.subject_objects(STELSEL.archimateRelation)):
            if not isinstance(p, URIRef):
                continue
            inverse = any(v.toPython() is True or str(v).lower() == "true"
                          for v in g.objects(p, STELSEL.archimateInverse))
            rule = PropertyRule(p, inverse, _classes(g, g.value(p, RDFS.domain)),
                                _classes(g, g.value(p, RDFS.range)))
            m.properties_by_relation.setdefault(_type_name(r), []).append(rule)
        return m

    @classmethod
    def from_path(cls, path: Path | str | None = None) -> "ArchimateMapping":
        return cls.from_graph(load_ontology_graph(path))


def _classes(g: Graph, node) -> tuple[URIRef, ...]:
    """A domain/range as a tuple of classes: () for none or unrestricted, several for a union."""
    if node is None:
        return ()
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is None:
            return ()
        members = tuple(c for c in Collection(g, union) if isinstance(c, URIRef))
        return () if any(c in _UNRESTRICTED for c in members) else members
    if node in _UNRESTRICTED:
        return ()
    return (node,)


def default_ontology_path() -> Path:
    """stelsel's own ontology folder (the checkout's, or the one packaged in the wheel)."""
    return own_content_root() / "ontology"


def load_ontology_graph(path: Path | str | None = None) -> Graph:
    """Parse the ontology: a Turtle file, or a folder (its stelsel.ttl, else all its .ttl)."""
    p = Path(path) if path is not None else default_ontology_path()
    if p.is_dir():
        files = [p / "stelsel.ttl"] if (p / "stelsel.ttl").is_file() else sorted(p.glob("*.ttl"))
    else:
        files = [p]
    if not files or not all(f.is_file() for f in files):
        raise ArchimateImportError(
            "ontology not found", path=p,
            hint="pass the path of ontology/stelsel.ttl (option ontology=...)",
        )
    g = Graph()
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises many kinds
            raise ArchimateImportError(
                f"the ontology does not parse: {exc}", path=f,
                hint="fix the Turtle syntax of the ontology",
            ) from None
    return g
