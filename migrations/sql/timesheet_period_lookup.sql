-- Revision 0017: a timesheet's month from its id, so the page can read the timesheet by its
-- full key (id, period_year, period_month) in the one partition that holds it.
--
-- Read by id alone, the timesheet's query is planned against all 36 monthly partitions:
-- ~2.7 ms of planning until PostgreSQL keeps a generic plan of a prepared statement -- after five
-- calls on a connection, or never when statements are not prepared (behind PgBouncer < 1.21).
-- PL/pgSQL keeps its queries' plans in the server process whatever the client does, so this
-- lookup is planned a few times per server connection and then costs only its index probes.
-- It runs with the caller's rights: what the role may not see has no month.

CREATE FUNCTION timesheet_context.timesheet_period(p_id uuid)
RETURNS TABLE (period_year smallint, period_month smallint) LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY SELECT t.period_year, t.period_month FROM timesheet_context.timesheets t
                 WHERE t.id = p_id AND t.deleted_at IS NULL;
END;
$$;
GRANT EXECUTE ON FUNCTION timesheet_context.timesheet_period(uuid)
    TO ses_admin_role, ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role,
       ses_finance_role;
