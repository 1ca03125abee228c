"""``stelsel validate`` in a repository that keeps its own architecture model.

A team keeps its model (its architecture, elements and its alignments to NORA) in ``data/`` of
its own Git repository, without the stelsel's ontology or shapes; stelsel comes from the wheel.
Without DATA, ``stelsel validate`` there checks ``data/`` as one's own model in context
(:mod:`stelsel.validation.context`): the bundled architectures and elements it refers to are
added (an alignment to ``nora:NAP01`` must find NAP01), and only findings about the team's model
are reported; findings about the bundled stelsel itself are left to the stelsel project.
"""

from __future__ import annotations

from pathlib import Path


def model_repository_data(content_root: Path, cwd: Path | None = None) -> list[Path] | None:
    """``./data`` when it is not the content's own; else None."""
    local = (cwd or Path.cwd()) / "data"
    if not local.is_dir() or local.resolve() == (Path(content_root) / "data").resolve():
        return None
    return [local if cwd else Path("data")]
