"""Reading ArchiMate models: the Open Group exchange format (XML) and Archi's CSV export.

Both readers produce the same neutral, format-free `ArchiModel`, which
`stelsel.importers.archimate` turns into RDF. Nothing here knows about the stelsel vocabulary.

Safety: the XML reader refuses any document with a DOCTYPE or ENTITY declaration before parsing,
so entity expansion (billion laughs, external entities) is impossible, and nothing is ever fetched.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .. import inputs as gate
from ..errors import InputError, Position

ARCHIMATE_NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

CSV_SUFFIXES = ("elements.csv", "relations.csv", "properties.csv")
_CSV_REQUIRED = {
    "elements.csv": ("ID", "Type", "Name"),
    "relations.csv": ("ID", "Type", "Source", "Target"),
    "properties.csv": ("ID", "Key", "Value"),
}
_JUNCTION_TYPES = {"Junction", "AndJunction", "OrJunction"}


class ArchimateImportError(InputError, ValueError):
    """A model file that cannot be read: names the file, the place and what to do next.

    Part of the `stelsel.errors` family (an `InputError`, exit code 2) and a `ValueError`.
    `path`, `line` (1-based) and `column` (1-based, XML only) locate the problem where known;
    `hint` says what to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        position = Position(str(path), line, column) if path is not None else None
        super().__init__(message, hint, position)


@dataclass
class ArchiProperty:
    key: str
    value: str
    lang: str | None = None


@dataclass
class ArchiElement:
    """An element (or relationship, see `ArchiRelation`) as read from the source, untouched."""

    id: str
    type: str
    names: dict[str | None, str] = field(default_factory=dict)  # lang (None: untagged) -> text
    docs: dict[str | None, str] = field(default_factory=dict)
    properties: list[ArchiProperty] = field(default_factory=list)
    folder: str = ""  # '/'-separated folder path, first segment the Archi top folder
    specialization: str = ""

    def name(self, lang: str | None = None) -> str:
        """The name in `lang`, else untagged, else the first one; '' when unnamed."""
        for key in (lang, None):
            if key in self.names:
                return self.names[key]
        return next(iter(self.names.values()), "")

    def property_values(self, key: str) -> list[str]:
        return [p.value for p in self.properties if p.key == key]


@dataclass
class ArchiRelation(ArchiElement):
    source: str = ""
    target: str = ""


@dataclass
class ArchiModel:
    path: Path
    format: str  # "xml" or "csv"
    name: str = ""
    elements: dict[str, ArchiElement] = field(default_factory=dict)
    relations: dict[str, ArchiRelation] = field(default_factory=dict)
    has_folders: bool = False


def normalise_type(archimate_type: str) -> str:
    """'RealizationRelationship' (Archi, CSV) and 'Realization' (exchange XML) -> 'Realization'."""
    t = archimate_type.strip()
    if t.endswith("Relationship") and t != "Relationship":
        t = t[: -len("Relationship")]
    if t in _JUNCTION_TYPES:
        return "Junction"
    return t


def is_junction(archimate_type: str) -> bool:
    return normalise_type(archimate_type) == "Junction"


# ---------------------------------------------------------------------------------------------
# Dispatch


def read_model(path: Path | str) -> ArchiModel:
    """Read an exchange-format XML file, or Archi CSV given by any one of its files or the prefix."""
    p = Path(path)
    if p.suffix.lower() == ".xml":
        return read_exchange_xml(p)
    if p.is_file() and p.suffix.lower() != ".csv":
        head = p.read_bytes()[:512].lstrip()
        if head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf<"):
            return read_exchange_xml(p)
    return read_archi_csv(p)


# ---------------------------------------------------------------------------------------------
# Exchange format (XML)


def read_exchange_xml(path: Path | str) -> ArchiModel:
    """Read an Open Group ArchiMate Model Exchange File (namespace .../archimate/3.0/)."""
    p = Path(path)
    data = gate.read_file(p, what="ArchiMate model")
    forbidden = gate.dtd_declaration(data)
    if forbidden:
        name, line, column = forbidden
        raise ArchimateImportError(gate.DTD_REFUSED.format(name), path=p, line=line, column=column,
                                   hint="export the model again from Archi or another tool; exchange files need no DOCTYPE")
    parser = ET.XMLParser()
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        reason = str(exc).split(":", 1)[0]
        raise ArchimateImportError(
            f"malformed XML: {reason}", path=p, line=line,
            column=(col + 1) if col is not None else None,
            hint="fix the XML at that place, or export the model again",
        ) from None
    if root.tag != f"{{{ARCHIMATE_NS}}}model":
        raise ArchimateImportError(
            f"unknown root element {root.tag!r}; expected <model> in namespace {ARCHIMATE_NS}",
            path=p, line=1,
            hint="give an ArchiMate Model Exchange File (Archi: File > Export > Model to Open "
            "Exchange File) or Archi's CSV export",
        )
    return _model_from_xml(root, p)


def _q(tag: str) -> str:
    return f"{{{ARCHIMATE_NS}}}{tag}"


def _lang_texts(parent: ET.Element, tag: str) -> dict[str | None, str]:
    out: dict[str | None, str] = {}
    for child in parent.findall(_q(tag)):
        text = (child.text or "").strip()
        if text:
            out.setdefault(child.get(XML_LANG), text)
    return out


def _xml_properties(node: ET.Element, defs: dict[str, str]) -> list[ArchiProperty]:
    props: list[ArchiProperty] = []
    container = node.find(_q("properties"))
    if container is None:
        return props
    for prop in container.findall(_q("property")):
        ref = prop.get("propertyDefinitionRef") or prop.get("identifierRef") or ""
        key = defs.get(ref, ref)
        for value in prop.findall(_q("value")):
            text = (value.text or "").strip()
            if text:
                props.append(ArchiProperty(key, text, value.get(XML_LANG)))
    return props


def _model_from_xml(root: ET.Element, path: Path) -> ArchiModel:
    model = ArchiModel(path=path, format="xml")
    names = _lang_texts(root, "name")
    model.name = next(iter(names.values()), "")
    defs: dict[str, str] = {}
    for pd in root.iter(_q("propertyDefinition")):
        ident = pd.get("identifier", "")
        label = _lang_texts(pd, "name")
        defs[ident] = next(iter(label.values()), "") or pd.get("name", "") or ident
    elements = root.find(_q("elements"))
    for node in elements.findall(_q("element")) if elements is not None else []:
        el = ArchiElement(
            id=node.get("identifier", ""),
            type=node.get(XSI_TYPE, ""),
            names=_lang_texts(node, "name"),
            docs=_lang_texts(node, "documentation"),
            properties=_xml_properties(node, defs),
        )
        model.elements[el.id] = el
    relationships = root.find(_q("relationships"))
    for node in relationships.findall(_q("relationship")) if relationships is not None else []:
        rel = ArchiRelation(
            id=node.get("identifier", ""),
            type=normalise_type(node.get(XSI_TYPE, "")),
            names=_lang_texts(node, "name"),
            docs=_lang_texts(node, "documentation"),
            properties=_xml_properties(node, defs),
            source=node.get("source", ""),
            target=node.get("target", ""),
        )
        model.relations[rel.id] = rel
    organizations = root.find(_q("organizations"))
    if organizations is not None:
        model.has_folders = True

        def walk(item: ET.Element, trail: tuple[str, ...]) -> None:
            for child in item.findall(_q("item")):
                ref = child.get("identifierRef")
                if ref is not None:
                    target = model.elements.get(ref) or model.relations.get(ref)
                    if target is not None and not target.folder:
                        target.folder = "/".join(trail)
                    continue
                labels = _lang_texts(child, "label")
                label = next(iter(labels.values()), "")
                walk(child, trail + (label,))

        walk(organizations, ())
    return model


# ---------------------------------------------------------------------------------------------
# Archi CSV export


def csv_siblings(path: Path | str) -> tuple[Path, Path, Path]:
    """The elements, relations and properties files of an Archi CSV export.

    `path` may be any one of the three files, their common prefix (with or without a trailing
    '-' or '_'), or a folder holding exactly one export.
    """
    p = Path(path)
    prefix: str | None = None
    if p.is_dir():
        found = sorted(p.glob("*elements.csv"))
        if len(found) != 1:
            raise ArchimateImportError(
                f"expected exactly one '*elements.csv' in the folder, found {len(found)}", path=p,
                hint="give one of the three CSV files or their common prefix instead",
            )
        prefix = str(found[0])[: -len("elements.csv")]
    else:
        for suffix in CSV_SUFFIXES:
            if p.name.endswith(suffix):
                prefix = str(p)[: -len(suffix)]
                break
        if prefix is None:
            for candidate in (str(p), str(p) + "-", str(p) + "_"):
                if Path(candidate + "elements.csv").exists():
                    prefix = candidate
                    break
    if prefix is None:
        raise ArchimateImportError(
            "not an ArchiMate exchange file (.xml) nor Archi CSV export (<prefix>elements.csv, "
            "<prefix>relations.csv, <prefix>properties.csv)", path=p,
            hint="give the .xml file, one of the three CSV files, or their common prefix",
        )
    files = tuple(Path(prefix + suffix) for suffix in CSV_SUFFIXES)
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise ArchimateImportError(
            "missing file(s) of the Archi CSV export: " + ", ".join(str(f) for f in missing),
            path=p,
            hint="Archi's 'Export model to CSV' writes elements, relations and properties files "
            "with a common prefix; keep the three together",
        )
    return files  # type: ignore[return-value]


def _read_csv(path: Path, kind: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of one CSV file with the line each starts on; strict, so malformed quoting fails."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ArchimateImportError(
            "the file is not UTF-8", path=path, line=line,
            hint="export again with UTF-8 encoding (Archi's CSV export default)",
        ) from None
    except OSError as exc:
        raise ArchimateImportError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            if header is None:
                header = [h.strip() for h in record]
                missing = [c for c in _CSV_REQUIRED[kind] if c not in header]
                if missing:
                    raise ArchimateImportError(
                        f"missing column(s) {', '.join(missing)} in the header {header!r}",
                        path=path, line=1,
                        hint=f"an Archi {kind} export starts with the columns "
                        + ", ".join(_CSV_REQUIRED[kind]),
                    )
                start = reader.line_num + 1
                continue
            if not record or record == [""]:
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                raise ArchimateImportError(
                    f"expected {len(header)} fields, found {len(record)}", path=path, line=start,
                    hint="check the quoting of this row (fields with commas, quotes or line breaks "
                    "must be quoted, quotes doubled)",
                )
            rows.append((start, dict(zip(header, record))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ArchimateImportError(
            f"malformed CSV: {exc}", path=path, line=start,
            hint="check the quoting from this line on (an unclosed quote swallows the rest)",
        ) from None
    if header is None:
        raise ArchimateImportError("the file is empty", path=path, line=1,
                                   hint="export the model again from Archi")
    return rows


def read_archi_csv(path: Path | str) -> ArchiModel:
    """Read Archi's CSV export (elements, relations, properties) given any file or the prefix."""
    elements_file, relations_file, properties_file = csv_siblings(path)
    model = ArchiModel(path=elements_file, format="csv")
    for line, row in _read_csv(elements_file, "elements.csv"):
        kind = (row.get("Type") or "").strip()
        if kind == "ArchimateModel":
            model.name = row.get("Name", "")
            continue
        if not row["ID"].strip():
            raise ArchimateImportError("element without ID", path=elements_file, line=line,
                                       hint="every row needs the Archi id in the ID column")
        el = ArchiElement(
            id=row["ID"].strip(),
            type=kind,
            names={None: row["Name"]} if row.get("Name", "").strip() else {},
            docs={None: row["Documentation"]} if (row.get("Documentation") or "").strip() else {},
            folder=(row.get("Folder") or "").strip().strip("/"),
            specialization=(row.get("Specialization") or "").strip(),
        )
        model.elements[el.id] = el
        if "Folder" in row:
            model.has_folders = True
    for line, row in _read_csv(relations_file, "relations.csv"):
        rel = ArchiRelation(
            id=row["ID"].strip(),
            type=normalise_type(row["Type"]),
            names={None: row["Name"]} if (row.get("Name") or "").strip() else {},
            docs={None: row["Documentation"]} if (row.get("Documentation") or "").strip() else {},
            specialization=(row.get("Specialization") or "").strip(),
            source=row["Source"].strip(),
            target=row["Target"].strip(),
        )
        if not rel.id or not rel.source or not rel.target:
            raise ArchimateImportError("relation without ID, Source or Target",
                                       path=relations_file, line=line,
                                       hint="every relation row needs ID, Source and Target")
        model.relations[rel.id] = rel
    for _line, row in _read_csv(properties_file, "properties.csv"):
        owner = model.elements.get(row["ID"].strip()) or model.relations.get(row["ID"].strip())
        key = row["Key"].strip()
        if owner is None or not key:
            continue  # properties of the model itself, or of diagrams
        if row["Value"].strip():
            owner.properties.append(ArchiProperty(key, row["Value"].strip()))
    return model
