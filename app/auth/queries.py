"""Choices for linking a login to its engineer, customer or partner record.

These read other contexts' tables by id and name only (the admin role may), so the auth
package does not depend on their models."""

from __future__ import annotations

from sqlalchemy import text
from wtforms import SelectChoice

from ..extensions import db

_CHOICES = {
    "engineer_id": "SELECT id, code || ' ' || full_name FROM engineer_context.engineers "
                   "WHERE deleted_at IS NULL ORDER BY code",
    "customer_id": "SELECT id, code || ' ' || name FROM project_context.customers "
                   "WHERE deleted_at IS NULL ORDER BY code",
    "partner_company_id": "SELECT id, code || ' ' || name FROM engineer_context.partner_companies "
                          "WHERE deleted_at IS NULL ORDER BY code",
}


def link_choices() -> dict[str, list[SelectChoice]]:
    return {field: [SelectChoice("", "—")] + [SelectChoice(str(i), label)
                                              for i, label in db.session.execute(text(sql))]
            for field, sql in _CHOICES.items()}
