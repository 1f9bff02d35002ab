-- Shared kernel tables: users and their login sessions, login attempts (throttling), the
-- transactional outbox of domain events, and company closure days (business-day calendar).
-- Every table carries the common columns of the design.

CREATE TABLE platform.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    -- Application roles, each mapped onto one database role (app/auth/roles.py).
    role text NOT NULL CHECK (role IN ('admin', 'project_manager', 'engineer', 'customer',
                                       'finance', 'partner')),
    engineer_id uuid,            -- engineer_context.engineers, for role 'engineer'
    customer_id uuid,            -- project_context.customers, for role 'customer'
    partner_company_id uuid,     -- engineer_context.partner_companies, for role 'partner'
    locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
    is_active boolean NOT NULL DEFAULT true,
    password_hash text NOT NULL,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_users_role_link CHECK (
        (role = 'engineer') = (engineer_id IS NOT NULL)
        AND (role = 'customer') = (customer_id IS NOT NULL)
        AND (role = 'partner') = (partner_company_id IS NOT NULL))
);
CREATE UNIQUE INDEX uq_users_email ON platform.users (email) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_users_references
    BEFORE INSERT OR UPDATE ON platform.users
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'engineer_id', 'engineer_context', 'engineers',
        'customer_id', 'project_context', 'customers',
        'partner_company_id', 'engineer_context', 'partner_companies');

-- A login session: the cookie carries a random token, the database its SHA-256 only.
-- Logging out, disabling the user or a timeout ends it server-side.
CREATE TABLE platform.user_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES platform.users (id),
    token_sha256 text NOT NULL,
    ip_address inet,
    user_agent text,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_user_sessions_token ON platform.user_sessions (token_sha256);

CREATE TABLE platform.login_attempts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    ip_address inet,
    succeeded boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX idx_login_attempts_email_time ON platform.login_attempts (email, attempted_at DESC)
    WHERE NOT succeeded;
CREATE INDEX idx_login_attempts_ip_time ON platform.login_attempts (ip_address, attempted_at DESC)
    WHERE NOT succeeded;

-- Transactional outbox: a domain event is written in the same transaction as the change that
-- caused it, and delivered to handlers by the background worker after commit.
CREATE TABLE platform.domain_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type text NOT NULL CHECK (event_type ~ '^[A-Z][A-Za-z]+$'),
    source_context text NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id uuid NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    actor_user_id uuid,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PROCESSED', 'FAILED')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    processed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX idx_domain_events_pending ON platform.domain_events (occurred_at)
    WHERE status <> 'PROCESSED' AND deleted_at IS NULL;
CREATE INDEX idx_domain_events_aggregate ON platform.domain_events (aggregate_type, aggregate_id);
CREATE INDEX idx_domain_events_type_time ON platform.domain_events (event_type, occurred_at DESC);

-- 会社休業日: days the company is closed besides weekends, national holidays and 12/31-1/3.
CREATE TABLE platform.company_closures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    closure_date date NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_company_closures_date ON platform.company_closures (closure_date)
    WHERE deleted_at IS NULL;

SELECT platform.attach_common_triggers('platform');

-- ---------------------------------------------------------------------------------------------
-- Login and session functions.  The application's login role holds no table privileges: before
-- an identity exists (logging in, resolving a session cookie) it can only call these.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION platform.login_lookup(p_email text)
RETURNS TABLE (user_id uuid, password_hash text, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    SELECT id, password_hash, is_active FROM platform.users
    WHERE email = lower(p_email) AND deleted_at IS NULL
$$;

CREATE FUNCTION platform.recent_login_failures(p_email text, p_ip inet, p_window interval)
RETURNS TABLE (by_account integer, by_address integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    SELECT
        (SELECT count(*)::int FROM platform.login_attempts
         WHERE email = lower(p_email) AND NOT succeeded AND attempted_at > now() - p_window
           AND attempted_at > coalesce((SELECT max(attempted_at) FROM platform.login_attempts
                                        WHERE email = lower(p_email) AND succeeded), '-infinity')),
        (SELECT count(*)::int FROM platform.login_attempts
         WHERE ip_address = p_ip AND NOT succeeded AND attempted_at > now() - p_window)
$$;

CREATE FUNCTION platform.record_login_attempt(p_email text, p_ip inet, p_succeeded boolean)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    INSERT INTO platform.login_attempts (email, ip_address, succeeded)
    VALUES (lower(left(p_email, 254)), p_ip, p_succeeded)
$$;

CREATE FUNCTION platform.open_session(p_user_id uuid, p_token_sha256 text, p_ip inet,
                                      p_user_agent text, p_lifetime interval)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    INSERT INTO platform.user_sessions (user_id, token_sha256, ip_address, user_agent, expires_at)
    VALUES (p_user_id, p_token_sha256, p_ip, left(p_user_agent, 500), now() + p_lifetime);
    UPDATE platform.users SET last_login_at = now() WHERE id = p_user_id;
$$;

-- The user behind a live session, or nothing.  Touches last_seen_at at most once a minute --
-- unless p_touch is false: background polling (the notification bell) is not user activity and
-- must not keep an idle session alive.
CREATE FUNCTION platform.resolve_session(p_token_sha256 text, p_idle interval, p_touch boolean DEFAULT true)
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

CREATE FUNCTION platform.close_session(p_token_sha256 text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    UPDATE platform.user_sessions SET revoked_at = now()
    WHERE token_sha256 = p_token_sha256 AND revoked_at IS NULL
$$;

-- A user changes their own password (the hash is computed by the application).
CREATE FUNCTION platform.set_own_password(p_password_hash text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
    UPDATE platform.users SET password_hash = p_password_hash, password_changed_at = now()
    WHERE id = platform.current_user_id();
    UPDATE platform.user_sessions SET revoked_at = now()
    WHERE user_id = platform.current_user_id() AND revoked_at IS NULL
      AND token_sha256 <> coalesce(current_setting('app.current_session', true), '');
$$;

-- Disabling a user, or changing their role or password, ends their sessions at once.
CREATE FUNCTION platform.revoke_sessions_on_user_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, platform AS $$
BEGIN
    IF NOT NEW.is_active OR NEW.deleted_at IS NOT NULL OR NEW.role <> OLD.role
       OR (NEW.password_hash <> OLD.password_hash AND NEW.id IS DISTINCT FROM platform.current_user_id()) THEN
        UPDATE platform.user_sessions SET revoked_at = now()
        WHERE user_id = NEW.id AND revoked_at IS NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_users_revoke_sessions
    AFTER UPDATE ON platform.users
    FOR EACH ROW EXECUTE FUNCTION platform.revoke_sessions_on_user_change();

REVOKE ALL ON FUNCTION platform.login_lookup(text), platform.recent_login_failures(text, inet, interval),
    platform.record_login_attempt(text, inet, boolean),
    platform.open_session(uuid, text, inet, text, interval),
    platform.resolve_session(text, interval, boolean), platform.close_session(text),
    platform.set_own_password(text) FROM PUBLIC;
