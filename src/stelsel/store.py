"""The embedded store: pyoxigraph on disk, named graphs replaced all at once or not at all.

Two ways to replace graphs, chosen by :func:`load_files` from the size of the input:

- small inputs (below :data:`BULK_BYTES`): parsed in memory, then one SPARQL update (DROP +
  INSERT DATA), one transaction;
- large inputs: pyoxigraph's ``bulk_load`` into a new store generation, the other graphs copied
  over, then one atomic rename publishes it (:mod:`stelsel.generations`). ``INSERT DATA`` of
  1M triples took 282 s and 3.8 GB; the bulk path stays close to ``bulk_load`` itself (see the
  load table in BENCHMARKS.md).

Both leave the old or the new state under kill -9 (``tests/test_atomic_load.py``).

``GraphStore`` is the interface the rest of stelsel uses; :class:`EmbeddedStore` implements
it on pyoxigraph. A remote SPARQL 1.1 store implements the same methods (see the endpoint
issue); nothing above this module knows which one it talks to.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Protocol

import pyoxigraph as ox

from . import generations
from .config import Config, is_url
from .errors import InputError, QueryError, StoreError
from .inputs import syntax_error
from .sources import ParsedFile, RdfFile, bundled_files, empty_warning, read_paths, triples_by_graph


DUMP_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
#: inputs of at least this many bytes are bulk loaded into a new generation (4 MiB: ~30k triples)
BULK_BYTES = 4 << 20


@dataclass
class Loaded:
    """What a load did: triples per graph replaced, and warnings (files without triples)."""

    counts: dict[str, int]
    warnings: list[str]
LOCKED_HINT = ("reading works beside the server (graphs, query, export, validate --graph); to write, stop the "
               "server and run the command again, or write through it with a write token: STELSEL_STORE_TOKEN=… "
               "stelsel --store URL/sparql --update-endpoint URL/sparql load FILE (URL: the server's address)")


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int


class GraphStore(Protocol):
    """What stelsel needs from a store: :class:`EmbeddedStore` here, and
    :class:`stelsel.remote_store.RemoteStore` (a SPARQL 1.1 server, docs/remote-store.md)."""

    def graphs(self) -> list[GraphInfo]: ...
    def is_empty(self) -> bool: ...
    def replace_graphs(self, parsed: Iterable[ParsedFile]) -> dict[str, int]: ...
    def update(self, sparql: str) -> None: ...
    def query(self, sparql: str, **options) -> object: ...
    def dump(self, out: BinaryIO, fmt: str) -> None: ...
    def version(self) -> str: ...
    def close(self) -> None: ...


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self._version = "empty"
        self._version_file = path.with_name(path.name + ".version") if path is not None else None
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:  # no lock: works beside a running `stelsel serve` (a snapshot at opening)
                self._store = ox.Store.read_only(os.path.realpath(path))
            else:
                self._store = ox.Store(str(generations.prepare(path, _probe)))
                generations.discard_stale(path)  # only now: holding the lock, no writer is at work
        except OSError as exc:
            if "LOCK" in str(exc):
                raise StoreError(f"the store at {path} is in use by another stelsel process (a running "
                                 "'stelsel serve'?), so it cannot be written", hint=LOCKED_HINT) from None
            raise StoreError(f"cannot open the store at {path}: {exc}",
                             hint="is another stelsel process using it? stop it, or give another --store path") from None

    # -- reading -----------------------------------------------------------------------------
    def graphs(self) -> list[GraphInfo]:
        rows = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return [GraphInfo(r["g"].value, int(r["n"].value)) for r in rows]

    def is_empty(self) -> bool:
        return not any(True for _ in self._store.quads_for_pattern(None, None, None, None))

    def query(self, sparql: str, *, union_default: bool = True, **options):
        """Run SPARQL; the default graph is the union of the named graphs unless told otherwise."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=union_default, **options)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc}",
                             hint="check the SPARQL near the position named") from None

    def version(self) -> str:
        """Changes whenever a graph is replaced: usable as an ETag.

        Kept beside the store folder, and bumped both before and after every write, so a reader
        can never pair a new version with old data (a crash costs only a cache miss)."""
        if self._version_file is not None and self._version_file.exists():
            return self._version_file.read_text(encoding="ascii").strip()
        return self._version

    def _bump_version(self) -> None:
        self._version = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
        if self._version_file is not None:
            tmp = self._version_file.with_suffix(".tmp")
            tmp.write_text(self._version, encoding="ascii")
            os.replace(tmp, self._version_file)

    def dump(self, out: BinaryIO, fmt: str) -> None:
        if fmt not in DUMP_FORMATS:
            raise StoreError(f"cannot export as '{fmt}'", hint="use one of: " + ", ".join(DUMP_FORMATS))
        # every quad, the default graph's too: query workers load this (issue 9)
        self._store.dump(out, format=DUMP_FORMATS[fmt])

    # -- writing -----------------------------------------------------------------------------
    def replace_graphs(self, parsed: Iterable[ParsedFile]) -> dict[str, int]:
        """Replace each named graph that the parsed files fill with their content.

        One SPARQL update, hence one transaction: DROP every target graph, then one INSERT DATA
        with all their triples. Readers never see a half-replaced graph and a failure changes
        nothing. (Measured on the bundled 13k triples: 0.3 s, against 1.0 s for loading into
        staging graphs and moving them.)
        """
        by_graph = triples_by_graph(parsed)
        if not by_graph:
            return {}
        drops = [f"DROP SILENT GRAPH <{g}>" for g in by_graph]
        blocks = [f"GRAPH <{g}> {{\n{(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b'').decode('utf-8')}}}"
                  for g, triples in by_graph.items()]
        try:
            self._bump_version()
            self._store.update(" ;\n".join(drops) + " ;\nINSERT DATA {\n" + "\n".join(blocks) + "\n}")
            self._store.flush()
            self._bump_version()
        except OSError as exc:
            raise StoreError(f"writing to the store failed: {exc}", hint="nothing was changed") from None
        return {g: len(set(triples)) for g, triples in by_graph.items()}

    def bulk_replace(self, files: list[RdfFile]) -> Loaded:
        """Replace the graphs the files fill, through pyoxigraph's bulk loader: the files go
        into a new generation (the current one stays as it is and readable), the other graphs are
        copied over, and one atomic rename makes it current. Any error discards the new one."""
        gen = generations.new_generation(self.path) if self.path is not None else None
        new = ox.Store(str(gen)) if gen is not None else ox.Store()
        try:
            for f in files:
                source = f.bulk_input()
                try:
                    new.bulk_load(format=f.fmt, base_iri=f.base_iri,
                                  to_graph=ox.NamedNode(f.target) if f.target else None, **source)
                except SyntaxError as exc:
                    raise syntax_error(exc, f.fmt, f.label, source.get("input")) from None
                except OSError as exc:  # reading the file or writing the new generation
                    raise StoreError(f"loading {f.label} failed: {exc}",
                                     hint="check the file and the free disk space; nothing was changed") from None
                del source
            if any(True for _ in new.quads_for_pattern(None, None, None, ox.DefaultGraph())):
                names = ", ".join(f.label for f in files if not f.target)
                raise InputError(f"{names}: has triples outside a named graph",
                                 hint="give --graph IRI, or put them in a GRAPH block")
            counts = {r["g"].value: int(r["n"].value) for r in new.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
            warnings = [empty_warning(f.label, f.target) for f in files if f.target and f.target not in counts]
            counts.update({f.target: 0 for f in files if f.target and f.target not in counts})
            for g in self._store.named_graphs():
                if g.value not in counts:
                    new.bulk_extend(self._store.quads_for_pattern(None, None, None, g))
            new.bulk_extend(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            new.flush()
            self._bump_version()
            if gen is not None:
                generations.publish(self.path, gen)
        except BaseException:
            del new
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        self._store = new  # the old generation closes with its last reader; close() removes it
        self._bump_version()
        return Loaded(counts, warnings)

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL Update in one transaction (all of it or nothing); the version changes.

        No time limit (``timeout`` is accepted for the remote store's sake): writers hold a
        token, and the endpoint checks which graphs an update writes before it gets here."""
        self._bump_version()
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"the update does not parse: {exc}",
                             hint="check the SPARQL near the position named; nothing was changed") from None
        except OSError as exc:
            raise StoreError(f"writing to the store failed: {exc}", hint="nothing was changed") from None
        except (RuntimeError, ValueError) as exc:  # e.g. CLEAR GRAPH of a graph that does not exist
            raise QueryError(f"the update cannot be applied: {exc}",
                             hint="nothing was changed; SILENT ignores missing graphs") from None
        finally:
            self._bump_version()

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store
        if self.path is not None and not self.read_only:  # a reader beside the server never discards
            generations.discard_stale(self.path)


def _probe(path: Path) -> None:
    """Open and close the store folder: raises OSError while another process holds it."""
    ox.Store(str(path)).flush()


def open_store(config: Config, *, read_only: bool = False) -> GraphStore:
    """Open the configured store; on first use, load the bundled ontology, data and shapes.

    ``config.store`` is a folder (embedded pyoxigraph) or an http(s) URL of a SPARQL 1.1 query
    endpoint (a :class:`~stelsel.remote_store.RemoteStore`; docs/remote-store.md). With
    ``read_only`` an existing, filled embedded store is opened without its lock, so read commands
    work while ``stelsel serve`` holds it."""
    if is_url(config.store):  # remote store (issue 4)
        from .remote_store import RemoteStore

        store: GraphStore = RemoteStore.from_config(config)
    elif read_only and (Path(config.store) / "CURRENT").is_file():
        store = EmbeddedStore(Path(config.store), read_only=True)
        if not store.is_empty():
            return store
        store.close()
        store = EmbeddedStore(Path(config.store))
    else:
        store = EmbeddedStore(Path(config.store))
    if store.is_empty():
        load_bundled(store, config)
    return store


def load_files(store: GraphStore, files: list[RdfFile]) -> Loaded:
    """Replace the graphs ``files`` fill, all of them or none: bulk loaded into a new generation
    when the input is :data:`BULK_BYTES` or more and the store is embedded, else parsed first
    (every file, before the store is touched) and written in one transaction."""
    if isinstance(store, EmbeddedStore) and sum(f.size for f in files) >= BULK_BYTES:
        return store.bulk_replace(files)
    parsed = [f.parse() for f in files]
    return Loaded(store.replace_graphs(parsed), [w for pf in parsed for w in pf.warnings])


def load_bundled(store: GraphStore, config: Config) -> dict[str, int]:
    """(Re)load every bundled content file, each into its own named graph."""
    from .freshness import record_loaded
    counts = load_files(store, read_paths(bundled_files(config), config)).counts
    record_loaded(config)  # so `stelsel serve` can tell when the files change later
    return counts
