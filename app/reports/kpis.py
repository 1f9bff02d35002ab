"""KPIs: monthly snapshots computed in SQL, and the readings dashboards and reports use.

``report_context.snapshot_kpis(month)`` (integrated_views.sql) runs every active definition's
function for the month and replaces that month's values; the worker does it nightly for the
running and the previous month (late invoices still change a closed month).  Readings run under
the caller's role: row level security hides money KPIs from project managers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text

from ..core.jobs import jobs
from ..extensions import db
from .models import KpiDefinition


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_back(end: date, count: int) -> list[date]:
    """``count`` month starts ending with ``end``'s month, oldest first."""
    last = month_start(end)
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def snapshot(month: date) -> int:
    """Recompute and store every KPI of ``month`` (administrator / worker); rows written."""
    return db.session.execute(text("SELECT report_context.snapshot_kpis(:m)"),
                              {"m": month_start(month)}).scalar()


@jobs.periodic(cron="30 17 * * *", name="reports.kpi_snapshot", queue="reports")   # 02:30 JST
def nightly_snapshot(timestamp: int) -> int:
    today = db.session.execute(text("SELECT current_date")).scalar()
    return snapshot(add_months(month_start(today), -1)) + snapshot(today)


@dataclass(frozen=True)
class Reading:
    code: str
    name: str
    unit: str
    value: Decimal | None
    previous: Decimal | None
    target: Decimal | None
    higher_is_better: bool
    details: dict

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def on_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def definition(code: str) -> KpiDefinition | None:
    return db.session.scalars(select(KpiDefinition).where(KpiDefinition.code == code)).first()


_VALUE = text("""
    SELECT v.value, v.details FROM report_context.kpi_values v
    JOIN report_context.kpi_definitions d ON d.id = v.kpi_definition_id
    WHERE d.code = :code AND v.period_start = :month AND v.dimension_type = 'COMPANY'
      AND v.deleted_at IS NULL""")


def company_reading(code: str, month: date, name: str | None = None) -> Reading | None:
    """The company-wide value of ``month`` with the previous month's and the target."""
    kpi = definition(code)
    if kpi is None:
        return None
    row = db.session.execute(_VALUE, {"code": code, "month": month_start(month)}).first()
    before = db.session.execute(_VALUE, {"code": code, "month": add_months(month_start(month), -1)}).first()
    return Reading(code=code, name=name or kpi.name, unit=kpi.unit, value=row.value if row else None,
                   previous=before.value if before else None, target=kpi.target_value,
                   higher_is_better=kpi.higher_is_better, details=row.details if row else {})


def company_series(code: str, end: date, months: int) -> list[tuple[date, Decimal | None]]:
    """The company-wide values of the ``months`` months ending with ``end`` (None = no snapshot)."""
    periods = months_back(end, months)
    rows = db.session.execute(text("""
        SELECT v.period_start, v.value FROM report_context.kpi_values v
        JOIN report_context.kpi_definitions d ON d.id = v.kpi_definition_id
        WHERE d.code = :code AND v.dimension_type = 'COMPANY' AND v.deleted_at IS NULL
          AND v.period_start BETWEEN :first AND :last"""),
        {"code": code, "first": periods[0], "last": periods[-1]}).all()
    found = {r.period_start: r.value for r in rows}
    return [(p, found.get(p)) for p in periods]


_NAMES = {
    "CUSTOMER": "SELECT id, name FROM project_context.customers WHERE id = ANY(:ids)",
    "ENGINEER": "SELECT id, full_name AS name FROM engineer_context.engineers WHERE id = ANY(:ids)",
}


def by_dimension(code: str, month: date, dimension_type: str) -> list[dict]:
    """Per customer or engineer: ``{"id", "name", "value", "details"}``, highest first."""
    rows = db.session.execute(text("""
        SELECT v.dimension_id, v.value, v.details FROM report_context.kpi_values v
        JOIN report_context.kpi_definitions d ON d.id = v.kpi_definition_id
        WHERE d.code = :code AND v.period_start = :month AND v.dimension_type = :dim
          AND v.deleted_at IS NULL ORDER BY v.value DESC, v.dimension_id"""),
        {"code": code, "month": month_start(month), "dim": dimension_type}).all()
    names = names_of(dimension_type, [r.dimension_id for r in rows])
    return [{"id": r.dimension_id, "name": names.get(r.dimension_id, "—"), "value": r.value,
             "details": r.details} for r in rows]


def names_of(dimension_type: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids or dimension_type not in _NAMES:
        return {}
    return dict(db.session.execute(text(_NAMES[dimension_type]), {"ids": list(ids)}).all())


def last_snapshot_at() -> object:
    return db.session.execute(text(
        "SELECT max(computed_at) FROM report_context.kpi_values WHERE deleted_at IS NULL")).scalar()


