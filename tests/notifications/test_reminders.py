"""Daily reminders: recorded once as events, then notified like any other event."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from app.extensions import db
from app.notifications.reminders import closing_date, run_reminders
from tests.notifications.conftest import notified

TODAY = date(2026, 11, 2)


def _exec(admin_engine, sql, **params):
    with admin_engine.begin() as conn:
        conn.execute(text(sql), params)


def _events(admin_engine) -> list[tuple]:
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT event_type, aggregate_id, payload->>'reminder_key'"
                                 " FROM platform.domain_events ORDER BY event_type, 3")).all()


def test_closing_date_is_the_day_or_the_month_end():
    assert closing_date(2026, 2, 0) == date(2026, 2, 28)
    assert closing_date(2026, 10, 20) == date(2026, 10, 20)
    assert closing_date(2026, 2, 28) == date(2026, 2, 28)


def test_reminders_are_recorded_once_each(world, system, admin_engine):
    _exec(admin_engine, "INSERT INTO engineer_context.certifications (engineer_id, name, expires_on)"
                        " VALUES (:e, 'AWS SAA', :d)", e=world.e1, d=TODAY + timedelta(days=45))
    _exec(admin_engine, "UPDATE contract_context.contracts SET end_date = :d WHERE id = :k",
          d=TODAY + timedelta(days=20), k=world.k1)
    first = run_reminders(TODAY)
    db.session.commit()
    # k1's October timesheet is a draft after the month-end closing; k2's is approved
    # k1 ends in 20 days with no renewal; i1 and i2 were due on 10-28 and are unpaid
    assert first == {"timesheets": 1, "contracts": 1, "invoices": 2, "certifications": 1}
    assert run_reminders(TODAY) == {"timesheets": 0, "contracts": 0, "invoices": 0, "certifications": 0}
    db.session.commit()
    kinds = [(e[0], e[2]) for e in _events(admin_engine)]
    assert kinds == [("CertificationExpiring", (TODAY + timedelta(days=45)).isoformat()),
                     ("ContractEndingSoon", (TODAY + timedelta(days=20)).isoformat()),
                     ("InvoiceOverdue", "2026-10-28"), ("InvoiceOverdue", "2026-10-28"),
                     ("TimesheetNotSubmitted", "2026-10")]


def test_the_closing_day_of_the_contract_decides_and_a_missing_sheet_counts(
        world, system, admin_engine):
    _exec(admin_engine, "UPDATE contract_context.contracts SET closing_day = 25")
    # 11-24: October closed on 10-25 (k1's sheet is a draft), November not closed yet
    assert run_reminders(date(2026, 11, 24))["timesheets"] == 1
    db.session.commit()
    # 11-26: November closed on 11-25 and neither contract has a November sheet at all
    assert run_reminders(date(2026, 11, 26))["timesheets"] == 2


def test_a_renewed_contract_is_not_reminded(world, system, admin_engine):
    _exec(admin_engine, "UPDATE contract_context.contracts SET end_date = :d WHERE id = :k",
          d=TODAY + timedelta(days=10), k=world.k1)
    _exec(admin_engine, """INSERT INTO contract_context.contracts (contract_number, contract_type, side,
        renewed_from_id, project_id, engineer_id, customer_id, title, status, start_date, end_date,
        monthly_price, lower_hours, upper_hours) SELECT 'K1R', contract_type, side, id, project_id,
        engineer_id, customer_id, title, 'DRAFT', end_date + 1, end_date + 180, monthly_price,
        lower_hours, upper_hours FROM contract_context.contracts WHERE id = :k""", k=world.k1)
    assert run_reminders(TODAY)["contracts"] == 0


def test_reminders_reach_the_right_people(world, system, admin_engine, run_jobs):
    _exec(admin_engine, "INSERT INTO engineer_context.certifications (engineer_id, name, expires_on)"
                        " VALUES (:e, '応用情報技術者', :d)", e=world.e1, d=TODAY + timedelta(days=30))
    run_reminders(TODAY)
    db.session.commit()
    run_jobs()
    got = notified(admin_engine)
    assert got["e1@world.test"] in {"2026年10月の工数表が未提出です",
                                    "資格「応用情報技術者」の有効期限が近づいています"}
    assert got["finance@world.test"].startswith("請求書 INV-")
    with admin_engine.connect() as conn:
        titles = conn.execute(text(
            "SELECT u.email, n.title FROM notification_context.notifications n"
            " JOIN platform.users u ON u.id = n.recipient_user_id WHERE n.event_id IS NOT NULL"
            " ORDER BY 1, 2")).all()
    assert ("e1@world.test", "2026年10月の工数表が未提出です") in titles
    assert ("e1@world.test", "資格「応用情報技術者」の有効期限が近づいています") in titles
    assert ("admin@world.test", "資格「応用情報技術者」の有効期限が近づいています") in titles
    assert sorted(t for e, t in titles if e == "finance@world.test") == [
        "請求書 INV-1 の入金が遅れています", "請求書 INV-2 の入金が遅れています"]
