"""Counting the SQL statements a request runs, to catch N+1 queries on list pages.

``count_queries()`` records every statement sent to the database (SQLAlchemy's
``before_cursor_execute`` event on the app's engine) while its block runs.
``assert_no_n_plus_one(client, url, add_rows)`` loads a page, adds rows with ``add_rows(n)``,
loads it again and fails when the second load ran more statements: a list that queries once per
row grows with the rows, one that queries per page does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.core.identity import SYSTEM, acting_as
from app.extensions import db


@contextmanager
def count_queries(engine=None) -> Iterator[list[str]]:
    """The statements run inside the block (a list filled as they run)."""
    engine = engine or db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def rows_added_by(build: Callable[[], object]) -> Callable[[int], None]:
    """``add_rows`` for ``assert_no_n_plus_one``: ``build()`` n times as the system, committed."""
    def add(n: int) -> None:
        with acting_as(SYSTEM):
            for _ in range(n):
                build()
            db.session.commit()
    return add


def page_queries(client, url: str, **kwargs) -> tuple[list[str], str]:
    """The statements of one GET of ``url`` (which must answer 200), and the page."""
    with count_queries() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return statements, response.get_data(as_text=True)


def assert_no_n_plus_one(client, url: str, add_rows: Callable[[int], object], *, more: int = 3,
                         expect_text: Callable[[str], bool] | None = None, **kwargs) -> int:
    """``url`` runs as many statements after ``add_rows(more)`` as before; returns the count."""
    client.get(url, **kwargs)                      # warm-up: session, caches, first-use lookups
    before, _ = page_queries(client, url, **kwargs)
    add_rows(more)
    after, page = page_queries(client, url, **kwargs)
    assert expect_text is None or expect_text(page), f"{url}: the added rows are not listed"
    extra = [s for s in after if s not in before] or after[len(before):]
    assert len(after) == len(before), f"{url}: {len(before)} statements, {len(after)} with {more} more rows: {extra}"
    return len(after)
