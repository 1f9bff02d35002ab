"""Analytics facts fed by the domain events of every context (the design's "All Contexts →
Report"): one row per event in ``analytics_data``, category ``event``, keyed by the event so a
replay adds nothing.  The dimension keeps the ids the event names (customer, engineer, project,
...), the metrics its numbers (amounts, minutes, scores) and a count of 1.
"""

from __future__ import annotations

import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import text

from ..core.events import ALL_EVENTS, DomainEvent, handles
from ..extensions import db

JAPAN = ZoneInfo("Asia/Tokyo")
DIMENSION_KEYS = ("customer_id", "engineer_id", "project_id", "contract_id", "partner_company_id",
                  "matching_request_id")

_INSERT = text("""
    INSERT INTO report_context.analytics_data (target_year, target_date, category, metric_key,
        dimension, metrics, source_event_id)
    VALUES (:year, :day, 'event', :key, CAST(:dimension AS jsonb), CAST(:metrics AS jsonb), :event_id)
    ON CONFLICT (source_event_id, metric_key, target_year) WHERE source_event_id IS NOT NULL
    DO NOTHING""")


def _numbers(payload: dict) -> dict:
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in payload.items()
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool)}


def event_fact(event: DomainEvent) -> dict:
    day = event.occurred_at.astimezone(JAPAN).date()
    dimension = {"aggregate_type": event.aggregate_type, "aggregate_id": str(event.aggregate_id),
                 "source_context": event.source_context}
    dimension.update({k: str(event.payload[k]) for k in DIMENSION_KEYS if event.payload.get(k)})
    return {"year": day.year, "day": day, "key": event.event_type, "event_id": event.id,
            "dimension": json.dumps(dimension),
            "metrics": json.dumps({"count": 1, **_numbers(event.payload)})}


@handles(ALL_EVENTS)
def record_analytics(event: DomainEvent) -> None:
    db.session.execute(_INSERT, event_fact(event))
