"""Billing: finance runs invoices, payments and purchases; customers and partners read theirs in
the portal; sales import contracts and approved hours from spreadsheets."""

from . import allow

FINANCE = ("admin", "finance")

RULES = {
    **{name: allow(*FINANCE) for name in (
        "billing.index", "billing.detail", "billing.add_payment", "billing.correct", "billing.use_credit",
        "billing.new_extra", "billing.delete_extra", "billing.exports", "billing.invoice_pdf",
        "billing.purchases", "billing.purchase_detail", "billing.purchase_pdf", "billing.pay_partner",
        "billing.receivables", "billing.runs", "billing.run_detail", "billing.start", "billing.settings",
        "billing.reverse", "billing.correct_statement")},
    **{name: allow("admin", "project_manager") for name in (
        "billing.import_contracts", "billing.import_hours", "billing.import_template")},
    **{name: allow("customer") for name in ("billing.portal", "billing.portal_invoice", "billing.portal_pdf")},
    # a month's PDFs as a ZIP: without ?year=&month= the request is refused as incomplete
    "billing.month_zip": allow(*FINANCE, get=400),
    "billing.portal_zip": allow("customer", get=400),
    **{name: allow("partner") for name in ("billing.partner_portal", "billing.partner_pdf")},
}
