"""Running an import from a ``flask`` command: check a file, or with ``--commit`` write it."""

from __future__ import annotations

from pathlib import Path

import click

from ...extensions import db
from ..identity import SYSTEM, acting_as
from .imports import ImportSpec, commit_import, preview_import

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def run_import(spec: ImportSpec, path: Path, commit: bool) -> None:
    """Check (and with ``commit`` write) a spreadsheet as the system user; exit 1 on errors.

    Every row's errors are printed as ``line N: <column>: <message>``; nothing is written
    unless every row is valid (the same all-or-nothing commit as the import pages).
    """
    data = path.read_bytes()
    with acting_as(SYSTEM):
        result = (commit_import if commit else preview_import)(spec, data, path.name)
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
