"""/queries: the canned-query catalogue over HTTP.

- ``GET /queries`` lists the catalogue: JSON by default, an HTML table for ``Accept: text/html``
  (or ``/queries.json``, ``/queries.html``).
- ``GET /queries/<name>?param=value`` runs one query with its parameters bound and answers in
  SPARQL results JSON (default), CSV, TSV, XML or HTML, chosen by ``Accept`` or by a suffix
  (``/queries/<name>.csv``, ``.json``, ``.tsv``, ``.xml``, ``.html``; a suffix wins over
  ``Accept``).

The catalogue is read once per app, when this blueprint is registered in ``create_app``: a file
with bad front matter stops the app from starting, naming the file. Parameters are bound as
values (a ``VALUES`` block of typed RDF terms at the start of the WHERE clause, the same binding
the remote store uses), never pasted into the query text; a query runs through the executor
like any /sparql query, so the same time and row limits and answer cache apply, and answers carry
an ETag (``If-None-Match`` gets 304). An unknown
query is 404, a bad parameter 400 naming it, both in the one JSON error shape.
"""

from __future__ import annotations

import hashlib
import html
import json
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request, url_for

from ..errors import QueryError, StelselError
from ..executor import Answer, QueryOptions
from ..queries import CannedQuery, load_catalogue
from ..remote_store import inject_values
from ..results import compact
from .sparql import NotAcceptable

bp = Blueprint("queries", __name__)

# answer formats of a canned query: media type -> format; the first is the default
RESULT_TYPES = {"application/sparql-results+json": "json", "application/json": "json",
                "text/csv": "csv", "text/tab-separated-values": "tsv",
                "application/sparql-results+xml": "xml", "application/xml": "xml",
                "text/html": "html", "application/xhtml+xml": "html"}
CANONICAL = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
             "xml": "application/sparql-results+xml", "html": "text/html"}
SUFFIXES = {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml", "html": "html"}
LIST_TYPES = {"application/json": "json", "text/html": "html", "application/xhtml+xml": "html"}


class UnknownQuery(StelselError):
    """No canned query by that name."""

    http_status = 404


@bp.record_once
def _load_catalogue(state) -> None:
    """Read ``queries/*.rq`` once for this app; bad front matter fails here, naming the file."""
    config = state.app.config["STELSEL"]
    state.app.extensions["stelsel.queries"] = load_catalogue(config.queries_dir)


def catalogue() -> dict[str, CannedQuery]:
    return current_app.extensions["stelsel.queries"]


def _split_suffix(name: str, formats: dict[str, str]) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in formats:
        return stem, formats[suffix]
    return name, None


def _choose(offered: dict[str, str]) -> str:
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return next(iter(offered.values()))
    best = request.accept_mimetypes.best_match(list(offered))
    if best is None:
        raise NotAcceptable("cannot answer in any of the types you accept",
                            hint="accept one of: " + ", ".join(offered) + ", or add a suffix such as .csv")
    return offered[best]


def describe(q: CannedQuery) -> dict:
    """The JSON description of one canned query (also used by /openapi.json)."""
    return {
        "name": q.name,
        "title": q.title,
        "description": dict(q.description),
        "tags": list(q.tags),
        "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                        "description": dict(p.description)} for p in q.parameters],
        "url": url_for("queries.run", name=q.name, _external=False),
    }


# -- the list -------------------------------------------------------------------------------------
@bp.get("/queries")
@bp.get("/queries.<suffix>")
def index(suffix: str | None = None):
    if suffix is not None:
        if suffix not in ("json", "html"):
            raise UnknownQuery(f"there is no page /queries.{suffix}", hint="use /queries.json or /queries.html")
        fmt = suffix
    else:
        fmt = _choose(LIST_TYPES)
    items = [describe(q) for q in catalogue().values()]
    if fmt == "html":
        return _html(_index_page(items))
    response = jsonify({"queries": items})
    response.headers["Vary"] = "Accept"
    return response


# -- one query --------------------------------------------------------------------------------------
@bp.get("/queries/<name>")
def run(name: str):
    name, fmt = _split_suffix(name, SUFFIXES)
    query = catalogue().get(name)
    if query is None:
        raise UnknownQuery(f"there is no canned query '{name}'", hint="GET /queries lists them")
    given = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise QueryError(f"parameter '{key}' is given {len(values)} times", hint=f"give {key} once")
        given[key] = values[0]
    try:
        bindings = query.bindings(given)
    except QueryError as exc:                   # 400, naming the parameter; the hint in URL terms
        hint = exc.hint.replace("give --param ", "give ?") if exc.hint else None
        raise QueryError(exc.message, hint=hint) from None
    fmt = fmt or _choose(RESULT_TYPES)
    text = inject_values(query.text, bindings) if bindings else query.text
    key = _key(text, fmt)
    headers = {"ETag": f'"{key[:32]}"', "Cache-Control": "no-cache", "Vary": "Accept"}
    if request.if_none_match.contains_weak(key[:32]):
        return Response(status=304, headers=headers)
    answer = _execute(text, key, "json" if fmt == "html" else fmt)
    if fmt == "html":
        response = _html(_result_page(query, {v.value: t for v, t in bindings.items()}, answer))
    else:
        response = Response(answer.body, content_type=CANONICAL[fmt] + "; charset=utf-8")
    response.headers.update(headers)
    if answer.truncated:
        config = current_app.config["STELSEL"]
        response.headers["Stelsel-Truncated"] = "true"
        response.headers["Stelsel-Row-Limit"] = str(config.max_result_rows)
    return response


def _key(text: str, fmt: str) -> str:
    """Names the answer: store version, bound query text, format and row limit (ETag and cache key)."""
    config = current_app.config["STELSEL"]
    store = current_app.extensions["stelsel.store"]
    return hashlib.sha256("\0".join(["canned", store.version(), text, fmt,
                                     str(config.max_result_rows)]).encode("utf-8")).hexdigest()


def _execute(text: str, key: str, fmt: str) -> Answer:
    """Run through the executor (time and row limits, cache), as /sparql does."""
    config = current_app.config["STELSEL"]
    cache = current_app.extensions.get("stelsel.cache")
    answer = cache.get(key) if cache is not None else None
    if answer is None:
        timeout = min(config.query_timeout, config.max_query_timeout)
        executor = current_app.extensions["stelsel.executor"]
        answer = executor.run(text, QueryOptions(union_default=True), fmt, timeout,
                              max_rows=config.max_result_rows)
        if cache is not None:
            cache.put(key, answer)
    return answer


# -- HTML (a plain table for now; the UI issue restyles it) -----------------------------------------
_STYLE = ("body{font-family:sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
          "text-align:left;vertical-align:top}th{background:#eee}")


def _html(page: str) -> Response:
    response = Response(page, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def _doc(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


def _index_page(items: list[dict]) -> str:
    e = html.escape
    rows = []
    for q in items:
        params = ", ".join(f"<code>{e(p['name'])}</code> ({e(p['type'])}"
                           + (f", standaard <code>{e(p['default'])}</code>" if p["default"] is not None else "")
                           + ")" for p in q["parameters"])
        rows.append(f'<tr><td><a href="{e(q["url"])}">{e(q["name"])}</a></td><td>{e(q["title"])}</td>'
                    f'<td>{e(q["description"]["nl"])}</td><td>{params}</td><td>{e(", ".join(q["tags"]))}</td></tr>')
    return _doc("stelsel: vragen", "<h1>Vragen (canned queries)</h1>\n"
                f"<p>{len(items)} vragen. Machineleesbaar: <a href=\"/queries.json\">/queries.json</a>.</p>\n"
                "<table><thead><tr><th>naam</th><th>titel</th><th>beschrijving</th><th>parameters</th>"
                "<th>labels</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    e = html.escape
    if term["type"] == "uri":
        return f'<a href="{e(term["value"])}">{e(compact(ox.NamedNode(term["value"])))}</a>'
    text = e(term["value"])
    if term.get("xml:lang"):
        text += f' <small>@{e(term["xml:lang"])}</small>'
    return text


def _result_page(query: CannedQuery, bound: dict, answer: Answer) -> str:
    e = html.escape
    data = json.loads(answer.body)
    names = data["head"]["vars"]
    rows = data["results"]["bindings"]
    form = "".join(f'<label>{e(p.name)} ({e(p.type)}) <input name="{e(p.name)}" '
                   f'value="{e(bound[p.name].value)}" size="60"></label><br>\n' for p in query.parameters)
    url = e(url_for("queries.run", name=query.name))
    args = ("?" + urlencode(list(request.args.items(multi=True)))) if request.args else ""
    links = " · ".join(f'<a href="{e(url_for("queries.run", name=f"{query.name}.{s}") + args)}">{s}</a>'
                       for s in ("json", "csv", "tsv", "xml"))
    head = "".join(f"<th>{e(n)}</th>" for n in names)
    body = "\n".join("<tr>" + "".join(f"<td>{_cell(r.get(n))}</td>" for n in names) + "</tr>" for r in rows)
    note = " (afgekapt: de rijlimiet is bereikt)" if answer.truncated else ""
    return _doc(query.title, f"<h1>{e(query.title)}</h1>\n<p>{e(query.description['nl'])}</p>\n"
                f"<p lang=\"en\"><small>{e(query.description['en'])}</small></p>\n"
                + (f'<form method="get" action="{url}">\n{form}<button type="submit">Opnieuw</button></form>\n'
                   if query.parameters else "")
                + f"<p>{len(rows)} rijen{note}. Ook als {links}.</p>\n"
                f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>")
