"""One family of errors: a sentence for a person, a next step, an exit code and an HTTP status.

Tracebacks are for bugs. Anything a user can cause (a missing file, a typo in a query, a
malformed Turtle file) raises a :class:`StelselError`, which the CLI prints as
``error: <message>`` plus ``  next: <hint>`` and turns into its exit code.

Exit codes (a contract, documented in the README):

- 0: success (for ``validate``: the data conforms)
- 1: validation results at or above the threshold (``validate`` only)
- 2: usage or input error: missing file, unparsable file, bad query, bad option
- 3: a shape uses a feature the engine cannot evaluate
"""

from __future__ import annotations

from dataclasses import dataclass


class StelselError(Exception):
    """An error a user can act on."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        """The JSON shape of this error for HTTP answers."""
        return {"error": type(self).__name__, "message": self.message, "hint": self.hint,
                "status": self.http_status}


@dataclass(frozen=True)
class Position:
    """Where in a file something is: 1-based line and column (column may be unknown)."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


class InputError(StelselError):
    """A file or argument cannot be used: missing, unreadable, malformed."""

    def __init__(self, message: str, hint: str | None = None, position: Position | None = None):
        super().__init__(f"{position}: {message}" if position else message, hint)
        self.position = position

    def as_dict(self) -> dict:
        out = super().as_dict()
        if self.position is not None and self.position.line is not None:
            out["line"], out["column"] = self.position.line, self.position.column
        return out


class QueryError(StelselError):
    """A SPARQL query that does not parse or cannot run."""


class StoreError(StelselError):
    """The store cannot be opened or written."""

    http_status = 503


class ConfigError(StelselError):
    """A setting has a value that cannot be used."""


class UnsupportedFeatureError(StelselError):
    """A shape uses a feature the engine cannot evaluate."""

    exit_code = 3
    http_status = 422
