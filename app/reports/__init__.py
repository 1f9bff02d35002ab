"""レポート・分析管理 (Report Context): KPIs, dashboards, analytics, report PDFs, operations.

Tables live in the ``report_context`` schema (migrations/sql/report_context_ddl.sql); the KPI
functions and the materialized views in migrations/sql/integrated_views.sql.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import analytics, ops_routes, report_routes, routes  # noqa: E402,F401

# The dashboard is the first entry, hence the home page, of the staff roles.
nav.register(_l("ダッシュボード"), "reports.dashboard", {"admin", "project_manager", "finance"}, order=1)
nav.register(_l("レポート"), "reports.reports", {"admin", "project_manager", "finance"}, order=700)
nav.register(_l("運用"), "reports.operations_page", {"admin"}, order=860)
