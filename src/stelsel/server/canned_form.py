"""Canned queries as forms: choices with names for IRI parameters, checkboxes for booleans,
result cells named by notation and label, and a column choice for wide answers.

``parameter_fields(browse, parameters, lang)`` turns the catalogue's parameters into form fields: an
IRI parameter whose default is an architecture becomes a choice of architectures; one whose default
is an element becomes a choice of the elements of the same kind, grouped by architecture; a boolean a
checkbox. ``result_refs(browse, result)`` names the IRIs of an answer. ``columns(result, asked)``
picks the columns to show (all up to ``MAX_COLUMNS``, else the first ones, unless the visitor chose).
"""

from __future__ import annotations

from .browse_model import S, Browse, natural
from .i18n import pick

MAX_COLUMNS = 6
BOOLEAN_FORM_MARK = "_formulier"  # sent by the form, so an unticked box means false, not "the default"


def _element_choices(browse: Browse, kind: str, lang: str) -> list[dict]:
    rows = browse.select(f"""SELECT ?e ?a WHERE {{ ?e a <{kind}> ; stelsel:inArchitectuur ?a }}""")
    refs = browse.brief({r["e"] for r in rows})
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r["a"], []).append(r["e"])
    out = []
    for arch_iri, members in groups.items():
        arch = browse.arch_ref(arch_iri)
        options = []
        for e in sorted(set(members), key=lambda i: natural(refs[i].get("notation") or pick(refs[i]["label"], lang))):
            ref = refs[e]
            label = pick(ref["label"], lang)
            code = ref.get("notation")
            options.append({"value": e, "label": f"{code} {label}" if code and code != label else label,
                            "withdrawn": ref.get("status") == "vervallen"})
        out.append({"group": pick(arch["label"], lang) if arch else arch_iri, "options": options})
    out.sort(key=lambda g: g["group"])
    return out


def parameter_fields(browse: Browse, parameters: list[dict], lang: str) -> list[dict]:
    archs = {a["iri"]: a for a in browse.architectures()}
    fields = []
    for p in parameters:
        field = dict(p, widget="text", groups=None)
        if p["type"] == "boolean":
            field["widget"] = "checkbox"
        elif p["type"] == "iri" and p.get("default"):
            default = p["default"]
            if default in archs:
                field["widget"] = "select"
                field["groups"] = [{"group": None, "options": [
                    {"value": a["iri"], "label": pick(a["label"], lang), "withdrawn": a.get("status") == "vervallen"}
                    for a in archs.values()]}]
            else:
                ref = browse.brief([default]).get(default) or {}
                kind = ref.get("kind")
                if kind and kind.startswith(S) and ref.get("architecture"):
                    field["widget"] = "select"
                    field["groups"] = _element_choices(browse, kind, lang)
        if field["widget"] == "select":
            known = {o["value"] for g in field["groups"] for o in g["options"]}
            if p.get("value") and p["value"] not in known:  # a value given by URL that is not a choice
                field["groups"].insert(0, {"group": None, "options": [{"value": p["value"], "label": p["value"],
                                                                       "withdrawn": False}]})
        fields.append(field)
    return fields


def form_values(parameters, args) -> dict[str, str]:
    """The parameters given in ``args``; with the form's mark, an unticked boolean is 'false'."""
    given = {p.name: args[p.name].strip() for p in parameters if (args.get(p.name) or "").strip()}
    if args.get(BOOLEAN_FORM_MARK):
        for p in parameters:
            if p.type == "boolean" and p.name not in given:
                given[p.name] = "false"
    return given


def result_refs(browse: Browse, result: dict | None) -> dict[str, dict]:
    if not result or not result.get("rows"):
        return {}
    from .browse_findings import named_refs
    iris = {c["value"] for row in result["rows"] for c in row if c and c.get("type") == "uri"}
    return named_refs(browse, iris) if iris else {}


def columns(result: dict | None, asked: list[str]) -> list[int]:
    """Indexes of the columns to show."""
    names = (result or {}).get("vars") or []
    chosen = [i for i, n in enumerate(names) if n in set(asked)]
    if chosen:
        return chosen
    if len(names) <= MAX_COLUMNS:
        return list(range(len(names)))
    # the IRI columns show their names already: leave out the name and code columns first
    plain = [i for i, n in enumerate(names) if not n.lower().endswith(("naam", "notatie", "name", "label"))]
    return (plain + [i for i in range(len(names)) if i not in plain])[:MAX_COLUMNS]
