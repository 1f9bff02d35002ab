"""The engineer and partner lists run a fixed number of statements, however many rows they show."""

from __future__ import annotations

from datetime import date

import pytest

from tests.projects import factories as make
from tests.querycount import assert_no_n_plus_one, rows_added_by


@pytest.fixture
def pm(login_as):
    return login_as("project_manager")


def _engineer():
    partner = make.partner(name="照会パートナー株式会社")
    make.engineer(full_name="照会 技術者", employment_type="PARTNER", partner_company_id=partner.id,
                  skills=[("Java", 5, 4), ("AWS", 2, 3)], available_from=date.today(), desired_rate=650000)


def test_the_engineer_list(pm):
    add = rows_added_by(_engineer)
    add(2)
    assert_no_n_plus_one(pm, "/engineers/", add, expect_text=lambda page: page.count("照会 技術者") == 5)
    assert_no_n_plus_one(pm, "/engineers/?q=照会&skill=Java", add, htmx=True)
    assert_no_n_plus_one(pm, "/engineers/available", add)


def test_the_partner_list(pm):
    add = rows_added_by(_engineer)
    add(2)
    assert_no_n_plus_one(pm, "/engineers/partners", add,
                         expect_text=lambda page: page.count("照会パートナー株式会社") == 5)
