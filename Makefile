# stelsel — two commands on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install serve test test-fast bench system-deps data dist clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(STAMP)

# System tools the tests use, installed when missing and we may: Java for the OWL reasoner (HermiT,
# through owlready2), Chromium and axe-core (npm) for the browser tests in tests/e2e.
system-deps:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Java for the OWL reasoner (apt-get install default-jre-headless)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "note: no Java; the OWL reasoner tests will be skipped (install a JRE to run them)"; fi; }
	@# Chromium for the browser tests (tests/e2e, Playwright drives Debian's /usr/bin/chromium; it never downloads one).
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium for the browser tests (apt-get install chromium)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: no /usr/bin/chromium; the browser tests (tests/e2e) will be skipped (they fail in CI)"; fi; }
	@# nginx for the reverse-proxy test of server/nginx.conf (tests/server).
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing nginx for the reverse-proxy test (apt-get install nginx-light)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "note: no nginx; the reverse-proxy test (tests/server) will be skipped"; fi; }
	@# axe-core for the accessibility checks, pinned in tests/e2e/package-lock.json.
	@test -d tests/e2e/node_modules || { \
	  if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing npm for axe-core (apt-get install npm)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; \
	  if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error; \
	  else echo "note: no npm; the accessibility checks (tests/e2e) will be skipped (they fail in CI)"; fi; }

serve: $(STAMP)
	$(VENV)/bin/stelsel serve

test: $(STAMP) system-deps
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not reasoner and not install"

bench: $(STAMP)
	$(PY) -m stelsel.bench --output BENCHMARKS.md $(BENCH_FLAGS)

# Regenerate data/ from ../shared/sources (maintainers only; the output is committed).
data: $(STAMP)
	$(PY) tools/build_data.py
	$(PY) tools/build_alignments.py

# The sdist and the wheel (with ontology/, data/, shapes/ and queries/ inside, see setup.py) in dist/.
dist: $(STAMP)
	rm -rf dist build && $(PY) -m build --outdir dist . && $(VENV)/bin/twine check --strict dist/*

clean:
	rm -rf $(VENV) .stelsel .pytest_cache tests/e2e/node_modules test-artifacts dist build
