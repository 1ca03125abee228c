"""Where each subject is described in an RDF file: file, line and column (rdflib does not say).

    subject_positions("data/dera.ttl")["https://w3id.org/stelsel/id/dera/P1"]
    # Location(path='data/dera.ttl', line=212, column=1)

Turtle, TriG, N-Triples and N-Quads are read by a small tokenizer that follows the W3C grammars
closely enough to never be fooled by what is inside strings, IRIs and comments:

- directives ``@prefix`` / ``PREFIX`` / ``@base`` / ``BASE`` (relative IRIs resolved per
  RFC 3986 against the base in force, which starts as the file's ``file:`` URI, exactly as
  :func:`stelsel.sources.parse_file` does);
- prefixed names (also the empty prefix ``:x``, dots inside local names, ``\\``-escaped local
  characters, ``%xx``), IRIs with ``\\u`` escapes, labelled blank nodes ``_:b1``;
- short and long strings (``'…'``, ``"…"``, ``'''…'''``, ``\"\"\"…\"\"\"``, escapes), numbers,
  language tags and datatypes;
- ``[ … ]`` blank node property lists and ``( … )`` collections (nothing inside them is a
  subject of its own statement), TriG graph blocks ``GRAPH? <g> { … }`` (the graph name is not
  a subject).

The subject of a statement is the first term after a statement boundary: ``.`` at nesting level 0,
or ``{`` / ``}`` in TriG. A subject is keyed by its full IRI, or ``_:label`` for a labelled blank
node; the first place wins. Anonymous blank nodes (``[ … ]``) have no key.

JSON-LD and RDF/XML have no statement structure a line-based reader can follow; for them the
position is *best effort*: the first ``rdf:about`` / ``"@id"`` that names the IRI (in full, or by
its last segment after ``#`` or ``/``, as relative or compact IRIs do), else the first place the
IRI's text occurs at all. Terms not found get no position.

Columns count characters (code points), both 1-based.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .findings import Location

__all__ = ["Positions", "scan", "subject_positions", "resolve_iri", "text_position", "TOKENIZED_SUFFIXES"]

TOKENIZED_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".n3"}

# -- the Turtle / TriG terminals (https://www.w3.org/TR/turtle/#terminals) --------------------
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                  "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
                  "\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
             f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")
_UCHAR = r"(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})"

_TOKEN = re.compile(
    "|".join([
        r"(?P<ws>[ \t\r\n]+)",
        r"(?P<comment>#[^\r\n]*)",
        rf"(?P<iri><(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)",
        r'(?P<lstr>"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*''')",
        r'(?P<str>"(?:[^"\\\r\n]|\\.)*"|' r"'(?:[^'\\\r\n]|\\.)*')",
        rf"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
        rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
        r"(?P<num>[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
        r"|[0-9]*\.[0-9]+|[0-9]+))",
        r"(?P<at>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
        r"(?P<word>[A-Za-z][A-Za-z0-9_-]*)",
        r"(?P<dt>\^\^)",
        r"(?P<punct>[.;,\[\]\(\){}])",
        r"(?P<other>.)",
    ]),
    re.DOTALL,
)
_LOCAL_ESC = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_UCHAR_RE = re.compile(_UCHAR)


@dataclass
class Positions:
    """Subjects (first place each is the subject of a statement) and mentions (first place each
    IRI or labelled blank node occurs at all, as subject, predicate, object or graph name)."""

    subjects: dict[str, Location] = field(default_factory=dict)
    mentions: dict[str, Location] = field(default_factory=dict)

    def locate(self, key: str) -> Location | None:
        """Where ``key`` is described, else where it is first mentioned."""
        return self.subjects.get(key) or self.mentions.get(key)


def subject_positions(path: str | Path, text: str | None = None) -> dict[str, Location]:
    """Subject IRI (or ``_:label``) -> the first line and column where it is a subject."""
    return scan(path, text).subjects


def scan(path: str | Path, text: str | None = None, *, label: str | None = None,
         terms: Iterable[str] = (), base_iri: str | None = None) -> Positions:
    """Positions of the terms in one file (``text``: its content, when already read).

    ``label`` is the path shown in each Location (default: ``path`` as given). ``terms`` are
    only used for the best-effort formats (JSON-LD, RDF/XML, anything else): the IRIs to look for.
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8-sig")
    label = str(path) if label is None else label
    if path.suffix.lower() in TOKENIZED_SUFFIXES:
        base = base_iri if base_iri is not None else path.resolve().as_uri()
        return _scan_turtle(text, base, label)
    return _search(text, label, terms)


# -- Turtle family ------------------------------------------------------------------------------
class _Lines:
    """Offsets -> (line, column), both 1-based."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _unescape_iri(body: str) -> str:
    if "\\" not in body:
        return body
    return _UCHAR_RE.sub(lambda m: chr(int(m.group(0)[2:], 16)), body)


def _scan_turtle(text: str, base: str, label: str) -> Positions:
    lines = _Lines(text)
    out = Positions()
    prefixes: dict[str, str] = {}
    depth = 0                       # open '[' and '(' at this point
    expect_subject = True
    pending: tuple[str, int] | None = None   # a subject candidate: graph name if '{' follows
    directive: str | None = None    # 'prefix-name', 'prefix-iri', 'base'
    prefix_name = ""
    graph_name_next = False

    def where(offset: int) -> Location:
        line, column = lines.at(offset)
        return Location(label, line, column)

    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        value = m.group()
        start = m.start()
        if pending is not None:
            key, at = pending
            pending = None
            if value == "{":
                expect_subject = True
                continue
            if key not in out.subjects:
                out.subjects[key] = where(at)
        if kind in ("iri", "pname", "bnode"):
            if directive == "prefix-name" and kind == "pname":
                prefix_name = value[:-1] if value.endswith(":") else value.split(":", 1)[0]
                directive = "prefix-iri"
                continue
            if directive in ("prefix-iri", "base") and kind == "iri":
                iri = resolve_iri(base, _unescape_iri(value[1:-1]))
                if directive == "base":
                    base = iri
                else:
                    prefixes[prefix_name] = iri
                directive = None
                continue
            if kind == "iri":
                key = resolve_iri(base, _unescape_iri(value[1:-1]))
            elif kind == "bnode":
                key = value
            else:
                prefix, _, local = value.partition(":")
                ns = prefixes.get(prefix)
                if ns is None:
                    key = None
                else:
                    key = ns + _LOCAL_ESC.sub(r"\1", local)
            if key is not None and key not in out.mentions:
                out.mentions[key] = where(start)
            if graph_name_next:
                graph_name_next = False
                continue
            if expect_subject and depth == 0 and key is not None:
                pending = (key, start)
            expect_subject = False
            continue
        if kind == "punct":
            if value == ".":
                if depth == 0:
                    expect_subject = True
                    directive = None
            elif value in "[(":
                depth += 1
                expect_subject = False
            elif value in "])":
                depth = max(0, depth - 1)
            elif value in "{}":
                depth = 0
                expect_subject = True
            continue
        if expect_subject and depth == 0:
            word = value.lower()
            if kind == "at" and word in ("@prefix", "@base"):
                directive = "prefix-name" if word == "@prefix" else "base"
                continue
            if kind == "word" and word in ("prefix", "base"):
                directive = "prefix-name" if word == "prefix" else "base"
                continue
            if kind == "word" and word == "graph":
                graph_name_next = True
                continue
        expect_subject = False
    if pending is not None and pending[0] not in out.subjects:
        out.subjects[pending[0]] = where(pending[1])
    return out


# -- RFC 3986 reference resolution (section 5.2) -------------------------------------------------
_URI = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if out:
                out.pop()
        elif path == "/..":
            path = "/"
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            i = path.find("/", 1)
            segment, path = (path, "") if i < 0 else (path[:i], path[i:])
            out.append(segment)
    return "".join(out)


def resolve_iri(base: str | None, ref: str) -> str:
    """Resolve ``ref`` against ``base`` as RFC 3986 section 5.2 says (for every scheme)."""
    if not base:
        return ref
    r = _URI.match(ref)
    b = _URI.match(base)
    if r is None or b is None:  # pragma: no cover - the pattern matches any string
        return ref
    r_scheme, r_auth, r_path, r_query, r_frag = r.groups()
    b_scheme, b_auth, b_path, b_query, _ = b.groups()
    if r_scheme is not None:
        scheme, auth, path, query = r_scheme, r_auth, _remove_dot_segments(r_path), r_query
    else:
        scheme = b_scheme
        if r_auth is not None:
            auth, path, query = r_auth, _remove_dot_segments(r_path), r_query
        else:
            auth = b_auth
            if r_path == "":
                path = b_path
                query = r_query if r_query is not None else b_query
            else:
                if r_path.startswith("/"):
                    path = _remove_dot_segments(r_path)
                else:
                    if b_auth is not None and b_path == "":
                        merged = "/" + r_path
                    else:
                        merged = b_path[: b_path.rfind("/") + 1] + r_path
                    path = _remove_dot_segments(merged)
                query = r_query
    out = (scheme + ":") if scheme is not None else ""
    if auth is not None:
        out += "//" + auth
    out += path
    if query is not None:
        out += "?" + query
    if r_frag is not None:
        out += "#" + r_frag
    return out


# -- best effort: JSON-LD, RDF/XML, anything else ----------------------------------------------------
def text_position(text: str, needle: str, label: str, lines: _Lines | None = None) -> Location | None:
    """The first place ``needle`` occurs in ``text``, as a Location (None when absent)."""
    offset = text.find(needle)
    if offset < 0:
        return None
    line, column = (lines or _Lines(text)).at(offset)
    return Location(label, line, column)


def _search(text: str, label: str, terms: Iterable[str]) -> Positions:
    lines = _Lines(text)
    out = Positions()
    for term in terms:
        if term in out.mentions:
            continue
        local = re.split(r"[#/]", term)[-1] if not term.startswith("_:") else term[2:]
        refs = [re.escape(term)]
        if local and local != term:
            refs.append(r"[^\"'\s]*[#/:]" + re.escape(local))
            refs.append(re.escape(local))
        ref = "(?:" + "|".join(refs) + ")"
        described = re.compile(
            r"(?:rdf:about|rdf:ID|\babout|\"@id\")\s*[=:]\s*[\"']" + ref + r"[\"']")
        m = described.search(text)
        if m is not None:
            line, column = lines.at(m.start())
            out.subjects[term] = Location(label, line, column)
        found = text_position(text, term, label, lines)
        if found is None and local and local != term:
            m = re.search(r"(?<=[#/:\"'])" + re.escape(local) + r"(?=[\"'])", text)
            if m is not None:
                line, column = lines.at(m.start())
                found = Location(label, line, column)
        if found is not None:
            out.mentions[term] = found
    return out
