-- create_integrated_views.sql: cross-context materialized views, monitoring views and the
-- archive function of the design.

-- 統合ダッシュボード用マテリアライズドビュー.  Status codes follow our tables: invoices not yet
-- settled are ISSUED / PARTIALLY_PAID / OVERDUE (the design's 'UNPAID').
CREATE MATERIALIZED VIEW report_context.integrated_dashboard_stats AS
SELECT
    (SELECT count(*) FROM project_context.projects WHERE status = 'ACTIVE' AND deleted_at IS NULL) AS active_projects,
    (SELECT count(*) FROM project_context.projects WHERE status = 'COMPLETED' AND deleted_at IS NULL) AS completed_projects,
    (SELECT count(*) FROM engineer_context.engineers WHERE availability_status = 'AVAILABLE' AND deleted_at IS NULL) AS available_engineers,
    (SELECT count(*) FROM engineer_context.engineers WHERE deleted_at IS NULL) AS total_engineers,
    (SELECT count(*) FROM contract_context.contracts WHERE status = 'ACTIVE' AND deleted_at IS NULL) AS active_contracts,
    (SELECT coalesce(sum(total_amount), 0) FROM billing_context.invoices WHERE status = 'PAID' AND deleted_at IS NULL) AS total_revenue,
    (SELECT count(*) FROM billing_context.invoices
      WHERE status IN ('ISSUED', 'PARTIALLY_PAID', 'OVERDUE') AND deleted_at IS NULL) AS unpaid_invoices,
    CURRENT_TIMESTAMP AS last_updated;

CREATE UNIQUE INDEX idx_integrated_dashboard_stats_last_updated
    ON report_context.integrated_dashboard_stats (last_updated);

-- 月次売上統計マテリアライズドビュー (issued invoices only: drafts are not revenue)
CREATE MATERIALIZED VIEW report_context.monthly_revenue_stats AS
SELECT
    b.invoice_year,
    b.invoice_month,
    count(*) AS invoice_count,
    sum(b.total_amount) AS total_amount,
    sum(CASE WHEN b.status = 'PAID' THEN b.total_amount ELSE 0 END) AS paid_amount,
    count(CASE WHEN b.status = 'PAID' THEN 1 END) AS paid_count,
    round((count(CASE WHEN b.status = 'PAID' THEN 1 END)::numeric / count(*)) * 100, 2) AS payment_rate
FROM billing_context.invoices b
WHERE b.deleted_at IS NULL AND b.status NOT IN ('DRAFT', 'CANCELLED') AND b.kind <> 'CREDIT_NOTE'
GROUP BY b.invoice_year, b.invoice_month
ORDER BY b.invoice_year DESC, b.invoice_month DESC;

CREATE UNIQUE INDEX idx_monthly_revenue_stats_period
    ON report_context.monthly_revenue_stats (invoice_year, invoice_month);

-- Refreshed by the owner (REFRESH needs ownership); callers only need EXECUTE.
CREATE FUNCTION report_context.refresh_materialized_views() RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, report_context AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY report_context.integrated_dashboard_stats;
    REFRESH MATERIALIZED VIEW CONCURRENTLY report_context.monthly_revenue_stats;
    RETURN clock_timestamp();
END;
$$;
REVOKE ALL ON FUNCTION report_context.refresh_materialized_views() FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- 監視・アラート
-- ---------------------------------------------------------------------------------------------
-- 長時間実行クエリ監視
CREATE VIEW public.long_running_queries AS
SELECT
    pid,
    usename,
    application_name,
    state,
    query_start,
    now() - query_start AS duration,
    query
FROM pg_stat_activity
WHERE state = 'active'
  AND now() - query_start > interval '30 seconds'
  AND query NOT LIKE '%pg_stat_activity%';

-- インデックス使用効率監視 (pg_stat_user_indexes names the columns relname / indexrelname)
CREATE VIEW public.index_usage_stats AS
SELECT
    schemaname,
    relname AS tablename,
    indexrelname AS indexname,
    idx_scan,
    idx_tup_read,
    idx_tup_fetch,
    CASE
        WHEN idx_tup_read = 0 THEN 0
        ELSE round((idx_tup_fetch::numeric / idx_tup_read) * 100, 2)
    END AS efficiency_rate
FROM pg_stat_user_indexes
ORDER BY efficiency_rate DESC;

-- パフォーマンス統計取得
CREATE VIEW public.performance_metrics AS
SELECT
    'Database Size' AS metric_name,
    pg_size_pretty(pg_database_size(current_database())) AS metric_value
UNION ALL
SELECT
    'Active Connections',
    count(*)::text
FROM pg_stat_activity
WHERE state = 'active'
UNION ALL
SELECT
    'Cache Hit Ratio',
    coalesce(round((sum(heap_blks_hit) / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0)) * 100, 2), 100)::text || '%'
FROM pg_statio_user_tables;

-- ---------------------------------------------------------------------------------------------
-- 統合データアーカイブ関数: soft-deletes finished records older than the cutoff and reports a
-- row per table.  Runs with the caller's rights (an administrator's RLS policy).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.archive_old_data(cutoff_date date)
RETURNS TABLE (context_name text, table_name text, archived_count integer, archive_status text)
LANGUAGE plpgsql AS $$
DECLARE
    context_table record;
    n integer;
BEGIN
    FOR context_table IN
        SELECT 'project_context' AS schema_name, 'projects' AS tbl,
               'status IN (''COMPLETED'', ''CANCELLED'', ''LOST'') AND end_date < $1' AS archive_condition
        UNION ALL
        SELECT 'timesheet_context', 'timesheets', 'status = ''APPROVED'' AND period_date < $1'
        UNION ALL
        SELECT 'billing_context', 'invoices', 'status = ''PAID'' AND invoice_date < $1'
        UNION ALL
        SELECT 'notification_context', 'notifications', 'status IN (''SENT'', ''READ'') AND created_at < $1'
    LOOP
        BEGIN
            EXECUTE format(
                'UPDATE %I.%I SET deleted_at = CURRENT_TIMESTAMP WHERE %s AND deleted_at IS NULL',
                context_table.schema_name, context_table.tbl, context_table.archive_condition
            ) USING cutoff_date;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, n, 'SUCCESS'::text;
        EXCEPTION WHEN OTHERS THEN
            RETURN QUERY SELECT context_table.schema_name::text, context_table.tbl::text, 0, SQLERRM::text;
        END;
    END LOOP;
    RETURN;
END;
$$;
REVOKE ALL ON FUNCTION public.archive_old_data(date) FROM PUBLIC;
