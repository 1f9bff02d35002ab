"""Background jobs: procrastinate's schema, the in-transaction enqueue and the outbox trigger.

procrastinate's tables and functions come from the installed package's own ``schema.sql`` and
live in the schema ``procrastinate`` (outside the RLS-forced context schemas: its connections
run as the login role ``ses_app`` without a role switch).  Its functions name their tables
without a schema, so every procrastinate connection sets ``search_path=procrastinate``
(``app.core.jobs``).  Upgrading procrastinate means a new revision running the package's
migration files the same way; ``pyproject.toml`` pins the minor version until then.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from procrastinate.schema import SchemaManager

from app.core.migration_sql import execute_script, run_sql_files

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    execute_script("CREATE SCHEMA procrastinate;")
    execute_script("SET LOCAL search_path = procrastinate, pg_catalog;\n" + SchemaManager.get_schema())
    execute_script("SET LOCAL search_path = \"$user\", public;")
    run_sql_files("jobs.sql")


def downgrade():
    execute_script("""
        DROP TRIGGER trigger_domain_events_enqueue ON platform.domain_events;
        DROP FUNCTION platform.enqueue_domain_event();
        REVOKE ALL ON SCHEMA procrastinate FROM ses_app, ses_admin_role, ses_project_manager_role,
            ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
        DROP SCHEMA procrastinate CASCADE;
    """)
