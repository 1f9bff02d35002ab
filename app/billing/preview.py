"""What a run would bill, before running it: per customer the lines and amounts (tax excluded),
and the month's contracts whose timesheet is not closed yet (they will not be billed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from ..core.calendar import BusinessCalendar
from ..extensions import db
from .customers import Customer, customers_by_id
from .lines import LineDraft
from .run import lines_by_group, ordered_lines
from .sources import customers_with_unbilled, month_sources


@dataclass(frozen=True)
class CustomerPreview:
    customer: Customer
    lines: list[LineDraft]

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class MonthPreview:
    customers: list[CustomerPreview]
    not_closed: list
    problems: list[tuple[str, str]]

    @property
    def subtotal(self) -> int:
        return sum(c.subtotal for c in self.customers)


def preview_month(year: int, month: int) -> MonthPreview:
    sources = month_sources(year, month)
    calendar = BusinessCalendar.load()
    ids = customers_with_unbilled(sources)
    customers = customers_by_id(ids)
    previews, problems = [], []
    for customer in sorted(customers.values(), key=lambda c: c.code):
        try:
            groups = lines_by_group(customer, sources, calendar)
        except ValueError as error:      # e.g. a contract whose settlement terms are incomplete
            problems.append((customer.name, str(error)))
            continue
        lines = [line for _, group in groups.values() for line in group]
        previews.append(CustomerPreview(customer, ordered_lines(lines)))
    return MonthPreview(previews, not_closed_contracts(year, month), problems)


def not_closed_contracts(year: int, month: int) -> list:
    """Active SELL contracts of the month without a closed timesheet, with its status if any."""
    return db.session.execute(text(
        "SELECT c.contract_number, cu.name AS customer_name, e.full_name AS engineer_name, t.status"
        " FROM contract_context.contracts c"
        " JOIN project_context.customers cu ON cu.id = c.customer_id"
        " JOIN engineer_context.engineers e ON e.id = c.engineer_id"
        " LEFT JOIN timesheet_context.timesheets t ON t.contract_id = c.id AND t.period_year = :y"
        "  AND t.period_month = :m AND t.deleted_at IS NULL"
        " WHERE c.side = 'SELL' AND c.deleted_at IS NULL AND c.status IN ('CONCLUDED', 'ACTIVE', 'ENDED')"
        " AND c.start_date <= (make_date(:y, :m, 1) + interval '1 month - 1 day')::date"
        " AND c.end_date >= make_date(:y, :m, 1) AND coalesce(t.status, '') <> 'APPROVED'"
        " ORDER BY cu.name, c.contract_number"), {"y": year, "m": month}).all()
