"""The pre-commit hook in a team's own repository (issue 11): pre-commit installs this checkout
non-editable into its own environment and runs ``stelsel validate`` on the team's model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from serve_process import clean_env

from .conftest import REPO, run

pytestmark = pytest.mark.install

MODEL = REPO / "tests" / "fixtures" / "model-repository"


def test_hook_reports_the_models_real_findings(tmp_path):
    repo = tmp_path / "architectuur"
    shutil.copytree(MODEL / "data", repo / "data")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = run([pre_commit, "try-repo", REPO, "stelsel-validate", "--all-files", "--verbose"],
                 cwd=repo, env=env, check=False, timeout=900)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "stelsel validate" in out and "Failed" in out
    # the defect, where it is, with the rules that catch it
    assert "data/alignments/gemeente.ttl:22:1: violation:" in out, out
    assert "nora/NAP99" in out and "[AansluitingNaar]" in out and "[PasToeOfLegUit]" in out
    # the model aligned P1 to NAP01 (bundled NORA was found): no finding on that alignment
    assert "aansluiting-P1" not in out
    # findings about the bundled stelsel itself are not the team's concern
    assert "/id/ear>" not in out and "/id/rosa/2022>" not in out
