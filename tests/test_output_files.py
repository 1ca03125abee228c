"""Files written with -o honour the umask (not 0600 from the temporary file), issue 11."""

from __future__ import annotations

import os
import stat

import pytest

from stelsel.validation import atomic_write


@pytest.fixture
def umask():
    def set_(mask: int) -> None:
        os.umask(mask)
    old = os.umask(0o022)
    yield set_
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_export_and_reports_get_the_mode_of_a_new_file(cli, tmp_path, umask, mask, mode):
    umask(mask)
    assert cli("export", "--format", "nquads", "-o", str(tmp_path / "dump.nq")).exit_code == 0
    atomic_write(tmp_path / "report.sarif", b"{}")
    for name in ("dump.nq", "report.sarif"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name
