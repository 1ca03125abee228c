"""The NDE Network of Terms (Termennetwerk) as facts: ``data/nde-termennetwerk.ttl``.

    text = build(Path("../shared/sources/nde-network-of-terms"))   # the file's content
    sources = namespaces(store)                                   # [(source IRI, uri space), …]

The file is generated from the staged catalogue (one JSON-LD file per terminology source plus
``publishers.jsonld``) and holds facts only: per source its name (nl/en), other names, the IRI of
the source's dataset (``owl:sameAs``), its publisher, the IRI spaces its terms live in
(``void:uriSpace``), its web page and a link to its entry in the public catalogue on GitHub.
Publishers become ``stelsel:Organisatie`` nodes (``id:org/<slug of the short name>``), so a
partner that registers datasets and publishes a terminology source is one node.

A dataset description that refers to a term whose IRI starts with a source's IRI space (in
``schema:about``, ``dct:subject``, ``schema:keywords``, ``dcat:theme``, ``schema:genre``,
``schema:spatialCoverage`` …) is linked to that source (:mod:`stelsel.datasets.link`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..iris import slug

__all__ = ["COMMIT", "GRAPH_FILE", "REPOSITORY", "build"]

REPOSITORY = "https://github.com/netwerk-digitaal-erfgoed/network-of-terms"
COMMIT = "aeb61ba1ec02fdb0424edaea3dc79f64675132d7"
CATALOGUE_PATH = "packages/catalog/catalog/datasets"
GRAPH_FILE = "data/nde-termennetwerk.ttl"
ID = "https://w3id.org/stelsel/id/"
#: publishers the staged publishers.jsonld does not name (the name is the one on their site)
EXTRA_PUBLISHERS = {"https://www.goudatijdmachine.nl": ("Gouda Tijdmachine", "Gouda Tijdmachine", "Gouda Tijdmachine")}


def _lit(text: str, lang: str | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _values(value) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        value = [value]
    return [v if isinstance(v, dict) else {"@value": v} for v in value]


def _by_lang(value) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in _values(value):
        out.setdefault(v.get("@language", ""), v["@value"])
    return out


def _ids(value) -> list[str]:
    return [v["@id"] if isinstance(v, dict) else v for v in (value if isinstance(value, list) else [value] if value else [])]


def _publishers(root: Path) -> dict[str, tuple[str, str, str]]:
    """publisher IRI -> (short name, Dutch name, English name)."""
    out = dict(EXTRA_PUBLISHERS)
    data = json.loads((root / "publishers.jsonld").read_text(encoding="utf-8"))
    for node in data["@graph"]:
        names = _by_lang(node.get("name"))
        short = _by_lang(node.get("alternateName"))
        nl = names.get("nl") or names.get("en") or names.get("")
        en = names.get("en") or nl
        out[node["@id"]] = (short.get("nl") or short.get("") or short.get("en") or nl, nl, en)
    return out


def existing_organisations(data_dir: Path) -> set[str]:
    """IRIs of the organisations the other bundled data files describe (they keep their names)."""
    import pyoxigraph as ox
    org = "https://w3id.org/stelsel/def#Organisatie"
    out: set[str] = set()
    for f in sorted(data_dir.rglob("*.ttl")):
        if f.name == Path(GRAPH_FILE).name:
            continue
        for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
            if t.predicate.value.endswith("#type") and t.object.value == org:
                out.add(t.subject.value)
    return out


def build(root: Path, existing: set[str] | None = None) -> str:
    """The Turtle text of ``data/nde-termennetwerk.ttl`` from the staged catalogue at ``root``;
    organisations in ``existing`` (described elsewhere, see :func:`existing_organisations`) are
    referred to, not described again."""
    existing = existing or set()
    publishers = _publishers(root)
    used: dict[str, str] = {}       # publisher IRI -> org slug
    blocks: list[str] = []
    sources = sorted((root / "datasets").glob("*.jsonld"))
    for f in sources:
        d = json.loads(f.read_text(encoding="utf-8"))
        name, alt = _by_lang(d.get("name")), _by_lang(d.get("alternateName"))
        lines = [f"<{ID}termennetwerk/{f.stem}> a skos:ConceptScheme ;"]
        for lang in ("nl", "en"):
            if name.get(lang):
                lines.append(f"    skos:prefLabel {_lit(name[lang], lang)} ;")
        for lang in ("nl", "en"):
            if alt.get(lang):
                lines.append(f"    skos:altLabel {_lit(alt[lang], lang)} ;")
        lines.append(f"    skos:notation {_lit(f.stem)} ;")
        lines.append("    dct:isPartOf id:termennetwerk ;")
        lines.append(f"    owl:sameAs <{d['@id']}> ;")
        for creator in _ids(d.get("creator")):
            short = publishers.get(creator, (creator,))[0]
            used[creator] = slug(short)
            lines.append(f"    dct:publisher <{ID}org/{used[creator]}> ;")
        for space in sorted(set(_ids(d.get("url")))):
            lines.append(f"    void:uriSpace {_lit(space)} ;")
        for page in _ids(d.get("mainEntityOfPage")):
            lines.append(f"    foaf:homepage <{page}> ;")
        lines.append(f"    rdfs:seeAlso <{REPOSITORY}/blob/{COMMIT}/{CATALOGUE_PATH}/{f.name}> ;")
        lines.append(f"    prov:wasDerivedFrom <{REPOSITORY}> .")
        blocks.append("\n".join(lines))
    orgs = []
    for iri, org in sorted(used.items(), key=lambda kv: kv[1]):
        short, nl, en = publishers.get(iri, (iri, iri, iri))
        if f"{ID}org/{org}" in existing:
            continue
        lines = [f"<{ID}org/{org}> a stelsel:Organisatie ;", f"    skos:prefLabel {_lit(nl, 'nl')} ;"]
        if en and en != nl:
            lines.append(f"    skos:prefLabel {_lit(en, 'en')} ;")
        if short and short not in (nl, en):
            lines.append(f"    skos:altLabel {_lit(short, 'nl')} ;")
        lines.append(f"    rdfs:seeAlso <{iri}> .")
        orgs.append("\n".join(lines))
    header = f"""# The NDE Network of Terms (Termennetwerk): its {len(sources)} terminology sources as facts (name, the IRI
# of the source's dataset, publisher, IRI spaces of its terms, web page, catalogue entry), and their
# publishers. Named graph <https://w3id.org/stelsel/graph/nde-termennetwerk>.
# Generated by stelsel.datasets.termennetwerk.build from ../shared/sources/nde-network-of-terms
# ({REPOSITORY}, commit {COMMIT}); do not edit.

@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix id: <https://w3id.org/stelsel/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix stelsel: <https://w3id.org/stelsel/def#> .
@prefix void: <http://rdfs.org/ns/void#> .

void:uriSpace a owl:AnnotationProperty ;
    rdfs:label "URI space"@en ;
    rdfs:comment "Declared here (VoID) so the file stays OWL 2 DL: the start of the IRIs of a source's terms."@en .

id:termennetwerk a skos:ConceptScheme ;
    skos:prefLabel "Termennetwerk"@nl , "Network of Terms"@en ;
    skos:definition "Voorziening van het Netwerk Digitaal Erfgoed waarmee erfgoedinstellingen in één keer termen zoeken in veel terminologiebronnen, om er met een IRI naar te verwijzen."@nl ,
        "Facility of the Dutch Digital Heritage Network with which heritage institutions search many terminology sources at once, to refer to terms by IRI."@en ;
    dct:publisher <https://w3id.org/stelsel/id/org/nde> ;
    foaf:homepage <https://termennetwerk.netwerkdigitaalerfgoed.nl/> ;
    rdfs:seeAlso <https://w3id.org/stelsel/id/dera/termennetwerk> ;
    prov:wasDerivedFrom <{REPOSITORY}/tree/{COMMIT}/{CATALOGUE_PATH}> .
"""
    return header + "\n" + "\n\n".join(blocks) + "\n\n" + "\n\n".join(orgs) + "\n"


if __name__ == "__main__":  # pragma: no cover - maintainers: python -m stelsel.datasets.termennetwerk
    import sys
    repo = Path(__file__).resolve().parents[3]
    src = repo.parent / "shared" / "sources" / "nde-network-of-terms"
    text = build(Path(sys.argv[1]) if len(sys.argv) > 1 else src, existing_organisations(repo / "data"))
    (repo / GRAPH_FILE).write_text(text, encoding="utf-8")
