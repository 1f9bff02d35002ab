"""Alembic environment.

Migrations connect with MIGRATION_DATABASE_URL (a role allowed to create roles: locally the
cluster's superuser), make sure the cluster-wide roles exist, then run as ``ses_owner`` so that
every object belongs to the owner role and never to the application's login role.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool, text

from app.auth.roles import OWNER_ROLE, ensure_database_roles

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

SCHEMAS = {"platform", "project_context", "engineer_context", "matching_context", "contract_context",
           "timesheet_context", "billing_context", "report_context", "notification_context"}


def include_object(obj, name, type_, reflected, compare_to):
    # Autogenerate compares only our schemas (procrastinate and extensions live elsewhere).
    if type_ == "table":
        return obj.schema in SCHEMAS
    return True


def run_migrations_offline():
    context.configure(url=current_app.config["MIGRATION_DATABASE_URL"], literal_binds=True,
                      target_metadata=current_app.extensions["migrate"].db.metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(current_app.config["MIGRATION_DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        ensure_database_roles(connection, current_app.config.get("SES_APP_PASSWORD"))
        connection.execute(text(f"SET ROLE {OWNER_ROLE}"))
        connection.commit()
        context.configure(
            connection=connection,
            target_metadata=current_app.extensions["migrate"].db.metadata,
            include_schemas=True,
            include_object=include_object,
            version_table_schema="public",
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
