"""Navigation per role.  Each context registers its menu entries in its package __init__;
the layout shows a user the entries of their role whose endpoints exist."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from .identity import current_identity


@dataclass(frozen=True)
class NavItem:
    label: object          # a lazy string
    endpoint: str
    roles: frozenset[str]
    order: int = 100


_items: list[NavItem] = []


def register(label, endpoint: str, roles: set[str] | frozenset[str], order: int = 100) -> None:
    if any(item.endpoint == endpoint for item in _items):
        return
    _items.append(NavItem(label, endpoint, frozenset(roles), order))


def items_for(role: str | None) -> list[NavItem]:
    if role is None:
        return []
    endpoints = current_app.view_functions
    return sorted((i for i in _items if role in i.roles and i.endpoint in endpoints),
                  key=lambda i: i.order)


def active_endpoint(items: list[NavItem]) -> str | None:
    """The menu entry the current page belongs to: the longest URL prefix of the path."""
    from flask import has_request_context, request, url_for

    if not has_request_context():      # a PDF rendered by a job or the CLI has no current page
        return None
    best, best_length = None, 0
    for item in items:
        url = url_for(item.endpoint).rstrip("/")
        if (request.path == url or request.path.startswith(url + "/")) and len(url) > best_length:
            best, best_length = item.endpoint, len(url)
    return best


def home_endpoint() -> str | None:
    identity = current_identity()
    items = items_for(identity.role if identity else None)
    return items[0].endpoint if items else None
