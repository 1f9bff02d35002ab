"""A mail job whose worker was killed is retried by the stalled-job task and the mail leaves
once: killed before sending, the retry sends it; killed after the delivery was recorded SENT
(before procrastinate heard the job was done), the retry finds the row SENT and sends nothing."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.core.events import PROJECT_ORDERED
from tests.notifications.conftest import deliveries
from tests.stalled import job_left_behind, job_states, kill_worker_running, recover_stalled_jobs


def _mail_ids(admin_engine, event_id) -> list[str]:
    with admin_engine.connect() as conn:
        return [str(i) for i in conn.execute(text(
            "SELECT d.id FROM notification_context.notification_deliveries d"
            " JOIN notification_context.notification_channels c ON c.id = d.channel_id"
            " JOIN notification_context.notifications n ON n.id = d.notification_id"
            " WHERE c.code = 'EMAIL' AND n.event_id = :e"), {"e": event_id}).scalars()]


def test_mail_jobs_of_a_killed_worker_send_each_mail_exactly_once(world, emit, smtp_sink, admin_engine, run_jobs):
    event_id = emit(PROJECT_ORDERED, "project", world.p1, run=False)
    run_jobs(["events"])                    # the event is handled: two notifications, two mail jobs
    assert len(kill_worker_running(admin_engine, "notifications.send_email")) == 2
    run_jobs(["notifications"])
    assert smtp_sink.messages() == []       # the jobs belong to the dead worker until recovered

    recover_stalled_jobs(admin_engine, run_jobs)
    run_jobs(["notifications"])
    assert sorted(m.to for m in smtp_sink.messages()) == ["admin@world.test", "pm1@world.test"]

    for delivery_id in _mail_ids(admin_engine, event_id):
        job_left_behind(admin_engine, "notifications.send_email", "notifications",
                        json.dumps({"delivery_id": delivery_id}))
    recover_stalled_jobs(admin_engine, run_jobs)
    run_jobs(["notifications"])
    assert job_states(admin_engine, "notifications.send_email") == []
    assert len(smtp_sink.messages()) == 2
    mails = [d for d in deliveries(admin_engine, event_id) if d.code == "EMAIL"]
    assert [(d.status, d.attempts) for d in mails] == [("SENT", 1), ("SENT", 1)]
