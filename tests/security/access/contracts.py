"""Contracts: sales draft and manage them, finance reads them, customers and partners sign theirs
in the portal."""

from . import allow

SALES = ("admin", "project_manager")
STAFF = ("admin", "finance", "project_manager")
PORTAL = ("customer", "partner")

RULES = {
    **{name: allow(*SALES) for name in (
        "contracts.new", "contracts.edit", "contracts.amend", "contracts.renew", "contracts.terminate",
        "contracts.issue", "contracts.withdraw", "contracts.form_preview", "contracts.templates")},
    **{name: allow(*STAFF) for name in ("contracts.index", "contracts.detail", "contracts.preview")},
    "contracts.new_template": allow("admin"),
    "contracts.portal": allow(*PORTAL),
    "contracts.portal_detail": allow(*PORTAL),
    "contracts.document": allow(*STAFF, *PORTAL),
    "contracts.sign": allow(*SALES, *PORTAL),
    "contracts.verify": allow(*STAFF, *PORTAL),
}
