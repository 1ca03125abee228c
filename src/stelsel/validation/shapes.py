"""The shapes graph: checks before any engine runs (features no engine here evaluates, named with
file and line), names of shapes for messages, and pyoxigraph terms as rdflib terms."""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import UnsupportedFeatureError
from ..findings import Location
from ..vocab import PREFIXES, SH
from .inputs import _Index, _Source, _XSD_STRING


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
