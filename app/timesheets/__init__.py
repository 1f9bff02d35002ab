"""勤怠・工数管理 (Timesheet Context): monthly timesheets, daily attendance, approval, adjustments.

Tables live in the ``timesheet_context`` schema (migrations/sql/timesheet_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("timesheets", __name__, url_prefix="/timesheets")

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import models, routes, staff  # noqa: E402,F401

nav.register(_l("勤務表"), "timesheets.index", {"engineer", "admin", "project_manager", "finance"}, order=50)
nav.register(_l("勤務表の確認"), "timesheets.partner_queue", {"partner"}, order=10)
nav.register(_l("作業実績確認"), "timesheets.customer_queue", {"customer"}, order=10)

from . import labels as _labels  # noqa: E402

bp.add_app_template_global(_labels, "timesheet_labels")
