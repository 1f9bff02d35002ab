-- Contract Context policies.
--   project manager / sales: contracts of the cases they can see (both sides of the chain),
--     their amendments and signatures; reads templates;
--   finance: reads every contract (billing, purchases, margins) and registers existing ones
--     (the billing area's CSV import of contracts with their settlement terms);
--   customer: its own SELL contracts (never our purchase side), signs them;
--   partner: its own BUY contracts, signs them;
--   engineer: their own contracts' dates and place of work, without prices (column grants).

CREATE POLICY staff_read ON contract_context.contract_templates FOR SELECT
    TO ses_project_manager_role, ses_finance_role, ses_customer_role, ses_partner_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON contract_context.contract_templates FROM ses_project_manager_role,
    ses_finance_role, ses_customer_role, ses_partner_role, ses_engineer_role;
REVOKE SELECT ON contract_context.contract_templates FROM ses_engineer_role;

CREATE POLICY project_manager_access ON contract_context.contracts FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY finance_read ON contract_context.contracts FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY customer_own_contracts ON contract_context.contracts FOR SELECT TO ses_customer_role
    USING (side = 'SELL' AND customer_id = (SELECT platform.current_customer_id()));
CREATE POLICY partner_own_contracts ON contract_context.contracts FOR SELECT TO ses_partner_role
    USING (side = 'BUY' AND partner_company_id = (SELECT platform.current_partner_id()));
CREATE POLICY engineer_own_contracts ON contract_context.contracts FOR SELECT TO ses_engineer_role
    USING (side = 'SELL' AND engineer_id = (SELECT platform.current_engineer_id()));
CREATE POLICY finance_import ON contract_context.contracts FOR INSERT TO ses_finance_role
    WITH CHECK (true);
REVOKE UPDATE, DELETE ON contract_context.contracts FROM ses_finance_role;
REVOKE INSERT, UPDATE, DELETE ON contract_context.contracts FROM ses_customer_role,
    ses_partner_role, ses_engineer_role;
-- Engineers see where and when they work, not what we charge.
REVOKE SELECT ON contract_context.contracts FROM ses_engineer_role;
GRANT SELECT (id, contract_number, contract_type, side, project_id, engineer_id, customer_id, title,
              status, start_date, end_date, settlement_method, lower_hours, upper_hours,
              hours_rounding_minutes, hours_rounding_scope, hours_rounding_mode, responsible_person,
              work_site, work_description, created_at, updated_at, deleted_at, version)
    ON contract_context.contracts TO ses_engineer_role;

-- Each side signs only for itself: our staff as OUR_COMPANY, the customer and the partner as
-- themselves (the check_signature trigger also matches the party to the side of the chain).
CREATE POLICY visible_contract ON contract_context.contract_signatures FOR SELECT
    TO ses_project_manager_role, ses_finance_role, ses_customer_role, ses_partner_role
    USING (contract_id IN (SELECT c.id FROM contract_context.contracts c));
CREATE POLICY our_company_signs ON contract_context.contract_signatures FOR INSERT
    TO ses_project_manager_role
    WITH CHECK (contract_id IN (SELECT c.id FROM contract_context.contracts c)
                AND signer_user_id = (SELECT platform.current_user_id())
                AND party = 'OUR_COMPANY');
CREATE POLICY counterparty_signs ON contract_context.contract_signatures FOR INSERT
    TO ses_customer_role, ses_partner_role
    WITH CHECK (contract_id IN (SELECT c.id FROM contract_context.contracts c)
                AND signer_user_id = (SELECT platform.current_user_id())
                AND party IN ('CUSTOMER', 'PARTNER'));
REVOKE UPDATE, DELETE ON contract_context.contract_signatures FROM ses_project_manager_role,
    ses_finance_role, ses_customer_role, ses_partner_role, ses_engineer_role;
REVOKE ALL ON contract_context.contract_signatures FROM ses_engineer_role;
REVOKE INSERT ON contract_context.contract_signatures FROM ses_finance_role;

CREATE POLICY project_manager_access ON contract_context.contract_amendments FOR ALL TO ses_project_manager_role
    USING (contract_id IN (SELECT c.id FROM contract_context.contracts c));
CREATE POLICY finance_read ON contract_context.contract_amendments FOR SELECT TO ses_finance_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON contract_context.contract_amendments FROM ses_finance_role,
    ses_customer_role, ses_partner_role, ses_engineer_role;
REVOKE SELECT ON contract_context.contract_amendments FROM ses_customer_role, ses_partner_role, ses_engineer_role;

GRANT USAGE ON SEQUENCE contract_context.contract_number_seq TO ses_admin_role, ses_project_manager_role,
    ses_finance_role;
