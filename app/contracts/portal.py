"""Customers and partner companies: their own contracts in the portal, where they read the
document and sign it (row level security shows a customer its sell contracts only, a partner
its buy contracts only); and the administrators' contract templates."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, request, url_for
from sqlalchemy import select

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import bp, document, fields, signing
from .forms import SignForm, TemplateForm
from .models import Contract, ContractTemplate
from .routes import get_contract
from .validation import ContractInvalid

PORTAL = ("customer", "partner")


@bp.get("/portal")
@roles_required(*PORTAL)
def portal():
    contracts = list(db.session.scalars(select(Contract).where(Contract.status != "DRAFT").order_by(
        (Contract.status == "PENDING_APPROVAL").desc(), Contract.end_date.desc())))
    return render("contracts/portal.html", contracts=contracts)


@bp.get("/portal/<uuid:contract_id>")
@roles_required(*PORTAL)
def portal_detail(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    signatures = signing.signatures_of(contract)
    party = signing.PARTY_OF_ROLE[_role()]
    can_sign = contract.status == "PENDING_APPROVAL" and all(s.party != party for s in signatures)
    form = SignForm(data={"document_sha256": contract.document_sha256})
    return render("contracts/portal_detail.html", contract=contract, signatures=signatures,
                  can_sign=can_sign, form=form,
                  conditions=document.conditions(contract, document.placeholder_values(contract)))


def _role() -> str:
    from ..core.identity import current_identity

    return current_identity().role


# --- contract templates (administrators) ----------------------------------------------------

@bp.get("/templates")
@roles_required("admin", "project_manager")
def templates():
    rows = db.session.scalars(select(ContractTemplate).order_by(
        ContractTemplate.code, ContractTemplate.template_version.desc()))
    return render("contracts/templates.html", templates=list(rows), placeholders=document.PLACEHOLDERS)


@bp.route("/templates/new", methods=["GET", "POST"])
@roles_required("admin")
def new_template():
    form = TemplateForm(data=_template_data(request.args.get("from")) if request.method == "GET" else None)
    if form.validate_on_submit():
        start, errors = fields.convert({"start_date": form.effective_from.data})
        try:
            template = document.save_template(
                code=form.code.data, name=form.name.data, contract_type=form.contract_type.data,
                effective_from=None if errors else start.get("start_date"), body=form.body.data)
        except ContractInvalid as error:
            for field, messages in error.by_field().items():
                getattr(form, field).errors.extend(messages)
        else:
            flash(_l("テンプレート %(c)s v%(v)d を登録しました。", c=template.code, v=template.template_version), "success")
            return navigate(url_for("contracts.templates"))
    return render("contracts/template_form.html", "form_block", form=form, placeholders=document.PLACEHOLDERS,
                  status=422 if form.is_submitted() else 200)


def _template_data(base_id: str | None) -> dict:
    try:
        base = db.session.get(ContractTemplate, uuid.UUID(base_id)) if base_id else None
    except ValueError:
        base = None
    if base is None:
        return {"effective_from": date.today().isoformat()}
    return {"code": base.code, "name": base.name, "contract_type": base.contract_type,
            "effective_from": date.today().isoformat(), "body": base.body}
