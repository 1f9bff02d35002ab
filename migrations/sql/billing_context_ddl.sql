-- Billing Context (請求・支払管理): issuers (our company profile), qualified invoices
-- (partitioned by year), their lines, payments, customer credits and journal entries; the buy
-- side (支払通知書 to partner companies) with the dated input-tax deduction rates; the monthly
-- invoice run.
--
-- Integrity (電子帳簿保存法): an issued invoice or payment notice is never edited.  Triggers
-- below refuse any change to an issued document's amounts, lines, snapshots or stored PDF, allow
-- only the status changes of the defined flow, and log every change in invoice_status_history.
-- Corrections are new documents (credit note / reissue) linked to the original.

-- 請求元: our company as issuer of qualified invoices, with bank details and tax rounding.
CREATE TABLE billing_context.issuers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,20}$'),
    name text NOT NULL,
    registration_number text NOT NULL CHECK (registration_number ~ '^T[0-9]{13}$'),
    postal_code text,
    address text NOT NULL,
    phone text,
    email text,
    bank_name text NOT NULL,
    bank_branch text NOT NULL,
    bank_account_type text NOT NULL DEFAULT 'ORDINARY' CHECK (bank_account_type IN ('ORDINARY', 'CHECKING')),
    bank_account_number text NOT NULL CHECK (bank_account_number ~ '^[0-9]{7}$'),
    bank_account_holder_kana text NOT NULL,
    seal_image bytea,                          -- 角印 (PNG), optional
    -- 消費税の端数処理: once per invoice per tax rate (DOMAIN.md §3)
    tax_rounding text NOT NULL DEFAULT 'FLOOR' CHECK (tax_rounding IN ('FLOOR', 'HALF_UP', 'CEIL')),
    invoice_number_prefix text NOT NULL DEFAULT 'INV' CHECK (invoice_number_prefix ~ '^[A-Z0-9]{1,10}$'),
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_issuers_code ON billing_context.issuers (code) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX uq_issuers_default ON billing_context.issuers (is_default)
    WHERE is_default AND deleted_at IS NULL;

-- Gap-free document numbers per issuer, kind of document and year: the row is locked while a
-- number is taken, in the same transaction that issues the document, so a rollback gives the
-- number back and two runs at once queue on the row.
CREATE TABLE billing_context.invoice_number_sequences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issuer_id uuid NOT NULL REFERENCES billing_context.issuers (id),
    document_type text NOT NULL DEFAULT 'INVOICE' CHECK (document_type IN ('INVOICE', 'PAYMENT_NOTICE')),
    year smallint NOT NULL,
    last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_invoice_number_sequences ON billing_context.invoice_number_sequences
    (issuer_id, document_type, year) WHERE deleted_at IS NULL;

-- 請求処理の実行: one monthly invoice run (background job or CLI), its progress and outcome.
CREATE TABLE billing_context.invoice_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    period_year smallint NOT NULL CHECK (period_year BETWEEN 2000 AND 2999),
    period_month smallint NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    issue_date date NOT NULL,
    requested_by uuid,                         -- platform.users
    total_groups integer NOT NULL DEFAULT 0,
    processed_groups integer NOT NULL DEFAULT 0,
    invoices_created integer NOT NULL DEFAULT 0,
    statements_created integer NOT NULL DEFAULT 0,
    pdfs_total integer NOT NULL DEFAULT 0,
    pdfs_done integer NOT NULL DEFAULT 0,
    -- [{"group": "C001", "message": "..."}]
    problems jsonb NOT NULL DEFAULT '[]'::jsonb,
    started_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX idx_invoice_runs_period ON billing_context.invoice_runs (period_year, period_month, created_at DESC);

CREATE TRIGGER trigger_validate_invoice_runs_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_runs
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'requested_by', 'platform', 'users');

-- 請求書: 年次パーティショニング on invoice_year (the year of the billed month).
CREATE TABLE billing_context.invoices (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    invoice_year smallint NOT NULL CHECK (invoice_year BETWEEN 2000 AND 2999),
    invoice_month smallint NOT NULL CHECK (invoice_month BETWEEN 1 AND 12),
    invoice_number text,                       -- assigned when issued
    kind text NOT NULL DEFAULT 'INVOICE' CHECK (kind IN ('INVOICE', 'CREDIT_NOTE', 'REISSUE')),
    original_invoice_id uuid,                  -- credit note / reissue: the invoice it corrects
    original_invoice_year smallint,
    issuer_id uuid NOT NULL REFERENCES billing_context.issuers (id),
    customer_id uuid NOT NULL,                 -- project_context.customers
    run_id uuid REFERENCES billing_context.invoice_runs (id),
    -- 下書き → 発行済 → 一部入金 / 入金済 / 延滞; 取消 only through a credit note
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ISSUED', 'PARTIALLY_PAID',
        'PAID', 'OVERDUE', 'CANCELLED')),
    billing_period_start date NOT NULL,
    billing_period_end date NOT NULL,
    invoice_date date,                         -- 発行日
    due_date date,
    -- Snapshots taken at issue: what the document says stays what it said.
    recipient_name text NOT NULL,
    recipient_honorific text NOT NULL DEFAULT '御中' CHECK (recipient_honorific IN ('御中', '様')),
    recipient_department text,
    recipient_address text,
    issuer_name text NOT NULL,
    issuer_registration_number text NOT NULL CHECK (issuer_registration_number ~ '^T[0-9]{13}$'),
    tax_rounding text NOT NULL CHECK (tax_rounding IN ('FLOOR', 'HALF_UP', 'CEIL')),
    attach_work_report boolean NOT NULL DEFAULT false,
    subtotal_amount bigint NOT NULL DEFAULT 0,
    tax_amount bigint NOT NULL DEFAULT 0,
    total_amount bigint NOT NULL DEFAULT 0,
    paid_amount bigint NOT NULL DEFAULT 0,
    -- {"by_rate": {"10": {"subtotal": 2400015, "tax": 240001}}, "issuer": {...address, bank...},
    --  "recipient_postal_code": ..., "lines": 3}
    billing_details jsonb NOT NULL DEFAULT '{}'::jsonb,
    pdf bytea,
    pdf_sha256 text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
    issued_at timestamptz,
    issued_by uuid,                            -- platform.users
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    PRIMARY KEY (id, invoice_year),
    CONSTRAINT fk_invoices_original FOREIGN KEY (original_invoice_id, original_invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year),
    CONSTRAINT ck_invoices_period CHECK (billing_period_end >= billing_period_start),
    CONSTRAINT ck_invoices_total CHECK (total_amount = subtotal_amount + tax_amount),
    CONSTRAINT ck_invoices_paid CHECK (paid_amount >= 0 AND (total_amount < 0 OR paid_amount <= total_amount)),
    CONSTRAINT ck_invoices_correction CHECK ((kind = 'INVOICE') = (original_invoice_id IS NULL)),
    CONSTRAINT ck_invoices_issued CHECK (status = 'DRAFT' OR (invoice_number IS NOT NULL
        AND invoice_date IS NOT NULL AND due_date IS NOT NULL))
) PARTITION BY RANGE (invoice_year);
CREATE UNIQUE INDEX uq_invoices_number ON billing_context.invoices
    (issuer_id, invoice_year, invoice_number) WHERE invoice_number IS NOT NULL;
CREATE INDEX idx_invoices_id ON billing_context.invoices (id);
CREATE INDEX idx_invoices_customer_date ON billing_context.invoices (customer_id, invoice_date)
    WHERE deleted_at IS NULL;
-- 検索: issued invoices by date range, amount range and counterparty, combined.
CREATE INDEX idx_invoices_search_date ON billing_context.invoices (invoice_date, total_amount)
    WHERE deleted_at IS NULL AND status <> 'DRAFT';
CREATE INDEX idx_invoices_search_amount ON billing_context.invoices (total_amount)
    WHERE deleted_at IS NULL AND status <> 'DRAFT';
CREATE INDEX idx_invoices_period ON billing_context.invoices (invoice_year, invoice_month)
    WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_invoices_references
    BEFORE INSERT OR UPDATE ON billing_context.invoices
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'customer_id', 'project_context', 'customers',
        'issued_by', 'platform', 'users');

-- 請求追加項目: extras billed with a month (交通費, 出張費 ...), registered by finance, each
-- billed once as its own line.
CREATE TABLE billing_context.invoice_extras (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL,                 -- project_context.customers
    contract_id uuid NOT NULL,                 -- contract_context.contracts (SELL)
    period_year smallint NOT NULL CHECK (period_year BETWEEN 2000 AND 2999),
    period_month smallint NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    item_type text NOT NULL DEFAULT 'EXPENSE' CHECK (item_type IN ('EXPENSE', 'OTHER')),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    quantity numeric(10, 2) NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price bigint NOT NULL,
    amount bigint NOT NULL,                    -- tax excluded
    tax_rate_percent smallint NOT NULL DEFAULT 10 CHECK (tax_rate_percent IN (0, 8, 10)),
    is_reduced_rate boolean NOT NULL DEFAULT false,
    created_by uuid,                           -- platform.users
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_invoice_extras_reduced CHECK (NOT is_reduced_rate OR tax_rate_percent = 8)
);
CREATE INDEX idx_invoice_extras_period ON billing_context.invoice_extras (period_year, period_month)
    WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_invoice_extras_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_extras
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'customer_id', 'project_context', 'customers',
        'contract_id', 'contract_context', 'contracts',
        'created_by', 'platform', 'users');

-- 請求明細: one line per engineer and contract (settlement), adjustment or extra (交通費 ...).
-- A line that bills approved hours names its source (timesheet, adjustment or extra); while its
-- invoice is not cancelled the line is "active" and the source may not be billed again.
-- Cancelling the invoice (through a credit note) releases its lines, so a reissue or a later
-- run bills the hours again: never twice, never lost.
CREATE TABLE billing_context.invoice_billing_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    line_no smallint NOT NULL CHECK (line_no >= 1),
    item_type text NOT NULL CHECK (item_type IN ('SETTLEMENT', 'ADJUSTMENT', 'EXPENSE', 'OTHER')),
    contract_id uuid,                          -- contract_context.contracts
    engineer_id uuid,                          -- engineer_context.engineers
    timesheet_id uuid,                         -- timesheet_context.timesheets
    timesheet_adjustment_id uuid,              -- timesheet_context.timesheet_adjustments
    extra_id uuid REFERENCES billing_context.invoice_extras (id),
    credited_item_id uuid REFERENCES billing_context.invoice_billing_items (id),   -- credit note line
    -- Snapshots for the document, the customer portal and exports (the customer cannot read
    -- engineers or contracts of other contexts).
    contract_number text,
    engineer_code text,
    engineer_name text,
    period_year smallint,
    period_month smallint CHECK (period_month BETWEEN 1 AND 12),
    description text NOT NULL,
    worked_hours numeric(7, 2),
    billed_hours numeric(7, 2),
    base_amount bigint,
    lower_hours numeric(6, 2),
    upper_hours numeric(6, 2),
    excess_hours numeric(7, 2),
    excess_rate integer,
    deduction_hours numeric(7, 2),
    deduction_rate integer,
    adjustment_amount bigint NOT NULL DEFAULT 0,
    quantity numeric(10, 2) NOT NULL DEFAULT 1,
    unit_price bigint,
    amount bigint NOT NULL,                    -- tax excluded (negative on a credit note)
    tax_rate_percent smallint NOT NULL DEFAULT 10 CHECK (tax_rate_percent IN (0, 8, 10)),
    is_reduced_rate boolean NOT NULL DEFAULT false,
    released_at timestamptz,                   -- set when the invoice is cancelled
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_invoice_billing_items_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year),
    CONSTRAINT ck_invoice_billing_items_one_source CHECK (
        num_nonnulls(timesheet_adjustment_id, extra_id, credited_item_id) <= 1
        AND (timesheet_adjustment_id IS NULL OR timesheet_id IS NOT NULL)),
    CONSTRAINT ck_invoice_billing_items_reduced CHECK (NOT is_reduced_rate OR tax_rate_percent = 8),
    CONSTRAINT ck_invoice_billing_items_timesheet_period CHECK (
        timesheet_id IS NULL OR (period_year IS NOT NULL AND period_month IS NOT NULL))
);
CREATE UNIQUE INDEX uq_invoice_billing_items_line ON billing_context.invoice_billing_items
    (invoice_id, line_no) WHERE deleted_at IS NULL;
-- No hour billed twice: one active line per (contract, closed timesheet), per adjustment and
-- per extra.
CREATE UNIQUE INDEX uq_invoice_billing_items_active_timesheet ON billing_context.invoice_billing_items
    (contract_id, timesheet_id)
    WHERE item_type = 'SETTLEMENT' AND released_at IS NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX uq_invoice_billing_items_active_adjustment ON billing_context.invoice_billing_items
    (timesheet_adjustment_id)
    WHERE timesheet_adjustment_id IS NOT NULL AND released_at IS NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX uq_invoice_billing_items_active_extra ON billing_context.invoice_billing_items
    (extra_id) WHERE extra_id IS NOT NULL AND released_at IS NULL AND deleted_at IS NULL;
CREATE INDEX idx_invoice_billing_items_invoice ON billing_context.invoice_billing_items
    (invoice_id, invoice_year, line_no);
CREATE INDEX idx_invoice_billing_items_period ON billing_context.invoice_billing_items
    (period_year, period_month) WHERE released_at IS NULL AND deleted_at IS NULL;

CREATE TRIGGER trigger_validate_invoice_billing_items_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_billing_items
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts',
        'engineer_id', 'engineer_context', 'engineers',
        'timesheet_adjustment_id', 'timesheet_context', 'timesheet_adjustments');

-- The timesheet a line bills, checked with its month: the generic check by id alone would
-- plan a lookup over every monthly partition for each line of a run.
CREATE FUNCTION billing_context.validate_timesheet_reference() RETURNS trigger
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF NEW.timesheet_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.timesheet_id IS DISTINCT FROM OLD.timesheet_id)
       AND NOT EXISTS (SELECT 1 FROM timesheet_context.timesheets t
                        WHERE t.id = NEW.timesheet_id AND t.period_year = NEW.period_year
                          AND t.period_month = NEW.period_month AND t.deleted_at IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('Referenced timesheet_context.timesheets does not exist in %s-%s or is deleted: %s',
                             NEW.period_year, NEW.period_month, NEW.timesheet_id),
            COLUMN = 'timesheet_id', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_validate_invoice_billing_items_timesheet
    BEFORE INSERT OR UPDATE ON billing_context.invoice_billing_items
    FOR EACH ROW EXECUTE FUNCTION billing_context.validate_timesheet_reference();

-- 入金記録: full, partial or several payments; a bank fee the payer deducted is recorded beside
-- the amount received; what exceeds the open balance is held as the customer's credit.  The
-- idempotency key makes a re-submitted form harmless.  OFFSET = paid from the customer's credit.
-- A payment recorded by mistake is never edited: it is reversed (取消) by a new row that names
-- it (reverses_payment_id), carries its amounts negated and says why (reference), once.
CREATE TABLE billing_context.invoice_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    paid_on date NOT NULL,
    received_amount bigint NOT NULL,
    fee_amount bigint NOT NULL DEFAULT 0,
    applied_amount bigint NOT NULL,            -- counted against the invoice
    overpaid_amount bigint NOT NULL DEFAULT 0, -- held as credit
    method text NOT NULL DEFAULT 'BANK_TRANSFER' CHECK (method IN ('BANK_TRANSFER', 'CASH', 'OFFSET', 'OTHER')),
    payer_name text,
    reference text,
    reverses_payment_id uuid REFERENCES billing_context.invoice_payments (id),
    idempotency_key text NOT NULL,
    recorded_by uuid,                          -- platform.users
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_invoice_payments_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year),
    CONSTRAINT ck_invoice_payments_split CHECK (received_amount + fee_amount = applied_amount + overpaid_amount),
    CONSTRAINT ck_invoice_payments_sign CHECK (CASE WHEN reverses_payment_id IS NULL
        THEN least(received_amount, fee_amount, applied_amount, overpaid_amount) >= 0
             AND received_amount + fee_amount > 0
        ELSE greatest(received_amount, fee_amount, applied_amount, overpaid_amount) <= 0
             AND received_amount + fee_amount < 0 AND btrim(coalesce(reference, '')) <> '' END)
);
CREATE UNIQUE INDEX uq_invoice_payments_idempotency ON billing_context.invoice_payments (idempotency_key);
CREATE UNIQUE INDEX uq_invoice_payments_reversal ON billing_context.invoice_payments (reverses_payment_id)
    WHERE reverses_payment_id IS NOT NULL;
CREATE INDEX idx_invoice_payments_invoice ON billing_context.invoice_payments (invoice_id, invoice_year);

CREATE TRIGGER trigger_validate_invoice_payments_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_payments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'recorded_by', 'platform', 'users');

-- 顧客の預り残高 (前受金): a ledger per customer.  + an overpayment or the paid amount of a
-- cancelled invoice; - credit applied to another invoice or refunded; ± when the payment that
-- made (or used) it is reversed.
CREATE TABLE billing_context.customer_credits (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL,                 -- project_context.customers
    entry_date date NOT NULL,
    amount bigint NOT NULL CHECK (amount <> 0),
    reason text NOT NULL CHECK (reason IN ('OVERPAYMENT', 'CANCELLED_INVOICE', 'APPLIED', 'REFUNDED',
        'PAYMENT_REVERSED')),
    payment_id uuid REFERENCES billing_context.invoice_payments (id),
    invoice_id uuid,
    invoice_year smallint,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_customer_credits_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year),
    CONSTRAINT ck_customer_credits_sign CHECK (reason = 'PAYMENT_REVERSED'
        OR (amount > 0) = (reason IN ('OVERPAYMENT', 'CANCELLED_INVOICE')))
);
CREATE INDEX idx_customer_credits_customer ON billing_context.customer_credits (customer_id, entry_date);

CREATE TRIGGER trigger_validate_customer_credits_references
    BEFORE INSERT OR UPDATE ON billing_context.customer_credits
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'customer_id', 'project_context', 'customers');

-- 請求書の監査ログ: every change of an invoice (creation, status, payment, stored PDF,
-- archiving), written by a trigger -- nobody writes or edits it directly.
CREATE TABLE billing_context.invoice_status_history (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    action text NOT NULL CHECK (action IN ('CREATED', 'UPDATED', 'STATUS', 'PAYMENT', 'PDF_STORED', 'ARCHIVED')),
    from_status text,
    to_status text NOT NULL,
    -- {"paid_amount": [0, 500000]}, {"changed": ["notes"]}, {"pdf_sha256": "..."}
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    changed_by uuid,                           -- platform.users (app.current_user_id)
    changed_by_role text,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_invoice_status_history_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year)
);
CREATE INDEX idx_invoice_status_history_invoice ON billing_context.invoice_status_history
    (invoice_id, changed_at);

-- 会計仕訳 (税抜経理): one row per journal line; the lines of one entry share entry_id and
-- must balance (debits = credits), checked at commit by a deferred constraint trigger.
CREATE TABLE billing_context.accounting_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id uuid NOT NULL,
    entry_number bigint NOT NULL,              -- 伝票No.
    entry_date date NOT NULL,
    event_type text NOT NULL CHECK (event_type IN ('INVOICE_ISSUED', 'PAYMENT_RECEIVED',
        'PAYMENT_REVERSED', 'CREDIT_NOTE', 'CREDIT_APPLIED', 'PARTNER_PURCHASE',
        'PARTNER_PURCHASE_CANCELLED', 'PARTNER_PAYMENT', 'MANUAL')),
    line_no smallint NOT NULL CHECK (line_no >= 1),
    side text NOT NULL CHECK (side IN ('DEBIT', 'CREDIT')),
    account text NOT NULL,                     -- 勘定科目: 売掛金, 売上高, 仮受消費税 ...
    sub_account text,                          -- 補助科目 (e.g. the customer)
    tax_category text,                         -- 税区分
    amount bigint NOT NULL CHECK (amount > 0),
    tax_amount bigint NOT NULL DEFAULT 0,
    counterparty text,
    description text,
    source_type text NOT NULL,                 -- 'invoice', 'invoice_payment', ...
    source_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_accounting_entries_line ON billing_context.accounting_entries (entry_id, line_no);
CREATE INDEX idx_accounting_entries_date ON billing_context.accounting_entries (entry_date, entry_number);
-- A document is posted once per event.
CREATE UNIQUE INDEX uq_accounting_entries_source ON billing_context.accounting_entries
    (event_type, source_type, source_id) WHERE line_no = 1 AND deleted_at IS NULL;
CREATE SEQUENCE billing_context.accounting_entry_number_seq;

CREATE FUNCTION billing_context.check_entry_balanced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_entry uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.entry_id ELSE NEW.entry_id END;
    v_debit bigint;
    v_credit bigint;
BEGIN
    SELECT coalesce(sum(amount) FILTER (WHERE side = 'DEBIT'), 0),
           coalesce(sum(amount) FILTER (WHERE side = 'CREDIT'), 0)
      INTO v_debit, v_credit
      FROM billing_context.accounting_entries
     WHERE entry_id = v_entry AND deleted_at IS NULL;
    IF v_debit <> v_credit THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('journal entry %s does not balance: debit %s, credit %s',
                             v_entry, v_debit, v_credit);
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER trigger_accounting_entries_balanced
    AFTER INSERT OR UPDATE OR DELETE ON billing_context.accounting_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION billing_context.check_entry_balanced();

-- ---------------------------------------------------------------------------------------------
-- The buy side: 支払通知書 to partner companies.
-- ---------------------------------------------------------------------------------------------

-- 経過措置: the deductible share of the consumption tax paid to an unregistered (免税) partner,
-- by the date the service was received (DOMAIN.md §3).  Law changes: add or close a row.
CREATE TABLE billing_context.input_tax_deduction_rates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    valid_from date NOT NULL,
    valid_to date NOT NULL,
    deductible_percent smallint NOT NULL CHECK (deductible_percent BETWEEN 0 AND 100),
    description text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_input_tax_deduction_rates_range CHECK (valid_to >= valid_from),
    CONSTRAINT ex_input_tax_deduction_rates_overlap EXCLUDE USING gist (
        daterange(valid_from, valid_to, '[]') WITH &&) WHERE (deleted_at IS NULL)
);
INSERT INTO billing_context.input_tax_deduction_rates (valid_from, valid_to, deductible_percent, description)
VALUES ('2023-10-01', '2026-09-30', 80, '免税事業者等からの仕入れ 経過措置 80%'),
       ('2026-10-01', '2028-09-30', 70, '免税事業者等からの仕入れ 経過措置 70%'),
       ('2028-10-01', '2030-09-30', 50, '免税事業者等からの仕入れ 経過措置 50%'),
       ('2030-10-01', '2031-09-30', 30, '免税事業者等からの仕入れ 経過措置 30%');

-- 支払通知書: what we owe a partner company for a month, from the same approved hours as the
-- sale, settled with the BUY contract's own terms.
CREATE TABLE billing_context.purchase_statements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    statement_year smallint NOT NULL CHECK (statement_year BETWEEN 2000 AND 2999),
    statement_month smallint NOT NULL CHECK (statement_month BETWEEN 1 AND 12),
    statement_number text,
    issuer_id uuid NOT NULL REFERENCES billing_context.issuers (id),
    partner_company_id uuid NOT NULL,          -- engineer_context.partner_companies
    run_id uuid REFERENCES billing_context.invoice_runs (id),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ISSUED', 'PARTIALLY_PAID', 'PAID',
        'CANCELLED')),
    period_start date NOT NULL,
    period_end date NOT NULL,                  -- the service was received by this day
    statement_date date,
    due_date date,
    -- Snapshots
    partner_name text NOT NULL,
    partner_registration_number text CHECK (partner_registration_number ~ '^T[0-9]{13}$'),
    partner_registered boolean NOT NULL,
    subcontract_act_covered boolean NOT NULL DEFAULT false,
    freelance_act_covered boolean NOT NULL DEFAULT false,
    issuer_name text NOT NULL,
    -- 取適法 / フリーランス法: pay within 60 days of receiving the service.
    days_to_payment smallint,
    exceeds_payment_limit boolean NOT NULL DEFAULT false,
    subtotal_amount bigint NOT NULL DEFAULT 0,
    tax_amount bigint NOT NULL DEFAULT 0,
    total_amount bigint NOT NULL DEFAULT 0,
    deduction_percent smallint NOT NULL DEFAULT 100 CHECK (deduction_percent BETWEEN 0 AND 100),
    deductible_tax_amount bigint NOT NULL DEFAULT 0,
    withholding_tax_amount bigint NOT NULL DEFAULT 0 CHECK (withholding_tax_amount >= 0),
    paid_amount bigint NOT NULL DEFAULT 0,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    pdf bytea,
    pdf_sha256 text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
    issued_at timestamptz,
    issued_by uuid,                            -- platform.users
    -- 取消: an issued, unpaid notice is cancelled with a reason (its lines are released, the
    -- purchase entry reversed); a reissue names the notice it replaces.
    original_statement_id uuid REFERENCES billing_context.purchase_statements (id),
    cancelled_at timestamptz,
    cancelled_by uuid,                         -- platform.users
    cancellation_reason text,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_purchase_statements_cancelled CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL)
        AND (status <> 'CANCELLED' OR btrim(coalesce(cancellation_reason, '')) <> '')),
    CONSTRAINT ck_purchase_statements_period CHECK (period_end >= period_start),
    CONSTRAINT ck_purchase_statements_total CHECK (total_amount = subtotal_amount + tax_amount),
    CONSTRAINT ck_purchase_statements_deductible CHECK (deductible_tax_amount BETWEEN 0 AND greatest(tax_amount, 0)),
    CONSTRAINT ck_purchase_statements_paid CHECK (paid_amount BETWEEN 0 AND greatest(total_amount, 0)),
    CONSTRAINT ck_purchase_statements_registered CHECK (
        NOT partner_registered OR partner_registration_number IS NOT NULL),
    CONSTRAINT ck_purchase_statements_issued CHECK (status = 'DRAFT' OR (statement_number IS NOT NULL
        AND statement_date IS NOT NULL AND due_date IS NOT NULL))
);
CREATE UNIQUE INDEX uq_purchase_statements_number ON billing_context.purchase_statements
    (issuer_id, statement_year, statement_number) WHERE statement_number IS NOT NULL;
CREATE INDEX idx_purchase_statements_period ON billing_context.purchase_statements
    (statement_year, statement_month) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_purchase_statements_references
    BEFORE INSERT OR UPDATE ON billing_context.purchase_statements
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'partner_company_id', 'engineer_context', 'partner_companies',
        'issued_by', 'platform', 'users',
        'cancelled_by', 'platform', 'users');

CREATE TABLE billing_context.purchase_statement_lines (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    statement_id uuid NOT NULL REFERENCES billing_context.purchase_statements (id),
    line_no smallint NOT NULL CHECK (line_no >= 1),
    item_type text NOT NULL CHECK (item_type IN ('SETTLEMENT', 'ADJUSTMENT')),
    contract_id uuid NOT NULL,                 -- contract_context.contracts (BUY)
    engineer_id uuid,                          -- engineer_context.engineers
    timesheet_id uuid NOT NULL,                -- timesheet_context.timesheets
    timesheet_adjustment_id uuid,              -- timesheet_context.timesheet_adjustments
    contract_number text,
    engineer_code text,
    engineer_name text,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    description text NOT NULL,
    billed_hours numeric(7, 2),
    base_amount bigint,
    lower_hours numeric(6, 2),
    upper_hours numeric(6, 2),
    excess_hours numeric(7, 2),
    excess_rate integer,
    deduction_hours numeric(7, 2),
    deduction_rate integer,
    adjustment_amount bigint NOT NULL DEFAULT 0,
    amount bigint NOT NULL,
    tax_rate_percent smallint NOT NULL DEFAULT 10 CHECK (tax_rate_percent IN (0, 8, 10)),
    released_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_purchase_statement_lines_line ON billing_context.purchase_statement_lines
    (statement_id, line_no) WHERE deleted_at IS NULL;
-- The buy side of the same hours is owed once too.
CREATE UNIQUE INDEX uq_purchase_statement_lines_active_timesheet ON billing_context.purchase_statement_lines
    (contract_id, timesheet_id)
    WHERE item_type = 'SETTLEMENT' AND released_at IS NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX uq_purchase_statement_lines_active_adjustment ON billing_context.purchase_statement_lines
    (contract_id, timesheet_adjustment_id)
    WHERE timesheet_adjustment_id IS NOT NULL AND released_at IS NULL AND deleted_at IS NULL;

CREATE TRIGGER trigger_validate_purchase_statement_lines_references
    BEFORE INSERT OR UPDATE ON billing_context.purchase_statement_lines
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts',
        'engineer_id', 'engineer_context', 'engineers',
        'timesheet_adjustment_id', 'timesheet_context', 'timesheet_adjustments');
CREATE TRIGGER trigger_validate_purchase_statement_lines_timesheet
    BEFORE INSERT OR UPDATE ON billing_context.purchase_statement_lines
    FOR EACH ROW EXECUTE FUNCTION billing_context.validate_timesheet_reference();

-- 支払記録 (to the partner).  Deducting the transfer fee from what a 取適法-covered partner is
-- paid is forbidden: such a payment must say the fee is ours (checked by a trigger).
CREATE TABLE billing_context.purchase_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    statement_id uuid NOT NULL REFERENCES billing_context.purchase_statements (id),
    paid_on date NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),             -- settled against the statement
    fee_amount bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),   -- bank fee, tax included
    fee_borne_by text NOT NULL DEFAULT 'US' CHECK (fee_borne_by IN ('US', 'PARTNER')),
    reference text,
    idempotency_key text NOT NULL,
    recorded_by uuid,                          -- platform.users
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_purchase_payments_idempotency ON billing_context.purchase_payments (idempotency_key);

CREATE TRIGGER trigger_validate_purchase_payments_references
    BEFORE INSERT OR UPDATE ON billing_context.purchase_payments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'recorded_by', 'platform', 'users');

-- ---------------------------------------------------------------------------------------------
-- Integrity of issued documents.
-- ---------------------------------------------------------------------------------------------

-- Refuses a change of an issued document beyond the columns the flow may change, a stored PDF
-- being replaced, or a PDF stored without its SHA-256.
CREATE FUNCTION billing_context.assert_document_frozen(p_old jsonb, p_new jsonb, p_mutable text[],
                                                       p_what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    v_changed text[];
BEGIN
    SELECT array_agg(key ORDER BY key) INTO v_changed
      FROM jsonb_each(p_new) n
     WHERE NOT key = ANY (p_mutable) AND n.value IS DISTINCT FROM p_old -> key;
    IF v_changed IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('an issued %s cannot be changed (%s): correct it with a new document',
                             p_what, array_to_string(v_changed, ', '));
    END IF;
END;
$$;

CREATE FUNCTION billing_context.check_stored_pdf(p_old_pdf bytea, p_new_pdf bytea, p_new_hash text,
                                                 p_issued boolean, p_what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_issued AND p_old_pdf IS NOT NULL AND p_new_pdf IS DISTINCT FROM p_old_pdf THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('the stored PDF of an issued %s never changes', p_what);
    END IF;
    IF p_new_hash IS DISTINCT FROM (CASE WHEN p_new_pdf IS NOT NULL THEN encode(sha256(p_new_pdf), 'hex') END) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('the SHA-256 of the %s PDF does not match the stored file', p_what);
    END IF;
END;
$$;

-- 請求書の状態遷移: 下書き → 発行済 → 一部入金 / 入金済 / 延滞; 取消 only with a credit note.
-- A reversed payment (入金取消) takes the paid amount back down to what the payment rows add
-- up to, and the status back with it (入金済 → 発行済 / 一部入金 / 延滞, 一部入金 → 発行済).
CREATE FUNCTION billing_context.guard_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_allowed constant jsonb := '{"DRAFT": ["ISSUED"],
        "ISSUED": ["PARTIALLY_PAID", "PAID", "OVERDUE", "CANCELLED"],
        "PARTIALLY_PAID": ["PAID", "OVERDUE", "CANCELLED"],
        "OVERDUE": ["PAID", "CANCELLED"],
        "PAID": ["CANCELLED"], "CANCELLED": []}';
    v_reversal constant jsonb := '{"PAID": ["ISSUED", "PARTIALLY_PAID", "OVERDUE"],
        "PARTIALLY_PAID": ["ISSUED"]}';
    v_reversing boolean := TG_OP = 'UPDATE' AND NEW.paid_amount < OLD.paid_amount;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'DRAFT' THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = 'an issued invoice is never deleted: cancel it with a credit note';
        END IF;
        RETURN OLD;
    END IF;
    PERFORM billing_context.check_stored_pdf(OLD.pdf, NEW.pdf, NEW.pdf_sha256, OLD.status <> 'DRAFT', 'invoice');
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT v_allowed -> OLD.status ? NEW.status
       AND NOT (v_reversing AND coalesce(v_reversal -> OLD.status ? NEW.status, false)) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('invoice status cannot change from %s to %s', OLD.status, NEW.status);
    END IF;
    IF OLD.status = 'DRAFT' THEN
        RETURN NEW;
    END IF;
    PERFORM billing_context.assert_document_frozen(to_jsonb(OLD) - 'pdf', to_jsonb(NEW) - 'pdf',
        ARRAY['status', 'paid_amount', 'pdf_sha256', 'deleted_at', 'updated_at', 'version'], 'invoice');
    IF v_reversing AND NEW.paid_amount <> (SELECT coalesce(sum(p.applied_amount), 0)
                                             FROM billing_context.invoice_payments p
                                            WHERE p.invoice_id = NEW.id AND p.invoice_year = NEW.invoice_year) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'the paid amount of an invoice goes down only by a reversing payment';
    END IF;
    IF NEW.status = 'ISSUED' AND NEW.paid_amount <> 0 AND NEW.kind <> 'CREDIT_NOTE' THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('invoice status ISSUED does not match the paid amount %s', NEW.paid_amount);
    END IF;
    IF NEW.kind <> 'CREDIT_NOTE' AND (
           (NEW.status = 'PAID' AND NEW.paid_amount <> NEW.total_amount)
           OR (NEW.status = 'PARTIALLY_PAID' AND NOT NEW.paid_amount BETWEEN 1 AND NEW.total_amount - 1)) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('invoice status %s does not match the paid amount %s of %s',
                             NEW.status, NEW.paid_amount, NEW.total_amount);
    END IF;
    IF NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' AND NOT EXISTS (
           SELECT 1 FROM billing_context.invoices c
            WHERE c.original_invoice_id = OLD.id AND c.original_invoice_year = OLD.invoice_year
              AND c.kind = 'CREDIT_NOTE' AND c.status <> 'DRAFT') THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'an invoice is cancelled only by issuing a credit note for it';
    END IF;
    IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at AND NEW.status NOT IN ('PAID', 'CANCELLED') THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'only settled invoices are archived';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_invoices_guard
    BEFORE UPDATE OR DELETE ON billing_context.invoices
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_invoice();

-- The audit trail, and the release of a cancelled invoice's lines (their hours may be billed
-- again by the reissue or the next run).
CREATE FUNCTION billing_context.log_invoice_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_action text;
    v_details jsonb := '{}';
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_action := 'CREATED';
    ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        v_action := 'STATUS';
        v_details := jsonb_build_object('paid_amount', jsonb_build_array(OLD.paid_amount, NEW.paid_amount));
    ELSIF NEW.paid_amount IS DISTINCT FROM OLD.paid_amount THEN
        v_action := 'PAYMENT';
        v_details := jsonb_build_object('paid_amount', jsonb_build_array(OLD.paid_amount, NEW.paid_amount));
    ELSIF NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 THEN
        v_action := 'PDF_STORED';
        v_details := jsonb_build_object('pdf_sha256', NEW.pdf_sha256);
    ELSIF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
        v_action := 'ARCHIVED';
    ELSE
        v_action := 'UPDATED';
        SELECT jsonb_build_object('changed', coalesce(jsonb_agg(key ORDER BY key), '[]'))
          INTO v_details
          FROM jsonb_each(to_jsonb(NEW) - 'pdf') n
         WHERE key NOT IN ('updated_at', 'version') AND n.value IS DISTINCT FROM (to_jsonb(OLD) - 'pdf') -> key;
    END IF;
    INSERT INTO billing_context.invoice_status_history (invoice_id, invoice_year, action, from_status,
        to_status, details, changed_by, changed_by_role)
    VALUES (NEW.id, NEW.invoice_year, v_action, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
            NEW.status, v_details, platform.current_user_id(), platform.current_app_role());
    IF TG_OP = 'UPDATE' AND NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' THEN
        UPDATE billing_context.invoice_billing_items SET released_at = now()
         WHERE invoice_id = NEW.id AND invoice_year = NEW.invoice_year AND released_at IS NULL;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trigger_invoices_log_change
    AFTER INSERT OR UPDATE ON billing_context.invoices
    FOR EACH ROW EXECUTE FUNCTION billing_context.log_invoice_change();

-- Lines of an issued invoice are frozen; the one change allowed is their release when the
-- invoice is cancelled.
CREATE FUNCTION billing_context.guard_invoice_line() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_row billing_context.invoice_billing_items := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    v_status text;
BEGIN
    SELECT status INTO v_status FROM billing_context.invoices
     WHERE id = v_row.invoice_id AND invoice_year = v_row.invoice_year;
    IF v_status = 'DRAFT' THEN
        RETURN v_row;
    END IF;
    IF TG_OP = 'UPDATE' AND v_status = 'CANCELLED' AND OLD.released_at IS NULL AND NEW.released_at IS NOT NULL THEN
        PERFORM billing_context.assert_document_frozen(to_jsonb(OLD), to_jsonb(NEW),
            ARRAY['released_at', 'updated_at', 'version'], 'invoice line');
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = 'the lines of an issued invoice cannot be added, changed or removed';
END;
$$;
CREATE TRIGGER trigger_invoice_billing_items_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_context.invoice_billing_items
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_invoice_line();

-- Payments and credits are facts: recorded once, never edited (a mistake is reversed by a new
-- record).  Payments only for issued invoices; a reversal exactly negates a payment of the same
-- invoice (also a paid one), never a reversal, and never on a cancelled invoice.
CREATE FUNCTION billing_context.guard_payment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_open text[] := ARRAY['ISSUED', 'PARTIALLY_PAID', 'OVERDUE'];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('%s rows are never changed or removed', TG_TABLE_NAME);
    END IF;
    IF TG_TABLE_NAME <> 'invoice_payments' THEN
        RETURN NEW;
    END IF;
    IF NEW.reverses_payment_id IS NOT NULL THEN
        v_open := v_open || ARRAY['PAID'];
        IF NOT EXISTS (SELECT 1 FROM billing_context.invoice_payments o
                        WHERE o.id = NEW.reverses_payment_id AND o.reverses_payment_id IS NULL
                          AND (o.invoice_id, o.invoice_year, o.method) = (NEW.invoice_id, NEW.invoice_year, NEW.method)
                          AND (o.received_amount, o.fee_amount, o.applied_amount, o.overpaid_amount)
                              = (-NEW.received_amount, -NEW.fee_amount, -NEW.applied_amount, -NEW.overpaid_amount)
                          AND o.paid_on <= NEW.paid_on) THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = 'a reversal negates exactly one payment of the same invoice';
        END IF;
    END IF;
    IF NOT EXISTS (
           SELECT 1 FROM billing_context.invoices
            WHERE id = NEW.invoice_id AND invoice_year = NEW.invoice_year
              AND status = ANY (v_open) AND kind <> 'CREDIT_NOTE') THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'payments are recorded only against an open issued invoice';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_invoice_payments_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_context.invoice_payments
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_payment();
CREATE TRIGGER trigger_customer_credits_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_context.customer_credits
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_payment();

-- 支払通知書: the same integrity as invoices.  Only an unpaid notice is cancelled, with a reason;
-- the release of its lines happens after the row reads CANCELLED (release_purchase_lines), since
-- guard_purchase_line lets only a cancelled notice's lines be released.
CREATE FUNCTION billing_context.guard_purchase_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_allowed constant jsonb := '{"DRAFT": ["ISSUED"], "ISSUED": ["PARTIALLY_PAID", "PAID", "CANCELLED"],
        "PARTIALLY_PAID": ["PAID"], "PAID": [], "CANCELLED": []}';
    v_mutable text[] := ARRAY['status', 'paid_amount', 'pdf_sha256', 'deleted_at', 'updated_at', 'version'];
    v_cancelling boolean := TG_OP = 'UPDATE' AND NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'DRAFT' THEN
            RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                MESSAGE = 'an issued payment notice is never deleted';
        END IF;
        RETURN OLD;
    END IF;
    PERFORM billing_context.check_stored_pdf(OLD.pdf, NEW.pdf, NEW.pdf_sha256, OLD.status <> 'DRAFT',
                                             'payment notice');
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT v_allowed -> OLD.status ? NEW.status THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = format('payment notice status cannot change from %s to %s', OLD.status, NEW.status);
    END IF;
    IF OLD.status = 'DRAFT' THEN
        RETURN NEW;
    END IF;
    IF v_cancelling THEN
        v_mutable := v_mutable || ARRAY['cancelled_at', 'cancelled_by', 'cancellation_reason'];
    END IF;
    PERFORM billing_context.assert_document_frozen(to_jsonb(OLD) - 'pdf', to_jsonb(NEW) - 'pdf',
        v_mutable, 'payment notice');
    IF (NEW.status = 'PAID' AND NEW.paid_amount <> NEW.total_amount)
       OR (NEW.status = 'PARTIALLY_PAID' AND NOT NEW.paid_amount BETWEEN 1 AND NEW.total_amount - 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'payment notice status does not match its paid amount';
    END IF;
    IF v_cancelling AND (OLD.paid_amount <> 0 OR NEW.paid_amount <> 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'a payment notice with payments cannot be cancelled';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_purchase_statements_guard
    BEFORE UPDATE OR DELETE ON billing_context.purchase_statements
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_purchase_statement();

-- A cancelled notice's lines are released once the row reads CANCELLED, so the same hours may
-- be owed again on the reissued notice (or by the next run) -- as log_invoice_change does.
CREATE FUNCTION billing_context.release_purchase_lines() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
BEGIN
    UPDATE billing_context.purchase_statement_lines SET released_at = now()
     WHERE statement_id = NEW.id AND released_at IS NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trigger_purchase_statements_release_lines
    AFTER UPDATE OF status ON billing_context.purchase_statements
    FOR EACH ROW WHEN (NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED')
    EXECUTE FUNCTION billing_context.release_purchase_lines();

CREATE FUNCTION billing_context.guard_purchase_line() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
DECLARE
    v_row billing_context.purchase_statement_lines := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    v_status text;
BEGIN
    SELECT status INTO v_status FROM billing_context.purchase_statements WHERE id = v_row.statement_id;
    IF v_status = 'DRAFT' THEN
        RETURN v_row;
    END IF;
    IF TG_OP = 'UPDATE' AND v_status = 'CANCELLED' AND OLD.released_at IS NULL AND NEW.released_at IS NOT NULL THEN
        PERFORM billing_context.assert_document_frozen(to_jsonb(OLD), to_jsonb(NEW),
            ARRAY['released_at', 'updated_at', 'version'], 'payment notice line');
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = 'the lines of an issued payment notice cannot be added, changed or removed';
END;
$$;
CREATE TRIGGER trigger_purchase_statement_lines_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_context.purchase_statement_lines
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_purchase_line();

-- 取適法: the transfer fee may not be deducted from a covered partner's payment.
CREATE FUNCTION billing_context.guard_purchase_payment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, billing_context AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'purchase payments are never changed or removed';
    END IF;
    IF NEW.fee_borne_by = 'PARTNER' AND EXISTS (
           SELECT 1 FROM billing_context.purchase_statements
            WHERE id = NEW.statement_id AND (subcontract_act_covered OR freelance_act_covered)) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'the transfer fee may not be deducted from a partner covered by the 取適法';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM billing_context.purchase_statements
                    WHERE id = NEW.statement_id AND status IN ('ISSUED', 'PARTIALLY_PAID')) THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
            MESSAGE = 'payments are recorded only against an open issued payment notice';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trigger_purchase_payments_guard
    BEFORE INSERT OR UPDATE OR DELETE ON billing_context.purchase_payments
    FOR EACH ROW EXECUTE FUNCTION billing_context.guard_purchase_payment();

-- Append-only records: the journal (a posted line is corrected by a new entry) and the audit
-- trail are never changed or removed.
CREATE FUNCTION billing_context.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = format('%s rows are never changed or removed', TG_TABLE_NAME);
END;
$$;
CREATE TRIGGER trigger_accounting_entries_guard
    BEFORE UPDATE OR DELETE ON billing_context.accounting_entries
    FOR EACH ROW EXECUTE FUNCTION billing_context.refuse_change();
CREATE TRIGGER trigger_invoice_status_history_guard
    BEFORE UPDATE OR DELETE ON billing_context.invoice_status_history
    FOR EACH ROW EXECUTE FUNCTION billing_context.refuse_change();

SELECT platform.attach_common_triggers('billing_context');
