"""The web part: ``create_app(config)`` builds a Flask app over one store; no module state.

The core (store, queries, validation) imports without Flask; only this package needs it.

Every answer carries open CORS headers (the data is public; writes need a bearer token, never a
cookie), every error is one JSON shape (``error``, ``message``, ``hint``, ``status``), and every
request is logged as one JSON line on the ``stelsel.access`` logger.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..config import Config
from ..errors import StelselError
from ..executor import AnswerCache, executor_for
from ..store import GraphStore, open_store
from ..vocab import PREFIXES

access_log = logging.getLogger("stelsel.access")
error_log = logging.getLogger("stelsel.server")

ALLOW_HEADERS = "Accept, Authorization, Content-Type, If-None-Match, Cache-Control"
EXPOSE_HEADERS = "ETag, Stelsel-Truncated, Stelsel-Row-Limit, WWW-Authenticate, Content-Length"


def create_app(config: Config | None = None, store: GraphStore | None = None) -> Flask:
    """An app serving ``store`` (default: the configured store, loaded on first use)."""
    config = config or Config()
    app = Flask(__name__)
    app.config["STELSEL"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = config.max_request_bytes
    store = store if store is not None else open_store(config)
    app.extensions["stelsel.store"] = store
    app.extensions["stelsel.executor"] = executor_for(store, config.query_workers, waiting=config.query_queue,
                                                      prefixes={k: str(v) for k, v in PREFIXES.items()})
    app.extensions["stelsel.cache"] = AnswerCache(config.cache_entries, config.cache_bytes)

    from .gsp import bp as gsp_bp
    from .meta import bp as meta_bp
    from .openapi import bp as openapi_bp
    from .queries import bp as queries_bp       # reads the canned-query catalogue once, here
    from .sparql import bp as sparql_bp
    for bp in (meta_bp, sparql_bp, gsp_bp, queries_bp, openapi_bp):
        app.register_blueprint(bp)
    from .browse import bp as browse_bp; app.register_blueprint(browse_bp)  # the browsing UI (docs/ui.md)
    from .datasets import bp as datasets_bp; app.register_blueprint(datasets_bp)  # NDE datasets (docs/datasets.md)
    from .review import bp as review_bp; app.register_blueprint(review_bp)  # owners' decisions (docs/review.md)
    from .suggestions import bp as suggest_bp; app.register_blueprint(suggest_bp)  # suggestions (docs/suggest.md)

    _install_hooks(app, config)
    from .safety import install as install_safety; install_safety(app)  # CSP, nosniff, Referrer-Policy
    return app


def _install_hooks(app: Flask, config: Config) -> None:
    @app.before_request
    def start_clock():
        g.stelsel_started = time.perf_counter()
        if len(request.query_string) > config.max_request_bytes:
            raise RequestEntityTooLarge()

    @app.after_request
    def cors_and_access_log(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        if request.method == "OPTIONS":
            allowed = response.headers.get("Allow", "GET, HEAD, POST, OPTIONS")
            response.headers["Access-Control-Allow-Methods"] = allowed
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
        _log_access(response)
        return response

    @app.errorhandler(StelselError)
    def stelsel_error(exc: StelselError):
        response = jsonify(exc.as_dict())
        response.status_code = exc.http_status
        for name, value in getattr(exc, "headers", {}).items():
            response.headers[name] = value
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description or exc.name
        hint = None
        if isinstance(exc, RequestEntityTooLarge):
            message = f"the request is larger than {config.max_request_bytes:,} bytes"
            hint = "send a shorter query, or split the data into several requests"
        response = jsonify({"error": exc.name.replace(" ", ""), "message": message, "hint": hint,
                            "status": exc.code})
        response.status_code = exc.code or 500
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        error_id = uuid.uuid4().hex[:12]
        g.stelsel_error_id = error_id
        error_log.error("internal error %s on %s %s", error_id, request.method, request.path, exc_info=exc)
        response = jsonify({"error": "InternalError", "message": "internal error", "id": error_id,
                            "hint": f"report the id {error_id}: the server's log has the details",
                            "status": 500})
        response.status_code = 500
        return response


def query_hash(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12] if text is not None else None


def _log_access(response: Response) -> None:
    started = g.get("stelsel_started")
    size = response.calculate_content_length()
    record = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 2) if started is not None else None,
        "query": query_hash(g.get("stelsel_query")),
        "bytes": size if size is not None else response.content_length,
    }
    if g.get("stelsel_error_id"):
        record["error_id"] = g.stelsel_error_id
    access_log.info(json.dumps(record, separators=(",", ":")))
