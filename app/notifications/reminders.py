"""Daily reminders, recorded as domain events so that rules, templates, subscriptions and
channels apply to them like to any other event.

* timesheets not submitted by the contract's closing day (one reminder per contract and month),
* SELL contracts ending within 30 days with no renewal contract yet (once per end date),
* invoices past their due date with money open (once per due date),
* certifications expiring within 60 days (once per expiry date).

Each reminder carries a ``reminder_key``; a reminder already recorded for the same aggregate
and key is not recorded again, so the job may run any number of times a day.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta

from sqlalchemy import text

from ..core.events import (
    CERTIFICATION_EXPIRING,
    CONTRACT_ENDING_SOON,
    INVOICE_OVERDUE,
    TIMESHEET_NOT_SUBMITTED,
    record_event,
)
from ..core.jobs import jobs
from ..extensions import db

CONTRACT_ENDING_DAYS = 30
CERTIFICATION_NOTICE_DAYS = 60

_ALREADY = text(
    "SELECT EXISTS (SELECT 1 FROM platform.domain_events WHERE aggregate_type = :agg_type"
    " AND aggregate_id = :agg_id AND event_type = :type AND payload->>'reminder_key' = :key)")


def remind_once(event_type: str, aggregate_type: str, aggregate_id: uuid.UUID, key: str,
                **payload) -> bool:
    if db.session.execute(_ALREADY, {"agg_type": aggregate_type, "agg_id": aggregate_id,
                                     "type": event_type, "key": key}).scalar():
        return False
    record_event(event_type, source_context="notification", aggregate_type=aggregate_type,
                 aggregate_id=aggregate_id, payload={"reminder_key": key, **payload})
    return True


def closing_date(year: int, month: int, closing_day: int) -> date:
    """締め日: 0 = month end, else that day of the month."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(closing_day, last) if closing_day else last)


def _recent_periods(today: date) -> list[tuple[int, int]]:
    previous = today.replace(day=1) - timedelta(days=1)
    return [(previous.year, previous.month), (today.year, today.month)]


_OPEN_TIMESHEETS = text("""
    SELECT k.id, k.closing_day FROM contract_context.contracts k
    WHERE k.side = 'SELL' AND k.status IN ('CONCLUDED', 'ACTIVE') AND k.deleted_at IS NULL
      AND k.start_date <= :period_end AND k.end_date >= :period_start
      AND NOT EXISTS (SELECT 1 FROM timesheet_context.timesheets t
                      WHERE t.contract_id = k.id AND t.period_year = :y AND t.period_month = :m
                        AND t.deleted_at IS NULL AND t.status NOT IN ('DRAFT', 'RETURNED'))
    ORDER BY k.contract_number""")


def remind_unsubmitted_timesheets(today: date) -> int:
    sent = 0
    for year, month in _recent_periods(today):
        start = date(year, month, 1)
        end = closing_date(year, month, 0)
        for contract_id, closing_day in db.session.execute(_OPEN_TIMESHEETS, {
                "y": year, "m": month, "period_start": start, "period_end": end}):
            due = closing_date(year, month, closing_day)
            if due <= today:
                sent += remind_once(TIMESHEET_NOT_SUBMITTED, "contract", contract_id,
                                    f"{year}-{month:02d}", year=year, month=month,
                                    closing_date=due.isoformat())
    return sent


_ENDING_CONTRACTS = text("""
    SELECT k.id, k.end_date FROM contract_context.contracts k
    WHERE k.side = 'SELL' AND k.status IN ('CONCLUDED', 'ACTIVE') AND k.deleted_at IS NULL
      AND k.end_date BETWEEN :today AND :until
      AND NOT EXISTS (SELECT 1 FROM contract_context.contracts r WHERE r.renewed_from_id = k.id
                      AND r.deleted_at IS NULL AND r.status <> 'TERMINATED')""")


def remind_ending_contracts(today: date) -> int:
    rows = db.session.execute(_ENDING_CONTRACTS, {
        "today": today, "until": today + timedelta(days=CONTRACT_ENDING_DAYS)})
    return sum(remind_once(CONTRACT_ENDING_SOON, "contract", contract_id, end.isoformat())
               for contract_id, end in rows.all())


_OVERDUE_INVOICES = text("""
    SELECT id, due_date FROM billing_context.invoices
    WHERE status IN ('ISSUED', 'PARTIALLY_PAID', 'OVERDUE') AND kind <> 'CREDIT_NOTE'
      AND deleted_at IS NULL AND due_date < :today AND total_amount > paid_amount""")


def remind_overdue_invoices(today: date) -> int:
    rows = db.session.execute(_OVERDUE_INVOICES, {"today": today}).all()
    return sum(remind_once(INVOICE_OVERDUE, "invoice", invoice_id, due.isoformat())
               for invoice_id, due in rows)


_EXPIRING_CERTIFICATIONS = text("""
    SELECT c.id, c.expires_on FROM engineer_context.certifications c
    JOIN engineer_context.engineers e ON e.id = c.engineer_id AND e.deleted_at IS NULL
    WHERE c.deleted_at IS NULL AND c.expires_on BETWEEN :today AND :until""")


def remind_expiring_certifications(today: date) -> int:
    rows = db.session.execute(_EXPIRING_CERTIFICATIONS, {
        "today": today, "until": today + timedelta(days=CERTIFICATION_NOTICE_DAYS)}).all()
    return sum(remind_once(CERTIFICATION_EXPIRING, "certification", cert_id, expires.isoformat())
               for cert_id, expires in rows)


def run_reminders(today: date) -> dict[str, int]:
    """Record today's reminders; how many of each kind were new."""
    return {"timesheets": remind_unsubmitted_timesheets(today),
            "contracts": remind_ending_contracts(today),
            "invoices": remind_overdue_invoices(today),
            "certifications": remind_expiring_certifications(today)}


@jobs.periodic(cron="0 0 * * *", name="notifications.reminders", queue="notifications")  # 09:00 JST
def daily_reminders(timestamp: int) -> dict[str, int]:
    today = db.session.execute(text("SELECT current_date")).scalar()   # the database's Japan date
    return run_reminders(today)
