"""/openapi.json: an OpenAPI 3.1 description of this app, generated at request time.

The paths come from the app's own ``url_map``, so a route added later shows up without anyone
editing this file: the routes this module knows (/sparql, /queries, /data, /-/…) get a full
description with parameters, media types and error responses; any other route gets a short
one from its view's docstring. Each canned query of the catalogue also gets its own path,
``/queries/<name>`` (and ``/queries/<name>.{format}``), with its parameters, their types,
defaults and descriptions.
"""

from __future__ import annotations

import inspect
import re

from flask import Blueprint, current_app, has_request_context, jsonify, request

from .. import __version__
from ..queries import CannedQuery

bp = Blueprint("openapi", __name__)

ERROR_JSON = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RESULT_FORMATS = ("json", "csv", "tsv", "xml", "html")
TEXT = {"type": "string"}


@bp.get("/openapi.json")
def openapi():
    """This API described in OpenAPI 3.1."""
    response = jsonify(document(current_app))
    response.headers["Cache-Control"] = "no-cache"
    return response


def document(app) -> dict:
    """The OpenAPI 3.1 document of ``app`` (needs an app context; a request context for the server URL)."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or rule.endpoint.startswith("static"):
            continue
        path = _path(rule.rule)
        methods = sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        describe = _KNOWN.get(rule.endpoint)
        item = paths.setdefault(path, {})
        for method in methods:
            op = describe(method, rule) if describe else _generic(app, rule, method)
            if op is not None:
                item[method.lower()] = op
        if not item:
            del paths[path]
    catalogue: dict[str, CannedQuery] = app.extensions.get("stelsel.queries", {})
    for query in catalogue.values():
        paths[f"/queries/{query.name}"] = {"get": _canned(query, with_format=False)}
        paths[f"/queries/{query.name}.{{format}}"] = {"get": _canned(query, with_format=True)}
    _unique_operation_ids(paths)
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "stelsel",
            "version": __version__,
            "summary": "The Dutch stelsel van referentiearchitecturen as a knowledge graph.",
            "description": ("NORA, ROSA, DERA, EAR and the OCW concern architecture as linked data, with "
                            "the alignments between them: a SPARQL 1.1 endpoint, canned queries and the "
                            "Graph Store Protocol. Every error is one JSON shape (`Error`)."),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": (request.script_root if has_request_context() else "") or "/"}],
        "tags": [
            {"name": "sparql", "description": "The SPARQL 1.1 Protocol endpoint"},
            {"name": "queries", "description": "Canned queries (queries/*.rq) with bound parameters"},
            {"name": "canned", "description": "One path per canned query of the catalogue"},
            {"name": "data", "description": "The SPARQL 1.1 Graph Store HTTP Protocol"},
            {"name": "meta", "description": "Tool pages"},
        ],
        "paths": paths,
        "components": _components(),
    }
    return doc


def _unique_operation_ids(paths: dict) -> None:
    """One view can serve several rules (``/x`` and ``/x.<suffix>``): give each operation its own id."""
    seen: set[str] = set()
    for path, item in paths.items():
        for method, op in item.items():
            op_id = op.get("operationId") or f"{method}-{path}"
            if op_id in seen:
                op_id = f"{op_id}-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
            while op_id in seen:
                op_id += "-2"
            op["operationId"] = op_id
            seen.add(op_id)


def _path(rule: str) -> str:
    """``/queries/<name>`` -> ``/queries/{name}``; ``<int:id>`` -> ``{id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _path_params(rule) -> list[dict]:
    return [{"name": arg, "in": "path", "required": True, "schema": TEXT} for arg in sorted(rule.arguments)]


def _errors(*codes: str) -> dict:
    return {code: {"$ref": f"#/components/responses/{_RESPONSE_NAMES[code]}"} for code in codes}


_RESPONSE_NAMES = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
                   "406": "NotAcceptable", "413": "PayloadTooLarge", "415": "UnsupportedMediaType",
                   "500": "InternalError", "503": "ServiceUnavailable"}


# -- /sparql ---------------------------------------------------------------------------------------
_DATASET_PARAMS = [
    {"name": "default-graph-uri", "in": "query", "required": False, "explode": True,
     "description": "A named graph of this store to use as the default graph (repeatable); replaces the union.",
     "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}},
    {"name": "named-graph-uri", "in": "query", "required": False, "explode": True,
     "description": "A named graph of this store to make available to GRAPH (repeatable).",
     "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}},
    {"name": "timeout", "in": "query", "required": False,
     "description": "Stop the query after this many seconds (at most the server's limit).",
     "schema": {"type": "number", "exclusiveMinimum": 0}},
]

_QUERY_ANSWERS = {
    "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
    "application/sparql-results+xml": {"schema": TEXT},
    "text/csv": {"schema": TEXT},
    "text/tab-separated-values": {"schema": TEXT},
    "text/turtle": {"schema": TEXT},
    "application/n-triples": {"schema": TEXT},
    "application/ld+json": {"schema": {"type": ["object", "array"]}},
    "application/rdf+xml": {"schema": TEXT},
    "application/trig": {"schema": TEXT},
    "application/n-quads": {"schema": TEXT},
}

_ANSWER_HEADERS = {
    "ETag": {"$ref": "#/components/headers/ETag"},
    "Stelsel-Truncated": {"$ref": "#/components/headers/StelselTruncated"},
    "Stelsel-Row-Limit": {"$ref": "#/components/headers/StelselRowLimit"},
}


def _sparql(method: str, rule) -> dict:
    ok = {"description": ("The answer, in the type asked for by Accept: SPARQL results (JSON, XML, CSV, TSV) "
                          "for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE. Without a query, GET answers "
                          "the SPARQL service description (Turtle, or an HTML page for browsers)."),
          "headers": _ANSWER_HEADERS, "content": {**_QUERY_ANSWERS, "text/html": {"schema": TEXT}}}
    common = {"200": ok, "304": {"description": "Not modified (If-None-Match matched the ETag)"},
              **_errors("400", "406", "413", "500", "503")}
    if method == "GET":
        return {
            "operationId": "sparqlGet",
            "tags": ["sparql"],
            "summary": "Run a SPARQL query (or get the service description)",
            "description": ("SPARQL 1.1 Protocol query via GET. Read-only; SERVICE and graphs this store does "
                            "not hold are refused. The default graph is the union of the named graphs. "
                            "Answers are cut at the row limit (header Stelsel-Truncated)."),
            "parameters": [{"name": "query", "in": "query", "required": False,
                            "description": "The SPARQL query; without it, the service description.",
                            "schema": TEXT}, *_DATASET_PARAMS],
            "responses": common,
        }
    form = {"type": "object", "properties": {
        "query": {"type": "string", "description": "A SPARQL query"},
        "update": {"type": "string", "description": "A SPARQL update (needs a bearer token)"},
        "default-graph-uri": {"type": "array", "items": {"type": "string", "format": "iri"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string", "format": "iri"}},
        "timeout": {"type": "number"},
    }}
    return {
        "operationId": "sparqlPost",
        "tags": ["sparql"],
        "summary": "Run a SPARQL query or update",
        "description": ("SPARQL 1.1 Protocol via POST: a form (query= or update=), an "
                        "application/sparql-query body, or an application/sparql-update body. Updates need a "
                        "bearer token granted every graph they write; they answer JSON with the graphs "
                        "written and the new store version."),
        "parameters": _DATASET_PARAMS,
        "requestBody": {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": form},
            "application/sparql-query": {"schema": TEXT},
            "application/sparql-update": {"schema": TEXT},
        }},
        "security": [{}, {"bearerAuth": []}],
        "responses": {**common, "200": {**ok, "content": {**ok["content"], "application/json": {
            "schema": {"$ref": "#/components/schemas/UpdateResult"}}}},
                      **_errors("401", "403", "415")},
    }


# -- /queries ---------------------------------------------------------------------------------------
def _queries_index(method: str, rule) -> dict:
    suffix = "suffix" in rule.arguments
    params = [{"name": "suffix", "in": "path", "required": True, "description": "The format of the list",
               "schema": {"type": "string", "enum": ["json", "html"]}}] if suffix else []
    return {
        "operationId": "listQueriesAs" if suffix else "listQueries",
        "tags": ["queries"],
        "summary": "The catalogue of canned queries",
        "description": "Every canned query with title, descriptions (nl, en), tags and parameters. JSON by "
                       "default, an HTML table for Accept: text/html.",
        "parameters": params,
        "responses": {"200": {"description": "The catalogue", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/QueryList"}},
            "text/html": {"schema": TEXT}}}, **_errors("404", "406", "500")},
    }


def _queries_run(method: str, rule) -> dict:
    names = sorted(current_app.extensions.get("stelsel.queries", {}))
    return {
        "operationId": "runQuery",
        "tags": ["queries"],
        "summary": "Run one canned query",
        "description": ("Runs the canned query `name` with the query-string parameters bound as values "
                        "(never pasted into the text); parameters not given take their defaults. The "
                        "answer's format follows Accept, or a suffix on the name (`.json`, `.csv`, `.tsv`, "
                        "`.xml`, `.html`), which wins. Each query also has its own path below, with its "
                        "parameters. Known queries: " + ", ".join(names) + "."),
        "parameters": [{"name": "name", "in": "path", "required": True,
                        "description": "The query's name, optionally with a format suffix",
                        "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+(\.(json|csv|tsv|xml|html))?$"}}],
        "responses": {"200": _canned_ok(), "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                      **_errors("400", "404", "406", "500", "503")},
    }


def _canned_ok() -> dict:
    return {"description": "The rows of the query", "headers": {
        "ETag": {"$ref": "#/components/headers/ETag"},
        "Stelsel-Truncated": {"$ref": "#/components/headers/StelselTruncated"},
        "Stelsel-Row-Limit": {"$ref": "#/components/headers/StelselRowLimit"}},
        "content": {"application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
                    "text/csv": {"schema": TEXT}, "text/tab-separated-values": {"schema": TEXT},
                    "application/sparql-results+xml": {"schema": TEXT}, "text/html": {"schema": TEXT}}}


PARAM_SCHEMAS = {"iri": {"type": "string", "format": "iri"}, "string": {"type": "string"},
                 "langstring": {"type": "string"}, "integer": {"type": "integer"}, "decimal": {"type": "number"},
                 "date": {"type": "string", "format": "date"}, "boolean": {"type": "boolean"}}


def _typed(kind: str, raw: str):
    """A default from the front matter as a JSON value of the parameter's schema type."""
    if kind == "integer":
        return int(raw)
    if kind == "decimal":
        return float(raw)
    if kind == "boolean":
        return raw.lower() == "true"
    return raw


def _bilingual(texts: dict[str, str]) -> str:
    en, nl = texts.get("en", ""), texts.get("nl", "")
    return f"{en}\n\n*nl:* {nl}" if en and nl else (en or nl)


def parameter(p) -> dict:
    """One canned-query parameter as an OpenAPI query parameter."""
    schema = dict(PARAM_SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = _typed(p.type, p.default)
    out = {"name": p.name, "in": "query", "required": p.default is None,
           "description": _bilingual(p.description) or f"a value of type {p.type}", "schema": schema,
           "x-stelsel-type": p.type}
    if p.description:
        out["x-description"] = dict(p.description)
    return out


def _canned(query: CannedQuery, with_format: bool) -> dict:
    params = [parameter(p) for p in query.parameters]
    if with_format:
        params.insert(0, {"name": "format", "in": "path", "required": True,
                          "description": "The answer's format (wins over Accept)",
                          "schema": {"type": "string", "enum": list(RESULT_FORMATS)}})
    return {
        "operationId": f"query-{query.name}" + ("-as" if with_format else ""),
        "tags": ["canned"],
        "summary": query.title,
        "description": _bilingual(query.description),
        "parameters": params,
        "x-stelsel-query": {"name": query.name, "tags": list(query.tags), "file": f"queries/{query.path.name}"},
        "responses": {"200": _canned_ok(), "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                      **_errors("400", "406", "500", "503")},
    }


# -- /data (Graph Store Protocol) ---------------------------------------------------------------------
_GRAPH_TYPES = {"text/turtle": {"schema": TEXT}, "application/n-triples": {"schema": TEXT},
                "application/ld+json": {"schema": {"type": ["object", "array"]}},
                "application/rdf+xml": {"schema": TEXT}, "application/trig": {"schema": TEXT},
                "application/n-quads": {"schema": TEXT}}


def _data(method: str, rule) -> dict:
    params = [
        {"name": "graph", "in": "query", "required": False, "description": "The graph's IRI (or use ?default)",
         "schema": {"type": "string", "format": "iri"}},
        {"name": "default", "in": "query", "required": False, "allowEmptyValue": True,
         "description": "The default graph (the union of the named graphs); read-only",
         "schema": {"type": "string"}},
    ]
    if method == "GET":
        return {"operationId": "graphGet", "tags": ["data"], "summary": "Get one graph",
                "description": "Graph Store Protocol GET: the graph in the type asked for by Accept.",
                "parameters": params,
                "responses": {"200": {"description": "The graph", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
                                      "content": _GRAPH_TYPES},
                              "304": {"description": "Not modified"}, **_errors("400", "404", "406", "500")}}
    summaries = {"PUT": "Replace one graph", "POST": "Add triples to one graph", "DELETE": "Delete one graph"}
    op = {"operationId": f"graph{method.title()}", "tags": ["data"], "summary": summaries.get(method, method),
          "description": f"Graph Store Protocol {method}; needs a bearer token granted the graph.",
          "parameters": params, "security": [{"bearerAuth": []}],
          "responses": {"201": {"description": "Created: the graph did not exist"},
                        "204": {"description": "Done"}, **_errors("400", "401", "403", "404", "413", "415", "500")}}
    if method in ("PUT", "POST"):
        op["requestBody"] = {"required": True, "content": {k: v for k, v in _GRAPH_TYPES.items()
                                                           if k not in ("application/trig", "application/n-quads")}}
    return op


# -- /-/… and /openapi.json ---------------------------------------------------------------------------
def _health(method: str, rule) -> dict:
    return {"operationId": "health", "tags": ["meta"], "summary": "Is the service up?",
            "responses": {"200": {"description": "Up", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"status": {"type": "string"}, "graphs": {"type": "integer"}},
                "required": ["status"]}}}}, **_errors("500", "503")}}


def _version(method: str, rule) -> dict:
    return {"operationId": "version", "tags": ["meta"], "summary": "Versions of stelsel and of the store's content",
            "responses": {"200": {"description": "Versions", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"stelsel": {"type": "string"},
                                                 "store_version": {"type": "string"}}}}}},
                          **_errors("500", "503")}}


def _self(method: str, rule) -> dict:
    return {"operationId": "openapi", "tags": ["meta"], "summary": "This API described in OpenAPI 3.1",
            "responses": {"200": {"description": "The OpenAPI document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}}}


def _generic(app, rule, method: str) -> dict:
    """A route this module does not know: its view's docstring, and the common error shape."""
    view = app.view_functions.get(rule.endpoint)
    doc = inspect.getdoc(view) or ""
    summary = doc.splitlines()[0] if doc else rule.endpoint
    op = {"operationId": f"{rule.endpoint}-{method.lower()}".replace(".", "-"), "summary": summary,
          "parameters": _path_params(rule),
          "responses": {"200": {"description": "OK"}, **_errors("400", "500")}}
    if doc and "\n" in doc:
        op["description"] = doc
    return op


_KNOWN = {"sparql.sparql": _sparql, "queries.index": _queries_index, "queries.run": _queries_run,
          "gsp.data": _data, "meta.health": _health, "meta.version": _version, "openapi.openapi": _self}


# -- shared parts -----------------------------------------------------------------------------------------
def _components() -> dict:
    def error(description: str) -> dict:
        return {"description": description, "content": ERROR_JSON}

    term = {"type": "object", "required": ["type", "value"], "properties": {
        "type": {"type": "string", "enum": ["uri", "literal", "bnode", "triple"]},
        "value": {}, "xml:lang": {"type": "string"}, "datatype": {"type": "string"}}}
    return {
        "schemas": {
            "Error": {"type": "object", "required": ["error", "message", "status"], "properties": {
                "error": {"type": "string", "description": "The kind of error (a class name)"},
                "message": {"type": "string", "description": "One sentence for a person"},
                "hint": {"type": ["string", "null"], "description": "The next step"},
                "status": {"type": "integer", "description": "The HTTP status"},
                "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]},
                "id": {"type": "string", "description": "For internal errors: the id in the server's log"}}},
            "SparqlResults": {"type": "object", "description": "SPARQL 1.1 Query Results JSON Format",
                              "required": ["head"], "properties": {
                                  "head": {"type": "object", "properties": {
                                      "vars": {"type": "array", "items": {"type": "string"}},
                                      "link": {"type": "array", "items": {"type": "string"}}}},
                                  "results": {"type": "object", "properties": {"bindings": {
                                      "type": "array", "items": {"type": "object",
                                                                 "additionalProperties": term}}}},
                                  "boolean": {"type": "boolean"}}},
            "UpdateResult": {"type": "object", "properties": {
                "status": {"type": "string"}, "token": {"type": "string"},
                "graphs": {"type": "array", "items": {"type": "string"}}, "store_version": {"type": "string"}}},
            "QueryParameter": {"type": "object", "required": ["name", "type"], "properties": {
                "name": {"type": "string"}, "type": {"type": "string", "enum": list(PARAM_SCHEMAS)},
                "default": {"type": ["string", "null"]},
                "description": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "Query": {"type": "object", "required": ["name", "title", "description", "parameters", "url"],
                      "properties": {
                          "name": {"type": "string"}, "title": {"type": "string"},
                          "description": {"type": "object", "required": ["nl", "en"],
                                          "additionalProperties": {"type": "string"}},
                          "tags": {"type": "array", "items": {"type": "string"}},
                          "parameters": {"type": "array", "items": {"$ref": "#/components/schemas/QueryParameter"}},
                          "url": {"type": "string"}}},
            "QueryList": {"type": "object", "required": ["queries"], "properties": {
                "queries": {"type": "array", "items": {"$ref": "#/components/schemas/Query"}}}},
        },
        "responses": {
            "BadRequest": error("A bad request: a query that does not parse, an unknown or malformed parameter"),
            "Unauthorized": error("No bearer token, or one that is not configured"),
            "Forbidden": error("The token may not write this graph"),
            "NotFound": error("No such query, graph or page"),
            "NotAcceptable": error("None of the media types in Accept can be given"),
            "PayloadTooLarge": error("The request is larger than the server accepts"),
            "UnsupportedMediaType": error("The request body's type cannot be read"),
            "InternalError": error("A bug: the answer has an id to find it in the server's log"),
            "ServiceUnavailable": error("The query ran past its time limit, the workers are busy, or the store "
                                        "cannot be reached"),
        },
        "headers": {
            "ETag": {"description": "Changes with the store's content, the query and the media type",
                     "schema": TEXT},
            "StelselTruncated": {"description": "true when the answer was cut at the row limit",
                                 "schema": {"type": "string", "enum": ["true"]}},
            "StelselRowLimit": {"description": "The row limit, when the answer was cut", "schema": {"type": "integer"}},
        },
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "A write token (stelsel token new)"}},
    }
