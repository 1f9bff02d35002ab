"""The design's operations for administrators: monitoring views, materialized view refresh,
the archive function, partitions, KPI snapshots and the job queue.  Everything runs as the
administrator's database role."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from ..core.i18n import lazy_gettext as _l
from ..core.jobs import jobs
from ..extensions import db
from .generation import ReportError
from .kpis import months_back, snapshot

MATERIALIZED_VIEWS = ("integrated_dashboard_stats", "monthly_revenue_stats", "skill_name_usage")
PARTITIONED = ("timesheet_context.timesheets", "billing_context.invoices",
               "report_context.analytics_data", "notification_context.notifications")


def monitoring() -> dict:
    return {
        "long_running": db.session.execute(text(
            "SELECT pid, usename, application_name, state, query_start, duration, query"
            " FROM public.long_running_queries ORDER BY duration DESC")).mappings().all(),
        "indexes": db.session.execute(text(
            "SELECT schemaname, tablename, indexname, idx_scan, idx_tup_read, idx_tup_fetch,"
            " efficiency_rate FROM public.index_usage_stats WHERE schemaname NOT IN ('procrastinate')"
            " ORDER BY idx_scan DESC, indexname LIMIT 40")).mappings().all(),
        "unused_indexes": db.session.execute(text(
            "SELECT count(*) FROM public.index_usage_stats WHERE idx_scan = 0")).scalar(),
        "metrics": db.session.execute(text(
            "SELECT metric_name, metric_value FROM public.performance_metrics")).all(),
    }


def view_status() -> list[dict]:
    """Each materialized view: populated?, its last refresh (any outcome) and last success."""
    rows = []
    for view in MATERIALIZED_VIEWS:
        populated = db.session.execute(text(
            "SELECT ispopulated FROM pg_matviews WHERE schemaname = 'report_context'"
            " AND matviewname = :v"), {"v": view}).scalar()
        last = db.session.execute(text(
            "SELECT started_at, finished_at, duration_ms, status, error FROM report_context.view_refreshes"
            " WHERE view_name = :v ORDER BY started_at DESC LIMIT 1"), {"v": view}).mappings().first()
        rows.append({"name": view, "populated": populated, "last": last})
    return rows


def refresh_views() -> object:
    return db.session.execute(text("SELECT report_context.refresh_materialized_views()")).scalar()


@jobs.periodic(cron="*/15 * * * *", name="reports.refresh_views", queue="reports")
def scheduled_refresh(timestamp: int) -> object:
    return refresh_views()


def run_archive(cutoff: date, today: date) -> list:
    """``archive_old_data(cutoff)``: soft-deletes finished records older than ``cutoff``."""
    if cutoff >= today:
        raise ReportError("cutoff", _l("基準日は今日より前の日付を指定してください。"))
    return db.session.execute(text(
        "SELECT context_name, table_name, archived_count, archive_status"
        " FROM public.archive_old_data(:d)"), {"d": cutoff}).all()


def partitions() -> list:
    return db.session.execute(text("""
        SELECT parent.relnamespace::regnamespace::text || '.' || parent.relname AS parent,
               child.relname AS name, pg_get_expr(child.relpartbound, child.oid) AS bounds,
               greatest(child.reltuples, 0)::bigint AS rows_estimate,
               pg_total_relation_size(child.oid) AS bytes
        FROM pg_inherits i
        JOIN pg_class parent ON parent.oid = i.inhparent
        JOIN pg_class child ON child.oid = i.inhrelid
        WHERE parent.oid = ANY (CAST(:tables AS regclass[]))
        ORDER BY 1, 2"""), {"tables": list(PARTITIONED)}).mappings().all()


def partition_summary(rows: list) -> list[dict]:
    """Per partitioned table: how many partitions, the first and last, rows and bytes."""
    summary: dict[str, dict] = {}
    for row in rows:
        entry = summary.setdefault(row["parent"], {"parent": row["parent"], "count": 0, "first": row["name"],
                                                   "last": row["name"], "rows": 0, "bytes": 0, "items": []})
        entry["count"] += 1
        entry["last"] = row["name"]
        entry["rows"] += row["rows_estimate"]
        entry["bytes"] += row["bytes"]
        entry["items"].append(row)
    return list(summary.values())


def create_partitions_ahead(months: int = 12) -> int:
    return db.session.execute(text("SELECT platform.create_partitions_ahead(:m)"), {"m": months}).scalar()


def snapshot_months(last: date, count: int) -> int:
    return sum(snapshot(month) for month in months_back(last, count))


def job_queue() -> dict:
    return {
        "counts": db.session.execute(text(
            "SELECT queue_name, status::text AS status, count(*) AS n"
            " FROM procrastinate.procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2")).all(),
        "workers": db.session.execute(text(
            "SELECT id, last_heartbeat FROM procrastinate.procrastinate_workers"
            " ORDER BY last_heartbeat DESC")).all(),
    }
