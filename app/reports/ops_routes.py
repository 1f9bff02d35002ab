"""運用 (operations) for administrators: monitoring, materialized views, archive, partitions,
KPI snapshots and the job queue."""

from __future__ import annotations

from datetime import date

from flask import flash, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from . import bp, operations
from .forms import ArchiveForm, SnapshotForm
from .generation import ReportError, parse_month
from .kpis import last_snapshot_at

admin_only = roles_required("admin")


def _page(archive_form=None, snapshot_form=None, archive_result=None, status=200, block=None):
    return render("reports/operations.html", block=block, monitoring=operations.monitoring(),
                  views=operations.view_status(),
                  partitions=operations.partition_summary(operations.partitions()),
                  queue=operations.job_queue(), last_snapshot=last_snapshot_at(),
                  archive_form=archive_form or ArchiveForm(),
                  snapshot_form=snapshot_form or SnapshotForm(), archive_result=archive_result,
                  status=status)


@bp.get("/operations")
@admin_only
def operations_page():
    return _page()


@bp.post("/operations/refresh")
@admin_only
def refresh_views():
    operations.refresh_views()
    flash(_l("マテリアライズドビューを更新しました。"), "success")
    return navigate(url_for("reports.operations_page"))


@bp.post("/operations/partitions")
@admin_only
def create_partitions():
    created = operations.create_partitions_ahead()
    flash(_l("パーティションを%(n)s個作成しました。", n=created), "success")
    return navigate(url_for("reports.operations_page"))


@bp.post("/operations/archive")
@admin_only
def archive():
    form = ArchiveForm()
    if form.validate_on_submit():
        try:
            result = operations.run_archive(form.cutoff.data, date.today())
        except ReportError as error:
            form.cutoff.errors = [error.message]
        else:
            return _page(archive_result=result, block="archive")
    return _page(archive_form=form, status=422, block="archive")


@bp.post("/operations/kpis")
@admin_only
def snapshot_kpis():
    form = SnapshotForm()
    if form.validate_on_submit():
        try:
            last = parse_month(form.month.data, date.today())
        except ReportError as error:
            form.month.errors = [error.message]
        else:
            rows = operations.snapshot_months(last, form.months.data)
            flash(_l("KPIを再計算しました (%(n)s件)。", n=rows), "success")
            return navigate(url_for("reports.operations_page"))
    return _page(snapshot_form=form, status=422, block="kpis")
