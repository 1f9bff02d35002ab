"""The transactional outbox delivered by the worker: a rolled-back change emits nothing, a
committed event reaches every handler, a crash is retried with the failed attempt's writes
rolled back (no duplicate effect), exhausted retries leave a FAILED event an admin can retry."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from app.core import events
from app.core.events import deliver_event, handles, record_event, retry_event, sweep_pending_events
from app.extensions import db

EVENT = "OutboxTested"
CALLS: list[str] = []
CRASHES = {"left": 0}


@handles(EVENT)
def _write_effect(event):
    CALLS.append("effect")
    # the effect of the event, keyed by the event: written once per successful delivery
    db.session.execute(text("INSERT INTO platform.company_closures (closure_date, name)"
                            " VALUES ('2026-08-13', :n)"), {"n": str(event.id)})


@handles(EVENT)
def _sometimes_crash(event):
    CALLS.append("crash?")
    if CRASHES["left"] > 0:
        CRASHES["left"] -= 1
        raise RuntimeError("mail relay down")


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    CRASHES["left"] = 0


def _record(**payload) -> uuid.UUID:
    return record_event(EVENT, source_context="tests", aggregate_type="thing",
                        aggregate_id=uuid.uuid4(), payload=payload)


def _state(admin_engine, event_id):
    with admin_engine.connect() as conn:
        event = conn.execute(text("SELECT status, attempts, last_error FROM platform.domain_events"
                                  " WHERE id = :id"), {"id": event_id}).one()
        effects = conn.execute(text("SELECT count(*) FROM platform.company_closures WHERE name = :n"),
                               {"n": str(event_id)}).scalar()
        jobs = conn.execute(text("SELECT status::text FROM procrastinate.procrastinate_jobs"
                                 " WHERE args->>'event_id' = :id"), {"id": str(event_id)}).scalars().all()
    return event, effects, jobs


def test_a_rolled_back_change_leaves_neither_event_nor_job(system, admin_engine):
    _record()
    db.session.rollback()
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM platform.domain_events")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM procrastinate.procrastinate_jobs")).scalar() == 0


def test_a_committed_event_is_queued_with_it_and_delivered_once(system, admin_engine, run_jobs):
    event_id = _record(n=1)
    db.session.commit()
    assert _state(admin_engine, event_id) == (("PENDING", 0, None), 0, ["todo"])
    run_jobs(["events"])
    assert CALLS == ["effect", "crash?"]
    assert _state(admin_engine, event_id) == (("PROCESSED", 1, None), 1, [])


def test_an_event_recorded_by_a_business_role_is_queued_too(app, make_user, admin_engine):
    from app.core.identity import Identity, acting_as

    engineer_user = make_user("project_manager")
    with acting_as(Identity("project_manager", engineer_user)):
        event_id = _record()
        db.session.commit()
    assert _state(admin_engine, event_id)[2] == ["todo"]


def test_a_crashing_handler_is_retried_without_a_duplicate_effect(system, admin_engine, run_jobs):
    CRASHES["left"] = 1
    event_id = _record()
    db.session.commit()
    run_jobs(["events"])
    event, effects, jobs = _state(admin_engine, event_id)
    assert event.status == "PENDING" and event.attempts == 1
    assert "mail relay down" in event.last_error and "_sometimes_crash" in event.last_error
    assert effects == 0 and jobs == ["todo"]          # rolled back, waiting for the backoff
    run_jobs(["events"], retries=True)
    assert _state(admin_engine, event_id) == (("PROCESSED", 2, None), 1, [])
    assert CALLS == ["effect", "crash?", "effect", "crash?"]


def test_redelivering_a_processed_event_has_no_second_effect(system, admin_engine, run_jobs):
    event_id = _record()
    db.session.commit()
    run_jobs(["events"])
    assert deliver_event(event_id) is False
    events.dispatch.defer(event_id=str(event_id))
    db.session.commit()
    run_jobs(["events"])
    assert _state(admin_engine, event_id)[:2] == (("PROCESSED", 1, None), 1)


def test_exhausted_retries_leave_a_failed_event_that_an_admin_can_retry(
        system, admin_engine, run_jobs):
    CRASHES["left"] = events.DISPATCH_RETRY.max_attempts + 1
    event_id = _record()
    db.session.commit()
    for _ in range(events.DISPATCH_RETRY.max_attempts + 1):
        run_jobs(["events"], retries=True)
    event, effects, jobs = _state(admin_engine, event_id)
    assert (event.status, event.attempts, effects) == ("FAILED", events.DISPATCH_RETRY.max_attempts + 1, 0)
    assert jobs == ["failed"]
    CRASHES["left"] = 0
    assert retry_event(event_id) is True
    db.session.commit()
    run_jobs(["events"])
    assert _state(admin_engine, event_id)[:2] == (("PROCESSED", events.DISPATCH_RETRY.max_attempts + 2,
                                                   None), 1)


def test_the_sweep_requeues_old_pending_events_without_a_job(system, admin_engine, run_jobs):
    event_id = _record()
    db.session.commit()
    with admin_engine.begin() as conn:
        conn.execute(text("DELETE FROM procrastinate.procrastinate_jobs"))
        conn.execute(text("UPDATE platform.domain_events SET occurred_at = now() - interval '1 hour'"))
    assert sweep_pending_events(timestamp=0) == 1
    assert sweep_pending_events(timestamp=0) == 0          # one waiting job per event
    db.session.commit()
    run_jobs(["events"])
    assert _state(admin_engine, event_id)[:2] == (("PROCESSED", 1, None), 1)
