"""Lost updates: two users open the same record's form and both save.  Whether one saves after
the other (a stale form) or both at the very same moment, exactly one wins, the other gets a
clear 409 message, and the winner's change is what the database holds.

The forms are read from the pages as a browser would (every field with its current value, the
hidden ``version`` included); each case names the page, the record and a text field to change.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from tests.security.forms import forms_in
from tests.world import build_world

CONFLICT = "他の人が先にこのデータを更新しました"
# (edit page, world attribute of the record, field to change, table, column)
CASES = [
    ("/projects/{}/edit", "p1", "title", "project_context.projects", "title"),
    ("/projects/customers/{}/edit", "c1", "name", "project_context.customers", "name"),
    ("/engineers/{}/edit", "e1", "full_name", "engineer_context.engineers", "full_name"),
]


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def _form(client, url: str) -> MultiDict:
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} -> {page.status_code}"
    form = next(f for f in forms_in(page.text, url) if f.method == "POST" and "version" in f.fields)
    return MultiDict(form.values)


def _stored(admin_engine, table: str, column: str, record_id) -> str:
    with admin_engine.connect() as conn:
        return conn.execute(text(f"SELECT {column} FROM {table} WHERE id = :id"), {"id": record_id}).scalar()


def _two_editors(login_as, world):
    return login_as("admin", user_id=world.admin), login_as("project_manager", user_id=world.pm1)


@pytest.mark.parametrize("page, record, field, table, column", CASES, ids=[c[0] for c in CASES])
def test_a_stale_form_is_refused_with_a_clear_message(page, record, field, table, column, world,
                                                     login_as, admin_engine):
    url = page.format(getattr(world, record))
    first, second = _two_editors(login_as, world)
    mine, theirs = _form(first, url), _form(second, url)
    mine[field], theirs[field] = "先に保存した値", "後から保存した値"
    assert first.post(url, data=mine, htmx=True).status_code in (200, 204, 303)
    response = second.post(url, data=theirs, htmx=True)
    assert response.status_code == 409
    assert CONFLICT in response.text
    assert _stored(admin_engine, table, column, getattr(world, record)) == "先に保存した値"


@pytest.mark.parametrize("page, record, field, table, column", CASES, ids=[c[0] for c in CASES])
def test_simultaneous_saves_one_wins(page, record, field, table, column, world, login_as, admin_engine):
    url = page.format(getattr(world, record))
    editors = _two_editors(login_as, world)
    forms = [_form(client, url) for client in editors]
    for n, form in enumerate(forms):
        form[field] = f"同時保存 {n}"
    start, statuses = threading.Barrier(2), [None, None]

    def save(n):
        start.wait()
        statuses[n] = editors[n].post(url, data=forms[n], htmx=True).status_code

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, status in enumerate(statuses) if status in (200, 204, 303)]
    assert len(winners) == 1 and 409 in statuses, statuses
    assert _stored(admin_engine, table, column, getattr(world, record)) == f"同時保存 {winners[0]}"
