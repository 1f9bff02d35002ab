"""What a month's run bills: closed timesheets (APPROVED, from daily attendance or imported
monthly totals), approved adjustments of closed months and registered extras -- each only while
no active invoice line bills it yet.

These read the contract, timesheet and engineer contexts by id (finance may read them); the
amounts themselves come from ``app.contracts.settlement``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, text

from ..extensions import db
from .models import InvoiceExtra, InvoiceLine

CONTRACT_COLUMNS = (
    "c.id AS contract_id, c.contract_number, c.title AS contract_title, c.side, c.customer_id,"
    " c.partner_company_id, c.engineer_id, c.start_date, c.end_date, c.tax_rate_percent,"
    " c.partial_month_rule, c.closing_day, c.payment_month_offset, c.payment_day,"
    " c.payment_holiday_rule, c.sell_contract_id")


@dataclass(frozen=True)
class Contract:
    contract_id: uuid.UUID
    contract_number: str
    contract_title: str
    side: str
    customer_id: uuid.UUID | None
    partner_company_id: uuid.UUID | None
    engineer_id: uuid.UUID
    start_date: date
    end_date: date
    tax_rate_percent: int
    partial_month_rule: str
    closing_day: int
    payment_month_offset: int
    payment_day: int
    payment_holiday_rule: str
    sell_contract_id: uuid.UUID | None

    @property
    def payment_terms(self) -> tuple[int, int, int, str]:
        return (self.closing_day, self.payment_month_offset, self.payment_day, self.payment_holiday_rule)


@dataclass(frozen=True)
class ClosedTimesheet:
    timesheet_id: uuid.UUID
    period_year: int
    period_month: int
    contract: Contract
    engineer_code: str
    engineer_name: str
    source: str                       # ATTENDANCE or IMPORTED
    worked_minutes: int
    billable_hours: Decimal | None
    daily_minutes: tuple[int, ...] = ()


@dataclass(frozen=True)
class ApprovedAdjustment:
    adjustment_id: uuid.UUID
    timesheet: ClosedTimesheet
    minutes_delta: int
    reason_code: str
    reason: str
    approved_at: datetime | None


def _contract(row) -> Contract:
    return Contract(**{name: row[name] for name in Contract.__dataclass_fields__})


def _timesheet(row, daily: dict[uuid.UUID, tuple[int, ...]] | None = None) -> ClosedTimesheet:
    return ClosedTimesheet(
        timesheet_id=row["timesheet_id"], period_year=row["period_year"], period_month=row["period_month"],
        contract=_contract(row), engineer_code=row["engineer_code"], engineer_name=row["engineer_name"],
        source=row["source"], worked_minutes=row["worked_minutes"], billable_hours=row["billable_hours"],
        daily_minutes=(daily or {}).get(row["timesheet_id"], ()))


TIMESHEET_QUERY = (
    "SELECT t.id AS timesheet_id, t.period_year, t.period_month, t.source, t.worked_minutes,"
    " t.billable_hours, e.code AS engineer_code, e.full_name AS engineer_name, " + CONTRACT_COLUMNS +
    " FROM timesheet_context.timesheets t"
    " JOIN contract_context.contracts c ON c.id = t.contract_id AND c.deleted_at IS NULL"
    " JOIN engineer_context.engineers e ON e.id = t.engineer_id"
    " WHERE t.status = 'APPROVED' AND t.deleted_at IS NULL")

_UNBILLED = (
    " AND NOT EXISTS (SELECT 1 FROM billing_context.invoice_billing_items l"
    " WHERE l.contract_id = t.contract_id AND l.timesheet_id = t.id AND l.item_type = 'SETTLEMENT'"
    " AND l.released_at IS NULL AND l.deleted_at IS NULL)")


def closed_timesheets(year: int, month: int, *, customer_id: uuid.UUID | None = None,
                      unbilled: bool = True) -> list[ClosedTimesheet]:
    """The month's closed timesheets (SELL contracts), not yet billed unless ``unbilled=False``."""
    sql = TIMESHEET_QUERY + " AND t.period_year = :y AND t.period_month = :m"
    if unbilled:
        sql += _UNBILLED
    if customer_id is not None:
        sql += " AND t.customer_id = :customer"
    rows = db.session.execute(text(sql + " ORDER BY e.code, c.contract_number"),
                              {"y": year, "m": month, "customer": customer_id}).mappings().all()
    return with_daily_minutes(rows)


def timesheets_by_id(timesheet_ids) -> dict[uuid.UUID, ClosedTimesheet]:
    if not timesheet_ids:
        return {}
    rows = db.session.execute(text(TIMESHEET_QUERY + " AND t.id IN :ids").bindparams(
        bindparam("ids", expanding=True)), {"ids": list(timesheet_ids)}).mappings().all()
    return {t.timesheet_id: t for t in with_daily_minutes(rows)}


def with_daily_minutes(rows) -> list[ClosedTimesheet]:
    ids = [r["timesheet_id"] for r in rows if r["source"] == "ATTENDANCE"]
    daily: dict[uuid.UUID, list[int]] = {}
    if ids:
        for timesheet_id, minutes in db.session.execute(text(
                "SELECT timesheet_id, worked_minutes FROM timesheet_context.daily_attendances"
                " WHERE timesheet_id IN :ids AND deleted_at IS NULL ORDER BY work_date").bindparams(
                bindparam("ids", expanding=True)), {"ids": ids}):
            daily.setdefault(timesheet_id, []).append(minutes)
    frozen = {k: tuple(v) for k, v in daily.items()}
    return [_timesheet(r, frozen) for r in rows]


def approved_adjustments(year: int, month: int, *,
                         customer_id: uuid.UUID | None = None) -> list[ApprovedAdjustment]:
    """Approved adjustments of closed months due in (year, month) or earlier, not yet billed."""
    sql = (
        "SELECT a.id, a.timesheet_id, a.minutes_delta, a.reason_code, a.reason, a.approved_at"
        " FROM timesheet_context.timesheet_adjustments a"
        " JOIN timesheet_context.timesheets t ON t.id = a.timesheet_id"
        "  AND t.period_year = a.period_year AND t.period_month = a.period_month"
        " WHERE a.status IN ('APPROVED', 'BILLED') AND a.deleted_at IS NULL AND t.status = 'APPROVED'"
        " AND (coalesce(a.apply_year, a.period_year), coalesce(a.apply_month, a.period_month)) <= (:y, :m)"
        " AND NOT EXISTS (SELECT 1 FROM billing_context.invoice_billing_items l"
        "  WHERE l.timesheet_adjustment_id = a.id AND l.released_at IS NULL AND l.deleted_at IS NULL)")
    if customer_id is not None:
        sql += " AND t.customer_id = :customer"
    rows = db.session.execute(text(sql + " ORDER BY a.approved_at NULLS LAST, a.created_at"),
                              {"y": year, "m": month, "customer": customer_id}).mappings().all()
    timesheets = timesheets_by_id({r["timesheet_id"] for r in rows})
    return [ApprovedAdjustment(r["id"], timesheets[r["timesheet_id"]], r["minutes_delta"],
                               r["reason_code"], r["reason"], r["approved_at"])
            for r in rows if r["timesheet_id"] in timesheets]


def billed_adjustment_minutes(timesheet_id: uuid.UUID, contract_id: uuid.UUID) -> int:
    """Minutes of the timesheet's adjustments already billed on active lines of this contract."""
    return db.session.execute(text(
        "SELECT coalesce(sum(a.minutes_delta), 0) FROM timesheet_context.timesheet_adjustments a"
        " JOIN billing_context.invoice_billing_items l ON l.timesheet_adjustment_id = a.id"
        " WHERE a.timesheet_id = :t AND l.contract_id = :c AND l.released_at IS NULL"
        " AND l.deleted_at IS NULL"), {"t": timesheet_id, "c": contract_id}).scalar_one()


def pending_extras(year: int, month: int, *, customer_id: uuid.UUID | None = None) -> list[InvoiceExtra]:
    """Registered extras of (year, month) or earlier that no active line bills yet."""
    billed = db.select(InvoiceLine.id).where(
        InvoiceLine.extra_id == InvoiceExtra.id, InvoiceLine.released_at.is_(None),
        InvoiceLine.deleted_at.is_(None)).exists()
    query = db.select(InvoiceExtra).where(
        db.tuple_(InvoiceExtra.period_year, InvoiceExtra.period_month) <= (year, month), ~billed)
    if customer_id is not None:
        query = query.where(InvoiceExtra.customer_id == customer_id)
    return list(db.session.scalars(query.order_by(InvoiceExtra.period_year, InvoiceExtra.period_month,
                                                  InvoiceExtra.created_at)))


def contracts_by_id(contract_ids) -> dict[uuid.UUID, Contract]:
    if not contract_ids:
        return {}
    rows = db.session.execute(text(
        "SELECT " + CONTRACT_COLUMNS + " FROM contract_context.contracts c WHERE c.id IN :ids").bindparams(
        bindparam("ids", expanding=True)), {"ids": list(contract_ids)}).mappings().all()
    return {r["contract_id"]: _contract(r) for r in rows}
