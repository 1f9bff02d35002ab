import pytest

from tests.contracts.factories import Sales


@pytest.fixture
def sales(app, admin_engine, password_hash) -> Sales:
    return Sales(admin_engine, password_hash)
