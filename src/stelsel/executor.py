"""Run SPARQL queries with a real time limit: in worker processes that can be killed.

pyoxigraph cannot cancel a running query from Python, so a query that must stop after N seconds
cannot run in the server's own process. :class:`QueryExecutor` keeps a small pool of worker
processes (``query_workers``, default 2). Each holds its own *in-memory* pyoxigraph copy of the
store, loaded from an N-Quads snapshot the parent writes with ``store.dump``; reading the live
on-disk store from another process while the server writes to it is undefined behaviour.

A job is (store version, snapshot file, query, options, result format, row limit). The worker
reloads its copy first when the job's version is newer than its own, runs the query and sends
back the answer already serialised (bytes travel well; pyoxigraph objects do not pickle). The
parent waits until the deadline; if the answer is late it kills the worker (SIGKILL), starts a
fresh one and raises :class:`QueryTimeout`. Snapshot loads do not count against a query's time.

For a store that is not embedded (a remote SPARQL endpoint) there is nothing to copy: the
query goes through in-process and the remote store's own HTTP timeout bounds it.
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import weakref
from collections import OrderedDict
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from .errors import StelselError
from .inputs import check_query
from .sparql_text import ERROR_POSITION, QuerySyntaxError

log = logging.getLogger("stelsel.executor")

TABULAR = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
TRIPLES = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
QUADS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
STARTUP_SECONDS = 120.0     # a worker's start and any snapshot load, apart from the query's time


class QueryTimeout(StelselError):
    """The query ran past its time limit and was stopped."""

    http_status = 503

    def __init__(self, seconds: float):
        super().__init__(
            f"the query was stopped after {seconds:g} s (the time limit)",
            hint="narrow it: add a LIMIT, bind more variables or use VALUES, restrict it to one "
                 "GRAPH, avoid cross products of unrelated patterns and unbounded property paths "
                 "(p* / p+), or filter earlier")
        self.seconds = seconds


class ExecutorBusy(StelselError):
    """Every worker is busy for longer than the query may take."""

    http_status = 503


class WorkerFault(RuntimeError):
    """A worker crashed or failed unexpectedly: a real fault (answered as 500)."""


@dataclass(frozen=True)
class QueryOptions:
    """The dataset of a query, as IRIs (they cross process boundaries as plain data).

    ``default_graph``/``named_graphs`` come from the protocol's default-graph-uri and
    named-graph-uri; when either is given, or the query has FROM/FROM NAMED, the union default
    graph is off."""

    union_default: bool = True
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    def pyoxigraph_kwargs(self) -> dict:
        kwargs: dict = {}
        if self.default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in self.default_graph]
        if self.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in self.named_graphs]
        if self.union_default and self.default_graph is None:
            kwargs["use_default_graph_as_union"] = True
        return kwargs

    def store_kwargs(self) -> dict:
        """The same, for :meth:`GraphStore.query`."""
        kwargs: dict = {"union_default": self.union_default and self.default_graph is None}
        if self.default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in self.default_graph]
        if self.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in self.named_graphs]
        return kwargs

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


@dataclass(frozen=True)
class Answer:
    body: bytes
    truncated: bool = False


# -- serialising, shared by workers and the in-process path ------------------------------------
def _literal_json(term: ox.Literal) -> dict:
    out = {"type": "literal", "value": term.value}
    language = term.language
    if language:
        out["xml:lang"] = language
        direction = getattr(term, "direction", None)
        if direction is not None:
            out["its:dir"] = "rtl" if "rtl" in repr(direction).lower() else "ltr"
    else:
        datatype = term.datatype.value
        if datatype != XSD_STRING:
            out["datatype"] = datatype
    return out


def _triple_json(term: ox.Triple) -> dict:
    return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                        "predicate": _term_json(term.predicate),
                                        "object": _term_json(term.object)}}


_TERM_JSON = {
    ox.NamedNode: lambda t: {"type": "uri", "value": t.value},
    ox.BlankNode: lambda t: {"type": "bnode", "value": t.value},
    ox.Literal: _literal_json,
    ox.Triple: _triple_json,
}


def _term_json(term) -> dict:
    return _TERM_JSON[type(term)](term)


def solutions_json(variables: list[str], rows) -> bytes:
    """SPARQL 1.1 Query Results JSON for the rows given (a truncated result stays valid)."""
    convert = _TERM_JSON
    bindings = [{name: convert[type(value)](value) for name, value in zip(variables, row) if value is not None}
                for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render_result(result, fmt: str, max_rows: int | None, prefixes: dict[str, str] | None = None) -> Answer:
    """Serialise a pyoxigraph result in ``fmt``, reading at most ``max_rows`` rows or triples."""
    if isinstance(result, ox.QueryBoolean):
        if fmt not in TABULAR:
            raise ValueError(f"an ASK answer cannot be written as {fmt}")
        return Answer(result.serialize(format=TABULAR[fmt]))
    if isinstance(result, ox.QuerySolutions):
        if fmt not in TABULAR:
            raise ValueError(f"a SELECT answer cannot be written as {fmt}")
        variables = [v.value for v in result.variables]
        rows = list(result if max_rows is None else itertools.islice(result, max_rows))
        truncated = max_rows is not None and next(result, None) is not None
        body = solutions_json(variables, rows)
        if fmt != "json":
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=TABULAR[fmt])
        return Answer(body, truncated)
    # CONSTRUCT / DESCRIBE
    triples = iter(result)
    limited = triples if max_rows is None else itertools.islice(triples, max_rows)
    if fmt in QUADS:
        body = ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in limited),
                            format=QUADS[fmt], prefixes=prefixes if fmt == "trig" else None)
    elif fmt in TRIPLES:
        body = ox.serialize(limited, format=TRIPLES[fmt], prefixes=prefixes if fmt == "turtle" else None)
    else:
        raise ValueError(f"a CONSTRUCT or DESCRIBE answer cannot be written as {fmt}")
    truncated = max_rows is not None and next(triples, None) is not None
    return Answer(body, truncated)


def execute(store, query: str, options: QueryOptions, fmt: str, max_rows: int | None,
            prefixes: dict[str, str] | None = None) -> Answer:
    """Run and serialise on a pyoxigraph Store (raises SyntaxError for a malformed query)."""
    return render_result(store.query(query, **options.pyoxigraph_kwargs()), fmt, max_rows, prefixes)


# -- the worker process --------------------------------------------------------------------------
def _load_snapshot(path: str | None) -> ox.Store:
    store = ox.Store()
    if path:
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def worker_main(fd: int, version: str, snapshot: str) -> None:
    """The loop of one worker: load, then answer jobs until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is for the parent; it stops us
    conn = Connection(fd)
    try:
        store, loaded = _load_snapshot(snapshot), version
    except (OSError, ValueError, SyntaxError):   # gone meanwhile: the first job brings a newer one
        store, loaded = ox.Store(), ""
    conn.send(("ready", loaded))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job["version"] != loaded:
            store, loaded = _load_snapshot(job["snapshot"]), job["version"]
            conn.send(("loaded", loaded))
        try:
            answer = execute(store, job["query"], QueryOptions(**job["options"]), job["fmt"],
                             job["max_rows"], job.get("prefixes"))
            conn.send(("ok", answer.body, answer.truncated))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception:  # noqa: BLE001 - reported to the parent, which logs it as a fault
            conn.send(("error", traceback.format_exc()))


# -- the pool --------------------------------------------------------------------------------------
class _Worker:
    def __init__(self, proc: subprocess.Popen, conn: Connection, version: str):
        self.proc = proc
        self.conn = conn
        self.version = version      # the version it has (or will have, once it has said so)
        self.ready = False

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not get ignored
            pass
        self.conn.close()


def executor_for(store, workers: int, prefixes: dict[str, str] | None = None) -> "QueryExecutor":
    """The executor of ``store``: apps over the same store object share its workers.

    Kept on the store object itself (not in module state); closed when the store goes away."""
    executors = store.__dict__.setdefault("_stelsel_executors", {})
    executor = executors.get(workers)
    if executor is None or executor.closed:
        executor = QueryExecutor(store, workers, prefixes=prefixes)
        executors[workers] = executor
        weakref.finalize(store, executor.close)
    return executor


class QueryExecutor:
    """Answers queries against ``store`` within a time limit; see the module docstring."""

    def __init__(self, store, workers: int = 2, max_rows: int | None = None,
                 prefixes: dict[str, str] | None = None):
        from .store import EmbeddedStore

        self._store_ref = weakref.ref(store)    # the store owns us (see executor_for), not we it
        self.workers = workers
        self.max_rows = max_rows
        self.prefixes = prefixes
        self.embedded = isinstance(store, EmbeddedStore)
        self.pooled = workers > 0 and self.embedded
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._snapshots: list[tuple[str, str]] = []     # (version, path), newest last
        self._in_use: dict[str, int] = {}               # snapshot path -> jobs that may read it
        self._tmp: Path | None = None
        self.restarts = 0

    @property
    def store(self):
        store = self._store_ref()
        if store is None:
            raise WorkerFault("the store of this executor is gone")
        return store

    @property
    def closed(self) -> bool:
        return self._closed

    # life cycle
    def start(self) -> None:
        """Start the workers (done on first use anyway; ``serve`` calls it up front)."""
        if not self.pooled:
            return
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            version, path = self._snapshot_locked()
            for _ in range(self.workers):
                self._idle.put(self._spawn(version, path))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = self._all, set()
        for w in workers:
            w.kill()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _spawn(self, version: str, snapshot: str) -> _Worker:
        parent, child = socket.socketpair()
        src = str(Path(__file__).resolve().parents[1])
        code = ("import sys; sys.path.insert(0, %r); from stelsel.executor import worker_main; "
                "worker_main(int(sys.argv[1]), sys.argv[2], sys.argv[3])" % src)
        proc = subprocess.Popen([sys.executable, "-c", code, str(child.fileno()), version, snapshot],
                                pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        child.close()
        worker = _Worker(proc, Connection(parent.detach()), version)
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
            self.restarts += 1
            version, path = self._snapshot_locked()
            self._idle.put(self._spawn(version, path))

    # snapshots
    def _snapshot_locked(self) -> tuple[str, str]:
        """The current (version, N-Quads file); written anew when the store has changed."""
        version = self.store.version()
        if self._snapshots and self._snapshots[-1][0] == version:
            return self._snapshots[-1]
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="stelsel-snapshots-"))
        for _ in range(5):
            path = self._tmp / f"{len(self._snapshots)}-{time.time_ns()}.nq"
            with open(path, "wb") as fh:
                self.store.dump(fh, "nquads")
            after = self.store.version()
            if after == version:
                break
            path.unlink()           # written while the store changed: write it again
            version = after
        self._snapshots.append((version, str(path)))
        self._prune_locked()
        return version, str(path)

    def _prune_locked(self) -> None:
        """Remove the snapshots that are neither the newest nor named by a running job."""
        keep = []
        for i, (version, path) in enumerate(self._snapshots):
            if i == len(self._snapshots) - 1 or self._in_use.get(path):
                keep.append((version, path))
            else:
                Path(path).unlink(missing_ok=True)
        self._snapshots = keep

    # running
    def run(self, query: str, options: QueryOptions, fmt: str, timeout: float,
            max_rows: int | None = None) -> Answer:
        """The serialised answer, or QueryTimeout / QuerySyntaxError / ExecutorBusy / TooDeeplyNested."""
        query = check_query(query)  # the input gate: nesting that would overflow the parser's stack
        max_rows = self.max_rows if max_rows is None else max_rows
        if not self.pooled:
            return self._run_here(query, options, fmt, timeout, max_rows)
        self.start()
        with self._lock:
            version, snapshot = self._snapshot_locked()
            self._in_use[snapshot] = self._in_use.get(snapshot, 0) + 1
        try:
            try:
                worker = self._idle.get(timeout=timeout)
            except queue.Empty:
                raise ExecutorBusy(f"all {self.workers} query workers stayed busy for {timeout:g} s",
                                   hint="try again in a moment; long-running queries hold them") from None
            try:
                reply = self._exchange(worker, version, snapshot, query, options, fmt, max_rows, timeout)
            except BaseException:
                self._replace(worker)
                raise
        finally:
            with self._lock:
                self._in_use[snapshot] -= 1
                if not self._in_use[snapshot]:
                    del self._in_use[snapshot]
                    self._prune_locked()
        self._idle.put(worker)          # a worker that answered, even with an error, is fine
        if reply[0] == "ok":
            return Answer(reply[1], reply[2])
        if reply[0] == "syntax":
            raise QuerySyntaxError.from_oxigraph(reply[1])
        raise WorkerFault(f"query worker {worker.proc.pid} failed:\n{reply[1]}")

    def _exchange(self, worker: _Worker, version, snapshot, query, options, fmt, max_rows, timeout) -> tuple:
        conn = worker.conn
        try:
            if not worker.ready:
                worker.version = self._expect(worker, "ready", STARTUP_SECONDS)[1]
                worker.ready = True
            conn.send({"version": version, "snapshot": snapshot, "query": query,
                       "options": asdict(options), "fmt": fmt, "max_rows": max_rows,
                       "prefixes": self.prefixes})
            if worker.version != version:
                self._expect(worker, "loaded", STARTUP_SECONDS)
                worker.version = version
            if not conn.poll(timeout):
                log.warning("query stopped after %g s; worker %s killed", timeout, worker.proc.pid)
                raise QueryTimeout(timeout)
            return conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFault(f"query worker {worker.proc.pid} died: {exc!r}") from exc

    def _expect(self, worker: _Worker, what: str, seconds: float) -> tuple:
        if not worker.conn.poll(seconds):
            raise WorkerFault(f"query worker {worker.proc.pid} did not get {what} in {seconds:g} s")
        reply = worker.conn.recv()
        if reply[0] != what:
            raise WorkerFault(f"query worker {worker.proc.pid} said {reply[0]!r}, expected {what!r}")
        return reply

    def _run_here(self, query, options: QueryOptions, fmt, timeout, max_rows) -> Answer:
        """In-process: a remote store (bounded by its own HTTP timeout) or ``query_workers = 0``
        (no hard time limit: only for tests and tools)."""
        kwargs = options.store_kwargs()
        if not self.embedded:
            kwargs["timeout"] = timeout
            if not kwargs["union_default"] and "default_graph" not in kwargs:
                kwargs["union_default"] = True  # FROM in the query: the server applies it itself
        try:
            result = self.store.query(query, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_oxigraph(exc) from None
        except QuerySyntaxError:
            raise
        except StelselError as exc:
            if "did not answer within" in exc.message:
                raise QueryTimeout(timeout) from None
            if "does not parse" in exc.message or ERROR_POSITION.search(exc.message):
                match = ERROR_POSITION.search(exc.message)
                raise QuerySyntaxError(exc.message, hint=exc.hint or "check the SPARQL near the position named",
                                       line=int(match[1]) if match else None,
                                       column=int(match[2]) if match else None) from None
            raise
        return render_result(result, fmt, max_rows, self.prefixes)


class AnswerCache:
    """A small LRU of rendered answers, bounded in entries and bytes; keys name the store version,
    so a write makes old entries unreachable (they age out)."""

    def __init__(self, entries: int = 256, max_bytes: int = 32 * 1024 * 1024):
        self.entries = entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key: str) -> Answer | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return answer

    def put(self, key: str, answer: Answer) -> None:
        size = len(answer.body)
        if self.entries <= 0 or size > self.max_bytes // 8:   # one answer never fills the cache
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = answer
            self._bytes += size
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._items)
