-- Timesheet Context policies (the design's engineer_timesheet_access, and the approval chain).
--   engineer: their own timesheets; may edit only while DRAFT or RETURNED, and may move them to
--     SUBMITTED -- a submitted or closed month is locked by the database, not only the UI;
--   partner: its engineers' timesheets from submission on (BP confirmation step);
--   project manager: timesheets of the cases they can see (approval, adjustments);
--   customer: its own contracts' timesheets, only from the confirmation step on (作業実績確認);
--   finance: reads everything (billing), marks adjustments as billed, and records the approved
--     monthly hours of customers who send their own timesheet format (IMPORTED, closed).
-- Column grants keep each role to the columns its step changes (an engineer cannot move their
-- timesheet to another contract or customer).

CREATE POLICY engineer_timesheet_access ON timesheet_context.timesheets FOR SELECT TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY engineer_timesheet_create ON timesheet_context.timesheets FOR INSERT TO ses_engineer_role
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()) AND status = 'DRAFT'
                AND source = 'ATTENDANCE'
                AND EXISTS (SELECT 1 FROM contract_context.contracts c
                            WHERE c.id = contract_id AND c.engineer_id = timesheets.engineer_id
                              AND c.customer_id = timesheets.customer_id
                              AND c.project_id = timesheets.project_id)
                AND partner_company_id IS NOT DISTINCT FROM (
                    SELECT e.partner_company_id FROM engineer_context.engineers e
                    WHERE e.id = timesheets.engineer_id));
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
    WITH CHECK (customer_id = (SELECT platform.current_customer_id()) AND status = 'APPROVED');
-- Sending back goes through timesheet_context.customer_return() (see the DDL).
GRANT EXECUTE ON FUNCTION timesheet_context.customer_return(uuid, integer, integer, integer)
    TO ses_customer_role;
CREATE POLICY finance_read ON timesheet_context.timesheets FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY finance_import ON timesheet_context.timesheets FOR INSERT TO ses_finance_role
    WITH CHECK (source = 'IMPORTED' AND status = 'APPROVED');
CREATE POLICY finance_import_update ON timesheet_context.timesheets FOR UPDATE TO ses_finance_role
    USING (status = 'DRAFT' AND worked_minutes = 0)
    WITH CHECK (source = 'IMPORTED' AND status = 'APPROVED');
REVOKE DELETE ON timesheet_context.timesheets FROM ses_finance_role, ses_engineer_role;
REVOKE INSERT, DELETE ON timesheet_context.timesheets FROM ses_customer_role, ses_partner_role;
REVOKE UPDATE ON timesheet_context.timesheets FROM ses_engineer_role, ses_partner_role, ses_customer_role;
GRANT UPDATE (status, work_summary, worked_minutes, billable_hours, submitted_at)
    ON timesheet_context.timesheets TO ses_engineer_role;
GRANT UPDATE (status) ON timesheet_context.timesheets TO ses_partner_role;
GRANT UPDATE (status, approved_at, closed_at) ON timesheet_context.timesheets TO ses_customer_role;

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
    TO ses_engineer_role, ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role
    WITH CHECK (timesheet_id IN (SELECT t.id FROM timesheet_context.timesheets t)
                AND actor_user_id = (SELECT platform.current_user_id()));
REVOKE UPDATE, DELETE ON timesheet_context.timesheet_approval_steps FROM ses_engineer_role,
    ses_partner_role, ses_project_manager_role, ses_customer_role, ses_finance_role;

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
