"""The sales contexts' models mirror the migrated tables column for column."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from app.engineers import models as engineer_models
from app.extensions import db
from app.projects import models as project_models

MODELS = [m for module in (project_models, engineer_models) for m in vars(module).values()
          if isinstance(m, type) and issubclass(m, db.Model) and m is not db.Model and hasattr(m, "__tablename__")]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__tablename__)
def test_model_columns_match_the_table(model, admin_engine):
    table = model.__table__
    columns = {c["name"] for c in inspect(admin_engine).get_columns(table.name, schema=table.schema)}
    assert {c.name for c in table.columns} == columns
