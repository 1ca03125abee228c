"""What the browse pages show, read from the store with SPARQL: one :class:`Browse` per app.

Every method returns plain data (dicts, lists, strings, numbers: what the ``.json`` twins
serialise), with labels in both languages (``{"nl": …, "en": …}``) so one cached answer
serves both. Answers that do not depend on the request are cached per store version
(``store.version()``); a new version empties the cache. Pages do one or a few queries each and
never one query per row: labels of the resources a page mentions come in one ``VALUES`` query
(:meth:`Browse.brief`).

Nothing here imports Flask.
"""

from __future__ import annotations

import threading
import time
import unicodedata
import urllib.parse
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ..iris import slug as iri_slug
from ..search_words import words as search_words
from .relation_words import IN, OUT, phrase
from ..vocab import DEFAULT_BASE, GRAPH, ID, PREFIXES, STELSEL

S = str(STELSEL)
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
SHAPES_NS = "https://w3id.org/stelsel/shapes#"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
NORA = str(ID) + "nora"

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

STATUSES = ("voorgesteld", "vastgesteld", "vervallen")
DEFAULT_STATUSES = ("voorgesteld", "vastgesteld")

# upward relations of a trace: outside NORA (alignments and realisation), and inside NORA
ALIGN_RELATIONS = [SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch",
                   SKOS + "relatedMatch"]
TRACE_OUTSIDE = ALIGN_RELATIONS + [S + "realiseert", S + "draagtBijAan", S + "isGerelateerdAan"]
TRACE_INSIDE = [S + "realiseert", S + "isAfgeleidVan", S + "isGerelateerdAan", S + "draagtBijAan", DCT + "isReplacedBy"]

# the order kinds are listed in (docs/vocabulary.md); others follow alphabetically
KIND_ORDER = [
    "Kernwaarde", "Kwaliteitsdoel", "Architectuurprincipe", "Implicatie", "Basisprincipe", "AfgeleidPrincipe",
    "Ontwerpprincipe", "Principe", "Driver", "Beleidskader", "MaatschappelijkeOpgave", "Doel", "Speerpunt",
    "PrioritaireDoelstelling", "Uitvoeringsdoel", "Eis", "Ontwerpkader", "Afwegingscriterium", "Standaard",
    "Zeggenschap", "Bedrijfsfunctie", "Bedrijfsproces", "Bedrijfsinteractie", "Rol", "Actor", "Organisatie",
    "Samenwerking", "Dienst", "Product", "Voorziening", "Bedrijfsobject", "Begrip", "Applicatiecomponent",
    "Applicatiefunctie", "Applicatiedienst", "Gegevensobject", "Systeemsoftware", "Programma", "Domein",
    "Groepering", "Laag",
]
# properties shown in the header of a resource page rather than in its property table
BRIEF_PROPERTIES = [RDF_TYPE, SKOS + "notation", SKOS + "prefLabel", RDFS + "label", S + "inArchitectuur",
                    S + "status"]

INCOMING_SHOWN = 100   # incoming relations listed per relation on a resource page
PAGE_SIZE = 100        # rows per page of the alignment list and the validation report
SEARCH_PAGE = 50


# -- terms -------------------------------------------------------------------------------------------
class Lit:
    """A literal from a query answer; its parts are read from the pyoxigraph term when asked."""

    __slots__ = ("_term",)

    def __init__(self, term: ox.Literal):
        self._term = term

    @property
    def value(self) -> str:
        return self._term.value

    @property
    def lang(self) -> str | None:
        return self._term.language

    @property
    def datatype(self) -> str | None:
        return self._term.datatype.value if self._term.datatype else None

    def json(self) -> dict:
        out: dict = {"value": self.value}
        if self.lang:
            out["lang"] = self.lang
        elif self.datatype and self.datatype != XSD + "string":
            out["datatype"] = self.datatype
        return out

    def __repr__(self) -> str:
        return f"Lit({self._term!r})"


_NAMED, _LITERAL, _BLANK = ox.NamedNode, ox.Literal, ox.BlankNode


def py(term):
    """A pyoxigraph term as str (IRI), '_:id' (blank node) or :class:`Lit`."""
    kind = type(term)
    if kind is _NAMED:
        return term.value
    if kind is _LITERAL:
        return Lit(term)
    if term is None:
        return None
    if kind is _BLANK:
        return "_:" + term.value
    return str(term)


def text(term) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, Lit) else str(term)


def iri_ref(iri: str) -> str:
    """An IRI for a SPARQL query text (characters an IRIREF cannot hold are escaped)."""
    bad = '<>"{}|^`\\ '
    return "<" + "".join(f"\\u{ord(c):04X}" if c in bad or ord(c) < 0x21 else c for c in iri) + ">"


def fold(value: str) -> str:
    """Lower case, accents removed: the form search compares."""
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def compact(iri: str) -> str:
    """prefix:local for the stelsel prefixes, else the IRI."""
    best = None
    for prefix, ns in PREFIXES.items():
        ns = str(ns)
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best and "/" not in iri[len(best[1]):]:
        return f"{best[0]}:{iri[len(best[1]):]}"
    return iri


def status_slug(iri: str | None) -> str | None:
    return local_name(iri).lower() if iri else None


def _labels(values: Iterable[Lit]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if isinstance(v, Lit):
            out.setdefault(v.lang or "", v.value)
    return out


# -- the model -------------------------------------------------------------------------------------------
class Browse:
    """The browse pages' view of one store."""

    def __init__(self, store, base_iri: str = DEFAULT_BASE):
        self.store = store
        self.base_iri = base_iri
        # IRIs under these dereference at /id/…: the configured base first, then the vocabulary's
        self.id_bases = list(dict.fromkeys([base_iri.rstrip("/") + "/id/", str(ID)]))
        self._lock = threading.RLock()
        self._version: str | None = None
        self._cache: dict = {}
        self._lru: OrderedDict = OrderedDict()
        self._depths: dict[str, int] = {}
        self.on_query: Callable[[float], None] | None = None

    # -- plumbing ------------------------------------------------------------------------------------
    def version(self) -> str:
        return self.store.version()

    def _check_version(self) -> str:
        version = self.store.version()
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._cache = {}
                    self._lru = OrderedDict()
                    self._depths = {}
                    self._version = version
        return version

    def cached(self, key, compute: Callable[[], object]):
        """``compute()`` once per store version (and key)."""
        self._check_version()
        try:
            return self._cache[key]
        except KeyError:
            pass
        value = compute()
        with self._lock:
            self._cache[key] = value
        return value

    def lru(self, key, compute: Callable[[], object], size: int = 256):
        """Like :meth:`cached`, for per-resource answers: at most ``size`` kept."""
        self._check_version()
        with self._lock:
            if key in self._lru:
                self._lru.move_to_end(key)
                return self._lru[key]
        value = compute()
        with self._lock:
            self._lru[key] = value
            while len(self._lru) > size:
                self._lru.popitem(last=False)
        return value

    def select(self, sparql: str) -> list[dict]:
        """Rows of a SELECT as dicts of :func:`py` values."""
        started = time.perf_counter()
        result = self.store.query(SPARQL_PREFIXES + sparql)
        names = [v.value for v in result.variables]
        rows = [dict(zip(names, map(py, row))) for row in result]
        if self.on_query is not None:
            self.on_query(time.perf_counter() - started)
        return rows

    def construct(self, sparql: str) -> list[ox.Triple]:
        started = time.perf_counter()
        triples = list(self.store.query(SPARQL_PREFIXES + sparql))
        if self.on_query is not None:
            self.on_query(time.perf_counter() - started)
        return triples

    # -- IRIs -----------------------------------------------------------------------------------------
    def local_path(self, iri: str | None) -> str | None:
        """The path of the page of ``iri`` on this server, or None for an IRI from elsewhere."""
        if not iri or not isinstance(iri, str):
            return None
        for base in self.id_bases:
            if iri.startswith(base) and len(iri) > len(base):
                return "/id/" + urllib.parse.quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~")
        if iri.startswith(S) and len(iri) > len(S):
            return "/def/" + urllib.parse.quote(iri[len(S):], safe="-._~")
        if iri.startswith(SHAPES_NS):
            return "/shapes#" + urllib.parse.quote(iri[len(SHAPES_NS):], safe="-._~")
        if iri.startswith(str(GRAPH)):
            return "/-/graphs#" + urllib.parse.quote(iri[len(str(GRAPH)):], safe="-._~/")
        return None

    def iri_for_path(self, path: str) -> list[str]:
        """The IRIs /id/<path> may mean (configured base first)."""
        path = urllib.parse.unquote(path)
        return [base + path for base in self.id_bases]

    def exists(self, iri: str) -> bool:
        result = self.store.query(f"ASK {{ {{ {iri_ref(iri)} ?p ?o }} UNION {{ ?s ?p {iri_ref(iri)} }} }}")
        return bool(result)

    # -- vocabulary --------------------------------------------------------------------------------------
    def terms(self) -> dict[str, dict]:
        """Labels and superclasses of the vocabulary's terms (and shapes): {iri: {label, super}}."""
        def compute():
            rows = self.select("""SELECT ?t ?p ?o WHERE {
                { ?t rdfs:label ?o . BIND(rdfs:label AS ?p) } UNION { ?t rdfs:subClassOf ?o . BIND(rdfs:subClassOf AS ?p) }
                FILTER(isIRI(?t)) }""")
            out: dict[str, dict] = defaultdict(lambda: {"label": {}, "super": []})
            for r in rows:
                entry = out[r["t"]]
                if r["p"] == RDFS + "label" and isinstance(r["o"], Lit):
                    entry["label"].setdefault(r["o"].lang or "", r["o"].value)
                elif r["p"] == RDFS + "subClassOf" and isinstance(r["o"], str):
                    entry["super"].append(r["o"])
            return dict(out)
        return self.cached("terms", compute)

    def term_label(self, iri: str) -> dict[str, str]:
        from .i18n import TERMS
        entry = self.terms().get(iri)
        if entry and entry["label"]:
            return entry["label"]
        if iri in TERMS:
            nl, en = TERMS[iri]
            return {"nl": nl, "en": en}
        return {"": compact(iri)}

    def depth(self, cls: str) -> int:
        known = self._depths.get(cls)
        if known is not None:
            return known
        terms, seen, depth, frontier = self.terms(), set(), 0, [cls]
        while frontier and depth < 20:
            nxt = []
            for c in frontier:
                for sup in terms.get(c, {}).get("super", []):
                    if sup not in seen:
                        seen.add(sup)
                        nxt.append(sup)
            if nxt:
                depth += 1
            frontier = nxt
        self._depths[cls] = depth
        return depth

    def is_a(self, cls: str, ancestor: str) -> bool:
        terms, frontier, seen = self.terms(), [cls], {cls}
        while frontier:
            c = frontier.pop()
            if c == ancestor:
                return True
            for sup in terms.get(c, {}).get("super", []):
                if sup not in seen:
                    seen.add(sup)
                    frontier.append(sup)
        return False

    def kind_of(self, types: Iterable[str]) -> str | None:
        """The most specific stelsel class among ``types`` (else the first type)."""
        types = list(types)
        ours = [t for t in types if t.startswith(S)]
        if ours:
            return max(ours, key=lambda c: (self.depth(c), c))
        return types[0] if types else None

    @staticmethod
    def kind_sort_key(kind: str | None) -> tuple:
        name = local_name(kind) if kind else "~"
        return (KIND_ORDER.index(name) if name in KIND_ORDER else len(KIND_ORDER), name)

    # -- short descriptions of resources ------------------------------------------------------------------
    def brief(self, iris: Iterable[str]) -> dict[str, dict]:
        """{iri: {iri, notation, label, kind, architecture, status}} in one query per 400 IRIs."""
        wanted = [i for i in dict.fromkeys(iris) if isinstance(i, str) and not i.startswith("_:")]
        found: dict[str, dict] = {}
        for start in range(0, len(wanted), 400):
            chunk = wanted[start:start + 400]
            values = " ".join(iri_ref(i) for i in chunk)
            rows = self.select(f"""SELECT ?s ?p ?o WHERE {{
                VALUES ?s {{ {values} }}
                ?s ?p ?o . FILTER(?p IN (rdf:type, skos:notation, skos:prefLabel, rdfs:label, stelsel:inArchitectuur,
                                         stelsel:status)) }}""")
            by: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
            for r in rows:
                by[r["s"]][r["p"]].append(r["o"])
            for iri in chunk:
                found[iri] = self._ref(iri, by.get(iri, {}))
        return found

    def _ref(self, iri: str, props: dict[str, list]) -> dict:
        label = _labels(props.get(SKOS + "prefLabel", [])) or _labels(props.get(RDFS + "label", []))
        notation = next((text(v) for v in props.get(SKOS + "notation", [])), None)
        if not label:
            label = self.term_label(iri) if iri.startswith((S, SHAPES_NS)) or iri in self.terms() else {}
        types = [t for t in props.get(RDF_TYPE, []) if isinstance(t, str)]
        arch = next((v for v in props.get(S + "inArchitectuur", []) if isinstance(v, str)), None)
        status = next((v for v in props.get(S + "status", []) if isinstance(v, str)), None)
        return {"iri": iri, "notation": notation, "label": label or {"": compact(iri)},
                "kind": self.kind_of(types), "architecture": arch, "status": status_slug(status),
                "href": self.local_path(iri)}

    # -- architectures ---------------------------------------------------------------------------------------
    def architectures(self) -> list[dict]:
        """Every stelsel:Architectuur with its description, counts and slug, NORA first."""
        return self.cached("architectures", self._architectures)

    def _architectures(self) -> list[dict]:
        rows = self.select("SELECT ?a ?p ?o WHERE { ?a a stelsel:Architectuur ; ?p ?o }")
        props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for r in rows:
            props[r["a"]][r["p"]].append(r["o"])
        counts = {r["a"]: int(r["n"].value) for r in self.select(
            "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e stelsel:inArchitectuur ?a } GROUP BY ?a")}
        stats = self.select("""SELECT ?sa ?ta ?status (COUNT(DISTINCT ?al) AS ?n) WHERE {
              ?al a stelsel:Aansluiting ; stelsel:vanElement ?v ; stelsel:naarElement ?t .
              ?v stelsel:inArchitectuur ?sa . ?t stelsel:inArchitectuur ?ta .
              OPTIONAL { ?al stelsel:status ?status } } GROUP BY ?sa ?ta ?status""")
        deviations = self.select("""SELECT ?sa ?ta (COUNT(DISTINCT ?d) AS ?n) WHERE {
              ?d a stelsel:Afwijking ; stelsel:vanElement ?v . ?v stelsel:inArchitectuur ?sa .
              OPTIONAL { ?d stelsel:tenOpzichteVan ?ta } } GROUP BY ?sa ?ta""")
        owners = {o for p in props.values() for o in p.get(S + "eigenaar", []) if isinstance(o, str)}
        refs = self.brief(owners | {o for p in props.values() for o in p.get(DCT + "isReplacedBy", [])
                                    if isinstance(o, str)})
        out, used = [], set()
        for iri, p in props.items():
            slug = self.arch_slug(iri)
            while slug in used:
                slug += "-x"
            used.add(slug)
            def first(key, p=p):
                return next((text(v) for v in p.get(key, [])), None)
            out.append({
                "iri": iri, "slug": slug, "href": f"/architectuur/{slug}",
                "notation": first(SKOS + "notation"),
                "label": _labels(p.get(SKOS + "prefLabel", [])) or {"": compact(iri)},
                "altLabel": first(SKOS + "altLabel"),
                "definition": _labels(p.get(SKOS + "definition", [])),
                "comment": _labels(p.get(RDFS + "comment", [])),
                "version": first("http://www.w3.org/2002/07/owl#versionInfo"),
                "status": status_slug(first(S + "status")),
                "issued": first(DCT + "issued"),
                "invalidated": first("http://www.w3.org/ns/prov#invalidatedAtTime"),
                "owners": [refs[o] for o in p.get(S + "eigenaar", []) if o in refs],
                "homepage": first("http://xmlns.com/foaf/0.1/homepage"),
                "seeAlso": [v for v in p.get(RDFS + "seeAlso", []) if isinstance(v, str)],
                "replacedBy": [refs[o] for o in p.get(DCT + "isReplacedBy", []) if o in refs],
                "mustAlignTo": sorted(v for v in p.get(S + "moetAansluitenOp", []) if isinstance(v, str)),
                "elements": counts.get(iri, 0),
                "alignmentsOut": {}, "alignmentsIn": 0, "deviations": {},
            })
        by_iri = {a["iri"]: a for a in out}
        for r in stats:
            n = int(r["n"].value)
            src, tgt = by_iri.get(r["sa"]), by_iri.get(r["ta"])
            if src is None or r["sa"] == r["ta"]:
                continue
            bucket = src["alignmentsOut"].setdefault(r["ta"], {})
            key = status_slug(r["status"]) or "none"
            bucket[key] = bucket.get(key, 0) + n
            if tgt is not None and key != "vervallen":
                tgt["alignmentsIn"] += n
        for r in deviations:
            src = by_iri.get(r["sa"])
            if src is not None:
                key = r["ta"] or ""
                src["deviations"][key] = src["deviations"].get(key, 0) + int(r["n"].value)
        for a in out:
            a["alignmentsTotal"] = sum(n for b in a["alignmentsOut"].values() for s, n in b.items() if s != "vervallen")
            a["deviationsTotal"] = sum(a["deviations"].values())
            a["targets"] = sorted(set(a["mustAlignTo"]) | set(a["alignmentsOut"]))
        ranks = self._ranks(out)
        for a in out:
            a["rank"] = ranks[a["iri"]]
        out.sort(key=lambda a: (a["rank"], a["iri"] != NORA, a["slug"]))
        return out

    @staticmethod
    def _ranks(archs: list[dict]) -> dict[str, int]:
        """0 for an architecture that aligns to none, else 1 + the highest rank it aligns to."""
        targets = {a["iri"]: set(a["mustAlignTo"]) for a in archs}
        ranks: dict[str, int] = {}

        def rank(iri: str, seen: frozenset) -> int:
            if iri in ranks:
                return ranks[iri]
            ups = [t for t in targets.get(iri, ()) if t in targets and t not in seen]
            r = 0 if not ups else 1 + max(rank(t, seen | {iri}) for t in ups)
            ranks[iri] = r
            return r

        for a in archs:
            rank(a["iri"], frozenset())
        return ranks

    def arch_slug(self, iri: str) -> str:
        for base in self.id_bases:
            if iri.startswith(base):
                return iri[len(base):].strip("/").replace("/", "-") or iri_slug(iri)
        return iri_slug(local_name(iri))

    def architecture_by_slug(self, slug: str) -> dict | None:
        return self.cached("arch-by-slug", lambda: {a["slug"]: a for a in self.architectures()}).get(slug)

    def architecture_by_iri(self, iri: str | None) -> dict | None:
        return self.cached("arch-by-iri", lambda: {a["iri"]: a for a in self.architectures()}).get(iri) if iri else None

    def arch_ref(self, iri: str | None) -> dict | None:
        a = self.architecture_by_iri(iri)
        if a is None:
            return None
        return {"iri": a["iri"], "slug": a["slug"], "notation": a["notation"] or a["altLabel"],
                "label": a["label"], "href": a["href"]}

    def short_name(self, arch: dict | None) -> dict[str, str]:
        """'DERA', 'ROSA (2022)': the notation with the version part of the slug, or the label."""
        if arch is None:
            return {"": "?"}
        name = arch.get("notation") or arch.get("altLabel")
        if not name:
            label = arch["label"].get("nl") or next(iter(arch["label"].values()), "")
            name = label.split(" – ")[0] if " – " in label else None
        if not name:
            return arch["label"]
        tail = arch["slug"].split("-", 1)[1] if "-" in arch["slug"] else ""
        return {"": f"{name} {tail}".strip() if tail and tail not in name else name}

    # -- one architecture ----------------------------------------------------------------------------------
    def architecture(self, iri: str) -> dict:
        return self.cached(("architecture", iri), lambda: self._architecture(iri))

    def _architecture(self, iri: str) -> dict:
        rows = self.select(f"""SELECT ?e ?p ?o WHERE {{
            ?e stelsel:inArchitectuur {iri_ref(iri)} ; ?p ?o .
            FILTER(?p IN (rdf:type, skos:notation, skos:prefLabel, stelsel:status, stelsel:hoortBijLaag)) }}""")
        props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for r in rows:
            props[r["e"]][r["p"]].append(r["o"])
        elements = []
        for e, p in props.items():
            ref = self._ref(e, p)
            ref["layers"] = [v for v in p.get(S + "hoortBijLaag", []) if isinstance(v, str)]
            elements.append(ref)
        elements.sort(key=lambda r: (natural(r["notation"] or ""), r["label"].get("nl") or r["label"].get("", "")))
        kinds: dict[str, list] = defaultdict(list)
        for el in elements:
            kinds[el["kind"] or ""].append(el)
        layer_iris = sorted({layer for el in elements for layer in el["layers"]}, key=natural)
        layer_refs = self.brief(layer_iris)
        layers = [{"layer": layer_refs[lay], "elements": [el for el in elements if lay in el["layers"]]}
                  for lay in layer_iris]
        return {
            "kinds": [{"kind": k, "label": self.term_label(k) if k else {"": "?"}, "elements": v}
                      for k, v in sorted(kinds.items(), key=lambda kv: self.kind_sort_key(kv[0]))],
            "layers": layers,
            "total": len(elements),
        }

    # -- the coverage matrix ---------------------------------------------------------------------------------
    def principles(self) -> list[dict]:
        """NORA's architectuurprincipes (not withdrawn), by notation."""
        def compute():
            rows = self.select(f"""SELECT DISTINCT ?nap WHERE {{
                ?nap a/rdfs:subClassOf* stelsel:Architectuurprincipe ; stelsel:inArchitectuur {iri_ref(NORA)} .
                FILTER NOT EXISTS {{ ?nap stelsel:status stelsel:Vervallen }} }}""")
            refs = self.brief(r["nap"] for r in rows)
            return sorted(refs.values(), key=lambda r: natural(r["notation"] or r["iri"]))
        return self.cached("principles", compute)

    def matrix_counts(self) -> list[dict]:
        """(principle, architecture, status, n): alignments reaching a NORA principle, directly or
        through a NORA implicatie that realises it."""
        def compute():
            rows = self.select(f"""SELECT ?nap ?arch ?status (COUNT(DISTINCT ?al) AS ?n) WHERE {{
                ?nap a/rdfs:subClassOf* stelsel:Architectuurprincipe ; stelsel:inArchitectuur {iri_ref(NORA)} .
                {{ ?al stelsel:naarElement ?nap }}
                UNION
                {{ ?imp stelsel:realiseert ?nap ; a/rdfs:subClassOf* stelsel:Implicatie ;
                        stelsel:inArchitectuur {iri_ref(NORA)} .
                   ?al stelsel:naarElement ?imp }}
                ?al a stelsel:Aansluiting ; stelsel:vanElement ?v . ?v stelsel:inArchitectuur ?arch .
                OPTIONAL {{ ?al stelsel:status ?status }}
              }} GROUP BY ?nap ?arch ?status""")
            return [{"principle": r["nap"], "architecture": r["arch"], "status": status_slug(r["status"]),
                     "n": int(r["n"].value)} for r in rows]
        return self.cached("matrix", compute)

    def matrix(self, statuses: Iterable[str]) -> dict:
        statuses = tuple(s for s in STATUSES if s in set(statuses)) or DEFAULT_STATUSES
        return self.cached(("matrix", statuses), lambda: self._matrix(statuses))

    def _matrix(self, statuses: tuple[str, ...]) -> dict:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for c in self.matrix_counts():
            if status_included(c["status"], statuses):
                counts[(c["principle"], c["architecture"])] += c["n"]
        archs = self.architectures()
        with_counts = {c["architecture"] for c in self.matrix_counts()}
        columns = [a for a in archs if a["iri"] != NORA and (NORA in a["mustAlignTo"] or a["iri"] in with_counts)]
        principles = self.principles()
        rows = []
        for p in principles:
            cells = [{"architecture": a["iri"], "slug": a["slug"], "n": counts.get((p["iri"], a["iri"]), 0)}
                     for a in columns]
            rows.append({"principle": p, "cells": cells, "reached": sum(1 for c in cells if c["n"])})
        totals = [{"architecture": a["iri"], "slug": a["slug"],
                   "covered": sum(1 for r in rows if r["cells"][i]["n"]),
                   "alignments": sum(r["cells"][i]["n"] for r in rows)} for i, a in enumerate(columns)]
        return {"statuses": list(statuses), "columns": [self.arch_ref(a["iri"]) for a in columns],
                "rows": rows, "totals": totals, "principles": len(principles)}

    def coverage(self, arch_iri: str) -> dict:
        """How many NORA principles an architecture's alignments (not withdrawn) reach."""
        m = self.matrix(DEFAULT_STATUSES)
        col = next((i for i, c in enumerate(m["columns"]) if c["iri"] == arch_iri), None)
        if col is None:
            return {"covered": 0, "total": m["principles"], "principles": [
                {"principle": r["principle"], "n": 0} for r in m["rows"]], "applies": False}
        items = [{"principle": r["principle"], "n": r["cells"][col]["n"]} for r in m["rows"]]
        return {"covered": sum(1 for i in items if i["n"]), "total": len(items), "principles": items,
                "applies": True}

    # -- alignments ------------------------------------------------------------------------------------------
    def alignments(self, source: str | None = None, target: str | None = None, principle: str | None = None,
                   statuses: Iterable[str] = DEFAULT_STATUSES, page: int = 1, size: int = PAGE_SIZE) -> dict:
        """A page of alignments (with provenance) filtered by source and target architecture,
        NORA principle reached (directly or through an implicatie) and status."""
        statuses = tuple(s for s in STATUSES if s in set(statuses)) or DEFAULT_STATUSES
        key = ("alignments", source, target, principle, statuses)
        matched = self.cached(key, lambda: self._alignment_rows(source, target, principle, statuses))
        total = len(matched)
        page = max(1, min(page, max(1, -(-total // size))))
        shown = matched[(page - 1) * size: page * size]
        details = self._alignment_details([r["iri"] for r in shown])
        refs = self.brief([r["van"] for r in shown] + [r["naar"] for r in shown] + [r["via"] for r in shown if r["via"]])
        items = []
        for r in shown:
            d = details.get(r["iri"], {})
            items.append({**r, **d, "van": refs.get(r["van"]), "naar": refs.get(r["naar"]),
                          "relationLabel": self.term_label(r["relation"]) if r["relation"] else None,
                          "relationPhrase": relation_phrases(r["relation"], OUT),
                          "via": refs.get(r["via"]) if r["via"] else None, "href": self.local_path(r["iri"])})
        return {"total": total, "page": page, "size": size, "items": items, "statuses": list(statuses)}

    def _alignment_rows(self, source, target, principle, statuses) -> list[dict]:
        where = []
        if source:
            where.append(f"?v stelsel:inArchitectuur {iri_ref(source)} .")
        if target:
            where.append(f"?t stelsel:inArchitectuur {iri_ref(target)} .")
        if principle:
            p = iri_ref(principle)
            where.append(f"""{{ ?al stelsel:naarElement {p} }} UNION
                {{ ?al stelsel:naarElement ?imp . ?imp stelsel:realiseert {p} ; a/rdfs:subClassOf* stelsel:Implicatie .
                   BIND(?imp AS ?via) }}""")
        rows = self.select(f"""SELECT DISTINCT ?al ?v ?t ?rel ?status ?via ?vn ?tn WHERE {{
            ?al a stelsel:Aansluiting ; stelsel:vanElement ?v ; stelsel:naarElement ?t .
            {' '.join(where)}
            OPTIONAL {{ ?al stelsel:relatie ?rel }}
            OPTIONAL {{ ?al stelsel:status ?status }}
            OPTIONAL {{ ?v skos:notation ?vn }}
            OPTIONAL {{ ?t skos:notation ?tn }} }}""")
        out, seen = [], set()
        for r in rows:
            status = status_slug(r["status"])
            if r["al"] in seen or not status_included(status, statuses):
                continue
            seen.add(r["al"])
            out.append({"iri": r["al"], "van": r["v"], "naar": r["t"], "relation": r["rel"],
                        "status": status, "via": r["via"],
                        "_sort": (natural(text(r["vn"]) or r["v"]), natural(text(r["tn"]) or r["t"]))})
        out.sort(key=lambda r: r.pop("_sort"))
        return out

    def _alignment_details(self, iris: list[str]) -> dict[str, dict]:
        """Author, date, rationale, justification, source of alignments and deviations."""
        if not iris:
            return {}
        values = " ".join(iri_ref(i) for i in iris)
        rows = self.select(f"""SELECT ?al ?p ?o WHERE {{
            VALUES ?al {{ {values} }}
            ?al ?p ?o . FILTER(?p IN (dct:creator, dct:date, stelsel:rationale, stelsel:toelichting,
                                      stelsel:onderbouwing, dct:source, stelsel:inSet)) }}""")
        out: dict[str, dict] = {i: {"creator": [], "date": None, "rationale": {}, "explanation": {},
                                    "justification": None, "sources": [], "set": None} for i in iris}
        creators = set()
        for r in rows:
            d, p, o = out[r["al"]], r["p"], r["o"]
            if p == DCT + "creator":
                d["creator"].append(o)
                if isinstance(o, str):
                    creators.add(o)
            elif p == DCT + "date":
                d["date"] = text(o)
            elif p == S + "rationale" and isinstance(o, Lit):
                d["rationale"].setdefault(o.lang or "", o.value)
            elif p == S + "toelichting" and isinstance(o, Lit):
                d["explanation"].setdefault(o.lang or "", o.value)
            elif p == S + "onderbouwing":
                d["justification"] = text(o)
            elif p == DCT + "source":
                d["sources"].append(text(o))
            elif p == S + "inSet":
                d["set"] = text(o)
        refs = self.brief(creators) if creators else {}
        for d in out.values():
            d["creator"] = [refs[c]["label"] if isinstance(c, str) and c in refs else {"": text(c)}
                            for c in d["creator"]]
        return out

    def deviations(self, source: str | None = None, target: str | None = None, limit: int = 500) -> dict:
        def compute():
            where = []
            if source:
                where.append(f"?v stelsel:inArchitectuur {iri_ref(source)} .")
            if target:
                where.append(f"?d stelsel:tenOpzichteVan {iri_ref(target)} .")
            rows = self.select(f"""SELECT DISTINCT ?d ?v ?ten ?status WHERE {{
                ?d a stelsel:Afwijking ; stelsel:vanElement ?v . {' '.join(where)}
                OPTIONAL {{ ?d stelsel:tenOpzichteVan ?ten }}
                OPTIONAL {{ ?d stelsel:status ?status }} }}""")
            return rows
        rows = self.cached(("deviations", source, target), compute)
        shown = rows[:limit]
        details = self._alignment_details([r["d"] for r in shown])
        refs = self.brief([r["v"] for r in shown])
        items = [{"iri": r["d"], "van": refs.get(r["v"]), "tenOpzichteVan": self.arch_ref(r["ten"]) or
                  ({"iri": r["ten"], "label": {"": compact(r["ten"])}} if r["ten"] else None),
                  "status": status_slug(r["status"]), "href": self.local_path(r["d"]), **details.get(r["d"], {})}
                 for r in shown]
        items.sort(key=lambda i: natural((i["van"] or {}).get("notation") or (i["van"] or {}).get("iri", "")))
        return {"total": len(rows), "items": items}

    # -- one resource ----------------------------------------------------------------------------------------
    def resource(self, iri: str) -> dict | None:
        return self.lru(("resource", iri), lambda: self._resource(iri))

    def _resource(self, iri: str) -> dict | None:
        ref = iri_ref(iri)
        out_rows = self.select(f"SELECT ?p ?o WHERE {{ {ref} ?p ?o }}")
        in_rows = self.select(f"SELECT ?s ?p WHERE {{ ?s ?p {ref} }}")
        if not out_rows and not in_rows:
            return None
        al_rows = self.select(f"""SELECT ?al ?dir ?type ?v ?t ?rel ?status ?ten WHERE {{
            {{ ?al stelsel:vanElement {ref} . BIND("out" AS ?dir) }}
            UNION {{ ?al stelsel:naarElement {ref} . BIND("in" AS ?dir) }}
            UNION {{ ?al stelsel:tenOpzichteVan {ref} . BIND("against" AS ?dir) }}
            ?al a ?type . FILTER(?type IN (stelsel:Aansluiting, stelsel:Afwijking))
            OPTIONAL {{ ?al stelsel:vanElement ?v }}
            OPTIONAL {{ ?al stelsel:naarElement ?t }}
            OPTIONAL {{ ?al stelsel:relatie ?rel }}
            OPTIONAL {{ ?al stelsel:status ?status }}
            OPTIONAL {{ ?al stelsel:tenOpzichteVan ?ten }} }}""")
        # the plain triples alignments materialise are shown with the alignment, not twice
        materialised = {(r["v"], r["rel"], r["t"]) for r in al_rows if r["type"] == S + "Aansluiting"}
        hidden_in = {S + "vanElement", S + "naarElement", S + "tenOpzichteVan"}

        props: dict[str, list] = defaultdict(list)
        for r in out_rows:
            if (iri, r["p"], r["o"]) in materialised:
                continue
            props[r["p"]].append(r["o"])
        incoming: dict[str, list[str]] = defaultdict(list)
        for r in in_rows:
            if r["p"] in hidden_in or (r["s"], r["p"], iri) in materialised:
                continue
            incoming[r["p"]].append(r["s"])

        alignments = {"out": [], "in": [], "deviations": [], "against": []}
        al_iris = []
        for r in al_rows:
            if r["al"] in al_iris:
                continue
            al_iris.append(r["al"])
        details = self._alignment_details(al_iris[:500])

        need: set[str] = set()
        for values in props.values():
            need.update(v for v in values if isinstance(v, str))
        for p, subjects in incoming.items():
            subjects.sort(key=natural)
            need.update(subjects[:INCOMING_SHOWN])
        for r in al_rows:
            need.update(x for x in (r["v"], r["t"]) if x)
        refs = self.brief(need)

        seen = set()
        for r in al_rows:
            if r["al"] in seen or r["al"] not in details:
                continue
            seen.add(r["al"])
            item = {"iri": r["al"], "href": self.local_path(r["al"]), "relation": r["rel"],
                    "relationLabel": self.term_label(r["rel"]) if r["rel"] else None,
                    "status": status_slug(r["status"]), "van": refs.get(r["v"]), "naar": refs.get(r["t"]),
                    "tenOpzichteVan": self.arch_ref(r["ten"]) or ({"iri": r["ten"], "label": {"": compact(r["ten"])}}
                                                                  if r["ten"] else None),
                    **details[r["al"]]}
            direction = text(r["dir"])
            item["relationPhrase"] = relation_phrases(r["rel"], OUT if direction == "out" else IN)
            if r["type"] == S + "Afwijking":
                alignments["deviations" if direction == "out" else "against"].append(item)
            else:
                alignments["out" if direction == "out" else "in"].append(item)
        for items in alignments.values():
            items.sort(key=lambda i: natural(((i.get("naar") or i.get("van") or {}).get("notation")) or ""))
        alignments["in"].sort(key=lambda i: (((i["van"] or {}).get("architecture")) or "",
                                             natural((i["van"] or {}).get("notation") or "")))

        me = self._ref(iri, props)
        properties, relations = [], []
        for p, values in sorted(props.items(), key=lambda kv: self._prop_order(kv[0])):
            if p in (S + "inArchitectuur",):
                continue
            rendered = []
            for v in values:
                if isinstance(v, Lit):
                    rendered.append({"literal": v.json()})
                elif isinstance(v, str) and v.startswith("_:"):
                    rendered.append({"bnode": v})
                else:
                    rendered.append({"ref": refs.get(v) or {"iri": v, "label": {"": compact(v)}, "href": None}})
            rendered.sort(key=lambda x: (x.get("literal", {}).get("lang", ""), natural(
                (x.get("ref") or {}).get("notation") or (x.get("ref") or {}).get("iri") or "")))
            entry = {"property": p, "label": self.term_label(p), "values": rendered}
            is_relation = all("ref" in x and x["ref"].get("href") and not x["ref"]["iri"].startswith(S)
                              for x in rendered) and p != RDF_TYPE and p not in (S + "status",)
            (relations if is_relation and p not in (SKOS + "notation",) else properties).append(entry)
        incoming_out = []
        for p, subjects in sorted(incoming.items(), key=lambda kv: self._prop_order(kv[0])):
            incoming_out.append({"property": p, "label": self.term_label(p), "inverse": _inverse(p),
                                 "total": len(subjects),
                                 "values": [refs[s] for s in subjects[:INCOMING_SHOWN] if s in refs]})
        arch = self.arch_ref(me["architecture"]) or (self.arch_ref(iri) if self.architecture_by_iri(iri) else None)
        return {
            "iri": iri, "compact": compact(iri), "notation": me["notation"], "label": me["label"],
            "kind": me["kind"], "kindLabel": self.term_label(me["kind"]) if me["kind"] else None,
            "types": [{"iri": t, "label": self.term_label(t), "href": self.local_path(t)}
                      for t in props.get(RDF_TYPE, []) if isinstance(t, str)],
            "status": me["status"], "architecture": arch,
            "isArchitecture": self.architecture_by_iri(iri) is not None,
            "definition": _labels(props.get(SKOS + "definition", [])) or _labels(props.get(RDFS + "comment", [])),
            "seeAlso": [v for v in props.get(RDFS + "seeAlso", []) if isinstance(v, str)],
            "properties": properties, "relations": relations, "incoming": incoming_out,
            "alignments": alignments, "isTerm": iri.startswith(S),
            "isElement": me["architecture"] is not None,
        }

    @staticmethod
    def _prop_order(p: str) -> tuple:
        order = [RDF_TYPE, SKOS + "notation", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "definition",
                 RDFS + "label", RDFS + "comment", S + "status", S + "inArchitectuur", S + "hoortBijLaag",
                 S + "realiseert", S + "isAfgeleidVan", S + "draagtBijAan", S + "isGerelateerdAan",
                 S + "beinvloedt"]
        return (order.index(p) if p in order else len(order), p)

    def describe(self, iri: str) -> list[ox.Triple]:
        """The RDF twin of a resource page: its own triples, the triples pointing at it, and the
        alignments and deviations about it with all their triples."""
        ref = iri_ref(iri)
        return self.construct(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
            {{ BIND({ref} AS ?s) {ref} ?p ?o }}
            UNION {{ ?s ?p {ref} . BIND({ref} AS ?o) }}
            UNION {{ ?s stelsel:vanElement|stelsel:naarElement {ref} . ?s a stelsel:Aansluiting . ?s ?p ?o }}
            UNION {{ ?s stelsel:vanElement {ref} . ?s a stelsel:Afwijking . ?s ?p ?o }} }}""")

    def describe_architecture(self, iri: str) -> list[ox.Triple]:
        """The RDF twin of an architecture page: the architecture and its elements' names."""
        ref = iri_ref(iri)
        return self.construct(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
            {{ BIND({ref} AS ?s) {ref} ?p ?o }}
            UNION {{ ?s stelsel:inArchitectuur {ref} ; ?p ?o .
                     FILTER(?p IN (rdf:type, skos:notation, skos:prefLabel, stelsel:inArchitectuur, stelsel:status,
                                   stelsel:hoortBijLaag)) }} }}""")

    # -- trace ---------------------------------------------------------------------------------------------
    def trace(self, iri: str, max_paths: int = 200) -> dict:
        return self.lru(("trace", iri), lambda: self._trace(iri, max_paths), size=64)

    def _trace(self, iri: str, max_paths: int) -> dict:
        # every upward edge among the elements the start reaches, level by level (one query per
        # level): outside NORA alignments and realisation; inside NORA realiseert, isAfgeleidVan,
        # isGerelateerdAan and isReplacedBy to other NORA elements
        outside = ", ".join(f"<{p}>" for p in TRACE_OUTSIDE)
        inside = ", ".join(f"<{p}>" for p in TRACE_INSIDE)
        nora = iri_ref(NORA)
        rows, frontier, seen = [], [iri], {iri}
        for _ in range(12):
            if not frontier:
                break
            values = " ".join(iri_ref(n) for n in frontier)
            level = self.select(f"""SELECT ?s ?p ?o WHERE {{
                VALUES ?s {{ {values} }}
                {{ ?s ?p ?o . FILTER(?p IN ({outside}))
                   FILTER NOT EXISTS {{ ?s stelsel:inArchitectuur {nora} }} }}
                UNION
                {{ ?s stelsel:inArchitectuur {nora} ; ?p ?o . FILTER(?p IN ({inside}))
                   ?o stelsel:inArchitectuur {nora} }} }}""")
            rows.extend(level)
            frontier = []
            for r in level:
                o = r["o"]
                if isinstance(o, str) and not o.startswith("_:") and o not in seen:
                    seen.add(o)
                    frontier.append(o)
        edges = [(r["s"], r["p"], r["o"]) for r in rows if isinstance(r["o"], str) and not r["o"].startswith("_:")]
        nodes = {iri} | {e[0] for e in edges} | {e[2] for e in edges}
        refs = self.brief(nodes)
        values = {n for n in nodes if self._is_kind(refs.get(n), "Kernwaarde")}
        # keep what lies on a way from the start to a core value
        up: dict[str, list[tuple[str, str]]] = defaultdict(list)
        down: dict[str, list[str]] = defaultdict(list)
        for s, p, o in edges:
            up[s].append((p, o))
            down[o].append(s)
        reaching, frontier = set(values), list(values)
        while frontier:
            n = frontier.pop()
            for s in down.get(n, ()):
                if s not in reaching:
                    reaching.add(s)
                    frontier.append(s)
        reached, frontier, dist = {iri}, [iri], {iri: 0}
        while frontier:
            nxt = []
            for n in frontier:
                for _, o in up.get(n, ()):
                    if o not in reached and o in reaching:
                        reached.add(o)
                        dist[o] = dist[n] + 1
                        nxt.append(o)
            frontier = nxt
        keep = reached & reaching if iri in reaching else set()
        kept_edges = [(s, p, o) for s, p, o in edges if s in keep and o in keep and s != o]
        # paths, depth first, at most max_paths
        paths: list[list] = []
        total = 0

        def walk(node, path, seen):
            nonlocal total
            if node in values:
                total += 1
                if len(paths) < max_paths:
                    paths.append(list(path))
                return
            if total > max_paths * 10:
                return
            for p, o in up.get(node, ()):
                if o in keep and o not in seen:
                    path.append((p, o))
                    seen.add(o)
                    walk(o, path, seen)
                    seen.discard(o)
                    path.pop()

        if iri in keep:
            walk(iri, [], {iri})
        layers = self._trace_layers(iri, keep, refs, dist)
        return {
            "element": refs.get(iri),
            "nodes": [dict(refs[n], layer=layers[n]) for n in sorted(keep, key=lambda n: natural(
                refs[n]["notation"] or n)) if n in refs],
            "edges": [{"from": s, "property": p, "label": self.term_label(p), "to": o} for s, p, o in kept_edges],
            "paths": [[{"node": refs[iri]}] + [{"property": p, "label": self.term_label(p), "node": refs[o]}
                                              for p, o in path] for path in paths],
            "pathsTotal": total,
            "values": [refs[v] for v in sorted(values & keep, key=lambda n: natural(refs[n]["notation"] or n))],
        }

    def _is_kind(self, ref: dict | None, name: str) -> bool:
        return bool(ref and ref.get("kind") and self.is_a(ref["kind"], S + name))

    def _trace_layers(self, start: str, keep: set[str], refs: dict, dist: dict[str, int]) -> dict[str, str]:
        """A layer name per node: NORA's kinds on top, the way up from the start below them."""
        out = {}
        for n in keep:
            ref = refs.get(n)
            if n == start and not (ref and ref.get("architecture") == NORA):
                out[n] = "start"
            elif ref and ref.get("architecture") == NORA:
                for name in ("Kernwaarde", "Kwaliteitsdoel", "Architectuurprincipe", "Implicatie"):
                    if self._is_kind(ref, name):
                        out[n] = name
                        break
                else:
                    out[n] = "nora"
            else:
                out[n] = f"step{dist.get(n, 0)}"
        return out

    # -- search -------------------------------------------------------------------------------------------
    def search_index(self) -> list[dict]:
        """One entry per named resource: its notation, names, kind and architecture, folded for
        matching. Built with one SPARQL query per store version."""
        def compute():
            # simple patterns, joined here: much faster than one GROUP BY query over the store
            labels: dict[str, dict[str, str]] = defaultdict(dict)
            for r in self.select("SELECT ?e ?o WHERE { ?e skos:prefLabel ?o FILTER(isIRI(?e)) }"):
                if isinstance(r["o"], Lit):
                    labels[r["e"]].setdefault(r["o"].lang or "", r["o"].value)
            notations = {r["e"]: text(r["o"]) for r in self.select("SELECT ?e ?o WHERE { ?e skos:notation ?o }")}
            alts: dict[str, list[str]] = defaultdict(list)
            for r in self.select("SELECT ?e ?o WHERE { ?e skos:altLabel ?o }"):
                alts[r["e"]].append(text(r["o"]))
            types: dict[str, list[str]] = defaultdict(list)
            for r in self.select(f"SELECT ?e ?o WHERE {{ ?e a ?o FILTER(STRSTARTS(STR(?o), {json_string(S)})) }}"):
                if r["e"] in labels:
                    types[r["e"]].append(r["o"])
            archs = {r["e"]: r["o"] for r in self.select("SELECT ?e ?o WHERE { ?e stelsel:inArchitectuur ?o }")}
            statuses = {r["e"]: status_slug(r["o"]) for r in self.select(
                "SELECT ?e ?o WHERE { ?e stelsel:status ?o FILTER(isIRI(?o)) }")}
            index = []
            for iri, label in labels.items():
                kind = self.kind_of(types.get(iri, []))
                if kind == S + "Architectuur":
                    arch = iri
                elif kind and kind.startswith(S):
                    arch = archs.get(iri)
                else:
                    continue
                notation = notations.get(iri)
                index.append({
                    "iri": iri, "notation": notation, "label": label, "kind": kind, "architecture": arch,
                    "status": statuses.get(iri) or (statuses.get(arch) if statuses.get(arch) == "vervallen" else None),
                    "_notation": fold(notation or ""),
                    "_names": [fold(v) for v in [*label.values(), *alts.get(iri, [])]],
                    "_words": sorted({w for v in [*label.values(), *alts.get(iri, [])] for w in search_words(v)}),
                })
            index.sort(key=lambda e: natural(e["notation"] or e["label"].get("nl") or e["iri"]))
            return index
        return self.cached("search-index", compute)

    def search(self, q: str, kind: str | None = None, arch: str | None = None, page: int = 1) -> dict:
        needle = fold(q.strip())
        asked = [w for w in search_words(q) if len(w) >= 3]
        index = self.search_index()
        if needle:
            scored = []
            for e in index:
                if e["_notation"] == needle:
                    score = 0
                elif e["_notation"].startswith(needle):
                    score = 1
                elif any(n == needle for n in e["_names"]):
                    score = 2
                elif any(n.startswith(needle) for n in e["_names"]):
                    score = 3
                elif needle in e["_notation"] or any(needle in n for n in e["_names"]):
                    score = 4
                elif asked and all(any(w.startswith(a) for w in e["_words"]) for a in asked):
                    score = 5       # another form of the same words: vindbare, vindbaarheid
                elif asked and all(any(a in w for w in e["_words"]) for a in asked):
                    score = 6       # inside a compound: informatie in erfgoedinformatie
                else:
                    continue
                scored.append((score, e))
            # current before withdrawn, then by how well it matched; stable: index order within
            scored.sort(key=lambda se: (se[1].get("status") == "vervallen", se[0]))
            matches = [e for _, e in scored]
        elif kind or arch:
            matches = index
        else:
            matches = []
        kinds: dict[str, int] = defaultdict(int)
        archs: dict[str, int] = defaultdict(int)
        for e in matches:
            if not arch or e["architecture"] == arch:
                kinds[e["kind"]] += 1
            if not kind or e["kind"] == kind:
                archs[e["architecture"] or ""] += 1
        hits = [e for e in matches if (not kind or e["kind"] == kind) and (not arch or e["architecture"] == arch)]
        total = len(hits)
        page = max(1, min(page, max(1, -(-total // SEARCH_PAGE))))
        shown = hits[(page - 1) * SEARCH_PAGE: page * SEARCH_PAGE]
        return {
            "q": q, "kind": kind, "architecture": arch, "total": total, "page": page, "size": SEARCH_PAGE,
            "results": [{k: v for k, v in e.items() if not k.startswith("_")} |
                        {"href": self.local_path(e["iri"]), "kindLabel": self.term_label(e["kind"])}
                        for e in shown],
            "facets": {
                "kind": [{"value": k, "label": self.term_label(k), "n": n}
                         for k, n in sorted(kinds.items(), key=lambda kv: self.kind_sort_key(kv[0]))],
                "architecture": [{"value": a, "ref": self.arch_ref(a), "n": n}
                                 for a, n in sorted(archs.items(), key=lambda kv: self._arch_order(kv[0]))],
            },
        }

    def _arch_order(self, iri: str) -> int:
        for i, a in enumerate(self.architectures()):
            if a["iri"] == iri:
                return i
        return 1_000

    # -- graphs and shapes ----------------------------------------------------------------------------------
    def graphs(self) -> list[dict]:
        def compute():
            return [{"iri": g.iri, "triples": g.triples, "name": g.iri[len(str(GRAPH)):]
                     if g.iri.startswith(str(GRAPH)) else g.iri} for g in self.store.graphs()]
        return self.cached("graphs", compute)

    def shapes(self) -> list[dict]:
        """The SHACL shapes in the store's shapes graphs, with label, comment and severity."""
        def compute():
            rows = self.select("""SELECT ?g ?shape ?p ?o WHERE {
                GRAPH ?g { ?shape a ?t ; ?p ?o .
                           FILTER(?t IN (sh:NodeShape, sh:PropertyShape))
                           FILTER(?p IN (rdfs:label, rdfs:comment, sh:severity, sh:targetClass, sh:path)) }
                FILTER(isIRI(?shape)) }""")
            by: dict[str, dict] = {}
            for r in rows:
                s = by.setdefault(r["shape"], {"iri": r["shape"], "graph": r["g"], "label": {}, "comment": {},
                                               "severity": None, "targets": []})
                if r["p"] == RDFS + "label" and isinstance(r["o"], Lit):
                    s["label"].setdefault(r["o"].lang or "", r["o"].value)
                elif r["p"] == RDFS + "comment" and isinstance(r["o"], Lit):
                    s["comment"].setdefault(r["o"].lang or "", r["o"].value)
                elif r["p"] == SH + "severity":
                    s["severity"] = local_name(text(r["o"]))
                elif r["p"] == SH + "targetClass" and isinstance(r["o"], str):
                    s["targets"].append({"iri": r["o"], "label": self.term_label(r["o"]),
                                         "href": self.local_path(r["o"])})
            for s in by.values():
                s["name"] = local_name(s["iri"])
                s["anchor"] = s["name"]
                s["severity"] = s["severity"] or "Violation"
                s["file"] = s["graph"][len(str(GRAPH)):] if s["graph"].startswith(str(GRAPH)) else s["graph"]
            return sorted(by.values(), key=lambda s: (s["file"], s["name"]))
        return self.cached("shapes", compute)


def relation_phrases(relation: str | None, direction: str) -> dict[str, str]:
    """The relation's words in both languages, read from the page element's side (relation_words)."""
    return {lang: phrase(relation, direction, lang) for lang in ("nl", "en")}


def status_included(status: str | None, statuses: Iterable[str]) -> bool:
    """Whether an alignment with ``status`` passes the status filter (no status counts as proposed)."""
    return (status or "voorgesteld") in statuses


def json_string(value: str) -> str:
    """A SPARQL string literal."""
    import json
    return json.dumps(value)


def natural(value: str) -> tuple:
    """Sort key: NAP2 before NAP10, D1.2 before D1.10."""
    import re
    parts = re.split(r"(\d+)", value or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts)


def _inverse(p: str) -> dict[str, str] | None:
    from .i18n import INVERSE
    if p in INVERSE:
        nl, en = INVERSE[p]
        return {"nl": nl, "en": en}
    return None
