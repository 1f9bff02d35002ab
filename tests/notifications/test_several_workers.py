"""Several background workers on the same queues, as on several hosts (docs/performance.md,
section 7): two worker processes started together take a burst of events and their mails with
SKIP LOCKED, and every event is dispatched once, every mail sent once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

from sqlalchemy import text

from app.core.events import PROJECT_ORDERED
from tests.notifications.conftest import deliveries

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 12
SUCCEEDED = re.compile(r"Job ([\w.]+\[\d+\])\(.*\) ended with status: Success")


def _worker(app, tmp_path, n: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               SES_SECRET_KEY=app.config["SECRET_KEY"], SES_ENCRYPTION_KEY=app.config["ENCRYPTION_KEY"],
               SES_SMTP_HOST="127.0.0.1", SES_SMTP_PORT=str(app.config["SMTP_PORT"]),
               SES_INSTANCE_PATH=str(tmp_path / f"worker{n}"))
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "ses", "worker", "--once", "--concurrency", "2",
         "--queue", "events", "--queue", "notifications"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_worker_processes_dispatch_every_event_and_send_every_mail_once(
        world, emit, smtp_sink, app, admin_engine, tmp_path):
    events = [emit(PROJECT_ORDERED, "project", world.p1, run=False) for _ in range(EVENTS)]
    workers = [_worker(app, tmp_path, n) for n in (1, 2)]
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], "\n".join(outputs)
    # procrastinate logs each job a worker finished: none was run by both, none twice
    ran = [SUCCEEDED.findall(output) for output in outputs]
    assert sorted(ran[0] + ran[1]) == sorted(set(ran[0] + ran[1]))
    names = [job.split("[")[0] for job in ran[0] + ran[1]]
    assert (names.count("events.dispatch"), names.count("notifications.send_email")) == (EVENTS, 2 * EVENTS)

    with admin_engine.connect() as conn:
        statuses = conn.execute(text("SELECT status, attempts FROM platform.domain_events WHERE id = ANY(:ids)"),
                                {"ids": events}).all()
        notifications = conn.execute(text(
            "SELECT count(*) FROM notification_context.notifications WHERE event_id = ANY(:ids)"),
            {"ids": events}).scalar()
    assert sorted(statuses) == [("PROCESSED", 1)] * EVENTS
    assert notifications == 2 * EVENTS                 # the sales manager and the administrator
    mails = [BytesParser(policy=policy.default).parsebytes(path.read_bytes(), headersonly=True)
             for path in sorted(smtp_sink.folder().glob("*.eml"))]
    assert len(mails) == 2 * EVENTS
    assert len({mail["Message-ID"] for mail in mails}) == 2 * EVENTS
    for event_id in events:
        assert sorted((d.code, d.status, d.attempts) for d in deliveries(admin_engine, event_id)) == [
            ("EMAIL", "SENT", 1), ("EMAIL", "SENT", 1), ("IN_APP", "SENT", 0), ("IN_APP", "SENT", 0)]
