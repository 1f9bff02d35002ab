"""Japanese first, English as a switch: every catalog is complete and compiles."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGS = sorted(Path(__file__).resolve().parents[1].glob("app/*/translations/en/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-5])
def test_every_message_has_an_english_translation(path):
    with path.open("rb") as f:
        catalog = read_po(f)
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated in {path}: {missing}"
    assert not fuzzy, f"fuzzy (unchecked) translations in {path}: {fuzzy}"
