"""What changed between two versions of an architecture, and which alignments it touches.

:func:`diff` compares the elements of two architectures in a store (usually two versions, such as
NORA 2023 and NORA as GEMMA holds it in 2026, or ROSA 2022 and 2024):

- elements the older version had already withdrawn (status Vervallen) are left out, and an older
  element the newer version still links to (such as a shared layer) does not count as removed;
- elements are paired when the newer one is ``prov:wasRevisionOf`` the older one, else when they
  share a ``skos:notation``, else when they share a ``stelsel:bronId`` (the id in the source model);
- **added** / **removed**: elements without a partner;
- **renamed**: partners whose Dutch label differs (spaces normalised);
- **retyped**: partners whose stelsel class differs;
- **relinked**: partners linked to other elements than before (any relation kind), compared through
  the pairing (a link from IMP001 to NAP10 in both versions is the same link);
- **alignments**: every alignment or deviation, in any set, whose target is an older element that
  was removed, renamed, retyped or relinked - what a new release may break.

The result is data (:class:`Diff`); :func:`render_text`, :func:`render_json` and
:func:`render_csv` format it. No Flask, no click.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from .errors import InputError
from .vocab import ID, PROV, SKOS, STELSEL

__all__ = ["Diff", "Change", "diff", "resolve_architecture", "render_text", "render_json", "render_csv",
           "FORMATS"]

_S = str(STELSEL)
#: the relations between elements that count as links (the ArchiMate relationships and their kin)
LINKS = ("realiseert", "beinvloedt", "draagtBijAan", "isAfgeleidVan", "hoortBijLaag", "aggregeert",
         "bestaatUit", "bedient", "wijstToe", "heeftToegangTot", "triggert", "stroomtNaar", "specialiseert",
         "isGerelateerdAan")


@dataclass(frozen=True)
class Element:
    iri: str
    label: str
    notation: str | None
    kind: str


@dataclass
class Change:
    kind: str                    # added | removed | renamed | retyped | relinked
    old: Element | None
    new: Element | None
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        def el(e: Element | None):
            return None if e is None else {"iri": e.iri, "notation": e.notation, "label": e.label,
                                            "kind": e.kind}
        return {"change": self.kind, "old": el(self.old), "new": el(self.new), **self.detail}


@dataclass
class Diff:
    old: str
    new: str
    changes: list[Change]
    alignments: list[dict]        # {alignment, from, relation, to, set, changes: [...]}

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("added", "removed", "renamed", "retyped", "relinked")}
        for c in self.changes:
            out[c.kind] += 1
        return out

    def as_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "counts": self.counts(),
                "changes": [c.as_dict() for c in self.changes], "alignments": self.alignments}


# -- reading the store ------------------------------------------------------------------------------

def _rows(store, sparql: str) -> list[dict]:
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def resolve_architecture(store, ref: str) -> str:
    """An architecture IRI from an IRI or a short form (``nora``, ``nora/2026``, ``rosa/2022``)."""
    iri = ref if ref.startswith(("http://", "https://")) else str(ID) + ref.strip("/")
    if not _rows(store, f"SELECT ?x WHERE {{ BIND(<{iri}> AS ?x) <{iri}> a <{_S}Architectuur> }}"):
        known = sorted(r["a"][len(str(ID)):] for r in _rows(store, f"SELECT ?a WHERE {{ ?a a <{_S}Architectuur> }}")
                       if r["a"].startswith(str(ID)))
        raise InputError(f"{ref!r} is not an architecture in the store",
                         hint="use one of: " + ", ".join(known))
    return iri


def _elements(store, arch: str) -> dict[str, Element]:
    rows = _rows(store, f"""
        SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?notation) (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?kinds)
        WHERE {{ ?e <{_S}inArchitectuur> <{arch}> ; a ?c .
                 FILTER(STRSTARTS(STR(?c), "{_S}"))
                 OPTIONAL {{ ?e <{SKOS.prefLabel}> ?l FILTER(LANG(?l) = "nl") }}
                 OPTIONAL {{ ?e <{SKOS.notation}> ?n }} }}
        GROUP BY ?e""")
    return {r["e"]: Element(r["e"], " ".join((r["label"] or "").split()), r["notation"],
                            " ".join(sorted(k.rsplit("#", 1)[-1] for k in r["kinds"].split())))
            for r in rows}


def _one(store, sparql: str, key: str = "v") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in _rows(store, sparql):
        out.setdefault(r["e"], set()).add(r[key])
    return out


def _links(store, arch: str) -> dict[str, set[tuple[str, str]]]:
    values = " ".join(f"<{_S}{p}>" for p in LINKS)
    out: dict[str, set[tuple[str, str]]] = {}
    for r in _rows(store, f"""SELECT ?e ?p ?t WHERE {{ ?e <{_S}inArchitectuur> <{arch}> ; ?p ?t .
                                 FILTER (?p IN ({values.replace(" ", ", ")})) }}"""):
        out.setdefault(r["e"], set()).add((r["p"].rsplit("#", 1)[-1], r["t"]))
    return out


def _pair(store, old: dict[str, Element], new: dict[str, Element], old_arch: str,
          new_arch: str) -> dict[str, str]:
    """new IRI -> old IRI."""
    pairs: dict[str, str] = {}
    revised = _rows(store, f"""SELECT ?n ?o WHERE {{ ?n <{_S}inArchitectuur> <{new_arch}> ;
                                  <{PROV.wasRevisionOf}> ?o . ?o <{_S}inArchitectuur> <{old_arch}> }}""")
    for r in revised:
        pairs.setdefault(r["n"], r["o"])
    taken = set(pairs.values())
    by_notation = {e.notation: i for i, e in old.items() if e.notation}
    bron_old = _one(store, f"SELECT ?e ?v WHERE {{ ?e <{_S}inArchitectuur> <{old_arch}> ; <{_S}bronId> ?v }}")
    by_bron = {v: e for e, vs in bron_old.items() for v in vs}
    bron_new = _one(store, f"SELECT ?e ?v WHERE {{ ?e <{_S}inArchitectuur> <{new_arch}> ; <{_S}bronId> ?v }}")
    for iri, e in sorted(new.items()):
        if iri in pairs:
            continue
        match = by_notation.get(e.notation) if e.notation else None
        if match is None:
            match = next((by_bron[v] for v in sorted(bron_new.get(iri, ())) if v in by_bron), None)
        if match is not None and match not in taken:
            pairs[iri] = match
            taken.add(match)
    return pairs


# -- comparing ---------------------------------------------------------------------------------------

def diff(store, old_ref: str, new_ref: str) -> Diff:
    old_arch, new_arch = resolve_architecture(store, old_ref), resolve_architecture(store, new_ref)
    if old_arch == new_arch:
        raise InputError("compare two different architectures (or versions)",
                         hint="for example: stelsel diff nora nora/2026")
    old, new = _elements(store, old_arch), _elements(store, new_arch)
    # what the older version had already withdrawn is not a change of the newer one
    withdrawn = {r["e"] for r in _rows(store, f"""SELECT ?e WHERE {{ ?e <{_S}inArchitectuur> <{old_arch}> ;
                                                  <{_S}status> <{_S}Vervallen> }}""")}
    old = {i: e for i, e in old.items() if i not in withdrawn}
    pairs = _pair(store, old, new, old_arch, new_arch)
    back = {o: n for n, o in pairs.items()}
    changes: list[Change] = []
    for iri in sorted(set(new) - set(pairs), key=lambda i: (new[i].notation or "", new[i].label)):
        changes.append(Change("added", None, new[iri]))
    old_links, new_links = _links(store, old_arch), _links(store, new_arch)
    # an older element the newer version still links to (a shared layer, say) is not removed
    still_used = {t for links in new_links.values() for _, t in links}
    for iri in sorted(set(old) - set(back) - still_used, key=lambda i: (old[i].notation or "", old[i].label)):
        changes.append(Change("removed", old[iri], None))

    def label(iri: str, side: dict[str, Element]) -> str:
        e = side.get(iri)
        return (e.notation or e.label) if e else iri
    touched: dict[str, list[str]] = {}
    for n, o in sorted(pairs.items(), key=lambda p: (old[p[1]].notation or "", old[p[1]].label)):
        eo, en = old[o], new[n]
        if eo.label != en.label:
            changes.append(Change("renamed", eo, en, {"old_label": eo.label, "new_label": en.label}))
            touched.setdefault(o, []).append("renamed")
        if eo.kind != en.kind:
            changes.append(Change("retyped", eo, en, {"old_kind": eo.kind, "new_kind": en.kind}))
            touched.setdefault(o, []).append("retyped")
        # the elements each links to, expressed in the old version's terms; the kind of relation
        # does not count (GEMMA draws as an influence what the NORA working model draws as an
        # association), only whether the two elements are linked
        then = {t for _, t in old_links.get(o, set())}
        now = {pairs.get(t, t) for _, t in new_links.get(n, set())}
        if then != now:
            gone = sorted(label(t, old) for t in then - now)
            came = sorted(label(t, old) if t in old else label(t, new) for t in now - then)
            changes.append(Change("relinked", eo, en, {"links_removed": gone, "links_added": came}))
            touched.setdefault(o, []).append("relinked")
    for c in changes:
        if c.kind == "removed":
            touched.setdefault(c.old.iri, []).append("removed")
    alignments = []
    if touched:
        rows = _rows(store, f"""SELECT ?a ?van ?rel ?naar ?set WHERE {{
            ?a a <{_S}Aansluiting> ; <{_S}vanElement> ?van ; <{_S}relatie> ?rel ; <{_S}naarElement> ?naar .
            ?naar <{_S}inArchitectuur> <{old_arch}> .
            OPTIONAL {{ ?a <{_S}inSet> ?set }} }}""")
        for r in sorted(rows, key=lambda r: (r["naar"], r["van"])):
            if r["naar"] in touched:
                alignments.append({"alignment": r["a"], "from": r["van"], "relation": r["rel"], "to": r["naar"],
                                   "to_label": label(r["naar"], old), "set": r["set"],
                                   "changes": sorted(set(touched[r["naar"]]))})
    order = {"added": 0, "removed": 1, "renamed": 2, "retyped": 3, "relinked": 4}
    changes.sort(key=lambda c: order[c.kind])
    return Diff(old_arch, new_arch, changes, alignments)


# -- formats -----------------------------------------------------------------------------------------

def _name(e: Element | None) -> str:
    if e is None:
        return ""
    return f"{e.notation} {e.label}" if e.notation else e.label


def render_text(d: Diff) -> str:
    counts = d.counts()
    reasons: dict[str, int] = {}
    for a in d.alignments:
        for r in a["changes"]:
            reasons[r] = reasons.get(r, 0) + 1
    why = ", ".join(f"{n} to a {k} element" for k, n in sorted(reasons.items()))
    out = [f"{d.old} -> {d.new}",
           "  " + ", ".join(f"{n} {k}" for k, n in counts.items()),
           f"  {len(d.alignments)} alignment(s) point at a changed element" + (f" ({why})" if why else ""), ""]
    for c in d.changes:
        if c.kind == "added":
            out.append(f"+ added     {_name(c.new)}  [{c.new.kind}]")
        elif c.kind == "removed":
            out.append(f"- removed   {_name(c.old)}  [{c.old.kind}]")
        elif c.kind == "renamed":
            out.append(f"~ renamed   {c.old.notation or ''} {c.detail['old_label']!r} -> {c.detail['new_label']!r}")
        elif c.kind == "retyped":
            out.append(f"~ retyped   {_name(c.old)}: {c.detail['old_kind']} -> {c.detail['new_kind']}")
        else:
            parts = [f"-{x}" for x in c.detail["links_removed"]] + [f"+{x}" for x in c.detail["links_added"]]
            out.append(f"~ relinked  {_name(c.old)}: " + "; ".join(parts))
    if d.alignments:
        out += ["", "alignments pointing at a changed element:"]
        for a in d.alignments:
            out.append(f"  {a['from']} {a['relation'].rsplit('#', 1)[-1].rsplit('/', 1)[-1]} {a['to_label']}"
                       f" ({', '.join(a['changes'])})  {a['alignment']}")
    return "\n".join(out) + "\n"


def render_json(d: Diff) -> str:
    return json.dumps(d.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render_csv(d: Diff) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["change", "old_iri", "old_notation", "old_label", "new_iri", "new_notation", "new_label", "detail"])
    for c in d.changes:
        detail = {k: v for k, v in c.detail.items()}
        w.writerow([c.kind, c.old.iri if c.old else "", (c.old.notation or "") if c.old else "",
                    c.old.label if c.old else "", c.new.iri if c.new else "",
                    (c.new.notation or "") if c.new else "", c.new.label if c.new else "",
                    json.dumps(detail, ensure_ascii=False) if detail else ""])
    for a in d.alignments:
        w.writerow(["alignment", a["to"], "", a["to_label"], a["from"], "", "",
                    json.dumps({"alignment": a["alignment"], "relation": a["relation"], "changes": a["changes"]},
                               ensure_ascii=False)])
    return buf.getvalue()


FORMATS = {"text": render_text, "json": render_json, "csv": render_csv}
