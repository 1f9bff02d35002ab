"""The dashboard's widgets: a catalogue of kinds, each with the roles that may use it and a
function that gathers its data for a period.

A widget row stores its kind in ``config["kind"]``.  Kinds follow the grants: money KPIs and the
revenue views are for administrators and finance (row level security hides them from anyone
else anyway, so a widget that slipped through would show nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text

from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import charts, kpis

STAFF = frozenset({"admin", "finance", "project_manager"})
MONEY = frozenset({"admin", "finance"})


@dataclass(frozen=True)
class Period:
    month: date          # the month shown (first day)
    months: int          # how far back the trends go


@dataclass(frozen=True)
class WidgetKind:
    key: str
    widget_type: str
    title: object
    roles: frozenset[str]
    build: Callable[[Period], dict]
    kpi_code: str | None = None


CATALOG: dict[str, WidgetKind] = {}


def _register(kind: WidgetKind) -> None:
    CATALOG[kind.key] = kind


def kinds_for(role: str) -> list[WidgetKind]:
    return [k for k in CATALOG.values() if role in k.roles]


def build(kind_key: str, period: Period) -> dict:
    kind = CATALOG.get(kind_key)
    return kind.build(period) if kind else {"missing": True}


def _label(month: date) -> str:
    return f"{month.month}月" if month.month != 1 else f"{month.year}/1"


# --- KPI cards and trends --------------------------------------------------------------------------

KPI_TITLES = {
    "utilization": (_l("稼働率"), STAFF), "bench": (_l("待機人数"), STAFF),
    "revenue": (_l("売上"), MONEY), "gross_margin": (_l("粗利"), MONEY),
    "margin_rate": (_l("粗利率"), MONEY), "invoices_outstanding": (_l("売掛金残高"), MONEY),
    "invoices_overdue": (_l("延滞債権"), MONEY),
    "timesheet_submission": (_l("工数表提出率"), STAFF),
    "contracts_ending": (_l("翌月終了の契約"), STAFF),
}


def _kpi_card(code: str, title) -> Callable[[Period], dict]:
    return lambda period: {"reading": kpis.company_reading(code, period.month, str(title))}


def _trend(code: str, title) -> Callable[[Period], dict]:
    def build_trend(period: Period) -> dict:
        kpi = kpis.definition(code)
        series = kpis.company_series(code, period.month, period.months)
        points = [(_label(m), v) for m, v in series]
        chart = charts.line_chart if kpi.unit == "PERCENT" else charts.column_chart
        return {"svg": chart(str(title), points, kpi.unit), "unit": kpi.unit,
                "empty": all(v is None for _, v in series)}

    return build_trend


for _code, (_title, _roles) in KPI_TITLES.items():
    _register(WidgetKind(f"kpi_{_code}", "KPI", _title, _roles, _kpi_card(_code, _title), _code))

for _code, _title, _roles in (("revenue", _l("売上の推移"), MONEY),
                              ("gross_margin", _l("粗利の推移"), MONEY),
                              ("margin_rate", _l("粗利率の推移"), MONEY),
                              ("utilization", _l("稼働率の推移"), STAFF)):
    _register(WidgetKind(f"trend_{_code}", "LINE_CHART", _title, _roles, _trend(_code, _title), _code))


def _ranking(code: str, dimension: str, title) -> Callable[[Period], dict]:
    def build_ranking(period: Period) -> dict:
        rows = kpis.by_dimension(code, period.month, dimension)[:8]
        items = [(r["name"], r["value"]) for r in rows]
        return {"svg": charts.bar_chart(str(title), items, "YEN"), "empty": not rows}

    return build_ranking


_register(WidgetKind("revenue_by_customer", "BAR_CHART", _l("顧客別売上"), MONEY,
                     _ranking("revenue", "CUSTOMER", _l("顧客別売上")), "revenue"))
_register(WidgetKind("margin_by_customer", "BAR_CHART", _l("顧客別粗利"), MONEY,
                     _ranking("gross_margin", "CUSTOMER", _l("顧客別粗利")), "gross_margin"))
_register(WidgetKind("margin_by_engineer", "BAR_CHART", _l("技術者別粗利"), MONEY,
                     _ranking("gross_margin", "ENGINEER", _l("技術者別粗利")), "gross_margin"))


# --- the materialized views -----------------------------------------------------------------------

def monthly_revenue_rows(period: Period) -> list:
    first = kpis.months_back(period.month, period.months)[0]
    return db.session.execute(text("""
        SELECT make_date(invoice_year, invoice_month, 1) AS month, invoice_count, total_amount,
               paid_amount, payment_rate
        FROM report_context.monthly_revenue_stats
        WHERE make_date(invoice_year, invoice_month, 1) BETWEEN :first AND :last
        ORDER BY 1"""), {"first": first, "last": period.month}).mappings().all()


def _monthly_invoiced(period: Period) -> dict:
    rows = {r["month"]: r["total_amount"] for r in monthly_revenue_rows(period)}
    points = [(_label(m), rows.get(m, 0)) for m in kpis.months_back(period.month, period.months)]
    return {"svg": charts.column_chart(str(_l("月次請求額 (税込)")), points, "YEN"), "empty": not rows}


def _monthly_table(period: Period) -> dict:
    rows = monthly_revenue_rows(period)
    return {"columns": [_l("月"), _l("請求件数"), _l("請求額 (税込)"), _l("入金済み"), _l("入金率")],
            "units": ["MONTH", "COUNT", "YEN", "YEN", "PERCENT"],
            "rows": [[r["month"], r["invoice_count"], r["total_amount"], r["paid_amount"],
                      r["payment_rate"]] for r in rows]}


def _company_stats(period: Period) -> dict:
    from ..core.identity import current_identity

    row = db.session.execute(text(
        "SELECT * FROM report_context.integrated_dashboard_stats")).mappings().first() or {}
    fields = [("active_projects", _l("進行中の案件"), "COUNT"), ("completed_projects", _l("完了した案件"), "COUNT"),
              ("available_engineers", _l("稼働可能な技術者"), "COUNT"),
              ("total_engineers", _l("技術者 (全体)"), "COUNT"), ("active_contracts", _l("稼働中の契約"), "COUNT")]
    identity = current_identity()
    if identity and identity.role in MONEY:
        fields += [("total_revenue", _l("入金済み請求額 (累計)"), "YEN"),
                   ("unpaid_invoices", _l("未入金の請求書"), "COUNT")]
    return {"columns": [_l("項目"), _l("値")], "units": ["TEXT", "MIXED"],
            "rows": [[label, (row.get(key), unit)] for key, label, unit in fields],
            "updated": row.get("last_updated")}


_register(WidgetKind("monthly_invoiced", "BAR_CHART", _l("月次請求額 (税込)"), MONEY, _monthly_invoiced))
_register(WidgetKind("monthly_revenue_table", "TABLE", _l("月次の請求と入金"), MONEY, _monthly_table))
_register(WidgetKind("company_stats", "TABLE", _l("全社の状況"), STAFF, _company_stats))


# --- lists and activity ----------------------------------------------------------------------------

def _bench_list(period: Period) -> dict:
    reading = kpis.company_reading("bench", period.month)
    ids = (reading.details.get("engineer_ids") if reading else None) or []
    rows = db.session.execute(text(
        "SELECT code, full_name, available_from FROM engineer_context.engineers"
        " WHERE id = ANY(:ids) ORDER BY code"), {"ids": ids}).all() if ids else []
    return {"items": [(f"{r.code} {r.full_name}", r.available_from) for r in rows],
            "empty_message": _l("待機中の技術者はいません。")}


def ending_contracts(month: date) -> list:
    """SELL contracts ending in the month after ``month`` that the reader may see."""
    first, last = kpis.add_months(month, 1), kpis.add_months(month, 2) - timedelta(days=1)
    return db.session.execute(text("""
        SELECT k.contract_number, k.title, k.end_date, c.name AS customer_name,
               e.full_name AS engineer_name
        FROM contract_context.contracts k
        LEFT JOIN project_context.customers c ON c.id = k.customer_id
        LEFT JOIN engineer_context.engineers e ON e.id = k.engineer_id
        WHERE k.side = 'SELL' AND k.status IN ('CONCLUDED', 'ACTIVE') AND k.deleted_at IS NULL
          AND k.end_date BETWEEN :first AND :last ORDER BY k.end_date, k.contract_number"""),
        {"first": first, "last": last}).all()


def _contracts_ending(period: Period) -> dict:
    rows = ending_contracts(period.month)
    return {"items": [(f"{r.contract_number} {r.title}", r.end_date,
                       " / ".join(filter(None, [r.customer_name, r.engineer_name]))) for r in rows],
            "empty_message": _l("翌月に終了する契約はありません。")}


ACTIVITY = (("ProjectOrdered", _l("受注")), ("MatchingCompleted", _l("マッチング成立")),
            ("ContractSigned", _l("契約締結")), ("InvoiceIssued", _l("請求書発行")))


def _activity(period: Period) -> dict:
    months = kpis.months_back(period.month, min(period.months, 6))
    rows = db.session.execute(text("""
        SELECT date_trunc('month', target_date)::date AS month, metric_key, count(*) AS n
        FROM report_context.analytics_data
        WHERE category = 'event' AND deleted_at IS NULL AND target_date BETWEEN :first AND :last
        GROUP BY 1, 2"""), {"first": months[0], "last": kpis.add_months(months[-1], 1)}).all()
    counts = {(r.month, r.metric_key): r.n for r in rows}
    return {"columns": [_l("月"), *[label for _, label in ACTIVITY]],
            "units": ["MONTH", *["COUNT"] * len(ACTIVITY)],
            "rows": [[m, *[counts.get((m, key), 0) for key, _ in ACTIVITY]] for m in months]}


_register(WidgetKind("bench_list", "LIST", _l("待機中の技術者"), STAFF, _bench_list))
_register(WidgetKind("contracts_ending", "LIST", _l("翌月終了の契約"), STAFF, _contracts_ending))
_register(WidgetKind("activity", "TABLE", _l("受注・マッチングの件数"), STAFF, _activity))
