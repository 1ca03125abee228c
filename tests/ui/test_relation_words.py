"""Issue 12 item 1: an alignment's relation reads right from both of its elements' pages.

The reference is SKOS (https://www.w3.org/TR/skos-reference/#mapping, S39-S43): ``A broadMatch B``
means B is the broader one; ``narrowMatch`` is its inverse; exact, close and related matches are
symmetric. The test reads each phrase back into a fact ("X broader than Y") and compares that fact
with what SKOS says, for every kind and both directions, in both languages.
"""

from __future__ import annotations

import re

import pytest
from conftest import select
from test_pages import app, client, ID, page, parse, text_of  # noqa: F401 (app, client: the shared page fixtures)

from stelsel.server import relation_words as rw

SKOS = "http://www.w3.org/2004/02/skos/core#"
KINDS = ["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]

# What SKOS says about "A <kind> B", as (subject, fact, object).
SKOS_MEANING = {
    "exactMatch": ("A", "same", "B"),
    "closeMatch": ("A", "close", "B"),
    "broadMatch": ("B", "broader", "A"),        # S41: B is a broader concept than A
    "narrowMatch": ("A", "broader", "B"),       # inverse of broadMatch: B is narrower than A
    "relatedMatch": ("A", "related", "B"),
}
SYMMETRIC = {"same", "close", "related"}

# How a reader understands each phrase (the words a Dutch or English architect would use).
READ = {
    "nl": {"is gelijk aan": "same", "is vrijwel gelijk aan": "close", "is breder dan": "broader",
           "is smaller dan": "narrower", "is verwant aan": "related"},
    "en": {"is the same as": "same", "is nearly the same as": "close", "is broader than": "broader",
           "is narrower than": "narrower", "is related to": "related"},
}


def understood(sentence: str, lang: str) -> tuple[str, str, str]:
    subject, rest = sentence.split(" ", 1)
    for words, fact in sorted(READ[lang].items(), key=lambda kv: -len(kv[0])):
        if rest.startswith(words + " "):
            obj = rest[len(words) + 1:]
            if fact == "narrower":  # "X narrower than Y" is "Y broader than X"
                return obj, "broader", subject
            return subject, fact, obj
    raise AssertionError(f"cannot read {sentence!r}")


def same_fact(a, b) -> bool:
    if a == b:
        return True
    return a[1] == b[1] and a[1] in SYMMETRIC and (a[0], a[2]) == (b[2], b[0])


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_match_kind_reads_as_skos_defines_it_from_both_sides(kind, lang):
    expected = SKOS_MEANING[kind]
    on_a_page = rw.sentence("A", SKOS + kind, "B", rw.OUT, lang)    # A's page: the alignment goes out
    on_b_page = rw.sentence("B", SKOS + kind, "A", rw.IN, lang)     # B's page: the alignment comes in
    assert same_fact(understood(on_a_page, lang), expected), (on_a_page, expected)
    assert same_fact(understood(on_b_page, lang), expected), (on_b_page, expected)


def test_broad_and_narrow_match_are_each_others_inverse():
    for lang in ("nl", "en"):
        assert rw.phrase(SKOS + "broadMatch", rw.OUT, lang) == rw.phrase(SKOS + "narrowMatch", rw.IN, lang)
        assert rw.phrase(SKOS + "broadMatch", rw.IN, lang) == rw.phrase(SKOS + "narrowMatch", rw.OUT, lang)


# -- on the pages, against the data ---------------------------------------------------------------------------
def _alignment_rows(bundled, kind):
    return select(bundled, f"""PREFIX stelsel: <https://w3id.org/stelsel/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?al ?a ?an ?b ?bn WHERE {{
          ?al a stelsel:Aansluiting ; stelsel:vanElement ?a ; stelsel:naarElement ?b ;
              stelsel:relatie skos:{kind} .
          ?a skos:notation ?an . ?b skos:notation ?bn .
          FILTER(STRSTARTS(STR(?a), "{ID}") && STRSTARTS(STR(?b), "{ID}")) }} ORDER BY ?al LIMIT 3""")


def _relation_cell(client, element_iri, alignment_iri, lang):
    tree = parse(page(client, element_iri[len("https://w3id.org/stelsel"):] + f"?lang={lang}"))
    path = alignment_iri[len("https://w3id.org/stelsel"):]
    cells = [text_of(a) for a in tree.iter("a") if a.get("href") == path and a.get("class") == "relation"]
    assert cells, f"no relation link to {path} on {element_iri}"
    return cells[0]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", ["broadMatch", "narrowMatch", "exactMatch"])
def test_element_pages_read_each_alignment_from_their_own_side(client, bundled, kind, lang):
    rows = _alignment_rows(bundled, kind)
    if not rows:
        pytest.skip(f"no {kind} alignment in today's data")
    for r in rows:
        expected = tuple({"A": r["an"], "B": r["bn"]}.get(x, x) for x in SKOS_MEANING[kind])
        on_a = _relation_cell(client, r["a"], r["al"], lang) + " " + r["bn"]
        on_b = _relation_cell(client, r["b"], r["al"], lang) + " " + r["an"]
        assert same_fact(understood(on_a, lang), expected), (on_a, expected)
        assert same_fact(understood(on_b, lang), expected), (on_b, expected)


def test_p6_reads_narrower_than_fair_on_its_own_page(client, bundled):
    """The case in the issue: P6 broadMatch IMP047 (FAIR) — FAIR is the broader one."""
    rows = select(bundled, """PREFIX stelsel: <https://w3id.org/stelsel/def#>
        SELECT ?al ?rel WHERE { ?al stelsel:vanElement <https://w3id.org/stelsel/id/dera/P6> ;
          stelsel:naarElement <https://w3id.org/stelsel/id/nora/IMP047> ; stelsel:relatie ?rel }""")
    assert rows, "P6 no longer aligns to IMP047"
    kind = rows[0]["rel"].rsplit("#", 1)[1]
    nl = _relation_cell(client, ID + "dera/P6", rows[0]["al"], "nl")
    en = _relation_cell(client, ID + "dera/P6", rows[0]["al"], "en")
    if kind == "broadMatch":
        assert nl == "P6 is smaller dan" and en == "P6 is narrower than"
    assert same_fact(understood(nl + " IMP047", "nl"), understood(en + " IMP047", "en"))
    assert re.search(r"breder dan", nl) is None or kind == "narrowMatch"
