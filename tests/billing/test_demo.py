"""The demo's billing: the real run for the last three months, then paid, partly paid and
overdue invoices."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import text

from app.billing import demo as billing_demo
from app.core.demo import Demo
from app.extensions import db


def test_the_demo_bills_three_months_with_every_payment_state(system, make):
    for n in range(4):
        customer = make.customer(f"デモ顧客{n}株式会社")
        make.contract(customer, make.engineer(f"デモ 技術者{n}"), start=date(2026, 4, 1), end=date(2027, 3, 31))
    demo = Demo(rng=random.Random(1), today=date(2026, 11, 27))
    billing_demo.load(demo)
    db.session.commit()
    counts = dict(db.session.execute(text(
        "SELECT status, count(*) FROM billing_context.invoices GROUP BY status")).all())
    months = db.session.execute(text(
        "SELECT DISTINCT invoice_month FROM billing_context.invoices ORDER BY 1")).scalars().all()
    assert months == [8, 9, 10]
    assert counts.get("PAID", 0) >= 4 and counts["PARTIALLY_PAID"] == 1 and counts["OVERDUE"] == 1
    assert db.session.execute(text(
        "SELECT count(*) FROM billing_context.invoices WHERE pdf_sha256 IS NULL")).scalar() == 0
    billing_demo.load(demo)           # loading again adds nothing
    assert db.session.execute(text("SELECT count(*) FROM billing_context.invoices")).scalar() == 12
