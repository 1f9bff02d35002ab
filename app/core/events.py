"""Domain events, written to the transactional outbox (platform.domain_events).

A workflow calls ``record_event`` inside the transaction that makes the change: if the change
rolls back, so does the event; once committed, the worker delivers it to the handlers of the
other contexts (notifications, reports) at least once.  Handlers must be idempotent.

The events between contexts (the design's イベントベース関連性) are named here.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from ..extensions import db
from .identity import current_identity

PROJECT_ORDERED = "ProjectOrdered"
MATCHING_COMPLETED = "MatchingCompleted"
CONTRACT_SIGNED = "ContractSigned"
TIMESHEET_SUBMITTED = "TimesheetSubmitted"
INVOICE_ISSUED = "InvoiceIssued"

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
