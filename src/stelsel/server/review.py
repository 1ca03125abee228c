"""/review: owners record decisions on alignments over HTTP (docs/review.md); the logic is in
:mod:`stelsel.review`.

==============================  ==================================================================
``GET /review/<ref>``           the alignment's current status and every decision so far (JSON)
``POST /review/<ref>``          one decision, JSON ``{"status": "vastgesteld"|"afgewezen",
                                "comment": …, "reviewer_id": IRI, "reviewer_label": …}`` or the same
                                as form fields; a token (``Authorization: Bearer``) granted the
                                alignment's graph or the graph of the architecture on either end
                                (its owner's): 201 with the review, 400 bad input, 401 no or bad
                                token, 403 a token for another architecture, 404 no such alignment
==============================  ==================================================================

``<ref>`` is ``aansluiting/<id>`` or ``afwijking/<id>`` (the alignment's IRI under ``id:``).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..review import ReviewError, find_alignment, history, record_review
from .auth import Forbidden, authenticate, grants

bp = Blueprint("review", __name__)


def _target(kind: str, ident: str):
    return find_alignment(current_app.extensions["stelsel.store"], f"{kind}/{ident}")


@bp.route("/review/<any(aansluiting, afwijking):kind>/<ident>", methods=["GET"])
def show(kind: str, ident: str):
    target = _target(kind, ident)
    reviews = history(current_app.extensions["stelsel.store"], target.iri)
    return jsonify({"alignment": target.iri, "kind": target.kind,
                    "status": target.status.rsplit("#", 1)[-1] if target.status else None,
                    "reviews": [r.as_dict() for r in reviews]})


@bp.route("/review/<any(aansluiting, afwijking):kind>/<ident>", methods=["POST"])
def decide(kind: str, ident: str):
    grant = authenticate(request, current_app.config["STELSEL"])
    target = _target(kind, ident)
    if not target.may_review(lambda graph: grants(grant, graph)):
        raise Forbidden(f"token '{grant.name}' may not decide on <{target.iri}>",
                        hint="a review token is granted by the owner of an architecture on either end: "
                             + ", ".join(sorted({target.graph, *target.owner_graphs})))
    body = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(body, dict) and not hasattr(body, "get"):
        raise ReviewError("the body must be a JSON object or form fields",
                          hint='send {"status": "vastgesteld", "comment": "…", "reviewer_id": "IRI"}')
    values = {k: body.get(k) for k in ("status", "comment", "reviewer_id", "reviewer_label")}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise ReviewError(f"'{key}' must be a string")
    rv = record_review(current_app.extensions["stelsel.store"], target.iri, values["status"] or "",
                       values["comment"] or "", values["reviewer_id"] or "", values["reviewer_label"])
    response = jsonify(rv.as_dict())
    response.status_code = 201
    response.headers["Location"] = f"/review/{kind}/{ident}"
    return response
