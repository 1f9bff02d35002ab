"""Logical backups per schema (the design's 論理バックアップ) and their restore into a fresh database.

``backup(dir)`` runs ``pg_dump -n <schema>`` once per context schema and for ``platform`` (users,
the event outbox), in custom format, and writes ``manifest.json``: the Alembic revision, every
table's row count and checksum, and the date range of the partitioned tables.

``restore(dir, database)`` creates the database, migrates it to the same revision with Alembic
(roles, functions, policies and grants come from the migrations, not from the dump), empties
the tables the migration seeded, creates the partitions the data needs, loads each schema's data
(``pg_restore --data-only --disable-triggers``), refreshes the materialized views and compares
every table's row count and checksum with the manifest.

Both need a role that bypasses row level security (pg_dump refuses to back up a table whose
policies would hide rows): the migration URL, i.e. the cluster's superuser locally.  The job
queue (schema ``procrastinate``) is not backed up: the worker re-queues pending events itself.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from .migration_sql import BUSINESS_SCHEMAS

SCHEMAS = ("platform", *BUSINESS_SCHEMAS)
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
MANIFEST = "manifest.json"

_TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"""
# Data spans of the partitioned tables: restore creates their partitions first.
_SPANS = """
    SELECT least((SELECT min(period_date) FROM timesheet_context.timesheets),
                 (SELECT min(created_at)::date FROM notification_context.notifications),
                 (SELECT make_date(min(invoice_year), 1, 1) FROM billing_context.invoices),
                 (SELECT min(target_date) FROM report_context.analytics_data)),
           greatest((SELECT max(period_date) FROM timesheet_context.timesheets),
                    (SELECT max(created_at)::date FROM notification_context.notifications),
                    (SELECT make_date(max(invoice_year), 12, 31) FROM billing_context.invoices),
                    (SELECT max(target_date) FROM report_context.analytics_data))"""


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """Where to connect: a libpq URI of the server and a database name on it."""

    uri: str

    def database(self, name: str) -> str:
        base, _, query = self.uri.partition("?")
        server = base.rsplit("/", 1)[0]
        return f"{server}/{name}" + (f"?{query}" if query else "")


def libpq_uri(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def table_fingerprints(conn: psycopg.Connection) -> dict[str, dict]:
    """``{"schema.table": {"rows": n, "checksum": md5}}`` of every table of our schemas.

    The checksum is the md5 of the table's rows as text, sorted, so it does not depend on the
    physical order the rows were loaded in."""
    result = {}
    for schema in SCHEMAS:
        for nspname, relname in conn.execute(_TABLES, (schema,)).fetchall():
            table = sql.Identifier(nspname, relname)
            rows, checksum = conn.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} t").format(table)).fetchone()
            result[f"{nspname}.{relname}"] = {"rows": rows, "checksum": checksum}
    return result


def _run(args: list[str]) -> None:
    completed = subprocess.run(args, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {completed.stderr.strip()[:2000]}")


def backup(uri: str, folder: Path, revision: str) -> dict:
    """Dump every schema into ``folder`` (created) and write the manifest; returns it."""
    folder.mkdir(parents=True, exist_ok=False)
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("SET row_security = off")
        fingerprints = table_fingerprints(conn)
        first, last = conn.execute(_SPANS).fetchone()
    files = {}
    for schema in SCHEMAS:
        files[schema] = f"{schema}.dump"
        _run([str(PG_BIN / "pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--schema={schema}", f"--file={folder / files[schema]}", f"--dbname={uri}"])
    manifest = {"created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "alembic_revision": revision, "files": files, "tables": fingerprints,
                "partition_span": [first.isoformat() if first else None,
                                   last.isoformat() if last else None]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} not found: not a backup folder")
    return json.loads(path.read_text())


def create_database(target: Target, name: str) -> None:
    with psycopg.connect(target.database("postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            raise BackupError(f"database {name} already exists: restore only into a fresh database")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def load_data(uri: str, folder: Path, manifest: dict) -> None:
    """Into a freshly migrated database: empty the seeded tables, add partitions, load the data."""
    with psycopg.connect(uri, autocommit=True) as conn:
        tables = list(manifest["tables"])
        conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(*t.split(".", 1)) for t in tables)))
        first, last = manifest["partition_span"]
        if first and last:
            conn.execute("SELECT platform.create_partitions(%s, %s)", (first, last))
    for file in manifest["files"].values():
        _run([str(PG_BIN / "pg_restore"), "--data-only", "--disable-triggers", "--no-owner",
              "--exit-on-error", "--single-transaction", f"--dbname={uri}", str(folder / file)])
    with psycopg.connect(uri, autocommit=True) as conn:
        # directly, not through refresh_materialized_views(): that would log a refresh row
        views = conn.execute("SELECT matviewname FROM pg_matviews WHERE schemaname = 'report_context'"
                             " ORDER BY 1").fetchall()
        for (view,) in views:
            conn.execute(sql.SQL("REFRESH MATERIALIZED VIEW {}").format(
                sql.Identifier("report_context", view)))


def verify(uri: str, manifest: dict) -> list[str]:
    """The tables whose row count or checksum differ from the manifest (empty = identical)."""
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("SET row_security = off")
        found = table_fingerprints(conn)
    return sorted(t for t, expected in manifest["tables"].items() if found.get(t) != expected)


def restore(folder: Path, database: str) -> list[str]:
    """Create ``database``, migrate it, load the backup and verify it (see the module doc).
    Returns the tables that differ from the manifest (empty when the restore is exact)."""
    import flask_migrate
    from flask import current_app

    manifest = read_manifest(folder)
    config = current_app.config
    original = config["MIGRATION_DATABASE_URL"]
    create_database(Target(libpq_uri(original)), database)
    restored = Target(original).database(database)
    config["MIGRATION_DATABASE_URL"] = restored
    try:
        flask_migrate.upgrade(revision=manifest["alembic_revision"])
    finally:
        config["MIGRATION_DATABASE_URL"] = original
    load_data(libpq_uri(restored), folder, manifest)
    return verify(libpq_uri(restored), manifest)


def current_revision(uri: str) -> str:
    with psycopg.connect(uri) as conn:
        return conn.execute("SELECT version_num FROM public.alembic_version").fetchone()[0]
