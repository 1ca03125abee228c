"""Accepting a suggestion goes through the review workflow and records that it came from the suggester."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner

from conftest import filled_store

from stelsel.cli import main
from stelsel.config import Config
from stelsel.review import REVIEW_GRAPH, history
from stelsel.server import create_app
from stelsel.server.serving import close_app
from stelsel.store import EmbeddedStore
from stelsel.suggest.accept import SUGGESTIONS_GRAPH

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store_path(tmp_path) -> Path:
    return filled_store(tmp_path / "store")


def run(path, *args):
    return CliRunner().invoke(main, ["--store", str(path), "--content", str(REPO), "suggest", *args],
                              catch_exceptions=False)


def recorded(path, target: str) -> dict:
    """The one accepted alignment of dera/P7 to `target`: its record, with the English rationale."""
    store = EmbeddedStore(path)
    try:
        rows = list(store.query(f"""PREFIX stelsel: <https://w3id.org/stelsel/def#>
            PREFIX dct: <http://purl.org/dc/terms/>
            SELECT ?a ?status ?creator ?just ?conf ?why WHERE {{ GRAPH <{SUGGESTIONS_GRAPH}> {{
              ?a stelsel:vanElement <https://w3id.org/stelsel/id/dera/P7> ; stelsel:naarElement <{target}> ;
                 stelsel:status ?status ; dct:creator ?creator ; stelsel:onderbouwing ?just ;
                 stelsel:betrouwbaarheid ?conf ; stelsel:rationale ?why FILTER(lang(?why) = "en") }} }}"""))
        assert len(rows) == 1, rows
        row = {name: term.value for name, term in zip(("a", "status", "creator", "just", "conf", "why"), rows[0])}
        row["reviews"] = history(store, row["a"])
        row["review_graph_links"] = bool(store.query(f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ ?r ?p <{row['a']}> }} }}"))
        return row
    finally:
        store.close()


def test_accept_records_the_alignment_and_the_review(store_path):
    result = run(store_path, "dera/P7", "-m", "lexical", "-k", "1", "--format", "json")
    target = json.loads(result.output)["elements"][0]["suggestions"][0]["target"]
    done = run(store_path, "accept", "dera/P7", target, "-m", "lexical", "--reviewer", "https://example.org/nde",
               "--reviewer-name", "NDE architect", "--comment", "Klopt: diversiteit vraagt deze keuze.")
    assert done.exit_code == 0, done.output
    row = recorded(store_path, target)
    assert row["status"].endswith("#Vastgesteld")  # adopted by the review
    assert row["creator"].startswith("stelsel suggest")
    assert row["just"] == "https://w3id.org/semapv/vocab/LexicalMatching"
    assert len(row["reviews"]) == 1 and row["reviews"][0].comment.startswith("Klopt")
    assert row["review_graph_links"]


def test_accept_without_a_valid_reviewer_writes_nothing(store_path):
    result = run(store_path, "dera/P7", "-m", "lexical", "-k", "1", "--format", "json")
    target = json.loads(result.output)["elements"][0]["suggestions"][0]["target"]
    done = run(store_path, "accept", "dera/P7", target, "-m", "lexical", "--reviewer", "not an iri",
               "--comment", "x")
    assert done.exit_code == 2 and "next:" in done.output
    store = EmbeddedStore(store_path)
    try:
        assert not bool(store.query(
            f"ASK {{ GRAPH <{SUGGESTIONS_GRAPH}> {{ ?s <https://w3id.org/stelsel/def#vanElement> ?o }} }}"))
    finally:
        store.close()


def test_accept_records_what_the_default_suggest_showed(store_path):
    # `suggest` and `suggest accept` share their default method (hybrid with the model, which the
    # test install has), so the record carries the rank and confidence the user saw
    shown = json.loads(run(store_path, "dera/P7", "-k", "3", "--format", "json").output)
    assert shown["method"] == "hybrid"
    third = shown["elements"][0]["suggestions"][2]
    done = run(store_path, "accept", "dera/P7", third["target"], "--reviewer", "https://example.org/nde",
               "--comment", "Past bij de keuzevrijheid van bronhouders.")
    assert done.exit_code == 0, done.output
    row = recorded(store_path, third["target"])
    assert row["just"] == "https://w3id.org/semapv/vocab/SemanticSimilarityThresholdMatching"
    assert float(row["conf"]) == pytest.approx(third["confidence"])
    assert row["why"].startswith("Suggestion (hybrid, rank 3)")


def test_the_command_on_the_page_adopts_what_the_page_showed(store_path):
    # the page ranks with "combined" (no model needed); the command it prints names that method, so
    # running it as shown records the page's rank and confidence, whatever the CLI's own default
    store = EmbeddedStore(store_path)
    app = create_app(Config(store=store_path, content_root=REPO, query_workers=0), store=store)
    try:
        client = app.test_client()
        doc = html5lib.parse(client.get("/id/dera/P7?lang=en").get_data(as_text=True), namespaceHTMLElements=False)
        shown = client.get("/id/dera/P7.json").get_json()["suggestions"]
    finally:
        close_app(app)
        store.close()
    command = next(c.text for c in doc.iter("code") if c.text and c.text.startswith("stelsel suggest accept"))
    second = shown["items"][1]
    args = [{"TARGET": second["target"], "IRI": "https://example.org/nde", "…": "Zoals voorgesteld."}.get(a, a)
            for a in shlex.split(command)[2:]]
    assert "--method" in args
    done = run(store_path, *args)
    assert done.exit_code == 0, done.output
    row = recorded(store_path, second["target"])
    assert row["why"].startswith(f"Suggestion ({shown['method']}, rank 2)")
    assert float(row["conf"]) == pytest.approx(second["confidence"])
