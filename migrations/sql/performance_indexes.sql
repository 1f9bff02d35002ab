-- create_performance_indexes.sql: the design's context-specific and JSONB (GIN) indexes.
-- The common ones (created_at, updated_at, deleted_at and every *_id reference) are generated
-- for every table by platform.create_common_indexes() below, following the design's pattern.

-- Marks an index as made by this step, so the downgrade drops exactly these.
CREATE FUNCTION platform.tag_index(p_index regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COMMENT ON INDEX %s IS %L', p_index, 'create_performance_indexes');
END;
$$;

-- Project Context
CREATE INDEX idx_projects_status_priority ON project_context.projects (status, priority) WHERE deleted_at IS NULL;
CREATE INDEX idx_projects_start_end_date ON project_context.projects (start_date, end_date) WHERE deleted_at IS NULL;
-- Engineer Context
CREATE INDEX idx_engineers_availability ON engineer_context.engineers (availability_status) WHERE deleted_at IS NULL;
CREATE INDEX idx_skill_assessments_skill_level ON engineer_context.skill_assessments (skill_category, skill_level) WHERE deleted_at IS NULL;
-- Matching Context
CREATE INDEX idx_matching_status_score ON matching_context.matching_results (status, matching_score DESC) WHERE deleted_at IS NULL;
-- Contract Context
CREATE INDEX idx_contracts_status_period ON contract_context.contracts (status, start_date, end_date) WHERE deleted_at IS NULL;
-- Timesheet Context
CREATE INDEX idx_timesheets_period_status ON timesheet_context.timesheets (period_year, period_month, status) WHERE deleted_at IS NULL;
-- Billing Context
CREATE INDEX idx_invoices_status_due_date ON billing_context.invoices (status, due_date) WHERE deleted_at IS NULL;
-- Report Context
CREATE INDEX idx_analytics_category_date ON report_context.analytics_data (category, target_date) WHERE deleted_at IS NULL;
-- Notification Context
CREATE INDEX idx_notifications_status_priority ON notification_context.notifications (status, priority_level DESC) WHERE deleted_at IS NULL;

-- JSONBデータ検索用GINインデックス
CREATE INDEX idx_projects_requirements_gin ON project_context.projects USING gin (requirements);
CREATE INDEX idx_engineers_skills_gin ON engineer_context.engineers USING gin (skills);
CREATE INDEX idx_matching_criteria_gin ON matching_context.matching_requests USING gin (required_skills);
CREATE INDEX idx_contracts_terms_gin ON contract_context.contracts USING gin (contract_terms);
CREATE INDEX idx_timesheets_work_summary_gin ON timesheet_context.timesheets USING gin (work_summary);
CREATE INDEX idx_invoices_billing_details_gin ON billing_context.invoices USING gin (billing_details);
CREATE INDEX idx_analytics_metrics_gin ON report_context.analytics_data USING gin (metrics);
CREATE INDEX idx_notifications_recipients_gin ON notification_context.notifications USING gin (recipient_users);

-- Columns row level security filters on that are not uuid references.
CREATE INDEX idx_dashboards_role ON report_context.dashboards (role) WHERE owner_user_id IS NULL AND deleted_at IS NULL;

-- Found missing by scripts/bench/capture.py on the large dataset (docs/performance-explain.md):
-- the invoice list's order (newest first) without sorting every invoice, and the engineer
-- search's other columns for the trigram index of full_name.
CREATE INDEX idx_invoices_listing ON billing_context.invoices
    (invoice_date DESC NULLS LAST, invoice_number DESC NULLS LAST) WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_kana_trgm ON engineer_context.engineers USING gin (full_name_kana gin_trgm_ops)
    WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_code_trgm ON engineer_context.engineers USING gin (code gin_trgm_ops)
    WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_station_trgm ON engineer_context.engineers USING gin (nearest_station gin_trgm_ops)
    WHERE deleted_at IS NULL;

SELECT platform.tag_index(i::regclass) FROM unnest(ARRAY[
    'project_context.idx_projects_status_priority', 'project_context.idx_projects_start_end_date',
    'engineer_context.idx_engineers_availability', 'engineer_context.idx_skill_assessments_skill_level',
    'matching_context.idx_matching_status_score', 'contract_context.idx_contracts_status_period',
    'timesheet_context.idx_timesheets_period_status', 'billing_context.idx_invoices_status_due_date',
    'report_context.idx_analytics_category_date', 'notification_context.idx_notifications_status_priority',
    'project_context.idx_projects_requirements_gin', 'engineer_context.idx_engineers_skills_gin',
    'matching_context.idx_matching_criteria_gin', 'contract_context.idx_contracts_terms_gin',
    'timesheet_context.idx_timesheets_work_summary_gin', 'billing_context.idx_invoices_billing_details_gin',
    'report_context.idx_analytics_metrics_gin', 'notification_context.idx_notifications_recipients_gin',
    'report_context.idx_dashboards_role', 'billing_context.idx_invoices_listing',
    'engineer_context.idx_engineers_kana_trgm', 'engineer_context.idx_engineers_code_trgm',
    'engineer_context.idx_engineers_station_trgm'
]) AS i;

-- 共通インデックス戦略, applied to every table of the given schemas:
--   idx_{table}_created_at / _updated_at (live rows), idx_{table}_deleted_at (deleted rows), and
--   idx_{table}_{column} for each uuid reference column (*_id, *_by) not already leading an index.
--   The reference indexes cover every row, not only live ones: row level security policies
--   filter on these columns ("engineer_id = (SELECT platform.current_engineer_id())", "project_id
--   IN (SELECT p.id FROM projects p)") without "deleted_at IS NULL", and PostgreSQL cannot use a
--   partial index whose predicate the query does not imply -- such a policy scanned every
--   partition of the timesheets (scripts/bench/capture.py, docs/performance.md).
CREATE FUNCTION platform.create_common_indexes(p_schemas text[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    c record;
    created integer := 0;
BEGIN
    FOR t IN
        SELECT n.nspname AS sch, cl.relname::text AS tbl, cl.oid
        FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE n.nspname = ANY (p_schemas) AND cl.relkind IN ('r', 'p') AND NOT cl.relispartition
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = cl.oid AND a.attname = 'deleted_at')
    LOOP
        FOR c IN SELECT * FROM (VALUES ('created_at', 'deleted_at IS NULL'),
                                       ('updated_at', 'deleted_at IS NULL'),
                                       ('deleted_at', 'deleted_at IS NOT NULL')) AS v (col, cond)
        LOOP
            EXECUTE format('CREATE INDEX %I ON %I.%I (%I) WHERE %s',
                           'idx_' || t.tbl || '_' || c.col, t.sch, t.tbl, c.col, c.cond);
            PERFORM platform.tag_index(format('%I.%I', t.sch, 'idx_' || t.tbl || '_' || c.col)::regclass);
            created := created + 1;
        END LOOP;
        FOR c IN
            SELECT a.attname::text AS attname FROM pg_attribute a
            WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
              AND a.atttypid = 'uuid'::regtype AND a.attname <> 'id'
              AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indkey[0] = a.attnum)
        LOOP
            EXECUTE format('CREATE INDEX %I ON %I.%I (%I)',
                           left('idx_' || t.tbl || '_' || c.attname, 63), t.sch, t.tbl, c.attname);
            PERFORM platform.tag_index(format('%I.%I', t.sch, left('idx_' || t.tbl || '_' || c.attname, 63))::regclass);
            created := created + 1;
        END LOOP;
    END LOOP;
    RETURN created;
END;
$$;

SELECT platform.create_common_indexes(ARRAY['platform', 'project_context', 'engineer_context',
    'matching_context', 'contract_context', 'timesheet_context', 'billing_context',
    'report_context', 'notification_context']);
