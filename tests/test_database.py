"""The database's own guarantees: triggers, soft delete, cross-context references, partitions,
materialized views, monitoring views, archiving -- exercised as the application roles."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.core.db import ConflictError, check_version
from app.extensions import db
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def _one(sql, **params):
    return db.session.execute(text(sql), params).one()


def test_update_bumps_updated_at_and_version(system, world):
    before = _one("SELECT updated_at, version FROM project_context.projects WHERE id = :p", p=world.p1)
    db.session.commit()   # a new transaction, so now() moves on
    db.session.execute(text("UPDATE project_context.projects SET title = '改' WHERE id = :p"), {"p": world.p1})
    after = _one("SELECT updated_at, version FROM project_context.projects WHERE id = :p", p=world.p1)
    assert after.version == before.version + 1
    assert after.updated_at > before.updated_at


def test_the_orm_uses_version_as_an_optimistic_lock(system, world, admin_engine):
    user = db.session.get(User, world.pm1)
    seen = user.version
    with admin_engine.begin() as conn:      # someone else saves first
        conn.execute(text("UPDATE platform.users SET display_name = 'other' WHERE id = :u"), {"u": world.pm1})
    user.display_name = "mine"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
    fresh = db.session.get(User, world.pm1)
    assert (fresh.display_name, fresh.version) == ("other", seen + 1)
    with pytest.raises(ConflictError):
        check_version(fresh, seen)
    check_version(fresh, fresh.version)


def test_delete_is_a_soft_delete_and_hides_the_row(system, world, admin_engine):
    deleted = db.session.execute(text("DELETE FROM project_context.customer_contacts WHERE id = :c"),
                                 {"c": world.c1_contact}).rowcount
    db.session.commit()
    assert deleted == 0   # the trigger turned it into an UPDATE
    with admin_engine.connect() as conn:
        still_there = conn.execute(text(
            "SELECT deleted_at IS NOT NULL FROM project_context.customer_contacts WHERE id = :c"),
            {"c": world.c1_contact}).scalar()
    assert still_there is True


def test_orm_queries_exclude_soft_deleted_rows(system, world):
    user = db.session.get(User, world.pm2)
    user.soft_delete()
    db.session.commit()
    emails = set(db.session.scalars(select(User.email)))
    assert "pm2@world.test" not in emails and "pm1@world.test" in emails
    with_deleted = set(db.session.scalars(select(User.email).execution_options(include_deleted=True)))
    assert "pm2@world.test" in with_deleted


@pytest.mark.parametrize("column, target", [
    ("project_id", "project_context.projects"),
    ("engineer_id", "engineer_context.engineers"),
])
def test_a_cross_context_reference_to_a_missing_row_is_refused(system, world, column, target):
    missing = uuid.uuid4()
    with pytest.raises(IntegrityError) as error:
        db.session.execute(text(
            f"UPDATE contract_context.contracts SET {column} = :m WHERE id = :k"), {"m": missing, "k": world.k1})
    assert f"Referenced {target} does not exist or is deleted: {missing}" in str(error.value)
    db.session.rollback()


def test_a_reference_to_a_soft_deleted_row_is_refused(system, world):
    db.session.execute(text("UPDATE engineer_context.engineers SET deleted_at = now() WHERE id = :e"),
                       {"e": world.e3})
    with pytest.raises(IntegrityError, match="engineer_context.engineers does not exist or is deleted"):
        db.session.execute(text(
            "INSERT INTO matching_context.matching_candidates (matching_request_id, engineer_id)"
            " VALUES (:r, :e)"), {"r": world.mr2, "e": world.e3})
    db.session.rollback()


def test_unchanged_references_are_not_rechecked(system, world):
    # The engineer is gone, but editing the contract's title must still work.
    db.session.execute(text("UPDATE engineer_context.engineers SET deleted_at = now() WHERE id = :e"),
                       {"e": world.e1})
    db.session.execute(text("UPDATE contract_context.contracts SET title = 'x' WHERE id = :k"), {"k": world.k1})
    db.session.rollback()


def _insert_timesheet(world, year, month):
    db.session.execute(text(
        "INSERT INTO timesheet_context.timesheets (contract_id, engineer_id, project_id, customer_id,"
        " period_year, period_month) VALUES (:k, :e, :p, :c, :y, :m)"),
        {"k": world.k1, "e": world.e1, "p": world.p1, "c": world.c1, "y": year, "m": month})


def _insert_invoice(world, year):
    db.session.execute(text(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, issuer_id, customer_id,"
        " billing_period_start, billing_period_end, recipient_name, issuer_name,"
        " issuer_registration_number, tax_rounding) VALUES (:y, 1, :i, :c, :d, :d, 'x', 'y',"
        " 'T4011001098993', 'FLOOR')"), {"y": year, "i": world.issuer, "c": world.c1, "d": date(year, 1, 31)})


def test_next_month_and_next_year_have_partitions(system, world):
    today = date.today()
    next_month = (today.year + (today.month == 12), today.month % 12 + 1)
    _insert_timesheet(world, *next_month)
    _insert_timesheet(world, today.year + 1, today.month)
    _insert_invoice(world, today.year + 1)
    db.session.execute(text(
        "INSERT INTO notification_context.notifications (created_at, recipient_user_id, event_type, title, body)"
        " VALUES (now() + interval '1 month', :u, 'X', 't', 'b'),"
        "        (now() + interval '1 year', :u, 'X', 't', 'b')"), {"u": world.pm1})
    db.session.execute(text(
        "INSERT INTO report_context.analytics_data (target_year, target_date, category, metric_key)"
        " VALUES (:y, :d, 'revenue', 'total')"), {"y": today.year + 1, "d": date(today.year + 1, 6, 1)})
    db.session.commit()
    partition = db.session.execute(text(
        "SELECT tableoid::regclass::text FROM timesheet_context.timesheets WHERE period_year = :y AND period_month = :m"),
        {"y": next_month[0], "m": next_month[1]}).scalar()
    assert partition == f"timesheet_context.timesheets_{next_month[0]}_{next_month[1]:02d}"


def test_partitions_are_created_ahead_on_demand(system):
    created = db.session.execute(text("SELECT platform.create_partitions('2031-01-01', '2031-02-28')")).scalar()
    again = db.session.execute(text("SELECT platform.create_partitions('2031-01-01', '2031-02-28')")).scalar()
    db.session.rollback()
    assert created == 6 and again == 0      # 2 months x 2 monthly tables + 2 yearly tables


def test_partitions_are_not_reachable_directly_by_application_roles(app, world):
    from app.core.identity import Identity, acting_as

    db.session.rollback()
    with acting_as(Identity("engineer", world.user_e1, engineer_id=world.e1)), \
            pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text("SELECT * FROM timesheet_context.timesheets_2026_10")).all()
    db.session.rollback()


def test_materialized_views_refresh_concurrently(system, world):
    refreshed = db.session.execute(text("SELECT report_context.refresh_materialized_views()")).scalar()
    stats = db.session.execute(text("SELECT * FROM report_context.integrated_dashboard_stats")).one()
    monthly = db.session.execute(text(
        "SELECT invoice_count, total_amount FROM report_context.monthly_revenue_stats"
        " WHERE invoice_year = 2026 AND invoice_month = 10")).one()
    db.session.rollback()
    assert refreshed is not None
    assert (stats.active_projects, stats.total_engineers, stats.active_contracts, stats.unpaid_invoices) == (2, 3, 3, 2)
    assert tuple(monthly) == (2, 220000)      # the draft is not revenue


def test_monitoring_views_answer_for_the_admin(system):
    metrics = dict(db.session.execute(text("SELECT metric_name, metric_value FROM public.performance_metrics")).all())
    db.session.execute(text("SELECT * FROM public.index_usage_stats LIMIT 5")).all()
    db.session.execute(text("SELECT * FROM public.long_running_queries")).all()
    db.session.rollback()
    assert {"Database Size", "Active Connections", "Cache Hit Ratio"} <= set(metrics)


def test_archive_old_data_soft_deletes_finished_records(system, world):
    db.session.execute(text(
        "UPDATE project_context.projects SET status = 'COMPLETED', end_date = '2020-03-31' WHERE id = :p"),
        {"p": world.p2})
    # An issued invoice's date is frozen (電子帳簿保存法): settle it, it stays too recent to archive.
    db.session.execute(text(
        "UPDATE billing_context.invoices SET status = 'PAID', paid_amount = total_amount WHERE id = :i"),
        {"i": world.i2})
    result = {r.table_name: (r.archived_count, r.archive_status) for r in db.session.execute(
        text("SELECT * FROM public.archive_old_data('2021-01-01')"))}
    archived = db.session.execute(text(
        "SELECT deleted_at IS NOT NULL FROM project_context.projects WHERE id = :p"), {"p": world.p2}).scalar()
    db.session.rollback()
    assert result["projects"] == (1, "SUCCESS")
    assert result["invoices"][1] == "SUCCESS"
    assert set(result) == {"projects", "timesheets", "invoices", "notifications"}
    assert archived


def test_encryption_needs_the_key_from_outside_the_database(app, world):
    from app.core.identity import Identity, acting_as

    db.session.rollback()
    with acting_as(Identity("project_manager", world.pm1)):
        cipher = db.session.execute(text("SELECT encrypt_personal_data('東京都千代田区')")).scalar()
        plain = db.session.execute(text("SELECT decrypt_personal_data(:c)"), {"c": cipher}).scalar()
        db.session.rollback()
    assert plain == "東京都千代田区" and "東京" not in cipher
    key = db.session.execute(text(
        "SELECT count(*) FROM pg_settings WHERE name = 'app.encryption_key'")).scalar()
    db.session.rollback()
    assert key == 0   # not a server setting: only ever set per transaction by the app
