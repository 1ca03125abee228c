"""Issue 12 item 4: IRI parameters of canned queries in the forms the CLI prints, or refused.

``--param architectuur=id:rosa/2024`` (the compact form ``stelsel`` prints) answers what the full
IRI answers; a form that names nothing (an unknown prefix, a bare path) exits 2 with the accepted
forms, instead of answering 0 rows.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REPO

from stelsel.cli import main
from stelsel.queries import expand_iri

ROSA24 = "https://w3id.org/stelsel/id/rosa/2024"


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    return tmp_path_factory.mktemp("params") / "store"


def _rows(store, value):
    result = CliRunner().invoke(main, ["--store", str(store), "--content", str(REPO), "query", "--name",
                                       "principes-naar-nora", "--param", f"architectuur={value}", "--format", "json"],
                                catch_exceptions=False)
    return result


@pytest.mark.parametrize("form", ["id:rosa/2024", f"<{ROSA24}>", ROSA24])
def test_the_compact_and_bracketed_forms_answer_what_the_full_iri_answers(cli_store, form):
    full = _rows(cli_store, ROSA24)
    assert full.exit_code == 0, full.output
    expected = json.loads(full.stdout)["results"]["bindings"]
    assert expected, "ROSA 2024 has no principles in the data any more"
    given = _rows(cli_store, form)
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["results"]["bindings"] == expected


@pytest.mark.parametrize("form", ["rosa:2024", "rosa/2024", "javascript:alert(1)", "http://a b"])
def test_a_form_that_names_nothing_is_refused_with_the_accepted_forms(cli_store, form):
    result = _rows(cli_store, form)
    assert result.exit_code == 2, result.output
    assert "must be iri" in result.stderr and "id:rosa/2024" in result.stderr


def test_expand_iri_against_the_prefixes():
    from stelsel.vocab import PREFIXES
    for prefix, ns in PREFIXES.items():
        assert expand_iri("x", f"{prefix}:Thing") == f"{ns}Thing"
    assert expand_iri("x", "urn:x-stelsel:sample") == "urn:x-stelsel:sample"
