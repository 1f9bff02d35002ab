"""Daily rows and approval steps checked against their own timesheet's partition
(timesheet_context.timesheet_visible) instead of a sub-select over every month.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("timesheet_policy_pruning.sql")


def downgrade():
    execute_script("""
        ALTER POLICY visible_timesheet ON timesheet_context.daily_attendances
            USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
        ALTER POLICY engineer_edit_open_month ON timesheet_context.daily_attendances
            USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t
                                    WHERE t.status IN ('DRAFT', 'RETURNED')))
            WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t
                                         WHERE t.status IN ('DRAFT', 'RETURNED')));
        ALTER POLICY project_manager_access ON timesheet_context.daily_attendances
            USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
        ALTER POLICY visible_timesheet ON timesheet_context.timesheet_approval_steps
            USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
        ALTER POLICY actor_records_decision ON timesheet_context.timesheet_approval_steps
            WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t)
                        AND actor_user_id = (SELECT platform.current_user_id()));
        DROP FUNCTION timesheet_context.timesheet_visible(uuid, smallint, smallint, boolean);
    """)
