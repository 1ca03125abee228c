"""Settings, layered: defaults -> config file -> STELSEL_* environment -> command-line flags.

A :class:`Config` is a plain frozen value; nothing reads settings from module state. The config
file is TOML (``stelsel.toml`` in the working directory, or ``--config FILE`` /
``STELSEL_CONFIG``), with the same names as the fields below, e.g.::

    store = "/var/lib/stelsel/store"
    base_iri = "https://w3id.org/stelsel/"
    query_timeout = 10
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .content import find_content_root
from .errors import ConfigError
from .vocab import DEFAULT_BASE


def is_url(value: object) -> bool:
    """True for an http(s) URL: a ``store`` setting that names a remote SPARQL endpoint."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


TOKEN_HASH = re.compile(r"sha256:[0-9a-f]{64}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class TokenGrant:
    """A write token: its name, the hash of the secret (never the secret) and the graphs it may
    write, each an exact IRI or a prefix ending in ``*``."""

    name: str
    hash: str
    graphs: tuple[str, ...]
    role: str | None = None               # "admin": every dataset registration (docs/datasets.md)
    publishers: tuple[str, ...] = ()      # organisation IRIs this partner may name as publisher

    @classmethod
    def from_table(cls, name: str, table: Any, source: str) -> "TokenGrant":
        if not isinstance(table, Mapping):
            raise ConfigError(f"{source}: [tokens.{name}] must be a table with 'hash' and 'graphs'")
        unknown = set(table) - {"hash", "graphs", "role", "publishers"}
        if unknown:
            raise ConfigError(f"{source}: [tokens.{name}] has unknown key(s) {', '.join(sorted(unknown))}",
                              hint="a token has 'hash' and 'graphs' (and optionally 'role' and 'publishers')")
        role, publishers = table.get("role"), table.get("publishers", [])
        if role not in (None, "admin"):
            raise ConfigError(f"{source}: [tokens.{name}] role must be \"admin\" (or left out), not {role!r}")
        if isinstance(publishers, str):
            publishers = [publishers]
        if not isinstance(publishers, (list, tuple)) or not all(
                isinstance(p, str) and _SCHEME.match(p) and not re.search(r'[\s<>"{}|^`\\*]', p) for p in publishers):
            raise ConfigError(f"{source}: [tokens.{name}] publishers must be a list of absolute IRIs",
                              hint='the organisation IRIs the partner names as publisher, e.g. ["https://www.kb.nl/"]')
        digest, graphs = table.get("hash"), table.get("graphs")
        if not isinstance(digest, str) or not TOKEN_HASH.fullmatch(digest):
            raise ConfigError(f"{source}: [tokens.{name}] hash must be 'sha256:' and 64 hex digits",
                              hint="make one with: stelsel token new NAME --graph IRI")
        if isinstance(graphs, str):
            graphs = [graphs]
        if not isinstance(graphs, (list, tuple)) or not graphs or not all(isinstance(g, str) for g in graphs):
            raise ConfigError(f"{source}: [tokens.{name}] graphs must be a non-empty list of IRIs")
        for g in graphs:
            check_graph_pattern(g, f"{source}: [tokens.{name}]")
        return cls(name, digest, tuple(graphs), role, tuple(publishers))


def check_graph_pattern(pattern: str, where: str = "graph") -> str:
    """A granted graph: an absolute IRI, or an absolute IRI prefix ending in one ``*``; a lone
    ``*`` is every graph, the default graph and the whole dataset included."""
    if pattern == "*":
        return pattern
    body = pattern[:-1] if pattern.endswith("*") else pattern
    if not _SCHEME.match(body) or "*" in body or re.search(r'[\s<>"{}|^`\\]', body):
        raise ConfigError(f"{where}: '{pattern}' is not an absolute IRI (or IRI prefix ending in *)",
                          hint="for example https://w3id.org/stelsel/graph/partners/nde-*")
    return pattern


def _tokens(value: Any, source: str) -> tuple[TokenGrant, ...]:
    if isinstance(value, str):  # from the environment: JSON
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{source}: 'tokens' must be JSON like "
                              f'{{"name": {{"hash": "sha256:…", "graphs": ["IRI"]}}}} ({exc})') from None
    if isinstance(value, (tuple, list)) and all(isinstance(t, TokenGrant) for t in value):
        return tuple(value)
    if not isinstance(value, Mapping):
        raise ConfigError(f"{source}: 'tokens' must be a table of [tokens.<name>] tables")
    return tuple(TokenGrant.from_table(str(name), table, source) for name, table in value.items())


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


@dataclass(frozen=True)
class Config:
    # a folder (embedded pyoxigraph) or an http(s) URL of a SPARQL 1.1 query endpoint (remote)
    store: Path | str = Path(".stelsel/store")
    content_root: Path = field(default_factory=find_content_root)  # see stelsel.content
    base_iri: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 5000
    query_timeout: float = 10.0
    max_query_timeout: float = 60.0
    max_result_rows: int = 10_000
    # -- remote store (docs/remote-store.md); used only when ``store`` is a URL ----------------
    update_endpoint: str | None = None   # SPARQL Update; derived from ``store`` when unset
    gsp_endpoint: str | None = None      # Graph Store Protocol; when unset, loads go through Update
    store_user: str | None = None        # basic auth user (with store_password)
    store_password: str | None = field(default=None, repr=False)  # env STELSEL_STORE_PASSWORD
    store_token: str | None = field(default=None, repr=False)     # bearer token, env STELSEL_STORE_TOKEN
    store_timeout: float = 30.0          # seconds to wait for the remote store per request
    store_version_seconds: float = 10.0  # answers from a remote store are reused at most this long (0: never)
    # -- the SPARQL endpoint (docs/endpoint.md) ---------------------------------------------------
    union_default_graph: bool = True     # the default graph is the union of the named graphs
    query_workers: int = 2               # processes that run queries (0: in-process, no hard time limit)
    max_request_bytes: int = 1_048_576   # a larger request body or query string gets 413
    cache_entries: int = 256             # rendered answers kept in memory (0: no cache) ...
    cache_bytes: int = 33_554_432        # ... and at most this many bytes of them
    query_queue: int = 4                 # queries that may wait for a busy worker; more get 503 at once
    validate_workers: int = 1            # POST /datasets/validate and /datasets run at most this many at once
    validate_timeout: float = 60.0       # seconds one dataset validation may take (503 after)
    # -- the HTTP server (waitress; server/README.md) ---------------------------------------------
    threads: int = 8                     # request threads (at least query_workers + query_queue + 4)
    connection_limit: int = 1000         # open connections (waitress); put a reverse proxy in front
    channel_timeout: float = 30.0        # seconds an idle or slow-sending connection is kept
    # write access: [tokens.<name>] with hash = "sha256:…" and graphs = [IRI or prefix*, …];
    # env STELSEL_TOKENS as JSON {"name": {"hash": …, "graphs": […]}} replaces them
    tokens: tuple[TokenGrant, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.tokens, tuple) or not all(isinstance(t, TokenGrant) for t in self.tokens):
            object.__setattr__(self, "tokens", _tokens(self.tokens, "settings"))

    @property
    def ontology_dir(self) -> Path:
        return self.content_root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.content_root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.content_root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.content_root / "queries"

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **_coerce(changes, source="arguments"))


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def _coerce(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Check names and turn values into the field's type, with a sentence on failure."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in _FIELDS:
            raise ConfigError(f"{source}: unknown setting '{name}'",
                              hint="known settings: " + ", ".join(sorted(_FIELDS)))
        kind = _FIELDS[name].type
        try:
            if kind == "Path | str":  # the store: a URL stays a string, anything else is a folder
                value = value if is_url(value) else Path(value).expanduser()
            elif kind in ("Path",):
                value = Path(value).expanduser()
            elif kind == "bool":
                value = _bool(value)
            elif kind == "tuple[TokenGrant, ...]":
                value = _tokens(value, source)
            elif kind == "int":
                value = int(value)
            elif kind == "float":
                value = float(value)
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{source}: setting '{name}' must be {kind}, got {value!r}") from None
        out[name] = value
    return out


def load_config(config_file: str | os.PathLike | None = None,
                environ: Mapping[str, str] | None = None,
                **flags: Any) -> Config:
    """Build the settings from every layer; flags that are None do not override."""
    environ = os.environ if environ is None else environ
    layered: dict[str, Any] = {}
    path = config_file or environ.get("STELSEL_CONFIG")
    if path is None and Path("stelsel.toml").is_file():
        path = "stelsel.toml"
    if path is not None:
        try:
            with open(path, "rb") as fh:
                layered.update(_coerce(tomllib.load(fh), source=str(path)))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist",
                              hint="check the path given with --config or STELSEL_CONFIG") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    env = {key[len("STELSEL_"):].lower(): value for key, value in environ.items()
           if key.startswith("STELSEL_") and key != "STELSEL_CONFIG"}
    layered.update(_coerce(env, source="environment (STELSEL_*)"))
    layered.update(_coerce(flags, source="command line"))
    return Config(**layered)
