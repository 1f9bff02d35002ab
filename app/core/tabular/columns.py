"""Columns of a spreadsheet and the parsers of their cells (see ``app.core.tabular``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..i18n import lazy_gettext as _l

# Text starting like a formula is written with a leading "'" (spreadsheet formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read; the message is shown next to the row."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: Callable[[Any], Any] = field(default=lambda v: str(v))
    required: bool = False
    aliases: tuple[str, ...] = ()
    format: Callable[[Any], Any] | None = None

    def cell(self, value: Any) -> Any:
        """The value as written to a file."""
        return self.format(value) if self.format else value


def nfkc(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = str(value).strip() if not isinstance(value, float) else _plain_number(value)
        if max_length and len(result) > max_length:
            raise CellError(_l("%(n)d文字以内で入力してください。", n=max_length))
        return result
    return parse


def _plain_number(value: float) -> str:
    # Excel gives 1234 as 1234.0; a code or phone number must not grow a ".0".
    return str(int(value)) if value == int(value) else str(value)


def code(max_length: int = 30) -> Callable[[Any], str]:
    """Codes (C001, E0001): ASCII letters, digits, '-' and '_' after width normalisation."""
    def parse(value: Any) -> str:
        result = nfkc(_plain_number(value) if isinstance(value, float) else value)
        if not re.fullmatch(rf"[A-Za-z0-9_-]{{1,{max_length}}}", result):
            raise CellError(_l("英数字・ハイフン・アンダースコア%(n)d文字以内で入力してください。",
                               n=max_length))
        return result
    return parse


def _number_text(value: Any) -> str:
    return re.sub(r"[,\s¥￥\\円]", "", nfkc(value))   # CP932 shows a backslash as ¥


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = Decimal(str(value)) if isinstance(value, int | float) else Decimal(_number_text(value))
        except InvalidOperation:
            raise CellError(_l("整数で入力してください。")) from None
        if number != number.to_integral_value():
            raise CellError(_l("整数で入力してください。"))
        return _in_range(int(number), minimum, maximum)
    return parse


def _in_range(number, minimum, maximum):
    if minimum is not None and number < minimum:
        raise CellError(_l("%(n)s以上で入力してください。", n=minimum))
    if maximum is not None and number > maximum:
        raise CellError(_l("%(n)s以下で入力してください。", n=maximum))
    return number


def yen(maximum: int | None = None) -> Callable[[Any], int]:
    """Integer yen; "65万" / "65.5万円" mean ten-thousands, as rates are quoted in SES."""
    plain = integer(0, maximum)

    def parse(value: Any) -> int:
        raw = _number_text(value) if isinstance(value, str) else value
        if isinstance(raw, str) and raw.endswith("万"):
            try:
                amount = Decimal(raw[:-1]) * 10000
            except InvalidOperation:
                raise CellError(_l("金額は 650000 や 65万 のように入力してください。")) from None
            return plain(str(amount))
        return plain(raw)
    return parse


def decimal(places: int = 1, minimum: Decimal | int | None = 0,
            maximum: Decimal | int | None = None) -> Callable[[Any], Decimal]:
    def parse(value: Any) -> Decimal:
        try:
            number = Decimal(str(value)) if isinstance(value, int | float) else Decimal(_number_text(value))
        except InvalidOperation:
            raise CellError(_l("数値で入力してください。")) from None
        if number != round(number, places):
            raise CellError(_l("小数点以下%(n)d桁までで入力してください。", n=places))
        return _in_range(number, minimum, maximum)
    return parse


DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def date_value() -> Callable[[Any], date]:
    def parse(value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raw = nfkc(value)
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        raise CellError(_l("日付は 2026/04/01 の形式で入力してください。"))
    return parse


TRUE_WORDS = {"はい", "yes", "y", "true", "1", "○", "〇", "有", "あり", "✓"}
FALSE_WORDS = {"いいえ", "no", "n", "false", "0", "×", "無", "なし", "-"}


def boolean() -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        raw = nfkc(value).lower() if not isinstance(value, bool) else ("1" if value else "0")
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise CellError(_l("「はい」か「いいえ」で入力してください。"))
    return parse


def choice(labels: Mapping[str, Any]) -> Callable[[Any], str]:
    """One of ``labels``' codes, given as the code or as its (Japanese) label."""
    def parse(value: Any) -> str:
        raw = nfkc(value)
        for key, label in labels.items():
            if raw.lower() == key.lower() or raw == nfkc(label):
                return key
        allowed = "、".join(str(label) for label in labels.values())
        raise CellError(_l("次のいずれかを入力してください: %(allowed)s", allowed=allowed))
    return parse


LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


def text_list() -> Callable[[Any], list[str]]:
    def parse(value: Any) -> list[str]:
        return [part.strip() for part in LIST_SEPARATORS.split(str(value)) if part.strip()]
    return parse


def join_list(values: Iterable[Any] | None) -> str:
    return "、".join(str(v) for v in values or ())


def choice_column(key: str, header: str, labels: Mapping[str, Any], **options) -> Column:
    """A column of codes written as their labels (imports the code or the label)."""
    return Column(key, header, choice(labels), format=label_of(labels), **options)


def label_of(labels: Mapping[str, Any]) -> Callable[[Any], str]:
    """The ``format`` of a ``choice`` column: export the label, which imports back."""
    return lambda value: str(labels.get(value, value)) if value is not None else ""



def cell_text(value: Any, guard: bool = True) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime | date):
        return value.strftime("%Y/%m/%d")
    if isinstance(value, list | tuple):
        return join_list(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if guard and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
