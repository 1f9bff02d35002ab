"""Phase 2, supporting contexts: Matching, Timesheet, Billing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from app.core.migration_sql import empty_schemas, run_sql_files

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("matching_context_ddl.sql", "timesheet_context_ddl.sql", "billing_context_ddl.sql")


def downgrade():
    empty_schemas("billing_context", "timesheet_context", "matching_context")
