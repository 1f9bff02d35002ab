"""Demo billing: our company as issuer, then the real invoice run for the last three closed
months -- invoices to customers, payment notices to partners, stored PDFs -- and payments:
most paid (one with the transfer fee deducted, one overpaid), one partly paid, one overdue.

Months whose timesheets the demo did not close are filled with approved monthly totals through
the timesheet context's own service (as when a customer sends its own timesheet format).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from ..core.calendar import add_months, month_end
from ..core.registration import with_check_digit
from ..extensions import db
from .batch import run_invoices
from .models import Invoice, PurchaseStatement
from .payments import mark_overdue, record_payment
from .purchases import record_purchase_payment
from .settings import current_issuer, save_issuer

COMPANY_NUMBER_BODY = "011001234567"
ISSUER = {
    "name": "株式会社テクノブリッジ", "postal_code": "101-0047", "address": "東京都千代田区内神田1-2-3 内神田ビル5F",
    "phone": "03-5200-1234", "email": "keiri@technobridge.example", "bank_name": "三井住友銀行",
    "bank_branch": "神田支店", "bank_account_type": "ORDINARY", "bank_account_number": "1234567",
    "bank_account_holder_kana": "カ）テクノブリッジ", "tax_rounding": "FLOOR", "invoice_number_prefix": "TB",
}
MONTHS = 3


def load(demo) -> None:
    if current_issuer() is not None:
        return
    number = f"T{with_check_digit(COMPANY_NUMBER_BODY)}"
    save_issuer({**ISSUER, "registration_number": number})
    months = [add_months(demo.today.year, demo.today.month, -n) for n in range(MONTHS, 0, -1)]
    for year, month in months:
        _close_missing_months(demo, year, month)
        run_invoices(year, month, echo=lambda message: None)
    _payments(demo, months)
    mark_overdue(demo.today)
    db.session.flush()


def _close_missing_months(demo, year: int, month: int) -> None:
    """Approved monthly hours for active contracts the demo left open (timesheets' service)."""
    from ..timesheets.services import TimesheetError, record_approved_monthly_hours

    rows = db.session.execute(text(
        "SELECT c.id FROM contract_context.contracts c WHERE c.side = 'SELL' AND c.deleted_at IS NULL"
        " AND c.status IN ('CONCLUDED', 'ACTIVE', 'ENDED') AND c.start_date <= :last AND c.end_date >= :first"
        " AND NOT EXISTS (SELECT 1 FROM timesheet_context.timesheets t WHERE t.contract_id = c.id"
        "  AND t.period_year = :y AND t.period_month = :m AND t.deleted_at IS NULL) ORDER BY c.contract_number"),
        {"y": year, "m": month, "first": date(year, month, 1), "last": month_end(year, month)}).scalars()
    for contract_id in rows:
        minutes = demo.rng.randrange(150 * 60, 192 * 60, 15)
        try:
            record_approved_monthly_hours(contract_id, year, month, minutes, note="デモ: 顧客様式の勤務表")
        except TimesheetError:
            continue


def _invoices(year: int, month: int) -> list[Invoice]:
    return list(db.session.scalars(db.select(Invoice).where(
        Invoice.invoice_year == year, Invoice.invoice_month == month, Invoice.kind == "INVOICE")
        .order_by(Invoice.invoice_number)))


def _payments(demo, months: list[tuple[int, int]]) -> None:
    """Oldest month: all paid (one with the fee deducted, one overpaid); middle month: paid but
    one left unpaid (overdue); latest month, not yet due: one partly paid, the rest open."""
    oldest, middle, latest = months
    for n, invoice in enumerate(_invoices(*oldest)):
        fee = 440 if n == 1 else 0
        extra = 10_000 if n == 2 else 0
        _pay(demo, invoice, invoice.total_amount - fee + extra, fee)
    for n, invoice in enumerate(_invoices(*middle)):
        if n != 1:                                     # the second one stays unpaid: overdue
            _pay(demo, invoice, invoice.total_amount, 0)
    for invoice in _invoices(*latest)[:1]:
        _pay(demo, invoice, invoice.total_amount // 2, 0)
    for statement in db.session.scalars(db.select(PurchaseStatement).where(
            PurchaseStatement.statement_year == oldest[0], PurchaseStatement.statement_month == oldest[1])):
        record_purchase_payment(statement, paid_on=min(statement.due_date, demo.today),
                                amount=statement.total_amount, fee=440, idempotency_key=f"demo-pp-{statement.id}")


def _pay(demo, invoice: Invoice, received: int, fee: int) -> None:
    paid_on = min(invoice.due_date - timedelta(days=demo.rng.randint(0, 3)), demo.today - timedelta(days=1))
    record_payment(invoice, paid_on=max(paid_on, invoice.invoice_date), received=received, fee=fee,
                   idempotency_key=f"demo-{invoice.id}", payer_name=invoice.recipient_name)
