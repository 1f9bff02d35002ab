"""The outbox: an event exists exactly when the change that caused it was committed."""

import uuid

from sqlalchemy import text

from app.core.events import PROJECT_ORDERED, record_event
from app.extensions import db


def _events(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT event_type, payload FROM platform.domain_events")).all()


def test_a_rolled_back_change_emits_no_event(system, admin_engine):
    record_event(PROJECT_ORDERED, source_context="project", aggregate_type="project",
                 aggregate_id=uuid.uuid4(), payload={"title": "勘定系"})
    db.session.rollback()
    assert _events(admin_engine) == []


def test_a_committed_change_keeps_its_event(system, admin_engine):
    aggregate = uuid.uuid4()
    record_event(PROJECT_ORDERED, source_context="project", aggregate_type="project",
                 aggregate_id=aggregate, payload={"title": "勘定系", "amount": 800000})
    db.session.commit()
    assert _events(admin_engine) == [(PROJECT_ORDERED, {"title": "勘定系", "amount": 800000})]
