"""Matching Context tables (migrations/sql/matching_context_ddl.sql)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ARRAY, ForeignKey, Numeric, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "matching_context"}


class ScoringCriterion(Entity, db.Model):
    __tablename__ = "scoring_criteria"
    __table_args__ = SCHEMA

    code: Mapped[str]
    name: Mapped[str]
    weight: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str | None]
    parameters: Mapped[dict] = mapped_column(server_default="{}")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class MatchingRequest(Entity, db.Model):
    __tablename__ = "matching_requests"
    __table_args__ = SCHEMA

    project_id: Mapped[uuid.UUID]
    title: Mapped[str]
    required_skills: Mapped[list] = mapped_column(server_default="[]")
    preferred_skills: Mapped[list] = mapped_column(server_default="[]")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    rate_min: Mapped[int | None]
    rate_max: Mapped[int | None]
    work_style: Mapped[str] = mapped_column(server_default="ONSITE")
    location: Mapped[str | None]
    nearest_station: Mapped[str | None]
    required_japanese_level: Mapped[str | None]
    chain_restriction: Mapped[str] = mapped_column(server_default="NONE")
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    phases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    conditions: Mapped[dict] = mapped_column(server_default="{}")
    headcount: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    status: Mapped[str] = mapped_column(server_default="OPEN")
    requested_by: Mapped[uuid.UUID | None]
    generated_at: Mapped[datetime | None]


class MatchingCandidate(Entity, db.Model):
    __tablename__ = "matching_candidates"
    __table_args__ = SCHEMA

    matching_request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matching_context.matching_requests.id"))
    engineer_id: Mapped[uuid.UUID]
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default="0")
    score_breakdown: Mapped[dict] = mapped_column(server_default="{}")
    rank: Mapped[int | None]
    pipeline_status: Mapped[str] = mapped_column(server_default="CANDIDATE")
    proposed_at: Mapped[datetime | None]
    interview_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    history: Mapped[list] = mapped_column(server_default="[]")
    notes: Mapped[str | None]


class MatchingResult(Entity, db.Model):
    __tablename__ = "matching_results"
    __table_args__ = SCHEMA

    matching_request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matching_context.matching_requests.id"))
    matching_candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matching_context.matching_candidates.id"))
    project_id: Mapped[uuid.UUID]
    engineer_id: Mapped[uuid.UUID]
    status: Mapped[str]
    matching_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    decided_by: Mapped[uuid.UUID | None]
    decided_at: Mapped[datetime] = mapped_column(server_default=db.func.now())
    contract_id: Mapped[uuid.UUID | None]
    notes: Mapped[str | None]
