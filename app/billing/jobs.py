"""Background jobs of billing: the monthly run (started from the run page) and the daily
overdue marking."""

from __future__ import annotations

import uuid
from datetime import date

from ..core.jobs import jobs
from ..extensions import db
from .batch import run_invoices
from .models import InvoiceRun
from .payments import mark_overdue


@jobs.task(queue="billing", name="billing.run_invoices")
def run_invoice_batch(run_id: str) -> str:
    """Execute a queued run (as the finance user who started it).  A run still RUNNING is the
    one this job started before its worker was killed: the retried job continues it (what was
    billed stays billed, the rest is billed now)."""
    run = db.session.get(InvoiceRun, uuid.UUID(run_id))
    if run is None or run.status not in ("QUEUED", "RUNNING"):
        return "skipped"
    return run_invoices(run.period_year, run.period_month, run_id=run.id).status


@jobs.periodic(cron="30 15 * * *", name="billing.mark_overdue")       # 00:30 JST
def mark_overdue_daily(timestamp: int) -> int:
    """Invoices past their due date become overdue (延滞)."""
    return mark_overdue(date.today())
