"""Issuer settings (our company) and the accounting exports."""

from __future__ import annotations

from flask import Response, flash, request, url_for

from ..core import tabular as t
from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from . import bp
from .exports import export
from .forms import EXPORT_FORMATS, ExportForm, IssuerForm
from .imports import CONTRACT_COLUMNS, CONTRACT_IMPORT, HOURS_COLUMNS, HOURS_IMPORT
from .issue import BillingError
from .labels import template_labels
from .settings import FIELDS, current_issuer, save_issuer
from .web import FINANCE, field_error, status_for


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(*FINANCE)
def settings():
    issuer = current_issuer()
    form = IssuerForm(obj=issuer)
    if form.validate_on_submit():
        upload = request.files.get("seal")
        seal = upload.read() if upload and upload.filename else None
        try:
            save_issuer({f: getattr(form, f).data for f in FIELDS}, seal=seal,
                        remove_seal=form.remove_seal.data, seen_version=form.version.data)
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("請求元の情報を保存しました。発行済みの請求書は発行時の内容のままです。"), "success")
            return navigate(url_for("billing.settings"))
    return render("billing/settings.html", "form_block", form=form, issuer=issuer, status=status_for(form),
                  **template_labels())


@bp.get("/exports")
@roles_required(*FINANCE)
def exports():
    form = ExportForm(request.args) if request.args else ExportForm(formdata=None)
    if request.args and form.validate():
        data, name = export(form.format.data, *form.month.data, encoding=form.encoding.data)
        charset = "utf-8" if form.encoding.data == "utf-8" else "shift_jis"
        response = Response(data, mimetype=f"text/csv; charset={charset}")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render("billing/exports.html", form=form, formats=EXPORT_FORMATS,
                  status=422 if request.args else 200)


# --- migration: contracts and approved monthly hours from spreadsheets -------------------------

IMPORTERS = ("admin", "project_manager")


@bp.route("/import/contracts", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def import_contracts():
    return t.import_view(CONTRACT_IMPORT, done_url=url_for("billing.import_contracts"),
                         template_url=url_for("billing.import_template", name="contracts"))


@bp.route("/import/hours", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def import_hours():
    return t.import_view(HOURS_IMPORT, done_url=url_for("billing.import_hours"),
                         template_url=url_for("billing.import_template", name="hours"))


@bp.get("/import/<any(contracts, hours):name>/template.xlsx")
@roles_required(*IMPORTERS)
def import_template(name: str):
    columns = CONTRACT_COLUMNS if name == "contracts" else HOURS_COLUMNS
    return t.export_response(columns, [], "xlsx", "契約" if name == "contracts" else "月次稼働")
