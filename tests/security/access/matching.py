"""Matching: the sales staff's workspace; the scoring weights are the administrators'."""

from . import allow

RULES = {
    **{name: allow("admin", "project_manager") for name in (
        "matching.index", "matching.detail", "matching.edit_request",
        "matching.regenerate", "matching.close", "matching.move")},
    "matching.weights": allow("admin"),
    # a request is opened from a case (?project_id=...): without one there is nothing to open
    "matching.new_request": allow("admin", "project_manager", get=404),
}
