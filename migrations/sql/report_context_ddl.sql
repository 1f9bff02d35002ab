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
    -- who may read the KPI's values (money KPIs are for administrators and finance)
    visible_roles text[] NOT NULL DEFAULT '{admin,finance,project_manager}',
    sort_order smallint NOT NULL DEFAULT 0,
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

-- マテリアライズドビュー更新履歴: one row per view and refresh (report_context.refresh_materialized_views)
CREATE TABLE report_context.view_refreshes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    view_name text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    duration_ms integer,
    status text NOT NULL CHECK (status IN ('DONE', 'FAILED')),
    error text,
    triggered_by uuid,                         -- platform.users (NULL = the schedule)
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX idx_view_refreshes_view_time ON report_context.view_refreshes (view_name, started_at DESC);
CREATE INDEX idx_dashboard_widgets_dashboard ON report_context.dashboard_widgets (dashboard_id, position)
    WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX uq_dashboards_owner ON report_context.dashboards (owner_user_id)
    WHERE owner_user_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX idx_generated_reports_requested ON report_context.generated_reports (requested_by, created_at DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX idx_kpi_values_period ON report_context.kpi_values (period_start, kpi_definition_id)
    WHERE deleted_at IS NULL;

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

-- ---------------------------------------------------------------------------------------------
-- Reference data: the KPIs (computed by the functions of integrated_views.sql), the report
-- templates and the default dashboard of each staff role.
-- ---------------------------------------------------------------------------------------------
INSERT INTO report_context.kpi_definitions (code, name, name_en, description, formula, sql_view, unit,
    target_value, higher_is_better, visible_roles, sort_order) VALUES
    ('utilization', '稼働率', 'Utilization', '自社技術者 (正社員・契約社員) のうち、当月に売上契約がある人の割合',
     '売上契約のある自社技術者数 ÷ 自社技術者数 × 100', 'report_context.kpi_utilization', 'PERCENT', 90, true,
     '{admin,finance,project_manager}', 10),
    ('bench', '待機人数', 'Engineers on the bench', '当月に売上契約のない自社技術者の人数',
     '自社技術者数 − 売上契約のある自社技術者数', 'report_context.kpi_bench', 'COUNT', 2, false,
     '{admin,finance,project_manager}', 20),
    ('revenue', '売上', 'Revenue', '発行済み請求書の明細 (税抜) を役務提供月で集計。赤伝は相殺',
     'Σ 請求明細金額 (税抜、下書き除く)', 'report_context.kpi_revenue', 'YEN', NULL, true,
     '{admin,finance}', 30),
    ('gross_margin', '粗利', 'Gross margin', '売上 − 仕入 (パートナー・個人事業主の支払明細、税抜)。自社社員の人件費は含まない',
     '売上 − 仕入', 'report_context.kpi_gross_margin', 'YEN', NULL, true, '{admin,finance}', 40),
    ('margin_rate', '粗利率', 'Margin rate', '粗利 ÷ 売上',
     '(売上 − 仕入) ÷ 売上 × 100', 'report_context.kpi_margin_rate', 'PERCENT', 20, true,
     '{admin,finance}', 50),
    ('invoices_outstanding', '売掛金残高', 'Invoices outstanding', '月末時点で未入金の請求額 (税込)',
     'Σ (請求額 − 月末までの入金消込額)', 'report_context.kpi_invoices_outstanding', 'YEN', NULL, false,
     '{admin,finance}', 60),
    ('invoices_overdue', '延滞債権', 'Invoices overdue', '月末時点で支払期限を過ぎた未入金の請求額 (税込)',
     'Σ 期限超過分の (請求額 − 入金消込額)', 'report_context.kpi_invoices_overdue', 'YEN', 0, false,
     '{admin,finance}', 70),
    ('timesheet_submission', '工数表提出率', 'Timesheet submission rate', '当月の売上契約のうち工数表が提出済み以降の割合',
     '提出済みの工数表数 ÷ 売上契約数 × 100', 'report_context.kpi_timesheet_submission', 'PERCENT', 100, true,
     '{admin,finance,project_manager}', 80),
    ('contracts_ending', '翌月終了の契約', 'Contracts ending next month', '翌月に終了する売上契約の件数',
     '翌月が終了日の売上契約数', 'report_context.kpi_contracts_ending', 'COUNT', NULL, false,
     '{admin,finance,project_manager}', 90);

INSERT INTO report_context.report_templates (code, name, name_en, description, report_type,
    parameters_schema, schedule, allowed_roles) VALUES
    ('monthly_revenue', '月次売上レポート', 'Monthly revenue report',
     '売上・粗利・債権の月次サマリー、12か月の推移と顧客別売上', 'MONTHLY_REVENUE',
     '{"month": "YYYY-MM"}', 'monthly:3', '{admin,finance}'),
    ('gross_margin', '粗利レポート (技術者別・顧客別)', 'Gross margin by engineer and customer',
     '技術者別・顧客別の売上・仕入・粗利・粗利率', 'GROSS_MARGIN',
     '{"month": "YYYY-MM"}', 'monthly:3', '{admin,finance}'),
    ('utilization', '稼働率レポート', 'Utilization report',
     '稼働率と待機人数の推移、待機中の技術者、工数表提出率、翌月終了の契約', 'UTILIZATION',
     '{"month": "YYYY-MM"}', 'monthly:3', '{admin,finance,project_manager}');

-- Default dashboards (owner NULL): what each role sees until they arrange their own.
INSERT INTO report_context.dashboards (role, name, is_default) VALUES
    ('admin', '経営ダッシュボード', true),
    ('finance', '経理ダッシュボード', true),
    ('project_manager', '営業ダッシュボード', true);

INSERT INTO report_context.dashboard_widgets (dashboard_id, widget_type, title, kpi_code, config, position)
SELECT d.id, w.widget_type, w.title, w.kpi_code, w.config::jsonb, w.position
FROM report_context.dashboards d
JOIN (VALUES
    ('admin', 'KPI', '稼働率', 'utilization', '{"kind": "kpi_utilization"}', 0),
    ('admin', 'KPI', '待機人数', 'bench', '{"kind": "kpi_bench"}', 1),
    ('admin', 'KPI', '売上', 'revenue', '{"kind": "kpi_revenue"}', 2),
    ('admin', 'KPI', '粗利', 'gross_margin', '{"kind": "kpi_gross_margin"}', 3),
    ('admin', 'LINE_CHART', '売上の推移', 'revenue', '{"kind": "trend_revenue"}', 4),
    ('admin', 'LINE_CHART', '稼働率の推移', 'utilization', '{"kind": "trend_utilization"}', 5),
    ('admin', 'TABLE', '全社の状況', NULL, '{"kind": "company_stats"}', 6),
    ('admin', 'LIST', '翌月終了の契約', NULL, '{"kind": "contracts_ending"}', 7),
    ('admin', 'TABLE', '受注・マッチングの件数', NULL, '{"kind": "activity"}', 8),
    ('finance', 'KPI', '売上', 'revenue', '{"kind": "kpi_revenue"}', 0),
    ('finance', 'KPI', '粗利率', 'margin_rate', '{"kind": "kpi_margin_rate"}', 1),
    ('finance', 'KPI', '売掛金残高', 'invoices_outstanding', '{"kind": "kpi_invoices_outstanding"}', 2),
    ('finance', 'KPI', '延滞債権', 'invoices_overdue', '{"kind": "kpi_invoices_overdue"}', 3),
    ('finance', 'BAR_CHART', '月次請求額 (税込)', NULL, '{"kind": "monthly_invoiced"}', 4),
    ('finance', 'LINE_CHART', '粗利の推移', 'gross_margin', '{"kind": "trend_gross_margin"}', 5),
    ('finance', 'BAR_CHART', '顧客別売上', 'revenue', '{"kind": "revenue_by_customer"}', 6),
    ('finance', 'TABLE', '月次の請求と入金', NULL, '{"kind": "monthly_revenue_table"}', 7),
    ('project_manager', 'KPI', '稼働率', 'utilization', '{"kind": "kpi_utilization"}', 0),
    ('project_manager', 'KPI', '待機人数', 'bench', '{"kind": "kpi_bench"}', 1),
    ('project_manager', 'KPI', '工数表提出率', 'timesheet_submission', '{"kind": "kpi_timesheet_submission"}', 2),
    ('project_manager', 'KPI', '翌月終了の契約', 'contracts_ending', '{"kind": "kpi_contracts_ending"}', 3),
    ('project_manager', 'LINE_CHART', '稼働率の推移', 'utilization', '{"kind": "trend_utilization"}', 4),
    ('project_manager', 'LIST', '待機中の技術者', NULL, '{"kind": "bench_list"}', 5),
    ('project_manager', 'LIST', '翌月終了の契約', NULL, '{"kind": "contracts_ending"}', 6),
    ('project_manager', 'TABLE', '受注・マッチングの件数', NULL, '{"kind": "activity"}', 7)
) AS w (role, widget_type, title, kpi_code, config, position) ON w.role = d.role
WHERE d.owner_user_id IS NULL;

SELECT platform.attach_common_triggers('report_context');
