"""`stelsel validate my-model.ttl`: one's own model checked with the parts of the bundled stelsel it
refers to (NORA here), reporting only findings about the model; `--alone` checks it by itself."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import FIXTURES, REPO
from stelsel.cli import main
from stelsel.config import Config
from stelsel.validation import validate

MODEL = FIXTURES / "validation" / "context" / "my-model.ttl"
MINE = "https://example.org/mijn-architectuur/"


def run(tmp_path: Path, *args: str):
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(REPO), "validate",
                                       str(MODEL), "-f", "json", *args], catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_the_model_in_context_conforms_and_only_its_findings_are_reported(tmp_path):
    result, doc = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert doc["counts"]["Violation"] == 0
    assert doc["findings"] and all(f["focus_node"].startswith(MINE) for f in doc["findings"])
    assert [(c["architecture"], c["covered"], c["total"]) for c in doc["coverage"]] == [(MINE, 1, 17)]


def test_alone_the_model_blames_what_it_does_not_describe(tmp_path):
    result, doc = run(tmp_path, "--alone")
    assert result.exit_code == 1
    shapes = {f["source_shape"].rsplit("#", 1)[-1] for f in doc["findings"] if f["severity"] == "Violation"}
    assert {"AansluitverplichtingOpArchitectuur", "AansluitingNaar", "AfwijkingTenOpzichteVan"} <= shapes


def test_the_api_validates_the_data_alone_unless_asked(tmp_path):
    cfg = Config(store=tmp_path / "store", content_root=REPO)
    alone = validate([MODEL], config=cfg, coverage=False)
    together = validate([MODEL], config=cfg, coverage=False, context=True)
    assert any(f.severity.value == "Violation" for f in alone.findings)
    assert not any(f.severity.value == "Violation" for f in together.findings)
