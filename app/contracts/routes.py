"""Contract pages for our staff: the list, a contract with its live settlement preview, and the
form to create or edit a draft (from scratch, from a concluded match, or a purchase side)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, request, url_for

from ..core.access import roles_required
from ..core.db import ConflictError
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState
from ..extensions import db
from . import bp, prefill, queries, services, signing
from .forms import ContractForm
from .lifecycle import amendments_of, purchases_of
from .models import Contract
from .validation import ContractInvalid

STAFF = ("admin", "project_manager", "finance")
EDITORS = ("admin", "project_manager")


def get_contract(contract_id: uuid.UUID) -> Contract:
    return db.session.get(Contract, contract_id) or abort(404)


@bp.get("/")
@roles_required(*STAFF)
def index():
    filters = queries.Filters.from_args(request.args)
    state = ListState.from_args(request.args, queries.SORTS, "end")
    page = queries.search(filters, state, date.today())
    return render("contracts/index.html", "results", page=page, filters=filters, state=state,
                  names=queries.related_names(page.items), counts=queries.counts(date.today()))


@bp.get("/<uuid:contract_id>")
@roles_required(*STAFF)
def detail(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    today = date.today()
    month = prefill.preview_month(contract, today)
    return render("contracts/detail.html", contract=contract, names=queries.related_names([contract]),
                  sale=queries.sale_of(contract), purchases=purchases_of(contract) if contract.is_sell else [],
                  amendments=amendments_of(contract), signatures=signing.signatures_of(contract),
                  renewal=queries.renewal_of(contract), warnings=services.warnings_for(contract),
                  preview=queries.preview(contract, *month, prefill.default_minutes(contract, *month)),
                  hours_text="", editable=contract.status == "DRAFT", can_edit=_can_edit())


@bp.get("/<uuid:contract_id>/preview")
@roles_required(*STAFF)
def preview(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    year, month = prefill.month_arg(request.args.get("month"), prefill.preview_month(contract, date.today()))
    minutes = queries.parse_hours(request.args.get("hours"))
    result = queries.preview(contract, year, month, minutes) if minutes is not None else None
    return render("contracts/preview_page.html", "preview", contract=contract, preview=result,
                  hours_text=request.args.get("hours", ""))


@bp.get("/preview")
@roles_required(*EDITORS)
def form_preview():
    """The live preview inside the form, from whatever has been typed so far."""
    terms, problem = prefill.terms_from_form(request.args)
    minutes = queries.parse_hours(request.args.get("preview_hours"))
    return render("contracts/_form_preview.html", terms=terms, problem=problem,
                  settlement=prefill.simulate(terms, minutes), minutes=minutes)


def _can_edit() -> bool:
    from ..core.identity import current_identity

    identity = current_identity()
    return identity is not None and identity.role in EDITORS


def _show_problems(form: ContractForm, error: ContractInvalid) -> None:
    for field, messages in error.by_field().items():
        target = getattr(form, field, None)
        (target.errors if target is not None else form.form_errors).extend(messages)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = prefill.contract_form(request.args)
    if form.validate_on_submit():
        try:
            contract = services.create_contract(form.values())
        except ContractInvalid as error:
            _show_problems(form, error)
        else:
            prefill.link_match(contract)
            flash(_l("契約 %(n)s を作成しました。", n=contract.contract_number), "success")
            return navigate(url_for("contracts.detail", contract_id=contract.id))
    return render("contracts/form.html", "form_block", form=form, contract=None,
                  status=422 if form.is_submitted() else 200)


@bp.route("/<uuid:contract_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(contract_id: uuid.UUID):
    contract = get_contract(contract_id)
    form = prefill.contract_form(request.args, contract=contract)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_contract(contract, form.values(), form.version.data)
        except ContractInvalid as error:
            _show_problems(form, error)
        except ConflictError:
            db.session.rollback()
            form.form_errors.append(str(_l(
                "この契約は他の人が先に更新しました。ページを再読み込みして最新の内容を確認してから、もう一度変更してください。")))
            status = 409
        else:
            flash(_l("契約を更新しました。"), "success")
            return navigate(url_for("contracts.detail", contract_id=contract.id))
    status = status if status != 200 else (422 if form.is_submitted() else 200)
    return render("contracts/form.html", "form_block", form=form, contract=contract, status=status)
