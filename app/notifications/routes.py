"""A user's notifications: the bell, the list, reading, subscriptions."""

from __future__ import annotations

import uuid

from flask import abort, redirect, request, url_for
from flask_login import login_required

from ..core.htmx import navigate, render, render_fragment, wants_fragment
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from . import bp, queries, services
from .queries import CHANNEL_LABELS, PAGE_SIZE

USER_CHANNELS = ("IN_APP", "EMAIL")


def _me() -> uuid.UUID:
    identity = current_identity()
    if identity is None or identity.user_id is None:
        abort(403)
    return identity.user_id


def _page() -> int:
    return min(100_000, max(1, request.args.get("page", 1, type=int) or 1))  # no OFFSET overflow


@bp.get("/")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    page = _page()
    rows = queries.notifications_for(_me(), unread_only=unread_only, page=page)
    return render("notifications/index.html", block="results", rows=rows[:PAGE_SIZE],
                  has_next=len(rows) > PAGE_SIZE, page=page, unread_only=unread_only,
                  unread=queries.unread_count(_me()), labels=queries.EVENT_LABELS)


@bp.get("/bell")
@login_required
def bell():
    return render_fragment("notifications/_bell.html", unread=queries.unread_count(_me()))


@bp.get("/<uuid:notification_id>")
@login_required
def show(notification_id: uuid.UUID):
    item = _read_own(notification_id)
    return render("notifications/show.html", item=item, labels=queries.EVENT_LABELS)


def _read_own(notification_id: uuid.UUID):
    """Mark one of my notifications read and return it (404 for anyone else's)."""
    services.mark_read(notification_id, _me())
    return queries.notification(_me(), notification_id) or abort(404)


@bp.post("/<uuid:notification_id>/read")
@login_required
def read(notification_id: uuid.UUID):
    item = _read_own(notification_id)
    if not wants_fragment():
        return redirect(url_for("notifications.index"), code=303)
    return render("notifications/_read_row.html", row=item, labels=queries.EVENT_LABELS,
                  unread=queries.unread_count(_me()))


@bp.post("/read-all")
@login_required
def read_all():
    services.mark_all_read(_me())
    return navigate(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    identity = current_identity()
    events = queries.subscribable_events(identity.role)
    saved = False
    if request.method == "POST":
        choices = {(e, c): request.form.get(f"{e}:{c}") == "on" for e in events for c in USER_CHANNELS}
        services.save_subscriptions(_me(), choices)
        saved = True
    return render("notifications/settings.html", block="matrix", events=events,
                  channels=[(c, CHANNEL_LABELS[c]) for c in USER_CHANNELS],
                  current=queries.subscriptions_of(_me()), labels=queries.EVENT_LABELS,
                  saved=saved, saved_message=_l("通知設定を保存しました。"))
