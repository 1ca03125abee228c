"""Validation findings as small typed data; formatting lives in :mod:`stelsel.report`.

The one validation entry point (:func:`stelsel.validation.validate`) returns a :class:`Report`;
the CLI, the HTTP API and the tests read it. Nothing here knows about SHACL engines or output
formats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum


class Severity(Enum):
    """SHACL severities, ordered: Info < Warning < Violation (RFC 2119: MAY < SHOULD < MUST)."""

    INFO = "Info"
    WARNING = "Warning"
    VIOLATION = "Violation"

    @property
    def rank(self) -> int:
        return {"Info": 0, "Warning": 1, "Violation": 2}[self.value]

    @property
    def iri(self) -> str:
        return f"http://www.w3.org/ns/shacl#{self.value}"

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """From 'violation', 'Warning', or a sh: IRI."""
        name = text.rsplit("#", 1)[-1].lower()
        for s in cls:
            if s.value.lower() == name:
                return s
        raise ValueError(f"unknown severity {text!r}: use violation, warning or info")


@dataclass(frozen=True)
class Location:
    """Where the focus node is described in the input: file, 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path] + [str(x) for x in (self.line, self.column) if x is not None]
        return ":".join(parts)


@dataclass(frozen=True)
class Finding:
    """One validation result.

    Terms are given as text: IRIs bare (``https://…``), blank nodes as ``_:id``, literals in
    N-Triples form (``"tekst"@nl``). ``message`` and ``rule`` map a language tag ('nl', 'en', or
    '' for untagged) to text, with the values already filled in.
    """

    severity: Severity
    focus_node: str
    source_shape: str
    constraint: str
    message: dict[str, str] = field(default_factory=dict)
    rule: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    value: str | None = None
    graph: str | None = None
    architecture: str | None = None
    location: Location | None = None
    custom_severity: str | None = None     # a severity IRI other than SHACL's three; counts as ``severity``

    @property
    def severity_iri(self) -> str:
        """The ``sh:resultSeverity`` as the shape states it (a custom IRI is kept)."""
        return self.custom_severity or self.severity.iri

    def text(self, lang: str = "nl") -> str:
        """The message in ``lang``, else English, else untagged, else any."""
        for key in (lang, "en", "nl", ""):
            if self.message.get(key):
                return self.message[key]
        return next(iter(self.message.values()), "")

    def rule_text(self, lang: str = "nl") -> str:
        for key in (lang, "en", "nl", ""):
            if self.rule.get(key):
                return self.rule[key]
        return next(iter(self.rule.values()), "")

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: shape, focus node, path and value."""
        key = "\x1f".join([self.source_shape if not self.source_shape.startswith("_:") else self.constraint,
                           self.focus_node, self.path or "", self.value or ""])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Coverage:
    """How many NORA architectuurprincipes an architecture addresses."""

    architecture: str
    label: str
    covered: int
    total: int
    missing: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


@dataclass
class Report:
    """The outcome of one validation run."""

    findings: list[Finding]
    engine: str
    seconds: float
    data: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)   # seconds per step and per shape (--profile)
    names: dict[str, str] = field(default_factory=dict)       # architecture IRI -> its name in the report's language

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def failing(self, fail_on: Severity = Severity.VIOLATION) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= fail_on.rank]

    def conforms(self, fail_on: Severity = Severity.VIOLATION) -> bool:
        return not self.failing(fail_on)

    def exit_code(self, fail_on: Severity = Severity.VIOLATION) -> int:
        """0 conforms at the threshold, 1 results at or above it (errors raise, exit 2/3)."""
        return 0 if self.conforms(fail_on) else 1
