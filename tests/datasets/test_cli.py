"""``stelsel datasets``: validate (exit codes, formats, summary table, progress), register, list, trace."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from stelsel.cli import main
from stelsel.server.auth import hash_token

from .dsutil import DATASETS, FIXTURES, REGISTER, REPO, need


def run(tmp_path, *args, env=None):
    runner = CliRunner()
    return runner.invoke(main, ["--store", str(tmp_path / "store"), "--content", str(REPO), *args],
                         catch_exceptions=False, env=env)


def test_valid_descriptions_exit_0_with_a_summary_table(tmp_path):
    r = run(tmp_path, "datasets", "validate", str(FIXTURES / "kb-dataset.jsonld"), str(FIXTURES / "warnings-only.ttl"))
    assert r.exit_code == 0, r.output
    assert "beschrijving" in r.stderr and "geldig" in r.stderr and "kb-dataset.jsonld" in r.stderr
    assert "2 geldig" in r.stderr


def test_an_invalid_description_exits_1_and_the_report_has_its_findings(tmp_path):
    r = run(tmp_path, "datasets", "validate", "-f", "json", "--lang", "en", str(FIXTURES / "invalid.jsonld"),
            str(FIXTURES / "kb-dataset.jsonld"))
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["conforms"] is False and doc["counts"]["Violation"] >= 1
    assert any(f["location"]["path"].endswith("invalid.jsonld") for f in doc["findings"])
    assert "description" in r.stderr and "invalid" in r.stderr


def test_fail_on_warning_makes_warnings_fail(tmp_path):
    r = run(tmp_path, "datasets", "validate", "--fail-on", "warning", str(FIXTURES / "warnings-only.ttl"))
    assert r.exit_code == 1


def test_an_unreadable_file_exits_2_but_the_others_are_validated(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "kb-dataset.jsonld", folder)
    (folder / "kapot.ttl").write_text("<a> <b> .\n")
    r = run(tmp_path, "datasets", "validate", str(folder))
    assert r.exit_code == 2
    assert "kapot.ttl" in r.stderr and "fout" in r.stderr and "1 geldig" in r.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run(tmp_path, "datasets", "validate", str(tmp_path / "missing.ttl")).exit_code == 2
    r = run(tmp_path, "datasets", "validate", "--shapes", str(tmp_path / "none.ttl"), str(FIXTURES / "invalid.jsonld"))
    assert r.exit_code == 2 and "shapes" in r.stderr


def test_a_shape_the_engine_cannot_evaluate_exits_3(tmp_path):
    shapes = tmp_path / "js.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/S> a sh:NodeShape ; sh:targetClass <https://schema.org/Dataset> ;
  sh:js [ sh:jsFunctionName "f" ; sh:jsLibrary [ sh:jsLibraryURL "https://example.org/f.js" ] ] .""")
    r = run(tmp_path, "datasets", "validate", "--shapes", str(shapes), str(FIXTURES / "kb-dataset.jsonld"))
    assert r.exit_code == 3, r.output


def test_the_registers_shapes_warn_on_stderr(tmp_path):
    shapes = need(REGISTER / "shacl.ttl")
    r = run(tmp_path, "datasets", "validate", "--shapes", str(shapes), "-f", "sarif", str(FIXTURES / "kb-dataset.jsonld"))
    assert r.exit_code == 0
    assert r.stderr.count("warning:") == 7 and "nde-dataset:DistributionShape" in r.stderr
    assert json.loads(r.stdout)["version"] == "2.1.0"


def test_progress_bar_on_stderr(tmp_path):
    r = run(tmp_path, "datasets", "validate", "--progress", str(FIXTURES / "kb-dataset.jsonld"),
            str(FIXTURES / "warnings-only.ttl"))
    assert r.exit_code == 0 and "validating" in r.stderr and "validating" not in r.stdout


def test_register_list_and_trace_from_the_command_line(tmp_path):
    token = "stl_cli_secret"
    config = tmp_path / "stelsel.toml"
    config.write_text(f'[tokens.kb-cli]\nhash = "{hash_token(token)}"\ngraphs = ["{DATASETS}kb/*"]\n'
                      'publishers = ["https://www.kb.nl/"]\n')
    base = ["--config", str(config)]
    r = run(tmp_path, *base, "datasets", "register", str(FIXTURES / "kb-dataset.jsonld"), "--publisher", "kb",
            "--token", token)
    assert r.exit_code == 0, r.output
    ident = r.stdout.split("\t")[0]
    assert ident.startswith("kb/prenten-")
    listed = json.loads(run(tmp_path, *base, "datasets", "list", "-f", "json").stdout)
    assert [row["id"] for row in listed] == [ident]
    traced = run(tmp_path, *base, "datasets", "trace", ident)
    assert traced.exit_code == 0 and "P5" in traced.stdout and "NAP" in traced.stdout
    # another publisher's space with this token: refused, nothing written
    r = run(tmp_path, *base, "datasets", "register", str(FIXTURES / "rce-dataset.ttl"), "--publisher", "rce",
            "--token", token)
    assert r.exit_code == 2 and "may not write" in r.stderr
    assert len(json.loads(run(tmp_path, *base, "datasets", "list", "-f", "json").stdout)) == 1


def test_register_refuses_an_invalid_description(tmp_path):
    r = run(tmp_path, "datasets", "register", str(FIXTURES / "invalid.jsonld"), "--publisher", "kb")
    assert r.exit_code == 1 and "not registered" in r.stderr


@pytest.mark.parametrize("args", [["datasets", "--help"], ["datasets", "validate", "--help"],
                                  ["datasets", "register", "--help"]])
def test_help(tmp_path, args):
    assert run(tmp_path, *args).exit_code == 0
