-- Report Context policies.
--   finance and project managers: read analytics, KPI definitions and values, report templates;
--     generate reports; finance sees every generated report, others their own;
--   everyone: their own dashboards and the default dashboard of their role; widgets follow the
--     dashboard.

CREATE POLICY staff_read ON report_context.analytics_data FOR SELECT
    TO ses_finance_role, ses_project_manager_role USING (true);
CREATE POLICY staff_read ON report_context.kpi_definitions FOR SELECT
    TO ses_finance_role, ses_project_manager_role USING (true);
-- KPI values only of the KPIs the role may see (money KPIs: administrators and finance)
CREATE POLICY staff_read ON report_context.kpi_values FOR SELECT
    TO ses_finance_role, ses_project_manager_role
    USING (kpi_definition_id IN (SELECT d.id FROM report_context.kpi_definitions d
                                 WHERE (SELECT platform.current_app_role()) = ANY (d.visible_roles)));
CREATE POLICY staff_read ON report_context.report_templates FOR SELECT
    TO ses_finance_role, ses_project_manager_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON report_context.analytics_data, report_context.kpi_definitions,
    report_context.kpi_values, report_context.report_templates
    FROM ses_finance_role, ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_partner_role;
REVOKE SELECT ON report_context.analytics_data, report_context.kpi_definitions,
    report_context.kpi_values, report_context.report_templates
    FROM ses_engineer_role, ses_customer_role, ses_partner_role;

CREATE POLICY finance_access ON report_context.generated_reports FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
-- project managers: their own reports, of the templates open to them
CREATE POLICY own_reports ON report_context.generated_reports FOR ALL TO ses_project_manager_role
    USING (requested_by = (SELECT platform.current_user_id()))
    WITH CHECK (requested_by = (SELECT platform.current_user_id())
                AND report_template_id IN (SELECT t.id FROM report_context.report_templates t
                                           WHERE 'project_manager' = ANY (t.allowed_roles)));
REVOKE ALL ON report_context.generated_reports FROM ses_engineer_role, ses_customer_role, ses_partner_role;

CREATE POLICY own_and_role_default ON report_context.dashboards FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (owner_user_id = (SELECT platform.current_user_id())
           OR (owner_user_id IS NULL AND role = (SELECT platform.current_app_role())));
CREATE POLICY own_dashboards ON report_context.dashboards FOR ALL
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (owner_user_id = (SELECT platform.current_user_id()))
    WITH CHECK (owner_user_id = (SELECT platform.current_user_id()));

CREATE POLICY visible_dashboard ON report_context.dashboard_widgets FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards d));
CREATE POLICY own_dashboard_widgets ON report_context.dashboard_widgets FOR ALL
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (dashboard_id IN (SELECT d.id FROM report_context.dashboards d
                            WHERE d.owner_user_id = (SELECT platform.current_user_id())))
    WITH CHECK (dashboard_id IN (SELECT d.id FROM report_context.dashboards d
                                 WHERE d.owner_user_id = (SELECT platform.current_user_id())));

-- Materialized view refresh log: administrators (the operations page) only.
REVOKE ALL ON report_context.view_refreshes FROM ses_project_manager_role, ses_engineer_role,
    ses_customer_role, ses_finance_role, ses_partner_role;
-- KPI snapshots are written by the owner's function, called by administrators and the worker.
GRANT EXECUTE ON FUNCTION report_context.snapshot_kpis(date) TO ses_admin_role;
