-- Revision 0016: the unread counters a transaction is about to change are locked in user_id
-- order, so two transactions that notify (or archive the notifications of) several of the same
-- users cannot deadlock over them.
--
-- The counters' row triggers (revision 0012) lock a user's counter when that user's unread
-- notifications change, in the order the rows are written: the event handler in the order of
-- its rules and recipients, the archive in the order of the rows it updates.  Two such
-- transactions sharing two users in opposite orders would each wait for the other until
-- PostgreSQL aborted one.  Both now call lock_unread_counts() with every user concerned first.

CREATE FUNCTION notification_context.lock_unread_counts(p_users uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    u uuid;
BEGIN
    FOR u IN SELECT DISTINCT x FROM unnest(p_users) AS x WHERE x IS NOT NULL ORDER BY 1 LOOP
        PERFORM 1 FROM notification_context.unread_counts WHERE user_id = u FOR UPDATE;
        IF NOT FOUND THEN
            -- a first notification for this user: the counter is made now, still in order (a
            -- concurrent maker of the same counter is waited for by the unique index)
            INSERT INTO notification_context.unread_counts (user_id, unread) VALUES (u, 0)
            ON CONFLICT (user_id) DO NOTHING;
            PERFORM 1 FROM notification_context.unread_counts WHERE user_id = u FOR UPDATE;
        END IF;
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION notification_context.lock_unread_counts(uuid[]) FROM PUBLIC;
-- The event handler and the archive run as the administrator (jobs act as the system).
GRANT EXECUTE ON FUNCTION notification_context.lock_unread_counts(uuid[]) TO ses_admin_role;

-- The archive of revision 0005, taking the counters of the notifications it archives first.
CREATE OR REPLACE FUNCTION public.archive_old_data(cutoff_date date)
RETURNS TABLE (context_name text, table_name text, archived_count integer, archive_status text)
LANGUAGE plpgsql AS $$
DECLARE
    context_table record;
    n integer;
BEGIN
    FOR context_table IN
        SELECT 'project_context' AS schema_name, 'projects' AS tbl,
               'status IN (''COMPLETED'', ''CANCELLED'', ''LOST'') AND end_date < $1' AS archive_condition
        UNION ALL
        SELECT 'timesheet_context', 'timesheets', 'status = ''APPROVED'' AND period_date < $1'
        UNION ALL
        SELECT 'billing_context', 'invoices', 'status = ''PAID'' AND invoice_date < $1'
        UNION ALL
        SELECT 'notification_context', 'notifications', 'status IN (''SENT'', ''READ'') AND created_at < $1'
    LOOP
        BEGIN
            IF context_table.tbl = 'notifications' THEN
                PERFORM notification_context.lock_unread_counts(ARRAY(
                    SELECT DISTINCT recipient_user_id FROM notification_context.notifications
                    WHERE status IN ('SENT', 'READ') AND created_at < cutoff_date
                      AND deleted_at IS NULL AND read_at IS NULL));
            END IF;
            EXECUTE format(
                'UPDATE %I.%I SET deleted_at = CURRENT_TIMESTAMP WHERE %s AND deleted_at IS NULL',
                context_table.schema_name, context_table.tbl, context_table.archive_condition
            ) USING cutoff_date;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, n, 'SUCCESS'::text;
        EXCEPTION WHEN OTHERS THEN
            RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, 0, SQLERRM::text;
        END;
    END LOOP;
    RETURN;
END;
$$;
