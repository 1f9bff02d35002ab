"""Spreadsheets in and out: CSV (UTF-8 with or without BOM, or CP932) and Excel .xlsx.

SES companies start from spreadsheets, so every list that can be imported can be exported in
the same columns, and an exported file imports again unchanged.

Columns
    ``Column(key, header, parse=text(), required=False, aliases=(), format=None)`` -- ``key``
    is the name in the row dict, ``header`` the (Japanese) header in the file; ``aliases``
    are other accepted headers (e.g. the English ones).  Headers match ignoring case, width
    (NFKC), spaces and a trailing ``*``.  ``format`` turns a value into a cell for export.

Parsers (``parse``) take a trimmed cell (str, int, float, date/datetime from Excel) and
return the value or raise ``CellError(message)``; empty cells are ``None`` without calling
the parser, and a required column reports them.  Ready-made: ``text(max_length)``,
``integer(minimum, maximum)``, ``yen()`` (also "65万", "¥650,000"), ``decimal(places)``,
``date_value()``, ``boolean()``, ``choice({code: label})``, ``text_list()``;
``choice_column(key, header, labels)`` exports labels and imports labels or codes.

Reading
    ``read_table(data, filename, columns, max_rows=10_000) -> ParsedTable``: detects .xlsx by
    content, else decodes CSV as UTF-8 (BOM or not) or CP932, comma or tab separated.
    ``ParsedTable.errors`` are file-level problems (unreadable, missing required columns);
    each ``Row`` has ``line`` (the line in the file, header = 1), ``values`` and ``errors``
    (column key -> message).  ``table.ok`` is True when there is no error at all.

Writing
    ``write_csv(columns, records, encoding="utf-8")`` (UTF-8 with BOM so Excel opens it, or
    "cp932": characters CP932 lacks become 〓), ``write_xlsx(columns, records, title)`` and
    ``export_response(columns, records, fmt, stem)`` for a download (fmt: ``csv``,
    ``csv_sjis``, ``xlsx``).  Text that looks like a formula (= + - @) is prefixed with ``'``
    against spreadsheet formula injection; reading strips that prefix again.

Import pages: upload, preview with per-row errors, all-or-nothing commit
    ``ImportSpec(name, title, columns, save, check=None)`` describes an import: ``check(rows)``
    adds errors that need the database (duplicates, lookups; ``mark_duplicates`` helps),
    ``save(values_list) -> int`` writes every row (raise ``ImportRejected([(line, key,
    message)])`` to refuse).  ``row_by_row(save_row, (DomainError,))`` builds both from a
    function saving one row: the check is then a dry run of every row in a rolled-back
    savepoint, so the preview shows exactly what the commit would refuse.  ``import_view(spec, done_url=...)`` is the whole route (GET form,
    POST file -> preview, POST token -> commit; template ``templates/tabular/import.html``).
    ``preview_import(spec, data, filename)`` / ``commit_import(spec, data, filename)`` serve
    CLI commands: the commit re-reads and re-checks the file and writes inside a savepoint,
    so either every row is written or none.  Details in ``app.core.tabular.imports``.
    ``app.core.tabular.cli.run_import(spec, path, commit)`` is the body of a ``flask``
    import command (dry run by default, row errors printed, exit 1 when nothing was written).
"""

from .columns import (
    FORMULA_START,
    CellError,
    Column,
    boolean,
    cell_text,
    choice,
    choice_column,
    code,
    date_value,
    decimal,
    integer,
    join_list,
    label_of,
    text,
    text_list,
    yen,
)
from .files import (
    EXPORT_FORMATS,
    ParsedTable,
    Row,
    decode_text,
    export_response,
    read_table,
    write_csv,
    write_xlsx,
)
from .imports import (
    ImportRejected,
    ImportResult,
    ImportSpec,
    commit_import,
    import_view,
    mark_duplicates,
    preview_import,
    row_by_row,
)

__all__ = [
    "EXPORT_FORMATS", "FORMULA_START", "CellError", "Column", "ImportRejected", "ImportResult",
    "ImportSpec", "ParsedTable", "Row", "boolean", "cell_text", "choice", "choice_column", "code", "commit_import",
    "date_value", "decimal", "decode_text", "export_response", "import_view", "integer",
    "join_list", "label_of", "mark_duplicates", "preview_import", "read_table", "row_by_row", "text",
    "text_list", "write_csv", "write_xlsx", "yen",
]
