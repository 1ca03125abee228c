"""Differential tests: every case under ``cases/`` (a ``data.ttl`` and a ``shapes.ttl``) runs
through stelsel's two engines, plain pySHACL (its Python API) and the ``pyshacl-turbo`` command
on the same files; they must agree on ``sh:conforms`` and on the set of results (focus node,
path, value, constraint component, severity). See README.md for the cases and where a reference
is wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace

from stelsel.config import Config
from stelsel.errors import UnsupportedFeatureError
from stelsel.findings import Severity
from stelsel.validation import _nt, _path_text, validate

SH = Namespace("http://www.w3.org/ns/shacl#")
CASES = Path(__file__).parent / "cases"
ALL = sorted(p.name for p in CASES.iterdir() if (p / "data.ttl").is_file())

# Where a reference gives another answer than the SHACL specification, with the reason. The
# tests assert that the reference still differs (so a fixed reference shows up here) and that
# stelsel's engines agree with the specification (the other references).
_NORMALISES = ('rdflib normalises literals when it parses a file ("01"^^xsd:integer becomes "1"), so the '
               'reference compares and reports other terms than the file holds')
_XSD_STRING = 'rdflib tells "x"^^xsd:string from "x" (RDF 1.0); in RDF 1.1 they are the same term'
WRONG: dict[str, dict[str, str]] = {
    "datatype-boolean-forms": {
        "pyshacl": 'rdflib reads the ill-formed "yes"^^xsd:boolean as false, so pySHACL finds no sh:datatype violation',
        "pyshacl-turbo": 'reports the ill-formed "yes"^^xsd:boolean as "false" (rdflib\'s reading), not as written'},
    "equals": {"pyshacl": _NORMALISES, "pyshacl-turbo": _NORMALISES},
    "has-value": {"pyshacl": _XSD_STRING, "pyshacl-turbo": _XSD_STRING},
    "has-value-number": {"pyshacl": _NORMALISES},
    "in-mixed": {"pyshacl": _NORMALISES, "pyshacl-turbo": _NORMALISES},
    "literals-numeric-forms": {"pyshacl": _NORMALISES, "pyshacl-turbo": _NORMALISES},
    "literals-plain": {"pyshacl": _XSD_STRING, "pyshacl-turbo": _XSD_STRING},
    "min-exclusive": {"pyshacl": _NORMALISES, "pyshacl-turbo": _NORMALISES},
    "not": {"pyshacl": _XSD_STRING, "pyshacl-turbo": _XSD_STRING},
    "sparql-prefixes-imported": {
        "pyshacl": "does not follow owl:imports from an sh:prefixes node (SHACL 5.2.1 reads "
                   "sh:prefixes/owl:imports*/sh:declare) and fails on the prefix"},
    "sparql-shapes-graph": {"pyshacl": "does not support $shapesGraph (NotImplementedError)"},
    "sparql-this-not-selected": {
        "pyshacl-turbo": "refuses a SELECT that does not project $this; SHACL pre-binds $this, so the focus "
                         "node is known anyway, and pySHACL evaluates it"},
    "unique-lang-one": {
        "pyshacl": 'takes "1"^^xsd:boolean as true; in SHACL only the literal true ("true"^^xsd:boolean) '
                   "activates sh:uniqueLang"},
}
# What stelsel's pySHACL engine refuses (exit 3) because pySHACL cannot evaluate it.
UNSUPPORTED = {("sparql-shapes-graph", "pyshacl"): "shapesGraph"}


def _term(term) -> str:
    """Results compared as text; blank nodes all alike (each engine names them its own way)."""
    if isinstance(term, BNode):
        return "_:"
    return _nt(term)


def _results(report: Graph, shapes: Graph) -> set[tuple]:
    out = set()
    for r in report.objects(None, SH.result):  # top-level results only, not their sh:detail
        path = report.value(r, SH.resultPath)
        if path is not None:
            path = _path_text(report if (path, None, None) in report else shapes, path)
        value = report.value(r, SH.value)
        out.add((_term(report.value(r, SH.focusNode)), path,
                 _term(value) if value is not None else None,
                 str(report.value(r, SH.sourceConstraintComponent)),
                 str(report.value(r, SH.resultSeverity))))
    return out


def _conforms(report: Graph) -> bool:
    value = report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
    return bool(value.toPython()) if isinstance(value, Literal) else False


def run_pyshacl(case: Path) -> tuple[bool, set[tuple]]:
    import pyshacl
    data = Graph().parse(case / "data.ttl")
    shapes = Graph().parse(case / "shapes.ttl")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=False)
    return conforms, _results(report, shapes)


def run_turbo_command(case: Path) -> tuple[bool, set[tuple]]:
    command = shutil.which("pyshacl-turbo") or str(Path(sys.executable).parent / "pyshacl-turbo")
    done = subprocess.run([command, "-a", "-f", "nt", "-s", str(case / "shapes.ttl"), str(case / "data.ttl")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    if not done.stdout.startswith(("_:", "<")):
        raise RuntimeError(done.stdout.strip())
    report = Graph().parse(data=done.stdout, format="nt")
    return _conforms(report), _results(report, Graph().parse(case / "shapes.ttl"))


def run_stelsel(case: Path, engine: str, empty: Path) -> tuple[bool, set[tuple]]:
    report = validate([case / "data.ttl"], [case / "shapes.ttl"], engine=engine, coverage=False,
                      config=Config(store=empty / "store", content_root=empty))
    out = set()
    for f in report.findings:
        value = f.value
        out.add(("_:" if f.focus_node.startswith("_:") else f.focus_node, f.path,
                 "_:" if value and value.startswith("_:") else value, f.constraint, f.severity_iri))
    return report.conforms(Severity.INFO), out  # SHACL: any result, whatever its severity


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Path:
    """A content root without ontology or queries: the engines see exactly the case's files."""
    return tmp_path_factory.mktemp("empty")


@pytest.fixture(scope="module")
def references() -> dict:
    return {}


def _reference(references: dict, name: str, which: str):
    key = (name, which)
    if key not in references:
        runner = run_pyshacl if which == "pyshacl" else run_turbo_command
        try:
            references[key] = runner(CASES / name)
        except Exception as exc:  # noqa: BLE001 - a reference that fails is a disagreement to name in WRONG
            references[key] = ("fails", str(exc)[:300])
    return references[key]


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
@pytest.mark.parametrize("name", ALL)
def test_agrees_with_the_references(name, engine, empty, references):
    case = CASES / name
    if (name, engine) in UNSUPPORTED:
        with pytest.raises(UnsupportedFeatureError, match=UNSUPPORTED[name, engine]):
            run_stelsel(case, engine, empty)
        return
    ours = run_stelsel(case, engine, empty)
    for which in ("pyshacl", "pyshacl-turbo"):
        theirs = _reference(references, name, which)
        reason = WRONG.get(name, {}).get(which)
        if reason:
            assert theirs != ours, f"{which} now agrees on {name}: remove it from WRONG ({reason})"
            continue
        assert theirs[0] == ours[0], f"{which} says conforms={theirs[0]}, stelsel --engine {engine} {ours[0]}"
        assert theirs[1] == ours[1], (f"{which} and stelsel --engine {engine} differ:\n"
                                      f"only {which}: {sorted(theirs[1] - ours[1])}\n"
                                      f"only stelsel: {sorted(ours[1] - theirs[1])}")


CORE = ("Class", "Datatype", "NodeKind", "MinCount", "MaxCount", "MinExclusive", "MinInclusive",
        "MaxExclusive", "MaxInclusive", "MinLength", "MaxLength", "Pattern", "LanguageIn", "UniqueLang",
        "Equals", "Disjoint", "LessThan", "LessThanOrEquals", "Not", "And", "Or", "Xone", "Node",
        "Property", "QualifiedValueShape", "Closed", "HasValue", "In")
PATHS = ("sh:inversePath", "sh:alternativePath", "sh:zeroOrMorePath", "sh:oneOrMorePath", "sh:zeroOrOnePath")


def test_the_corpus_covers_every_core_component_and_path_kind():
    """At least one case per SHACL Core constraint component, path kind and SHACL-SPARQL feature."""
    shapes = "\n".join((CASES / n / "shapes.ttl").read_text(encoding="utf-8") for n in ALL)
    for component in CORE:
        parameter = "sh:" + component[0].lower() + component[1:]
        if component == "QualifiedValueShape":
            parameter = "sh:qualifiedValueShape"
        assert parameter in shapes, f"no case for sh:{component}ConstraintComponent"
    for path in PATHS:
        assert path in shapes, f"no case for {path}"
    assert "( ex:" in shapes or "(ex:" in shapes, "no sequence path"
    for feature in ("$this", "$currentShape", "$shapesGraph", "sh:prefixes", "$PATH", "sh:SPARQLTarget"):
        assert feature in shapes, f"no case for {feature}"
