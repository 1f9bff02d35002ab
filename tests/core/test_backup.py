"""Backup per schema and restore into a fresh database: every table's rows and checksum equal."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from app.core import backup
from app.core.events import PROJECT_ORDERED, record_event
from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.reports.dataset import build_april
from tests.world import build_world


@pytest.fixture
def restored_name(app, pg_socket, database_name):
    name = f"{database_name}_restored"
    yield name
    with psycopg.connect(host=pg_socket, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_identically(app, admin_engine, password_hash, tmp_path,
                                                             restored_name, run_jobs):
    with admin_engine.begin() as conn:
        world = build_world(conn, password_hash)
        build_april(conn)
    with acting_as(SYSTEM):
        record_event(PROJECT_ORDERED, source_context="tests", aggregate_type="project",
                     aggregate_id=world.p1)
        db.session.commit()
    run_jobs()                            # notifications, deliveries, analytics rows
    uri = backup.libpq_uri(app.config["MIGRATION_DATABASE_URL"])
    manifest = backup.backup(uri, tmp_path / "b", backup.current_revision(uri))
    assert set(manifest["files"]) == set(backup.SCHEMAS)
    assert manifest["tables"]["billing_context.invoices"]["rows"] == 9
    assert manifest["tables"]["notification_context.notifications"]["rows"] >= 4

    with app.app_context():
        assert backup.restore(tmp_path / "b", restored_name) == []

    restored_uri = backup.Target(uri).database(restored_name)
    with psycopg.connect(uri) as source, psycopg.connect(restored_uri) as copy:
        for conn in (source, copy):
            conn.execute("SET row_security = off")
        assert backup.table_fingerprints(copy) == backup.table_fingerprints(source)
        assert copy.execute("SELECT count(*) FROM report_context.integrated_dashboard_stats").fetchone() == (1,)
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM platform.users")).scalar() > 0


def test_restore_never_overwrites_an_existing_database(app, tmp_path, database_name):
    uri = backup.libpq_uri(app.config["MIGRATION_DATABASE_URL"])
    backup.backup(uri, tmp_path / "b", backup.current_revision(uri))
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.restore(tmp_path / "b", database_name)


def test_the_commands_back_up_and_refuse_to_restore_over_a_database(app, tmp_path, database_name):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ses", "backup", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert "9 schemas" in result.output and (tmp_path / "cli" / "manifest.json").is_file()
    again = runner.invoke(args=["ses", "backup", str(tmp_path / "cli")])
    assert again.exit_code != 0 and "exists" in again.output
    refused = runner.invoke(args=["ses", "restore", str(tmp_path / "cli"), "--database", database_name])
    assert refused.exit_code != 0 and "already exists" in refused.output
    not_a_backup = runner.invoke(args=["ses", "restore", str(tmp_path), "--database", "x"])
    assert not_a_backup.exit_code != 0 and "manifest.json" in not_a_backup.output
