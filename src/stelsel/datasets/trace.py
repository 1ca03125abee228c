"""The trace of a registered dataset into the stelsel: which DERA principles and services it
serves, and which NORA elements (and NORA principles) those principles align to.

    rows = trace(store, "https://w3id.org/stelsel/graph/datasets/kb/rise-alba-3f0c2a1d")
    summary = summarise(rows)     # {"principles": [...], "services": [...], "nora": [...]}

The way (one SPARQL query, :data:`TRACE_QUERY`, with ``?registratie`` bound):

    registration graph ─ foaf:primaryTopic → dataset ─ dct:conformsTo → characteristic
      ─ skos:relatedMatch → DERA principle ─ alignment (skos:*Match | stelsel:realiseert) → NORA element
                                                     NORA element ─ realiseert / isAfgeleidVan / isReplacedBy* → NORA principle
      ─ skos:relatedMatch → DERA service (stelsel:Product)

A DERA principle with a deviation from NORA (stelsel:Afwijking, "pas toe of leg uit") shows its
explanation instead of a NORA element.
"""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["TRACE_QUERY", "summarise", "trace"]

TRACE_QUERY = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT DISTINCT ?registratie ?dataset ?kenmerk ?kenmerkNotatie ?kenmerkNaam ?kenmerkNaamEn
       ?dera ?deraSoort ?deraNotatie ?deraNaam ?deraNaamEn
       ?relatie ?noraElement ?noraNotatie ?noraNaam ?noraPrincipe ?noraPrincipeNotatie ?noraPrincipeNaam
       ?afwijking
WHERE {
  GRAPH ?registratie { ?registratie foaf:primaryTopic ?dataset . ?dataset dct:conformsTo ?kenmerk . }
  ?kenmerk skos:inScheme <https://w3id.org/stelsel/id/nde/kenmerken> ;
           skos:notation ?kenmerkNotatie ;
           skos:prefLabel ?kenmerkNaam ;
           skos:relatedMatch ?dera .
  FILTER(lang(?kenmerkNaam) = "nl")
  OPTIONAL { ?kenmerk skos:prefLabel ?kenmerkNaamEn FILTER(lang(?kenmerkNaamEn) = "en") }
  ?dera stelsel:inArchitectuur <https://w3id.org/stelsel/id/dera> ;
        a ?deraSoort ;
        skos:prefLabel ?deraNaam .
  FILTER(lang(?deraNaam) = "nl")
  FILTER(?deraSoort IN (stelsel:Architectuurprincipe, stelsel:Product, stelsel:Standaard))
  OPTIONAL { ?dera skos:prefLabel ?deraNaamEn FILTER(lang(?deraNaamEn) = "en") }
  OPTIONAL { ?dera skos:notation ?deraNotatie }
  OPTIONAL {
    FILTER(?deraSoort = stelsel:Architectuurprincipe)
    ?aansluiting stelsel:vanElement ?dera ;
                 stelsel:relatie ?relatie ;
                 stelsel:naarElement ?noraElement .
    ?noraElement stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> .
    OPTIONAL { ?noraElement skos:notation ?noraNotatie }
    OPTIONAL { ?noraElement skos:prefLabel ?noraNaam FILTER(lang(?noraNaam) = "nl") }
    OPTIONAL {
      ?noraElement (stelsel:realiseert|stelsel:isAfgeleidVan|dct:isReplacedBy)* ?noraPrincipe .
      ?noraPrincipe a stelsel:Architectuurprincipe ;
                    stelsel:inArchitectuur <https://w3id.org/stelsel/id/nora> ;
                    skos:notation ?noraPrincipeNotatie ;
                    skos:prefLabel ?noraPrincipeNaam .
      FILTER(lang(?noraPrincipeNaam) = "nl")
    }
  }
  OPTIONAL {
    FILTER(?deraSoort = stelsel:Architectuurprincipe)
    ?afw stelsel:vanElement ?dera ;
         stelsel:tenOpzichteVan <https://w3id.org/stelsel/id/nora> ;
         stelsel:toelichting ?afwijking .
    FILTER(lang(?afwijking) = "nl")
  }
}
ORDER BY ?kenmerkNotatie ?deraNotatie ?deraNaam ?noraNotatie ?noraPrincipeNotatie"""


def trace(store, registration_graph: str) -> list[dict]:
    """Rows of :data:`TRACE_QUERY` for one registration graph, as plain dicts of strings."""
    result = store.query(TRACE_QUERY, substitutions={ox.Variable("registratie"): ox.NamedNode(registration_graph)})
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def summarise(rows: list[dict]) -> dict:
    """The trace grouped for people: characteristics, DERA principles (each with its NORA
    elements and principles), DERA services and DERA standards."""
    kinds = {"https://w3id.org/stelsel/def#Architectuurprincipe": "principles",
             "https://w3id.org/stelsel/def#Product": "services",
             "https://w3id.org/stelsel/def#Standaard": "standards"}
    out: dict = {"characteristics": {}, "principles": {}, "services": {}, "standards": {}}
    for r in rows:
        k = out["characteristics"].setdefault(r["kenmerk"], {"iri": r["kenmerk"], "notation": r["kenmerkNotatie"],
                                                              "name": {"nl": r["kenmerkNaam"], "en": r["kenmerkNaamEn"]},
                                                              "serves": []})
        if r["dera"] not in k["serves"]:
            k["serves"].append(r["dera"])
        kind = kinds.get(r["deraSoort"])
        if kind is None:
            continue
        d = out[kind].setdefault(r["dera"], {"iri": r["dera"], "notation": r["deraNotatie"],
                                             "name": {"nl": r["deraNaam"], "en": r["deraNaamEn"]},
                                             "because": [], "nora": [], "deviation": None})
        if r["kenmerk"] not in d["because"]:
            d["because"].append(r["kenmerk"])
        if r["afwijking"]:
            d["deviation"] = r["afwijking"]
        if r["noraElement"]:
            entry = {"iri": r["noraElement"], "notation": r["noraNotatie"], "name": r["noraNaam"],
                     "relation": r["relatie"], "principle": r["noraPrincipe"],
                     "principle_notation": r["noraPrincipeNotatie"], "principle_name": r["noraPrincipeNaam"]}
            if entry not in d["nora"]:
                d["nora"].append(entry)
    result = {key: sorted(value.values(), key=lambda v: (v.get("notation") or "", v["iri"]))
              for key, value in out.items()}
    principles = {}
    for p in result["principles"]:
        for n in p["nora"]:
            if n["principle"]:
                principles[n["principle"]] = {"iri": n["principle"], "notation": n["principle_notation"],
                                              "name": n["principle_name"]}
    result["nora_principles"] = sorted(principles.values(), key=lambda v: v["notation"] or "")
    return result
