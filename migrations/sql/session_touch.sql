-- A request resolves its session without writing: last_seen_at is moved only when it is more
-- than a minute old (the idle timeout's granularity).  The function of platform.sql updated the
-- row on every request -- a new row version, its triggers, WAL and a commit flush each time.
CREATE OR REPLACE FUNCTION platform.resolve_session(p_token_sha256 text, p_idle interval, p_touch boolean DEFAULT true)
RETURNS TABLE (session_id uuid, user_id uuid, email text, display_name text, role text,
               engineer_id uuid, customer_id uuid, partner_company_id uuid, locale text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
BEGIN
    RETURN QUERY
    SELECT s.id, u.id, u.email, u.display_name, u.role, u.engineer_id, u.customer_id,
           u.partner_company_id, u.locale
      FROM platform.user_sessions s
      JOIN platform.users u ON u.id = s.user_id
     WHERE s.token_sha256 = p_token_sha256
       AND s.revoked_at IS NULL AND s.deleted_at IS NULL
       AND s.expires_at > now()
       AND s.last_seen_at > now() - p_idle
       AND u.is_active AND u.deleted_at IS NULL;
    IF FOUND AND p_touch THEN
        UPDATE platform.user_sessions SET last_seen_at = now()
         WHERE token_sha256 = p_token_sha256 AND last_seen_at < now() - interval '1 minute';
    END IF;
END;
$$;
