"""What each report PDF shows, as plain dicts (``core.pdf.render_pdf`` takes a plain context).

Before reading, the month (and the trend's months without a snapshot) are snapshotted again,
so a report always shows the figures of the moment it was generated.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from ..extensions import db
from . import charts, kpis
from .widgets import Period, ending_contracts, monthly_revenue_rows

TREND_MONTHS = 12


def refresh_figures(month: date, months: int = TREND_MONTHS) -> None:
    """Refresh the materialized views, snapshot ``month`` and the trend's months that have no
    snapshot yet (runs as the worker)."""
    db.session.execute(text("SELECT report_context.refresh_materialized_views()"))
    have = set(db.session.execute(text(
        "SELECT DISTINCT period_start FROM report_context.kpi_values WHERE deleted_at IS NULL")).scalars())
    for period in kpis.months_back(month, months):
        if period == kpis.month_start(month) or period not in have:
            kpis.snapshot(period)


def _label(month: date) -> str:
    return f"{month.year % 100:02d}/{month.month:02d}"


def _trend(code: str, title: str, month: date) -> dict:
    kpi = kpis.definition(code)
    points = [(_label(m), v) for m, v in kpis.company_series(code, month, TREND_MONTHS)]
    chart = charts.line_chart if kpi.unit == "PERCENT" else charts.column_chart
    return {"svg": chart(title, points, kpi.unit, width=680, height=230), "points": points}


def _readings(codes: list[str], month: date) -> list:
    return [r for r in (kpis.company_reading(code, month) for code in codes) if r is not None]


def _margin_rows(month: date, dimension: str) -> list[dict]:
    rows = kpis.by_dimension("gross_margin", month, dimension)
    result = []
    for row in rows:
        sales, cost = row["details"].get("sales", 0), row["details"].get("cost", 0)
        rate = round(100 * (sales - cost) / sales, 1) if sales > 0 else None
        result.append({"name": row["name"], "sales": sales, "cost": cost, "margin": sales - cost,
                       "rate": rate})
    return sorted(result, key=lambda r: (-r["sales"], r["name"]))


def monthly_revenue(month: date) -> dict:
    return {"readings": _readings(["revenue", "gross_margin", "margin_rate", "invoices_outstanding",
                                   "invoices_overdue"], month),
            "trend": _trend("revenue", "売上の推移 (税抜)", month),
            "customers": _margin_rows(month, "CUSTOMER"),
            "invoiced": monthly_revenue_rows(Period(month, TREND_MONTHS))}


def gross_margin(month: date) -> dict:
    customers = _margin_rows(month, "CUSTOMER")
    return {"readings": _readings(["revenue", "gross_margin", "margin_rate"], month),
            "engineers": _margin_rows(month, "ENGINEER"), "customers": customers,
            "chart": charts.bar_chart("顧客別粗利", [(c["name"], c["margin"]) for c in customers[:10]],
                                      "YEN", width=680)}


def utilization(month: date) -> dict:
    bench = kpis.company_reading("bench", month)
    ids = (bench.details.get("engineer_ids") if bench else None) or []
    bench_rows = db.session.execute(text(
        "SELECT code, full_name, available_from FROM engineer_context.engineers"
        " WHERE id = ANY(:ids) ORDER BY code"), {"ids": ids}).all() if ids else []
    return {"readings": _readings(["utilization", "bench", "timesheet_submission", "contracts_ending"],
                                  month),
            "trend": _trend("utilization", "稼働率の推移", month),
            "bench": bench_rows, "ending": ending_contracts(month)}


BUILDERS = {"MONTHLY_REVENUE": monthly_revenue, "GROSS_MARGIN": gross_margin, "UTILIZATION": utilization}
