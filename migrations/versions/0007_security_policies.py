"""setup_security_policies: row level security, policies and grants for every table.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from app.core.migration_sql import ALL_SCHEMAS, SQL_DIR, execute_script, run_sql_files

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ROLES = ("ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, "
         "ses_finance_role, ses_partner_role")


def upgrade():
    files = sorted(p.name for p in (SQL_DIR / "security").glob("*.sql"))
    run_sql_files(*(f"security/{name}" for name in files))


def downgrade():
    schemas = ", ".join(f"'{s}'" for s in ALL_SCHEMAS)
    execute_script(f"""
        DO $$
        DECLARE r record;
        BEGIN
            FOR r IN SELECT schemaname, tablename, policyname FROM pg_policies
                     WHERE schemaname IN ({schemas})
            LOOP
                EXECUTE format('DROP POLICY %I ON %I.%I', r.policyname, r.schemaname, r.tablename);
            END LOOP;
            FOR r IN SELECT n.nspname, c.relname FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ({schemas}) AND c.relkind IN ('r', 'p')
            LOOP
                EXECUTE format('ALTER TABLE %I.%I NO FORCE ROW LEVEL SECURITY', r.nspname, r.relname);
                EXECUTE format('ALTER TABLE %I.%I DISABLE ROW LEVEL SECURITY', r.nspname, r.relname);
                EXECUTE format('REVOKE ALL ON %I.%I FROM {ROLES}', r.nspname, r.relname);
            END LOOP;
        END $$;
        REVOKE ALL ON SCHEMA {", ".join(ALL_SCHEMAS)} FROM {ROLES}, ses_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA billing_context FROM {ROLES};
        REVOKE ALL ON report_context.integrated_dashboard_stats, report_context.monthly_revenue_stats,
            public.long_running_queries, public.index_usage_stats, public.performance_metrics
            FROM {ROLES};
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA platform, public, report_context FROM {ROLES}, ses_app;
        DROP FUNCTION platform.enable_row_level_security(text[]);
    """)
