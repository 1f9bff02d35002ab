"""Gap-free document numbers per issuer, kind of document and year.

The counter row is locked (``SELECT ... FOR UPDATE``) in the transaction that issues the
document: a rollback gives the number back, and a second run waits for the first to commit
before it takes the next number.  Numbers read ``INV-2026-000123`` (payment notices ``PN-...``).
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from ..extensions import db

PREFIXES = {"PAYMENT_NOTICE": "PN"}

_ENSURE_ROW = text(
    "INSERT INTO billing_context.invoice_number_sequences (issuer_id, document_type, year)"
    " VALUES (:issuer, :kind, :year)"
    " ON CONFLICT (issuer_id, document_type, year) WHERE deleted_at IS NULL DO NOTHING")
_TAKE = text(
    "UPDATE billing_context.invoice_number_sequences SET last_number = last_number + 1"
    " WHERE issuer_id = :issuer AND document_type = :kind AND year = :year AND deleted_at IS NULL"
    " RETURNING last_number")


def take_number(issuer_id: uuid.UUID, year: int, prefix: str, document_type: str = "INVOICE") -> str:
    """The next number of the year, locked until the current transaction ends."""
    params = {"issuer": issuer_id, "kind": document_type, "year": year}
    db.session.execute(_ENSURE_ROW, params)
    number = db.session.execute(_TAKE, params).scalar_one()
    return format_number(PREFIXES.get(document_type, prefix), year, number)


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
