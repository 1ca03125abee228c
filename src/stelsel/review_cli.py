"""``stelsel review``: record an owner's decision on an alignment, or show its history (docs/review.md)."""

from __future__ import annotations

import json
from datetime import date

import click

from .errors import InputError


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date {value!r} is not a date", hint="write YYYY-MM-DD, e.g. 2026-12-07") from None


@click.command("review")
@click.argument("alignment")
@click.option("--status", type=click.Choice(["vastgesteld", "afgewezen"]), default=None,
              help="The decision: adopted (vastgesteld) or rejected (afgewezen).")
@click.option("--comment", default=None, help="Why, in one or two sentences (required with --status).")
@click.option("--reviewer", "reviewer_id", default=None, metavar="IRI",
              help="Who decides: an IRI (ORCID, organisation); default the setting 'reviewer' or env "
                   "STELSEL_REVIEWER.")
@click.option("--reviewer-label", default=None, help="The reviewer's name as people read it.")
@click.option("--date", "on", default=None, metavar="YYYY-MM-DD", help="Date of the decision (default today).")
@click.option("--history", "show_history", is_flag=True, help="Only show the decisions recorded so far.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def review(state, alignment, status, comment, reviewer_id, reviewer_label, on, show_history, fmt):
    """Record a decision on ALIGNMENT (an IRI or aansluiting/<id>), or show its history.

    Every decision is kept (graph:beoordelingen); the alignment shows the latest one as its status,
    reviewer and date, which 'stelsel export sssom' and 'stelsel export' carry.
    """
    import os

    from .review import find_alignment, history, record_review
    if show_history:
        if status or comment:
            raise InputError("--history only shows decisions; leave out --status and --comment")
        target = find_alignment(state.store, alignment)
        reviews = history(state.store, target.iri)
        if fmt == "json":
            click.echo(json.dumps({"alignment": target.iri, "status": target.status,
                                   "reviews": [r.as_dict() for r in reviews]}, ensure_ascii=False, indent=2))
            return
        click.echo(f"{target.iri}  ({target.kind}, status {str(target.status).rsplit('#', 1)[-1]})")
        for r in reviews:
            who = r.reviewer_label or r.reviewer_id
            click.echo(f"  {r.on.isoformat()}  {r.decision.rsplit('#', 1)[-1]:<11} {who}: {r.comment}")
        if not reviews:
            click.echo("  no decisions recorded yet")
        return
    if status is None:
        raise InputError("give a decision with --status vastgesteld|afgewezen, or --history to read",
                         hint="stelsel review aansluiting/<id> --status vastgesteld --comment 'TEXT' "
                              "--reviewer IRI")
    reviewer_id = reviewer_id or os.environ.get("STELSEL_REVIEWER")
    rv = record_review(state.store, alignment, status, comment or "", reviewer_id or "",
                       reviewer_label, _date(on))
    if fmt == "json":
        click.echo(json.dumps(rv.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{rv.alignment}: {rv.decision.rsplit('#', 1)[-1]} by {rv.reviewer_label or rv.reviewer_id} "
                   f"on {rv.on.isoformat()} (review {rv.iri})")
