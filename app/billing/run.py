"""The monthly invoice run (月次請求処理).

``bill_customer`` is the service: for one customer and month it bills everything closed and not
yet billed -- closed timesheets, approved adjustments, extras -- as one invoice per customer
(合算請求) or one per contract, as the customer's setting says; contracts with different
payment terms never share an invoice.  It holds a transaction-level advisory lock on (customer,
month) and reads the sources after taking it, so two runs at once never bill the same hours (the
partial unique indexes on active lines are the last word).

``run_invoices`` is the batch around it (background job, CLI): one transaction per customer and
per partner, progress in ``invoice_runs``, problems collected instead of stopping the run.
Running it again creates nothing for what is already billed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import text

from ..core.calendar import BusinessCalendar, month_end
from ..extensions import db
from .customers import Customer, customers_by_id
from .issue import create_invoice, default_issuer, due_date_for, issue_invoice
from .lines import LineDraft, adjustment_line, extra_line, settlement_line
from .models import Invoice, Issuer
from .sources import (
    Contract,
    MonthSources,
    billed_adjustment_minutes,
    contracts_by_id,
    customers_with_unbilled,
    month_sources,
    unbilled_sales,
)


def default_issue_date(year: int, month: int) -> date:
    """請求日 = the billed month's last day (締め日), the usual date of an SES invoice."""
    return month_end(year, month)


def lock_month(kind: str, party_id: uuid.UUID, year: int, month: int) -> None:
    """Serialise work on one customer's (or partner's) month until the transaction ends."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                       {"k": f"billing:{kind}:{party_id}:{year}-{month:02d}"})


def customers_to_bill(year: int, month: int, sources: MonthSources | None = None) -> list[uuid.UUID]:
    """Customers with something closed and unbilled for the month, in code order."""
    ids = customers_with_unbilled(sources or month_sources(year, month))
    customers = customers_by_id(ids)
    return sorted(ids, key=lambda i: customers[i].code)


def _group_key(customer: Customer, contract: Contract) -> tuple:
    if customer.invoice_grouping == "PER_CONTRACT":
        return ("contract", contract.contract_id)
    return ("terms", contract.payment_terms)


def lines_by_group(customer: Customer, sources: MonthSources,
                    calendar: BusinessCalendar) -> dict[tuple, tuple[Contract, list[LineDraft]]]:
    sales, adjustments, extras = unbilled_sales(sources, customer.id)
    contracts = {s.contract.contract_id: s.contract for s in sales}
    contracts |= {a.timesheet.contract.contract_id: a.timesheet.contract for a in adjustments}
    contracts |= contracts_by_id({e.contract_id for e in extras} - set(contracts))
    groups: dict[tuple, tuple[Contract, list[LineDraft]]] = {}

    def add(contract: Contract, line: LineDraft) -> None:
        groups.setdefault(_group_key(customer, contract), (contract, []))[1].append(line)

    for sale in sales:
        add(sale.contract, settlement_line(sale, calendar))
    adjusted: dict[uuid.UUID, int] = defaultdict(int)
    for adjustment in adjustments:
        contract, timesheet_id = adjustment.timesheet.contract, adjustment.timesheet.timesheet_id
        if timesheet_id not in adjusted:
            adjusted[timesheet_id] = billed_adjustment_minutes(timesheet_id, contract.contract_id)
        add(contract, adjustment_line(adjustment, calendar, adjusted[timesheet_id]))
        adjusted[timesheet_id] += adjustment.minutes_delta
    for extra in extras:
        add(contracts[extra.contract_id], extra_line(extra, contracts.get(extra.contract_id)))
    return groups


def bill_customer(customer_id: uuid.UUID, year: int, month: int, *, issue_date: date,
                  calendar: BusinessCalendar, sources: MonthSources | None = None,
                  issuer: Issuer | None = None, run_id: uuid.UUID | None = None) -> list[Invoice]:
    """Issue the customer's invoices for the month; [] if everything is already billed.
    ``sources`` (read once per run) defaults to a fresh read of the month."""
    lock_month("customer", customer_id, year, month)
    sources = sources or month_sources(year, month)
    issuer = issuer or default_issuer()
    customer = customers_by_id([customer_id])[customer_id]
    invoices = []
    for contract, lines in lines_by_group(customer, sources, calendar).values():
        due = due_date_for(year, month, contract.payment_terms, calendar)
        invoice = create_invoice(issuer=issuer, customer=customer, year=year, month=month,
                                 lines=ordered_lines(lines), due_date=due, run_id=run_id)
        invoices.append(issue_invoice(invoice, issue_date))
    return invoices


_ORDER = {"SETTLEMENT": 0, "ADJUSTMENT": 1, "EXPENSE": 2, "OTHER": 3}


def ordered_lines(lines: list[LineDraft]) -> list[LineDraft]:
    return sorted(lines, key=lambda line: (_ORDER[line.item_type], line.engineer_code or "",
                                           line.contract_number or "", line.period_year or 0,
                                           line.period_month or 0))
