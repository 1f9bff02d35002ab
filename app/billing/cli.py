"""`flask --app wsgi billing ...`: the monthly run, overdue marking and exports, for cron jobs and
the migration from spreadsheets."""

from __future__ import annotations

import re
from datetime import date

import click

from ..core.identity import SYSTEM, acting_as
from ..extensions import db
from . import bp


def parse_month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise click.BadParameter("YYYY-MM の形式で指定してください（例: 2026-10）")
    return int(match.group(1)), int(match.group(2))


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return parse_month(value)
        except click.BadParameter as error:
            self.fail(error.message, param, ctx)


MONTH = MonthType()


@bp.cli.command("run")
@click.option("--month", "period", type=MONTH, required=True, help="billed month, e.g. 2026-10")
@click.option("--issue-date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="請求日 (default: the month's last day)")
@click.option("--no-pdf", is_flag=True, help="issue only; render the PDFs later")
def run_command(period: tuple[int, int], issue_date, no_pdf: bool) -> None:
    """Bill a month: invoices to customers and payment notices to partners (idempotent)."""
    from .batch import run_invoices

    with acting_as(SYSTEM):
        run = run_invoices(*period, issue_date=issue_date.date() if issue_date else None,
                           render_pdfs=not no_pdf, echo=click.echo)
        db.session.commit()
    click.echo(f"{run.status}: {run.invoices_created} invoices, {run.statements_created} payment notices,"
               f" {run.pdfs_done} PDFs")
    for problem in run.problems:
        click.echo(f"problem: {problem['group']} {problem['message']}", err=True)
    if run.status != "SUCCEEDED":
        raise SystemExit(1)


@bp.cli.command("mark-overdue")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None)
def mark_overdue_command(today) -> None:
    """Mark issued invoices past their due date as overdue (延滞)."""
    from .payments import mark_overdue

    with acting_as(SYSTEM):
        count = mark_overdue(today.date() if today else date.today())
        db.session.commit()
    click.echo(f"{count} invoices marked overdue")
