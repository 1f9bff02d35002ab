"""A request's ranked candidates (breakdowns, pipeline, parallel proposals) are read in a fixed
number of statements, however many candidates there are."""

from __future__ import annotations

from datetime import date, timedelta

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.matching import services
from app.matching.models import MatchingCandidate, MatchingRequest
from tests.projects import factories as make
from tests.querycount import assert_no_n_plus_one


def test_the_candidate_list(login_as):
    pm = login_as("project_manager")
    with acting_as(SYSTEM):
        project = make.project(make.customer().id, pm.user_id, title="勘定系更改", skills=[("Java", 3, True)])
        matching = services.create_request(project, **services.request_defaults(project) | {
            "start_date": date.today() + timedelta(days=40)})
        other = services.create_request(project, **services.request_defaults(project) | {"title": "並行"})
        db.session.commit()
        ids = (matching.id, other.id)

    def add(n: int) -> None:
        with acting_as(SYSTEM):
            for _ in range(n):
                make.engineer(full_name="照会 技術者", skills=[("Java", 6, 4), ("AWS", 2, 3)], desired_rate=700000)
            for request_id in ids:
                services.regenerate(db.session.get(MatchingRequest, request_id))
            for candidate in db.session.scalars(db.select(MatchingCandidate).where(
                    MatchingCandidate.matching_request_id == ids[1], MatchingCandidate.pipeline_status == "CANDIDATE")):
                services.move_candidate(candidate, "PROPOSED", candidate.version)    # 並行営業 on the page
            db.session.commit()

    add(2)
    assert_no_n_plus_one(pm, f"/matching/{ids[0]}", add,
                         expect_text=lambda page: page.count("照会 技術者") == 5 and "並行営業" in page)
    assert_no_n_plus_one(pm, f"/matching/{ids[0]}", add, htmx=True)
    assert_no_n_plus_one(pm, "/matching/", add)
