"""Indexes without a predicate on the policy columns that had only partial ones.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = ("billing_context.idx_invoices_customer_id", "billing_context.idx_purchase_statement_lines_statement_id",
           "contract_context.idx_contract_amendments_contract_id",
           "contract_context.idx_contract_signatures_contract_id", "contract_context.idx_contracts_engineer_id",
           "engineer_context.idx_skill_assessments_engineer_id",
           "matching_context.idx_matching_candidates_matching_request_id",
           "notification_context.idx_notification_subscriptions_user_id",
           "notification_context.idx_notifications_recipient_user_id",
           "report_context.idx_dashboard_widgets_dashboard_id", "report_context.idx_dashboards_owner_user_id",
           "report_context.idx_dashboards_role_all", "report_context.idx_generated_reports_requested_by",
           "report_context.idx_kpi_values_kpi_definition_id")


def upgrade():
    run_sql_files("policy_column_indexes.sql")


def downgrade():
    execute_script("".join(f"DROP INDEX {name};\n" for name in INDEXES))
