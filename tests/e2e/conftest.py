"""End-to-end fixtures: the bundled stelsel behind a real HTTP server, driven by headless Chromium.

- ``base_url``: the app (``create_app`` on one on-disk store with the bundled content) served by
  waitress in a thread on a free loopback port (``tests/endpoint/live.py``), for the session.
- ``browser``: one headless Chromium per session, Debian's ``/usr/bin/chromium`` driven by
  Playwright. Playwright never downloads a browser of its own. Without ``/usr/bin/chromium`` the
  tests skip with a reason, except in CI (env ``CI=true``), where they fail: ``make test`` installs
  it (``make system-deps``).
- ``page``: a fresh browser context and page per test (own cookies), default language Dutch.
- ``axe_check(page, name)``: runs axe-core (``tests/e2e/node_modules``, from ``npm ci``) on the
  page and fails on serious or critical WCAG 2.1 A/AA violations, listed readably.
- ``screenshot(page, name)``: a full-page PNG in ``test-artifacts/screenshots/<name>.png``.

This folder has an ``__init__.py`` so this conftest does not shadow ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from endpoint.live import serving
from stelsel.config import Config
from stelsel.store import EmbeddedStore, load_bundled

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("STELSEL_CHROMIUM", "/usr/bin/chromium"))
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives a real browser (headless Chromium) against a live server")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == HERE:
            item.add_marker(pytest.mark.e2e)


def _missing(what: str) -> None:
    """Skip with a reason on a developer's machine; fail in CI, where ``make test`` installs it."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: the e2e tests must run; `make system-deps` installs it)", pytrace=False)
    pytest.skip(f"{what}; run `make system-deps` (as root: apt-get install chromium; npm ci --prefix tests/e2e)")


# -- the server ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory):
    from stelsel.server import create_app

    cfg = Config(store=tmp_path_factory.mktemp("e2e") / "store", content_root=REPO)
    store = EmbeddedStore(cfg.store)
    load_bundled(store, cfg)
    app = create_app(cfg, store=store)
    app.extensions["stelsel.validation"].get()  # start the background validation now, so it is done by the report
    yield app
    app.extensions["stelsel.validation"].close()
    store.close()


@pytest.fixture(scope="session")
def base_url(e2e_app):
    with serving(e2e_app, threads=8) as url:
        yield url


# -- the browser -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(f"no browser: {CHROMIUM} is absent")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors or Content-Security-Policy violations on the page: {errors}"


# -- axe-core --------------------------------------------------------------------------------------
def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:10]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():
        if IN_CI or (shutil.which("npm") and (HERE / "package-lock.json").exists()):
            subprocess.run(["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"], check=False,
                           capture_output=True, timeout=300)
        if not AXE.exists():
            _missing(f"axe-core is not installed ({AXE}); run `npm ci --prefix tests/e2e`")
    return AXE


@pytest.fixture
def axe_check(axe_source):
    def check(pg, name: str = "") -> list[dict]:
        # evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
        # scripts) would refuse a <script> tag with axe's source, and rightly so
        if not pg.evaluate("typeof window.axe !== 'undefined'"):
            pg.evaluate("source => { (0, eval)(source); }", axe_source.read_text(encoding="utf-8"))
        result = pg.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING]
        assert not blocking, format_violations(f"{name} {pg.url}", blocking)
        return result["violations"]  # the minor/moderate ones, for whoever wants to look
    return check


# -- screenshots -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):  # this run's pictures only
        old.unlink()

    def shoot(pg, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    return shoot
