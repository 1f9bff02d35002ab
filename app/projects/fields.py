"""Small helpers shared by the sales services (cases, customers, engineers, partners)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from ..extensions import db


def clean_fields(fields: dict, allowed: tuple[str, ...]) -> dict:
    """The allowed fields only, text trimmed and empty text as None."""
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items() if k in allowed}


def code_taken(model, code: str, own_id: uuid.UUID | None) -> bool:
    """Whether another live record of ``model`` uses ``code`` (case-insensitive)."""
    statement = select(model.id).where(func.lower(model.code) == code.lower(), model.id != (own_id or uuid.uuid4()))
    with db.session.no_autoflush:
        return db.session.scalar(statement) is not None
