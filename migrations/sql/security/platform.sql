-- Platform (shared kernel) policies.

-- Users: nobody reads password hashes through SQL (login goes through platform.login_lookup);
-- staff are visible to everyone by name, other users only to themselves.
REVOKE SELECT, INSERT, UPDATE, DELETE ON platform.users FROM ses_project_manager_role, ses_engineer_role,
    ses_customer_role, ses_finance_role, ses_partner_role;
REVOKE SELECT ON platform.users FROM ses_admin_role;
GRANT SELECT (id, email, display_name, role, engineer_id, customer_id, partner_company_id, locale,
              is_active, last_login_at, password_changed_at, created_at, updated_at, deleted_at, version)
    ON platform.users TO ses_admin_role, ses_project_manager_role, ses_engineer_role,
       ses_customer_role, ses_finance_role, ses_partner_role;
GRANT UPDATE (display_name, locale) ON platform.users TO ses_project_manager_role, ses_engineer_role,
    ses_customer_role, ses_finance_role, ses_partner_role;

CREATE POLICY users_directory ON platform.users FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (id = (SELECT platform.current_user_id()) OR role IN ('admin', 'project_manager', 'finance'));
CREATE POLICY users_self_update ON platform.users FOR UPDATE
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (id = (SELECT platform.current_user_id()))
    WITH CHECK (id = (SELECT platform.current_user_id()));

-- Sessions and login attempts: only the SECURITY DEFINER login functions write them;
-- administrators may look.
REVOKE ALL ON platform.user_sessions, platform.login_attempts FROM ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
REVOKE INSERT, UPDATE, DELETE ON platform.user_sessions, platform.login_attempts FROM ses_admin_role;

-- Domain events: every workflow records them; only the worker (admin role) reads and updates
-- them, apart from a user seeing the events they caused.
REVOKE UPDATE, DELETE ON platform.domain_events FROM ses_project_manager_role, ses_engineer_role,
    ses_customer_role, ses_finance_role, ses_partner_role;
CREATE POLICY events_record ON platform.domain_events FOR INSERT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    WITH CHECK (actor_user_id IS NOT DISTINCT FROM (SELECT platform.current_user_id()));
CREATE POLICY events_own ON platform.domain_events FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (actor_user_id = (SELECT platform.current_user_id()));

-- Company calendar: everyone reads, administrators edit.
REVOKE INSERT, UPDATE, DELETE ON platform.company_closures FROM ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
CREATE POLICY closures_read ON platform.company_closures FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (true);
