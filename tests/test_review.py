"""The review workflow (issue 13): an owner's decision on an alignment is recorded with reviewer,
date and comment, never deletes history, survives a reload, travels in the exports, and over HTTP
needs a token of an architecture on either end of the alignment."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import SKOS

from stelsel.cli import main
from stelsel.config import Config
from stelsel.importers.sssom import read_sssom
from stelsel.iris import alignment_iri, deviation_iri
from stelsel.review import REVIEW_GRAPH
from stelsel.server import create_app
from stelsel.server.auth import hash_token
from stelsel.store import EmbeddedStore
from stelsel.vocab import GRAPH, ID, STELSEL as S

from conftest import filled_store, select

REPO = Path(__file__).resolve().parents[1]
DOELBINDING = alignment_iri(ID["rosa/2024/doelbinding"], SKOS.closeMatch, ID["nora/NAP11"])
SHORT = DOELBINDING[len(str(ID)):]                      # aansluiting/<hash>
PLAIN = f"<{ID['rosa/2024/doelbinding']}> <{SKOS.closeMatch}> <{ID['nora/NAP11']}>"
NVT = deviation_iri(ID["rosa/2022/aansluiten-bij-nora"], ID.nora)
ICTU = "https://w3id.org/stelsel/id/org/ictu"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return filled_store(tmp_path_factory.mktemp("review") / "store")


@pytest.fixture(scope="module")
def run(store_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, ["--store", str(store_path), "--content", str(REPO), *args],
                             catch_exceptions=False)
    return invoke


def rows(store_path: Path, sparql: str) -> list[dict]:
    store = EmbeddedStore(store_path)
    try:
        return select(store, sparql)
    finally:
        store.close()


def current(store_path: Path, iri: str = DOELBINDING) -> dict:
    (row,) = rows(store_path, f"""SELECT ?status ?who ?name ?date WHERE {{ <{iri}> <{S}status> ?status .
        OPTIONAL {{ <{iri}> <{S}beoordelaar> ?who }} OPTIONAL {{ <{iri}> <{S}beoordelaarNaam> ?name }}
        OPTIONAL {{ <{iri}> <http://purl.org/dc/terms/date> ?date }} }}""")
    return row


def test_a_decision_is_recorded_and_the_history_kept(run, store_path):
    assert current(store_path)["status"] == str(S.Voorgesteld)
    first = run("review", SHORT, "--status", "vastgesteld", "--comment", "Zelfde principe.",
                "--reviewer", ICTU, "--reviewer-label", "ICTU, NORA-beheer", "--date", "2026-12-01")
    assert first.exit_code == 0, first.output
    assert current(store_path) == {"status": str(S.Vastgesteld), "who": ICTU, "name": "ICTU, NORA-beheer",
                                   "date": "2026-12-01"}
    second = run("review", DOELBINDING, "--status", "afgewezen", "--comment", 'Te breed: "doel" is smaller.',
                 "--reviewer", ICTU, "--date", "2026-12-02")
    assert second.exit_code == 0, second.output
    state = current(store_path)
    assert state["status"] == str(S.Afgewezen) and state["date"] == "2026-12-02" and state["name"] is None
    # a rejected alignment is no longer found as if it held
    assert not rows(store_path, f"SELECT * WHERE {{ {PLAIN} }}")
    history = json.loads(run("review", SHORT, "--history", "--format", "json").output)
    assert [(r["decision"], r["date"]) for r in history["reviews"]] == [("Vastgesteld", "2026-12-01"),
                                                                        ("Afgewezen", "2026-12-02")]
    assert history["reviews"][1]["comment"] == 'Te breed: "doel" is smaller.'
    reviews = rows(store_path, f"""SELECT ?r ?prev WHERE {{ GRAPH <{REVIEW_GRAPH}> {{ ?r a <{S}Beoordeling> ;
        <{S}betreft> <{DOELBINDING}> ; <{S}vorigeStatus> ?prev }} }}""")
    assert sorted(r["prev"] for r in reviews) == sorted([str(S.Voorgesteld), str(S.Vastgesteld)])


def test_adopting_again_restores_the_plain_triple_and_reload_keeps_decisions(run, store_path):
    assert run("review", SHORT, "--status", "vastgesteld", "--comment", "Na overleg toch.", "--reviewer",
               ICTU, "--date", "2026-12-03").exit_code == 0
    assert rows(store_path, f"SELECT * WHERE {{ {PLAIN} }}")
    assert run("review", NVT, "--status", "vastgesteld", "--comment", "Meta-afspraak, terecht n.v.t.",
               "--reviewer", ICTU).exit_code == 0
    reloaded = run("reload")
    assert reloaded.exit_code == 0, reloaded.output
    assert current(store_path)["status"] == str(S.Vastgesteld)
    assert current(store_path, NVT)["status"] == str(S.Vastgesteld)
    assert len(json.loads(run("review", SHORT, "--history", "--format", "json").output)["reviews"]) == 3


def test_exports_carry_the_decision(run, store_path, tmp_path):
    out = tmp_path / "s.sssom.tsv"
    assert run("export", "sssom", "-o", str(out)).exit_code == 0
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    table = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))
    (row,) = [r for r in table if r["subject_id"].endswith("rosa/2024/doelbinding")
              and r["object_id"].endswith("nora/NAP11")]
    assert (row["reviewer_id"], row["mapping_date"], row["status"]) == ("id:org/ictu", "2026-12-03",
                                                                         "stelsel:Vastgesteld")
    back = read_sssom(out)  # and read back, the reviewer is an IRI again
    assert (rdflib.URIRef(DOELBINDING), S.beoordelaar, rdflib.URIRef(ICTU)) in back
    trig = tmp_path / "all.trig"
    assert run("export", "--format", "trig", "-o", str(trig)).exit_code == 0
    ds = rdflib.Dataset()
    ds.parse(trig, format="trig")
    history = ds.graph(rdflib.URIRef(REVIEW_GRAPH))
    assert len(list(history.subjects(rdflib.RDF.type, S.Beoordeling))) == 4


@pytest.mark.parametrize("args, message", [
    (("aansluiting/0000000000000000", "--status", "vastgesteld", "--comment", "x", "--reviewer", ICTU),
     "there is no alignment"),
    ((SHORT, "--status", "vastgesteld", "--reviewer", ICTU), "needs a comment"),
    ((SHORT, "--status", "vastgesteld", "--comment", "x", "--reviewer", "ICTU"), "is not an IRI"),
    ((SHORT, "--status", "vastgesteld", "--comment", "x", "--reviewer", ICTU, "--date", "1-12-2026"),
     "is not a date"),
    ((SHORT, "--comment", "x"), "--status"),
])
def test_bad_input_is_refused_and_nothing_written(run, store_path, args, message):
    before = rows(store_path, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    result = run("review", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert rows(store_path, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == before


# -- HTTP ------------------------------------------------------------------------------------------

NORA_TOKEN, DERA_TOKEN = "nora-beheer-secret", "nde-secret"


@pytest.fixture()
def client(store_path):
    config = Config(store=store_path, content_root=REPO).replace(tokens={
        "nora": {"hash": hash_token(NORA_TOKEN), "graphs": [str(GRAPH.nora)]},
        "dera": {"hash": hash_token(DERA_TOKEN), "graphs": [str(GRAPH.dera)]},
    })
    store = EmbeddedStore(store_path)
    app = create_app(config, store=store)
    yield app.test_client()
    store.close()


def test_http_review_with_the_owners_token(client):
    body = {"status": "afgewezen", "comment": "Doelbinding is breder } ; DROP ALL ;", "reviewer_id": ICTU,
            "reviewer_label": "NORA-beheer"}
    assert client.post(f"/review/{SHORT}", json=body).status_code == 401
    r = client.post(f"/review/{SHORT}", json=body, headers={"Authorization": f"Bearer {DERA_TOKEN}"})
    assert r.status_code == 403 and "graph/nora" in r.get_json()["hint"]
    r = client.post(f"/review/{SHORT}", json=body, headers={"Authorization": f"Bearer {NORA_TOKEN}"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["decision"] == "Afgewezen" and r.headers["Location"] == f"/review/{SHORT}"
    shown = client.get(f"/review/{SHORT}").get_json()
    assert shown["status"] == "Afgewezen" and shown["reviews"][-1]["comment"] == body["comment"]
    assert client.get("/review/aansluiting/00000000").status_code == 404
    # the alignment's own page shows the decision and who took it (the RDF the pages read)
    html = client.get(f"/id/{SHORT}", headers={"Accept": "text/html"}).data.decode("utf-8")
    assert "NORA-beheer" in html and "Afgewezen" in html
    bad = client.post(f"/review/{SHORT}", json={**body, "status": "misschien"},
                      headers={"Authorization": f"Bearer {NORA_TOKEN}"})
    assert bad.status_code == 400 and "vastgesteld" in bad.get_json()["hint"]
