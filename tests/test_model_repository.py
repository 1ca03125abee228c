"""``stelsel validate`` without DATA in a team's own repository (stelsel.model_repository): the
team's data/ is checked together with the bundled stelsel it aligns to."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from stelsel.cli import main
from stelsel.model_repository import model_repository_data

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "tests" / "fixtures" / "model-repository"


def test_only_a_data_folder_that_is_not_the_contents_makes_a_model_repository(tmp_path):
    assert model_repository_data(REPO, cwd=REPO) is None            # the stelsel checkout itself
    assert model_repository_data(REPO, cwd=tmp_path) is None        # no data/ here
    (tmp_path / "data").mkdir()
    assert model_repository_data(REPO, cwd=tmp_path) == [tmp_path / "data"]


def test_a_repaired_model_conforms_and_keeps_its_coverage(tmp_path, monkeypatch):
    shutil.copytree(MODEL / "data", tmp_path / "data")
    alignments = tmp_path / "data" / "alignments" / "gemeente.ttl"
    alignments.write_text(alignments.read_text(encoding="utf-8").replace("NAP99", "NAP10"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "-f", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["counts"]["Violation"] == 0
    assert "data/gemeente.ttl" in report["data"] and any(d.endswith("nora.ttl") for d in report["data"])
    mine = [c for c in report["coverage"] if c["architecture"] == "https://example.org/voorbeeldstad/architectuur/architectuur"]
    assert mine and mine[0]["covered"] == 2  # NAP01 and NAP10
    # what is left is about the team's architecture only, not about the bundled stelsel
    assert {f["focus_node"] for f in report["findings"]} <= {mine[0]["architecture"]}
