-- Revision 0011: a timesheet's daily rows and approval steps are checked against that one
-- timesheet, in its month's partition only.
--
-- The policies said "timesheet_id IN (SELECT t.id FROM timesheets t)": a sub-plan over all 36
-- monthly partitions of timesheets (the query's own period cannot reach into it), planned twice
-- for an engineer (visible + editable), on every read of a month page: 2-20 ms of planning for a
-- query that runs in 0.3 ms.  timesheet_visible() looks the row's timesheet up by its full key
-- (id, period_year, period_month) -- the columns of the rows' foreign key -- so the partition is
-- pruned: at planning for the first calls of a session, at executor start-up in the generic plan
-- PL/pgSQL keeps afterwards.  It runs with the caller's rights: the timesheets policies decide,
-- exactly as the sub-select did.  The daily rows are always read by timesheet (an index scan of
-- one month's ~20 rows), so one call per row costs ~10 microseconds.

CREATE FUNCTION timesheet_context.timesheet_visible(p_id uuid, p_year smallint, p_month smallint,
                                                    p_open_only boolean)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM timesheet_context.timesheets t
                   WHERE t.id = p_id AND t.period_year = p_year AND t.period_month = p_month
                     AND (NOT p_open_only OR t.status IN ('DRAFT', 'RETURNED')));
END;
$$;
GRANT EXECUTE ON FUNCTION timesheet_context.timesheet_visible(uuid, smallint, smallint, boolean)
    TO ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role;

ALTER POLICY visible_timesheet ON timesheet_context.daily_attendances
    USING (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, false));
ALTER POLICY engineer_edit_open_month ON timesheet_context.daily_attendances
    USING (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, true))
    WITH CHECK (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, true));
ALTER POLICY project_manager_access ON timesheet_context.daily_attendances
    USING (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, false));

ALTER POLICY visible_timesheet ON timesheet_context.timesheet_approval_steps
    USING (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, false));
ALTER POLICY actor_records_decision ON timesheet_context.timesheet_approval_steps
    WITH CHECK (timesheet_context.timesheet_visible(timesheet_id, period_year, period_month, false)
                AND actor_user_id = (SELECT platform.current_user_id()));
