# stelsel — two commands on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install serve test test-fast bench system-deps data clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(STAMP)

# Java for the OWL reasoner (HermiT, through owlready2). Installed when missing and we may.
system-deps:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Java for the OWL reasoner (apt-get install default-jre-headless)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "note: no Java; the OWL reasoner tests will be skipped (install a JRE to run them)"; fi; }

serve: $(STAMP)
	$(VENV)/bin/stelsel serve

test: $(STAMP) system-deps
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not reasoner"

bench: $(STAMP)
	$(PY) -m stelsel.bench --output BENCHMARKS.md

# Regenerate data/ from ../shared/sources (maintainers only; the output is committed).
data: $(STAMP)
	$(PY) tools/build_data.py
	$(PY) tools/build_alignments.py

clean:
	rm -rf $(VENV) .stelsel .pytest_cache
