"""勤怠・工数管理 (Timesheet Context): monthly timesheets, daily attendance, approval, adjustments.

Tables live in the ``timesheet_context`` schema (migrations/sql/timesheet_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("timesheets", __name__, url_prefix="/timesheets")

from . import models  # noqa: E402,F401
