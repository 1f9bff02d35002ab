-- Revision 0012: the bell's unread count from a per-user counter kept by triggers.
--
-- Counting a user's unread notifications probed the partial index of each of the 36 monthly
-- partitions of notifications (the count has no date to prune by): 0.3-0.9 ms to run and 2-8 ms
-- to plan, on every page.  notification_context.unread_counts holds the number per user; the
-- row triggers below keep it exact for every insert, update (read, read-all, soft delete) and
-- delete, whoever makes them: only rows whose "unread" changes call them.  A user's counter row
-- is locked by their own changes until commit (reading all: one transaction).  Bulk loads
-- that skip triggers (the scale generator, session_replication_role = replica) call
-- recount_unread() afterwards; backups restore the counters with the notifications.

CREATE TABLE notification_context.unread_counts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,                     -- platform.users
    unread integer NOT NULL DEFAULT 0 CHECK (unread >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_unread_counts_user ON notification_context.unread_counts (user_id);
CREATE INDEX idx_unread_counts_created_at ON notification_context.unread_counts (created_at);
CREATE INDEX idx_unread_counts_updated_at ON notification_context.unread_counts (updated_at);
CREATE INDEX idx_unread_counts_deleted_at ON notification_context.unread_counts (deleted_at);
CREATE TRIGGER trigger_unread_counts_updated_at BEFORE UPDATE ON notification_context.unread_counts
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at();
CREATE TRIGGER trigger_unread_counts_version BEFORE UPDATE ON notification_context.unread_counts
    FOR EACH ROW EXECUTE FUNCTION public.increment_version();
CREATE TRIGGER trigger_unread_counts_soft_delete BEFORE DELETE ON notification_context.unread_counts
    FOR EACH ROW EXECUTE FUNCTION public.soft_delete();

ALTER TABLE notification_context.unread_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_context.unread_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_access ON notification_context.unread_counts FOR ALL TO ses_owner
    USING (true) WITH CHECK (true);
CREATE POLICY admin_access ON notification_context.unread_counts FOR SELECT TO ses_admin_role
    USING (true);
CREATE POLICY own_count ON notification_context.unread_counts FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (user_id = (SELECT platform.current_user_id()));
-- Only the triggers (as the owner) write the counters.
GRANT SELECT ON notification_context.unread_counts TO ses_admin_role, ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;

-- One notification more or less for a user.  A counter that would go below zero (or is missing
-- when a notification is read) is an error, never a silently wrong number.
CREATE FUNCTION notification_context.add_unread(p_user uuid, p_delta integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF p_delta > 0 THEN
        INSERT INTO notification_context.unread_counts AS c (user_id, unread) VALUES (p_user, p_delta)
        ON CONFLICT (user_id) DO UPDATE SET unread = c.unread + EXCLUDED.unread;
    ELSE
        UPDATE notification_context.unread_counts SET unread = unread + p_delta WHERE user_id = p_user;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no unread counter for user %: run notification_context.recount_unread()', p_user;
        END IF;
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION notification_context.add_unread(uuid, integer) FROM PUBLIC;

CREATE FUNCTION notification_context.count_unread_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.read_at IS NULL AND OLD.deleted_at IS NULL THEN
        PERFORM notification_context.add_unread(OLD.recipient_user_id, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.read_at IS NULL AND NEW.deleted_at IS NULL THEN
        PERFORM notification_context.add_unread(NEW.recipient_user_id, 1);
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION notification_context.count_unread_change() FROM PUBLIC;

-- Row triggers (cloned onto every partition): a soft delete updates the partition itself, which
-- a statement trigger of the parent would not see.
CREATE TRIGGER trigger_notifications_unread_insert AFTER INSERT ON notification_context.notifications
    FOR EACH ROW WHEN (NEW.read_at IS NULL AND NEW.deleted_at IS NULL)
    EXECUTE FUNCTION notification_context.count_unread_change();
CREATE TRIGGER trigger_notifications_unread_update AFTER UPDATE ON notification_context.notifications
    FOR EACH ROW WHEN ((OLD.read_at IS NULL AND OLD.deleted_at IS NULL)
                       <> (NEW.read_at IS NULL AND NEW.deleted_at IS NULL)
                       OR OLD.recipient_user_id <> NEW.recipient_user_id)
    EXECUTE FUNCTION notification_context.count_unread_change();
CREATE TRIGGER trigger_notifications_unread_delete AFTER DELETE ON notification_context.notifications
    FOR EACH ROW WHEN (OLD.read_at IS NULL AND OLD.deleted_at IS NULL)
    EXECUTE FUNCTION notification_context.count_unread_change();

-- Rebuild every counter from the notifications (after a load that skipped the triggers).
CREATE FUNCTION notification_context.recount_unread() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    n integer;
BEGIN
    DELETE FROM notification_context.unread_counts;
    INSERT INTO notification_context.unread_counts (user_id, unread)
    SELECT recipient_user_id, count(*) FROM notification_context.notifications
    WHERE read_at IS NULL AND deleted_at IS NULL GROUP BY 1;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION notification_context.recount_unread() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notification_context.recount_unread() TO ses_admin_role;

SELECT notification_context.recount_unread();
