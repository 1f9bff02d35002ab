"""What billing reads from timesheets: the closed months and the unbilled corrections.

``closed_month(year, month)`` returns

* ``timesheets``: every closed (APPROVED) timesheet of the month, with its sell contract,
  the billable minutes after that contract's rounding, and -- for a partner engineer -- the
  linked purchase contract with the same hours rounded by *its* rule (each side is settled
  separately from the same approved hours, DOMAIN.md §1);
* ``adjustments``: approved adjustments not yet billed whose billing month is this month or
  earlier (a correction approved late still joins the next run).

Run it as finance or admin: both read every contract.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import text

from ..contracts.settlement import billable_minutes
from ..contracts.terms import settlement_terms_many
from ..extensions import db


@dataclass(frozen=True)
class ClosedTimesheet:
    timesheet_id: uuid.UUID
    contract_id: uuid.UUID
    engineer_id: uuid.UUID
    project_id: uuid.UUID
    customer_id: uuid.UUID
    partner_company_id: uuid.UUID | None
    source: str                  # ATTENDANCE or IMPORTED
    worked_minutes: int
    billable_minutes: int
    buy_contract_id: uuid.UUID | None
    buy_billable_minutes: int | None


@dataclass(frozen=True)
class UnbilledAdjustment:
    adjustment_id: uuid.UUID
    timesheet_id: uuid.UUID
    contract_id: uuid.UUID
    buy_contract_id: uuid.UUID | None
    period_year: int
    period_month: int
    apply_year: int
    apply_month: int
    minutes_delta: int
    reason_code: str
    reason: str


@dataclass(frozen=True)
class ClosedMonth:
    year: int
    month: int
    timesheets: list[ClosedTimesheet]
    adjustments: list[UnbilledAdjustment]


# The purchase contract backing a sale in a given month (partner engineers only).
_BUY_OF = """(SELECT b.id FROM contract_context.contracts b
    WHERE b.sell_contract_id = {a}.contract_id AND b.side = 'BUY' AND b.deleted_at IS NULL
      AND b.start_date <= make_date({a}.period_year, {a}.period_month, 1) + interval '1 month - 1 day'
      AND b.end_date >= make_date({a}.period_year, {a}.period_month, 1)
    ORDER BY b.start_date DESC LIMIT 1)"""

_TIMESHEETS = text("""
    SELECT t.id, t.contract_id, t.engineer_id, t.project_id, t.customer_id, t.partner_company_id,
           t.source, t.worked_minutes, (t.work_summary ->> 'billable_minutes')::integer AS billable,
           {buy} AS buy_contract_id
    FROM timesheet_context.timesheets t
    WHERE t.period_year = :y AND t.period_month = :m AND t.status = 'APPROVED' AND t.deleted_at IS NULL
    ORDER BY t.contract_id""".format(buy=_BUY_OF.format(a="t")))

_DAYS = text("""
    SELECT d.timesheet_id, d.worked_minutes FROM timesheet_context.daily_attendances d
    WHERE d.period_year = :y AND d.period_month = :m AND d.deleted_at IS NULL
      AND d.timesheet_id = ANY(:ids) ORDER BY d.work_date""")

_ADJUSTMENTS = text("""
    SELECT a.id, a.timesheet_id, a.contract_id, a.period_year, a.period_month, a.apply_year,
           a.apply_month, a.minutes_delta, a.reason_code, a.reason,
           {buy} AS buy_contract_id
    FROM timesheet_context.timesheet_adjustments a
    WHERE a.status = 'APPROVED' AND a.invoice_billing_item_id IS NULL AND a.deleted_at IS NULL
      AND (a.apply_year, a.apply_month) <= (:y, :m)
    ORDER BY a.apply_year, a.apply_month, a.created_at""".format(buy=_BUY_OF.format(a="a")))


def _buy_minutes(row, daily: list[int], terms: dict) -> int | None:
    if row.buy_contract_id is None:
        return None
    return billable_minutes(daily or [row.worked_minutes], terms[row.buy_contract_id])


def closed_month(year: int, month: int) -> ClosedMonth:
    """The closed timesheets of a month and the unbilled approved adjustments up to it."""
    rows = db.session.execute(_TIMESHEETS, {"y": year, "m": month}).all()
    daily: dict[uuid.UUID, list[int]] = defaultdict(list)
    buying = [r.id for r in rows if r.buy_contract_id and r.source == "ATTENDANCE"]
    if buying:
        for timesheet_id, minutes in db.session.execute(_DAYS, {"y": year, "m": month, "ids": buying}):
            daily[timesheet_id].append(minutes)
    terms = settlement_terms_many((r.buy_contract_id for r in rows if r.buy_contract_id), year, month)
    timesheets = [ClosedTimesheet(
        r.id, r.contract_id, r.engineer_id, r.project_id, r.customer_id, r.partner_company_id,
        r.source, r.worked_minutes, r.billable if r.billable is not None else r.worked_minutes,
        r.buy_contract_id, _buy_minutes(r, daily.get(r.id, []), terms)) for r in rows]
    adjustments = [UnbilledAdjustment(
        a.id, a.timesheet_id, a.contract_id, a.buy_contract_id, a.period_year, a.period_month,
        a.apply_year, a.apply_month, a.minutes_delta, a.reason_code, a.reason)
        for a in db.session.execute(_ADJUSTMENTS, {"y": year, "m": month})]
    return ClosedMonth(year, month, timesheets, adjustments)
