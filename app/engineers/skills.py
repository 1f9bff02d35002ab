"""The matching key of a skill name (a leaf module: other contexts import it freely)."""

from __future__ import annotations

import re
import unicodedata


def skill_key(name: str) -> str:
    """Width-normalised, lower case, single spaces: "ＪＡＶＡ" and "java" are the same skill."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().lower()
