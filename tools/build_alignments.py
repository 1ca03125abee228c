#!/usr/bin/env python3
"""Build the alignment files in data/alignments/ from the curated tables in tools/curation/.

The alignments are curated as tables so they can be reviewed row by row:

- ``tools/curation/alignment-sets.csv``: one row per Aansluitingsset (set, title_nl, title_en,
  description_nl, description_en);
- ``tools/curation/alignments.csv``: one row per alignment (set, source, predicate, target,
  rationale_nl, rationale_en, status, source_url, confidence, justification); ``source`` and
  ``target`` are element IRIs, ``predicate`` a CURIE (skos:closeMatch, stelsel:realiseert …),
  ``status`` Voorgesteld, Vastgesteld or Vervallen, ``source_url`` the repository that states the
  link (required for Vastgesteld), ``confidence`` a number from 0 to 1 (SSSOM confidence) and
  ``justification`` the SEMAPV term saying how the row was made (ManualMappingCuration: judged
  from the source's own text; BackgroundKnowledgeBasedMatching: the source element has no text,
  judged from its name and its place in the model);
- ``tools/curation/deviations.csv``: one row per deviation (set, source, architecture,
  toelichting_nl, toelichting_en, status, source_url, kind); ``kind`` is Afwijking (the element
  deliberately does not align) or NietVanToepassing (the rule does not apply: a commitment about
  the architecture itself, already recorded as stelsel:moetAansluitenOp).

It writes ``data/alignments/<set>.ttl`` (graph ``graph:alignments/<set>``) and the SSSOM export of
all sets, ``data/alignments/stelsel.sssom.tsv``. The output is deterministic: running it twice
gives byte-identical files. Before writing, every row is checked against data/ (both ends exist
and are typed, the source belongs to the set's architecture, the kinds may align according to
the ontology's ``stelsel:magAansluitenOp``), and every file is read back and compared.

Usage:
    python tools/build_alignments.py            # build
    python tools/build_alignments.py --check    # exit 1 if a file in data/alignments/ is stale
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.compare import isomorphic  # noqa: E402
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD  # noqa: E402

from stelsel.importers.sssom import sssom_table  # noqa: E402
from stelsel.iris import alignment_iri, deviation_iri  # noqa: E402
from stelsel.vocab import ID, SEMAPV, STELSEL  # noqa: E402

CURATION = REPO / "tools" / "curation"
DATA = REPO / "data"
OUT = DATA / "alignments"
ONTOLOGY = REPO / "ontology" / "stelsel.ttl"

#: set name -> the architecture whose elements it aligns
SETS = {
    "rosa-2022": ID["rosa/2022"], "rosa-2024": ID["rosa/2024"], "dera": ID.dera,
    "ear": ID.ear, "ocw": ID.ocw,
}
CREATOR = Literal("stelsel project")
DATE = Literal("2026-11-28", datatype=XSD.date)
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
COMBINED_SET = ID["aansluitingsset/stelsel"]
COMBINED_TITLE = {"nl": "Alle aansluitingen en afwijkingen in het stelsel",
                  "en": "All alignments and deviations in the stelsel"}
PREDICATES = {
    "skos:exactMatch": SKOS.exactMatch, "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch, "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch, "stelsel:realiseert": STELSEL.realiseert,
}
STATUSES = {"Voorgesteld", "Vastgesteld", "Vervallen"}
JUSTIFICATIONS = {"ManualMappingCuration", "BackgroundKnowledgeBasedMatching"}
DEVIATION_KINDS = {"Afwijking", "NietVanToepassing"}

#: prefixes of the Turtle files, longest namespace first when compressing
PREFIXES = {
    "stelsel": str(STELSEL), "skos": str(SKOS), "dct": str(DCTERMS), "xsd": str(XSD),
    "semapv": str(SEMAPV), "id": str(ID),
    "aansluitingsset": str(ID) + "aansluitingsset/", "aansluiting": str(ID) + "aansluiting/",
    "afwijking": str(ID) + "afwijking/", "nora": str(ID) + "nora/",
    "rosa22": str(ID) + "rosa/2022/", "rosa24": str(ID) + "rosa/2024/",
    "dera": str(ID) + "dera/", "ear": str(ID) + "ear/", "ocw": str(ID) + "ocw/",
}
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


class CurationError(Exception):
    """A row of a curation table that cannot be used."""


@dataclass(frozen=True)
class Alignment:
    set: str
    source: URIRef
    predicate: URIRef
    target: URIRef
    rationale_nl: str
    rationale_en: str
    status: str
    source_url: str
    confidence: Literal
    justification: URIRef
    where: str

    @property
    def iri(self) -> URIRef:
        return URIRef(alignment_iri(self.source, self.predicate, self.target))


@dataclass(frozen=True)
class Deviation:
    set: str
    source: URIRef
    architecture: URIRef
    toelichting_nl: str
    toelichting_en: str
    status: str
    source_url: str
    kind: str
    where: str

    @property
    def iri(self) -> URIRef:
        return URIRef(deviation_iri(self.source, self.architecture))


# --- reading -------------------------------------------------------------------------------

def read_table(name: str, columns: list[str]) -> list[tuple[str, dict[str, str]]]:
    path = CURATION / name
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != columns:
            raise CurationError(f"{path}: the header must be {','.join(columns)}")
        rows = []
        for row in reader:
            where = f"{path.relative_to(REPO)}, line {reader.line_num}"
            clean = {k: (v or "").strip() for k, v in row.items()}
            for key, value in clean.items():
                if "\n" in value or "\t" in value:
                    raise CurationError(f"{where}: {key} must be one line without tabs")
            rows.append((where, clean))
    return rows


def load_data() -> Graph:
    """Every architecture file in data/ (not the alignments)."""
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def read_curation(data: Graph, ontology: Graph) -> tuple[dict, list[Alignment], list[Deviation]]:
    sets = {}
    for where, row in read_table("alignment-sets.csv", ["set", "title_nl", "title_en",
                                                        "description_nl", "description_en"]):
        if row["set"] not in SETS:
            raise CurationError(f"{where}: unknown set {row['set']!r}; known: {', '.join(SETS)}")
        sets[row["set"]] = row
    missing = set(SETS) - set(sets)
    if missing:
        raise CurationError(f"alignment-sets.csv has no row for {', '.join(sorted(missing))}")

    alignments: list[Alignment] = []
    for where, row in read_table("alignments.csv", ["set", "source", "predicate", "target",
                                                    "rationale_nl", "rationale_en", "status",
                                                    "source_url", "confidence",
                                                    "justification"]):
        if row["predicate"] not in PREDICATES:
            raise CurationError(f"{where}: predicate {row['predicate']!r} is not one of "
                                + ", ".join(PREDICATES))
        if row["justification"] not in JUSTIFICATIONS:
            raise CurationError(f"{where}: justification {row['justification']!r} is not one of "
                                + ", ".join(sorted(JUSTIFICATIONS)))
        alignments.append(Alignment(row["set"], URIRef(row["source"]),
                                    PREDICATES[row["predicate"]], URIRef(row["target"]),
                                    row["rationale_nl"], row["rationale_en"], row["status"],
                                    row["source_url"], confidence(row["confidence"], where),
                                    SEMAPV[row["justification"]], where))
    deviations: list[Deviation] = []
    for where, row in read_table("deviations.csv", ["set", "source", "architecture",
                                                    "toelichting_nl", "toelichting_en", "status",
                                                    "source_url", "kind"]):
        if row["kind"] not in DEVIATION_KINDS:
            raise CurationError(f"{where}: kind {row['kind']!r} is not one of "
                                + ", ".join(sorted(DEVIATION_KINDS)))
        deviations.append(Deviation(row["set"], URIRef(row["source"]), URIRef(row["architecture"]),
                                    row["toelichting_nl"], row["toelichting_en"], row["status"],
                                    row["source_url"], row["kind"], where))
    check(data, ontology, alignments, deviations)
    return sets, alignments, deviations


def confidence(text: str, where: str) -> Literal:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise CurationError(f"{where}: confidence {text!r} must be a number above 0 and at most 1")
    return Literal(f"{value:.2f}", datatype=XSD.double)


# --- checks --------------------------------------------------------------------------------

def _types(graph: Graph, node: URIRef) -> set[URIRef]:
    return {t for t in graph.objects(node, RDF.type) if str(t).startswith(str(STELSEL))}


def _superclasses(ontology: Graph, classes: set[URIRef]) -> set[URIRef]:
    out, todo = set(classes), list(classes)
    while todo:
        for parent in ontology.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def may_align(ontology: Graph, source_types: set[URIRef], target_types: set[URIRef]) -> bool:
    allowed = {d for c in _superclasses(ontology, source_types)
               for d in ontology.objects(c, STELSEL.magAansluitenOp)}
    return bool(allowed & _superclasses(ontology, target_types))


def _check_common(data: Graph, row, architecture_of_source: URIRef):
    if row.set not in SETS:
        raise CurationError(f"{row.where}: unknown set {row.set!r}")
    if row.status not in STATUSES:
        raise CurationError(f"{row.where}: status {row.status!r} is not one of "
                            + ", ".join(sorted(STATUSES)))
    if row.status == "Vastgesteld" and not row.source_url:
        raise CurationError(f"{row.where}: a Vastgesteld link needs the source_url that states it")
    if not _types(data, row.source):
        raise CurationError(f"{row.where}: source {row.source} is not an element in data/")
    if architecture_of_source != SETS[row.set]:
        raise CurationError(f"{row.where}: source {row.source} is in {architecture_of_source}, "
                            f"not in the architecture of set {row.set} ({SETS[row.set]})")


def check(data: Graph, ontology: Graph, alignments: list[Alignment], deviations: list[Deviation]):
    seen: dict[URIRef, str] = {}
    for a in alignments:
        _check_common(data, a, data.value(a.source, STELSEL.inArchitectuur))
        if not _types(data, a.target):
            raise CurationError(f"{a.where}: target {a.target} is not an element in data/")
        if not (a.rationale_nl and a.rationale_en):
            raise CurationError(f"{a.where}: give the rationale in Dutch and in English")
        if not may_align(ontology, _types(data, a.source), _types(data, a.target)):
            raise CurationError(f"{a.where}: a {sorted(_types(data, a.source))} may not align to "
                                f"a {sorted(_types(data, a.target))} (stelsel:magAansluitenOp)")
        if a.iri in seen:
            raise CurationError(f"{a.where}: repeats the alignment of {seen[a.iri]}")
        seen[a.iri] = a.where
    targets_by_arch = {(a.source, data.value(a.target, STELSEL.inArchitectuur)) for a in alignments}
    for d in deviations:
        _check_common(data, d, data.value(d.source, STELSEL.inArchitectuur))
        if (d.architecture, RDF.type, STELSEL.Architectuur) not in data:
            raise CurationError(f"{d.where}: {d.architecture} is not an architecture in data/")
        if not (d.toelichting_nl and d.toelichting_en):
            raise CurationError(f"{d.where}: give the explanation in Dutch and in English")
        if (d.source, d.architecture) in targets_by_arch:
            raise CurationError(f"{d.where}: {d.source} both deviates from and aligns to "
                                f"{d.architecture}; keep one")
        if d.iri in seen:
            raise CurationError(f"{d.where}: repeats the deviation of {seen[d.iri]}")
        seen[d.iri] = d.where


# --- building ------------------------------------------------------------------------------

def set_iri(name: str) -> URIRef:
    return ID[f"aansluitingsset/{name}"]


def build_graph(name: str, meta: dict, alignments: list[Alignment],
                deviations: list[Deviation]) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    s = set_iri(name)
    g.add((s, RDF.type, STELSEL.Aansluitingsset))
    g.add((s, DCTERMS.title, Literal(meta["title_nl"], lang="nl")))
    g.add((s, DCTERMS.title, Literal(meta["title_en"], lang="en")))
    g.add((s, DCTERMS.description, Literal(meta["description_nl"], lang="nl")))
    g.add((s, DCTERMS.description, Literal(meta["description_en"], lang="en")))
    g.add((s, DCTERMS.creator, CREATOR))
    g.add((s, DCTERMS.date, DATE))
    g.add((s, DCTERMS.license, LICENSE))
    for a in alignments:
        n = a.iri
        g.add((n, RDF.type, STELSEL.Aansluiting))
        g.add((n, STELSEL.vanElement, a.source))
        g.add((n, STELSEL.relatie, a.predicate))
        g.add((n, STELSEL.naarElement, a.target))
        g.add((n, STELSEL.onderbouwing, a.justification))
        g.add((n, STELSEL.betrouwbaarheid, a.confidence))
        g.add((n, STELSEL.status, STELSEL[a.status]))
        g.add((n, STELSEL.rationale, Literal(a.rationale_nl, lang="nl")))
        g.add((n, STELSEL.rationale, Literal(a.rationale_en, lang="en")))
        g.add((n, DCTERMS.creator, CREATOR))
        g.add((n, DCTERMS.date, DATE))
        if a.source_url:
            g.add((n, DCTERMS.source, URIRef(a.source_url)))
        g.add((n, STELSEL.inSet, s))
        if a.status != "Vervallen":
            g.add((a.source, a.predicate, a.target))
    for d in deviations:
        n = d.iri
        g.add((n, RDF.type, STELSEL.Afwijking))
        g.add((n, STELSEL.vanElement, d.source))
        g.add((n, STELSEL.tenOpzichteVan, d.architecture))
        g.add((n, STELSEL.onderbouwing, SEMAPV.ManualMappingCuration))
        if d.kind != "Afwijking":
            g.add((n, STELSEL.soortAfwijking, STELSEL[d.kind]))
        g.add((n, STELSEL.status, STELSEL[d.status]))
        g.add((n, STELSEL.toelichting, Literal(d.toelichting_nl, lang="nl")))
        g.add((n, STELSEL.toelichting, Literal(d.toelichting_en, lang="en")))
        g.add((n, DCTERMS.creator, CREATOR))
        g.add((n, DCTERMS.date, DATE))
        if d.source_url:
            g.add((n, DCTERMS.source, URIRef(d.source_url)))
        g.add((n, STELSEL.inSet, s))
    return g


_NSM = Graph(bind_namespaces="none").namespace_manager
for _prefix, _ns in PREFIXES.items():
    _NSM.bind(_prefix, _ns)


def term(node) -> str:
    if isinstance(node, Literal):
        return node.n3(_NSM)
    iri = str(node)
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is not None and _LOCAL.match(iri[len(best):]):
        prefix = next(p for p, ns in PREFIXES.items() if ns == best)
        return f"{prefix}:{iri[len(best):]}"
    return f"<{iri}>"


def label(data: Graph, node: URIRef) -> str:
    for value in data.objects(node, SKOS.prefLabel):
        if isinstance(value, Literal) and value.language == "nl":
            return " ".join(str(value).split())
    return term(node)


def block(subject, pairs: list[tuple]) -> list[str]:
    lines = [term(subject)]
    for i, (p, objects) in enumerate(pairs):
        objs = ", ".join(term(o) for o in objects)
        verb = "a" if p == RDF.type else term(p)
        lines.append(f"    {verb} {objs}" + (" ." if i == len(pairs) - 1 else " ;"))
    return lines


def render_turtle(name: str, meta: dict, alignments: list[Alignment],
                  deviations: list[Deviation], data: Graph) -> str:
    arch = SETS[name]
    out = [f"# Aansluitingen en afwijkingen van {label(data, arch)} (graph:alignments/{name}).",
           "# Generated by tools/build_alignments.py from tools/curation/alignments.csv and",
           "# tools/curation/deviations.csv; edit those tables, not this file.",
           "# Each Aansluiting is followed by its materialised plain triple (not for status",
           "# Vervallen); every rationale and explanation is written by the stelsel project.",
           ""]
    out += [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()] + [""]
    s = set_iri(name)
    nl, en = (lambda k: Literal(meta[f"{k}_nl"], lang="nl")), (lambda k: Literal(meta[f"{k}_en"],
                                                                               lang="en"))
    out += block(s, [(RDF.type, [STELSEL.Aansluitingsset]),
                     (DCTERMS.title, [nl("title"), en("title")]),
                     (DCTERMS.description, [nl("description"), en("description")]),
                     (DCTERMS.creator, [CREATOR]), (DCTERMS.date, [DATE]),
                     (DCTERMS.license, [LICENSE])])
    out.append("")
    for a in alignments:
        out.append(f"# {label(data, a.source)} -> {term(a.predicate)} -> {label(data, a.target)}")
        pairs = [(RDF.type, [STELSEL.Aansluiting]), (STELSEL.vanElement, [a.source]),
                 (STELSEL.relatie, [a.predicate]), (STELSEL.naarElement, [a.target]),
                 (STELSEL.onderbouwing, [a.justification]),
                 (STELSEL.betrouwbaarheid, [a.confidence]),
                 (STELSEL.status, [STELSEL[a.status]]),
                 (STELSEL.rationale, [Literal(a.rationale_nl, lang="nl"),
                                      Literal(a.rationale_en, lang="en")]),
                 (DCTERMS.creator, [CREATOR]), (DCTERMS.date, [DATE])]
        if a.source_url:
            pairs.append((DCTERMS.source, [URIRef(a.source_url)]))
        pairs.append((STELSEL.inSet, [s]))
        out += block(a.iri, pairs)
        if a.status != "Vervallen":
            out.append(f"{term(a.source)} {term(a.predicate)} {term(a.target)} .")
        out.append("")
    for d in deviations:
        verb = "wijkt af van" if d.kind == "Afwijking" else "niet van toepassing t.o.v."
        out.append(f"# {label(data, d.source)} {verb} {label(data, d.architecture)}")
        pairs = [(RDF.type, [STELSEL.Afwijking]), (STELSEL.vanElement, [d.source]),
                 (STELSEL.tenOpzichteVan, [d.architecture]),
                 (STELSEL.onderbouwing, [SEMAPV.ManualMappingCuration])]
        if d.kind != "Afwijking":
            pairs.append((STELSEL.soortAfwijking, [STELSEL[d.kind]]))
        pairs += [(STELSEL.status, [STELSEL[d.status]]),
                  (STELSEL.toelichting, [Literal(d.toelichting_nl, lang="nl"),
                                         Literal(d.toelichting_en, lang="en")]),
                  (DCTERMS.creator, [CREATOR]), (DCTERMS.date, [DATE])]
        if d.source_url:
            pairs.append((DCTERMS.source, [URIRef(d.source_url)]))
        pairs.append((STELSEL.inSet, [s]))
        out += block(d.iri, pairs)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def generate() -> tuple[dict[Path, str], list[Alignment], list[Deviation]]:
    """The text of every file in data/alignments/, built from the curation tables."""
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    data = load_data()
    sets, alignments, deviations = read_curation(data, ontology)
    outputs: dict[Path, str] = {}
    combined = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        combined.bind(prefix, ns)
    for name in SETS:
        mine = sorted((a for a in alignments if a.set == name),
                      key=lambda a: (str(a.source), str(a.predicate), str(a.target)))
        devs = sorted((d for d in deviations if d.set == name),
                      key=lambda d: (str(d.source), str(d.architecture)))
        text = render_turtle(name, sets[name], mine, devs, data)
        expected = build_graph(name, sets[name], mine, devs)
        parsed = Graph().parse(data=text, format="turtle")
        if not isomorphic(parsed, expected):
            raise CurationError(f"internal error: the Turtle of {name} does not say what was built")
        outputs[OUT / f"{name}.ttl"] = text
        combined += parsed
    table = sssom_table(combined, mapping_set_id=str(COMBINED_SET), labels=data,
                        ontology=ONTOLOGY, strict=True, title=COMBINED_TITLE)
    outputs[OUT / "stelsel.sssom.tsv"] = table.render()
    return outputs, alignments, deviations


def build(check_only: bool = False) -> int:
    outputs, alignments, deviations = generate()
    stale = [p for p, text in outputs.items()
             if not p.is_file() or p.read_text(encoding="utf-8") != text]
    if check_only:
        for path in stale:
            print(f"stale: {path.relative_to(REPO)} (run python tools/build_alignments.py)")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    counts = {n: (sum(a.set == n for a in alignments), sum(d.set == n for d in deviations))
              for n in SETS}
    for name, (n_a, n_d) in counts.items():
        print(f"{name}: {n_a} alignments, {n_d} deviations")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the files in data/alignments/ are up to date")
    args = parser.parse_args(argv)
    try:
        return build(check_only=args.check)
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
