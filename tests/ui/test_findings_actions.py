"""Issue 12 item 2: a finding leads to the fix.

The finding is built the way shapes:AansluitingOpVervallenElement words it, for an alignment the
bundled data really has (found here by a query of its own): its message must show names (notation
and label in the page's language) as links instead of IRIs, the "to change" cell must link the
alignment itself, and the rule must be named by its label in the page's language.
"""

from __future__ import annotations

import pytest
from conftest import select
from test_pages import new_app, page, parse, text_of

from stelsel.findings import Finding, Report, Severity
from stelsel.server.browse_findings import split_message
from stelsel.server.browse_validation import ValidationState

SHAPES = "https://w3id.org/stelsel/shapes#"
QUERY = """PREFIX stelsel: <https://w3id.org/stelsel/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?al ?van ?vn ?naar ?nn ?arch ?new ?newn ?newlabel WHERE {
  ?al a stelsel:Aansluiting ; stelsel:vanElement ?van ; stelsel:naarElement ?naar .
  ?naar stelsel:status stelsel:Vervallen ; skos:notation ?nn .
  ?van skos:notation ?vn ; stelsel:inArchitectuur ?arch .
  OPTIONAL { ?naar dct:isReplacedBy ?new .
             ?new skos:notation ?newn ; skos:prefLabel ?newlabel . FILTER(lang(?newlabel) = "en") }
} ORDER BY DESC(BOUND(?new)) ?al LIMIT 1"""


def test_split_message_keeps_full_stops_as_text():
    parts = split_message("Aansluiting https://x/a1 wijst naar https://x/b. Vervangen door: https://x/c.")
    assert parts == ["Aansluiting ", ("https://x/a1",), " wijst naar ", ("https://x/b",), ". Vervangen door: ",
                     ("https://x/c",), "."]


@pytest.fixture(scope="module")
def stale(bundled):
    rows = select(bundled, QUERY)
    if not rows:
        pytest.skip("the bundled data has no alignment to a withdrawn element")
    return rows[0]


@pytest.fixture(scope="module")
def client(bundled, stale):
    r = stale
    if not r["new"]:  # no replacement in today's data: name one the way the rule would (any other element)
        other = select(bundled, f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?new ?newn ?newlabel WHERE {{ ?new skos:notation ?newn ; skos:prefLabel ?newlabel .
              FILTER(lang(?newlabel) = "en" && ?new != <{r['naar']}> && STRSTARTS(STR(?new), "https://w3id.org/stelsel/id/nora/"))
            }} ORDER BY ?new LIMIT 1""")[0]
        r.update(other)
    finding = Finding(
        severity=Severity.WARNING, focus_node=r["arch"], value=r["al"],
        source_shape=SHAPES + "AansluitingOpVervallenElement",
        constraint="http://www.w3.org/ns/shacl#SPARQLConstraintComponent", architecture=r["arch"],
        message={"nl": f"Aansluiting {r['al']} van {r['van']} wijst naar {r['naar']}, dat vervallen is. "
                       f"Vervangen door: {r['new']}.",
                 "en": f"Alignment {r['al']} from {r['van']} points to {r['naar']}, which has been withdrawn. "
                       f"Replaced by: {r['new']}."})
    app = new_app(bundled)
    cache = app.extensions["stelsel.validation"]
    cache._current = ValidationState("ready", bundled.version(),
                                     report=Report(findings=[finding], engine="test", seconds=0.1))
    cache._done.set()
    return app.test_client()


def _row(client, lang):
    tree = parse(page(client, f"/validatie?lang={lang}"))
    return tree.find(".//table[@class='findings']").find("tbody")[0]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_message_names_elements_and_links_them_instead_of_showing_iris(client, stale, lang):
    row = _row(client, lang)
    message = row.find("td[@class='message']")
    text = text_of(message)
    assert "https://" not in text, text
    links = {a.get("href"): text_of(a) for a in message.iter("a")}
    path = lambda iri: iri[len("https://w3id.org/stelsel"):]  # noqa: E731
    assert links[path(stale["van"])].startswith(stale["vn"])
    assert links[path(stale["naar"])].startswith(stale["nn"])
    replacement = links[path(stale["new"])]
    assert replacement.startswith(stale["newn"])  # the replacement is a named link
    if lang == "en":
        assert stale["newlabel"] in replacement
    assert links[path(stale["al"])] == ("alignment" if lang == "en" else "aansluiting") + \
        f" {stale['vn']} → {stale['nn']}"


def test_to_change_links_the_alignment_and_the_rule_is_named_in_english(client, stale):
    row = _row(client, "en")
    fix = row.find("th")
    assert "alignment" in text_of(fix)
    assert [a.get("href") for a in fix.iter("a")] == [stale["al"][len("https://w3id.org/stelsel"):]]
    rule = [a for a in row.iter("a") if a.get("href", "").startswith("/shapes#")]
    assert [text_of(a) for a in rule] == ["Alignment to a withdrawn element"]
    assert rule[0].get("href") == "/shapes#AansluitingOpVervallenElement"
