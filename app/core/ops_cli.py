"""`flask --app wsgi ses worker | backup | restore`: the background worker and the backups.

Registered on the ``ses`` command group by ``core.cli.register_cli``."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import click
from flask import current_app

from .cli import ses


@ses.command("worker")
@click.option("--queue", "queues", multiple=True,
              help="only these queues (repeatable); default: every queue")
@click.option("--concurrency", type=int, default=2, show_default=True,
              help="jobs run in parallel (threads) by this worker")
@click.option("--once", is_flag=True, help="run what is due now, then exit")
def worker_command(queues: tuple[str, ...], concurrency: int, once: bool) -> None:
    """Run the background worker: event delivery, notifications, reports, scheduled jobs.

    Several workers (on several machines) may run at once: jobs are taken with SKIP LOCKED."""
    from .jobs import jobs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()
    click.echo(f"worker: queues={','.join(queues) or 'all'} concurrency={concurrency}")
    jobs.run_worker(app, wait=not once, queues=list(queues) or None, concurrency=concurrency)


@ses.command("backup")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
def backup_command(folder: Path | None) -> None:
    """Back up every context schema (pg_dump -n per schema) into FOLDER with a manifest.

    FOLDER defaults to backups/<date-time>; it must not exist yet."""
    from .backup import BackupError, backup, current_revision, libpq_uri

    uri = libpq_uri(current_app.config["MIGRATION_DATABASE_URL"])
    folder = folder or Path("backups") / datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        manifest = backup(uri, folder, current_revision(uri))
    except (BackupError, FileExistsError) as error:
        raise click.ClickException(str(error)) from error
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"backup: {len(manifest['files'])} schemas, {len(manifest['tables'])} tables, "
               f"{rows:,} rows -> {folder}")


@ses.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--database", required=True, help="the NEW database to create and restore into")
def restore_command(folder: Path, database: str) -> None:
    """Restore a backup FOLDER into a new database and check every table against the manifest."""
    from .backup import BackupError, restore

    try:
        differing = restore(folder, database)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if differing:
        raise click.ClickException("restored, but these tables differ: " + ", ".join(differing))
    click.echo(f"restore: {database} is identical to the backup (row counts and checksums)")
