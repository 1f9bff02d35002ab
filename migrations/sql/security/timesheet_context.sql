-- Timesheet Context policies (the design's engineer_timesheet_access, and the approval chain).
--   engineer: their own timesheets; may edit only while DRAFT or RETURNED, and may move them to
--     SUBMITTED -- a submitted or closed month is locked by the database, not only the UI;
--   partner: its engineers' timesheets from submission on (BP confirmation step);
--   project manager: timesheets of the cases they can see (approval, adjustments);
--   customer: its own contracts' timesheets, only from the confirmation step on (作業実績確認);
--   finance: reads everything (billing), marks adjustments as billed.

CREATE POLICY engineer_timesheet_access ON timesheet_context.timesheets FOR SELECT TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY engineer_timesheet_create ON timesheet_context.timesheets FOR INSERT TO ses_engineer_role
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()) AND status = 'DRAFT');
CREATE POLICY engineer_timesheet_edit ON timesheet_context.timesheets FOR UPDATE TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()) AND status IN ('DRAFT', 'RETURNED'))
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id())
                AND status IN ('DRAFT', 'RETURNED', 'SUBMITTED'));
CREATE POLICY partner_confirmation ON timesheet_context.timesheets FOR SELECT TO ses_partner_role
    USING (partner_company_id = (SELECT platform.current_partner_id()) AND status <> 'DRAFT');
CREATE POLICY partner_confirmation_update ON timesheet_context.timesheets FOR UPDATE TO ses_partner_role
    USING (partner_company_id = (SELECT platform.current_partner_id()) AND status = 'SUBMITTED')
    WITH CHECK (partner_company_id = (SELECT platform.current_partner_id())
                AND status IN ('PARTNER_CONFIRMED', 'RETURNED'));
CREATE POLICY project_manager_access ON timesheet_context.timesheets FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY customer_confirmation ON timesheet_context.timesheets FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id())
           AND status IN ('MANAGER_APPROVED', 'APPROVED'));
CREATE POLICY customer_confirmation_update ON timesheet_context.timesheets FOR UPDATE TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()) AND status = 'MANAGER_APPROVED')
    WITH CHECK (customer_id = (SELECT platform.current_customer_id()) AND status IN ('APPROVED', 'RETURNED'));
CREATE POLICY finance_read ON timesheet_context.timesheets FOR SELECT TO ses_finance_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON timesheet_context.timesheets FROM ses_finance_role;
REVOKE INSERT, DELETE ON timesheet_context.timesheets FROM ses_customer_role, ses_partner_role;
REVOKE DELETE ON timesheet_context.timesheets FROM ses_engineer_role;

-- Daily rows follow their timesheet; the engineer writes them only while it is editable.
CREATE POLICY visible_timesheet ON timesheet_context.daily_attendances FOR SELECT
    TO ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
CREATE POLICY engineer_edit_open_month ON timesheet_context.daily_attendances FOR ALL TO ses_engineer_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t
                            WHERE t.status IN ('DRAFT', 'RETURNED')))
    WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t
                                 WHERE t.status IN ('DRAFT', 'RETURNED')));
CREATE POLICY project_manager_access ON timesheet_context.daily_attendances FOR ALL TO ses_project_manager_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
REVOKE INSERT, UPDATE, DELETE ON timesheet_context.daily_attendances FROM ses_partner_role,
    ses_customer_role, ses_finance_role;

-- Approval steps: everyone who sees the timesheet sees its history; each actor records their own
-- decision.
CREATE POLICY visible_timesheet ON timesheet_context.timesheet_approval_steps FOR SELECT
    TO ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
CREATE POLICY actor_records_decision ON timesheet_context.timesheet_approval_steps FOR INSERT
    TO ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role
    WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t)
                AND actor_user_id = (SELECT platform.current_user_id()));
REVOKE UPDATE, DELETE ON timesheet_context.timesheet_approval_steps FROM ses_engineer_role,
    ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role;
REVOKE INSERT ON timesheet_context.timesheet_approval_steps FROM ses_finance_role;

-- Adjustments after close.
CREATE POLICY project_manager_access ON timesheet_context.timesheet_adjustments FOR ALL TO ses_project_manager_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
CREATE POLICY finance_billing ON timesheet_context.timesheet_adjustments FOR SELECT TO ses_finance_role
    USING (true);
CREATE POLICY finance_billing_update ON timesheet_context.timesheet_adjustments FOR UPDATE TO ses_finance_role
    USING (status IN ('APPROVED', 'BILLED')) WITH CHECK (status IN ('APPROVED', 'BILLED'));
CREATE POLICY engineer_own ON timesheet_context.timesheet_adjustments FOR SELECT TO ses_engineer_role
    USING (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t));
REVOKE INSERT, DELETE ON timesheet_context.timesheet_adjustments FROM ses_finance_role;
REVOKE INSERT, UPDATE, DELETE ON timesheet_context.timesheet_adjustments FROM ses_engineer_role,
    ses_customer_role, ses_partner_role;
REVOKE SELECT ON timesheet_context.timesheet_adjustments FROM ses_customer_role, ses_partner_role;
