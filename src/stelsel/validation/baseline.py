"""Baseline files: the fingerprints of known findings, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..files import honour_umask
from ..errors import InputError, Position
from ..findings import Report


# -- baseline -----------------------------------------------------------------------------------------
def read_baseline(path: str | Path) -> set[str]:
    """The fingerprints in a baseline file (a JSON array of objects with a ``fingerprint``)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file",
                         hint="write one with --write-baseline FILE, or check the path") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        pos = Position(str(path), getattr(exc, "lineno", None), getattr(exc, "colno", None))
        raise InputError(f"not a valid baseline file: {exc}", position=pos,
                         hint="a baseline is the JSON written by --write-baseline") from None
    items = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("fingerprint"), str)
                                              for i in items):
        raise InputError(f"{path}: not a baseline: expected a JSON array of objects with a 'fingerprint'",
                         hint="write one with --write-baseline FILE")
    return {i["fingerprint"] for i in items}


def write_baseline(report: Report, path: str | Path, lang: str = "nl") -> int:
    """Write every finding of ``report`` (new and already baselined) as a baseline file, atomically.
    Returns the number of findings written."""
    path = Path(path)
    items = {}
    for f in [*report.findings, *report.baselined]:
        items[f.fingerprint] = {"fingerprint": f.fingerprint, "severity": f.severity.value, "shape": f.source_shape,
                                "focus": f.focus_node, "path": f.path, "value": f.value, "message": f.text(lang)}
    text = json.dumps([items[k] for k in sorted(items)], indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return len(items)


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file by writing a temporary file beside it and renaming it over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        honour_umask(fd)  # not mkstemp's 0600: reports are CI artefacts others read
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
