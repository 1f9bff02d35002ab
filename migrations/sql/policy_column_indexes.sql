-- Revision 0013: every column a policy filters on has an index the policy can use.
--
-- These columns were indexed only by partial indexes (WHERE deleted_at IS NULL, or the bell's
-- unread index); a policy carries no such condition, so PostgreSQL could not use them for it: an
-- engineer's own contracts were found by reading all 6,000 (1.8 ms on every timesheet page,
-- through the projects policy), a finance user's skill reads scanned all skill rows.  The
-- catalog test (tests/test_security_catalog.py) now counts only indexes without a predicate.
CREATE INDEX idx_invoices_customer_id ON billing_context.invoices (customer_id);
CREATE INDEX idx_purchase_statement_lines_statement_id ON billing_context.purchase_statement_lines (statement_id);
CREATE INDEX idx_contract_amendments_contract_id ON contract_context.contract_amendments (contract_id);
CREATE INDEX idx_contract_signatures_contract_id ON contract_context.contract_signatures (contract_id);
CREATE INDEX idx_contracts_engineer_id ON contract_context.contracts (engineer_id);
CREATE INDEX idx_skill_assessments_engineer_id ON engineer_context.skill_assessments (engineer_id);
CREATE INDEX idx_matching_candidates_matching_request_id
    ON matching_context.matching_candidates (matching_request_id);
CREATE INDEX idx_notification_subscriptions_user_id ON notification_context.notification_subscriptions (user_id);
-- A user's notifications, newest first (the notification list), read or not.
CREATE INDEX idx_notifications_recipient_user_id
    ON notification_context.notifications (recipient_user_id, created_at DESC);
CREATE INDEX idx_dashboard_widgets_dashboard_id ON report_context.dashboard_widgets (dashboard_id);
CREATE INDEX idx_dashboards_owner_user_id ON report_context.dashboards (owner_user_id);
CREATE INDEX idx_dashboards_role_all ON report_context.dashboards (role);
CREATE INDEX idx_generated_reports_requested_by ON report_context.generated_reports (requested_by);
CREATE INDEX idx_kpi_values_kpi_definition_id ON report_context.kpi_values (kpi_definition_id);
