"""An index on platform.users.role: staff pickers and the users_directory policy.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("users_role_index.sql")


def downgrade():
    execute_script("DROP INDEX platform.idx_users_role;")
