-- Notification Context (通知管理): channels, templates, rules (event → recipients), user
-- subscriptions, the notifications themselves (partitioned by month) and each delivery attempt.

-- 配信チャネル: IN_APP, EMAIL (SMTP from the environment), WEBHOOK (Slack/Teams URL in config).
CREATE TABLE notification_context.notification_channels (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[A-Z_]{1,30}$'),
    channel_type text NOT NULL CHECK (channel_type IN ('IN_APP', 'EMAIL', 'WEBHOOK')),
    name text NOT NULL,
    config jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_notification_channels_code ON notification_context.notification_channels (code)
    WHERE deleted_at IS NULL;

-- 通知テンプレート: Jinja text per event, locale and channel.
CREATE TABLE notification_context.notification_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL,
    event_type text NOT NULL,
    locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
    channel_type text NOT NULL CHECK (channel_type IN ('IN_APP', 'EMAIL', 'WEBHOOK')),
    subject_template text NOT NULL,
    body_template text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_notification_templates ON notification_context.notification_templates
    (code, locale, channel_type) WHERE deleted_at IS NULL;

-- 通知ルール: which event, under which condition, to whom, through which channels.
CREATE TABLE notification_context.notification_rules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    event_type text NOT NULL,
    condition jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- {"roles": ["project_manager"], "relations": ["project_manager", "engineer", "customer_contacts"]}
    recipients jsonb NOT NULL DEFAULT '{}'::jsonb,
    channel_codes text[] NOT NULL DEFAULT '{IN_APP}',
    template_code text NOT NULL,
    priority_level smallint NOT NULL DEFAULT 3 CHECK (priority_level BETWEEN 1 AND 5),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX idx_notification_rules_event ON notification_context.notification_rules (event_type)
    WHERE deleted_at IS NULL AND is_active;

-- 通知: 月次パーティショニング on created_at.  recipient_users keeps every recipient (GIN).
CREATE TABLE notification_context.notifications (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    recipient_user_id uuid NOT NULL,           -- platform.users
    recipient_users jsonb NOT NULL DEFAULT '[]'::jsonb,
    event_id uuid,                             -- platform.domain_events
    event_type text NOT NULL,
    rule_id uuid,
    title text NOT NULL,
    body text NOT NULL,
    link_url text,
    priority_level smallint NOT NULL DEFAULT 3 CHECK (priority_level BETWEEN 1 AND 5),
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'READ', 'FAILED')),
    read_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
-- A redelivered event never notifies the same person twice: event-born notifications take the
-- event's occurred_at as created_at (the partition key must be part of the key), so the key is
-- deterministic whichever attempt writes it.
CREATE UNIQUE INDEX uq_notifications_event_recipient ON notification_context.notifications
    (event_id, recipient_user_id, rule_id, created_at) WHERE event_id IS NOT NULL;
CREATE INDEX idx_notifications_recipient_unread ON notification_context.notifications
    (recipient_user_id, created_at DESC) WHERE read_at IS NULL AND deleted_at IS NULL;

CREATE TRIGGER trigger_validate_notifications_references
    BEFORE INSERT OR UPDATE ON notification_context.notifications
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'recipient_user_id', 'platform', 'users',
        'event_id', 'platform', 'domain_events');

-- 配信結果: one row per notification and channel (e-mail to the recipient), or per event, rule
-- and channel for a channel-wide webhook (a Slack/Teams room is not a person).  The rendered
-- subject and body are kept, so a retry sends exactly what was decided and an administrator
-- can see what left the system.
CREATE TABLE notification_context.notification_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    notification_id uuid,
    notification_created_at timestamptz,
    event_id uuid,                             -- platform.domain_events (webhooks per rule)
    rule_id uuid REFERENCES notification_context.notification_rules (id),
    channel_id uuid NOT NULL REFERENCES notification_context.notification_channels (id),
    destination text,                          -- the e-mail address or webhook host used
    subject text,
    body text,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts smallint NOT NULL DEFAULT 0,
    last_error text,
    sent_at timestamptz,
    response jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT fk_notification_deliveries_notification FOREIGN KEY (notification_id, notification_created_at)
        REFERENCES notification_context.notifications (id, created_at),
    CONSTRAINT ck_notification_deliveries_target CHECK (
        (notification_id IS NOT NULL AND notification_created_at IS NOT NULL)
        OR (event_id IS NOT NULL AND rule_id IS NOT NULL))
);
CREATE UNIQUE INDEX uq_notification_deliveries ON notification_context.notification_deliveries
    (notification_id, channel_id) WHERE deleted_at IS NULL AND notification_id IS NOT NULL;
CREATE UNIQUE INDEX uq_notification_deliveries_rule ON notification_context.notification_deliveries
    (event_id, rule_id, channel_id) WHERE deleted_at IS NULL AND notification_id IS NULL;
CREATE INDEX idx_notification_deliveries_status ON notification_context.notification_deliveries
    (status, created_at DESC) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_notification_deliveries_references
    BEFORE INSERT OR UPDATE ON notification_context.notification_deliveries
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'event_id', 'platform', 'domain_events');

-- 購読設定: a user opts in or out per event type and channel.
CREATE TABLE notification_context.notification_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,                     -- platform.users
    event_type text NOT NULL,
    channel_code text NOT NULL,
    is_subscribed boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_notification_subscriptions ON notification_context.notification_subscriptions
    (user_id, event_type, channel_code) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_notification_subscriptions_references
    BEFORE INSERT OR UPDATE ON notification_context.notification_subscriptions
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'user_id', 'platform', 'users');

-- ---------------------------------------------------------------------------------------------
-- Reference data: the channels, the rules of the design's event table plus the reminders, and
-- their templates in Japanese and English (IN_APP and EMAIL; a webhook posts the IN_APP text).
-- Templates are Jinja (sandboxed) over the event's facts (app/notifications/facts.py).
-- ---------------------------------------------------------------------------------------------
INSERT INTO notification_context.notification_channels (code, channel_type, name, config, is_active) VALUES
    ('IN_APP', 'IN_APP', 'アプリ内通知', '{}', true),
    ('EMAIL', 'EMAIL', 'メール', '{}', true),
    -- an administrator sets the incoming-webhook URL (Slack / Teams) and activates it
    ('WEBHOOK', 'WEBHOOK', 'Webhook (Slack / Teams)', '{"url": ""}', false);

INSERT INTO notification_context.notification_rules
    (name, event_type, condition, recipients, channel_codes, template_code, priority_level) VALUES
    ('案件受注 → 営業担当・PM・管理者', 'ProjectOrdered', '{}',
     '{"relations": ["sales_manager", "project_manager"], "roles": ["admin"], "exclude_actor": true}',
     '{IN_APP,EMAIL,WEBHOOK}', 'project_ordered', 2),
    ('契約締結 → 当社担当と相手方', 'ContractSigned', '{}',
     '{"relations": ["sales_manager", "project_manager", "customer_users", "partner_users"]}',
     '{IN_APP,EMAIL}', 'contract_signed', 2),
    ('工数表提出 → 承認者', 'TimesheetSubmitted', '{}',
     '{"relations": ["timesheet_approver"], "exclude_actor": true}',
     '{IN_APP,EMAIL}', 'timesheet_submitted', 3),
    ('請求書発行 → 顧客の請求担当 (ポータルのリンク、PDF添付なし)', 'InvoiceIssued', '{}',
     '{"relations": ["customer_billing_contacts"]}',
     '{IN_APP,EMAIL}', 'invoice_issued', 2),
    ('マッチング成立 → 案件のPM', 'MatchingCompleted', '{}',
     '{"relations": ["project_manager", "sales_manager"], "exclude_actor": true}',
     '{IN_APP}', 'matching_completed', 3),
    ('工数表未提出 (締め日) → 技術者', 'TimesheetNotSubmitted', '{}',
     '{"relations": ["engineer", "partner_users"]}',
     '{IN_APP,EMAIL}', 'timesheet_not_submitted', 2),
    ('契約終了30日前 (更新未定) → 営業担当・PM', 'ContractEndingSoon', '{}',
     '{"relations": ["sales_manager", "project_manager"]}',
     '{IN_APP,EMAIL}', 'contract_ending_soon', 2),
    ('入金遅延 → 経理', 'InvoiceOverdue', '{}',
     '{"roles": ["finance"]}',
     '{IN_APP,EMAIL}', 'invoice_overdue', 1),
    ('資格の有効期限 → 技術者・管理者', 'CertificationExpiring', '{}',
     '{"relations": ["engineer"], "roles": ["admin"]}',
     '{IN_APP,EMAIL}', 'certification_expiring', 4);

INSERT INTO notification_context.notification_templates
    (code, event_type, locale, channel_type, subject_template, body_template) VALUES
    ('project_ordered', 'ProjectOrdered', 'ja', 'IN_APP',
     '案件「{{ project_title }}」を受注しました',
     '{{ customer_name }} の案件「{{ project_title }}」({{ project_code }}) が受注になりました。{% if start_date %} 開始予定日: {{ start_date|jdate }}{% endif %}'),
    ('project_ordered', 'ProjectOrdered', 'en', 'IN_APP',
     'Case "{{ project_title }}" was ordered',
     'The case "{{ project_title }}" ({{ project_code }}) of {{ customer_name }} was ordered.{% if start_date %} Planned start: {{ start_date|slashdate }}{% endif %}'),
    ('project_ordered', 'ProjectOrdered', 'ja', 'EMAIL',
     '[SES管理] 案件受注: {{ project_title }}',
     '{{ recipient_name }} 様

{{ customer_name }} の案件「{{ project_title }}」({{ project_code }}) が受注になりました。
{% if start_date %}開始予定日: {{ start_date|jdate }}
{% endif %}
案件の詳細: {{ link }}
'),
    ('project_ordered', 'ProjectOrdered', 'en', 'EMAIL',
     '[SES] Case ordered: {{ project_title }}',
     'Dear {{ recipient_name }},

the case "{{ project_title }}" ({{ project_code }}) of {{ customer_name }} was ordered.
{% if start_date %}Planned start: {{ start_date|slashdate }}
{% endif %}
Details: {{ link }}
'),

    ('contract_signed', 'ContractSigned', 'ja', 'IN_APP',
     '契約「{{ contract_title }}」が締結されました',
     '契約 {{ contract_number }}「{{ contract_title }}」が締結されました。契約期間: {{ start_date|jdate }}〜{{ end_date|jdate }}'),
    ('contract_signed', 'ContractSigned', 'en', 'IN_APP',
     'Contract "{{ contract_title }}" was signed',
     'Contract {{ contract_number }} "{{ contract_title }}" was signed. Term: {{ start_date|slashdate }} – {{ end_date|slashdate }}'),
    ('contract_signed', 'ContractSigned', 'ja', 'EMAIL',
     '[SES管理] 契約締結のお知らせ: {{ contract_number }}',
     '{{ recipient_name }} 様

契約 {{ contract_number }}「{{ contract_title }}」が締結されました。
契約期間: {{ start_date|jdate }}〜{{ end_date|jdate }}

契約書の確認: {{ link }}
'),
    ('contract_signed', 'ContractSigned', 'en', 'EMAIL',
     '[SES] Contract signed: {{ contract_number }}',
     'Dear {{ recipient_name }},

contract {{ contract_number }} "{{ contract_title }}" was signed.
Term: {{ start_date|slashdate }} – {{ end_date|slashdate }}

View the contract: {{ link }}
'),

    ('timesheet_submitted', 'TimesheetSubmitted', 'ja', 'IN_APP',
     '{{ engineer_name }} さんの{{ year }}年{{ month }}月の工数表が提出されました',
     '{{ project_title }} の{{ year }}年{{ month }}月分の工数表が提出されました。確認・承認をお願いします。'),
    ('timesheet_submitted', 'TimesheetSubmitted', 'en', 'IN_APP',
     'Timesheet of {{ engineer_name }} for {{ year }}/{{ month }} submitted',
     'The timesheet of {{ project_title }} for {{ year }}/{{ month }} was submitted. Please review and approve it.'),
    ('timesheet_submitted', 'TimesheetSubmitted', 'ja', 'EMAIL',
     '[SES管理] 工数表の承認依頼: {{ engineer_name }} {{ year }}年{{ month }}月',
     '{{ recipient_name }} 様

{{ engineer_name }} さんの {{ project_title }} {{ year }}年{{ month }}月分の工数表が提出されました。
内容を確認のうえ、承認または差戻しをお願いします。

工数表: {{ link }}
'),
    ('timesheet_submitted', 'TimesheetSubmitted', 'en', 'EMAIL',
     '[SES] Timesheet to approve: {{ engineer_name }} {{ year }}/{{ month }}',
     'Dear {{ recipient_name }},

{{ engineer_name }} submitted the timesheet of {{ project_title }} for {{ year }}/{{ month }}.
Please approve or return it.

Timesheet: {{ link }}
'),

    ('invoice_issued', 'InvoiceIssued', 'ja', 'IN_APP',
     '請求書 {{ invoice_number }} を発行しました',
     '{{ customer_name }} 御中 請求書 {{ invoice_number }} (ご請求金額 {{ total_amount|yen }}、お支払期限 {{ due_date|jdate }}) を発行しました。ポータルでご確認ください。'),
    ('invoice_issued', 'InvoiceIssued', 'en', 'IN_APP',
     'Invoice {{ invoice_number }} issued',
     'Invoice {{ invoice_number }} for {{ customer_name }} (amount {{ total_amount|yen }}, due {{ due_date|slashdate }}) was issued. Please view it on the portal.'),
    ('invoice_issued', 'InvoiceIssued', 'ja', 'EMAIL',
     '[SES管理] 請求書発行のお知らせ ({{ invoice_number }})',
     '{{ customer_name }}
{{ recipient_name }} 様

いつもお世話になっております。
請求書 {{ invoice_number }} を発行いたしました。

ご請求金額: {{ total_amount|yen }} (税込)
お支払期限: {{ due_date|jdate }}

請求書はポータルでご確認・ダウンロードいただけます (本メールに請求書は添付しておりません)。
{{ link }}

振込先はポータル上の請求書に記載の口座のみです。振込先の変更をメールでご依頼することはありません。
'),
    ('invoice_issued', 'InvoiceIssued', 'en', 'EMAIL',
     '[SES] Invoice issued ({{ invoice_number }})',
     'Dear {{ recipient_name }},

invoice {{ invoice_number }} was issued.

Amount: {{ total_amount|yen }} (tax included)
Due date: {{ due_date|slashdate }}

Please view and download the invoice on the portal (it is not attached to this e-mail).
{{ link }}

Our bank details are only those printed on the invoice in the portal; we never ask for a change of bank account by e-mail.
'),

    ('matching_completed', 'MatchingCompleted', 'ja', 'IN_APP',
     'マッチング成立: {{ project_title }} × {{ engineer_name }}',
     '案件「{{ project_title }}」に {{ engineer_name }} さんのアサインが決まりました (スコア {{ matching_score }})。契約の作成に進んでください。'),
    ('matching_completed', 'MatchingCompleted', 'en', 'IN_APP',
     'Match: {{ project_title }} × {{ engineer_name }}',
     '{{ engineer_name }} was matched to the case "{{ project_title }}" (score {{ matching_score }}). Please draft the contract.'),

    ('timesheet_not_submitted', 'TimesheetNotSubmitted', 'ja', 'IN_APP',
     '{{ year }}年{{ month }}月の工数表が未提出です',
     '{{ project_title }} の{{ year }}年{{ month }}月分の工数表が締め日 ({{ closing_date|jdate }}) を過ぎても提出されていません。入力して提出してください。'),
    ('timesheet_not_submitted', 'TimesheetNotSubmitted', 'en', 'IN_APP',
     'Timesheet for {{ year }}/{{ month }} not submitted',
     'The timesheet of {{ project_title }} for {{ year }}/{{ month }} is still not submitted after the closing day ({{ closing_date|slashdate }}). Please fill it in and submit it.'),
    ('timesheet_not_submitted', 'TimesheetNotSubmitted', 'ja', 'EMAIL',
     '[SES管理] 工数表の提出をお願いします ({{ year }}年{{ month }}月)',
     '{{ recipient_name }} 様

{{ engineer_name }} さんの {{ project_title }} {{ year }}年{{ month }}月分の工数表が、締め日 ({{ closing_date|jdate }}) を過ぎても提出されていません。
お手数ですが、入力のうえ提出をお願いします。

工数表: {{ link }}
'),
    ('timesheet_not_submitted', 'TimesheetNotSubmitted', 'en', 'EMAIL',
     '[SES] Please submit your timesheet ({{ year }}/{{ month }})',
     'Dear {{ recipient_name }},

the timesheet of {{ engineer_name }} for {{ project_title }}, {{ year }}/{{ month }}, is still not submitted after the closing day ({{ closing_date|slashdate }}).
Please fill it in and submit it.

Timesheet: {{ link }}
'),

    ('contract_ending_soon', 'ContractEndingSoon', 'ja', 'IN_APP',
     '契約 {{ contract_number }} が{{ end_date|jdate }}に終了します (更新未定)',
     '{{ customer_name }} / {{ engineer_name }} さんの契約「{{ contract_title }}」が{{ end_date|jdate }}に終了します。更新の要否がまだ決まっていません。'),
    ('contract_ending_soon', 'ContractEndingSoon', 'en', 'IN_APP',
     'Contract {{ contract_number }} ends on {{ end_date|slashdate }} (no renewal decision)',
     'The contract "{{ contract_title }}" ({{ customer_name }} / {{ engineer_name }}) ends on {{ end_date|slashdate }}. No renewal has been decided yet.'),
    ('contract_ending_soon', 'ContractEndingSoon', 'ja', 'EMAIL',
     '[SES管理] 契約終了のお知らせ: {{ contract_number }} ({{ end_date|jdate }})',
     '{{ recipient_name }} 様

契約 {{ contract_number }}「{{ contract_title }}」({{ customer_name }} / {{ engineer_name }} さん) が {{ end_date|jdate }} に終了します。
更新の要否がまだ登録されていません。お客様と技術者に確認のうえ、更新契約を作成するか終了の手続きを進めてください。

契約: {{ link }}
'),
    ('contract_ending_soon', 'ContractEndingSoon', 'en', 'EMAIL',
     '[SES] Contract ending: {{ contract_number }} ({{ end_date|slashdate }})',
     'Dear {{ recipient_name }},

contract {{ contract_number }} "{{ contract_title }}" ({{ customer_name }} / {{ engineer_name }}) ends on {{ end_date|slashdate }}.
No renewal has been recorded yet. Please check with the customer and the engineer, then renew or close it.

Contract: {{ link }}
'),

    ('invoice_overdue', 'InvoiceOverdue', 'ja', 'IN_APP',
     '請求書 {{ invoice_number }} の入金が遅れています',
     '{{ customer_name }} 宛て請求書 {{ invoice_number }} (未入金 {{ open_amount|yen }}) はお支払期限 {{ due_date|jdate }} を過ぎています。'),
    ('invoice_overdue', 'InvoiceOverdue', 'en', 'IN_APP',
     'Invoice {{ invoice_number }} is overdue',
     'Invoice {{ invoice_number }} to {{ customer_name }} ({{ open_amount|yen }} open) is past its due date {{ due_date|slashdate }}.'),
    ('invoice_overdue', 'InvoiceOverdue', 'ja', 'EMAIL',
     '[SES管理] 入金遅延: {{ invoice_number }} {{ customer_name }}',
     '{{ recipient_name }} 様

{{ customer_name }} 宛て請求書 {{ invoice_number }} がお支払期限 {{ due_date|jdate }} を過ぎても入金されていません。
未入金額: {{ open_amount|yen }}

請求書: {{ link }}
'),
    ('invoice_overdue', 'InvoiceOverdue', 'en', 'EMAIL',
     '[SES] Overdue: {{ invoice_number }} {{ customer_name }}',
     'Dear {{ recipient_name }},

invoice {{ invoice_number }} to {{ customer_name }} is not paid after its due date {{ due_date|slashdate }}.
Open amount: {{ open_amount|yen }}

Invoice: {{ link }}
'),

    ('certification_expiring', 'CertificationExpiring', 'ja', 'IN_APP',
     '資格「{{ certification_name }}」の有効期限が近づいています',
     '{{ engineer_name }} さんの資格「{{ certification_name }}」の有効期限は {{ expires_on|jdate }} です。更新の予定を確認してください。'),
    ('certification_expiring', 'CertificationExpiring', 'en', 'IN_APP',
     'Certification "{{ certification_name }}" expires soon',
     'The certification "{{ certification_name }}" of {{ engineer_name }} expires on {{ expires_on|slashdate }}. Please plan its renewal.'),
    ('certification_expiring', 'CertificationExpiring', 'ja', 'EMAIL',
     '[SES管理] 資格の有効期限: {{ certification_name }} ({{ expires_on|jdate }})',
     '{{ recipient_name }} 様

{{ engineer_name }} さんの資格「{{ certification_name }}」の有効期限は {{ expires_on|jdate }} です。
更新の予定を確認し、更新後は技術者情報の資格欄を更新してください。

技術者情報: {{ link }}
'),
    ('certification_expiring', 'CertificationExpiring', 'en', 'EMAIL',
     '[SES] Certification expiring: {{ certification_name }} ({{ expires_on|slashdate }})',
     'Dear {{ recipient_name }},

the certification "{{ certification_name }}" of {{ engineer_name }} expires on {{ expires_on|slashdate }}.
Please plan its renewal and update the engineer profile afterwards.

Engineer profile: {{ link }}
');

SELECT platform.attach_common_triggers('notification_context');
