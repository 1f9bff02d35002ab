"""A project manager's contracts through the index on project_id (policy as = ANY (ARRAY(...))).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("contract_policy_index.sql")


def downgrade():
    execute_script("""
        ALTER POLICY project_manager_access ON contract_context.contracts
            USING (project_id IN (SELECT p.id FROM project_context.projects p));
    """)
