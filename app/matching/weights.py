"""The scoring weights page (administrators): scoring_criteria, edited in place."""

from __future__ import annotations

from flask import flash, url_for
from sqlalchemy import select

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from ..projects.web import submitted_status
from . import bp, services
from .forms import WeightsForm
from .labels import CRITERIA_LABELS
from .models import ScoringCriterion


@bp.route("/weights", methods=["GET", "POST"])
@roles_required("admin")
def weights():
    criteria = {c.code: c for c in db.session.scalars(select(ScoringCriterion))}
    form = WeightsForm(data={f"{code}_{part}": value for code, c in criteria.items() for part, value in
                             (("weight", c.weight), ("active", c.is_active), ("version", c.version))})
    if form.validate_on_submit():
        changes = {code: (form[f"{code}_weight"].data, form[f"{code}_active"].data) for code in criteria}
        versions = {code: form[f"{code}_version"].data for code in criteria}
        try:
            services.save_weights(changes, versions)
        except services.MatchingError as error:
            form[f"{error.field}_weight"].errors.append(error.message)
        else:
            flash(_l("スコアリングの重みを保存しました。次の抽出から使われます。"), "success")
            return navigate(url_for("matching.weights"))
    return render("matching/weights.html", "form_block", form=form, criteria=criteria, labels=CRITERIA_LABELS,
                  status=submitted_status(form))
