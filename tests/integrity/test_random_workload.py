"""A randomized concurrent workload across the workflows, then every invariant of the books.

Six users work at once, each in its own thread, app context, database session and role (row
level security applies): two engineers open their November sheets, save days and submit; an
administrator approves or sends back what was submitted and edits a customer's notes; a project
manager edits the same notes (optimistic lock); two finance clerks start October's invoice run
again and again and record payments -- full, partial and the same form twice.  Each thread's
sequence of operations is fixed by the seed; only the interleaving varies.

Afterwards: every closed contract-month is invoiced exactly once, the invoice numbers are
unique and gap-free, every invoice's paid amount is the sum of its payments (never above its
total) and its status agrees, every journal entry balances, no edit overwrote another's (each
saved edit started from a different version), every sheet's total is the sum of its days -- and
no operation failed except with the domain's own refusals.
"""

from __future__ import annotations

import random
import threading
import uuid
from datetime import date, time
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from app.billing.issue import BillingError
from app.core.db import ConflictError
from app.core.identity import Identity, acting_as
from app.extensions import db
from app.projects.services import ProjectError
from app.timesheets.rules import DayError
from app.timesheets.services import TimesheetError
from tests.integrity.support import at_once, row, rows, scalar, unbalanced_entries
from tests.world import _insert

SEED = 20261127
OPERATIONS_PER_USER = 60
EXPECTED = (BillingError, ConflictError, StaleDataError, TimesheetError, DayError, ProjectError)
NOVEMBER_DAYS = [date(2026, 11, d) for d in (2, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20)]


@pytest.fixture
def company(make, admin_engine):
    """Three customers with two placements each, October closed; users of every acting role."""
    c = SimpleNamespace(contracts={}, engineers=[], customers=[])
    make.issuer()
    for n in range(3):
        grouping = {"invoice_grouping": "PER_CONTRACT"} if n else {}     # 5 invoices for 6 contracts
        customer = make.customer(f"乱数商事{n}株式会社", **grouping)
        c.customers.append(customer)
        for k in range(2):
            engineer = make.engineer(f"乱数 技術者{n}-{k}")
            contract = make.contract(customer, engineer, start=date(2026, 4, 1), end=date(2027, 3, 31))
            make.closed_month(contract, 2026, 10, (150 + 7 * n + k) * 60)
            c.contracts[contract] = engineer
    conn = make.conn

    def user(role, **links):
        user_id = _insert(conn, "platform.users", email=f"{uuid.uuid4().hex[:10]}@random.test",
                          display_name=f"{role} 乱数", role=role, password_hash="x", **links)
        return Identity(role, user_id, **links)

    firsts = list(c.contracts.items())[:2]          # the two engineers whose months are open
    c.engineers = [(user("engineer", engineer_id=engineer), contract) for contract, engineer in firsts]
    c.admin, c.manager = user("admin"), user("project_manager")
    c.finance = [user("finance"), user("finance")]
    c.edited = c.customers[0]
    return c


class Workload:
    """Runs one user's operations; what was refused, what failed unexpectedly, what was saved."""

    def __init__(self, app, company, users: int):
        self.app, self.company = app, company
        self.rounds = threading.Barrier(users)              # everyone's n-th operation at once
        self.unexpected: list[str] = []
        self.refused: dict[str, int] = {}
        self.saved_edits: list[tuple[int, str]] = []       # (version edited, value) of each saved edit
        self.runs = 0

    def user(self, identity: Identity, operations, seed: int) -> None:
        rng = random.Random(seed)
        with self.app.app_context(), acting_as(identity):
            for n in range(OPERATIONS_PER_USER):
                operation = rng.choice(operations)
                self.rounds.wait(timeout=60)
                try:
                    operation(rng, n)
                    db.session.commit()
                except EXPECTED as error:
                    db.session.rollback()
                    name = type(error).__name__
                    self.refused[name] = self.refused.get(name, 0) + 1
                except Exception as error:          # noqa: BLE001 - the test reports every one
                    db.session.rollback()
                    self.unexpected.append(f"{identity.role} {operation.__name__}: {error!r}"[:400])
            db.session.remove()

    # --- timesheets ---

    def sheet(self, contract):
        from app.timesheets.services import open_timesheet

        return open_timesheet(contract, 2026, 11)

    def engineer_operations(self, contract):
        from app.timesheets.approval import decide
        from app.timesheets.services import DayInput, save_day

        def save_a_day(rng, n):
            start = rng.choice((8, 9, 10))
            save_day(self.sheet(contract), rng.choice(NOVEMBER_DAYS),
                     DayInput("NORMAL", time(start), time(start + rng.choice((8, 9, 10))), 60))

        def submit(rng, n):
            sheet = self.sheet(contract)
            decide(sheet, "submit", seen_version=sheet.version)

        return [save_a_day, save_a_day, save_a_day, save_a_day, submit]

    def approver_operations(self):
        from app.timesheets.approval import decide
        from app.timesheets.models import Timesheet

        def decide_a_sheet(rng, n):
            """Approve or send back what was submitted; reopen an approved month (so the engineers
            keep working on it)."""
            sheets = db.session.scalars(db.select(Timesheet).where(
                Timesheet.period_year == 2026, Timesheet.period_month == 11,
                Timesheet.status.in_(("SUBMITTED", "MANAGER_APPROVED"))).order_by(Timesheet.contract_id)).all()
            if sheets:
                sheet = rng.choice(sheets)
                if sheet.status == "MANAGER_APPROVED":
                    decide(sheet, "manager_reopen", "修正のため差し戻します。", seen_version=sheet.version)
                elif rng.random() < 0.5:
                    decide(sheet, "manager_return", "勤務時間を確認してください。", seen_version=sheet.version)
                else:
                    decide(sheet, "manager_approve", seen_version=sheet.version)

        return [decide_a_sheet, decide_a_sheet, self.edit_customer]

    # --- a record two people edit (optimistic lock) ---

    def edit_customer(self, rng, n):
        from app.projects.customers import save_customer
        from app.projects.models import Customer

        customer = db.session.get(Customer, self.company.edited)
        seen = customer.version
        value = f"{db.session.scalar(text('SELECT current_user'))} {n} {rng.random():.6f}"
        save_customer(customer, seen_version=seen, notes=value)
        db.session.commit()
        self.saved_edits.append((seen, value))

    # --- billing ---

    def finance_operations(self):
        from app.billing.batch import run_invoices
        from app.billing.models import Invoice
        from app.billing.payments import submit_payment

        def run(rng, n):
            run_invoices(2026, 10, render_pdfs=False)
            self.runs += 1

        def pay(rng, n):
            invoices = db.session.scalars(db.select(Invoice).where(
                Invoice.kind == "INVOICE", Invoice.status.in_(("ISSUED", "PARTIALLY_PAID", "OVERDUE")))
                .order_by(Invoice.invoice_number)).all()
            if invoices:
                invoice = rng.choice(invoices)
                amount = rng.choice((invoice.open_amount, 10_000, 50_000, 100_000, 150_000))
                # a small pool of keys per invoice: the same form is submitted again now and then
                submit_payment(invoice, paid_on=date.today(), received=amount, fee=rng.choice((0, 0, 440)),
                               idempotency_key=f"{invoice.id}-{rng.randrange(3)}")

        return [run, pay, pay, pay, pay, pay]


def test_a_random_concurrent_workload_keeps_every_invariant(app, company, admin_engine):
    work = Workload(app, company, users=6)
    users = [(identity, work.engineer_operations(contract)) for identity, contract in company.engineers]
    users += [(company.admin, work.approver_operations()), (company.manager, [work.edit_customer])]
    users += [(clerk, work.finance_operations()) for clerk in company.finance]

    at_once(len(users), lambda n: work.user(users[n][0], users[n][1], SEED + n))

    assert work.unexpected == []
    assert work.runs > 0 and sum(work.refused.values()) > 0, work.refused   # the mix did race
    _assert_each_closed_month_billed_once(admin_engine, len(company.contracts))
    _assert_payments_add_up(admin_engine)
    assert unbalanced_entries(admin_engine) == 0
    _assert_no_edit_overwrote_another(admin_engine, company, work.saved_edits)
    _assert_sheets_total_their_days(admin_engine)


def _assert_each_closed_month_billed_once(admin_engine, contracts: int) -> None:
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_billing_items") == contracts
    assert scalar(admin_engine, "SELECT count(DISTINCT timesheet_id)"
                                " FROM billing_context.invoice_billing_items") == contracts
    numbers = scalar(admin_engine, "SELECT array_agg(invoice_number ORDER BY invoice_number)"
                                   " FROM billing_context.invoices WHERE kind = 'INVOICE'")
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, len(numbers) + 1)]


def _assert_payments_add_up(admin_engine) -> None:
    invoices = rows(
        admin_engine,
        "SELECT i.invoice_number, i.total_amount, i.paid_amount, i.status, i.due_date < current_date AS late,"
        " coalesce(sum(p.applied_amount), 0) AS applied, count(p.id) AS payments,"
        " count(DISTINCT p.idempotency_key) AS keys"
        " FROM billing_context.invoices i"
        " LEFT JOIN billing_context.invoice_payments p ON (p.invoice_id, p.invoice_year) = (i.id, i.invoice_year)"
        " WHERE i.kind = 'INVOICE' GROUP BY i.id, i.invoice_year")
    for i in invoices:
        assert i.paid_amount == i.applied <= i.total_amount, i
        assert i.payments == i.keys, i                      # one payment per submitted form
        if i.paid_amount == i.total_amount:
            assert i.status == "PAID", i
        else:
            expected = {"PARTIALLY_PAID" if i.paid_amount else "ISSUED"} | ({"OVERDUE"} if i.late else set())
            assert i.status in expected, i


def _assert_no_edit_overwrote_another(admin_engine, company, saved: list[tuple[int, str]]) -> None:
    versions = [seen for seen, _ in saved]
    assert len(versions) == len(set(versions)), saved      # two saves from one version: a lost update
    notes, version = row(admin_engine, "SELECT notes, version FROM project_context.customers WHERE id = :c",
                         c=company.edited)
    assert saved and version == max(versions) + 1 and notes == max(saved)[1]


def _assert_sheets_total_their_days(admin_engine) -> None:
    sheets = rows(
        admin_engine,
        "SELECT t.id, t.status, t.worked_minutes, coalesce(sum(d.worked_minutes), 0) AS days"
        " FROM timesheet_context.timesheets t LEFT JOIN timesheet_context.daily_attendances d"
        " ON (d.timesheet_id, d.period_year, d.period_month) = (t.id, t.period_year, t.period_month)"
        " AND d.deleted_at IS NULL WHERE t.period_month = 11 GROUP BY t.id, t.period_year, t.period_month")
    assert len(sheets) == 2
    for sheet in sheets:
        assert sheet.worked_minutes == sheet.days, sheet
