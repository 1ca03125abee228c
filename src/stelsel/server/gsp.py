"""/data: the SPARQL 1.1 Graph Store HTTP Protocol, graphs named indirectly (``?graph=IRI``).

``GET``/``HEAD`` are open to everyone (``?default`` is the default graph: the union of the named
graphs unless ``union_default_graph`` is off). ``PUT`` (replace), ``POST`` (merge) and
``DELETE`` need a bearer token granted that graph (see :mod:`.auth`); the default graph cannot
be written. Bodies: Turtle, N-Triples, JSON-LD or RDF/XML, at most ``max_request_bytes``.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from ..config import check_graph_pattern
from ..errors import ConfigError, QueryError, StelselError
from ..sources import RdfFile
from ..store import load_files
from ..sparql_text import WriteTarget
from .auth import authenticate, authorize
from .sparql import CANONICAL, GRAPH_TYPES, UnsupportedMediaType, _choose, _content_type

bp = Blueprint("gsp", __name__)

BODY_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/rdf+xml": ox.RdfFormat.RDF_XML}
SERIALISE = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
             "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


class NotFound(StelselError):
    http_status = 404


def _target() -> str | None:
    """The graph IRI, or None for ``?default``."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) + default != 1:
        raise QueryError("name one graph: ?graph=IRI or ?default", hint="for example /data?graph=https://w3id.org/stelsel/graph/nora")
    if default:
        return None
    if "*" in graphs[0]:
        raise QueryError("a graph IRI cannot contain '*'", hint="name one graph by its full IRI")
    try:
        return check_graph_pattern(graphs[0], "graph")
    except ConfigError as exc:
        raise QueryError(exc.message, hint="give the graph's full IRI") from None


def _exists(store, iri: str) -> bool:
    return bool(store.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))


@bp.route("/data", methods=["GET", "PUT", "POST", "DELETE"])
def data():
    iri = _target()
    if request.method in ("GET", "HEAD"):
        return _get(iri)
    return _write(iri)


def _get(iri: str | None) -> Response:
    config = current_app.config["STELSEL"]
    store = current_app.extensions["stelsel.store"]
    media, fmt = _choose(GRAPH_TYPES)
    media = CANONICAL[fmt]
    etag = hashlib.sha256("\0".join([store.version(), iri or "", media]).encode("utf-8")).hexdigest()[:32]
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Accept"}
    if iri is not None and not _exists(store, iri):
        raise NotFound(f"there is no graph <{iri}>", hint="GET /sparql lists the graphs in its service description")
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    if iri is None:
        sparql, kwargs = "CONSTRUCT WHERE { ?s ?p ?o }", {"union_default": config.union_default_graph}
    else:
        sparql, kwargs = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", {}
    triples = store.query(sparql, **kwargs)
    prefixes = current_app.extensions["stelsel.executor"].prefixes
    if fmt in ("trig", "nquads"):
        name = ox.NamedNode(iri) if iri is not None else ox.DefaultGraph()
        body = ox.serialize((ox.Quad(t.subject, t.predicate, t.object, name) for t in triples),
                            format=SERIALISE[fmt], prefixes=prefixes if fmt == "trig" else None)
    else:
        body = ox.serialize(triples, format=SERIALISE[fmt], prefixes=prefixes if fmt == "turtle" else None)
    return Response(body or b"", content_type=_content_type(media), headers=headers)


def _write(iri: str | None) -> Response:
    config = current_app.config["STELSEL"]
    store = current_app.extensions["stelsel.store"]
    grant = authenticate(request, config)
    operation = {"PUT": "PUT", "POST": "POST", "DELETE": "DELETE"}[request.method]
    authorize(grant, [WriteTarget(operation, iri if iri is not None else "DEFAULT")])
    existed = _exists(store, iri)
    if request.method == "DELETE":
        if not existed:
            raise NotFound(f"there is no graph <{iri}>")
        store.update(f"DROP GRAPH <{iri}>")
        return Response(status=204)
    body = _body(iri)
    if request.method == "PUT":  # large bodies are bulk loaded (stelsel.store.load_files)
        load_files(store, [body])
    else:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in body.parse().quads]
        if triples:
            nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            store.update(f"INSERT DATA {{ GRAPH <{iri}> {{\n{nt}\n}} }}")
    return Response(status=204 if existed else 201)


def _body(iri: str) -> RdfFile:
    """The request body as an input for the graph ``iri`` (through the input gate when read)."""
    kind = (request.mimetype or "").lower()
    if kind not in BODY_TYPES:
        raise UnsupportedMediaType(f"cannot read a graph of type '{kind or 'none'}'",
                                   hint="send one of: " + ", ".join(BODY_TYPES))
    body = request.get_data()  # werkzeug answers 413 beyond max_request_bytes before this
    return RdfFile(f"<body of {request.method} {iri}>", BODY_TYPES[kind], iri, base_iri=iri, data=body)
