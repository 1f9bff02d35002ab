"""The monthly invoice run survives its worker being killed: the job is retried by the
stalled-job task and continues the run that was left RUNNING -- every contract-month is invoiced
exactly once, the numbers stay gap-free (the killed customer's numbers were never committed),
and a retry of a run that had already finished bills nothing more."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.integrity.support import bill_month_ready, scalar, unbalanced_entries
from tests.stalled import job_left_behind, job_states, kill_worker_running, recover_stalled_jobs


class WorkerKilled(BaseException):
    """SIGKILL: nothing after it runs and the open transaction is lost."""


def _run_row(admin_engine, run_id):
    with admin_engine.connect() as conn:
        return conn.execute(text(
            "SELECT status, total_groups, processed_groups, invoices_created, problems"
            " FROM billing_context.invoice_runs WHERE id = :r"), {"r": run_id}).one()


def _die_in_fourth_customer(monkeypatch):
    from app.billing import batch

    billed, real = [], batch.bill_customer

    def bill_then_die(*args, **kwargs):
        documents = real(*args, **kwargs)           # invoices created and numbered, not committed
        billed.append(documents)
        if len(billed) == 4:
            raise WorkerKilled
        return documents

    monkeypatch.setattr(batch, "bill_customer", bill_then_die)


def _numbers(admin_engine) -> list[str]:
    return scalar(admin_engine, "SELECT array_agg(invoice_number ORDER BY invoice_number)"
                                 " FROM billing_context.invoices WHERE kind = 'INVOICE'")


def test_a_run_whose_worker_died_is_continued_by_the_retried_job(app, make, admin_engine, run_jobs, monkeypatch):
    from app.billing.batch import start_run
    from app.billing.jobs import run_invoice_batch

    bill_month_ready(make, customers=6)                       # 6 customers, 12 contracts closed for October
    with acting_as(SYSTEM):
        run_id = start_run(2026, 10).id
        run_invoice_batch.defer(run_id=str(run_id))
        db.session.commit()
    kill_worker_running(admin_engine, "billing.run_invoices")     # a worker took the job ...
    _die_in_fourth_customer(monkeypatch)                           # ... and died in the 4th customer
    with acting_as(SYSTEM), pytest.raises(WorkerKilled):
        run_invoice_batch(run_id=str(run_id))
    db.session.rollback()
    monkeypatch.undo()
    assert _run_row(admin_engine, run_id)[:4] == ("RUNNING", 6, 3, 3)
    assert _numbers(admin_engine) == [f"INV-2026-{n:06d}" for n in range(1, 4)]

    recover_stalled_jobs(admin_engine, run_jobs)
    assert job_states(admin_engine, "billing.run_invoices") == [("todo", 1)]
    run_jobs(["billing"])
    assert _run_row(admin_engine, run_id) == ("SUCCEEDED", 6, 6, 6, [])
    _assert_billed_once(admin_engine, run_id)

    # killed again, after the run had finished but before the job was marked done: nothing more
    job_left_behind(admin_engine, "billing.run_invoices", "billing", json.dumps({"run_id": str(run_id)}))
    recover_stalled_jobs(admin_engine, run_jobs)
    run_jobs(["billing"])
    assert job_states(admin_engine, "billing.run_invoices") == []
    _assert_billed_once(admin_engine, run_id)


def _assert_billed_once(admin_engine, run_id) -> None:
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_billing_items") == 12
    assert scalar(admin_engine, "SELECT count(DISTINCT timesheet_id) FROM billing_context.invoice_billing_items") == 12
    assert _numbers(admin_engine) == [f"INV-2026-{n:06d}" for n in range(1, 7)]
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoices WHERE run_id = :r"
                                 " AND status = 'ISSUED' AND pdf_sha256 IS NOT NULL", r=run_id) == 6
    assert unbalanced_entries(admin_engine) == 0
