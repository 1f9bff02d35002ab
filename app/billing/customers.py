"""What billing needs to know about a customer (project_context.customers), read by id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, text

from ..extensions import db


@dataclass(frozen=True)
class Customer:
    id: uuid.UUID
    code: str
    name: str
    honorific: str
    postal_code: str | None
    address: str | None
    billing_department: str | None
    billing_contact_name: str | None
    invoice_grouping: str
    attach_work_report: bool

    @property
    def recipient_address(self) -> str | None:
        if not self.address:
            return None
        return f"〒{self.postal_code} {self.address}" if self.postal_code else self.address


def customers_by_id(ids) -> dict[uuid.UUID, Customer]:
    if not ids:
        return {}
    fields = ", ".join(Customer.__dataclass_fields__)
    rows = db.session.execute(text(
        f"SELECT {fields} FROM project_context.customers WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)), {"ids": list(ids)}).mappings().all()
    return {r["id"]: Customer(**r) for r in rows}


def customer_choices() -> list[tuple[str, str]]:
    return [(str(i), f"{code} {name}") for i, code, name in db.session.execute(text(
        "SELECT id, code, name FROM project_context.customers WHERE deleted_at IS NULL ORDER BY code"))]
