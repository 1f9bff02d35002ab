"""Reading CSV/.xlsx into checked rows and writing CSV/.xlsx (see ``app.core.tabular``)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response, make_response

from ..i18n import lazy_gettext as _l
from .columns import FORMULA_START, CellError, Column, cell_text, nfkc

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"          # .xls (Excel 97-2003)


# --- reading -----------------------------------------------------------------------------------

@dataclass
class Row:
    line: int
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, key: str, message: Any) -> None:
        self.errors.setdefault(key, str(message))


@dataclass
class ParsedTable:
    columns: Sequence[Column]
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and all(row.ok for row in self.rows)

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), "")

    def cells(self, row: Row) -> list[str]:
        """The row's values as text, for a preview table."""
        return [str(cell_text(c.cell(row.values.get(c.key)), guard=False)) for c in self.columns]


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*]", "", nfkc(value or "")).lower()


def read_table(data: bytes, filename: str, columns: Sequence[Column],
               max_rows: int = 10_000) -> ParsedTable:
    """Read and check every row; nothing is written anywhere."""
    table = ParsedTable(columns=columns)
    try:
        raw_rows = _raw_rows(data, filename, table)
    except CellError as error:
        table.errors.append(str(error))
        return table
    header = next(raw_rows, None)
    if header is None:
        table.errors.append(str(_l("ファイルにデータがありません。")))
        return table
    positions = _match_headers(header, columns, table)
    if table.errors:
        return table
    for line, cells in enumerate(raw_rows, start=2):
        if all(_blank(c) for c in cells):
            continue
        if len(table.rows) >= max_rows:
            table.errors.append(str(_l("一度に取り込めるのは%(n)d行までです。", n=max_rows)))
            break
        table.rows.append(_parse_row(line, cells, positions, columns))
    if not table.rows and not table.errors:
        table.errors.append(str(_l("ファイルにデータ行がありません。")))
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _match_headers(header: Sequence[Any], columns: Sequence[Column], table: ParsedTable) -> dict:
    wanted = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            wanted[_header_key(name)] = column
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = wanted.get(_header_key(cell))
        if column is not None and column.key not in positions:
            positions[column.key] = index
        elif not _blank(cell):
            table.ignored_headers.append(str(cell).strip())
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        table.errors.append(str(_l("必須の列がありません: %(cols)s", cols="、".join(missing))))
    return positions


def _parse_row(line: int, cells: Sequence[Any], positions: dict, columns: Sequence[Column]) -> Row:
    row = Row(line=line, values={})
    for column in columns:
        index = positions.get(column.key)
        value = cells[index] if index is not None and index < len(cells) else None
        if isinstance(value, str):
            value = _strip_formula_guard(value.strip())
        if _blank(value):
            row.values[column.key] = None
            if column.required:
                row.add_error(column.key, _l("入力してください。"))
            continue
        try:
            row.values[column.key] = column.parse(value)
        except CellError as error:
            row.values[column.key] = None
            row.add_error(column.key, error)
    return row


def _strip_formula_guard(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


def _raw_rows(data: bytes, filename: str, table: ParsedTable) -> Iterable[Sequence[Any]]:
    if data.startswith(XLSX_MAGIC):
        table.encoding = "xlsx"
        return _xlsx_rows(data)
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise CellError(_l("Excel 97-2003 形式 (.xls) は読み込めません。.xlsx か CSV で保存し直してください。"))
    text_data, table.encoding = decode_text(data)
    return iter(csv.reader(io.StringIO(text_data, newline=""), delimiter=_delimiter(text_data)))


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or CP932, decided by which decodes cleanly."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CellError(_l("文字コードを判別できません。UTF-8 か Shift_JIS (CP932) で保存してください。"))


def _delimiter(text_data: str) -> str:
    first = text_data.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


def _xlsx_rows(data: bytes) -> Iterable[Sequence[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError):
        raise CellError(_l("Excel ファイルを読み込めません。ファイルが壊れていないか確認してください。")) from None
    return iter(rows)


# --- writing -----------------------------------------------------------------------------------

def _records(columns: Sequence[Column], records: Iterable[Mapping[str, Any]]):
    for record in records:
        yield [cell_text(column.cell(record.get(column.key))) for column in columns]


def write_csv(columns: Sequence[Column], records: Iterable[Mapping[str, Any]],
              encoding: str = "utf-8") -> bytes:
    """CSV bytes: UTF-8 with BOM (Excel-friendly) or CP932 (Shift_JIS)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    writer.writerows(_records(columns, records))
    if encoding.lower().replace("-", "_") in ("cp932", "shift_jis", "sjis"):
        return "".join(_cp932_char(ch) for ch in buffer.getvalue()).encode("cp932")
    return buffer.getvalue().encode("utf-8-sig")


def _cp932_char(ch: str) -> str:
    try:
        ch.encode("cp932")
        return ch
    except UnicodeEncodeError:
        return "〓"


def write_xlsx(columns: Sequence[Column], records: Iterable[Mapping[str, Any]],
               title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[_column_letter(index)].width = max(12, len(column.header) * 2 + 2)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for record in records:
        sheet.append([_xlsx_cell(sheet, column.cell(record.get(column.key))) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def _xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or not isinstance(value, int | date | datetime):
        value = cell_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime | date):
        cell.number_format = "yyyy/mm/dd"
    elif isinstance(value, str):
        cell.data_type = "s"      # never a formula, whatever the text starts with
    return cell


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv_sjis": ("text/csv; charset=shift_jis", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def export_response(columns: Sequence[Column], records: Iterable[Mapping[str, Any]], fmt: str,
                    stem: str) -> Response:
    """A download of ``records`` as ``<stem>_<yyyymmdd>.csv|xlsx``; unknown formats give CSV."""
    mimetype, extension = EXPORT_FORMATS.get(fmt, EXPORT_FORMATS["csv"])
    if extension == "xlsx":
        body = write_xlsx(columns, records, title=stem)
    else:
        body = write_csv(columns, records, encoding="cp932" if fmt == "csv_sjis" else "utf-8")
    filename = f"{stem}_{date.today():%Y%m%d}.{extension}"
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    return response
