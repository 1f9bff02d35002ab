"""Declarative base, the common columns of the design, soft delete and encrypted columns.

Every table has ``id`` (uuid, ``gen_random_uuid()``), ``created_at``, ``updated_at``,
``deleted_at`` and ``version``; the database triggers maintain ``updated_at`` and ``version``.
The ORM uses ``version`` as its optimistic lock (``UPDATE ... WHERE version = :seen``) and
hides soft-deleted rows from every ORM query unless ``include_deleted=True`` is passed as an
execution option.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import DateTime, MetaData, Text, event, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    registry,
    with_loader_criteria,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "%(table_name)s_pkey",
}


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            str: Text(),
            uuid.UUID: UUID(as_uuid=True),
            datetime: DateTime(timezone=True),
            dict: JSONB,
            list: JSONB,
        },
    )


class Entity:
    """The common columns of every table of the design."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, server_default=text("gen_random_uuid()"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {
            # The increment_version trigger bumps the counter; the ORM checks and re-reads it.
            "version_id_col": cls.__table__.c.version,
            "version_id_generator": False,
            "eager_defaults": True,
            # A DELETE is turned into a soft delete by the soft_delete trigger (0 rows deleted).
            "confirm_deleted_rows": False,
        }

    def soft_delete(self) -> None:
        self.deleted_at = func.now()


@event.listens_for(Session, "do_orm_execute")
def _hide_soft_deleted(state: ORMExecuteState) -> None:
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get("include_deleted", False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(Entity, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
        )


class EncryptedText(TypeDecorator):
    """Personal data stored with ``encrypt_personal_data()`` and read with
    ``decrypt_personal_data()`` (pgcrypto); the key is set per transaction by the identity hook,
    only for roles allowed to read personal data.  Defer these columns on list queries."""

    impl = Text
    cache_ok = True

    def bind_expression(self, bindvalue):
        return func.encrypt_personal_data(bindvalue, type_=Text)

    def column_expression(self, column):
        # typed as this type, so subclasses' process_result_value (dates) applies to the result
        return func.decrypt_personal_data(column, type_=self)


class EncryptedDate(EncryptedText):
    """A date (e.g. birth date) stored encrypted as its ISO text."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.isoformat() if isinstance(value, date) else value

    def process_result_value(self, value, dialect):
        return date.fromisoformat(value) if value else None


class ConflictError(Exception):
    """Someone else changed the record since it was loaded (optimistic lock)."""


def check_version(entity: Entity, seen_version: int | str | None) -> None:
    """Refuse to save over a newer version than the one the user edited."""
    try:
        seen = int(seen_version) if seen_version is not None else None
    except ValueError:
        seen = None
    if seen is None or seen != entity.version:
        raise ConflictError(entity)
