"""Matching requests: list, create from a case, ranked candidates with explained scores, pipeline."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState
from ..projects.fields import select_choices, uuid_or_none
from ..projects.models import Project
from ..projects.web import STAFF, form_values, get_or_404, submit, submitted_status
from . import bp, queries, services
from .forms import CloseForm, MoveForm, RequestForm
from .labels import PIPELINE_STATUS, PIPELINE_TRANSITIONS
from .models import MatchingCandidate, MatchingRequest


@bp.get("/")
@roles_required(*STAFF)
def index():
    q, status = (request.args.get("q") or "").strip()[:100], request.args.get("status", "OPEN")
    project_id = uuid_or_none(request.args.get("project_id"))
    state = ListState.from_args(request.args, queries.REQUEST_SORTS, "-created")
    return render("matching/index.html", "results", q=q, status_filter=status, state=state,
                  page=queries.search_requests(q, status, project_id, state))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_request():
    project_id = uuid_or_none(request.args.get("project_id"))
    if project_id is None:
        abort(404)
    project = get_or_404(Project, project_id)
    form = RequestForm(data=services.request_defaults(project)) if request.method == "GET" else RequestForm()
    return (submit(form, lambda: services.create_request(project, **form_values(form)), services.MatchingError,
                   _l("マッチング依頼を作成し、候補者を抽出しました。"),
                   lambda matching: url_for("matching.detail", request_id=matching.id))
            or render("matching/form.html", "form_block", form=form, project=project, matching=None,
                      status=submitted_status(form)))


@bp.route("/<uuid:request_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_request(request_id: uuid.UUID):
    matching = get_or_404(MatchingRequest, request_id)
    project = get_or_404(Project, matching.project_id)
    form = RequestForm(obj=matching) if request.method == "GET" else RequestForm()
    if request.method == "GET":
        form.required_skills.data = [(s["name"], s.get("min_years")) for s in matching.required_skills]
        form.preferred_skills.data = [(s["name"], s.get("min_years")) for s in matching.preferred_skills]
    return (submit(form, lambda: services.update_request(matching, form.version.data, **form_values(form)),
                   services.MatchingError, _l("条件を更新し、候補者を再抽出しました。"),
                   lambda _: url_for("matching.detail", request_id=matching.id))
            or render("matching/form.html", "form_block", form=form, project=project, matching=matching,
                      status=submitted_status(form)))


@bp.get("/<uuid:request_id>")
@roles_required(*STAFF)
def detail(request_id: uuid.UUID):
    matching = get_or_404(MatchingRequest, request_id)
    return render("matching/detail.html", "candidates_block", **_detail_context(matching))


def _detail_context(matching: MatchingRequest, notice: dict | None = None, errors: dict | None = None) -> dict:
    rows = queries.candidates_of(matching.id)
    engineer_ids = [row.MatchingCandidate.engineer_id for row in rows]
    return dict(matching=matching, project=get_or_404(Project, matching.project_id), rows=rows,
                results=queries.results_of(matching.id), notice=notice, errors=errors or {},
                parallel=services.parallel_proposals(engineer_ids, matching.id),
                transitions=PIPELINE_TRANSITIONS, close_form=CloseForm(formdata=None, version=matching.version),
                can_draft_contract=_has_endpoint("contracts.new"))


def _has_endpoint(endpoint: str) -> bool:
    return any(rule.endpoint == endpoint for rule in current_app.url_map.iter_rules())


@bp.post("/<uuid:request_id>/generate")
@roles_required(*STAFF)
def regenerate(request_id: uuid.UUID):
    matching = get_or_404(MatchingRequest, request_id)
    try:
        count = services.regenerate(matching)
    except services.MatchingError as error:
        return render("matching/detail.html", "candidates_block", status=422,
                      **_detail_context(matching, errors={None: error.message}))
    notice = {"kind": "info", "text": str(_l("候補者を再抽出しました（%(n)d名）。", n=count))}
    return render("matching/detail.html", "candidates_block", **_detail_context(matching, notice))


@bp.post("/candidates/<uuid:candidate_id>/move")
@roles_required(*STAFF)
def move(candidate_id: uuid.UUID):
    candidate = get_or_404(MatchingCandidate, candidate_id)
    matching = get_or_404(MatchingRequest, candidate.matching_request_id)
    form = MoveForm()
    form.status.choices = select_choices((s, PIPELINE_STATUS[s]) for s in PIPELINE_TRANSITIONS[candidate.pipeline_status])
    if not form.validate_on_submit():
        return _move_failed(matching, candidate, "；".join(e for errors in form.errors.values() for e in errors))
    try:
        result = services.move_candidate(candidate, form.status.data, form.version.data, form.note.data,
                                         form.interview_at.data)
    except services.MatchingError as error:
        return _move_failed(matching, candidate, error.message)
    return render("matching/detail.html", "candidates_block",
                  **_detail_context(matching, _move_notice(matching, candidate, result)))


def _move_failed(matching, candidate, message: str):
    return render("matching/detail.html", "candidates_block", status=422,
                  **_detail_context(matching, errors={candidate.id: message}))


def _move_notice(matching: MatchingRequest, candidate: MatchingCandidate, result) -> dict:
    status = candidate.pipeline_status
    notice = {"kind": "success", "text": str(_l("「%(s)s」にしました。", s=PIPELINE_STATUS[status]))}
    if status == "CONCLUDED" and result is not None:
        notice["text"] = str(_l("成約しました。契約書の作成に進めます。"))
        if _has_endpoint("contracts.new"):
            notice["link"] = url_for("contracts.new", matching_result_id=result.id)
    elif status == "PROPOSED":
        others = services.parallel_proposals([candidate.engineer_id], matching.id).get(candidate.engineer_id)
        if others:
            notice = {"kind": "warning", "text": str(_l(
                "提案しました。この技術者は他の%(n)d件の依頼でも提案・面談中です（並行営業）。", n=others))}
    return notice


@bp.post("/<uuid:request_id>/close")
@roles_required(*STAFF)
def close(request_id: uuid.UUID):
    matching = get_or_404(MatchingRequest, request_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close_request(matching, form.status.data, form.version.data)
        except services.MatchingError as error:
            flash(error.message, "danger")
    return navigate(url_for("matching.detail", request_id=matching.id))
