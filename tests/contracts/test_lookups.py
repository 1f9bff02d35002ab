"""Display names for a page of contracts or timesheets: one statement for a role that may read
every kind, and for one that may not, the kinds it may read (engineer_context is closed to
customers)."""

from __future__ import annotations

import uuid

from app.contracts.lookups import names
from app.core.identity import SYSTEM, Identity, acting_as
from tests.querycount import count_queries


def _page(sales):
    customer = sales.customer(name="株式会社名前顧客")
    partner = sales.partner(name="株式会社名前パートナー")
    engineer = sales.engineer("PARTNER", partner_id=partner, full_name="名前 太郎")
    project = sales.project(customer_id=customer, title="名前の案件")
    return {"project": {project}, "customer": {customer}, "engineer": {engineer}, "partner": {partner, None}}


def test_a_page_of_names_is_one_statement(app, sales):
    ids = _page(sales)
    with acting_as(SYSTEM):
        names(ids)                                   # the role's first attempt learns the grant
        with count_queries() as statements:
            found = names(ids)
    assert sorted(found.values()) == ["名前 太郎", "名前の案件", "株式会社名前パートナー", "株式会社名前顧客"]
    assert len(statements) == 1 and "UNION ALL" in statements[0]


def test_a_customer_gets_the_names_it_may_read_and_no_others(app, sales):
    ids = _page(sales)
    customer = next(iter(ids["customer"]))
    with acting_as(Identity(role="customer", user_id=uuid.uuid4(), customer_id=customer)):
        for _ in range(2):                           # refused once, then remembered
            found = names(ids)
            assert sorted(found.values()) == ["名前の案件", "株式会社名前顧客"]


def test_nothing_asked_reads_nothing(app):
    with acting_as(SYSTEM), count_queries() as statements:
        assert names({"project": set(), "engineer": {None}}) == {}
    assert statements == []
