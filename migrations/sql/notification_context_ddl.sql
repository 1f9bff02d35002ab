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
-- A redelivered event never notifies the same person twice.
CREATE UNIQUE INDEX uq_notifications_event_recipient ON notification_context.notifications
    (event_id, recipient_user_id, rule_id, created_at) WHERE event_id IS NOT NULL;
CREATE INDEX idx_notifications_recipient_unread ON notification_context.notifications
    (recipient_user_id, created_at DESC) WHERE read_at IS NULL AND deleted_at IS NULL;

CREATE TRIGGER trigger_validate_notifications_references
    BEFORE INSERT OR UPDATE ON notification_context.notifications
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'recipient_user_id', 'platform', 'users',
        'event_id', 'platform', 'domain_events');

-- 配信結果: one row per notification and channel, with attempts and the last error.
CREATE TABLE notification_context.notification_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    notification_id uuid NOT NULL,
    notification_created_at timestamptz NOT NULL,
    channel_id uuid NOT NULL REFERENCES notification_context.notification_channels (id),
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
        REFERENCES notification_context.notifications (id, created_at)
);
CREATE UNIQUE INDEX uq_notification_deliveries ON notification_context.notification_deliveries
    (notification_id, channel_id) WHERE deleted_at IS NULL;

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

SELECT platform.attach_common_triggers('notification_context');
