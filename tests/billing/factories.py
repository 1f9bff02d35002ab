"""Billing test data written straight into the database as superuser: our company (the issuer),
customers, engineers, SELL/BUY contracts and closed (APPROVED) timesheets -- what the contracts
and timesheets contexts produce -- so the billing services can be tested on their own."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.contracts.settlement import SettlementTerms, billable_minutes
from tests.world import _insert


class Factory:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.counter = 0

    def _next(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter:03d}"

    def issuer(self, **values) -> uuid.UUID:
        defaults = dict(code="MAIN", name="株式会社テストSES", registration_number="T4011001098993",
                        postal_code="100-0001", address="東京都千代田区千代田1-1", phone="03-1234-5678",
                        bank_name="みずほ銀行", bank_branch="東京営業部", bank_account_number="1234567",
                        bank_account_holder_kana="カ）テストエスイーエス", is_default=True)
        return _insert(self.conn, "billing_context.issuers", **{**defaults, **values})

    def customer(self, name: str = "株式会社さくら商事", **values) -> uuid.UUID:
        code = values.pop("code", None) or self._next("C")
        return _insert(self.conn, "project_context.customers", code=code, name=name, **values)

    def partner(self, name: str = "株式会社ブルーテック", **values) -> uuid.UUID:
        code = values.pop("code", None) or self._next("P")
        return _insert(self.conn, "engineer_context.partner_companies", code=code, name=name, **values)

    def engineer(self, full_name: str = "山田 太郎", partner_id=None, **values) -> uuid.UUID:
        code = values.pop("code", None) or self._next("E")
        return _insert(self.conn, "engineer_context.engineers", code=code, full_name=full_name,
                       employment_type="PARTNER" if partner_id else "EMPLOYEE",
                       partner_company_id=partner_id, **values)

    def project(self, customer_id) -> uuid.UUID:
        return _insert(self.conn, "project_context.projects", code=self._next("PJ"), customer_id=customer_id,
                       title="基幹システム更改", status="ACTIVE")

    def contract(self, customer_id, engineer_id, *, monthly_price=800_000, lower=140, upper=180,
                 start=date(2026, 4, 1), end=date(2027, 3, 31), side="SELL", **values) -> uuid.UUID:
        project_id = values.pop("project_id", None) or self.project(customer_id or values["_customer"])
        values.pop("_customer", None)
        number = values.pop("contract_number", None) or self._next("K")
        return _insert(self.conn, "contract_context.contracts", contract_number=number,
                       contract_type="QUASI_MANDATE", side=side, project_id=project_id,
                       engineer_id=engineer_id, customer_id=customer_id if side == "SELL" else None,
                       title=values.pop("title", "システム開発支援"), status="ACTIVE", start_date=start,
                       end_date=end, monthly_price=monthly_price, lower_hours=lower, upper_hours=upper,
                       **values)

    def buy_contract(self, sell_contract_id, partner_id, engineer_id, customer_id, **values) -> uuid.UUID:
        return self.contract(None, engineer_id, side="BUY", sell_contract_id=sell_contract_id,
                             partner_company_id=partner_id, _customer=customer_id, **values)

    def closed_month(self, contract_id, year: int, month: int, minutes: int, *, daily=None,
                     status="APPROVED", source="ATTENDANCE") -> uuid.UUID:
        """A closed timesheet as the timesheet context leaves it: worked minutes, daily rows and
        the billable minutes after the contract's rounding in work_summary."""
        row = self.conn.execute(text(
            "SELECT engineer_id, project_id, customer_id, hours_rounding_minutes, hours_rounding_scope,"
            " hours_rounding_mode FROM contract_context.contracts WHERE id = :k"), {"k": contract_id}).one()
        partner = self.conn.execute(text(
            "SELECT partner_company_id FROM engineer_context.engineers WHERE id = :e"),
            {"e": row.engineer_id}).scalar()
        rounding = SettlementTerms(monthly_price=0, method="NONE", hours_rounding_minutes=row.hours_rounding_minutes,
                                   hours_rounding_scope=row.hours_rounding_scope,
                                   hours_rounding_mode=row.hours_rounding_mode)
        billable = billable_minutes(list((daily or {}).values()) or [minutes], rounding)
        timesheet_id = _insert(self.conn, "timesheet_context.timesheets", contract_id=contract_id,
                               engineer_id=row.engineer_id, project_id=row.project_id,
                               customer_id=row.customer_id, partner_company_id=partner,
                               period_year=year, period_month=month, status="DRAFT", source=source,
                               worked_minutes=minutes, billable_hours=Decimal(billable) / 60,
                               work_summary=json.dumps({"worked_minutes": minutes, "billable_minutes": billable}))
        for day, worked in (daily or {}).items():
            _insert(self.conn, "timesheet_context.daily_attendances", timesheet_id=timesheet_id,
                    period_year=year, period_month=month, work_date=date(year, month, day),
                    start_time="09:00", end_time="18:00", break_minutes=60, worked_minutes=worked)
        self.conn.execute(text("UPDATE timesheet_context.timesheets SET status = :s WHERE id = :t"),
                          {"s": status, "t": timesheet_id})
        return timesheet_id

    def user(self, role="finance") -> uuid.UUID:
        return _insert(self.conn, "platform.users", email=f"{self._next('u')}@billing.test",
                       display_name="経理 テスト", role=role, password_hash="x")

    def adjustment(self, timesheet_id, year, month, contract_id, minutes, requested_by, *,
                   apply=None, reason_code="APPROVED_OVERTIME") -> uuid.UUID:
        return _insert(self.conn, "timesheet_context.timesheet_adjustments", timesheet_id=timesheet_id,
                       period_year=year, period_month=month, contract_id=contract_id,
                       reason_code=reason_code, reason="客先承認済みの残業", minutes_delta=minutes,
                       status="APPROVED", requested_by=requested_by, approved_by=requested_by,
                       approved_at=date(year, month, 28), apply_year=apply[0] if apply else None,
                       apply_month=apply[1] if apply else None)
