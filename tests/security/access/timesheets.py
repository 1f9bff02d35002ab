"""Timesheets: engineers fill their months; partners, managers and customers confirm in turn;
finance reads.  Which months each one sees, row level security decides (404 otherwise)."""

from . import ROLES, allow

RULES = {
    **{name: allow(*ROLES) for name in ("timesheets.sheet", "timesheets.decide", "timesheets.work_report")},
    # the list sends each role to its own queue; after a decision, on to the next month to decide
    "timesheets.index": allow(*ROLES, get=302),
    "timesheets.after_decision": allow(*ROLES, get=302),
    # GET goes to the month's sheet, offers to create it, or (a contract nobody can see) goes
    # back to the list with a message; only the POST creates the sheet
    "timesheets.open_month": allow("admin", "engineer", "project_manager", get=302),
    "timesheets.create_month": allow("admin", "engineer", "project_manager"),
    **{name: allow("admin", "engineer", "project_manager") for name in (
        "timesheets.save_day", "timesheets.copy_pattern")},
    **{name: allow("admin", "finance", "project_manager") for name in (
        "timesheets.staff_list", "timesheets.adjustment_list", "timesheets.reminders")},
    **{name: allow("admin", "project_manager") for name in (
        "timesheets.new_adjustment", "timesheets.decide_adjustment")},
    # to this month's sheet when it exists, else the month's contracts with a button to create it
    "timesheets.mine": allow("engineer", get=frozenset({200, 302})),
    "timesheets.customer_queue": allow("customer"),
    "timesheets.partner_queue": allow("partner"),
}
