"""Resolving a session writes only when its last activity is more than a minute old, and says
whether it wrote.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("session_touch.sql")


def downgrade():
    execute_script("""
        DROP FUNCTION platform.resolve_session(text, interval, boolean);
        CREATE FUNCTION platform.resolve_session(p_token_sha256 text, p_idle interval,
                                                            p_touch boolean DEFAULT true)
        RETURNS TABLE (session_id uuid, user_id uuid, email text, display_name text, role text,
                       engineer_id uuid, customer_id uuid, partner_company_id uuid, locale text)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
        BEGIN
            RETURN QUERY
            UPDATE platform.user_sessions s
               SET last_seen_at = CASE WHEN p_touch AND s.last_seen_at < now() - interval '1 minute'
                                       THEN now() ELSE s.last_seen_at END
              FROM platform.users u
             WHERE s.token_sha256 = p_token_sha256
               AND u.id = s.user_id
               AND s.revoked_at IS NULL AND s.deleted_at IS NULL
               AND s.expires_at > now()
               AND s.last_seen_at > now() - p_idle
               AND u.is_active AND u.deleted_at IS NULL
            RETURNING s.id, u.id, u.email, u.display_name, u.role, u.engineer_id, u.customer_id,
                      u.partner_company_id, u.locale;
        END;
        $$;
        REVOKE ALL ON FUNCTION platform.resolve_session(text, interval, boolean) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION platform.resolve_session(text, interval, boolean) TO ses_app;
    """)
