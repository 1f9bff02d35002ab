"""`flask --app wsgi projects import-customers FILE` / `import-projects FILE` (and export).

Without ``--commit`` the file is only checked (a dry run that prints every row's errors).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..core import tabular as t
from ..core.identity import SYSTEM, acting_as
from ..extensions import db
from . import bp
from .spreadsheets import CUSTOMER_IMPORT, PROJECT_IMPORT


def run_import(spec: t.ImportSpec, path: Path, commit: bool) -> None:
    """Check (and with ``commit`` write) a spreadsheet as the system user; exit 1 on errors."""
    data = path.read_bytes()
    with acting_as(SYSTEM):
        result = (t.commit_import if commit else t.preview_import)(spec, data, path.name)
        for message in result.table.errors:
            click.echo(f"error: {message}", err=True)
        for row in result.table.error_rows:
            for key, message in row.errors.items():
                click.echo(f"line {row.line}: {result.table.header_of(key) or key}: {message}", err=True)
        if not result.ok or (commit and result.imported is None):
            db.session.rollback()
            raise click.ClickException("nothing was imported")
        if commit:
            db.session.commit()
            click.echo(f"imported {result.imported} rows from {path.name}")
        else:
            db.session.rollback()
            click.echo(f"{len(result.table.rows)} rows OK ({result.table.encoding}); add --commit to import")


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@bp.cli.command("import-customers")
@click.argument("path", type=_FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_customers_command(path: Path, commit: bool) -> None:
    """Import customers from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(CUSTOMER_IMPORT, path, commit)


@bp.cli.command("import-projects")
@click.argument("path", type=_FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_projects_command(path: Path, commit: bool) -> None:
    """Import cases from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(PROJECT_IMPORT, path, commit)
