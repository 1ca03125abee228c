"""/sparql: the SPARQL 1.1 Protocol (query and update), by the spec, safe by default.

Queries: ``GET ?query=``, ``POST`` form-encoded, ``POST application/sparql-query``; repeatable
``default-graph-uri`` / ``named-graph-uri``; answers chosen by ``Accept``. They run in the
executor's worker processes under a time limit (``timeout`` may lower it) and a row limit (a
cut answer has the header ``Stelsel-Truncated: true``: the result formats have no place for it).
``SERVICE`` and ``FROM``/``FROM NAMED`` or dataset parameters naming graphs this store does not
hold are refused: the server never fetches data from elsewhere.

Updates (``POST application/sparql-update`` or form ``update=``) need a bearer token granted
every graph the update *changes*: it is tried on a worker's copy first, under the time limit and
unable to open a connection, and only the changes it made there are written (:mod:`stelsel.writes`).
The default graph needs a token granted ``*``; SERVICE and LOAD are refused.

Answers carry an ``ETag`` (store version, query, dataset, media type, row limit) and
``Cache-Control: no-cache``; ``If-None-Match`` gets ``304``. Rendered answers are also kept in a
small in-memory LRU under the same key.
"""

from __future__ import annotations

import hashlib
import html
import logging

import rdflib
from flask import Blueprint, Response, current_app, g, jsonify, request
from rdflib.namespace import RDF

from ..errors import QueryError, StelselError
from ..executor import QUADS, TABULAR, TRIPLES, Answer, QueryOptions, WorkerFault
from ..inputs import check_query
from ..sparql_text import QuerySyntaxError, RefusedQuery, inspect_query, tokens
from ..writes import Changes, commit, label, lock_for
from .auth import Forbidden, authenticate, authorize

bp = Blueprint("sparql", __name__)
write_log = logging.getLogger("stelsel.write")

# media type -> format name; the first of each is the default. Answers use the canonical type.
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "ntriples",
               "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
               "application/trig": "trig", "application/n-quads": "nquads"}
CANONICAL = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
             "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
             "ntriples": "application/n-triples", "jsonld": "application/ld+json",
             "rdfxml": "application/rdf+xml", "trig": "application/trig", "nquads": "application/n-quads"}
DESCRIPTION_TYPES = {"text/turtle": "turtle", "text/html": "html", "application/xhtml+xml": "html",
                     "application/n-triples": "nt", "application/ld+json": "json-ld",
                     "application/rdf+xml": "xml"}
TEXTUAL = ("text/", "application/sparql-results", "application/json", "application/ld+json",
           "application/n-triples", "application/trig", "application/n-quads")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FMT = rdflib.Namespace("http://www.w3.org/ns/formats/")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


class NotAcceptable(StelselError):
    http_status = 406


class UnsupportedMediaType(StelselError):
    http_status = 415


# -- reading the request ------------------------------------------------------------------------
def request_text() -> str:
    """The request body as text, in its declared charset (UTF-8 unless said otherwise)."""
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return request.get_data().decode(charset)
    except LookupError:
        raise UnsupportedMediaType(f"unknown charset '{charset}'", hint="send UTF-8") from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"the request body is not valid {charset} (byte {exc.start})", hint="send UTF-8") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryError(f"the request has {len(values)} '{name}' parameters", hint=f"send exactly one {name}")
    return values[0] if values else None


def _operation() -> tuple[str | None, str | None]:
    """("query" | "update" | None, text) from the request, by the protocol's three ways."""
    queries = request.args.getlist("query")
    updates = request.args.getlist("update")
    if request.method in ("GET", "HEAD"):
        if updates:
            raise QueryError("an update cannot be sent with GET", hint="POST it as application/sparql-update")
    else:
        kind = (request.mimetype or "").lower()
        if kind == "application/x-www-form-urlencoded":
            queries += request.form.getlist("query")
            updates += request.form.getlist("update")
        elif kind == "application/sparql-query":
            if queries or updates:
                raise QueryError("a query in the body and a query/update parameter: which one?",
                                 hint="send the query only once")
            queries = [request_text()]
        elif kind == "application/sparql-update":
            if queries or updates:
                raise QueryError("an update in the body and a query/update parameter: which one?",
                                 hint="send the update only once")
            updates = [request_text()]
        elif not kind and not request.get_data():
            pass  # an empty POST: no query (400 below)
        else:
            raise UnsupportedMediaType(f"cannot read a request body of type '{kind or 'none'}'",
                                       hint="send application/sparql-query, application/sparql-update "
                                            "or a form (application/x-www-form-urlencoded)")
    if queries and updates:
        raise QueryError("the request has both a query and an update", hint="send them as separate requests")
    if updates:
        return "update", check_query(_one(updates, "update"), what="update")
    if queries:
        return "query", check_query(_one(queries, "query"))
    return None, None


def _choose(offered: dict[str, str]) -> tuple[str, str]:
    """(media type, format) to answer in: the client's best match, the first when it says nothing."""
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        best = next(iter(offered))
    else:
        best = request.accept_mimetypes.best_match(list(offered))
        if best is None:
            raise NotAcceptable("cannot answer in any of the types you accept",
                                hint="accept one of: " + ", ".join(offered))
    return best, offered[best]


def _timeout(config) -> float:
    limit = min(config.query_timeout, config.max_query_timeout)
    raw = _one(request.values.getlist("timeout"), "timeout")
    if raw is None or raw == "":
        return limit
    try:
        asked = float(raw)
    except ValueError:
        asked = float("nan")
    if not asked > 0:
        raise QueryError(f"timeout must be a number of seconds above 0, not {raw!r}",
                         hint=f"for example timeout=5 (at most {limit:g})")
    return min(asked, limit)


def local_graphs() -> set[str]:
    """The named graphs of the store, remembered per store version."""
    store = current_app.extensions["stelsel.store"]
    version = store.version()
    cached = current_app.extensions.get("stelsel.graphs")
    if cached is None or cached[0] != version:
        cached = (version, {info.iri for info in store.graphs()})
        current_app.extensions["stelsel.graphs"] = cached
    return cached[1]


def _dataset(shape, config) -> QueryOptions:
    default = request.values.getlist("default-graph-uri")
    named = request.values.getlist("named-graph-uri")
    asked = [("default-graph-uri", i) for i in default] + [("named-graph-uri", i) for i in named]
    asked += [("FROM", i) for i in shape.from_graphs] + [("FROM NAMED", i) for i in shape.from_named]
    if asked:
        known = local_graphs()
        for where, iri in asked:
            if iri not in known:
                raise RefusedQuery(f"{where} <{iri}> is not a graph in this store; this endpoint does not "
                                   "fetch data from elsewhere",
                                   hint="the graphs are listed by: SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    if default or named:   # the protocol's dataset replaces the query's, and the union
        return QueryOptions(union_default=False, default_graph=tuple(default), named_graphs=tuple(named))
    if shape.has_dataset:  # the query's own FROM / FROM NAMED, passed on as the dataset: the
        # engines' union-default switch would otherwise override it (pyoxigraph and oxigraph serve do)
        return QueryOptions(union_default=False, default_graph=tuple(shape.from_graphs),
                            named_graphs=tuple(shape.from_named))
    return QueryOptions(union_default=config.union_default_graph)


def _content_type(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith(TEXTUAL) else "")


# -- the endpoint -----------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    config = current_app.config["STELSEL"]
    kind, text = _operation()
    g.stelsel_query = text
    if kind == "update":
        return _update(text, config)
    if not text:
        if request.method in ("GET", "HEAD"):
            return _description(config)
        raise QueryError("no query given", hint="send query=… (GET or form POST) or an application/sparql-query body")
    return _query(text, config)


def _file_extension(fmt: str) -> str:
    """The usual file extension of an answer format, as pyoxigraph names it (srj, ttl, nq …)."""
    return {**TABULAR, **TRIPLES, **QUADS}[fmt].file_extension


def _query(text: str, config) -> Response:
    shape = inspect_query(text)
    if shape.service:
        raise RefusedQuery("SERVICE is not allowed: this endpoint does not call other endpoints",
                           hint="run the remote part on its own endpoint and combine the answers yourself")
    options = _dataset(shape, config)
    offered = GRAPH_TYPES if shape.form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    _, fmt = _choose(offered)
    media = CANONICAL[fmt]
    timeout = _timeout(config)
    store = current_app.extensions["stelsel.store"]
    key = hashlib.sha256("\0".join([store.version(), text, options.key(), media,
                                    str(config.max_result_rows)]).encode("utf-8")).hexdigest()
    etag = key[:32]
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Accept",
               # a browser that cannot show the type saves it under a name that says what it is
               "Content-Disposition": f'inline; filename="stelsel-answer.{_file_extension(fmt)}"'}
    if request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    cache = current_app.extensions["stelsel.cache"]
    answer: Answer | None = cache.get(key)
    if answer is None:
        executor = current_app.extensions["stelsel.executor"]
        answer = executor.run(text, options, fmt, timeout, max_rows=config.max_result_rows)
        cache.put(key, answer)
    response = Response(answer.body, content_type=_content_type(media), headers=headers)
    if answer.truncated:
        response.headers["Stelsel-Truncated"] = "true"
        response.headers["Stelsel-Row-Limit"] = str(config.max_result_rows)
    return response


def _update(text: str, config) -> Response:
    """Authorised by effect (:mod:`stelsel.writes`): tried on a worker's copy, then the graphs it
    changed are checked against the token and exactly those changes are written."""
    grant = authenticate(request, config)
    if request.values.getlist("using-graph-uri") or request.values.getlist("using-named-graph-uri"):
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported",
                         hint="write USING <IRI> in the update itself")
    if not text or not text.strip():
        raise QueryError("the update is empty")
    _refuse_fetching(text)
    store = current_app.extensions["stelsel.store"]
    executor = current_app.extensions["stelsel.executor"]
    with lock_for(store):
        version, reply, trial = executor.try_update(text, _timeout(config))
        changes = _changes(reply)
        authorize(grant, changes.graphs, "update")
        if executor.embedded and store.version() != version:   # written around the lock (another process)
            raise StoreChanged("the store changed while the update was checked; nothing was written",
                               hint="send the update again")
        if changes.graphs:
            commit(store, changes)
        executor.adopt(trial, store.version())          # the worker's copy is the store's version
    write_log.info("update by token %s changed %s", grant.name,
                   ", ".join(label(k) for k in changes.names) or "nothing")
    return jsonify({"status": "ok", "token": grant.name, "graphs": changes.names, "store_version": store.version()})


class StoreChanged(StelselError):
    http_status = 503


def _refuse_fetching(text: str) -> None:
    """SERVICE and LOAD are refused with a clear message when the text shows them; whatever the
    text hides, the trial run cannot open a connection (see :mod:`stelsel.writes`)."""
    for tok in tokens(text):
        word = tok.text.upper() if tok.kind == "word" else None
        if word in ("SERVICE", "LOAD"):
            raise Forbidden(f"{word} is not allowed in an update: this server never fetches data from elsewhere",
                            hint="send the data itself: PUT or POST it to /data?graph=IRI, or use INSERT DATA")


def _changes(reply: tuple) -> Changes:
    kind = reply[0]
    if kind == "changed":
        return Changes(reply[1])
    if kind == "syntax":
        raise QuerySyntaxError.from_oxigraph(reply[1], what="update")
    if kind == "network":
        raise Forbidden("the update tried to reach another server (SERVICE or LOAD); nothing was fetched or written",
                        hint="this server never fetches data: send the data itself")
    if kind == "failed":
        raise QueryError(f"the update cannot be applied: {reply[1]}",
                         hint="nothing was changed; SILENT ignores missing graphs")
    raise WorkerFault(f"the update's trial run failed:\n{reply[1]}")


# -- without a query: the service description, or a page for people ----------------------------
def _description(config) -> Response:
    media, fmt = _choose(DESCRIPTION_TYPES)
    if fmt == "html":
        return Response(_page(), content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    graph = service_description(request.base_url, current_app.extensions["stelsel.store"], config)
    return Response(graph.serialize(format=fmt, encoding="utf-8"), content_type=_content_type(media),
                    headers={"Vary": "Accept"})


def service_description(url: str, store, config) -> rdflib.Graph:
    """The SPARQL 1.1 Service Description of this endpoint, with its dataset."""
    sd = rdflib.Graph()
    sd.bind("sd", SD)
    sd.bind("fmt", FMT)
    sd.bind("void", VOID)
    me = rdflib.URIRef(url)
    sd.add((me, RDF.type, SD.Service))
    sd.add((me, SD.endpoint, me))
    sd.add((me, SD.supportedLanguage, SD.SPARQL11Query))
    if config.tokens:
        sd.add((me, SD.supportedLanguage, SD.SPARQL11Update))
    if config.union_default_graph:
        sd.add((me, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        sd.add((me, SD.resultFormat, FMT[name]))
    dataset, default = rdflib.BNode(), rdflib.BNode()
    sd.add((me, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    sd.add((dataset, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    infos = store.graphs()
    total = sum(i.triples for i in infos) if config.union_default_graph else 0
    sd.add((default, VOID.triples, rdflib.Literal(total)))
    for info in infos:
        named, graph = rdflib.BNode(), rdflib.BNode()
        sd.add((dataset, SD.namedGraph, named))
        sd.add((named, RDF.type, SD.NamedGraph))
        sd.add((named, SD.name, rdflib.URIRef(info.iri)))
        sd.add((named, SD.graph, graph))
        sd.add((graph, RDF.type, SD.Graph))
        sd.add((graph, VOID.triples, rdflib.Literal(info.triples)))
    return sd


def _page() -> str:
    url = html.escape(request.base_url)
    example = html.escape("SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>stelsel SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;font-family:monospace}}</style></head>
<body><h1>stelsel: SPARQL endpoint</h1>
<p>SPARQL 1.1 endpoint at <code>{url}</code>. Stel een vraag (ask a question); the answer comes in
the format your client's <code>Accept</code> header asks for (SPARQL JSON in a browser).</p>
<form method="get" action="{url}">
<p><textarea name="query" rows="12">{example}</textarea></p>
<p><button type="submit">Run</button></p>
</form>
<p>For tools: <code>curl -H 'Accept: text/turtle' {url}</code> gives the service description.</p>
</body></html>
"""
