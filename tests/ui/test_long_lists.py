"""Issue 12 item 5: long lists are collapsible and identical names are told apart."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import select
from test_pages import app, client, page, parse, text_of  # noqa: F401 (app, client: the shared page fixtures)


@pytest.mark.parametrize("slug", ["dera", "nora", "ocw", "rosa-2024"])
def test_every_element_list_reads_without_twins_and_long_ones_start_closed(client, slug):
    tree = parse(page(client, f"/architectuur/{slug}?lang=nl"))
    kinds = [d for d in tree.iter("details") if d.get("class") == "kind"]
    assert kinds
    for d in kinds:
        items = [text_of(li) for li in d.find("ul").iter("li")]
        twins = [name for name, n in Counter(items).items() if n > 1]
        assert not twins, twins[:5]
        assert (d.get("open") is None) == (len(items) > 24), (text_of(d.find("summary")), len(items))


def test_the_data_really_has_twins_on_dera(bundled):
    """The case the issue names: DERA has elements with the same name (else the test above proves little)."""
    rows = select(bundled, """PREFIX stelsel: <https://w3id.org/stelsel/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?l (COUNT(?e) AS ?n) WHERE { ?e stelsel:inArchitectuur <https://w3id.org/stelsel/id/dera> ;
          skos:prefLabel ?l } GROUP BY ?l HAVING (COUNT(?e) > 1)""")
    assert rows
