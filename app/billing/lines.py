"""Invoice and payment-notice lines from closed hours: the settlement of one side of a contract
(``app.contracts.settlement``), adjustments of closed months and extras.

A line is priced with the terms in force for the month it bills (``settlement_terms_for``); a
partial first or last month is prorated as the contract says (日割り).  An adjustment is billed
as the difference it makes to its month's settlement, so ranges and rates apply exactly as if
the hours had been there at close.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..contracts.settlement import Settlement, SettlementTerms, billable_minutes, settle
from ..contracts.terms import settlement_terms_for
from ..core.calendar import BusinessCalendar, month_end
from .sources import Adjustment, Billable, Contract

REASONS = {"MISSED_CLOCK": "打刻漏れ", "OFFICE_CLOSED": "客先休業", "LOCATION_CORRECTION": "勤務場所訂正",
           "BREAK_CORRECTION": "休憩訂正", "APPROVED_OVERTIME": "承認済み残業", "SUBSTITUTE_HOLIDAY": "振替休日",
           "SICK_LEAVE": "病欠", "OTHER": "その他"}


@dataclass
class LineDraft:
    item_type: str
    description: str
    amount: int
    tax_rate_percent: int = 10
    is_reduced_rate: bool = False
    contract_id: uuid.UUID | None = None
    engineer_id: uuid.UUID | None = None
    timesheet_id: uuid.UUID | None = None
    timesheet_adjustment_id: uuid.UUID | None = None
    extra_id: uuid.UUID | None = None
    credited_item_id: uuid.UUID | None = None
    contract_number: str | None = None
    engineer_code: str | None = None
    engineer_name: str | None = None
    period_year: int | None = None
    period_month: int | None = None
    worked_hours: Decimal | None = None
    billed_hours: Decimal | None = None
    base_amount: int | None = None
    lower_hours: Decimal | None = None
    upper_hours: Decimal | None = None
    excess_hours: Decimal | None = None
    excess_rate: int | None = None
    deduction_hours: Decimal | None = None
    deduction_rate: int | None = None
    adjustment_amount: int = 0
    quantity: Decimal = Decimal(1)
    unit_price: int | None = None

    def values(self) -> dict:
        return asdict(self)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def minutes_to_bill(timesheet: Billable, terms: SettlementTerms, delta: int = 0) -> int:
    """The month's billable minutes (as the timesheet context rounded them), and what they
    become with ``delta`` more adjustment minutes under the same rounding rule."""
    if delta == 0:
        return timesheet.billable_minutes
    if terms.hours_rounding_scope == "DAILY" and timesheet.daily_minutes:
        rounded = billable_minutes([abs(delta)], terms)
        return max(timesheet.billable_minutes + (rounded if delta > 0 else -rounded), 0)
    return billable_minutes([max(timesheet.worked_minutes + delta, 0)], terms)


def proration(contract: Contract, year: int, month: int, calendar: BusinessCalendar) -> Fraction:
    """The share of the month the contract runs (日割り), by its partial-month rule."""
    first, last = date(year, month, 1), month_end(year, month)
    start, end = max(first, contract.start_date), min(last, contract.end_date)
    if contract.partial_month_rule == "NONE" or (start, end) == (first, last) or end < start:
        return Fraction(1)
    if contract.partial_month_rule == "CALENDAR_DAYS":
        return Fraction((end - start).days + 1, (last - first).days + 1)
    in_month = calendar.business_days_between(first, last)
    return Fraction(calendar.business_days_between(start, end), in_month) if in_month else Fraction(1)


def _settled_fields(result: Settlement) -> dict:
    return dict(billed_hours=result.billed_hours, base_amount=result.base_amount,
                lower_hours=result.lower_hours, upper_hours=result.upper_hours,
                excess_hours=result.excess_hours if result.excess_minutes else None,
                excess_rate=result.excess_rate,
                deduction_hours=result.deduction_hours if result.deduction_minutes else None,
                deduction_rate=result.deduction_rate, adjustment_amount=result.adjustment_amount,
                amount=result.amount, unit_price=result.amount)


def _source_fields(timesheet: Billable, contract: Contract) -> dict:
    return dict(contract_id=contract.contract_id, engineer_id=contract.engineer_id,
                timesheet_id=timesheet.timesheet_id, contract_number=contract.contract_number,
                engineer_code=timesheet.engineer_code, engineer_name=timesheet.engineer_name,
                period_year=timesheet.period_year, period_month=timesheet.period_month,
                tax_rate_percent=contract.tax_rate_percent, is_reduced_rate=contract.tax_rate_percent == 8)


def settlement_line(timesheet: Billable, calendar: BusinessCalendar) -> LineDraft:
    """The month's line of the timesheet's contract (either side)."""
    contract = timesheet.contract
    year, month = timesheet.period_year, timesheet.period_month
    terms = settlement_terms_for(contract.contract_id, year, month)
    result = settle(terms, timesheet.billable_minutes, proration(contract, year, month, calendar))
    description = f"{contract.contract_title}（{year}年{month}月分）"
    return LineDraft(item_type="SETTLEMENT", description=description, worked_hours=hours(timesheet.worked_minutes),
                     **_source_fields(timesheet, contract), **_settled_fields(result))


def adjustment_line(adjustment: Adjustment, calendar: BusinessCalendar, already_adjusted: int) -> LineDraft:
    """The difference an approved adjustment makes to its month's settlement."""
    timesheet = adjustment.timesheet
    contract = timesheet.contract
    year, month = timesheet.period_year, timesheet.period_month
    terms = settlement_terms_for(contract.contract_id, year, month)
    ratio = proration(contract, year, month, calendar)
    before = settle(terms, minutes_to_bill(timesheet, terms, already_adjusted), ratio)
    after = settle(terms, minutes_to_bill(timesheet, terms, already_adjusted + adjustment.minutes_delta), ratio)
    sign = "+" if adjustment.minutes_delta > 0 else "−"
    description = (f"勤怠調整 {year}年{month}月分 {sign}{hours(abs(adjustment.minutes_delta))}h"
                   f"（{REASONS.get(adjustment.reason_code, '')}）")
    fields = _source_fields(timesheet, contract)
    return LineDraft(item_type="ADJUSTMENT", description=description,
                     timesheet_adjustment_id=adjustment.adjustment_id,
                     worked_hours=hours(adjustment.minutes_delta),
                     billed_hours=after.billed_hours - before.billed_hours,
                     adjustment_amount=after.amount - before.amount, amount=after.amount - before.amount,
                     unit_price=after.amount - before.amount, **fields)


def extra_line(extra, contract: Contract | None) -> LineDraft:
    return LineDraft(item_type=extra.item_type, description=extra.description, amount=extra.amount,
                     tax_rate_percent=extra.tax_rate_percent, is_reduced_rate=extra.is_reduced_rate,
                     extra_id=extra.id, contract_id=extra.contract_id,
                     contract_number=contract.contract_number if contract else None,
                     engineer_id=contract.engineer_id if contract else None,
                     period_year=extra.period_year, period_month=extra.period_month,
                     quantity=extra.quantity, unit_price=extra.unit_price)
