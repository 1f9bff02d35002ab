"""Read models: searching issued invoices (date range, amount range, counterparty, combined),
the receivables reconciliation, credit balances and a month's preview."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, func, or_, select, text

from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState, Page, paginate
from ..extensions import db
from .labels import INVOICE_STATUS
from .models import CustomerCredit, Invoice, InvoiceStatusHistory

INVOICE_SORTS = {"number": Invoice.invoice_number, "date": (Invoice.invoice_date, Invoice.invoice_number),
                 "due": Invoice.due_date, "amount": Invoice.total_amount, "customer": Invoice.recipient_name,
                 "status": Invoice.status}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _date(value: str | None, errors: dict, key: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[key] = str(_l("日付はYYYY-MM-DDの形式で入力してください。"))
        return None


def _amount(value: str | None, errors: dict, key: str) -> int | None:
    if not value:
        return None
    cleaned = value.replace(",", "").replace("¥", "").replace("円", "").strip()
    if not re.fullmatch(r"-?\d{1,13}", cleaned):
        errors[key] = str(_l("金額は半角数字（円）で入力してください。"))
        return None
    return int(cleaned)


@dataclass
class InvoiceFilters:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    statuses: list[str] = field(default_factory=list)
    month: str = ""
    customer_id: uuid.UUID | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Mapping) -> InvoiceFilters:
        errors: dict[str, str] = {}
        filters = cls(q=(args.get("q") or "").strip()[:100],
                      date_from=_date(args.get("date_from"), errors, "date_from"),
                      date_to=_date(args.get("date_to"), errors, "date_to"),
                      amount_min=_amount(args.get("amount_min"), errors, "amount_min"),
                      amount_max=_amount(args.get("amount_max"), errors, "amount_max"),
                      statuses=[s for s in args.getlist("status") if s in INVOICE_STATUS],
                      month=(args.get("month") or "").strip(), errors=errors)
        if filters.month and not _MONTH.match(filters.month):
            errors["month"] = str(_l("対象月はYYYY-MMの形式で入力してください。"))
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            errors["date_to"] = str(_l("終了日が開始日より前です。"))
        if None not in (filters.amount_min, filters.amount_max) and filters.amount_min > filters.amount_max:
            errors["amount_max"] = str(_l("上限が下限より小さくなっています。"))
        return filters

    @property
    def period(self) -> tuple[int, int] | None:
        match = _MONTH.match(self.month)
        return (int(match.group(1)), int(match.group(2))) if match and not self.errors.get("month") else None


def invoice_query(filters: InvoiceFilters, *, issued_only: bool = True) -> Select:
    """電子帳簿保存法の検索要件: date range, amount range and counterparty, combinable."""
    query = select(Invoice)
    if issued_only:
        query = query.where(Invoice.status != "DRAFT")
    if filters.q:
        like = f"%{filters.q}%"
        query = query.where(or_(Invoice.recipient_name.ilike(like), Invoice.invoice_number.ilike(like),
                                Invoice.billing_details["customer_code"].astext.ilike(like)))
    conditions = [
        (filters.date_from, lambda v: Invoice.invoice_date >= v), (filters.date_to, lambda v: Invoice.invoice_date <= v),
        (filters.amount_min, lambda v: Invoice.total_amount >= v),
        (filters.amount_max, lambda v: Invoice.total_amount <= v),
        (filters.customer_id, lambda v: Invoice.customer_id == v)]
    query = query.where(and_(True, *(make(value) for value, make in conditions if value is not None)))
    if filters.statuses:
        query = query.where(Invoice.status.in_(filters.statuses))
    if filters.period:
        query = query.where(Invoice.invoice_year == filters.period[0], Invoice.invoice_month == filters.period[1])
    return query


# Issued invoices number tens of thousands: counting them all on every view of the list costs
# more than the page itself, so the count stops 1,000 rows past the page shown.
COUNT_LIMIT = 1000


def search_invoices(filters: InvoiceFilters, state: ListState) -> Page:
    return paginate(invoice_query(filters), state, INVOICE_SORTS, scalars=True, count_limit=COUNT_LIMIT)


def recent_months(limit: int = 12) -> list[tuple[int, int]]:
    """The latest months with an issued invoice the user may see (the portal's ZIP links)."""
    months = (select(Invoice.invoice_year, Invoice.invoice_month).where(Invoice.status != "DRAFT")
              .distinct().order_by(Invoice.invoice_year.desc(), Invoice.invoice_month.desc()).limit(limit))
    return [tuple(row) for row in db.session.execute(months)]


def invoices_of_month(year: int, month: int, customer_id: uuid.UUID | None = None) -> list[Invoice]:
    query = select(Invoice).where(Invoice.invoice_year == year, Invoice.invoice_month == month,
                                  Invoice.status != "DRAFT")
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    return list(db.session.scalars(query.order_by(Invoice.invoice_number)))


def history_of(invoice: Invoice) -> list[InvoiceStatusHistory]:
    return list(db.session.scalars(select(InvoiceStatusHistory).where(
        InvoiceStatusHistory.invoice_id == invoice.id).order_by(InvoiceStatusHistory.changed_at)))


def related_documents(invoice: Invoice) -> list[Invoice]:
    """The original of a correction, and the credit notes and reissues of an original."""
    original_id = invoice.original_invoice_id or invoice.id
    return list(db.session.scalars(select(Invoice).where(
        or_(Invoice.id == original_id, Invoice.original_invoice_id == original_id), Invoice.id != invoice.id)
        .order_by(Invoice.issued_at)))


@dataclass(frozen=True)
class Receivable:
    invoice: Invoice
    days_overdue: int

    @property
    def bucket(self) -> str:
        if self.days_overdue <= 0:
            return "current"
        return "1-30" if self.days_overdue <= 30 else "31-60" if self.days_overdue <= 60 else "61+"


AGING_BUCKETS = {"current": _l("期日前"), "1-30": _l("1〜30日超過"), "31-60": _l("31〜60日超過"),
                 "61+": _l("61日以上超過")}


def receivables(today: date, customer_id: uuid.UUID | None = None) -> list[Receivable]:
    """Open receivables (issued, partly paid, overdue), oldest due date first."""
    query = select(Invoice).where(Invoice.status.in_(("ISSUED", "PARTIALLY_PAID", "OVERDUE")),
                                  Invoice.kind != "CREDIT_NOTE")
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    return [Receivable(i, (today - i.due_date).days)
            for i in db.session.scalars(query.order_by(Invoice.due_date, Invoice.invoice_number))]


def aging_totals(items: list[Receivable]) -> dict[str, int]:
    totals = dict.fromkeys(AGING_BUCKETS, 0)
    for item in items:
        totals[item.bucket] += item.invoice.open_amount
    return totals


def credit_balances() -> list[tuple[uuid.UUID, str, int]]:
    """(customer id, name, balance) of customers holding credit (前受金)."""
    rows = db.session.execute(select(CustomerCredit.customer_id, func.sum(CustomerCredit.amount))
                              .group_by(CustomerCredit.customer_id)
                              .having(func.sum(CustomerCredit.amount) != 0)).all()
    names = dict(db.session.execute(text(
        "SELECT id, name FROM project_context.customers WHERE id = ANY(:ids)"),
        {"ids": [r[0] for r in rows]}).all()) if rows else {}
    return sorted(((r[0], names.get(r[0], ""), r[1]) for r in rows), key=lambda r: r[1])
