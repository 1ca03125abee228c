"""Starting ``stelsel serve`` as users do (issue 11): a busy port is one sentence with exit 2; a
store behind the bundled files gets a note, and ``--reload-content`` picks the files up."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from serve_process import ServeProcess, clean_env, sparql_json

STELSEL = str(Path(sys.executable).parent / "stelsel")
TTL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/a> skos:prefLabel "{label}"@nl .
"""


def small_content(root: Path, label: str) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "ontology" / "o.ttl").write_text(TTL.format(label="ontologie").replace("/a>", "/o>"), encoding="utf-8")
    (root / "data" / "mine.ttl").write_text(TTL.format(label=label), encoding="utf-8")
    return root


def test_busy_port_is_one_sentence_and_exit_2(tmp_path):
    content = small_content(tmp_path / "content", "eerste")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([STELSEL, "--content", str(content), "--store", str(tmp_path / "store"), "serve",
                                 "--port", str(port)], capture_output=True, text=True, env=clean_env(), timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"127.0.0.1:{port}: the port is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr and len(result.stderr.strip().splitlines()) == 2
    assert "SPARQL endpoint" not in result.stdout  # no URL printed for a server that never listened


def label_served(server: ServeProcess) -> str:
    answer = sparql_json(server.base_url, "SELECT ?l WHERE { <https://example.org/a> ?p ?l }")
    return answer["results"]["bindings"][0]["l"]["value"]


def test_note_when_the_bundled_files_changed_and_reload_content(tmp_path):
    content = small_content(tmp_path / "content", "eerste")
    command = [STELSEL, "--content", str(content), "--store", str(tmp_path / "store")]
    with ServeProcess(command, cwd=tmp_path) as server:
        assert label_served(server) == "eerste"
        assert "note:" not in server.output()
    (content / "data" / "mine.ttl").write_text(TTL.format(label="tweede"), encoding="utf-8")
    with ServeProcess(command, cwd=tmp_path) as server:
        assert label_served(server) == "eerste"   # the store is not changed behind the operator's back
        assert "note: the bundled files" in server.output() and "--reload-content" in server.output()
    with ServeProcess(command, cwd=tmp_path, serve_args=("--reload-content",)) as server:
        assert label_served(server) == "tweede"
        assert "note:" not in server.output()
    with ServeProcess(command, cwd=tmp_path) as server:
        assert "note:" not in server.output()


def test_a_write_through_the_running_server_as_the_lock_message_says(tmp_path):
    import json

    from stelsel.server.auth import hash_token, new_token
    from stelsel.store import LOCKED_HINT
    content = small_content(tmp_path / "content", "eerste")
    (tmp_path / "mijn.ttl").write_text(TTL.format(label="van mij").replace("/a>", "/mijn>"), encoding="utf-8")
    token = new_token()
    env = clean_env(STELSEL_TOKENS=json.dumps({"ik": {"hash": hash_token(token), "graphs": ["https://example.org/graph/*"]}}))
    store = [STELSEL, "--content", str(content), "--store", str(tmp_path / "store")]
    load = ["load", "mijn.ttl", "--graph", "https://example.org/graph/mine"]
    with ServeProcess(store, cwd=tmp_path, env=env) as server:
        locked = subprocess.run([*store, *load], cwd=tmp_path, capture_output=True, text=True, env=clean_env())
        assert locked.returncode == 2 and LOCKED_HINT in locked.stderr.replace("\n  next: ", "")
        url = f"{server.base_url}/sparql"   # the command the hint names, with URL filled in
        through = subprocess.run([STELSEL, "--store", url, "--update-endpoint", url, *load], cwd=tmp_path,
                                 capture_output=True, text=True, env=clean_env(STELSEL_STORE_TOKEN=token))
        assert through.returncode == 0, through.stderr
        answer = sparql_json(server.base_url, "SELECT ?l WHERE { GRAPH <https://example.org/graph/mine> { ?s ?p ?l } }")
        assert [b["l"]["value"] for b in answer["results"]["bindings"]] == ["van mij"]
