"""通知管理 (Notification Context): channels, templates, rules, subscriptions, deliveries.

Tables live in the ``notification_context`` schema (migrations/sql/notification_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
