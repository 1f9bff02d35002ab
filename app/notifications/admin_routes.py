"""Administration of notifications: channels, rules and templates, the delivery log with
re-sending, failed domain events with retry, and the local mailbox of the run command."""

from __future__ import annotations

import uuid

from flask import abort, flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import bp, mailbox, queries, services
from .forms import ChannelForm, ConfirmForm, RuleForm, TemplateForm
from .models import (
    NotificationChannel,
    NotificationDelivery,
    NotificationRule,
    NotificationTemplate,
)
from .rendering import render_sample, today_facts

admin_only = roles_required("admin")


def _get(model, id_: uuid.UUID):
    return db.session.get(model, id_) or abort(404)


@bp.get("/admin/")
@admin_only
def admin_index():
    channels = db.session.scalars(db.select(NotificationChannel).order_by(NotificationChannel.code)).all()
    rules = db.session.scalars(db.select(NotificationRule).order_by(
        NotificationRule.event_type, NotificationRule.name)).all()
    return render("notifications/admin/index.html", channels=channels, rules=rules,
                  delivery_counts=queries.delivery_counts(), event_counts=queries.event_counts(),
                  labels=queries.EVENT_LABELS, channel_labels=queries.CHANNEL_LABELS)


def _apply(form, page: str, block: str, action, success, **context):
    """Validate, run the service, answer 422 with the error on its field, or navigate."""
    if form.validate_on_submit():
        try:
            action()
        except services.NotificationError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(success, "success")
            return navigate(url_for("notifications.admin_index"))
    status = 422 if form.is_submitted() else 200
    return render(page, block=block, form=form, status=status, **context)


@bp.route("/admin/channels/<uuid:channel_id>", methods=["GET", "POST"])
@admin_only
def admin_channel(channel_id: uuid.UUID):
    channel = _get(NotificationChannel, channel_id)
    form = ChannelForm(obj=channel, url=channel.config.get("url", ""))
    return _apply(form, "notifications/admin/channel.html", "form", lambda: services.update_channel(
        channel, name=form.name.data, is_active=form.is_active.data, url=form.url.data,
        version=form.version.data), _l("チャネルを保存しました。"), channel=channel)


@bp.route("/admin/rules/<uuid:rule_id>", methods=["GET", "POST"])
@admin_only
def admin_rule(rule_id: uuid.UUID):
    rule = _get(NotificationRule, rule_id)
    form = RuleForm(obj=rule)
    templates = db.session.scalars(db.select(NotificationTemplate).where(
        NotificationTemplate.code == rule.template_code).order_by(
        NotificationTemplate.channel_type, NotificationTemplate.locale)).all()
    return _apply(form, "notifications/admin/rule.html", "form", lambda: services.update_rule(
        rule, is_active=form.is_active.data, channel_codes=form.channel_codes.data,
        version=form.version.data), _l("通知ルールを保存しました。"), rule=rule,
        templates=templates, labels=queries.EVENT_LABELS)


@bp.route("/admin/templates/<uuid:template_id>", methods=["GET", "POST"])
@admin_only
def admin_template(template_id: uuid.UUID):
    template = _get(NotificationTemplate, template_id)
    form = TemplateForm(obj=template)
    if request.method == "POST" and request.form.get("preview"):
        return render("notifications/admin/template.html", block="form", form=form,
                      notification_template=template, preview=_preview(form))
    return _apply(form, "notifications/admin/template.html", "form", lambda: services.update_template(
        template, subject=form.subject_template.data, body=form.body_template.data,
        version=form.version.data), _l("テンプレートを保存しました。"), notification_template=template, preview=None)


def _preview(form: TemplateForm):
    try:
        return render_sample(form.subject_template.data or "", form.body_template.data or "",
                             today_facts())
    except Exception as error:   # a preview shows any template error, it never fails the page
        form.body_template.errors.append(str(_l("テンプレートの書式に誤りがあります: %(error)s",
                                                error=str(error))))
        return None


@bp.get("/admin/deliveries")
@admin_only
def admin_deliveries():
    status = request.args.get("status") or None
    if status not in (None, "PENDING", "SENT", "FAILED", "SKIPPED"):
        status = None
    page = min(100_000, max(1, request.args.get("page", 1, type=int) or 1))  # no OFFSET overflow
    rows = queries.deliveries(status, page)
    return render("notifications/admin/deliveries.html", block="results", rows=rows[:queries.PAGE_SIZE],
                  has_next=len(rows) > queries.PAGE_SIZE, page=page, status_filter=status,
                  counts=queries.delivery_counts(), form=ConfirmForm(), labels=queries.EVENT_LABELS)


@bp.post("/admin/deliveries/<uuid:delivery_id>/resend")
@admin_only
def admin_resend(delivery_id: uuid.UUID):
    if services.resend_delivery(_get(NotificationDelivery, delivery_id)):
        flash(_l("再送信を予約しました。"), "success")
    return navigate(url_for("notifications.admin_deliveries", status="FAILED"))


@bp.get("/admin/events")
@admin_only
def admin_events():
    return render("notifications/admin/events.html", rows=queries.failed_events(),
                  counts=queries.event_counts(), form=ConfirmForm(), labels=queries.EVENT_LABELS)


@bp.post("/admin/events/<uuid:event_id>/retry")
@admin_only
def admin_retry_event(event_id: uuid.UUID):
    if services.retry_failed_event(event_id):
        flash(_l("イベントを再配信キューに入れました。"), "success")
    else:
        flash(_l("このイベントは失敗状態ではありません。"), "warning")
    return navigate(url_for("notifications.admin_events"))


@bp.get("/admin/mailbox")
@admin_only
def admin_mailbox():
    if not mailbox.enabled():
        abort(404)
    return render("notifications/admin/mailbox.html", messages=mailbox.messages())


@bp.get("/admin/mailbox/<name>")
@admin_only
def admin_mail(name: str):
    message = mailbox.message(name) if mailbox.enabled() else None
    if message is None:
        abort(404)
    return render("notifications/admin/mail.html", message=message)
