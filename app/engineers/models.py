"""Engineer Context tables (migrations/sql/engineer_context_ddl.sql).

Personal data (phone, address, birth date, gender, nationality, bank account) is stored
encrypted and deferred: list queries never load it, and only roles holding the key can read
it.  ``skills`` mirrors ``skill_assessments`` as JSONB for GIN searches and matching.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ARRAY, BigInteger, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EncryptedDate, EncryptedText, Entity
from ..extensions import db
from ..projects.models import CompanyColumns

SCHEMA = {"schema": "engineer_context"}


def _personal(column: str, type_=EncryptedText):
    return mapped_column(column, type_, deferred=True, deferred_group="personal")


class PartnerCompany(CompanyColumns, Entity, db.Model):
    __tablename__ = "partner_companies"
    __table_args__ = SCHEMA

    is_sole_proprietor: Mapped[bool] = mapped_column(server_default="false")
    capital_yen: Mapped[int | None] = mapped_column(BigInteger)
    employee_count: Mapped[int | None]
    subcontract_act_covered: Mapped[bool] = mapped_column(server_default="false")
    freelance_act_covered: Mapped[bool] = mapped_column(server_default="false")
    contact_name: Mapped[str | None]
    contact_email: Mapped[str | None]
    bank_account: Mapped[str | None] = _personal("bank_account_encrypted")


class Engineer(Entity, db.Model):
    __tablename__ = "engineers"
    __table_args__ = SCHEMA

    code: Mapped[str]
    employment_type: Mapped[str]
    partner_company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("engineer_context.partner_companies.id"))
    received_under_dispatch: Mapped[bool] = mapped_column(server_default="false")
    full_name: Mapped[str]
    full_name_kana: Mapped[str | None]
    initials: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None] = _personal("phone_encrypted")
    address: Mapped[str | None] = _personal("address_encrypted")
    birth_date: Mapped[date | None] = _personal("birth_date_encrypted", EncryptedDate)
    gender: Mapped[str | None] = _personal("gender_encrypted")
    nationality: Mapped[str | None] = _personal("nationality_encrypted")
    bank_account: Mapped[str | None] = _personal("bank_account_encrypted")
    nearest_station: Mapped[str | None]
    work_style_preference: Mapped[str] = mapped_column(server_default="ANY")
    desired_rate: Mapped[int | None]
    availability_status: Mapped[str] = mapped_column(server_default="AVAILABLE")
    available_from: Mapped[date | None]
    japanese_level: Mapped[str] = mapped_column(server_default="NATIVE")
    work_authorization: Mapped[str | None]
    work_authorization_expires_on: Mapped[date | None]
    experience_years: Mapped[Decimal | None]
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    skills: Mapped[list] = mapped_column(server_default="[]")
    summary: Mapped[str | None]

    partner_company: Mapped[PartnerCompany | None] = relationship(lazy="raise")


class SkillAssessment(Entity, db.Model):
    __tablename__ = "skill_assessments"
    __table_args__ = SCHEMA

    engineer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engineer_context.engineers.id"))
    skill_category: Mapped[str]
    skill_name: Mapped[str]
    skill_level: Mapped[int] = mapped_column(SmallInteger)
    years_experience: Mapped[Decimal] = mapped_column(server_default="0")
    last_used_year: Mapped[int | None] = mapped_column(SmallInteger)
    assessed_by: Mapped[uuid.UUID | None]
    assessed_at: Mapped[datetime] = mapped_column(server_default=db.func.now())
    notes: Mapped[str | None]


class Certification(Entity, db.Model):
    __tablename__ = "certifications"
    __table_args__ = SCHEMA

    engineer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engineer_context.engineers.id"))
    name: Mapped[str]
    issuer: Mapped[str | None]
    certificate_number: Mapped[str | None]
    acquired_on: Mapped[date | None]
    expires_on: Mapped[date | None]


class AvailabilityPeriod(Entity, db.Model):
    __tablename__ = "availability_periods"
    __table_args__ = SCHEMA

    engineer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engineer_context.engineers.id"))
    available_from: Mapped[date]
    available_to: Mapped[date | None]
    source: Mapped[str] = mapped_column(server_default="MANUAL")
    contract_id: Mapped[uuid.UUID | None]
    utilization_percent: Mapped[int] = mapped_column(SmallInteger, server_default="100")
    notes: Mapped[str | None]


class WorkHistory(Entity, db.Model):
    __tablename__ = "work_histories"
    __table_args__ = SCHEMA

    engineer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engineer_context.engineers.id"))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    project_summary: Mapped[str]
    industry: Mapped[str | None]
    role: Mapped[str | None]
    team_size: Mapped[int | None] = mapped_column(SmallInteger)
    phases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    technologies: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    description: Mapped[str | None]
