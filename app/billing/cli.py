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
        click.echo(f"{run.status}: {run.invoices_created} invoices, {run.statements_created} payment notices,"
                   f" {run.pdfs_done} PDFs")
        for problem in run.problems:
            click.echo(f"problem: {problem['group']} {problem['message']}", err=True)
        failed = run.status != "SUCCEEDED"
        db.session.commit()
    if failed:
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


@bp.cli.group("export")
def export_group() -> None:
    """Write a month's documents or journal as CSV files."""


def _write(kind: str, period: tuple[int, int], output: str, encoding: str) -> None:
    from pathlib import Path

    from .exports import export

    with acting_as(SYSTEM):
        data, name = export(kind, *period, encoding=encoding)
        db.session.rollback()
    path = Path(output) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"wrote {path}")


ENCODING = click.Choice(["cp932", "utf-8"])


@export_group.command("invoices")
@click.option("--month", "period", type=MONTH, required=True)
@click.option("--output", default=".", show_default=True, help="folder for the files")
@click.option("--encoding", type=ENCODING, default="cp932", show_default=True)
def export_invoices(period, output: str, encoding: str) -> None:
    """The month's invoices (per-rate subtotal and tax, total) and their lines, as two CSVs."""
    _write("invoices", period, output, encoding)
    _write("lines", period, output, encoding)


@export_group.command("journal")
@click.option("--month", "period", type=MONTH, required=True)
@click.option("--format", "kind", type=click.Choice(["yayoi", "moneyforward", "freee"]), required=True)
@click.option("--output", default=".", show_default=True)
@click.option("--encoding", type=ENCODING, default="cp932", show_default=True)
def export_journal(period, kind: str, output: str, encoding: str) -> None:
    """The month for 弥生会計, マネーフォワード or freee."""
    _write(kind, period, output, encoding)


@bp.cli.group("import")
def import_group() -> None:
    """Migration from spreadsheets: contracts, approved monthly hours (CSV or .xlsx)."""


def _import(kind: str, path: str, commit: bool) -> None:
    from pathlib import Path

    from ..core.tabular import commit_import, preview_import
    from .imports import CONTRACT_IMPORT, HOURS_IMPORT

    spec = CONTRACT_IMPORT if kind == "contracts" else HOURS_IMPORT
    data = Path(path).read_bytes()
    with acting_as(SYSTEM):
        result = (commit_import if commit else preview_import)(spec, data, Path(path).name)
        for message in result.table.errors:
            click.echo(f"error: {message}", err=True)
        for row in result.table.error_rows:
            for key, message in row.errors.items():
                click.echo(f"line {row.line}: {result.table.header_of(key) if key else ''} {message}", err=True)
        if commit and result.imported is not None:
            db.session.commit()
            click.echo(f"imported {result.imported} rows")
        else:
            db.session.rollback()
            click.echo(f"{len(result.table.rows)} rows checked" + ("" if result.ok else ", nothing imported"))
        ok = result.ok
    if not ok:
        raise SystemExit(1)


@import_group.command("contracts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--commit", is_flag=True, help="write the rows (all or nothing); without it: check only")
def import_contracts(path: str, commit: bool) -> None:
    """Contracts with their settlement terms (columns: docs/billing.md)."""
    _import("contracts", path, commit)


@import_group.command("hours")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--commit", is_flag=True, help="write the rows (all or nothing); without it: check only")
def import_hours(path: str, commit: bool) -> None:
    """Approved monthly hours per contract: 契約番号, 対象月, 稼働時間, 備考."""
    _import("hours", path, commit)
