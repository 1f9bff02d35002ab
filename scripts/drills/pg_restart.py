#!/usr/bin/env python3
"""Drill: PostgreSQL restarted under load.

    SES_INSTANCE_PATH=... .venv/bin/python scripts/drills/pg_restart.py [--down 5] [--after 40]

gunicorn (production configuration) serves the app; eight logged-in sales users read the case
list and create customers (each acknowledged creation is remembered).  After 10 s the database
is stopped (``pg_ctl stop -m fast``: every connection dies), started again ``--down`` seconds
later, and the load goes on.  Printed: what the users got second by second, how long after
the restart the first request succeeded again (pool_pre_ping replaces dead connections), and
whether every acknowledged customer is in the database.
"""

from __future__ import annotations

import argparse
import collections
import threading
import time
import uuid

import common  # noqa: F401, I001  (puts scripts/ on the path for pgcluster)
import pgcluster  # noqa: I001
from common import INSTANCE, gunicorn, log, psql, session

PORT = 5378


def user(n: int, stop: threading.Event, events: list, created: list) -> None:
    base = f"http://127.0.0.1:{PORT}"
    client, token = session(PORT, f"pm{n:03d}")
    i = 0
    while not stop.is_set():
        i += 1
        try:
            if i % 3:
                status = client.get(f"{base}/projects/", timeout=10).status_code
                events.append((time.time(), "read", status))
            else:
                code = f"DRILL-{uuid.uuid4().hex[:10]}"
                response = client.post(f"{base}/projects/customers/new", timeout=10, allow_redirects=False,
                                       headers={"X-CSRFToken": token},
                                       data={"code": code, "name": f"ドリル商事 {code}", "honorific": "御中",
                                             "closing_day": "0", "payment_month_offset": "1", "payment_day": "0",
                                             "payment_holiday_rule": "PREVIOUS", "invoice_grouping": "PER_CUSTOMER"})
                events.append((time.time(), "write", response.status_code))
                if response.status_code in (200, 204, 303):
                    created.append(code)
        except Exception as error:   # connection refused/reset: the client's view of the outage
            events.append((time.time(), "read" if i % 3 else "write", type(error).__name__))
            time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--after", type=float, default=40)
    args = parser.parse_args()
    events, created, stop = [], [], threading.Event()
    with gunicorn(PORT):
        threads = [threading.Thread(target=user, args=(n, stop, events, created)) for n in range(1, 9)]
        for t in threads:
            t.start()
        time.sleep(10)
        log("stopping PostgreSQL (fast: all connections die)")
        stopped = time.time()
        pgcluster.stop(INSTANCE)
        time.sleep(args.down)
        pgcluster.start(INSTANCE)
        restarted = time.time()
        log(f"PostgreSQL running again after {restarted - stopped:.1f} s")
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join()
    report(events, created, stopped, restarted)
    return 0


def report(events, created, stopped, restarted) -> None:
    start = min(e[0] for e in events)
    print("\nsecond  outcome counts (status or client-side error)   [read/write]")
    per_second = collections.defaultdict(collections.Counter)
    for at, kind, outcome in events:
        per_second[int(at - start)][f"{kind}:{outcome}"] += 1
    for second in sorted(per_second):
        marks = " <- database stopped" if int(stopped - start) == second else (
            " <- database started" if int(restarted - start) == second else "")
        print(f"{second:>5}s  {dict(sorted(per_second[second].items()))}{marks}")
    ok = (200, 204, 303)
    failures_after = [e for e in events if e[0] > restarted and e[2] not in ok]
    first_ok = min((e[0] for e in events if e[0] > restarted and e[2] in ok), default=None)
    last_bad = max((e[0] for e in failures_after), default=restarted)
    totals = collections.Counter(str(e[2]) for e in events)
    print(f"\nall outcomes: {dict(totals)}")
    print(f"server errors (500) at any time: {totals.get('500', 0)}")
    print(f"first success {first_ok - restarted:.1f} s after the restart; last failure "
          f"{last_bad - restarted:.1f} s after it" if first_ok else "no success after the restart")
    found = int(psql("SELECT count(*) FROM project_context.customers WHERE code LIKE 'DRILL-%' AND code = ANY"
                     f" (ARRAY[{','.join(repr(c) for c in created) or 'NULL'}]::text[])")) if created else 0
    print(f"acknowledged creations: {len(created)}, found in the database: {found}"
          f" -> {'no committed data lost' if found == len(created) else 'DATA LOST'}")
    psql("DELETE FROM project_context.customers WHERE code LIKE 'DRILL-%'")


if __name__ == "__main__":
    raise SystemExit(main())
