"""レポート・分析管理 (Report Context): KPIs, dashboards, analytics, report PDFs.

Tables live in the ``report_context`` schema (migrations/sql/report_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
