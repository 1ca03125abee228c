"""What a SPARQL text asks for, found without running it: its form, its dataset, SERVICE calls,
and the graphs an update writes.

Queries are read with a tokenizer that follows the SPARQL grammar's terminals (IRIs, strings,
comments, variables, prefixed names, language tags), so a keyword inside a string, an IRI or a
comment is never mistaken for one, and a keyword spelled differently (``SeRvIcE``) is still
found. Updates are parsed completely with rdflib and read from its algebra. Both refuse what
they cannot read with certainty (codepoint escapes outside strings, an update rdflib cannot
parse): a refusal is always safe, a misreading might not be.
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


# -- updates ---------------------------------------------------------------------------------
DEFAULT = "DEFAULT"      # the default graph
ALL = "ALL"              # every graph (CLEAR/DROP ALL)
NAMED = "NAMED"          # every named graph (CLEAR/DROP NAMED)


@dataclass(frozen=True)
class WriteTarget:
    """One graph an update operation writes: an IRI, or DEFAULT / ALL / NAMED, or a variable."""

    operation: str
    graph: str
    variable: bool = False

    def __str__(self) -> str:
        if self.variable:
            return f"{self.operation} into GRAPH ?{self.graph}"
        if self.graph in (DEFAULT, ALL, NAMED):
            return f"{self.operation} {self.graph}"
        return f"{self.operation} <{self.graph}>"


class LoadRefused(RefusedQuery):
    http_status = 403


def update_targets(text: str) -> list[WriteTarget]:
    """Every graph the update writes, read from rdflib's algebra of it.

    LOAD is refused outright (this server never fetches data); an operation rdflib does not
    know, or an update it cannot parse, is refused too: writes must be certain. So are BASE and
    codepoint escapes, where rdflib and pyoxigraph might resolve or decode an IRI differently
    (without BASE, pyoxigraph refuses relative IRIs and rdflib leaves them relative, which
    matches no grant)."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.term import URIRef, Variable

    if _ESCAPE.search(text):
        match = _ESCAPE.search(text)
        line, column = _line_column(text, match.start())
        raise RefusedQuery(f"an update may not use codepoint escapes (\\u…); one is at {line}:{column}",
                           hint="write the character itself (the update is UTF-8)")
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() == "BASE":
            line, column = _line_column(text, tok.offset)
            raise RefusedQuery(f"an update may not declare BASE (at {line}:{column})",
                               hint="write absolute IRIs: the graphs an update writes must be certain")
    try:
        algebra = translateUpdate(parseUpdate(text)).algebra
    except Exception as exc:  # pyparsing's ParseException (with a position), or plain ones from rdflib
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if isinstance(line, int) and isinstance(column, int):
            raise QuerySyntaxError(f"the update does not parse: {getattr(exc, 'msg', exc)} (at {line}:{column})",
                                   hint="check the SPARQL near the position named", line=line, column=column) from None
        raise QuerySyntaxError(f"the update cannot be read: {exc}",
                               hint="check prefixes and syntax; only SPARQL 1.1 Update is accepted") from None

    def graph_of(op: str, term) -> WriteTarget:
        if isinstance(term, Variable):
            return WriteTarget(op, str(term), variable=True)
        if isinstance(term, URIRef):
            return WriteTarget(op, str(term))
        if isinstance(term, str) and term.upper() in (DEFAULT, ALL, NAMED):
            return WriteTarget(op, term.upper())
        raise RefusedQuery(f"cannot tell which graph {op} writes ({term!r})", hint="name the graph with an IRI")

    out: list[WriteTarget] = []
    for op in algebra:
        name = op.name
        if name == "Load":
            raise LoadRefused("LOAD is not allowed: this server never fetches data from elsewhere",
                              hint="send the data itself: PUT or POST it to /data?graph=IRI, or use INSERT DATA")
        if name in ("InsertData", "DeleteData", "DeleteWhere"):
            label = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}[name]
            out += [graph_of(label, g) for g, triples in (op.quads or {}).items() if triples]
            if op.triples:
                out.append(WriteTarget(label, DEFAULT))
        elif name == "Modify":
            for clause, label in ((op.delete, "DELETE"), (op.insert, "INSERT")):
                if clause is None:
                    continue
                out += [graph_of(label, g) for g, triples in (clause.quads or {}).items() if triples]
                if clause.triples:
                    out.append(graph_of(label, op.withClause) if op.withClause is not None
                               else WriteTarget(label, DEFAULT))
        elif name in ("Clear", "Drop", "Create"):
            out.append(graph_of(name.upper(), op.graphiri))
        elif name in ("Add", "Copy"):
            out.append(graph_of(name.upper(), op.graph[1]))
        elif name == "Move":
            out.append(graph_of("MOVE (from)", op.graph[0]))
            out.append(graph_of("MOVE", op.graph[1]))
        else:
            raise RefusedQuery(f"the update operation {name} is not understood here",
                               hint="use INSERT/DELETE, CLEAR, DROP, CREATE, ADD, MOVE or COPY")
    return out
