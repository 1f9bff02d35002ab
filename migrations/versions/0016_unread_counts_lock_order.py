"""The unread counters a transaction changes are locked in user_id order first (the event handler
and the archive), so two of them sharing users cannot deadlock over the counters.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, function_from, run_sql_files

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("unread_counts_lock_order.sql")


def downgrade():
    # The archive of revision 0005 again, from the file that made it.
    execute_script(function_from("integrated_views.sql", "public.archive_old_data")
                   + "DROP FUNCTION notification_context.lock_unread_counts(uuid[]);")
