"""`flask --app wsgi engineers import-engineers FILE` / `import-partners FILE` (``--commit`` to write)."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.tabular.cli import FILE, run_import
from . import bp
from .spreadsheets import ENGINEER_IMPORT, PARTNER_IMPORT


@bp.cli.command("import-engineers")
@click.argument("path", type=FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_engineers_command(path: Path, commit: bool) -> None:
    """Import engineers with skills from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(ENGINEER_IMPORT, path, commit)


@bp.cli.command("import-partners")
@click.argument("path", type=FILE)
@click.option("--commit", is_flag=True, help="write the rows (default: only check them)")
def import_partners_command(path: Path, commit: bool) -> None:
    """Import partner companies from CSV (UTF-8/Shift_JIS) or .xlsx; existing codes are updated."""
    run_import(PARTNER_IMPORT, path, commit)
