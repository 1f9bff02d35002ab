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

-- Refreshed by the owner (REFRESH needs ownership); callers only need EXECUTE.  Each refresh is
-- logged in report_context.view_refreshes (the operations page shows the last one per view).
CREATE FUNCTION report_context.refresh_materialized_views() RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, report_context AS $$
DECLARE
    v text;
    t0 timestamptz;
BEGIN
    FOREACH v IN ARRAY ARRAY['integrated_dashboard_stats', 'monthly_revenue_stats'] LOOP
        t0 := clock_timestamp();
        BEGIN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY report_context.%I', v);
            INSERT INTO report_context.view_refreshes (view_name, started_at, finished_at, duration_ms,
                                                      status, triggered_by)
            VALUES (v, t0, clock_timestamp(),
                    (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer, 'DONE',
                    platform.current_user_id());
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO report_context.view_refreshes (view_name, started_at, finished_at, duration_ms,
                                                      status, error, triggered_by)
            VALUES (v, t0, clock_timestamp(),
                    (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer, 'FAILED', SQLERRM,
                    platform.current_user_id());
        END;
    END LOOP;
    RETURN clock_timestamp();
END;
$$;
REVOKE ALL ON FUNCTION report_context.refresh_materialized_views() FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- KPI (report_context.kpi_definitions.sql_view names these functions).  Each takes a period
-- [p_start, p_end] (a month) and returns one row per dimension: COMPANY (dimension_id NULL),
-- CUSTOMER, ENGINEER.  Money is tax excluded, integer yen; rates are percent, one decimal.
-- They run with the caller's rights; report_context.snapshot_kpis() (the owner) stores them.
-- ---------------------------------------------------------------------------------------------

-- 自社の技術者 (正社員・契約社員): the population of 稼働率 and 待機人数.
CREATE FUNCTION report_context.own_engineers_assigned(p_start date, p_end date)
RETURNS TABLE (engineer_id uuid, assigned boolean)
LANGUAGE sql STABLE AS $$
    SELECT e.id, EXISTS (
        SELECT 1 FROM contract_context.contracts k
        WHERE k.engineer_id = e.id AND k.side = 'SELL' AND k.deleted_at IS NULL
          AND k.status IN ('CONCLUDED', 'ACTIVE', 'ENDED')
          AND k.start_date <= p_end AND k.end_date >= p_start)
    FROM engineer_context.engineers e
    WHERE e.deleted_at IS NULL AND e.employment_type IN ('EMPLOYEE', 'CONTRACT_EMPLOYEE')
$$;

-- 稼働率 = engineers with a SELL contract in the period ÷ own engineers × 100
CREATE FUNCTION report_context.kpi_utilization(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'COMPANY', NULL::uuid,
           CASE WHEN count(*) = 0 THEN 0 ELSE round(100.0 * count(*) FILTER (WHERE assigned) / count(*), 1) END,
           jsonb_build_object('assigned', count(*) FILTER (WHERE assigned), 'headcount', count(*))
    FROM report_context.own_engineers_assigned(p_start, p_end)
$$;

-- 待機人数 = own engineers without a SELL contract in the period
CREATE FUNCTION report_context.kpi_bench(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'COMPANY', NULL::uuid, count(*) FILTER (WHERE NOT assigned)::numeric,
           jsonb_build_object('engineer_ids', coalesce(jsonb_agg(engineer_id) FILTER (WHERE NOT assigned), '[]'),
                              'headcount', count(*))
    FROM report_context.own_engineers_assigned(p_start, p_end)
$$;

-- 売上: invoice lines (tax excluded) of issued invoices for the service month; a credit note's
-- negative lines cancel the invoice they correct.
CREATE FUNCTION report_context.sales_lines(p_start date, p_end date)
RETURNS TABLE (customer_id uuid, engineer_id uuid, amount bigint)
LANGUAGE sql STABLE AS $$
    SELECT i.customer_id, l.engineer_id, l.amount
    FROM billing_context.invoice_billing_items l
    JOIN billing_context.invoices i ON i.id = l.invoice_id AND i.invoice_year = l.invoice_year
    WHERE i.deleted_at IS NULL AND l.deleted_at IS NULL AND i.status <> 'DRAFT'
      AND make_date(coalesce(l.period_year, i.invoice_year), coalesce(l.period_month, i.invoice_month), 1)
          BETWEEN date_trunc('month', p_start)::date AND p_end
$$;

-- 仕入 (外注費): purchase statement lines (tax excluded) for the service month, attributed to
-- the customer of the SELL contract the BUY contract backs.
CREATE FUNCTION report_context.purchase_lines(p_start date, p_end date)
RETURNS TABLE (customer_id uuid, engineer_id uuid, amount bigint)
LANGUAGE sql STABLE AS $$
    SELECT s.customer_id, coalesce(pl.engineer_id, b.engineer_id), pl.amount
    FROM billing_context.purchase_statement_lines pl
    JOIN billing_context.purchase_statements ps ON ps.id = pl.statement_id
    JOIN contract_context.contracts b ON b.id = pl.contract_id
    LEFT JOIN contract_context.contracts s ON s.id = b.sell_contract_id
    WHERE ps.deleted_at IS NULL AND pl.deleted_at IS NULL AND pl.released_at IS NULL
      AND ps.status NOT IN ('DRAFT', 'CANCELLED')
      AND make_date(pl.period_year, pl.period_month, 1) BETWEEN date_trunc('month', p_start)::date AND p_end
$$;

-- Sales and purchases side by side per dimension (COMPANY, CUSTOMER, ENGINEER).
CREATE FUNCTION report_context.margin_by_dimension(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, sales bigint, cost bigint)
LANGUAGE sql STABLE AS $$
    WITH lines AS (
        SELECT customer_id, engineer_id, amount AS sales, 0::bigint AS cost
        FROM report_context.sales_lines(p_start, p_end)
        UNION ALL
        SELECT customer_id, engineer_id, 0, amount FROM report_context.purchase_lines(p_start, p_end))
    SELECT 'COMPANY', NULL::uuid, coalesce(sum(sales), 0)::bigint, coalesce(sum(cost), 0)::bigint FROM lines
    UNION ALL
    SELECT 'CUSTOMER', customer_id, sum(sales)::bigint, sum(cost)::bigint FROM lines
    WHERE customer_id IS NOT NULL GROUP BY customer_id
    UNION ALL
    SELECT 'ENGINEER', engineer_id, sum(sales)::bigint, sum(cost)::bigint FROM lines
    WHERE engineer_id IS NOT NULL GROUP BY engineer_id
$$;

CREATE FUNCTION report_context.kpi_revenue(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT dimension_type, dimension_id, sales::numeric, '{}'::jsonb
    FROM report_context.margin_by_dimension(p_start, p_end)
    WHERE dimension_type = 'COMPANY' OR sales <> 0
$$;

-- 粗利 = 売上 − 仕入.  Our own employees have no purchase: their labour cost is not in the system.
CREATE FUNCTION report_context.kpi_gross_margin(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT dimension_type, dimension_id, (sales - cost)::numeric,
           jsonb_build_object('sales', sales, 'cost', cost)
    FROM report_context.margin_by_dimension(p_start, p_end)
    WHERE dimension_type = 'COMPANY' OR sales <> 0 OR cost <> 0
$$;

-- 粗利率 = 粗利 ÷ 売上 × 100 (where there are sales)
CREATE FUNCTION report_context.kpi_margin_rate(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT dimension_type, dimension_id, round(100.0 * (sales - cost) / sales, 1),
           jsonb_build_object('sales', sales, 'cost', cost)
    FROM report_context.margin_by_dimension(p_start, p_end)
    WHERE sales > 0
$$;

-- Receivables at the end of the period (or today, for the running month): issued invoices
-- minus what was applied to them by then.
CREATE FUNCTION report_context.open_invoices(p_end date)
RETURNS TABLE (customer_id uuid, open_amount bigint, overdue boolean)
LANGUAGE sql STABLE AS $$
    WITH asof AS (SELECT least(p_end, current_date) AS d)
    SELECT i.customer_id,
           i.total_amount - coalesce((SELECT sum(p.applied_amount) FROM billing_context.invoice_payments p
                                      WHERE p.invoice_id = i.id AND p.invoice_year = i.invoice_year
                                        AND p.deleted_at IS NULL AND p.paid_on <= asof.d), 0),
           i.due_date < asof.d
    FROM billing_context.invoices i, asof
    WHERE i.deleted_at IS NULL AND i.status NOT IN ('DRAFT', 'CANCELLED') AND i.kind <> 'CREDIT_NOTE'
      AND i.invoice_date <= asof.d
$$;

CREATE FUNCTION report_context.receivables(p_end date, p_overdue_only boolean)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    WITH open AS (SELECT * FROM report_context.open_invoices(p_end)
                  WHERE open_amount > 0 AND (overdue OR NOT p_overdue_only))
    SELECT 'COMPANY', NULL::uuid, coalesce(sum(open_amount), 0)::numeric,
           jsonb_build_object('invoices', count(*)) FROM open
    UNION ALL
    SELECT 'CUSTOMER', customer_id, sum(open_amount)::numeric, jsonb_build_object('invoices', count(*))
    FROM open GROUP BY customer_id
$$;

CREATE FUNCTION report_context.kpi_invoices_outstanding(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$ SELECT * FROM report_context.receivables(p_end, false) $$;

CREATE FUNCTION report_context.kpi_invoices_overdue(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$ SELECT * FROM report_context.receivables(p_end, true) $$;

-- 工数表提出率 = SELL contracts of the period whose month's timesheet is submitted (or further)
-- ÷ SELL contracts of the period × 100
CREATE FUNCTION report_context.kpi_timesheet_submission(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    WITH expected AS (
        SELECT k.id FROM contract_context.contracts k
        WHERE k.side = 'SELL' AND k.deleted_at IS NULL AND k.status IN ('CONCLUDED', 'ACTIVE', 'ENDED')
          AND k.start_date <= p_end AND k.end_date >= p_start),
    submitted AS (
        SELECT DISTINCT t.contract_id FROM timesheet_context.timesheets t JOIN expected e ON e.id = t.contract_id
        WHERE t.period_year = extract(year FROM p_start) AND t.period_month = extract(month FROM p_start)
          AND t.deleted_at IS NULL AND t.status NOT IN ('DRAFT', 'RETURNED'))
    SELECT 'COMPANY', NULL::uuid,
           CASE WHEN (SELECT count(*) FROM expected) = 0 THEN 0
                ELSE round(100.0 * (SELECT count(*) FROM submitted) / (SELECT count(*) FROM expected), 1) END,
           jsonb_build_object('submitted', (SELECT count(*) FROM submitted),
                              'expected', (SELECT count(*) FROM expected))
$$;

-- 翌月終了の契約: SELL contracts ending in the month after the period
CREATE FUNCTION report_context.kpi_contracts_ending(p_start date, p_end date)
RETURNS TABLE (dimension_type text, dimension_id uuid, value numeric, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT 'COMPANY', NULL::uuid, count(*)::numeric,
           jsonb_build_object('contract_ids', coalesce(jsonb_agg(k.id ORDER BY k.end_date), '[]'))
    FROM contract_context.contracts k
    WHERE k.side = 'SELL' AND k.deleted_at IS NULL AND k.status IN ('CONCLUDED', 'ACTIVE')
      AND k.end_date BETWEEN (date_trunc('month', p_start) + interval '1 month')::date
                         AND (date_trunc('month', p_start) + interval '2 months' - interval '1 day')::date
$$;

-- Store every active KPI of a month (replacing that month's earlier snapshot).  Returns rows.
CREATE FUNCTION report_context.snapshot_kpis(p_month date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    d record;
    p_start date := date_trunc('month', p_month)::date;
    p_end date := (date_trunc('month', p_month) + interval '1 month' - interval '1 day')::date;
    n integer := 0;
    added integer;
BEGIN
    FOR d IN SELECT id, sql_view FROM report_context.kpi_definitions
             WHERE is_active AND deleted_at IS NULL AND sql_view IS NOT NULL LOOP
        DELETE FROM report_context.kpi_values WHERE kpi_definition_id = d.id AND period_start = p_start;
        EXECUTE format('INSERT INTO report_context.kpi_values (kpi_definition_id, period_start, period_end,'
                       ' dimension_type, dimension_id, value, details)'
                       ' SELECT $1, $2, $3, k.dimension_type, k.dimension_id, k.value, k.details'
                       ' FROM %s($2, $3) k', d.sql_view::regproc)
            USING d.id, p_start, p_end;
        GET DIAGNOSTICS added = ROW_COUNT;
        n := n + added;
    END LOOP;
    RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION report_context.snapshot_kpis(date) FROM PUBLIC;

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
