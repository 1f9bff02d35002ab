-- Revision 0009: the skill names suggested by the engineer list's skill filter, most used first.
--
-- Aggregating all skill assessments (21,000 rows in a company of 5,000 engineers) on every view
-- of the engineer list cost 4-13 ms; the suggestions only need to be about right, so they are a
-- materialized view refreshed with the other report views (every 15 minutes by the worker, after
-- demo and scale loads).  Only the roles of the engineer list read it (admin, project managers),
-- and both see every engineer's skills under row level security, so the view shows them nothing
-- they could not count themselves.

CREATE MATERIALIZED VIEW report_context.skill_name_usage AS
SELECT skill_name, count(*) AS engineers
FROM engineer_context.skill_assessments
WHERE deleted_at IS NULL
GROUP BY skill_name;

CREATE UNIQUE INDEX idx_skill_name_usage_name ON report_context.skill_name_usage (skill_name);
CREATE INDEX idx_skill_name_usage_rank ON report_context.skill_name_usage (engineers DESC, skill_name);
GRANT SELECT ON report_context.skill_name_usage TO ses_admin_role, ses_project_manager_role;

-- Every materialized view of report_context, in name order (the list was written out before).
CREATE OR REPLACE FUNCTION report_context.refresh_materialized_views() RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, report_context AS $$
DECLARE
    v text;
    t0 timestamptz;
BEGIN
    FOR v IN SELECT matviewname FROM pg_matviews WHERE schemaname = 'report_context' ORDER BY 1 LOOP
        t0 := clock_timestamp();
        BEGIN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY report_context.%I', v);
            INSERT INTO report_context.view_refreshes (view_name, started_at, finished_at, duration_ms,
                                                      status, triggered_by)
            VALUES (v, t0, clock_timestamp(),
                    (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer, 'DONE',
                    platform.current_user_id());
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO report_context.view_refreshes (view_name, started_at, finished_at, duration_ms,
                                                      status, error, triggered_by)
            VALUES (v, t0, clock_timestamp(),
                    (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer, 'FAILED', SQLERRM,
                    platform.current_user_id());
        END;
    END LOOP;
    RETURN clock_timestamp();
END;
$$;
