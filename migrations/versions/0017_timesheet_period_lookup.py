"""A timesheet's month from its id (timesheet_context.timesheet_period), so the month page reads
the timesheet in its own partition instead of planning all 36.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("timesheet_period_lookup.sql")


def downgrade():
    execute_script("DROP FUNCTION timesheet_context.timesheet_period(uuid);")
