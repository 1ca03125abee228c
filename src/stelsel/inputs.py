"""The one input gate: every file, request body and query text from outside passes here first.

    data = read_file(path)                              # bytes: missing, folder, unreadable, too large -> InputError
    data = check_rdf(data, ox.RdfFormat.RDF_XML, label) # BOM stripped; DOCTYPE/ENTITY, deep JSON refused
    parsed = parse_rdf(data, fmt, label, base_iri=iri)  # quads + prefixes; errors name file:line:column
    files = expand(["data/", "one.ttl"])                # folders searched; a folder without RDF is an error
    text = check_query(text)                            # a SPARQL text nested at most MAX_QUERY_DEPTH deep

Every function raises :class:`~stelsel.errors.InputError` (exit 2, HTTP 400; too large: HTTP
413) with the file, the position where known, and a next step, never anything else a user can
cause. The rules, the same at every entry point (``stelsel load``/``validate``/``datasets
validate``/``import``, GSP, ``/datasets``, ``/datasets/validate``, SPARQL text):

- **Size.** Files above :data:`MAX_FILE_BYTES` and bodies above the caller's ``max_bytes`` are
  refused before they are read (:class:`InputTooLarge`).
- **No DTDs in XML.** RDF/XML and ArchiMate exchange files with ``<!DOCTYPE`` or ``<!ENTITY`` are
  refused before any XML parser sees them: nested entities expand to gigabytes (a 711-byte file
  made pyoxigraph allocate 3 GB and abort), external ones read files or reach the network.
  UTF-16 documents are scanned as text too.
- **A leading UTF-8 byte order mark** is dropped (pyoxigraph refuses it, editors on Windows write it).
- **Nesting.** JSON (JSON-LD) deeper than :data:`MAX_JSON_DEPTH` and SPARQL texts whose brackets
  nest deeper than :data:`MAX_QUERY_DEPTH` are refused: Python parsers hit their recursion limit
  and pyoxigraph's query parser overflows its stack (a 20 kB query killed the process).
- **Positions.** Syntax errors carry ``file:line:column`` where the parser gives one; RDF/XML
  errors, where pyoxigraph gives none, are located by parsing the text again with expat (only
  on failure: the fast parse comes first).
- **Empty input** is not an error here: a file without triples parses to no quads; callers decide
  (``stelsel load`` empties the file's graph and warns).
"""

from __future__ import annotations

import codecs
import glob
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .errors import InputError, Position

__all__ = [
    "MAX_FILE_BYTES", "MAX_JSON_DEPTH", "MAX_QUERY_DEPTH", "RDF_SUFFIXES", "DATASET_SUFFIXES", "FORMAT_NAMES",
    "InputTooLarge", "TooDeeplyNested", "Parsed", "DTD_REFUSED",
    "read_file", "check_size", "strip_bom", "decode_text", "dtd_declaration", "refuse_dtd", "check_json_depth", "check_rdf",
    "rdf_format", "parse_rdf", "syntax_error", "expand", "check_query", "query_depth",
]

#: files larger than this are not read into memory (1 GiB; bulk loads read them from disk)
MAX_FILE_BYTES = 1 << 30
#: deepest JSON nesting accepted (objects and arrays); JSON-LD documents need a handful
MAX_JSON_DEPTH = 100
#: deepest bracket nesting ( { [ accepted in SPARQL text; pyoxigraph overflows its stack near 5000
MAX_QUERY_DEPTH = 200

RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
#: suffixes of formats that name their own graphs
DATASET_SUFFIXES = {".trig", ".nq"}
FORMAT_NAMES = {ox.RdfFormat.TURTLE: "Turtle", ox.RdfFormat.TRIG: "TriG", ox.RdfFormat.N_TRIPLES: "N-Triples",
                ox.RdfFormat.N_QUADS: "N-Quads", ox.RdfFormat.JSON_LD: "JSON-LD", ox.RdfFormat.RDF_XML: "RDF/XML",
                ox.RdfFormat.N3: "N3"}

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OX_PREFIX = re.compile(r"^Parser error [^:]*: ")


class InputTooLarge(InputError):
    """A file or body above its size limit (HTTP 413)."""

    http_status = 413


class TooDeeplyNested(InputError):
    """JSON or SPARQL nested deeper than the gate allows (HTTP 400)."""


@dataclass
class Parsed:
    """What :func:`parse_rdf` read: the quads (triples in the default graph) and the prefixes."""

    quads: list[ox.Quad] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


# -- bytes ------------------------------------------------------------------------------------------
def _human(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def check_size(size: int, label: str, max_bytes: int | None) -> None:
    """Refuse ``size`` bytes above ``max_bytes`` (None: no limit)."""
    if max_bytes is not None and size > max_bytes:
        raise InputTooLarge(f"{label}: is {_human(size)}, more than the {_human(max_bytes)} allowed",
                            hint="split it into smaller parts, or raise the limit in the settings")


def read_file(path: str | Path, *, max_bytes: int | None = -1, what: str = "file") -> bytes:
    """The bytes of one file; a missing path, a folder, an unreadable or too large file is an
    :class:`InputError` naming the path. ``max_bytes``: -1 for :data:`MAX_FILE_BYTES`, None for no limit."""
    path = Path(path)
    max_bytes = MAX_FILE_BYTES if max_bytes == -1 else max_bytes
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, where a {what} is expected",
                             hint=f"name a {what} in it, or give the folder where folders are accepted")
        check_size(path.stat().st_size, str(path), max_bytes)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, where a {what} is expected", hint="name a file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)",
                         hint="check the file's permissions, or run as a user who may read it") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})", hint="check the path and the disk") from None


def strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte order mark."""
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 text (a leading BOM dropped); anything else is an :class:`InputError` with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"is not UTF-8 text ({exc.reason} at byte {exc.start})", hint="save the file as UTF-8",
                         position=Position(label, line)) from None


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def dtd_declaration(data: bytes) -> tuple[str, int, int] | None:
    """The first DOCTYPE or ENTITY declaration in XML bytes, as (name, line, column), else None
    (UTF-16 documents are decoded to look)."""
    scanned = data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        scanned = data.decode("utf-16", "replace").encode("utf-8")
    found = _DTD.search(scanned)
    if found is None:
        return None
    return (found.group(1).decode().upper(), *_line_column(scanned, found.start()))


DTD_REFUSED = ("the XML has a <!{} declaration, which stelsel refuses "
               "(entities can expand to gigabytes, read files or reach the network)")


def refuse_dtd(data: bytes, label: str) -> None:
    """Refuse XML with a DOCTYPE or ENTITY declaration, naming where it is."""
    found = dtd_declaration(data)
    if found is not None:
        name, line, column = found
        raise InputError(DTD_REFUSED.format(name), hint="remove the DOCTYPE and write the entities out; nothing was read",
                         position=Position(label, line, column))


def check_json_depth(data: bytes, label: str, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON whose objects and arrays nest deeper than ``max_depth``."""
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return
    depth = 0
    for m in _JSON_TOKENS.finditer(data):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                line, column = _line_column(data, m.start())
                raise TooDeeplyNested(f"the JSON nests more than {max_depth} levels deep",
                                      hint="flatten the document (JSON-LD needs only a few levels)",
                                      position=Position(label, line, column))
        elif c in (b"]", b"}"):
            depth -= 1


def check_rdf(data: bytes, fmt: ox.RdfFormat, label: str, *, max_bytes: int | None = -1) -> bytes:
    """The gate for RDF bytes in ``fmt``: size (-1: :data:`MAX_FILE_BYTES`), BOM dropped, DTDs in
    XML and deep JSON refused."""
    check_size(len(data), label, MAX_FILE_BYTES if max_bytes == -1 else max_bytes)
    data = strip_bom(data)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_dtd(data, label)
    elif fmt == ox.RdfFormat.JSON_LD:
        check_json_depth(data, label)
    return data


# -- parsing ----------------------------------------------------------------------------------------
def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF syntax of a file by its suffix."""
    path = Path(path)
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InputError(f"{path}: cannot tell the RDF syntax from the suffix '{path.suffix}'",
                         hint="name the file .ttl, .trig, .nt, .nq, .jsonld or .rdf") from None


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where expat finds ``data`` not well-formed (DTDs are refused before this runs)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def syntax_error(exc: SyntaxError, fmt: ox.RdfFormat, label: str, data: bytes | None = None,
                 hint: str = "fix the file at that position and run the command again; nothing was loaded") -> InputError:
    """pyoxigraph's SyntaxError as an :class:`InputError` at ``label:line:column`` (RDF/XML: found by
    expat when pyoxigraph gives no position)."""
    line, column = (exc.lineno, exc.offset) if exc.lineno else (None, None)
    if line is None and fmt == ox.RdfFormat.RDF_XML and data is not None:
        line, column = _xml_position(data)
    message = str(exc.args[0]) if exc.args else str(exc)
    message = _OX_PREFIX.sub("", message)
    return InputError(f"not valid {FORMAT_NAMES.get(fmt, fmt.name)}: {message}", hint=hint,
                      position=Position(label, line, column))


def parse_rdf(data: bytes, fmt: ox.RdfFormat, label: str, *, base_iri: str | None = None,
              hint: str | None = None) -> Parsed:
    """Parse bytes that passed :func:`check_rdf`: every quad and the prefixes, or an InputError."""
    out = Parsed()
    try:
        parser = ox.parse(data, format=fmt, base_iri=base_iri)
        out.quads = list(parser)
        out.prefixes = dict(getattr(parser, "prefixes", None) or {})
    except SyntaxError as exc:
        raise (syntax_error(exc, fmt, label, data, hint) if hint else syntax_error(exc, fmt, label, data)) from None
    except ValueError as exc:  # e.g. a relative IRI without a base
        raise InputError(f"not valid {FORMAT_NAMES.get(fmt, fmt.name)}: {exc}", position=Position(label),
                         hint=hint or "fix the file and run the command again; nothing was loaded") from None
    return out


# -- files and folders ------------------------------------------------------------------------------
def expand(paths: Iterable[str | Path], *, suffixes: Iterable[str] = RDF_SUFFIXES, what: str = "RDF",
           patterns: bool = False) -> list[Path]:
    """Files named, and the files with ``suffixes`` below folders named (recursively, hidden ones
    skipped), in a stable order, each once. ``-`` (standard input) passes through; with
    ``patterns`` a glob pattern matching no path stands for its matches.

    A missing path, a folder without any such file or a pattern without matches is an InputError."""
    suffixes = set(suffixes)
    out: list[Path] = []
    for raw in paths:
        text = str(raw)
        candidates = [Path(text)]
        if patterns and any(c in text for c in "*?[") and not Path(text).exists():
            candidates = sorted(Path(m) for m in glob.glob(text, recursive=True))
            if not candidates:
                raise InputError(f"{text}: no file matches this pattern",
                                 hint="check the pattern (quote it so the shell leaves it alone)")
        for p in candidates:
            if text == "-":
                out.append(p)
            elif p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.suffix.lower() in suffixes and f.is_file()
                               and not any(part.startswith(".") for part in f.relative_to(p).parts))
                if not found:
                    raise InputError(f"{p}: the folder holds no {what} files",
                                     hint="files are found by their suffix: " + ", ".join(sorted(suffixes)))
                out.extend(found)
            elif p.exists():
                out.append(p)
            elif p.is_symlink():  # broken, or a loop: read_file names it
                read_file(p)
            else:
                raise InputError(f"{p}: no such file or directory", hint=f"check the path of the {what} file(s)")
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve() if str(p) != "-" else p
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


# -- SPARQL text ------------------------------------------------------------------------------------
def query_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of ( { [ in a SPARQL text (strings, IRIs, comments skipped), and the
    offset where it is first reached."""
    from .sparql_text import tokens

    depth = deepest = at = 0
    for tok in tokens(text):
        if tok.kind != "other":
            continue
        if tok.text in "({[":
            depth += 1
            if depth > deepest:
                deepest, at = depth, tok.offset
        elif tok.text in ")}]":
            depth -= 1
    return deepest, at


def check_query(text: str, max_depth: int = MAX_QUERY_DEPTH, what: str = "query") -> str:
    """A SPARQL query or update text, a leading BOM dropped; nesting deeper than ``max_depth``
    is refused with a :class:`TooDeeplyNested` (400) naming line and column."""
    text = text.removeprefix("\ufeff")
    if text.count("(") + text.count("{") + text.count("[") <= max_depth:
        return text
    deepest, at = query_depth(text)
    if deepest > max_depth:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise TooDeeplyNested(f"the {what} nests more than {max_depth} levels of brackets deep "
                              f"(at {line}:{column})", hint=f"write the {what} with less nesting")
    return text
