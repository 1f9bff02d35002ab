"""Helpers for the Alembic revisions, which run the design's SQL files in ``migrations/sql``.

The SQL files read like the design document (one file per context, then views, indexes and
security), and each revision runs the files of its phase.
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"

BUSINESS_SCHEMAS = ("project_context", "engineer_context", "matching_context", "contract_context",
                    "timesheet_context", "billing_context", "report_context", "notification_context")
ALL_SCHEMAS = ("platform", *BUSINESS_SCHEMAS)


def execute_script(sql: str) -> None:
    """Run a multi-statement script as is (no parameter parsing, so '%' stays literal)."""
    cursor = op.get_bind().connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def run_sql_files(*names: str) -> None:
    for name in names:
        execute_script((SQL_DIR / name).read_text(encoding="utf-8"))


def function_from(name: str, function: str) -> str:
    """The ``CREATE FUNCTION <function>(...) ... $$;`` statement of the SQL file ``name``, as
    ``CREATE OR REPLACE``: a downgrade restores a function of an earlier revision from the file
    that made it, instead of restating its body."""
    sql = (SQL_DIR / name).read_text(encoding="utf-8")
    start = sql.index(f"CREATE FUNCTION {function}(")
    opening = sql.index("$$", start)
    closing = sql.index("$$;", opening + 2)
    return "CREATE OR REPLACE" + sql[start + len("CREATE"):closing + 3] + "\n"


def drop_schemas(*schemas: str) -> None:
    execute_script("".join(f"DROP SCHEMA IF EXISTS {s} CASCADE;\n" for s in schemas))


def empty_schemas(*schemas: str) -> None:
    """Drop everything inside the schemas but keep the schemas (created by revision 0001)."""
    execute_script("".join(f"DROP SCHEMA {s} CASCADE; CREATE SCHEMA {s};\n" for s in schemas))
