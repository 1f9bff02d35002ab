"""Catalog checks on the row level security set-up, over pg_policies and friends.

* every identity lookup in a policy is wrapped as ``(SELECT platform.current_xxx())`` (or
  ``(SELECT current_setting(...))``) so PostgreSQL evaluates it once per query, not per row;
* every column a policy compares with the identity, or filters through a sub-select, is the
  leading column of an index without a predicate (one the policy can use);
* every other column a policy reads to decide which rows a role sees (its USING side, found
  through pg_depend) is indexed too, or is one of ``UNINDEXED_FILTERS`` with the reason why an
  index would not help -- columns only a WITH CHECK reads are checked on the one row written;
* views over row-level-secured tables run with the caller's rights (security_invoker).
"""

from __future__ import annotations

import re

from sqlalchemy import text

IDENTITY_CALL = re.compile(r"(platform\.current_\w+\(\)|current_setting\()")
WRAPPED = re.compile(r"\(\s*SELECT\s+(platform\.current_\w+\(\)|current_setting\()")
# A column of the policy's own table (not "alias.column" of a sub-select's table) compared with
# the identity or filtered through a sub-select (IN (SELECT ...) or = ANY (ARRAY(SELECT ...))).
COMPARED_COLUMN = re.compile(
    r"(?<![.\w])(\w+)\s*=\s*\(\s*SELECT\s+platform\.current_\w+\(\)|(?<![.\w])(\w+)\s+IN\s+\(\s*SELECT"
    r"|(?<![.\w])(\w+)\s*=\s*ANY\s*\(\s*ARRAY\(\s*SELECT")


def _policies(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text(
            "SELECT schemaname, tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '')"
            " FROM pg_policies WHERE schemaname LIKE '%\\_context' OR schemaname = 'platform'")).all()


def test_identity_lookups_in_policies_are_evaluated_once_per_query(app, admin_engine):
    offenders = []
    for schema, table, name, expression in _policies(admin_engine):
        if len(IDENTITY_CALL.findall(expression)) != len(WRAPPED.findall(expression)):
            offenders.append(f"{schema}.{table} {name}: {expression}")
    assert not offenders, "\n".join(offenders)


def test_policy_columns_are_indexed(app, admin_engine):
    with admin_engine.connect() as conn:
        leading = {(r[0], r[1], r[2]) for r in conn.execute(text(
            "SELECT n.nspname, c.relname, a.attname FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"
            # a partial index (WHERE deleted_at IS NULL) is of no use to a policy without that condition
            " WHERE i.indpred IS NULL"))}
    missing = set()
    for schema, table, name, expression in _policies(admin_engine):
        for match in COMPARED_COLUMN.finditer(expression):
            column = match.group(1) or match.group(2) or match.group(3)
            if column not in ("id",) and (schema, table, column) not in leading:
                missing.add(f"{schema}.{table}.{column} (policy {name})")
    assert not missing, "\n".join(sorted(missing))


# Columns the USING side of a policy reads that lead no index, each a decision.
_STATE = "a state compared with a constant, beside the indexed identity column that narrows the rows"
_FUNCTION = ("an argument of timesheet_visible(), decided row by row; the pages reach these rows by "
             "their timesheet_id through the unique index of the live rows (timesheet_id, ...) WHERE "
             "deleted_at IS NULL")
UNINDEXED_FILTERS = {
    "billing_context.invoices.status": _STATE + " (customer_id); project managers see all but drafts",
    "billing_context.purchase_statements.status": _STATE + " (partner_company_id)",
    "contract_context.contracts.side": _STATE + " (customer_id, partner_company_id, engineer_id)",
    "notification_context.notification_channels.is_active": "the whole policy, on a table of a few rows",
    "notification_context.notification_rules.is_active": "the whole policy, on a table of a few rows",
    "timesheet_context.timesheet_adjustments.status": "finance's update of approved or billed "
                                                      "adjustments, which it reads by id",
    "timesheet_context.timesheets.status": _STATE + " (engineer_id, customer_id, partner_company_id)",
    "timesheet_context.timesheets.worked_minutes": "finance's import over an empty draft, which it reads by id",
    "timesheet_context.daily_attendances.timesheet_id": _FUNCTION,
    "timesheet_context.daily_attendances.period_year": _FUNCTION,
    "timesheet_context.daily_attendances.period_month": _FUNCTION,
    "timesheet_context.timesheet_approval_steps.period_year": _FUNCTION,
    "timesheet_context.timesheet_approval_steps.period_month": _FUNCTION,
}


def _reads_column(expression: str, table: str, column: str) -> bool:
    """Whether a policy expression (pg_get_expr) reads its own table's ``column``: unqualified,
    or qualified with the table's name in a correlated sub-select (``c.id = timesheets.contract_id``);
    columns of a sub-select's own tables are qualified with their alias."""
    return re.search(rf"(?<![.\w])(?:{re.escape(table)}\.)?{re.escape(column)}(?!\w)", expression) is not None


def test_every_column_a_policy_filters_by_is_indexed_or_a_recorded_decision(app, admin_engine):
    with admin_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT DISTINCT n.nspname, c.relname, a.attname, coalesce(pg_get_expr(p.polqual, p.polrelid), ''),"
            " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum"
            "         AND i.indpred IS NULL)"
            " FROM pg_policy p"
            " JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid"
            "  AND d.refobjid = p.polrelid AND d.refobjsubid > 0"
            " JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid"
            " WHERE n.nspname LIKE '%\\_context' OR n.nspname = 'platform'")).all()
    unindexed = {f"{schema}.{table}.{column}" for schema, table, column, using, indexed in rows
                 if not indexed and _reads_column(using, table, column)}
    assert unindexed - UNINDEXED_FILTERS.keys() == set(), "a policy filters by a column without an index"
    assert UNINDEXED_FILTERS.keys() - unindexed == set(), "recorded as unindexed, but indexed or unused now"


def test_the_policy_column_reader_tells_own_columns_from_a_sub_selects():
    assert _reads_column("(status <> 'DRAFT'::text)", "invoices", "status")
    assert _reads_column("(EXISTS ( SELECT 1 FROM contracts c WHERE (c.id = timesheets.contract_id)))",
                         "timesheets", "contract_id")
    assert not _reads_column("(project_id IN ( SELECT p.id FROM project_context.projects p))", "contracts", "id")
    assert not _reads_column("(status_code = 1)", "invoices", "status")


def test_views_over_secured_tables_run_with_the_callers_rights(app, admin_engine):
    with admin_engine.connect() as conn:
        views = conn.execute(text(
            "SELECT n.nspname, c.relname, coalesce(c.reloptions::text, '') FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v'"
            " AND (n.nspname LIKE '%\\_context' OR n.nspname = 'platform')")).all()
    definer = [f"{s}.{v}" for s, v, options in views if "security_invoker=true" not in options]
    assert not definer, definer


def test_materialized_views_are_readable_only_by_staff(app, admin_engine):
    with admin_engine.connect() as conn:
        grantees = {(r[0], r[1]) for r in conn.execute(text(
            "SELECT table_name, grantee FROM information_schema.role_table_grants"
            " WHERE table_schema = 'report_context' AND table_name IN"
            " ('integrated_dashboard_stats', 'monthly_revenue_stats') AND privilege_type = 'SELECT'"))}
    for role in ("ses_engineer_role", "ses_customer_role", "ses_partner_role"):
        assert ("integrated_dashboard_stats", role) not in grantees
        assert ("monthly_revenue_stats", role) not in grantees


def test_the_indexed_column_check_reads_every_sub_select_form():
    forms = {"(engineer_id = ( SELECT platform.current_engineer_id() AS current_engineer_id))": "engineer_id",
             "(project_id IN ( SELECT p.id FROM project_context.projects p))": "project_id",
             "(project_id = ANY (ARRAY( SELECT p.id FROM project_context.projects p)))": "project_id"}
    for expression, column in forms.items():
        match = COMPARED_COLUMN.search(expression)
        assert match and column in match.groups(), expression
