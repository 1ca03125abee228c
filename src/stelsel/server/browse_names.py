"""Telling identical names apart: for elements that share a name (and have no code of their own),
a short context from the data: the first element of the same architecture they relate to
("Normalisatie — bij Wasstraat"), else the last part of their IRI.
"""

from __future__ import annotations

from collections import Counter

from .browse_model import S, Browse, iri_ref, local_name
from .i18n import pick


def duplicate_hints(browse: Browse, elements: list[dict], lang: str) -> dict[str, str]:
    """{iri: hint} for the elements whose shown name is not unique among ``elements``."""
    def shown(e):
        return (e.get("notation") or "") + "\0" + pick(e.get("label"), lang)
    counts = Counter(shown(e) for e in elements)
    twins = [e["iri"] for e in elements if counts[shown(e)] > 1]
    if not twins:
        return {}
    hints: dict[str, str] = {}
    for start in range(0, len(twins), 300):
        chunk = twins[start:start + 300]
        rows = browse.select(f"""SELECT ?e (MIN(STR(?o)) AS ?ctx) WHERE {{
            VALUES ?e {{ {' '.join(iri_ref(i) for i in chunk)} }}
            ?e stelsel:inArchitectuur ?a .
            {{ ?e ?p ?o }} UNION {{ ?o ?p ?e }}
            ?o stelsel:inArchitectuur ?a . FILTER(STRSTARTS(STR(?p), "{S}") && ?o != ?e) }} GROUP BY ?e""")
        context = {r["e"]: getattr(r["ctx"], "value", r["ctx"]) for r in rows if r.get("ctx")}
        refs = browse.brief(set(context.values()))
        for iri in chunk:
            ref = refs.get(context.get(iri, ""))
            hints[iri] = pick(ref["label"], lang) if ref else local_name(iri)
    # still the same? add the IRI's own last part
    again = Counter((shown(e), hints.get(e["iri"])) for e in elements if e["iri"] in hints)
    for e in elements:
        if e["iri"] in hints and again[(shown(e), hints[e["iri"]])] > 1:
            hints[e["iri"]] += f" · {local_name(e['iri'])}"
    return hints
