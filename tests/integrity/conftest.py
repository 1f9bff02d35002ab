"""Fixtures of the integrity tests."""

from __future__ import annotations

import pytest

from tests.billing.factories import Factory


@pytest.fixture
def make(admin_engine):
    """Billing's data factory on an autocommit superuser connection (visible to every thread)."""
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield Factory(conn)
