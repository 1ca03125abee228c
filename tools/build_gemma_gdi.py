#!/usr/bin/env python3
"""Build GEMMA and GDI gegevensuitwisseling as members of the stelsel, with their own links to NORA.

Writes ``data/gemma.ttl``, ``data/gdi.ttl`` (the architectures, imported through the ArchiMate
importer: facts only, no documentation or property texts) and ``data/alignments/gemma.ttl``,
``data/alignments/gdi.ttl`` (the links to NORA that GEMMA and GDI state in their own models, as
alignments with their provenance: author the owning organisation, status Vastgesteld).

- GEMMA keeps copies of the NORA afspraken in its model (principles, implicaties, kwaliteitsdoelen,
  beleidskaders, kernwaarden, each with a "NORA ID"). They are not imported as GEMMA elements: each
  is resolved to the NORA element in ``data/nora.ttl`` (by NORA ID, else by exact name), and a
  relation between a GEMMA element and such a copy becomes an alignment to the NORA element.
- GDI states its links in a table (``gdi-principles-to-nora-and-ado.csv``): principle -> NORA
  principle or implicatie title; titles are resolved by id where the table has one, else by name.
- Principles and goals that state no NORA link get a deviation that says exactly that (written by
  the stelsel project, status Voorgesteld), so "pas toe of leg uit" stays checkable.

Usage:
    python tools/build_gemma_gdi.py [SOURCES]            # build the four files
    python tools/build_gemma_gdi.py [SOURCES] --check    # exit 1 when a file differs from a fresh build
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: E402

from stelsel.importers.archimate import ARCHIMATE_PROPERTY, convert_model  # noqa: E402
from stelsel.importers.archimate_model import read_model  # noqa: E402
from stelsel.iris import alignment_iri, deviation_iri  # noqa: E402
from stelsel.vocab import ID, SEMAPV, STELSEL  # noqa: E402

DATA = REPO / "data"
GEMMA_COMMIT = "13846a575e3f772b26035e4d144a3c1e4c7ef813"
GEMMA_REPO = "https://github.com/VNG-Realisatie/GEMMA-Archi-repository"
GDI_COMMIT = "8695a980414071782069d72b39d5cfd9d13981c8"
GDI_REPO = "https://github.com/MinBZK/gdi-gegevensuitwisseling"

VNG = ID["org/vng-realisatie"]
BZK = ID["org/bzk"]

#: the kind column of nora-gemma-motivation-elements.csv -> the stelsel class of a GEMMA-owned element
KIND_CLASS = {
    "Architectuurprincipe": STELSEL.Architectuurprincipe, "Implicatie": STELSEL.Implicatie,
    "Kwaliteitsdoel": STELSEL.Kwaliteitsdoel, "Kernwaarde": STELSEL.Kernwaarde,
    "Beleidskader": STELSEL.Beleidskader,
}
#: GEMMA folders whose principles GEMMA itself calls old: status Vervallen
OLD_FOLDERS = ("Motivation/Stategie en motivatie/Architectuurprincipes/Oude GEMMA principes",)
#: ArchiMate relation -> (relation of the alignment, in Dutch and English for the rationale)
RELATION = {
    "RealizationRelationship": (STELSEL.realiseert, "realisatierelatie", "Realization relationship"),
    "InfluenceRelationship": (SKOS.relatedMatch, "invloedsrelatie", "Influence relationship"),
    "AssociationRelationship": (SKOS.relatedMatch, "associatie", "Association relationship"),
}
KEEP_PROPERTIES = {"GEMMA URL": RDFS.seeAlso}
LAYER_PROPERTY = "Laag binnen NORA vijflaagsmodel"
#: GEMMA's names of the NORA layers -> the layer in data/nora.ttl
LAYERS = {"grondslagen": 1, "organisatie": 2, "informatie": 3, "applicatie": 4, "netwerk": 5,
          "infrastructuur": 5}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip().casefold()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def nora_index() -> tuple[dict[str, URIRef], dict[str, URIRef], Graph]:
    nora = Graph().parse(DATA / "nora.ttl", format="turtle")
    by_notation, by_name = {}, {}
    for s, notation in nora.subject_objects(SKOS.notation):
        if (s, STELSEL.inArchitectuur, ID.nora) in nora and (s, STELSEL.status, STELSEL.Vervallen) not in nora:
            by_notation[str(notation)] = s
            for label in nora.objects(s, SKOS.prefLabel):
                if label.language == "nl":
                    by_name[norm(str(label))] = s
    return by_notation, by_name, nora


def strip_texts(model, keep: dict[str, URIRef]) -> None:
    """Facts only: no documentation, and of the properties only the notation and the kept links."""
    for el in model.elements.values():
        el.docs = {}
        el.properties = [p for p in el.properties if p.key in ("ID", LAYER_PROPERTY, *keep)]
    for rel in model.relations.values():
        rel.docs, rel.names, rel.properties = {}, {}, []


def architecture(g: Graph, arch: URIRef, *, notation: str, label_nl: str, label_en: str,
                 def_nl: str, def_en: str, owner: URIRef, owner_nl: str, owner_en: str,
                 homepage: str, derived: str, version: str | None) -> None:
    g.add((arch, RDF.type, STELSEL.Architectuur))
    g.add((arch, SKOS.notation, Literal(notation)))
    g.add((arch, SKOS.prefLabel, Literal(label_nl, lang="nl")))
    g.add((arch, SKOS.prefLabel, Literal(label_en, lang="en")))
    g.add((arch, SKOS.definition, Literal(def_nl, lang="nl")))
    g.add((arch, SKOS.definition, Literal(def_en, lang="en")))
    g.add((arch, STELSEL.eigenaar, owner))
    g.add((arch, STELSEL.moetAansluitenOp, ID.nora))
    g.add((arch, STELSEL.status, STELSEL.Actueel))
    g.add((arch, FOAF.homepage, URIRef(homepage)))
    g.add((arch, PROV.wasDerivedFrom, URIRef(derived)))
    if version:
        g.add((arch, OWL.versionInfo, Literal(version)))
    g.add((owner, RDF.type, STELSEL.Organisatie))
    g.add((owner, SKOS.prefLabel, Literal(owner_nl, lang="nl")))
    g.add((owner, SKOS.prefLabel, Literal(owner_en, lang="en")))


class AlignmentSet:
    def __init__(self, name: str, creator: str, date: str, source: str, title_nl: str, title_en: str):
        self.graph = Graph()
        self.iri = ID[f"aansluitingsset/{name}"]
        self.creator, self.date, self.source = Literal(creator), Literal(date, datatype=XSD.date), URIRef(source)
        g = self.graph
        g.add((self.iri, RDF.type, STELSEL.Aansluitingsset))
        g.add((self.iri, DCTERMS.title, Literal(title_nl, lang="nl")))
        g.add((self.iri, DCTERMS.title, Literal(title_en, lang="en")))
        g.add((self.iri, DCTERMS.creator, self.creator))
        g.add((self.iri, DCTERMS.date, self.date))
        g.add((self.iri, DCTERMS.source, self.source))
        # our record of the links the owner states (facts), licensed like every alignment set here
        g.add((self.iri, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
        self.pairs: set[tuple[URIRef, URIRef]] = set()

    def align(self, source: URIRef, predicate: URIRef, target: URIRef, why_nl: str, why_en: str) -> None:
        if (source, target) in self.pairs:  # one alignment per pair: the first (strongest) relation
            return
        self.pairs.add((source, target))
        a = URIRef(alignment_iri(source, predicate, target))
        g = self.graph
        g.add((a, RDF.type, STELSEL.Aansluiting))
        g.add((a, STELSEL.vanElement, source))
        g.add((a, STELSEL.relatie, predicate))
        g.add((a, STELSEL.naarElement, target))
        g.add((a, STELSEL.onderbouwing, SEMAPV.ManualMappingCuration))
        g.add((a, STELSEL.betrouwbaarheid, Literal("1", datatype=XSD.double)))  # stated by the owner itself; "1": as pyoxigraph writes it
        g.add((a, STELSEL.status, STELSEL.Vastgesteld))
        g.add((a, STELSEL.rationale, Literal(why_nl, lang="nl")))
        g.add((a, STELSEL.rationale, Literal(why_en, lang="en")))
        g.add((a, DCTERMS.creator, self.creator))
        g.add((a, DCTERMS.date, self.date))
        g.add((a, DCTERMS.source, self.source))
        g.add((a, STELSEL.inSet, self.iri))
        g.add((source, predicate, target))

    def deviate(self, source: URIRef, why_nl: str, why_en: str) -> None:
        d = URIRef(deviation_iri(source, ID.nora))
        g = self.graph
        g.add((d, RDF.type, STELSEL.Afwijking))
        g.add((d, STELSEL.vanElement, source))
        g.add((d, STELSEL.tenOpzichteVan, ID.nora))
        g.add((d, STELSEL.onderbouwing, SEMAPV.ManualMappingCuration))
        g.add((d, STELSEL.status, STELSEL.Voorgesteld))
        g.add((d, STELSEL.toelichting, Literal(why_nl, lang="nl")))
        g.add((d, STELSEL.toelichting, Literal(why_en, lang="en")))
        g.add((d, DCTERMS.creator, Literal("stelsel project")))
        g.add((d, DCTERMS.date, Literal("2026-12-07", datatype=XSD.date)))
        g.add((d, STELSEL.inSet, self.iri))


    def deviate_unlinked(self, elements: list[URIRef], why_nl: str, why_en: str) -> int:
        """A deviation for each of ``elements`` the owner links to nothing (comply or explain stays
        checkable); how many."""
        linked = {s for s, _ in self.pairs}
        unlinked = [el for el in elements if el not in linked]
        for el in unlinked:
            self.deviate(el, why_nl, why_en)
        return len(unlinked)


def link_frameworks(g: Graph) -> int:
    """A beleidskader named like a framework node of data/kaders.ttl refers to it (one node per law)."""
    path = DATA / "kaders.ttl"
    if not path.is_file():
        return 0
    kaders = Graph().parse(path, format="turtle")
    names = {norm(str(label)): k for k in kaders.subjects(RDF.type, STELSEL.Kader)
             for p in (SKOS.prefLabel, SKOS.altLabel) for label in kaders.objects(k, p)}
    linked = 0
    for bk in list(g.subjects(RDF.type, STELSEL.Beleidskader)):
        for label in list(g.objects(bk, SKOS.prefLabel)):
            kader = names.get(norm(str(label)))
            if kader is not None:
                g.add((bk, STELSEL.verwijstNaarKader, kader))
                linked += 1
    return linked


def principles_and_goals(g: Graph, arch: URIRef) -> list[URIRef]:
    classes = {STELSEL.Principe, STELSEL.Architectuurprincipe, STELSEL.Basisprincipe,
               STELSEL.AfgeleidPrincipe, STELSEL.Ontwerpprincipe, STELSEL.Doel, STELSEL.Kwaliteitsdoel,
               STELSEL.Speerpunt, STELSEL.PrioritaireDoelstelling, STELSEL.Uitvoeringsdoel}
    return sorted({s for c in classes for s in g.subjects(RDF.type, c)
                   if (s, STELSEL.inArchitectuur, arch) in g
                   and (s, STELSEL.status, STELSEL.Vervallen) not in g})


# --- GEMMA --------------------------------------------------------------------------------------

def build_gemma(src: Path, by_notation: dict, by_name: dict) -> tuple[Graph, Graph, dict]:
    arch = ID.gemma
    model = read_model(src / "gemma" / "gemma-archi-elements.csv")
    motivation = {r["archi_id"]: r for r in read_csv(src / "nora" / "nora-gemma-motivation-elements.csv")}
    copies: dict[str, URIRef] = {}
    unresolved = []
    for archi_id, row in motivation.items():
        if row["owner"] != "NORA":
            continue
        target = by_notation.get(row["nora_id"]) or by_name.get(norm(row["name"]))
        if target is None:
            unresolved.append(f"{row['gemma_id']} {row['nora_id']} {row['name']!r}")
        else:
            copies[archi_id] = target
    for archi_id in copies:
        model.elements.pop(archi_id, None)
    strip_texts(model, KEEP_PROPERTIES)
    result = convert_model(model, str(arch), facts_only=True, source_iri=GEMMA_REPO,
                           notation_properties=("ID",))
    g = result.graph
    for archi_id, iri in result.iris.items():
        row = motivation.get(archi_id)
        if row and row["kind"] in KIND_CLASS:
            g.remove((iri, RDF.type, None))
            g.add((iri, RDF.type, KIND_CLASS[row["kind"]]))
        elif (iri, RDF.type, STELSEL.Principe) in g:  # GEMMA's principles are architecture principles
            g.remove((iri, RDF.type, STELSEL.Principe))
            g.add((iri, RDF.type, STELSEL.Architectuurprincipe))
        el = model.elements[archi_id]
        if any(el.folder.startswith(f) for f in OLD_FOLDERS):
            g.add((iri, STELSEL.status, STELSEL.Vervallen))
        else:
            g.add((iri, STELSEL.status, STELSEL.Actueel))
        for prop in el.properties:
            if prop.key == LAYER_PROPERTY and (iri, RDF.type, STELSEL.Implicatie) in g:
                for part in prop.value.split(","):
                    number = next((n for word, n in LAYERS.items() if part.strip().casefold().startswith(word)), None)
                    if number:
                        g.add((iri, STELSEL.hoortBijLaag, ID[f"nora/laag-{number}"]))
            if prop.key in KEEP_PROPERTIES and prop.value.startswith("http"):
                g.add((iri, KEEP_PROPERTIES[prop.key], URIRef(prop.value.strip().replace(" ", "_"))))
    # the importer keeps the kept property values as literals too; the links made above are enough
    for s, p, o in list(g):
        if str(p).startswith(str(ARCHIMATE_PROPERTY)) or str(s).startswith(str(ARCHIMATE_PROPERTY)):
            g.remove((s, p, o))
    # GEMMA associates an implicatie with its principle; as in NORA, the implicatie realises it
    for s, o in list(g.subject_objects(STELSEL.isGerelateerdAan)):
        for imp, principle in ((s, o), (o, s)):
            if (imp, RDF.type, STELSEL.Implicatie) in g and (principle, RDF.type, STELSEL.Architectuurprincipe) in g:
                g.remove((s, STELSEL.isGerelateerdAan, o))
                g.add((imp, STELSEL.realiseert, principle))
    frameworks = link_frameworks(g)
    architecture(
        g, arch, notation="GEMMA", label_nl="GEMMA – Gemeentelijke Model Architectuur",
        label_en="GEMMA – Municipal Model Architecture",
        def_nl="Referentiearchitectuur van de Nederlandse gemeenten, beheerd door VNG Realisatie; zij werkt de NORA-afspraken uit voor gemeentelijke dienstverlening en informatievoorziening.",
        def_en="Reference architecture of the Dutch municipalities, maintained by VNG Realisatie; it works out the NORA agreements for municipal services and information management.",
        owner=VNG, owner_nl="VNG Realisatie", owner_en="VNG Realisatie",
        homepage="https://www.gemmaonline.nl/", derived=f"{GEMMA_REPO}/tree/{GEMMA_COMMIT}/model",
        version="Archi-repository 2026-06-30")
    g.add((arch, RDFS.comment, Literal(
        f"GEMMA's eigen kopieën van de NORA-afspraken ({len(copies)}) zijn niet als GEMMA-elementen opgenomen maar herleid tot de NORA-elementen; GEMMA's relaties ermee staan als aansluitingen in graph:alignments/gemma.", lang="nl")))
    g.add((arch, RDFS.comment, Literal(
        f"GEMMA's own copies of the NORA agreements ({len(copies)}) are not included as GEMMA elements but resolved to the NORA elements; GEMMA's relations with them are alignments in graph:alignments/gemma.", lang="en")))

    aset = AlignmentSet("gemma", "VNG Realisatie", "2026-06-30", f"{GEMMA_REPO}/tree/{GEMMA_COMMIT}",
                        "Aansluiting van GEMMA op NORA (zoals GEMMA die vastlegt)",
                        "Alignment of GEMMA with NORA (as GEMMA records it)")
    counts: Counter = Counter()
    order = {"RealizationRelationship": 0, "InfluenceRelationship": 1, "AssociationRelationship": 2}
    kind_of = lambda r: r.type.removesuffix("Relationship") + "Relationship"  # noqa: E731
    for rel in sorted(model.relations.values(), key=lambda r: (order.get(kind_of(r), 3), r.id)):
        kind = kind_of(rel)
        s_nora, t_nora = copies.get(rel.source), copies.get(rel.target)
        if (s_nora is None) == (t_nora is None):
            continue  # GEMMA-GEMMA (imported) or NORA-NORA (already in NORA)
        gemma_id = rel.target if s_nora is not None else rel.source
        if gemma_id not in result.iris:
            counts["dropped: other end not imported"] += 1
            continue
        if kind not in RELATION:
            counts[f"dropped: {kind}"] += 1
            continue
        predicate, word_nl, word_en = RELATION[kind]
        forward = s_nora is None
        nora = t_nora if forward else s_nora
        if not forward:
            predicate = SKOS.relatedMatch  # NORA -> GEMMA: only "related" holds in our direction
        implication_of = (forward and kind == "AssociationRelationship"
                          and (result.iris[gemma_id], RDF.type, STELSEL.Implicatie) in g
                          and "/NAP" in str(nora))
        if implication_of:  # as in NORA itself, where each implicatie realises its principle
            predicate, word_nl, word_en = STELSEL.realiseert, "associatie (implicatie van het principe)", "Association (implication of the principle)"
        direction_nl = "van het GEMMA-element naar" if forward else "van de NORA-kopie naar het GEMMA-element; het element hoort bij"
        direction_en = "from the GEMMA element to" if forward else "from the NORA copy to the GEMMA element; the element goes with"
        aset.align(result.iris[gemma_id], predicate, nora,
                   f"GEMMA legt een relatie ({word_nl}) vast {direction_nl} dit NORA-element (Archi-relatie {rel.id}).",
                   f"GEMMA records a relation ({word_en}) {direction_en} this NORA element (Archi relation {rel.id}).")
        counts[f"{kind} {'GEMMA->NORA' if forward else 'NORA->GEMMA'}"] += 1
    linked = {s for s, _ in aset.pairs}
    counts["deviation: no stated link"] += aset.deviate_unlinked(
        principles_and_goals(g, arch),
        "GEMMA legt voor dit element geen relatie met NORA vast; het stelsel heeft (nog) geen aansluiting voorgesteld.",
        "GEMMA records no relation with NORA for this element; the stelsel has not proposed an alignment (yet).")
    info = {"frameworks linked": frameworks, "copies resolved": len(copies), "copies unresolved": unresolved, "elements": len(result.iris),
            "alignments": len(aset.pairs), "elements with alignments": len(linked), **counts}
    return g, aset.graph, info


# --- GDI ----------------------------------------------------------------------------------------

def build_gdi(src: Path, by_notation: dict, by_name: dict) -> tuple[Graph, Graph, dict]:
    arch = ID.gdi
    folder = src / "gdi-gegevensuitwisseling"
    model = read_model(folder / "gegevensuitwisseling-2.0.3.archimate-exchange.xml")
    strip_texts(model, {})
    # principle names start with their number ("1.1. ..."): that is the notation
    result = convert_model(model, str(arch), facts_only=True, source_iri=GDI_REPO,
                           notation_pattern=r"^(\d\.\d)\.?\s+(\S.*)$",
                           exclude_names=("Architectuurprincipe",))
    g = result.graph
    for iri in result.iris.values():
        if (iri, RDF.type, STELSEL.Principe) in g:
            g.remove((iri, RDF.type, STELSEL.Principe))
            g.add((iri, RDF.type, STELSEL.Architectuurprincipe))
        g.add((iri, STELSEL.status, STELSEL.Actueel))
    architecture(
        g, arch, notation="GDI-GU", label_nl="GDI Domeinarchitectuur Gegevensuitwisseling",
        label_en="GDI Domain Architecture for Data Exchange",
        def_nl="Domeinarchitectuur van de Generieke Digitale Infrastructuur voor het uitwisselen van gegevens tussen overheden en met hun partners; onderdeel van de NORA-familie.",
        def_en="Domain architecture of the Generic Digital Infrastructure for exchanging data between governments and with their partners; part of the NORA family.",
        owner=BZK, owner_nl="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        owner_en="Ministry of the Interior and Kingdom Relations",
        homepage="https://www.noraonline.nl/wiki/Gegevensuitwisseling",
        derived=f"{GDI_REPO}/tree/{GDI_COMMIT}/docs/2.0.3", version="2.0.3")

    aset = AlignmentSet("gdi", "Ministerie van BZK (GDI-architecten)", "2025-05-20",
                        f"{GDI_REPO}/tree/{GDI_COMMIT}",
                        "Aansluiting van GDI Gegevensuitwisseling op NORA (zoals GDI die vastlegt)",
                        "Alignment of GDI Data Exchange with NORA (as GDI records it)")
    counts: Counter = Counter()
    unresolved = []
    for row in read_csv(folder / "gdi-principles-to-nora-and-ado.csv"):
        if row["target_framework"] != "NORA":
            continue
        source = result.iris.get(row["gdi_principle_id"])
        target = by_notation.get(row["nora_id_matched_by_title"]) or by_name.get(norm(row["target_title"]))
        if source is None or target is None:
            unresolved.append(f"{row['gdi_principle_name'][:40]!r} -> {row['target_title']!r}")
            continue
        aset.align(source, SKOS.relatedMatch, target,
                   "GDI noemt dit NORA-element in haar tabel 'Relatie van architectuurprincipes met ADO en NORA'.",
                   "GDI names this NORA element in its table relating its architecture principles to ADO and NORA.")
        counts["pairs"] += 1
    linked = {s for s, _ in aset.pairs}
    counts["deviation: no stated link"] += aset.deviate_unlinked(
        principles_and_goals(g, arch),
        "GDI legt voor dit principe geen relatie met NORA vast; het stelsel heeft (nog) geen aansluiting voorgesteld.",
        "GDI records no relation with NORA for this principle; the stelsel has not proposed an alignment (yet).")
    info = {"elements": len(result.iris), "alignments": len(aset.pairs), "principles linked": len(linked),
            "unresolved titles": unresolved, **counts}
    return g, aset.graph, info


# --- writing ------------------------------------------------------------------------------------

HEADERS = {
    "gemma.ttl": ["GEMMA – Gemeentelijke Model Architectuur (VNG Realisatie), imported with the ArchiMate importer.",
                  "Named graph <https://w3id.org/stelsel/graph/gemma>. Facts only (ids, names, relations, links).",
                  "Generated by tools/build_gemma_gdi.py from ../shared/sources; do not edit."],
    "gdi.ttl": ["GDI Domeinarchitectuur Gegevensuitwisseling 2.0.3, imported with the ArchiMate importer.",
                "Named graph <https://w3id.org/stelsel/graph/gdi>. Facts only (ids, names, relations, links).",
                "Generated by tools/build_gemma_gdi.py from ../shared/sources; do not edit."],
    "alignments/gemma.ttl": ["The links to NORA that GEMMA records in its own model (graph:alignments/gemma).",
                             "Generated by tools/build_gemma_gdi.py; do not edit."],
    "alignments/gdi.ttl": ["The links to NORA that GDI Gegevensuitwisseling records (graph:alignments/gdi).",
                           "Generated by tools/build_gemma_gdi.py; do not edit."],
}


def turtle(name: str, g: Graph) -> str:
    for prefix, ns in {"stelsel": STELSEL, "id": ID, "skos": SKOS, "dct": DCTERMS, "prov": PROV,
                       "semapv": SEMAPV, "nora": ID["nora/"], "gemma": ID["gemma/"], "gdi": ID["gdi/"],
                       "aansluiting": ID["aansluiting/"], "afwijking": ID["afwijking/"]}.items():
        g.bind(prefix, ns, replace=True)
    head = "".join(f"# {line}\n" for line in HEADERS[name])
    text = g.serialize(format="turtle")
    # rdflib writes the double 1 as 1e+00; pyoxigraph keeps it as "1", and the validator takes its
    # fast path only when the store holds every literal as written (stelsel.validation.sparql_rules)
    text = re.sub(r"(stelsel:betrouwbaarheid) 1e\+00\b", r'\1 "1"^^xsd:double', text)
    return head + "\n" + text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", type=Path, default=REPO.parent / "shared" / "sources")
    parser.add_argument("--check", action="store_true", help="only compare with a fresh build")
    args = parser.parse_args()
    if not (args.sources / "gemma").is_dir():
        print(f"error: {args.sources}: no staged sources (gemma/ missing)\n  next: pass the sources folder",
              file=sys.stderr)
        return 2
    by_notation, by_name, _ = nora_index()
    gemma, gemma_al, gemma_info = build_gemma(args.sources, by_notation, by_name)
    gdi, gdi_al, gdi_info = build_gdi(args.sources, by_notation, by_name)
    outputs = {"gemma.ttl": gemma, "gdi.ttl": gdi, "alignments/gemma.ttl": gemma_al, "alignments/gdi.ttl": gdi_al}
    stale = []
    for name, g in outputs.items():
        text = turtle(name, g)
        path = DATA / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    for title, info in (("GEMMA", gemma_info), ("GDI", gdi_info)):
        print(title, info)
    if stale:
        print(f"stale: {', '.join(stale)}\n  next: run python tools/build_gemma_gdi.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
