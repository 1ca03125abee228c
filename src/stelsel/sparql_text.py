"""What a SPARQL query asks for, found without running it: its form, its dataset, SERVICE calls.
(What an update writes is never read from its text: see :mod:`stelsel.writes`.)

Queries are read with a tokenizer that follows the SPARQL grammar's terminals (IRIs, strings,
comments, variables, prefixed names, language tags), so a keyword inside a string, an IRI or a
comment is never mistaken for one, and a keyword spelled differently (``SeRvIcE``) is still
found. It refuses what it cannot read with certainty (codepoint escapes outside strings): a
refusal is always safe, a misreading might not be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .errors import QueryError

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

_IRI_CHAR = r'[^<>"{}|^`\\\x00-\x20]'
_TOKEN = re.compile(r"""
  (?P<ws>\s+)
| (?P<comment>\#[^\n\r]*)
| (?P<iri><(?:""" + _IRI_CHAR + r"""|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
| (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
          | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
          | '(?:[^'\\\n\r]|\\.)*'
          | "(?:[^"\\\n\r]|\\.)*")
| (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
| (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
| (?P<pname>(?:[^\W\d](?:[\w.\-]*[\w\-])?)?:(?:[\w:%\-]|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w:%\-\\]))*)
| (?P<word>[^\W\d]\w*)
| (?P<number>\d+)
| (?P<other>.)
""", re.X | re.S)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
ERROR_POSITION = re.compile(r"error at (\d+):(\d+)")


class QuerySyntaxError(QueryError):
    """A query or update that does not parse; knows where (1-based line and column)."""

    def __init__(self, message: str, hint: str | None = None,
                 line: int | None = None, column: int | None = None):
        super().__init__(message, hint)
        self.line = line
        self.column = column

    @classmethod
    def from_oxigraph(cls, exc: BaseException | str, what: str = "query") -> "QuerySyntaxError":
        """pyoxigraph says 'error at L:C: expected …'; keep the words and the position."""
        text = str(exc)
        match = ERROR_POSITION.search(text)
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        return cls(f"the {what} does not parse: {text}",
                   hint="check the SPARQL near the position named", line=line, column=column)

    def as_dict(self) -> dict:
        out = super().as_dict()
        out["line"] = self.line
        out["column"] = self.column
        return out


class RefusedQuery(QueryError):
    """A query that parses but asks for something this endpoint does not do."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass
class QueryShape:
    """What the tokenizer found in a query."""

    form: str | None = None                 # SELECT, CONSTRUCT, DESCRIBE, ASK (None: unknown)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    service: bool = False

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def tokens(text: str) -> list[Token]:
    """The significant tokens (no whitespace, no comments) of a SPARQL text."""
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, match.group(), match.start()))
    return out


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unescape(iri: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), iri)


def inspect_query(text: str) -> QueryShape:
    """Form, dataset clauses (resolved IRIs) and SERVICE use of a query.

    Raises :class:`RefusedQuery` for codepoint escapes (``\\u0041``) outside strings and IRIs:
    SPARQL engines disagree on those, so nothing can be concluded from such a text."""
    shape = QueryShape()
    prefixes: dict[str, str] = {}
    base: str | None = None
    toks = tokens(text)
    for tok in toks:
        if tok.kind == "other" and tok.text == "\\" and _ESCAPE.match(text, tok.offset):
            line, column = _line_column(text, tok.offset)
            raise RefusedQuery(f"a codepoint escape (\\u…) outside a string or IRI at {line}:{column}",
                               hint="write the character itself (the query is UTF-8)")
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else None
        if word == "SERVICE":
            shape.service = True
        elif word in FORMS and shape.form is None:
            shape.form = word
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _resolve(_unescape(toks[i + 1].text[1:-1]), base)
            i += 1
        elif (word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname"
              and toks[i + 1].text.endswith(":") and toks[i + 2].kind == "iri"):
            prefixes[toks[i + 1].text[:-1]] = _resolve(_unescape(toks[i + 2].text[1:-1]), base)
            i += 2
        elif word == "FROM":
            named = i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "NAMED"
            j = i + (2 if named else 1)
            if j < len(toks):
                iri = _term_iri(toks[j], prefixes, base)
                if iri is not None:
                    (shape.from_named if named else shape.from_graphs).append(iri)
                i = j
        i += 1
    return shape


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else iri


def _term_iri(tok: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if tok.kind == "iri":
        return _resolve(_unescape(tok.text[1:-1]), base)
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return tok.text  # an undeclared prefix: the engine will say so
    return None
