"""レポート・分析管理 (report_context): mirrors migrations/sql/report_context_ddl.sql."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ARRAY, ForeignKey, LargeBinary, Numeric, SmallInteger, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "report_context"}


class AnalyticsData(Entity, db.Model):
    __tablename__ = "analytics_data"
    __table_args__ = SCHEMA

    target_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    target_date: Mapped[date]
    category: Mapped[str]
    metric_key: Mapped[str]
    dimension: Mapped[dict] = mapped_column(server_default="{}")
    metrics: Mapped[dict] = mapped_column(server_default="{}")
    source_event_id: Mapped[uuid.UUID | None]


class KpiDefinition(Entity, db.Model):
    __tablename__ = "kpi_definitions"
    __table_args__ = SCHEMA

    code: Mapped[str]
    name: Mapped[str]
    name_en: Mapped[str]
    description: Mapped[str | None]
    formula: Mapped[str]
    sql_view: Mapped[str | None]
    unit: Mapped[str]
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    higher_is_better: Mapped[bool] = mapped_column(server_default="true")
    period_type: Mapped[str] = mapped_column(server_default="MONTH")
    visible_roles: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default="{admin,finance,project_manager}")
    sort_order: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class KpiValue(Entity, db.Model):
    __tablename__ = "kpi_values"
    __table_args__ = SCHEMA

    kpi_definition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report_context.kpi_definitions.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    dimension_type: Mapped[str] = mapped_column(server_default="COMPANY")
    dimension_id: Mapped[uuid.UUID | None]
    value: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    details: Mapped[dict] = mapped_column(server_default="{}")
    computed_at: Mapped[datetime] = mapped_column(server_default=db.func.now())


class Dashboard(Entity, db.Model):
    __tablename__ = "dashboards"
    __table_args__ = SCHEMA

    owner_user_id: Mapped[uuid.UUID | None]
    role: Mapped[str | None]
    name: Mapped[str]
    is_default: Mapped[bool] = mapped_column(server_default="false")
    layout: Mapped[dict] = mapped_column(server_default="{}")


class DashboardWidget(Entity, db.Model):
    __tablename__ = "dashboard_widgets"
    __table_args__ = SCHEMA

    dashboard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report_context.dashboards.id"))
    widget_type: Mapped[str]
    title: Mapped[str]
    kpi_code: Mapped[str | None]
    config: Mapped[dict] = mapped_column(server_default="{}")
    position: Mapped[int] = mapped_column(SmallInteger, server_default="0")


class ReportTemplate(Entity, db.Model):
    __tablename__ = "report_templates"
    __table_args__ = SCHEMA

    code: Mapped[str]
    name: Mapped[str]
    name_en: Mapped[str]
    description: Mapped[str | None]
    report_type: Mapped[str]
    parameters_schema: Mapped[dict] = mapped_column(server_default="{}")
    schedule: Mapped[str | None]
    allowed_roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{admin,finance}")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class GeneratedReport(Entity, db.Model):
    __tablename__ = "generated_reports"
    __table_args__ = SCHEMA

    report_template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report_context.report_templates.id"))
    parameters: Mapped[dict] = mapped_column(server_default="{}")
    status: Mapped[str] = mapped_column(server_default="PENDING")
    requested_by: Mapped[uuid.UUID | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    file_name: Mapped[str | None]
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None]
    error: Mapped[str | None]


class ViewRefresh(Entity, db.Model):
    __tablename__ = "view_refreshes"
    __table_args__ = SCHEMA

    view_name: Mapped[str]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    duration_ms: Mapped[int | None]
    status: Mapped[str]
    error: Mapped[str | None]
    triggered_by: Mapped[uuid.UUID | None]
