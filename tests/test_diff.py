"""stelsel diff (issue 13): NORA 2023 -> NORA as GEMMA holds it (2026), and ROSA 2022 -> 2024.
Expectations are computed from the source CSVs and from the canned query, not from the tool."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import REPO, SOURCES, filled_store
from stelsel.cli import main
from stelsel.diff import diff
from stelsel.queries import load_catalogue

NORA_CSV = SOURCES / "nora"
LAYERS = {"Grondslagenlaag": 1, "Organisatielaag": 2, "Organisatielaaglaag": 2, "Informatielaag": 3,
          "Applicatielaag": 4, "Netwerklaag": 5}
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="needs ../shared/sources")


def read(name: str) -> list[dict]:
    with (NORA_CSV / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def nora(bundled):
    return diff(bundled, "nora", "nora/2026")


@needs_sources
def test_removed_and_added_implicaties_match_the_sources(nora):
    old = {r["nora_id"] for r in read("nora-bindende-architectuurafspraken-elements.csv") if r["kind"] == "Implicatie"}
    new = {r["nora_id"] for r in read("nora-gemma-motivation-elements.csv")
           if r["owner"] == "NORA" and r["kind"] == "Implicatie"}
    removed = {c.old.notation for c in nora.changes if c.kind == "removed" and c.old.kind == "Implicatie"}
    added = {c.new.label for c in nora.changes if c.kind == "added"}
    assert removed == old - new and len(removed) == 4
    assert len(added) == len(new - old) == 1    # "NAP07.01" Deel open data


@needs_sources
def test_renamed_elements_match_the_sources(nora):
    old = {r["nora_id"]: norm(r["name"]) for r in read("nora-bindende-architectuurafspraken-elements.csv")}
    new = {r["nora_id"]: norm(r["name"]) for r in read("nora-gemma-motivation-elements.csv") if r["owner"] == "NORA"}
    expected = {i for i in old.keys() & new.keys() if old[i] != new[i]}
    assert {c.old.notation for c in nora.changes if c.kind == "renamed"} == expected
    assert len(expected) == 14


@needs_sources
def test_relinked_implicaties_match_the_sources(nora):
    rel23 = read("nora-bindende-architectuurafspraken-relations.csv")
    rel26 = read("nora-gemma-motivation-relations.csv")
    el23 = read("nora-bindende-architectuurafspraken-elements.csv")
    el26 = [r for r in read("nora-gemma-motivation-elements.csv") if r["owner"] == "NORA"]

    def layers23(r):
        return {int(m) for m in re.findall(r"Laag(\d)", r["vijflaagsmodel_layers"])}

    def layers26(r):
        return {LAYERS[x.strip()] for x in r["vijflaagsmodel"].replace(";", ",").split(",") if x.strip()}
    old = {r["nora_id"]: {x["target_id"] for x in rel23 if x["source_id"] == r["nora_id"]} | layers23(r)
           for r in el23 if r["kind"] == "Implicatie"}
    new = {r["nora_id"]: {x["target_nora_id"] for x in rel26 if x["source_nora_id"] == r["nora_id"]
                          and x["target_owner"] == "NORA"} | layers26(r)
           for r in el26 if r["kind"] == "Implicatie"}
    expected = {i for i in old.keys() & new.keys() if old[i] != new[i]}
    got = {c.old.notation for c in nora.changes if c.kind == "relinked" and c.old.kind == "Implicatie"}
    assert got == expected and expected


def test_alignments_to_removed_implicaties_are_named(nora):
    to_removed = {(a["from"].rsplit("/id/", 1)[1], a["to_label"]) for a in nora.alignments if "removed" in a["changes"]}
    assert ("ocw/privacy-by-design", "IMP032") in to_removed
    assert {("rosa/2022/zeggenschap-in-kaart", "IMP071"), ("rosa/2024/zeggenschap-in-kaart", "IMP071")} <= to_removed


def test_rosa_diff_agrees_with_the_canned_query(bundled):
    d = diff(bundled, "rosa/2022", "rosa/2024")
    query = load_catalogue(REPO / "queries")["wijzigingen-tussen-versies"]   # defaults: ROSA 2022 -> 2024
    result = bundled.query(query.text, substitutions=query.bindings({}))
    kinds = Counter(row["wijziging"].value for row in result)
    counts = d.counts()
    assert (counts["added"], counts["removed"], counts["renamed"], counts["retyped"]) == \
        (kinds["toegevoegd"], kinds["verwijderd"], kinds["hernoemd"], kinds["andere soort"])


def run(bundled_path, *args):
    return CliRunner().invoke(main, ["--store", str(bundled_path), "--content", str(REPO), "diff", *args],
                              catch_exceptions=False)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A store of its own for the CLI (the shared one is held open by this process)."""
    return filled_store(tmp_path_factory.mktemp("diff") / "store")


def test_cli_formats(store_path, nora):
    text = run(store_path, "nora", "nora/2026")
    assert text.exit_code == 0 and "IMP032" in text.output and "removed" in text.output
    data = json.loads(run(store_path, "nora", "nora/2026", "-f", "json").output)
    assert data["counts"] == nora.counts() and len(data["alignments"]) == len(nora.alignments)
    table = list(csv.DictReader(io.StringIO(run(store_path, "nora", "nora/2026", "-f", "csv").output)))
    assert len(table) == len(nora.changes) + len(nora.alignments)
    assert {r["change"] for r in table} >= {"added", "removed", "renamed", "relinked", "alignment"}


def test_cli_unknown_architecture_is_a_usage_error(store_path):
    r = run(store_path, "nora", "nora/2099")
    assert r.exit_code == 2 and "not an architecture" in r.output and "nora/2026" in r.output
