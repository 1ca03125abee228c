"""Coverage of the NORA architecture principles per architecture, from a canned query."""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..config import Config
from ..errors import InputError
from ..findings import Coverage
from .inputs import _display


COVERAGE_QUERIES = ("dekking-nora.rq", "dekkingsmatrix-nora-principes.rq")


# -- coverage -----------------------------------------------------------------------------------------
def _coverage(config: Config, store: ox.Store) -> list[Coverage]:
    """Coverage of the NORA architecture principles per architecture, from a canned query over
    the validated data: ``queries/dekking-nora.rq`` (one row per architecture: ``architectuur``,
    ``label``?, ``covered``, ``total``, ``missing``?) when it exists, else
    ``queries/dekkingsmatrix-nora-principes.rq`` (one row per principle and architecture:
    ``architectuur``, ``architectuurNaam``, ``notatie``, ``gedekt``), summed per architecture."""
    query_file = next((config.queries_dir / name for name in COVERAGE_QUERIES
                       if (config.queries_dir / name).is_file()), None)
    if query_file is None:
        return []
    try:
        result = store.query(query_file.read_text(encoding="utf-8"))
        names = [v.value for v in result.variables]
        rows = [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]
    except (SyntaxError, OSError, ValueError) as exc:
        raise InputError(f"{_display(query_file)}: the coverage query does not run: {exc}",
                         hint="fix the canned query") from None
    per_arch: dict[str, dict] = {}
    for values in rows:
        arch = values.get("architectuur")
        if arch is None:
            continue
        entry = per_arch.setdefault(arch, {"label": "", "covered": 0, "total": 0, "missing": []})
        entry["label"] = entry["label"] or values.get("label") or values.get("architectuurNaam") or ""
        if "gedekt" in values:                      # the matrix: one row per principle
            entry["total"] += 1
            if values["gedekt"] in ("true", "1"):
                entry["covered"] += 1
            else:
                entry["missing"].append(values.get("notatie") or values.get("principe") or "?")
            continue
        try:
            entry["covered"] += int(float(values.get("covered") or 0))
            entry["total"] += int(float(values.get("total") or 0))
        except ValueError:
            continue
        missing = values.get("missing") or values.get("ontbrekend") or ""
        entry["missing"] += [m for m in re.split(r"[\s,]+", missing) if m]
    return [Coverage(architecture=arch, label=e["label"], covered=e["covered"], total=e["total"],
                     missing=tuple(sorted(set(e["missing"]))))
            for arch, e in sorted(per_arch.items())]
