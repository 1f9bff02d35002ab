"""Who may use which route: one declaration per endpoint, one module per area.

``tests/security/test_route_access.py`` discovers every route from ``app.url_map`` and fails
for a route nobody declared here, so an area adding a route also says who may use it.  Add a
module named after the blueprint (``projects.py`` for ``projects.*`` endpoints) with a
``RULES`` dict, e.g.::

    RULES = {
        "projects.index": allow("admin", "project_manager", "finance"),
        "projects.detail": allow("admin", "project_manager", "finance", "customer"),   # 404 for a random id
        "projects.edit": allow("admin", "project_manager", get=404),
        "projects.export": allow("admin", values={"year": 2026}),
    }

The checks derived from a rule:

* anonymous: a public route answers (``get``); any other sends a full page to the login page
  (302) and an htmx request gets 401 with ``HX-Redirect``;
* a logged-in role not in ``roles``: 403 -- whether the guard or the database refuses;
* an allowed role: GET answers ``get`` (200; 404 when the URL has a uuid, which is a random id
  nobody can see); an unsafe method with an empty form is handled -- one of ``post`` -- never
  401/403/5xx; without the CSRF token it is refused with 400, and nothing is written.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

ROLES = ("admin", "project_manager", "engineer", "customer", "finance", "partner")
ANONYMOUS = "anonymous"
# An allowed request with an empty or nonsensical form: refused as bad input, not found,
# a conflict, or done (a redirect, an htmx 204) -- never unauthorised and never a crash.
HANDLED = frozenset({200, 204, 303, 400, 404, 409, 422})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] | None            # None: public, no login needed
    get: int | frozenset[int] | None = None  # GET by an allowed role (None: 200, or 404 with a uuid)
    post: frozenset[int] = HANDLED          # unsafe methods by an allowed role, empty form
    values: dict = field(default_factory=dict)      # URL values instead of the generated ones
    overrides: dict = field(default_factory=dict)   # who -> GET status, for exceptions

    def allows(self, who: str) -> bool:
        return self.roles is None or who in self.roles

    def expected_get(self, who: str, has_uuid: bool) -> frozenset[int]:
        if who in self.overrides:
            expected = self.overrides[who]
        elif who == ANONYMOUS and self.roles is not None:
            expected = 302
        elif not self.allows(who):
            expected = 403
        else:
            expected = self.get if self.get is not None else (404 if has_uuid else 200)
        return expected if isinstance(expected, frozenset) else frozenset({expected})


def _statuses(value):
    return frozenset(value) if isinstance(value, set | frozenset | tuple | list) else value


def allow(*roles: str, get=None, post=HANDLED, values=None, overrides=None) -> Rule:
    """``get``/``post``/``overrides`` values are a status or a set of acceptable statuses."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return Rule(frozenset(roles), _statuses(get), frozenset(post), dict(values or {}),
                {who: _statuses(v) for who, v in (overrides or {}).items()})


def logged_in(**kwargs) -> Rule:
    """Any logged-in user, whatever the role."""
    return allow(*ROLES, **kwargs)


def public(get=200, post=HANDLED, values=None, overrides=None) -> Rule:
    return Rule(None, _statuses(get), frozenset(post), dict(values or {}),
                {who: _statuses(v) for who, v in (overrides or {}).items()})


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in pkgutil.iter_modules(__path__):
        declared = importlib.import_module(f"{__name__}.{module.name}").RULES
        clash = set(rules) & set(declared)
        assert not clash, f"declared twice: {clash}"
        rules.update(declared)
    return rules
