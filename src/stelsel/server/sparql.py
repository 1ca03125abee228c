"""/sparql: SPARQL 1.1 Protocol queries, read-only, answers chosen by Accept."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..errors import QueryError, StelselError
from ..results import render

bp = Blueprint("sparql", __name__)

# media type -> our format name; the first of each group is the default
SELECT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "text/csv": "csv",
                "text/tab-separated-values": "tsv"}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "ntriples",
               "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml"}


class NotAcceptable(StelselError):
    http_status = 406


class UnsupportedMediaType(StelselError):
    http_status = 415


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    kind = (request.mimetype or "").lower()
    if kind == "application/sparql-query":
        return request.get_data(as_text=True)
    if kind == "application/x-www-form-urlencoded":
        if "update" in request.form:
            raise StelselError("this endpoint is read-only: SPARQL Update is not accepted",
                               hint="updates need a token (coming with the endpoint issue)")
        return request.form.get("query")
    if kind == "application/sparql-update":
        raise StelselError("this endpoint is read-only: SPARQL Update is not accepted")
    raise UnsupportedMediaType(f"cannot read a request body of type '{kind or 'none'}'",
                               hint="send application/sparql-query or a form with query=")


def _choose(offered: dict[str, str]) -> tuple[str, str]:
    """The media type to answer in: the client's best match, the default when it says nothing."""
    if not request.headers.get("Accept"):
        best = next(iter(offered))
    else:
        best = request.accept_mimetypes.best_match(list(offered))
        if best is None:
            raise NotAcceptable("cannot answer in any of the types you accept",
                                hint="accept one of: " + ", ".join(offered))
    return best, offered[best]


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    text = _query_text()
    if not text:
        if request.method == "GET":
            return Response(_service_description(), mimetype="text/turtle")
        raise QueryError("no query given", hint="send query=… (GET or form POST) or a sparql-query body")
    store = current_app.extensions["stelsel.store"]
    result = store.query(text)
    offered = GRAPH_TYPES if type(result).__name__ == "QueryTriples" else SELECT_TYPES
    media, fmt = _choose(offered)
    body = render(result, fmt)
    charset = "; charset=utf-8" if media.startswith(("text/", "application/sparql-results", "application/json")) else ""
    response = Response(body, content_type=media + charset)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    return response


def _service_description() -> str:
    url = request.base_url
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

<{url}> a sd:Service ;
    sd:endpoint <{url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:JSON-LD, fmt:RDF_XML .
"""
