"""Domain events, written to the transactional outbox (platform.domain_events).

A workflow calls ``record_event`` inside the transaction that makes the change: if the change
rolls back, so does the event; once committed, the worker delivers it to the handlers of the
other contexts (notifications, reports) at least once.  Handlers must be idempotent.

The events between contexts (the design's イベントベース関連性) are named here.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from procrastinate import RetryStrategy
from sqlalchemy import text

from ..extensions import db
from .identity import current_identity
from .jobs import current_job, jobs

PROJECT_ORDERED = "ProjectOrdered"
MATCHING_COMPLETED = "MatchingCompleted"
CONTRACT_SIGNED = "ContractSigned"
TIMESHEET_SUBMITTED = "TimesheetSubmitted"
INVOICE_ISSUED = "InvoiceIssued"
# Reminders, recorded by the daily reminder job (app/notifications/reminders.py)
TIMESHEET_NOT_SUBMITTED = "TimesheetNotSubmitted"
CONTRACT_ENDING_SOON = "ContractEndingSoon"
INVOICE_OVERDUE = "InvoiceOverdue"
CERTIFICATION_EXPIRING = "CertificationExpiring"

_INSERT = text(
    "INSERT INTO platform.domain_events (id, event_type, source_context, aggregate_type,"
    " aggregate_id, payload, actor_user_id) VALUES (:id, :type, :source, :agg_type, :agg_id,"
    " CAST(:payload AS jsonb), :actor)"
)


def record_event(event_type: str, *, source_context: str, aggregate_type: str,
                 aggregate_id: uuid.UUID, payload: dict | None = None) -> uuid.UUID:
    """Store the event in the current transaction and return its id."""
    event_id = uuid.uuid4()
    identity = current_identity()
    db.session.execute(_INSERT, {
        "id": event_id, "type": event_type, "source": source_context, "agg_type": aggregate_type,
        "agg_id": aggregate_id, "payload": json.dumps(payload or {}, ensure_ascii=False, default=str),
        "actor": identity.user_id if identity else None,
    })
    return event_id


# --- delivery: the worker hands each committed event to the handlers of the other contexts -------
#
# Revision 0008's trigger enqueues an ``events.dispatch`` job in the transaction that records
# the event.  The job runs every handler registered for the event's type (and the ``"*"``
# handlers) in ONE transaction with the event row locked, then marks the event PROCESSED: either
# all handlers' writes are committed together with the mark, or none is.  A crash rolls them
# back, records the error on the event and lets procrastinate retry with exponential backoff; a
# redelivered PROCESSED event is skipped.  Handlers must still be idempotent (deterministic keys,
# ON CONFLICT DO NOTHING): an administrator may replay an event.  Handlers only write rows;
# anything leaving the system (mail, webhooks) is a job of its own, deferred by the handler.

logger = logging.getLogger(__name__)

ALL_EVENTS = "*"
DISPATCH_RETRY = RetryStrategy(max_attempts=8, exponential_wait=3)   # 3 s .. ~2 h, 9 runs


@dataclass(frozen=True)
class DomainEvent:
    id: uuid.UUID
    event_type: str
    source_context: str
    aggregate_type: str
    aggregate_id: uuid.UUID
    payload: dict
    actor_user_id: uuid.UUID | None
    occurred_at: datetime
    attempts: int = 0


Handler = Callable[[DomainEvent], None]
_handlers: dict[str, list[Handler]] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Register a handler for these event types (``ALL_EVENTS`` for every event)."""

    def decorator(handler: Handler) -> Handler:
        for event_type in event_types:
            if handler not in _handlers.setdefault(event_type, []):
                _handlers[event_type].append(handler)
        return handler

    return decorator


def handlers_for(event_type: str) -> list[Handler]:
    return [*_handlers.get(event_type, []), *_handlers.get(ALL_EVENTS, [])]


def _handler_name(handler: Handler) -> str:
    return f"{handler.__module__.removeprefix('app.')}.{handler.__qualname__}"


_LOCK_EVENT = text(
    "SELECT id, event_type, source_context, aggregate_type, aggregate_id, payload, actor_user_id,"
    " occurred_at, status, attempts FROM platform.domain_events WHERE id = :id FOR UPDATE")
_MARK_PROCESSED = text(
    "UPDATE platform.domain_events SET status = 'PROCESSED', attempts = attempts + 1,"
    " processed_at = now(), last_error = NULL WHERE id = :id")
_MARK_FAILED = text(
    "UPDATE platform.domain_events SET status = :status, attempts = attempts + 1,"
    " last_error = :error WHERE id = :id")


def deliver_event(event_id: uuid.UUID) -> bool:
    """Run the handlers of one event (as the current identity: the worker's SYSTEM).

    Returns True when the event was processed now, False when there was nothing to do.
    On a handler error the event keeps the error (FAILED once no retry is left) and the error
    is raised again so that the job is retried."""
    row = db.session.execute(_LOCK_EVENT, {"id": event_id}).mappings().first()
    if row is None or row["status"] == "PROCESSED":
        return False
    event = DomainEvent(**{k: row[k] for k in DomainEvent.__dataclass_fields__})
    handler = None
    try:
        with db.session.begin_nested():
            for handler in handlers_for(event.event_type):
                handler(event)
    except Exception as error:
        job = current_job()
        final = job is None or job.is_last_attempt
        message = f"{_handler_name(handler) if handler else '?'}: {type(error).__name__}: {error}"
        db.session.execute(_MARK_FAILED, {"id": event_id, "status": "FAILED" if final else "PENDING",
                                          "error": message[:2000]})
        db.session.commit()
        logger.warning("event %s (%s) failed: %s", event_id, event.event_type, message)
        raise
    db.session.execute(_MARK_PROCESSED, {"id": event_id})
    return True


@jobs.task(name="events.dispatch", queue="events", retry=DISPATCH_RETRY)
def dispatch(event_id: str) -> None:
    deliver_event(uuid.UUID(event_id))


def retry_event(event_id: uuid.UUID) -> bool:
    """An administrator's retry of a FAILED event: back to PENDING and queued again."""
    changed = db.session.execute(text(
        "UPDATE platform.domain_events SET status = 'PENDING' WHERE id = :id AND status = 'FAILED'"),
        {"id": event_id}).rowcount
    if changed:
        dispatch.defer(event_id=str(event_id), queueing_lock=f"event:{event_id}")
    return bool(changed)


@jobs.periodic(cron="*/5 * * * *", name="events.sweep", queue="events")
def sweep_pending_events(timestamp: int) -> int:
    """Safety net: re-queue PENDING events older than two minutes that have no waiting job
    (e.g. events restored from a backup).  The queueing lock keeps one job per event."""
    ids = db.session.execute(text(
        "SELECT id FROM platform.domain_events WHERE status = 'PENDING' AND deleted_at IS NULL"
        " AND occurred_at < now() - interval '2 minutes' ORDER BY occurred_at LIMIT 1000")).scalars()
    return sum(dispatch.defer(event_id=str(i), queueing_lock=f"event:{i}") is not None for i in ids)
