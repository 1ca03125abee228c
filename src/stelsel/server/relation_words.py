"""How an alignment's relation reads from one element's side, in Dutch and English.

An alignment states ``A <relation> B`` (``vanElement`` A, ``naarElement`` B). On A's page the
relation is *outgoing* and reads "A … B"; on B's page it is *incoming* and must be read from B's
side. SKOS (https://www.w3.org/TR/skos-reference/#mapping) defines ``A skos:broadMatch B`` as
"B is broader than A" and ``narrowMatch`` as its inverse; ``exactMatch``, ``closeMatch`` and
``relatedMatch`` are symmetric. So ``A broadMatch B`` reads "A is narrower than B" on A's page
and "B is broader than A" on B's page.

``phrase(relation, direction, lang)`` gives the words between the page's element and the other
one ("is smaller dan"); ``sentence`` puts both names around them. No Flask here.
"""

from __future__ import annotations

SKOS = "http://www.w3.org/2004/02/skos/core#"
STELSEL = "https://w3id.org/stelsel/def#"

OUT, IN = "out", "in"

# relation -> {direction: (Dutch, English)}; the subject of the phrase is the page's element.
_PHRASES: dict[str, dict[str, tuple[str, str]]] = {
    SKOS + "exactMatch": {OUT: ("is gelijk aan", "is the same as"), IN: ("is gelijk aan", "is the same as")},
    SKOS + "closeMatch": {OUT: ("is vrijwel gelijk aan", "is nearly the same as"),
                          IN: ("is vrijwel gelijk aan", "is nearly the same as")},
    SKOS + "broadMatch": {OUT: ("is smaller dan", "is narrower than"), IN: ("is breder dan", "is broader than")},
    SKOS + "narrowMatch": {OUT: ("is breder dan", "is broader than"), IN: ("is smaller dan", "is narrower than")},
    SKOS + "relatedMatch": {OUT: ("is verwant aan", "is related to"), IN: ("is verwant aan", "is related to")},
    STELSEL + "realiseert": {OUT: ("realiseert", "realises"), IN: ("wordt gerealiseerd door", "is realised by")},
}
_UNKNOWN = {OUT: ("sluit aan op", "aligns to"), IN: ("is aangesloten vanuit", "is aligned from")}


def phrase(relation: str | None, direction: str = OUT, lang: str = "nl") -> str:
    """The words for ``relation`` seen from the page's element (``out``: it is the alignment's
    source; ``in``: its target), e.g. broadMatch out -> "is smaller dan" / "is narrower than"."""
    words = _PHRASES.get(relation or "", _UNKNOWN)[IN if direction == IN else OUT]
    return words[1] if lang == "en" else words[0]


def sentence(this: str, relation: str | None, other: str, direction: str = OUT, lang: str = "nl") -> str:
    """"P6 is smaller dan IMP047": the page's element, the phrase, the other element."""
    return f"{this} {phrase(relation, direction, lang)} {other}"


def known() -> list[str]:
    return list(_PHRASES)
