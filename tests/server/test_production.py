"""server/: the production configuration starts, nginx in front of it does what nginx.conf says,
and several stateless `stelsel serve` processes share one triplestore (issue 11)."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from oxigraph_server import OxigraphServer, free_port, require_oxigraph
from serve_process import ServeProcess, clean_env, get, sparql_json
from stelsel.server.auth import hash_token, new_token

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "server"
STELSEL = str(Path(sys.executable).parent / "stelsel")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(base_url: str) -> int:
    return int(sparql_json(base_url, COUNT)["results"]["bindings"][0]["n"]["value"])


def test_the_production_configuration_starts(tmp_path):
    settings = tomllib.loads((SERVER / "stelsel.toml").read_text(encoding="utf-8"))
    env = clean_env(STELSEL_CONFIG=str(SERVER / "stelsel.toml"), STELSEL_STORE=str(tmp_path / "store"))
    with ServeProcess([STELSEL], cwd=tmp_path, env=env) as server:
        line = next(x for x in server.output().splitlines() if x.startswith("http: "))
        assert line == (f"http: {settings['threads']} threads, {settings['query_workers']} query workers, at most "
                        f"{settings['connection_limit']} connections, idle ones closed after "
                        f"{settings['channel_timeout']:g} s")
        assert count(server.base_url) > 10_000
        status, body, _ = get(server.base_url + "/")
        assert status == 200 and "NORA" in body
    assert (tmp_path / "store").is_dir()


def test_the_systemd_unit_and_container_run_the_same_command():
    unit = (SERVER / "stelsel.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/stelsel/bin/stelsel serve\n" in unit
    assert "STELSEL_CONFIG=/etc/stelsel/stelsel.toml" in unit and "StateDirectory=stelsel" in unit
    container = (SERVER / "Containerfile").read_text(encoding="utf-8")
    assert 'CMD ["stelsel", "serve"]' in container and "COPY server/stelsel.toml /etc/stelsel/stelsel.toml" in container
    assert "pip install --no-cache-dir /tmp/*.whl" in container  # the wheel: code and content, no checkout
    verify = subprocess.run(["systemd-analyze", "verify", "--man=no", str(SERVER / "stelsel.service")],
                            capture_output=True, text=True) if Path("/usr/bin/systemd-analyze").exists() else None
    if verify is not None:  # only the binary's absence on this machine may be reported
        problems = [x for x in verify.stderr.splitlines() if x.strip() and "/opt/stelsel/bin/stelsel" not in x]
        assert not problems, verify.stderr


# -- nginx in front -----------------------------------------------------------------------------
def _nginx_site(tmp_path: Path, upstream: int, http_port: int, https_port: int) -> Path:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=stelsel.example.org", "-keyout", str(tmp_path / "key.pem"), "-out",
                    str(tmp_path / "cert.pem")], check=True, capture_output=True)
    site = (SERVER / "nginx.conf").read_text(encoding="utf-8")
    for old, new in (("127.0.0.1:8080", f"127.0.0.1:{upstream}"), ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                     ("/etc/letsencrypt/live/stelsel.example.org/fullchain.pem", str(tmp_path / "cert.pem")),
                     ("/etc/letsencrypt/live/stelsel.example.org/privkey.pem", str(tmp_path / "key.pem"))):
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(x for x in site.splitlines() if "listen [::]" not in x)  # no IPv6 needed here
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    main = f"""user root; daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{ worker_connections 256; }}
http {{ access_log off;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  include {tmp_path}/site.conf; }}
"""
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    return tmp_path / "nginx.conf"


def _request(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         _NoRedirect())
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=30) as r:
            r.read()
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_in_front_terminates_tls_and_limits_requests(tmp_path):
    nginx = "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (make system-deps installs nginx-light as root)")
    with ServeProcess([STELSEL, "--content", str(REPO), "--store", str(tmp_path / "store")], cwd=tmp_path) as app:
        http_port, https_port = free_port(), free_port()
        conf = _nginx_site(tmp_path, app.port, http_port, https_port)
        check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp_path)], stderr=subprocess.PIPE)
        try:
            base = f"https://127.0.0.1:{https_port}"
            for _ in range(100):
                try:
                    if _request(base + "/-/health")[0] == 200:
                        break
                except (urllib.error.URLError, OSError):
                    time.sleep(0.1)
            status, headers = _request(f"http://127.0.0.1:{http_port}/id/nora/NAP01")
            assert status == 301 and headers["Location"].startswith("https://")
            status, headers = _request(base + "/id/nora/NAP01")
            assert status == 200 and "max-age" in headers.get("Strict-Transport-Security", "")
            # a body over 1 MiB is refused by the proxy, before stelsel reads it
            status, _ = _request(base + "/sparql", data=b"x" * 1_100_000,
                                 headers={"Content-Type": "application/sparql-query"})
            assert status == 413
            # SPARQL is rate limited per client: 2/s with a burst of 10
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(12) as pool:
                statuses = list(pool.map(lambda _: _request(base + "/sparql?query=ASK%7B%7D")[0], range(60)))
            assert statuses.count(200) >= 10 and statuses.count(429) >= 5, statuses
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


# -- scale-out: stateless processes in front of one triplestore ----------------------------------
def test_two_stelsel_processes_share_one_oxigraph_serve(tmp_path):
    require_oxigraph()
    token = new_token()
    tokens = json.dumps({"writer": {"hash": hash_token(token), "graphs": ["https://example.org/graph/*"]}})
    with OxigraphServer() as oxigraph:
        store = [STELSEL, "--store", oxigraph.query_url, "--update-endpoint", oxigraph.update_url,
                 "--gsp-endpoint", oxigraph.gsp_url]
        loaded = subprocess.run([*store, "--content", str(REPO), "reload"], capture_output=True, text=True,
                                env=clean_env(), timeout=300)
        assert loaded.returncode == 0, loaded.stderr
        env = clean_env(STELSEL_TOKENS=tokens, STELSEL_STORE_VERSION_SECONDS="0")
        with ServeProcess(store, cwd=tmp_path, env=env) as a, ServeProcess(store, cwd=tmp_path, env=env) as b:
            before = count(a.base_url)
            assert before > 10_000 and count(b.base_url) == before
            status, home, _ = get(b.base_url + "/")
            assert status == 200 and "NORA" in home
            # a write through one process is what the other answers next
            update = ('INSERT DATA { GRAPH <https://example.org/graph/extra> '
                      '{ <https://example.org/x> <https://example.org/p> "x" } }').encode("utf-8")
            request = urllib.request.Request(a.base_url + "/sparql", data=update, method="POST", headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=30) as r:
                assert r.status in (200, 204)
            assert count(b.base_url) == before + 1 == count(a.base_url)
