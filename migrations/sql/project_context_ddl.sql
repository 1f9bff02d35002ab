-- Project Context (案件管理): client companies (顧客) and their contacts, cases (案件) with
-- requirements, phases and milestones.

-- 顧客企業: the companies we bill.  Payment terms drive invoice due dates (DOMAIN.md §4).
CREATE TABLE project_context.customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,30}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_kana text,
    -- 法人番号 (13 digits, check digit validated by the application) and the qualified-invoice
    -- registration number (T + 13 digits).
    corporate_number text CHECK (corporate_number ~ '^[0-9]{13}$'),
    registration_number text CHECK (registration_number ~ '^T[0-9]{13}$'),
    honorific text NOT NULL DEFAULT '御中' CHECK (honorific IN ('御中', '様')),
    postal_code text CHECK (postal_code ~ '^[0-9]{3}-?[0-9]{4}$'),
    address text,
    phone text,
    billing_department text,
    billing_contact_name text,
    billing_email text,
    -- 締め日: 0 = month end, else day of month.  支払: months after closing, day (0 = month end).
    closing_day smallint NOT NULL DEFAULT 0 CHECK (closing_day BETWEEN 0 AND 28),
    payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
    payment_day smallint NOT NULL DEFAULT 0 CHECK (payment_day BETWEEN 0 AND 28),
    payment_holiday_rule text NOT NULL DEFAULT 'PREVIOUS'
        CHECK (payment_holiday_rule IN ('PREVIOUS', 'NEXT')),
    -- 合算請求 (one invoice per customer per month) or one invoice per contract.
    invoice_grouping text NOT NULL DEFAULT 'PER_CUSTOMER'
        CHECK (invoice_grouping IN ('PER_CUSTOMER', 'PER_CONTRACT')),
    attach_work_report boolean NOT NULL DEFAULT false,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_customers_code ON project_context.customers (code) WHERE deleted_at IS NULL;
CREATE INDEX idx_customers_name_trgm ON project_context.customers USING gin (name gin_trgm_ops)
    WHERE deleted_at IS NULL;

CREATE TABLE project_context.customer_contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES project_context.customers (id),
    name text NOT NULL,
    name_kana text,
    department text,
    title text,
    email text,
    phone text,
    is_billing_contact boolean NOT NULL DEFAULT false,
    is_work_report_approver boolean NOT NULL DEFAULT false,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

-- 案件
CREATE TABLE project_context.projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,30}$'),
    customer_id uuid NOT NULL REFERENCES project_context.customers (id),
    end_user_name text,                        -- エンドユーザー when the customer is a prime/tier
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text,
    -- 引合 → 提案中 → 受注 → 稼働中 → 完了 / 失注 / 中止
    status text NOT NULL DEFAULT 'INQUIRY' CHECK (status IN ('INQUIRY', 'PROPOSING', 'ORDERED',
        'ACTIVE', 'COMPLETED', 'LOST', 'CANCELLED')),
    priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),   -- 1 = highest
    start_date date,
    end_date date,
    location text,
    nearest_station text,
    work_style text NOT NULL DEFAULT 'ONSITE' CHECK (work_style IN ('ONSITE', 'REMOTE', 'HYBRID')),
    headcount smallint NOT NULL DEFAULT 1 CHECK (headcount BETWEEN 1 AND 999),
    -- 単価 (monthly, yen, tax excluded) and 精算幅 (hours)
    rate_min integer CHECK (rate_min >= 0),
    rate_max integer CHECK (rate_max >= 0),
    settlement_lower_hours numeric(6, 2),
    settlement_upper_hours numeric(6, 2),
    -- 商流: our position in the chain (1 = we contract with the end user) and restrictions.
    chain_position smallint NOT NULL DEFAULT 1 CHECK (chain_position BETWEEN 1 AND 9),
    chain_restriction text NOT NULL DEFAULT 'NONE' CHECK (chain_restriction IN
        ('NONE', 'NO_FURTHER_TIERS', 'PARTNER_ONE_TIER', 'NO_SOLE_PROPRIETORS', 'EMPLOYEES_ONLY')),
    required_japanese_level text CHECK (required_japanese_level IN
        ('NATIVE', 'BUSINESS', 'N1', 'N2', 'N3', 'N4', 'N5', 'NONE')),
    -- {"skills": [{"name": "Java", "min_years": 3, "mandatory": true}], "phases": [...],
    --  "roles": ["SE"], "japanese_level": "BUSINESS", "notes": "..."}
    requirements jsonb NOT NULL DEFAULT '{}'::jsonb,
    project_manager_id uuid,                   -- platform.users
    sales_manager_id uuid,                     -- platform.users
    ordered_at timestamptz,
    closed_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_projects_period CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    CONSTRAINT ck_projects_rate_range CHECK (rate_max IS NULL OR rate_min IS NULL OR rate_max >= rate_min),
    CONSTRAINT ck_projects_settlement CHECK (settlement_upper_hours IS NULL OR settlement_lower_hours IS NULL
        OR settlement_upper_hours >= settlement_lower_hours)
);
CREATE UNIQUE INDEX uq_projects_code ON project_context.projects (code) WHERE deleted_at IS NULL;
CREATE INDEX idx_projects_title_trgm ON project_context.projects USING gin (title gin_trgm_ops)
    WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_projects_references
    BEFORE INSERT OR UPDATE ON project_context.projects
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'project_manager_id', 'platform', 'users',
        'sales_manager_id', 'platform', 'users');

-- 要件定義: one row per requirement, mirrored into projects.requirements for GIN search.
CREATE TABLE project_context.project_requirements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id),
    requirement_type text NOT NULL CHECK (requirement_type IN
        ('SKILL', 'PHASE', 'ROLE', 'LANGUAGE', 'CERTIFICATION', 'OTHER')),
    name text NOT NULL,
    min_years numeric(4, 1) CHECK (min_years >= 0),
    min_level smallint CHECK (min_level BETWEEN 1 AND 5),
    is_mandatory boolean NOT NULL DEFAULT true,
    description text,
    sort_order smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

-- フェーズ管理 (要件定義 / 基本設計 / 詳細設計 / 製造 / テスト / 運用保守)
CREATE TABLE project_context.project_phases (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id),
    name text NOT NULL,
    phase_type text NOT NULL CHECK (phase_type IN
        ('REQUIREMENTS', 'BASIC_DESIGN', 'DETAILED_DESIGN', 'BUILD', 'TEST', 'OPERATIONS')),
    start_date date,
    end_date date,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE')),
    sort_order smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_project_phases_period CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE TABLE project_context.project_milestones (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES project_context.projects (id),
    phase_id uuid REFERENCES project_context.project_phases (id),
    name text NOT NULL,
    due_date date NOT NULL,
    completed_on date,
    status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE', 'MISSED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

SELECT platform.attach_common_triggers('project_context');
