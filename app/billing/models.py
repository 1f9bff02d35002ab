"""Billing Context tables (billing_context schema, migrations/sql/billing_context_ddl.sql).

Issued documents are frozen by database triggers; these classes only mirror the columns.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, LargeBinary, SmallInteger
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "billing_context"}


class Issuer(Entity, db.Model):
    """請求元: our company as the issuer of qualified invoices."""

    __tablename__ = "issuers"
    __table_args__ = SCHEMA

    code: Mapped[str]
    name: Mapped[str]
    registration_number: Mapped[str]
    postal_code: Mapped[str | None]
    address: Mapped[str]
    phone: Mapped[str | None]
    email: Mapped[str | None]
    bank_name: Mapped[str]
    bank_branch: Mapped[str]
    bank_account_type: Mapped[str] = mapped_column(server_default="ORDINARY")
    bank_account_number: Mapped[str]
    bank_account_holder_kana: Mapped[str]
    seal_image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    tax_rounding: Mapped[str] = mapped_column(server_default="FLOOR")
    invoice_number_prefix: Mapped[str] = mapped_column(server_default="INV")
    is_default: Mapped[bool] = mapped_column(server_default="false")


class InvoiceNumberSequence(Entity, db.Model):
    __tablename__ = "invoice_number_sequences"
    __table_args__ = SCHEMA

    issuer_id: Mapped[uuid.UUID] = mapped_column(db.ForeignKey("billing_context.issuers.id"))
    document_type: Mapped[str] = mapped_column(server_default="INVOICE")
    year: Mapped[int] = mapped_column(SmallInteger)
    last_number: Mapped[int] = mapped_column(server_default="0")


class InvoiceRun(Entity, db.Model):
    """One monthly invoice run and its progress."""

    __tablename__ = "invoice_runs"
    __table_args__ = SCHEMA

    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(server_default="QUEUED")
    issue_date: Mapped[date]
    requested_by: Mapped[uuid.UUID | None]
    total_groups: Mapped[int] = mapped_column(server_default="0")
    processed_groups: Mapped[int] = mapped_column(server_default="0")
    invoices_created: Mapped[int] = mapped_column(server_default="0")
    statements_created: Mapped[int] = mapped_column(server_default="0")
    pdfs_total: Mapped[int] = mapped_column(server_default="0")
    pdfs_done: Mapped[int] = mapped_column(server_default="0")
    problems: Mapped[list] = mapped_column(server_default="[]")
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.status in ("SUCCEEDED", "FAILED")


class Invoice(Entity, db.Model):
    """請求書 (partitioned by invoice_year).  Frozen once issued."""

    __tablename__ = "invoices"
    __table_args__ = SCHEMA

    invoice_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    invoice_month: Mapped[int] = mapped_column(SmallInteger)
    invoice_number: Mapped[str | None]
    kind: Mapped[str] = mapped_column(server_default="INVOICE")
    original_invoice_id: Mapped[uuid.UUID | None]
    original_invoice_year: Mapped[int | None] = mapped_column(SmallInteger)
    issuer_id: Mapped[uuid.UUID] = mapped_column(db.ForeignKey("billing_context.issuers.id"))
    customer_id: Mapped[uuid.UUID]
    run_id: Mapped[uuid.UUID | None] = mapped_column(db.ForeignKey("billing_context.invoice_runs.id"))
    status: Mapped[str] = mapped_column(server_default="DRAFT")
    billing_period_start: Mapped[date]
    billing_period_end: Mapped[date]
    invoice_date: Mapped[date | None]
    due_date: Mapped[date | None]
    recipient_name: Mapped[str]
    recipient_honorific: Mapped[str] = mapped_column(server_default="御中")
    recipient_department: Mapped[str | None]
    recipient_address: Mapped[str | None]
    issuer_name: Mapped[str]
    issuer_registration_number: Mapped[str]
    tax_rounding: Mapped[str]
    attach_work_report: Mapped[bool] = mapped_column(server_default="false")
    subtotal_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    tax_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    paid_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    billing_details: Mapped[dict] = mapped_column(server_default="{}")
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None]
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[uuid.UUID | None]
    notes: Mapped[str | None]

    @property
    def open_amount(self) -> int:
        return self.total_amount - self.paid_amount

    @property
    def is_open(self) -> bool:
        return self.kind != "CREDIT_NOTE" and self.status in ("ISSUED", "PARTIALLY_PAID", "OVERDUE")

    @classmethod
    def get(cls, invoice_id: uuid.UUID, invoice_year: int | None = None) -> Invoice | None:
        """By id (the year, part of the partitioned table's key, narrows the search)."""
        query = db.select(cls).where(cls.id == invoice_id)
        if invoice_year is not None:
            query = query.where(cls.invoice_year == invoice_year)
        return db.session.scalar(query)


class InvoiceExtra(Entity, db.Model):
    """請求追加項目 (交通費 ...) billed once with a month."""

    __tablename__ = "invoice_extras"
    __table_args__ = SCHEMA

    customer_id: Mapped[uuid.UUID]
    contract_id: Mapped[uuid.UUID]
    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    item_type: Mapped[str] = mapped_column(server_default="EXPENSE")
    description: Mapped[str]
    quantity: Mapped[Decimal] = mapped_column(server_default="1")
    unit_price: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_rate_percent: Mapped[int] = mapped_column(SmallInteger, server_default="10")
    is_reduced_rate: Mapped[bool] = mapped_column(server_default="false")
    created_by: Mapped[uuid.UUID | None]


class InvoiceLine(Entity, db.Model):
    """請求明細."""

    __tablename__ = "invoice_billing_items"
    __table_args__ = SCHEMA

    invoice_id: Mapped[uuid.UUID]
    invoice_year: Mapped[int] = mapped_column(SmallInteger)
    line_no: Mapped[int] = mapped_column(SmallInteger)
    item_type: Mapped[str]
    contract_id: Mapped[uuid.UUID | None]
    engineer_id: Mapped[uuid.UUID | None]
    timesheet_id: Mapped[uuid.UUID | None]
    timesheet_adjustment_id: Mapped[uuid.UUID | None]
    extra_id: Mapped[uuid.UUID | None] = mapped_column(db.ForeignKey("billing_context.invoice_extras.id"))
    credited_item_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("billing_context.invoice_billing_items.id"))
    contract_number: Mapped[str | None]
    engineer_code: Mapped[str | None]
    engineer_name: Mapped[str | None]
    period_year: Mapped[int | None] = mapped_column(SmallInteger)
    period_month: Mapped[int | None] = mapped_column(SmallInteger)
    description: Mapped[str]
    worked_hours: Mapped[Decimal | None]
    billed_hours: Mapped[Decimal | None]
    base_amount: Mapped[int | None] = mapped_column(BigInteger)
    lower_hours: Mapped[Decimal | None]
    upper_hours: Mapped[Decimal | None]
    excess_hours: Mapped[Decimal | None]
    excess_rate: Mapped[int | None]
    deduction_hours: Mapped[Decimal | None]
    deduction_rate: Mapped[int | None]
    adjustment_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    quantity: Mapped[Decimal] = mapped_column(server_default="1")
    unit_price: Mapped[int | None] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_rate_percent: Mapped[int] = mapped_column(SmallInteger, server_default="10")
    is_reduced_rate: Mapped[bool] = mapped_column(server_default="false")
    released_at: Mapped[datetime | None]


class InvoicePayment(Entity, db.Model):
    """入金記録."""

    __tablename__ = "invoice_payments"
    __table_args__ = SCHEMA

    invoice_id: Mapped[uuid.UUID]
    invoice_year: Mapped[int] = mapped_column(SmallInteger)
    paid_on: Mapped[date]
    received_amount: Mapped[int] = mapped_column(BigInteger)
    fee_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    applied_amount: Mapped[int] = mapped_column(BigInteger)
    overpaid_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    method: Mapped[str] = mapped_column(server_default="BANK_TRANSFER")
    payer_name: Mapped[str | None]
    reference: Mapped[str | None]
    reverses_payment_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("billing_context.invoice_payments.id"))
    idempotency_key: Mapped[str]
    recorded_by: Mapped[uuid.UUID | None]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_payment_id is not None


class CustomerCredit(Entity, db.Model):
    """前受金 ledger of a customer: overpayments and the paid amount of cancelled invoices."""

    __tablename__ = "customer_credits"
    __table_args__ = SCHEMA

    customer_id: Mapped[uuid.UUID]
    entry_date: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str]
    payment_id: Mapped[uuid.UUID | None] = mapped_column(db.ForeignKey("billing_context.invoice_payments.id"))
    invoice_id: Mapped[uuid.UUID | None]
    invoice_year: Mapped[int | None] = mapped_column(SmallInteger)
    description: Mapped[str | None]


class InvoiceStatusHistory(Entity, db.Model):
    """The audit trail of an invoice, written by a database trigger."""

    __tablename__ = "invoice_status_history"
    __table_args__ = SCHEMA

    invoice_id: Mapped[uuid.UUID]
    invoice_year: Mapped[int] = mapped_column(SmallInteger)
    action: Mapped[str]
    from_status: Mapped[str | None]
    to_status: Mapped[str]
    details: Mapped[dict] = mapped_column(server_default="{}")
    changed_by: Mapped[uuid.UUID | None]
    changed_by_role: Mapped[str | None]
    changed_at: Mapped[datetime] = mapped_column(server_default=db.func.clock_timestamp())


class AccountingEntry(Entity, db.Model):
    """One line of a journal entry (会計仕訳)."""

    __tablename__ = "accounting_entries"
    __table_args__ = SCHEMA

    entry_id: Mapped[uuid.UUID]
    entry_number: Mapped[int] = mapped_column(BigInteger)
    entry_date: Mapped[date]
    event_type: Mapped[str]
    line_no: Mapped[int] = mapped_column(SmallInteger)
    side: Mapped[str]
    account: Mapped[str]
    sub_account: Mapped[str | None]
    tax_category: Mapped[str | None]
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    counterparty: Mapped[str | None]
    description: Mapped[str | None]
    source_type: Mapped[str]
    source_id: Mapped[uuid.UUID]


class InputTaxDeductionRate(Entity, db.Model):
    """経過措置: deductible share of the tax paid to unregistered partners, by date."""

    __tablename__ = "input_tax_deduction_rates"
    __table_args__ = SCHEMA

    valid_from: Mapped[date]
    valid_to: Mapped[date]
    deductible_percent: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str]


class PurchaseStatement(Entity, db.Model):
    """支払通知書 to a partner company."""

    __tablename__ = "purchase_statements"
    __table_args__ = SCHEMA

    statement_year: Mapped[int] = mapped_column(SmallInteger)
    statement_month: Mapped[int] = mapped_column(SmallInteger)
    statement_number: Mapped[str | None]
    issuer_id: Mapped[uuid.UUID] = mapped_column(db.ForeignKey("billing_context.issuers.id"))
    partner_company_id: Mapped[uuid.UUID]
    run_id: Mapped[uuid.UUID | None] = mapped_column(db.ForeignKey("billing_context.invoice_runs.id"))
    status: Mapped[str] = mapped_column(server_default="DRAFT")
    period_start: Mapped[date]
    period_end: Mapped[date]
    statement_date: Mapped[date | None]
    due_date: Mapped[date | None]
    partner_name: Mapped[str]
    partner_registration_number: Mapped[str | None]
    partner_registered: Mapped[bool]
    subcontract_act_covered: Mapped[bool] = mapped_column(server_default="false")
    freelance_act_covered: Mapped[bool] = mapped_column(server_default="false")
    issuer_name: Mapped[str]
    days_to_payment: Mapped[int | None] = mapped_column(SmallInteger)
    exceeds_payment_limit: Mapped[bool] = mapped_column(server_default="false")
    subtotal_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    tax_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    deduction_percent: Mapped[int] = mapped_column(SmallInteger, server_default="100")
    deductible_tax_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    withholding_tax_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    paid_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    details: Mapped[dict] = mapped_column(server_default="{}")
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None]
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[uuid.UUID | None]
    original_statement_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("billing_context.purchase_statements.id"))
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[uuid.UUID | None]
    cancellation_reason: Mapped[str | None]
    notes: Mapped[str | None]

    @property
    def open_amount(self) -> int:
        return self.total_amount - self.paid_amount


class PurchaseStatementLine(Entity, db.Model):
    __tablename__ = "purchase_statement_lines"
    __table_args__ = SCHEMA

    statement_id: Mapped[uuid.UUID] = mapped_column(db.ForeignKey("billing_context.purchase_statements.id"))
    line_no: Mapped[int] = mapped_column(SmallInteger)
    item_type: Mapped[str]
    contract_id: Mapped[uuid.UUID]
    engineer_id: Mapped[uuid.UUID | None]
    timesheet_id: Mapped[uuid.UUID]
    timesheet_adjustment_id: Mapped[uuid.UUID | None]
    contract_number: Mapped[str | None]
    engineer_code: Mapped[str | None]
    engineer_name: Mapped[str | None]
    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str]
    billed_hours: Mapped[Decimal | None]
    base_amount: Mapped[int | None] = mapped_column(BigInteger)
    lower_hours: Mapped[Decimal | None]
    upper_hours: Mapped[Decimal | None]
    excess_hours: Mapped[Decimal | None]
    excess_rate: Mapped[int | None]
    deduction_hours: Mapped[Decimal | None]
    deduction_rate: Mapped[int | None]
    adjustment_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_rate_percent: Mapped[int] = mapped_column(SmallInteger, server_default="10")
    released_at: Mapped[datetime | None]


class PurchasePayment(Entity, db.Model):
    """支払記録 to a partner."""

    __tablename__ = "purchase_payments"
    __table_args__ = SCHEMA

    statement_id: Mapped[uuid.UUID] = mapped_column(db.ForeignKey("billing_context.purchase_statements.id"))
    paid_on: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)
    fee_amount: Mapped[int] = mapped_column(BigInteger, server_default="0")
    fee_borne_by: Mapped[str] = mapped_column(server_default="US")
    reference: Mapped[str | None]
    idempotency_key: Mapped[str]
    recorded_by: Mapped[uuid.UUID | None]
