-- A request resolves its session without writing: last_seen_at is moved only when it is more
-- than a minute old (the idle timeout's granularity), and ``touched`` says whether it was, so the
-- application commits that write at once and otherwise carries on in the same transaction.  The
-- function of platform.sql updated the row on every request -- a new row version, its triggers,
-- WAL and a commit flush each time.
DROP FUNCTION platform.resolve_session(text, interval, boolean);
CREATE FUNCTION platform.resolve_session(p_token_sha256 text, p_idle interval, p_touch boolean DEFAULT true)
RETURNS TABLE (session_id uuid, user_id uuid, email text, display_name text, role text,
               engineer_id uuid, customer_id uuid, partner_company_id uuid, locale text, touched boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
DECLARE
    found_session record;
BEGIN
    SELECT s.id AS session_id, s.last_seen_at, u.id AS user_id, u.email, u.display_name, u.role,
           u.engineer_id, u.customer_id, u.partner_company_id, u.locale
      INTO found_session
      FROM platform.user_sessions s
      JOIN platform.users u ON u.id = s.user_id
     WHERE s.token_sha256 = p_token_sha256
       AND s.revoked_at IS NULL AND s.deleted_at IS NULL
       AND s.expires_at > now()
       AND s.last_seen_at > now() - p_idle
       AND u.is_active AND u.deleted_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    touched := p_touch AND found_session.last_seen_at < now() - interval '1 minute';
    IF touched THEN
        UPDATE platform.user_sessions SET last_seen_at = now() WHERE id = found_session.session_id;
    END IF;
    session_id := found_session.session_id;
    user_id := found_session.user_id;
    email := found_session.email;
    display_name := found_session.display_name;
    role := found_session.role;
    engineer_id := found_session.engineer_id;
    customer_id := found_session.customer_id;
    partner_company_id := found_session.partner_company_id;
    locale := found_session.locale;
    RETURN NEXT;
END;
$$;
REVOKE ALL ON FUNCTION platform.resolve_session(text, interval, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.resolve_session(text, interval, boolean) TO ses_app;
