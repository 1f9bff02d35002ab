"""Jobs that make a notification leave the system: e-mail over SMTP and webhook posts.

Each delivery row already holds what to send (rendered when the event was handled).  A job
locks its row, skips it if it was sent already (a redelivered job sends nothing twice), sends,
and records the outcome: SENT with the server's answer, or the error with the attempt count
(PENDING while procrastinate retries with backoff, FAILED after the last attempt).  Invoice
mails carry a link to the portal only, never the PDF.

SMTP comes from the environment: ``SES_SMTP_HOST`` / ``SES_SMTP_PORT`` (the run command's local
sink by default), ``SES_SMTP_USER`` / ``SES_SMTP_PASSWORD`` and ``SES_SMTP_STARTTLS=1`` for a
real relay, ``SES_MAIL_FROM``.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
import uuid
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from procrastinate import RetryStrategy
from sqlalchemy import select

from ..core.jobs import current_job, jobs
from ..extensions import db
from .models import NotificationChannel, NotificationDelivery

SEND_RETRY = RetryStrategy(max_attempts=5, exponential_wait=4)     # 4 s, 16 s ... ~17 min
TIMEOUT_SECONDS = 10


class WebhookError(Exception):
    pass


def _locked(delivery_id: str) -> NotificationDelivery | None:
    delivery = db.session.scalars(select(NotificationDelivery).where(
        NotificationDelivery.id == uuid.UUID(delivery_id)).with_for_update()).first()
    if delivery is None or delivery.status in ("SENT", "SKIPPED"):
        return None
    return delivery


def _succeeded(delivery: NotificationDelivery, response: dict) -> None:
    delivery.status = "SENT"
    delivery.attempts += 1
    delivery.sent_at = db.func.now()
    delivery.last_error = None
    delivery.response = response


def _failed(delivery: NotificationDelivery, error: Exception) -> None:
    job = current_job()
    delivery.status = "FAILED" if job is None or job.is_last_attempt else "PENDING"
    delivery.attempts += 1
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    db.session.commit()          # keep the error although the job fails (and is retried)


@jobs.task(name="notifications.send_email", queue="notifications", retry=SEND_RETRY)
def send_email(delivery_id: str) -> None:
    delivery = _locked(delivery_id)
    if delivery is None:
        return
    try:
        answer = _smtp_send(build_message(delivery))
    except (OSError, smtplib.SMTPException) as error:
        _failed(delivery, error)
        raise
    _succeeded(delivery, {"smtp": answer})


def build_message(delivery: NotificationDelivery) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = delivery.destination
    message["Subject"] = delivery.subject
    message["Date"] = formatdate(localtime=True)
    # the same id on every attempt: a receiving system can drop a duplicate
    message["Message-ID"] = f"<{delivery.id}@notifications.ses>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(delivery.body or "", charset="utf-8")
    return message


def _smtp_send(message: EmailMessage) -> str:
    host = current_app.config["SMTP_HOST"]
    port = int(current_app.config["SMTP_PORT"])
    with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
        if os.environ.get("SES_SMTP_STARTTLS") == "1":
            smtp.starttls(context=ssl.create_default_context())
        if user := os.environ.get("SES_SMTP_USER"):
            smtp.login(user, os.environ.get("SES_SMTP_PASSWORD", ""))
        refused = smtp.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
    return f"accepted by {host}:{port}"


@jobs.task(name="notifications.post_webhook", queue="notifications", retry=SEND_RETRY)
def post_webhook(delivery_id: str) -> None:
    delivery = _locked(delivery_id)
    if delivery is None:
        return
    channel = db.session.get(NotificationChannel, delivery.channel_id)
    try:
        status = _post(channel.config.get("url", ""), delivery)
    except (OSError, WebhookError) as error:
        _failed(delivery, error)
        raise
    _succeeded(delivery, {"http_status": status})


def webhook_payload(delivery: NotificationDelivery) -> dict:
    """Slack and Teams incoming webhooks both take ``{"text": ...}``."""
    return {"text": f"{delivery.subject}\n{delivery.body or ''}".strip()}


def _post(url: str, delivery: NotificationDelivery) -> int:
    if not url.startswith(("https://", "http://")):
        raise WebhookError("the webhook URL must start with https:// or http://")
    request = urllib.request.Request(
        url, data=json.dumps(webhook_payload(delivery), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        raise WebhookError(f"HTTP {error.code} from the webhook") from error
