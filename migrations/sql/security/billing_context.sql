-- Billing Context policies.
--   finance: everything (invoice runs, payments, journal, exports, payment notices);
--   customer: its own company's issued invoices (never drafts), their lines, payments, audit
--     trail and its credit balance -- the customer portal; another customer's invoice simply
--     does not exist for it;
--   partner: its own issued payment notices (支払通知書) and their lines and payments;
--   project manager: reads issued invoices and lines (margins of their cases) and issuers;
--   engineer: nothing.
-- Records that are facts (payments, credits, journal lines, the audit trail) are never updated
-- or deleted by anyone: the grants say so, and triggers refuse it even to the administrator.

CREATE POLICY finance_access ON billing_context.issuers FOR ALL TO ses_finance_role USING (true) WITH CHECK (true);
CREATE POLICY staff_read ON billing_context.issuers FOR SELECT TO ses_project_manager_role USING (true);

CREATE POLICY finance_access ON billing_context.invoice_number_sequences FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

CREATE POLICY finance_access ON billing_context.invoice_runs FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

CREATE POLICY finance_access ON billing_context.invoices FOR ALL TO ses_finance_role USING (true) WITH CHECK (true);
CREATE POLICY customer_own_invoices ON billing_context.invoices FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()) AND status <> 'DRAFT');
CREATE POLICY project_manager_read ON billing_context.invoices FOR SELECT TO ses_project_manager_role
    USING (status <> 'DRAFT');

CREATE POLICY finance_access ON billing_context.invoice_extras FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

CREATE POLICY finance_access ON billing_context.invoice_billing_items FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_invoice ON billing_context.invoice_billing_items FOR SELECT
    TO ses_customer_role, ses_project_manager_role
    USING (invoice_id IN (SELECT i.id FROM billing_context.invoices i));

CREATE POLICY finance_access ON billing_context.invoice_payments FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_invoice ON billing_context.invoice_payments FOR SELECT TO ses_customer_role
    USING (invoice_id IN (SELECT i.id FROM billing_context.invoices i));

CREATE POLICY finance_access ON billing_context.customer_credits FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY customer_own_credits ON billing_context.customer_credits FOR SELECT TO ses_customer_role
    USING (customer_id = (SELECT platform.current_customer_id()));

CREATE POLICY finance_read ON billing_context.invoice_status_history FOR SELECT TO ses_finance_role USING (true);
CREATE POLICY visible_invoice ON billing_context.invoice_status_history FOR SELECT TO ses_customer_role
    USING (invoice_id IN (SELECT i.id FROM billing_context.invoices i));

CREATE POLICY finance_access ON billing_context.accounting_entries FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);

CREATE POLICY staff_read ON billing_context.input_tax_deduction_rates FOR SELECT
    TO ses_finance_role, ses_project_manager_role USING (true);

CREATE POLICY finance_access ON billing_context.purchase_statements FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY partner_own_statements ON billing_context.purchase_statements FOR SELECT TO ses_partner_role
    USING (partner_company_id = (SELECT platform.current_partner_id()) AND status <> 'DRAFT');

CREATE POLICY finance_access ON billing_context.purchase_statement_lines FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_statement ON billing_context.purchase_statement_lines FOR SELECT TO ses_partner_role
    USING (statement_id IN (SELECT s.id FROM billing_context.purchase_statements s));

CREATE POLICY finance_access ON billing_context.purchase_payments FOR ALL TO ses_finance_role
    USING (true) WITH CHECK (true);
CREATE POLICY visible_statement ON billing_context.purchase_payments FOR SELECT TO ses_partner_role
    USING (statement_id IN (SELECT s.id FROM billing_context.purchase_statements s));

REVOKE ALL ON ALL TABLES IN SCHEMA billing_context FROM ses_engineer_role;
REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing_context FROM ses_customer_role,
    ses_project_manager_role, ses_partner_role;
-- Customers: only the portal's tables.
REVOKE ALL ON billing_context.accounting_entries, billing_context.invoice_number_sequences,
    billing_context.invoice_runs, billing_context.invoice_extras, billing_context.issuers,
    billing_context.input_tax_deduction_rates, billing_context.purchase_statements,
    billing_context.purchase_statement_lines, billing_context.purchase_payments
    FROM ses_customer_role;
-- Partners: only their payment notices.
REVOKE ALL ON billing_context.accounting_entries, billing_context.invoice_number_sequences,
    billing_context.invoice_runs, billing_context.invoice_extras, billing_context.issuers,
    billing_context.input_tax_deduction_rates, billing_context.invoices,
    billing_context.invoice_billing_items, billing_context.invoice_payments,
    billing_context.customer_credits, billing_context.invoice_status_history
    FROM ses_partner_role;
-- Project managers: issued invoices, their lines and the issuers.
REVOKE ALL ON billing_context.accounting_entries, billing_context.invoice_number_sequences,
    billing_context.invoice_runs, billing_context.invoice_extras, billing_context.invoice_payments,
    billing_context.customer_credits, billing_context.invoice_status_history,
    billing_context.purchase_statements, billing_context.purchase_statement_lines,
    billing_context.purchase_payments
    FROM ses_project_manager_role;
-- Facts are append-only for everyone.
REVOKE UPDATE, DELETE ON billing_context.invoice_payments, billing_context.customer_credits,
    billing_context.accounting_entries, billing_context.purchase_payments
    FROM ses_finance_role, ses_admin_role;
-- The audit trail is written only by the trigger.
REVOKE INSERT, UPDATE, DELETE ON billing_context.invoice_status_history FROM ses_finance_role,
    ses_admin_role;
-- The legal rates table is reference data: administrators maintain it.
REVOKE INSERT, UPDATE, DELETE ON billing_context.input_tax_deduction_rates FROM ses_finance_role;
