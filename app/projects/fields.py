"""Small helpers shared by the sales services (cases, customers, engineers, partners)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from ..core.db import check_version
from ..core.registration import check_registration_fields
from ..extensions import db


def clean_fields(fields: dict, allowed: tuple[str, ...]) -> dict:
    """The allowed fields only, text trimmed and empty text as None."""
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items() if k in allowed}


def code_taken(model, code: str, own_id: uuid.UUID | None) -> bool:
    """Whether another live record of ``model`` uses ``code`` (case-insensitive)."""
    statement = select(model.id).where(func.lower(model.code) == code.lower(), model.id != (own_id or uuid.uuid4()))
    with db.session.no_autoflush:
        return db.session.scalar(statement) is not None


def save_company(model, company, seen_version, fields: dict, allowed: tuple[str, ...], error_class,
                 code_in_use: str):
    """Create (``company`` None) or update a customer or a partner company: the allowed fields
    (trimmed), 法人番号 and 登録番号 checked (a sole proprietor's number has no check digit), the
    code unique, a stale edit refused (409)."""
    if company is not None:
        check_version(company, seen_version)
    target = company or model()
    for name, value in clean_fields(fields, allowed).items():
        setattr(target, name, value)
    check_registration_fields(target, error_class,
                              sole_proprietor=bool(getattr(target, "is_sole_proprietor", False)))
    if code_taken(model, target.code, target.id):
        raise error_class("code", code_in_use)
    if company is None:
        db.session.add(target)
    db.session.flush()
    return target


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
