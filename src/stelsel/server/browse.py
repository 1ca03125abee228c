"""The browsing UI: server-rendered pages over the store, each with machine twins (docs/ui.md).

Every page answers in HTML for browsers and as JSON by the suffix ``.json`` or ``Accept:
application/json``; pages about RDF resources also as Turtle, JSON-LD and RDF/XML (``.ttl``,
``.jsonld``, ``.rdf`` or by ``Accept``). Every IRI under ``<base_iri>id/`` dereferences at
``/id/<path>``; the vocabulary's terms (``stelsel:X``) at ``/def/X``.

The pages need no JavaScript; the SPARQL editor on ``/query`` is enhanced with CodeMirror when
JavaScript runs. The language is Dutch unless ``?lang=en`` (remembered in a cookie) says
otherwise. What the pages show comes from :mod:`.browse_model` (SPARQL through the store,
cached per store version); the validation report from :mod:`.browse_validation`.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.parse

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from .. import __version__
from ..errors import StelselError
from ..vocab import PREFIXES
from . import i18n
from .browse_findings import finding_views
from .browse_names import duplicate_hints
from .canned_form import BOOLEAN_FORM_MARK, columns, form_values, parameter_fields, result_refs
from .browse_provenance import alignment_provenance, colophon_sources
from .browse_model import DEFAULT_STATUSES, NORA, PAGE_SIZE, STATUSES, Browse, compact, local_name, natural
from .browse_svg import layer_name, trace_layers
from .browse_svg_trace import path_tree, trace_diagram
from .browse_svg_home import stelsel_diagram
from .browse_validation import ValidationCache
from .safety import is_iri, link_target

bp = Blueprint("browse", __name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
FORMATS = {"json": "application/json", "ttl": "text/turtle", "jsonld": "application/ld+json",
           "rdf": "application/rdf+xml"}
RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}
SEVERITIES = ("Violation", "Warning", "Info")


class PageNotFound(NotFound):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PageBadRequest(PageNotFound):
    """A page asked for with input that cannot name anything (400, HTML for people, JSON for tools)."""
    code = 400

    def __init__(self, message: str, error: str = "BadRequest", hint: str | None = None):
        super().__init__(message)
        self.error, self.hint = error, hint


# -- set-up -------------------------------------------------------------------------------------------
@bp.record_once
def _setup(state) -> None:
    app = state.app
    config = app.config["STELSEL"]
    store = app.extensions["stelsel.store"]
    app.extensions["stelsel.browse"] = Browse(store, config.base_iri)
    app.extensions["stelsel.validation"] = ValidationCache(store, config)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def model() -> Browse:
    browse = current_app.extensions["stelsel.browse"]
    browse.on_query = _count_query
    return browse


def _count_query(seconds: float) -> None:
    try:
        g.browse_sparql = g.get("browse_sparql", 0.0) + seconds
        g.browse_queries = g.get("browse_queries", 0) + 1
    except RuntimeError:  # outside a request
        pass


def validation():
    return current_app.extensions["stelsel.validation"].get()


@bp.before_request
def _language() -> None:
    g.lang, g.lang_asked = i18n.choose(request.args, request.cookies)


@bp.after_request
def _remember_language(response: Response) -> Response:
    if g.get("lang_asked"):
        response.set_cookie(i18n.COOKIE, g.lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=request.is_secure, httponly=True)
    if "Vary" not in response.headers:
        response.headers["Vary"] = "Accept, Cookie"
    return response


@bp.after_app_request
def _server_timing(response: Response) -> Response:
    started = g.get("stelsel_started")
    if started is not None:
        parts = [f"app;dur={(time.perf_counter() - started) * 1000:.1f}"]
        if g.get("browse_sparql"):
            parts.append(f'sparql;dur={g.browse_sparql * 1000:.1f};desc="{g.get("browse_queries", 0)} queries"')
        response.headers["Server-Timing"] = ", ".join(parts)
    return response


@bp.errorhandler(PageNotFound)
@bp.errorhandler(PageBadRequest)  # Flask looks handlers up by status code first
def _not_found(exc: PageNotFound):
    status = exc.code or 404
    if wants(None, rdf=True) == "html":
        title = i18n.t("error.title" if status == 404 else "error.bad_request", g.get("lang", "nl"))
        body = render_template("error.html", **context(title=title, message=exc.message))
        return Response(body, status=status, content_type="text/html; charset=utf-8")
    response = jsonify({"error": getattr(exc, "error", "NotFound"), "message": exc.message,
                        "hint": getattr(exc, "hint", None), "status": status})
    response.status_code = status
    return response


# -- negotiation ------------------------------------------------------------------------------------------
def wants(suffix: str | None = None, rdf: bool = False, csv: bool = False) -> str:
    """The format to answer in: the suffix, else the best match of Accept (HTML by default)."""
    if suffix:
        return suffix
    offered = list(HTML_TYPES) + ["application/json"]
    if rdf:
        offered += ["text/turtle", "application/ld+json", "application/rdf+xml"]
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept", "").strip():
        return "html"
    best = accept.best_match(offered, default="text/html")
    if best in HTML_TYPES:
        return "html"
    return {v: k for k, v in FORMATS.items()}.get(best, "html")


def split_suffix(path: str, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    for suffix in allowed:
        if path.endswith("." + suffix):
            return path[: -len(suffix) - 1], suffix
    return path, None


def etag_check(*parts) -> tuple[str, Response | None]:
    """An ETag for this answer (store version, language, URL, format); 304 when the client has it."""
    key = "\0".join(str(p) for p in (current_app.extensions["stelsel.store"].version(), g.get("lang"),
                                      request.full_path, request.headers.get("Accept", ""), *parts))
    tag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    if request.if_none_match.contains_weak(tag):
        return tag, Response(status=304, headers={"ETag": f'"{tag}"'})
    return tag, None


def answer(fmt: str, template: str, data: dict, twins: list[tuple[str, str]], rdf=None, etag: str | None = None,
           **extra) -> Response:
    """The page in ``fmt``: HTML from ``template``, JSON of ``data``, or RDF from ``rdf()``."""
    if fmt == "json":
        response = Response(json.dumps(data, ensure_ascii=False, default=str, indent=1),
                            content_type="application/json; charset=utf-8")
    elif fmt in RDF_FORMATS:
        if rdf is None:
            raise PageNotFound(f"this page has no {fmt} form")
        triples = rdf()
        prefixes = {k: str(v) for k, v in PREFIXES.items()} if fmt == "ttl" else None
        body = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes) if fmt == "ttl" else \
            ox.serialize(triples, format=RDF_FORMATS[fmt])
        response = Response(body, content_type=FORMATS[fmt] + ("; charset=utf-8" if fmt != "rdf" else ""))
    else:
        html = render_template(template, **context(data=data, twins=twins, **extra))
        response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Cookie"
    response.headers["Cache-Control"] = "no-cache"
    if etag:
        response.headers["ETag"] = f'"{etag}"'
    return response


def twin_links(base: str, formats: tuple[str, ...] = ("json",), keep_query: bool = True) -> list[tuple[str, str]]:
    query = request.query_string.decode("utf-8") if keep_query else ""
    query = "&".join(p for p in query.split("&") if p and not p.startswith("lang="))
    names = {"json": "JSON", "ttl": "Turtle", "jsonld": "JSON-LD", "rdf": "RDF/XML", "csv": "CSV"}
    return [(names[f], f"{base}.{f}" + (f"?{query}" if query else "")) for f in formats]


# -- template helpers -----------------------------------------------------------------------------------
def context(**values) -> dict:
    """What base.html and the other templates need (other blueprints' pages may use it too)."""
    if "lang" not in g:  # a page of another blueprint: the same language choice as ours
        g.lang, _asked = i18n.choose(request.args, request.cookies)
    lang = g.lang
    browse = current_app.extensions["stelsel.browse"]

    def _(key, **kw):
        return i18n.t(key, lang, **kw)

    def label(texts, fallback=""):
        return i18n.pick(texts, lang, fallback)

    def name(ref):
        """'NAP01 Verplaats je in de gebruiker' for a reference."""
        if not ref:
            return ""
        text = label(ref.get("label"))
        code = ref.get("notation")
        return f"{code} {text}" if code and code != text else text

    def href(iri):
        """A page on this site for ``iri``, else ``iri`` if it is http(s), else None (shown as text)."""
        return browse.local_path(iri) or link_target(iri)

    def url_with(**changes):
        args = request.args.to_dict(flat=False)
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = value if isinstance(value, list) else [value]
        args.pop("lang", None)
        query = urllib.parse.urlencode([(k, v) for k, vs in args.items() for v in vs])
        return request.path + (f"?{query}" if query else "")

    def lang_url():
        other = "en" if lang == "nl" else "nl"
        args = [(k, v) for k, vs in request.args.to_dict(flat=False).items() if k != "lang" for v in vs]
        args.append(("lang", other))
        return request.path + "?" + urllib.parse.urlencode(args)

    return {
        "lang": lang, "_": _, "L": label, "name": name, "href": href, "link_target": link_target, "url_with": url_with,
        "lang_url": lang_url, "num": lambda n, decimals=None: i18n.format_number(n, lang, decimals),
        "date": lambda d: i18n.format_date(d, lang), "compact": compact, "local_name": local_name,
        "short": lambda arch: label(browse.short_name(arch)), "arch_of": browse.arch_ref,
        "version": __version__, "store_version": current_app.extensions["stelsel.store"].version()[:12],
        "path": request.path, "twins": values.pop("twins", []),
        "provenance": lambda: alignment_provenance(browse), **values,
    }


# -- home -------------------------------------------------------------------------------------------------
@bp.get("/")
@bp.get("/index.<any(json):suffix>")
def home(suffix=None):
    """The stelsel at a glance: architectures, counts and who aligns to whom (HTML; JSON twin /index.json)."""
    fmt = wants(suffix)
    tag, cached = etag_check("home", validation().state)
    if cached:
        return cached
    browse = model()
    archs = browse.architectures()
    state = validation()
    data = {"architectures": archs, "validation": _validation_summary(state)}
    extra = {}
    if fmt == "html":
        extra["diagram"] = stelsel_diagram(archs, browse.short_name, g.lang)
        extra["edges"] = _edges(archs)
    return answer(fmt, "home.html", data, twin_links("/index"), etag=tag, **extra)


def _edges(archs: list[dict]) -> list[dict]:
    by = {a["iri"]: a for a in archs}
    out = []
    for a in archs:
        for target in a["targets"]:
            counts = a["alignmentsOut"].get(target, {})
            out.append({"source": a, "target": by.get(target) or {"iri": target, "label": {"": compact(target)},
                                                                   "slug": None},
                        "required": target in a["mustAlignTo"],
                        "n": sum(v for k, v in counts.items() if k != "vervallen"),
                        "withdrawn": counts.get("vervallen", 0),
                        "deviations": a["deviations"].get(target, 0)})
    return out


def _validation_summary(state) -> dict:
    out = {"state": state.state, "reason": state.reason}
    if state.report is not None:
        counts = {s: 0 for s in SEVERITIES}
        by_arch: dict[str, dict[str, int]] = {}
        for f in state.report.findings:
            counts[f.severity.value] += 1
            bucket = by_arch.setdefault(f.architecture or "", {s: 0 for s in SEVERITIES})
            bucket[f.severity.value] += 1
        out.update(counts=counts, total=sum(counts.values()), byArchitecture=by_arch,
                   engine=state.report.engine, seconds=round(state.report.seconds, 2))
    return out


# -- architecture -----------------------------------------------------------------------------------------
@bp.get("/architectuur/<slug>")
def architecture(slug):
    """One architecture: elements by kind and layer, NORA coverage, validation counts (HTML, .json, .ttl, .jsonld, .rdf)."""
    slug, suffix = split_suffix(slug, ("json", "ttl", "jsonld", "rdf"))
    fmt = wants(suffix, rdf=True)
    tag, cached = etag_check("arch", validation().state)
    if cached:
        return cached
    browse = model()
    arch = browse.architecture_by_slug(slug)
    if arch is None:
        raise PageNotFound(i18n.t("error.unknown_arch", g.lang, slug=slug))
    if fmt in RDF_FORMATS:
        return answer(fmt, "", {}, [], rdf=lambda: browse.describe_architecture(arch["iri"]), etag=tag)
    detail = browse.architecture(arch["iri"])
    state = validation()
    summary = _validation_summary(state)
    counts = summary.get("byArchitecture", {}).get(arch["iri"], {s: 0 for s in SEVERITIES}) \
        if state.report is not None else None
    coverage = browse.coverage(arch["iri"]) if arch["iri"] != NORA else None
    aligned_from = [a for a in browse.architectures() if arch["iri"] in a["alignmentsOut"] or
                    arch["iri"] in a["mustAlignTo"]]
    data = {"architecture": arch, "elements": detail, "coverage": coverage,
            "validation": {"state": state.state, "reason": state.reason, "counts": counts},
            "alignedFrom": [{"iri": a["iri"], "slug": a["slug"],
                             "n": sum(v for k, v in a["alignmentsOut"].get(arch["iri"], {}).items()
                                      if k != "vervallen")} for a in aligned_from]}
    hints = {}
    if fmt == "html":  # computed once per store version and language
        hints = browse.cached(("duplicate-hints", arch["iri"], g.lang), lambda: {
            k: v for kind in detail.get("kinds", []) for k, v in duplicate_hints(browse, kind["elements"],
                                                                                 g.lang).items()})
    return answer(fmt, "architecture.html", data,
                  twin_links(f"/architectuur/{slug}", ("json", "ttl", "jsonld", "rdf")), etag=tag, hints=hints,
                  archs={a["iri"]: a for a in browse.architectures()})


# -- resources: /id/…, /def/…, /id?iri= -------------------------------------------------------------------------
@bp.get("/id/<path:path>")
def resource(path):
    """Any IRI under <base_iri>id/: HTML for browsers, Turtle/JSON-LD/RDF-XML by Accept or suffix, .json."""
    browse = model()
    candidates = browse.iri_for_path(path)
    suffix = None
    iri = next((i for i in candidates if browse.exists(i)), None)
    if iri is None:
        bare, suffix = split_suffix(path, ("json", "ttl", "jsonld", "rdf"))
        if suffix:
            iri = next((i for i in browse.iri_for_path(bare) if browse.exists(i)), None)
    if iri is None:
        raise PageNotFound(i18n.t("error.unknown_resource", g.lang, iri=candidates[0]))
    return _resource_page(iri, suffix, f"/id/{path[: -len(suffix) - 1] if suffix else path}")


@bp.get("/id")
def resource_by_iri():
    """A resource named by ?iri= (303 to /id/… or /def/… when it has such a page)."""
    iri = (request.args.get("iri") or "").strip()
    if iri and not is_iri(iri):
        raise PageBadRequest(i18n.t("error.not_an_iri", g.lang, iri=iri[:200]), "NotAnIRI",
                             "percent-encode spaces and other characters, e.g. %20 for a space")
    browse = model()
    own = browse.local_path(iri)
    if own and own.startswith(("/id/", "/def/")):
        return redirect(own, code=303)
    if not iri or not browse.exists(iri):
        raise PageNotFound(i18n.t("error.unknown_resource", g.lang, iri=iri or "?"))
    return _resource_page(iri, request.args.get("format"), "/id")


@bp.get("/def/<name>")
def term(name):
    """A term of the stelsel vocabulary (stelsel:X) as a page, with the same twins as /id/."""
    from ..vocab import STELSEL
    browse = model()
    iri = str(STELSEL) + name
    suffix = None
    if not browse.exists(iri):
        bare, suffix = split_suffix(name, ("json", "ttl", "jsonld", "rdf"))
        iri = str(STELSEL) + bare
        if not suffix or not browse.exists(iri):
            raise PageNotFound(i18n.t("error.unknown_resource", g.lang, iri=str(STELSEL) + name))
    return _resource_page(iri, suffix, f"/def/{local_name(iri)}")


def _resource_page(iri: str, suffix: str | None, base: str) -> Response:
    fmt = wants(suffix, rdf=True)
    tag, cached = etag_check("resource", iri, validation().state)
    if cached:
        return cached
    browse = model()
    if fmt in RDF_FORMATS:
        return answer(fmt, "", {}, [], rdf=lambda: browse.describe(iri), etag=tag)
    data = browse.resource(iri)
    if data is None:
        raise PageNotFound(i18n.t("error.unknown_resource", g.lang, iri=iri))
    state = validation()
    findings = [f for f in state.findings() if f.focus_node == iri or f.value == iri] if state.report else []
    data = dict(data, findings=[dict(_finding_json(f, g.lang), **view)
                                for f, view in zip(findings, finding_views(findings, model(), g.lang))],
                validation={"state": state.state, "reason": state.reason})
    from .suggestions import suggestions_for  # the "Suggesties" section (docs/suggest.md)
    data["suggestions"] = suggestions_for(current_app, iri, g.lang)
    arch = browse.architecture_by_iri(iri)
    twins = twin_links(base, ("json", "ttl", "jsonld", "rdf"), keep_query=base == "/id")
    return answer(fmt, "resource.html", data, twins, etag=tag, arch_page=arch)


def _finding_json(f, lang: str) -> dict:
    shape = f.source_shape
    return {"severity": f.severity.value, "focusNode": f.focus_node, "value": f.value, "path": f.path,
            "shape": shape, "shapeName": local_name(shape) if shape and not shape.startswith("_:") else None,
            "constraint": f.constraint, "message": f.message, "rule": f.rule, "architecture": f.architecture,
            "graph": f.graph, "fingerprint": f.fingerprint}


# -- matrix and alignments ---------------------------------------------------------------------------------
def _statuses() -> tuple[str, ...]:
    asked = [s.lower() for s in request.args.getlist("status") if s.lower() in STATUSES]
    return tuple(asked) if asked else DEFAULT_STATUSES


@bp.get("/matrix")
@bp.get("/matrix.<any(json):suffix>")
def matrix(suffix=None):
    """NORA architectuurprincipes × architectures: alignments per cell; ?status= filters (HTML, .json)."""
    fmt = wants(suffix)
    tag, cached = etag_check("matrix")
    if cached:
        return cached
    browse = model()
    data = browse.matrix(_statuses())
    extra = {}
    if fmt == "html":  # the links and names of the cells, made once here rather than per cell in Jinja
        statuses = "".join(f"&status={s}" for s in data["statuses"])
        names = [i18n.pick(browse.short_name(c), g.lang) for c in data["columns"]]
        extra["cells"] = [[(i18n.format_number(cell["n"], g.lang),
                            f"/aansluitingen?van={cell['slug']}&principe={row['principle']['notation']}{statuses}"
                            if cell["n"] else None,
                            i18n.t("matrix.cell", g.lang, n=cell["n"], arch=names[i], nap=row["principle"]["notation"]),
                            0 if cell["n"] == 0 else 1 if cell["n"] <= 2 else 2 if cell["n"] <= 5 else 3)
                           for i, cell in enumerate(row["cells"])] for row in data["rows"]]
        extra["names"] = names
        extra["archs_by_iri"] = {a["iri"]: a for a in model().architectures()}
    return answer(fmt, "matrix.html", data, twin_links("/matrix"), etag=tag, **extra)


@bp.get("/aansluitingen")
@bp.get("/aansluitingen.<any(json):suffix>")
def alignments(suffix=None):
    """Alignments with provenance, filtered by ?van=, ?naar=, ?principe=, ?status= (HTML, .json)."""
    fmt = wants(suffix)
    tag, cached = etag_check("alignments")
    if cached:
        return cached
    browse = model()
    source = browse.architecture_by_slug(request.args.get("van", ""))
    target = browse.architecture_by_slug(request.args.get("naar", ""))
    principle = None
    asked = (request.args.get("principe") or "").strip()
    if asked:
        principle = next((p for p in browse.principles() if asked in (p["iri"], p["notation"])), None)
    page = _page_number()
    data = browse.alignments(source["iri"] if source else None, target["iri"] if target else None,
                             principle["iri"] if principle else None, _statuses(), page)
    data["filters"] = {"van": source["slug"] if source else None, "naar": target["slug"] if target else None,
                       "principe": principle["notation"] if principle else None}
    if source and not principle:
        data["deviations"] = browse.deviations(source["iri"], target["iri"] if target else None)
    return answer(fmt, "alignments.html", data, twin_links("/aansluitingen"), etag=tag,
                  source=source, target=target, principle=principle, archs=browse.architectures(),
                  principles=browse.principles())


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("pagina", "1")))
    except ValueError:
        return 1


# -- trace --------------------------------------------------------------------------------------------------
@bp.get("/trace")
@bp.get("/trace.<any(json):suffix>")
def trace(suffix=None):
    """From ?element=<IRI> up to NORA's quality goals and core values, as a layered diagram and paths."""
    fmt = wants(suffix)
    tag, cached = etag_check("trace")
    if cached:
        return cached
    browse = model()
    iri = (request.args.get("element") or "").strip()
    data = {"element": None}
    extra = {}
    if iri:
        if not browse.exists(iri):
            raise PageNotFound(i18n.t("error.unknown_resource", g.lang, iri=iri))
        data = browse.trace(iri)
        if fmt == "html":
            start = data["element"]
            title = i18n.pick(start["label"], g.lang) if start else iri
            if start and start.get("notation"):
                title = f"{start['notation']} {title}"
            extra["diagram"] = trace_diagram(data, title, g.lang) if data["nodes"] else None
            extra["tree"] = path_tree(data["paths"])
            extra["layers"] = [(layer, layer_name(layer, g.lang), [n for n in data["nodes"] if n["layer"] == layer])
                               for layer in trace_layers(data)]
    return answer(fmt, "trace.html", data, twin_links("/trace"), etag=tag, iri=iri, **extra)


# -- validation -------------------------------------------------------------------------------------------------
@bp.get("/validatie")
@bp.get("/validatie.<any(json):suffix>")
def validation_report(suffix=None):
    """The validation findings, filtered by ?ernst=, ?architectuur=, ?regel= (HTML, .json)."""
    fmt = wants(suffix)
    state = validation()
    browse = model()
    severities = [s for s in SEVERITIES if s.lower() in {v.lower() for v in request.args.getlist("ernst")}]
    arch = browse.architecture_by_slug(request.args.get("architectuur", ""))
    shape = (request.args.get("regel") or "").strip()
    findings = state.findings()
    all_count = len(findings)
    shapes_seen = sorted({f.source_shape for f in findings if f.source_shape and not f.source_shape.startswith("_:")},
                         key=local_name)
    if severities:
        findings = [f for f in findings if f.severity.value in severities]
    if arch:
        findings = [f for f in findings if f.architecture == arch["iri"]]
    if shape:
        findings = [f for f in findings if f.source_shape == shape or local_name(f.source_shape) == shape]
    findings.sort(key=lambda f: (-f.severity.rank, f.architecture or "~", local_name(f.source_shape),
                                 natural(f.focus_node)))
    page = _page_number()
    total = len(findings)
    page = max(1, min(page, max(1, -(-total // PAGE_SIZE))))
    shown = findings[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    views = finding_views(shown, browse, g.lang)
    data = {"state": state.state, "reason": state.reason, "summary": _validation_summary(state), "all": all_count,
            "total": total, "page": page, "size": PAGE_SIZE,
            "filters": {"ernst": severities, "architectuur": arch["slug"] if arch else None, "regel": shape or None},
            "findings": [dict(_finding_json(f, g.lang), **view) for f, view in zip(shown, views)]}
    return answer(fmt, "validation.html", data, twin_links("/validatie"), archs=browse.architectures(),
                  shapes_seen=shapes_seen)


@bp.get("/shapes")
@bp.get("/shapes.<any(json):suffix>")
def shapes(suffix=None):
    """The SHACL shapes with their explanation, one anchor per shape (HTML, .json)."""
    fmt = wants(suffix)
    browse = model()
    state = validation()
    counts: dict[str, int] = {}
    for f in state.findings():
        counts[f.source_shape] = counts.get(f.source_shape, 0) + 1
    items = [dict(s, findings=counts.get(s["iri"], 0)) for s in browse.shapes()]
    files: dict[str, list] = {}
    for s in items:
        files.setdefault(s["file"], []).append(s)
    data = {"shapes": items, "validation": state.state}
    return answer(fmt, "shapes.html", data, twin_links("/shapes"), files=files)


# -- search ---------------------------------------------------------------------------------------------------
@bp.get("/zoeken")
@bp.get("/zoeken.<any(json):suffix>")
def search(suffix=None):
    """Search by code or name (nl/en, case and accents ignored), facets ?soort= and ?architectuur=."""
    fmt = wants(suffix)
    tag, cached = etag_check("search")
    if cached:
        return cached
    browse = model()
    q = (request.args.get("q") or "")[:200]
    kind = (request.args.get("soort") or "").strip() or None
    if kind and ":" not in kind:
        from ..vocab import STELSEL
        kind = str(STELSEL) + kind
    arch = browse.architecture_by_slug(request.args.get("architectuur", ""))
    data = browse.search(q, kind, arch["iri"] if arch else None, _page_number())
    data["filters"] = {"soort": local_name(kind) if kind else None, "architectuur": arch["slug"] if arch else None}
    return answer(fmt, "search.html", data, twin_links("/zoeken"), etag=tag)


# -- SPARQL query pages ----------------------------------------------------------------------------------------
EXAMPLE = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# De NORA-architectuurprincipes met hun Nederlandse naam
SELECT ?principe ?code ?naam WHERE {
  ?principe a stelsel:Architectuurprincipe ;
            stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> ;
            skos:notation ?code ;
            skos:prefLabel ?naam .
  FILTER(lang(?naam) = "nl")
}
ORDER BY ?code
"""
RESULT_ROWS = 1000


def catalogue() -> dict:
    from ..queries import load_catalogue
    config = current_app.config["STELSEL"]
    folder = config.queries_dir
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.rq"))) if folder.is_dir() else ()
    cached = current_app.extensions.get("stelsel.browse.catalogue")
    if cached is None or cached[0] != stamp:
        try:
            queries = load_catalogue(folder) if folder.is_dir() else {}
            error = None
        except StelselError as exc:
            queries, error = {}, exc.message
        cached = (stamp, queries, error)
        current_app.extensions["stelsel.browse.catalogue"] = cached
    return cached[1]


def _run_user_query(text: str) -> dict:
    """Run a query from the editor through the endpoint's executor (time and row limits)."""
    from ..executor import QueryOptions
    from ..sparql_text import inspect_query
    config = current_app.config["STELSEL"]
    try:
        shape = inspect_query(text)
        if shape.service:
            raise StelselError("SERVICE is not allowed: this server does not call other endpoints")
        if shape.form is None:
            raise StelselError("this is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)",
                               hint="updates go to /sparql with a token")
        if shape.has_dataset:
            known = {g.iri for g in current_app.extensions["stelsel.store"].graphs()}
            unknown = [i for i in shape.from_graphs + shape.from_named if i not in known]
            if unknown:
                raise StelselError(f"FROM <{unknown[0]}> is not a graph in this store")
            options = QueryOptions(union_default=False, default_graph=tuple(shape.from_graphs),
                                   named_graphs=tuple(shape.from_named))
        else:
            options = QueryOptions(union_default=config.union_default_graph)
        if shape.form in ("CONSTRUCT", "DESCRIBE"):
            return {"form": shape.form, "graph": True}
        executor = current_app.extensions["stelsel.executor"]
        timeout = min(config.query_timeout, config.max_query_timeout)
        started = time.perf_counter()
        result = executor.run(text, options, "json", timeout, max_rows=min(config.max_result_rows, RESULT_ROWS))
        return dict(_results(json.loads(result.body)), truncated=result.truncated, form=shape.form,
                    seconds=round(time.perf_counter() - started, 3))
    except StelselError as exc:
        return {"error": exc.message, "hint": exc.hint, "line": getattr(exc, "line", None),
                "column": getattr(exc, "column", None)}


def _results(doc: dict) -> dict:
    if "boolean" in doc:
        return {"boolean": doc["boolean"]}
    names = doc.get("head", {}).get("vars", [])
    return {"vars": names, "rows": [[row.get(n) for n in names] for row in doc.get("results", {}).get("bindings", [])]}


@bp.get("/query")
def query_page():
    """A SPARQL editor; ?query= runs the query and shows the answer as a table; the form also posts to /sparql."""
    text = request.args.get("query")
    result = _run_user_query(text) if text and text.strip() else None
    data = {"query": text or EXAMPLE, "result": result,
            "examples": [{"name": q.name, "title": q.title, "description": q.description}
                         for q in catalogue().values()]}
    return answer(wants(), "query.html", data, [], form_query=text or EXAMPLE, refs=result_refs(model(), result))


@bp.get("/query/<name>")
def canned_page(name):
    """A canned query as a form: parameters, the final query, the answer; .csv downloads, .json twin."""
    from ..remote_store import inject_values
    name, suffix = split_suffix(name, ("json", "csv"))
    queries = catalogue()
    canned = queries.get(name)
    if canned is None:
        raise PageNotFound(i18n.t("error.unknown_query", g.lang, name=name))
    given = form_values(canned.parameters, request.args)
    error = None
    final = canned.text
    try:
        bindings = canned.bindings(given)
        final = inject_values(canned.text, bindings) if bindings else canned.text
    except StelselError as exc:
        bindings, error = None, exc.message
    store = current_app.extensions["stelsel.store"]
    fmt = "csv" if suffix == "csv" else wants(suffix)
    result = None
    if bindings is not None:
        from ..executor import render_result
        config = current_app.config["STELSEL"]
        def run(kind: str):
            started = time.perf_counter()
            raw = store.query(canned.text, substitutions=bindings) if bindings else store.query(canned.text)
            limit = config.max_result_rows if kind == "csv" else min(config.max_result_rows, RESULT_ROWS)
            return render_result(raw, kind, limit), round(time.perf_counter() - started, 3)

        try:  # a canned query is trusted (it is in the repository): it runs here, its answer kept per version
            kind = "csv" if fmt == "csv" else "json"
            rendered, seconds = model().lru(("canned", name, tuple(sorted(given.items())), kind),
                                            lambda: run(kind), size=64)
            if fmt == "csv":
                return Response(rendered.body, content_type="text/csv; charset=utf-8", headers={
                    "Content-Disposition": f'attachment; filename="{name}.csv"', "Vary": "Accept"})
            result = dict(_results(json.loads(rendered.body)), truncated=rendered.truncated, seconds=seconds)
        except StelselError as exc:
            error = exc.message
    if fmt == "csv":
        raise PageNotFound(error or "no result")
    data = {"name": canned.name, "title": canned.title, "description": canned.description,
            "tags": list(canned.tags),
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description,
                            "value": given.get(p.name, p.default)} for p in canned.parameters],
            "query": canned.text, "final": final, "result": result, "error": error}
    query_string = urllib.parse.urlencode(given)
    if fmt == "html":
        browse = model()
        extra = {"fields": parameter_fields(browse, data["parameters"], g.lang), "refs": result_refs(browse, result),
                 "cols": columns(result, request.args.getlist("kolom")), "form_mark": BOOLEAN_FORM_MARK}
    else:
        extra = {}
    twins = [("JSON", f"/query/{name}.json" + (f"?{query_string}" if query_string else "")),
             ("CSV", f"/query/{name}.csv" + (f"?{query_string}" if query_string else ""))]
    return answer(fmt, "canned.html", data, twins, query_string=query_string, **extra)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the SVG icon."""
    return current_app.send_static_file("favicon.svg"), 200, {"Cache-Control": "public, max-age=86400"}


# -- colophon -----------------------------------------------------------------------------------------------
@bp.get("/colofon")
@bp.get("/colofon.<any(json):suffix>")
def colophon(suffix=None):
    """Who makes this, under which licences, from which sources (with dates), contact, accessibility."""
    fmt = wants(suffix)
    browse = model()
    data = {"sources": colophon_sources(browse), "alignments": alignment_provenance(browse),
            "licences": {"code": "EUPL-1.2", "data": "CC-BY-4.0"}, "version": __version__}
    return answer(fmt, "colophon.html", data, twin_links("/colofon"))


# -- tool pages ---------------------------------------------------------------------------------------------
@bp.get("/-/graphs")
@bp.get("/-/graphs.<any(json):suffix>")
def graphs(suffix=None):
    """The named graphs of the store with their triple counts (HTML, .json)."""
    fmt = wants(suffix)
    browse = model()
    items = browse.graphs()
    data = {"graphs": items, "total": sum(i["triples"] for i in items),
            "store_version": current_app.extensions["stelsel.store"].version()}
    return answer(fmt, "graphs.html", data, twin_links("/-/graphs"))


def markup(value: str) -> Markup:
    return Markup(value)


__all__ = ["bp", "url_for"]
