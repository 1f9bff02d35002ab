"""Fixtures for notifications: the world, a real SMTP server and a webhook receiver on
127.0.0.1, started by the test and stopped after it."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import text

from app.core.events import record_event
from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.notifications import mailbox, mailsink
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(app, tmp_path, monkeypatch):
    """An aiosmtpd server writing what it receives into tmp_path/mail; the app sends to it."""
    folder = tmp_path / "mail"
    port = _free_port()
    controller = mailsink.start(folder, port)
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setenv("SES_MAIL_SINK_DIR", str(folder))
    yield mailbox
    controller.stop()


class Receiver:
    def __init__(self):
        self.posts: list[dict] = []
        self.fail_next = 0
        handler = self._handler()
        self.server = HTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                else:
                    receiver.posts.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def webhook(app, admin_engine):
    """A local HTTP receiver set as the (active) WEBHOOK channel's URL."""
    receiver = Receiver()
    receiver.thread.start()
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE notification_context.notification_channels SET is_active = true,"
                          " config = jsonb_build_object('url', CAST(:u AS text)) WHERE code = 'WEBHOOK'"),
                     {"u": receiver.url})
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    receiver.thread.join(timeout=5)


@pytest.fixture
def emit(app, run_jobs):
    """Record an event as the system, commit, and let the worker deliver it (and its mails)."""

    def emit(event_type: str, aggregate_type: str, aggregate_id, run: bool = True, **payload):
        with acting_as(SYSTEM):
            event_id = record_event(event_type, source_context="tests", aggregate_type=aggregate_type,
                                    aggregate_id=aggregate_id, payload=payload)
            db.session.commit()
        if run:
            run_jobs()
        return event_id

    return emit


def notified(admin_engine, event_id: uuid.UUID | None = None) -> dict[str, str]:
    """{recipient e-mail: title} of the notifications (of one event)."""
    with admin_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT u.email, n.title FROM notification_context.notifications n"
            " JOIN platform.users u ON u.id = n.recipient_user_id"
            " WHERE (CAST(:e AS uuid) IS NULL OR n.event_id = :e) AND n.event_id IS NOT NULL"),
            {"e": event_id}).all()
    return dict(rows)


def deliveries(admin_engine, event_id=None) -> list:
    with admin_engine.connect() as conn:
        return conn.execute(text(
            "SELECT c.code, d.status, d.destination, d.subject, d.body, d.attempts, d.last_error"
            " FROM notification_context.notification_deliveries d"
            " JOIN notification_context.notification_channels c ON c.id = d.channel_id"
            " LEFT JOIN notification_context.notifications n ON n.id = d.notification_id"
            " WHERE CAST(:e AS uuid) IS NULL OR coalesce(n.event_id, d.event_id) = :e"
            " ORDER BY c.code, d.destination"), {"e": event_id}).all()
