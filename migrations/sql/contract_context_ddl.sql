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

-- Contract numbers (S2026-00001 / B2026-00001): gaps are harmless, collisions impossible, and
-- no one needs to see other managers' contracts to take the next number.
CREATE SEQUENCE contract_context.contract_number_seq;

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
        (side = 'SELL' AND customer_id IS NOT NULL AND partner_company_id IS NULL)
        OR (side = 'BUY' AND customer_id IS NULL AND partner_company_id IS NOT NULL)),
    CONSTRAINT ck_contracts_buy_links_a_sale CHECK (side = 'BUY' OR sell_contract_id IS NULL),
    CONSTRAINT ck_contracts_settlement CHECK (
        settlement_method = 'NONE'
        OR (lower_hours IS NOT NULL AND upper_hours IS NOT NULL AND upper_hours >= lower_hours
            AND lower_hours > 0)),
    CONSTRAINT ck_contracts_fixed_rates CHECK (
        settlement_method <> 'FIXED' OR (excess_rate IS NOT NULL AND deduction_rate IS NOT NULL))
);
CREATE UNIQUE INDEX uq_contracts_number ON contract_context.contracts (contract_number)
    WHERE deleted_at IS NULL;
CREATE INDEX idx_contracts_sell_contract ON contract_context.contracts (sell_contract_id)
    WHERE deleted_at IS NULL AND sell_contract_id IS NOT NULL;
CREATE INDEX idx_contracts_engineer ON contract_context.contracts (engineer_id, start_date)
    WHERE deleted_at IS NULL;
-- One engineer is never on two contracts of the same side at once (terminated ones aside).
-- The service explains which contract overlaps; this is the backstop under concurrency.
ALTER TABLE contract_context.contracts ADD CONSTRAINT ex_contracts_engineer_period
    EXCLUDE USING gist (engineer_id WITH =, side WITH =, daterange(start_date, end_date, '[]') WITH &&)
    WHERE (deleted_at IS NULL AND status <> 'TERMINATED');

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

-- ---------------------------------------------------------------------------------------------
-- 電子署名の完全性 (integrity of signed documents)
-- ---------------------------------------------------------------------------------------------
-- Once anyone has signed, the document and everything it states are frozen: the PDF, its hash,
-- the parties, the period, the price and the settlement/payment terms.  Later changes are
-- amendments (contract_amendments) or a renewal; status moves (締結 -> 稼働中 -> 終了 / 解約),
-- the acceptance date and notes stay editable.
CREATE FUNCTION contract_context.protect_signed_contract() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    frozen constant text[] := ARRAY['contract_number', 'contract_type', 'side', 'sell_contract_id',
        'template_id', 'project_id', 'engineer_id', 'customer_id', 'partner_company_id', 'title',
        'start_date', 'end_date', 'monthly_price', 'tax_rate_percent', 'settlement_method',
        'lower_hours', 'upper_hours', 'excess_rate', 'deduction_rate', 'rate_rounding_unit',
        'rate_rounding_mode', 'rounding_target', 'hours_rounding_minutes', 'hours_rounding_scope',
        'hours_rounding_mode', 'partial_month_rule', 'closing_day', 'payment_month_offset',
        'payment_day', 'payment_holiday_rule', 'chain_position', 'chain_restriction',
        'responsible_person', 'client_supervisor', 'work_site', 'work_description',
        'dispatch_license_number', 'deliverables', 'defect_liability_months', 'contract_terms',
        'document_pdf', 'document_sha256'];
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    col text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM contract_context.contract_signatures s
                   WHERE s.contract_id = OLD.id AND s.deleted_at IS NULL) THEN
        RETURN NEW;
    END IF;
    FOREACH col IN ARRAY frozen LOOP
        IF (new_row -> col) IS DISTINCT FROM (old_row -> col) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'CS001',
                MESSAGE = format('contract %s is signed: %s cannot be changed (use an amendment)',
                                 OLD.contract_number, col),
                COLUMN = col, TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_contracts_protect_signed
    BEFORE UPDATE ON contract_context.contracts
    FOR EACH ROW EXECUTE FUNCTION contract_context.protect_signed_contract();

-- A signature is accepted only for the issued document (same SHA-256), while the contract is
-- waiting for signatures, and only for a party of that side of the chain.
CREATE FUNCTION contract_context.check_signature() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c record;
    counterparty text;
BEGIN
    SELECT side, status, document_sha256 INTO c FROM contract_context.contracts
    WHERE id = NEW.contract_id AND deleted_at IS NULL;
    IF c.document_sha256 IS NULL OR c.status <> 'PENDING_APPROVAL' THEN
        RAISE EXCEPTION USING ERRCODE = 'CS002',
            MESSAGE = 'the contract is not waiting for signatures';
    END IF;
    IF c.document_sha256 <> NEW.document_sha256 THEN
        RAISE EXCEPTION USING ERRCODE = 'CS003',
            MESSAGE = 'the signed document hash does not match the issued document';
    END IF;
    counterparty := CASE c.side WHEN 'SELL' THEN 'CUSTOMER' ELSE 'PARTNER' END;
    IF NEW.party <> 'OUR_COMPANY' AND NEW.party <> counterparty THEN
        RAISE EXCEPTION USING ERRCODE = 'CS004',
            MESSAGE = format('party %s does not sign a %s contract', NEW.party, c.side);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER trigger_contract_signatures_check
    BEFORE INSERT ON contract_context.contract_signatures
    FOR EACH ROW EXECUTE FUNCTION contract_context.check_signature();

-- Signatures are evidence: never changed, never removed (the owner role aside, for archiving).
CREATE FUNCTION contract_context.refuse_signature_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = 'ses_owner' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'CS005', MESSAGE = 'a contract signature cannot be changed';
END;
$$;

CREATE TRIGGER trigger_contract_signatures_immutable
    BEFORE UPDATE ON contract_context.contract_signatures
    FOR EACH ROW EXECUTE FUNCTION contract_context.refuse_signature_change();

-- When the last party signs, the contract is concluded (締結).  SECURITY DEFINER: the customer
-- or partner signing last may not update contracts themselves.
CREATE FUNCTION contract_context.conclude_when_fully_signed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE contract_context.contracts c SET status = 'CONCLUDED', concluded_at = NEW.signed_at
    WHERE c.id = NEW.contract_id AND c.status = 'PENDING_APPROVAL'
      AND (SELECT count(DISTINCT s.party) FROM contract_context.contract_signatures s
           WHERE s.contract_id = c.id AND s.deleted_at IS NULL) = 2;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trigger_contract_signatures_conclude
    AFTER INSERT ON contract_context.contract_signatures
    FOR EACH ROW EXECUTE FUNCTION contract_context.conclude_when_fully_signed();

-- ---------------------------------------------------------------------------------------------
-- Reads across row level security, limited to what the rule needs
-- ---------------------------------------------------------------------------------------------
-- Contracts of the same engineer and side overlapping a period, whoever manages them: the
-- overlap rule must see other managers' contracts, but learns only their numbers and dates.
CREATE FUNCTION contract_context.overlapping_contracts(p_engineer uuid, p_side text, p_start date,
                                                       p_end date, p_exclude uuid)
RETURNS TABLE (contract_number text, start_date date, end_date date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT c.contract_number, c.start_date, c.end_date FROM contract_context.contracts c
    WHERE c.engineer_id = p_engineer AND c.side = p_side AND c.deleted_at IS NULL
      AND c.status <> 'TERMINATED' AND c.id IS DISTINCT FROM p_exclude
      AND daterange(c.start_date, c.end_date, '[]') && daterange(p_start, p_end, '[]')
    ORDER BY c.start_date
$$;

-- A dispatch (派遣) under which we received this engineer, in force during a period: such an
-- engineer may not be sent on to anyone (二重派遣).
CREATE FUNCTION contract_context.received_dispatch(p_engineer uuid, p_start date, p_end date)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT c.contract_number FROM contract_context.contracts c
    WHERE c.engineer_id = p_engineer AND c.side = 'BUY' AND c.contract_type = 'DISPATCH'
      AND c.deleted_at IS NULL AND c.status <> 'TERMINATED'
      AND daterange(c.start_date, c.end_date, '[]') && daterange(p_start, p_end, '[]')
    LIMIT 1
$$;

-- The hours-rounding rule of a month (contract, then approved amendments in force).  Engineers
-- may see how their hours are rounded but not prices, and they cannot read amendments.
CREATE FUNCTION contract_context.hours_rounding_in_force(p_contract uuid, p_year integer, p_month integer)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    keys constant text[] := ARRAY['hours_rounding_minutes', 'hours_rounding_scope', 'hours_rounding_mode'];
    result jsonb;
    a record;
BEGIN
    SELECT jsonb_build_object('hours_rounding_minutes', hours_rounding_minutes,
                              'hours_rounding_scope', hours_rounding_scope,
                              'hours_rounding_mode', hours_rounding_mode)
    INTO result FROM contract_context.contracts WHERE id = p_contract AND deleted_at IS NULL;
    FOR a IN SELECT terms FROM contract_context.contract_amendments
             WHERE contract_id = p_contract AND status = 'APPROVED' AND deleted_at IS NULL
               AND effective_from <= make_date(p_year, p_month, 1)
             ORDER BY effective_from
    LOOP
        result := result || (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
                             FROM jsonb_each(a.terms) WHERE key = ANY (keys));
    END LOOP;
    RETURN result;
END;
$$;

SELECT platform.attach_common_triggers('contract_context');

-- ---------------------------------------------------------------------------------------------
-- Standard templates (reference data; administrators add new versions)
-- ---------------------------------------------------------------------------------------------
INSERT INTO contract_context.contract_templates (code, name, contract_type, template_version, effective_from, body) VALUES
('SES-STD', '業務委託個別契約書（準委任）', 'QUASI_MANDATE', 1, '2024-01-01',
$body$第1条（目的）
{party_a}（以下「甲」という。）は、{party_b}（以下「乙」という。）に対し、案件「{project_title}」における{work_description}（以下「本業務」という。）を委託し、乙はこれを受託する。本契約は準委任契約とし、乙は成果物の完成を約するものではない。

第2条（業務の遂行）
乙は、善良な管理者の注意をもって本業務を遂行する。本業務に従事する乙の要員（{engineer_name}）への指示及び勤怠の管理は乙の業務責任者（{responsible_person}）が行い、甲は乙の要員に対して直接指揮命令を行わない。

第3条（契約期間）
本契約の期間は、{start_date}から{end_date}までとする。

第4条（作業場所）
本業務の作業場所は{work_site}とする。

第5条（委託料及び精算）
委託料は月額{monthly_price}（消費税別）とする。精算条件は次のとおりとする。{settlement_terms}

第6条（支払条件）
{payment_terms}

第7条（作業報告）
乙は、毎月末日までに当月の作業実績を記載した作業報告書を甲に提出し、甲は速やかにこれを確認する。

第8条（秘密保持）
甲及び乙は、本契約に関して知り得た相手方の秘密情報を、相手方の書面による承諾なく第三者に開示又は漏洩してはならない。本条の義務は本契約終了後も存続する。

第9条（再委託）
乙は、甲の事前の書面による承諾なく、本業務の全部又は一部を第三者に再委託してはならない。

第10条（契約の解除）
甲又は乙は、相手方が本契約に違反し、相当の期間を定めて催告したにもかかわらず是正されないときは、本契約を解除することができる。

第11条（協議）
本契約に定めのない事項又は解釈に疑義が生じた事項は、甲乙誠意をもって協議のうえ解決する。$body$),
('DISPATCH-STD', '労働者派遣個別契約書', 'DISPATCH', 1, '2024-01-01',
$body$第1条（目的）
{party_a}（以下「甲」という。）と{party_b}（以下「乙」という。）は、労働者派遣基本契約に基づき、次のとおり労働者派遣個別契約を締結する。

第2条（派遣元事業主）
乙の労働者派遣事業許可番号は{dispatch_license_number}とする。

第3条（業務内容及び就業場所）
派遣労働者（{engineer_name}）が従事する業務は、案件「{project_title}」における{work_description}とし、就業場所は{work_site}とする。

第4条（指揮命令者及び責任者）
甲の指揮命令者は{client_supervisor}、乙の派遣元責任者は{responsible_person}とする。

第5条（派遣期間）
派遣期間は、{start_date}から{end_date}までとする。

第6条（派遣料金及び精算）
派遣料金は月額{monthly_price}（消費税別）とする。精算条件は次のとおりとする。{settlement_terms}

第7条（支払条件）
{payment_terms}

第8条（苦情処理）
甲及び乙は、派遣労働者から苦情の申出を受けたときは、相互に連絡のうえ遅滞なく適切に処理する。

第9条（派遣労働者の特定を目的とする行為の禁止）
甲は、派遣労働者の事前面接、履歴書の送付要請等、派遣労働者を特定することを目的とする行為を行わない。

第10条（協議）
本契約に定めのない事項は、労働者派遣法その他関係法令に従い、甲乙協議のうえ定める。$body$),
('CONTRACTED-STD', '請負契約書', 'CONTRACTED_WORK', 1, '2024-01-01',
$body$第1条（目的）
{party_a}（以下「甲」という。）は、{party_b}（以下「乙」という。）に対し、案件「{project_title}」における次の成果物の完成を注文し、乙はこれを請け負う。
成果物：{deliverables}

第2条（業務の遂行）
乙は、自己の責任において要員を指揮監督し、本業務を遂行する。甲は乙の要員に対して直接指揮命令を行わない。

第3条（期間）
本契約の期間は、{start_date}から{end_date}までとする。

第4条（請負代金）
請負代金は月額{monthly_price}（消費税別）とする。{settlement_terms}

第5条（検収）
乙は成果物を納入し、甲は納入後速やかに検査を行い、合格したときに検収とする。

第6条（支払条件）
{payment_terms}

第7条（契約不適合責任）
甲は、検収後{defect_liability_months}か月以内に成果物が契約の内容に適合しないことを発見したときは、乙に対し履行の追完を請求することができる。

第8条（秘密保持）
甲及び乙は、本契約に関して知り得た相手方の秘密情報を第三者に開示又は漏洩してはならない。

第9条（協議）
本契約に定めのない事項は、甲乙誠意をもって協議のうえ解決する。$body$);
