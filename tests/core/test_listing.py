"""core.listing: a capped count reaches every page it knows of and says there are more."""

from __future__ import annotations

from sqlalchemy import column, func, select

from app.core.listing import ListState, paginate

NUMBERS = column("n")
SORTS = {"n": NUMBERS}


def numbers(count: int):
    return select(NUMBERS).select_from(func.generate_series(1, count).alias("n"))


def state(page: int, per_page: int = 10) -> ListState:
    return ListState(sort="n", descending=False, page=page, per_page=per_page)


def test_without_a_limit_every_row_is_counted(system):
    page = paginate(numbers(95), state(1), SORTS, scalars=True)
    assert (page.total, page.more, page.pages, page.items[:2]) == (95, False, 10, [1, 2])


def test_a_capped_count_stops_past_the_limit_and_says_there_are_more(system):
    page = paginate(numbers(95), state(1), SORTS, scalars=True, count_limit=30)
    assert (page.total, page.more, page.pages) == (30, True, 3)
    assert (page.first_index, page.last_index, page.items) == (1, 10, list(range(1, 11)))


def test_the_capped_window_moves_with_the_page(system):
    page = paginate(numbers(95), state(3), SORTS, scalars=True, count_limit=30)
    assert (page.total, page.more, page.pages, page.items[0]) == (50, True, 5, 21)


def test_a_list_within_the_limit_is_counted_exactly(system):
    page = paginate(numbers(30), state(1), SORTS, scalars=True, count_limit=30)
    assert (page.total, page.more, page.pages) == (30, False, 3)


def test_a_page_past_the_end_shows_the_last_page(system):
    page = paginate(numbers(95), state(50), SORTS, scalars=True, count_limit=30)
    assert (page.total, page.more, page.page, page.items) == (95, False, 10, list(range(91, 96)))
