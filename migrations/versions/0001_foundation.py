"""Foundation: extensions, the eight context schemas, the shared kernel and common functions.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from app.core.migration_sql import BUSINESS_SCHEMAS, drop_schemas, execute_script, run_sql_files

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("foundation.sql", "platform.sql")


def downgrade():
    drop_schemas("platform", *BUSINESS_SCHEMAS)
    execute_script("""
        DROP FUNCTION IF EXISTS public.update_updated_at() CASCADE;
        DROP FUNCTION IF EXISTS public.increment_version() CASCADE;
        DROP FUNCTION IF EXISTS public.soft_delete() CASCADE;
        DROP FUNCTION IF EXISTS public.validate_cross_context_references() CASCADE;
        DROP FUNCTION IF EXISTS public.validate_cross_context_reference(text, text, uuid);
        DROP FUNCTION IF EXISTS public.encrypt_personal_data(text);
        DROP FUNCTION IF EXISTS public.decrypt_personal_data(text);
        DROP EXTENSION IF EXISTS btree_gist;
        DROP EXTENSION IF EXISTS pg_trgm;
        DROP EXTENSION IF EXISTS pgcrypto;
    """)
