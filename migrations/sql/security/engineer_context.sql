-- Engineer Context policies.
--   project manager / sales: the whole pool and partner companies (they staff cases);
--   finance: reads engineers and partners (purchases, payments), maintains partner terms;
--   engineer: their own row and their own skills, certifications, availability, history
--     (the design's engineer_self_access);
--   partner: its own company and its own engineers (read);
--   customer: no access to the schema at all (granted nothing in 00_common.sql).

CREATE POLICY project_manager_access ON engineer_context.partner_companies FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY finance_read ON engineer_context.partner_companies FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY finance_update ON engineer_context.partner_companies FOR UPDATE TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY partner_own_company ON engineer_context.partner_companies FOR SELECT TO ses_partner_role
    USING (id = (SELECT platform.current_partner_id()));
CREATE POLICY engineer_own_partner ON engineer_context.partner_companies FOR SELECT TO ses_engineer_role
    USING (id IN (SELECT e.partner_company_id FROM engineer_context.engineers e));
REVOKE INSERT, UPDATE, DELETE ON engineer_context.partner_companies FROM ses_engineer_role, ses_partner_role;
REVOKE INSERT, DELETE ON engineer_context.partner_companies FROM ses_finance_role;

CREATE POLICY project_manager_access ON engineer_context.engineers FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY finance_read ON engineer_context.engineers FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY engineer_self_access ON engineer_context.engineers FOR SELECT TO ses_engineer_role
    USING (id = (SELECT platform.current_engineer_id()));
CREATE POLICY engineer_self_update ON engineer_context.engineers FOR UPDATE TO ses_engineer_role
    USING (id = (SELECT platform.current_engineer_id()))
    WITH CHECK (id = (SELECT platform.current_engineer_id()));
CREATE POLICY partner_own_engineers ON engineer_context.engineers FOR SELECT TO ses_partner_role
    USING (partner_company_id = (SELECT platform.current_partner_id()));
REVOKE INSERT, DELETE ON engineer_context.engineers FROM ses_engineer_role;
REVOKE INSERT, UPDATE, DELETE ON engineer_context.engineers FROM ses_partner_role, ses_finance_role;
-- An engineer may edit their profile, not their placement or commercial data.
REVOKE UPDATE ON engineer_context.engineers FROM ses_engineer_role;
GRANT UPDATE (full_name_kana, email, phone_encrypted, address_encrypted, bank_account_encrypted,
              nearest_station, work_style_preference, desired_rate, available_from, japanese_level,
              work_authorization, work_authorization_expires_on, experience_years, roles, skills,
              summary)
    ON engineer_context.engineers TO ses_engineer_role;

-- The engineer's own sub-records: full access to their own; staff all; partner reads its own.
CREATE POLICY project_manager_access ON engineer_context.skill_assessments FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY engineer_self_access ON engineer_context.skill_assessments FOR ALL TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()))
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY visible_engineer ON engineer_context.skill_assessments FOR SELECT TO ses_finance_role, ses_partner_role
    USING (engineer_id IN (SELECT e.id FROM engineer_context.engineers e));

CREATE POLICY project_manager_access ON engineer_context.certifications FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY engineer_self_access ON engineer_context.certifications FOR ALL TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()))
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY visible_engineer ON engineer_context.certifications FOR SELECT TO ses_finance_role, ses_partner_role
    USING (engineer_id IN (SELECT e.id FROM engineer_context.engineers e));

CREATE POLICY project_manager_access ON engineer_context.availability_periods FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY engineer_self_access ON engineer_context.availability_periods FOR ALL TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()))
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY visible_engineer ON engineer_context.availability_periods FOR SELECT TO ses_finance_role, ses_partner_role
    USING (engineer_id IN (SELECT e.id FROM engineer_context.engineers e));

CREATE POLICY project_manager_access ON engineer_context.work_histories FOR ALL TO ses_project_manager_role
    USING (true) WITH CHECK (true);
CREATE POLICY engineer_self_access ON engineer_context.work_histories FOR ALL TO ses_engineer_role
    USING (engineer_id = (SELECT platform.current_engineer_id()))
    WITH CHECK (engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY visible_engineer ON engineer_context.work_histories FOR SELECT TO ses_finance_role, ses_partner_role
    USING (engineer_id IN (SELECT e.id FROM engineer_context.engineers e));

REVOKE INSERT, UPDATE, DELETE ON engineer_context.skill_assessments, engineer_context.certifications,
    engineer_context.availability_periods, engineer_context.work_histories
    FROM ses_finance_role, ses_partner_role;
