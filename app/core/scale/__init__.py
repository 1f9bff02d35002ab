"""The large benchmark dataset: ``flask --app wsgi ses demo --scale large``.

A realistic big SES company -- 5,000 engineers, 800 customers, 3,000 cases, 6,000 contracts,
24 months of daily attendance (about 2.2 M rows), about 60,000 invoices with payments and
journal entries, 2 M notifications -- with a login for every engineer, customer and partner
company (password ``DEMO_PASSWORD``, e-mails ``<code>@large.ses.example``; staff ``admin@``,
``pm001@`` ... ``pm040@``, ``finance01@`` ...).  Deterministic for a seed and a date.

Loaded with COPY in one transaction through the migration role, triggers off (see
``copying``), partitions created first; then every cross-context reference and foreign key is
checked set-based, statistics are gathered and the materialized views refreshed.  ``factor``
scales every count (the tests load ``factor=0.01``).
"""

from __future__ import annotations

import time
from datetime import date

import psycopg
from flask import current_app
from sqlalchemy.engine import make_url

from ..calendar import add_months
from .copying import Loader, ScaleError, broken_references
from .world import BENCH_DOMAIN, Plan, World

__all__ = ["BENCH_DOMAIN", "Plan", "ScaleError", "load_large"]


def _connect() -> psycopg.Connection:
    url = make_url(current_app.config["MIGRATION_DATABASE_URL"]).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=False)


def load_large(seed: int = 20261127, echo=print, factor: float = 1.0, today: date | None = None) -> bool:
    """Load the dataset; False if it is already there.  Refuses a database with other data."""
    from ...auth.services import hash_password
    from ..demo import DEMO_PASSWORD

    world = World(Plan.scaled(factor), seed, today or date.today(), hash_password(DEMO_PASSWORD))
    started = time.perf_counter()
    with _connect() as conn:
        loader = Loader(conn, echo)
        loader.check_role()
        if loader.scalar("SELECT 1 FROM platform.users WHERE email = %s", (world.email("admin"),)):
            return False
        if loader.scalar("SELECT count(*) FROM engineer_context.engineers"):
            raise ScaleError("the large dataset is loaded into a database without engineers: this one has some")
        echo(f"large dataset: seed {seed}, factor {factor}, {world.plan}")
        _load(loader, world)
        _check(loader)
        conn.commit()
    _analyze(echo)
    echo(f"large dataset loaded in {time.perf_counter() - started:.0f} s")
    return True


def _load(loader: Loader, world: World) -> None:
    from . import attendance, billing, matching, notices, parties, sales

    first = world.window_start
    last = date(*add_months(world.today.year, world.today.month, 12), 1)
    loader.scalar("SELECT platform.create_partitions(%s, %s)", (first, last))
    parties.load_staff(loader, world)
    parties.load_customers(loader, world)
    parties.load_partners(loader, world)
    parties.load_engineers(loader, world)
    parties.load_portal_users(loader, world)
    sales.plan_projects(world)
    buys = sales.plan_contracts(world)
    sales.settle_projects(world)
    sales.load_projects(loader, world)
    results = matching.load_matching(loader, world)
    loader.copy("contract_context.contracts", sales.CONTRACT_COLUMNS, sales.contract_rows(world, buys, results))
    parties.set_availability(loader, world)
    sheets = attendance.load_timesheets(loader, world)
    billing.load_billing(loader, world, sheets)
    notices.load_notifications(loader, world)
    if loader.scalar("SELECT to_regprocedure('notification_context.recount_unread()')"):
        loader.scalar("SELECT notification_context.recount_unread()")   # the triggers were off
    _advance_sequences(loader, world)


def _advance_sequences(loader: Loader, world: World) -> None:
    """Numbers the application takes next must not collide with the loaded ones."""
    if loader.scalar("SELECT to_regclass('contract_context.contract_number_seq')"):
        loader.scalar("SELECT setval('contract_context.contract_number_seq', max(substring(contract_number"
                      " FROM '-([0-9]+)$')::bigint)) FROM contract_context.contracts")


def _check(loader: Loader) -> None:
    loader.echo("checking references ...")
    problems = broken_references(loader.conn)
    if problems:
        raise ScaleError("the generated data breaks references:\n  " + "\n  ".join(problems))


def _analyze(echo) -> None:
    echo("vacuuming, gathering statistics, refreshing materialized views ...")
    with _connect() as conn:
        conn.autocommit = True
        # VACUUM sets the visibility map of the freshly copied pages, as autovacuum would soon:
        # without it every index-only scan (counts of a list) reads the table's pages too.
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("SELECT report_context.refresh_materialized_views()")
