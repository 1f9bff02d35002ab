-- Partitions of the four time-series tables (timesheets and notifications by month, invoices
-- and analytics_data by year), created ahead by platform.create_partitions_ahead(), which the
-- migration, the bulk loaders and a daily scheduled job call.

CREATE FUNCTION platform.create_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    m date := date_trunc('month', p_from)::date;
    nxt date;
    y integer;
    created integer := 0;
BEGIN
    WHILE m <= p_to LOOP
        nxt := (m + interval '1 month')::date;
        created := created + platform.ensure_partition(
            'timesheet_context.timesheets', 'timesheets_' || to_char(m, 'YYYY_MM'),
            format('%s, %s', extract(year FROM m), extract(month FROM m)),
            format('%s, %s', extract(year FROM nxt), extract(month FROM nxt)))::integer;
        -- Month boundaries in Japan time, whatever the session's time zone.
        created := created + platform.ensure_partition(
            'notification_context.notifications', 'notifications_' || to_char(m, 'YYYY_MM'),
            quote_literal(m::text || ' 00:00:00+09'), quote_literal(nxt::text || ' 00:00:00+09'))::integer;
        m := nxt;
    END LOOP;
    FOR y IN extract(year FROM p_from)::integer .. extract(year FROM p_to)::integer LOOP
        created := created + platform.ensure_partition(
            'billing_context.invoices', 'invoices_' || y, y::text, (y + 1)::text)::integer;
        created := created + platform.ensure_partition(
            'report_context.analytics_data', 'analytics_data_' || y, y::text, (y + 1)::text)::integer;
    END LOOP;
    RETURN created;
END;
$$;

-- From last month to p_months ahead (and the whole of next year for the yearly tables).
CREATE FUNCTION platform.create_partitions_ahead(p_months integer DEFAULT 12) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT platform.create_partitions(
        (date_trunc('month', current_date) - interval '1 month')::date,
        greatest((current_date + make_interval(months => p_months))::date,
                 make_date(extract(year FROM current_date)::integer + 1, 12, 31)))
$$;

REVOKE ALL ON FUNCTION platform.create_partitions(date, date), platform.create_partitions_ahead(integer)
    FROM PUBLIC;

SELECT platform.create_partitions('2024-01-01', (current_date + interval '12 months')::date);
SELECT platform.create_partitions_ahead(12);
