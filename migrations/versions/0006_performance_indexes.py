"""create_performance_indexes: common, context-specific and GIN indexes of the design.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("performance_indexes.sql")


def downgrade():
    # Every index this revision made carries the comment set by platform.tag_index().
    execute_script("""
        DO $$
        DECLARE r record;
        BEGIN
            FOR r IN SELECT n.nspname, c.relname
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('i', 'I') AND NOT c.relispartition
                       AND obj_description(c.oid, 'pg_class') = 'create_performance_indexes'
            LOOP
                EXECUTE format('DROP INDEX %I.%I', r.nspname, r.relname);
            END LOOP;
        END $$;
        DROP FUNCTION platform.create_common_indexes(text[]);
        DROP FUNCTION platform.tag_index(regclass);
    """)
