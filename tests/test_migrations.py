"""Migrations: empty database → head → base → head, and every object of the design exists."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import _config_for, _create_database, _url, dispose_engines

SEED_TABLES = {
    "project_context": {"projects", "project_requirements", "project_phases", "project_milestones"},
    "engineer_context": {"engineers", "skill_assessments", "certifications", "availability_periods"},
    "matching_context": {"matching_requests", "matching_candidates", "matching_results", "scoring_criteria"},
    "contract_context": {"contracts", "contract_signatures", "contract_templates", "contract_amendments"},
    "timesheet_context": {"timesheets", "daily_attendances", "timesheet_approval_steps", "timesheet_adjustments"},
    "billing_context": {"invoices", "invoice_billing_items", "invoice_payments", "accounting_entries"},
    "report_context": {"analytics_data", "kpi_definitions", "kpi_values", "dashboards", "dashboard_widgets",
                       "report_templates", "generated_reports"},
    "notification_context": {"notifications", "notification_templates", "notification_rules",
                             "notification_deliveries", "notification_channels", "notification_subscriptions"},
}
# What the business needs beyond the design, placed in the context that owns it.
ADDED_TABLES = {"project_context": {"customers", "customer_contacts"},
                "engineer_context": {"partner_companies"},
                "platform": {"users"}}
SEED_INDEXES = [
    "idx_projects_status_priority", "idx_projects_start_end_date", "idx_engineers_availability",
    "idx_skill_assessments_skill_level", "idx_matching_status_score", "idx_contracts_status_period",
    "idx_timesheets_period_status", "idx_invoices_status_due_date", "idx_analytics_category_date",
    "idx_notifications_status_priority", "idx_projects_requirements_gin", "idx_engineers_skills_gin",
    "idx_matching_criteria_gin", "idx_contracts_terms_gin", "idx_timesheets_work_summary_gin",
    "idx_invoices_billing_details_gin", "idx_analytics_metrics_gin", "idx_notifications_recipients_gin",
]
SEED_FUNCTIONS = ["update_updated_at", "increment_version", "soft_delete", "validate_cross_context_reference",
                  "encrypt_personal_data", "decrypt_personal_data", "archive_old_data"]
# One worker runs this module: migrations touch the cluster-wide roles.
pytestmark = pytest.mark.xdist_group("migrations")

PARTITIONED = {("timesheet_context", "timesheets"), ("billing_context", "invoices"),
               ("report_context", "analytics_data"), ("notification_context", "notifications")}


@pytest.fixture(scope="module")
def scratch(pg_socket, request):
    """A database of its own (per xdist worker), migrated from empty to head."""
    from app import create_app

    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    name = f"ses_migration_test_{worker}"
    _create_database(pg_socket, name)
    app = create_app(_config_for(pg_socket, name))
    engine = create_engine(_url(pg_socket, "postgres", name))
    with app.app_context():
        flask_migrate.upgrade()
    yield app, engine
    engine.dispose()
    dispose_engines(app)


def _scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _tables(engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND (n.nspname LIKE '%\\_context' OR n.nspname = 'platform')")).all())


# Functions later revisions replace: their downgrades restore them from the files that made them.
REPLACED = ("platform.resolve_session(text, interval, boolean)", "public.archive_old_data(date)")


def _definitions(engine) -> dict[str, str]:
    return {f: _scalar(engine, "SELECT pg_get_functiondef(CAST(:f AS regprocedure))", f=f) for f in REPLACED}


def test_upgrade_downgrade_upgrade(scratch):
    app, engine = scratch
    assert len(_tables(engine)) > 40
    with app.app_context():
        at_head = _definitions(engine)
        flask_migrate.downgrade(revision="0013")
        downgraded = _definitions(engine)
        assert all(at_head[f] != downgraded[f] for f in REPLACED)
        flask_migrate.downgrade(revision="base")
        assert _tables(engine) == set()
        assert _scalar(engine, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%\\_context'"
                               " OR nspname = 'platform'") == 0
        assert _scalar(engine, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace") == 0
        flask_migrate.upgrade(revision="0013")
        assert _definitions(engine) == downgraded        # as if the later revisions had never run
        flask_migrate.upgrade()
    assert _scalar(engine, "SELECT version_num FROM alembic_version") is not None


def test_every_table_of_the_design_exists(scratch):
    tables = _tables(scratch[1])
    for schema, names in {**SEED_TABLES}.items():
        for name in names | ADDED_TABLES.get(schema, set()):
            assert (schema, name) in tables, f"{schema}.{name} missing"


def test_every_table_has_the_common_columns_and_triggers(scratch):
    engine = scratch[1]
    with engine.connect() as conn:
        for schema, table in _tables(engine):
            columns = {r[0]: r[1] for r in conn.execute(text(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = :s AND table_name = :t"), {"s": schema, "t": table})}
            assert columns.get("id") == "uuid", (schema, table)
            for name in ("created_at", "updated_at", "deleted_at", "version"):
                assert name in columns, (schema, table, name)
            triggers = {r[0] for r in conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:r AS regclass) AND NOT tgisinternal"),
                {"r": f"{schema}.{table}"})}
            for suffix in ("updated_at", "version", "soft_delete"):
                assert f"trigger_{table}_{suffix}" in triggers, (schema, table, suffix)


def test_ids_default_to_gen_random_uuid(scratch):
    with scratch[1].connect() as conn:
        defaults = conn.execute(text(
            "SELECT table_schema, table_name, column_default FROM information_schema.columns"
            " WHERE column_name = 'id' AND (table_schema LIKE '%\\_context' OR table_schema = 'platform')")).all()
    assert defaults and all(d == "gen_random_uuid()" for *_, d in defaults), defaults


def test_partitioned_tables_and_their_partitions(scratch):
    engine = scratch[1]
    with engine.connect() as conn:
        partitioned = set(conn.execute(text(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'p'")).all())
        assert partitioned >= PARTITIONED
        for schema, table in PARTITIONED:
            count = conn.execute(text(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = CAST(:t AS regclass)"),
                {"t": f"{schema}.{table}"}).scalar()
            assert count >= 2, (schema, table)
        # no unused "_partitioned" copies: the real tables are the partitioned ones
        assert not any(name.endswith("_partitioned") for _, name in partitioned)


def test_seed_indexes_functions_views_and_extensions(scratch):
    engine = scratch[1]
    with engine.connect() as conn:
        indexes = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes"))}
        functions = {r[0] for r in conn.execute(text(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"))}
        matviews = {r[0] for r in conn.execute(text("SELECT matviewname FROM pg_matviews"))}
        views = {r[0] for r in conn.execute(text("SELECT viewname FROM pg_views WHERE schemaname = 'public'"))}
        extensions = {r[0] for r in conn.execute(text("SELECT extname FROM pg_extension"))}
        schemas = {r[0] for r in conn.execute(text("SELECT nspname FROM pg_namespace"))}
    assert set(SEED_INDEXES) <= indexes
    assert set(SEED_FUNCTIONS) <= functions
    assert {"integrated_dashboard_stats", "monthly_revenue_stats"} <= matviews
    assert {"long_running_queries", "index_usage_stats", "performance_metrics"} <= views
    assert "pgcrypto" in extensions
    assert set(SEED_TABLES) <= schemas


def test_common_indexes_exist_for_every_table(scratch):
    engine = scratch[1]
    with engine.connect() as conn:
        indexes = {(r[0], r[1]) for r in conn.execute(text(
            "SELECT schemaname, indexname FROM pg_indexes"))}
    for schema, table in _tables(engine):
        for column in ("created_at", "updated_at", "deleted_at"):
            assert (schema, f"idx_{table}_{column}") in indexes, (schema, table, column)


def test_row_level_security_is_enabled_and_forced_with_policies_everywhere(scratch):
    with scratch[1].connect() as conn:
        rows = conn.execute(text(
            "SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " (SELECT count(*) FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND (n.nspname LIKE '%\\_context' OR n.nspname = 'platform')")).all()
    for schema, table, enabled, forced, policies in rows:
        assert enabled and forced, (schema, table)
        assert policies >= 2, (schema, table)       # at least owner and admin


def test_the_app_login_role_cannot_bypass_anything(scratch):
    with scratch[1].connect() as conn:
        row = conn.execute(text(
            "SELECT rolsuper, rolbypassrls, rolinherit, rolcreaterole, rolcreatedb FROM pg_roles"
            " WHERE rolname = 'ses_app'")).one()
        owned = conn.execute(text(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'ses_app'")).scalar()
        roles = {r[0] for r in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'ses\\_%'"))}
    assert tuple(row) == (False, False, False, False, False)
    assert owned == 0
    assert {"ses_admin_role", "ses_project_manager_role", "ses_engineer_role", "ses_customer_role",
            "ses_finance_role", "ses_owner", "ses_app"} <= roles


def test_role_creation_is_idempotent(scratch):
    from app.auth.roles import ensure_database_roles

    engine = scratch[1]
    with engine.begin() as conn:
        ensure_database_roles(conn)
        ensure_database_roles(conn)
