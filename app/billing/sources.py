"""What a month's run bills, read from the timesheet and contract contexts.

* Closed timesheets come from ``app.timesheets.billing.closed_month``: every APPROVED timesheet
  of the month with the billable minutes after the sell contract's rounding and, for a partner
  engineer, the purchase contract with the same hours rounded by *its* rule.
* Approved adjustments of closed months are read here for both sides, because an adjustment
  already billed to the customer may still be owed to the partner, and one released by a
  cancelled invoice must be billed again: "unbilled" means "no active line on that side".
* Extras registered by finance (交通費 ...).

``MonthSources`` is read once per run; under each customer's lock the run keeps only what no
active line bills yet (``unbilled_*``), so a concurrent run never bills the same hours twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text

from ..extensions import db
from ..timesheets.billing import closed_month
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
class Billable:
    """One side (a SELL or BUY contract) of a closed timesheet, with its billable minutes."""

    timesheet_id: uuid.UUID
    period_year: int
    period_month: int
    contract: Contract
    engineer_code: str
    engineer_name: str
    worked_minutes: int
    billable_minutes: int
    daily_minutes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Adjustment:
    adjustment_id: uuid.UUID
    timesheet: Billable               # the corrected month, on the side being billed
    minutes_delta: int
    reason_code: str
    reason: str


@dataclass
class MonthSources:
    year: int
    month: int
    sales: list[Billable] = field(default_factory=list)
    purchases: list[Billable] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)       # sell side
    extras: list[InvoiceExtra] = field(default_factory=list)


def _contract(row) -> Contract:
    return Contract(**{name: row[name] for name in Contract.__dataclass_fields__})


def contracts_by_id(contract_ids) -> dict[uuid.UUID, Contract]:
    if not contract_ids:
        return {}
    rows = db.session.execute(text(
        "SELECT " + CONTRACT_COLUMNS + " FROM contract_context.contracts c WHERE c.id = ANY(:ids)"),
        {"ids": list(contract_ids)}).mappings().all()
    return {r["contract_id"]: _contract(r) for r in rows}


def engineers_by_id(engineer_ids) -> dict[uuid.UUID, tuple[str, str]]:
    if not engineer_ids:
        return {}
    return {r.id: (r.code, r.full_name) for r in db.session.execute(text(
        "SELECT id, code, full_name FROM engineer_context.engineers WHERE id = ANY(:ids)"),
        {"ids": list(engineer_ids)})}


def month_sources(year: int, month: int) -> MonthSources:
    """Everything closed for (year, month), billed or not."""
    closed = closed_month(year, month)
    contracts = contracts_by_id({t.contract_id for t in closed.timesheets}
                                | {t.buy_contract_id for t in closed.timesheets if t.buy_contract_id})
    engineers = engineers_by_id({t.engineer_id for t in closed.timesheets})
    sources = MonthSources(year, month, extras=pending_extras(year, month))
    for t in closed.timesheets:
        code, name = engineers[t.engineer_id]
        common = dict(timesheet_id=t.timesheet_id, period_year=year, period_month=month,
                      engineer_code=code, engineer_name=name, worked_minutes=t.worked_minutes)
        sources.sales.append(Billable(contract=contracts[t.contract_id], billable_minutes=t.billable_minutes,
                                      **common))
        if t.buy_contract_id and t.buy_billable_minutes is not None:
            sources.purchases.append(Billable(contract=contracts[t.buy_contract_id],
                                              billable_minutes=t.buy_billable_minutes, **common))
    sources.adjustments = approved_adjustments(year, month, side="SELL")
    return sources


# --- what is still unbilled (checked under the customer's or partner's lock) -------------------

def _active(sql: str, ids: list) -> set:
    if not ids:
        return set()
    return {tuple(row) for row in db.session.execute(text(sql), {"ids": ids})}


def unbilled_sales(sources: MonthSources, customer_id: uuid.UUID):
    """The customer's timesheets, adjustments and extras that no active invoice line bills."""
    sales = [s for s in sources.sales if s.contract.customer_id == customer_id]
    adjustments = [a for a in sources.adjustments if a.timesheet.contract.customer_id == customer_id]
    extras = [e for e in sources.extras if e.customer_id == customer_id]
    billed = _active(
        "SELECT contract_id, timesheet_id FROM billing_context.invoice_billing_items WHERE item_type = 'SETTLEMENT'"
        " AND timesheet_id = ANY(:ids) AND released_at IS NULL AND deleted_at IS NULL",
        [s.timesheet_id for s in sales])
    billed_adjustments = _active(
        "SELECT timesheet_adjustment_id FROM billing_context.invoice_billing_items"
        " WHERE timesheet_adjustment_id = ANY(:ids) AND released_at IS NULL AND deleted_at IS NULL",
        [a.adjustment_id for a in adjustments])
    billed_extras = _active(
        "SELECT extra_id FROM billing_context.invoice_billing_items"
        " WHERE extra_id = ANY(:ids) AND released_at IS NULL AND deleted_at IS NULL", [e.id for e in extras])
    return ([s for s in sales if (s.contract.contract_id, s.timesheet_id) not in billed],
            [a for a in adjustments if (a.adjustment_id,) not in billed_adjustments],
            [e for e in extras if (e.id,) not in billed_extras])


def unbilled_purchases(sources: MonthSources, partner_id: uuid.UUID) -> list[Billable]:
    purchases = [p for p in sources.purchases if p.contract.partner_company_id == partner_id]
    billed = _active(
        "SELECT contract_id, timesheet_id FROM billing_context.purchase_statement_lines"
        " WHERE item_type = 'SETTLEMENT' AND timesheet_id = ANY(:ids) AND released_at IS NULL"
        " AND deleted_at IS NULL", [p.timesheet_id for p in purchases])
    return [p for p in purchases if (p.contract.contract_id, p.timesheet_id) not in billed]


def customers_with_unbilled(sources: MonthSources) -> set[uuid.UUID]:
    ids = {s.contract.customer_id for s in sources.sales} | {e.customer_id for e in sources.extras}
    ids |= {a.timesheet.contract.customer_id for a in sources.adjustments}
    return {c for c in ids if any(unbilled_sales(sources, c))}


def partners_with_unbilled(sources: MonthSources) -> set[uuid.UUID]:
    return {p for p in {s.contract.partner_company_id for s in sources.purchases}
            if unbilled_purchases(sources, p)}


# --- the corrected months of adjustments ------------------------------------------------------

_TIMESHEET_DETAIL = (
    "SELECT t.id, t.period_year, t.period_month, t.worked_minutes, t.billable_hours,"
    " (t.work_summary ->> 'billable_minutes')::integer AS billable, e.code, e.full_name"
    " FROM timesheet_context.timesheets t JOIN engineer_context.engineers e ON e.id = t.engineer_id"
    " WHERE t.id = ANY(:ids) AND t.status = 'APPROVED'")


def timesheets_by_id(timesheet_ids, contracts: dict[uuid.UUID, Contract],
                     contract_of: dict[uuid.UUID, uuid.UUID]) -> dict[uuid.UUID, Billable]:
    """Closed timesheets (any month) seen from ``contract_of[timesheet_id]``, with daily minutes."""
    ids = list(timesheet_ids)
    if not ids:
        return {}
    daily: dict[uuid.UUID, list[int]] = {}
    for timesheet_id, minutes in db.session.execute(text(
            "SELECT timesheet_id, worked_minutes FROM timesheet_context.daily_attendances"
            " WHERE timesheet_id = ANY(:ids) AND deleted_at IS NULL ORDER BY work_date"), {"ids": ids}):
        daily.setdefault(timesheet_id, []).append(minutes)
    result = {}
    for r in db.session.execute(text(_TIMESHEET_DETAIL), {"ids": ids}):
        billable = r.billable if r.billable is not None else r.worked_minutes
        result[r.id] = Billable(r.id, r.period_year, r.period_month, contracts[contract_of[r.id]], r.code,
                                r.full_name, r.worked_minutes, billable, tuple(daily.get(r.id, ())))
    return result


def approved_adjustments(year: int, month: int, *, side: str = "SELL",
                         ids: list[uuid.UUID] | None = None) -> list[Adjustment]:
    """Approved adjustments due in (year, month) or earlier that no active line of ``side``
    bills yet (on the buy side: of the purchase contract backing the sale)."""
    buy = side == "BUY"
    rows = db.session.execute(text(
        "SELECT a.id, a.timesheet_id, a.minutes_delta, a.reason_code, a.reason, "
        + ("b.id" if buy else "a.contract_id") + " AS side_contract_id"
        " FROM timesheet_context.timesheet_adjustments a"
        + (" JOIN contract_context.contracts b ON b.sell_contract_id = a.contract_id AND b.side = 'BUY'"
           " AND b.deleted_at IS NULL AND b.partner_company_id IS NOT NULL"
           " AND make_date(a.period_year, a.period_month, 1) BETWEEN date_trunc('month', b.start_date) AND b.end_date"
           if buy else "") +
        " WHERE a.status IN ('APPROVED', 'BILLED') AND a.deleted_at IS NULL"
        " AND (coalesce(a.apply_year, a.period_year), coalesce(a.apply_month, a.period_month)) <= (:y, :m)"
        " AND (CAST(:ids AS uuid[]) IS NULL OR a.id = ANY(:ids))"
        " AND NOT EXISTS (SELECT 1 FROM billing_context." + ("purchase_statement_lines" if buy else "invoice_billing_items")
        + " l WHERE l.timesheet_adjustment_id = a.id AND l.released_at IS NULL AND l.deleted_at IS NULL)"
        " ORDER BY a.approved_at NULLS LAST, a.created_at"), {"y": year, "m": month, "ids": ids}).all()
    contracts = contracts_by_id({r.side_contract_id for r in rows})
    timesheets = timesheets_by_id({r.timesheet_id for r in rows}, contracts,
                                  {r.timesheet_id: r.side_contract_id for r in rows})
    return [Adjustment(r.id, timesheets[r.timesheet_id], r.minutes_delta, r.reason_code, r.reason)
            for r in rows if r.timesheet_id in timesheets]


def billed_adjustment_minutes(timesheet_id: uuid.UUID, contract_id: uuid.UUID, side: str = "SELL") -> int:
    """Minutes of the timesheet's adjustments already on active lines of this contract."""
    table = "purchase_statement_lines" if side == "BUY" else "invoice_billing_items"
    return db.session.execute(text(
        "SELECT coalesce(sum(a.minutes_delta), 0) FROM timesheet_context.timesheet_adjustments a"
        f" JOIN billing_context.{table} l ON l.timesheet_adjustment_id = a.id"
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
