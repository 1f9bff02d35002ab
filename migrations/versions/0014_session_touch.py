"""Resolving a session writes only when its last activity is more than a minute old, and says
whether it wrote.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, function_from, run_sql_files

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("session_touch.sql")


def downgrade():
    # The function of the baseline again, from the file that made it (its signature is the same,
    # its body differs; dropped first as the migration's own statements did).
    execute_script("DROP FUNCTION platform.resolve_session(text, interval, boolean);\n"
                   + function_from("platform.sql", "platform.resolve_session")
                   + "REVOKE ALL ON FUNCTION platform.resolve_session(text, interval, boolean) FROM PUBLIC;\n"
                   "GRANT EXECUTE ON FUNCTION platform.resolve_session(text, interval, boolean) TO ses_app;\n")
