"""Spreadsheets in and out: encodings, Excel, per-row errors, round trips, all-or-nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text as sql

from app.core import tabular as t
from app.extensions import db

LEVELS = {"NATIVE": "ネイティブ", "BUSINESS": "ビジネス"}
COLUMNS = [
    t.Column("code", "コード", t.code(), required=True, aliases=("code",)),
    t.Column("name", "氏名", t.text(max_length=10), required=True),
    t.Column("rate", "希望単価", t.yen()),
    t.Column("years", "経験年数", t.decimal(1)),
    t.Column("start", "稼働可能日", t.date_value()),
    t.Column("remote", "リモート可", t.boolean()),
    t.Column("level", "日本語", t.choice(LEVELS), format=t.label_of(LEVELS)),
    t.Column("skills", "スキル", t.text_list()),
]
CSV_TEXT = ("コード,氏名,希望単価,経験年数,稼働可能日,リモート可,日本語,スキル\r\n"
            "E0001,山﨑 翔太,65万,5.5,2026/04/01,はい,ビジネス,\"Java、Spring Boot\"\r\n"
            "E0002,髙橋 健一,\"￥720,000\",10,2026-05-01,いいえ,NATIVE,Go\r\n")


def read(data: bytes, name: str = "x.csv"):
    return t.read_table(data, name, COLUMNS)


@pytest.mark.parametrize("encoding,detected", [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"),
                                               ("cp932", "cp932")])
def test_csv_in_each_encoding_reads_the_same_rows(encoding, detected):
    table = read(CSV_TEXT.encode(encoding))
    assert table.ok and table.encoding == detected
    first, second = (row.values for row in table.rows)
    assert first == {"code": "E0001", "name": "山﨑 翔太", "rate": 650000, "years": Decimal("5.5"),
                     "start": date(2026, 4, 1), "remote": True, "level": "BUSINESS",
                     "skills": ["Java", "Spring Boot"]}
    assert (second["rate"], second["level"], second["remote"]) == (720000, "NATIVE", False)


def test_bad_cells_are_reported_per_row_and_column_with_the_file_line():
    data = ("コード,氏名,希望単価,経験年数,稼働可能日,リモート可,日本語\n"
            "E 1,とても長い名前の技術者さん,abc,1.25,2026/13/01,たぶん,フランス語\n"
            ",,,,,,\n"                         # blank lines are skipped
            ",名前だけ,,,,,\n").encode()
    table = read(data)
    assert not table.ok and table.errors == []
    bad, missing = table.rows
    assert bad.line == 2 and missing.line == 4
    assert set(bad.errors) == {"code", "name", "rate", "years", "start", "remote", "level"}
    assert "10文字以内" in bad.errors["name"]
    assert "ビジネス" in bad.errors["level"]          # the allowed labels are listed
    assert missing.errors == {"code": "入力してください。"}


def test_missing_required_column_is_a_file_error_and_unknown_columns_are_listed():
    table = read("氏名,備考\n山田,x\n".encode())
    assert table.errors == ["必須の列がありません: コード"]
    table = read("code,氏名,備考\nE1,山田,x\n".encode())   # an alias and an extra column
    assert table.ok and table.ignored_headers == ["備考"]


def test_headers_match_ignoring_width_spaces_and_required_marks():
    table = read("ｺｰﾄﾞ*, 氏名 \nE1,山田\n".encode("cp932"))   # half-width kana: コード
    assert table.ok and table.rows[0].values["code"] == "E1"


def test_tab_separated_text_is_read_too():
    table = read("コード\t氏名\nE1\t山田 太郎\n".encode())
    assert table.rows[0].values["name"] == "山田 太郎"


def test_unreadable_files_say_why():
    assert read(b"\xff\xfe\x00\x00garbage\x81") .errors[0].startswith("文字コードを判別できません")
    assert "xlsx" in read(b"\xd0\xcf\x11\xe0....", "old.xls").errors[0]
    assert "Excel ファイルを読み込めません" in read(b"PK\x03\x04broken", "x.xlsx").errors[0]
    assert read(b"", "empty.csv").errors == ["ファイルにデータがありません。"]
    assert read("コード,氏名\n".encode()).errors == ["ファイルにデータ行がありません。"]


def test_too_many_rows_is_refused():
    data = ("コード,氏名\n" + "".join(f"E{i},n\n" for i in range(6))).encode()
    assert t.read_table(data, "x.csv", COLUMNS, max_rows=5).errors == ["一度に取り込めるのは5行までです。"]


def test_xlsx_cells_keep_their_types():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["コード", "氏名", "希望単価", "経験年数", "稼働可能日", "リモート可"])
    sheet.append([1234, "山﨑 翔太", 650000, 3.5, datetime(2026, 4, 1), True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = read(buffer.getvalue(), "x.xlsx").rows[0]
    assert row.ok, row.errors
    assert row.values["code"] == "1234"                # not "1234.0"
    assert row.values["years"] == Decimal("3.5")
    assert (row.values["rate"], row.values["start"], row.values["remote"]) == (650000, date(2026, 4, 1), True)


@pytest.mark.parametrize("raw,expected", [("650000", 650000), ("65万", 650000), ("65.5万円", 655000),
                                          ("６５０，０００円", 650000), (650000.0, 650000)])
def test_yen_accepts_how_rates_are_written(raw, expected):
    assert t.yen()(raw) == expected


@pytest.mark.parametrize("raw", ["65.55555万", "-1", "1.5", "six"])
def test_yen_refuses_fractions_of_a_yen_and_negative_amounts(raw):
    with pytest.raises(t.CellError):
        t.yen()(raw)


RECORDS = [
    {"code": "E0001", "name": "山﨑 翔太", "rate": 650000, "years": Decimal("5.5"), "start": date(2026, 4, 1),
     "remote": True, "level": "BUSINESS", "skills": ["Java", "Spring Boot"]},
    {"code": "E0002", "name": "=1+2", "rate": None, "years": Decimal("10.0"), "start": None,
     "remote": False, "level": None, "skills": None},
]


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_csv_export_imports_back_unchanged(encoding):
    data = t.write_csv(COLUMNS, RECORDS, encoding=encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8")
    assert "'=1+2" in data.decode("utf-8-sig" if encoding == "utf-8" else "cp932")
    assert [row.values for row in read(data).rows] == RECORDS


def test_xlsx_export_imports_back_unchanged_and_has_no_formulas():
    data = t.write_xlsx(COLUMNS, RECORDS, title="技術者")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "技術者" and sheet["B3"].data_type == "s"
    assert sheet["E2"].value == datetime(2026, 4, 1) and sheet["C2"].value == 650000
    assert [row.values for row in read(data, "x.xlsx").rows] == RECORDS


def test_cp932_export_marks_characters_it_cannot_hold():
    data = t.write_csv([t.Column("name", "氏名")], [{"name": "𠮷野家"}], encoding="cp932")
    assert data.decode("cp932").splitlines()[1] == "〓野家"


def test_export_response_names_the_file_for_download(app):
    with app.test_request_context():
        response = t.export_response(COLUMNS, RECORDS, "xlsx", "技術者一覧")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E6%8A%80" in response.headers["Content-Disposition"]


# --- preview -> all-or-nothing commit ---------------------------------------------------------

@pytest.fixture
def scratch(system):
    db.session.execute(sql("CREATE TEMP TABLE scratch (code text PRIMARY KEY, name text)"))
    yield
    db.session.rollback()


def scratch_spec(fail_on: str | None = None):
    def check(rows):
        t.mark_duplicates(rows, "code")

    def save(values):
        for line, value in enumerate(values, start=2):
            if value["code"] == fail_on:
                raise t.ImportRejected([(line, "code", "書き込めません")])
            db.session.execute(sql("INSERT INTO scratch VALUES (:code, :name)"), value)
        return len(values)

    return t.ImportSpec(name="scratch", title="scratch", columns=COLUMNS[:2], check=check, save=save)


def scratch_count() -> int:
    return db.session.execute(sql("SELECT count(*) FROM scratch")).scalar()


def test_preview_writes_nothing_and_commit_writes_every_row(app, scratch):
    data = "コード,氏名\nA1,一\nA2,二\n".encode()
    preview = t.preview_import(scratch_spec(), data, "a.csv")
    assert preview.ok and preview.token and scratch_count() == 0
    result = t.commit_import(scratch_spec(), data, "a.csv")
    assert result.imported == 2 and scratch_count() == 2


def test_one_bad_row_means_nothing_is_written(app, scratch):
    data = "コード,氏名\nA1,一\nA1,二\n".encode()
    result = t.commit_import(scratch_spec(), data, "a.csv")
    assert result.imported is None and scratch_count() == 0
    assert result.table.rows[1].errors == {"code": "2行目と重複しています。"}


def test_a_row_refused_while_saving_rolls_back_the_rows_before_it(app, scratch):
    data = "コード,氏名\nA1,一\nA2,二\nA3,三\n".encode()
    result = t.commit_import(scratch_spec(fail_on="A3"), data, "a.csv")
    assert result.imported is None and scratch_count() == 0
    assert result.table.rows[2].errors == {"code": "書き込めません"}


# --- the import page ----------------------------------------------------------------------------

@pytest.fixture
def import_app(pg_socket, database_name, admin_engine):
    """An app with one import page writing into a scratch table."""
    from flask import Blueprint

    from app import create_app
    from app.core.access import roles_required
    from tests.conftest import Client, _config_for, dispose_engines

    with admin_engine.begin() as conn:
        conn.execute(sql("CREATE TABLE public.scratch_import (code text PRIMARY KEY, name text);"
                         " GRANT ALL ON public.scratch_import TO ses_admin_role"))

    def save(values):
        for value in values:
            db.session.execute(sql("INSERT INTO public.scratch_import VALUES (:code, :name)"), value)
        return len(values)

    spec = t.ImportSpec(name="scratch", title="取り込み", columns=COLUMNS[:2], save=save,
                        check=lambda rows: t.mark_duplicates(rows, "code"))
    pages = Blueprint("scratch", __name__)

    @pages.route("/__import", methods=["GET", "POST"])
    @roles_required("admin")
    def import_page():
        return t.import_view(spec, done_url="/__done")

    app = create_app(_config_for(pg_socket, database_name))
    app.register_blueprint(pages)
    app.test_client_class = Client
    yield app
    dispose_engines(app)
    with admin_engine.begin() as conn:
        conn.execute(sql("DROP TABLE public.scratch_import"))


def upload(client, data: bytes, name="a.csv"):
    return client.post("/__import", data={"file": (io.BytesIO(data), name)}, htmx=True,
                       content_type="multipart/form-data")


def test_import_page_previews_then_commits(import_app, make_user, admin_engine):
    from app.auth.services import open_session

    with import_app.app_context():
        token = open_session(make_user("admin"), "127.0.0.1", "pytest")
        db.session.commit()
    client = import_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    page = client.get("/__import")
    assert page.status_code == 200 and "<html" in page.text

    bad = upload(client, "コード,氏名\nA1,一\nA1,二\n".encode())
    assert bad.status_code == 422 and "3" in bad.text and "2行目と重複しています" in bad.text
    assert 'name="token"' not in bad.text                     # nothing to commit

    good = upload(client, "コード,氏名\nA1,一\nA2,二\n".encode("cp932"))
    assert good.status_code == 200 and "<html" not in good.text and "2件を取り込む" in good.text
    count = "SELECT count(*) FROM public.scratch_import"
    with admin_engine.connect() as conn:
        assert conn.execute(sql(count)).scalar() == 0     # a preview writes nothing
    token_value = good.text.split('name="token" value="')[1].split('"')[0]
    done = client.post("/__import", data={"token": token_value}, htmx=True)
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/__done"
    with admin_engine.connect() as conn:
        assert conn.execute(sql(count)).scalar() == 2
    tampered = client.post("/__import", data={"token": token_value + "x"}, htmx=True)
    assert tampered.status_code == 422 and "有効期限" in tampered.text
    missing = client.post("/__import", data={}, htmx=True)
    assert missing.status_code == 422 and "ファイルを選択してください" in missing.text
