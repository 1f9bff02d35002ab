-- Notification Context policies.
--   everyone: only their own notifications (read, mark as read) and their own subscriptions;
--     reads the channels (to show subscription choices);
--   administrators (and the worker, which runs as administrator) manage channels, templates,
--   rules and deliveries.

CREATE POLICY recipient_access ON notification_context.notifications FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (recipient_user_id = (SELECT platform.current_user_id()));
CREATE POLICY recipient_mark_read ON notification_context.notifications FOR UPDATE
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (recipient_user_id = (SELECT platform.current_user_id()))
    WITH CHECK (recipient_user_id = (SELECT platform.current_user_id()));
REVOKE INSERT, DELETE ON notification_context.notifications FROM ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
REVOKE UPDATE ON notification_context.notifications FROM ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
GRANT UPDATE (status, read_at) ON notification_context.notifications TO ses_project_manager_role,
    ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;

CREATE POLICY own_subscriptions ON notification_context.notification_subscriptions FOR ALL
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (user_id = (SELECT platform.current_user_id()))
    WITH CHECK (user_id = (SELECT platform.current_user_id()));

CREATE POLICY read_channels ON notification_context.notification_channels FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (is_active);
REVOKE INSERT, UPDATE, DELETE ON notification_context.notification_channels,
    notification_context.notification_templates, notification_context.notification_rules,
    notification_context.notification_deliveries
    FROM ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
REVOKE SELECT ON notification_context.notification_templates, notification_context.notification_rules,
    notification_context.notification_deliveries
    FROM ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
-- Which events have an active rule: the choices of a user's subscription settings (only these
-- columns: recipients, conditions and templates stay with administrators).
GRANT SELECT (id, event_type, is_active, deleted_at) ON notification_context.notification_rules
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role;
CREATE POLICY read_active_rules ON notification_context.notification_rules FOR SELECT
    TO ses_project_manager_role, ses_engineer_role, ses_customer_role, ses_finance_role, ses_partner_role
    USING (is_active);
