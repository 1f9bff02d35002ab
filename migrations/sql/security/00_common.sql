-- setup_security_policies.sql, part 1: what every table gets.
--   * row level security enabled AND forced (the owner is subject to it too);
--   * owner_access for ses_owner (migrations, SECURITY DEFINER functions);
--   * admin_access for ses_admin_role (全コンテキスト管理者アクセス);
--   * table privileges for the business roles, whose rows the policies then decide.
-- Partitions get no grants: they are reachable only through their parent, whose policies apply.

CREATE FUNCTION platform.enable_row_level_security(p_schemas text[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    n integer := 0;
BEGIN
    FOR t IN
        SELECT ns.nspname AS sch, c.relname AS tbl
        FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = ANY (p_schemas) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', t.sch, t.tbl);
        EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', t.sch, t.tbl);
        EXECUTE format('CREATE POLICY owner_access ON %I.%I FOR ALL TO ses_owner USING (true) WITH CHECK (true)',
                       t.sch, t.tbl);
        EXECUTE format('CREATE POLICY admin_access ON %I.%I FOR ALL TO ses_admin_role USING (true) WITH CHECK (true)',
                       t.sch, t.tbl);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO ses_admin_role, '
                       'ses_project_manager_role, ses_engineer_role, ses_customer_role, '
                       'ses_finance_role, ses_partner_role', t.sch, t.tbl);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;

SELECT platform.enable_row_level_security(ARRAY['platform', 'project_context', 'engineer_context',
    'matching_context', 'contract_context', 'timesheet_context', 'billing_context',
    'report_context', 'notification_context']);

GRANT USAGE ON SCHEMA platform, project_context, engineer_context, matching_context,
    contract_context, timesheet_context, billing_context, report_context, notification_context
    TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_customer_role,
       ses_finance_role, ses_partner_role;
-- Customers and partners have nothing to do with matching; customers see no engineer at all.
REVOKE USAGE ON SCHEMA matching_context FROM ses_customer_role, ses_partner_role, ses_engineer_role;
REVOKE USAGE ON SCHEMA engineer_context FROM ses_customer_role;
REVOKE ALL ON ALL TABLES IN SCHEMA matching_context FROM ses_customer_role, ses_partner_role, ses_engineer_role;
REVOKE ALL ON ALL TABLES IN SCHEMA engineer_context FROM ses_customer_role;

GRANT USAGE ON ALL SEQUENCES IN SCHEMA billing_context TO ses_admin_role, ses_finance_role;

-- The login role itself reads nothing: it may only resolve sessions and log people in.
GRANT USAGE ON SCHEMA platform TO ses_app;
GRANT EXECUTE ON FUNCTION platform.login_lookup(text), platform.recent_login_failures(text, inet, interval),
    platform.record_login_attempt(text, inet, boolean),
    platform.open_session(uuid, text, inet, text, interval),
    platform.resolve_session(text, interval, boolean), platform.close_session(text) TO ses_app;
GRANT EXECUTE ON FUNCTION platform.set_own_password(text), platform.close_session(text) TO ses_admin_role,
    ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;

-- Personal data: readable by staff and by the engineer themself, never by customers/partners.
GRANT EXECUTE ON FUNCTION public.encrypt_personal_data(text), public.decrypt_personal_data(text)
    TO ses_admin_role, ses_project_manager_role, ses_engineer_role, ses_finance_role;

-- Operations (admin page, scheduled jobs).
GRANT EXECUTE ON FUNCTION platform.create_partitions_ahead(integer), platform.create_partitions(date, date),
    public.archive_old_data(date),
    report_context.refresh_materialized_views() TO ses_admin_role;
GRANT SELECT ON public.long_running_queries, public.index_usage_stats, public.performance_metrics
    TO ses_admin_role;
GRANT SELECT ON report_context.integrated_dashboard_stats TO ses_admin_role, ses_project_manager_role,
    ses_finance_role;
GRANT SELECT ON report_context.monthly_revenue_stats TO ses_admin_role, ses_finance_role;
