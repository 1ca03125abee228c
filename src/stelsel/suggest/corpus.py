"""What the suggester reads from the store: elements, their relations within an architecture,
and the alignments between architectures. One read, then everything works in memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import InputError
from ..vocab import ID, STELSEL

S = str(STELSEL)
#: the kinds of NORA element the suggester proposes, most specific class first
TARGET_CLASSES = ("Architectuurprincipe", "Implicatie", "Kwaliteitsdoel", "Beleidskader", "Kernwaarde")
#: the kinds of element `--architecture` suggests for: principles and goals
SOURCE_CLASSES = ("Principe", "Architectuurprincipe", "Basisprincipe", "AfgeleidPrincipe", "Ontwerpprincipe",
                  "Doel", "Kwaliteitsdoel", "Speerpunt", "PrioritaireDoelstelling", "Uitvoeringsdoel")
#: relations that are no structure between elements
_NOT_STRUCTURE = {f"{S}{p}" for p in ("inArchitectuur", "status", "eigenaar", "moetAansluitenOp", "hoortBijLaag",
                                      "archimateType", "relatie", "vanElement", "naarElement", "inSet")}

_ELEMENTS = f"""
PREFIX stelsel: <{S}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?arch ?type ?label ?labelEn ?notation ?def ?status WHERE {{
  ?e stelsel:inArchitectuur ?arch ; a ?type .
  FILTER(STRSTARTS(STR(?type), "{S}"))
  OPTIONAL {{ ?e skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "nl")) }}
  OPTIONAL {{ ?e skos:prefLabel ?labelEn FILTER(LANGMATCHES(LANG(?labelEn), "en")) }}
  OPTIONAL {{ ?e skos:notation ?notation }}
  OPTIONAL {{ ?e skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }}
  OPTIONAL {{ ?e stelsel:status ?status }}
}}"""

_RELATIONS = f"""
PREFIX stelsel: <{S}>
SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o . ?s stelsel:inArchitectuur ?a . ?o stelsel:inArchitectuur ?a .
  FILTER(STRSTARTS(STR(?p), "{S}"))
}}"""

_ALIGNMENTS = f"""
PREFIX stelsel: <{S}>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?al ?s ?rel ?o ?status ?set ?creator WHERE {{
  ?al a stelsel:Aansluiting ; stelsel:vanElement ?s ; stelsel:naarElement ?o .
  OPTIONAL {{ ?al stelsel:relatie ?rel }}
  OPTIONAL {{ ?al stelsel:status ?status }}
  OPTIONAL {{ ?al stelsel:inSet ?set }}
  OPTIONAL {{ ?al dct:creator ?creator }}
}}"""

_DEVIATIONS = f"""
PREFIX stelsel: <{S}>
SELECT ?s ?arch WHERE {{
  ?d a stelsel:Afwijking ; stelsel:vanElement ?s ; stelsel:tenOpzichteVan ?arch .
  FILTER NOT EXISTS {{ ?d stelsel:status stelsel:Vervallen }}
}}"""

#: how specific a class is, to pick one per element (higher wins)
_RANK = {name: i for i, name in enumerate(reversed((
    "Architectuurprincipe", "Basisprincipe", "AfgeleidPrincipe", "Ontwerpprincipe", "Implicatie",
    "Kwaliteitsdoel", "Speerpunt", "PrioritaireDoelstelling", "Uitvoeringsdoel", "Kernwaarde", "Beleidskader",
    "Principe", "Doel", "Eis", "Driver")))}


@dataclass
class Element:
    iri: str
    architecture: str
    kind: str  # local name of its most specific stelsel class
    label: str = ""
    label_en: str = ""
    notation: str = ""
    definition: str = ""
    withdrawn: bool = False

    @property
    def text(self) -> str:
        """The element's own words: its name and definition (never another element's text)."""
        return " ".join(t for t in (self.label, self.definition) if t)

    def short(self) -> str:
        return f"{self.notation} {self.label}".strip() if self.notation else self.label or self.iri


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    relation: str
    status: str = ""
    set: str = ""
    creator: str = ""


@dataclass
class Corpus:
    elements: dict[str, Element]
    neighbours: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: directed structure within an architecture: (source, property local name, target)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    deviations: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_store(cls, store) -> "Corpus":
        def rows(sparql):
            result = store.query(sparql)
            names = [v.value for v in result.variables]
            return [{n: (r[n].value if r[n] is not None else "") for n in names} for r in result]

        elements: dict[str, Element] = {}
        for r in rows(_ELEMENTS):
            kind = r["type"].removeprefix(S)
            el = elements.get(r["e"])
            if el is None:
                el = elements[r["e"]] = Element(r["e"], r["arch"], kind)
            elif _RANK.get(kind, -1) > _RANK.get(el.kind, -1):
                el.kind = kind
            el.label = el.label or r["label"]
            el.label_en = el.label_en or r["labelEn"]
            el.notation = el.notation or r["notation"]
            el.definition = el.definition or r["def"]
            el.withdrawn = el.withdrawn or r["status"] == f"{S}Vervallen"
        corpus = cls(elements)
        for r in rows(_RELATIONS):
            if r["p"] in _NOT_STRUCTURE or r["s"] == r["o"]:
                continue
            corpus.relations.append((r["s"], r["p"].removeprefix(S), r["o"]))
            corpus.neighbours[r["s"]].add(r["o"])
            corpus.neighbours[r["o"]].add(r["s"])
        for r in rows(_ALIGNMENTS):
            if r["status"] != f"{S}Vervallen" and r["s"] in elements and r["o"] in elements:
                corpus.links.append(Link(r["s"], r["o"], r["rel"], r["status"].removeprefix(S), r["set"],
                                         r["creator"]))
        for r in rows(_DEVIATIONS):
            corpus.deviations[r["s"]].add(r["arch"])
        return corpus

    # -- lookups ---------------------------------------------------------------------------------

    def resolve_architecture(self, name: str) -> str:
        iri = name if name.startswith(("http://", "https://")) else f"{ID}{name.strip('/')}"
        if not any(e.architecture == iri for e in self.elements.values()):
            known = sorted({e.architecture.removeprefix(str(ID)) for e in self.elements.values()})
            raise InputError(f"no architecture {name!r} in the store",
                             hint=f"use one of: {', '.join(known)}")
        return iri

    def resolve_element(self, ref: str, architecture: str | None = None) -> Element:
        """An element by IRI, by 'architecture/local' ('dera/P1', 'gemma:GAP18'), or by notation."""
        candidates = [ref] if ref.startswith(("http://", "https://")) else [
            f"{ID}{ref.replace(':', '/', 1)}"]
        for iri in candidates:
            if iri in self.elements:
                return self.elements[iri]
        by_notation = [e for e in self.elements.values() if e.notation == ref
                       and (architecture is None or e.architecture == architecture)]
        if len(by_notation) == 1:
            return by_notation[0]
        if len(by_notation) > 1:
            options = ", ".join(sorted(e.iri.removeprefix(str(ID)) for e in by_notation)[:6])
            raise InputError(f"{ref!r} names {len(by_notation)} elements: {options}",
                             hint="name it as architecture/notation, e.g. dera/P1, or pass --architecture")
        raise InputError(f"no element {ref!r} in the store",
                         hint="give an IRI, architecture/notation (dera/P1, gemma/GAP18) or a notation; "
                              "'stelsel query --name elementen-zoeken' finds one by name")

    def candidates(self, target_architecture: str) -> list[Element]:
        return sorted((e for e in self.elements.values()
                       if e.architecture == target_architecture and e.kind in TARGET_CLASSES
                       and not e.withdrawn), key=lambda e: e.iri)

    def sources(self, architecture: str, *, unaligned_to: str | None = None) -> list[Element]:
        """Principles and goals of an architecture (not withdrawn); with `unaligned_to`, only those
        without an alignment to that architecture."""
        linked = {l.source for l in self.links if self.elements[l.target].architecture == unaligned_to}
        return sorted((e for e in self.elements.values()
                       if e.architecture == architecture and e.kind in SOURCE_CLASSES and not e.withdrawn
                       and (unaligned_to is None or e.iri not in linked)), key=lambda e: e.iri)

    def links_to(self, target_architecture: str) -> dict[str, set[str]]:
        """source -> targets of the alignments into `target_architecture`."""
        out: dict[str, set[str]] = defaultdict(set)
        for l in self.links:
            if self.elements[l.target].architecture == target_architecture:
                out[l.source].add(l.target)
        return out
