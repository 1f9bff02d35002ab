"""Helpers of the integrity tests: threads released together, superuser reads of the books."""

from __future__ import annotations

import threading

from sqlalchemy import text


def at_once(count: int, work) -> list:
    """Run ``work(n)`` in ``count`` threads released together; returns results or exceptions."""
    start, results = threading.Barrier(count), [None] * count

    def run(n):
        start.wait()
        try:
            results[n] = work(n)
        except Exception as error:   # noqa: BLE001 - the test looks at every outcome
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def scalar(admin_engine, sql: str, **params):
    with admin_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(admin_engine, sql: str, **params) -> list:
    with admin_engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def row(admin_engine, sql: str, **params) -> tuple:
    with admin_engine.connect() as conn:
        return tuple(conn.execute(text(sql), params).one())


def unbalanced_entries(admin_engine) -> int:
    """Journal entries whose debits and credits differ (0 when the books balance)."""
    return scalar(admin_engine, """
        SELECT count(*) FROM (SELECT entry_id FROM billing_context.accounting_entries GROUP BY entry_id
            HAVING sum(amount) FILTER (WHERE side = 'DEBIT') IS DISTINCT FROM
                   sum(amount) FILTER (WHERE side = 'CREDIT')) x""")


def bill_month_ready(make, customers: int, year: int = 2026, month: int = 10) -> None:
    """An issuer and ``customers`` customers with two contracts each, closed for the month."""
    make.issuer()
    for n in range(customers):
        customer = make.customer(f"並行商事{n}株式会社")
        for k in range(2):
            contract = make.contract(customer, make.engineer(f"並行 技術者{n}-{k}"))
            make.closed_month(contract, year, month, (150 + n + k) * 60)
