"""Reading dataset descriptions: files, folders and request bodies, safely and offline.

    desc = read_file("dataset.jsonld")               # -> Description (triples, datasets, notes)
    desc = read_bytes(body, "application/ld+json")  # the HTTP API: by media type
    files = expand(["examples/", "one.ttl"])        # folders are searched for description files

What a description becomes, before any shape sees it (the NDE Dataset Register does the same):

- **Schema.org over http.** Every IRI and datatype IRI under ``http://schema.org/`` is rewritten
  to ``https://schema.org/`` (the register rewrites before validating).
- **JSON-LD is read offline.** The schema.org context (``"@context": "https://schema.org/"`` and
  its spellings) is replaced by the term definitions shipped with stelsel
  (``schemaorg-context.jsonld``); a document naming any *other* remote context (a URL, a relative
  reference or ``@import``) is refused with an :class:`InputError` (HTTP 400). Nothing is ever
  fetched: no document loader is reachable, because no context is left to load.
- **No base.** A description has no trusted base IRI. Relative IRIs resolve against the neutral
  ``file:///relatief/`` (never an http IRI, so they fail the rule that datasets have web IRIs); in
  JSON-LD, where the specification drops nodes whose ``@id`` is not an absolute IRI, their
  statements are dropped (and a note says how many).
- **The input gate first** (:mod:`stelsel.inputs`): a leading BOM is dropped; RDF/XML with
  ``<!DOCTYPE`` or ``<!ENTITY`` and JSON nested too deeply are refused.
- TriG and N-Quads are accepted; their named graphs are merged (a description is one graph).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .. import inputs as gate
from ..errors import InputError, Position

__all__ = [
    "BASE",
    "DATASET_CLASSES",
    "MEDIA_TYPES",
    "SCHEMA",
    "SCHEMA_HTTP",
    "SUFFIXES",
    "Description",
    "UnsupportedFormat",
    "expand",
    "format_for_media_type",
    "read_bytes",
    "read_file",
]

SCHEMA_HTTP = "http://schema.org/"
SCHEMA = "https://schema.org/"
DCAT = "http://www.w3.org/ns/dcat#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET_CLASSES = (SCHEMA + "Dataset", DCAT + "Dataset")
#: the neutral base for relative IRIs: not http(s), so such IRIs never pass for web IRIs
BASE = "file:///relatief/"

SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".jsonld": "jsonld",
            ".json": "jsonld", ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml"}
MEDIA_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
               "application/ld+json": "jsonld", "application/json": "jsonld", "application/rdf+xml": "rdfxml",
               "application/trig": "trig", "application/n-quads": "nquads"}
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
NAMES = {"turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD",
         "rdfxml": "RDF/XML"}

#: the ways documents name the schema.org context (all mean the same published context)
SCHEMA_CONTEXTS = {f"{scheme}://schema.org{path}" for scheme in ("http", "https")
                   for path in ("", "/", "/docs/jsonldcontext.jsonld", "/docs/jsonldcontext.json")}


class UnsupportedFormat(InputError):
    """A body or file in a syntax stelsel does not read (HTTP 415)."""

    http_status = 415


@dataclass
class Description:
    """One dataset description, parsed and normalised: its triples, ready for the shapes."""

    label: str                              # the path as given, or a name for a request body
    format: str                             # turtle | ntriples | nquads | trig | jsonld | rdfxml
    text: str                               # the document as read (for positions and the register)
    triples: list[ox.Triple] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    path: Path | None = None
    changed: bool = False                   # the triples differ from a plain parse of the file

    @property
    def datasets(self) -> list[str]:
        """Subjects typed schema:Dataset or dcat:Dataset (IRIs bare, blank nodes ``_:id``)."""
        out: list[str] = []
        for t in self.triples:
            if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode) \
                    and t.object.value in DATASET_CLASSES:
                key = ("_:" + t.subject.value) if isinstance(t.subject, ox.BlankNode) else t.subject.value
                if key not in out:
                    out.append(key)
        return out

    def ntriples(self) -> bytes:
        return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b""


# -- the schema.org context, shipped ---------------------------------------------------------------
@lru_cache(maxsize=1)
def schemaorg_context() -> dict:
    """The term definitions stelsel ships in place of the remote schema.org context."""
    path = Path(__file__).with_name("schemaorg-context.jsonld")
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _contexts(node, where: str = "") -> object:
    """``node`` with every schema.org context replaced by the shipped one; any other remote
    context raises :class:`InputError`."""
    if isinstance(node, list):
        return [_contexts(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _context_value(value)
        else:
            out[key] = _contexts(value, where)
    return out


def _context_value(value):
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() in SCHEMA_CONTEXTS:
            return schemaorg_context()
        raise InputError(f"the JSON-LD document uses the remote context '{value}', which stelsel does not fetch",
                         hint="use the schema.org context (\"@context\": \"https://schema.org/\") or put the term "
                              "definitions in the document itself; no remote context is ever loaded")
    if isinstance(value, list):
        return [_context_value(v) for v in value]
    if isinstance(value, dict):
        if "@import" in value:
            raise InputError(f"the JSON-LD context imports '{value['@import']}' (@import), which stelsel does not fetch",
                             hint="put the imported term definitions in the document itself")
        out = {}
        for term, definition in value.items():
            if isinstance(definition, dict) and "@context" in definition:  # a scoped context
                definition = {**definition, "@context": _context_value(definition["@context"])}
            out[term] = definition
        return out
    raise InputError("the JSON-LD @context is neither a URL, an object nor a list",
                     hint="see https://www.w3.org/TR/json-ld11/#the-context")


# -- terms ------------------------------------------------------------------------------------------
def _schema_https(iri: str) -> str:
    return SCHEMA + iri[len(SCHEMA_HTTP):] if iri.startswith(SCHEMA_HTTP) else iri


class _Normaliser:
    """http://schema.org/ -> https://schema.org/ in IRIs and datatypes, counting the rewrites."""

    def __init__(self):
        self.rewritten = 0
        self.cache: dict = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.cache.get(value)
        if node is None:
            fixed = _schema_https(value)
            node = self.cache[value] = ox.NamedNode(fixed)
        if node.value != value:
            self.rewritten += 1
        return node

    def term(self, term):
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value) if term.value.startswith(SCHEMA_HTTP) else term
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(SCHEMA_HTTP):
            self.rewritten += 1
            return ox.Literal(term.value, datatype=ox.NamedNode(_schema_https(term.datatype.value)))
        return term


# -- reading -----------------------------------------------------------------------------------------
def format_for_media_type(media_type: str | None) -> str:
    kind = (media_type or "").split(";")[0].strip().lower()
    if kind not in MEDIA_TYPES:
        raise UnsupportedFormat(f"cannot read a dataset description of type '{kind or 'none'}'",
                                hint="send one of: " + ", ".join(sorted(MEDIA_TYPES)))
    return MEDIA_TYPES[kind]


def format_for_path(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(f"{path}: cannot tell the syntax of a description from the suffix '{path.suffix}'",
                                hint="name the file .jsonld, .ttl, .nt or .rdf (also .json, .trig, .nq, .xml)")
    return fmt


def read_file(path: str | Path, label: str | None = None) -> Description:
    path = Path(path)
    fmt = format_for_path(path)
    desc = read_bytes(gate.read_file(path, what="description file"), fmt, label=label or str(path))
    desc.path = path
    return desc


def read_bytes(data: bytes, fmt: str, label: str = "<invoer>") -> Description:
    """Parse one description in ``fmt`` (a key of :data:`NAMES`, or a media type), after the input
    gate (:func:`stelsel.inputs.check_rdf`: BOM, DOCTYPE/ENTITY, JSON nesting)."""
    if fmt not in NAMES:
        fmt = format_for_media_type(fmt)
    data = gate.check_rdf(data, _OX_FORMATS[fmt], label, max_bytes=None)
    text = gate.decode_text(data, label)
    desc = Description(label=label, format=fmt, text=text)
    normaliser = _Normaliser()
    if fmt == "jsonld":
        triples, dropped = _jsonld(text, label, normaliser)
        desc.changed = True
        if dropped:
            desc.notes.append(f"{dropped} statement(s) dropped: they use a relative IRI, which JSON-LD does not "
                              "turn into RDF without a base")
    else:
        triples = _oxigraph(data, fmt, label, normaliser)
    desc.triples = triples
    if normaliser.rewritten:
        desc.changed = True
        desc.notes.append(f"{normaliser.rewritten} http://schema.org/ IRI(s) read as https://schema.org/")
    return desc


def _oxigraph(data: bytes, fmt: str, label: str, normaliser: _Normaliser) -> list[ox.Triple]:
    term = normaliser.term
    parsed = gate.parse_rdf(data, _OX_FORMATS[fmt], label, base_iri=BASE,
                            hint="fix the description at that position; nothing was validated")
    return [ox.Triple(term(q.subject), term(q.predicate), term(q.object)) for q in parsed.quads]


def _jsonld(text: str, label: str, normaliser: _Normaliser) -> tuple[list[ox.Triple], int]:
    from rdflib import BNode, Graph, Literal, URIRef
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", hint="fix the description at that position",
                         position=Position(label, exc.lineno, exc.colno)) from None
    doc = _contexts(doc)
    graph = Graph()
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=json.dumps(doc), format="json-ld", base=BASE)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds for malformed JSON-LD
        raise InputError(f"{label}: not valid JSON-LD: {exc}",
                         hint="check the document against https://www.w3.org/TR/json-ld11/") from None
    out: list[ox.Triple] = []
    dropped = 0
    blanks: dict[str, ox.BlankNode] = {}

    def conv(t):
        if isinstance(t, URIRef):
            value = str(t)
            if value.startswith(BASE) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
                return None
            try:
                return normaliser.iri(value)
            except ValueError:
                return None
        if isinstance(t, BNode):
            node = blanks.get(str(t))
            if node is None:
                node = blanks[str(t)] = ox.BlankNode(f"j{len(blanks) + 1}")
            return node
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None:
                dt = normaliser.iri(str(t.datatype))
                return ox.Literal(str(t), datatype=dt)
            return ox.Literal(str(t))
        return None

    for s, p, o in graph:
        terms = (conv(s), conv(p), conv(o))
        if any(x is None for x in terms):
            dropped += 1
            continue
        out.append(ox.Triple(*terms))
    return out, dropped


# -- many files ---------------------------------------------------------------------------------------
def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the description files below folders named (recursively, hidden ones
    skipped), in a stable order, each once; a folder without any is an InputError."""
    return gate.expand(paths, suffixes=SUFFIXES, what="dataset description")
