"""通知管理 (Notification Context): channels, templates, rules, subscriptions, deliveries.

Tables live in the ``notification_context`` schema (migrations/sql/notification_context_ddl.sql).
The worker turns domain events into notifications (``dispatching.py``), sends e-mail and
webhooks (``delivery.py``) and records the daily reminders (``reminders.py``).
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import admin_routes, dispatching, reminders, routes  # noqa: E402,F401

nav.register(_l("通知・配信"), "notifications.admin_index", {"admin"}, order=850)


@bp.app_context_processor
def _bell_count():
    """``unread_notifications()`` for the navbar bell (called only when the bell renders) and
    ``mailbox_enabled()`` for the admin tabs."""
    from ..core.identity import current_identity
    from .mailbox import enabled as mailbox_enabled
    from .queries import unread_count

    def unread_notifications() -> int:
        identity = current_identity()
        return unread_count(identity.user_id) if identity and identity.user_id else 0

    return {"unread_notifications": unread_notifications, "mailbox_enabled": mailbox_enabled}
