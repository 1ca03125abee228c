"""The validation report the browse pages show: computed once per store version, off the request.

The first page that asks for the report of a store version starts one run in the background
and gets ``state == "running"`` until it is done; every later request reads the cached
:class:`~stelsel.findings.Report`. The run dumps the store's data graphs (not the shapes nor the
ontology graphs: the validator adds the bundled ontology and shapes itself) to a temporary
N-Quads file and validates it with :func:`stelsel.validation.validate` in a child Python process, so
a long validation never holds the web process's interpreter. When the validator cannot be
imported or fails, the state is ``"unavailable"`` with the reason, and the pages go on without it.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from ..vocab import GRAPH

log = logging.getLogger("stelsel.server")

_SKIPPED_GRAPHS = re.compile(r"<" + re.escape(str(GRAPH)) + r"(shapes|ontology)/[^>]*>\s*\.\s*$")


def _run(path: str, config):
    """Validate the dumped data (in the child process)."""
    from stelsel.validation import validate
    return validate(data=[path], config=config, coverage=False)


def main(argv: list[str]) -> int:
    """``python -m stelsel.server.browse_validation DATA CONFIG.pickle OUT.pickle``"""
    from ..children import die_with_parent
    die_with_parent()          # never outlive the server (issue 9: an orphaned validation child)
    data, config_file, out_file = argv
    with open(config_file, "rb") as f:
        config = pickle.load(f)
    try:
        outcome = ("ok", _run(data, config))
    except Exception as exc:  # a StelselError (bad input, unsupported shape) or a bug: say which
        outcome = ("error", getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
    with open(out_file, "wb") as f:
        pickle.dump(outcome, f)
    return 0


@dataclass
class ValidationState:
    state: str                      # "running", "ready" or "unavailable"
    version: str | None = None
    report: object | None = None    # a stelsel.findings.Report when ready
    reason: str | None = None
    started: float = field(default_factory=time.time)

    def findings(self) -> list:
        return list(self.report.findings) if self.report is not None else []


class ValidationCache:
    """The report of the store's current version, computed at most once per version."""

    def __init__(self, store, config, timeout: float = 600.0, in_process: bool = False):
        self.store = store
        self.config = config
        self.timeout = timeout
        self.in_process = in_process
        self._lock = threading.Lock()
        self._current: ValidationState | None = None
        self._done = threading.Event()
        self._children: set[subprocess.Popen] = set()
        self._folders: set[str] = set()    # dumps of the store in the temp folder, removed on close
        self.disabled: str | None = None   # a reason: no runs at all (tests, tools)
        self._closing = False              # set by close(): a run stopped then is no failure to report
        atexit.register(self.close)

    def close(self) -> None:
        """Stop a run still going (at exit, or when the app is done)."""
        self._closing = True
        for child in list(self._children):
            if child.poll() is None:
                child.kill()
                child.wait()
        import shutil
        for folder in list(self._folders):
            shutil.rmtree(folder, ignore_errors=True)
            self._folders.discard(folder)

    def get(self) -> ValidationState:
        version = self.store.version()
        if self.disabled is not None:
            return ValidationState("unavailable", version, reason=self.disabled)
        with self._lock:
            current = self._current
            if current is None or current.version != version:
                current = ValidationState("running", version)
                self._current = current
                self._done = threading.Event()
                threading.Thread(target=self._compute, args=(current, self._done), daemon=True,
                                 name=f"stelsel-validation-{version}").start()
            return current

    def wait(self, timeout: float | None = None) -> ValidationState:
        """The state once the run for the current version is over (for tests and tools)."""
        self.get()
        self._done.wait(timeout if timeout is not None else self.timeout)
        return self.get()

    def _compute(self, state: ValidationState, done: threading.Event) -> None:
        path = None
        try:
            import importlib.util
            if importlib.util.find_spec("stelsel.validation") is None:  # not written yet: say so, go on
                raise RuntimeError("the validator (stelsel.validation) is not installed")
            folder = tempfile.mkdtemp(prefix="stelsel-validate-")
            self._folders.add(folder)
            path = os.path.join(folder, "store.nq")
            with open(path, "wb") as raw:
                self._dump(raw)
            if self.in_process:
                report = _run(path, self.config)
            else:
                config_file, out_file = os.path.join(folder, "config.pickle"), os.path.join(folder, "report.pickle")
                with open(config_file, "wb") as f:
                    pickle.dump(self.config, f)
                child = subprocess.Popen([sys.executable, "-m", "stelsel.server.browse_validation", path,
                                          config_file, out_file], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                self._children.add(child)
                try:
                    _, err = child.communicate(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.communicate()
                    raise RuntimeError(f"the validation took longer than {self.timeout:g} s") from None
                finally:
                    self._children.discard(child)
                if not os.path.exists(out_file):
                    tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
                    raise RuntimeError(f"the validation process failed ({tail[0]})")
                with open(out_file, "rb") as f:
                    kind, value = pickle.load(f)
                if kind != "ok":
                    raise RuntimeError(value)
                report = value
            state.report, state.state = report, "ready"
        except Exception as exc:
            reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            if not self._closing:
                log.warning("validation for the browse pages is not available: %s", reason)
            state.reason, state.state = reason, "unavailable"
        finally:
            if path is not None:
                import shutil
                shutil.rmtree(os.path.dirname(path), ignore_errors=True)
                self._folders.discard(os.path.dirname(path))
            done.set()

    def _dump(self, out) -> None:
        """The store's data graphs as N-Quads (shapes and ontology graphs left out)."""
        import io
        buffer = io.BytesIO()
        self.store.dump(buffer, "nquads")
        for line in buffer.getvalue().splitlines(keepends=True):
            if not _SKIPPED_GRAPHS.search(line.decode("utf-8", "replace")):
                out.write(line)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
