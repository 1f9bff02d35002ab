"""Import pages: upload, preview with per-row errors, then an all-or-nothing commit.

An area describes one import with an ``ImportSpec``::

    CUSTOMER_IMPORT = ImportSpec(
        name="customers", title=_l("顧客企業の取り込み"), columns=CUSTOMER_COLUMNS,
        check=check_customer_rows,    # (rows) -> None: add errors (duplicates, lookups)
        save=save_customer_rows)      # (list of values dicts) -> int: write them all

and serves it with one route::

    @bp.route("/customers/import", methods=["GET", "POST"])
    @roles_required("admin", "project_manager")
    def import_customers():
        return import_view(CUSTOMER_IMPORT, done_url=url_for("projects.customers"))

The page (``templates/tabular/import.html``) first asks for a file and
shows the preview: every row with its errors, nothing written.  The preview carries the file
back to the server in a signed, compressed, expiring token, so "取り込む" imports exactly the
previewed file: it is read and checked again (the data may have changed meanwhile) and
``save`` runs inside a savepoint only if no row has an error -- if ``save`` raises
``ImportRejected`` (or any row error appears), nothing is written and the preview comes back
with the errors (422).

CLI commands call ``preview_import`` (a dry run) or ``commit_import`` with the file's bytes.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, flash, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import HiddenField

from ...extensions import db
from ..htmx import navigate, render
from ..i18n import lazy_gettext as _l
from .columns import Column
from .files import ParsedTable, Row, read_table

TOKEN_MAX_AGE = 3600          # seconds a preview stays importable


class ImportRejected(Exception):
    """Raised by ``save`` when a row turns out to be invalid while writing."""

    def __init__(self, errors: Sequence[tuple[int, str, str]]):
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = list(errors)       # (line, column key, message)


@dataclass(frozen=True)
class ImportSpec:
    name: str
    title: Any
    columns: Sequence[Column]
    save: Callable[[list[dict]], int]
    check: Callable[[list[Row]], None] | None = None
    max_rows: int = 10_000
    sample: Sequence[dict] = field(default_factory=tuple)   # example rows for the template file


@dataclass
class ImportResult:
    table: ParsedTable
    filename: str
    token: str | None = None
    imported: int | None = None

    @property
    def ok(self) -> bool:
        return self.table.ok


def _serializer(spec: ImportSpec) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"tabular-import:{spec.name}")


def _token(spec: ImportSpec, data: bytes, filename: str) -> str:
    packed = base64.b64encode(zlib.compress(data, 6)).decode()
    return _serializer(spec).dumps({"f": filename, "d": packed})


def _unpack(spec: ImportSpec, token: str) -> tuple[bytes, str] | None:
    try:
        payload = _serializer(spec).loads(token, max_age=TOKEN_MAX_AGE)
        return zlib.decompress(base64.b64decode(payload["d"])), payload["f"]
    except (BadSignature, KeyError, TypeError, ValueError, zlib.error):
        return None


def preview_import(spec: ImportSpec, data: bytes, filename: str) -> ImportResult:
    """Read and check the file; writes nothing."""
    table = read_table(data, filename, spec.columns, max_rows=spec.max_rows)
    if not table.errors and spec.check is not None:
        spec.check(table.rows)
    return ImportResult(table=table, filename=filename, token=_token(spec, data, filename))


def commit_import(spec: ImportSpec, data: bytes, filename: str) -> ImportResult:
    """Check again and write every row, or nothing at all (``result.imported`` is None)."""
    result = preview_import(spec, data, filename)
    if not result.ok:
        return result
    values = [row.values for row in result.table.rows]
    savepoint = db.session.begin_nested()
    try:
        count = spec.save(values)
        db.session.flush()
    except ImportRejected as rejected:
        savepoint.rollback()
        _attach(result.table, rejected.errors)
        return result
    savepoint.commit()
    result.imported = count
    return result


def _attach(table: ParsedTable, errors: Sequence[tuple[int, str, str]]) -> None:
    by_line = {row.line: row for row in table.rows}
    for line, key, message in errors:
        row = by_line.get(line)
        if row is None:
            table.errors.append(str(message))
        else:
            row.add_error(key, message)


def mark_duplicates(rows: Sequence[Row], key: str, message: Any | None = None) -> None:
    """Flag rows whose ``key`` repeats an earlier row of the same file."""
    seen: dict[Any, int] = {}
    for row in rows:
        value = row.values.get(key)
        if value is None:
            continue
        normalised = value.lower() if isinstance(value, str) else value
        if normalised in seen:
            row.add_error(key, message or _l("%(line)d行目と重複しています。", line=seen[normalised]))
        else:
            seen[normalised] = row.line


def row_by_row(save_row: Callable[[dict], Any], errors: tuple[type[Exception], ...],
               label_key: str | None = None) -> dict:
    """``check`` and ``save`` for an ImportSpec from a function that saves one row.

    The check is a dry run: each row is saved inside a savepoint that is always rolled back,
    so the preview shows exactly the errors the commit would meet (service rules, unique
    codes) and writes nothing.  ``errors`` are the domain errors with ``field`` and
    ``message`` (the field is the column key); rows repeating ``label_key`` (the record's
    code) are refused too.  Use as ``ImportSpec(..., **row_by_row(f, (E,)))``.
    """
    def check(rows: list[Row]) -> None:
        if label_key:
            mark_duplicates(rows, label_key)
        for row in rows:
            if not row.ok:
                continue
            savepoint = db.session.begin_nested()
            try:
                save_row(dict(row.values))
                db.session.flush()
            except errors as error:
                row.add_error(getattr(error, "field", ""), getattr(error, "message", str(error)))
            finally:
                savepoint.rollback()

    def save(values: list[dict]) -> int:
        for index, row_values in enumerate(values):
            try:
                save_row(dict(row_values))
            except errors as error:
                label = row_values.get(label_key) if label_key else index + 1
                raise ImportRejected([(0, "", f"{label}: {getattr(error, 'message', error)}")]) from error
        return len(values)

    return {"check": check, "save": save}


# --- the page ----------------------------------------------------------------------------------

class ImportForm(FlaskForm):
    file = FileField(_l("ファイル (CSV / Excel .xlsx)"))
    token = HiddenField()


def import_view(spec: ImportSpec, *, done_url: str, template: str = "tabular/import.html",
                **context) -> Any:
    """GET: the upload form.  POST with a file: the preview.  POST with the token: the commit."""
    form = ImportForm()
    page = dict(spec=spec, form=form, done_url=done_url, **context)
    if request.method == "GET":
        return render(template, "import_block", result=None, **page)
    if not form.validate_on_submit():
        return render(template, "import_block", result=None, status=422, **page)
    if form.token.data:
        unpacked = _unpack(spec, form.token.data)
        if unpacked is None:
            form.file.errors.append(str(_l("プレビューの有効期限が切れました。もう一度ファイルを選んでください。")))
            return render(template, "import_block", result=None, status=422, **page)
        result = commit_import(spec, *unpacked)
        if result.imported is not None:
            flash(_l("%(n)d件を取り込みました。", n=result.imported), "success")
            return navigate(done_url)
        return render(template, "import_block", result=result, status=422, **page)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors.append(str(_l("ファイルを選択してください。")))
        return render(template, "import_block", result=None, status=422, **page)
    result = preview_import(spec, upload.read(), upload.filename)
    return render(template, "import_block", result=result, status=200 if result.ok else 422, **page)
