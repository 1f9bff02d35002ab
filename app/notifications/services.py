"""Notification services: reading and marking one's notifications, subscriptions, and the
administrator's settings (channels, rules, templates) and re-sending of failed deliveries.

Services only flush; the request commits.  Row level security decides what each user may
touch (a user updates only read_at/status of their own notifications); the explicit
``recipient_user_id`` filters keep an administrator's bell to their own notifications too.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from ..core.db import check_version
from ..core.events import retry_event
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from .delivery import post_webhook, send_email
from .models import (
    NotificationChannel,
    NotificationDelivery,
    NotificationRule,
    NotificationTemplate,
)
from .rendering import TemplateProblem, check_template

CHANNEL_CODES = ("IN_APP", "EMAIL", "WEBHOOK")


class NotificationError(Exception):
    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def mark_read(notification_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Mark one of the user's own notifications as read; False if it was not theirs or unread."""
    return bool(db.session.execute(text(
        "UPDATE notification_context.notifications SET read_at = now(), status = 'READ'"
        " WHERE id = :id AND recipient_user_id = :u AND read_at IS NULL"),
        {"id": notification_id, "u": user_id}).rowcount)


def mark_all_read(user_id: uuid.UUID) -> int:
    return db.session.execute(text(
        "UPDATE notification_context.notifications SET read_at = now(), status = 'READ'"
        " WHERE recipient_user_id = :u AND read_at IS NULL AND deleted_at IS NULL"),
        {"u": user_id}).rowcount


def save_subscriptions(user_id: uuid.UUID, choices: dict[tuple[str, str], bool]) -> int:
    """Store the user's opt-in/out per (event type, channel); returns how many changed."""
    changed = 0
    for (event_type, channel_code), subscribed in choices.items():
        if channel_code not in CHANNEL_CODES:
            raise NotificationError(None, _l("不明な通知チャネルです。"))
        changed += db.session.execute(text("""
            INSERT INTO notification_context.notification_subscriptions
                (user_id, event_type, channel_code, is_subscribed) VALUES (:u, :e, :c, :s)
            ON CONFLICT (user_id, event_type, channel_code) WHERE deleted_at IS NULL
            DO UPDATE SET is_subscribed = EXCLUDED.is_subscribed
            WHERE notification_subscriptions.is_subscribed IS DISTINCT FROM EXCLUDED.is_subscribed"""),
            {"u": user_id, "e": event_type, "c": channel_code, "s": subscribed}).rowcount
    return changed


# --- administration (admin role) -------------------------------------------------------------------

def update_channel(channel: NotificationChannel, *, name: str, is_active: bool, url: str | None,
                   version) -> NotificationChannel:
    """Rename / (de)activate a channel; a webhook needs an https URL to be active."""
    check_version(channel, version)
    if channel.channel_type == "WEBHOOK":
        url = (url or "").strip()
        if url and not url.startswith("https://"):
            raise NotificationError("url", _l("Webhook の URL は https:// で始めてください。"))
        if is_active and not url:
            raise NotificationError("url", _l("有効にするには Webhook の URL を入力してください。"))
        channel.config = {**channel.config, "url": url}
    channel.name = name.strip()
    channel.is_active = is_active
    db.session.flush()
    return channel


def update_rule(rule: NotificationRule, *, is_active: bool, channel_codes: list[str],
                version) -> NotificationRule:
    check_version(rule, version)
    if not channel_codes:
        raise NotificationError("channel_codes", _l("配信チャネルを1つ以上選択してください。"))
    if not set(channel_codes) <= set(CHANNEL_CODES):
        raise NotificationError("channel_codes", _l("不明な通知チャネルです。"))
    rule.is_active = is_active
    rule.channel_codes = [c for c in CHANNEL_CODES if c in channel_codes]
    db.session.flush()
    return rule


def update_template(template: NotificationTemplate, *, subject: str, body: str,
                    version) -> NotificationTemplate:
    """Save an edited template after checking that it compiles in the sandbox."""
    check_version(template, version)
    for field, source in (("subject_template", subject), ("body_template", body)):
        try:
            check_template(source)
        except TemplateProblem as problem:
            raise NotificationError(field, _l("テンプレートの書式に誤りがあります: %(error)s",
                                              error=str(problem))) from problem
    template.subject_template = subject
    template.body_template = body
    db.session.flush()
    return template


def resend_delivery(delivery: NotificationDelivery) -> bool:
    """Queue a FAILED e-mail or webhook delivery again (after fixing the cause)."""
    if delivery.status != "FAILED":
        return False
    channel = db.session.get(NotificationChannel, delivery.channel_id)
    delivery.status = "PENDING"
    db.session.flush()
    job = post_webhook if channel.channel_type == "WEBHOOK" else send_email
    job.defer(delivery_id=str(delivery.id))
    return True


def retry_failed_event(event_id: uuid.UUID) -> bool:
    """Deliver a FAILED domain event again (the worker runs its handlers)."""
    return retry_event(event_id)
