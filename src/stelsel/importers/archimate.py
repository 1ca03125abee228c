"""Import ArchiMate models into stelsel RDF.

Reads the Open Group Model Exchange File Format (XML) or Archi's CSV export (see
`archimate_model`) and maps it to the stelsel vocabulary with tables built from the ontology's
annotations (see `archimate_mapping`): no ArchiMate type is named in this module.

    result = import_archimate("NORA.xml", "https://w3id.org/stelsel/id/nora")
    result.graph           # rdflib Graph
    result.class_counts    # Counter: class IRI -> elements
    result.relation_counts # Counter: property IRI -> triples
    result.warnings        # sentences, e.g. relations whose other end was filtered out
    write_graph(result, "out.trig", graph_iri="https://w3id.org/stelsel/graph/nora")

Elements: `<iri> a <class>; skos:prefLabel; skos:notation; stelsel:inArchitectuur;
stelsel:bronId; prov:wasDerivedFrom`, `skos:definition` from the documentation, one triple per
ArchiMate property (predicate minted from the key under `ARCHIMATE_PROPERTY`), `stelsel:status`
from a status folder, and `stelsel:archimateType` only when no class more specific than
`stelsel:Element` fits. Relationships become plain triples with the mapped property.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.util import guess_format

from ..iris import element_iri, slug
from ..vocab import PREFIXES, STELSEL
from .archimate_mapping import ArchimateMapping, default_ontology_path, load_ontology_graph
from .archimate_model import (
    ArchiElement,
    ArchimateImportError,
    ArchiModel,
    ArchiRelation,
    csv_siblings,
    is_junction,
    normalise_type,
    read_archi_csv,
    read_exchange_xml,
    read_model,
)

__all__ = [
    "ARCHIMATE_PROPERTY",
    "DEFAULT_NOTATION_PATTERN",
    "STATUS_FOLDERS",
    "ArchimateImportError",
    "ArchimateMapping",
    "ArchiModel",
    "ImportResult",
    "convert_model",
    "csv_siblings",
    "default_ontology_path",
    "import_archimate",
    "load_mapping",
    "parse_name",
    "read_archi_csv",
    "read_exchange_xml",
    "read_model",
    "write_graph",
]

ARCHIMATE_PROPERTY = Namespace("https://w3id.org/stelsel/def/archimate-property#")

#: A leading identifier token: capitals (NAP01, KD03, IMP001, BK12, GAP07.01) or one capitalised
#: word (Laag1) directly followed by digits, then the name. A bare token ("Leraar24", "BBN1") is a
#: name, not a notation.
DEFAULT_NOTATION_PATTERN = r"^((?:[A-Z]{1,4}|[A-Z][a-z]{2,5})\d{1,3}(?:\.\d+)?)\s+(\S.*)$"

#: The status folders of ROSA's revision (ACTUEEL / TODO / VERVALLEN).
STATUS_FOLDERS: dict[str, URIRef] = {
    "ACTUEEL": STELSEL.Actueel,
    "TODO": STELSEL.InOntwikkeling,
    "VERVALLEN": STELSEL.Vervallen,
}


_MAPPINGS: dict[tuple[str, float], ArchimateMapping] = {}


def load_mapping(ontology: Path | str | Graph | None = None) -> ArchimateMapping:
    """The mapping tables of an ontology (file, folder or Graph; default: the repo's ontology).

    Files are cached by path and modification time."""
    if isinstance(ontology, Graph):
        return ArchimateMapping.from_graph(ontology)
    p = Path(ontology) if ontology is not None else default_ontology_path()
    if p.is_dir() and (p / "stelsel.ttl").is_file():
        p = p / "stelsel.ttl"
    try:
        key = (str(p.resolve()), p.stat().st_mtime)
    except OSError:
        key = None
    if key is not None and key in _MAPPINGS:
        return _MAPPINGS[key]
    mapping = ArchimateMapping.from_graph(load_ontology_graph(p))
    if key is not None:
        _MAPPINGS[key] = mapping
    return mapping


@dataclass
class ImportResult:
    """What an import produced, and what it had to leave out (in `warnings`)."""

    graph: Graph
    class_counts: Counter = field(default_factory=Counter)  # class IRI -> number of elements
    relation_counts: Counter = field(default_factory=Counter)  # property IRI -> triples
    warnings: list[str] = field(default_factory=list)
    iris: dict[str, URIRef] = field(default_factory=dict)  # archi id -> element IRI
    excluded: dict[str, str] = field(default_factory=dict)  # archi id -> why it was left out
    source: Path | None = None


def _clean(text: str) -> str:
    """Names: non-breaking spaces to spaces, runs of white space to one space, trimmed."""
    return " ".join(text.replace("\u00a0", " ").split())


def parse_name(name: str, pattern: str | re.Pattern[str] = DEFAULT_NOTATION_PATTERN
               ) -> tuple[str | None, str]:
    """'NAP01 Vindbaar' -> ('NAP01', 'Vindbaar'); 'Vindbaar' -> (None, 'Vindbaar')."""
    name = _clean(name)
    m = re.match(pattern, name) if isinstance(pattern, str) else pattern.match(name)
    if not m:
        return None, name
    rest = m.group(2) if (m.lastindex or 0) >= 2 else None
    return m.group(1), _clean(rest) if rest else name


def _folder_matches(folder: str, prefix: str) -> bool:
    prefix = prefix.strip("/")
    return folder == prefix or folder.startswith(prefix + "/")


def _prefix_for(el: ArchiElement, notation_prefix: Mapping[str, str]) -> str:
    """The prefix for a property-borne notation: key 'Type[Key=Value]' before 'Type'."""
    etype = normalise_type(el.type)
    for key, prefix in notation_prefix.items():
        m = re.fullmatch(r"\s*(\w+)\s*\[\s*([^=\]]+?)\s*=\s*([^\]]*?)\s*\]\s*", key)
        if m and m.group(1) == etype and m.group(3) in el.property_values(m.group(2)):
            return prefix
    return notation_prefix.get(etype, "")


def _describe(el: ArchiElement, lang: str) -> str:
    name = _clean(el.name(lang))
    return f"{el.type} {el.id} '{name}'" if name else f"{el.type} {el.id} (no name)"


def import_archimate(
    source: Path | str,
    architecture_iri: str,
    *,
    ontology: Path | str | Graph | None = None,
    mapping: ArchimateMapping | None = None,
    source_iri: str | None = None,
    lang: str = "nl",
    facts_only: bool = False,
    max_text_length: int = 80,
    include_folders: Iterable[str] | None = None,
    exclude_folders: Iterable[str] = (),
    exclude_name_prefix: str | None = "#",
    exclude_names: Iterable[str] = (),
    status_from_folder: Mapping[str, str | URIRef] | None = None,
    notation_properties: Iterable[str] = ("ID",),
    notation_prefix: Mapping[str, str] | None = None,
    notation_pattern: str | re.Pattern[str] = DEFAULT_NOTATION_PATTERN,
    class_property: str | None = None,
    use_specialization: bool = True,
    local_names: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import an ArchiMate model (exchange XML, or Archi CSV by any file or the prefix).

    - `architecture_iri`: the architecture the elements belong to (`stelsel:inArchitectuur`,
      and the base of their IRIs).
    - `ontology` / `mapping`: where the mapping tables come from (default: the repo's ontology).
    - `source_iri`: object of `prov:wasDerivedFrom` (default: the file's URI).
    - `lang`: language of untagged names and documentation (CSV has no language tags).
    - `facts_only`: drop texts longer than `max_text_length` characters (documentation and
      property values) and the names/documentation of relationships: for bundled data that must
      not copy long source texts.
    - `include_folders`: keep only elements in these folder paths or below ("Motivation/DERA 4.0").
    - `exclude_folders`: leave out elements in these folders: an entry with a '/' is a path prefix,
      one without matches any folder name on the path ("#Metamodel").
    - `exclude_name_prefix`, `exclude_names`: leave out elements by name (metamodel placeholders).
    - `status_from_folder`: folder name -> status IRI (see `STATUS_FOLDERS`); the deepest wins.
    - `notation_properties`: property keys that carry a notation when the name has none;
      `notation_prefix`: ArchiMate type -> prefix for such notations ({"Principle": "P"}: ID 1 ->
      P1); a key "Goal[Type=Operationeel doel]" applies to elements with that property value.
    - `notation_pattern`: the regular expression splitting a name into notation and label.
    - `class_property`, `use_specialization`: a property value / the Archi specialization that
      names a stelsel class ("Basisprincipe") when no notatiePatroon decides.
    - `local_names`: the last IRI segment for given notations or archi ids, instead of the
      notation or slug ({"Laag1": "laag-1"}); collisions are still resolved as usual.
    """
    model = read_model(source)
    return convert_model(
        model, architecture_iri, ontology=ontology, mapping=mapping, source_iri=source_iri,
        lang=lang, facts_only=facts_only, max_text_length=max_text_length,
        include_folders=include_folders, exclude_folders=exclude_folders,
        exclude_name_prefix=exclude_name_prefix, exclude_names=exclude_names,
        status_from_folder=status_from_folder, notation_properties=notation_properties,
        notation_prefix=notation_prefix, notation_pattern=notation_pattern,
        class_property=class_property, use_specialization=use_specialization,
        local_names=local_names,
    )


@dataclass
class _Planned:
    el: ArchiElement
    cls: URIRef
    notation: str | None
    labels: dict[str, str]
    local: str = ""


def convert_model(
    model: ArchiModel,
    architecture_iri: str,
    *,
    ontology: Path | str | Graph | None = None,
    mapping: ArchimateMapping | None = None,
    source_iri: str | None = None,
    lang: str = "nl",
    facts_only: bool = False,
    max_text_length: int = 80,
    include_folders: Iterable[str] | None = None,
    exclude_folders: Iterable[str] = (),
    exclude_name_prefix: str | None = "#",
    exclude_names: Iterable[str] = (),
    status_from_folder: Mapping[str, str | URIRef] | None = None,
    notation_properties: Iterable[str] = ("ID",),
    notation_prefix: Mapping[str, str] | None = None,
    notation_pattern: str | re.Pattern[str] = DEFAULT_NOTATION_PATTERN,
    class_property: str | None = None,
    use_specialization: bool = True,
    local_names: Mapping[str, str] | None = None,
) -> ImportResult:
    """Map an already read `ArchiModel` to RDF; the options are those of `import_archimate`."""
    m = mapping if mapping is not None else load_mapping(ontology)
    pattern = re.compile(notation_pattern) if isinstance(notation_pattern, str) else notation_pattern
    arch = URIRef(architecture_iri)
    derived = URIRef(source_iri) if source_iri else URIRef(model.path.resolve().as_uri())
    includes = [f.strip("/") for f in include_folders] if include_folders is not None else None
    excludes = [f.strip("/") for f in exclude_folders]
    names_out = {_clean(n) for n in exclude_names}
    statuses = {k.casefold(): URIRef(v) for k, v in (status_from_folder or {}).items()}
    note_keys = list(notation_properties)
    prefixes = dict(notation_prefix or {})
    overrides = dict(local_names or {})
    if includes is not None and not model.has_folders:
        raise ArchimateImportError(
            "include_folders was given, but the model carries no folders", path=model.path,
            hint="use an exchange file with <organizations>, or CSV with a Folder column; or "
            "drop include_folders",
        )

    result = ImportResult(graph=Graph(), source=model.path)
    g = result.graph
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("ap", ARCHIMATE_PROPERTY)

    def too_long(text: str) -> bool:
        return facts_only and len(text) > max_text_length

    # -- choose the elements, their notation, label and class ----------------------------
    planned: dict[str, _Planned] = {}
    for el in sorted(model.elements.values(), key=lambda e: e.id):
        name = _clean(el.name(lang))
        reason = None
        if is_junction(el.type):
            reason = "it is a junction"
        elif not name:
            reason = "it has no name"
        elif exclude_name_prefix and name.startswith(exclude_name_prefix):
            reason = f"its name starts with '{exclude_name_prefix}' (metamodel)"
        elif name in names_out:
            reason = "its name is in exclude_names"
        elif includes is not None and not any(_folder_matches(el.folder, f) for f in includes):
            reason = f"its folder '{el.folder}' is not in include_folders"
        elif any(_folder_matches(el.folder, f) if "/" in f else f in el.folder.split("/")
                 for f in excludes):
            reason = f"its folder '{el.folder}' is in exclude_folders"
        if reason:
            result.excluded[el.id] = reason
            if not name and not is_junction(el.type):
                result.warnings.append(f"{_describe(el, lang)} was not imported: {reason}.")
            continue
        notation, label = parse_name(name, pattern)
        primary = lang if lang in el.names else (None if None in el.names else next(iter(el.names)))
        labels: dict[str, str] = {}
        for tag, text in el.names.items():
            other = _clean(text)
            if notation and other.startswith(notation + " "):
                other = _clean(other[len(notation):])
            if tag is not None and tag != primary:
                labels[tag] = other
        labels[primary or lang] = label
        if notation is None:
            for key in note_keys:
                values = [v.strip() for v in el.property_values(key) if v.strip()]
                if values:
                    prefix = _prefix_for(el, prefixes)
                    notation = values[0] if values[0].startswith(prefix) else prefix + values[0]
                    break
        hints: list[str] = []
        if use_specialization and el.specialization:
            hints.append(el.specialization)
        if class_property:
            hints.extend(el.property_values(class_property))
        cls = m.element_class(el.type, notation, tuple(hints))
        planned[el.id] = _Planned(el, cls, notation, labels)

    # -- IRIs, deterministic: in order of archi id, the first keeps the plain local name ----
    taken: dict[str, str] = {}
    for el_id in sorted(planned):
        p = planned[el_id]
        notation_local = p.notation
        if notation_local and not re.fullmatch(r"[A-Za-z0-9._~-]+", notation_local):
            notation_local = slug(notation_local)  # "FR 12" -> "fr-12": IRIs have no spaces
        base = (overrides.get(el_id) or (overrides.get(p.notation) if p.notation else None)
                or notation_local or slug(p.labels.get(lang) or next(iter(p.labels.values()))))
        cls_slug = slug(re.split(r"[#/]", str(p.cls))[-1])
        short = el_id.removeprefix("id-")[:8]
        for local in (base, f"{base}-{cls_slug}", f"{base}-{cls_slug}-{short}",
                      f"{base}-{cls_slug}-{slug(el_id)}"):
            if local not in taken:
                break
        if local != base and p.notation:
            other = planned[taken[base]].el
            result.warnings.append(
                f"{_describe(p.el, lang)} has the notation {p.notation} that "
                f"{_describe(other, lang)} already has; its IRI ends in '{local}'.")
        taken[local] = el_id
        p.local = local
        result.iris[el_id] = URIRef(element_iri(str(arch), local))

    # -- element triples ---------------------------------------------------------------------
    declared_props: set[URIRef] = set()
    for el_id in sorted(planned):
        p, el = planned[el_id], planned[el_id].el
        s = result.iris[el_id]
        g.add((s, RDF.type, p.cls))
        result.class_counts[p.cls] += 1
        for tag, text in sorted(p.labels.items()):
            g.add((s, SKOS.prefLabel, Literal(text, lang=tag)))
        if p.notation:
            g.add((s, SKOS.notation, Literal(p.notation)))
        g.add((s, STELSEL.inArchitectuur, arch))
        g.add((s, STELSEL.bronId, Literal(el.id)))
        g.add((s, PROV.wasDerivedFrom, derived))
        if p.cls == STELSEL.Element:
            g.add((s, STELSEL.archimateType, m.archimate_type_term(normalise_type(el.type))))
        if statuses:
            for segment in reversed(el.folder.split("/")):
                if segment.casefold() in statuses:
                    g.add((s, STELSEL.status, statuses[segment.casefold()]))
                    break
        for tag, text in el.docs.items():
            text = text.strip()
            if text and not too_long(text):
                g.add((s, SKOS.definition, Literal(text, lang=tag or lang)))
        _add_properties(g, s, el, too_long, declared_props)

    # -- relationships -------------------------------------------------------------------------
    for rel in sorted(model.relations.values(), key=lambda r: r.id):
        ends = (rel.source, rel.target)
        kept = [e in result.iris for e in ends]
        if not all(kept):
            if any(kept):
                result.warnings.append(_dropped_relation(model, rel, result, lang))
            continue
        src, tgt = planned[rel.source], planned[rel.target]
        chosen = m.relation_property(rel.type, src.cls, tgt.cls)
        if chosen is None:
            result.warnings.append(
                f"{rel.type} relationship {rel.id} from {_describe(src.el, lang)} to "
                f"{_describe(tgt.el, lang)} was not imported: the ontology maps no property "
                f"to ArchiMate {rel.type}.")
            continue
        prop, inverse = chosen
        s, o = result.iris[rel.source], result.iris[rel.target]
        if inverse:
            s, o = o, s
        triple = (s, prop, o)
        if triple not in g:
            result.relation_counts[prop] += 1
        g.add(triple)
        if not facts_only and (rel.names or rel.docs or rel.properties):
            stmt = URIRef(f"{str(arch).rstrip('/')}/relatie/{slug(rel.id)}")
            g.add((stmt, RDF.type, RDF.Statement))
            g.add((stmt, RDF.subject, s))
            g.add((stmt, RDF.predicate, prop))
            g.add((stmt, RDF.object, o))
            g.add((stmt, STELSEL.bronId, Literal(rel.id)))
            for tag, text in rel.names.items():
                g.add((stmt, RDFS.label, Literal(_clean(text), lang=tag or lang)))
            for tag, text in rel.docs.items():
                g.add((stmt, SKOS.definition, Literal(text.strip(), lang=tag or lang)))
            _add_properties(g, stmt, rel, too_long, declared_props)
    return result


def _add_properties(g: Graph, s: URIRef, el: ArchiElement, too_long, declared: set[URIRef]) -> None:
    for prop in el.properties:
        if too_long(prop.value):
            continue
        pred = ARCHIMATE_PROPERTY[slug(prop.key)]
        if pred not in declared:
            declared.add(pred)
            g.add((pred, RDFS.label, Literal(prop.key)))
        g.add((s, pred, Literal(prop.value, lang=prop.lang) if prop.lang else Literal(prop.value)))


def _dropped_relation(model: ArchiModel, rel: ArchiRelation, result: ImportResult,
                      lang: str) -> str:
    def end(ident: str) -> tuple[str, str | None]:
        el = model.elements.get(ident)
        if el is not None:
            return _describe(el, lang), result.excluded.get(ident)
        if ident in model.relations:
            return f"relationship {ident}", "it is a relationship (relations on relations are not imported)"
        return f"{ident}", "no element has this id"

    (src, src_why), (tgt, tgt_why) = end(rel.source), end(rel.target)
    which, why = ("source", src_why) if rel.source not in result.iris else ("target", tgt_why)
    return (f"{rel.type} relationship {rel.id} from {src} to {tgt} was not imported: its "
            f"{which} was left out because {why or 'it was not imported'}.")


def write_graph(result: ImportResult | Graph, path: Path | str, *, graph_iri: str | None = None,
                format: str | None = None) -> Path:
    """Write Turtle (.ttl) or TriG (.trig, into the named graph `graph_iri`)."""
    g = result.graph if isinstance(result, ImportResult) else result
    p = Path(path)
    fmt = format or guess_format(str(p)) or "turtle"
    if fmt == "trig":
        if not graph_iri:
            raise ArchimateImportError("TriG needs a graph IRI", path=p,
                                       hint="pass graph_iri=..., e.g. https://w3id.org/stelsel/graph/nora")
        ds = Dataset()
        for prefix, ns in g.namespaces():
            ds.bind(prefix, ns)
        named = ds.graph(URIRef(graph_iri))
        for triple in g:
            named.add(triple)
        with warnings.catch_warnings():  # rdflib's TriG writer uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.serialize(destination=p, format="trig")
    else:
        g.serialize(destination=p, format=fmt)
    return p
