"""顧客企業 (customers) and their contacts: list, detail, create/edit in place."""

from __future__ import annotations

import uuid

from flask import abort, request, url_for
from sqlalchemy import select

from ..core.access import roles_required
from ..core.htmx import render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState
from ..extensions import db
from . import bp, customers, queries
from .forms import ContactForm, CustomerForm
from .models import Customer, CustomerContact, Project
from .services import ProjectError
from .web import STAFF, field_error, form_values, get_or_404, submit, submitted_status


@bp.get("/customers")
@roles_required(*STAFF)
def customers_index():
    q = (request.args.get("q") or "").strip()[:100]
    state = ListState.from_args(request.args, queries.CUSTOMER_SORTS, "code")
    return render("projects/customers/index.html", "results", q=q, state=state,
                  page=queries.search_customers(q, state))


@bp.route("/customers/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_customer():
    return _save_customer(None)


@bp.route("/customers/<uuid:customer_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_customer(customer_id: uuid.UUID):
    return _save_customer(get_or_404(Customer, customer_id))


def _save_customer(customer: Customer | None):
    form = CustomerForm(obj=customer)
    return (submit(form, lambda: customers.save_customer(customer, form.version.data, **form_values(form)),
                   ProjectError, _l("顧客企業を保存しました。"),
                   lambda saved: url_for("projects.customer_detail", customer_id=saved.id))
            or render("projects/customers/form.html", "form_block", form=form, customer=customer,
                      status=submitted_status(form)))


@bp.get("/customers/<uuid:customer_id>")
@roles_required(*STAFF)
def customer_detail(customer_id: uuid.UUID):
    customer = get_or_404(Customer, customer_id)
    return render("projects/customers/detail.html", "contacts_block", **_customer_context(customer))


def _customer_context(customer: Customer, contact_form: ContactForm | None = None, editing=None) -> dict:
    projects = db.session.scalars(select(Project).where(Project.customer_id == customer.id)
                                  .order_by(Project.start_date.desc().nulls_last()))
    return dict(customer=customer, contacts=queries.customer_contacts(customer.id), projects=list(projects),
                contact_form=contact_form or ContactForm(formdata=None), editing=editing)


@bp.post("/customers/<uuid:customer_id>/contacts")
@bp.post("/customers/<uuid:customer_id>/contacts/<uuid:contact_id>")
@roles_required(*STAFF)
def save_contact(customer_id: uuid.UUID, contact_id: uuid.UUID | None = None):
    customer = get_or_404(Customer, customer_id)
    contact = get_or_404(CustomerContact, contact_id) if contact_id else None
    form = ContactForm()
    if form.validate_on_submit():
        try:
            customers.save_contact(customer, contact, form.version.data, **form_values(form))
        except ProjectError as error:
            field_error(form, error)
        except LookupError:
            abort(404)
        else:
            return render("projects/customers/detail.html", "contacts_block", **_customer_context(customer))
    return render("projects/customers/detail.html", "contacts_block", status=422,
                  **_customer_context(customer, form, editing=contact))


@bp.get("/customers/<uuid:customer_id>/contacts/<uuid:contact_id>/edit")
@roles_required(*STAFF)
def edit_contact(customer_id: uuid.UUID, contact_id: uuid.UUID):
    customer = get_or_404(Customer, customer_id)
    contact = get_or_404(CustomerContact, contact_id)
    return render("projects/customers/detail.html", "contacts_block",
                  **_customer_context(customer, ContactForm(obj=contact), editing=contact))


@bp.post("/customers/<uuid:customer_id>/contacts/<uuid:contact_id>/delete")
@roles_required(*STAFF)
def remove_contact(customer_id: uuid.UUID, contact_id: uuid.UUID):
    customer = get_or_404(Customer, customer_id)
    try:
        customers.remove_contact(customer, contact_id)
    except LookupError:
        abort(404)
    return render("projects/customers/detail.html", "contacts_block", **_customer_context(customer))
