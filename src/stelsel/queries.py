"""The catalogue of canned queries: ``queries/*.rq`` with ``#+`` front matter.

A query file runs unchanged in any SPARQL tool; its front matter (YAML in lines starting with
``#+``) names it and declares its parameters::

    #+ title: Welke NORA-principes raakt elk DERA-principe?
    #+ description:
    #+   nl: …
    #+   en: …
    #+ tags: [aansluiting, dera]
    #+ parameters:
    #+   architectuur:
    #+     type: iri
    #+     default: https://w3id.org/stelsel/id/dera
    #+     description: {nl: …, en: …}

Parameters are bound as values of the variable of the same name (``?architectuur``), never
spliced into the query text (SPARQL substitution, SEP-0007). In a SELECT query a parameter must
therefore be one of the result columns (or the query uses ``SELECT *``). A file whose front
matter does not parse, or whose query does not parse with its parameters bound, is an error at
load time, naming the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from .errors import InputError, Position, QueryError

PARAM_TYPES = ("iri", "string", "langstring", "integer", "decimal", "date", "boolean")
_XSD = "http://www.w3.org/2001/XMLSchema#"


_IRI = re.compile(r"^[a-zA-Z][\w+.-]*:[^\s<>\"{}|^`\\]*$")
_SCHEMES = ("http", "https", "urn")


def expand_iri(name: str, raw: str) -> str:
    """An IRI parameter as given: ``https://…``, ``<https://…>``, ``urn:…`` or a prefixed name with one of
    the stelsel prefixes (``id:rosa/2024``, the form the CLI prints); anything else is refused with the
    accepted forms, never passed on to answer nothing."""
    from .vocab import PREFIXES
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        text = str(PREFIXES[prefix]) + local
    elif prefix.lower() not in _SCHEMES or not _IRI.match(text):
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise QueryError(f"parameter '{name}' must be iri, got {raw!r} (a full IRI or a prefixed name)",
                         hint=f"give --param {name}=<iri>: a full IRI (https://…, <https://…>, urn:…) or a prefixed "
                              f"name with one of {known} (for example id:rosa/2024)")
    if not _IRI.match(text):
        raise QueryError(f"parameter '{name}' must be iri, got {raw!r} (spaces or <>\"{{}}|^`\\ inside)",
                         hint=f"give --param {name}=<iri> with those characters percent-encoded")
    return text


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    description: dict[str, str] = field(default_factory=dict)
    lang: str | None = None  # for langstring

    def bind(self, raw: str) -> ox.NamedNode | ox.Literal:
        """Turn text from a user into a term of the declared type, or say what is wrong."""
        try:
            if self.type == "iri":
                return ox.NamedNode(expand_iri(self.name, raw))
            if self.type == "integer":
                return ox.Literal(str(int(raw)), datatype=ox.NamedNode(_XSD + "integer"))
            if self.type == "decimal":
                float(raw)
                return ox.Literal(raw, datatype=ox.NamedNode(_XSD + "decimal"))
            if self.type == "date":
                return ox.Literal(dt.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(_XSD + "date"))
            if self.type == "boolean":
                if raw.lower() not in ("true", "false"):
                    raise ValueError("not true or false")
                return ox.Literal(raw.lower(), datatype=ox.NamedNode(_XSD + "boolean"))
            if self.type == "langstring":
                return ox.Literal(raw, language=self.lang or "nl")
            return ox.Literal(raw)
        except ValueError as exc:
            raise QueryError(f"parameter '{self.name}' must be {self.type}, got {raw!r} ({exc})",
                             hint=f"give --param {self.name}=<{self.type}>") from None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    title: str
    description: dict[str, str]
    text: str
    parameters: tuple[Parameter, ...] = ()
    tags: tuple[str, ...] = ()

    def bindings(self, given: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Values for the query's variables: the given ones checked, defaults for the rest."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"query '{self.name}' has no parameter {', '.join(map(repr, unknown))}",
                             hint="its parameters: " + (", ".join(known) or "none"))
        out = {}
        for p in self.parameters:
            raw = given.get(p.name, p.default)
            if raw is None:
                raise QueryError(f"query '{self.name}' needs parameter '{p.name}'",
                                 hint=f"give --param {p.name}=<{p.type}>")
            out[ox.Variable(p.name)] = p.bind(str(raw))
        return out


def _front_matter(text: str, path: Path) -> dict:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise InputError("has no '#+' front matter", position=Position(str(path), 1),
                         hint="start the file with '#+ title: …' and '#+ description: …' lines")
    try:
        meta = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = _nth_front_line(text, mark.line) if mark else None
        raise InputError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                         position=Position(str(path), line), hint="fix the '#+' lines") from None
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys", position=Position(str(path), 1))
    return meta


def _nth_front_line(text: str, n: int) -> int:
    numbers = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith("#+")]
    return numbers[min(n, len(numbers) - 1)]


def load_query(path: Path) -> CannedQuery:
    """Read one .rq file and check its front matter and its SPARQL."""
    text = path.read_text(encoding="utf-8")
    meta = _front_matter(text, path)
    where = Position(str(path), 1)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError("front matter has no 'title'", position=where, hint="add '#+ title: …'")
    description = meta.get("description")
    if not (isinstance(description, dict) and {"nl", "en"} <= set(description)):
        raise InputError("front matter 'description' needs 'nl' and 'en'", position=where,
                         hint="write '#+ description:' with '#+   nl: …' and '#+   en: …' below it")
    params = []
    for name, spec in (meta.get("parameters") or {}).items():
        spec = spec or {}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise InputError(f"parameter '{name}' has unknown type '{kind}'", position=where,
                             hint="use one of: " + ", ".join(PARAM_TYPES))
        if not re.search(rf"[?$]{re.escape(name)}\b", _body(text)):
            raise InputError(f"parameter '{name}' is not used as ?{name} in the query", position=where,
                             hint=f"use ?{name} in the query, or remove the parameter")
        desc = spec.get("description") or {}
        params.append(Parameter(name, kind, None if spec.get("default") is None else str(spec["default"]),
                                desc if isinstance(desc, dict) else {"nl": str(desc), "en": str(desc)},
                                spec.get("lang")))
    tags = meta.get("tags") or []
    query = CannedQuery(path.stem, path, title.strip(), {k: str(v) for k, v in description.items()},
                        text, tuple(params), tuple(str(t) for t in tags))
    try:
        ox.Store().query(text, substitutions={ox.Variable(p.name): p.bind(_SAMPLES[p.type]) for p in params})
    except SyntaxError as exc:
        raise InputError(f"the query does not parse: {exc}", position=where,
                         hint="run it in a SPARQL editor to find the mistake") from None
    except RuntimeError as exc:  # a parameter that is not a result column
        raise InputError(f"its parameters cannot be bound: {exc}", position=where,
                         hint="a SELECT query must return each parameter as a column (SELECT ?param …)") from None
    return query


_SAMPLES = {"iri": "urn:x-stelsel:sample", "string": "x", "langstring": "x", "integer": "1",
            "decimal": "1.0", "date": "2000-01-01", "boolean": "true"}


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def load_catalogue(folder: Path) -> dict[str, CannedQuery]:
    """Every .rq file of a folder, by name; the first broken file stops with its name."""
    return {q.name: q for q in (load_query(p) for p in sorted(folder.glob("*.rq")))}
