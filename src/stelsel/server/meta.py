"""Tool pages under /-/: health and version."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .. import __version__

bp = Blueprint("meta", __name__, url_prefix="/-")


@bp.get("/health")
def health():
    """Never waits on query workers; the graph count is remembered per store version."""
    from .sparql import local_graphs
    return jsonify({"status": "ok", "graphs": len(local_graphs())})


@bp.get("/version")
def version():
    store = current_app.extensions["stelsel.store"]
    return jsonify({"stelsel": __version__, "store_version": store.version()})
