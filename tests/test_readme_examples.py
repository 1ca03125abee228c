"""Every shell example in README.md (the ```sh blocks) works as written (issue 11).

The flow of a new user: ``make serve`` (here: the same ``stelsel serve`` on the default store of a
working folder that holds the content), then the CLI examples in another terminal. Commands that
read run beside the server; commands that write must say clearly what to do while it runs, and
work once it is stopped. Files the examples name (my.rq, MODEL.xml, dataset.jsonld …) are made
from the test fixtures. ``make`` lines other than ``make serve`` are not run (``make test`` is
this test run).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from serve_process import ServeProcess, clean_env
from stelsel.content import CONTENT_FOLDERS
from stelsel.files import current_umask

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
STELSEL = Path(sys.executable).parent / "stelsel"


def readme_commands() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(words)
    return commands


def writes(words: list[str]) -> bool:
    """Commands that change the store."""
    sub = [w for w in words[1:] if not w.startswith("-")]
    return bool(sub) and (sub[0] in ("load", "reload") or "--load" in words or sub[:2] == ["datasets", "register"])


def allowed_exit_codes(words: list[str]) -> set[int]:
    # validate reports findings with exit 1: the example did what it says (a report was written)
    return {0, 1} if words[1] == "validate" else {0}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder like a fresh clone (the content folders) plus the files the examples name."""
    for folder in CONTENT_FOLDERS:
        shutil.copytree(REPO / folder, tmp_path / folder)
    (tmp_path / "my.rq").write_text("SELECT ?a ?naam WHERE { ?a a <https://w3id.org/stelsel/def#Architectuur> ; "
                                    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?naam }\n", encoding="utf-8")
    model = FIXTURES / "model-repository" / "data" / "gemeente.ttl"
    shutil.copy(model, tmp_path / "my-model.ttl")
    shutil.copy(model, tmp_path / "model.ttl")
    for name in ("MODEL.xml", "NORA.xml"):
        shutil.copy(FIXTURES / "archimate" / "model.xml", tmp_path / name)
    for part in ("elements", "relations", "properties"):
        shutil.copy(FIXTURES / "archimate" / f"model-{part}.csv", tmp_path / f"rosa-{part}.csv")
    shutil.copy(FIXTURES / "sssom" / "alignments.sssom.tsv", tmp_path / "mappings.sssom.tsv")
    datasets = REPO / "tests" / "datasets" / "fixtures"
    shutil.copy(datasets / "kb-dataset.jsonld", tmp_path / "dataset.jsonld")
    (tmp_path / "descriptions").mkdir()
    shutil.copy(datasets / "kb-dataset.jsonld", tmp_path / "descriptions")
    shutil.copy(datasets / "rce-dataset.ttl", tmp_path / "descriptions")
    # known.json: the baseline of model.ttl, as `--write-baseline` makes it
    subprocess.run([STELSEL, "validate", "model.ttl", "--write-baseline", "known.json"], cwd=tmp_path,
                   env=clean_env(), capture_output=True, check=True)
    return tmp_path


def stelsel(words: list[str], cwd: Path) -> subprocess.CompletedProcess:
    assert words[0] == "stelsel", words
    return subprocess.run([str(STELSEL), *words[1:]], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=300)


def output_file(words: list[str]) -> str | None:
    return words[words.index("-o") + 1] if "-o" in words else None


def test_readme_lists_only_commands_this_test_runs():
    commands = readme_commands()
    assert ["make", "serve"] in commands
    assert all(w[0] in ("stelsel", "make") for w in commands), [w for w in commands if w[0] not in ("stelsel", "make")]
    assert sum(writes(w) for w in commands) >= 3 and sum(w[0] == "stelsel" for w in commands) >= 20


def test_every_readme_example_beside_a_running_server(workspace):
    commands = [w for w in readme_commands() if w[0] == "stelsel"]
    umask = current_umask()
    with ServeProcess([str(STELSEL)], cwd=workspace) as server:  # what `make serve` runs
        assert "SPARQL endpoint" in server.output()
        for words in commands:
            result = stelsel(words, workspace)
            shown = f"$ {shlex.join(words)}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
            if writes(words):  # one clear sentence with what to do; never a traceback
                assert result.returncode == 2, shown
                assert "in use by another stelsel process" in result.stderr and "stop the server" in result.stderr, shown
                assert "Traceback" not in result.stderr, shown
                continue
            assert result.returncode in allowed_exit_codes(words), shown
            assert "Traceback" not in result.stderr, shown
            if output_file(words):
                path = workspace / output_file(words)
                assert path.stat().st_size > 0, shown
                assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, shown  # honours the umask
            elif words[1] in ("graphs", "query", "queries"):
                assert result.stdout.strip(), shown
        graphs = json.loads(stelsel(["stelsel", "graphs", "--format", "json"], workspace).stdout)
        assert any(g["graph"].endswith("/nora") for g in graphs)
    # with the server stopped, the commands that write work as written
    for words in filter(writes, commands):
        result = stelsel(words, workspace)
        assert result.returncode == 0, f"$ {shlex.join(words)}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    graphs = json.loads(stelsel(["stelsel", "graphs", "--format", "json"], workspace).stdout)
    assert "https://example.org/graph/mine" in {g["graph"] for g in graphs}
