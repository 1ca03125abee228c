#!/usr/bin/env python3
"""Build the bundled architecture data: data/nora.ttl, data/rosa-2022.ttl, data/rosa-2024.ttl, data/dera.ttl.

Reads the staged sources (default ``<repo>/../shared/sources``, see its README.md) plus the curated
overlay files in ``tools/curation/`` (English labels, one-sentence definitions in our own words,
architecture metadata and official pages), and writes sorted, prefixed Turtle. Running it twice gives
byte-identical files.

Facts only: identifiers, names, relations, layers, statuses, dates and links come from the sources;
every description (skos:definition, rdfs:comment) comes from the curation files and is our own text.
``--check`` verifies that no 50-character run of any source text (statements, rationales, toelichting,
documentation, properties such as Stelling/Rationale/Implicaties) occurs in a definition or comment
in data/ (names are facts and only reported), and checks the NORA counts.

Usage:
    python tools/build_data.py [SOURCES] [--out DIR]      # build, then check
    python tools/build_data.py [SOURCES] --check          # only check the existing files
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rdflib import BNode, Graph, Literal, URIRef  # noqa: E402
from rdflib.plugins.serializers.turtle import TurtleSerializer  # noqa: E402
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: E402

from stelsel.iris import element_iri, slug  # noqa: E402
from stelsel.vocab import GRAPH, ID, STELSEL  # noqa: E402

CURATION = REPO / "tools" / "curation"
DEFAULT_SOURCES = REPO.parent / "shared" / "sources"

NORA = str(ID) + "nora"
ROSA22 = str(ID) + "rosa/2022"
ROSA24 = str(ID) + "rosa/2024"
DERA = str(ID) + "dera"

REPO_NORA = URIRef("https://github.com/ICTU/NORA-Werkgroep-APs")
REPO_DK = URIRef("https://github.com/Logius-standaarden/Digikoppeling-Architectuur")
REPO_ROSA = URIRef("https://github.com/edustandaard/rosa")
REPO_DERA = URIRef("https://github.com/netwerk-digitaal-erfgoed/archi-dienstplatformen")

WITHDRAWN_NORA = Literal("2023-01-01", datatype=XSD.date)

# ArchiMate relationship -> stelsel property (docs/vocabulary.md)
REL = {
    "Realization": STELSEL.realiseert,
    "Influence": STELSEL.beinvloedt,
    "Association": STELSEL.isGerelateerdAan,
    "Aggregation": STELSEL.aggregeert,
    "Composition": STELSEL.bestaatUit,
    "Serving": STELSEL.bedient,
    "Specialization": STELSEL.specialiseert,
    "Assignment": STELSEL.wijstToe,
    "Access": STELSEL.heeftToegangTot,
    "Triggering": STELSEL.triggert,
    "Flow": STELSEL.stroomtNaar,
}
RELATION_PREDICATES = set(REL.values()) | {
    STELSEL.draagtBijAan, STELSEL.isAfgeleidVan, STELSEL.hoortBijLaag,
    DCTERMS.isReplacedBy, PROV.wasRevisionOf,
}

PREFIXES = {
    "stelsel": STELSEL, "id": ID, "skos": SKOS, "dct": DCTERMS, "prov": PROV, "rdfs": RDFS,
    "xsd": XSD, "owl": OWL, "foaf": FOAF,
}

notes: list[str] = []  # source oddities and decisions, printed at the end


def note(msg: str) -> None:
    if msg not in notes:
        notes.append(msg)


# --------------------------------------------------------------------------------------- helpers

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


def clean_name(name: str) -> str:
    """The source name with non-breaking spaces normalised and outer/double whitespace removed."""
    cleaned = re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip()
    if cleaned != name and name.replace("\u00a0", " ") != cleaned:
        note(f"name whitespace normalised: {name!r} -> {cleaned!r}")
    return cleaned


#: plain misspellings in source names (a missing diaeresis), corrected in the label
SPELLING = {"Kostenefficient": "Kostenefficiënt", "Rijksfinancien": "Rijksfinanciën",
            "continuiteit": "continuïteit", "desgin": "design"}
_NUMBERING = re.compile(r"^\(\d+(?:\.\d+)?(?:,\d+(?:\.\d+)?)*\)\s+")


def correct_label(name: str) -> str:
    """The label to show: source numbering "(8) " in front and a full stop at the end removed, plain
    misspellings corrected. IRIs stay minted from the source name; the source name is kept as
    skos:hiddenLabel when it differs (see fix_labels)."""
    label = _NUMBERING.sub("", name)
    label = re.sub(r"(?<=[A-Za-zà-ÿ)])\.$", "", label)
    for wrong, right in SPELLING.items():
        label = re.sub(rf"\b{wrong}\b", right, label)
    return label


def fix_labels(elems) -> None:
    """Correct the labels of minted elements, keeping the source name as skos:hiddenLabel."""
    for e in elems:
        label = correct_label(e.name)
        if label != e.name:
            note(f"label corrected: {e.name!r} -> {label!r} (source name kept as skos:hiddenLabel)")
            e.extra.append((SKOS.hiddenLabel, Literal(e.name, lang="nl")))
            e.name = label


def norm_url(url: str) -> str:
    """Percent-encode non-ASCII characters and apostrophes (as MediaWiki does); keep existing escapes."""
    return quote(url.strip(), safe=":/?#[]@!$&()*+,;=%-._~")


def is_url(value: str) -> bool:
    return bool(re.fullmatch(r"https?://\S+", value.strip()))


def rel_key(archi_type: str) -> str:
    return archi_type.removesuffix("Relationship")


def class_slug(cls: URIRef) -> str:
    return slug(str(cls).rsplit("#", 1)[-1])


def id8(archi_id: str) -> str:
    return re.sub(r"[^0-9a-z]", "", archi_id.lower().removeprefix("id-"))[:8]


@dataclass
class Elem:
    key: str                      # archi id, or the notation when there is none
    cls: URIRef
    name: str
    status: URIRef
    derived_from: URIRef
    archi_id: str | None = None
    notation: str | None = None
    local: str | None = None      # explicit local part of the IRI
    extra: list[tuple[URIRef, object]] = field(default_factory=list)
    iri: URIRef | None = None


def mint(arch: str, elems: list[Elem]) -> None:
    """Give every element its IRI: notation, else slug; collisions get -<class>, then -<archi id>."""
    locals_: dict[int, str] = {}
    for i, e in enumerate(elems):
        locals_[i] = e.local or e.notation or slug(e.name)

    def groups() -> dict[str, list[int]]:
        by: dict[str, list[int]] = defaultdict(list)
        for i, loc in locals_.items():
            by[loc].append(i)
        return {k: v for k, v in by.items() if len(v) > 1}

    for idxs in groups().values():
        for i in idxs:
            if not (elems[i].local or elems[i].notation):
                locals_[i] = f"{locals_[i]}-{class_slug(elems[i].cls)}"
    for idxs in groups().values():
        for i in idxs:
            if not (elems[i].local or elems[i].notation):
                if not elems[i].archi_id:
                    raise SystemExit(f"cannot disambiguate {elems[i].name!r}: no archi id")
                locals_[i] = f"{locals_[i]}-{id8(elems[i].archi_id)}"
    if groups():
        raise SystemExit(f"IRI collision in {arch}: {sorted(groups())}")
    for i, e in enumerate(elems):
        e.iri = URIRef(element_iri(arch, locals_[i]))


def add_element(g: Graph, arch: URIRef, e: Elem) -> None:
    s = e.iri
    g.add((s, RDF.type, e.cls))
    if e.notation:
        g.add((s, SKOS.notation, Literal(e.notation)))
    g.add((s, SKOS.prefLabel, Literal(e.name, lang="nl")))
    g.add((s, STELSEL.inArchitectuur, arch))
    g.add((s, STELSEL.status, e.status))
    if e.archi_id:
        g.add((s, STELSEL.bronId, Literal(e.archi_id)))
    g.add((s, PROV.wasDerivedFrom, e.derived_from))
    for p, o in e.extra:
        g.add((s, p, o))


def expand(term: str) -> URIRef:
    if re.match(r"https?://", term):
        return URIRef(term)
    prefix, _, local = term.partition(":")
    ns = {"rdf": RDF, **PREFIXES}[prefix]
    return URIRef(str(ns) + local)


def add_overlay(g: Graph, file_key: str) -> None:
    """Architecture, family and organisation nodes from tools/curation/architecturen.tsv."""
    for row in read_tsv(CURATION / "architecturen.tsv"):
        if row["file"] != file_key:
            continue
        s, p, kind, value = expand(row["subject"]), expand(row["predicate"]), row["kind"], row["object"]
        if kind == "iri":
            o = expand(value)
        elif kind in ("nl", "en"):
            o = Literal(value, lang=kind)
        elif kind == "date":
            o = Literal(value, datatype=XSD.date)
        elif kind == "string":
            o = Literal(value)
        else:
            raise SystemExit(f"architecturen.tsv: unknown kind {kind!r}")
        g.add((s, p, o))


def new_graph(extra_prefixes: dict[str, str]) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for prefix, ns in extra_prefixes.items():
        g.bind(prefix, ns)
    return g


class SortedTurtleSerializer(TurtleSerializer):
    """Turtle with the architecture, family and organisation nodes first, then subjects by IRI."""

    FIRST = (STELSEL.Architectuurfamilie, STELSEL.Architectuur, STELSEL.Organisatie)

    def orderSubjects(self):  # noqa: N802 (rdflib API)
        def rank(s):
            for i, cls in enumerate(self.FIRST):
                if (s, RDF.type, cls) in self.store:
                    return i
            return len(self.FIRST)
        return sorted(self._subjects, key=lambda s: (isinstance(s, BNode), rank(s), str(s)))


def write(g: Graph, path: Path, header: list[str]) -> None:
    buf = io.BytesIO()
    SortedTurtleSerializer(g).serialize(buf, encoding="utf-8")
    body = buf.getvalue().decode("utf-8")
    text = "".join(f"# {line}\n" if line else "#\n" for line in header) + "\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ------------------------------------------------------------------------------------ Archi model

class Archi:
    """An Archi CSV export (elements, relations, properties)."""

    def __init__(self, base: Path):
        self.elements = {e["ID"]: e for e in read_csv(Path(f"{base}-elements.csv"))}
        self.relations = read_csv(Path(f"{base}-relations.csv"))
        self.props: dict[str, dict[str, str]] = defaultdict(dict)
        for p in read_csv(Path(f"{base}-properties.csv")):
            self.props[p["ID"]].setdefault(p["Key"], p["Value"])


def add_archi_relations(g: Graph, model: Archi, included: dict[str, Elem]) -> Counter:
    """All relations whose both ends are included elements, mapped by ArchiMate type."""
    count: Counter = Counter()
    for r in model.relations:
        s, t = included.get(r["Source"]), included.get(r["Target"])
        if not (s and t):
            continue
        pred = REL.get(rel_key(r["Type"]))
        if pred is None:
            note(f"unmapped relationship type {r['Type']}")
            continue
        g.add((s.iri, pred, t.iri))
        count[rel_key(r["Type"])] += 1
    return count


def add_curated_text(e: Elem, label_en: str, def_nl: str, def_en: str) -> None:
    if label_en:
        e.extra.append((SKOS.prefLabel, Literal(label_en, lang="en")))
    if def_nl:
        e.extra.append((SKOS.definition, Literal(def_nl, lang="nl")))
    if def_en:
        e.extra.append((SKOS.definition, Literal(def_en, lang="en")))


# ------------------------------------------------------------------------------------------ NORA

NORA_KIND = {
    "Kernwaarde": STELSEL.Kernwaarde,
    "Kwaliteitsdoel": STELSEL.Kwaliteitsdoel,
    "Beleidskader": STELSEL.Beleidskader,
    "Architectuurprincipe": STELSEL.Architectuurprincipe,
    "Implicatie": STELSEL.Implicatie,
}


def build_nora(src: Path) -> tuple[Graph, dict[str, Elem]]:
    d = src / "nora"
    arch = URIRef(NORA)
    rows = read_csv(d / "nora-bindende-architectuurafspraken-elements.csv")
    curation = {r["notation"]: r for r in read_tsv(CURATION / "nora-curatie.tsv")}
    # our own short definitions of the implicaties, each from the source's statement
    implications = {r["notation"]: r for r in read_tsv(CURATION / "nora-implicaties.tsv")}

    # official pages: NAP from the Digikoppeling table, KW/KD/IMP from GEMMA's NORA link property
    urls: dict[str, str] = {}
    for r in read_csv(d / "nora-gemma-motivation-elements.csv"):
        if r["owner"] != "NORA" or not r["nora_url"] or not re.fullmatch(r"(KW|KD|IMP|NAP)\d+", r["nora_id"]):
            continue
        url, raw = r["nora_url"], r["gemma_nora_url_property"]
        if raw != url and ", " not in raw and raw.startswith(url):
            note(f"{r['nora_id']}: nora_url {url} is cut off at a comma; used the full link {raw}")
            url = raw
        urls[r["nora_id"]] = norm_url(url)
    for r in read_csv(d / "nora-nap-digikoppeling-mapping.csv"):
        url = norm_url(r["nora_url"])
        if r["nora_id"] in urls and urls[r["nora_id"]] != url:
            note(f"{r['nora_id']}: GEMMA and Digikoppeling give different NORA pages; used {url}")
        urls[r["nora_id"]] = url

    elems: dict[str, Elem] = {}
    layers: dict[str, Elem] = {}
    for r in read_csv(d / "nora-vijflaagsmodel-layers.csv"):
        n = r["layer_number"]
        e = Elem(key=f"Laag{n}", cls=STELSEL.Laag, name=clean_name(r["layer_name_in_model"]),
                 status=STELSEL.Actueel, derived_from=REPO_NORA, archi_id=r["archi_id"],
                 notation=f"Laag{n}", local=f"laag-{n}")
        c = curation.get(e.notation)
        if c:
            add_curated_text(e, c["label_en"], c["definitie_nl"], c["definitie_en"])
        layers[e.name] = e
        elems[e.key] = e

    layer_links: list[tuple[str, str]] = []
    for r in rows:
        nid = r["nora_id"]
        e = Elem(key=nid, cls=NORA_KIND[r["kind"]], name=clean_name(r["name"]), status=STELSEL.Actueel,
                 derived_from=REPO_NORA, archi_id=r["archi_id"], notation=nid)
        c = curation.get(nid)
        if c:
            add_curated_text(e, c["label_en"], c["definitie_nl"], c["definitie_en"])
        elif r["kind"] in ("Kernwaarde", "Kwaliteitsdoel", "Architectuurprincipe"):
            raise SystemExit(f"nora-curatie.tsv lacks {nid}")
        if r["kind"] == "Implicatie":
            own = implications.get(nid)
            if own is None and r["statement"].strip():
                raise SystemExit(f"nora-implicaties.tsv lacks {nid}, which has a statement in the source")
            if own is not None and not r["statement"].strip():
                raise SystemExit(f"nora-implicaties.tsv defines {nid}, which has no statement in the source")
            if own is not None:
                add_curated_text(e, "", own["definitie_nl"], own["definitie_en"])
        if r["kind"] == "Beleidskader":
            # the few beleidskaders with text in the source give only a title and links: keep the links
            # (a fact), write no definition (there is no statement to describe)
            for url in re.findall(r"https?://[^\s\]|]+", r["statement"] + " " + r["toelichting"]):
                e.extra.append((RDFS.seeAlso, URIRef(norm_url(url))))
        if nid in urls:
            e.extra.append((RDFS.seeAlso, URIRef(urls[nid])))
        for layer_name in filter(None, (x.strip() for x in r["vijflaagsmodel_layers"].split(";"))):
            layer_links.append((nid, layer_name))
        elems[nid] = e

    # withdrawn NORA principles (Basisprincipes, Afgeleide principes), withdrawn 2023-01-01
    legacy = read_csv(d / "nora-legacy-bp-ap-subset.csv")
    bp_by_name = {r["name"].lower(): r["id"] for r in legacy if r["id"].startswith("BP")}
    replacements = {r["notation"]: r for r in read_tsv(CURATION / "nora-vervallen-vervanging.tsv")}
    derived: list[tuple[str, str]] = []
    for r in legacy:
        lid = r["id"]
        cls = STELSEL.Basisprincipe if lid.startswith("BP") else STELSEL.AfgeleidPrincipe
        e = Elem(key=lid, cls=cls, name=clean_name(r["name"]), status=STELSEL.Vervallen,
                 derived_from=REPO_DK, notation=lid)
        e.extra.append((PROV.invalidatedAtTime, WITHDRAWN_NORA))
        for part in filter(None, (x.strip() for x in r["realiseert"].split(";"))):
            cleaned = re.sub(r"<[^>]*>", "", part)
            cleaned = re.sub(r"\s*\(Basisprincipe\)$", "", cleaned).strip()
            if cleaned != part:
                note(f"{lid}: 'realiseert' value {part!r} read as basisprincipe {cleaned!r}")
            bp = bp_by_name.get(cleaned.lower())
            if not bp:
                raise SystemExit(f"{lid}: cannot resolve basisprincipe {part!r}")
            derived.append((lid, bp))
        elems[lid] = e

    unused = set(implications) - set(elems)
    if unused:
        raise SystemExit(f"nora-implicaties.tsv names unknown implicaties: {sorted(unused)}")
    mint(NORA, list(elems.values()))

    fix_labels(list(elems.values()))
    g = new_graph({"nora": NORA + "/"})
    add_overlay(g, "nora")
    for e in elems.values():
        add_element(g, arch, e)
    for nid, layer_name in layer_links:
        g.add((elems[nid].iri, STELSEL.hoortBijLaag, layers[clean_name(layer_name)].iri))

    for r in read_csv(d / "nora-bindende-architectuurafspraken-relations.csv"):
        g.add((elems[r["source_id"]].iri, REL[rel_key(r["archimate_relation"])], elems[r["target_id"]].iri))

    for ap, bp in derived:
        g.add((elems[ap].iri, STELSEL.realiseert, elems[bp].iri))
        g.add((elems[ap].iri, STELSEL.isAfgeleidVan, elems[bp].iri))
    for lid, r in sorted(replacements.items()):
        targets = r["vervangen_door"].split()
        for t in targets:
            g.add((elems[lid].iri, DCTERMS.isReplacedBy, elems[t].iri))
        names = ", ".join(f"{t} {elems[t].name}" for t in targets)
        g.add((elems[lid].iri, RDFS.comment,
               Literal(f"vervangen door {names}; {r['reden']} (voorgesteld door stelsel)", lang="nl")))
    return g, elems


# ------------------------------------------------------------------------------ NORA in GEMMA (2026)

NORA2026 = NORA + "/2026"
REPO_GEMMA = URIRef("https://github.com/VNG-Realisatie/GEMMA-Archi-repository")
#: GEMMA's names of the vijflaagsmodel layers -> the layer number (one source slip: "Organisatielaaglaag")
GEMMA_LAYERS = {"Grondslagenlaag": 1, "Organisatielaag": 2, "Organisatielaaglaag": 2, "Informatielaag": 3,
                "Applicatielaag": 4, "Netwerklaag": 5}


def build_nora2026(src: Path, nora2023: dict[str, Elem]) -> Graph:
    """NORA's afspraken as GEMMA's model holds them (2026): the NORA-owned elements and relations.

    Each element that has a NORA notation is prov:wasRevisionOf the 2023 element with that
    notation; implicaties keep the 2023 vijflaagsmodel layers (id:nora/laag-N). GEMMA draws the
    implicatie-principle link as an association where the working model draws a realisation; both
    mean that the implicatie works the principle out, and it is recorded as stelsel:realiseert.
    """
    d = src / "nora"
    arch = URIRef(NORA2026)
    elems: dict[str, Elem] = {}
    layers_of: dict[str, list[int]] = {}
    for r in read_csv(d / "nora-gemma-motivation-elements.csv"):
        if r["owner"] != "NORA" or r["kind"] not in NORA_KIND:
            continue
        nid = r["nora_id"]
        notation = nid if re.fullmatch(r"(KW|KD|BK|NAP)\d{2}|IMP\d{3}", nid) else None
        local = None if notation else slug(nid)
        if not notation:
            note(f"NORA 2026: {r['kind']} {clean_name(r['name'])!r} has NORA id {nid!r}, not a notation; "
                 f"IRI {NORA2026}/{local}")
        e = Elem(key=r["archi_id"], cls=NORA_KIND[r["kind"]], name=clean_name(r["name"]),
                 status=STELSEL.Actueel, derived_from=REPO_GEMMA, archi_id=r["archi_id"], notation=notation,
                 local=local)
        if notation and notation in nora2023:
            e.extra.append((PROV.wasRevisionOf, nora2023[notation].iri))
        url, raw = r["nora_url"], r["gemma_nora_url_property"]
        if url and raw != url and ", " not in raw and raw.startswith(url):
            url = raw  # the same repair as for the 2023 links (a URL cut off at a comma)
        if url:
            e.extra.append((RDFS.seeAlso, URIRef(norm_url(url))))
        elems[r["archi_id"]] = e
        if r["kind"] == "Implicatie":
            names = [x.strip() for x in r["vijflaagsmodel"].replace(";", ",").split(",") if x.strip()]
            layers_of[r["archi_id"]] = sorted({GEMMA_LAYERS[n] for n in names})
    mint(NORA2026, list(elems.values()))
    fix_labels(elems.values())
    g = new_graph({"nora": NORA + "/", "nora26": NORA2026 + "/"})
    add_overlay(g, "nora-2026")
    for aid, e in elems.items():
        add_element(g, arch, e)
        for n in layers_of.get(aid, []):
            g.add((e.iri, STELSEL.hoortBijLaag, URIRef(f"{NORA}/laag-{n}")))
    for r in read_csv(d / "nora-gemma-motivation-relations.csv"):
        s, t = elems.get(r["source_archi_id"]), elems.get(r["target_archi_id"])
        if not (s and t):
            continue
        kind = rel_key(r["archimate_relation"])
        if kind == "Association" and s.cls == STELSEL.Implicatie and t.cls == STELSEL.Architectuurprincipe:
            kind = "Realization"
        g.add((s.iri, REL[kind], t.iri))
    return g


# ------------------------------------------------------------------------------------------ ROSA

def rosa_extra(model: Archi, archi_id: str, e: Elem) -> None:
    props = model.props.get(archi_id, {})
    publisher = clean_name(props.get("Beheerder", ""))
    if publisher:
        e.extra.append((DCTERMS.publisher, Literal(publisher)))
    ref = props.get("Externe verwijzing", "").strip()
    if ref:
        if is_url(ref):
            e.extra.append((RDFS.seeAlso, URIRef(norm_url(ref))))
        else:
            note(f"ROSA {e.name!r}: 'Externe verwijzing' is not a URL: {ref!r}")


def classify_rosa22(el: dict[str, str], ptype: str) -> URIRef | None:
    folder, typ = el["Folder"], el["Type"]
    if typ == "Principle":
        if ptype == "Basisprincipe" or (not ptype and folder.endswith("/Basisprincipes")):
            return STELSEL.Basisprincipe
        if ptype == "Afgeleid principe" or (not ptype and folder.endswith("/Afgeleide principes")):
            return STELSEL.AfgeleidPrincipe
        return STELSEL.Principe
    if typ == "Requirement":
        if ptype == "Standaard" or folder.endswith("/Standaarden"):
            return STELSEL.Standaard
        return STELSEL.Ontwerpkader
    if typ == "Goal":
        return STELSEL.Doel
    if typ == "Driver":
        if ptype == "Wet- en regelgeving" or folder.endswith("/Wet- en regelgeving"):
            return STELSEL.Beleidskader
        return STELSEL.Driver
    if typ == "Constraint":
        return STELSEL.Zeggenschap if (ptype == "Zeggenschap" or folder.endswith("/Zeggenschappen")) \
            else STELSEL.Standaard
    return None


def build_rosa22(src: Path) -> tuple[Graph, dict[str, Elem], Counter]:
    model = Archi(src / "rosa" / "rosa-master-archi")
    arch = URIRef(ROSA22)
    included: dict[str, Elem] = {}
    for aid, el in model.elements.items():
        folder = el["Folder"]
        if not (folder == "Motivation" or folder.startswith("Motivation/")):
            continue
        if folder.startswith("Motivation/Metamodel") or el["Name"].startswith("#"):
            continue
        ptype = model.props.get(aid, {}).get("Type", "")
        cls = classify_rosa22(el, ptype)
        if cls is None:
            note(f"ROSA 2022: skipped {el['Type']} {el['Name']!r} in {folder}")
            continue
        if folder == "Motivation":
            note(f"ROSA 2022: loose {el['Type']} {el['Name']!r} (Type {ptype!r}) -> {class_slug(cls)}")
        e = Elem(key=aid, cls=cls, name=clean_name(el["Name"]), status=STELSEL.Actueel,
                 derived_from=REPO_ROSA, archi_id=aid)
        rosa_extra(model, aid, e)
        included[aid] = e
    mint(ROSA22, list(included.values()))
    fix_labels(list(included.values()))
    g = new_graph({"rosa22": ROSA22 + "/"})
    add_overlay(g, "rosa-2022")
    for e in included.values():
        add_element(g, arch, e)
    count = add_archi_relations(g, model, included)
    # an afgeleid principe that realises or influences a basisprincipe is derived from it
    for r in model.relations:
        s, t = included.get(r["Source"]), included.get(r["Target"])
        if s and t and s.cls == STELSEL.AfgeleidPrincipe and t.cls == STELSEL.Basisprincipe \
                and rel_key(r["Type"]) in ("Realization", "Influence"):
            g.add((s.iri, STELSEL.isAfgeleidVan, t.iri))
    return g, included, count


ROSA24_FOLDERS = {
    "Architectuurprincipes": STELSEL.Architectuurprincipe,
    "Ontwerpprincipes": STELSEL.Ontwerpprincipe,
    "Doelen": STELSEL.Doel,
    "Ontwerpkaders": STELSEL.Ontwerpkader,
    "Afspraken": STELSEL.Standaard,
    "Drivers": STELSEL.Driver,
    "Zeggenschappen": STELSEL.Zeggenschap,
}
# Drivers of the revision that are laws are Beleidskaders (docs/vocabulary.md: "law, policy, framework")
ROSA24_LAW = re.compile(r"^(AVG|Wet\b)")
#: placeholders in the revision that are not elements (a principle named "TBD")
ROSA24_PLACEHOLDERS = {"TBD"}


def build_rosa24(src: Path, rosa22: dict[str, Elem]) -> tuple[Graph, dict[str, Elem], Counter]:
    model = Archi(src / "rosa" / "rosa-revisie-rosa-archi")
    arch = URIRef(ROSA24)
    included: dict[str, Elem] = {}
    pattern = re.compile(r"^Motivation/([^/]+)/(ACTUEEL|TODO|VERVALLEN)(/.*)?$")
    for aid, el in model.elements.items():
        ptype = model.props.get(aid, {}).get("Type", "")
        if el["Name"].strip() in ROSA24_PLACEHOLDERS:
            note(f"ROSA 2024: placeholder {el['Type']} {el['Name']!r} in {el['Folder']} left out")
            continue
        if el["Folder"] == "Motivation" and el["Type"] == "Principle" and _NUMBERING.match(el["Name"]) \
                and ptype in ("Architectuurprincipe", "Ontwerpprincipe"):
            # numbered principles loose in the Motivation folder: part of the revision, not yet filed
            cls = STELSEL.Architectuurprincipe if ptype == "Architectuurprincipe" else STELSEL.Ontwerpprincipe
            e = Elem(key=aid, cls=cls, name=clean_name(el["Name"]), status=STELSEL.InOntwikkeling,
                     derived_from=REPO_ROSA, archi_id=aid)
            note(f"ROSA 2024: loose numbered {ptype} {el['Name']!r} included (InOntwikkeling)")
            rosa_extra(model, aid, e)
            included[aid] = e
            continue
        m = pattern.match(el["Folder"])
        if not m or m.group(1) not in ROSA24_FOLDERS or el["Name"].startswith("#"):
            continue
        if m.group(2) == "ACTUEEL":
            cls, status = ROSA24_FOLDERS[m.group(1)], STELSEL.Actueel
            if cls == STELSEL.Driver and ROSA24_LAW.match(el["Name"]):
                cls = STELSEL.Beleidskader
                note(f"ROSA 2024: driver {el['Name']!r} (a law) typed stelsel:Beleidskader")
            if cls == STELSEL.Standaard and ptype == "Afspraak":
                cls = STELSEL.Afspraak
        elif m.group(2) == "TODO" and el["Type"] == "Principle" and ptype == "Architectuurprincipe":
            cls, status = STELSEL.Architectuurprincipe, STELSEL.InOntwikkeling
            if m.group(1) != "Architectuurprincipes":
                note(f"ROSA 2024: {el['Name']!r} is typed Architectuurprincipe but sits in {el['Folder']}")
        else:
            continue
        e = Elem(key=aid, cls=cls, name=clean_name(el["Name"]), status=status,
                 derived_from=REPO_ROSA, archi_id=aid)
        rosa_extra(model, aid, e)
        included[aid] = e
    mint(ROSA24, list(included.values()))
    fix_labels(list(included.values()))
    g = new_graph({"rosa24": ROSA24 + "/", "rosa22": ROSA22 + "/"})
    add_overlay(g, "rosa-2024")
    for aid, e in included.items():
        if aid in rosa22:
            e.extra.append((PROV.wasRevisionOf, rosa22[aid].iri))
            if rosa22[aid].name != e.name:
                note(f"ROSA 2024 renamed {rosa22[aid].name!r} -> {e.name!r} (same Archi id)")
        add_element(g, arch, e)
    count = add_archi_relations(g, model, included)
    return g, included, count


# ------------------------------------------------------------------------------------------ DERA

DERA_TYPES = {
    "Principle": STELSEL.Architectuurprincipe,
    "Goal": STELSEL.Doel,
    "Requirement": STELSEL.Eis,
    "BusinessFunction": STELSEL.Bedrijfsfunctie,
    "BusinessRole": STELSEL.Rol,
    "Product": STELSEL.Product,
    "BusinessObject": STELSEL.Begrip,
    "ApplicationComponent": STELSEL.Applicatiecomponent,
    "ApplicationFunction": STELSEL.Applicatiefunctie,
    "Constraint": STELSEL.Standaard,
    "Grouping": STELSEL.Groepering,
    "BusinessActor": STELSEL.Actor,
    "BusinessProcess": STELSEL.Bedrijfsproces,
}
#: the kind of a DERA requirement (property Type): functional or non-functional
DERA_REQUIREMENT_KINDS = {"FR": STELSEL.FunctioneleEis, "NFR": STELSEL.NietFunctioneleEis}
# metamodel placeholders in the DERA 4.0 folders: elements named after their own type
DERA_PLACEHOLDERS = {
    "Principe", "Doel", "Eis aan gedrag", "Functionele eis", "Niet-functionele eis", "Bedrijfsfunctie",
    "Bedrijfsobject", "Rol", "Dienst", "Actor", "Applicatiefunctie", "Referentiecomponent",
}


def build_dera(src: Path) -> tuple[Graph, dict[str, Elem], Counter]:
    model = Archi(src / "dera" / "dera-archi-dienstplatformen")
    arch = URIRef(DERA)
    curation = {r["archi_id"]: r for r in read_tsv(CURATION / "dera-curatie.tsv")}
    strategic = [aid for aid, el in model.elements.items()
                 if el["Folder"].endswith("/DERA 4.0") and el["Type"] == "Goal"
                 and model.props[aid].get("Type") == "Strategisch doel"]
    if len(strategic) != 1:
        raise SystemExit(f"DERA: expected one strategic goal, found {len(strategic)}")
    strategic_id = model.props[strategic[0]]["ID"]

    included: dict[str, Elem] = {}
    for aid, el in model.elements.items():
        if not el["Folder"].endswith("/DERA 4.0"):
            continue
        name = clean_name(el["Name"])
        if name in DERA_PLACEHOLDERS or name.startswith("#"):
            note(f"DERA: skipped metamodel placeholder {el['Type']} {name!r}")
            continue
        cls = DERA_TYPES.get(el["Type"])
        if cls is None:
            note(f"DERA: skipped {el['Type']} {name!r}")
            continue
        props = model.props.get(aid, {})
        notation = None
        if el["Type"] == "Principle":
            notation = f"P{props['ID']}"
        elif el["Type"] == "Goal":
            # the DERA wiki numbers operational goal N as "doel 1.N" under strategic goal 1
            notation = f"D{props['ID']}" if aid in strategic else f"D{strategic_id}.{props['ID']}"
        elif el["Type"] == "BusinessObject" and props.get("Begrippenlijst") != "Ja":
            cls = STELSEL.Bedrijfsobject
        elif el["Type"] == "Requirement" and props.get("Type") in DERA_REQUIREMENT_KINDS:
            cls = DERA_REQUIREMENT_KINDS[props["Type"]]
        e = Elem(key=aid, cls=cls, name=name, status=STELSEL.Actueel, derived_from=REPO_DERA,
                 archi_id=aid, notation=notation)
        c = curation.get(aid)
        if c:
            add_curated_text(e, c["label_en"], c["definitie_nl"], c["definitie_en"])
        elif el["Type"] in ("Principle", "Goal", "Product"):
            raise SystemExit(f"dera-curatie.tsv lacks {el['Type']} {name!r} ({aid})")
        included[aid] = e
    for aid in curation:
        if aid not in included:
            raise SystemExit(f"dera-curatie.tsv: {aid} is not a DERA 4.0 element")
    mint(DERA, list(included.values()))
    fix_labels(list(included.values()))
    g = new_graph({"dera": DERA + "/"})
    add_overlay(g, "dera")
    for e in included.values():
        add_element(g, arch, e)
    count = add_archi_relations(g, model, included)

    by_notation = {e.notation: e for e in included.values() if e.notation}
    for r in read_csv(src / "dera" / "dera-4.0-principle-goal-textrefs.csv"):
        p = included[r["principle_archi_id"]]
        if r["goal_archi_id"]:
            goal = included[r["goal_archi_id"]]
        else:
            m = re.fullmatch(r"raw:(\d+\.\d+)", r["raw_reference"])
            goal = by_notation.get(f"D{m.group(1)}") if m else None
            if goal is None:
                note(f"DERA: unresolved goal reference {r['raw_reference']!r} of {r['principle_id']}")
                continue
            note(f"DERA: {r['principle_id']} reference {r['raw_reference']!r} read as {goal.notation} "
                 f"(wiki numbering: operational goal N = doel 1.N)")
        g.add((p.iri, STELSEL.draagtBijAan, goal.iri))
    return g, included, count


# ----------------------------------------------------------------------------------------- check

def norm_text(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().casefold()


TEXT_COLUMNS = {
    "nora/nora-bindende-architectuurafspraken-elements.csv": ["statement", "rationale", "toelichting"],
    "nora/nora-vijflaagsmodel-layers.csv": ["description"],
    "nora/nora-gemma-motivation-elements.csv": ["statement", "toelichting", "gemma_toelichting", "implicaties"],
    "nora/nora-legacy-bp-ap-subset.csv": ["statement"],
    "nora/nora-nap-digikoppeling-mapping.csv": ["relation_note"],
    "dera/dera-4.0-principle-goal-textrefs.csv": ["evidence"],
}
ARCHI_MODELS = ["rosa/rosa-master-archi", "rosa/rosa-revisie-rosa-archi", "dera/dera-archi-dienstplatformen"]
WINDOW = 50


def source_texts(src: Path):
    for rel, cols in TEXT_COLUMNS.items():
        for row in read_csv(src / rel):
            for c in cols:
                yield rel, row.get(c, "")
    for base in ARCHI_MODELS:
        for row in read_csv(src / f"{base}-elements.csv"):
            yield base, row["Documentation"]
        for row in read_csv(src / f"{base}-properties.csv"):
            yield base, row["Value"]
    xml = src / "nora" / "NORA-Werkgroep-APs.ArchiMate-exchange.xml"
    for node in ET.parse(xml).iter():
        if node.tag.endswith("documentation") and node.text:
            yield xml.name, node.text


DESCRIPTIVE = {SKOS.definition, RDFS.comment}
OUTPUTS = ["nora.ttl", "rosa-2022.ttl", "rosa-2024.ttl", "dera.ttl"]


def check(src: Path, out: Path) -> bool:
    files = [out / name for name in OUTPUTS if (out / name).exists()]
    ok = True
    windows: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    print("== counts per class")
    for f in files:
        g = Graph()
        g.parse(f, format="turtle")
        classes = Counter(g.objects(None, RDF.type))
        rels = Counter(p for _, p, _ in g if p in RELATION_PREDICATES)
        print(f"{f.name}: {len(g)} triples, {sum(rels.values())} relations")
        for cls, n in sorted(classes.items(), key=lambda kv: str(kv[0])):
            print(f"  {g.namespace_manager.normalizeUri(cls):32} {n}")
        for p, n in sorted(rels.items(), key=lambda kv: str(kv[0])):
            print(f"  -> {g.namespace_manager.normalizeUri(p):29} {n}")
        if f.name == "nora.ttl":
            ok &= check_nora(g, src)
        for s, p, o in g:
            if isinstance(o, Literal) and len(str(o)) >= WINDOW:
                t = norm_text(str(o))
                for i in range(len(t) - WINDOW + 1):
                    windows[t[i:i + WINDOW]].append((f.name, str(s), str(p), p in DESCRIPTIVE))
    readme = out / "README.md"
    if readme.exists():
        t = norm_text(readme.read_text(encoding="utf-8"))
        for i in range(len(t) - WINDOW + 1):
            windows[t[i:i + WINDOW]].append(("README.md", "", "", True))

    print("== text reuse check (50-character windows of source texts)")
    hits: dict[tuple[str, str, str, bool], str] = {}
    for origin, text in source_texts(src):
        t = norm_text(text or "")
        for i in range(len(t) - WINDOW + 1):
            w = t[i:i + WINDOW]
            if w in windows:
                for where in windows[w]:
                    hits.setdefault(where, f"{origin}: …{w}…")
    errors = {k: v for k, v in hits.items() if k[3]}
    for (fname, s, p, _), v in sorted(hits.items()):
        kind = "ERROR" if (fname, s, p, True) in errors else "name (fact, ok)"
        print(f"  {kind}: {fname} {s} {p}\n      {v}")
    if errors:
        ok = False
    print(f"  {len(errors)} descriptive text(s) reuse source text; "
          f"{len(hits) - len(errors)} name(s) also occur in source texts")
    return ok


def check_nora(g: Graph, src: Path) -> bool:
    expected = {"Kernwaarde": 5, "Kwaliteitsdoel": 20, "Beleidskader": 28, "Architectuurprincipe": 17,
                "Implicatie": 89, "Laag": 5, "Basisprincipe": 10, "AfgeleidPrincipe": 13}
    ok = True
    for cls, n in expected.items():
        got = len(set(g.subjects(RDF.type, STELSEL[cls])))
        if got != n:
            print(f"  NORA count mismatch: {cls} {got} != {n}")
            ok = False

    def typed(x, cls):
        return (x, RDF.type, STELSEL[cls]) in g

    triples = [
        (STELSEL.realiseert, "Implicatie", "Architectuurprincipe", 120),
        (STELSEL.realiseert, "Architectuurprincipe", "Kwaliteitsdoel", 76),
        (STELSEL.beinvloedt, "Beleidskader", "Kwaliteitsdoel", 54),
        (STELSEL.isGerelateerdAan, "Kwaliteitsdoel", "Kernwaarde", 20),
    ]
    total = 0
    for p, a, b, n in triples:
        got = sum(1 for s, o in g.subject_objects(p) if typed(s, a) and typed(o, b))
        total += got
        if got != n:
            print(f"  NORA relation mismatch: {a} {p} {b}: {got} != {n}")
            ok = False
    layers = sum(int(r["n_implicaties"]) for r in read_csv(src / "nora" / "nora-vijflaagsmodel-layers.csv"))
    got_layers = len(list(g.subject_objects(STELSEL.hoortBijLaag)))
    imps_without = [s for s in g.subjects(RDF.type, STELSEL.Implicatie) if (s, STELSEL.hoortBijLaag, None) not in g]
    if got_layers != layers or imps_without:
        print(f"  NORA layers: {got_layers} hoortBijLaag (expected {layers}), {len(imps_without)} IMP without layer")
        ok = False
    print(f"  NORA check {'passed' if ok else 'FAILED'}: {total} of 270 afspraken relations, "
          f"{got_layers} hoortBijLaag")
    return ok


# ------------------------------------------------------------------------------------------ main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="?", type=Path, default=DEFAULT_SOURCES,
                    help="staged sources directory (default: <repo>/../shared/sources)")
    ap.add_argument("--out", type=Path, default=REPO / "data", help="output directory (default: data/)")
    ap.add_argument("--check", action="store_true", help="only check the existing output files")
    args = ap.parse_args()
    src, out = args.sources.resolve(), args.out.resolve()
    if not (src / "README.md").exists():
        print(f"sources not found: {src}", file=sys.stderr)
        return 2

    if not args.check:
        g, nora23 = build_nora(src)
        g26 = build_nora2026(src, nora23)
        write(g26, out / "nora-2026.ttl", [
            "NORA's afspraken as the GEMMA model holds them (VNG-Realisatie/GEMMA-Archi-repository, 2026):",
            f"the NORA-owned elements and relations. Named graph <{GRAPH}nora-2026>; revises <{NORA}>.",
            "Generated by tools/build_data.py from the staged sources; do not edit.",
        ])
        write(g, out / "nora.ttl", [
            "NORA – Nederlandse Overheid Referentie Architectuur: bindende architectuurafspraken (2023)",
            f"and the NORA principles withdrawn on 2023-01-01. Named graph <{GRAPH}nora>.",
            "Generated by tools/build_data.py from the staged sources and tools/curation/; do not edit.",
            "Descriptions (skos:definition, rdfs:comment) are our own words; see data/README.md.",
        ])
        g, rosa22, c22 = build_rosa22(src)
        write(g, out / "rosa-2022.ttl", [
            "ROSA – Referentie Onderwijs Sector Architectuur, published model (master branch, 2022).",
            f"Named graph <{GRAPH}rosa-2022>.",
            "Motivation elements only (principles, ontwerpkaders, standaarden, goals, drivers,",
            "zeggenschappen) and the relations among them; the business and application layers",
            "(ketenprocessen, ketenfuncties, rollen, referentiecomponenten, KOI-begrippen) are not",
            "included yet. Generated by tools/build_data.py; do not edit.",
        ])
        g, _, c24 = build_rosa24(src, rosa22)
        write(g, out / "rosa-2024.ttl", [
            "ROSA – revision 2024 (branch revisie-rosa, in development).",
            f"Named graph <{GRAPH}rosa-2024>.",
            "Motivation elements from the ACTUEEL folders (status Actueel) and the architecture",
            "principles from the TODO folders (status InOntwikkeling), with the relations among them;",
            "business and application layers are not included yet. Generated by tools/build_data.py.",
        ])
        g, _, cd = build_dera(src)
        write(g, out / "dera.ttl", [
            "DERA 4.0 – Digitaal Erfgoed Referentie Architectuur (folder 'DERA 4.0' of the",
            f"archi-dienstplatformen model). Named graph <{GRAPH}dera>.",
            "Generated by tools/build_data.py from the staged sources and tools/curation/; do not edit.",
        ])
        print("== relations taken from the Archi models (by ArchiMate type)")
        for label, c in (("rosa-2022", c22), ("rosa-2024", c24), ("dera", cd)):
            print(f"  {label}: {sum(c.values())} {dict(sorted(c.items()))}")
        print("== notes")
        for n in notes:
            print(f"  - {n}")

    ok = check(src, out)
    print("check passed" if ok else "check FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
