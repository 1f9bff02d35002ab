"""Initials for anonymised skill sheets, from the reading of a name (ヤマザキ ショウタ → S.Y)."""

from __future__ import annotations

import unicodedata

# First romaji letter of each kana (Hepburn), by row.
_ROWS = {
    "A": "ア", "I": "イ", "U": "ウヴ", "E": "エ", "O": "オヲ",
    "K": "カキクケコ", "G": "ガギグゲゴ", "S": "サシスセソ", "Z": "ザズゼゾヅ", "J": "ジヂ",
    "T": "タテトツ", "C": "チ", "D": "ダデド", "N": "ナニヌネノン", "H": "ハヒヘホ", "F": "フ",
    "B": "バビブベボ", "P": "パピプペポ", "M": "マミムメモ", "Y": "ヤユヨ", "R": "ラリルレロ", "W": "ワ",
}
_INITIAL = {kana: letter for letter, row in _ROWS.items() for kana in row}


def _katakana(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _initial(part: str) -> str | None:
    first = part[:1]
    if first.isascii() and first.isalpha():
        return first.upper()
    return _INITIAL.get(first)


def initials_from_kana(reading: str) -> str | None:
    """"ヤマザキ ショウタ" (family given) → "S.Y" (given.family, as skill sheets print it)."""
    parts = _katakana(reading).split()
    letters = [_initial(p) for p in parts]
    if not letters or None in letters:
        return None
    return ".".join(reversed(letters))
