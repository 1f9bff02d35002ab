"""Benchmark of the contract and timesheet pages on the large dataset.

    .venv/bin/python scripts/bench/contracts_timesheets.py [--factor 0.1] [--requests 50]

Starts a throwaway PostgreSQL cluster, migrates it, loads the large benchmark dataset
(``app.core.scale``, scaled by --factor), then measures through the Flask test client, logged
in as real users of the dataset and under their database roles (row level security on):

* an engineer's month sheet (GET, full page) and a row save (htmx POST with the month's totals);
* a project manager's contract list, a contract page with its settlement preview;
* ``timesheets.billing.closed_month`` for last month, as finance (what the billing run reads).

Prints p50 / p95 / max in milliseconds.  Figures go to docs/contracts-timesheets.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pgcluster  # noqa: E402
from bench.sessions import client_for  # noqa: E402
from sqlalchemy import text  # noqa: E402


def _timed(samples: list[float], fn, *args, **kwargs) -> object:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    samples.append((time.perf_counter() - started) * 1000)
    return result


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{name:<44} n={len(samples):<4} p50={statistics.median(ordered):7.1f} ms"
          f"  p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms")


def make_app(socket: str):
    from app import create_app
    from app.config import TestConfig

    class Config(TestConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://ses_app@/bench?host={socket}"
        MIGRATION_DATABASE_URL = f"postgresql+psycopg://postgres@/bench?host={socket}"

    return create_app(Config)


def pick(app, sql: str, **params):
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db

    with app.app_context(), acting_as(SYSTEM):
        rows = db.session.execute(text(sql), params).all()
        db.session.rollback()
    return rows


def bench_engineers(app, requests: int, today: date) -> None:
    engineers = pick(app, "SELECT u.email, t.id FROM timesheet_context.timesheets t JOIN platform.users u"
                          " ON u.engineer_id = t.engineer_id WHERE t.period_year = :y AND t.period_month = :m"
                          " AND t.status IN ('DRAFT', 'RETURNED') LIMIT :n",
                     y=today.year, m=today.month, n=max(1, requests // 5))
    sheet, save = [], []
    for email, timesheet_id in engineers:
        client = client_for(app, email)
        for _ in range(5):
            response = _timed(sheet, client.get, f"/timesheets/{timesheet_id}")
            assert response.status_code == 200, response.status_code
            response = _timed(
                save, client.post, f"/timesheets/{timesheet_id}/days/{today.replace(day=1).isoformat()}",
                data={"kind": "NORMAL", "start_time": "09:00", "end_time": "18:30", "break_minutes": "60"},
                headers={"HX-Request": "true", "X-CSRFToken": client.csrf})
            assert response.status_code in (200, 422), response.status_code
    report("engineer: month sheet (GET)", sheet)
    report("engineer: save a row + totals (htmx POST)", save)


def bench_manager(app, requests: int) -> None:
    [(email, contract_id)] = pick(app, "SELECT u.email, c.id FROM contract_context.contracts c"
                                       " JOIN project_context.projects p ON p.id = c.project_id"
                                       " JOIN platform.users u ON u.id = p.project_manager_id"
                                       " WHERE c.side = 'SELL' AND c.status = 'ACTIVE' LIMIT 1")
    client = client_for(app, email)
    listing, page, preview = [], [], []
    for i in range(requests):
        _timed(listing, client.get, f"/contracts/?view={'all' if i % 2 else 'ending_next_month'}")
        _timed(page, client.get, f"/contracts/{contract_id}")
        _timed(preview, client.get, f"/contracts/{contract_id}/preview?hours=190.5", headers={"HX-Request": "true"})
    report("PM: contract list (GET)", listing)
    report("PM: contract page with preview (GET)", page)
    report("PM: settlement preview (htmx GET)", preview)


def bench_billing(app, today: date, runs: int = 5) -> None:
    from app.core.calendar import add_months
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db
    from app.timesheets.billing import closed_month

    year, month = add_months(today.year, today.month, -1)
    samples = []
    with app.app_context(), acting_as(SYSTEM):
        for _ in range(runs):
            result = _timed(samples, closed_month, year, month)
            db.session.rollback()
    report(f"closed_month {year}-{month:02d} ({len(result.timesheets)} timesheets)", samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="ses-bench-"))
    socket = str(pgcluster.start(base, fast=True, database="bench"))
    try:
        import flask_migrate

        from app.core.scale import load_large

        app = make_app(socket)
        today = date.today()
        with app.app_context():
            flask_migrate.upgrade()
            started = time.perf_counter()
            load_large(factor=args.factor, echo=lambda *_: None, today=today)
            print(f"large dataset x{args.factor} loaded in {time.perf_counter() - started:.0f} s")
        bench_engineers(app, args.requests, today)
        bench_manager(app, args.requests)
        bench_billing(app, today)
    finally:
        pgcluster.stop(base, remove=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
