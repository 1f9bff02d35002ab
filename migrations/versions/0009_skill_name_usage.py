"""The engineer list's skill suggestions from a materialized view (report_context.skill_name_usage),
refreshed with the other report views.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from app.core.migration_sql import SQL_DIR, execute_script, run_sql_files

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("skill_name_usage.sql")


def _original_refresh_function() -> str:
    """refresh_materialized_views() as revision 0005 created it (its two views written out)."""
    text = (SQL_DIR / "integrated_views.sql").read_text(encoding="utf-8")
    start = text.index("CREATE FUNCTION report_context.refresh_materialized_views()")
    end = text.index("$$;", start) + len("$$;")
    return text[start:end].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def downgrade():
    execute_script("DROP MATERIALIZED VIEW report_context.skill_name_usage;\n" + _original_refresh_function())
