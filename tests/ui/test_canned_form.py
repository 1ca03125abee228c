"""Issue 12 item 4: canned queries as forms a person can use.

Booleans are checkboxes (unticked means false), IRI parameters whose default is an architecture or
an element are choices by name, answers show names instead of IRIs, and wide answers show a few
columns with a choice of the others.
"""

from __future__ import annotations

import urllib.parse

from conftest import select
from test_pages import app, client, page, parse, text_of  # noqa: F401 (app, client: the shared page fixtures)

STALE = "/query/aansluitingen-op-vervallen-elementen"


def _table(tree):
    table = tree.find(".//table[@class='results']")
    heads = [text_of(th) for th in table.find("thead").iter("th")]
    rows = [[text_of(td) for td in tr.iter("td")] for tr in table.find("tbody")]
    return heads, rows


def test_a_boolean_is_a_checkbox_and_unticked_means_false(client, bundled):
    tree = parse(page(client, STALE + "?lang=nl"))
    box = tree.find(".//input[@name='vervallenArchitectuur']")
    assert box.get("type") == "checkbox" and box.get("checked") is not None  # default true
    mark = tree.find(".//input[@type='hidden']")
    unticked = parse(page(client, f"{STALE}?{mark.get('name')}={mark.get('value')}"))
    assert unticked.find(".//input[@name='vervallenArchitectuur']").get("checked") is None
    heads, rows = _table(unticked)
    [expected] = select(bundled, """PREFIX stelsel: <https://w3id.org/stelsel/def#>
        SELECT (COUNT(DISTINCT ?al) AS ?n) WHERE { ?al a stelsel:Aansluiting ; stelsel:naarElement ?t .
          ?t stelsel:status stelsel:Vervallen . FILTER NOT EXISTS { ?al stelsel:status stelsel:Vervallen } }""")
    assert len(rows) == int(expected["n"])
    assert {r[heads.index("vervallenArchitectuur")] for r in rows} <= {"false"}


def test_an_architecture_parameter_is_a_choice_of_architectures_by_name(client, bundled):
    tree = parse(page(client, "/query/principes-naar-nora?lang=en"))
    choice = tree.find(".//select[@name='architectuur']")
    options = {o.get("value"): text_of(o) for o in choice.iter("option")}
    archs = select(bundled, """PREFIX stelsel: <https://w3id.org/stelsel/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?a ?l WHERE { ?a a stelsel:Architectuur ; skos:prefLabel ?l FILTER(lang(?l) = "en") }""")
    assert set(options) == {a["a"] for a in archs}
    for a in archs:
        assert options[a["a"]].startswith(a["l"])


def test_answers_name_iris_and_hide_language_tags(client):
    tree = parse(page(client, STALE + "?lang=nl"))
    table = tree.find(".//table[@class='results']")
    cells = [text_of(td) for td in table.iter("td")]
    assert cells and not [c for c in cells if c.startswith("https://")], cells[:10]
    assert not table.findall(".//span[@class='lang-tag']")
    links = [a for a in table.iter("a") if (a.get("href") or "").startswith("/id/aansluiting/")]
    assert links and all(text_of(a).startswith("aansluiting ") for a in links)
    assert all(a.get("title", "").startswith("https://w3id.org/stelsel/id/aansluiting/") for a in links)  # IRI on hover


def test_a_wide_answer_shows_some_columns_and_lets_the_visitor_choose(client):
    tree = parse(page(client, STALE))
    heads, _rows = _table(tree)
    offered = [i.get("value") for i in tree.iter("input") if i.get("name") == "kolom"]
    assert 1 < len(heads) < len(offered)
    chosen = ["reden", "vervanger"]
    heads, _rows = _table(parse(page(client, STALE + "?" + urllib.parse.urlencode([("kolom", c) for c in chosen]))))
    assert heads == chosen
    csv = page(client, STALE + ".csv").data.decode("utf-8").splitlines()[0].split(",")
    assert csv == offered  # the CSV keeps every column
