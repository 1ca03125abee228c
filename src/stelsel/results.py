"""Render SPARQL results for people (a table) and for tools (JSON, CSV, TSV, XML, Turtle …)."""

from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import QueryError
from .vocab import PREFIXES

TABULAR = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
          "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
FORMATS = ("table", *TABULAR, *GRAPHS)
_LOCAL = re.compile(r"[\w.\-/]+")
_COMPACT = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def compact(term) -> str:
    """A short, readable form of a term: prefixed names for known namespaces."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for ns, name in _COMPACT:
            local = term.value[len(ns):]
            if term.value.startswith(ns) and _LOCAL.fullmatch(local):
                return f"{name}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def render(result, fmt: str) -> bytes:
    """Serialise a pyoxigraph query result in the format named."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return b"yes\n" if bool(result) else b"no\n"
        if fmt in TABULAR:
            return result.serialize(format=TABULAR[fmt])
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return _table(result).encode("utf-8")
        if fmt in TABULAR:
            return result.serialize(format=TABULAR[fmt])
    elif isinstance(result, ox.QueryTriples):
        if fmt in ("table", "turtle"):
            return ox.serialize(result, format=ox.RdfFormat.TURTLE,
                                prefixes={k: str(v) for k, v in PREFIXES.items()})
        if fmt in GRAPHS:
            return ox.serialize(result, format=GRAPHS[fmt])
    kind = {ox.QueryBoolean: "an ASK", ox.QuerySolutions: "a SELECT"}.get(type(result), "a CONSTRUCT or DESCRIBE")
    fitting = ("table", *TABULAR) if not isinstance(result, ox.QueryTriples) else ("turtle", *GRAPHS)
    raise QueryError(f"{kind} query cannot be written as '{fmt}'", hint="use one of: " + ", ".join(fitting))


def _table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[compact(row[name]) for name in names] for row in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
