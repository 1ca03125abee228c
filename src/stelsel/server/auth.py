"""Write access: bearer tokens, each allowed to write the graphs it is granted.

Tokens are stored only as ``sha256:<hex>`` of the token (``[tokens.<name>]`` in stelsel.toml,
made with ``stelsel token new``). Why SHA-256 and not scrypt/PBKDF2: the tokens are not
passwords a person picks but 256 random bits from :mod:`secrets`. Salting and stretching exist
to make guessing *low-entropy* secrets expensive; no amount of guessing finds a 256-bit value,
so they would add nothing, while costing every write request (and anyone sending bogus tokens
could make the server burn that CPU). A leaked config file therefore reveals nothing usable.
The comparison is constant-time (:func:`hmac.compare_digest`) against every configured token,
with no early exit.

Tokens are accepted only in the ``Authorization: Bearer`` header: never in the URL, where they
end up in logs, browser history and Referer headers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Iterable

from flask import Request

from ..config import Config, TokenGrant
from ..errors import StelselError
from ..vocab import GRAPH
from ..writes import DEFAULT_KEY, label

TOKEN_PREFIX = "stl_"
URL_TOKEN_PARAMS = ("access_token", "token", "api_key", "apikey", "key")


class Unauthorized(StelselError):
    """No token, or one that is not configured (401)."""

    http_status = 401

    def __init__(self, message: str, hint: str | None = None, error: str | None = None):
        super().__init__(message, hint)
        challenge = 'Bearer realm="stelsel"'
        if error:
            challenge += f', error="{error}"'
        self.headers = {"WWW-Authenticate": challenge}


class Forbidden(StelselError):
    """A valid token asking for a write it is not granted (403)."""

    http_status = 403

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.headers = {"WWW-Authenticate": 'Bearer realm="stelsel", error="insufficient_scope"'}


def new_token() -> str:
    """A fresh token: 256 random bits, URL-safe, with a prefix secret scanners can spot."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def toml_snippet(name: str, token_hash: str, graphs: Iterable[str]) -> str:
    listed = ", ".join(f'"{g}"' for g in graphs)
    return f'[tokens.{name}]\nhash = "{token_hash}"\ngraphs = [{listed}]\n'


def authenticate(request: Request, config: Config) -> TokenGrant:
    """The token the request carries, or :class:`Unauthorized`."""
    in_url = [p for p in URL_TOKEN_PARAMS if p in request.args or p in request.form]
    header = request.headers.get("Authorization", "")
    if not header:
        if in_url:
            raise Unauthorized(f"a token is not accepted as a URL or form parameter ('{in_url[0]}')",
                               hint="send it as the header 'Authorization: Bearer TOKEN', and make a new "
                                    "token: one sent in a URL may have been logged",
                               error="invalid_request")
        raise Unauthorized("writing needs a token", hint="send 'Authorization: Bearer TOKEN'; an administrator "
                           "makes one with 'stelsel token new NAME --graph IRI'")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("the Authorization header must be 'Bearer TOKEN'", error="invalid_request")
    digest = hash_token(token)
    found: TokenGrant | None = None
    for grant in config.tokens:        # every one, no early exit
        if hmac.compare_digest(digest, grant.hash):
            found = grant
    if found is None:
        raise Unauthorized("the token is not valid", hint="check it, or ask for a new one",
                           error="invalid_token")
    return found


DATASETS_GRAPH = f"{GRAPH}datasets/"   # dataset registrations: written only through /datasets


def grants(grant: TokenGrant, graph: str) -> bool:
    """Whether ``grant`` may write ``graph``: an exact IRI, a prefix pattern ending in ``*``, or
    ``*`` (every graph; the only grant for the default graph, ``""``)."""
    for pattern in grant.graphs:
        if pattern == "*":
            return True
        if graph == DEFAULT_KEY:
            continue
        if pattern.endswith("*"):
            if graph.startswith(pattern[:-1]):
                return True
        elif graph == pattern:
            return True
    return False


def is_admin(grant: TokenGrant) -> bool:
    """An admin of dataset registrations: ``role = "admin"``, or granted every dataset graph
    (``…/graph/datasets/*`` or wider)."""
    if grant.role == "admin":
        return True
    return any(p.endswith("*") and DATASETS_GRAPH.startswith(p[:-1]) for p in grant.graphs)


def authorize(grant: TokenGrant, graphs: Iterable[str], operation: str) -> None:
    """Every graph a write changes must be granted; else :class:`Forbidden`.

    ``graphs`` are what the write changes (for an update: what it changed on a copy, see
    :mod:`stelsel.writes`); ``""`` is the default graph. Dataset registrations
    (``…/graph/datasets/…``) are written only through ``/datasets`` (which does not call this),
    unless the token is an admin."""
    for graph in sorted(graphs):
        if graph == DEFAULT_KEY and not grants(grant, graph):
            raise Forbidden(f"the {operation} changes the default graph, which only a token granted '*' may write",
                            hint="write into a named graph you are granted: GRAPH <IRI> { … } or WITH <IRI>")
        if not grants(grant, graph):
            raise Forbidden(f"token '{grant.name}' may not write {label(graph)} (the {operation} changes it)",
                            hint="it may write: " + ", ".join(grant.graphs))
        if graph.startswith(DATASETS_GRAPH) and not is_admin(grant):
            raise Forbidden(f"{label(graph)} is a dataset registration: partners write those only through "
                            "POST /datasets (which validates them)",
                            hint="register the description with POST /datasets (docs/datasets.md)")
