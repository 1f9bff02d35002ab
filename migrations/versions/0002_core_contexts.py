"""Phase 1, core contexts: Project, Engineer, Contract.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from app.core.migration_sql import empty_schemas, run_sql_files

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("project_context_ddl.sql", "engineer_context_ddl.sql", "contract_context_ddl.sql")


def downgrade():
    empty_schemas("contract_context", "engineer_context", "project_context")
