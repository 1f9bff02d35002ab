-- Engineer Context (技術者管理): the engineer pool (our employees, partner-company engineers and
-- freelancers), partner companies (BP), skills, certifications and availability.

-- パートナー企業 (BP): companies whose engineers we place; we buy from them.
CREATE TABLE engineer_context.partner_companies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,30}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_kana text,
    corporate_number text CHECK (corporate_number ~ '^[0-9]{13}$'),
    -- 適格請求書発行事業者: registered partners' invoices carry full input-tax deduction.
    registration_number text CHECK (registration_number ~ '^T[0-9]{13}$'),
    is_sole_proprietor boolean NOT NULL DEFAULT false,
    capital_yen bigint CHECK (capital_yen >= 0),
    employee_count integer CHECK (employee_count >= 0),
    -- 取適法 (ex 下請法) / フリーランス法 coverage: decided by staff per capital/employee bands.
    subcontract_act_covered boolean NOT NULL DEFAULT false,
    freelance_act_covered boolean NOT NULL DEFAULT false,
    postal_code text,
    address text,
    phone text,
    contact_name text,
    contact_email text,
    closing_day smallint NOT NULL DEFAULT 0 CHECK (closing_day BETWEEN 0 AND 28),
    payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
    payment_day smallint NOT NULL DEFAULT 0 CHECK (payment_day BETWEEN 0 AND 28),
    payment_holiday_rule text NOT NULL DEFAULT 'PREVIOUS'
        CHECK (payment_holiday_rule IN ('PREVIOUS', 'NEXT')),
    bank_account_encrypted text,               -- encrypt_personal_data(json of bank details)
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_partner_companies_code ON engineer_context.partner_companies (code)
    WHERE deleted_at IS NULL;

-- 技術者基本情報
CREATE TABLE engineer_context.engineers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,30}$'),
    -- 正社員 / 契約社員 / 個人事業主 / BP (partner company's engineer)
    employment_type text NOT NULL CHECK (employment_type IN
        ('EMPLOYEE', 'CONTRACT_EMPLOYEE', 'FREELANCE', 'PARTNER')),
    partner_company_id uuid REFERENCES engineer_context.partner_companies (id),
    -- Received from another company under dispatch: may not be placed again (二重派遣).
    received_under_dispatch boolean NOT NULL DEFAULT false,
    full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
    full_name_kana text,
    initials text,                             -- shown on anonymised skill sheets
    email text,
    -- Personal data, encrypted with encrypt_personal_data() (pgcrypto, key outside the DB).
    phone_encrypted text,
    address_encrypted text,
    birth_date_encrypted text,
    gender_encrypted text,
    nationality_encrypted text,
    bank_account_encrypted text,
    nearest_station text,
    work_style_preference text NOT NULL DEFAULT 'ANY'
        CHECK (work_style_preference IN ('ONSITE', 'REMOTE', 'HYBRID', 'ANY')),
    desired_rate integer CHECK (desired_rate >= 0),       -- monthly, yen, tax excluded
    availability_status text NOT NULL DEFAULT 'AVAILABLE' CHECK (availability_status IN
        ('AVAILABLE', 'ASSIGNED', 'ROLLING_OFF', 'UNAVAILABLE')),
    available_from date,
    japanese_level text NOT NULL DEFAULT 'NATIVE' CHECK (japanese_level IN
        ('NATIVE', 'BUSINESS', 'N1', 'N2', 'N3', 'N4', 'N5', 'NONE')),
    -- 在留資格 and its expiry (job-related: may be used as a hard filter)
    work_authorization text,
    work_authorization_expires_on date,
    experience_years numeric(4, 1) CHECK (experience_years >= 0),
    roles text[] NOT NULL DEFAULT '{}',        -- PM / PL / SE / PG ...
    -- [{"name": "Java", "category": "LANGUAGE", "years": 5.0, "level": 4}, ...]
    skills jsonb NOT NULL DEFAULT '[]'::jsonb,
    summary text,                              -- 自己PR / 得意分野
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_engineers_partner CHECK ((employment_type = 'PARTNER') = (partner_company_id IS NOT NULL))
);
CREATE UNIQUE INDEX uq_engineers_code ON engineer_context.engineers (code) WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_name_trgm ON engineer_context.engineers USING gin (full_name gin_trgm_ops)
    WHERE deleted_at IS NULL;

-- スキル評価
CREATE TABLE engineer_context.skill_assessments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id),
    skill_category text NOT NULL CHECK (skill_category IN ('LANGUAGE', 'FRAMEWORK', 'DATABASE',
        'CLOUD', 'INFRASTRUCTURE', 'OS', 'TOOL', 'METHOD', 'BUSINESS', 'OTHER')),
    skill_name text NOT NULL,
    skill_level smallint NOT NULL CHECK (skill_level BETWEEN 1 AND 5),
    years_experience numeric(4, 1) NOT NULL DEFAULT 0 CHECK (years_experience >= 0),
    last_used_year smallint,
    assessed_by uuid,                          -- platform.users (self-assessment when null)
    assessed_at timestamptz NOT NULL DEFAULT now(),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_skill_assessments_engineer_skill
    ON engineer_context.skill_assessments (engineer_id, lower(skill_name)) WHERE deleted_at IS NULL;

-- 資格情報
CREATE TABLE engineer_context.certifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id),
    name text NOT NULL,
    issuer text,
    certificate_number text,
    acquired_on date,
    expires_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

-- 稼働可能期間: declared availability and roll-off dates derived from contracts.
CREATE TABLE engineer_context.availability_periods (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id),
    available_from date NOT NULL,
    available_to date,
    source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'CONTRACT_ROLL_OFF')),
    contract_id uuid,                          -- contract_context.contracts for roll-offs
    utilization_percent smallint NOT NULL DEFAULT 100 CHECK (utilization_percent BETWEEN 1 AND 100),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_availability_periods_range CHECK (available_to IS NULL OR available_to >= available_from)
);

-- 職務経歴: project history shown on the skill sheet (スキルシート).
CREATE TABLE engineer_context.work_histories (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id),
    started_on date NOT NULL,
    ended_on date,
    project_summary text NOT NULL,
    industry text,
    role text,
    team_size smallint,
    phases text[] NOT NULL DEFAULT '{}',
    technologies text[] NOT NULL DEFAULT '{}',
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_work_histories_period CHECK (ended_on IS NULL OR ended_on >= started_on)
);

CREATE TRIGGER trigger_validate_skill_assessments_references
    BEFORE INSERT OR UPDATE ON engineer_context.skill_assessments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'assessed_by', 'platform', 'users');
CREATE TRIGGER trigger_validate_availability_periods_references
    BEFORE INSERT OR UPDATE ON engineer_context.availability_periods
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts');

SELECT platform.attach_common_triggers('engineer_context');
