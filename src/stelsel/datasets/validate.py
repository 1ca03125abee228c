"""Validate dataset descriptions against the NDE dataset requirements (or any shapes).

    with DatasetValidator() as v:                         # stelsel's shapes (shapes/nde-datasets.ttl)
        outcomes = v.validate_paths(["examples/"])        # one Outcome per file
        outcome = v.validate_bytes(body, "text/turtle")   # the HTTP API
    outcome.state        # "valid" | "invalid" | "no-dataset" | "error"
    outcome.report       # a stelsel.findings.Report, for stelsel.report.render

The validation itself is the shared entry point :func:`stelsel.validation.validate` (same engines,
messages, fingerprints and report formats as ``stelsel validate``). This module adds what dataset
descriptions need: reading them safely and offline (:mod:`.inputs`), pre-processing shapes
(:mod:`.shapes`), the register's verdicts and batching for speed.

**Verdicts** (the NDE Dataset Register's): *valid* when no finding is a sh:Violation (warnings and
infos are shown but allowed); *invalid* otherwise; *no-dataset* when no subject is a
schema:Dataset or dcat:Dataset (nothing to register; reported as one violation
``dss:GeenDataset``); *error* when the input cannot be read (the error is kept).

**Batches.** Each description is validated on its own, but many descriptions can go through the
engine in one run when that cannot change any result: descriptions share a batch only when no
IRI that one of them describes (as a subject) occurs in another, and IRIs they share are never
objects of a predicate that a shape targets (such IRIs could become focus nodes). Blank nodes are
kept apart per input by the shared validator. Findings go back to the description that holds the
focus node. This keeps the answers identical to one run per file while the shapes are loaded once
per batch (``batch_size=1`` turns batching off; tests compare both).
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import Config
from ..errors import StelselError
from ..findings import Finding, Location, Report, Severity
from .inputs import BASE, Description, expand, read_bytes, read_file
from .shapes import SHAPES_NS, ShapesSet, prepare

__all__ = ["NO_DATASET_SHAPE", "STATES", "DatasetValidator", "Outcome", "combined_report"]

STATES = ("valid", "invalid", "no-dataset", "error")
NO_DATASET_SHAPE = SHAPES_NS + "GeenDataset"


@dataclass
class Outcome:
    """The verdict on one description."""

    label: str
    state: str
    report: Report
    datasets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: Description | None = None
    error: StelselError | None = None

    @property
    def counts(self) -> dict[str, int]:
        c = self.report.counts()
        return {s.value: c[s] for s in (Severity.VIOLATION, Severity.WARNING, Severity.INFO)}

    def as_dict(self, lang: str = "nl") -> dict:
        from ..report import _finding_dict  # the same finding document as `stelsel validate -f json`
        out = {"label": self.label, "state": self.state, "datasets": self.datasets, "notes": self.notes,
               "counts": self.counts, "findings": [_finding_dict(f, lang) for f in self.report.findings]}
        if self.error is not None:
            out["error"] = self.error.as_dict()
        return out


class DatasetValidator:
    """Shapes read and pre-processed once, then any number of descriptions validated with them."""

    def __init__(self, shapes: Sequence[str | Path] | None = None, *, engine: str = "pyshacl",
                 config: Config | None = None, batch_size: int = 250):
        self._tmp = tempfile.TemporaryDirectory(prefix="stelsel-datasets-")
        self.workdir = Path(self._tmp.name)
        (self.workdir / "leeg").mkdir()
        self.config = Config(content_root=self.workdir / "leeg")   # no bundled ontology, no coverage
        self.shapes: ShapesSet = prepare(shapes, workdir=self.workdir, config=config)
        self.engine = engine
        self.batch_size = max(1, batch_size)
        self._target_predicates = _target_predicates(self.shapes.graph)
        self._counter = 0

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> DatasetValidator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- inputs -------------------------------------------------------------------------------------
    def validate_paths(self, paths: Iterable[str | Path],
                       progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """Files and folders (searched for .jsonld, .json, .ttl, .nt, .nq, .trig, .rdf, .xml).
        A file that cannot be read becomes an Outcome with state "error"; the others go on."""
        files = expand(paths)
        descriptions: list[Description | Outcome] = []
        for f in files:
            try:
                descriptions.append(read_file(f))
            except StelselError as exc:
                descriptions.append(self._error(str(f), exc))
        return self.validate(descriptions, progress=progress)

    def validate_bytes(self, data: bytes, fmt: str, label: str = "<invoer>") -> Outcome:
        """One description from a request body; errors are raised (the API answers 4xx)."""
        return self.validate([read_bytes(data, fmt, label=label)])[0]

    def validate(self, descriptions: Sequence[Description | Outcome],
                 progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """Verdicts in the order given (an Outcome passed in is kept as it is)."""
        results: list[Outcome | None] = [None] * len(descriptions)
        todo: list[tuple[int, Description]] = []
        for i, d in enumerate(descriptions):
            if isinstance(d, Outcome):
                results[i] = d
            elif not d.datasets:
                results[i] = self._no_dataset(d)
            else:
                todo.append((i, d))
        done = sum(1 for r in results if r is not None)
        if progress and done:
            progress(done)
        for batch in self._batches(todo):
            for i, outcome in zip([i for i, _ in batch], self._run([d for _, d in batch])):
                results[i] = outcome
            if progress:
                progress(len(batch))
        return [r for r in results if r is not None]

    # -- verdicts without the engine ----------------------------------------------------------------
    def _report(self, findings: list[Finding], label: str, seconds: float = 0.0) -> Report:
        return Report(findings=findings, engine=self.engine, seconds=seconds, data=[label],
                      shapes=list(self.shapes.labels))

    def _error(self, label: str, exc: StelselError) -> Outcome:
        return Outcome(label=label, state="error", report=self._report([], label), error=exc,
                       notes=[exc.message + (f" ({exc.hint})" if exc.hint else "")])

    def _no_dataset(self, d: Description) -> Outcome:
        finding = Finding(
            severity=Severity.VIOLATION, focus_node="_:beschrijving", source_shape=NO_DATASET_SHAPE,
            constraint=NO_DATASET_SHAPE,
            message={"nl": "De beschrijving bevat geen dataset: geen enkel onderwerp is een schema:Dataset of "
                           "dcat:Dataset, dus er is niets te registreren.",
                     "en": "The description holds no dataset: no subject is a schema:Dataset or dcat:Dataset, "
                           "so there is nothing to register."},
            rule={"nl": "Een datasetbeschrijving beschrijft ten minste één schema:Dataset of dcat:Dataset.",
                  "en": "A dataset description describes at least one schema:Dataset or dcat:Dataset."},
            location=Location(d.label, None, None))
        return Outcome(label=d.label, state="no-dataset", report=self._report([finding], d.label),
                       datasets=[], notes=list(d.notes), description=d)

    # -- batches ------------------------------------------------------------------------------------
    def _batches(self, items: list[tuple[int, Description]]):
        """Group descriptions that cannot influence each other's results (see the module doc)."""
        open_batches: list[dict] = []
        for item in items:
            subjects, objects, unsafe = _iris(item[1], self._target_predicates)
            placed = None
            for b in open_batches:
                if subjects & b["mentioned"] or objects & b["subjects"] or unsafe & b["mentioned"] \
                        or objects & b["unsafe"]:
                    continue
                placed = b
                break
            if placed is None:
                placed = {"items": [], "subjects": set(), "mentioned": set(), "unsafe": set()}
                open_batches.append(placed)
            placed["items"].append(item)
            placed["subjects"] |= subjects
            placed["mentioned"] |= subjects | objects
            placed["unsafe"] |= unsafe
            if len(placed["items"]) >= self.batch_size:
                open_batches.remove(placed)
                yield placed["items"]
            elif len(open_batches) > 8:  # keep the search short: flush the oldest
                yield open_batches.pop(0)["items"]
        for b in open_batches:
            yield b["items"]

    def _run(self, batch: list[Description]) -> list[Outcome]:
        from ..validation import validate as shared_validate
        started = time.perf_counter()
        files: list[Path] = []
        for d in batch:
            if _passthrough(d):
                files.append(d.path)
            else:
                self._counter += 1
                f = self.workdir / f"d{self._counter:07d}.nt"
                f.write_bytes(d.ntriples())
                files.append(f)
        try:
            report = shared_validate([str(f) for f in files], [str(f) for f in self.shapes.files],
                                     config=self.config, engine=self.engine, coverage=False)
        finally:
            for f, d in zip(files, batch):
                if f != d.path:
                    f.unlink(missing_ok=True)
        seconds = time.perf_counter() - started
        owners = _owners(batch)
        blanks = _blank_prefixes(files)
        per: list[list[Finding]] = [[] for _ in batch]
        for f in report.findings:
            for i in _attribute(f, owners, blanks, len(batch)):
                per[i].append(self._place(f, batch[i], files[i]))
        outcomes = []
        for i, d in enumerate(batch):
            findings = per[i] + self._unchecked(d)
            rep = self._report(findings, d.label, seconds / len(batch))
            state = "valid" if rep.conforms(Severity.VIOLATION) else "invalid"
            outcomes.append(Outcome(label=d.label, state=state, report=rep, datasets=d.datasets,
                                    notes=list(d.notes), description=d))
        return outcomes

    def _place(self, f: Finding, d: Description, given: Path) -> Finding:
        """The finding as it is about this description: its label, and the line and column of
        the focus node in the description's own text."""
        loc = f.location
        if loc is not None and d.path is not None and given == d.path:
            loc = Location(d.label, loc.line, loc.column)
        else:
            loc = _find(d, f.focus_node)
        return dataclasses.replace(f, location=loc, graph=None, architecture=None)

    def _unchecked(self, d: Description) -> list[Finding]:
        out = []
        for u in self.shapes.unchecked:
            for ds in d.datasets:
                out.append(Finding(
                    severity=Severity.INFO, focus_node=ds, source_shape=u.shape, constraint=u.constraint,
                    message={"nl": f"Niet gecontroleerd: de eis {u.parameter} van {u.shape_name} kan stelsel niet "
                                   f"controleren ({u.reason.get('nl', '')}).",
                             "en": f"Not checked: stelsel cannot check the constraint {u.parameter} of "
                                   f"{u.shape_name} ({u.reason.get('en', '')})."},
                    rule={"nl": "Niet gecontroleerd", "en": "Not checked"},
                    path=u.path, location=_find(d, ds)))
        return out


# -- helpers ----------------------------------------------------------------------------------------
def _passthrough(d: Description) -> bool:
    """The file itself can go to the engine (positions stay exact): Turtle or N-Triples, nothing
    rewritten, no relative IRIs."""
    if d.path is None or d.changed or d.format not in ("turtle", "ntriples"):
        return False
    return not any(isinstance(t, ox.NamedNode) and t.value.startswith(BASE)
                   for tr in d.triples for t in (tr.subject, tr.object))


def _target_predicates(graph) -> set[str]:
    """Predicates whose objects a shape may target: sh:targetObjectsOf values, and every IRI or
    local name mentioned in a SPARQL target (conservative)."""
    from ..vocab import SH
    out = {str(o) for o in graph.objects(None, SH.targetObjectsOf)}
    for target in graph.objects(None, SH.target):
        for q in graph.objects(target, SH.select):
            out.add("sparql:" + str(q))
    if any(True for _ in graph.subjects(SH.targetNode, None)):
        out.add("targetNode")
    return out


def _iris(d: Description, target_predicates: set[str]) -> tuple[set[str], set[str], set[str]]:
    """(IRIs the description describes as subjects, IRIs it only uses as objects, those of the
    latter that are objects of a targeted predicate: possible focus nodes)."""
    subjects: set[str] = set()
    objects: set[str] = set()
    unsafe: set[str] = set()
    sparql = [t[7:] for t in target_predicates if t.startswith("sparql:")]
    pinned = "targetNode" in target_predicates
    for t in d.triples:
        if isinstance(t.subject, ox.NamedNode):
            subjects.add(t.subject.value)
        if isinstance(t.object, ox.NamedNode) and t.predicate.value != _RDF_TYPE:
            objects.add(t.object.value)
            p = t.predicate.value
            if pinned or p in target_predicates or any(_local(p) in q for q in sparql):
                unsafe.add(t.object.value)
    objects -= subjects
    return subjects, objects, unsafe - subjects


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _owners(batch: list[Description]) -> dict[str, set[int]]:
    owners: dict[str, set[int]] = {}
    for i, d in enumerate(batch):
        for t in d.triples:
            for term in (t.subject, t.object):
                if isinstance(term, ox.NamedNode):
                    owners.setdefault(term.value, set()).add(i)
    return owners


def _blank_prefixes(files: list[Path]) -> list[tuple[str, str]]:
    """Per input: (its label in the shared validator's findings, the prefix the validator gives
    its blank nodes). Asked from :mod:`stelsel.validation` itself, so a change of its naming
    scheme cannot send findings to the wrong description."""
    from .. import validation as shared
    out = []
    for i, f in enumerate(files):
        display = shared._display(f) if hasattr(shared, "_display") else str(f)
        try:
            prefix = shared._Source(index=i, label=display, quads=[]).bnode_prefix
        except Exception:  # noqa: BLE001 - an older or newer validator: fall back to its first scheme
            prefix = f"s{i}b"
        out.append((display, prefix))
    return out


def _attribute(f: Finding, owners: dict[str, set[int]], blanks: list[tuple[str, str]], n: int) -> list[int]:
    """The descriptions of a batch a finding is about: a blank focus node belongs to the input
    that holds it; an IRI to every description that mentions it."""
    if f.focus_node.startswith("_:"):
        label = f.focus_node[2:]
        hits = [i for i, (_, prefix) in enumerate(blanks) if label.startswith(prefix)]
        if len(hits) != 1 and f.location is not None:
            hits = [i for i, (display, _) in enumerate(blanks) if display == f.location.path]
        return hits[:1]
    found = owners.get(f.focus_node)
    return sorted(found) if found else list(range(n))


def _find(d: Description, key: str | None) -> Location:
    """Where ``key`` (an IRI) first occurs in the description's text, else the file alone."""
    if key and not key.startswith("_:") and d.text:
        for needle in (f"<{key}>", f'"{key}"', key):
            at = d.text.find(needle)
            if at >= 0:
                line = d.text.count("\n", 0, at) + 1
                column = at - (d.text.rfind("\n", 0, at) + 1) + 1
                return Location(d.label, line, column)
    return Location(d.label, None, None)


def combined_report(outcomes: Sequence[Outcome], engine: str, shapes: Sequence[str]) -> Report:
    """One report over many descriptions (for stelsel.report.render)."""
    findings = [f for o in outcomes for f in o.report.findings]
    return Report(findings=findings, engine=engine, seconds=sum(o.report.seconds for o in outcomes),
                  data=[o.label for o in outcomes], shapes=list(shapes))
