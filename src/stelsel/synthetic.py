"""A synthetic stelsel of about ``n`` triples, for benchmarks (validation now, the UI later).

    g = generate(10_000, seed=1)                 # an rdflib.Graph, len(g) within 5% of 10 000
    paths = write(100_000, Path("/tmp/synth"))   # Turtle files, one per named graph

It looks like the real thing (docs/vocabulary.md): a NORA-like base architecture at ``id:nora``
(kernwaarden, kwaliteitsdoelen, architectuurprincipes realising them, implicaties in the five
layers, withdrawn basisprincipes replaced by newer elements; at most as large as the real NORA,
17 principles and 85 implicaties) and member architectures under ``id:synthetisch/…`` (2 up
to 20, one per 5 000 triples) that must align to it, each with principles, goals, requirements,
standards, business functions and terms, realisation and contribution relations among them,
and an alignment set: alignments with provenance (justification, author, date,
status, rationale; the plain triple materialised), deviations with their explanation, and some
elements left without either. Some elements and alignments are withdrawn, some alignments point
at withdrawn NORA principles, and a small share of units carries a defect a validator should
find (see ``DEFECTS``); :func:`build` tells how many of each it made.

Everything is derived from ``random.Random(seed)``: the same ``n`` and ``seed`` give the same
triples. Names are made from word lists; nothing is copied from a real architecture.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, XSD

from .iris import alignment_iri, deviation_iri, slug
from .vocab import GRAPH, ID, SEMAPV, STELSEL

__all__ = ["generate", "build", "write", "Synthetic", "DEFECTS", "MIN_TRIPLES"]

S = STELSEL
NORA = ID.nora
MIN_TRIPLES = 1000
SOURCE = URIRef("https://w3id.org/stelsel/synthetisch")

#: the defects the generator plants (a share of units each), by name: what a validator should say
DEFECTS = {
    "geen-nederlandse-naam": "an element with an English skos:prefLabel only",
    "zonder-status": "an element without stelsel:status",
    "twee-architecturen": "an element in two architectures (stelsel:inArchitectuur twice)",
    "zonder-onderbouwing": "an alignment without stelsel:onderbouwing",
    "vastgesteld-zonder-bron": "an alignment with status Vastgesteld but no dct:source",
    "afwijking-zonder-toelichting": "a deviation without stelsel:toelichting",
    "onbekend-doel": "an alignment whose stelsel:naarElement does not exist",
    "verkeerde-soort": "an alignment between kinds stelsel:magAansluitenOp does not allow",
}
DEFECT_RATE = 0.012  # per defect kind and unit

_SECTORS = ["Zorg", "Onderwijs", "Erfgoed", "Water", "Mobiliteit", "Justitie", "Belastingen",
            "Sociale zekerheid", "Cultuur", "Wonen", "Landbouw", "Defensie", "Energie", "Klimaat",
            "Veiligheid", "Werk en inkomen", "Ruimte", "Natuur", "Gezondheid", "Statistiek"]
_SECTORS_EN = ["Care", "Education", "Heritage", "Water", "Mobility", "Justice", "Taxes",
               "Social security", "Culture", "Housing", "Agriculture", "Defence", "Energy",
               "Climate", "Safety", "Work and income", "Spatial planning", "Nature", "Health",
               "Statistics"]
_VERBS = [("Zorg voor", "Ensure"), ("Beperk", "Limit"), ("Deel", "Share"), ("Leg vast", "Record"),
          ("Maak zichtbaar", "Make visible"), ("Hergebruik", "Reuse"), ("Beveilig", "Secure"),
          ("Standaardiseer", "Standardise"), ("Ontsluit", "Open up"), ("Borg", "Safeguard"),
          ("Vereenvoudig", "Simplify"), ("Verantwoord", "Account for")]
_ADJ = [("betrouwbare", "reliable"), ("open", "open"), ("vindbare", "findable"),
        ("duurzame", "sustainable"), ("veilige", "secure"), ("herbruikbare", "reusable"),
        ("eenduidige", "unambiguous"), ("toegankelijke", "accessible"), ("actuele", "current"),
        ("samenhangende", "coherent")]
_NOUNS = [("gegevens", "data"), ("dienstverlening", "services"), ("informatie", "information"),
          ("bronnen", "sources"), ("processen", "processes"), ("voorzieningen", "facilities"),
          ("koppelingen", "interfaces"), ("registraties", "registers"), ("besluiten", "decisions"),
          ("begrippen", "terms"), ("archieven", "archives"), ("metadata", "metadata")]
_CORE_VALUES = [("Betrouwbaar", "Reliable"), ("Doeltreffend", "Effective"), ("Doelmatig", "Efficient"),
                ("Transparant", "Transparent"), ("Toegankelijk", "Accessible"),
                ("Flexibel", "Flexible"), ("Duurzaam", "Sustainable")]
_LAYERS = [("Grondslagen en visie", "Foundations and vision"), ("Organisatie", "Organisation"),
           ("Informatie", "Information"), ("Applicaties", "Applications"),
           ("Infrastructuur", "Infrastructure")]

#: member element kinds: class, notation prefix (None: slug of the name), weight
_KINDS = [(S.Architectuurprincipe, "P", 22), (S.Ontwerpprincipe, "OP", 8), (S.Doel, "D", 16),
          (S.Eis, "E", 22), (S.Standaard, None, 10), (S.Bedrijfsfunctie, "BF", 10),
          (S.Begrip, None, 12)]
_PRINCIPLES = {S.Architectuurprincipe, S.Ontwerpprincipe}
#: for each alignable kind, the NORA kinds it may align to (within stelsel:magAansluitenOp)
_TARGETS = {S.Architectuurprincipe: ["NAP", "NAP", "KD", "KW", "IMP"],
            S.Ontwerpprincipe: ["NAP", "IMP", "KD"],
            S.Doel: ["KD", "KD", "KW", "NAP"],
            S.Eis: ["IMP", "IMP", "NAP"]}
_RELATIONS = [(SKOS.closeMatch, 35), (SKOS.relatedMatch, 30), (SKOS.broadMatch, 15),
              (SKOS.narrowMatch, 5), (SKOS.exactMatch, 5), (S.realiseert, 10)]


@dataclass
class Synthetic:
    """The generated stelsel: triples per named graph, the file stem of each graph, and how
    many defects of each kind were planted."""

    graphs: dict[str, list[tuple]] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)
    defects: Counter = field(default_factory=Counter)
    architectures: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(t) for t in self.graphs.values())

    def graph(self) -> Graph:
        g = _new_graph()
        for triples in self.graphs.values():
            for t in triples:
                g.add(t)
        return g


def _new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("stelsel", S), ("id", ID), ("skos", SKOS), ("dct", DCTERMS), ("prov", PROV),
                       ("semapv", SEMAPV), ("xsd", XSD), ("owl", OWL),
                       ("nora", ID["nora/"]), ("synth", ID["synthetisch/"])):
        g.bind(prefix, ns)
    return g


class _Builder:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = random.Random(seed)
        self.out = Synthetic()
        self.seen: set[tuple] = set()
        self.current = ""
        self.nora: dict[str, list[URIRef]] = {}
        self.withdrawn_nora: list[URIRef] = []
        self.nodes: set[URIRef] = set()

    # -- plumbing ---------------------------------------------------------------------------------
    def graph(self, name: str, stem: str) -> None:
        iri = f"{GRAPH}synthetisch/{name}"
        self.out.graphs.setdefault(iri, [])
        self.out.stems[iri] = stem
        self.current = iri

    def add(self, s, p, o) -> None:
        t = (s, p, o)
        if t not in self.seen:
            self.seen.add(t)
            self.out.graphs[self.current].append(t)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def defect(self, name: str) -> bool:
        if self.rng.random() < DEFECT_RATE:
            self.out.defects[name] += 1
            return True
        return False

    def name(self) -> tuple[str, str]:
        (vn, ve), (an, ae), (nn, ne) = (self.rng.choice(_VERBS), self.rng.choice(_ADJ),
                                        self.rng.choice(_NOUNS))
        return f"{vn} {an} {nn}", f"{ve} {ae} {ne}"

    def day(self) -> Literal:
        d = date(2024, 1, 1) + timedelta(days=self.rng.randrange(0, 1000))
        return Literal(d.isoformat(), datatype=XSD.date)

    def element(self, iri: URIRef, cls: URIRef, arch: URIRef, label: tuple[str, str],
                notation: str | None, status: URIRef = S.Actueel, full: bool = True) -> None:
        add = self.add
        add(iri, RDF.type, cls)
        if self.defect("geen-nederlandse-naam"):
            add(iri, SKOS.prefLabel, Literal(label[1], lang="en"))
        else:
            add(iri, SKOS.prefLabel, Literal(label[0], lang="nl"))
            if full and self.chance(0.6):
                add(iri, SKOS.prefLabel, Literal(label[1], lang="en"))
        if notation:
            add(iri, SKOS.notation, Literal(notation))
        if full and self.chance(0.5):
            add(iri, SKOS.definition, Literal(f"{label[0]}, zodat de keten er samen op kan bouwen.", lang="nl"))
        add(iri, S.inArchitectuur, arch)
        others = [a for a in self.out.architectures if a != arch]
        if others and self.defect("twee-architecturen"):
            add(iri, S.inArchitectuur, self.rng.choice(others))
        if not self.defect("zonder-status"):
            add(iri, S.status, status)
        add(iri, PROV.wasDerivedFrom, SOURCE)
        add(iri, S.bronId, Literal(f"id-{self.rng.getrandbits(48):012x}"))

    # -- NORA -------------------------------------------------------------------------------------
    def base(self) -> None:
        n = self.n
        self.graph("nora", "synthetisch-nora")
        add = self.add
        add(NORA, RDF.type, S.Architectuur)
        add(NORA, SKOS.prefLabel, Literal("NORA (synthetisch)", lang="nl"))
        add(NORA, SKOS.prefLabel, Literal("NORA (synthetic)", lang="en"))
        add(NORA, SKOS.notation, Literal("NORA"))
        add(NORA, OWL.versionInfo, Literal("synthetisch"))
        add(NORA, S.status, S.Actueel)
        add(NORA, PROV.wasDerivedFrom, SOURCE)
        self.out.architectures.append(NORA)
        layers = []
        for i, label in enumerate(_LAYERS, 1):
            iri = ID[f"nora/laag-{i}"]
            self.element(iri, S.Laag, NORA, (f"Laag{i} {label[0]}", f"Layer {i} {label[1]}"), f"Laag{i}")
            layers.append(iri)
        kw = []
        for i, label in enumerate(_CORE_VALUES[:5], 1):
            iri = ID[f"nora/KW{i:02d}"]
            self.element(iri, S.Kernwaarde, NORA, label, f"KW{i:02d}")
            kw.append(iri)
        kd = []
        for i in range(1, max(5, min(20, n // 500)) + 1):  # the real NORA: 20 KD, 17 NAP
            iri = ID[f"nora/KD{i:02d}"]
            self.element(iri, S.Kwaliteitsdoel, NORA, self.name(), f"KD{i:02d}")
            for target in self.rng.sample(kw, 2):
                add(iri, S.draagtBijAan, target)
            kd.append(iri)
        nap = []
        for i in range(1, max(5, min(17, n // 600)) + 1):
            iri = ID[f"nora/NAP{i:02d}"]
            self.element(iri, S.Architectuurprincipe, NORA, self.name(), f"NAP{i:02d}")
            for target in self.rng.sample(kd, self.rng.randint(2, 4)):
                add(iri, S.realiseert, target)
            nap.append(iri)
        imp = []
        for i in range(1, 5 * len(nap) + 1):
            iri = ID[f"nora/IMP{i:03d}"]
            self.element(iri, S.Implicatie, NORA, self.name(), f"IMP{i:03d}", full=False)
            for target in self.rng.sample(nap, self.rng.randint(1, 2)):
                add(iri, S.realiseert, target)
            for layer in self.rng.sample(layers, self.rng.randint(1, 2)):
                add(iri, S.hoortBijLaag, layer)
            imp.append(iri)
        for i in range(1, max(2, len(nap) // 2) + 1):
            iri = ID[f"nora/BP{i:02d}"]
            self.element(iri, S.Basisprincipe, NORA, self.name(), f"BP{i:02d}", status=S.Vervallen,
                         full=False)
            add(iri, PROV.invalidatedAtTime, Literal("2023-01-01", datatype=XSD.date))
            add(iri, DCTERMS.isReplacedBy, self.rng.choice(kd + nap))
            self.withdrawn_nora.append(iri)
        self.nora = {"KW": kw, "KD": kd, "NAP": nap, "IMP": imp}

    # -- member architectures -------------------------------------------------------------------------
    def members(self) -> list[dict]:
        k = max(2, min(20, self.n // 5000))  # the stelsel grows by more and larger architectures
        out = []
        for i in range(k):
            sector, sector_en = _SECTORS[i % len(_SECTORS)], _SECTORS_EN[i % len(_SECTORS)]
            round_ = i // len(_SECTORS)
            code = f"{slug(sector)}{'-' + str(round_ + 1) if round_ else ''}"
            arch = ID[f"synthetisch/{code}"]
            self.out.architectures.append(arch)
            out.append({"code": code, "iri": arch, "sector": (sector, sector_en), "elements": {},
                        "counter": Counter(), "set": ID[f"aansluitingsset/synthetisch-{code}"]})
        for m in out:
            arch = m["iri"]
            self.graph(m["code"], f"synthetisch-{m['code']}")
            add = self.add
            add(arch, RDF.type, S.Architectuur)
            add(arch, SKOS.prefLabel, Literal(f"Referentiearchitectuur {m['sector'][0]} (synthetisch)", lang="nl"))
            add(arch, SKOS.prefLabel, Literal(f"Reference architecture {m['sector'][1]} (synthetic)", lang="en"))
            add(arch, SKOS.notation, Literal(m["code"].upper()))
            add(arch, OWL.versionInfo, Literal(f"{self.rng.randint(1, 5)}.{self.rng.randint(0, 9)}"))
            add(arch, S.status, S.InOntwikkeling if self.chance(0.2) else S.Actueel)
            add(arch, S.moetAansluitenOp, NORA)
            org = ID[f"org/synthetisch-{m['code']}"]
            add(arch, S.eigenaar, org)
            add(org, RDF.type, S.Organisatie)
            add(org, SKOS.prefLabel, Literal(f"Beheerorganisatie {m['sector'][0]}", lang="nl"))
            self.graph(f"aansluitingen/{m['code']}", f"synthetisch-{m['code']}-aansluitingen")
            add(m["set"], RDF.type, S.Aansluitingsset)
            add(m["set"], DCTERMS.title, Literal(f"Aansluiting van {m['sector'][0]} op NORA", lang="nl"))
            add(m["set"], DCTERMS.creator, Literal("stelsel synthetisch"))
            add(m["set"], DCTERMS.date, self.day())
        return out

    def unit(self, m: dict) -> None:
        """One member element with its relations, and its alignment(s) or deviation."""
        cls, prefix, _ = self.rng.choices(_KINDS, weights=[w for *_, w in _KINDS])[0]
        arch = m["iri"]
        m["counter"][cls] += 1
        number = m["counter"][cls]
        label = self.name()
        if prefix:
            notation, local = f"{prefix}{number}", f"{prefix}{number}"
        else:
            notation, local = None, f"{slug(label[0])}-{number}"
        iri = URIRef(f"{arch}/{local}")
        withdrawn = self.chance(0.04)
        self.graph(m["code"], f"synthetisch-{m['code']}")
        self.element(iri, cls, arch, label, notation, status=S.Vervallen if withdrawn else S.Actueel)
        siblings = m["elements"]
        add = self.add
        if withdrawn:
            add(iri, PROV.invalidatedAtTime, self.day())
            same = siblings.get(cls)
            if same:
                add(iri, DCTERMS.isReplacedBy, self.rng.choice(same))
        if cls == S.Eis and siblings.get(S.Architectuurprincipe):
            add(iri, S.realiseert, self.rng.choice(siblings[S.Architectuurprincipe]))
        if cls in _PRINCIPLES and siblings.get(S.Doel) and self.chance(0.7):
            add(iri, S.draagtBijAan, self.rng.choice(siblings[S.Doel]))
        if cls in _PRINCIPLES and siblings.get(S.Standaard) and self.chance(0.2):
            add(iri, S.pastStandaardToe, self.rng.choice(siblings[S.Standaard]))
        if cls == S.Bedrijfsfunctie and siblings.get(S.Begrip) and self.chance(0.5):
            add(iri, S.heeftToegangTot, self.rng.choice(siblings[S.Begrip]))
        siblings.setdefault(cls, []).append(iri)
        if withdrawn:
            return
        self.graph(f"aansluitingen/{m['code']}", f"synthetisch-{m['code']}-aansluitingen")
        if cls in _TARGETS:
            roll = self.rng.random()
            if roll < 0.75:
                self.alignment(m, iri, cls)
                if self.chance(0.2):
                    self.alignment(m, iri, cls)
            elif roll < 0.87:
                self.deviation(m, iri)
        elif cls == S.Standaard and self.defect("verkeerde-soort"):
            self.alignment(m, iri, cls, target=self.rng.choice(self.nora["KW"]))

    def alignment(self, m: dict, source: URIRef, cls: URIRef, target: URIRef | None = None) -> None:
        add = self.add
        if target is None:
            if self.withdrawn_nora and cls in _PRINCIPLES and self.chance(0.05):
                target = self.rng.choice(self.withdrawn_nora)
            elif self.defect("onbekend-doel"):
                target = ID[f"nora/NAP{self.rng.randint(900, 999)}"]
            else:
                target = self.rng.choice(self.nora[self.rng.choice(_TARGETS[cls])])
        relations = [(r, w) for r, w in _RELATIONS
                     if r != S.realiseert or "/KD" in target or "/KW" in target]
        relation = self.rng.choices([r for r, _ in relations], weights=[w for _, w in relations])[0]
        node = URIRef(alignment_iri(str(source), str(relation), str(target)))
        if node in self.nodes:  # the same alignment twice: one is enough
            return
        self.nodes.add(node)
        roll = self.rng.random()
        status = S.Voorgesteld if roll < 0.8 else S.Vastgesteld if roll < 0.95 else S.Vervallen
        add(node, RDF.type, S.Aansluiting)
        add(node, S.vanElement, source)
        add(node, S.relatie, relation)
        add(node, S.naarElement, target)
        if not self.defect("zonder-onderbouwing"):
            add(node, S.onderbouwing, SEMAPV.ManualMappingCuration)
        add(node, S.status, status)
        noun = self.rng.choice(_NOUNS)
        add(node, S.rationale, Literal(f"Beide gaan over {noun[0]}.", lang="nl"))
        if self.chance(0.5):
            add(node, S.rationale, Literal(f"Both concern {noun[1]}.", lang="en"))
        add(node, DCTERMS.creator, Literal("stelsel synthetisch"))
        add(node, DCTERMS.date, self.day())
        add(node, S.inSet, m["set"])
        if status == S.Vastgesteld and not self.defect("vastgesteld-zonder-bron"):
            add(node, DCTERMS.source, URIRef(f"https://example.org/{m['code']}/besluit/{self.rng.randint(1, 99)}"))
        if status != S.Vervallen:
            add(source, relation, target)

    def deviation(self, m: dict, source: URIRef) -> None:
        add = self.add
        node = URIRef(deviation_iri(str(source), str(NORA)))
        add(node, RDF.type, S.Afwijking)
        add(node, S.vanElement, source)
        add(node, S.tenOpzichteVan, NORA)
        add(node, S.onderbouwing, SEMAPV.ManualMappingCuration)
        add(node, S.status, S.Voorgesteld)
        if not self.defect("afwijking-zonder-toelichting"):
            add(node, S.toelichting, Literal(
                f"NORA kent geen tegenhanger voor {self.rng.choice(_ADJ)[0]} {self.rng.choice(_NOUNS)[0]} "
                f"in de sector {m['sector'][0].lower()}.", lang="nl"))
        add(node, DCTERMS.creator, Literal("stelsel synthetisch"))
        add(node, DCTERMS.date, self.day())
        add(node, S.inSet, m["set"])


def build(n_triples: int, seed: int = 0) -> Synthetic:
    """The synthetic stelsel as triples per named graph, about ``n_triples`` in all (within 5%
    from :data:`MIN_TRIPLES` up), with the count of each planted defect."""
    if n_triples < MIN_TRIPLES:
        raise ValueError(f"a synthetic stelsel has at least {MIN_TRIPLES} triples (asked {n_triples})")
    b = _Builder(n_triples, seed)
    b.base()
    members = b.members()
    i = 0
    while len(b.seen) < n_triples:
        b.unit(members[i % len(members)])
        i += 1
    return b.out


def generate(n_triples: int, seed: int = 0) -> Graph:
    """The synthetic stelsel as one rdflib graph of about ``n_triples`` triples."""
    return build(n_triples, seed).graph()


def write(n_triples: int, folder: str | Path, seed: int = 0, fmt: str = "turtle") -> list[Path]:
    """Write the synthetic stelsel into ``folder``: one Turtle file per named graph
    (``synthetisch-nora.ttl``, ``synthetisch-<sector>.ttl``,
    ``synthetisch-<sector>-aansluitingen.ttl``), or with ``fmt="trig"`` one
    ``synthetisch.trig`` holding the named graphs. Returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    synthetic = build(n_triples, seed)
    if fmt == "trig":
        from rdflib import Dataset
        ds = Dataset()
        for prefix, ns in _new_graph().namespaces():
            ds.bind(prefix, ns)
        for iri, triples in synthetic.graphs.items():
            g = ds.graph(URIRef(iri))
            for t in triples:
                g.add(t)
        path = folder / "synthetisch.trig"
        ds.serialize(path, format="trig", encoding="utf-8")
        return [path]
    if fmt != "turtle":
        raise ValueError(f"unknown format {fmt!r}: use turtle or trig")
    paths = []
    for iri, triples in synthetic.graphs.items():
        g = _new_graph()
        for t in triples:
            g.add(t)
        path = folder / f"{synthetic.stems[iri]}.ttl"
        g.serialize(path, format="turtle", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m stelsel.synthetic",
                                     description="Write a synthetic stelsel of about N triples.")
    parser.add_argument("triples", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("turtle", "trig"), default="turtle")
    args = parser.parse_args(argv)
    for path in write(args.triples, args.folder, args.seed, args.format):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
