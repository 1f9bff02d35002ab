"""Events → notifications: the handler the worker runs for every domain event.

For each active rule of the event's type whose condition holds, every recipient gets one
notification (in their language) and one delivery row per channel of the rule: IN_APP is
delivered by being stored, EMAIL becomes a ``notifications.send_email`` job, a channel-wide
WEBHOOK one ``notifications.post_webhook`` job per rule.  Channels a user opted out of are
recorded as SKIPPED.  Everything is keyed by the event (notifications take the event's
``occurred_at`` as ``created_at``), so a replayed event adds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import select, text

from ..core.events import ALL_EVENTS, DomainEvent, handles
from ..extensions import db
from . import links
from .delivery import post_webhook, send_email
from .facts import load_facts
from .models import NotificationChannel, NotificationRule
from .recipients import Recipient, resolve_recipients
from .rendering import Rendered, find_template, render, templates_of

PERSONAL_CHANNELS = ("IN_APP", "EMAIL")

_INSERT_NOTIFICATION = text("""
    INSERT INTO notification_context.notifications (id, created_at, recipient_user_id,
        recipient_users, event_id, event_type, rule_id, title, body, link_url, priority_level,
        status, read_at)
    VALUES (:id, :created_at, :user_id, CAST(:users AS jsonb), :event_id, :event_type, :rule_id,
            :title, :body, :link, :priority, 'SENT', CASE WHEN :pre_read THEN now() END)
    ON CONFLICT (event_id, recipient_user_id, rule_id, created_at) WHERE event_id IS NOT NULL
    DO NOTHING RETURNING id""")
_INSERT_DELIVERY = text("""
    INSERT INTO notification_context.notification_deliveries (notification_id,
        notification_created_at, event_id, rule_id, channel_id, destination, subject, body,
        status, sent_at)
    VALUES (:notification_id, :created_at, :event_id, :rule_id, :channel_id, :destination,
            :subject, :body, :status, CASE WHEN :status = 'SENT' THEN now() END)
    ON CONFLICT DO NOTHING RETURNING id""")


@handles(ALL_EVENTS)
def notify_for_event(event: DomainEvent) -> None:
    rules = db.session.scalars(select(NotificationRule).where(
        NotificationRule.event_type == event.event_type, NotificationRule.is_active)
        .order_by(NotificationRule.priority_level, NotificationRule.name)).all()
    if not rules:
        return
    db.session.info["notification_templates"] = {}       # read afresh for every event
    facts = load_facts(event)
    channels = {c.code: c for c in db.session.scalars(
        select(NotificationChannel).where(NotificationChannel.is_active))}
    recipients = {rule.id: resolve_recipients(rule.recipients, facts)
                  for rule in rules if condition_holds(rule.condition, facts)}
    # Every recipient's unread counter, taken in user_id order before the first insert takes one
    # (revision 0016): written rule by rule, two events for the same people could deadlock.
    lock_unread_counters(person.user_id for people in recipients.values() for person in people)
    for rule in rules:
        if rule.id in recipients:
            apply_rule(event, rule, facts, channels, recipients[rule.id])


def condition_holds(condition: dict, facts: dict) -> bool:
    """Every key must equal the fact (or be one of a list of values)."""
    for key, expected in (condition or {}).items():
        actual = facts.get(key)
        allowed = expected if isinstance(expected, list) else [expected]
        if str(actual) not in {str(v) for v in allowed}:
            return False
    return True


def lock_unread_counters(user_ids: Iterable[uuid.UUID]) -> None:
    users = sorted(set(user_ids))
    if len(users) > 1:
        db.session.execute(text("SELECT notification_context.lock_unread_counts(CAST(:users AS uuid[]))"),
                           {"users": users})


def apply_rule(event: DomainEvent, rule: NotificationRule, facts: dict, channels: dict,
               recipients: list[Recipient]) -> int:
    everyone = json.dumps([str(r.user_id) for r in recipients])
    created = sum(notify_person(event, rule, facts, channels, person, everyone)
                  for person in recipients)
    webhook = channels.get("WEBHOOK")
    if "WEBHOOK" in rule.channel_codes and webhook and webhook.config.get("url"):
        _queue_webhook(event, rule, facts, webhook)
    return created


def _subscriptions(user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
    rows = db.session.execute(text(
        "SELECT channel_code, is_subscribed FROM notification_context.notification_subscriptions"
        " WHERE user_id = :u AND event_type = :e AND deleted_at IS NULL"),
        {"u": user_id, "e": event_type})
    return {code: subscribed for code, subscribed in rows}


def notify_person(event: DomainEvent, rule: NotificationRule, facts: dict, channels: dict,
                  person: Recipient, everyone: str) -> bool:
    """One notification for one recipient; False if there was nothing (new) to send."""
    wanted = _subscriptions(person.user_id, event.event_type)
    codes = [c for c in rule.channel_codes if c in PERSONAL_CHANNELS and c in channels]
    if not any(wanted.get(code, True) for code in codes):
        return False
    notification_id = uuid.uuid4()
    path = links.link_path(event.aggregate_type, facts, person.role)
    personal = dict(facts, recipient_name=person.display_name,
                    link=links.absolute(path or links.notification_path(notification_id)))
    in_app = _render(rule.template_code, person.locale, "IN_APP", personal)
    created = db.session.execute(_INSERT_NOTIFICATION, {
        "id": notification_id, "created_at": event.occurred_at, "user_id": person.user_id,
        "users": everyone, "event_id": event.id, "event_type": event.event_type,
        "rule_id": rule.id, "title": in_app.subject, "body": in_app.body.strip(), "link": path,
        "priority": rule.priority_level,
        # opted out of in-app: kept in the list of what was sent, but never rings the bell
        "pre_read": not (wanted.get("IN_APP", True) and "IN_APP" in codes),
    }).scalar()
    if created is None:
        return False        # this event already notified this person under this rule
    for code in codes:
        _record_delivery(code, channels[code], wanted.get(code, True), notification_id, event,
                         rule, person, personal)
    return True


def _record_delivery(code, channel, subscribed, notification_id, event, rule, person, facts):
    target = {"notification_id": notification_id, "created_at": event.occurred_at,
              "event_id": event.id, "rule_id": rule.id, "channel_id": channel.id}
    if not subscribed:
        db.session.execute(_INSERT_DELIVERY, {**target, "destination": None, "subject": None,
                                              "body": None, "status": "SKIPPED"})
    elif code == "IN_APP":
        db.session.execute(_INSERT_DELIVERY, {**target, "destination": None, "subject": None,
                                              "body": None, "status": "SENT"})
    else:
        mail = _render(rule.template_code, person.locale, "EMAIL", facts)
        delivery_id = db.session.execute(_INSERT_DELIVERY, {
            **target, "destination": person.email, "subject": mail.subject, "body": mail.body,
            "status": "PENDING"}).scalar()
        if delivery_id:
            send_email.defer(delivery_id=str(delivery_id))


def _queue_webhook(event, rule, facts, channel) -> None:
    path = links.link_path(event.aggregate_type, facts, "admin")
    text_ = _render(rule.template_code, "ja", "WEBHOOK",
                    dict(facts, recipient_name="", link=links.absolute(path) if path else ""))
    delivery_id = db.session.execute(_INSERT_DELIVERY, {
        "notification_id": None, "created_at": None, "event_id": event.id, "rule_id": rule.id,
        "channel_id": channel.id, "destination": _host(channel.config.get("url", "")),
        "subject": text_.subject, "body": text_.body, "status": "PENDING"}).scalar()
    if delivery_id:
        post_webhook.defer(delivery_id=str(delivery_id))


def _loaded_templates(code: str) -> dict:
    """The rule's templates, read once per event (however many recipients)."""
    cache = db.session.info.setdefault("notification_templates", {})
    if code not in cache:
        cache[code] = templates_of(code)
    return cache[code]


def _host(url: str) -> str:
    return urlsplit(url).netloc or url[:60]


def _render(code: str, locale: str, channel_type: str, facts: dict) -> Rendered:
    template = find_template(code, locale, channel_type, _loaded_templates(code))
    if template is None:
        return Rendered(subject=str(facts.get("event_type", code)), body="")
    return render(template, facts)
