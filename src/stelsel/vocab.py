"""Namespaces of the stelsel vocabulary and the vocabularies it reuses (see docs/vocabulary.md)."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/stelsel/"

STELSEL = Namespace(DEFAULT_BASE + "def#")
ID = Namespace(DEFAULT_BASE + "id/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "stelsel": STELSEL,
    "id": ID,
    "graph": GRAPH,
    "skos": SKOS,
    "dct": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "dcat": DCAT,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "semapv": SEMAPV,
    "sh": SH,
}

__all__ = [
    "DEFAULT_BASE", "STELSEL", "ID", "GRAPH", "SEMAPV", "SH", "PREFIXES",
    "DCAT", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
]
