"""Full page or fragment: one URL per view, the route names the fragment.

A request gets a fragment only when htmx asks for one: ``HX-Request: true`` without
``HX-Boosted`` and without ``HX-History-Restore-Request`` (a history restore needs the whole
page).  Every response says ``Vary: HX-Request`` so caches keep the two apart.
"""

from __future__ import annotations

from flask import Response, make_response, redirect, request
from flask import render_template as _render_template
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render ``template``; for an htmx fragment request render only its ``block``."""
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = _render_template(template, **context)
    return make_response(body, status)


def render_fragment(template: str, status: int = 200, **context) -> Response:
    """A template that is a fragment itself (``_form.html``), e.g. a 422 form with errors."""
    return make_response(_render_template(template, **context), status)


def navigate(url: str) -> Response:
    """After a POST that moves the user elsewhere: HX-Redirect for htmx, 303 otherwise."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def add_vary_header(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response
