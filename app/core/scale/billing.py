"""Issued invoices for every closed month but the last (left for the invoice run), with their
lines settled from the approved hours, payments, and the journal entries of both.

One invoice per customer and month (合算請求) or per contract and month, as the customer says;
tax rounded once per invoice and rate; numbers gap-free per issuer and year; most invoices past
their due date are paid (a fifth with the transfer fee deducted), a few are overdue or partly paid.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ...contracts.settlement import SettlementTerms, settle
from ..calendar import month_end, payment_due_date
from ..money import round_to_unit
from .attendance import Timesheet
from .copying import Loader
from .world import World, new_id

TOKYO = ZoneInfo("Asia/Tokyo")
TAX_RATE = 10
ISSUER = {"code": "MAIN", "name": "株式会社エスイーエス・ラージ", "registration_number": "T4011001098993",
          "address": "東京都千代田区丸の内1-1-1", "bank_name": "みずほ銀行", "bank_branch": "東京営業部",
          "bank_account_number": "1234567", "bank_account_holder_kana": "カ)エスイーエスラージ"}


_ISSUER_SQL = ("SELECT id, name, registration_number, tax_rounding, invoice_number_prefix, postal_code, address,"
               " phone, email, bank_name, bank_branch, bank_account_type, bank_account_number,"
               " bank_account_holder_kana FROM billing_context.issuers WHERE is_default AND deleted_at IS NULL")


def _issuer(loader: Loader) -> tuple:
    """(id, name, registration number, tax rounding, number prefix, snapshot as the invoice keeps it)."""
    if not loader.conn.execute(_ISSUER_SQL).fetchone():
        loader.conn.execute(
            "INSERT INTO billing_context.issuers (code, name, registration_number, address, bank_name, bank_branch,"
            " bank_account_number, bank_account_holder_kana, is_default) VALUES (%(code)s, %(name)s,"
            " %(registration_number)s, %(address)s, %(bank_name)s, %(bank_branch)s, %(bank_account_number)s,"
            " %(bank_account_holder_kana)s, true)", ISSUER)
    row = loader.conn.execute(_ISSUER_SQL).fetchone()
    snapshot = {"name": row[1], "registration_number": row[2], "postal_code": row[5], "address": row[6],
                "phone": row[7], "email": row[8],
                "bank": {"name": row[9], "branch": row[10], "account_type": row[11], "number": row[12],
                         "holder_kana": row[13]}}
    return (*row[:5], snapshot)


def _groups(world: World, sheets: list[Timesheet]) -> dict:
    billed_months = set(world.months[:-2])
    groups = defaultdict(list)
    for sheet in sheets:
        if sheet.status == "APPROVED" and (sheet.year, sheet.month) in billed_months:
            customer = sheet.contract.project.customer
            key = sheet.contract.number if customer.per_contract else ""
            groups[(sheet.year, sheet.month, customer.code, key)].append(sheet)
    return dict(sorted(groups.items(), key=lambda item: item[0]))


def _line(invoice_id, year: int, n: int, sheet: Timesheet) -> tuple:
    c = sheet.contract
    terms = SettlementTerms(monthly_price=c.price, method=c.method,
                            lower_hours=Decimal(c.lower), upper_hours=Decimal(c.upper),
                            excess_rate=c.price // 160 // 10 * 10, deduction_rate=c.price // 160 // 10 * 10)
    s = settle(terms, sheet.billable_minutes)
    worked = (Decimal(sheet.worked_minutes) / 60).quantize(Decimal("0.01"))
    return (invoice_id, year, n, "SETTLEMENT", c.id, c.engineer.id, sheet.id, sheet.year, sheet.month,
            f"{c.engineer.name} {sheet.year}年{sheet.month}月分 作業代金", worked, s.billed_hours, s.base_amount,
            s.lower_hours, s.upper_hours, s.excess_hours if s.excess_minutes else None, s.excess_rate,
            s.deduction_hours if s.deduction_minutes else None, s.deduction_rate, s.adjustment_amount,
            s.base_amount, s.amount, TAX_RATE)


class BillingWriter:
    def __init__(self, world: World, issuer: tuple):
        self.world, self.issuer = world, issuer
        self.rng = world.rng("billing")
        self.invoices, self.lines, self.payments, self.journal = [], [], [], []
        self.numbers: dict[int, int] = defaultdict(int)
        self.entry_number = 0

    def build(self, sheets: list[Timesheet]) -> None:
        customers = {c.code: c for c in self.world.customers}
        for (year, month, code, _), group in _groups(self.world, sheets).items():
            self._invoice(customers[code], year, month, group)

    def _invoice(self, customer, year: int, month: int, sheets: list[Timesheet]) -> None:
        issuer_id, issuer_name, registration, rounding, prefix, snapshot = self.issuer
        invoice_id, rng = new_id(self.rng), self.rng
        lines = [_line(invoice_id, year, n, sheet) for n, sheet in enumerate(sheets, start=1)]
        self.lines.extend(lines)
        subtotal = sum(line[21] for line in lines)
        tax = round_to_unit(Decimal(subtotal) * TAX_RATE / 100, 1, rounding)
        total = subtotal + tax
        closing = month_end(year, month)
        due = payment_due_date(closing, customer.payment_month_offset, customer.payment_day, "PREVIOUS")
        status, paid = self._payments(invoice_id, year, customer, total, due)
        self.numbers[year] += 1
        number = f"{prefix}-{year}-{self.numbers[year]:06d}"
        issued_at = datetime.combine(closing + timedelta(days=3), time(10), TOKYO)
        details = {"by_rate": {str(TAX_RATE): {"subtotal": subtotal, "tax": tax, "reduced": False}},
                   "lines": len(lines), "issuer": snapshot, "customer_code": customer.code,
                   "recipient_contact": None, "original_number": None}
        self.invoices.append((invoice_id, year, month, number, "INVOICE", issuer_id, customer.id, status,
                              date(year, month, 1), closing, closing, due, customer.name, customer.honorific,
                              "経理部", customer.address, issuer_name, registration, rounding, subtotal, tax,
                              total, paid, json.dumps(details), issued_at, rng.choice(self.world.finance)))
        self._entry("INVOICE_ISSUED", closing, "invoice", invoice_id, customer.name,
                    [("DEBIT", "売掛金", total, 0), ("CREDIT", "売上高", subtotal, 0),
                     ("CREDIT", "仮受消費税", tax, 0)])

    def _payments(self, invoice_id, year: int, customer, total: int, due: date) -> tuple[str, int]:
        rng = self.rng
        if due >= self.world.today:
            return "ISSUED", 0
        roll = rng.random()
        if roll > 0.985:
            return "OVERDUE", 0
        partial = roll > 0.97
        fee = 0 if partial or rng.random() > 0.2 else rng.choice((440, 660))
        applied = total // 2 if partial else total
        received = applied - fee
        payment_id = new_id(rng)
        paid_on = due - timedelta(days=rng.randint(0, 2))
        self.payments.append((payment_id, invoice_id, year, paid_on, received, fee, applied, 0,
                              "BANK_TRANSFER", customer.name, f"scale-{payment_id}"))
        lines = [("DEBIT", "普通預金", received, 0), ("CREDIT", "売掛金", applied, 0)]
        if fee:
            lines.insert(1, ("DEBIT", "売上値引", fee, 0))
        self._entry("PAYMENT_RECEIVED", paid_on, "invoice_payment", payment_id, customer.name, lines)
        return ("PARTIALLY_PAID" if partial else "PAID"), applied

    def _entry(self, event: str, day: date, source_type: str, source_id, counterparty: str, lines) -> None:
        self.entry_number += 1
        entry_id = new_id(self.rng)
        for n, (side, account, amount, tax) in enumerate((line for line in lines if line[2] > 0), start=1):
            self.journal.append((new_id(self.rng), entry_id, self.entry_number, day, event, n, side, account,
                                 counterparty if account == "売掛金" else None, amount, tax, counterparty,
                                 source_type, source_id))


def load_billing(loader: Loader, world: World, sheets: list[Timesheet]) -> None:
    issuer = _issuer(loader)
    writer = BillingWriter(world, issuer)
    writer.build(sheets)
    loader.copy("billing_context.invoices",
                ("id", "invoice_year", "invoice_month", "invoice_number", "kind", "issuer_id", "customer_id",
                 "status", "billing_period_start", "billing_period_end", "invoice_date", "due_date",
                 "recipient_name", "recipient_honorific", "recipient_department", "recipient_address",
                 "issuer_name", "issuer_registration_number", "tax_rounding", "subtotal_amount", "tax_amount",
                 "total_amount", "paid_amount", "billing_details", "issued_at", "issued_by"), writer.invoices)
    loader.copy("billing_context.invoice_billing_items",
                ("invoice_id", "invoice_year", "line_no", "item_type", "contract_id", "engineer_id",
                 "timesheet_id", "period_year", "period_month", "description", "worked_hours", "billed_hours",
                 "base_amount", "lower_hours", "upper_hours", "excess_hours", "excess_rate", "deduction_hours",
                 "deduction_rate", "adjustment_amount", "unit_price", "amount", "tax_rate_percent"),
                writer.lines)
    loader.copy("billing_context.invoice_payments",
                ("id", "invoice_id", "invoice_year", "paid_on", "received_amount", "fee_amount", "applied_amount",
                 "overpaid_amount", "method", "payer_name", "idempotency_key"), writer.payments)
    loader.copy("billing_context.accounting_entries",
                ("id", "entry_id", "entry_number", "entry_date", "event_type", "line_no", "side", "account",
                 "sub_account", "amount", "tax_amount", "counterparty", "source_type", "source_id"),
                writer.journal)
    loader.copy("billing_context.invoice_number_sequences", ("issuer_id", "year", "last_number"),
                [(issuer[0], year, last) for year, last in sorted(writer.numbers.items())])
    if writer.entry_number:
        loader.conn.execute("SELECT setval('billing_context.accounting_entry_number_seq', %s)",
                            (writer.entry_number,))
