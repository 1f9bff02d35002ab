"""Everyone's own notifications and settings; delivery administration for administrators."""

from . import allow, logged_in

RULES = {
    **{name: logged_in() for name in (
        "notifications.index", "notifications.bell", "notifications.show", "notifications.read",
        "notifications.read_all", "notifications.settings")},
    **{name: allow("admin") for name in (
        "notifications.admin_index", "notifications.admin_channel", "notifications.admin_rule",
        "notifications.admin_template", "notifications.admin_events", "notifications.admin_retry_event",
        "notifications.admin_deliveries", "notifications.admin_resend")},
    # the local mailbox exists only while the run command's mail sink is on: 404 otherwise
    "notifications.admin_mailbox": allow("admin", get=404),
    "notifications.admin_mail": allow("admin", get=404),
}
