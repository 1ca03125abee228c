"""The CI integration files: .pre-commit-hooks.yaml and the GitHub composite action (action.yml)
parse and carry the keys pre-commit and GitHub require; docs/validation.md covers them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "stelsel-validate"]
    for key in ("id", "name", "entry", "language"):  # required by pre-commit
        assert isinstance(hook.get(key), str) and hook[key], key
    assert hook["entry"] == "stelsel validate"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for name in ("data/nora.ttl", "x.trig", "a.nt", "a.nq", "m.jsonld", "m.rdf", "model.xml"):
        assert pattern.search(name), name
    for name in ("README.md", "ttl.py", "data/nora.ttl.bak"):
        assert not pattern.search(name), name


def test_github_action():
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    for key in ("name", "description", "runs"):
        assert action.get(key), key
    assert {"data", "shapes", "fail-on", "format"} <= set(action["inputs"])
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec or spec.get("required"), name
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    for step in steps:  # composite run steps must name their shell
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "pip install" in scripts and "GITHUB_ACTION_PATH" in scripts
    assert not re.search(r"pip install[^\n]* -e ", scripts)  # installed like a user (the content is packaged)
    assert re.search(r"stelsel validate .*-f sarif -o", scripts, flags=re.S)
    assert re.search(r'stelsel validate .*-f "\$FORMAT"', scripts, flags=re.S)
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["if"].startswith("always()")
    assert upload["with"]["sarif_file"]
    # every input is used by some step
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"inputs.{name}" in text, name


def test_validation_docs_cover_the_ci_files():
    doc = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    for needle in ("stelsel-validate", "upload-sarif", "junit", ".gitlab-ci.yml", "--baseline",
                   "--write-baseline", "--fail-on", "| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert needle in doc, needle
    # every output format has a sample
    for fmt in ("text", "json", "turtle", "jsonld", "csv", "sarif", "junit", "github"):
        assert f"`{fmt}`" in doc, fmt
    # the example workflows in the docs are valid YAML
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert len(blocks) >= 3
    for block in blocks:
        yaml.safe_load(block)
