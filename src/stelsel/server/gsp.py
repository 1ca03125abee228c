"""/data: the SPARQL 1.1 Graph Store HTTP Protocol, graphs named indirectly (``?graph=IRI``).

``GET``/``HEAD`` are open to everyone (``?default`` is the default graph: the union of the named
graphs unless ``union_default_graph`` is off). ``PUT`` (replace), ``POST`` (merge) and
``DELETE`` need a bearer token granted that graph (see :mod:`.auth`); the default graph only with a
token granted ``*``. Bodies: Turtle, N-Triples, JSON-LD or RDF/XML, at most ``max_request_bytes``.
``PUT /data`` with a TriG or N-Quads body and no ``graph`` replaces the whole dataset (``*``);
``POST`` of one adds its quads (every graph in it granted).
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from ..config import check_graph_pattern
from ..errors import ConfigError, QueryError, StelselError
from ..inputs import parse_rdf
from ..sources import RdfFile
from ..store import load_files
from ..writes import DEFAULT_KEY, lock_for
from .auth import Forbidden, authenticate, authorize
from .sparql import CANONICAL, GRAPH_TYPES, UnsupportedMediaType, _choose, _content_type

bp = Blueprint("gsp", __name__)

BODY_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
              "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD,
              "application/rdf+xml": ox.RdfFormat.RDF_XML}
DATASET_TYPES = {"application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS}
SERIALISE = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
             "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


class NotFound(StelselError):
    http_status = 404


def _target() -> str | None:
    """The graph IRI, or None for ``?default``."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if not graphs and not default and request.method in ("PUT", "POST") and \
            (request.mimetype or "").lower() in DATASET_TYPES:
        return DATASET
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


DATASET = "*"    # PUT/POST /data with a TriG or N-Quads body and no graph: the whole dataset


def _exists(store, iri: str | None) -> bool:
    if iri is None:
        return bool(store.query("ASK { ?s ?p ?o }", union_default=False))
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
    if iri == DATASET:
        return _write_dataset(store, grant)
    authorize(grant, [iri if iri is not None else DEFAULT_KEY], f"{request.method} /data")
    with lock_for(store):
        existed = _exists(store, iri)
        where = f"GRAPH <{iri}>" if iri is not None else "DEFAULT"
        if request.method == "DELETE":
            if not existed:
                raise NotFound(f"there is no graph <{iri}>" if iri is not None else "the default graph is empty")
            store.update(f"DROP {where}")
            return Response(status=204)
        body = _body(iri)
        if request.method == "PUT" and iri is not None:  # all or nothing; large bodies bulk loaded
            load_files(store, [body])
            return Response(status=204 if existed else 201)
        triples = [ox.Triple(q.subject, q.predicate, q.object)   # one graph: the triples, wherever the body put them
                   for q in parse_rdf(body.read(), body.fmt, body.label, base_iri=body.base_iri).quads]
        if request.method == "PUT" or triples:
            drop = f"DROP SILENT {where} ;\n" if request.method == "PUT" else ""
            nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""
            block = nt if iri is None else f"GRAPH <{iri}> {{\n{nt}\n}}"
            store.update(f"{drop}INSERT DATA {{ {block} }}")
    return Response(status=204 if existed else 201)


def _write_dataset(store, grant) -> Response:
    """PUT replaces the whole dataset (a token granted ``*``); POST adds quads to the graphs
    they name (each granted; the default graph only with ``*``)."""
    kind = (request.mimetype or "").lower()
    body = RdfFile(f"<body of {request.method} /data>", DATASET_TYPES[kind], None, data=request.get_data())
    quads = parse_rdf(body.read(), body.fmt, body.label,      # through the input gate, like one graph
                      hint="fix the data at that position; nothing was written").quads
    touched = {q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else DEFAULT_KEY for q in quads}
    if request.method == "PUT" and "*" not in grant.graphs:
        raise Forbidden(f"token '{grant.name}' may not replace the whole dataset: that needs a token granted '*'",
                        hint="PUT one graph at a time: /data?graph=IRI")
    authorize(grant, touched, f"{request.method} /data")
    blocks = _quads_as_sparql(quads)
    with lock_for(store):
        drop = "DROP SILENT ALL ;\n" if request.method == "PUT" else ""
        if blocks or drop:
            store.update(f"{drop}INSERT DATA {{\n{blocks}\n}}" if blocks else drop.rstrip(" ;\n"))
    return Response(status=204)


def _quads_as_sparql(quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else DEFAULT_KEY
        by_graph.setdefault(key, []).append(ox.Triple(q.subject, q.predicate, q.object))
    out = []
    for key, triples in by_graph.items():
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        out.append(nt if key == DEFAULT_KEY else f"GRAPH <{key}> {{\n{nt}\n}}")
    return "\n".join(out)


def _body(iri: str | None) -> RdfFile:
    """The request body as an input for the graph ``iri`` (through the input gate when read)."""
    kind = (request.mimetype or "").lower()
    if kind not in BODY_TYPES:
        raise UnsupportedMediaType(f"cannot read a graph of type '{kind or 'none'}'",
                                   hint="send one of: " + ", ".join(BODY_TYPES))
    body = request.get_data()  # werkzeug answers 413 beyond max_request_bytes before this
    return RdfFile(f"<body of {request.method} {iri}>", BODY_TYPES[kind], iri, base_iri=iri, data=body)
