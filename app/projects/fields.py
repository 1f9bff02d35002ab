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


def uuid_or_none(value) -> uuid.UUID | None:
    """``coerce`` of a select of records: "" is None, a UUID string a UUID (bad input: None)."""
    if value in (None, "") or isinstance(value, uuid.UUID):
        return value or None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def select_choices(pairs, blank: str | None = None) -> list:
    """(value, label) pairs -> WTForms SelectChoice list, with an optional blank first."""
    from wtforms import SelectChoice

    items = [SelectChoice(str(value), label) for value, label in pairs]
    return [SelectChoice("", blank)] + items if blank is not None else items
