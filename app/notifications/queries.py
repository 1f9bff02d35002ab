"""Read models: the bell, a user's notifications, subscriptions, the delivery log, failed events."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from ..core.i18n import lazy_gettext as _l
from ..extensions import db

PAGE_SIZE = 30

EVENT_LABELS = {
    "ProjectOrdered": _l("案件受注"),
    "ContractSigned": _l("契約締結"),
    "TimesheetSubmitted": _l("工数表の提出"),
    "InvoiceIssued": _l("請求書の発行"),
    "MatchingCompleted": _l("マッチング成立"),
    "TimesheetNotSubmitted": _l("工数表の未提出 (締め日)"),
    "ContractEndingSoon": _l("契約終了の30日前 (更新未定)"),
    "InvoiceOverdue": _l("入金遅延"),
    "CertificationExpiring": _l("資格の有効期限"),
}
CHANNEL_LABELS = {"IN_APP": _l("アプリ内"), "EMAIL": _l("メール"), "WEBHOOK": _l("Webhook")}
STATUS_LABELS = {"PENDING": _l("送信待ち"), "SENT": _l("送信済み"), "FAILED": _l("失敗"),
                 "SKIPPED": _l("配信停止中"), "READ": _l("既読"), "PROCESSED": _l("処理済み")}


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))


def unread_count(user_id: uuid.UUID) -> int:
    """The bell's number: the counter the notifications' triggers keep (revision 0012), not a
    count over every monthly partition."""
    return db.session.execute(text(
        "SELECT coalesce((SELECT unread FROM notification_context.unread_counts"
        " WHERE user_id = :u AND deleted_at IS NULL), 0)"), {"u": user_id}).scalar()


def notifications_for(user_id: uuid.UUID, *, unread_only: bool = False, page: int = 1) -> list:
    """The user's notifications, newest first, with the channels each went out through."""
    return db.session.execute(text(f"""
        SELECT n.id, n.created_at, n.event_type, n.title, n.body, n.link_url, n.read_at,
               n.priority_level
        FROM notification_context.notifications n
        WHERE n.recipient_user_id = :u AND n.deleted_at IS NULL
          {"AND n.read_at IS NULL" if unread_only else ""}
        ORDER BY n.created_at DESC, n.id LIMIT :limit OFFSET :offset"""),
        {"u": user_id, "limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE}).mappings().all()


def notification(user_id: uuid.UUID, notification_id: uuid.UUID):
    return db.session.execute(text(
        "SELECT id, created_at, event_type, title, body, link_url, read_at"
        " FROM notification_context.notifications"
        " WHERE id = :id AND recipient_user_id = :u AND deleted_at IS NULL"),
        {"id": notification_id, "u": user_id}).mappings().first()


def subscribable_events(role: str) -> list[str]:
    """Event types with an active rule (the ones a user may be notified of), in label order."""
    rows = db.session.execute(text(
        "SELECT DISTINCT event_type FROM notification_context.notification_rules"
        " WHERE is_active AND deleted_at IS NULL")).scalars().all()
    return sorted(rows, key=lambda e: list(EVENT_LABELS).index(e) if e in EVENT_LABELS else 99)


def subscriptions_of(user_id: uuid.UUID) -> dict[tuple[str, str], bool]:
    rows = db.session.execute(text(
        "SELECT event_type, channel_code, is_subscribed"
        " FROM notification_context.notification_subscriptions"
        " WHERE user_id = :u AND deleted_at IS NULL"), {"u": user_id})
    return {(e, c): s for e, c, s in rows}


def deliveries(status: str | None = None, page: int = 1) -> list:
    """The delivery log for administrators (e-mail and webhooks first: IN_APP is the row)."""
    return db.session.execute(text(f"""
        SELECT d.id, d.created_at, d.status, d.attempts, d.last_error, d.sent_at, d.destination,
               d.subject, c.code AS channel_code, coalesce(n.event_type, e.event_type) AS event_type,
               u.display_name AS recipient_name
        FROM notification_context.notification_deliveries d
        JOIN notification_context.notification_channels c ON c.id = d.channel_id
        LEFT JOIN notification_context.notifications n
               ON n.id = d.notification_id AND n.created_at = d.notification_created_at
        LEFT JOIN platform.users u ON u.id = n.recipient_user_id
        LEFT JOIN platform.domain_events e ON e.id = d.event_id
        WHERE d.deleted_at IS NULL {"AND d.status = :status" if status else ""}
        ORDER BY d.created_at DESC, d.id LIMIT :limit OFFSET :offset"""),
        {"status": status, "limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE}).mappings().all()


def delivery_counts() -> dict[str, int]:
    return dict(db.session.execute(text(
        "SELECT status, count(*) FROM notification_context.notification_deliveries"
        " WHERE deleted_at IS NULL GROUP BY status")).all())


def failed_events(limit: int = 200) -> list:
    return db.session.execute(text(
        "SELECT id, event_type, source_context, aggregate_type, aggregate_id, occurred_at,"
        " attempts, last_error FROM platform.domain_events"
        " WHERE status = 'FAILED' AND deleted_at IS NULL ORDER BY occurred_at DESC LIMIT :n"),
        {"n": limit}).mappings().all()


def event_counts() -> dict[str, int]:
    return dict(db.session.execute(text(
        "SELECT status, count(*) FROM platform.domain_events WHERE deleted_at IS NULL"
        " GROUP BY status")).all())
