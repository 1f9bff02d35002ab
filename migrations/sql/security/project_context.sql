-- Project Context policies.
--   project manager / sales: all customers; cases they manage or sell (the design's
--     project_manager_access), and their requirements, phases and milestones;
--   finance: reads customers and cases, maintains customers' billing terms;
--   customer: its own company and its own company's cases;
--   engineer: the cases of their own contracts (read);
--   partner: nothing.

-- Customers
CREATE POLICY project_manager_access ON project_context.customers FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY finance_read ON project_context.customers FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY finance_update ON project_context.customers FOR UPDATE TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY customer_own_company ON project_context.customers FOR SELECT TO ses_customer_role
    USING (id = (SELECT platform.current_customer_id()));
REVOKE INSERT, UPDATE, DELETE ON project_context.customers FROM ses_customer_role, ses_engineer_role, ses_partner_role;
REVOKE INSERT, DELETE ON project_context.customers FROM ses_finance_role;

CREATE POLICY project_manager_access ON project_context.customer_contacts FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY finance_read ON project_context.customer_contacts FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY customer_own_company ON project_context.customer_contacts FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()));
REVOKE INSERT, UPDATE, DELETE ON project_context.customer_contacts FROM ses_customer_role,
    ses_engineer_role, ses_partner_role, ses_finance_role;

-- Projects (案件)
CREATE POLICY project_manager_access ON project_context.projects FOR ALL TO ses_project_manager_role
    USING (project_manager_id = (SELECT platform.current_user_id())
           OR sales_manager_id = (SELECT platform.current_user_id()));
CREATE POLICY finance_read ON project_context.projects FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY customer_own_projects ON project_context.projects FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()));
CREATE POLICY engineer_contract_projects ON project_context.projects FOR SELECT TO ses_engineer_role
    USING (id IN (SELECT c.project_id FROM contract_context.contracts c));
REVOKE INSERT, UPDATE, DELETE ON project_context.projects FROM ses_customer_role, ses_engineer_role,
    ses_partner_role, ses_finance_role;

-- Requirements, phases and milestones follow the visibility of their case.
CREATE POLICY project_manager_access ON project_context.project_requirements FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY visible_project ON project_context.project_requirements FOR SELECT
    TO ses_finance_role, ses_customer_role, ses_engineer_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));

CREATE POLICY project_manager_access ON project_context.project_phases FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY visible_project ON project_context.project_phases FOR SELECT
    TO ses_finance_role, ses_customer_role, ses_engineer_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));

CREATE POLICY project_manager_access ON project_context.project_milestones FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY visible_project ON project_context.project_milestones FOR SELECT
    TO ses_finance_role, ses_customer_role, ses_engineer_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));

REVOKE INSERT, UPDATE, DELETE ON project_context.project_requirements, project_context.project_phases,
    project_context.project_milestones FROM ses_customer_role, ses_engineer_role, ses_partner_role,
    ses_finance_role;
