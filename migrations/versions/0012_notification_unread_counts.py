"""The bell's unread count from notification_context.unread_counts, kept exact by row
triggers on notifications.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("notification_unread_counts.sql")


def downgrade():
    execute_script("""
        DROP TRIGGER trigger_notifications_unread_insert ON notification_context.notifications;
        DROP TRIGGER trigger_notifications_unread_update ON notification_context.notifications;
        DROP TRIGGER trigger_notifications_unread_delete ON notification_context.notifications;
        DROP FUNCTION notification_context.recount_unread();
        DROP FUNCTION notification_context.count_unread_change();
        DROP FUNCTION notification_context.add_unread(uuid, integer);
        DROP TABLE notification_context.unread_counts;
    """)
