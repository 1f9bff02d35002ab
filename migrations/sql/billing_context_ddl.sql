-- Billing Context (請求・支払管理): issuers (our company profile), qualified invoices
-- (partitioned by year), their lines, payments and journal entries.

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

-- Gap-free invoice numbers per issuer and year: the row is locked while a number is taken,
-- in the same transaction that issues the invoice.
CREATE TABLE billing_context.invoice_number_sequences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issuer_id uuid NOT NULL REFERENCES billing_context.issuers (id),
    year smallint NOT NULL,
    last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_invoice_number_sequences ON billing_context.invoice_number_sequences
    (issuer_id, year) WHERE deleted_at IS NULL;

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
    subtotal_amount bigint NOT NULL DEFAULT 0,
    tax_amount bigint NOT NULL DEFAULT 0,
    total_amount bigint NOT NULL DEFAULT 0,
    paid_amount bigint NOT NULL DEFAULT 0,
    -- {"by_rate": {"10": {"subtotal": 2400015, "tax": 240001}}, "lines": 3, ...}
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
    CONSTRAINT ck_invoices_issued CHECK (status = 'DRAFT' OR (invoice_number IS NOT NULL
        AND invoice_date IS NOT NULL AND due_date IS NOT NULL))
) PARTITION BY RANGE (invoice_year);
CREATE UNIQUE INDEX uq_invoices_number ON billing_context.invoices
    (issuer_id, invoice_year, invoice_number) WHERE invoice_number IS NOT NULL;
CREATE INDEX idx_invoices_id ON billing_context.invoices (id);
CREATE INDEX idx_invoices_customer_date ON billing_context.invoices (customer_id, invoice_date)
    WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_invoices_references
    BEFORE INSERT OR UPDATE ON billing_context.invoices
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'customer_id', 'project_context', 'customers',
        'issued_by', 'platform', 'users');

-- 請求明細: one line per engineer and contract (settlement), adjustment or extra (交通費 ...).
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
    amount bigint NOT NULL,                    -- tax excluded
    tax_rate_percent smallint NOT NULL DEFAULT 10 CHECK (tax_rate_percent IN (0, 8, 10)),
    is_reduced_rate boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_invoice_billing_items_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year)
);
CREATE UNIQUE INDEX uq_invoice_billing_items_line ON billing_context.invoice_billing_items
    (invoice_id, line_no) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_invoice_billing_items_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_billing_items
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'contract_id', 'contract_context', 'contracts',
        'engineer_id', 'engineer_context', 'engineers',
        'timesheet_id', 'timesheet_context', 'timesheets',
        'timesheet_adjustment_id', 'timesheet_context', 'timesheet_adjustments');

-- 入金記録: full, partial or several payments; a bank fee the payer deducted is recorded beside
-- the amount received.  The idempotency key makes a re-submitted form harmless.
CREATE TABLE billing_context.invoice_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    paid_on date NOT NULL,
    received_amount bigint NOT NULL CHECK (received_amount >= 0),
    fee_amount bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
    applied_amount bigint NOT NULL CHECK (applied_amount >= 0),   -- counted against the invoice
    overpaid_amount bigint NOT NULL DEFAULT 0 CHECK (overpaid_amount >= 0),  -- held as credit
    method text NOT NULL DEFAULT 'BANK_TRANSFER' CHECK (method IN ('BANK_TRANSFER', 'CASH', 'OFFSET', 'OTHER')),
    payer_name text,
    reference text,
    idempotency_key text NOT NULL,
    recorded_by uuid,                          -- platform.users
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_invoice_payments_invoice FOREIGN KEY (invoice_id, invoice_year)
        REFERENCES billing_context.invoices (id, invoice_year),
    CONSTRAINT ck_invoice_payments_split CHECK (received_amount + fee_amount = applied_amount + overpaid_amount)
);
CREATE UNIQUE INDEX uq_invoice_payments_idempotency ON billing_context.invoice_payments (idempotency_key);

CREATE TRIGGER trigger_validate_invoice_payments_references
    BEFORE INSERT OR UPDATE ON billing_context.invoice_payments
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'recorded_by', 'platform', 'users');

-- 会計仕訳 (税抜経理): one row per journal line; the lines of one entry share entry_id and
-- must balance (debits = credits), checked at commit by a deferred constraint trigger.
CREATE TABLE billing_context.accounting_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id uuid NOT NULL,
    entry_number bigint NOT NULL,              -- 伝票No.
    entry_date date NOT NULL,
    event_type text NOT NULL CHECK (event_type IN ('INVOICE_ISSUED', 'PAYMENT_RECEIVED',
        'CREDIT_NOTE', 'PARTNER_PURCHASE', 'PARTNER_PAYMENT', 'MANUAL')),
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

SELECT platform.attach_common_triggers('billing_context');
