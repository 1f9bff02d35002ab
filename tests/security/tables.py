"""What each role may do to each table, at the database: S(elect) I(nsert) U(pdate) D(elete).

A role may do an operation when it holds the privilege (table or column grant, and the schema)
AND a row level security policy for that command applies to it -- which rows, the policies
decide (tests/test_rls.py and the areas' RLS tests check those).  Roles not named have no
access at all.  A new table fails tests/security/test_table_access.py until it is declared here.
"""

TABLES = {
    "billing_context.accounting_entries": {"admin": "SI", "finance": "SI"},
    "billing_context.customer_credits": {"admin": "SI", "customer": "S", "finance": "SI"},
    "billing_context.input_tax_deduction_rates": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "billing_context.invoice_billing_items": {
        "admin": "SIUD", "customer": "S", "finance": "SIUD", "project_manager": "S"},
    "billing_context.invoice_extras": {"admin": "SIUD", "finance": "SIUD"},
    "billing_context.invoice_number_sequences": {"admin": "SIUD", "finance": "SIUD"},
    "billing_context.invoice_payments": {"admin": "SI", "customer": "S", "finance": "SI"},
    "billing_context.invoice_runs": {"admin": "SIUD", "finance": "SIUD"},
    "billing_context.invoice_status_history": {"admin": "S", "customer": "S", "finance": "S"},
    "billing_context.invoices": {"admin": "SIUD", "customer": "S", "finance": "SIUD", "project_manager": "S"},
    "billing_context.issuers": {"admin": "SIUD", "finance": "SIUD", "project_manager": "S"},
    "billing_context.purchase_payments": {"admin": "SI", "finance": "SI", "partner": "S"},
    "billing_context.purchase_statement_lines": {"admin": "SIUD", "finance": "SIUD", "partner": "S"},
    "billing_context.purchase_statements": {"admin": "SIUD", "finance": "SIUD", "partner": "S"},
    "contract_context.contract_amendments": {"admin": "SIUD", "finance": "S", "project_manager": "SIUD"},
    "contract_context.contract_signatures": {
        "admin": "SIUD", "customer": "SI", "finance": "S", "partner": "SI", "project_manager": "SI"},
    "contract_context.contract_templates": {
        "admin": "SIUD", "customer": "S", "finance": "S", "partner": "S", "project_manager": "S"},
    "contract_context.contracts": {
        "admin": "SIUD", "customer": "S", "engineer": "S",
        "finance": "SI", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.availability_periods": {
        "admin": "SIUD", "engineer": "SIUD", "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.certifications": {
        "admin": "SIUD", "engineer": "SIUD", "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.engineers": {
        "admin": "SIUD", "engineer": "SU", "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.partner_companies": {
        "admin": "SIUD", "engineer": "S", "finance": "SU", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.skill_assessments": {
        "admin": "SIUD", "engineer": "SIUD", "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "engineer_context.work_histories": {
        "admin": "SIUD", "engineer": "SIUD", "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "matching_context.matching_candidates": {"admin": "SIUD", "project_manager": "SIUD"},
    "matching_context.matching_requests": {"admin": "SIUD", "project_manager": "SIUD"},
    "matching_context.matching_results": {"admin": "SIUD", "finance": "S", "project_manager": "SIUD"},
    "matching_context.scoring_criteria": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "notification_context.notification_channels": {
        "admin": "SIUD", "customer": "S", "engineer": "S",
        "finance": "S", "partner": "S", "project_manager": "S"},
    "notification_context.notification_deliveries": {"admin": "SIUD"},
    "notification_context.notification_rules": {
        "admin": "SIUD", "customer": "S", "engineer": "S",
        "finance": "S", "partner": "S", "project_manager": "S"},
    "notification_context.notification_subscriptions": {
        "admin": "SIUD", "customer": "SIUD", "engineer": "SIUD",
        "finance": "SIUD", "partner": "SIUD", "project_manager": "SIUD"},
    "notification_context.notification_templates": {"admin": "SIUD"},
    "notification_context.notifications": {
        "admin": "SIUD", "customer": "SU", "engineer": "SU",
        "finance": "SU", "partner": "SU", "project_manager": "SU"},
    "notification_context.unread_counts": {
        "admin": "S", "customer": "S", "engineer": "S", "finance": "S", "partner": "S", "project_manager": "S"},
    "platform.company_closures": {
        "admin": "SIUD", "customer": "S", "engineer": "S",
        "finance": "S", "partner": "S", "project_manager": "S"},
    "platform.domain_events": {
        "admin": "SIUD", "customer": "SI", "engineer": "SI",
        "finance": "SI", "partner": "SI", "project_manager": "SI"},
    "platform.login_attempts": {"admin": "S"},
    "platform.user_sessions": {"admin": "S"},
    "platform.users": {
        "admin": "SIUD", "customer": "SU", "engineer": "SU",
        "finance": "SU", "partner": "SU", "project_manager": "SU"},
    "project_context.customer_contacts": {
        "admin": "SIUD", "customer": "S", "finance": "S", "project_manager": "SIUD"},
    "project_context.customers": {
        "admin": "SIUD", "customer": "S", "finance": "SU", "project_manager": "SIUD"},
    "project_context.project_milestones": {
        "admin": "SIUD", "customer": "S", "engineer": "S", "finance": "S", "project_manager": "SIUD"},
    "project_context.project_phases": {
        "admin": "SIUD", "customer": "S", "engineer": "S", "finance": "S", "project_manager": "SIUD"},
    "project_context.project_requirements": {
        "admin": "SIUD", "customer": "S", "engineer": "S", "finance": "S", "project_manager": "SIUD"},
    "project_context.projects": {
        "admin": "SIUD", "customer": "S", "engineer": "S", "finance": "S", "project_manager": "SIUD"},
    "report_context.analytics_data": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "report_context.dashboard_widgets": {
        "admin": "SIUD", "customer": "SIUD", "engineer": "SIUD",
        "finance": "SIUD", "partner": "SIUD", "project_manager": "SIUD"},
    "report_context.dashboards": {
        "admin": "SIUD", "customer": "SIUD", "engineer": "SIUD",
        "finance": "SIUD", "partner": "SIUD", "project_manager": "SIUD"},
    "report_context.generated_reports": {"admin": "SIUD", "finance": "SIUD", "project_manager": "SIUD"},
    "report_context.kpi_definitions": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "report_context.kpi_values": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "report_context.report_templates": {"admin": "SIUD", "finance": "S", "project_manager": "S"},
    "report_context.view_refreshes": {"admin": "SIUD"},
    "timesheet_context.daily_attendances": {
        "admin": "SIUD", "customer": "S", "engineer": "SIUD",
        "finance": "S", "partner": "S", "project_manager": "SIUD"},
    "timesheet_context.timesheet_adjustments": {
        "admin": "SIUD", "engineer": "S", "finance": "SU", "project_manager": "SIUD"},
    "timesheet_context.timesheet_approval_steps": {
        "admin": "SIUD", "customer": "SI", "engineer": "SI",
        "finance": "SI", "partner": "SI", "project_manager": "SI"},
    "timesheet_context.timesheets": {
        "admin": "SIUD", "customer": "SU", "engineer": "SIU",
        "finance": "SIU", "partner": "SU", "project_manager": "SIUD"},
}
