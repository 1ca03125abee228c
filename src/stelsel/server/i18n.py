"""The UI's two languages: gettext catalogues (Dutch and English ``.po`` files under ``locale/``),
numbers and dates.

``t(key, lang, **values)`` looks a string up and fills ``{name}`` places; a key missing in
``lang`` falls back to Dutch, a key missing altogether is returned as it is (so a typo shows on
the page instead of failing it; the tests check that every key has both languages).

The language of a request is ``?lang=`` (which the browse pages also remember in the cookie
``stelsel_lang``), else that cookie, else Dutch.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
COOKIE = "stelsel_lang"

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "stelsel"


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, tuple[str, str]]:
    """key -> (Dutch, English), read once from the gettext catalogues ``locale/<lang>/LC_MESSAGES/stelsel.po``
    (msgid: the key; translators edit the .po files with the ordinary tools, e.g. Poedit or pybabel)."""
    from babel.messages.pofile import read_po

    texts: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        with open(LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
            for message in read_po(f, locale=lang):
                if message.id and isinstance(message.id, str):
                    texts.setdefault(message.id, {})[lang] = message.string or ""
    return {key: (v.get("nl", ""), v.get("en", "")) for key, v in texts.items()}


# Incoming relations, read from the object's side ("NAP01 is gerealiseerd door IMP001").
INVERSE: dict[str, tuple[str, str]] = {
    "https://w3id.org/stelsel/def#realiseert": ("gerealiseerd door", "realised by"),
    "https://w3id.org/stelsel/def#beinvloedt": ("beïnvloed door", "influenced by"),
    "https://w3id.org/stelsel/def#draagtBijAan": ("bijgedragen door", "contributed to by"),
    "https://w3id.org/stelsel/def#isAfgeleidVan": ("basis van", "basis of"),
    "https://w3id.org/stelsel/def#hoortBijLaag": ("bevat", "contains"),
    "https://w3id.org/stelsel/def#aggregeert": ("geaggregeerd door", "aggregated by"),
    "https://w3id.org/stelsel/def#bestaatUit": ("onderdeel van", "part of"),
    "https://w3id.org/stelsel/def#bedient": ("bediend door", "served by"),
    "https://w3id.org/stelsel/def#wijstToe": ("toegewezen door", "assigned by"),
    "https://w3id.org/stelsel/def#heeftToegangTot": ("benaderd door", "accessed by"),
    "https://w3id.org/stelsel/def#triggert": ("getriggerd door", "triggered by"),
    "https://w3id.org/stelsel/def#stroomtNaar": ("ontvangt stroom van", "receives flow from"),
    "https://w3id.org/stelsel/def#specialiseert": ("gespecialiseerd door", "specialised by"),
    "https://w3id.org/stelsel/def#isGerelateerdAan": ("gerelateerd vanuit", "related from"),
    "https://w3id.org/stelsel/def#pastStandaardToe": ("toegepast door", "applied by"),
    "https://w3id.org/stelsel/def#moetVoldoenAan": ("geldt voor", "applies to"),
    "https://w3id.org/stelsel/def#eigenaar": ("eigenaar van", "owner of"),
    "https://w3id.org/stelsel/def#moetAansluitenOp": ("moet aangesloten worden vanuit", "must be aligned to by"),
    "https://w3id.org/stelsel/def#inArchitectuur": ("bevat het element", "contains the element"),
    "https://w3id.org/stelsel/def#vanElement": ("aansluiting of afwijking", "alignment or deviation"),
    "https://w3id.org/stelsel/def#naarElement": ("aangesloten vanuit", "aligned from"),
    "https://w3id.org/stelsel/def#tenOpzichteVan": ("afwijking vanuit", "deviation from"),
    "https://w3id.org/stelsel/def#inSet": ("bevat", "contains"),
    "https://w3id.org/stelsel/def#status": ("status van", "status of"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("instanties", "instances"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("subklassen", "subclasses"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("eigenschappen met dit domein", "properties with this domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("eigenschappen met dit bereik", "properties with this range"),
    "http://purl.org/dc/terms/isReplacedBy": ("vervangt", "replaces"),
    "http://purl.org/dc/terms/hasVersion": ("versie van", "version of"),
    "http://purl.org/dc/terms/isVersionOf": ("heeft versie", "has version"),
    "http://www.w3.org/ns/prov#wasRevisionOf": ("herzien in", "revised in"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("heeft onderdeel", "has unit"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("gelijk aan (vanuit)", "exact match from"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("vrijwel gelijk aan (vanuit)", "close match from"),
    "http://www.w3.org/2004/02/skos/core#broadMatch": ("is bredere match van", "is broader match of"),
    "http://www.w3.org/2004/02/skos/core#narrowMatch": ("is smallere match van", "is narrower match of"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("verwant aan (vanuit)", "related match from"),
}

# Labels for reused terms the ontology declares without a label of its own.
TERMS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("soort", "type"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("naam", "name"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("andere naam", "alternative name"),
    "http://www.w3.org/2004/02/skos/core#notation": ("code", "code"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definitie", "definition"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("gelijk aan", "exact match"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("vrijwel gelijk aan", "close match"),
    "http://www.w3.org/2004/02/skos/core#broadMatch": ("heeft bredere match", "has broader match"),
    "http://www.w3.org/2004/02/skos/core#narrowMatch": ("heeft smallere match", "has narrower match"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("verwant aan", "related match"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", "label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("toelichting", "comment"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("zie ook", "see also"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("subklasse van", "subclass of"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("domein", "domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("bereik", "range"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("gedefinieerd in", "defined by"),
    "http://www.w3.org/2002/07/owl#versionInfo": ("versie", "version"),
    "http://purl.org/dc/terms/creator": ("auteur", "author"),
    "http://purl.org/dc/terms/date": ("datum", "date"),
    "http://purl.org/dc/terms/issued": ("uitgegeven", "issued"),
    "http://purl.org/dc/terms/source": ("bron", "source"),
    "http://purl.org/dc/terms/title": ("titel", "title"),
    "http://purl.org/dc/terms/description": ("beschrijving", "description"),
    "http://purl.org/dc/terms/license": ("licentie", "licence"),
    "http://purl.org/dc/terms/isReplacedBy": ("vervangen door", "replaced by"),
    "http://purl.org/dc/terms/isVersionOf": ("versie van", "version of"),
    "http://purl.org/dc/terms/hasVersion": ("heeft versie", "has version"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afgeleid van", "derived from"),
    "http://www.w3.org/ns/prov#wasRevisionOf": ("herziening van", "revision of"),
    "http://www.w3.org/ns/prov#invalidatedAtTime": ("vervallen op", "withdrawn on"),
    "http://xmlns.com/foaf/0.1/homepage": ("website", "homepage"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("onderdeel van", "sub-organisation of"),
    "http://www.w3.org/ns/org#linkedTo": ("verbonden met", "linked to"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` places filled (numbers localised)."""
    catalogue = _catalogue()
    if values.get("n") == 1 and not isinstance(values["n"], bool) and key + ".one" in catalogue:
        key += ".one"  # the singular: "1 rij", "1 row"
    entry = catalogue.get(key)
    if entry is None:
        text = key
    else:
        text = (entry[1] if lang == "en" else entry[0]) or entry[0] or key
    if values:
        shown = {k: (format_number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                 for k, v in values.items()}
        try:
            text = text.format(**shown)
        except (KeyError, IndexError):
            pass
    return text


def keys() -> list[str]:
    return list(_catalogue())


def entry(key: str) -> tuple[str, str] | None:
    return _catalogue().get(key)


def format_number(value: int | float, lang: str = DEFAULT_LANG, decimals: int | None = None) -> str:
    """1.234 (nl) or 1,234 (en); with ``decimals`` (or for a float) 1.234,5 / 1,234.5."""
    if isinstance(value, float) or decimals is not None:
        text = f"{value:,.{1 if decimals is None else decimals}f}"
    else:
        text = f"{int(value):,}"
    if lang == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def format_date(value, lang: str = DEFAULT_LANG) -> str:
    """'28 november 2026' (nl) or '28 November 2026' (en); text that is no date stays as it is."""
    if isinstance(value, (dt.date, dt.datetime)):
        d = value
    else:
        m = _DATE.match(str(value or ""))
        if not m:
            return str(value or "")
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return str(value)
    return f"{d.day} {MONTHS['en' if lang == 'en' else 'nl'][d.month - 1]} {d.year}"


def pick(texts: dict[str, str] | None, lang: str = DEFAULT_LANG, fallback: str = "") -> str:
    """From {"nl": …, "en": …, "": …}: ``lang``, else the other language, else untagged, else any."""
    if not texts:
        return fallback
    for key in (lang, "nl" if lang == "en" else "en", ""):
        if texts.get(key):
            return texts[key]
    return next((v for v in texts.values() if v), fallback)


def choose(args, cookies) -> tuple[str, bool]:
    """(language, asked explicitly) from ``?lang=`` or the cookie; Dutch by default."""
    asked = (args.get("lang") or "").lower()[:2]
    if asked in LANGS:
        return asked, True
    remembered = (cookies.get(COOKIE) or "").lower()[:2]
    if remembered in LANGS:
        return remembered, False
    return DEFAULT_LANG, False
