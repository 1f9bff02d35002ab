"""通知管理 (notification_context): mirrors migrations/sql/notification_context_ddl.sql."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Entity
from ..extensions import db

SCHEMA = {"schema": "notification_context"}


class NotificationChannel(Entity, db.Model):
    __tablename__ = "notification_channels"
    __table_args__ = SCHEMA

    code: Mapped[str]
    channel_type: Mapped[str]
    name: Mapped[str]
    config: Mapped[dict] = mapped_column(server_default="{}")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class NotificationTemplate(Entity, db.Model):
    __tablename__ = "notification_templates"
    __table_args__ = SCHEMA

    code: Mapped[str]
    event_type: Mapped[str]
    locale: Mapped[str] = mapped_column(server_default="ja")
    channel_type: Mapped[str]
    subject_template: Mapped[str]
    body_template: Mapped[str]
    is_active: Mapped[bool] = mapped_column(server_default="true")


class NotificationRule(Entity, db.Model):
    __tablename__ = "notification_rules"
    __table_args__ = SCHEMA

    name: Mapped[str]
    event_type: Mapped[str]
    condition: Mapped[dict] = mapped_column(server_default="{}")
    recipients: Mapped[dict] = mapped_column(server_default="{}")
    channel_codes: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{IN_APP}")
    template_code: Mapped[str]
    priority_level: Mapped[int] = mapped_column(SmallInteger, server_default="3")
    is_active: Mapped[bool] = mapped_column(server_default="true")


class Notification(Entity, db.Model):
    __tablename__ = "notifications"
    __table_args__ = SCHEMA

    # partitioned by month on created_at, which is part of the primary key
    created_at: Mapped[datetime] = mapped_column(primary_key=True, server_default=db.func.now())
    recipient_user_id: Mapped[uuid.UUID]
    recipient_users: Mapped[list] = mapped_column(server_default="[]")
    event_id: Mapped[uuid.UUID | None]
    event_type: Mapped[str]
    rule_id: Mapped[uuid.UUID | None]
    title: Mapped[str]
    body: Mapped[str]
    link_url: Mapped[str | None]
    priority_level: Mapped[int] = mapped_column(SmallInteger, server_default="3")
    status: Mapped[str] = mapped_column(server_default="PENDING")
    read_at: Mapped[datetime | None]


class NotificationDelivery(Entity, db.Model):
    __tablename__ = "notification_deliveries"
    __table_args__ = SCHEMA

    notification_id: Mapped[uuid.UUID | None]
    notification_created_at: Mapped[datetime | None]
    event_id: Mapped[uuid.UUID | None]
    rule_id: Mapped[uuid.UUID | None]
    channel_id: Mapped[uuid.UUID]
    destination: Mapped[str | None]
    subject: Mapped[str | None]
    body: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="PENDING")
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    last_error: Mapped[str | None]
    sent_at: Mapped[datetime | None]
    response: Mapped[dict] = mapped_column(server_default="{}")


class NotificationSubscription(Entity, db.Model):
    __tablename__ = "notification_subscriptions"
    __table_args__ = SCHEMA

    user_id: Mapped[uuid.UUID]
    event_type: Mapped[str]
    channel_code: Mapped[str]
    is_subscribed: Mapped[bool] = mapped_column(server_default="true")
