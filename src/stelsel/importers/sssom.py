"""Read and write stelsel alignments and deviations as SSSOM/TSV.

SSSOM (https://mapping-commons.github.io/sssom/) is the exchange format for mappings: a YAML
metadata block in ``#``-prefixed lines (``curie_map``, ``mapping_set_id``, ``license`` …), then
one TSV row per mapping. stelsel keeps its alignments as RDF (docs/vocabulary.md, "Alignments and
deviations"); this module converts between the two without losing anything.

The slot <-> property table
    is not written down here: it is read from the ``stelsel:sssomSlot`` annotations in the
    ontology (``ontology/stelsel.ttl``, or the ``ontology=`` argument). Where two properties share
    a slot (``object_id`` is ``stelsel:naarElement`` on an Aansluiting and
    ``stelsel:tenOpzichteVan`` on an Afwijking), their ``rdfs:domain`` decides. This module only
    knows what SSSOM itself fixes: the order of the columns, which slots hold CURIEs, dates,
    numbers or text, and which are multivalued (``|``-separated). One bridge: for the reused
    Dublin Core properties (``dct:creator`` author/creator, ``dct:date`` mapping/publication
    date, ``dct:source`` see_also, ``dct:title``, ``dct:description``, ``dct:license``), a slot
    that no property in the ontology is annotated with falls back to the correspondence in
    docs/vocabulary.md, provided the ontology declares that property.

Rows
    An ``stelsel:Aansluiting`` is a row ``subject_id predicate_id object_id``; an
    ``stelsel:Afwijking`` ("pas toe of leg uit") is a row with ``predicate_modifier`` ``Not``,
    ``predicate_id`` ``skos:relatedMatch`` and the architecture as ``object_id``: "this element
    has no counterpart in that architecture", with the explanation in ``comment``. A row's IRI is
    not written: it is minted from the row with :func:`stelsel.iris.alignment_iri` /
    :func:`~stelsel.iris.deviation_iri`, so writing refuses an alignment with another IRI.

Languages
    SSSOM's text slots have no language. ``comment``, ``mapping_set_title`` and
    ``mapping_set_description`` carry the Dutch text (``@nl``); the English text goes in the
    extension slots ``comment_en``, ``mapping_set_title_en`` and ``mapping_set_description_en``.
    An untagged literal is written like a Dutch one and read back as ``@nl``.

Extension slots
    ``status`` (``stelsel:status``: Voorgesteld, Vastgesteld, Vervallen), the ``…_en`` slots
    above, and ``in_set`` (only in a file that combines several sets: the set of each row).
    They are declared in ``extension_definitions`` as SSSOM requires.

Labels and sources are not data
    ``subject_label``/``object_label`` are filled from ``skos:prefLabel@nl`` and
    ``subject_source``/``object_source`` from ``stelsel:inArchitectuur`` of the elements, looked
    up in the graph written and in the ``labels=`` graph (the element data). Reading ignores
    these four columns: they repeat what the element data already says, and turning them into
    triples would give every element a second, possibly stale, label.

Materialised triples
    Reading adds the plain triple ``<subject> <predicate> <object>`` for every alignment, so that
    simple SPARQL (``?x skos:closeMatch ?y``) finds it - except for alignments with status
    ``stelsel:Vervallen``: a withdrawn alignment keeps its record (who, when, why) but should no
    longer be found as if it held. Writing expects the same (with ``strict=True`` a missing or
    superfluous plain triple is an error).

Not supported, and reported instead of silently dropped: values in SSSOM columns that no
property in the ontology maps to (``confidence`` unless the ontology maps it, ``mapping_tool`` …),
negated mappings other than the deviation form, propagation of set-level slots to rows, and
the metadata block as a separate ``.yml`` file. Cells are not quoted; a value with a tab or a
line break cannot be written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Iterable, Mapping, Sequence

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .. import inputs as gate
from ..errors import InputError
from ..iris import alignment_iri, deviation_iri
from ..vocab import PREFIXES, STELSEL

__all__ = ["SSSOMError", "SSSOMTable", "SlotTable", "load_slot_table", "parse_sssom", "read_sssom",
           "sssom_table", "write_sssom", "MAPPING_COLUMNS", "DEFAULT_ONTOLOGY"]

DEFAULT_ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology" / "stelsel.ttl"

# --- what SSSOM fixes (not the stelsel mapping: that is in the ontology) ----------------------

#: The columns stelsel writes, in this order, followed by the extension slots.
MAPPING_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "predicate_modifier", "object_id",
    "object_label", "mapping_justification", "author_id", "author_label", "mapping_date",
    "confidence", "comment", "see_also", "subject_source", "object_source",
)
#: Set-level slots in the order written (the first that fits a value wins).
SET_SLOTS = (
    "mapping_set_id", "mapping_set_version", "mapping_set_title", "mapping_set_description",
    "license", "creator_id", "creator_label", "publication_date", "mapping_date", "see_also",
    "comment",
)
#: Text slots with an English twin (an extension slot named <slot>_en).
LANG_SLOTS = ("comment", "mapping_set_title", "mapping_set_description")
EXTENSIONS = ("status", "comment_en", "in_set")
SET_EXTENSIONS = ("mapping_set_title_en", "mapping_set_description_en")
#: Filled from the element data when writing, ignored when reading.
DERIVED = ("subject_label", "object_label", "subject_source", "object_source")
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")

_CURIE_SLOTS = {"subject_id", "predicate_id", "object_id", "mapping_justification", "author_id",
                "creator_id", "subject_source", "object_source", "status", "in_set"}
_IRI_SLOTS = {"mapping_set_id", "license", "see_also"}  # written as full IRIs (URLs)
_DATE_SLOTS = {"mapping_date", "publication_date"}
_NUMBER_SLOTS = {"confidence"}
_MULTIVALUED = {"author_id", "author_label", "creator_id", "creator_label", "see_also"}
_BUILTIN_PREFIXES = {  # SSSOM's built-in prefixes; a curie_map may not redefine them differently
    "owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
    "semapv": "https://w3id.org/semapv/vocab/", "sssom": "https://w3id.org/sssom/",
}
_TYPE_HINTS = {"status": "linkml:Uriorcurie", "in_set": "linkml:Uriorcurie"}
_EXT_PROPERTY_FOR_LANG = {"comment_en": str(RDFS.comment)}
_DEVIATION_PREDICATE = SKOS.relatedMatch
_NOT = "Not"
_OWN_CLASSES = (STELSEL.Aansluiting, STELSEL.Afwijking, STELSEL.Aansluitingsset)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_LOCAL_RE = re.compile(r"^[A-Za-z0-9_~.-][A-Za-z0-9_~./-]*$")


class SSSOMError(InputError, ValueError):
    """A SSSOM file or graph that cannot be converted, with where and what to do.

    Attributes: ``path`` (file name, or None), ``line`` (1-based, or None), ``column`` (the
    column or metadata key concerned, or None), ``hint`` (the next step, or None).
    """

    def __init__(self, problem: str, *, path: str | None = None, line: int | None = None,
                 column: str | None = None, hint: str | None = None):
        where = ", ".join(part for part in (path, f"line {line}" if line else None) if part)
        super().__init__(f"{where}: {problem}" if where else problem, hint)
        self.problem = problem
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


# --- the slot table from the ontology -------------------------------------------------------

@dataclass(frozen=True)
class SlotTable:
    """``stelsel:sssomSlot`` annotations: (slot, property, domains) triples."""

    source: str
    entries: tuple[tuple[str, URIRef, frozenset], ...]

    @staticmethod
    def _applies(domains: frozenset, cls: URIRef) -> bool:
        # A property whose domain names none of the alignment classes applies to all of them.
        return not (domains & set(_OWN_CLASSES)) or cls in domains

    def properties(self, slot: str, cls: URIRef) -> list[URIRef]:
        return sorted({p for s, p, d in self.entries if s == slot and self._applies(d, cls)})

    def slots(self, prop: URIRef, cls: URIRef) -> list[str]:
        return [s for s, p, d in self.entries if p == prop and self._applies(d, cls)]


_table_cache: dict[tuple[str, float], SlotTable] = {}

_DCT = "http://purl.org/dc/terms/"
#: Slots of the reused Dublin Core properties (docs/vocabulary.md), used only for a slot that no
#: property in the ontology is annotated with, and only if the ontology declares the property.
#: An ontology that annotates dct:creator, dct:date … itself makes this table unused.
_REUSED_DEFAULTS = (
    ("author_id", _DCT + "creator"), ("author_label", _DCT + "creator"),
    ("creator_id", _DCT + "creator"), ("creator_label", _DCT + "creator"),
    ("mapping_date", _DCT + "date"), ("publication_date", _DCT + "date"),
    ("see_also", _DCT + "source"), ("mapping_set_title", _DCT + "title"),
    ("mapping_set_description", _DCT + "description"), ("license", _DCT + "license"),
)


def load_slot_table(ontology: str | Path | Graph | None = None) -> SlotTable:
    """The slot table from the ontology's ``stelsel:sssomSlot`` annotations."""
    if isinstance(ontology, Graph):
        return _slot_table(ontology, "the ontology graph")
    path = Path(ontology) if ontology is not None else DEFAULT_ONTOLOGY
    if not path.is_file():
        raise SSSOMError(
            f"the ontology {path} does not exist, and the SSSOM slot table is read from its "
            "stelsel:sssomSlot annotations", path=str(path),
            hint="pass ontology=PATH to the stelsel ontology (ontology/stelsel.ttl)")
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _table_cache:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several types for bad Turtle
            raise SSSOMError(f"the ontology cannot be parsed: {exc}", path=str(path),
                             hint="fix the Turtle syntax") from None
        _table_cache[key] = _slot_table(graph, str(path))
    return _table_cache[key]


def _slot_table(graph: Graph, source: str) -> SlotTable:
    entries = []
    for prop, slot in graph.subject_objects(STELSEL.sssomSlot):
        name = str(slot) if isinstance(slot, Literal) else re.split(r"[/#]", str(slot))[-1]
        domains = set()
        for dom in graph.objects(prop, RDFS.domain):
            union = graph.value(dom, OWL.unionOf)
            domains.update(Collection(graph, union) if union is not None else [dom])
        entries.append((name, prop, frozenset(domains)))
    annotated = {e[0] for e in entries}
    for name, prop in _REUSED_DEFAULTS:
        if name not in annotated and (URIRef(prop), None, None) in graph:
            entries.append((name, URIRef(prop), frozenset()))
    entries.sort(key=lambda e: (e[0], str(e[1])))
    table = SlotTable(source, tuple(entries))
    missing = [s for s in ("subject_id", "predicate_id", "object_id", "mapping_set_id")
               if not any(e[0] == s for e in entries)]
    if missing:
        raise SSSOMError(
            f"the ontology has no stelsel:sssomSlot annotation for {', '.join(missing)}",
            path=source, hint="annotate the alignment properties (docs/vocabulary.md) with "
            "stelsel:sssomSlot \"<slot>\"")
    return table


# --- CURIEs ---------------------------------------------------------------------------------

class _Prefixes:
    """Choose CURIEs for IRIs: the longest namespace wins; vocab.PREFIXES names are preferred."""

    def __init__(self, graphs: Iterable[Graph]):
        by_ns: dict[str, str] = {}
        for graph in graphs:
            for prefix, ns in graph.namespaces():
                if prefix and _PREFIX_RE.match(prefix) and str(ns) not in by_ns:
                    by_ns[str(ns)] = prefix
                elif prefix and _PREFIX_RE.match(prefix):
                    by_ns[str(ns)] = min(by_ns[str(ns)], prefix)
        for prefix, ns in {**_BUILTIN_PREFIXES, **{k: str(v) for k, v in PREFIXES.items()}}.items():
            by_ns[str(ns)] = prefix
        self.by_ns = by_ns
        self.used: dict[str, str] = {}

    def curie(self, iri: str) -> str:
        best = None
        for ns, prefix in self.by_ns.items():
            if iri.startswith(ns) and _LOCAL_RE.match(iri[len(ns):] or "_") and (
                    best is None or len(ns) > len(best[0])):
                if self.used.get(prefix, ns) == ns:
                    best = (ns, prefix)
        if best is None:
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            ns = iri[:cut]
            n = 1
            while f"ns{n}" in self.used and self.used[f"ns{n}"] != ns:
                n += 1
            best = (ns, f"ns{n}")
            self.by_ns[ns] = best[1]
        ns, prefix = best
        self.used[prefix] = ns
        return f"{prefix}:{iri[len(ns):]}"


# --- the table in between: metadata and rows --------------------------------------------------

@dataclass
class SSSOMTable:
    """A parsed SSSOM/TSV file: the metadata block, the columns and the rows (column -> text)."""

    metadata: dict
    columns: list[str]
    rows: list[dict[str, str]]
    path: str = "<sssom>"
    row_lines: list[int] = field(default_factory=list)
    header_line: int = 1

    def render(self) -> str:
        meta_yaml = yaml.safe_dump(self.metadata, sort_keys=False, allow_unicode=True,
                                   default_flow_style=False, width=10_000)
        out = ["#" + line for line in meta_yaml.splitlines()]
        out.append("\t".join(self.columns))
        for row in self.rows:
            out.append("\t".join(row.get(c, "") for c in self.columns))
        return "\n".join(out) + "\n"


def parse_sssom(source: str | Path | IO) -> SSSOMTable:
    """Parse SSSOM/TSV text into a :class:`SSSOMTable` (syntax only, no RDF)."""
    name, text = _read_text(source)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    n_header = 0
    while n_header < len(lines) and lines[n_header].startswith("#"):
        n_header += 1
    yaml_text = "\n".join(line[1:] for line in lines[:n_header])
    try:
        metadata = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and start.line + 1 != line:
            problem += f" {context} that starts on line {start.line + 1}"
        raise SSSOMError(f"the metadata block is not valid YAML ({problem})", path=name,
                         line=line, hint="each metadata line starts with '#' followed by YAML, "
                         "e.g. '#mapping_set_id: https://…'; indent the curie_map entries "
                         "with spaces, not tabs") from None
    if not isinstance(metadata, dict):
        raise SSSOMError("the metadata block is not a YAML mapping of keys to values",
                         path=name, line=1, hint="start with '#curie_map:' and "
                         "'#mapping_set_id: <IRI>' lines")
    if n_header >= len(lines):
        raise SSSOMError("there is no TSV header line after the metadata block", path=name,
                         line=n_header + 1, hint="add a tab-separated line of column names "
                         "(subject_id, predicate_id, object_id, mapping_justification …)")
    header_line = n_header + 1
    columns = lines[n_header].split("\t")
    for i, col in enumerate(columns):
        if not col:
            raise SSSOMError(f"column {i + 1} of the header has no name", path=name,
                             line=header_line, hint="remove the empty column or name it")
        if col in columns[:i]:
            raise SSSOMError(f"column '{col}' appears twice in the header", path=name,
                             line=header_line, column=col, hint="remove one of them")
    rows, row_lines = [], []
    for offset, line in enumerate(lines[n_header + 1:]):
        number = header_line + 1 + offset
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(columns):
            raise SSSOMError(f"the row has {len(cells)} fields but the header has "
                             f"{len(columns)} columns", path=name, line=number,
                             hint="a value may contain a tab; remove it")
        cells += [""] * (len(columns) - len(cells))
        rows.append({c: v.strip() for c, v in zip(columns, cells)})
        row_lines.append(number)
    return SSSOMTable(metadata, columns, rows, name, row_lines, header_line)


def _read_text(source: str | Path | IO) -> tuple[str, str]:
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, bytes):
            data = gate.decode_text(data, getattr(source, "name", "<stream>"))
        return getattr(source, "name", "<stream>"), data
    try:
        return str(source), gate.decode_text(gate.read_file(source, what="SSSOM file"), str(source))
    except InputError as exc:  # the same sentence, as the SSSOM reader's own error type
        problem = exc.message.removeprefix(f"{exc.position}: " if exc.position else f"{source}: ")
        raise SSSOMError(problem, path=str(source), line=exc.position.line if exc.position else None,
                         hint=exc.hint) from None


# --- TSV -> RDF ----------------------------------------------------------------------------

def read_sssom(source: str | Path | IO, *,
               ontology: str | Path | Graph | None = None) -> Graph:
    """Read an SSSOM/TSV file into a graph of Aansluitingen, Afwijkingen, their
    Aansluitingsset and the materialised plain triples (see the module documentation)."""
    table = parse_sssom(source)
    slots = load_slot_table(ontology)
    return _Reader(table, slots).graph()


class _Reader:
    def __init__(self, table: SSSOMTable, slots: SlotTable):
        self.t = table
        self.slots = slots
        self.g = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)

    def err(self, problem: str, line: int | None, column: str | None = None,
            hint: str | None = None) -> SSSOMError:
        return SSSOMError(problem, path=self.t.path, line=line, column=column, hint=hint)

    def graph(self) -> Graph:
        meta = self.t.metadata
        self.curie_map = self._curie_map(meta.get("curie_map"))
        for prefix, ns in self.curie_map.items():
            self.g.bind(prefix, ns, override=True, replace=True)
        self.extensions = self._extensions(meta.get("extension_definitions"))
        set_iri = self._set_metadata(meta)
        known = set(MAPPING_COLUMNS) | (set(EXTENSIONS) & set(self.extensions))
        seen: dict[URIRef, int] = {}
        for row, line in zip(self.t.rows, self.t.row_lines):
            for col, value in row.items():
                if value and col not in known:
                    raise self.err(
                        f"column '{col}' has a value but is not a column stelsel reads",
                        line, col, "use the SSSOM columns " + ", ".join(MAPPING_COLUMNS) +
                        "; the extension slots status, comment_en and in_set must be declared "
                        "in '#extension_definitions:'")
            self._row(row, line, set_iri, seen)
        return self.g

    def _curie_map(self, value) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise self.err("curie_map must map prefixes to namespace IRIs", 1, "curie_map",
                           "write '#curie_map:' then one '#  prefix: https://…' line each")
        for prefix, ns in value.items():
            if prefix in _BUILTIN_PREFIXES and _BUILTIN_PREFIXES[prefix] != ns:
                raise self.err(f"curie_map redefines the built-in prefix '{prefix}' as {ns}",
                               1, "curie_map", f"SSSOM fixes {prefix}: to "
                               f"{_BUILTIN_PREFIXES[prefix]}; use another prefix name")
        return dict(value)

    def _extensions(self, value) -> dict[str, dict]:
        if value is None:
            return {}
        if not isinstance(value, list) or not all(isinstance(d, dict) for d in value):
            raise self.err("extension_definitions must be a list of {slot_name, property, "
                           "type_hint}", 1, "extension_definitions",
                           "write '#  - slot_name: status' with 'property:' under it")
        out = {}
        for definition in value:
            name = definition.get("slot_name")
            if isinstance(name, str) and name:
                out[name] = definition
        return out

    def _expand(self, value: str, line: int | None, column: str) -> URIRef:
        if "://" in value or value.startswith("urn:"):
            return URIRef(value)
        if ":" not in value:
            raise self.err(f"{column} '{value}' is not a CURIE or an IRI", line, column,
                           "write prefix:local with a prefix from the '# curie_map:' block, "
                           "or a full IRI")
        prefix, local = value.split(":", 1)
        namespace = self.curie_map.get(prefix, _BUILTIN_PREFIXES.get(prefix))
        if namespace is None:
            raise self.err(f"{column} '{value}' uses prefix '{prefix}' that is not in the "
                           "curie_map", line, column, "add it to the '# curie_map:' block")
        return URIRef(namespace + local)

    def _term(self, slot: str, text: str, line: int | None, column: str,
              lang: str | None) -> Node:
        if slot in _CURIE_SLOTS or slot in _IRI_SLOTS:
            return self._expand(text, line, column)
        if slot in _DATE_SLOTS:
            if isinstance(text, date):
                text = text.isoformat()
            try:
                if not _DATE_RE.match(str(text)):
                    raise ValueError
                date.fromisoformat(str(text))
            except ValueError:
                raise self.err(f"{column} '{text}' is not a date", line, column,
                               "write the date as YYYY-MM-DD, e.g. 2026-11-28") from None
            return Literal(str(text), datatype=XSD.date)
        if slot in _NUMBER_SLOTS:
            try:
                float(text)
            except ValueError:
                raise self.err(f"{column} '{text}' is not a number", line, column,
                               "write a number between 0 and 1, e.g. 0.9") from None
            return Literal(text, datatype=XSD.double)
        if slot in LANG_SLOTS:
            return Literal(text, lang=lang or "nl")
        return Literal(text)

    def _property(self, slot: str, cls: URIRef, line: int | None, column: str) -> URIRef:
        props = self.slots.properties(slot, cls)
        if not props and column in self.extensions and self.extensions[column].get("property"):
            return self._expand(str(self.extensions[column]["property"]), 1,
                                "extension_definitions")
        if len(props) != 1:
            what = ("no property" if not props else
                    "several properties (" + ", ".join(props) + ")")
            raise self.err(f"column '{column}' has a value, but the ontology maps {what} to "
                           f"the SSSOM slot '{slot}' on a stelsel:{cls.split('#')[-1]}", line, column,
                           "leave the column empty, or annotate one property with "
                           f"stelsel:sssomSlot \"{slot}\" in {self.slots.source}")
        return props[0]

    def _add_values(self, node: URIRef, cls: URIRef, column: str, raw, line: int | None):
        slot, lang = column, None
        if column.endswith("_en") and column[:-3] in LANG_SLOTS:
            slot, lang = column[:-3], "en"
        values = raw if isinstance(raw, list) else (
            [v.strip() for v in str(raw).split("|") if v.strip()] if slot in _MULTIVALUED
            and isinstance(raw, str) else [raw])
        prop = self._property(slot, cls, line, column)
        for value in values:
            self.g.add((node, prop, self._term(slot, value, line, column, lang)))

    def _set_metadata(self, meta: dict) -> URIRef:
        set_id = meta.get("mapping_set_id")
        if not set_id:
            raise self.err("the metadata block has no mapping_set_id", 1, "mapping_set_id",
                           "add '#mapping_set_id: <IRI of the Aansluitingsset>'")
        if not meta.get("license"):
            raise self.err("the metadata block has no license", 1, "license",
                           "add '#license: https://…' (SSSOM requires a licence)")
        set_iri = self._expand(str(set_id), 1, "mapping_set_id")
        self.g.add((set_iri, RDF.type, STELSEL.Aansluitingsset))
        cls = STELSEL.Aansluitingsset
        for key, value in meta.items():
            if key in ("curie_map", "extension_definitions", "mapping_set_id", "sssom_version"):
                continue
            if value in (None, "", []):
                continue
            is_set_slot = key in SET_SLOTS or key in SET_EXTENSIONS
            if not is_set_slot or (key in SET_EXTENSIONS and key not in self.extensions):
                raise self.err(f"metadata key '{key}' is not one stelsel reads", 1, key,
                               "use " + ", ".join(SET_SLOTS[1:]) + " (declare "
                               "mapping_set_title_en / mapping_set_description_en in "
                               "extension_definitions)")
            if isinstance(value, date):
                value = value.isoformat()
            if not isinstance(value, (str, list)):
                value = str(value)
            self._add_values(set_iri, cls, key, value, 1)
        return set_iri

    def _row(self, row: dict, line: int, set_iri: URIRef, seen: dict):
        for slot in REQUIRED:
            if not row.get(slot):
                raise self.err(f"the required slot {slot} is empty", line, slot,
                               f"fill in {slot} (SSSOM requires subject_id, predicate_id, "
                               "object_id and mapping_justification)")
        modifier = row.get("predicate_modifier", "")
        if modifier not in ("", _NOT):
            raise self.err(f"predicate_modifier '{modifier}' is not 'Not'", line,
                           "predicate_modifier", "leave it empty, or write Not for a deviation")
        subject = self._expand(row["subject_id"], line, "subject_id")
        predicate = self._expand(row["predicate_id"], line, "predicate_id")
        obj = self._expand(row["object_id"], line, "object_id")
        if modifier == _NOT:
            if predicate != _DEVIATION_PREDICATE:
                raise self.err(f"a negated mapping with predicate_id '{row['predicate_id']}' "
                               "cannot be stored", line, "predicate_id",
                               "stelsel stores only deviations: predicate_modifier Not with "
                               "predicate_id skos:relatedMatch and the architecture as object_id")
            cls, node = STELSEL.Afwijking, URIRef(deviation_iri(subject, obj))
        else:
            cls, node = STELSEL.Aansluiting, URIRef(alignment_iri(subject, predicate, obj))
        if node in seen:
            raise self.err(f"this row repeats the mapping on line {seen[node]}", line,
                           "subject_id", "remove one of the two rows")
        seen[node] = line
        self.g.add((node, RDF.type, cls))
        for column, value in row.items():
            if not value or column in DERIVED or column in (
                    "predicate_modifier", "in_set") or (
                    cls == STELSEL.Afwijking and column == "predicate_id"):
                continue
            self._add_values(node, cls, column, value, line)
        member_of = self._expand(row["in_set"], line, "in_set") if row.get("in_set") else set_iri
        self.g.add((node, self._property("mapping_set_id", cls, line, "mapping_set_id"),
                    member_of))
        status_prop = self.slots.properties("status", cls) or [STELSEL.status]
        if cls == STELSEL.Aansluiting and (node, status_prop[0], STELSEL.Vervallen) not in self.g:
            self.g.add((subject, predicate, obj))


# --- RDF -> TSV ----------------------------------------------------------------------------

def write_sssom(graph: Graph, out: str | Path | IO, *, mapping_set_id: str | None = None,
                labels: Graph | None = None, ontology: str | Path | Graph | None = None,
                strict: bool = False, title: str | Mapping[str, str] | None = None) -> None:
    """Write the alignments and deviations of one Aansluitingsset in ``graph`` as SSSOM/TSV.

    ``mapping_set_id``: the set to write; may be left out when the graph holds one set. An IRI
    that is not a set in the graph writes all sets as one combined file under that IRI, each
    row naming its own set in the extension slot ``in_set`` (``title`` - text or
    ``{"nl": …, "en": …}`` - titles it; set-level values all sets agree on are kept).
    ``labels``: element data for the label and source columns. ``strict``: also fail on
    triples that would not survive the round trip (anything besides the sets, alignments,
    deviations and the materialised triples). ``out``: a path, or a text or binary stream.
    """
    table = sssom_table(graph, mapping_set_id=mapping_set_id, labels=labels, ontology=ontology,
                        strict=strict, title=title)
    text = table.render()
    if hasattr(out, "write"):
        if isinstance(out, io.TextIOBase):
            out.write(text)
        else:
            try:
                out.write(text.encode("utf-8"))
            except TypeError:
                out.write(text)
        return
    Path(out).write_text(text, encoding="utf-8")


def sssom_table(graph: Graph, *, mapping_set_id: str | None = None,
                labels: Graph | None = None, ontology: str | Path | Graph | None = None,
                strict: bool = False,
                title: str | Mapping[str, str] | None = None) -> SSSOMTable:
    """The :class:`SSSOMTable` :func:`write_sssom` writes."""
    return _Writer(graph, load_slot_table(ontology), labels, strict).table(mapping_set_id, title)


class _Writer:
    def __init__(self, graph: Graph, slots: SlotTable, labels: Graph | None, strict: bool):
        self.g = graph
        self.slots = slots
        self.labels = labels
        self.strict = strict
        graphs = [graph] + ([labels] if labels is not None else [])
        self.prefixes = _Prefixes(graphs)
        self.used_triples: set = set()

    @staticmethod
    def err(problem: str, column: str | None = None, hint: str | None = None) -> SSSOMError:
        return SSSOMError(problem, column=column, hint=hint)

    # values -> text
    def _text(self, slot: str, term: Node, node: URIRef, prop: URIRef) -> str:
        if slot in _CURIE_SLOTS or slot in _IRI_SLOTS:
            if not isinstance(term, URIRef):
                raise self.err(f"{node}: {prop} {term!r} should be an IRI (SSSOM slot {slot})",
                               slot, "make the value an IRI")
            return self.prefixes.curie(str(term)) if slot in _CURIE_SLOTS else str(term)
        if not isinstance(term, Literal):
            raise self.err(f"{node}: {prop} <{term}> should be a literal (SSSOM slot {slot})",
                           slot, "make the value a literal")
        text = str(term)
        if any(ch in text for ch in "\t\n\r"):
            raise self.err(f"{node}: {prop} contains a tab or a line break", slot,
                           "SSSOM/TSV cells are single lines; replace them with spaces")
        if "|" in text and slot in _MULTIVALUED:
            raise self.err(f"{node}: {prop} {text!r} contains '|', the SSSOM value separator",
                           slot, "remove the '|'")
        return text

    def _slot_for(self, prop: URIRef, term: Node, cls: URIRef, level: Sequence[str]) -> str | None:
        """The first slot (in column order) whose property is ``prop`` and that fits ``term``."""
        candidates = [s for s in level if s in self.slots.slots(prop, cls)]
        for slot in candidates:
            if slot in _CURIE_SLOTS or slot in _IRI_SLOTS:
                fits = isinstance(term, URIRef)
            elif slot in _DATE_SLOTS:
                fits = isinstance(term, Literal) and term.datatype == XSD.date
            elif slot in _NUMBER_SLOTS:
                fits = isinstance(term, Literal) and term.datatype in (
                    XSD.double, XSD.decimal, XSD.float)
            else:
                fits = isinstance(term, Literal) and term.datatype in (None, XSD.string) and (
                    term.language in (None, "nl", "en") if slot in LANG_SLOTS
                    else term.language is None)
            if fits:
                if slot in LANG_SLOTS and isinstance(term, Literal) and term.language == "en":
                    return slot + "_en"
                return slot
        return None

    def _fields(self, node: URIRef, cls: URIRef, level: Sequence[str],
                skip: Iterable[URIRef] = ()) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {}
        for prop, term in sorted(self.g.predicate_objects(node)):
            if prop in skip:
                continue
            if prop == RDF.type:
                if term != cls:
                    raise self.err(f"{node} is a {cls.split('#')[-1]} and also a {term}; SSSOM "
                                   "cannot carry the extra type", "subject_id",
                                   "remove the extra rdf:type")
                self.used_triples.add((node, prop, term))
                continue
            slot = self._slot_for(prop, term, cls, level)
            if slot is None:
                raise self.err(f"{node}: no SSSOM slot for {prop} {term.n3()}", None,
                               "give the value the expected type/language, or annotate the "
                               f"property with stelsel:sssomSlot in {self.slots.source}")
            base = slot[:-3] if slot.endswith("_en") and slot[:-3] in LANG_SLOTS else slot
            values = fields.setdefault(slot, [])
            values.append(self._text(base, term, node, prop))
            if len(values) > 1 and base not in _MULTIVALUED:
                raise self.err(f"{node}: {prop} has several values for the single-valued SSSOM "
                               f"slot {slot}", slot, "keep one value (per language)")
            self.used_triples.add((node, prop, term))
        return fields

    def _lookup(self, node: URIRef, prop: URIRef, lang: str | None = None) -> Node | None:
        for graph in (self.g, self.labels):
            if graph is None:
                continue
            for value in sorted(graph.objects(node, prop)):
                if lang is None or (isinstance(value, Literal) and value.language == lang):
                    return value
        return None

    def _describe(self, iri: str, side: str, row: dict):
        label = self._lookup(URIRef(iri), SKOS.prefLabel, "nl")
        if label is not None:
            row[f"{side}_label"] = " ".join(str(label).split())
        source = self._lookup(URIRef(iri), STELSEL.inArchitectuur)
        if isinstance(source, URIRef):
            row[f"{side}_source"] = self.prefixes.curie(str(source))

    def _row(self, node: URIRef, cls: URIRef, combined: bool) -> dict[str, str]:
        in_set = self.slots.properties("mapping_set_id", cls)
        fields = self._fields(node, cls, MAPPING_COLUMNS + EXTENSIONS, skip=in_set)
        for prop in in_set:
            for term in self.g.objects(node, prop):
                self.used_triples.add((node, prop, term))
        if combined:
            fields["in_set"] = sorted(self.prefixes.curie(str(v)) for p in in_set
                                      for v in self.g.objects(node, p))
            if len(fields["in_set"]) > 1:
                raise self.err(f"{node} is in several sets", "in_set", "keep one stelsel:inSet")
        for slot in REQUIRED:
            if slot == "predicate_id" and cls == STELSEL.Afwijking:
                continue
            if not fields.get(slot):
                raise self.err(f"{node} has no value for the required SSSOM slot {slot}", slot,
                               "add the property the ontology maps to it")
        row = {slot: "|".join(sorted(values)) for slot, values in fields.items()}
        if cls == STELSEL.Afwijking:
            row["predicate_modifier"] = _NOT
            row["predicate_id"] = self.prefixes.curie(str(_DEVIATION_PREDICATE))
            expected = deviation_iri(self._full(row["subject_id"]), self._full(row["object_id"]))
        else:
            subject, predicate, obj = (self._full(row[s]) for s in
                                       ("subject_id", "predicate_id", "object_id"))
            expected = alignment_iri(subject, predicate, obj)
            plain = (URIRef(subject), URIRef(predicate), URIRef(obj))
            withdrawn = row.get("status") == self.prefixes.curie(str(STELSEL.Vervallen))
            if plain in self.g:
                self.used_triples.add(plain)
                if withdrawn and self.strict:
                    raise self.err(f"{node} has status Vervallen but its plain triple is in the "
                                   "graph", "status", "withdrawn alignments are not "
                                   "materialised; remove the triple")
            elif not withdrawn and self.strict:
                raise self.err(f"{node}: the plain triple {subject} {predicate} {obj} is "
                               "missing", "predicate_id", "materialise the alignment's triple")
        if str(node) != expected:
            raise self.err(f"{node} is not the minted IRI {expected} of this row", "subject_id",
                           "mint alignment IRIs with stelsel.iris.alignment_iri / deviation_iri")
        self._describe(self._full(row["subject_id"]), "subject", row)
        self._describe(self._full(row["object_id"]), "object", row)
        return row

    def _full(self, curie: str) -> str:
        prefix, local = curie.split(":", 1)
        return self.prefixes.used[prefix] + local

    def table(self, mapping_set_id: str | None,
              title: str | Mapping[str, str] | None) -> SSSOMTable:
        sets = sorted(self.g.subjects(RDF.type, STELSEL.Aansluitingsset))
        if mapping_set_id is None:
            if len(sets) != 1:
                raise self.err(f"the graph holds {len(sets)} Aansluitingssets; a SSSOM file "
                               "holds one", "mapping_set_id",
                               "pass mapping_set_id=<IRI of one set>, or a new IRI to combine "
                               "them all" if sets else "add a stelsel:Aansluitingsset")
            mapping_set_id = str(sets[0])
        set_iri = URIRef(str(mapping_set_id))
        combined = set_iri not in sets
        chosen = sets if combined else [set_iri]
        cls_set = STELSEL.Aansluitingsset
        level = SET_SLOTS + SET_EXTENSIONS
        if combined:
            per_set = [self._fields(s, cls_set, level) for s in sets]
            set_fields = {k: v for k, v in per_set[0].items()
                          if all(other.get(k) == v for other in per_set[1:])} if per_set else {}
            for key in ("mapping_set_title", "mapping_set_title_en", "mapping_set_description",
                        "mapping_set_description_en"):
                set_fields.pop(key, None)
            titles = {"nl": title} if isinstance(title, str) else dict(title or {})
            for lang, text in titles.items():
                set_fields["mapping_set_title" + ("" if lang == "nl" else f"_{lang}")] = [text]
        else:
            set_fields = self._fields(set_iri, cls_set, level)
        set_fields.pop("mapping_set_id", None)
        if not set_fields.get("license"):
            raise self.err(f"the set {set_iri} has no licence (SSSOM requires one)", "license",
                           "add the property the ontology maps to 'license' (dct:license)")
        in_set_props = {p for c in (STELSEL.Aansluiting, STELSEL.Afwijking)
                        for p in self.slots.properties("mapping_set_id", c)}
        rows = []
        for cls in (STELSEL.Aansluiting, STELSEL.Afwijking):
            for node in sorted(self.g.subjects(RDF.type, cls)):
                members = {o for p in in_set_props for o in self.g.objects(node, p)}
                if members & set(chosen):
                    rows.append(self._row(node, cls, combined))
        rows.sort(key=lambda r: (r["subject_id"], r.get("predicate_modifier", ""),
                                 r["predicate_id"], r["object_id"]))
        if self.strict:
            self._check_leftovers(chosen)
        ext_used = [e for e in EXTENSIONS if e != "in_set" or combined]
        columns = list(MAPPING_COLUMNS) + ext_used
        rows = [{c: row.get(c, "") for c in columns} for row in rows]
        metadata: dict = {"curie_map": {}}
        metadata["mapping_set_id"] = str(set_iri)
        for key in SET_SLOTS[1:]:
            if key in set_fields:
                values = sorted(set_fields[key])
                metadata[key] = values if key in _MULTIVALUED else values[0]
        ext_defs = [self._ext_def(e) for e in ext_used]
        ext_defs += [self._ext_def(e) for e in SET_EXTENSIONS if e in set_fields]
        metadata["extension_definitions"] = ext_defs
        for key in SET_EXTENSIONS:
            if key in set_fields:
                metadata[key] = set_fields[key][0]
        metadata["curie_map"] = dict(sorted(self.prefixes.used.items()))
        return SSSOMTable(metadata, columns, rows)

    def _ext_def(self, slot: str) -> dict:
        if slot in _EXT_PROPERTY_FOR_LANG:
            prop = _EXT_PROPERTY_FOR_LANG[slot]
        elif slot.endswith("_en"):
            props = self.slots.properties(slot[:-3], STELSEL.Aansluitingsset)
            prop = str(props[0]) if props else str(RDFS.comment)
        else:
            base = "mapping_set_id" if slot == "in_set" else slot
            props = self.slots.properties(base, STELSEL.Aansluiting)
            prop = str(props[0]) if props else str(STELSEL[slot])
        return {"slot_name": slot, "property": prop,
                "type_hint": _TYPE_HINTS.get(slot, "xsd:string")}

    def _check_leftovers(self, chosen: list):
        for s in chosen:
            for p, o in self.g.predicate_objects(s):
                self.used_triples.add((s, p, o))
        leftovers = sorted(t for t in self.g if t not in self.used_triples)
        if leftovers:
            shown = "; ".join(" ".join(x.n3() for x in t) for t in leftovers[:3])
            raise self.err(f"{len(leftovers)} triple(s) are not part of the SSSOM set and would be "
                           f"lost: {shown}", None, "write only the alignment graph, or pass "
                           "strict=False")
