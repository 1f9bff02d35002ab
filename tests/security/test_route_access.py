"""The access matrix: every route of ``app.url_map`` x every role and anonymous, checked
against the declarations in ``tests/security/access/`` (see there for the rules)."""

from __future__ import annotations

import re

import pytest

from .access import ANONYMOUS, ROLES, all_rules
from .helpers import (
    ROUTE_APP,
    UNSAFE,
    changed_tables,
    clients_for_every_role,
    fingerprint,
    has_uuid,
    routes,
    url_for_rule,
)

RULES = all_rules()
GET_ROUTES = routes(("GET",))
UNSAFE_ROUTES = routes(UNSAFE)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|\shx-on[:-]|javascript:", re.I)
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Strict-Transport-Security",
                    "Referrer-Policy", "X-Frame-Options")


def _id(route) -> str:
    endpoint, rule, method = route
    return f"{method} {rule.rule} ({endpoint})"


@pytest.fixture
def everyone(app, admin_engine, password_hash, login_as, client):
    return clients_for_every_role(app, admin_engine, password_hash, login_as, client)[1]


def test_every_route_is_declared():
    endpoints = {rule.endpoint for rule in ROUTE_APP.url_map.iter_rules()} - {"static"}
    undeclared = sorted(endpoints - set(RULES))
    stale = sorted(set(RULES) - endpoints)
    assert not undeclared, f"declare who may use these routes in tests/security/access/: {undeclared}"
    assert not stale, f"declared routes that no longer exist: {stale}"


def test_route_guards_agree_with_the_declarations():
    for rule in ROUTE_APP.url_map.iter_rules():
        view = ROUTE_APP.view_functions[rule.endpoint]
        guarded = getattr(view, "allowed_roles", None)
        if guarded is not None and rule.endpoint in RULES:
            assert RULES[rule.endpoint].roles == guarded, rule.endpoint


@pytest.mark.parametrize("route", GET_ROUTES, ids=_id)
def test_get(route, everyone):
    endpoint, rule, _ = route
    declared = RULES[endpoint]
    url = url_for_rule(rule, declared.values)
    for who in (*ROLES, ANONYMOUS):
        response = everyone[who].get(url)
        expected = declared.expected_get(who, has_uuid(rule))
        assert response.status_code in expected, f"{who}: GET {url} -> {response.status_code}, expected {set(expected)}"
        for header in SECURITY_HEADERS:
            assert header in response.headers, f"{who}: GET {url} lacks {header}"
        assert response.headers.get("Cache-Control") == "no-store", f"{who}: GET {url} may be cached"
        if response.status_code == 302 and who == ANONYMOUS:
            assert "/login" in response.headers["Location"]
        if response.mimetype == "text/html":
            inline = INLINE.search(response.text)
            assert inline is None, f"{who}: GET {url} has inline script/style the CSP refuses: {inline.group(0)}"
    if declared.roles is not None:
        response = everyone[ANONYMOUS].get(url, htmx=True)
        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize("route", UNSAFE_ROUTES, ids=_id)
def test_unsafe_methods(route, everyone, admin_engine):
    endpoint, rule, method = route
    declared = RULES[endpoint]
    url = url_for_rule(rule, declared.values)
    for who in (*ROLES, ANONYMOUS):
        before = fingerprint(admin_engine)
        response = everyone[who].open(url, method=method, data={})
        status = response.status_code
        if who == ANONYMOUS and declared.roles is not None:
            assert status == 302 and "/login" in response.headers["Location"], f"anonymous {method} {url} -> {status}"
        elif not declared.allows(who):
            assert status == 403, f"{who}: {method} {url} -> {status}, expected 403"
        else:
            assert status in declared.post, f"{who}: {method} {url} -> {status}, expected {set(declared.post)}"
        if status >= 400:
            assert not changed_tables(before, fingerprint(admin_engine)), f"{who}: refused {method} {url} wrote"


@pytest.mark.parametrize("route", UNSAFE_ROUTES, ids=_id)
def test_unsafe_methods_need_the_csrf_token(route, everyone, admin_engine):
    endpoint, rule, method = route
    declared = RULES[endpoint]
    url = url_for_rule(rule, declared.values)
    for who in (*ROLES, ANONYMOUS):
        before = fingerprint(admin_engine)
        response = everyone[who].open(url, method=method, data={}, csrf=False)
        assert response.status_code == 400, f"{who}: {method} {url} without CSRF -> {response.status_code}"
        assert not changed_tables(before, fingerprint(admin_engine))
