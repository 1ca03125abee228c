"""The "Suggesties" section of an element page: the suggester's first NORA targets for a principle
or goal of a member architecture (method "combined": no model needed, a few ms per element). The
index is built once per store version and kept on the app; the logic is in :mod:`stelsel.suggest`."""

from __future__ import annotations

import threading

from ..suggest import Corpus, Suggester
from ..suggest.corpus import SOURCE_CLASSES
from ..suggest.formats import as_dict
from ..suggest.ranker import NORA

METHOD = "combined"
SHOWN = 5
_LOCK = threading.Lock()


def _suggester(app):
    store = app.extensions["stelsel.store"]
    version = store.version()
    with _LOCK:
        cached = app.extensions.get("stelsel.suggest")
        if cached is None or cached[0] != version:
            cached = (version, Suggester(Corpus.from_store(store), method=METHOD))
            app.extensions["stelsel.suggest"] = cached
    return cached[1]


def suggestions_for(app, iri: str, lang: str) -> dict | None:
    """{"method", "items": [...]} for a principle or goal outside NORA; None for anything else."""
    suggester = _suggester(app)
    element = suggester.corpus.elements.get(iri)
    if element is None or element.architecture == NORA or element.kind not in SOURCE_CLASSES or element.withdrawn:
        return None
    items = [as_dict(s, lang) for s in suggester.suggest(element, SHOWN)]
    short = iri.removeprefix("https://w3id.org/stelsel/id/")
    return {"method": METHOD, "element": short, "items": items}


# -- HTTP: GET /suggest?element=…, POST /suggest/accept ------------------------------------------

from flask import Blueprint, current_app, jsonify, request  # noqa: E402

from ..errors import InputError  # noqa: E402
from .auth import Forbidden, authenticate, grants  # noqa: E402

bp = Blueprint("suggest", __name__)


@bp.get("/suggest")
def list_suggestions():
    """JSON: the first suggestions for ?element= (IRI or architecture/notation), ?k= (1–50)."""
    suggester = _suggester(current_app)
    ref = request.args.get("element", "")
    if not ref:
        raise InputError("name an element: /suggest?element=gemma/GAP18")
    try:
        k = min(max(int(request.args.get("k", "10")), 1), 50)
    except ValueError:
        raise InputError("k must be a whole number from 1 to 50") from None
    element = suggester.corpus.resolve_element(ref)
    return jsonify({"element": element.iri, "method": METHOD,
                    "suggestions": [as_dict(s, request.args.get("lang", "nl")) for s in suggester.suggest(element, k)]})


@bp.post("/suggest/accept")
def accept_suggestion():
    """JSON {"element", "target", "comment", "reviewer_id", "reviewer_label"} with a token granted the
    element's architecture graph (its owner's): 201 with the alignment and the review."""
    from ..suggest.accept import accept, find_suggestion
    grant = authenticate(request, current_app.config["STELSEL"])
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("element", "target")):
        raise InputError('the body must be JSON with "element" and "target"',
                         hint='send {"element": "dera/P7", "target": "nora/NAP08", "comment": "…", "reviewer_id": "IRI"}')
    suggester = _suggester(current_app)
    element = suggester.corpus.resolve_element(body["element"])
    store = current_app.extensions["stelsel.store"]
    graphs = [r["g"].value for r in store.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{element.iri}> <https://w3id.org/stelsel/def#inArchitectuur> ?a }} }}")]
    if not any(grants(grant, g) for g in graphs):
        raise Forbidden(f"token '{grant.name}' may not align <{element.iri}>",
                        hint="a token granted the graph of the element's architecture: " + ", ".join(graphs))
    suggestion = find_suggestion(suggester, element, body["target"])
    done = accept(store, suggestion, method=METHOD, comment=str(body.get("comment") or ""),
                  reviewer_id=str(body.get("reviewer_id") or ""), reviewer_label=body.get("reviewer_label"))
    response = jsonify({"alignment": done.alignment, "review": done.review.as_dict()})
    response.status_code = 201
    return response
