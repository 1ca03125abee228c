"""Registering a validated dataset description: it becomes part of the stelsel graph.

    regs = register(store, outcome, publisher="kb", agent="kb-token", source="dataset.jsonld")
    rows = registrations(store, publisher="kb", status="valid")
    reg = registration(store, "kb/rise-alba-3f0c2a1d")
    unregister(store, "kb/rise-alba-3f0c2a1d")

Each schema:Dataset or dcat:Dataset of a valid description gets (in one transaction):

- **its own named graph** ``graph:datasets/<publisher>/<dataset>`` holding the part of the
  description about that dataset (its triples and those of the nodes it leads to, other datasets
  excluded), a registration record (``dcat:CatalogRecord``, the graph's own IRI:
  ``foaf:primaryTopic`` the dataset, ``stelsel:eigenaar`` the publisher, ``dct:issued`` /
  ``dct:modified``, ``dct:source`` the file or URL, ``prov:wasGeneratedBy`` the registration act
  with its agent (the token's name) and time), and the links below;
- **its validation report** in ``graph:datasets/<publisher>/<dataset>/rapport`` (a SHACL
  ``sh:ValidationReport`` whose IRI is that graph's);
- **its publisher** ``id:org/<publisher>`` (``stelsel:Organisatie``); when no bundled graph names
  that organisation, ``graph:datasets/<publisher>/organisatie`` does (name from the description).

**Links** (docs/datasets.md has the full table) on the dataset node:

- ``dct:conformsTo`` the characteristics (``id:nde/kenmerk/…``, data/nde-standaarden.ttl) it shows:
  web IRI, licence, open licence, provenance, described, common model, distribution, linked data,
  SPARQL endpoint, terms from the Network of Terms, and "registered" (valid). Each characteristic
  is related to the DERA principles it serves and the DERA services it realises, so the trace
  (:mod:`.trace`) goes dataset → characteristic → DERA principle → alignment → NORA.
- ``dct:conformsTo`` the standards it names (``id:nde/standaard/…``: Schema.org, DCAT, EDM,
  CIDOC-CRM, Linked Art, RiC-O, SKOS, Dublin Core, LIDO, IIIF, SPARQL, OAI-PMH), recognised by IRI
  or by name in ``dct:conformsTo``, ``schema:usageInfo``, ``schema:encodingFormat``,
  ``dct:format``, ``dcat:mediaType`` …;
- ``stelsel:pastStandaardToe`` DERA's own standards: Creative Commons (a creativecommons.org
  licence), RightsStatements.org, RDF and Linked Data (an RDF or SPARQL distribution);
- ``dct:references`` the Network of Terms sources (``id:termennetwerk/…``) whose IRI space holds a
  term it uses (``schema:about``, ``dct:subject``, ``schema:keywords``, ``dcat:theme``,
  ``schema:spatialCoverage`` …);
- ``stelsel:eigenaar`` the publisher.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, StelselError
from ..iris import slug
from ..sources import ParsedFile
from ..vocab import GRAPH, ID
from .inputs import DATASET_CLASSES
from .validate import Outcome

__all__ = [
    "DATASETS_GRAPH",
    "Conflict",
    "NotFound",
    "check_publisher",
    "dataset_slug",
    "derive_links",
    "graph_iri",
    "register",
    "registration",
    "registrations",
    "unregister",
]

DATASETS_GRAPH = f"{GRAPH}datasets/"
KENMERK = f"{ID}nde/kenmerk/"
STANDAARD = f"{ID}nde/standaard/"
DERA = f"{ID}dera/"
TERMEN = f"{ID}termennetwerk/"

SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
S = "https://w3id.org/stelsel/def#"
_PUBLISHER = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class NotFound(StelselError):
    http_status = 404


class Conflict(StelselError):
    http_status = 409


def check_publisher(name: str) -> str:
    if not isinstance(name, str) or not _PUBLISHER.match(name):
        raise InputError(f"'{name}' is not a publisher name: lower-case letters, digits and '-'",
                         hint="use the slug of the organisation, e.g. kb or beeld-geluid")
    return name


def dataset_slug(iri: str) -> str:
    """``<last segment of the IRI>-<8 hex of its SHA-256>``: readable, unique, stable."""
    tail = [p for p in re.split(r"[/#?]", iri) if p]
    name = slug(tail[-1])[:48] if tail else "dataset"
    return f"{name}-{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:8]}"


def graph_iri(publisher: str, dataset: str) -> str:
    return f"{DATASETS_GRAPH}{check_publisher(publisher)}/{dataset_slug(dataset)}"


def _split_id(ident: str) -> str:
    """``kb/rise-alba-3f0c2a1d`` (or the graph IRI) -> the graph IRI, checked."""
    ident = ident.strip().strip("/")
    ident = ident.removeprefix(DATASETS_GRAPH)
    parts = ident.split("/")
    if len(parts) != 2 or not _PUBLISHER.match(parts[0]) or not re.match(r"^[a-z0-9-]{1,80}$", parts[1]):
        raise InputError(f"'{ident}' is not a dataset id", hint="ids look like kb/rise-alba-3f0c2a1d (GET /datasets lists them)")
    return f"{DATASETS_GRAPH}{parts[0]}/{parts[1]}"


# -- terms ----------------------------------------------------------------------------------------
def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _key(term) -> str:
    return ("_:" + term.value) if isinstance(term, ox.BlankNode) else term.value


# -- what a description shows ------------------------------------------------------------------------
RDF_MEDIA = re.compile(r"^(text/turtle|application/(n-triples|n-quads|trig|ld\+json|rdf\+xml)|text/n3)"
                       r"(\+(gzip|zip|bzip2))?(;.*)?$", re.IGNORECASE)
SPARQL_PROTOCOL = ("https://www.w3.org/TR/sparql11-protocol", "http://www.w3.org/TR/sparql11-protocol",
                   "https://www.w3.org/TR/rdf-sparql-protocol", "http://www.w3.org/TR/rdf-sparql-protocol")
#: standard -> (IRI prefixes, name pattern)
STANDARDS = {
    "schema-org": (("https://schema.org", "http://schema.org"), r"schema\.org"),
    "dcat": (("http://www.w3.org/ns/dcat", "https://www.w3.org/TR/vocab-dcat", "https://data.overheid.nl/dcat",
              "https://docs.geostandaarden.nl/dcat"), r"\bdcat(-ap(-nl)?)?\b"),
    "edm": (("http://www.europeana.eu/schemas/edm", "https://pro.europeana.eu/page/edm"), r"\bedm\b|europeana data model"),
    "cidoc-crm": (("http://www.cidoc-crm.org/cidoc-crm", "https://cidoc-crm.org", "http://erlangen-crm.org",
                   "https://www.cidoc-crm.org"), r"cidoc[- ]?crm"),
    "linked-art": (("https://linked.art",), r"linked[- ]art"),
    "rico": (("https://www.ica.org/standards/RiC",), r"\bric-?o\b|records in contexts"),
    "skos": (("http://www.w3.org/2004/02/skos", "https://www.w3.org/TR/skos"), r"\bskos\b"),
    "dublin-core": (("http://purl.org/dc/elements", "http://purl.org/dc/terms", "https://www.dublincore.org"),
                    r"dublin core"),
    "lido": (("http://www.lido-schema.org", "https://lido-schema.org"), r"\blido\b"),
    "iiif": (("http://iiif.io/api", "https://iiif.io/api"), r"\biiif\b"),
    "sparql": (SPARQL_PROTOCOL, r"application/sparql-|\bsparql\b"),
    "oai-pmh": (("http://www.openarchives.org/OAI", "https://www.openarchives.org/OAI", "https://www.openarchives.org/pmh"),
                r"oai-?pmh"),
}
_STANDARD_PREDICATES = {DCT + "conformsTo", SCHEMA + "usageInfo", SCHEMA + "encodingFormat", DCT + "format",
                        DCAT + "mediaType", SCHEMA + "schemaVersion", SCHEMA + "documentation",
                        DCAT + "compressFormat", SCHEMA + "fileFormat"}
_TERM_PREDICATES = {SCHEMA + "about", DCT + "subject", SCHEMA + "keywords", DCAT + "theme", SCHEMA + "genre",
                    SCHEMA + "spatialCoverage", DCT + "spatial", SCHEMA + "temporalCoverage", DCT + "temporal",
                    DCAT + "keyword", SCHEMA + "isPartOf", DCT + "type", SCHEMA + "additionalType"}
_DATE_PREDICATES = {SCHEMA + "dateCreated", SCHEMA + "dateModified", SCHEMA + "datePublished", DCT + "created",
                    DCT + "issued", DCT + "modified", SCHEMA + "isBasedOn", DCT + "source", PROV + "wasDerivedFrom"}


@dataclass
class Links:
    """What stelsel links a dataset to (IRIs)."""

    kenmerken: list[str] = field(default_factory=list)
    standaarden: list[str] = field(default_factory=list)       # id:nde/standaard/…
    dera_standaarden: list[str] = field(default_factory=list)  # dera:… (stelsel:Standaard)
    termenbronnen: list[str] = field(default_factory=list)     # id:termennetwerk/…

    def add(self, attr: str, iri: str) -> None:
        values = getattr(self, attr)
        if iri not in values:
            values.append(iri)


def dataset_triples(triples: list[ox.Triple], dataset) -> list[ox.Triple]:
    """The dataset's own part of a description: its triples and those of every node reached from
    it, not entering other datasets."""
    by_subject: dict = {}
    datasets = set()
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
        if t.predicate.value == RDF + "type" and isinstance(t.object, ox.NamedNode) and t.object.value in DATASET_CLASSES:
            datasets.add(t.subject)
    out, seen, todo = [], {dataset}, [dataset]
    while todo:
        node = todo.pop()
        for t in by_subject.get(node, []):
            out.append(t)
            o = t.object
            if not isinstance(o, ox.Literal) and o not in seen and o in by_subject and o not in datasets:
                seen.add(o)
                todo.append(o)
    return out


def derive_links(triples: list[ox.Triple], dataset, valid: bool, uri_spaces: list[tuple[str, str]]) -> Links:
    """The characteristics, standards and terminology sources of one dataset (see the module doc)."""
    links = Links()
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    props = by_subject.get(dataset, {})
    types = {o.value for o in props.get(RDF + "type", []) if isinstance(o, ox.NamedNode)}
    distributions = [o for p in (SCHEMA + "distribution", DCAT + "distribution") for o in props.get(p, [])]
    dist_props = [by_subject.get(d, {}) for d in distributions]

    def values(p: str, nodes=None):
        nodes = [props] if nodes is None else nodes
        return [o for n in nodes for o in n.get(p, [])]

    if isinstance(dataset, ox.NamedNode) and re.match(r"^https?://", dataset.value):
        links.add("kenmerken", KENMERK + "web-iri")
    # licence
    licences = [o for p in (SCHEMA + "license", DCT + "license", DCT + "rights") for o in values(p, [props, *dist_props])]
    if licences:
        links.add("kenmerken", KENMERK + "licentie")
    for lic in licences:
        text = lic.value
        if re.match(r"^https?://creativecommons\.org/(licenses|publicdomain)/", text):
            links.add("kenmerken", KENMERK + "open-licentie")
            links.add("dera_standaarden", DERA + "creative-commons")
        elif re.match(r"^https?://rightsstatements\.org/", text):
            links.add("dera_standaarden", DERA + "rightsstatements-org")
    # provenance
    publishers = [o for p in (SCHEMA + "publisher", DCT + "publisher") for o in props.get(p, [])]
    if any(isinstance(p, ox.NamedNode) for p in publishers) and \
            any(props.get(p) for p in (*_DATE_PREDICATES, SCHEMA + "creator", DCT + "creator")):
        links.add("kenmerken", KENMERK + "herkomst")
    # described
    names = [o for p in (SCHEMA + "name", DCT + "title") for o in props.get(p, [])]
    descriptions = [o for p in (SCHEMA + "description", DCT + "description") for o in props.get(p, [])]
    if names and descriptions and all(isinstance(o, ox.Literal) and o.language for o in names + descriptions):
        links.add("kenmerken", KENMERK + "beschreven")
    # the model of the description
    if SCHEMA + "Dataset" in types:
        links.add("standaarden", STANDAARD + "schema-org")
    if DCAT + "Dataset" in types:
        links.add("standaarden", STANDAARD + "dcat")
    # distributions
    rdf = sparql = False
    for d in dist_props:
        urls = [o for p in (SCHEMA + "contentUrl", DCAT + "accessURL", DCAT + "downloadURL") for o in d.get(p, [])]
        formats = [o.value for p in (SCHEMA + "encodingFormat", DCAT + "mediaType", DCT + "format", SCHEMA + "usageInfo",
                                     DCT + "conformsTo") for o in d.get(p, [])]
        if urls and formats:
            links.add("kenmerken", KENMERK + "distributie")
        if any(f.startswith(SPARQL_PROTOCOL) or "application/sparql-" in f for f in formats):
            sparql = True
        if any(RDF_MEDIA.match(f.rsplit("/", 1)[-1] if f.startswith("http://www.iana.org/assignments/media-types/")
                               else f) or f.startswith("https://www.iana.org/assignments/media-types/text/turtle")
               for f in formats):
            rdf = True
    if sparql:
        links.add("kenmerken", KENMERK + "sparql-endpoint")
        links.add("standaarden", STANDAARD + "sparql")
    if rdf or sparql:
        links.add("kenmerken", KENMERK + "linked-data")
        links.add("dera_standaarden", DERA + "rdf")
        links.add("dera_standaarden", DERA + "linked-data")
    # standards named
    named = [o for n in [props, *dist_props] for p, objs in n.items() if p in _STANDARD_PREDICATES for o in objs]
    for o in named:
        for key, (prefixes, pattern) in STANDARDS.items():
            if (isinstance(o, ox.NamedNode) and o.value.startswith(prefixes)) or \
                    (isinstance(o, ox.Literal) and re.search(pattern, o.value, re.IGNORECASE)):
                links.add("standaarden", STANDAARD + key)
    for o in named:  # DERA's own standards, named by IRI or by name
        text = o.value
        if re.search(r"\blinked[- ]data\b", text, re.I):
            links.add("dera_standaarden", DERA + "linked-data")
        if re.fullmatch(r"(https?://www\.w3\.org/(TR/rdf|1999/02/22-rdf-syntax-ns).*|rdf( 1\.[12])?)", text, re.I):
            links.add("dera_standaarden", DERA + "rdf")
        if re.search(r"creative ?commons", text, re.I):
            links.add("dera_standaarden", DERA + "creative-commons")
        if re.search(r"rightsstatements", text, re.I):
            links.add("dera_standaarden", DERA + "rightsstatements-org")
    if links.standaarden:
        links.add("kenmerken", KENMERK + "gangbaar-model")
    # terms from the Network of Terms
    terms = [o.value for p in _TERM_PREDICATES for o in props.get(p, []) if isinstance(o, ox.NamedNode)]
    for term in terms:
        matches = [(space, source) for source, space in uri_spaces if term.startswith(space)]
        if matches:
            longest = max(len(s) for s, _ in matches)
            for space, source in sorted(matches, key=lambda m: m[1]):
                if len(space) == longest:
                    links.add("termenbronnen", source)
    if links.termenbronnen:
        links.add("kenmerken", KENMERK + "termen")
    if valid:
        links.add("kenmerken", KENMERK + "geregistreerd")
    return links


# -- the store -------------------------------------------------------------------------------------
def _rows(store, sparql: str) -> list[dict]:
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def uri_spaces(store) -> list[tuple[str, str]]:
    """(source IRI, IRI space) of every Network of Terms source in the store."""
    rows = _rows(store, f"""SELECT ?source ?space WHERE {{
        ?source <http://rdfs.org/ns/void#uriSpace> ?space .
        FILTER(STRSTARTS(STR(?source), "{TERMEN}")) }}""")
    return [(r["source"].value, r["space"].value) for r in rows]


def _organisation_named_elsewhere(store, org: str, own_graph: str) -> bool:
    return bool(store.query(f"""ASK {{ GRAPH ?g {{ <{org}> <{SKOS}prefLabel> ?l FILTER(lang(?l) = "nl") }}
                                  FILTER(?g != <{own_graph}>) }}"""))


def _issued_before(store, graph: str) -> ox.Literal | None:
    rows = _rows(store, f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ <{graph}> <{DCT}issued> ?t }} }} LIMIT 1")
    return rows[0]["t"] if rows else None


def _name(triples: list[ox.Triple], node) -> str | None:
    names = [t.object for t in triples if t.subject == node and t.predicate.value in
             (SCHEMA + "name", FOAF + "name", DCT + "title", SKOS + "prefLabel") and isinstance(t.object, ox.Literal)]
    for lang in ("nl", "", "en"):
        for n in names:
            if (n.language or "") == lang:
                return n.value
    return names[0].value if names else None


@dataclass
class Registration:
    id: str
    graph: str
    report_graph: str
    dataset: str
    publisher: str
    organisation: str
    links: Links
    state: str
    replaced: bool


def register(store, outcome: Outcome, *, publisher: str, agent: str, source: str,
             authorize=None, now: dt.datetime | None = None) -> list[Registration]:
    """Write every dataset of a valid description into the store (one transaction).

    ``authorize(graph_iri)`` is called for every graph written before anything is written (the
    HTTP API passes a check of the token's grants); it raises to refuse."""
    from ..report import report_graph as shacl_report
    if outcome.state != "valid":
        raise InputError(f"{outcome.label}: the description is {outcome.state}, so it is not registered",
                         hint="fix the violations the report lists (stelsel datasets validate) and register again")
    desc = outcome.description
    if desc is None:
        raise InputError("nothing to register")
    check_publisher(publisher)
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    stamp = ox.Literal(now.isoformat().replace("+00:00", "Z"), datatype=N(XSD + "dateTime"))
    org = f"{ID}org/{publisher}"
    org_graph = f"{DATASETS_GRAPH}{publisher}/organisatie"
    agent_iri = f"{ID}partner/{slug(agent)}"
    spaces = uri_spaces(store)
    subjects = {t.subject for t in desc.triples}
    nodes = [s for s in subjects if _key(s) in outcome.datasets]
    if not nodes:
        raise InputError("the description has no dataset to register")
    blank = [n for n in nodes if isinstance(n, ox.BlankNode)]
    if blank:
        raise InputError("a dataset without an IRI (a blank node) cannot be registered", hint="give the dataset an IRI")
    plans = []
    for node in sorted(nodes, key=lambda n: n.value):
        g = graph_iri(publisher, node.value)
        if authorize is not None:
            authorize(g)
        plans.append((node, g))
    if authorize is not None:
        authorize(org_graph)
    parsed: list[ParsedFile] = []
    regs = []
    publisher_node = None
    for node, g in plans:
        G, R = N(g), N(g + "/rapport")
        part = dataset_triples(desc.triples, node)
        links = derive_links(desc.triples, node, True, spaces)
        tag = "b" + hashlib.sha256(g.encode("utf-8")).hexdigest()[:8]

        def own(term, tag=tag):  # blank nodes of one graph never meet those of another
            return ox.BlankNode(f"{tag}{term.value}") if isinstance(term, ox.BlankNode) else term

        quads = [ox.Quad(own(t.subject), t.predicate, own(t.object), G) for t in part]
        issued = _issued_before(store, g)

        def add(s, p, o, graph=G, out=quads):
            out.append(ox.Quad(s if not isinstance(s, str) else N(s), N(p), o if not isinstance(o, str) else N(o), graph))

        add(G, RDF + "type", DCAT + "CatalogRecord")
        add(G, RDFS + "label", ox.Literal(f"Registratie van {_name(desc.triples, node) or node.value}", language="nl"))
        add(G, FOAF + "primaryTopic", node)
        add(G, S + "eigenaar", org)
        add(G, DCT + "issued", issued if issued is not None else stamp)
        add(G, DCT + "modified", stamp)
        add(G, DCT + "source", N(source) if re.match(r"^https?://", source) else ox.Literal(source))
        act = N(g + "#registratie")
        add(G, PROV + "wasGeneratedBy", act)
        add(act, RDF + "type", PROV + "Activity")
        add(act, PROV + "wasAssociatedWith", agent_iri)
        add(act, PROV + "startedAtTime", stamp)
        add(agent_iri, RDF + "type", PROV + "Agent")
        add(agent_iri, RDFS + "label", ox.Literal(agent))
        add(agent_iri, PROV + "actedOnBehalfOf", org)
        add(node, S + "eigenaar", org)
        for k in links.kenmerken + links.standaarden:
            add(node, DCT + "conformsTo", k)
        for k in links.dera_standaarden:
            add(node, S + "pastStandaardToe", k)
        for k in links.termenbronnen:
            add(node, DCT + "references", k)
        parsed.append(ParsedFile(Path(g), quads))
        # the validation report, next to it
        rg = shacl_report(outcome.report)
        from rdflib import BNode, URIRef
        root, rq = BNode("report"), []
        for s, p, o in rg:
            s = URIRef(g + "/rapport") if s == root else s
            rq.append(_quad(s, p, o, R, tag + "r"))
        rq.append(ox.Quad(R, N(PROV + "wasDerivedFrom"), G, R))
        rq.append(ox.Quad(R, N(DCT + "created"), stamp, R))
        parsed.append(ParsedFile(Path(g + "/rapport"), rq))
        publisher_node = publisher_node or next((t.object for t in part if t.subject == node and t.predicate.value in
                                                 (SCHEMA + "publisher", DCT + "publisher")), None)
        regs.append(Registration(id=g[len(DATASETS_GRAPH):], graph=g, report_graph=g + "/rapport", dataset=node.value,
                                 publisher=publisher, organisation=org, links=links, state=outcome.state,
                                 replaced=issued is not None))
    if not _organisation_named_elsewhere(store, org, org_graph):
        name = (_name(desc.triples, publisher_node) if publisher_node is not None else None) or publisher
        oq = [ox.Quad(N(org), N(RDF + "type"), N(S + "Organisatie"), N(org_graph)),
              ox.Quad(N(org), N(SKOS + "prefLabel"), ox.Literal(name, language="nl"), N(org_graph))]
        if isinstance(publisher_node, ox.NamedNode):
            oq.append(ox.Quad(N(org), N(RDFS + "seeAlso"), publisher_node, N(org_graph)))
        parsed.append(ParsedFile(Path(org_graph), oq))
    store.replace_graphs(parsed)
    return regs


def _quad(s, p, o, graph, tag: str) -> ox.Quad:
    from rdflib import BNode, Literal

    def conv(t):
        if isinstance(t, BNode):
            return ox.BlankNode(f"{tag}{t}")
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None:
                return ox.Literal(str(t), datatype=N(str(t.datatype)))
            return ox.Literal(str(t))
        return N(str(t))
    return ox.Quad(conv(s), conv(p), conv(o), graph)


def unregister(store, ident: str) -> str:
    """Remove a registration (its graph and report); the id or the graph IRI. Returns the graph."""
    g = _split_id(ident)
    if not bool(store.query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")):
        raise NotFound(f"there is no registered dataset {g[len(DATASETS_GRAPH):]}", hint="GET /datasets lists them")
    store.update(f"DROP SILENT GRAPH <{g}> ; DROP SILENT GRAPH <{g}/rapport>")
    return g


def owner_of(store, ident: str) -> tuple[str, str]:
    """(graph IRI, publisher slug) of a registration, or NotFound."""
    g = _split_id(ident)
    if not bool(store.query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")):
        raise NotFound(f"there is no registered dataset {g[len(DATASETS_GRAPH):]}", hint="GET /datasets lists them")
    return g, g[len(DATASETS_GRAPH):].split("/")[0]


_LIST = f"""PREFIX dcat: <{DCAT}> PREFIX foaf: <{FOAF}> PREFIX dct: <{DCT}> PREFIX sh: <{SH}>
PREFIX skos: <{SKOS}> PREFIX stelsel: <{S}> PREFIX schema: <{SCHEMA}>
SELECT ?g ?dataset ?org ?orgName ?issued ?modified ?conforms ?name
       (SUM(IF(BOUND(?sev) && ?sev = sh:Violation, 1, 0)) AS ?violations) (SUM(IF(BOUND(?sev) && ?sev = sh:Warning, 1, 0)) AS ?warnings)
       (SUM(IF(BOUND(?sev) && ?sev = sh:Info, 1, 0)) AS ?infos)
WHERE {{
  GRAPH ?g {{ ?g a dcat:CatalogRecord ; foaf:primaryTopic ?dataset ; stelsel:eigenaar ?org ; dct:issued ?issued .
             OPTIONAL {{ ?g dct:modified ?modified }}
             OPTIONAL {{ ?dataset schema:name|dct:title ?name }} }}
  FILTER(STRSTARTS(STR(?g), "{DATASETS_GRAPH}"))
  BIND(IRI(CONCAT(STR(?g), "/rapport")) AS ?r)
  OPTIONAL {{ GRAPH ?r {{ ?r sh:conforms ?conforms . OPTIONAL {{ ?r sh:result ?res . ?res sh:resultSeverity ?sev }} }} }}
  OPTIONAL {{ ?org skos:prefLabel ?orgName FILTER(lang(?orgName) = "nl") }}
}}
GROUP BY ?g ?dataset ?org ?orgName ?issued ?modified ?conforms ?name
ORDER BY ?g"""


def registrations(store, publisher: str | None = None, status: str | None = None) -> list[dict]:
    """Every registration, as plain dicts (id, dataset, name, publisher, organisation, status,
    counts, issued, modified), optionally of one publisher and/or with one status."""
    if publisher is not None:
        check_publisher(publisher)
    if status is not None and status not in ("valid", "invalid"):
        raise InputError(f"unknown status '{status}'", hint="use valid or invalid")
    rows: dict[str, dict] = {}
    for r in _rows(store, _LIST):
        g = r["g"].value
        ident = g[len(DATASETS_GRAPH):]
        pub = ident.split("/")[0]
        if "/" not in ident or ident.count("/") != 1:
            continue
        row = rows.get(ident)
        if row is None:
            conforms = r["conforms"]
            row = rows[ident] = {
                "id": ident, "graph": g, "dataset": r["dataset"].value, "names": {},
                "publisher": pub, "organisation": r["org"].value,
                "organisation_name": r["orgName"].value if r["orgName"] is not None else pub,
                "status": "valid" if conforms is not None and conforms.value == "true" else "invalid",
                "counts": {k: int(r[v].value) if r[v] is not None else 0
                           for k, v in (("Violation", "violations"), ("Warning", "warnings"), ("Info", "infos"))},
                "issued": r["issued"].value, "modified": r["modified"].value if r["modified"] is not None else None}
        if r["name"] is not None:
            row["names"].setdefault(r["name"].language or "", r["name"].value)
    out = []
    for row in rows.values():
        names = row.pop("names")
        row["name"] = names.get("nl") or names.get("") or names.get("en") or next(iter(names.values()), row["dataset"])
        row["names"] = names
        if (publisher is None or row["publisher"] == publisher) and (status is None or row["status"] == status):
            out.append(row)
    return out


def registration(store, ident: str) -> dict:
    """One registration with its links and findings."""
    g, _ = owner_of(store, ident)
    row = next((r for r in registrations(store) if r["graph"] == g), None)
    if row is None:
        raise NotFound(f"there is no registered dataset {ident}")
    links = _rows(store, f"""SELECT ?p ?o WHERE {{ GRAPH <{g}> {{ <{row['dataset']}> ?p ?o }}
        FILTER(?p IN (<{DCT}conformsTo>, <{S}pastStandaardToe>, <{DCT}references>)) }}""")
    row["links"] = {
        "kenmerken": sorted(r["o"].value for r in links if r["o"].value.startswith(KENMERK)),
        "standaarden": sorted(r["o"].value for r in links if r["o"].value.startswith(STANDAARD)),
        "dera_standaarden": sorted(r["o"].value for r in links if r["p"].value == S + "pastStandaardToe"),
        "termenbronnen": sorted(r["o"].value for r in links if r["p"].value == DCT + "references"),
    }
    prov = _rows(store, f"""SELECT ?source ?agent ?agentLabel ?when WHERE {{ GRAPH <{g}> {{
        <{g}> <{PROV}wasGeneratedBy> ?act . OPTIONAL {{ <{g}> <{DCT}source> ?source }}
        ?act <{PROV}wasAssociatedWith> ?agent ; <{PROV}startedAtTime> ?when .
        OPTIONAL {{ ?agent <{RDFS}label> ?agentLabel }} }} }} LIMIT 1""")
    if prov:
        p = prov[0]
        row["provenance"] = {"source": p["source"].value if p["source"] is not None else None,
                             "agent": p["agentLabel"].value if p["agentLabel"] is not None else p["agent"].value,
                             "registered": p["when"].value}
    findings = _rows(store, f"""PREFIX sh: <{SH}> SELECT ?sev ?focus ?path ?value ?msg ?shape WHERE {{
        GRAPH <{g}/rapport> {{ ?rep sh:result ?r . ?r sh:resultSeverity ?sev ; sh:focusNode ?focus .
        OPTIONAL {{ ?r sh:resultPath ?path }} OPTIONAL {{ ?r sh:value ?value }} OPTIONAL {{ ?r sh:sourceShape ?shape }}
        OPTIONAL {{ ?r sh:resultMessage ?msg }} }} }}""")
    grouped: dict = {}
    for f in findings:
        key = (f["sev"].value, _key(f["focus"]), f["path"].value if f["path"] is not None else None,
               str(f["value"]) if f["value"] is not None else None,
               _key(f["shape"]) if f["shape"] is not None else None)
        entry = grouped.setdefault(key, {"severity": f["sev"].value.rsplit("#", 1)[-1], "focus_node": key[1],
                                         "path": key[2], "value": f["value"].value if f["value"] is not None else None,
                                         "messages": {}})
        if f["msg"] is not None:
            entry["messages"][f["msg"].language or ""] = f["msg"].value
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    row["findings"] = sorted(grouped.values(), key=lambda e: (order.get(e["severity"], 3), e["path"] or "", e["focus_node"]))
    return row
