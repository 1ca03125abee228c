"""The ``stelsel`` command: thin commands over the core modules.

Every command parses its input, calls one core function and renders the answer. Errors a user
can cause are printed as a sentence with a next step (never a traceback) and end with the exit
code of their kind (see :mod:`stelsel.errors`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import click

from . import __version__
from .config import Config, load_config
from .errors import InputError, StelselError
from .inputs import check_query, decode_text, read_file
from .files import honour_umask
from .results import FORMATS, render
from .sources import read_paths
from .store import DUMP_FORMATS, GraphStore, load_bundled, load_files, open_store


class StelselGroup(click.Group):
    """A group that turns a StelselError into a sentence and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StelselError as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  next: {exc.hint}", err=True)
            ctx.exit(exc.exit_code)


class State:
    """What every command may need, built lazily from the layered settings."""

    def __init__(self, config: Config):
        self.config = config
        self._store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.config)
        return self._store

    @property
    def reader(self) -> GraphStore:
        """The store for a command that only reads: works beside a running 'stelsel serve'."""
        if self._store is None:
            self._store = open_store(self.config, read_only=True)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_state = click.make_pass_decorator(State)


def _print_version(ctx: click.Context, _param, value) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .content import content_info
    click.echo(f"stelsel {__version__}")
    try:
        click.echo(content_info(load_config(content_root=ctx.params.get("content_root")).content_root).describe())
    except (StelselError, OSError) as exc:
        click.echo(f"content: unknown ({exc})")
    ctx.exit(0)


@click.group(cls=StelselGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", type=str, default=None, metavar="PATH|URL",
              help="Store folder (default .stelsel/store), or the URL of a SPARQL 1.1 query endpoint "
                   "(a remote store, see docs/remote-store.md); env STELSEL_STORE.")
# -- remote store settings (issue 4); the password or token only through env or the config file --
@click.option("--update-endpoint", default=None, metavar="URL",
              help="Remote store: SPARQL Update endpoint (default: derived from --store).")
@click.option("--gsp-endpoint", default=None, metavar="URL",
              help="Remote store: Graph Store Protocol endpoint (default: load through SPARQL Update).")
@click.option("--store-user", default=None,
              help="Remote store: user for basic auth (password in env STELSEL_STORE_PASSWORD).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="A TOML settings file (default ./stelsel.toml if present; env STELSEL_CONFIG).")
@click.option("--content", "content_root", type=click.Path(path_type=Path, file_okay=False), default=None,
              is_eager=True, help="The folder holding ontology/, data/, shapes/ and queries/ "
                                  "(default: the checkout's, else the ones packaged with stelsel).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the package version and the version and place of the content, and exit.")
@click.pass_context
def main(ctx: click.Context, store, update_endpoint, gsp_endpoint, store_user, config_file, content_root):
    """stelsel: the Dutch stelsel van referentiearchitecturen as a knowledge graph.

    The store is created on first use and filled with the bundled ontology, data and shapes.
    Exit codes: 0 success, 1 validation findings, 2 usage or input error, 3 unsupported feature.
    """
    state = State(load_config(config_file, store=store, content_root=content_root, update_endpoint=update_endpoint,
                              gsp_endpoint=gsp_endpoint, store_user=store_user))
    ctx.obj = state
    ctx.call_on_close(state.close)


# -- store -------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", "graph", default=None, metavar="IRI",
              help="Load everything into this named graph (default: one graph per file).")
@pass_state
def load(state: State, paths, graph):
    """Load RDF files or folders, replacing the named graphs they fill.

    All files are parsed before the store is touched: a malformed file leaves the store exactly
    as it was and names the file, line and column.
    """
    started = time.perf_counter()
    loaded = load_files(state.store, read_paths(paths, state.config, graph))
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = loaded.counts
    for iri, n in sorted(counts.items()):
        click.echo(f"{iri}\t{n} triples")
    click.echo(f"loaded {sum(counts.values())} triples into {len(counts)} graph(s) "
               f"in {time.perf_counter() - started:.2f} s", err=True)


@main.command()
@pass_state
def reload(state: State):
    """Load the bundled ontology, data and shapes again (after editing them)."""
    started = time.perf_counter()
    counts = load_bundled(state.store, state.config)
    from .review import replay; replay(state.store)  # noqa: E702 (reviews outlive a reload, docs/review.md)
    click.echo(f"reloaded {sum(counts.values())} triples into {len(counts)} graphs "
               f"in {time.perf_counter() - started:.2f} s")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def graphs(state: State, fmt):
    """List the named graphs with their triple counts."""
    infos = state.reader.graphs()
    if fmt == "json":
        click.echo(json.dumps([{"graph": g.iri, "triples": g.triples} for g in infos], indent=2))
        return
    width = max([len(g.iri) for g in infos] + [5])
    for g in infos:
        click.echo(f"{g.iri.ljust(width)}  {g.triples:>7}")
    click.echo(f"{'total'.ljust(width)}  {sum(g.triples for g in infos):>7}")


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the query from a .rq file ('-' for standard input).")
@click.option("-n", "--name", "name", help="Run a canned query from queries/ (see 'stelsel queries').")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a canned query; repeatable. Bound, never pasted into the text.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_state
def query(state: State, sparql, query_file, name, params, fmt):
    """Run a SPARQL query over the stelsel (the default graph is the union of all graphs)."""
    if sum(x is not None for x in (sparql, query_file, name)) != 1:
        raise InputError("give one query: as an argument, with -f FILE, or with --name NAME",
                         hint="stelsel query 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'")
    substitutions = None
    if name is not None:
        canned = _catalogue(state).get(name)
        if canned is None:
            raise InputError(f"there is no canned query '{name}'", hint="'stelsel queries' lists them")
        sparql, substitutions = canned.text, canned.bindings(_pairs(params))
    elif params:
        raise InputError("--param goes with --name", hint="parameters belong to canned queries")
    elif query_file is not None:
        sparql = sys.stdin.read() if str(query_file) == "-" else _read_text(query_file)
    result = state.reader.query(check_query(sparql), substitutions=substitutions)
    click.echo(render(result, fmt).decode("utf-8"), nl=False)
    if getattr(state.store, "truncated", False):
        click.echo("warning: the server cut this answer at its row limit (Stelsel-Truncated: true); "
                   "the rows above are not all of them", err=True)
        click.echo("  next: add LIMIT/OFFSET to page through the answer, or raise max_result_rows on the server",
                   err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@pass_state
def queries(state: State, fmt, lang):
    """List the canned queries with their parameters."""
    catalogue = _catalogue(state)
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "tags": list(q.tags),
                                "parameters": [{"name": p.name, "type": p.type, "default": p.default}
                                               for p in q.parameters]}
                               for q in catalogue.values()], indent=2, ensure_ascii=False))
        return
    for q in catalogue.values():
        params = " ".join(f"{p.name}={p.default or '<' + p.type + '>'}" for p in q.parameters)
        click.echo(f"{q.name}\t{q.title}" + (f"\t[{params}]" if params else ""))
        click.echo(f"\t{q.description.get(lang, '')}")


def _catalogue(state: State):
    from .queries import load_catalogue
    return load_catalogue(state.config.queries_dir)


def _pairs(params) -> dict[str, str]:
    out = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"--param {item!r} is not NAME=VALUE", hint="for example --param architectuur=https://w3id.org/stelsel/id/dera")
        out[key] = value
    return out


@main.group("export", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(list(DUMP_FORMATS)), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (default: standard output).")
@click.pass_context
def export(ctx: click.Context, fmt, output):
    """Dump every named graph, reloadable with 'stelsel load'; or 'export sssom'."""
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    with _output(output) as out:
        state.reader.dump(out, fmt)


@main.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1; env STELSEL_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 5000; env STELSEL_PORT).")
@click.option("--store", "store", default=None, metavar="PATH|URL",
              help="Store folder or remote SPARQL endpoint (same as 'stelsel --store'; env STELSEL_STORE).")
@click.option("--threads", type=int, default=None, help="Request threads (default 8; env STELSEL_THREADS).")
@click.option("--workers", "query_workers", type=int, default=None,
              help="Query worker processes (default 2; env STELSEL_QUERY_WORKERS).")
@click.option("--query-timeout", type=float, default=None,
              help="Seconds a query may run (default 10; env STELSEL_QUERY_TIMEOUT).")
@click.option("--reload-content", is_flag=True,
              help="Load the bundled ontology, data and shapes into the store again before serving (after "
                   "editing them, or upgrading stelsel).")
@pass_state
def serve(state: State, host, port, store, threads, query_workers, query_timeout, reload_content):
    """Serve the stelsel: the SPARQL endpoint at /sparql, graphs at /data, tool pages under /-/.

    Read-only for everyone; writes need a token from 'stelsel token new'. One JSON line per
    request goes to standard error (logger stelsel.access).
    """
    from .server import create_app

    state.config = state.config.replace(host=host, port=port, store=store, query_workers=query_workers,
                                        query_timeout=query_timeout, threads=threads)
    config = state.config
    _server_logging()
    if reload_content:
        counts = load_bundled(state.store, config)
        click.echo(f"reloaded {sum(counts.values()):,} triples of bundled content into {len(counts)} graphs")
    app = create_app(config, store=state.store)
    server = _bind(app, config)
    executor = app.extensions["stelsel.executor"]
    executor.start()
    graphs = state.store.graphs()
    click.echo(f"stelsel {__version__}: {sum(g.triples for g in graphs):,} triples in {len(graphs)} graphs "
               f"from {config.store}")
    from .freshness import stale_note
    if not reload_content and (note := stale_note(config)):
        click.echo(note, err=True)
    click.echo(f"pages: http://{config.host}:{config.port}/   SPARQL endpoint: http://{config.host}:{config.port}/sparql  (Ctrl-C stops)")
    if config.tokens:
        click.echo(f"writes: {len(config.tokens)} token(s): " + ", ".join(t.name for t in config.tokens))
    click.echo(f"http: {server.adj.threads} threads, {config.query_workers} query workers, at most "
               f"{config.connection_limit} connections, idle ones closed after {config.channel_timeout:g} s")
    from .server.serving import serve as run_server
    run_server(app, server)      # until SIGTERM or Ctrl-C; then workers and temp files are gone


def _bind(app, config: Config):
    """The waitress server, bound: a port in use is one sentence (exit 2), not a traceback."""
    import errno

    import waitress.server

    from .server.serving import request_threads
    try:
        return waitress.server.create_server(
            app, host=config.host, port=config.port, threads=request_threads(config, config.threads), ident="stelsel",
            max_request_body_size=config.max_request_bytes, connection_limit=config.connection_limit,
            channel_timeout=config.channel_timeout)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"cannot serve on {config.host}:{config.port}: the port is already in use",
                             hint=f"stop what uses it, or pick another port: stelsel serve --port {config.port + 1}") from None
        raise InputError(f"cannot serve on {config.host}:{config.port}: {exc.strerror or exc}",
                         hint="check --host and --port (a port below 1024 needs privileges)") from None


def _server_logging() -> None:
    """Access lines as bare JSON on standard error; everything else with level and logger."""
    import logging

    access = logging.getLogger("stelsel.access")
    if not access.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    root = logging.getLogger("stelsel")
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)


@main.group()
def token():
    """Write tokens for the endpoint (SPARQL Update and PUT/POST/DELETE on /data)."""


@token.command("new")
@click.argument("name")
@click.option("--graph", "graphs", multiple=True, required=True, metavar="IRI",
              help="A graph the token may write: an IRI, or a prefix ending in * (repeatable).")
def token_new(name, graphs):
    """Make a token NAME that may write the graphs given; print it once, and its config.

    Only the token's SHA-256 hash goes into the config; the token itself is shown here once.
    """
    import re

    from .config import check_graph_pattern
    from .server.auth import hash_token, new_token, toml_snippet

    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise InputError(f"token name {name!r} may only hold letters, digits, '-' and '_'",
                         hint="for example: stelsel token new nde-harvester --graph IRI")
    for g in graphs:
        check_graph_pattern(g, "--graph")
    secret = new_token()
    click.echo(f"token (shown once; give it to the writer, keep it out of URLs and logs):\n\n  {secret}\n")
    click.echo("add to stelsel.toml (only the hash is stored):\n")
    click.echo(toml_snippet(name, hash_token(secret), graphs))
    click.echo("use it as: curl -H 'Authorization: Bearer TOKEN' …", err=True)


@export.command("sssom")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (default: standard output).")
@click.option("--set", "set_iri", default=None, metavar="IRI",
              help="Only this alignment set (default: every set, as one combined mapping set).")
@pass_state
def export_sssom(state: State, output, set_iri):
    """Write the alignments and deviations in the store as one SSSOM TSV mapping set."""
    from .importers.sssom import write_sssom
    from .vocab import GRAPH, ID
    alignments = _construct(state, f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{GRAPH}alignments/")) }}""")
    labels = _construct(state, """CONSTRUCT { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }
        WHERE { ?e <https://w3id.org/stelsel/def#inArchitectuur> ?a ;
                   <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }""")
    if len(alignments) == 0:
        raise InputError("the store holds no alignments (no graph under graph:alignments/)",
                         hint="load some with 'stelsel import sssom FILE --load' or 'stelsel reload'")
    import io
    buffer = io.StringIO()
    write_sssom(alignments, buffer, mapping_set_id=set_iri or f"{ID}aansluitingsset/stelsel", labels=labels,
                ontology=state.config.ontology_dir / "stelsel.ttl",
                title=None if set_iri else {"nl": "Alle aansluitingen in het stelsel",
                                            "en": "All alignments in the stelsel"})
    with _output(output) as out:
        out.write(buffer.getvalue().encode("utf-8"))


def _construct(state: State, sparql: str):
    """A CONSTRUCT over the store as an rdflib graph (for the rdflib-based writers)."""
    import pyoxigraph as ox
    from rdflib import Graph
    data = ox.serialize(state.reader.query(sparql), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


# -- import --------------------------------------------------------------------------------------
@main.group("import")
def import_():
    """Turn ArchiMate models and SSSOM mapping sets into stelsel RDF."""


def _deliver(state: State, graph, output: Path | None, load: bool, graph_iri: str | None, label: str) -> None:
    """Write an imported graph to a file (atomically), into the store, or to standard output."""
    if load:
        from .sources import from_rdflib
        counts = state.store.replace_graphs([from_rdflib(graph, graph_iri, label)])
        click.echo(f"loaded {sum(counts.values())} triples into {graph_iri}", err=True)
        return
    fmt = "trig" if output is not None and output.suffix == ".trig" else "turtle"
    if fmt == "trig":
        from rdflib import Dataset, URIRef
        ds = Dataset()
        for prefix, ns in graph.namespaces():
            ds.bind(prefix, ns)
        named = ds.graph(URIRef(graph_iri))
        for triple in graph:
            named.add(triple)
        data = ds.serialize(format="trig", encoding="utf-8")
    else:
        data = graph.serialize(format="turtle", encoding="utf-8")
    with _output(output) as out:
        out.write(data)


@import_.command("archimate")
@click.argument("model", type=click.Path(path_type=Path))
@click.option("--architecture", "architecture", required=True, metavar="IRI",
              help="The architecture the elements belong to; also the base of their IRIs.")
@click.option("--facts-only", is_flag=True, help="Leave out long texts (documentation, statements).")
@click.option("--include-folder", "include_folders", multiple=True, metavar="PATH",
              help="Only elements in this folder or below (repeatable), e.g. 'Motivation/DERA 4.0'.")
@click.option("--exclude-folder", "exclude_folders", multiple=True, metavar="NAME",
              help="Leave out elements in this folder (repeatable), e.g. '#Metamodel'.")
@click.option("--status-from-folder", is_flag=True,
              help="Set the status from ACTUEEL / TODO / VERVALLEN folders.")
@click.option("--source-iri", default=None, metavar="IRI", help="Object of prov:wasDerivedFrom (default: the file).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write Turtle (.ttl) or TriG (.trig) to this file (default: standard output).")
@click.option("--load", is_flag=True, help="Load into the store instead of writing a file.")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Named graph for --load and .trig (default: graph:local/<file name>).")
@pass_state
def import_archimate_cmd(state: State, model, architecture, facts_only, include_folders, exclude_folders,
                         status_from_folder, source_iri, output, load, graph_iri):
    """Import an ArchiMate exchange file (.xml) or Archi CSV export (any of its three files).

    Element and relationship types are mapped through the ontology's ArchiMate annotations.
    """
    from .importers.archimate import STATUS_FOLDERS, import_archimate
    result = import_archimate(model, architecture, ontology=state.config.ontology_dir / "stelsel.ttl",
                              source_iri=source_iri, facts_only=facts_only,
                              include_folders=include_folders or None, exclude_folders=exclude_folders,
                              status_from_folder=STATUS_FOLDERS if status_from_folder else None)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{n} {cls.split('#')[-1]}" for cls, n in sorted(result.class_counts.items(), key=str))
    click.echo(f"imported {sum(result.class_counts.values())} elements ({counts}) and "
               f"{sum(result.relation_counts.values())} relations from {model}", err=True)
    _deliver(state, result.graph, output, load, graph_iri or _local_graph(model), str(model))


@import_.command("sssom")
@click.argument("tsv", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write Turtle (.ttl) or TriG (.trig) to this file (default: standard output).")
@click.option("--load", is_flag=True, help="Load into the store instead of writing a file.")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Named graph for --load and .trig (default: graph:local/<file name>).")
@pass_state
def import_sssom_cmd(state: State, tsv, output, load, graph_iri):
    """Import an SSSOM TSV mapping set as stelsel alignments (and deviations)."""
    from .importers.sssom import read_sssom
    graph = read_sssom(tsv, ontology=state.config.ontology_dir / "stelsel.ttl")
    _deliver(state, graph, output, load, graph_iri or _local_graph(tsv), str(tsv))


def _local_graph(path: Path) -> str:
    from .vocab import GRAPH
    return f"{GRAPH}local/{Path(path).name.split('.')[0]}"


def _read_text(path: Path) -> str:
    return decode_text(read_file(path), str(path))


class _output:
    """Write to a file atomically (temp file, then rename) or to standard output."""

    def __init__(self, path: Path | None):
        self.path = path

    def __enter__(self):
        if self.path is None:
            return sys.stdout.buffer
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        honour_umask(fd)
        self._fh = os.fdopen(fd, "wb")
        return self._fh

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            sys.stdout.flush()
            return False
        self._fh.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)
        return False


from .validate_cli import validate  # noqa: E402  (the validate command lives in its own module)

main.add_command(validate)

from .datasets.cli import datasets_group; main.add_command(datasets_group)  # noqa: E402,E702 (docs/datasets.md)
from .review_cli import review; main.add_command(review)  # noqa: E402,E702 (owners' decisions, docs/review.md)
from .diff_cli import diff_cmd; main.add_command(diff_cmd)  # noqa: E402,E702 (versions and drift, docs/diff.md)
from .suggest.cli import suggest_group; main.add_command(suggest_group)  # noqa: E402,E702 (docs/suggest.md)

if __name__ == "__main__":  # pragma: no cover
    main()
