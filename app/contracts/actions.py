"""What happens to a contract after it is drafted: signature request and signing, the document
and its verification, amendments, renewal and termination."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.pdf import pdf_response
from . import bp, fields, lifecycle, signing
from .forms import AmendmentForm, SignForm, TerminateForm
from .routes import EDITORS, STAFF, get_contract
from .terms import TERM_FIELDS
from .validation import ContractInvalid

SIGNERS = ("admin", "project_manager", "customer", "partner")


def _back(contract_id: uuid.UUID, message, category: str = "success"):
    flash(message, category)
    if current_identity().role in ("customer", "partner"):
        return navigate(url_for("contracts.portal_detail", contract_id=contract_id))
    return navigate(url_for("contracts.detail", contract_id=contract_id))


@bp.post("/<uuid:contract_id>/issue")
@roles_required(*EDITORS)
def issue(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    try:
        signing.issue_for_signature(contract, request.form.get("version"))
    except ContractInvalid as error:
        return _back(contract_id, error.message, "danger")
    return _back(contract_id, _l("契約書を作成し、署名依頼を出しました。"))


@bp.post("/<uuid:contract_id>/withdraw")
@roles_required(*EDITORS)
def withdraw(contract_id: uuid.UUID):
    try:
        signing.withdraw(get_contract(contract_id), request.form.get("version"))
    except ContractInvalid as error:
        return _back(contract_id, error.message, "danger")
    return _back(contract_id, _l("署名依頼を取り下げ、下書きに戻しました。"))


@bp.post("/<uuid:contract_id>/sign")
@roles_required(*SIGNERS)
def sign(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _back(contract_id, _l("署名できませんでした。ページを再読み込みしてください。"), "danger")
    signer = signing.Signer(name=current_identity().display_name, title=form.signer_title.data,
                            ip_address=request.remote_addr, user_agent=request.user_agent.string)
    try:
        signing.sign(contract, form.document_sha256.data or "", signer)
    except ContractInvalid as error:
        return _back(contract_id, error.message, "danger")
    done = contract.status == "CONCLUDED"
    return _back(contract_id, _l("署名しました。すべての当事者が署名し、契約が締結されました。") if done
                 else _l("署名しました。相手方の署名をお待ちください。"))


@bp.get("/<uuid:contract_id>/document.pdf")
@roles_required(*STAFF, "customer", "partner")
def document(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    if contract.document_pdf is None:
        data = signing.render_document(contract)      # a draft: a preview, never stored
        return pdf_response(data, f"{contract.contract_number}_下書き.pdf")
    return pdf_response(contract.document_pdf, f"{contract.contract_number}.pdf")


@bp.post("/<uuid:contract_id>/verify")
@roles_required(*STAFF, "customer", "partner")
def verify(contract_id: uuid.UUID):
    """Check the stored document, or a copy the user uploads, against the signed hash."""
    contract = get_contract(contract_id)
    upload = request.files.get("document")
    data = upload.read() if upload and upload.filename else None
    result = signing.verify(contract, data)
    return render("contracts/verification_page.html", "verification", contract=contract, result=result,
                  uploaded=data is not None)


@bp.post("/<uuid:contract_id>/renew")
@roles_required(*EDITORS)
def renew(contract_id: uuid.UUID):
    try:
        renewal = lifecycle.renew_contract(get_contract(contract_id))
    except ContractInvalid as error:
        return _back(contract_id, error.message, "danger")
    flash(_l("更新契約 %(n)s を下書きで作成しました。内容を確認して署名依頼してください。", n=renewal.contract_number), "success")
    return navigate(url_for("contracts.detail", contract_id=renewal.id))


@bp.route("/<uuid:contract_id>/terminate", methods=["GET", "POST"])
@roles_required(*EDITORS)
def terminate(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    form = TerminateForm(data={"version": str(contract.version)} if request.method == "GET" else None)
    if form.validate_on_submit():
        terminated_on, errors = fields.convert({"start_date": form.terminated_on.data})
        try:
            lifecycle.terminate_contract(contract, terminated_on=None if errors else terminated_on.get("start_date"),
                                         reason=form.reason.data, seen_version=form.version.data)
        except ContractInvalid as error:
            _show(form, error, {"status": "terminated_on"})
        else:
            return _back(contract_id, _l("契約を解約しました。"))
    return render("contracts/terminate.html", "form_block", form=form, contract=contract,
                  status=422 if form.is_submitted() else 200)


def _show(form, error: ContractInvalid, aliases: dict | None = None) -> None:
    for field, messages in error.by_field().items():
        target = getattr(form, (aliases or {}).get(field, field), None)
        (target.errors if target is not None else form.form_errors).extend(messages)


@bp.route("/<uuid:contract_id>/amendments/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def amend(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    form = _amendment_form(contract)
    if form.validate_on_submit():
        try:
            lifecycle.amend_contract(contract, effective_from=_month_start(form.effective_from.data),
                                     reason=form.reason.data, values=form.term_values())
        except ContractInvalid as error:
            _show(form, error)
        else:
            return _back(contract_id, _l("契約変更を登録しました。適用開始月以降の精算に反映されます。"))
    return render("contracts/amend.html", "form_block", form=form, contract=contract,
                  status=422 if form.is_submitted() else 200)


def _amendment_form(contract) -> AmendmentForm:
    if request.method == "POST":
        return AmendmentForm()
    today = date.today()
    year, month = (today.year + (today.month == 12), today.month % 12 + 1)
    current = lifecycle.terms_at(contract, year, month)
    data = {k: "" if current.get(k) is None else str(current[k]) for k in TERM_FIELDS}
    return AmendmentForm(data=data | {"effective_from": f"{year:04d}-{month:02d}"})


def _month_start(value: str | None) -> date | None:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None

