"""Demo data of the report context: the last twelve months of KPI snapshots and fresh
materialized views, computed from what the other contexts' demo loaders wrote, so the
dashboards and their trends have something to show on the first start."""

from __future__ import annotations

from sqlalchemy import text

from ..extensions import db
from .kpis import months_back, snapshot


def load(demo) -> None:
    db.session.execute(text("SELECT report_context.refresh_materialized_views()"))
    rows = sum(snapshot(month) for month in months_back(demo.today, 12))
    demo.echo(f"    KPI snapshots: {rows} values over 12 months")
