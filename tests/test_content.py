"""Where the content comes from (stelsel.content): the checkout, a folder given, or the package."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from stelsel.cli import main
from stelsel.config import load_config
from stelsel.content import content_files, content_info, find_content_root, own_content_root

REPO = Path(__file__).resolve().parents[1]


def test_checkout_is_the_content_root_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty folder: the checkout this package is imported from
    assert find_content_root() == REPO == own_content_root()
    assert load_config(environ={}).content_root == REPO


def test_a_folder_that_holds_ontology_and_data_is_used(tmp_path, monkeypatch):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "data" / "sub")
    assert find_content_root() == tmp_path
    assert load_config(environ={}, content_root=REPO).content_root == REPO  # --content wins


def test_new_content_files_are_picked_up_by_glob(tmp_path):
    for rel in ("ontology/a.ttl", "data/gemma.ttl", "data/nora-2026.ttl", "shapes/new.ttl", "queries/new.rq",
                "data/.hidden.ttl", "data/__pycache__/x.pyc"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert [f.relative_to(tmp_path).as_posix() for f in content_files(tmp_path)] == [
        "data/gemma.ttl", "data/nora-2026.ttl", "ontology/a.ttl", "queries/new.rq", "shapes/new.ttl"]
    before = content_info(tmp_path).sha256
    (tmp_path / "data" / "gemma.ttl").write_text("y", encoding="utf-8")
    assert content_info(tmp_path).sha256 != before


def test_version_names_package_and_content(tmp_path):
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    package, content = result.output.splitlines()
    assert package.startswith("stelsel ")
    assert content.startswith("content ") and f"(checkout: {REPO})" in content
    (tmp_path / "data").mkdir()
    other = CliRunner().invoke(main, ["--content", str(tmp_path), "--version"])
    assert f"(folder: {tmp_path})" in other.output
