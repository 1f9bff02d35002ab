"""`flask --app wsgi projects import-customers FILE` / `import-projects FILE` (and export).

Without ``--commit`` the file is only checked (a dry run that prints every row's errors).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..core.tabular.cli import FILE, run_import
from . import bp
from .spreadsheets import CUSTOMER_IMPORT, PROJECT_IMPORT


@bp.cli.command("import-customers")
@click.argument("path", type=FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_customers_command(path: Path, commit: bool) -> None:
    """Import customers from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(CUSTOMER_IMPORT, path, commit)


@bp.cli.command("import-projects")
@click.argument("path", type=FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_projects_command(path: Path, commit: bool) -> None:
    """Import cases from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(PROJECT_IMPORT, path, commit)
