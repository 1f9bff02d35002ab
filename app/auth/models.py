"""Users (platform.users).  Login sessions live in platform.user_sessions and are reached only
through the SECURITY DEFINER functions in services.py."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Entity
from ..extensions import db


class User(Entity, db.Model):
    __tablename__ = "users"
    __table_args__ = {"schema": "platform"}

    email: Mapped[str]
    display_name: Mapped[str]
    role: Mapped[str]
    engineer_id: Mapped[uuid.UUID | None]
    customer_id: Mapped[uuid.UUID | None]
    partner_company_id: Mapped[uuid.UUID | None]
    locale: Mapped[str] = mapped_column(server_default="ja")
    is_active: Mapped[bool] = mapped_column(server_default="true")
    # Never selected: no application role may read hashes (column privileges).
    password_hash: Mapped[str] = mapped_column(deferred=True, deferred_raiseload=True)
    password_changed_at: Mapped[datetime] = mapped_column(server_default=db.func.now())
    last_login_at: Mapped[datetime | None]
