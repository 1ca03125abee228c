"""``stelsel diff``: what changed between two versions of an architecture (docs/diff.md)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (default: standard output).")
@click.pass_obj
def diff_cmd(state, old, new, fmt, output):
    """List elements added, removed, renamed, retyped and relinked from OLD to NEW, and the alignments
    that point at a changed element. OLD and NEW are architecture IRIs or short forms such as
    nora, nora/2026, rosa/2022, rosa/2024."""
    from .diff import FORMATS, diff
    text = FORMATS[fmt](diff(state.reader, old, new))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
