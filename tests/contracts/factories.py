"""Rows of other contexts that contracts and timesheets refer to, written as superuser (the sales
area owns their services).  Shared by tests/contracts and tests/timesheets."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from sqlalchemy import text

from tests.world import _insert


class Sales:
    """Customers, cases, engineers and partners, created on demand with unique codes."""

    def __init__(self, engine, password_hash: str):
        self.engine = engine
        self.password_hash = password_hash
        self.n = 0

    def _code(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n:03d}"

    def insert(self, table: str, **values) -> uuid.UUID:
        with self.engine.begin() as conn:
            return _insert(conn, table, **values)

    def user(self, role: str, **links) -> uuid.UUID:
        email = f"{role}-{uuid.uuid4().hex[:8]}@test.example"
        return self.insert("platform.users", email=email, display_name=f"{role} {self.n}", role=role,
                           password_hash=self.password_hash, **links)

    def customer(self, **values) -> uuid.UUID:
        return self.insert("project_context.customers", **{"code": self._code("C"),
                                                             "name": "株式会社テスト顧客", **values})

    def partner(self, **values) -> uuid.UUID:
        return self.insert("engineer_context.partner_companies",
                           **{"code": self._code("BP"), "name": "株式会社テストパートナー", **values})

    def engineer(self, employment_type: str = "EMPLOYEE", partner_id=None, **values) -> uuid.UUID:
        return self.insert("engineer_context.engineers", **{
            "code": self._code("E"), "employment_type": employment_type,
            "partner_company_id": partner_id, "full_name": "山﨑 テスト", **values})

    def project(self, customer_id=None, manager_id=None, **values) -> uuid.UUID:
        customer_id = customer_id or self.customer()
        return self.insert("project_context.projects", **{
            "code": self._code("P"), "customer_id": customer_id, "title": "勘定系システム更改",
            "status": "ACTIVE", "project_manager_id": manager_id, "sales_manager_id": manager_id,
            **values})

    def customer_of(self, project_id: uuid.UUID) -> uuid.UUID:
        with self.engine.begin() as conn:
            return conn.execute(text("SELECT customer_id FROM project_context.projects WHERE id = :p"),
                                {"p": project_id}).scalar_one()

    def contract(self, project_id, engineer_id, side="SELL", **values) -> uuid.UUID:
        """A contract row written directly (for timesheet tests), ACTIVE by default."""
        base = {"contract_number": self._code("K"), "contract_type": "QUASI_MANDATE", "side": side,
                "project_id": project_id, "engineer_id": engineer_id, "title": "テスト契約",
                "status": "ACTIVE", "start_date": date(2026, 4, 1), "end_date": date(2027, 3, 31),
                "monthly_price": 800_000, "lower_hours": 140, "upper_hours": 180}
        if side == "SELL":
            base["customer_id"] = self.customer_of(project_id)
        return self.insert("contract_context.contracts", **{**base, **values})


def placement(sales: Sales, *, partner: bool = False, manager_id=None, **contract_values):
    """A case with one engineer placed on it: sell contract (and buy contract for a partner)."""
    p = SimpleNamespace()
    p.customer = sales.customer()
    p.project = sales.project(p.customer, manager_id=manager_id)
    p.partner = sales.partner(subcontract_act_covered=True) if partner else None
    p.engineer = sales.engineer("PARTNER" if partner else "EMPLOYEE", partner_id=p.partner)
    p.sell = sales.contract(p.project, p.engineer, **contract_values)
    p.buy = None
    if partner:
        p.buy = sales.contract(p.project, p.engineer, side="BUY", partner_company_id=p.partner,
                               sell_contract_id=p.sell, monthly_price=680_000,
                               settlement_method="MIDDLE", rate_rounding_unit=1)
    return p
