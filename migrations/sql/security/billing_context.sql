-- Billing Context policies.
--   finance: everything (invoice runs, payments, journal, exports);
--   customer: its own company's issued invoices (never drafts), their lines and payments --
--     the customer portal; another customer's invoice simply does not exist for it;
--   project manager: reads issued invoices and lines (margins of their cases) and issuers;
--   engineer, partner: nothing.

CREATE POLICY finance_access ON billing_context.issuers FOR ALL TO ses_finance_role USING (true) WITH CHECK (true);
CREATE POLICY staff_read ON billing_context.issuers FOR SELECT TO ses_project_manager_role USING (true);

CREATE POLICY finance_access ON billing_context.invoice_number_sequences FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

CREATE POLICY finance_access ON billing_context.invoices FOR ALL TO ses_finance_role USING (true) WITH CHECK (true);
CREATE POLICY customer_own_invoices ON billing_context.invoices FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()) AND status <> 'DRAFT');
CREATE POLICY project_manager_read ON billing_context.invoices FOR SELECT TO ses_project_manager_role
    USING (status <> 'DRAFT');

CREATE POLICY finance_access ON billing_context.invoice_billing_items FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_invoice ON billing_context.invoice_billing_items FOR SELECT
    TO ses_customer_role, ses_project_manager_role
    USING (invoice_id IN (SELECT i.id FROM billing_context.invoices i));

CREATE POLICY finance_access ON billing_context.invoice_payments FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_invoice ON billing_context.invoice_payments FOR SELECT TO ses_customer_role
    USING (invoice_id IN (SELECT i.id FROM billing_context.invoices i));

CREATE POLICY finance_access ON billing_context.accounting_entries FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

REVOKE ALL ON ALL TABLES IN SCHEMA billing_context FROM ses_engineer_role, ses_partner_role;
REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing_context FROM ses_customer_role,
    ses_project_manager_role;
REVOKE ALL ON billing_context.accounting_entries, billing_context.invoice_number_sequences
    FROM ses_customer_role, ses_project_manager_role;
REVOKE ALL ON billing_context.issuers FROM ses_customer_role;
REVOKE ALL ON billing_context.invoice_payments FROM ses_project_manager_role;
