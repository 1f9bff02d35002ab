"""Project Context tables (migrations/sql/project_context_ddl.sql): customers and their
contacts, cases (案件) with requirements, phases and milestones.

``Project.requirements`` mirrors the ``project_requirements`` rows as JSONB (GIN-searchable);
services keep the two in step.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "project_context"}


class CompanyColumns:
    """What a customer and a partner company both record (also ``engineers.PartnerCompany``):
    code and name, 法人番号 and 登録番号, address, and the payment terms (締め日, 支払月, 支払日,
    休日の扱い) that due dates are computed from."""

    code: Mapped[str]
    name: Mapped[str]
    name_kana: Mapped[str | None]
    corporate_number: Mapped[str | None]
    registration_number: Mapped[str | None]
    postal_code: Mapped[str | None]
    address: Mapped[str | None]
    phone: Mapped[str | None]
    closing_day: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    payment_month_offset: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    payment_day: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    payment_holiday_rule: Mapped[str] = mapped_column(server_default="PREVIOUS")
    notes: Mapped[str | None]


class Customer(CompanyColumns, Entity, db.Model):
    __tablename__ = "customers"
    __table_args__ = SCHEMA

    honorific: Mapped[str] = mapped_column(server_default="御中")
    billing_department: Mapped[str | None]
    billing_contact_name: Mapped[str | None]
    billing_email: Mapped[str | None]
    invoice_grouping: Mapped[str] = mapped_column(server_default="PER_CUSTOMER")
    attach_work_report: Mapped[bool] = mapped_column(server_default="false")


class CustomerContact(Entity, db.Model):
    __tablename__ = "customer_contacts"
    __table_args__ = SCHEMA

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_context.customers.id"))
    name: Mapped[str]
    name_kana: Mapped[str | None]
    department: Mapped[str | None]
    title: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    is_billing_contact: Mapped[bool] = mapped_column(server_default="false")
    is_work_report_approver: Mapped[bool] = mapped_column(server_default="false")
    notes: Mapped[str | None]


class Project(Entity, db.Model):
    __tablename__ = "projects"
    __table_args__ = SCHEMA

    code: Mapped[str]
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_context.customers.id"))
    end_user_name: Mapped[str | None]
    title: Mapped[str]
    description: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="INQUIRY")
    priority: Mapped[int] = mapped_column(SmallInteger, server_default="3")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    location: Mapped[str | None]
    nearest_station: Mapped[str | None]
    work_style: Mapped[str] = mapped_column(server_default="ONSITE")
    headcount: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    rate_min: Mapped[int | None]
    rate_max: Mapped[int | None]
    settlement_lower_hours: Mapped[Decimal | None]
    settlement_upper_hours: Mapped[Decimal | None]
    chain_position: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    chain_restriction: Mapped[str] = mapped_column(server_default="NONE")
    required_japanese_level: Mapped[str | None]
    requirements: Mapped[dict] = mapped_column(server_default="{}")
    project_manager_id: Mapped[uuid.UUID | None]
    sales_manager_id: Mapped[uuid.UUID | None]
    ordered_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None]

    customer: Mapped[Customer] = relationship(lazy="raise")


class ProjectRequirement(Entity, db.Model):
    __tablename__ = "project_requirements"
    __table_args__ = SCHEMA

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_context.projects.id"))
    requirement_type: Mapped[str]
    name: Mapped[str]
    min_years: Mapped[Decimal | None]
    min_level: Mapped[int | None] = mapped_column(SmallInteger)
    is_mandatory: Mapped[bool] = mapped_column(server_default="true")
    description: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(SmallInteger, server_default="0")


class ProjectPhase(Entity, db.Model):
    __tablename__ = "project_phases"
    __table_args__ = SCHEMA

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_context.projects.id"))
    name: Mapped[str]
    phase_type: Mapped[str]
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(server_default="PLANNED")
    sort_order: Mapped[int] = mapped_column(SmallInteger, server_default="0")


class ProjectMilestone(Entity, db.Model):
    __tablename__ = "project_milestones"
    __table_args__ = SCHEMA

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project_context.projects.id"))
    phase_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project_context.project_phases.id"))
    name: Mapped[str]
    due_date: Mapped[date]
    completed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(server_default="OPEN")
