"""Customers (顧客企業) and their contacts: the companies we bill (services)."""

from __future__ import annotations

import uuid

from ..core.db import check_version
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from .fields import clean_fields, save_company
from .models import Customer, CustomerContact
from .services import ProjectError

CUSTOMER_FIELDS = (
    "code", "name", "name_kana", "corporate_number", "registration_number", "honorific",
    "postal_code", "address", "phone", "billing_department", "billing_contact_name",
    "billing_email", "closing_day", "payment_month_offset", "payment_day", "payment_holiday_rule",
    "invoice_grouping", "attach_work_report", "notes")
CONTACT_FIELDS = ("name", "name_kana", "department", "title", "email", "phone", "is_billing_contact",
                  "is_work_report_approver", "notes")


def save_customer(customer: Customer | None, seen_version=None, **fields) -> Customer:
    """Create (``customer`` None) or update a customer; refuses a stale edit (409).  The
    honorific is 御中 unless 様 is chosen."""
    if customer is None or "honorific" in fields:
        fields["honorific"] = (fields.get("honorific") or "").strip() or "御中"
    return save_company(Customer, customer, seen_version, fields, CUSTOMER_FIELDS, ProjectError,
                        _l("この顧客コードは既に使われています。"))


def save_contact(customer: Customer, contact: CustomerContact | None, seen_version=None,
                 **fields) -> CustomerContact:
    """Add or edit a contact person of ``customer``."""
    if contact is not None:
        check_version(contact, seen_version)
        if contact.customer_id != customer.id:
            raise LookupError(contact.id)
    target = contact or CustomerContact(customer_id=customer.id)
    for name, value in clean_fields(fields, CONTACT_FIELDS).items():
        setattr(target, name, value)
    if not target.name:
        raise ProjectError("name", _l("氏名を入力してください。"))
    if contact is None:
        db.session.add(target)
    db.session.flush()
    return target


def remove_contact(customer: Customer, contact_id: uuid.UUID) -> None:
    contact = db.session.get(CustomerContact, contact_id)
    if contact is None or contact.customer_id != customer.id:
        raise LookupError(contact_id)
    db.session.delete(contact)
    db.session.flush()
