"""`flask --app wsgi ses worker | backup | restore`: the background worker and the backups.

Registered on the ``ses`` command group by ``core.cli.register_cli``."""

from __future__ import annotations

import logging

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
