"""Demo matching: requests for the open cases, ranked by the real engine, some candidates
already proposed or interviewed, and one match concluded."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..projects.models import Project
from ..projects.services import sync_requirements
from .models import MatchingCandidate, MatchingRequest
from .services import create_request, move_candidate, request_defaults

# case code -> pipeline steps for its top candidates (rank 1, 2, 3 ...)
REQUESTS = {
    "PJ-0002": [("PROPOSED", "INTERVIEW"), ("PROPOSED",), ("WITHDRAWN",)],
    "PJ-0004": [("PROPOSED", "INTERVIEW", "PASSED"), ("PROPOSED", "REJECTED")],
    "PJ-0006": [("PROPOSED",)],
    "PJ-0008": [("PROPOSED", "PASSED", "CONCLUDED"), ("PROPOSED", "INTERVIEW"), ("PROPOSED",)],
    "PJ-0012": [("PROPOSED",)],
    "PJ-0016": [("PROPOSED", "INTERVIEW")],
    "PJ-0022": [("PROPOSED",)],
    "PJ-0007": [],
    "PJ-0011": [],
}
NOTES = {"PROPOSED": "スキルシートを送付", "INTERVIEW": "顧客面談を調整済み", "PASSED": "面談通過の連絡あり",
         "REJECTED": "経験工程が合わず見送り", "WITHDRAWN": "本人が他案件に決定", "CONCLUDED": "条件合意・契約手続きへ"}


def load(demo) -> None:
    if db.session.scalar(select(MatchingRequest.id).limit(1)):
        return
    for code, plans in REQUESTS.items():
        project = db.session.scalar(select(Project).where(Project.code == code))
        if project is None:
            continue
        sync_requirements(project)
        request = create_request(project, **request_defaults(project))
        demo.remember("matching_request", code, request.id)
        candidates = db.session.scalars(select(MatchingCandidate).where(
            MatchingCandidate.matching_request_id == request.id).order_by(MatchingCandidate.rank)).all()
        for candidate, steps in zip(candidates, plans, strict=False):
            for step in steps:
                move_candidate(candidate, step, candidate.version, note=NOTES[step])
