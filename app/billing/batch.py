"""The monthly run as a batch (background job, CLI): ``run_invoices``.

One transaction per customer (and per partner on the buy side): a problem with one customer's
data is recorded on the run and the others go on.  Progress is committed with each unit, so the
progress page sees it as it goes.  Then the PDFs of the new documents are rendered and stored
(each with its SHA-256).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError

from ..core.calendar import BusinessCalendar
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .customers import customers_by_id
from .issue import BillingError, default_issuer
from .models import Invoice, InvoiceRun, PurchaseStatement
from .run import bill_customer, customers_to_bill, default_issue_date
from .sources import month_sources

log = logging.getLogger(__name__)


def start_run(year: int, month: int, issue_date: date | None = None) -> InvoiceRun:
    """Record a queued run (the job or the CLI then executes it)."""
    identity = current_identity()
    run = InvoiceRun(id=uuid.uuid4(), period_year=year, period_month=month, status="QUEUED",
                     issue_date=issue_date or default_issue_date(year, month),
                     requested_by=identity.user_id if identity else None)
    db.session.add(run)
    db.session.flush()
    return run


def run_invoices(year: int, month: int, *, issue_date: date | None = None, run_id: uuid.UUID | None = None,
                 render_pdfs: bool = True, echo: Callable[[str], None] | None = None) -> InvoiceRun:
    """Bill the month: invoices to customers, payment notices to partners, then their PDFs.
    Given a run that is still RUNNING (its worker died), continue it: every customer and partner
    is billed in its own transaction and only what is still unbilled is billed again."""
    run = db.session.get(InvoiceRun, run_id) if run_id else start_run(year, month, issue_date)
    if run.status != "RUNNING":
        run.status, run.started_at = "RUNNING", func.now()
    db.session.commit()
    try:
        _bill_all(run, echo or (lambda message: None))
        if render_pdfs:
            _render_pdfs(run)
        run.status = "SUCCEEDED"
    except Exception as error:        # the run itself failed: say so on the run, keep what was billed
        log.exception("invoice run %s failed", run.id)
        db.session.rollback()
        run.status = "FAILED"
        run.problems = [*run.problems, {"group": "", "message": str(error)}]
    run.finished_at = func.now()
    db.session.commit()
    return run


def _bill_all(run: InvoiceRun, echo: Callable[[str], None]) -> None:
    from .purchases import bill_partner, partner, partners_to_pay

    year, month = run.period_year, run.period_month
    default_issuer()                  # no issuer: fail the whole run with its message
    calendar = BusinessCalendar.load()
    sources = month_sources(year, month)
    customers, partners = customers_to_bill(year, month, sources), partners_to_pay(year, month, sources)
    options = dict(issue_date=run.issue_date, calendar=calendar, sources=sources, run_id=run.id)
    names = {i: f"{c.code} {c.name}" for i, c in customers_by_id(customers).items()}
    names |= {p: f"{partner(p).code} {partner(p).name}" for p in partners}
    _count_groups(run, set(names.values()))
    db.session.commit()
    for customer_id in customers:
        _unit(run, lambda c=customer_id: bill_customer(c, year, month, **options),
              "invoices_created", names[customer_id], echo)
    for partner_id in partners:
        _unit(run, lambda p=partner_id: bill_partner(p, year, month, **options),
              "statements_created", names[partner_id], echo)


def _count_groups(run: InvoiceRun, pending: set[str]) -> None:
    """Progress: ``pending`` groups are still to bill.  A continued run keeps the groups it
    finished and takes back the problems of those it is about to try again."""
    retried = [p for p in run.problems if p["group"] in pending]
    run.problems = [p for p in run.problems if p["group"] not in pending]
    run.processed_groups -= len(retried)
    run.total_groups = run.processed_groups + len(pending)


def _unit(run: InvoiceRun, work: Callable[[], list], counter: str, label: str,
          echo: Callable[[str], None]) -> None:
    """One customer or partner in its own transaction."""
    try:
        documents = work()
        setattr(run, counter, getattr(run, counter) + len(documents))
        for document in documents:
            echo(f"{_number(document)} {document.total_amount:>12,}")
    except (BillingError, ValueError, DBAPIError) as error:
        db.session.rollback()
        message = _problem(error)
        run.problems = [*run.problems, {"group": label, "message": message}]
        echo(f"! {label}: {message}")
    run.processed_groups += 1
    db.session.commit()


def _problem(error: Exception) -> str:
    """What went wrong with one customer or partner, for the run page (in Japanese)."""
    if isinstance(error, BillingError):
        return error.message
    detail = str(error).splitlines()[0]
    if isinstance(error, ValueError):       # a contract's settlement terms cannot be computed
        return str(_l("契約の精算条件から金額を計算できません（%(detail)s）。契約を確認してください。", detail=detail))
    return str(_l("データベースが処理を拒否しました（%(detail)s）。", detail=detail))


def _number(document) -> str:
    return getattr(document, "invoice_number", None) or getattr(document, "statement_number", "")


def _render_pdfs(run: InvoiceRun) -> None:
    from .pdfs import store_invoice_pdf, store_statement_pdf

    invoices = db.session.execute(db.select(Invoice.id, Invoice.invoice_year).where(
        Invoice.run_id == run.id, Invoice.pdf_sha256.is_(None))).all()
    statements = db.session.scalars(db.select(PurchaseStatement.id).where(
        PurchaseStatement.run_id == run.id, PurchaseStatement.pdf_sha256.is_(None))).all()
    run.pdfs_total = len(invoices) + len(statements)
    db.session.commit()
    for invoice_id, year in invoices:
        store_invoice_pdf(Invoice.get(invoice_id, year))
        run.pdfs_done += 1
        db.session.commit()
    for statement_id in statements:
        store_statement_pdf(db.session.get(PurchaseStatement, statement_id))
        run.pdfs_done += 1
        db.session.commit()
