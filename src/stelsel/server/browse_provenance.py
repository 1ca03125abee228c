"""Who stands behind the figures: alignment status and authors, and the colophon's sources.

``alignment_provenance(browse)``: how many alignments have which status and who made them, for the
notice on the matrix, architecture, alignment and element pages ("these are proposals").
``colophon_sources(browse)``: per architecture its owner, version, date and source links, from the
data itself (``prov:wasDerivedFrom``, ``dct:source``, ``foaf:homepage``, ``dct:issued``).
"""

from __future__ import annotations

from .browse_model import Browse, status_slug, text

DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"


def alignment_provenance(browse: Browse) -> dict:
    def compute():
        rows = browse.select("""SELECT ?status ?creator (COUNT(DISTINCT ?al) AS ?n) WHERE {
            ?al a stelsel:Aansluiting . OPTIONAL { ?al stelsel:status ?status }
            OPTIONAL { ?al dct:creator ?creator } } GROUP BY ?status ?creator""")
        by_status: dict[str, int] = {}
        creators: dict[str, dict[str, int]] = {}
        for r in rows:
            status = status_slug(r["status"]) or "voorgesteld"
            n = int(r["n"].value)
            by_status[status] = by_status.get(status, 0) + n
            who = text(r["creator"]) or "?"
            creators.setdefault(status, {})
            creators[status][who] = creators[status].get(who, 0) + n
        total = sum(by_status.values())
        return {"total": total, "byStatus": by_status,
                "proposedBy": sorted(creators.get("voorgesteld", {})),
                "adoptedBy": sorted(creators.get("vastgesteld", {})),
                "allProposals": total > 0 and by_status.get("vastgesteld", 0) == 0}
    return browse.cached("alignment-provenance", compute)


def colophon_sources(browse: Browse) -> list[dict]:
    def compute():
        rows = browse.select("""SELECT ?a ?p ?o WHERE { ?a a stelsel:Architectuur ; ?p ?o .
            FILTER(?p IN (prov:wasDerivedFrom, dct:source, foaf:homepage, dct:issued, owl:versionInfo,
                          prov:invalidatedAtTime)) }""")
        by: dict[str, dict] = {}
        for r in rows:
            entry = by.setdefault(r["a"], {"links": [], "issued": None, "version": None, "withdrawn": None})
            if r["p"] in (PROV + "wasDerivedFrom", DCT + "source", FOAF + "homepage") and isinstance(r["o"], str):
                entry["links"].append(r["o"])
            elif r["p"] == DCT + "issued":
                entry["issued"] = text(r["o"])
            elif r["p"] == PROV + "invalidatedAtTime":
                entry["withdrawn"] = text(r["o"])
            else:
                entry["version"] = text(r["o"])
        out = []
        for arch in browse.architectures():
            entry = by.get(arch["iri"], {"links": [], "issued": None, "version": None, "withdrawn": None})
            out.append({"architecture": browse.arch_ref(arch["iri"]), "owners": arch.get("owners", []),
                        "links": sorted(set(entry["links"])), "issued": entry["issued"],
                        "version": entry["version"], "withdrawn": entry["withdrawn"]})
        return out
    return browse.cached("colophon-sources", compute)
