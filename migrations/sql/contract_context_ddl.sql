-- Contract Context (契約管理): templates, contracts with their settlement and payment terms,
-- the commercial chain (sell side to the customer, buy side from the partner), amendments and
-- electronic signatures.

-- 契約テンプレート: Japanese clause text with {placeholders}, versioned.
CREATE TABLE contract_context.contract_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
    name text NOT NULL,
    contract_type text NOT NULL CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH', 'CONTRACTED_WORK')),
    template_version integer NOT NULL DEFAULT 1 CHECK (template_version >= 1),
    body text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    effective_from date NOT NULL DEFAULT current_date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_contract_templates_code_version
    ON contract_context.contract_templates (code, template_version) WHERE deleted_at IS NULL;

-- 契約.  One row is one link of the commercial chain: SELL = we provide the engineer to the
-- customer; BUY = we receive the engineer from a partner company (or a freelancer).  Each side
-- is settled separately from the same approved hours (DOMAIN.md §1).
CREATE TABLE contract_context.contracts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_number text NOT NULL CHECK (contract_number ~ '^[A-Za-z0-9_-]{1,40}$'),
    contract_type text NOT NULL CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH', 'CONTRACTED_WORK')),
    side text NOT NULL DEFAULT 'SELL' CHECK (side IN ('SELL', 'BUY')),
    sell_contract_id uuid REFERENCES contract_context.contracts (id),   -- BUY: the sale it backs
    renewed_from_id uuid REFERENCES contract_context.contracts (id),
    template_id uuid REFERENCES contract_context.contract_templates (id),
    project_id uuid NOT NULL,                  -- project_context.projects
    engineer_id uuid NOT NULL,                 -- engineer_context.engineers
    customer_id uuid,                          -- project_context.customers (SELL)
    partner_company_id uuid,                   -- engineer_context.partner_companies (BUY)
    matching_result_id uuid,                   -- matching_context.matching_results
    title text NOT NULL,
    -- 下書き → 承認待ち → 締結 → 稼働中 → 終了 / 解約
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PENDING_APPROVAL', 'CONCLUDED',
        'ACTIVE', 'ENDED', 'TERMINATED')),
    start_date date NOT NULL,
    end_date date NOT NULL,
    monthly_price integer NOT NULL CHECK (monthly_price >= 0),        -- yen, tax excluded
    tax_rate_percent smallint NOT NULL DEFAULT 10 CHECK (tax_rate_percent IN (0, 8, 10)),
    -- 精算: NONE (月額固定), UPPER_LOWER (上下割), MIDDLE (中間割), FIXED (rates in the contract)
    settlement_method text NOT NULL DEFAULT 'UPPER_LOWER'
        CHECK (settlement_method IN ('NONE', 'UPPER_LOWER', 'MIDDLE', 'FIXED')),
    lower_hours numeric(6, 2),
    upper_hours numeric(6, 2),
    excess_rate integer CHECK (excess_rate >= 0),          -- FIXED: yen per hour
    deduction_rate integer CHECK (deduction_rate >= 0),
    rate_rounding_unit integer NOT NULL DEFAULT 10 CHECK (rate_rounding_unit IN (1, 10, 100, 1000)),
    rate_rounding_mode text NOT NULL DEFAULT 'FLOOR' CHECK (rate_rounding_mode IN ('FLOOR', 'HALF_UP', 'CEIL')),
    -- Round the hourly rate (usual) or the adjustment amount (variant, DOMAIN.md §2).
    rounding_target text NOT NULL DEFAULT 'RATE' CHECK (rounding_target IN ('RATE', 'AMOUNT')),
    hours_rounding_minutes smallint NOT NULL DEFAULT 15 CHECK (hours_rounding_minutes IN (1, 5, 10, 15, 30, 60)),
    hours_rounding_scope text NOT NULL DEFAULT 'MONTHLY' CHECK (hours_rounding_scope IN ('DAILY', 'MONTHLY')),
    hours_rounding_mode text NOT NULL DEFAULT 'FLOOR' CHECK (hours_rounding_mode IN ('FLOOR', 'HALF_UP', 'CEIL')),
    -- 日割り for a first/last partial month
    partial_month_rule text NOT NULL DEFAULT 'BUSINESS_DAYS'
        CHECK (partial_month_rule IN ('CALENDAR_DAYS', 'BUSINESS_DAYS', 'NONE')),
    -- 支払条件: 締め日 (0 = month end), months after closing, day (0 = month end), holiday move
    closing_day smallint NOT NULL DEFAULT 0 CHECK (closing_day BETWEEN 0 AND 28),
    payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
    payment_day smallint NOT NULL DEFAULT 0 CHECK (payment_day BETWEEN 0 AND 28),
    payment_holiday_rule text NOT NULL DEFAULT 'PREVIOUS' CHECK (payment_holiday_rule IN ('PREVIOUS', 'NEXT')),
    chain_position smallint NOT NULL DEFAULT 1 CHECK (chain_position BETWEEN 1 AND 9),
    chain_restriction text NOT NULL DEFAULT 'NONE' CHECK (chain_restriction IN
        ('NONE', 'NO_FURTHER_TIERS', 'PARTNER_ONE_TIER', 'NO_SOLE_PROPRIETORS', 'EMPLOYEES_ONLY')),
    -- What DOMAIN.md §1 requires per type: SES responsible person and work report; dispatch
    -- licence and ledger data; 請負 deliverables, acceptance and defect liability.
    responsible_person text,
    client_supervisor text,
    work_site text,
    work_description text,
    dispatch_license_number text,
    deliverables text,
    acceptance_date date,
    defect_liability_months smallint,
    -- Snapshot of the terms for search and the document: {"settlement": {...}, "payment": {...},
    -- "clauses": [...]}
    contract_terms jsonb NOT NULL DEFAULT '{}'::jsonb,
    document_pdf bytea,
    document_sha256 text CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    concluded_at timestamptz,
    terminated_at timestamptz,
    termination_reason text,
    notes text,
    created_by uuid,                           -- platform.users
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_contracts_period CHECK (end_date >= start_date),
    CONSTRAINT ck_contracts_counterparty CHECK (
        (side = 'SELL' AND customer_id IS NOT NULL) OR (side = 'BUY' AND customer_id IS NULL)),
    CONSTRAINT ck_contracts_settlement CHECK (
        settlement_method = 'NONE'
        OR (lower_hours IS NOT NULL AND upper_hours IS NOT NULL AND upper_hours >= lower_hours
            AND lower_hours > 0)),
    CONSTRAINT ck_contracts_fixed_rates CHECK (
        settlement_method <> 'FIXED' OR (excess_rate IS NOT NULL AND deduction_rate IS NOT NULL))
);
CREATE UNIQUE INDEX uq_contracts_number ON contract_context.contracts (contract_number)
    WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_contracts_references
    BEFORE INSERT OR UPDATE ON contract_context.contracts
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'project_id', 'project_context', 'projects',
        'engineer_id', 'engineer_context', 'engineers',
        'customer_id', 'project_context', 'customers',
        'partner_company_id', 'engineer_context', 'partner_companies',
        'matching_result_id', 'matching_context', 'matching_results',
        'created_by', 'platform', 'users');

-- 電子署名: who signed which exact document (SHA-256 of the PDF), when and from where.
CREATE TABLE contract_context.contract_signatures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id uuid NOT NULL REFERENCES contract_context.contracts (id),
    party text NOT NULL CHECK (party IN ('OUR_COMPANY', 'CUSTOMER', 'PARTNER')),
    signer_user_id uuid NOT NULL,              -- platform.users
    signer_name text NOT NULL,
    signer_title text,
    signed_at timestamptz NOT NULL DEFAULT now(),
    ip_address inet,
    user_agent text,
    document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    signature_method text NOT NULL DEFAULT 'CLICK_TO_SIGN',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_contract_signatures_party ON contract_context.contract_signatures
    (contract_id, party) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_contract_signatures_references
    BEFORE INSERT OR UPDATE ON contract_context.contract_signatures
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'signer_user_id', 'platform', 'users');

-- 契約変更: what changed, from which month, and why.  Earlier months keep earlier terms.
CREATE TABLE contract_context.contract_amendments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id uuid NOT NULL REFERENCES contract_context.contracts (id),
    effective_from date NOT NULL,
    reason text NOT NULL,
    -- {"monthly_price": {"old": 800000, "new": 850000}, ...}
    changes jsonb NOT NULL,
    -- The complete price and settlement terms in force from effective_from.
    terms jsonb NOT NULL,
    status text NOT NULL DEFAULT 'APPROVED' CHECK (status IN ('DRAFT', 'APPROVED', 'CANCELLED')),
    approved_by uuid,                          -- platform.users
    approved_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_contract_amendments_effective ON contract_context.contract_amendments
    (contract_id, effective_from) WHERE deleted_at IS NULL AND status <> 'CANCELLED';

CREATE TRIGGER trigger_validate_contract_amendments_references
    BEFORE INSERT OR UPDATE ON contract_context.contract_amendments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'approved_by', 'platform', 'users');

SELECT platform.attach_common_triggers('contract_context');
