-- Background jobs (procrastinate) and the hand-over from the transactional outbox.
--
-- procrastinate's own tables and functions are installed into the schema "procrastinate" by
-- revision 0008 from the installed package's schema.sql (search_path = procrastinate).  Its
-- connections run as the login role ses_app without a role switch, so the schema stays outside
-- the RLS-forced context schemas and ses_app gets plain privileges on it.
--
-- This file adds what the application needs on top: a way to enqueue a job inside the caller's
-- transaction (a job deferred by a request exists only if the request commits) and the trigger
-- that turns every committed domain event into a dispatch job.

-- procrastinate's functions (and trigger functions) name their tables without a schema: pin
-- their search_path so that they work from any connection (the admin page, a superuser's
-- maintenance, our SECURITY DEFINER functions), not only from procrastinate's own.  A revision
-- that upgrades procrastinate must run this loop again (CREATE OR REPLACE drops the setting).
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = 'procrastinate'::regnamespace
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = procrastinate, pg_catalog', f);
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA procrastinate TO ses_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA procrastinate TO ses_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA procrastinate TO ses_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA procrastinate TO ses_app;

-- Enqueue one job in the current transaction.  With a queueing lock, a job already waiting
-- under that lock is kept and NULL is returned (procrastinate's "already enqueued").
CREATE FUNCTION procrastinate.ses_defer_job(
    p_task_name text,
    p_queue_name text,
    p_args jsonb,
    p_queueing_lock text DEFAULT NULL,
    p_lock text DEFAULT NULL,
    p_scheduled_at timestamptz DEFAULT NULL,
    p_priority integer DEFAULT 0
) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = procrastinate, pg_catalog AS $$
DECLARE
    job_id bigint;
BEGIN
    INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, queueing_lock, args,
                                    scheduled_at)
    VALUES (p_queue_name, p_task_name, p_priority, p_lock, p_queueing_lock, p_args, p_scheduled_at)
    ON CONFLICT (queueing_lock) WHERE status = 'todo' DO NOTHING
    RETURNING id INTO job_id;
    RETURN job_id;
END;
$$;
REVOKE ALL ON FUNCTION procrastinate.ses_defer_job(text, text, jsonb, text, text, timestamptz, integer)
    FROM PUBLIC;
-- The business roles may only call this function (schema usage gives no table access).
GRANT USAGE ON SCHEMA procrastinate TO ses_admin_role, ses_project_manager_role, ses_engineer_role,
    ses_customer_role, ses_finance_role, ses_partner_role;
GRANT EXECUTE ON FUNCTION procrastinate.ses_defer_job(text, text, jsonb, text, text, timestamptz, integer)
    TO ses_app, ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role,
       ses_finance_role, ses_partner_role;

-- Outbox → queue: each domain event gets its dispatch job in the transaction that records it.
-- A rolled-back change leaves neither; a committed one always has both.
CREATE FUNCTION platform.enqueue_domain_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = procrastinate, pg_catalog AS $$
BEGIN
    PERFORM procrastinate.ses_defer_job('events.dispatch', 'events',
                                        jsonb_build_object('event_id', NEW.id),
                                        'event:' || NEW.id::text);
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION platform.enqueue_domain_event() FROM PUBLIC;

CREATE TRIGGER trigger_domain_events_enqueue
    AFTER INSERT ON platform.domain_events
    FOR EACH ROW WHEN (NEW.status = 'PENDING')
    EXECUTE FUNCTION platform.enqueue_domain_event();

-- The worker's scheduled jobs run as the administrator: let them read the queue's state for the
-- operations page.
GRANT SELECT ON procrastinate.procrastinate_jobs, procrastinate.procrastinate_periodic_defers,
    procrastinate.procrastinate_workers TO ses_admin_role;
