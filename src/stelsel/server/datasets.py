"""/datasets: NDE partners validate, register and trace dataset descriptions (docs/datasets.md).

==========================  =======================================================================
``POST /datasets/validate``  a description (Turtle, JSON-LD, N-Triples, RDF/XML) -> 200 valid, 400
                             invalid or no dataset; the report by ``Accept``: ``application/json``
                             (a summary, default), ``application/ld+json`` or ``text/turtle`` (a SHACL
                             ``sh:ValidationReport``); ``text/html`` and HTML forms: the page
``GET /datasets/validate``   the paste-or-upload page
``POST /datasets``           register, with a partner token: 201 (``Location``), 400 invalid, 401 no
                             token, 403 a graph of another partner
``GET /datasets``            the registrations, ``?publisher=`` and ``?status=valid|invalid``; JSON or HTML
``GET /datasets/<id>``       one registration (``<publisher>/<dataset>``) with its findings and its
                             trace to DERA and NORA; JSON or HTML
``DELETE /datasets/<id>``    the owner's token or an admin token: 204
==========================  =======================================================================

Tokens are the endpoint's (:mod:`.auth`, hashed in ``[tokens.<name>]``): a partner's token is
granted ``https://w3id.org/stelsel/graph/datasets/<publisher>/*``, which names its publisher. A
token is an admin when it has ``role = "admin"`` or is granted every dataset graph
(``…/graph/datasets/*`` or wider). Nothing is fetched: a body is the description itself.
Bodies are limited to ``max_request_bytes`` (413); a body type stelsel does not read is 415; a
JSON-LD remote context or RDF/XML with entities is 400; in every error case the store is untouched.
"""

from __future__ import annotations

import json
import threading

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from ..errors import InputError, StelselError
from ..inputs import check_json_depth
from . import i18n
from .auth import Forbidden, authenticate, grants

bp = Blueprint("datasets", __name__)

_LOCK = threading.Lock()
SEVERITIES = ("Violation", "Warning", "Info")

# key -> (Dutch, English): the words of the dataset pages
TEXT = {
    "title.list": ("Geregistreerde datasets", "Registered datasets"),
    "title.validate": ("Datasetbeschrijving controleren", "Check a dataset description"),
    "intro.list": ("Datasets die erfgoedinstellingen met stelsel hebben geregistreerd, met hun status en de "
                   "DERA-principes die ze dienen.",
                   "Datasets heritage institutions have registered with stelsel, with their status and the DERA "
                   "principles they serve."),
    "intro.validate": ("Plak een beschrijving in Schema.org of DCAT (JSON-LD, Turtle, N-Triples of RDF/XML) of "
                       "kies een bestand. stelsel controleert haar tegen de NDE-eisen voor datasets; er wordt "
                       "niets opgehaald en niets bewaard.",
                       "Paste a description in Schema.org or DCAT (JSON-LD, Turtle, N-Triples or RDF/XML) or "
                       "choose a file. stelsel checks it against the NDE requirements for datasets; nothing is "
                       "fetched and nothing is stored."),
    "publisher": ("Uitgever", "Publisher"), "status": ("Status", "Status"), "dataset": ("Dataset", "Dataset"),
    "registered": ("Geregistreerd", "Registered"), "findings": ("Bevindingen", "Findings"),
    "status.valid": ("geldig", "valid"), "status.invalid": ("ongeldig", "invalid"),
    "status.no-dataset": ("geen dataset", "no dataset"),
    "none.registered": ("Er zijn (nog) geen datasets geregistreerd die aan de filters voldoen.",
                        "No datasets registered (yet) that match the filters."),
    "filter": ("Filteren", "Filter"), "all": ("alle", "all"),
    "fix.title": ("Wat te verbeteren", "What to fix"),
    "fix.Violation": ("Moet (de beschrijving is pas geldig als dit is opgelost)",
                      "Must (the description is only valid once this is fixed)"),
    "fix.Warning": ("Zou moeten (aanbevolen)", "Should (recommended)"),
    "fix.Info": ("Kan (suggesties)", "May (suggestions)"),
    "fix.none": ("Niets te verbeteren: de beschrijving voldoet aan alle eisen.",
                 "Nothing to fix: the description meets every requirement."),
    "trace.title": ("Wat deze dataset dient", "What this dataset serves"),
    "trace.intro": ("Uit wat de beschrijving zegt, herkent stelsel kenmerken; die dienen DERA-principes, en via de "
                    "aansluitingen van DERA op NORA de NORA-principes.",
                    "From what the description says stelsel recognises characteristics; these serve DERA "
                    "principles and, through DERA's alignments to NORA, NORA principles."),
    "trace.characteristics": ("Kenmerken", "Characteristics"),
    "trace.principles": ("DERA-principes", "DERA principles"),
    "trace.services": ("DERA-diensten die de dataset realiseert", "DERA services the dataset realises"),
    "trace.standards": ("Standaarden", "Standards"),
    "trace.nora": ("Spoor naar NORA", "Trace to NORA"),
    "trace.nora_principles": ("NORA-principes", "NORA principles"),
    "trace.because": ("omdat", "because"), "trace.deviation": ("Afwijking van NORA", "Deviation from NORA"),
    "trace.none": ("Geen spoor: er zijn geen kenmerken herkend.", "No trace: no characteristics were recognised."),
    "sources": ("Terminologiebronnen (Termennetwerk)", "Terminology sources (Network of Terms)"),
    "provenance": ("Herkomst", "Provenance"), "source": ("Bron", "Source"), "by": ("door", "by"),
    "validate.text": ("Beschrijving", "Description"), "validate.file": ("of een bestand", "or a file"),
    "validate.format": ("Formaat", "Format"), "validate.auto": ("herkennen", "detect"),
    "validate.button": ("Controleren", "Check"),
    "result.valid": ("Geldig: de beschrijving kan geregistreerd worden.", "Valid: the description can be registered."),
    "result.invalid": ("Ongeldig: los eerst de punten onder 'Moet' op.", "Invalid: first fix the points under 'Must'."),
    "result.no-dataset": ("Geen dataset gevonden: de beschrijving bevat geen schema:Dataset of dcat:Dataset.",
                          "No dataset found: the description holds no schema:Dataset or dcat:Dataset."),
    "result.error": ("De beschrijving kon niet gelezen worden", "The description could not be read"),
    "notes": ("Opmerkingen bij het inlezen", "Notes on reading"),
    "counts": ("{v} moet, {w} zou moeten, {i} kan", "{v} must, {w} should, {i} may"),
    "check_another": ("Controleer een beschrijving", "Check a description"),
    "back": ("Alle datasets", "All datasets"),
    "severity.Violation": ("moet", "must"), "severity.Warning": ("zou moeten", "should"), "severity.Info": ("kan", "may"),
}


def T(key: str, lang: str | None = None, **values) -> str:
    lang = lang or g.get("lang", "nl")
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


# -- set-up ---------------------------------------------------------------------------------------
def _validator():
    """One validator per app: the shapes are read and pre-processed once."""
    from ..datasets.validate import DatasetValidator
    v = current_app.extensions.get("stelsel.datasets.validator")
    if v is None:
        v = current_app.extensions["stelsel.datasets.validator"] = DatasetValidator()
    return v


@bp.before_request
def _language() -> None:
    g.lang, _ = i18n.choose(request.args, request.cookies)


def _best(offered: list[str], default: str) -> str:
    if not request.headers.get("Accept", "").strip():
        return default
    return request.accept_mimetypes.best_match(offered, default=default) or default


def _html_wanted() -> bool:
    return _best(["application/json", "text/html", "application/xhtml+xml"], "application/json") in (
        "text/html", "application/xhtml+xml") and "stelsel.browse" in current_app.extensions


def _page(template: str, status: int = 200, **values) -> Response:
    from .browse import context
    html = render_template(template, **context(T=T, **values))
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Cookie"
    return response


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, indent=1, default=str), status=status,
                        content_type="application/json; charset=utf-8")
    response.headers["Vary"] = "Accept"
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


# -- tokens ---------------------------------------------------------------------------------------
def is_admin(grant) -> bool:
    from ..datasets.link import DATASETS_GRAPH
    if getattr(grant, "role", None) == "admin":
        return True
    return any(p.endswith("*") and DATASETS_GRAPH.startswith(p[:-1]) for p in grant.graphs)


def publishers_of(grant) -> list[str]:
    """The publishers a token's grants name: ``…/graph/datasets/<publisher>/*``."""
    from ..datasets.link import _PUBLISHER, DATASETS_GRAPH
    out = []
    for p in grant.graphs:
        if p.startswith(DATASETS_GRAPH):
            rest = p[len(DATASETS_GRAPH):].rstrip("*").strip("/")
            name = rest.split("/")[0]
            if name and _PUBLISHER.match(name) and name not in out:
                out.append(name)
    return out


def _publisher_for(grant) -> str:
    from ..datasets.link import check_publisher
    asked = request.args.get("publisher")
    if asked:
        return check_publisher(asked)
    mine = publishers_of(grant)
    if len(mine) == 1:
        return mine[0]
    raise InputError("say for which publisher the dataset is registered: ?publisher=<name>",
                     hint=("this token may register for: " + ", ".join(mine)) if mine else
                     "an admin token must name the publisher")


def _authorizer(grant):
    def check(graph: str) -> None:
        if is_admin(grant) or grants(grant, graph):
            return
        raise Forbidden(f"token '{grant.name}' may not write <{graph}>: it belongs to another partner",
                        hint="a partner registers only its own datasets; it may write: " + ", ".join(grant.graphs))
    return check


# -- reading a body -------------------------------------------------------------------------------
def _body() -> tuple[bytes, str]:
    """The request body and its format; a JSON-LD body that only names a URL is refused (stelsel
    does not fetch)."""
    from ..datasets.inputs import format_for_media_type
    fmt = format_for_media_type(request.mimetype)
    data = request.get_data(cache=True)  # werkzeug raises 413 beyond MAX_CONTENT_LENGTH
    if not data.strip():
        raise InputError("the request has no body", hint="send the description itself in the body")
    if fmt == "jsonld":
        check_json_depth(data, "<body>")  # the input gate, before Python's json recurses
        try:
            doc = json.loads(data)
            if isinstance(doc, dict) and set(doc) <= {"@id", "@context", "url"} and ("@id" in doc or "url" in doc):
                raise InputError("the body only names a URL; stelsel does not fetch descriptions",
                                 hint="send the description itself (JSON-LD, Turtle, N-Triples or RDF/XML)")
        except (ValueError, UnicodeDecodeError):
            pass  # the parser says what is wrong, with a position
    return data, fmt


def _summary(outcome, lang: str) -> dict:
    out = outcome.as_dict(lang)
    out["valid"] = outcome.state == "valid"
    out["shapes"] = list(_validator().shapes.labels)
    out["warnings"] = list(_validator().shapes.warnings)
    return out


def _validate(data: bytes, fmt: str, label: str):
    v = _validator()
    with _LOCK:
        return v.validate_bytes(data, fmt, label=label)


# -- validate ---------------------------------------------------------------------------------------
@bp.route("/datasets/validate", methods=["GET", "POST"])
def validate():
    from ..report import render
    lang = g.lang
    if request.method == "GET":
        if _html_wanted():
            return _page("datasets/validate.html", title=T("title.validate"), result=None, text="", error=None)
        return _json({"post": "a dataset description (text/turtle, application/ld+json, application/n-triples, "
                              "application/rdf+xml)", "answers": "200 valid, 400 invalid or no dataset"})
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _validate_form()
    data, fmt = _body()
    outcome = _validate(data, fmt, label=request.args.get("label") or "<request>")
    status = 200 if outcome.state == "valid" else 400
    kind = _best(["application/json", "application/ld+json", "text/turtle", "text/html"], "application/json")
    if kind == "application/ld+json":
        return Response(render(outcome.report, "jsonld", lang=lang), status=status,
                        content_type="application/ld+json; charset=utf-8", headers={"Vary": "Accept"})
    if kind == "text/turtle":
        return Response(render(outcome.report, "turtle", lang=lang), status=status,
                        content_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})
    if kind == "text/html" and "stelsel.browse" in current_app.extensions:
        return _page("datasets/validate.html", status=status, title=T("title.validate"),
                     result=_summary(outcome, lang), text="", error=None)
    return _json(_summary(outcome, lang), status=status)


_FORM_FORMATS = {"": None, "jsonld": "jsonld", "turtle": "turtle", "ntriples": "ntriples", "rdfxml": "rdfxml"}


def _guess(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "jsonld"
    if stripped.startswith("<?xml") or stripped.startswith("<rdf:RDF"):
        return "rdfxml"
    return "turtle"


def _validate_form() -> Response:
    from ..datasets.inputs import SUFFIXES
    text = request.form.get("text", "")
    fmt = _FORM_FORMATS.get(request.form.get("format", ""), None)
    upload = request.files.get("file")
    label = "<plakken>" if g.lang == "nl" else "<pasted>"
    if upload is not None and upload.filename:
        data = upload.read()
        label = upload.filename
        if fmt is None:
            suffix = "." + upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
            fmt = SUFFIXES.get(suffix)
    else:
        data = text.encode("utf-8")
    wants_html = _html_wanted() or request.accept_mimetypes.best == "*/*"
    try:
        if not data.strip():
            raise InputError("there is no description to check" if g.lang == "en" else
                             "er is geen beschrijving om te controleren")
        outcome = _validate(data, fmt or _guess(data.decode("utf-8", "replace")), label)
    except StelselError as exc:
        if not wants_html:
            raise
        return _page("datasets/validate.html", status=exc.http_status, title=T("title.validate"), result=None,
                     text=text, error=exc.as_dict())
    status = 200 if outcome.state == "valid" else 400
    if not wants_html:
        return _json(_summary(outcome, g.lang), status=status)
    return _page("datasets/validate.html", status=status, title=T("title.validate"),
                 result=_summary(outcome, g.lang), text=text, error=None)


# -- the registry -------------------------------------------------------------------------------------
@bp.route("/datasets", methods=["GET", "POST"])
def datasets():
    from ..datasets.link import registrations
    store = current_app.extensions["stelsel.store"]
    if request.method == "POST":
        return _register(store)
    publisher = request.args.get("publisher") or None
    status = request.args.get("status") or None
    rows = registrations(store, publisher=publisher, status=status)
    for r in rows:
        r["url"] = f"/datasets/{r['id']}"
    if _html_wanted():
        all_rows = registrations(store)
        return _page("datasets/list.html", title=T("title.list"), rows=rows,
                     publishers=sorted({r["publisher"] for r in all_rows}),
                     filters={"publisher": publisher or "", "status": status or ""})
    return _json({"datasets": rows, "count": len(rows), "filters": {"publisher": publisher, "status": status}})


def _register(store) -> Response:
    from ..datasets.link import DATASETS_GRAPH, register
    config = current_app.config["STELSEL"]
    grant = authenticate(request, config)
    publisher = _publisher_for(grant)
    check = _authorizer(grant)
    check(f"{DATASETS_GRAPH}{publisher}/")  # the publisher's own space, before any work
    data, fmt = _body()
    source = request.args.get("source") or "HTTP POST /datasets"
    outcome = _validate(data, fmt, label=request.args.get("label") or source)
    if outcome.state != "valid":
        return _json(dict(_summary(outcome, g.lang), registered=[]), status=400)
    _owned_elsewhere(store, outcome, publisher, grant)
    with _LOCK:
        regs = register(store, outcome, publisher=publisher, agent=grant.name, source=source, authorize=check)
    body = dict(_summary(outcome, g.lang), registered=[
        {"id": r.id, "url": f"/datasets/{r.id}", "graph": r.graph, "report_graph": r.report_graph,
         "dataset": r.dataset, "publisher": r.publisher, "organisation": r.organisation, "replaced": r.replaced,
         "links": r.links.__dict__} for r in regs])
    return _json(body, status=201, headers={"Location": f"/datasets/{regs[0].id}"})


def _owned_elsewhere(store, outcome, publisher: str, grant) -> None:
    """A dataset another partner registered stays theirs (403), unless an admin registers."""
    from ..datasets.link import DATASETS_GRAPH
    if is_admin(grant):
        return
    for ds in outcome.datasets:
        if ds.startswith("_:"):
            continue
        rows = store.query(f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?g <http://xmlns.com/foaf/0.1/primaryTopic> <{ds}> }}
                                 FILTER(STRSTARTS(STR(?g), "{DATASETS_GRAPH}")) }}""")
        for row in rows:
            other = row["g"].value[len(DATASETS_GRAPH):].split("/")[0]
            if other != publisher:
                raise Forbidden(f"the dataset <{ds}> is registered by another partner ({other})",
                                hint="a partner can only register and change its own datasets")


@bp.route("/datasets/<publisher>/<name>", methods=["GET", "DELETE"])
def dataset(publisher: str, name: str):
    from ..datasets.link import owner_of, registration, unregister
    from ..datasets.trace import summarise, trace
    store = current_app.extensions["stelsel.store"]
    ident = f"{publisher}/{name}"
    if request.method == "DELETE":
        config = current_app.config["STELSEL"]
        grant = authenticate(request, config)
        graph, _ = owner_of(store, ident)
        _authorizer(grant)(graph)
        with _LOCK:
            unregister(store, ident)
        return Response(status=204)
    reg = registration(store, ident)
    rows = trace(store, reg["graph"])
    reg["trace"] = summarise(rows)
    reg["url"] = f"/datasets/{reg['id']}"
    if _html_wanted():
        return _page("datasets/page.html", title=reg["name"], reg=reg, severities=SEVERITIES)
    return _json(reg)


@bp.errorhandler(StelselError)
def _error(exc: StelselError):
    if _html_wanted() and request.method == "GET":
        from .browse import context
        body = render_template("error.html", **context(title=T("result.error"), message=exc.message))
        return Response(body, status=exc.http_status, content_type="text/html; charset=utf-8")
    response = jsonify(exc.as_dict())
    response.status_code = exc.http_status
    for k, v in getattr(exc, "headers", {}).items():
        response.headers[k] = v
    return response

