"""``stelsel validate`` in a repository that keeps its own architecture model.

A team keeps its model (its architecture, elements and its alignments to NORA) in ``data/`` of
its own Git repository, without the stelsel's ontology or shapes; stelsel comes from the wheel.
Without DATA, ``stelsel validate`` there checks that ``data/`` together with the bundled data
it aligns to (an alignment to ``nora:NAP01`` must find NAP01), and reports the findings about
the team's model: findings about the bundled stelsel itself (its own IRIs, in its own files) are
left to the stelsel project (``stelsel validate`` in an empty folder shows them).
"""

from __future__ import annotations

from pathlib import Path


def model_repository_data(content_root: Path, cwd: Path | None = None) -> list[Path] | None:
    """The bundled data plus ``./data`` when ``./data`` is not the content's own; else None."""
    local = (cwd or Path.cwd()) / "data"
    if not local.is_dir() or local.resolve() == (Path(content_root) / "data").resolve():
        return None
    return [Path(content_root) / "data", local if cwd else Path("data")]


def about_the_model(report, content_root: Path, base_iri: str):
    """The report without the findings about the bundled stelsel (focus node under ``base_iri``,
    located in the bundled files)."""
    bundled = str(Path(content_root).resolve())

    def bundled_finding(f) -> bool:
        in_bundled_file = f.location is not None and str(Path(f.location.path).resolve()).startswith(bundled)
        return in_bundled_file and str(f.focus_node).startswith(base_iri)

    report.findings = [f for f in report.findings if not bundled_finding(f)]
    return report
