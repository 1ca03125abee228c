"""`stelsel validate --endpoint`: the whole graph or a refusal, never findings about data that was
cut off; and `stelsel --store URL query` says when the server cut its answer. Against a real
`stelsel serve` (both store backends) and a real `oxigraph serve`."""

from __future__ import annotations

import csv
import http.server
import io
import threading

import pytest
from click.testing import CliRunner

from conftest import REPO
from stelsel.cli import main
from stelsel.config import Config
from stelsel.errors import InputError
from stelsel.validation import validate


def _key(f):
    return (f.focus_node, f.source_shape, f.path, f.value, f.severity)


@pytest.fixture(scope="module")
def from_files():
    """The bundled stelsel validated from its files: what an endpoint run must find too."""
    report = validate(config=Config(store=REPO / ".no-store", content_root=REPO))
    return {_key(f) for f in report.findings}, report.coverage


def test_a_truncating_stelsel_server_is_paged_through(live_url, endpoint_config, from_files):
    """stelsel serve cuts CONSTRUCT answers at max_result_rows (10,000 < 16k triples) and says so;
    the validator pages through and finds what the files give, coverage included."""
    assert endpoint_config.max_result_rows < 16_000
    report = validate(endpoint=live_url + "/sparql", config=Config(store=REPO / ".no-store", content_root=REPO))
    found, coverage = from_files
    assert {_key(f) for f in report.findings} == found
    assert [(c.architecture, c.covered, c.total) for c in report.coverage] == \
        [(c.architecture, c.covered, c.total) for c in coverage]


def test_oxigraph_serve_as_the_endpoint(_remote, from_files):
    cfg, _store = _remote
    report = validate(endpoint=str(cfg.store), config=Config(store=REPO / ".no-store", content_root=REPO))
    assert {_key(f) for f in report.findings} == from_files[0]


class _AlwaysCut(http.server.BaseHTTPRequestHandler):
    """A server that cuts every answer, also each page: the validator must refuse."""

    def do_POST(self):  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Stelsel-Truncated", "true")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_server_that_keeps_cutting_is_refused_with_exit_2(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AlwaysCut)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        with pytest.raises(InputError, match="cut its answer") as caught:
            validate(endpoint=url, config=Config(store=tmp_path / "store", content_root=REPO))
        assert caught.value.exit_code == 2
        result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "--content", str(REPO),
                                           "validate", "--endpoint", url], catch_exceptions=False)
        assert result.exit_code == 2
        assert "cut its answer" in result.stderr and "Traceback" not in result.output
    finally:
        server.shutdown()


def test_query_on_a_remote_store_warns_when_the_answer_was_cut(live_url, tmp_path):
    runner = CliRunner()
    base = ["--store", live_url + "/sparql", "--content", str(REPO), "query"]
    cut = runner.invoke(main, [*base, "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"], catch_exceptions=False)
    assert cut.exit_code == 0, cut.output
    assert "warning: the server cut this answer" in cut.stderr
    assert len(list(csv.reader(io.StringIO(cut.stdout)))) == 10_001  # header + the server's row limit
    whole = runner.invoke(main, [*base, "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "--format", "csv"],
                          catch_exceptions=False)
    assert whole.exit_code == 0 and "warning" not in whole.stderr
