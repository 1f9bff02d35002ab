"""Lists with server-side sorting and pagination, driven by the query string.

``ListState.from_args(request.args, sorts, default)`` reads ``sort`` (a key of ``sorts``, "-"
prefix for descending) and ``page``; ``paginate(statement, state)`` runs one COUNT and one page
query (``count_limit`` caps the COUNT for very long lists: "1,000件以上").  Templates use ``macros/listing.html`` (``sort_header``, ``pagination``), which keep the
other filters in every link so a filtered, sorted page can be bookmarked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, literal, select

from ..extensions import db

PER_PAGE = 25


# ?page=10**20 would overflow PostgreSQL's OFFSET (a 500): no list has that many pages.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class ListState:
    sort: str
    descending: bool
    page: int
    per_page: int = PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str], sorts: Mapping[str, Any], default: str,
                  per_page: int = PER_PAGE) -> ListState:
        raw = args.get("sort") or default
        key = raw.removeprefix("-")
        if key not in sorts:
            raw, key = default, default.removeprefix("-")
        try:
            page = min(MAX_PAGE, max(1, int(args.get("page", 1))))
        except ValueError:
            page = 1
        return cls(sort=key, descending=raw.startswith("-"), page=page, per_page=per_page)

    def order_by(self, sorts: Mapping[str, Any]) -> list:
        columns = sorts[self.sort]
        columns = columns if isinstance(columns, tuple | list) else (columns,)
        return [c.desc().nulls_last() if self.descending else c.asc().nulls_last() for c in columns]


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    more: bool = False          # a capped count: there are more than ``total`` rows

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(statement: Select, state: ListState, sorts: Mapping[str, Any], *,
             scalars: bool = False, count_limit: int | None = None,
             count_statement: Select | None = None, total: int | None = None) -> Page:
    """One page of ``statement`` sorted as ``state`` says (pages past the end show the last).

    With ``count_limit`` the rows are counted only up to ``count_limit`` past the start of the
    requested page (a list of 67,000 invoices is not counted on every view): ``Page.more`` says
    there are more, and the pages known so far can be reached.  ``count_statement``: the same
    rows, cheaper to count (without the joins that only add display columns); ``total``: their
    number, when the caller has already counted them."""
    more = False
    if total is None:
        total, more = _count(statement if count_statement is None else count_statement, state, count_limit)
    pages = max(1, ceil(total / state.per_page))
    page = min(state.page, pages)
    ordered = statement.order_by(*state.order_by(sorts)).limit(state.per_page)
    ordered = ordered.offset((page - 1) * state.per_page)
    result = db.session.scalars(ordered) if scalars else db.session.execute(ordered)
    return Page(items=list(result), total=total, page=page, per_page=state.per_page, more=more)


def _count(statement: Select, state: ListState, count_limit: int | None) -> tuple[int, bool]:
    # The rows reduced to one column: a subquery of every column of an entity takes SQLAlchemy
    # about a millisecond to build, on every request (PostgreSQL drops the columns anyway).  The
    # statements listed are never DISTINCT, which one column would change.
    statement = statement.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    if count_limit is None:
        return db.session.scalar(select(func.count()).select_from(statement.subquery())), False
    window = (state.page - 1) * state.per_page + count_limit
    found = db.session.scalar(select(func.count()).select_from(statement.limit(window + 1).subquery()))
    return min(found, window), found > window
