"""Safe pages: which IRIs may become links, what counts as an IRI, and the security headers.

- ``link_target(url)``: the URL when a browser may follow it (``http``, ``https`` or a path on
  this site), else ``None``: an IRI like ``javascript:…`` or ``data:…`` written in the data is shown
  as text, never as a link.
- ``is_iri(text)``: an absolute IRI (RFC 3987: a scheme, no spaces, no ``<>"{}|\\^``` ``).
- ``install(app)``: ``Content-Security-Policy``, ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy`` on every response. The pages run no inline script or handler, so
  ``script-src 'self'`` holds; styles may be inline (the editor injects its own).
"""

from __future__ import annotations

import re

# style-src allows inline styles: the SPARQL editor (CodeMirror) injects its own <style>; scripts stay strict
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}

_LINKABLE = re.compile(r"^(?:https?://[^\s\"<>\\^`{|}]+|/(?!/)[^\s\"<>\\^`{|}]*)$", re.IGNORECASE)
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}\x00-\x1f\x7f]*$")


def link_target(url: str | None) -> str | None:
    """``url`` if it is http(s) or a local path, else None (show it as text)."""
    if not url or not isinstance(url, str):
        return None
    return url if _LINKABLE.match(url) else None


def is_iri(text: str | None) -> bool:
    return bool(text) and bool(_IRI.match(text))


def install(app) -> None:
    """Set the security headers on every response of ``app`` (an existing value is kept)."""
    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
