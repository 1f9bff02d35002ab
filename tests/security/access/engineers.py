"""The engineer pool and partner companies; an engineer maintains their own profile."""

from . import allow

SALES = ("admin", "project_manager")
WITH_SELF = ("admin", "project_manager", "engineer")

RULES = {
    **{name: allow(*SALES) for name in (
        "engineers.index", "engineers.available", "engineers.new", "engineers.export_engineers",
        "engineers.import_engineers", "engineers.partners", "engineers.new_partner", "engineers.partner_detail",
        "engineers.edit_partner", "engineers.export_partners", "engineers.import_partners")},
    **{name: allow(*WITH_SELF) for name in (
        "engineers.detail", "engineers.edit", "engineers.add_record", "engineers.remove_record",
        "engineers.skill_sheet")},
    "engineers.me": allow("engineer", get=302),     # to their own profile
}
