-- Timesheet Context (勤怠・工数管理): monthly timesheets per contract (partitioned by month),
-- daily attendance rows, the multi-step approval and post-close adjustments.

-- タイムシート: one per contract and month.  月次パーティショニング on (period_year,
-- period_month).  customer_id / project_id / partner_company_id are copied from the contract
-- so row level security can decide visibility without crossing contexts.
CREATE TABLE timesheet_context.timesheets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    period_year smallint NOT NULL CHECK (period_year BETWEEN 2000 AND 2999),
    period_month smallint NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    period_date date GENERATED ALWAYS AS (make_date(period_year, period_month, 1)) STORED,
    contract_id uuid NOT NULL,                 -- contract_context.contracts (SELL side)
    engineer_id uuid NOT NULL,                 -- engineer_context.engineers
    project_id uuid NOT NULL,                  -- project_context.projects
    customer_id uuid NOT NULL,                 -- project_context.customers
    partner_company_id uuid,                   -- engineer_context.partner_companies
    -- 下書き → 提出 → (BP確認) → 当社承認 → 顧客確認 = 締め (APPROVED, locked); 差戻し → RETURNED
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SUBMITTED', 'PARTNER_CONFIRMED',
        'MANAGER_APPROVED', 'APPROVED', 'RETURNED')),
    -- ATTENDANCE: summed from daily rows; IMPORTED: approved monthly total typed/imported
    source text NOT NULL DEFAULT 'ATTENDANCE' CHECK (source IN ('ATTENDANCE', 'IMPORTED')),
    -- {"worked_minutes": 9630, "late_night_minutes": 0, "work_days": 20, "holiday_work_days": 0,
    --  "paid_leave_days": 1, "absence_days": 0, "billable_hours": "160.50", "rounding": {...}}
    work_summary jsonb NOT NULL DEFAULT '{}'::jsonb,
    worked_minutes integer NOT NULL DEFAULT 0 CHECK (worked_minutes >= 0),
    billable_hours numeric(7, 2) CHECK (billable_hours >= 0),
    submitted_at timestamptz,
    approved_at timestamptz,
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    PRIMARY KEY (id, period_year, period_month)
) PARTITION BY RANGE (period_year, period_month);
CREATE UNIQUE INDEX uq_timesheets_contract_period
    ON timesheet_context.timesheets (contract_id, period_year, period_month) WHERE deleted_at IS NULL;
CREATE INDEX idx_timesheets_id ON timesheet_context.timesheets (id);

CREATE TRIGGER trigger_validate_timesheets_references
    BEFORE INSERT OR UPDATE ON timesheet_context.timesheets
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts',
        'engineer_id', 'engineer_context', 'engineers',
        'project_id', 'project_context', 'projects',
        'customer_id', 'project_context', 'customers',
        'partner_company_id', 'engineer_context', 'partner_companies');

-- 日次勤怠
CREATE TABLE timesheet_context.daily_attendances (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    work_date date NOT NULL,
    -- 通常 / 休日出勤 / 有給 / 欠勤 / 特別休暇 / 振替休日
    kind text NOT NULL DEFAULT 'NORMAL' CHECK (kind IN ('NORMAL', 'HOLIDAY_WORK', 'PAID_LEAVE',
        'ABSENCE', 'SPECIAL_LEAVE', 'SUBSTITUTE_HOLIDAY')),
    start_time time,
    end_time time,                             -- earlier than start_time = across midnight
    break_minutes smallint NOT NULL DEFAULT 0 CHECK (break_minutes BETWEEN 0 AND 1440),
    work_location text NOT NULL DEFAULT 'ONSITE' CHECK (work_location IN ('ONSITE', 'REMOTE')),
    worked_minutes smallint NOT NULL DEFAULT 0 CHECK (worked_minutes BETWEEN 0 AND 1440),
    late_night_minutes smallint NOT NULL DEFAULT 0 CHECK (late_night_minutes BETWEEN 0 AND 1440),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_daily_attendances_timesheet FOREIGN KEY (timesheet_id, period_year, period_month)
        REFERENCES timesheet_context.timesheets (id, period_year, period_month),
    CONSTRAINT ck_daily_attendances_in_period CHECK (
        extract(year FROM work_date) = period_year AND extract(month FROM work_date) = period_month),
    CONSTRAINT ck_daily_attendances_times CHECK ((start_time IS NULL) = (end_time IS NULL))
);
CREATE UNIQUE INDEX uq_daily_attendances_day ON timesheet_context.daily_attendances
    (timesheet_id, work_date) WHERE deleted_at IS NULL;

-- 承認フロー: every decision, by whom, when, with what comment.
CREATE TABLE timesheet_context.timesheet_approval_steps (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    step text NOT NULL CHECK (step IN ('SUBMIT', 'PARTNER_CONFIRM', 'MANAGER_APPROVE',
        'CUSTOMER_CONFIRM', 'REOPEN')),
    decision text NOT NULL CHECK (decision IN ('SUBMITTED', 'APPROVED', 'RETURNED')),
    actor_user_id uuid NOT NULL,               -- platform.users
    actor_name text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_timesheet_approval_steps_timesheet FOREIGN KEY (timesheet_id, period_year, period_month)
        REFERENCES timesheet_context.timesheets (id, period_year, period_month)
);

CREATE TRIGGER trigger_validate_timesheet_approval_steps_references
    BEFORE INSERT OR UPDATE ON timesheet_context.timesheet_approval_steps
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'actor_user_id', 'platform', 'users');

-- 勤怠調整: corrections after close.  They flow into a later invoice; a closed month is never
-- edited.
CREATE TABLE timesheet_context.timesheet_adjustments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    contract_id uuid NOT NULL,                 -- contract_context.contracts
    reason_code text NOT NULL CHECK (reason_code IN ('MISSED_CLOCK', 'OFFICE_CLOSED',
        'LOCATION_CORRECTION', 'BREAK_CORRECTION', 'APPROVED_OVERTIME', 'SUBSTITUTE_HOLIDAY',
        'SICK_LEAVE', 'OTHER')),
    reason text NOT NULL,
    minutes_delta integer NOT NULL CHECK (minutes_delta <> 0),
    status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED', 'BILLED')),
    requested_by uuid NOT NULL,                -- platform.users
    approved_by uuid,                          -- platform.users
    approved_at timestamptz,
    -- The billing month the adjustment is settled in (next invoice) and the line it became.
    apply_year smallint,
    apply_month smallint CHECK (apply_month BETWEEN 1 AND 12),
    invoice_billing_item_id uuid,              -- billing_context.invoice_billing_items
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_timesheet_adjustments_timesheet FOREIGN KEY (timesheet_id, period_year, period_month)
        REFERENCES timesheet_context.timesheets (id, period_year, period_month)
);

CREATE TRIGGER trigger_validate_timesheet_adjustments_references
    BEFORE INSERT OR UPDATE ON timesheet_context.timesheet_adjustments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts',
        'requested_by', 'platform', 'users',
        'approved_by', 'platform', 'users',
        'invoice_billing_item_id', 'billing_context', 'invoice_billing_items');

-- ---------------------------------------------------------------------------------------------
-- A closed month (APPROVED) is never edited: corrections are timesheet_adjustments.  Only the
-- bookkeeping columns may still change (soft delete by archiving, the common triggers).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION timesheet_context.protect_closed_timesheet() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'APPROVED'
       AND (to_jsonb(NEW) - ARRAY['deleted_at', 'updated_at', 'version'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['deleted_at', 'updated_at', 'version']) THEN
        RAISE EXCEPTION USING ERRCODE = 'TS001',
            MESSAGE = format('timesheet %s for %s-%s is closed: record an adjustment instead',
                             OLD.id, OLD.period_year, OLD.period_month),
            TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_timesheets_protect_closed
    BEFORE UPDATE ON timesheet_context.timesheets
    FOR EACH ROW EXECUTE FUNCTION timesheet_context.protect_closed_timesheet();

-- Daily rows of a closed month are frozen too.  SECURITY DEFINER: the status is checked whatever
-- the caller's policies let it read.
CREATE FUNCTION timesheet_context.protect_closed_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM timesheet_context.timesheets t
        WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year
          AND t.period_month = NEW.period_month AND t.status = 'APPROVED') THEN
        RAISE EXCEPTION USING ERRCODE = 'TS001',
            MESSAGE = format('timesheet %s is closed: its days cannot change', NEW.timesheet_id),
            TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_daily_attendances_protect_closed
    BEFORE INSERT OR UPDATE ON timesheet_context.daily_attendances
    FOR EACH ROW EXECUTE FUNCTION timesheet_context.protect_closed_days();

-- Each timesheet of a month at most once per contract: the unique index above; an adjustment
-- belongs to a closed month only.
CREATE FUNCTION timesheet_context.check_adjustment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM timesheet_context.timesheets t
                   WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year
                     AND t.period_month = NEW.period_month AND t.status = 'APPROVED'
                     AND t.contract_id = NEW.contract_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'TS002',
            MESSAGE = 'adjustments are recorded against a closed timesheet of the same contract';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_timesheet_adjustments_check
    BEFORE INSERT ON timesheet_context.timesheet_adjustments
    FOR EACH ROW EXECUTE FUNCTION timesheet_context.check_adjustment();

-- The customer sends a work report back (差戻し).  Customers see a month only from the
-- confirmation step on, and PostgreSQL checks an UPDATE's new row against the SELECT policies
-- too: a returned month would be refused as invisible.  This function makes exactly that one
-- move for the customer's own month, waiting for its confirmation, at the version they saw.
CREATE FUNCTION timesheet_context.customer_return(p_id uuid, p_year integer, p_month integer,
                                                 p_version integer)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    WITH moved AS (
        UPDATE timesheet_context.timesheets t SET status = 'RETURNED'
        WHERE t.id = p_id AND t.period_year = p_year AND t.period_month = p_month
          AND t.version = p_version AND t.status = 'MANAGER_APPROVED' AND t.deleted_at IS NULL
          AND platform.current_app_role() = 'customer'
          AND t.customer_id = platform.current_customer_id()
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM moved)
$$;
REVOKE ALL ON FUNCTION timesheet_context.customer_return(uuid, integer, integer, integer) FROM PUBLIC;

CREATE INDEX idx_timesheet_adjustments_unbilled ON timesheet_context.timesheet_adjustments
    (apply_year, apply_month) WHERE deleted_at IS NULL AND status = 'APPROVED';
CREATE INDEX idx_timesheet_approval_steps_timesheet ON timesheet_context.timesheet_approval_steps
    (timesheet_id, decided_at);

SELECT platform.attach_common_triggers('timesheet_context');
