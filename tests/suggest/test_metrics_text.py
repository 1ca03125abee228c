"""The ranking metrics on hand-checkable examples, the Dutch analyzer and BM25."""

from __future__ import annotations

import math

import pytest

from stelsel.suggest.evaluate import split
from stelsel.suggest.lexical import BM25
from stelsel.suggest.metrics import average, per_query
from stelsel.suggest.text import Analyzer, words


def test_metrics_by_hand():
    # relevant b (rank 2) and d (rank 4): first hit at 2; AP = (1/2 + 2/4) / 2
    m = per_query(["a", "b", "c", "d", "e"], {"b", "d"})
    assert m == {"hit@1": 0.0, "hit@5": 1.0, "mrr": 0.5, "recall@5": 1.0, "recall@10": 1.0, "map": 0.5}


def test_metrics_first_rank_and_cut_offs():
    ranking = [f"x{i}" for i in range(12)]
    m = per_query(ranking, {"x0", "x6", "x11"})  # ranks 1, 7 and 12
    assert m["hit@1"] == 1.0 and m["mrr"] == 1.0
    assert m["recall@5"] == pytest.approx(1 / 3) and m["recall@10"] == pytest.approx(2 / 3)
    assert m["map"] == pytest.approx((1 / 1 + 2 / 7 + 3 / 12) / 3)


def test_metrics_relevant_item_missing_from_the_ranking_counts_zero():
    m = per_query(["a", "b"], {"z"})
    assert m == {"hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0, "recall@5": 0.0, "recall@10": 0.0, "map": 0.0}
    with pytest.raises(ValueError):
        per_query(["a"], set())


def test_average_over_queries():
    rows = [per_query(["a", "b"], {"a"}), per_query(["a", "b"], {"b"})]
    assert average(rows)["mrr"] == 0.75 and average(rows)["hit@1"] == 0.5


def test_split_is_fixed_disjoint_and_complete():
    queries = [f"q{i}" for i in range(53)]
    a, b = split(queries, seed=14)
    assert (a, b) == split(list(reversed(queries)), seed=14)
    assert not set(a) & set(b) and set(a) | set(b) == set(queries) and len(a) == 26
    assert split(queries, seed=15) != (a, b)


def test_analyzer_splits_dutch_compounds_and_stems():
    analyzer = Analyzer.for_texts(["gegevens uitwisseling", "persoons gegevens", "informatie objecten",
                                   "gegevensuitwisseling persoonsgegevens informatieobjecten"])
    assert analyzer.split("gegevensuitwisseling") == ("gegevens", "uitwisseling")
    assert analyzer.split("persoonsgegevens") == ("persoons", "gegevens")
    assert analyzer.split("uitwisseling") == ()  # no known parts
    # a compound and its parts share terms, so "uitwisseling van gegevens" finds "gegevensuitwisseling"
    assert set(analyzer.terms("uitwisseling van gegevens")) <= set(analyzer.terms("gegevensuitwisseling"))


def test_analyzer_keeps_the_head_of_a_rare_compound_it_cannot_split():
    # GEMMA's beleidskader "Digitoegankelijk" is in the corpus (once), "digi" is no word of it, but
    # "toegankelijk" is far more common: the head is kept, so NORA's KD14 Toegankelijk matches
    analyzer = Analyzer.for_texts(["Digitoegankelijk"] + ["toegankelijk voor iedereen"] * 4)
    assert analyzer.split("digitoegankelijk") == ("toegankelijk",)
    assert set(analyzer.terms("Toegankelijk")) <= set(analyzer.terms("Digitoegankelijk"))
    # a head only as common as the word, or shorter than seven letters, is not taken
    assert Analyzer.for_texts(["digitoegankelijk toegankelijk"]).split("digitoegankelijk") == ()
    assert Analyzer.for_texts(["statussen"] + ["tussen"] * 9).split("statussen") == ()
    # a word the corpus has never seen keeps any known head of six letters or more (as before)
    assert Analyzer.for_texts(["plaats"]).split("vindplaats") == ("plaats",)


def test_stop_words_and_accents():
    assert words("De gebruiker staat centraal in één overheid") == ["gebruiker", "staat", "centraal", "overheid"]


def test_bm25_matches_the_formula():
    docs = {"a": ["privacy", "bescherm"], "b": ["dienst", "bundel", "dienst"], "c": ["gegevens"]}
    bm = BM25(docs)
    n, df, avg = 3, 1, 2.0
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    tf, length = 2, 3
    expected = idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / avg))
    assert bm.scores(["dienst"]) == {"b": pytest.approx(expected)}
    assert bm.scores(["onbekend"]) == {}
    assert bm.shared(["dienst", "privacy"], "b") == ["dienst"]
