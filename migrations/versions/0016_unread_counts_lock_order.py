"""The unread counters a transaction changes are locked in user_id order first (the event handler
and the archive), so two of them sharing users cannot deadlock over the counters.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("unread_counts_lock_order.sql")


def downgrade():
    # The archive of revision 0005 again (baseline SQL files are never edited, so it is restated).
    execute_script("""
        CREATE OR REPLACE FUNCTION public.archive_old_data(cutoff_date date)
        RETURNS TABLE (context_name text, table_name text, archived_count integer, archive_status text)
        LANGUAGE plpgsql AS $$
        DECLARE
            context_table record;
            n integer;
        BEGIN
            FOR context_table IN
                SELECT 'project_context' AS schema_name, 'projects' AS tbl,
                       'status IN (''COMPLETED'', ''CANCELLED'', ''LOST'') AND end_date < $1' AS archive_condition
                UNION ALL
                SELECT 'timesheet_context', 'timesheets', 'status = ''APPROVED'' AND period_date < $1'
                UNION ALL
                SELECT 'billing_context', 'invoices', 'status = ''PAID'' AND invoice_date < $1'
                UNION ALL
                SELECT 'notification_context', 'notifications', 'status IN (''SENT'', ''READ'') AND created_at < $1'
            LOOP
                BEGIN
                    EXECUTE format(
                        'UPDATE %I.%I SET deleted_at = CURRENT_TIMESTAMP WHERE %s AND deleted_at IS NULL',
                        context_table.schema_name, context_table.tbl, context_table.archive_condition
                    ) USING cutoff_date;
                    GET DIAGNOSTICS n = ROW_COUNT;
                    RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, n, 'SUCCESS'::text;
                EXCEPTION WHEN OTHERS THEN
                    RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, 0, SQLERRM::text;
                END;
            END LOOP;
            RETURN;
        END;
        $$;
        DROP FUNCTION notification_context.lock_unread_counts(uuid[]);
    """)
