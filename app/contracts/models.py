"""Contract Context tables (migrations/sql/contract_context_ddl.sql), column for column."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, LargeBinary, Numeric, SmallInteger
from sqlalchemy.dialects.postgresql import INET
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "contract_context"}

CONTRACT_TYPES = ("QUASI_MANDATE", "DISPATCH", "CONTRACTED_WORK")
SIDES = ("SELL", "BUY")
STATUSES = ("DRAFT", "PENDING_APPROVAL", "CONCLUDED", "ACTIVE", "ENDED", "TERMINATED")
PARTIES = ("OUR_COMPANY", "CUSTOMER", "PARTNER")


class ContractTemplate(Entity, db.Model):
    __tablename__ = "contract_templates"
    __table_args__ = SCHEMA

    code: Mapped[str]
    name: Mapped[str]
    contract_type: Mapped[str]
    template_version: Mapped[int] = mapped_column(server_default="1")
    body: Mapped[str]
    is_active: Mapped[bool] = mapped_column(server_default="true")
    effective_from: Mapped[date] = mapped_column(server_default=db.func.current_date())


class Contract(Entity, db.Model):
    __tablename__ = "contracts"
    __table_args__ = SCHEMA

    contract_number: Mapped[str]
    contract_type: Mapped[str]
    side: Mapped[str] = mapped_column(server_default="SELL")
    sell_contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contract_context.contracts.id"))
    renewed_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contract_context.contracts.id"))
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contract_context.contract_templates.id"))
    project_id: Mapped[uuid.UUID]
    engineer_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None]
    partner_company_id: Mapped[uuid.UUID | None]
    matching_result_id: Mapped[uuid.UUID | None]
    title: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="DRAFT")
    start_date: Mapped[date]
    end_date: Mapped[date]
    monthly_price: Mapped[int]
    tax_rate_percent: Mapped[int] = mapped_column(SmallInteger, server_default="10")
    settlement_method: Mapped[str] = mapped_column(server_default="UPPER_LOWER")
    lower_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    upper_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    excess_rate: Mapped[int | None]
    deduction_rate: Mapped[int | None]
    rate_rounding_unit: Mapped[int] = mapped_column(server_default="10")
    rate_rounding_mode: Mapped[str] = mapped_column(server_default="FLOOR")
    rounding_target: Mapped[str] = mapped_column(server_default="RATE")
    hours_rounding_minutes: Mapped[int] = mapped_column(SmallInteger, server_default="15")
    hours_rounding_scope: Mapped[str] = mapped_column(server_default="MONTHLY")
    hours_rounding_mode: Mapped[str] = mapped_column(server_default="FLOOR")
    partial_month_rule: Mapped[str] = mapped_column(server_default="BUSINESS_DAYS")
    closing_day: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    payment_month_offset: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    payment_day: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    payment_holiday_rule: Mapped[str] = mapped_column(server_default="PREVIOUS")
    chain_position: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    chain_restriction: Mapped[str] = mapped_column(server_default="NONE")
    responsible_person: Mapped[str | None]
    client_supervisor: Mapped[str | None]
    work_site: Mapped[str | None]
    work_description: Mapped[str | None]
    dispatch_license_number: Mapped[str | None]
    deliverables: Mapped[str | None]
    acceptance_date: Mapped[date | None]
    defect_liability_months: Mapped[int | None] = mapped_column(SmallInteger)
    contract_terms: Mapped[dict] = mapped_column(server_default="{}")
    # The signed document itself: loaded only when it is downloaded or hashed.
    document_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    document_sha256: Mapped[str | None]
    concluded_at: Mapped[datetime | None]
    terminated_at: Mapped[datetime | None]
    termination_reason: Mapped[str | None]
    notes: Mapped[str | None]
    created_by: Mapped[uuid.UUID | None]

    @property
    def is_sell(self) -> bool:
        return self.side == "SELL"

    @property
    def counterparty(self) -> str:
        """The party that signs with us: the customer (SELL) or the partner (BUY)."""
        return "CUSTOMER" if self.is_sell else "PARTNER"


class ContractSignature(Entity, db.Model):
    __tablename__ = "contract_signatures"
    __table_args__ = SCHEMA

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract_context.contracts.id"))
    party: Mapped[str]
    signer_user_id: Mapped[uuid.UUID]
    signer_name: Mapped[str]
    signer_title: Mapped[str | None]
    signed_at: Mapped[datetime] = mapped_column(server_default=db.func.now())
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None]
    document_sha256: Mapped[str]
    signature_method: Mapped[str] = mapped_column(server_default="CLICK_TO_SIGN")


class ContractAmendment(Entity, db.Model):
    __tablename__ = "contract_amendments"
    __table_args__ = SCHEMA

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract_context.contracts.id"))
    effective_from: Mapped[date]
    reason: Mapped[str]
    changes: Mapped[dict]
    terms: Mapped[dict]
    status: Mapped[str] = mapped_column(server_default="APPROVED")
    approved_by: Mapped[uuid.UUID | None]
    approved_at: Mapped[datetime | None]
