"""``stelsel validate``: SHACL validation for CI, a superset of the pySHACL command line.

Swap ``pyshacl -s shapes.ttl data.ttl`` for ``stelsel validate -s shapes.ttl data.ttl``: the
pySHACL options keep their names and meaning (``-s/--shacl``, ``-e/--ont-graph``,
``-i/--inference``, ``-m/--metashacl``, ``-a/--advanced``, ``-j/--js``, ``-it/--iterate-rules``,
``--abort``, ``--allow-info(s)``, ``-w/--allow-warning(s)``, ``--max-depth``, ``--focus``,
``--shape``, ``-q/--sparql-mode``, ``-d/--debug``, ``-f/--format``, ``-o/--output``), and the exit
code tells CI what happened (README, "Exit codes"):

====  ===========================================================================
0     the data conforms at the threshold (``--fail-on``, default violation)
1     there are results at or above the threshold
2     usage or input error: missing or malformed file (file:line:column), bad option
3     a shape uses a feature the engine cannot evaluate (the shape is named)
====  ===========================================================================

pySHACL's output formats map onto stelsel's: ``human`` and ``table`` -> ``text``, ``json-ld`` ->
``jsonld``; ``xml``, ``nt`` and ``n3`` are the SHACL report graph (``turtle``) re-serialised.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import Config, load_config
from .errors import InputError, StelselError
from .finding_names import data_paths, name_findings
from .findings import Severity
from .model_repository import model_repository_data
from .validation import ENGINES, INFERENCE, atomic_write, threshold
from .validation import validate as run_validation
from .validation import write_baseline as write_baseline_file

#: stelsel's own report formats (rendered by stelsel.report)
OWN_FORMATS = ("text", "json", "turtle", "jsonld", "csv", "sarif", "junit", "github")
#: pySHACL's names: either one of ours, or the report graph in another RDF syntax (rdflib name)
PYSHACL_FORMATS = {"human": "text", "table": "text", "json-ld": "jsonld"}
RDF_FORMATS = {"xml": "xml", "nt": "nt", "n3": "n3"}


def _config(ctx: click.Context) -> Config:
    state = ctx.find_root().obj
    config = getattr(state, "config", None)
    return config if isinstance(config, Config) else load_config()


def _render(report, fmt: str, lang: str, fail_on: Severity) -> str:
    from .report import render
    if fmt in RDF_FORMATS:
        from rdflib import Graph
        graph = Graph().parse(data=render(report, "turtle", lang=lang, fail_on=fail_on), format="turtle")
        return graph.serialize(format=RDF_FORMATS[fmt])
    return render(report, PYSHACL_FORMATS.get(fmt, fmt), lang=lang, fail_on=fail_on)


def _summary(report, fail_on: Severity, lang: str) -> str:
    counts = report.counts()
    words = {"nl": ("overtredingen", "waarschuwingen", "info", "voldoet", "voldoet niet", "uit de baseline"),
             "en": ("violations", "warnings", "info", "conforms", "does not conform", "baselined")}[lang]
    parts = [f"{counts[Severity.VIOLATION]} {words[0]}", f"{counts[Severity.WARNING]} {words[1]}",
             f"{counts[Severity.INFO]} {words[2]}"]
    if report.baselined:
        parts.append(f"{len(report.baselined)} {words[5]}")
    verdict = words[3] if report.conforms(fail_on) else words[4]
    return f"stelsel validate: {verdict} ({', '.join(parts)}; {report.engine}, {report.seconds:.2f} s)"


@click.command("validate", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("data", nargs=-1, metavar="[DATA]...")
@click.option("-s", "--shacl", "--shapes", "shapes", multiple=True, metavar="FILE",
              help="Shapes file, folder or glob (repeatable). Default: the bundled shapes/.")
@click.option("-e", "--ont-graph", "ont_graphs", multiple=True, metavar="FILE",
              help="Extra ontology mixed into the data graph (repeatable); the bundled ontology always is.")
@click.option("-i", "--inference", type=click.Choice(INFERENCE), default="none", show_default=True,
              help="Inference on the data graph before validating.")
@click.option("-m", "--metashacl", is_flag=True, help="Check the shapes against SHACL's own shapes first (exit 2 if not valid).")
@click.option("-a", "--advanced", is_flag=True,
              help="SHACL Advanced Features (always on in stelsel; accepted for pySHACL compatibility).")
@click.option("-j", "--js", is_flag=True, help="SHACL-JS: not supported; using it exits with 3.")
@click.option("-it", "--iterate-rules", is_flag=True, help="Run SHACL rules until the data graph stops changing.")
@click.option("--abort", "abort_on_first", is_flag=True, help="Stop at the first result.")
@click.option("--allow-info", "--allow-infos", "allow_infos", is_flag=True,
              help="Results of severity Info never fail the run.")
@click.option("-w", "--allow-warning", "--allow-warnings", "allow_warnings", is_flag=True,
              help="Results of severity Warning or Info never fail the run (as in pySHACL).")
@click.option("--max-depth", type=click.IntRange(min=1), default=None, help="Maximum depth of nested shapes.")
@click.option("--focus", multiple=True, metavar="IRI[,IRI…]", help="Validate only these focus nodes (IRIs or prefixed names).")
@click.option("--shape", multiple=True, metavar="IRI[,IRI…]", help="Use only these shapes (IRIs or prefixed names).")
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice([*OWN_FORMATS, *PYSHACL_FORMATS, *RDF_FORMATS]),
              help="Output format; pySHACL's names work too (human, table, json-ld, xml, nt, n3).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity that makes the run fail (exit 1).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of messages and rules.")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Findings listed in this file (from --write-baseline) are reported apart and do not fail the run.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write every current finding to this file as the new baseline (the run then exits 0).")
@click.option("--graph", default=None, metavar="NAME",
              help="Validate one named graph (dera, alignments/dera, or an IRI) and what it refers to.")
@click.option("--endpoint", default=None, metavar="URL", help="Fetch the data from this SPARQL endpoint (CONSTRUCT).")
@click.option("-q", "--sparql-mode", is_flag=True, help="pySHACL's spelling: DATA is a SPARQL endpoint URL.")
@click.option("--engine", type=click.Choice(ENGINES), default="turbo", show_default=True,
              help="SHACL engine: pyshacl-turbo (fast) or pySHACL (the reference); the same findings.")
@click.option("--architecture", default=None, metavar="IRI",
              help="For ArchiMate exchange files among DATA: the architecture they describe.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for --endpoint.")
@click.option("-d", "--debug", is_flag=True, help="Print what was read and how long each step took (standard error).")
@click.option("--alone", is_flag=True,
              help="Validate DATA by itself, without the parts of the bundled stelsel it refers to.")
@click.option("--profile", is_flag=True, help="Print the seconds per step and per shape, slowest first (standard error).")
@click.pass_context
def validate(ctx: click.Context, data, shapes, ont_graphs, inference, metashacl, advanced, js, iterate_rules,
             abort_on_first, allow_infos, allow_warnings, max_depth, focus, shape, fmt, output, fail_on, lang,
             baseline, write_baseline, graph, endpoint, sparql_mode, engine, architecture, timeout, debug,
             alone, profile):
    """Validate RDF data against SHACL shapes; every finding names its file and line.

    DATA: RDF files, folders or globs (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) and
    ArchiMate exchange files (with --architecture). Without DATA: the bundled data.

    Exit codes: 0 conforms, 1 results at or above --fail-on, 2 usage or input error,
    3 a shape uses a feature the engine cannot evaluate.
    """
    del advanced  # always on
    try:
        if sparql_mode:
            if len(data) != 1 or endpoint is not None:
                raise InputError("with -q/--sparql-mode give exactly one DATA: the endpoint URL",
                                 hint="stelsel validate -q http://localhost:5000/sparql (or use --endpoint URL)")
            endpoint, data = data[0], ()
        limit = threshold(fail_on, allow_warnings=allow_warnings, allow_infos=allow_infos)
        model = not data and endpoint is None and graph is None and model_repository_data(_config(ctx).content_root)
        data = model or data  # in a model repository: its data/, in context (model_repository.py)
        report = run_validation(
            list(data) or None, list(shapes) or None, config=_config(ctx), ont_graphs=list(ont_graphs),
            inference=inference, abort_on_first=abort_on_first, metashacl=metashacl, js=js,
            iterate_rules=iterate_rules, focus=list(focus), shape=list(shape), max_depth=max_depth,
            graph=graph, endpoint=endpoint, architecture=architecture, engine=engine, baseline=baseline,
            timeout=timeout, context=not alone)
        if write_baseline is not None:
            n = write_baseline_file(report, write_baseline, lang)
            click.echo(f"stelsel validate: wrote {n} finding(s) to the baseline {write_baseline}", err=True)
            report.baselined = [*report.baselined, *report.findings]
            report.findings = []
        if PYSHACL_FORMATS.get(fmt, fmt) == "text":  # names instead of IRIs, in --lang (finding_names.py)
            report = name_findings(report, data_paths(report.data, _config(ctx).content_root), lang)
        text = _render(report, fmt, lang, limit)
        if output is not None:
            atomic_write(output, text.encode("utf-8"))
        else:
            click.echo(text, nl=not text.endswith("\n"))
        if debug or output is not None or fmt not in ("text", "human", "table"):
            click.echo(_summary(report, limit, lang), err=True)
        if debug:
            click.echo(f"  data: {', '.join(report.data) or '-'}", err=True)
            click.echo(f"  shapes: {', '.join(report.shapes)}", err=True)
        if profile:
            click.echo(profile_table(report), err=True)
        ctx.exit(report.exit_code(limit))
    except StelselError as exc:
        click.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"  next: {exc.hint}", err=True)
        ctx.exit(exc.exit_code)


def profile_table(report) -> str:
    """``--profile``: seconds per step and per shape, slowest first, and the total."""
    rows = sorted(report.timings.items(), key=lambda kv: -kv[1])
    lines = [f"{'seconds':>8}  step or shape", *(f"{seconds:8.3f}  {name}" for name, seconds in rows),
             f"{report.seconds:8.3f}  total (engine {report.engine})"]
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - `python -m stelsel.validate_cli`
    validate(prog_name="stelsel validate")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
