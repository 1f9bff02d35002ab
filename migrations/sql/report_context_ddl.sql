-- Report Context (レポート・分析管理): analytics facts fed by domain events (partitioned by
-- year), KPI definitions and snapshots, dashboards and their widgets, report templates and the
-- generated report documents.

-- 統計データ: one fact per event or snapshot, e.g. category 'revenue', dimension {"customer_id"}.
CREATE TABLE report_context.analytics_data (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    target_year smallint NOT NULL CHECK (target_year BETWEEN 2000 AND 2999),
    target_date date NOT NULL,
    category text NOT NULL,
    metric_key text NOT NULL,
    dimension jsonb NOT NULL DEFAULT '{}'::jsonb,
    metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_event_id uuid,                      -- platform.domain_events (idempotent handlers)
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    PRIMARY KEY (id, target_year),
    CONSTRAINT ck_analytics_data_year CHECK (extract(year FROM target_date) = target_year)
) PARTITION BY RANGE (target_year);
CREATE UNIQUE INDEX uq_analytics_data_event ON report_context.analytics_data
    (source_event_id, metric_key, target_year) WHERE source_event_id IS NOT NULL;

-- KPI定義
CREATE TABLE report_context.kpi_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,50}$'),
    name text NOT NULL,
    name_en text NOT NULL,
    description text,
    formula text NOT NULL,                     -- human-readable definition
    sql_view text,                             -- the view/function that computes it
    unit text NOT NULL CHECK (unit IN ('PERCENT', 'COUNT', 'YEN', 'HOURS', 'RATIO')),
    target_value numeric(14, 2),
    higher_is_better boolean NOT NULL DEFAULT true,
    period_type text NOT NULL DEFAULT 'MONTH' CHECK (period_type IN ('DAY', 'MONTH', 'YEAR')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_kpi_definitions_code ON report_context.kpi_definitions (code)
    WHERE deleted_at IS NULL;

-- KPI値: snapshots per period and dimension (company-wide, per engineer, per customer).
CREATE TABLE report_context.kpi_values (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kpi_definition_id uuid NOT NULL REFERENCES report_context.kpi_definitions (id),
    period_start date NOT NULL,
    period_end date NOT NULL,
    dimension_type text NOT NULL DEFAULT 'COMPANY' CHECK (dimension_type IN
        ('COMPANY', 'ENGINEER', 'CUSTOMER', 'PROJECT', 'USER')),
    dimension_id uuid,
    value numeric(16, 4) NOT NULL,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    computed_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_kpi_values_snapshot ON report_context.kpi_values
    (kpi_definition_id, period_start, dimension_type, coalesce(dimension_id, '00000000-0000-0000-0000-000000000000'))
    WHERE deleted_at IS NULL;

-- ダッシュボード: owner_user_id NULL = the default dashboard of a role.
CREATE TABLE report_context.dashboards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_user_id uuid,                        -- platform.users
    role text CHECK (role IN ('admin', 'project_manager', 'engineer', 'customer', 'finance', 'partner')),
    name text NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    layout jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_dashboards_owner CHECK (owner_user_id IS NOT NULL OR role IS NOT NULL)
);

CREATE TABLE report_context.dashboard_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dashboard_id uuid NOT NULL REFERENCES report_context.dashboards (id),
    widget_type text NOT NULL CHECK (widget_type IN ('KPI', 'LINE_CHART', 'BAR_CHART', 'TABLE', 'LIST')),
    title text NOT NULL,
    kpi_code text,
    config jsonb NOT NULL DEFAULT '{}'::jsonb,
    position smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

-- レポートテンプレート
CREATE TABLE report_context.report_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,50}$'),
    name text NOT NULL,
    name_en text NOT NULL,
    description text,
    report_type text NOT NULL CHECK (report_type IN ('MONTHLY_REVENUE', 'GROSS_MARGIN', 'UTILIZATION', 'CUSTOM')),
    parameters_schema jsonb NOT NULL DEFAULT '{}'::jsonb,
    schedule text,                             -- e.g. 'monthly:3' = 3rd of each month
    allowed_roles text[] NOT NULL DEFAULT '{admin,finance}',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_report_templates_code ON report_context.report_templates (code)
    WHERE deleted_at IS NULL;

-- 生成レポート: stored with their parameters, downloadable later.
CREATE TABLE report_context.generated_reports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    report_template_id uuid NOT NULL REFERENCES report_context.report_templates (id),
    parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    requested_by uuid,                         -- platform.users (NULL = schedule)
    started_at timestamptz,
    finished_at timestamptz,
    file_name text,
    pdf bytea,
    pdf_sha256 text,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

CREATE TRIGGER trigger_validate_dashboards_references
    BEFORE INSERT OR UPDATE ON report_context.dashboards
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'owner_user_id', 'platform', 'users');
CREATE TRIGGER trigger_validate_generated_reports_references
    BEFORE INSERT OR UPDATE ON report_context.generated_reports
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'requested_by', 'platform', 'users');
CREATE TRIGGER trigger_validate_analytics_data_references
    BEFORE INSERT OR UPDATE ON report_context.analytics_data
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'source_event_id', 'platform', 'domain_events');

SELECT platform.attach_common_triggers('report_context');
