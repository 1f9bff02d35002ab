"""Japanese business formatting (DOMAIN.md §10)."""

from decimal import Decimal

import pytest

from app.core.formatting import yen


@pytest.mark.parametrize("value, text", [(1_748_472, "¥1,748,472"), (0, "¥0"), (Decimal(880_000), "¥880,000"),
                                         (-880_000, "-¥880,000"), (None, "")])
def test_yen(value, text):
    assert yen(value) == text
