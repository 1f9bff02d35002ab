"""Cases and customers: the sales staff's pages (finance reads cases through other areas)."""

from . import allow

SALES = ("admin", "project_manager")

RULES = {name: allow(*SALES) for name in (
    "projects.index", "projects.new", "projects.detail", "projects.edit", "projects.change_status",
    "projects.add_requirement", "projects.edit_requirement", "projects.update_requirement",
    "projects.remove_requirement", "projects.add_phase", "projects.add_milestone",
    "projects.milestone_status", "projects.remove_plan_item", "projects.export_projects",
    "projects.import_projects", "projects.customers_index", "projects.new_customer", "projects.customer_detail",
    "projects.edit_customer", "projects.save_contact", "projects.edit_contact", "projects.remove_contact",
    "projects.export_customers", "projects.import_customers")}
