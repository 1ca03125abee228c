"""Fidelity: the importer against the real models in ../shared/sources, and the bundled data
(data/*.ttl) against what the importer reads from the same sources.

Skipped with a reason when the sources are not there; each data file is skipped until it exists.
Data and import are matched by `stelsel:bronId` (the Archi id), never by IRI.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from stelsel.importers.archimate import (
    ARCHIMATE_PROPERTY,
    default_ontology_path,
    import_archimate,
    load_mapping,
    read_model,
)
from stelsel.vocab import STELSEL

pytestmark = pytest.mark.sources

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"
FIXTURE_ONTOLOGY = Path(__file__).parent / "fixtures" / "archimate" / "ontology.ttl"
NORA = "https://w3id.org/stelsel/id/nora"
NORA_XML = "nora/NORA-Werkgroep-APs.ArchiMate-exchange.xml"


def need_sources() -> Path:
    if not SOURCES.is_dir():
        pytest.skip(f"the staged source models are not at {SOURCES} (shared/sources next to the repo)")
    return SOURCES


@pytest.fixture(scope="module")
def mapping():
    """The real ontology's mapping; the fixture ontology until ontology/stelsel.ttl exists."""
    real = default_ontology_path() / "stelsel.ttl"
    return load_mapping(real if real.is_file() else FIXTURE_ONTOLOGY)


@pytest.fixture(scope="module")
def nora(mapping):
    src = need_sources() / NORA_XML
    if not src.is_file():
        pytest.skip(f"{src} is missing")
    return import_archimate(src, NORA, mapping=mapping)


def norm(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by_class(result, cls) -> dict[str, URIRef]:
    """notation -> IRI of the imported elements of exactly this class."""
    g = result.graph
    return {str(g.value(s, SKOS.notation)): s for s in g.subjects(RDF.type, cls)}


# --- NORA: the exchange file ----------------------------------------------------------------

EXPECTED_NORA = {
    STELSEL.Kernwaarde: ("KW", 5, 2),
    STELSEL.Kwaliteitsdoel: ("KD", 20, 2),
    STELSEL.Beleidskader: ("BK", 28, 2),
    STELSEL.Architectuurprincipe: ("NAP", 17, 2),
    STELSEL.Implicatie: ("IMP", 89, 3),
}


@pytest.mark.parametrize("cls", list(EXPECTED_NORA), ids=lambda c: c.split("#")[-1])
def test_nora_classes_and_notations(nora, cls):
    prefix, n, width = EXPECTED_NORA[cls]
    assert set(by_class(nora, cls)) == {f"{prefix}{i:0{width}d}" for i in range(1, n + 1)}
    assert nora.class_counts[cls] == n


def test_nora_layers(nora):
    layers = by_class(nora, STELSEL.Laag)
    assert set(layers) == {f"Laag{i}" for i in range(1, 6)}
    assert nora.class_counts[STELSEL.Laag] == 5
    # nothing else: the '#' metamodel elements are left out
    assert sum(nora.class_counts.values()) == 159 + 5
    assert not any(str(o).startswith("#") for o in nora.graph.objects(None, SKOS.prefLabel))


def _kind_triples(result) -> Counter:
    g = result.graph
    kind = {s: g.value(s, RDF.type) for s in g.subjects(STELSEL.bronId, None)}
    wanted = set(EXPECTED_NORA)
    count: Counter = Counter()
    for s, p, o in g:
        if kind.get(s) in wanted and kind.get(o) in wanted:
            count[(kind[s].split("#")[-1], p.split("#")[-1], kind[o].split("#")[-1])] += 1
    return count


def test_nora_relations_among_the_159(nora):
    assert _kind_triples(nora) == {
        ("Implicatie", "realiseert", "Architectuurprincipe"): 120,
        ("Architectuurprincipe", "realiseert", "Kwaliteitsdoel"): 76,
        ("Beleidskader", "beinvloedt", "Kwaliteitsdoel"): 54,
        ("Kwaliteitsdoel", "isGerelateerdAan", "Kernwaarde"): 20,
    }


def test_nora_relations_match_the_staged_csv(nora, mapping):
    """Every relation of nora-bindende-architectuurafspraken-relations.csv, in its direction."""
    rows = read_csv(SOURCES / "nora" / "nora-bindende-architectuurafspraken-relations.csv")
    assert len(rows) == 270
    g = nora.graph
    iri = {str(g.value(s, SKOS.notation)): s for s in g.subjects(SKOS.notation, None)}
    kinds = {str(g.value(s, SKOS.notation)): g.value(s, RDF.type) for s in iri.values()}
    missing = []
    for row in rows:
        src, tgt = row["source_id"], row["target_id"]
        prop, inverse = mapping.relation_property(row["archimate_relation"], kinds[src], kinds[tgt])
        s, o = (iri[tgt], iri[src]) if inverse else (iri[src], iri[tgt])
        if (s, prop, o) not in g:
            missing.append(f"{src} {row['archimate_relation']} {tgt}")
    assert not missing, missing
    # the association runs from the kwaliteitsdoel to the kernwaarde, as in the source
    assert {r["source_kind"] for r in rows if r["archimate_relation"] == "Association"} == {
        "Kwaliteitsdoel"}
    kd_kw = Counter(str(g.value(s, SKOS.notation))
                    for s, o in g.subject_objects(STELSEL.isGerelateerdAan))
    assert len(kd_kw) == 20 and set(kd_kw.values()) == {1}  # each KD linked to exactly one KW


def test_nora_every_implicatie_in_a_layer(nora):
    g = nora.graph
    layers = set(g.subjects(RDF.type, STELSEL.Laag))
    for s in g.subjects(RDF.type, STELSEL.Implicatie):
        assert set(g.objects(s, STELSEL.hoortBijLaag)) & layers, g.value(s, SKOS.notation)


def test_nora_matches_the_staged_elements_csv(nora):
    """Ids, notations, names, kinds and layers agree with the CSV derived from the same XML."""
    rows = read_csv(SOURCES / "nora" / "nora-bindende-architectuurafspraken-elements.csv")
    assert len(rows) == 159
    g = nora.graph
    layer_name = {s: f"{g.value(s, SKOS.notation)} {g.value(s, SKOS.prefLabel)}"
                  for s in g.subjects(RDF.type, STELSEL.Laag)}
    problems = []
    for row in rows:
        s = nora.iris.get(row["archi_id"])
        if s is None:
            problems.append(f"{row['nora_id']}: archi id {row['archi_id']} not imported")
            continue
        if str(g.value(s, SKOS.notation)) != row["nora_id"]:
            problems.append(f"{row['nora_id']}: notation {g.value(s, SKOS.notation)}")
        if norm(g.value(s, SKOS.prefLabel)) != norm(row["name"]):
            problems.append(f"{row['nora_id']}: name {g.value(s, SKOS.prefLabel)!r}")
        if (s, RDF.type, STELSEL[row["kind"]]) not in g:
            problems.append(f"{row['nora_id']}: not a {row['kind']}")
        expected = {norm(x) for x in row["vijflaagsmodel_layers"].split(";") if x.strip()}
        got = {layer_name[o] for o in g.objects(s, STELSEL.hoortBijLaag)}
        if expected != got:
            problems.append(f"{row['nora_id']}: layers {sorted(got)} != {sorted(expected)}")
    assert not problems, problems


def test_nora_layer_sizes_match_the_staged_layers_csv(nora):
    g = nora.graph
    for row in read_csv(SOURCES / "nora" / "nora-vijflaagsmodel-layers.csv"):
        s = nora.iris[row["archi_id"]]
        assert str(g.value(s, SKOS.notation)) == f"Laag{row['layer_number']}"
        members = [x for x in g.subjects(STELSEL.hoortBijLaag, s)
                   if (x, RDF.type, STELSEL.Implicatie) in g]
        assert len(members) == int(row["n_implicaties"]), row["layer_name_in_model"]


def test_nora_facts_only_keeps_no_long_text(mapping):
    src = need_sources() / NORA_XML
    r = import_archimate(src, NORA, mapping=mapping, facts_only=True)
    texts = [o for s, p, o in r.graph
             if p == SKOS.definition or str(p).startswith(str(ARCHIMATE_PROPERTY))]
    assert texts  # short ones stay
    assert all(len(t) <= 80 for t in texts)
    full = import_archimate(src, NORA, mapping=mapping)
    assert any(len(o) > 80 for o in full.graph.objects(None, SKOS.definition))
    assert r.relation_counts == full.relation_counts


# --- the bundled data against the sources ---------------------------------------------------

# data file -> (source, architecture IRI, import options). The imports keep everything (no
# folder or name filters), so the data, whatever its selection, must be a subset.
DATA_SOURCES = {
    "nora": (NORA_XML, NORA, {}),
    "rosa-2022": ("rosa/rosa-master-archi-elements.csv", "https://w3id.org/stelsel/id/rosa/2022",
                  {}),
    "rosa-2024": ("rosa/rosa-revisie-rosa-archi-elements.csv",
                  "https://w3id.org/stelsel/id/rosa/2024", {}),
    "dera": ("dera/dera-archi-dienstplatformen-elements.csv", "https://w3id.org/stelsel/id/dera",
             # principles P1..P8; the strategic goal D1, its operational goals D1.1..D1.5
             {"notation_prefix": {"Principle": "P", "Goal[Type=Strategisch doel]": "D",
                                  "Goal[Type=Operationeel doel]": "D1."}}),
}


@pytest.fixture(scope="module")
def imported(mapping, nora):
    """Import a source once per module (the NORA import is shared with the tests above)."""
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            src, arch, options = DATA_SOURCES[name]
            if name == "nora":
                cache[name] = nora
            else:
                path = need_sources() / src
                if not path.is_file():
                    pytest.skip(f"{path} is missing")
                cache[name] = import_archimate(path, arch, mapping=mapping,
                                               exclude_name_prefix=None, **options)
        return cache[name]

    return get


def _data(name: str) -> Graph:
    path = REPO / "data" / f"{name}.ttl"
    if not path.is_file():
        pytest.skip(f"data/{name}.ttl does not exist yet")
    return Graph().parse(path, format="turtle")


def _by_bron_id(g: Graph) -> dict[str, URIRef]:
    out: dict[str, URIRef] = {}
    for s, bron in g.subject_objects(STELSEL.bronId):
        out[str(bron)] = s
    return out


def _nl(g: Graph, s) -> str | None:
    labels = [o for o in g.objects(s, SKOS.prefLabel) if getattr(o, "language", None) == "nl"]
    return norm(labels[0]) if labels else None


@pytest.mark.parametrize("name", list(DATA_SOURCES))
def test_data_elements_match_the_source(name, imported):
    data = _data(name)
    need_sources()
    result = imported(name)
    source = result.graph
    in_source = _by_bron_id(source)
    raw_names = {i: norm(e.name("nl")) for i, e in read_model(result.source).elements.items()}
    elements = _by_bron_id(data)
    assert elements, f"data/{name}.ttl has no element with stelsel:bronId"
    problems = []
    for bron, s in sorted(elements.items()):
        t = in_source.get(bron)
        if t is None:
            problems.append(f"{bron} ({_nl(data, s)}): no element with this id in the source")
            continue
        want = {str(n) for n in data.objects(s, SKOS.notation)}
        got = {str(n) for n in source.objects(t, SKOS.notation)}
        if want != got:
            problems.append(f"{bron} ({_nl(data, s)}): notation {sorted(want)} in the data, "
                            f"{sorted(got)} in the source")
        # the name as the importer splits it ("NAP01 Vindbaar" -> "Vindbaar"), or the whole
        # name as the source has it ("Laag1 Grondslagen en visie"); where the label corrects a
        # plain slip of the source, the source name is the skos:hiddenLabel
        hidden = [norm(str(h)) for h in data.objects(s, SKOS.hiddenLabel)]
        shown = hidden[0] if hidden else _nl(data, s)
        if hidden and norm(_nl(data, s)) == shown:
            problems.append(f"{bron}: a hiddenLabel equal to the label")
        if shown not in (_nl(source, t), raw_names.get(bron)):
            problems.append(f"{bron}: name {_nl(data, s)!r} in the data, {_nl(source, t)!r} "
                            "in the source")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(DATA_SOURCES))
def test_data_relations_match_the_source(name, imported, mapping):
    data = _data(name)
    need_sources()
    result = imported(name)
    source = result.graph
    relation_properties = mapping.relation_properties
    data_ids = {s: str(b) for s, b in data.subject_objects(STELSEL.bronId)}
    source_ids = {s: str(b) for s, b in source.subject_objects(STELSEL.bronId)}
    in_source = {(source_ids[s], p, source_ids[o]) for s, p, o in source
                 if p in relation_properties and s in source_ids and o in source_ids}
    problems, checked = [], 0
    for s, p, o in data:
        if p in relation_properties and s in data_ids and o in data_ids:
            checked += 1
            if (data_ids[s], p, data_ids[o]) not in in_source:
                problems.append(f"{_nl(data, s)!r} ({data_ids[s]}) {p.split('#')[-1]} "
                                f"{_nl(data, o)!r} ({data_ids[o]}) is not in the source")
    assert not problems, f"{len(problems)} of {checked} relations:\n" + "\n".join(problems)
