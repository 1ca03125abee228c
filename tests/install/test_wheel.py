"""stelsel as users install it (issue 11): the wheel carries the content, and the installed
command works from an empty folder: validate, canned queries, dataset validation and serve."""

from __future__ import annotations

import json
import shutil
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from serve_process import ServeProcess, get, sparql_json
from stelsel.content import content_files

from .conftest import REPO, run

pytestmark = pytest.mark.install

FIXTURES = REPO / "tests" / "datasets" / "fixtures"


def test_sdist_and_wheel_carry_every_content_file_and_both_licences(dist):
    expected = {f.relative_to(REPO).as_posix() for f in content_files(REPO)}
    assert {"ontology/stelsel.ttl", "data/nora.ttl", "shapes/structure.ttl", "queries/principes-naar-nora.rq"} <= expected
    with tarfile.open(dist.sdist) as tar:
        top = tar.getnames()[0].split("/")[0]
        in_sdist = {n[len(top) + 1:] for n in tar.getnames()}
    assert expected <= in_sdist, sorted(expected - in_sdist)
    assert {"LICENSE", "LICENSE-DATA", "setup.py", "MANIFEST.in"} <= in_sdist

    with zipfile.ZipFile(dist.wheel) as whl:
        names = set(whl.namelist())
        stamp = json.loads(whl.read("stelsel/content/STAMP.json"))
        metadata = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
        for rel in expected:  # every file, byte for byte (the build copies, nobody keeps a second copy)
            assert whl.read(f"stelsel/content/{rel}") == (REPO / rel).read_bytes(), rel
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE-DATA") for n in names)
    version = next(line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Version: "))
    assert stamp["package_version"] == version
    assert set(stamp["files"]) == expected
    assert "License-Expression: EUPL-1.2 AND CC-BY-4.0" in metadata


def test_twine_accepts_both(dist):
    result = run([Path(sys.executable).parent / "twine", "check", "--strict", dist.sdist, dist.wheel])
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_installed_command_from_an_empty_folder(dist, user_install, empty_dir, capsys):
    stelsel = user_install.stelsel
    version = run([stelsel, "--version"], cwd=empty_dir).stdout
    assert "packaged" in version and "site-packages" in version, version

    started = time.perf_counter()
    validated = run([stelsel, "validate", "--lang", "en"], cwd=empty_dir, check=False)
    first_validate = time.perf_counter() - started
    assert validated.returncode == 0, validated.stderr + validated.stdout[-2000:]
    assert "conforms" in validated.stdout
    assert "NAP" in validated.stdout  # the NORA coverage summary: the packaged data and queries were read

    queries = run([stelsel, "queries"], cwd=empty_dir).stdout
    assert "principes-naar-nora" in queries

    answer = run([stelsel, "query", "--name", "principes-naar-nora", "--format", "json"], cwd=empty_dir).stdout
    rows = json.loads(answer)["results"]["bindings"]
    assert rows and any("/id/nora/" in value["value"] for row in rows for value in row.values())

    graphs = run([stelsel, "graphs", "--format", "json"], cwd=empty_dir).stdout
    counts = {g["graph"].rsplit("/", 1)[-1]: g["triples"] for g in json.loads(graphs)}
    assert counts.get("nora", 0) > 1000 and counts.get("dera", 0) > 1000, counts

    shutil.copy(FIXTURES / "kb-dataset.jsonld", empty_dir)
    shutil.copy(FIXTURES / "invalid.jsonld", empty_dir)
    valid = run([stelsel, "datasets", "validate", "kb-dataset.jsonld"], cwd=empty_dir, check=False)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    invalid = run([stelsel, "datasets", "validate", "invalid.jsonld"], cwd=empty_dir, check=False)
    assert invalid.returncode == 1, invalid.stdout + invalid.stderr

    # the default install stays small: no embedding model, and suggest falls back to words and structure
    suggested = run([stelsel, "suggest", "gemma/GAP18", "--format", "json", "-k", "3"], cwd=empty_dir).stdout
    answer = json.loads(suggested)
    assert answer["method"] == "combined" and len(answer["elements"][0]["suggestions"]) == 3
    hybrid = run([stelsel, "suggest", "gemma/GAP18", "--method", "hybrid"], cwd=empty_dir, check=False)
    assert hybrid.returncode == 2 and "pip install 'stelsel[suggest]'" in hybrid.stdout + hybrid.stderr
    with capsys.disabled():
        print(f"\n[install] wheel {dist.wheel.stat().st_size / 1000:.0f} kB (build {dist.build_seconds:.0f} s); "
              f"venv + pip install {user_install.install_seconds:.1f} s; first stelsel validate {first_validate:.1f} s")


def test_installed_server_from_an_empty_folder(user_install, empty_dir):
    with ServeProcess([str(user_install.stelsel)], cwd=empty_dir) as server:
        status, home, _ = get(server.base_url + "/")
        assert status == 200 and "NORA" in home
        answer = sparql_json(server.base_url, "SELECT (COUNT(*) AS ?n) WHERE { ?e a ?t } ")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) > 1000
        status, page, _ = get(server.base_url + "/id/nora/NAP01")
        assert status == 200 and "NAP01" in page
        status, turtle, headers = get(server.base_url + "/id/nora/NAP01", accept="text/turtle")
        assert status == 200 and headers.get("Content-Type", "").startswith("text/turtle")
        from rdflib import Graph, URIRef
        nap01 = URIRef("https://w3id.org/stelsel/id/nora/NAP01")
        assert len(list(Graph().parse(data=turtle, format="turtle").predicate_objects(nap01))) > 3
