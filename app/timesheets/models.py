"""Timesheet Context tables (migrations/sql/timesheet_context_ddl.sql), column for column.

``timesheets`` is partitioned by month: its primary key is (id, period_year, period_month), and
the daily rows, approval steps and adjustments reference all three.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Computed, Numeric, SmallInteger, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "timesheet_context"}

STATUSES = ("DRAFT", "SUBMITTED", "PARTNER_CONFIRMED", "MANAGER_APPROVED", "APPROVED", "RETURNED")
EDITABLE = ("DRAFT", "RETURNED")
KINDS = ("NORMAL", "HOLIDAY_WORK", "PAID_LEAVE", "ABSENCE", "SPECIAL_LEAVE", "SUBSTITUTE_HOLIDAY")
WORKING_KINDS = ("NORMAL", "HOLIDAY_WORK")
LOCATIONS = ("ONSITE", "REMOTE")
ADJUSTMENT_REASONS = ("MISSED_CLOCK", "OFFICE_CLOSED", "LOCATION_CORRECTION", "BREAK_CORRECTION",
                      "APPROVED_OVERTIME", "SUBSTITUTE_HOLIDAY", "SICK_LEAVE", "OTHER")


class Timesheet(Entity, db.Model):
    __tablename__ = "timesheets"
    __table_args__ = SCHEMA

    period_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    period_date: Mapped[date] = mapped_column(Computed("make_date(period_year, period_month, 1)"))
    contract_id: Mapped[uuid.UUID]
    engineer_id: Mapped[uuid.UUID]
    project_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID]
    partner_company_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(server_default="DRAFT")
    source: Mapped[str] = mapped_column(server_default="ATTENDANCE")
    work_summary: Mapped[dict] = mapped_column(server_default=text("'{}'::jsonb"))
    worked_minutes: Mapped[int] = mapped_column(server_default="0")
    billable_hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_closed(self) -> bool:
        return self.status == "APPROVED"

    @property
    def billable_minutes(self) -> int | None:
        return self.work_summary.get("billable_minutes")


class DailyAttendance(Entity, db.Model):
    __tablename__ = "daily_attendances"
    __table_args__ = SCHEMA

    timesheet_id: Mapped[uuid.UUID]
    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    work_date: Mapped[date]
    kind: Mapped[str] = mapped_column(server_default="NORMAL")
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    break_minutes: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    work_location: Mapped[str] = mapped_column(server_default="ONSITE")
    worked_minutes: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    late_night_minutes: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    note: Mapped[str | None]


class TimesheetApprovalStep(Entity, db.Model):
    __tablename__ = "timesheet_approval_steps"
    __table_args__ = SCHEMA

    timesheet_id: Mapped[uuid.UUID]
    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    step: Mapped[str]
    decision: Mapped[str]
    actor_user_id: Mapped[uuid.UUID]
    actor_name: Mapped[str]
    decided_at: Mapped[datetime] = mapped_column(server_default=db.func.now())
    comment: Mapped[str | None]


class TimesheetAdjustment(Entity, db.Model):
    __tablename__ = "timesheet_adjustments"
    __table_args__ = SCHEMA

    timesheet_id: Mapped[uuid.UUID]
    period_year: Mapped[int] = mapped_column(SmallInteger)
    period_month: Mapped[int] = mapped_column(SmallInteger)
    contract_id: Mapped[uuid.UUID]
    reason_code: Mapped[str]
    reason: Mapped[str]
    minutes_delta: Mapped[int]
    status: Mapped[str] = mapped_column(server_default="REQUESTED")
    requested_by: Mapped[uuid.UUID]
    approved_by: Mapped[uuid.UUID | None]
    approved_at: Mapped[datetime | None]
    apply_year: Mapped[int | None] = mapped_column(SmallInteger)
    apply_month: Mapped[int | None] = mapped_column(SmallInteger)
    invoice_billing_item_id: Mapped[uuid.UUID | None]
