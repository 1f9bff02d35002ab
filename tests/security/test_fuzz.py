"""Every form and query parameter, fuzzed with hypothesis: wrong types, huge values, Unicode edge
cases, SQL and HTML payloads.  Whatever comes in: no 500, a refused request writes nothing, and
what was stored never comes back as live markup (no stored or reflected XSS).

``SES_FUZZ=full`` sweeps every payload and draws ten times more random examples (slow);
the default keeps the suite quick with one payload of each kind of trouble.

Forms are found by rendering each page as a role allowed to see it -- for a URL with an id, the
first record of ``tests.world`` that page shows -- and parsing its HTML.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from .access import ANONYMOUS, ROLES, all_rules
from .forms import CORE_PAYLOADS, HTML, PAYLOADS, Form, form_data, forms_in, query_data
from .helpers import (
    changed_tables,
    clients_for_every_role,
    fingerprint,
    has_uuid,
    routes,
    url_for_rule,
)

RULES = all_rules()
GET_ROUTES = routes(("GET",))
FULL = os.environ.get("SES_FUZZ") == "full"
SWEEP = PAYLOADS if FULL else CORE_PAYLOADS
FUZZ = settings(max_examples=40 if FULL else 4, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
NOT_FUZZED = ("/logout",)          # it only ends the session; tests/security/test_sessions.py
_seen_forms: set[tuple] = set()


def _id(route) -> str:
    return f"{route[1].rule} ({route[0]})"


def _who(endpoint: str) -> str:
    rule = RULES[endpoint]
    if rule.roles is None:
        return ANONYMOUS
    return "admin" if "admin" in rule.roles else sorted(rule.roles & set(ROLES))[0]


def _page_url(route, client, world) -> str | None:
    """The page's URL, with a record it shows when it needs one (None if none of the world's do)."""
    endpoint, rule, _ = route
    values = dict(RULES[endpoint].values)
    if not has_uuid(rule):
        url = url_for_rule(rule, values)      # a page that only redirects still takes parameters
        return url if client.get(url).status_code < 400 else None
    uuid_args = [a for a in rule.arguments if type(rule._converters[a]).__name__ == "UUIDConverter"]
    for candidate in {v for v in vars(world).values() if hasattr(v, "hex")}:
        url = url_for_rule(rule, values | {a: candidate for a in uuid_args})
        if client.get(url).status_code == 200:
            return url
    return None


def _no_live_markup(response, where: str) -> None:
    if response.mimetype not in ("text/html", "application/json", "text/plain"):
        return
    for payload in HTML[:3]:
        assert payload not in response.text, f"{where} echoes {payload!r} unescaped"


def _submit(form: Form, client, admin_engine, data: MultiDict) -> None:
    before = fingerprint(admin_engine)
    if form.method == "GET":
        response = client.get(form.action, query_string=data)
    else:
        response = client.open(form.action, method=form.method, data=data)
    shown = {k: (v[:40] + "...") if len(v) > 40 else v for k, v in data.items()}
    assert response.status_code < 500, f"{form.method} {form.action} {shown} -> {response.status_code}"
    if response.status_code >= 400:
        assert not changed_tables(before, fingerprint(admin_engine)), f"refused {form.action} {shown} wrote"
    _no_live_markup(response, f"{form.method} {form.action}")
    target = response.headers.get("HX-Redirect") or response.headers.get("Location")
    if target and target.startswith("/") and "logout" not in target:
        _no_live_markup(client.get(target), target)


def _fuzz_form(form: Form, client, admin_engine) -> None:
    """Each edge value in every field at once, then random mixes."""
    for payload in [*SWEEP, "あ" * 100_000]:
        _submit(form, client, admin_engine, MultiDict({name: payload for name in form.fields}))

    @FUZZ
    @given(values=form_data(form))
    def submit(values):
        _submit(form, client, admin_engine,
                MultiDict([(name, value) for name, vs in values.items() for value in vs]))

    submit()


@pytest.mark.parametrize("route", GET_ROUTES, ids=_id)
def test_forms_and_query_parameters(route, app, admin_engine, password_hash, login_as, client):
    endpoint = route[0]
    world, everyone = clients_for_every_role(app, admin_engine, password_hash, login_as, client)
    actor = everyone[_who(endpoint)]
    url = _page_url(route, actor, world)
    if url is None:
        pytest.skip(f"{endpoint}: no page to fuzz from (no record of tests.world shows on it)")

    page = actor.get(url)
    if page.mimetype != "text/html":     # a PDF or a download: one odd query is enough
        response = actor.get(url, query_string={"q": "' OR 1=1 --", "page": "-1", "year": "99999"})
        assert response.status_code < 500
        return
    for payload in SWEEP:
        response = actor.get(url, query_string={"q": payload, "page": payload, "sort": payload})
        assert response.status_code < 500, f"GET {url} ?q=page=sort={payload!r} -> {response.status_code}"

    @FUZZ
    @given(params=query_data(), htmx=st.booleans())
    def query(params, htmx):
        response = actor.get(url, query_string=params, htmx=htmx)
        assert response.status_code < 500, f"GET {url} {params} -> {response.status_code}"
        _no_live_markup(response, f"GET {url}")

    query()
    for form in forms_in(page.text, url):
        signature = (form.method, form.action.split("?")[0], tuple(sorted(form.fields)))
        if form.action.endswith(NOT_FUZZED) or signature in _seen_forms:
            continue
        _seen_forms.add(signature)
        _fuzz_form(form, actor, admin_engine)
