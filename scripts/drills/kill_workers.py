#!/usr/bin/env python3
"""Drill: a gunicorn worker and a background worker killed with SIGKILL.

    SES_INSTANCE_PATH=... .venv/bin/python scripts/drills/kill_workers.py web|jobs

``web``: eight users read pages for 30 s; every 5 s one gunicorn worker (chosen among the busy
ones) is killed with SIGKILL mid-request.  Printed: what the users got, and that the master
replaced each worker.

``jobs``: on the large dataset the last month is approved but not invoiced.  The invoice run for
it is queued as the run page does, a procrastinate worker starts on it and is killed with
SIGKILL once some invoices exist; a new worker on every queue then runs until the run ends (at
most ``--wait`` seconds): its maintenance job retries the stalled one.  Printed: the
job's and the run's state before and after, and whether any contract or timesheet was invoiced
twice.  Finally the month is billed again with the idempotent CLI (``flask billing run``), the
manual recovery, and the duplicates are counted again.
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import threading
import time
from datetime import date

from common import ROOT, VENV, gunicorn, log, psql, session, worker_pids

PORT = 5379
QUEUE_RUN = """
from app import create_app
from app.billing.batch import start_run
from app.billing.jobs import run_invoice_batch
from app.core.identity import SYSTEM, acting_as
from app.extensions import db
with create_app().app_context(), acting_as(SYSTEM):
    run = start_run({year}, {month}, None)
    run_invoice_batch.defer(run_id=str(run.id))
    db.session.commit()
"""


def web() -> None:
    events, stop = [], threading.Event()

    def user(n):
        client, _ = session(PORT, f"pm{n:03d}")
        while not stop.is_set():
            try:
                events.append((time.time(), client.get(f"http://127.0.0.1:{PORT}/projects/", timeout=10).status_code))
            except Exception as error:
                events.append((time.time(), type(error).__name__))

    with gunicorn(PORT, workers=3) as master:
        threads = [threading.Thread(target=user, args=(n,)) for n in range(1, 9)]
        for t in threads:
            t.start()
        for _ in range(5):
            time.sleep(5)
            victim = worker_pids(master.pid)[0]
            os.kill(victim, signal.SIGKILL)
            log(f"SIGKILL gunicorn worker {victim}")
        time.sleep(5)
        stop.set()
        for t in threads:
            t.join()
        log(f"workers now: {worker_pids(master.pid)} (3 expected: the master replaced the killed ones)")
    totals = collections.Counter(str(e[1]) for e in events)
    print(f"requests: {len(events)}, outcomes: {dict(totals)}")
    print(f"server errors (500): {totals.get('500', 0)}; failed in flight (connection reset/closed): "
          f"{sum(v for k, v in totals.items() if not k.isdigit())}")


def _flask(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([str(VENV / "flask"), "--app", "wsgi", *args], cwd=ROOT, **kwargs)


def _state(year: int, month: int) -> str:
    run = psql("SELECT status || ' ' || processed_groups || '/' || total_groups || ' groups, '"
               " || invoices_created || ' invoices' FROM billing_context.invoice_runs"
               f" WHERE period_year = {year} AND period_month = {month} ORDER BY created_at DESC LIMIT 1")
    job = psql("SELECT string_agg(status || ' (attempts ' || attempts || ')', ', ') FROM procrastinate.procrastinate_jobs"
               " WHERE task_name = 'billing.run_invoices'")
    return f"run: {run or '-'}; job: {job or '-'}"


def _duplicates(year: int, month: int) -> str:
    invoices = psql("SELECT count(*) FROM billing_context.invoices"
                    f" WHERE invoice_year = {year} AND invoice_month = {month} AND kind = 'INVOICE'")
    twice = psql("SELECT count(*) FROM (SELECT l.timesheet_id FROM billing_context.invoice_billing_items l"
                 " JOIN billing_context.invoices i ON i.id = l.invoice_id AND i.invoice_year = l.invoice_year"
                 f" WHERE l.period_year = {year} AND l.period_month = {month} AND i.kind = 'INVOICE'"
                 " AND l.timesheet_id IS NOT NULL GROUP BY l.timesheet_id HAVING count(*) > 1) x")
    return f"{invoices} invoices for the month, timesheets billed twice: {twice}"


def jobs(wait: int) -> None:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    log(f"queue the invoice run for {year}-{month:02d} as the run page does")
    subprocess.run([str(VENV / "python"), "-c", QUEUE_RUN.format(year=year, month=month)], cwd=ROOT, check=True)
    worker = _flask("ses", "worker", "--queue", "billing", "--concurrency", "1",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        time.sleep(1)
        if int(psql("SELECT coalesce(max(invoices_created), 0) FROM billing_context.invoice_runs"
                    f" WHERE period_year = {year} AND period_month = {month}") or 0) > 50:
            break
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    log(f"SIGKILL the worker mid-job -> {_state(year, month)}; {_duplicates(year, month)}")
    log(f"a new worker on every queue, as in production, runs until the run ends (at most {wait} s)")
    worker = _flask("ses", "worker", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.time()
    while time.time() - started < wait and psql(
            "SELECT status FROM billing_context.invoice_runs"
            f" WHERE period_year = {year} AND period_month = {month} ORDER BY created_at DESC LIMIT 1") == "RUNNING":
        time.sleep(5)
    log(f"after {time.time() - started:.0f} s -> {_state(year, month)}")
    worker.send_signal(signal.SIGTERM)       # a worker ends its current job before it stops
    worker.wait(wait)
    log(f"after the new worker -> {_state(year, month)}; {_duplicates(year, month)}")
    log("manual recovery: flask billing run (idempotent)")
    started = time.time()
    subprocess.run([str(VENV / "flask"), "--app", "wsgi", "billing", "run", "--month", f"{year}-{month:02d}",
                    "--no-pdf"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    log(f"after the CLI run ({time.time() - started:.0f} s) -> {_duplicates(year, month)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("drill", choices=["web", "jobs"])
    parser.add_argument("--wait", type=int, default=1800)
    args = parser.parse_args()
    web() if args.drill == "web" else jobs(args.wait)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
