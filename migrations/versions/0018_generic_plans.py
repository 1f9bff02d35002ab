"""Plans the server keeps generic: an employee's last twelve months of overtime from
timesheet_context.overtime_history instead of a statement planned again against the monthly
partitions on every month page and every save of a day, and a timesheet's month (0017) generic
from its first call on a connection.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("generic_plans.sql")


def downgrade():
    execute_script("ALTER FUNCTION timesheet_context.timesheet_period(uuid) RESET plan_cache_mode;"
                   " DROP FUNCTION timesheet_context.overtime_history(uuid, smallint, smallint);")
