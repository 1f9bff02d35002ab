from __future__ import annotations

import pytest

from tests.reports.dataset import build_april
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


@pytest.fixture
def april(app, admin_engine):
    with admin_engine.begin() as conn:
        return build_april(conn)
