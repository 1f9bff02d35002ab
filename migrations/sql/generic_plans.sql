-- Revision 0018: plans the server keeps generic.
--
-- An employee's last twelve months of overtime for the 36協定 checks, read on every
-- month page and every save of a day.
--
-- As a statement from the client, with the twelve months named so that the planner prunes the
-- other monthly partitions, it was planned again on every call (~1.8 ms of planning for ~0.15 ms of
-- work): PostgreSQL keeps choosing a custom plan for a statement over partitions whose pruning
-- depends on its parameters.  Here the plan is generic (plan_cache_mode for this function only)
-- and kept by the server process; the months are pruned when it starts, from the parameters.
-- It runs with the caller's rights: the months of timesheets the role may not see are not summed.

CREATE FUNCTION timesheet_context.overtime_history(p_engineer uuid, p_year smallint, p_month smallint)
RETURNS TABLE (period_year smallint, period_month smallint, overtime_minutes bigint,
               legal_holiday_minutes bigint)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    -- the first of the twelve months ending with (p_year, p_month)
    first_year smallint := CASE WHEN p_month = 12 THEN p_year ELSE p_year - 1 END;
    first_month smallint := p_month % 12 + 1;
BEGIN
    RETURN QUERY
    SELECT t.period_year, t.period_month, sum((t.work_summary ->> 'overtime_minutes')::int),
           sum((t.work_summary ->> 'legal_holiday_minutes')::int)
    FROM timesheet_context.timesheets t
    WHERE t.engineer_id = p_engineer AND t.deleted_at IS NULL AND t.work_summary ? 'overtime_minutes'
      AND ((t.period_year = first_year AND t.period_month >= first_month)
           OR (t.period_year = p_year AND t.period_month <= p_month))
    GROUP BY t.period_year, t.period_month
    ORDER BY t.period_year, t.period_month;
END;
$$;
GRANT EXECUTE ON FUNCTION timesheet_context.overtime_history(uuid, smallint, smallint)
    TO ses_admin_role, ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role,
       ses_finance_role;

-- A timesheet's month from its id (revision 0017): the id does not say which partition holds it,
-- so each of the first five calls on a server connection was planned against all 36 partitions
-- (~2.6 ms) before PostgreSQL settled on the generic plan (an index probe per partition, ~0.1 ms).
ALTER FUNCTION timesheet_context.timesheet_period(uuid) SET plan_cache_mode = force_generic_plan;
