"""The case and customer lists run a fixed number of statements, however many rows they show."""

from __future__ import annotations

import pytest

from tests.projects import factories as make
from tests.querycount import assert_no_n_plus_one, rows_added_by


@pytest.fixture
def pm(login_as):
    return login_as("project_manager")


def test_the_case_list(pm):
    def case():
        customer = make.customer()
        make.project(customer.id, pm.user_id, title=f"照会案件 {customer.code}",
                     skills=[("Java", 3, True), ("AWS", 1, False)])

    add = rows_added_by(case)
    add(2)
    assert_no_n_plus_one(pm, "/projects/", add, expect_text=lambda page: page.count("照会案件") == 5)
    assert_no_n_plus_one(pm, "/projects/?q=照会&status=INQUIRY", add, htmx=True)


def test_the_customer_list(pm):
    add = rows_added_by(lambda: make.project(make.customer(name="照会顧客株式会社").id, pm.user_id))
    add(2)
    assert_no_n_plus_one(pm, "/projects/customers", add, expect_text=lambda page: page.count("照会顧客株式会社") == 5)
