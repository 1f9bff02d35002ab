"""Catalog checks on the row level security set-up, over pg_policies and friends.

* every identity lookup in a policy is wrapped as ``(SELECT platform.current_xxx())`` (or
  ``(SELECT current_setting(...))``) so PostgreSQL evaluates it once per query, not per row;
* every column a policy compares with the identity, or filters through a sub-select, is the
  leading column of an index without a predicate (one the policy can use);
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
