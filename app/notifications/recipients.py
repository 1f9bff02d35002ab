"""Who a rule notifies: ``recipients = {"roles": [...], "relations": [...], "exclude_actor": bool}``.

Relations are read from the event's facts (``facts.py``):

| relation | users |
|---|---|
| ``project_manager`` / ``sales_manager`` | the case's PM / sales rep |
| ``engineer`` | the engineer's own login |
| ``customer_users`` | the customer's portal logins |
| ``customer_billing_contacts`` | portal logins whose e-mail is a billing contact's (else all of the customer's) |
| ``partner_users`` | the partner company's logins |
| ``timesheet_approver`` | partner logins for a partner engineer (they confirm first), else the PM (or sales rep) |

Only active users; each user once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text

from ..extensions import db


@dataclass(frozen=True)
class Recipient:
    user_id: uuid.UUID
    email: str
    display_name: str
    locale: str
    role: str


_USERS = ("SELECT id AS user_id, email, display_name, locale, role FROM platform.users"
          " WHERE is_active AND deleted_at IS NULL AND ")
_BY_ID = _USERS + "id = :id"
_BY_LINK = {
    "engineer": _USERS + "role = 'engineer' AND engineer_id = :id",
    "customer": _USERS + "role = 'customer' AND customer_id = :id",
    "partner": _USERS + "role = 'partner' AND partner_company_id = :id",
}
_BILLING_CONTACTS = _BY_LINK["customer"] + (
    " AND email IN (SELECT lower(email) FROM project_context.customer_contacts"
    " WHERE customer_id = :id AND is_billing_contact AND deleted_at IS NULL AND email IS NOT NULL)")


def _fetch(sql: str, value) -> list[Recipient]:
    if not value:
        return []
    rows = db.session.execute(text(sql), {"id": uuid.UUID(str(value))}).mappings()
    return [Recipient(**row) for row in rows]


def _billing_contacts(facts: dict) -> list[Recipient]:
    return (_fetch(_BILLING_CONTACTS, facts.get("customer_id"))
            or _fetch(_BY_LINK["customer"], facts.get("customer_id")))


def _timesheet_approver(facts: dict) -> list[Recipient]:
    partners = _fetch(_BY_LINK["partner"], facts.get("partner_company_id"))
    return partners or _fetch(_BY_ID, facts.get("project_manager_id")
                              or facts.get("sales_manager_id"))


RELATIONS = {
    "project_manager": lambda f: _fetch(_BY_ID, f.get("project_manager_id")),
    "sales_manager": lambda f: _fetch(_BY_ID, f.get("sales_manager_id")),
    "engineer": lambda f: _fetch(_BY_LINK["engineer"], f.get("engineer_id")),
    "customer_users": lambda f: _fetch(_BY_LINK["customer"], f.get("customer_id")),
    "customer_billing_contacts": _billing_contacts,
    "partner_users": lambda f: _fetch(_BY_LINK["partner"], f.get("partner_company_id")),
    "timesheet_approver": _timesheet_approver,
}


def _by_roles(roles: list[str]) -> list[Recipient]:
    if not roles:
        return []
    rows = db.session.execute(text(_USERS + "role = ANY(:roles) ORDER BY email"),
                              {"roles": list(roles)}).mappings()
    return [Recipient(**row) for row in rows]


def resolve_recipients(recipients: dict, facts: dict) -> list[Recipient]:
    """The users a rule's ``recipients`` spec names for these facts, in a stable order."""
    found: dict[uuid.UUID, Recipient] = {}
    for relation in recipients.get("relations", []):
        for person in RELATIONS[relation](facts) if relation in RELATIONS else []:
            found.setdefault(person.user_id, person)
    for person in _by_roles(recipients.get("roles", [])):
        found.setdefault(person.user_id, person)
    if recipients.get("exclude_actor") and facts.get("actor_user_id"):
        found.pop(uuid.UUID(str(facts["actor_user_id"])), None)
    return sorted(found.values(), key=lambda r: (r.email, str(r.user_id)))
