"""Build stelsel as it is published (sdist, and the wheel built from that sdist) and install the
wheel, non-editable, into a fresh virtualenv: once per test session, shared by the tests here.

pip fetches the dependencies from PyPI (or its cache / the configured find-links); nothing of
this checkout's own virtualenv is reused, so a file missing from the wheel fails here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from serve_process import clean_env

REPO = Path(__file__).resolve().parents[2]


def run(cmd: list, cwd: Path | None = None, timeout: float = 600, check: bool = True, env=None,
        input: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env or clean_env(), capture_output=True,
                            text=True, timeout=timeout, input=input)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited with {result.returncode}\n"
                    f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}", pytrace=False)
    return result


@dataclass
class Dist:
    sdist: Path
    wheel: Path
    build_seconds: float


@dataclass
class UserInstall:
    venv: Path
    install_seconds: float

    @property
    def stelsel(self) -> Path:
        return self.venv / "bin" / "stelsel"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """``python -m build``: the sdist, then the wheel built from the unpacked sdist."""
    out = tmp_path_factory.mktemp("dist")
    started = time.perf_counter()
    run([sys.executable, "-m", "build", "--outdir", out, REPO], cwd=REPO)
    (sdist,), (wheel,) = list(out.glob("*.tar.gz")), list(out.glob("*.whl"))
    return Dist(sdist, wheel, time.perf_counter() - started)


@pytest.fixture(scope="session")
def user_install(dist: Dist, tmp_path_factory) -> UserInstall:
    """A fresh virtualenv with the wheel installed the way a user does: ``pip install stelsel.whl``."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    started = time.perf_counter()
    run([sys.executable, "-m", "venv", venv])
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", dist.wheel], timeout=900)
    return UserInstall(venv, time.perf_counter() - started)


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    """An empty working folder, far from any checkout (no ontology/ or data/ above it)."""
    folder = tmp_path / "leeg"
    folder.mkdir()
    for parent in folder.parents:
        assert not ((parent / "ontology").is_dir() and (parent / "data").is_dir()), parent
    return folder
