"""A remote SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, QLever, ``oxigraph serve``) as a GraphStore.

Selected with ``--store URL`` (or ``store = "https://…"`` in stelsel.toml): the URL is the
SPARQL query endpoint. Queries go through SPARQLWrapper and come back as the same pyoxigraph
result types the embedded store gives (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``),
so :func:`stelsel.results.render` and the endpoint work unchanged. Graphs are loaded through the
SPARQL 1.1 Graph Store Protocol (one ``PUT`` per graph, N-Triples) when ``gsp_endpoint`` is set,
else through one SPARQL Update request (``DROP SILENT GRAPH`` + ``INSERT DATA`` per graph).

Differences from the embedded store (docs/remote-store.md):

- the default graph is whatever the server makes it: stelsel expects the union of the named
  graphs (``oxigraph serve --union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``,
  GraphDB: the default graph of a repository is already the union of all statements);
- loading through the Graph Store Protocol is atomic per graph, not across graphs (a failure
  half-way leaves earlier graphs replaced); loading through SPARQL Update is one request, which
  Fuseki and oxigraph run as one transaction;
- ``version()`` (the ETag and answer-cache key) changes at once on writes made through this
  object, and every ``store_version_seconds`` (default 10) besides: writes by other clients
  straight to the server show within that time, not at once.

SPARQLWrapper is used for queries and updates as it handles the protocol, authentication and
timeouts; the Graph Store Protocol (which it does not speak) uses ``urllib`` with the same
headers.
"""

from __future__ import annotations

import ast
import base64
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import BinaryIO, Iterable, Mapping

import pyoxigraph as ox
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as swe

from . import __version__
from .config import Config
from .errors import QueryError, StoreError
from .sparql_text import QuerySyntaxError
from .sources import ParsedFile, triples_by_graph
from .store import DUMP_FORMATS, GraphInfo

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # older servers label N-Triples so
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
# one Accept for every query form: the server answers SELECT/ASK with results, CONSTRUCT/DESCRIBE with RDF
ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
          "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5")
NT = "application/n-triples"
UPDATE_KEYWORDS = ("INSERT", "DELETE", "CREATE", "CLEAR", "DROP", "LOAD", "COPY", "MOVE", "ADD")


def default_update_endpoint(query_url: str) -> str:
    """The usual update endpoint beside a query endpoint.

    ``…/query`` or ``…/sparql`` (oxigraph, Fuseki, QLever) → ``…/update``;
    ``…/repositories/<id>`` (GraphDB, RDF4J) → ``…/repositories/<id>/statements``;
    anything else (Virtuoso's ``/sparql`` handles both) → the query URL itself.
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    if re.search(r"/(query|sparql)$", path):
        path = path.rsplit("/", 1)[0] + "/update"
    elif re.search(r"/repositories/[^/]+$", path):
        path += "/statements"
    else:
        return query_url
    return urllib.parse.urlunsplit(parts._replace(path=path))


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper, telling queries from updates with stelsel's scanner instead of its regex.

    Its regex warns (RuntimeWarning) on anything it cannot classify and is fooled by keywords in
    comments or strings; the server is the judge of a query, so stelsel only needs the form."""

    def _parseQueryType(self, query: str) -> str:
        return query_form(query) or "SELECT"


class RemoteStore:
    """A GraphStore over a SPARQL 1.1 query endpoint (plus update and Graph Store endpoints)."""

    def __init__(self, query_endpoint: str, *, update_endpoint: str | None = None,
                 gsp_endpoint: str | None = None, user: str | None = None, password: str | None = None,
                 token: str | None = None, timeout: float = 30.0, version_seconds: float = 10.0):
        query_endpoint, url_user, url_password = _split_userinfo(query_endpoint)
        self.url = query_endpoint
        self.update_url = _split_userinfo(update_endpoint or default_update_endpoint(query_endpoint))[0]
        self.gsp_url = _split_userinfo(gsp_endpoint)[0] if gsp_endpoint else None
        self.timeout = float(timeout)
        self.version_seconds = float(version_seconds)
        self._user = user if user is not None else url_user
        self._password = password if password is not None else url_password
        self._token = token
        self._version = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
        self._closed = False

    @classmethod
    def from_config(cls, config: Config) -> "RemoteStore":
        return cls(str(config.store), update_endpoint=config.update_endpoint, gsp_endpoint=config.gsp_endpoint,
                   user=config.store_user, password=config.store_password, token=config.store_token,
                   timeout=config.store_timeout, version_seconds=config.store_version_seconds)

    def __repr__(self) -> str:
        return f"RemoteStore({_shown(self.url)!r})"

    # -- reading -----------------------------------------------------------------------------
    def graphs(self) -> list[GraphInfo]:
        rows = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return [GraphInfo(r["g"].value, int(r["n"].value)) for r in rows if isinstance(r["g"], ox.NamedNode)]

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))

    def query(self, sparql: str, *, union_default: bool = True,
              substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              default_graph=None, named_graphs=None, timeout: float | None = None, **options):
        """Run SPARQL on the server; the answer as the pyoxigraph type the embedded store gives.

        ``union_default`` is the server's setting (stelsel expects the union; see the module
        text): it cannot be switched off per query, only replaced by FROM or ``default_graph``.
        ``substitutions`` are bound with a ``VALUES`` block at the start of the WHERE clause (the
        same values pyoxigraph would pre-bind). ``default_graph`` and ``named_graphs`` become the
        protocol's ``default-graph-uri`` / ``named-graph-uri``; ``timeout`` (seconds) replaces
        ``store_timeout`` for this request.
        """
        if options:
            raise QueryError(f"the remote store does not support the query option(s) {', '.join(sorted(options))}",
                             hint="these work with the embedded store only")
        # union_default=False needs nothing here: the server's own default graph is the union
        # (as configured), and FROM / default-graph-uri replace it on every SPARQL 1.1 server
        if substitutions:
            sparql = inject_values(sparql, substitutions)
        wrapper = self._wrapper(self.url, timeout)
        wrapper.setQuery(sparql)
        for g in _graph_list(default_graph):
            wrapper.addParameter("default-graph-uri", g)
        for g in _graph_list(named_graphs):
            wrapper.addParameter("named-graph-uri", g)
        wrapper.addCustomHttpHeader("Accept", ACCEPT)
        if wrapper.isSparqlUpdateRequest():
            raise QueryError("this is a SPARQL Update, not a query", hint="send updates to the update endpoint")
        response = self._run(wrapper, self.url, timeout)
        kind = response.headers.get_content_type()
        body = response.read()
        # a server that cuts answers says so (stelsel serve: Stelsel-Truncated); the CLI warns
        self.truncated = (response.headers.get("Stelsel-Truncated") or "").strip().lower() == "true"
        if kind in RESULT_TYPES:
            return ox.parse_query_results(body, format=RESULT_TYPES[kind])
        if kind in GRAPH_TYPES:
            return _as_query_triples(ox.parse(body, format=GRAPH_TYPES[kind]))
        raise StoreError(f"the SPARQL store at {_shown(self.url)} answered in a type stelsel cannot read ('{kind}')",
                         hint="check that the URL is a SPARQL query endpoint")

    def graph(self, iri: str) -> bytes:
        """One named graph as N-Triples (empty when the graph does not exist)."""
        if self.gsp_url:
            try:
                with self._http("GET", self._gsp_target(iri), accept=NT) as r:
                    return r.read()
            except _NotFound:
                return b""
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{_iri(iri)}> {{ ?s ?p ?o }} }}")
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""

    def version(self) -> str:
        """Usable as an ETag and cache key: changes on every write through this object at once,
        and every ``version_seconds`` besides, so that writes by others (another stelsel
        process, a tool talking to the server directly) show within that time. With
        ``version_seconds`` 0 it changes on every call: nothing is ever reused."""
        if self.version_seconds <= 0:
            return f"{self._version}-{uuid.uuid4().hex[:8]}"
        return f"{self._version}-{int(time.time() // self.version_seconds):x}"

    def write_version(self) -> str:
        """Changes only on writes through this object (the tests' "did this test write?")."""
        return self._version

    def dump(self, out: BinaryIO, fmt: str) -> None:
        if fmt not in DUMP_FORMATS:
            raise StoreError(f"cannot export as '{fmt}'", hint="use one of: " + ", ".join(DUMP_FORMATS))

        def quads():
            for info in self.graphs():
                name = ox.NamedNode(info.iri)
                fresh: dict[str, ox.BlankNode] = {}  # labels are per answer: keep graphs' blank nodes apart
                own = lambda term: fresh.setdefault(term.value, ox.BlankNode()) \
                    if isinstance(term, ox.BlankNode) else term
                for t in ox.parse(self.graph(info.iri), format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(own(t.subject), t.predicate, own(t.object), name)

        ox.serialize(quads(), out, DUMP_FORMATS[fmt])

    # -- writing -----------------------------------------------------------------------------
    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL Update on the update endpoint."""
        wrapper = self._wrapper(self.update_url, timeout)
        wrapper.setQuery(sparql)
        if not wrapper.isSparqlUpdateRequest():
            raise QueryError("this is a query, not a SPARQL Update", hint="send queries to the query endpoint")
        self._bump_version()
        try:
            self._run(wrapper, self.update_url, timeout).read()
        finally:
            self._bump_version()

    def put_graph(self, iri: str, ntriples: bytes, content_type: str = NT) -> None:
        """Replace one named graph (Graph Store Protocol PUT, else DROP + INSERT DATA)."""
        self._bump_version()
        try:
            if self.gsp_url:
                with self._http("PUT", self._gsp_target(iri), data=ntriples, content_type=content_type):
                    pass
            else:
                if content_type != NT:
                    ntriples = ox.serialize(ox.parse(ntriples, format=_rdf_format(content_type)),
                                            format=ox.RdfFormat.N_TRIPLES) or b""
                self.update(_replace_update({iri: ntriples.decode("utf-8")}))
        finally:
            self._bump_version()

    def delete_graph(self, iri: str) -> bool:
        """Drop one named graph; False when it did not exist."""
        existed = bool(self.query(f"ASK {{ GRAPH <{_iri(iri)}> {{ ?s ?p ?o }} }}"))
        if self.gsp_url:
            self._bump_version()
            try:
                with self._http("DELETE", self._gsp_target(iri)):
                    pass
            except _NotFound:
                return False
            finally:
                self._bump_version()
            return existed
        self.update(f"DROP SILENT GRAPH <{_iri(iri)}>")
        return existed

    def replace_graphs(self, parsed: Iterable[ParsedFile]) -> dict[str, int]:
        """Replace each named graph that the parsed files fill with their content.

        Graph Store Protocol: one PUT per graph, each atomic on its own. SPARQL Update: one
        request for all graphs (atomic where the server runs a request as one transaction).
        """
        by_graph = triples_by_graph(parsed)
        if not by_graph:
            return {}
        bodies = {g: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) or b"" for g, ts in by_graph.items()}
        self._bump_version()
        try:
            if self.gsp_url:
                for g, body in bodies.items():
                    with self._http("PUT", self._gsp_target(g), data=body, content_type=NT):
                        pass
            else:
                self.update(_replace_update({g: b.decode("utf-8") for g, b in bodies.items()}))
        finally:
            self._bump_version()
        return {g: len(set(ts)) for g, ts in by_graph.items()}

    def close(self) -> None:
        self._closed = True

    # -- HTTP ----------------------------------------------------------------------------------
    def _bump_version(self) -> None:
        self._version = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"

    def _auth_header(self) -> str | None:
        if self._token:
            return f"Bearer {self._token}"
        if self._user is not None:
            pair = f"{self._user}:{self._password or ''}".encode("utf-8")
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    def _wrapper(self, url: str, timeout: float | None) -> SPARQLWrapper:
        wrapper = _Wrapper(url, updateEndpoint=self.update_url, agent=f"stelsel/{__version__}")
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)  # the query as the body: no URL length limit
        wrapper.setTimeout(int(round(timeout or self.timeout)) or 1)
        auth = self._auth_header()
        if auth:
            wrapper.addCustomHttpHeader("Authorization", auth)
        return wrapper

    def _run(self, wrapper: SPARQLWrapper, url: str, timeout: float | None):
        try:
            return wrapper.query().response
        except swe.QueryBadFormed as exc:
            raise _rejected(url, _server_message(exc)) from None
        except swe.Unauthorized:
            raise StoreError(f"the SPARQL store at {_shown(url)} refused the credentials (401)",
                             hint="set store_user and STELSEL_STORE_PASSWORD, or STELSEL_STORE_TOKEN") from None
        except swe.EndPointNotFound:
            raise StoreError(f"there is no SPARQL endpoint at {_shown(url)} (404)",
                             hint="check the --store URL (and update_endpoint / gsp_endpoint)") from None
        except swe.EndPointInternalError as exc:
            raise StoreError(f"the SPARQL store at {_shown(url)} failed on the request: {_server_message(exc)}",
                             hint="see the server's log") from None
        except swe.SPARQLWrapperException as exc:
            raise StoreError(f"the SPARQL store at {_shown(url)} refused the request: {_server_message(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url) from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._down(exc, url, timeout) from None

    def _gsp_target(self, iri: str) -> str:
        sep = "&" if "?" in self.gsp_url else "?"
        return f"{self.gsp_url}{sep}graph={urllib.parse.quote(iri, safe='')}"

    def _http(self, method: str, url: str, *, data: bytes | None = None, content_type: str | None = None,
              accept: str | None = None, timeout: float | None = None):
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("User-Agent", f"stelsel/{__version__}")
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        auth = self._auth_header()
        if auth:
            request.add_header("Authorization", auth)
        try:
            return urllib.request.urlopen(request, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and method in ("GET", "DELETE"):
                raise _NotFound() from None
            raise self._http_error(exc, self.gsp_url or url) from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._down(exc, self.gsp_url or url, timeout) from None

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> StoreError:
        text = exc.read().decode("utf-8", "replace").strip()[:500]
        if exc.code in (401, 403):
            return StoreError(f"the SPARQL store at {_shown(url)} refused the credentials ({exc.code})",
                              hint="set store_user and STELSEL_STORE_PASSWORD, or STELSEL_STORE_TOKEN")
        if exc.code == 400:
            return _rejected(url, text)
        return StoreError(f"the SPARQL store at {_shown(url)} answered {exc.code} {exc.reason}" + (f": {text}" if text else ""),
                          hint="see the server's log")

    def _down(self, exc: Exception, url: str, timeout: float | None) -> StoreError:
        reason = getattr(exc, "reason", exc)
        hint = "start it, or check the --store URL and the network"
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return StoreError(f"the SPARQL store at {_shown(url)} did not answer within {timeout or self.timeout:g} s; "
                              "is it running?", hint=hint + " (or raise store_timeout)")
        return StoreError(f"the SPARQL store at {_shown(url)} did not answer ({_reason(reason)}); is it running?", hint=hint)


class _NotFound(Exception):
    pass


# -- helpers -------------------------------------------------------------------------------------
_POSITIONS = (re.compile(r"error at (\d+):(\d+)"),                      # oxigraph
              re.compile(r"line (\d+), column (\d+)", re.I),             # Fuseki, GraphDB, RDF4J
              re.compile(r"line (\d+)", re.I))                           # Virtuoso (no column)


def _rejected(url: str, text: str) -> QuerySyntaxError:
    """A 400 from the server: the query (or update) does not parse there; keep its position."""
    line = column = None
    for pattern in _POSITIONS:
        m = pattern.search(text)
        if m:
            line = int(m.group(1))
            column = int(m.group(2)) if m.re.groups > 1 else None
            break
    return QuerySyntaxError(f"the query does not parse: {text}",
                            hint="the SPARQL store rejected it; check the SPARQL near the position named",
                            line=line, column=column)


def _shown(url: str) -> str:
    """A URL fit for messages (which reach HTTP clients): no user, password or query string."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """``http://user:pw@host/…`` → (``http://host/…``, user, pw): urllib cannot send them itself."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None, None
    netloc = parts.netloc.rsplit("@", 1)[1]
    return (urllib.parse.urlunsplit(parts._replace(netloc=netloc)), urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""))


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    return str(getattr(reason, "strerror", None) or reason)


def _server_message(exc: Exception) -> str:
    """The server's own words from a SPARQLWrapper exception (it keeps them only as a repr)."""
    text = str(exc)
    if "Response:\n" in text:
        raw = text.split("Response:\n", 1)[1]
        try:
            value = ast.literal_eval(raw)
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        except (ValueError, SyntaxError):
            text = raw
    return " ".join(text.split())[:500]


def _graph_list(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, set)) else [value]
    out = []
    for g in items:
        if not isinstance(g, (ox.NamedNode, str)):
            raise QueryError("the remote store takes only IRIs as default or named graphs")
        out.append(g.value if isinstance(g, ox.NamedNode) else g)
    return out


def _iri(iri: str) -> str:
    if re.search(r'[\s<>"{}|^`\\]', iri):
        raise QueryError(f"not a valid graph IRI: {iri!r}")
    return iri


def _rdf_format(content_type: str) -> ox.RdfFormat:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in GRAPH_TYPES:
        raise QueryError(f"cannot read RDF of type '{kind}'", hint="send one of: " + ", ".join(GRAPH_TYPES))
    return GRAPH_TYPES[kind]


def _replace_update(bodies: Mapping[str, str]) -> str:
    """One SPARQL Update that replaces each graph with its N-Triples."""
    ops = []
    for g, nt in bodies.items():
        ops.append(f"DROP SILENT GRAPH <{_iri(g)}>")
        if nt.strip():
            ops.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{nt}\n}} }}")
    return " ;\n".join(ops)


def _as_query_triples(triples) -> ox.QueryTriples:
    """Parsed triples as the ``QueryTriples`` a CONSTRUCT on the embedded store gives.

    pyoxigraph cannot build a QueryTriples from Python, so the triples go through a small
    in-memory store (duplicates fold, as a CONSTRUCT answer's would)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


# -- substitutions ---------------------------------------------------------------------------------
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.-]+[A-Za-z0-9_]+)*")
_LOCAL = re.compile(r"[\w.%:-]*")
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                     r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)


def _scan(sparql: str):
    """(position, token) for the braces, parentheses and keywords outside strings, IRIs, comments."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            m = _STRING.match(sparql, i)
            i = m.end() if m else i + 1
            continue
        if c == "<":
            m = _IRIREF.match(sparql, i)
            i = m.end() if m else i + 1
            continue
        if c in "?$":
            m = _WORD.match(sparql, i + 1)
            i = m.end() if m else i + 1
            continue
        if c in "{}()":
            yield i, c
            i += 1
            continue
        if c == ":":  # a prefixed name's local part (or an empty prefix): never a keyword
            m = _LOCAL.match(sparql, i + 1)
            i = m.end() if m else i + 1
            continue
        m = _WORD.match(sparql, i)
        if m:
            if m.end() < n and sparql[m.end()] == ":":  # a prefix, as in PREFIX drop: <…> or drop:x
                i = m.end()
                continue
            yield i, m.group().upper()
            i = m.end()
            continue
        i += 1


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE for a query; the first operation's keyword for an update."""
    for _, tok in _scan(sparql):
        if tok in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", *UPDATE_KEYWORDS):
            return tok
    return None


def inject_values(sparql: str, substitutions: Mapping) -> str:
    """Bind ``substitutions`` with ``VALUES`` right after the WHERE clause's opening brace.

    This gives the rows pyoxigraph gives with ``substitutions=``: the values are joined before
    anything else in the query's top group, so they also reach OPTIONAL, FILTER and projection.
    """
    names, terms = [], []
    for var, term in substitutions.items():
        name = var.value if isinstance(var, ox.Variable) else str(var).lstrip("?$")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"cannot bind ?{name} to {term!r} on a remote store", hint="bind an IRI or a literal")
        names.append(f"?{name}")
        terms.append(str(term))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    form, depth, parens, skip_template = None, 0, 0, False
    for pos, tok in _scan(sparql):
        if form is None:
            if tok in ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT"):
                form = tok
            continue
        if tok == "(":
            parens += 1
        elif tok == ")":
            parens -= 1
        elif tok == "WHERE" and form == "CONSTRUCT" and depth == 0 and not skip_template:
            raise QueryError("parameters cannot be bound in a 'CONSTRUCT WHERE { … }' query on a remote store",
                             hint="write it as CONSTRUCT { template } WHERE { pattern }")
        elif tok == "{" and parens == 0:
            if depth == 0:
                if form == "CONSTRUCT" and not skip_template:
                    skip_template = True  # the template, then the WHERE group
                else:
                    return sparql[:pos + 1] + block + sparql[pos + 1:]
            depth += 1
        elif tok == "}" and parens == 0:
            depth -= 1
    return sparql  # no WHERE group (DESCRIBE <iri>): nothing to bind
