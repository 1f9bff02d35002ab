"""`flask --app wsgi ses ...`: demo data, demo logins, partitions.

Context-specific commands live on their blueprints (``flask --app wsgi billing run``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..extensions import db
from .identity import SYSTEM, acting_as

ses = AppGroup("ses", help="SES management: demo data, logins, maintenance.")


@ses.command("demo")
@click.option("--scale", type=click.Choice(["small", "large"]), default="small",
              help="small: a realistic company for trying the app; large: the benchmark dataset.")
@click.option("--seed", type=int, default=20261127, help="random seed (the data is deterministic)")
def demo_command(scale: str, seed: int) -> None:
    """Load demo data (idempotent: running it again adds nothing)."""
    from . import demo

    with acting_as(SYSTEM):
        created = demo.load(scale=scale, seed=seed, echo=click.echo)
        db.session.commit()
    click.echo("demo data: " + ("loaded" if created else "already present, nothing added"))


@ses.command("logins")
def logins_command() -> None:
    """Print the demo logins for each role."""
    from .demo import DEMO_LOGINS, DEMO_PASSWORD

    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for role, email, name in DEMO_LOGINS:
        click.echo(f"  {role:<16} {email:<32} {name}")


@ses.command("partitions")
@click.option("--months", type=int, default=12, show_default=True)
def partitions_command(months: int) -> None:
    """Create the time-series partitions from last month to MONTHS ahead."""
    with acting_as(SYSTEM):
        created = db.session.execute(db.text("SELECT platform.create_partitions_ahead(:m)"),
                                     {"m": months}).scalar()
        db.session.commit()
    click.echo(f"{created} partitions created")


def register_cli(app: Flask) -> None:
    from . import ops_cli  # noqa: F401  (adds worker, backup, restore to the group)

    app.cli.add_command(ses)
