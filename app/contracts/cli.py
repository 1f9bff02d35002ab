"""`flask --app wsgi contracts advance`: the daily move 締結 -> 稼働中 -> 終了."""

from __future__ import annotations

from datetime import date

import click

from ..core.identity import SYSTEM, acting_as
from ..extensions import db
from . import bp
from .lifecycle import advance_statuses


@bp.cli.command("advance")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the day to advance to (default: today)")
def advance_command(today) -> None:
    """Start concluded contracts whose period began and end those whose period is over."""
    with acting_as(SYSTEM):
        started, ended = advance_statuses(today.date() if today else date.today())
        db.session.commit()
    click.echo(f"contracts started: {started}, ended: {ended}")
