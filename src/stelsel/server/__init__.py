"""The web part: ``create_app(config)`` builds a Flask app over one store; no module state.

The core (store, queries, validation) imports without Flask; only this package needs it.
"""

from __future__ import annotations

from flask import Flask, jsonify

from ..config import Config
from ..errors import StelselError
from ..store import GraphStore, open_store


def create_app(config: Config | None = None, store: GraphStore | None = None) -> Flask:
    """An app serving ``store`` (default: the configured embedded store, loaded on first use)."""
    config = config or Config()
    app = Flask(__name__)
    app.config["STELSEL"] = config
    app.extensions["stelsel.store"] = store if store is not None else open_store(config)

    from .meta import bp as meta_bp
    from .sparql import bp as sparql_bp
    app.register_blueprint(meta_bp)
    app.register_blueprint(sparql_bp)

    @app.errorhandler(StelselError)
    def stelsel_error(exc: StelselError):
        return jsonify(exc.as_dict()), exc.http_status

    return app
