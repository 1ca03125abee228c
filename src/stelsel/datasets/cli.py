"""``stelsel datasets``: validate, register and trace NDE dataset descriptions.

    stelsel datasets validate examples/ one.jsonld           # stelsel's shapes; exit 0/1/2/3
    stelsel datasets validate --shapes shacl.ttl examples/    # the register's own shapes
    stelsel datasets register dataset.jsonld --publisher kb   # into the store
    stelsel datasets list --publisher kb
    stelsel datasets trace kb/rise-alba-15c13ee8

Exit codes as for ``stelsel validate``: 0 every description conforms at ``--fail-on``; 1 some do
not (or hold no dataset); 2 an input or usage error (every other file is still validated); 3 a
shape uses a feature the engine cannot evaluate.
"""

from __future__ import annotations

import getpass
import hmac
import json
import sys
from pathlib import Path

import click

from ..errors import InputError, StelselError
from ..validate_cli import OWN_FORMATS, PYSHACL_FORMATS, RDF_FORMATS

STATE_WORDS = {"nl": {"valid": "geldig", "invalid": "ongeldig", "no-dataset": "geen dataset", "error": "fout"},
               "en": {"valid": "valid", "invalid": "invalid", "no-dataset": "no dataset", "error": "error"}}


def _state(ctx: click.Context):
    return ctx.find_root().obj


def _fail(ctx: click.Context, exc: StelselError) -> None:
    click.echo(f"error: {exc.message}", err=True)
    if exc.hint:
        click.echo(f"  next: {exc.hint}", err=True)
    ctx.exit(exc.exit_code)


@click.group("datasets", context_settings={"help_option_names": ["-h", "--help"]})
def datasets_group():
    """NDE dataset descriptions: validate, register into the stelsel, trace to DERA and NORA."""


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


@datasets_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-s", "--shapes", multiple=True, type=click.Path(path_type=Path),
              help="Shapes file (repeatable), e.g. the register's published shapes. Default: stelsel's "
                   "shapes/nde-datasets.ttl.")
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice([*OWN_FORMATS, *PYSHACL_FORMATS, *RDF_FORMATS]),
              help="Report format, as stelsel validate (pySHACL's names work too).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity that makes a description fail (exit 1).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--engine", type=click.Choice(["pyshacl", "turbo"]), default="pyshacl", show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=250, show_default=True,
              help="Descriptions per engine run (1: one run per file).")
@click.option("-v", "--verbose", is_flag=True, help="Also show every note on reading (such as http://schema.org/ "
              "read as https://schema.org/).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: when "
              "more than one file and standard error is a terminal).")
@click.pass_context
def validate_cmd(ctx, paths, shapes, fmt, output, fail_on, lang, engine, batch_size, verbose, progress):
    """Validate dataset descriptions (files or folders: JSON-LD, Turtle, N-Triples, RDF/XML).

    Valid means no violation; warnings and infos are shown but allowed. A description without a
    schema:Dataset or dcat:Dataset is 'no dataset'. Nothing is fetched.
    """
    from ..validate_cli import _render
    from ..validation import atomic_write, threshold
    from .inputs import expand
    from .validate import DatasetValidator, combined_report
    limit = threshold(fail_on)
    try:
        files = expand(paths)
        if not files:
            raise InputError("no description files in the paths given",
                             hint="give .jsonld, .json, .ttl, .nt, .rdf or .xml files or folders holding them")
        with DatasetValidator(list(shapes) or None, engine=engine, batch_size=batch_size) as v:
            for w in v.shapes.warnings:
                click.echo(f"warning: {w}", err=True)
            show = progress if progress is not None else (len(files) > 1 and sys.stderr.isatty())
            if show:
                with click.progressbar(length=len(files), label="validating", file=sys.stderr,
                                       show_pos=True) as bar:
                    outcomes = v.validate_paths(files, progress=bar.update)
            else:
                outcomes = v.validate_paths(files)
            labels = list(v.shapes.labels)
    except StelselError as exc:
        _fail(ctx, exc)
        return
    report = combined_report(outcomes, engine, labels)
    text = _render(report, fmt, lang, limit)
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=not text.endswith("\n"))
    words = STATE_WORDS[lang]
    rows = []
    for o in outcomes:
        c = o.counts
        failing = o.state == "no-dataset" or not o.report.conforms(limit)
        state = words[o.state] if o.state != "valid" or not failing else words["invalid"]
        rows.append([o.label, state, str(len(o.datasets)), str(c["Violation"]), str(c["Warning"]), str(c["Info"])])
    header = (["beschrijving", "uitkomst", "datasets", "overtredingen", "waarschuwingen", "info"] if lang == "nl"
              else ["description", "outcome", "datasets", "violations", "warnings", "info"])
    click.echo(table(rows, header), err=True)
    for o in outcomes:
        for note in o.notes:
            if not verbose and o.state != "error" and "read as https://schema.org/" in note:
                continue
            click.echo(f"{'fout' if o.state == 'error' and lang == 'nl' else 'error' if o.state == 'error' else 'note'}: "
                       f"{o.label}: {note}", err=True)
    errors = [o for o in outcomes if o.state == "error"]
    failing = [o for o in outcomes if o.state == "no-dataset" or (o.state != "error" and not o.report.conforms(limit))]
    counts = {s: sum(1 for o in outcomes if o.state == s) for s in ("valid", "invalid", "no-dataset", "error")}
    click.echo("stelsel datasets validate: "
               + ", ".join(f"{n} {words[s]}" for s, n in counts.items() if n)
               + f" ({len(outcomes)} {'beschrijvingen' if lang == 'nl' else 'descriptions'}; {engine}, "
               f"{report.seconds:.2f} s)", err=True)
    ctx.exit(2 if errors else 1 if failing else 0)


def _check_token(config, token: str, graph_prefix: str):
    """The token's grant, if it is configured and granted the publisher's graphs."""
    from ..server.auth import hash_token
    digest = hash_token(token)
    found = None
    for grant in config.tokens:
        if hmac.compare_digest(digest, grant.hash):
            found = grant
    if found is None:
        raise StelselError("the token is not valid", hint="check it, or ask for a new one")
    from ..server.auth import grants, is_admin
    if not (is_admin(found) or grants(found, graph_prefix + "x")):
        raise StelselError(f"token '{found.name}' may not write {graph_prefix}*",
                           hint="a partner registers only its own datasets: " + ", ".join(found.graphs))
    return found


@datasets_group.command("register")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--publisher", required=True, help="The publisher's name (slug), e.g. kb: graph:datasets/<publisher>/….")
@click.option("--token", envvar="STELSEL_DATASETS_TOKEN", default=None,
              help="A partner token from the settings ([tokens.<name>]); its name is recorded as who "
                   "registered (env STELSEL_DATASETS_TOKEN). Without it: your user name.")
@click.option("--source", default=None, help="Where the description comes from (a URL), recorded as its source.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.pass_context
def register_cmd(ctx, path, publisher, token, source, lang):
    """Validate a description and, when valid, register its datasets in the store."""
    from ..report import render
    from .link import DATASETS_GRAPH, check_publisher, register
    from .validate import DatasetValidator
    state = _state(ctx)
    try:
        check_publisher(publisher)
        grant = _check_token(state.config, token, f"{DATASETS_GRAPH}{publisher}/") if token else None
        agent = grant.name if grant is not None else f"lokaal:{getpass.getuser()}"
        with DatasetValidator() as v:
            outcome = v.validate_paths([path])[0]
        if outcome.state == "error":
            raise outcome.error
        if outcome.state != "valid":
            click.echo(render(outcome.report, "text", lang=lang), err=True)
            click.echo(f"not registered: the description is {outcome.state}", err=True)
            ctx.exit(1)
            return
        from ..server.auth import is_admin
        if grant is not None and not is_admin(grant):   # without a token: the store's own operator
            from .ownership import check_own_publisher
            check_own_publisher(state.store, outcome, publisher, grant.publishers)
        regs = register(state.store, outcome, publisher=publisher, agent=agent, source=source or str(path))
    except StelselError as exc:
        _fail(ctx, exc)
        return
    for r in regs:
        click.echo(f"{r.id}\t{r.graph}\t{'replaced' if r.replaced else 'new'}\t"
                   f"{len(r.links.kenmerken)} characteristics, {len(r.links.termenbronnen)} terminology sources")


@datasets_group.command("list")
@click.option("--publisher", default=None)
@click.option("--status", type=click.Choice(["valid", "invalid"]), default=None)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def list_cmd(ctx, publisher, status, fmt):
    """The registered datasets."""
    from .link import registrations
    try:
        rows = registrations(_state(ctx).reader, publisher=publisher, status=status)
    except StelselError as exc:
        _fail(ctx, exc)
        return
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    click.echo(table([[r["id"], r["status"], r["organisation_name"], r["name"][:60]] for r in rows],
                     ["id", "status", "publisher", "name"]))


@datasets_group.command("trace")
@click.argument("ident")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def trace_cmd(ctx, ident, fmt):
    """Which DERA principles and services a registered dataset serves, and the NORA principles they trace to."""
    from .link import registration
    from .trace import summarise, trace
    store = _state(ctx).reader
    try:
        reg = registration(store, ident)
    except StelselError as exc:
        _fail(ctx, exc)
        return
    summary = summarise(trace(store, reg["graph"]))
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    click.echo(f"{reg['name']} <{reg['dataset']}>")
    for p in summary["principles"]:
        nora = ", ".join(sorted({n["principle_notation"] or n["notation"] or n["iri"] for n in p["nora"]}))
        click.echo(f"  {p['notation']} {p['name']['nl']}  ->  NORA {nora or '-'}")
    click.echo("  services: " + ", ".join(s["name"]["nl"] for s in summary["services"]))

