"""The N+1 detector of the list-page tests catches a page that queries once per row."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.querycount import assert_no_n_plus_one, count_queries


def test_statements_are_counted(app):
    with count_queries() as statements:
        db.session.execute(text("SELECT 1"))
        db.session.execute(text("SELECT 2"))
    assert statements[-2:] == ["SELECT 1", "SELECT 2"]


class Page:
    """A stand-in for the test client: GET renders ``view()`` (the statements it runs count)."""

    def __init__(self, view):
        self.view = view

    def get(self, url, **kwargs):
        body = self.view()
        return SimpleNamespace(status_code=200, get_data=lambda as_text=False: body)


def test_a_page_that_queries_once_per_row_is_caught(app):
    rows: list[int] = []

    def per_row():
        return ",".join(str(db.session.execute(text("SELECT :n"), {"n": n}).scalar()) for n in rows)

    def per_page():
        return ",".join(str(n) for n in db.session.execute(text("SELECT unnest(CAST(:r AS int[]))"),
                                                          {"r": rows}).scalars())

    def add(n):
        rows.extend(range(len(rows), len(rows) + n))

    assert_no_n_plus_one(Page(per_page), "/per-page", add, more=3, expect_text=lambda page: page == "0,1,2")
    rows.clear()
    with pytest.raises(AssertionError, match="1 more rows"):
        assert_no_n_plus_one(Page(per_row), "/per-row", add, more=1)
