"""The input gate (stelsel.inputs): every bad input through every entry point, one table.

Each row is (input, entry point, expected outcome). The inputs are written by the builders
below; the entry points are the CLI commands (in-process, through ``main``) and the HTTP routes
(through the Flask test client); the entity bomb and a deeply nested query also go to a real
``stelsel serve`` process, which must answer 400 and stay up. An outcome is an exit code or
HTTP status plus words the user must see; an HTTP error is always the JSON error shape, never a
500. Where a position is expected, the message names file:line:column.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from oxigraph_server import free_port
from stelsel import inputs
from stelsel.cli import main
from stelsel.config import Config
from stelsel.config import TokenGrant
from stelsel.server.auth import hash_token
from stelsel.store import EmbeddedStore, load_bundled

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "tests" / "datasets" / "fixtures"
ARCHIMATE = REPO / "tests" / "fixtures" / "archimate"
SSSOM = REPO / "tests" / "fixtures" / "sssom"
GRAPH = "https://example.org/graph/gate-1"
WRITER = "stl_gate-writer-0123456789abcdef0123456789abcdef"
PARTNER = "stl_gate-partner-0123456789abcdef0123456789abcde"
DATASET_GRAPHS = "https://w3id.org/stelsel/graph/datasets/"

# -- the bad inputs ------------------------------------------------------------------------------------
ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">
 <rdf:Description rdf:about="https://example.org/s"><ex:p>&f;</ex:p></rdf:Description>
</rdf:RDF>
"""
MALFORMED_RDFXML = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">
 <rdf:Description rdf:about="https://example.org/s">
   <ex:p>x</ex:q>
 </rdf:Description>
</rdf:RDF>
"""
MALFORMED_JSONLD = b'{\n  "@id": "https://example.org/s",\n  "https://example.org/p": [1, 2\n}\n'
DEEP_JSONLD = (b'{"@id": "https://example.org/s", "https://example.org/p": ' + b"[" * 5000 + b"]" * 5000 + b"}")
DEEP_QUERY = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000     # 20 kB; pyoxigraph overflows
TURTLE = "@prefix ex: <https://example.org/> .\nex:s ex:p 1, 2 ; ex:q \"drie\"@nl .\n"


def _archimate_doctype() -> bytes:
    model = (ARCHIMATE / "model.xml").read_bytes()
    head, rest = model.split(b"?>", 1)
    return head + b'?>\n<!DOCTYPE model [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>' + rest


def _write(name: str, data: bytes):
    def build(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name
    return build


def _symlink_loop(tmp: Path) -> Path:
    """A file that exists but cannot be read (we may run as root, so chmod 000 would not do)."""
    loop = tmp / "unreadable.ttl"
    os.symlink(loop, loop)
    return loop


def _folder_where_file_expected(suffix: str):
    def build(tmp: Path) -> Path:
        (tmp / f"folder{suffix}").mkdir()
        ((tmp / f"folder{suffix}") / "notes.txt").write_text("no RDF here\n")
        return tmp / f"folder{suffix}"
    return build


def _folder_without_rdf(tmp: Path) -> Path:
    (tmp / "norf").mkdir()
    (tmp / "norf" / "README.md").write_text("# nothing to load\n")
    (tmp / "norf" / "data.csv").write_text("a,b\n1,2\n")
    return tmp / "norf"


BOM = b"\xef\xbb\xbf"
INPUTS = {
    "entity-bomb": _write("bomb.rdf", ENTITY_BOMB),
    "archimate-doctype": _write("model.xml", _archimate_doctype()),
    "bom-turtle": _write("bom.ttl", BOM + TURTLE.encode()),
    "bom-dataset": _write("bom-dataset.ttl", BOM + (DATASETS / "rce-dataset.ttl").read_bytes()),
    "bom-archimate": _write("bom-model.xml", BOM + (ARCHIMATE / "model.xml").read_bytes()),
    "bom-sssom": _write("bom.sssom.tsv", BOM + (SSSOM / "alignments.sssom.tsv").read_bytes()),
    "empty": _write("empty.ttl", b""),
    "empty-xml": _write("empty.xml", b""),
    "unreadable": _symlink_loop,
    "folder-for-file": _folder_where_file_expected(".xml"),
    "folder-without-rdf": _folder_without_rdf,
    "deep-jsonld": _write("deep.jsonld", DEEP_JSONLD),
    "deep-query": _write("deep.rq", DEEP_QUERY.encode()),
    "malformed-rdfxml": _write("bad.rdf", MALFORMED_RDFXML),
    "malformed-jsonld": _write("bad.jsonld", MALFORMED_JSONLD),
}


@dataclass(frozen=True)
class Outcome:
    code: int                   # exit code (CLI) or HTTP status
    words: tuple[str, ...] = ()  # each must appear in stderr / the JSON message (case-insensitive)


def refused(*words: str) -> Outcome:
    return Outcome(2, words)


OK = Outcome(0)
DOCTYPE = ("DOCTYPE", "refuses")
UNREADABLE = ("unreadable.ttl", "cannot be read")
NO_RDF = ("norf", "holds no")
NESTED = ("nests more than",)
RDFXML_AT = ("bad.rdf:4:", "not valid RDF/XML")
JSONLD_AT = ("bad.jsonld:4:1", "not valid")

# -- the CLI table ----------------------------------------------------------------------------------------
# (input, command, outcome); the command gets the input's path where {} stands
CLI_TABLE = [
    ("entity-bomb", "load {}", refused("bomb.rdf:2:1", *DOCTYPE)),
    ("entity-bomb", "validate {}", refused("bomb.rdf:2:1", *DOCTYPE)),
    ("entity-bomb", "datasets validate {}", refused("bomb.rdf:2:1", *DOCTYPE)),
    ("entity-bomb", "import archimate {} --architecture https://example.org/a", refused("bomb.rdf", *DOCTYPE)),
    ("archimate-doctype", "import archimate {} --architecture https://example.org/a", refused("model.xml:2:", *DOCTYPE)),
    ("archimate-doctype", "validate {} --architecture https://example.org/a", refused("model.xml:2:", *DOCTYPE)),
    ("archimate-doctype", "load {}", refused("model.xml:2:", *DOCTYPE)),
    ("bom-turtle", "load {} --graph " + GRAPH, Outcome(0, (GRAPH, "3 triples"))),
    ("bom-turtle", "validate {}", OK),
    ("bom-dataset", "datasets validate {}", OK),
    ("bom-archimate", "import archimate {} --architecture https://example.org/a", OK),
    ("bom-sssom", "import sssom {}", OK),
    ("empty", "load {} --graph " + GRAPH, Outcome(0, ("warning", "empty.ttl", "holds no triples", "emptied"))),
    ("empty", "validate {}", OK),
    ("empty", "datasets validate {}", Outcome(1, ("geen dataset",))),
    ("empty-xml", "import archimate {} --architecture https://example.org/a", refused("empty.xml", "malformed XML")),
    ("unreadable", "load {}", refused(*UNREADABLE)),
    ("unreadable", "validate {}", refused(*UNREADABLE)),
    ("unreadable", "datasets validate {}", refused(*UNREADABLE)),
    ("unreadable", "import sssom {}", refused(*UNREADABLE)),
    ("unreadable", "query -f {}", refused(*UNREADABLE)),
    ("folder-for-file", "import archimate {} --architecture https://example.org/a", refused("folder.xml", "folder")),
    ("folder-for-file", "import sssom {}", refused("folder.xml", "folder")),
    ("folder-without-rdf", "load {}", refused(*NO_RDF)),
    ("folder-without-rdf", "validate {}", refused(*NO_RDF)),
    ("folder-without-rdf", "datasets validate {}", refused(*NO_RDF)),
    ("deep-jsonld", "load {}", refused("deep.jsonld:1:", *NESTED)),
    ("deep-jsonld", "validate {}", refused("deep.jsonld:1:", *NESTED)),
    ("deep-jsonld", "datasets validate {}", refused("deep.jsonld:1:", *NESTED)),
    ("deep-query", "query -f {}", refused(*NESTED)),
    ("malformed-rdfxml", "load {}", refused(*RDFXML_AT)),
    ("malformed-rdfxml", "validate {}", refused(*RDFXML_AT)),
    ("malformed-rdfxml", "datasets validate {}", refused(*RDFXML_AT)),
    ("malformed-jsonld", "load {}", refused(*JSONLD_AT)),
    ("malformed-jsonld", "validate {}", refused(*JSONLD_AT)),
    ("malformed-jsonld", "datasets validate {}", refused(*JSONLD_AT)),
]


@pytest.fixture
def run(tmp_path):
    """``stelsel ARGS`` in-process, over a fresh store (empty content, but the bundled shapes and
    ontology for validate); returns the click Result."""
    content = tmp_path / "content"
    content.mkdir()
    for folder in ("ontology", "shapes"):
        os.symlink(REPO / folder, content / folder)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(content), *args])
    return invoke


def _check_cli(result, expected: Outcome) -> None:
    out = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"a traceback instead of a sentence: {result.exception!r}\n{out}"
    assert "Traceback" not in out
    assert result.exit_code == expected.code, out
    for word in expected.words:
        assert word.lower() in out.lower(), f"{word!r} not in:\n{out}"
    if expected.code == 2:  # one sentence and a next step (datasets validate: per file, in its report)
        assert (result.stderr.startswith("error: ") and "  next: " in result.stderr) or "fout: " in out, out


@pytest.mark.parametrize("name,command,expected", CLI_TABLE,
                         ids=[f"{n}-{c.split(' {}')[0].replace(' ', '-')}" for n, c, _ in CLI_TABLE])
def test_cli_entry_points(tmp_path, run, name, command, expected):
    path = INPUTS[name](tmp_path)
    _check_cli(run(*command.format(path).split()), expected)


def test_an_empty_file_empties_its_graph_and_says_so(tmp_path, run):
    full = tmp_path / "g.ttl"
    full.write_text(TURTLE)
    assert run("load", str(full), "--graph", GRAPH).exit_code == 0
    full.write_text("# nothing left\n")
    result = run("load", str(full), "--graph", GRAPH)
    _check_cli(result, Outcome(0, ("warning", "holds no triples")))
    graphs = run("graphs", "--format", "json")
    assert GRAPH not in graphs.stdout


def test_a_bom_file_loads_the_same_triples_as_without(tmp_path, run):
    plain, bom = tmp_path / "plain.ttl", tmp_path / "bom.ttl"
    plain.write_text(TURTLE)
    bom.write_bytes(BOM + TURTLE.encode())
    want = set(ox.parse(TURTLE.encode(), format=ox.RdfFormat.TURTLE))
    assert set(ox.parse(inputs.check_rdf(bom.read_bytes(), ox.RdfFormat.TURTLE, "bom.ttl"),
                        format=ox.RdfFormat.TURTLE)) == want
    assert run("load", str(bom), "--graph", GRAPH).exit_code == 0
    out = run("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}", "--format", "json")
    assert json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"] == str(len(want))


def test_oversize_files_are_refused_before_reading(tmp_path, run, monkeypatch):
    big = tmp_path / "big.ttl"
    big.write_text(TURTLE * 2000)  # 150 kB
    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", 100_000)  # above every bundled file validate reads
    for command in (["load", str(big)], ["validate", str(big)], ["datasets", "validate", str(big)]):
        _check_cli(run(*command), refused("big.ttl", "more than the"))


def test_a_malformed_file_in_a_load_leaves_the_store_as_it_was(tmp_path, run):
    good = tmp_path / "good.ttl"
    good.write_text(TURTLE)
    assert run("load", str(good), "--graph", GRAPH).exit_code == 0
    before = run("export", "--format", "nquads").stdout
    (tmp_path / "bad.rdf").write_bytes(MALFORMED_RDFXML)
    _check_cli(run("load", str(good), str(tmp_path / "bad.rdf")), refused(*RDFXML_AT))
    (tmp_path / "bad.rdf").write_bytes(ENTITY_BOMB)
    _check_cli(run("load", str(good), str(tmp_path / "bad.rdf")), refused(*DOCTYPE))
    assert run("export", "--format", "nquads").stdout == before


# -- the HTTP table ---------------------------------------------------------------------------------------
MEDIA = {".rdf": "application/rdf+xml", ".xml": "application/rdf+xml", ".ttl": "text/turtle",
         ".jsonld": "application/ld+json"}
# (input, route, outcome); routes: gsp-put, datasets-validate, datasets-register, sparql-query,
# sparql-update, query-page
HTTP_TABLE = [
    ("entity-bomb", "gsp-put", Outcome(400, DOCTYPE)),
    ("entity-bomb", "datasets-validate", Outcome(400, DOCTYPE)),
    ("entity-bomb", "datasets-register", Outcome(400, DOCTYPE)),
    ("archimate-doctype", "gsp-put", Outcome(400, DOCTYPE)),
    ("bom-turtle", "gsp-put", Outcome(201)),
    ("bom-dataset", "datasets-validate", Outcome(200)),
    ("empty", "gsp-put", Outcome(201)),  # an empty graph: nothing to keep
    ("empty", "datasets-validate", Outcome(400, ("no",))),
    ("deep-jsonld", "gsp-put", Outcome(400, NESTED)),
    ("deep-jsonld", "datasets-validate", Outcome(400, NESTED)),
    ("deep-jsonld", "datasets-register", Outcome(400, NESTED)),
    ("deep-query", "sparql-query", Outcome(400, NESTED)),
    ("deep-query", "sparql-query-get", Outcome(400, NESTED)),
    ("deep-query", "sparql-update", Outcome(400, NESTED)),
    ("malformed-rdfxml", "gsp-put", Outcome(400, ("not valid RDF/XML", ":4:"))),
    ("malformed-rdfxml", "datasets-validate", Outcome(400, ("not valid RDF/XML", ":4:"))),
    ("malformed-jsonld", "gsp-put", Outcome(400, ("not valid JSON-LD", ":4:1"))),
    ("malformed-jsonld", "datasets-validate", Outcome(400, ("not valid", ":4:1"))),
]


@pytest.fixture(scope="module")
def http_store():
    s = EmbeddedStore(None)
    load_bundled(s, Config(content_root=REPO))
    return s


@pytest.fixture
def client(http_store, tmp_path):
    from stelsel.server import create_app
    config = Config(store=tmp_path / "unused", content_root=REPO, query_workers=0, max_request_bytes=200_000,
                    tokens=(TokenGrant("writer", hash_token(WRITER), ("https://example.org/graph/gate-*",)),
                            TokenGrant("kb-partner", hash_token(PARTNER), (DATASET_GRAPHS + "kb/*",))))
    app = create_app(config, http_store)
    app.config["TESTING"] = False  # errors must be answers, not exceptions raised into the test
    return app.test_client()


def _send(client, route: str, path: Path):
    data = path.read_bytes()
    media = MEDIA.get(path.suffix, "text/turtle")
    if route == "gsp-put":
        return client.put("/data", query_string={"graph": GRAPH}, data=data, content_type=media,
                          headers={"Authorization": f"Bearer {WRITER}"})
    if route == "datasets-validate":
        return client.post("/datasets/validate", data=data, content_type=media, headers={"Accept": "application/json"})
    if route == "datasets-register":
        return client.post("/datasets", data=data, content_type=media,
                           headers={"Accept": "application/json", "Authorization": f"Bearer {PARTNER}"})
    if route == "sparql-query":
        return client.post("/sparql", data=data, content_type="application/sparql-query")
    if route == "sparql-query-get":
        return client.get("/sparql", query_string={"query": data.decode()})
    if route == "sparql-update":
        text = "INSERT DATA { GRAPH <%s> { <urn:s> <urn:p> 1 } } ; " % GRAPH + data.decode().replace("SELECT *", "DELETE")
        return client.post("/sparql", data=text.encode(), content_type="application/sparql-update",
                           headers={"Authorization": f"Bearer {WRITER}"})
    raise AssertionError(route)


def _check_http(response, expected: Outcome) -> None:
    assert response.status_code == expected.code, response.get_data(as_text=True)[:500]
    if expected.code >= 400:
        body = response.get_json()
        assert body is not None and body["status"] == expected.code, response.get_data(as_text=True)[:500]
        text = f"{body.get('message', '')} {body.get('hint', '')}"
        for word in expected.words:
            assert word.lower() in text.lower(), f"{word!r} not in {text!r}"


@pytest.mark.parametrize("name,route,expected", HTTP_TABLE, ids=[f"{n}-{r}" for n, r, _ in HTTP_TABLE])
def test_http_entry_points(tmp_path, http_store, client, name, route, expected):
    http_store.update(f"DROP SILENT GRAPH <{GRAPH}>")
    response = _send(client, route, INPUTS[name](tmp_path))
    _check_http(response, expected)
    if route == "gsp-put" and expected.code >= 400:  # nothing half-written
        count = client.get("/sparql", query_string={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"})
        assert count.get_json()["boolean"] is False


def test_a_position_is_in_the_json_error(tmp_path, client):
    r = _send(client, "gsp-put", INPUTS["malformed-rdfxml"](tmp_path))
    assert r.get_json()["line"] == 4 and r.get_json()["column"] is not None


def test_oversize_bodies_get_413(client):
    big = TURTLE.encode() * 4000  # > 200 kB
    r = client.put("/data", query_string={"graph": GRAPH}, data=big, content_type="text/turtle",
                   headers={"Authorization": f"Bearer {WRITER}"})
    _check_http(r, Outcome(413))
    _check_http(client.post("/datasets/validate", data=big, content_type="text/turtle"), Outcome(413))
    _check_http(client.post("/sparql", data=b"#" * 300_000, content_type="application/sparql-query"), Outcome(413))


def test_the_query_page_shows_a_deep_query_refused(client):
    r = client.get("/query", query_string={"query": DEEP_QUERY}, headers={"Accept": "text/html"})
    assert r.status_code in (200, 400) and "nests" in r.get_data(as_text=True)


# -- against a real server process ------------------------------------------------------------------------
def _http(method: str, url: str, data: bytes | None = None, headers: dict | None = None):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_real_server_refuses_the_entity_bomb_and_the_deep_query_and_stays_up(tmp_path):
    port = free_port()
    toml = tmp_path / "stelsel.toml"
    toml.write_text(f'[tokens.writer]\nhash = "{hash_token(WRITER)}"\ngraphs = ["https://example.org/graph/gate-*"]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("STELSEL_")}
    stelsel = Path(sys.executable).parent / "stelsel"
    proc = subprocess.Popen([str(stelsel), "--config", str(toml), "--content", str(REPO), "serve",
                             "--store", str(tmp_path / "store"), "--port", str(port), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if _http("GET", f"{base}/-/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "stelsel serve did not come up"
            time.sleep(0.2)
        status, body = _http("PUT", f"{base}/data?graph={GRAPH}", ENTITY_BOMB,
                             {"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {WRITER}"})
        assert status == 400 and "DOCTYPE" in json.loads(body)["message"]
        status, body = _http("POST", f"{base}/datasets/validate", ENTITY_BOMB, {"Content-Type": "application/rdf+xml"})
        assert status == 400 and "DOCTYPE" in json.loads(body)["message"]
        status, body = _http("POST", f"{base}/sparql", DEEP_QUERY.encode(), {"Content-Type": "application/sparql-query"})
        assert status == 400 and "nests" in json.loads(body)["message"]
        status, body = _http("GET", f"{base}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                             headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(body)["boolean"] is True
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def test_an_empty_body_put_empties_the_graph(client):
    auth = {"Authorization": f"Bearer {WRITER}"}
    assert client.put("/data", query_string={"graph": GRAPH}, data=TURTLE, content_type="text/turtle",
                      headers=auth).status_code in (201, 204)
    r = client.put("/data", query_string={"graph": GRAPH}, data=BOM, content_type="text/turtle", headers=auth)
    assert r.status_code == 204
    ask = client.get("/sparql", query_string={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"})
    assert ask.get_json()["boolean"] is False


# -- the gate's own rules, against what they must not refuse -----------------------------------------------
@pytest.mark.parametrize("text,ok", [
    ("SELECT * WHERE { ?s ?p \"" + "(" * 500 + "\" }", True),          # brackets in a string
    ("SELECT * WHERE { ?s ?p <urn:x> } # " + "{" * 500, True),           # in a comment
    ("ASK { " + "{ " * 150 + "?s ?p ?o" + " }" * 150 + " }", True),      # 151 deep: fine
    ("ASK { " + "{ " * 250 + "?s ?p ?o" + " }" * 250 + " }", False),
    ("ASK { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", False),
])
def test_query_nesting_counts_brackets_outside_strings_and_comments(text, ok):
    if ok:
        assert inputs.check_query(text) == text
        ox.Store().query(text)  # and pyoxigraph, the reference, runs it
    else:
        with pytest.raises(inputs.TooDeeplyNested, match=r"nests more than 200 levels.*at 1:"):
            inputs.check_query(text)


def test_json_nesting_counts_brackets_outside_strings():
    shallow = b'{"@id": "https://example.org/s", "https://example.org/p": "' + b"[{" * 300 + b'"}'
    inputs.check_json_depth(shallow, "x.jsonld")
    assert len(list(ox.parse(shallow, format=ox.RdfFormat.JSON_LD))) == 1
    deep = b'{"a": ' + b"[" * 101 + b"]" * 101 + b"}"
    with pytest.raises(inputs.TooDeeplyNested, match="x.jsonld:1:"):
        inputs.check_json_depth(deep, "x.jsonld")


def test_utf16_xml_with_a_doctype_is_refused_too():
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE r [<!ENTITY a "b">]>\n<r/>'.encode("utf-16")
    with pytest.raises(inputs.InputError, match=r"m.xml:2:1: .*DOCTYPE"):
        inputs.refuse_dtd(data, "m.xml")
